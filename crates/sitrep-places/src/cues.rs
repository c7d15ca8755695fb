//! Spatial cues between two toponyms of a sentence: containment ("Alexandria,
//! La.", "X, Donetsk region") and stated distance or direction ("Andriivka,
//! a city 10km away from Bakhmut", "Robotyne, 10 km south of Orikhiv").

use sitrep_core::{Doc, PlaceRelation};

use crate::recognise::Mention;

/// A cue linking mention `subject` to mention `anchor`.
#[derive(Debug, Clone)]
pub enum Cue {
    /// `anchor` (right after "subject, ") is a division or country that
    /// should contain `subject`.
    Containment {
        /// The contained toponym.
        subject: usize,
        /// The container.
        anchor: usize,
    },
    /// The text states where `subject` lies relative to `anchor`.
    Relation {
        /// The toponym placed by the cue.
        subject: usize,
        /// The toponym it is placed from.
        anchor: usize,
        /// The stated relation, as output.
        relation: PlaceRelation,
    },
}

/// Words a distance or direction cue may consist of, besides numbers,
/// units and directions.
const CUE_WORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "some",
    "about",
    "around",
    "roughly",
    "approximately",
    "almost",
    "nearly",
    "just",
    "only",
    "located",
    "lies",
    "lying",
    "situated",
    "is",
    "which",
    "that",
    "village",
    "town",
    "city",
    "settlement",
    "hamlet",
    "away",
    "of",
    "from",
    "(",
    ")",
    "-",
    "–",
    "—",
    "kilometres",
    "kilometers",
    "miles",
    "km",
    "further",
    "farther",
    "due",
];

const DIRECTIONS: &[(&str, &str)] = &[
    ("north", "N"),
    ("northeast", "NE"),
    ("north-east", "NE"),
    ("east", "E"),
    ("southeast", "SE"),
    ("south-east", "SE"),
    ("south", "S"),
    ("southwest", "SW"),
    ("south-west", "SW"),
    ("west", "W"),
    ("northwest", "NW"),
    ("north-west", "NW"),
];

/// Compass bearing in degrees of a direction code.
pub fn bearing_of(code: &str) -> Option<f64> {
    Some(match code {
        "N" => 0.0,
        "NE" => 45.0,
        "E" => 90.0,
        "SE" => 135.0,
        "S" => 180.0,
        "SW" => 225.0,
        "W" => 270.0,
        "NW" => 315.0,
        _ => return None,
    })
}

fn unit_km(word: &str) -> Option<f64> {
    Some(match word {
        "km" | "kms" | "kilometres" | "kilometers" | "kilometre" | "kilometer" => 1.0,
        "mi" | "mile" | "miles" => 1.609_344,
        _ => return None,
    })
}

/// Reads "10km", "10", "ten" and "1.5" as a number (the times grammar's
/// number words) with an optional unit glued on.
fn number_and_unit(text: &str) -> Option<(f64, Option<f64>)> {
    let digits = text.len()
        - text
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ',')
            .len();
    if digits == 0 {
        return sitrep_times::words::number(text).map(|v| (v, None));
    }
    let v = sitrep_times::words::number(&text[..digits])?;
    let rest = &text[digits..];
    Some((
        v,
        if rest.is_empty() {
            None
        } else {
            Some(unit_km(rest)?)
        },
    ))
}

