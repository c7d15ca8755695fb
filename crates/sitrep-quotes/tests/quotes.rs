//! The quotes stage on text written for these tests.

use sitrep_core::{Doc, Stage};

type Row = (bool, String, Option<String>, Option<String>, Option<String>);

fn quotes(text: &str) -> Vec<Row> {
    let mut doc = Doc::new("t", text);
    sitrep_text::Segmenter::new().run(&mut doc);
    sitrep_quotes::Quotes::new().run(&mut doc);
    doc.check().expect("quotes keep the span invariants");
    doc.quotes
        .iter()
        .map(|q| {
            (
                q.direct,
                q.text.clone(),
                q.speaker.as_ref().and_then(|s| s.canonical.clone()),
                q.cue.as_ref().map(|c| c.text.clone()),
                q.channel.clone(),
            )
        })
        .collect()
}

fn s(x: &str) -> Option<String> {
    Some(x.to_string())
}

#[test]
fn direct_quotes_with_speakers_after_and_before() {
    let got = quotes(
        "Colonel Mykola Hrytsenko spoke in Odesa. \"The port will reopen within days,\" he said.\n\
         On Telegram, Hrytsenko wrote: \"Air defence shot down 31 drones overnight.\"",
    );
    assert_eq!(
        got,
        vec![
            (
                true,
                "\"The port will reopen within days,\"".into(),
                s("Mykola Hrytsenko"),
                s("said"),
                None
            ),
            (
                true,
                "\"Air defence shot down 31 drones overnight.\"".into(),
                s("Mykola Hrytsenko"),
                s("wrote"),
                s("Telegram")
            ),
        ]
    );
}

#[test]
fn reported_speech_and_according_to() {
    let got = quotes(
        "The regional governor, Petro Hnatiuk, said that two people were injured. \
         According to the state news agency, the bridge was closed. \
         The spokesperson said the repairs would take a week.",
    );
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[0].1, "that two people were injured.");
    assert_eq!(got[0].2, s("Petro Hnatiuk"));
    assert_eq!(got[1].1, "the bridge was closed.");
    assert_eq!(got[1].3, s("According to"));
    assert_eq!(
        got[2].2,
        s("Petro Hnatiuk"),
        "the spokesperson resolves to the last named speaker"
    );
}

#[test]
fn unbalanced_marks_and_scare_quotes_do_not_break_anything() {
    let got = quotes("He called it \"co-existence\" and left. She said: \"We will hold the line\nThe next day was quiet.");
    assert!(
        got.iter().all(|q| q.1 != "\"co-existence\""),
        "scare quotes are not speech: {got:?}"
    );
    assert!(
        got.iter()
            .any(|q| q.1.starts_with("\"We will hold the line")),
        "{got:?}"
    );
    assert!(quotes("\"\"\" « “ ” »").len() <= 3);
}

/// The seed article's statements and their speakers, when the shared
/// examples are beside the repository.
#[test]
fn seed_article_speakers() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/examples/seed-article.txt"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipped: {path} not present");
        return;
    };
    let got = quotes(&text);
    let speaker_of = |start: &str| {
        got.iter()
            .find(|q| q.1.starts_with(start))
            .and_then(|q| q.2.clone())
            .unwrap_or_else(|| panic!("no quote starting {start:?} in {got:?}"))
    };
    assert!(speaker_of("\"In case the necessary conditions").ends_with("Sergei Shoigu"));
    assert_eq!(
        speaker_of("that Russian forces are following"),
        "UK Ministry of Defence"
    );
    assert_eq!(speaker_of("that the unnamed man"), "FSB");
    assert_eq!(
        speaker_of("\"In the Bakhmut area"),
        "General Oleksandr Syrskyi"
    );
    assert_eq!(
        speaker_of("Russia is moving to surround Avdiivka"),
        "Andrii Kovaliov"
    );
    assert_eq!(
        speaker_of("that Russian invaders in the sector"),
        "Andrii Kovaliov"
    );
    // Shoigu four times: said, noted, accused, and "he said".
    let shoigu = got
        .iter()
        .filter(|q| q.2.as_deref().is_some_and(|s| s.ends_with("Shoigu")))
        .count();
    assert_eq!(shoigu, 4, "{got:?}");
    // Kovaliov speaks on live TV throughout.
    let kovaliov: Vec<&Option<String>> = got
        .iter()
        .filter(|q| q.2.as_deref() == Some("Andrii Kovaliov"))
        .map(|q| &q.4)
        .collect();
    assert!(kovaliov.len() >= 4, "{got:?}");
    assert!(
        kovaliov.iter().all(|c| c.as_deref() == Some("live TV")),
        "{kovaliov:?}"
    );
}

