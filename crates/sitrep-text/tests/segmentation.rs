//! Sentence segmentation on news text written for these tests: abbreviations,
//! initials, datelines, quotes, bullets and odd whitespace.

use sitrep_core::{Doc, Stage};
use sitrep_text::Segmenter;

fn sentences(text: &str) -> Vec<String> {
    let mut doc = Doc::new("t", text);
    Segmenter::new().run(&mut doc);
    doc.check().expect("segmenter keeps the layer invariants");
    doc.sentences.iter().map(|s| s.text.clone()).collect()
}

#[track_caller]
fn assert_split(text: &str, expected: &[&str]) {
    assert_eq!(sentences(text), expected, "\ninput: {text:?}");
}

#[test]
fn titles_ranks_and_initials_do_not_end_sentences() {
    assert_split(
        "Lt. Gen. Oleksandr Pavliuk met Brig. Gen. Mark T. Hayes on Tuesday. The talks lasted two hours.",
        &[
            "Lt. Gen. Oleksandr Pavliuk met Brig. Gen. Mark T. Hayes on Tuesday.",
            "The talks lasted two hours.",
        ],
    );
    assert_split(
        "Dr. Hanna Koval and Mr. J. R. Ellis spoke. Gov. Maria Stein did not.",
        &[
            "Dr. Hanna Koval and Mr. J. R. Ellis spoke.",
            "Gov. Maria Stein did not.",
        ],
    );
}

#[test]
fn acronyms_end_sentences_only_before_a_sentence_start() {
    assert_split(
        "The aid came from the U.S. Army depot. It arrived in the U.S. The next day it left.",
        &[
            "The aid came from the U.S. Army depot.",
            "It arrived in the U.S.",
            "The next day it left.",
        ],
    );
    assert_split(
        "Sirens sounded at 5 a.m. Kyiv time. At 6 p.m. The strikes resumed.",
        &[
            "Sirens sounded at 5 a.m. Kyiv time.",
            "At 6 p.m.",
            "The strikes resumed.",
        ],
    );
    assert_split(
        "Shells, drones, etc. were used, e.g. near the plant. Officials said so.",
        &[
            "Shells, drones, etc. were used, e.g. near the plant.",
            "Officials said so.",
        ],
    );
}

#[test]
fn numbers_stay_whole() {
    assert_split(
        "Some 1.5 million people fled. More than 75,000 women serve. He lives at No. 10 Downing St. in London.",
        &[
            "Some 1.5 million people fled.",
            "More than 75,000 women serve.",
            "He lives at No. 10 Downing St. in London.",
        ],
    );
    assert_split(
        "On Oct. 30 the brigade moved. By Nov. 2 it had stopped.",
        &["On Oct. 30 the brigade moved.", "By Nov. 2 it had stopped."],
    );
}

#[test]
fn datelines_stay_with_their_sentence() {
    assert_split(
        "KYIV, Ukraine (AP) — Russian drones struck the port overnight. Two people were hurt.",
        &[
            "KYIV, Ukraine (AP) — Russian drones struck the port overnight.",
            "Two people were hurt.",
        ],
    );
    assert_split(
        "ODESA, Oct. 30 (Reuters) - Air defences downed 12 drones, the army said.",
        &["ODESA, Oct. 30 (Reuters) - Air defences downed 12 drones, the army said."],
    );
}

#[test]
fn quotes_in_every_style() {
    assert_split(
        "He said Russia is \"ready for talks\" on the settlement. \"We are ready,\" he said. \"Are you?\" she asked.",
        &[
            "He said Russia is \"ready for talks\" on the settlement.",
            "\"We are ready,\" he said.",
            "\"Are you?\" she asked.",
        ],
    );
    assert_split(
        "“We will hold,” the commander wrote. “The line is stable.” Then he left.",
        &[
            "“We will hold,” the commander wrote.",
            "“The line is stable.”",
            "Then he left.",
        ],
    );
    assert_split(
        "Она сказала: «Мы готовы». Потом ушла. Il a dit « non ». C'est tout.",
        &[
            "Она сказала: «Мы готовы».",
            "Потом ушла.",
            "Il a dit « non ».",
            "C'est tout.",
        ],
    );
    assert_split(
        "The post \"appealed for recruits to join as uncrewed aerial vehicle [UAV] operators\". This came later.",
        &[
            "The post \"appealed for recruits to join as uncrewed aerial vehicle [UAV] operators\".",
            "This came later.",
        ],
    );
}

#[test]
fn quotation_of_several_sentences_splits_where_they_end() {
    assert_split(
        "The spokesman said: \"Our forces advance. The enemy retreats.\" Fighting goes on.",
        &[
            "The spokesman said: \"Our forces advance.",
            "The enemy retreats.\"",
            "Fighting goes on.",
        ],
    );
}