/// The cues between consecutive mentions of each sentence.
pub fn find(doc: &Doc, mentions: &[Mention]) -> Vec<Cue> {
    let mut cues = Vec::new();
    for (a, pair) in mentions.windows(2).enumerate() {
        let (m, n) = (&pair[0], &pair[1]);
        // Parts of one token ("Fargo-Moorhead") have no words between.
        if m.sentence != n.sentence || n.first_token < m.end_token {
            continue;
        }
        let between = &doc.tokens[m.end_token..n.first_token];
        let words: Vec<&str> = (m.end_token..n.first_token)
            .map(|i| doc.token_lower(i))
            .collect();
        if words == [","] {
            cues.push(Cue::Containment {
                subject: a,
                anchor: a + 1,
            });
            continue;
        }
        if words.len() > 12
            || words.is_empty()
            || !matches!(words.last(), Some(&"of") | Some(&"from"))
        {
            continue;
        }
        // The cue must be all the words between: "X, a city 10km away
        // from Y", "X, 15 km north of Y", "X south of Y" — not "X, over a
        // railway line south of Y", which places the line.
        if !words.iter().enumerate().all(|(k, w)| {
            CUE_WORDS.contains(w)
                || number_and_unit(w).is_some()
                || unit_km(w).is_some()
                || DIRECTIONS.iter().any(|(d, _)| d == w)
                || (k == 0 && *w == ",")
        }) {
            continue;
        }
        let mut km = None;
        let mut direction = None;
        for (k, w) in words.iter().enumerate() {
            if let Some((v, unit)) = number_and_unit(w) {
                let unit = unit.or_else(|| words.get(k + 1).and_then(|u| unit_km(u)));
                if let Some(u) = unit {
                    km = Some(v * u);
                }
            }
            if let Some((_, code)) = DIRECTIONS.iter().find(|(d, _)| d == w) {
                direction = Some((*code).to_string());
            }
        }
        let relation = match (km.is_some(), direction.is_some()) {
            (true, true) => "distance+direction",
            (true, false) => "distance",
            (false, true) => "direction",
            (false, false) => continue,
        };
        let first_word = between
            .iter()
            .position(|t| doc.slice(t.start, t.end) != ",")
            .unwrap_or(0);
        cues.push(Cue::Relation {
            subject: a,
            anchor: a + 1,
            relation: PlaceRelation {
                relation: relation.into(),
                start: between[first_word].start,
                end: between[between.len() - 1].end,
                anchor_start: n.start,
                anchor_end: n.end,
                km,
                direction,
            },
        });
    }
    cues
}

/// The countries a document's money is counted in ("$4 million", "£30",
/// "500 hryvnias"): a hint of where it was written or what it is about,
/// which weighs with its places' countries when a name is shared by towns
/// of several countries ("Dublin" with dollar amounts is more likely
/// Dublin, Ohio than Ireland's capital). Each currency counts once,
/// whatever the number of amounts. (The euro, yen and rupee are spent in
/// too many countries to say one.)
pub fn money_countries(doc: &Doc) -> Vec<[u8; 2]> {
    let mut out: Vec<[u8; 2]> = Vec::new();
    add_money_countries(doc, &mut out);
    out
}

/// Nationality words that are also languages spoken in many countries:
/// "English classes" and "Spanish-speaking families" say nothing of
/// England or Spain, so these do not weigh in the country focus.
const LANGUAGE_DEMONYMS: [&str; 4] = ["english", "spanish", "french", "portuguese"];

/// The countries the document's nationality words name ("Georgian
/// officials", "the Americans"), each once: like its places, they say
/// which country the document is about, and so which "Georgia" it means.
pub fn demonym_countries(
    doc: &Doc,
    demonyms: &std::collections::HashMap<String, String>,
) -> Vec<[u8; 2]> {
    let mut out: Vec<[u8; 2]> = Vec::new();
    for (k, t) in doc.tokens.iter().enumerate() {
        if !doc
            .slice(t.start, t.end)
            .starts_with(|c: char| c.is_uppercase())
        {
            continue;
        }
        let word = doc.token_lower(k);
        if LANGUAGE_DEMONYMS.contains(&word) {
            continue;
        }
        if let Some(code) = demonyms.get(word) {
            if let &[a, b] = code.as_bytes() {
                if a.is_ascii_uppercase() && b.is_ascii_uppercase() && !out.contains(&[a, b]) {
                    out.push([a, b]);
                }
            }
        }
    }
    out
}

/// The countries whose institution words the document uses ("the
/// Sheriff's Office", "Gardaí"; `data/lexicons/country-words.tsv`), each
/// with the number of distinct entries found.
pub fn institution_countries(
    doc: &Doc,
    words: &std::collections::HashMap<String, Vec<crate::lexicon::CountryWord>>,
) -> Vec<([u8; 2], usize)> {
    let mut found: Vec<&crate::lexicon::CountryWord> = Vec::new();
    for k in 0..doc.tokens.len() {
        let Some(entries) = words.get(doc.token_lower(k)) else {
            continue;
        };
        for e in entries {
            let fits = e
                .rest
                .iter()
                .enumerate()
                .all(|(j, w)| k + 1 + j < doc.tokens.len() && doc.token_lower(k + 1 + j) == w);
            if fits && !found.iter().any(|f| std::ptr::eq(*f, e)) {
                found.push(e);
            }
        }
    }
    let mut out: Vec<([u8; 2], usize)> = Vec::new();
    for e in found {
        match out.iter_mut().find(|(cc, _)| *cc == e.country) {
            Some((_, n)) => *n += 1,
            None => out.push((e.country, 1)),
        }
    }
    out
}