#[test]
fn weak_cues_need_that_and_transcripts_name_their_speaker() {
    let got = quotes("A new survey shows that most residents want the checkpoint moved.\nThe survey found the old report.\nHNATIUK: We will rebuild the bridge by spring.");
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(got[0].1, "that most residents want the checkpoint moved.");
    assert_eq!(got[0].3, s("shows"));
    assert_eq!(got[1].1, "We will rebuild the bridge by spring.");
    assert_eq!(got[1].3, s(":"));
}

#[test]
fn newswire_marks_split_quotes_and_cues_after_questions() {
    let got = quotes(
        "``We will not retreat,'' said Olena Marchenko, the deputy mayor.\n\
         \u{201c}The convoy arrived at dawn,\u{201d} Colonel Ivan Petrenko said, \u{201c}and it left at noon.\u{201d}\n\
         \u{201c}Who will pay for the bridge?\u{201d} he asks.",
    );
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[0].1, "``We will not retreat,''");
    assert_eq!(got[0].2, s("Olena Marchenko"));
    // One statement from the first mark to the last.
    assert!(
        got[1].1.starts_with('\u{201c}') && got[1].1.ends_with("noon.\u{201d}"),
        "{got:?}"
    );
    // This stage keeps the title; the attribution stage maps the speaker
    // to its entity ("Ivan Petrenko").
    assert_eq!(got[1].2, s("Colonel Ivan Petrenko"));
    assert_eq!(got[2].3, s("asks"));
    assert_eq!(
        got[2].2,
        s("Colonel Ivan Petrenko"),
        "the pronoun resolves to the last speaker"
    );
}

#[test]
fn bylines_colons_appositives_and_subjects() {
    let got = quotes(
        "\u{201c}The shelling never stops.\u{201d} \u{2015} Martha Aguilar\n\
         The head of the district, Serhii Lysak, said:\n\
         \u{201c}Three villages are without power tonight.\u{201d}\n\
         \u{201c}Repairs will take weeks,\u{201d} Dmytro Kuleba, an engineer with the state grid, said.\n\
         Senator Amy Warren called the plan \u{201c}a reckless gamble with lives.\u{201d}",
    );
    let speakers: Vec<Option<String>> = got.iter().map(|q| q.2.clone()).collect();
    assert_eq!(
        speakers,
        vec![
            s("Martha Aguilar"),
            s("Serhii Lysak"),
            s("Dmytro Kuleba"),
            s("Senator Amy Warren"),
        ],
        "{got:?}"
    );
    assert_eq!(
        got[3].3,
        s("called"),
        "the verb governing the quote is its cue"
    );
}

#[test]
fn a_speakers_channel_carries_to_their_next_statements() {
    let got = quotes(
        "Appearing on live TV, the spokesman, Oleh Lytvyn, announced: \u{201c}Our forces hold the bridge near the river.\u{201d} \
         Lytvyn added that the enemy had lost two tanks. \
         Mayor Ivan Sirko said that schools would reopen.",
    );
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[0].4, s("live TV"));
    assert_eq!(got[1].4, s("live TV"), "the same speaker, still on air");
    assert_eq!(got[2].4, None, "another speaker");
}

#[test]
fn no_reported_speech_is_read_inside_a_quotation_or_from_an_adjunct() {
    let got = quotes(
        "\u{201c}You say you accept responsibility for the losses, but nothing changes,\u{201d} Anna Koval said. \
         The minister said in a phone interview.",
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].2, s("Anna Koval"));
}