#[test]
fn brackets_hold_their_contents() {
    assert_split(
        "The Institute for the Study of War (ISW) reported gains (see the map. It is new) near the town. Later it rained.",
        &[
            "The Institute for the Study of War (ISW) reported gains (see the map. It is new) near the town.",
            "Later it rained.",
        ],
    );
}

#[test]
fn headlines_bullets_and_paragraphs() {
    assert_split(
        "Drones Hit Port City Overnight\nAt least three people were injured.\n• Air defence active in the south\n• Power cut in two districts\n1. First point\n2. Second point",
        &[
            "Drones Hit Port City Overnight",
            "At least three people were injured.",
            "• Air defence active in the south",
            "• Power cut in two districts",
            "1. First point",
            "2. Second point",
        ],
    );
}

#[test]
fn hard_wrapped_lines_continue_a_sentence() {
    assert_split(
        "The brigade said its units had advanced\nnear the village overnight. Nothing more\nwas said.",
        &[
            "The brigade said its units had advanced\nnear the village overnight.",
            "Nothing more\nwas said.",
        ],
    );
}

#[test]
fn ellipses_and_multiple_marks() {
    assert_split(
        "He paused... and went on. Then silence… Nobody spoke?! Really.",
        &[
            "He paused... and went on.",
            "Then silence…",
            "Nobody spoke?!",
            "Really.",
        ],
    );
}

#[test]
fn odd_whitespace_is_not_part_of_sentences() {
    let text =
        "\u{FEFF}\u{200B}First\u{00A0}sentence here.\u{200B} Second\u{202F}one.\u{00A0}\u{00A0}";
    let got = sentences(text);
    assert_eq!(got, ["First\u{00A0}sentence here.", "Second\u{202F}one."]);
}

#[test]
fn offsets_are_code_points() {
    let mut doc = Doc::new("t", "Київ — столиця. Харків теж.");
    Segmenter::new().run(&mut doc);
    assert_eq!(doc.sentences.len(), 2);
    assert_eq!((doc.sentences[1].start, doc.sentences[1].end), (16, 27));
    let chars: Vec<char> = doc.text().chars().collect();
    for t in &doc.tokens {
        assert!(t.start < t.end && t.end <= chars.len());
    }
}

#[test]
fn empty_and_degenerate_inputs() {
    assert!(sentences("").is_empty());
    assert!(sentences(" \n\t\u{200B} ").is_empty());
    assert_eq!(sentences("..."), ["..."]);
    assert_eq!(sentences("\"\"\"(((]]]"), ["\"\"\"(((]]]"]);
}

#[test]
fn unbounded_text_is_capped() {
    let text = "word ".repeat(2500);
    let got = sentences(&text);
    assert_eq!(got.len(), 3);
}

/// No panic and valid layers on arbitrary text (a cheap deterministic fuzz;
/// `fuzz/` holds the coverage-guided one).
#[test]
fn never_panics_on_arbitrary_text() {
    let alphabet: Vec<char> = "aZ9 .,!?\"'“”«»‘’()[]—-\n\t\u{00A0}\u{200B}Київé…$%@#/:&U.S.No.Gen."
        .chars()
        .collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let segmenter = Segmenter::new();
    for _ in 0..3000 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let len = (state % 60) as usize;
        let mut s = String::new();
        let mut x = state;
        for _ in 0..len {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            s.push(alphabet[(x >> 33) as usize % alphabet.len()]);
        }
        let mut doc = Doc::new("fuzz", s.clone());
        segmenter.run(&mut doc);
        doc.check().unwrap_or_else(|e| panic!("{e} on {s:?}"));
        for w in doc.tokens.windows(2) {
            assert!(w[0].end <= w[1].start, "tokens overlap on {s:?}");
        }
    }
}

/// The seed article, when the shared examples are beside the repository:
/// every line is one or more whole sentences.
#[test]
fn seed_article_lines_are_whole_sentences() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/examples/seed-article.txt"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipped: {path} not present");
        return;
    };
    let mut doc = Doc::new("seed", text.trim_end());
    Segmenter::new().run(&mut doc);
    doc.check().unwrap();
    for s in &doc.sentences {
        assert!(
            !s.text.contains('\n'),
            "sentence crosses a line: {:?}",
            s.text
        );
    }
    let mut covered = 0;
    for line in doc.text().split('\n') {
        let joined: Vec<&str> = doc
            .sentences
            .iter()
            .skip(covered)
            .take_while(|s| line.contains(s.text.as_str()))
            .map(|s| s.text.as_str())
            .collect();
        covered += joined.len();
        assert_eq!(
            joined.join(" "),
            line.trim(),
            "line not split into whole sentences"
        );
    }
    let texts: Vec<&str> = doc.sentences.iter().map(|s| s.text.as_str()).collect();
    for must in [
        "The Institute for the Study of War (ISW) reported that",
        "The Russian state-backed private military organisation (PMC) announced",
        "\"In case the necessary conditions are created,",
    ] {
        assert!(
            texts.iter().any(|t| t.starts_with(must)),
            "{must:?} does not start a sentence"
        );
    }
}