fn add_money_countries(doc: &Doc, out: &mut Vec<[u8; 2]>) {
    let text = doc.text();
    let mut add = |cc: &[u8; 2]| {
        if !out.contains(cc) {
            out.push(*cc);
        }
    };
    for (i, c) in text.char_indices() {
        match c {
            '$' => {
                // The capitals just before say whose dollar: "A$", "C$",
                // "NZ$", "HK$", "S$"; none, "US$" or "U.S.$" is the US's.
                let before: String = text[..i]
                    .chars()
                    .rev()
                    .take_while(char::is_ascii_uppercase)
                    .collect::<Vec<char>>()
                    .into_iter()
                    .rev()
                    .collect();
                match before.as_str() {
                    "" | "US" | "U.S." => add(b"US"),
                    "A" | "AU" => add(b"AU"),
                    "C" | "CA" => add(b"CA"),
                    "NZ" => add(b"NZ"),
                    "HK" => add(b"HK"),
                    "S" => add(b"SG"),
                    _ => {}
                }
            }
            '£' => add(b"GB"),
            '₴' => add(b"UA"),
            '₽' => add(b"RU"),
            '₪' => add(b"IL"),
            _ => {}
        }
    }
    for (k, _) in doc.tokens.iter().enumerate() {
        match doc.token_lower(k) {
            "hryvnia" | "hryvnias" => add(b"UA"),
            "rouble" | "roubles" | "ruble" | "rubles" => add(b"RU"),
            "shekel" | "shekels" => add(b"IL"),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_core::Stage;

    fn money(text: &str) -> Vec<[u8; 2]> {
        let mut doc = Doc::new("t", text);
        sitrep_text::Segmenter::new().run(&mut doc);
        money_countries(&doc)
    }

    #[test]
    fn currencies_name_their_countries_once() {
        assert_eq!(money("It cost $4 million, then $5 million."), [*b"US"]);
        assert_eq!(money("A$30 and C$20 and US$10."), [*b"AU", *b"CA", *b"US"]);
        assert_eq!(money("Fined £300; paid 500 hryvnias."), [*b"GB", *b"UA"]);
        assert!(money("It cost €5 and ¥300.").is_empty());
    }

    #[test]
    fn nationality_words_name_their_countries_once() {
        let demonyms = crate::lexicon::demonyms();
        let mut doc = Doc::new(
            "t",
            "Georgian police and Russian troops met; the Georgians said american jazz played.",
        );
        sitrep_text::Segmenter::new().run(&mut doc);
        assert_eq!(demonym_countries(&doc, &demonyms), [*b"GE", *b"RU"]);
        // Languages spoken in many countries name none of them.
        let mut doc = Doc::new("t", "English and Spanish classes for Georgian children.");
        sitrep_text::Segmenter::new().run(&mut doc);
        assert_eq!(demonym_countries(&doc, &demonyms), [*b"GE"]);
    }

    #[test]
    fn institution_words_count_per_country() {
        let words = crate::lexicon::Lexicon::bundled().country_words;
        let mut doc = Doc::new(
            "t",
            "The Sheriff's Office told the school district; the sheriff and Gardaí agreed.",
        );
        sitrep_text::Segmenter::new().run(&mut doc);
        // "Sheriff" twice counts once; "school" alone is nobody's.
        assert_eq!(
            institution_countries(&doc, &words),
            [(*b"US", 2), (*b"IE", 1)]
        );
        let mut doc = Doc::new("t", "The school and the district met.");
        sitrep_text::Segmenter::new().run(&mut doc);
        assert!(institution_countries(&doc, &words).is_empty());
    }
}
