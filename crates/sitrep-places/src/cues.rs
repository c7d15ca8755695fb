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
        if m.sentence != n.sentence {
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
