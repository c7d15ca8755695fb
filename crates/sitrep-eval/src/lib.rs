//! Scorers that measure sitrep's layers against gold annotations.
//!
//! This crate is pure arithmetic: it reads no files and runs no pipeline.
//! The caller (`sitrep eval`) reads a gold JSONL file line by line, parses
//! each line into the layer's gold record ([`parse_line`]), builds the model
//! input from it ([`GoldRecord::input`], [`EvalInput::to_doc`]), runs the
//! pipeline, and hands gold and annotated [`Doc`] to the layer's
//! [`Scorer`], document by document. [`Scorer::report`] then gives a
//! [`Report`]: named metrics, headline first, printable as an aligned table
//! or serialised as JSON.
//!
//! One module per layer defines its gold format and metrics, following the
//! gold sets' README:
//!
//! | module | gold record | scorer | headline |
//! |---|---|---|---|
//! | [`places`] | [`PlacesGold`] | [`PlacesScorer`] | recognition F1, acc@161 km, AUC |
//! | [`times`] | [`TimesGold`] | [`TimesScorer`] | TempEval-3 value F1 |
//! | [`quotes`] | [`QuotesGold`] | [`QuotesScorer`] | end-to-end F1 |
//! | [`entities`] | [`EntitiesGold`] | [`EntitiesScorer`] | CoNLL micro F1 |
//! | [`events`] | [`EventsGold`] | [`EventsScorer`] | per-sentence category accuracy |
//!
//! Scorers only accumulate counts, so documents may be processed in parallel
//! batches and added in any grouping; every ratio with an empty denominator
//! is 0, never NaN, and every report carries its gold and predicted counts.
//!
//! ```
//! use sitrep_core::{Time, TimexType};
//! use sitrep_eval::{parse_line, GoldRecord, Scorer, TimesGold, TimesScorer};
//!
//! let line = r#"{"id": "d1", "dct": "2023-10-30", "text": "Shelling resumed on Monday.",
//!   "timexes": [{"start": 20, "end": 26, "type": "DATE", "value": "2023-10-30"}]}"#;
//! let gold: TimesGold = parse_line(line).unwrap();
//!
//! // The caller runs the pipeline on the gold text; here we annotate by hand.
//! let mut doc = gold.input().to_doc();
//! assert_eq!(doc.published.unwrap().to_string(), "2023-10-30");
//! doc.times.push(Time {
//!     start: 20,
//!     end: 26,
//!     text: "Monday".into(),
//!     by: "example".into(),
//!     kind: TimexType::Date,
//!     value: "2023-10-30".into(),
//!     modifier: None,
//! });
//!
//! let mut scorer = TimesScorer::default();
//! scorer.add(&gold, &doc);
//! let report = scorer.report().with_gold("invented.jsonl");
//! assert_eq!(report.headline().unwrap().name, "value F1");
//! assert_eq!(report.value("value F1"), Some(1.0));
//! println!("{}", report.to_table());
//! ```
#![deny(missing_docs)]

use std::fmt;
use std::str::FromStr;

use serde::de::DeserializeOwned;
use serde::Serialize;
use sitrep_core::{Doc, PublishedSource};

mod align;
pub mod entities;
pub mod events;
pub mod places;
pub mod prf;
pub mod quotes;
pub mod report;
pub mod times;

pub use entities::{conll_label, EntitiesGold, EntitiesScorer};
pub use events::{EventCoding, EventsGold, EventsScorer};
pub use places::{haversine_km, PlacesGold, PlacesScorer};
pub use prf::Prf;
pub use quotes::{QuotesGold, QuotesScorer};
pub use report::{Count, Metric, Report, Unit};
pub use times::{TimesGold, TimesScorer};

/// What the pipeline is run on for one gold record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvalInput {
    /// The record's id.
    pub id: String,
    /// The text to annotate; gold offsets point into it.
    pub text: String,
    /// Publication date (`YYYY-MM-DD`, possibly followed by a time) when the
    /// gold set gives one: `dct` for times and quotes, `date` for events.
    pub published: Option<String>,
    /// Headline, when the gold set gives one.
    pub title: Option<String>,
}

impl EvalInput {
    /// A fresh [`Doc`] for the pipeline: id, text, title and, when `published`
    /// parses as a date, the publication date with source
    /// [`PublishedSource::Metadata`].
    pub fn to_doc(&self) -> Doc {
        let mut doc = Doc::new(self.id.clone(), self.text.clone());
        doc.title = self.title.clone();
        if let Some(date) = self.published.as_deref().and_then(|p| p.parse().ok()) {
            doc.published = Some(date);
            doc.published_source = PublishedSource::Metadata;
        }
        doc
    }
}

/// One line of a gold file.
pub trait GoldRecord: DeserializeOwned {
    /// The input the pipeline must be run on to be scored against this
    /// record.
    fn input(&self) -> EvalInput;

    /// The source document the record is a part of, when the gold set
    /// splits documents into records (CoNLL-2003 gives one sentence per
    /// line, with its article's number). Consecutive records of one document
    /// are read together, as an article is ([`join_parts`]), and each is
    /// scored on its own part ([`part_of`]). Only scorers that read the
    /// `entities` layer may say so: a part carries no other layer.
    fn document(&self) -> Option<i64> {
        None
    }
}

/// Consecutive parts of one document as one input: texts joined by a blank
/// line (so no sentence runs across two parts), the first part's id, and
/// where each part starts (code points).
pub fn join_parts(parts: &[EvalInput]) -> (EvalInput, Vec<usize>) {
    let mut text = String::new();
    let mut starts = Vec::with_capacity(parts.len());
    let mut at = 0;
    for (k, p) in parts.iter().enumerate() {
        if k > 0 {
            text.push_str("\n\n");
            at += 2;
        }
        starts.push(at);
        text.push_str(&p.text);
        at += p.text.chars().count();
    }
    let first = parts.first();
    let whole = EvalInput {
        id: first.map(|p| p.id.clone()).unwrap_or_default(),
        text,
        published: first.and_then(|p| p.published.clone()),
        title: first.and_then(|p| p.title.clone()),
    };
    (whole, starts)
}

/// The part of `whole` that `part` (starting at code point `start`) was:
/// a document of the part's text with the entities that lie inside it,
/// shifted to the part's offsets.
pub fn part_of(whole: &Doc, part: &EvalInput, start: usize) -> Doc {
    let mut doc = part.to_doc();
    let end = start + doc.len_chars();
    doc.entities = whole
        .entities
        .iter()
        .filter(|e| e.start >= start && e.end <= end)
        .map(|e| {
            let mut e = e.clone();
            e.start -= start;
            e.end -= start;
            e
        })
        .collect();
    doc
}

/// An accumulator of one layer's counts over a gold file.
///
/// Create with `Default`, [`add`](Scorer::add) each gold record with the
/// document the pipeline produced from its [`input`](GoldRecord::input), then
/// take the [`report`](Scorer::report). Adding is order-independent except
/// that the events scorer names the codings in the order first seen.
pub trait Scorer: Default {
    /// The gold record type.
    type Gold: GoldRecord;
    /// Scores one document.
    fn add(&mut self, gold: &Self::Gold, predicted: &Doc);
    /// The metrics over everything added so far; the caller sets the gold
    /// file label with [`Report::with_gold`].
    fn report(&self) -> Report;
}

/// Parses one JSONL line into a gold record (or any other type); unknown
/// fields are ignored.
pub fn parse_line<T: DeserializeOwned>(line: &str) -> Result<T, String> {
    serde_json::from_str(line.trim()).map_err(|e| e.to_string())
}

/// The layers this crate scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LayerKind {
    /// Toponyms and their coordinates ([`places`]).
    Places,
    /// TIMEX3 expressions ([`times`]).
    Times,
    /// Quotations and speakers ([`quotes`]).
    Quotes,
    /// Named entities, CoNLL style ([`entities`]).
    Entities,
    /// Coded events, CAMEO or PLOVER ([`events`]).
    Events,
}

impl LayerKind {
    /// All layers, in documentation order.
    pub const ALL: [LayerKind; 5] = [
        LayerKind::Places,
        LayerKind::Times,
        LayerKind::Quotes,
        LayerKind::Entities,
        LayerKind::Events,
    ];

    /// The lower-case name used on the command line.
    pub fn as_str(&self) -> &'static str {
        match self {
            LayerKind::Places => "places",
            LayerKind::Times => "times",
            LayerKind::Quotes => "quotes",
            LayerKind::Entities => "entities",
            LayerKind::Events => "events",
        }
    }
}

impl fmt::Display for LayerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LayerKind {
    type Err = String;

    /// Accepts the layer names (`places`, `times`, `quotes`, `entities`,
    /// `events`), case-insensitively, and a few aliases (`geo`, `place`,
    /// `time`, `timex`, `quote`, `entity`, `ner`, `event`).
    fn from_str(s: &str) -> Result<LayerKind, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "places" | "place" | "geo" | "toponyms" => Ok(LayerKind::Places),
            "times" | "time" | "timex" | "timexes" => Ok(LayerKind::Times),
            "quotes" | "quote" => Ok(LayerKind::Quotes),
            "entities" | "entity" | "ner" => Ok(LayerKind::Entities),
            "events" | "event" => Ok(LayerKind::Events),
            other => Err(format!(
                "unknown layer {other:?}: expected places, times, quotes, entities or events"
            )),
        }
    }
}

/// Recognises a gold file's layer from the keys of its first record:
/// `toponyms` → places, `timexes` → times, `quotes` → quotes, `tokens` and
/// `entities` together → entities, `expected_events` → events. `None` when
/// the value is not an object or has none of these.
pub fn detect(first_line: &serde_json::Value) -> Option<LayerKind> {
    let obj = first_line.as_object()?;
    let has = |k: &str| obj.contains_key(k);
    if has("toponyms") {
        Some(LayerKind::Places)
    } else if has("timexes") {
        Some(LayerKind::Times)
    } else if has("quotes") {
        Some(LayerKind::Quotes)
    } else if has("tokens") && has("entities") {
        Some(LayerKind::Entities)
    } else if has("expected_events") {
        Some(LayerKind::Events)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_of_a_document_are_read_together_and_scored_apart() {
        let input = |id: &str, text: &str| EvalInput {
            id: id.into(),
            text: text.into(),
            published: None,
            title: None,
        };
        let parts = [input("s1", "Kyiv said"), input("s2", "Лев Толстой")];
        let (whole, starts) = join_parts(&parts);
        assert_eq!(
            (whole.id.as_str(), whole.text.as_str()),
            ("s1", "Kyiv said\n\nЛев Толстой")
        );
        assert_eq!(starts, [0, 11]);
        let mut doc = whole.to_doc();
        let ent = |start, end| sitrep_core::Entity {
            start,
            end,
            text: doc.slice(start, end).to_string(),
            by: "test".into(),
            kind: sitrep_core::EntityType::Person,
            canonical: String::new(),
            role: None,
            affiliation: None,
        };
        let (a, b) = (ent(0, 4), ent(11, 22));
        doc.entities = vec![a, b];
        let second = part_of(&doc, &parts[1], starts[1]);
        assert_eq!(second.entities.len(), 1);
        assert_eq!((second.entities[0].start, second.entities[0].end), (0, 11));
        assert_eq!(second.slice(0, 11), "Лев Толстой");
    }
    use serde_json::json;

    #[test]
    fn detects_layers_from_keys() {
        let cases = [
            (
                json!({"id": "a", "text": "", "toponyms": []}),
                Some(LayerKind::Places),
            ),
            (
                json!({"id": "a", "dct": "2020-01-01", "timexes": []}),
                Some(LayerKind::Times),
            ),
            (json!({"id": "a", "quotes": []}), Some(LayerKind::Quotes)),
            (
                json!({"tokens": [], "tags": [], "entities": []}),
                Some(LayerKind::Entities),
            ),
            (json!({"entities": []}), None),
            (
                json!({"expected_events": [], "date": "2020-01-01"}),
                Some(LayerKind::Events),
            ),
            (json!({"id": "a", "text": "x"}), None),
            (json!([1, 2]), None),
        ];
        for (value, want) in cases {
            assert_eq!(detect(&value), want, "{value}");
        }
    }

    #[test]
    fn layer_names_round_trip() {
        for kind in LayerKind::ALL {
            assert_eq!(kind.to_string().parse::<LayerKind>(), Ok(kind));
        }
        assert_eq!("NER".parse::<LayerKind>(), Ok(LayerKind::Entities));
        assert!("claims".parse::<LayerKind>().is_err());
    }

    #[test]
    fn input_becomes_a_doc() {
        let input = EvalInput {
            id: "x".into(),
            text: "«Київ» now".into(),
            published: Some("1998-03-01T14:11".into()),
            title: Some("T".into()),
        };
        let doc = input.to_doc();
        assert_eq!(doc.len_chars(), 10);
        assert_eq!(doc.published.unwrap().to_string(), "1998-03-01");
        assert_eq!(doc.published_source, PublishedSource::Metadata);
        assert_eq!(doc.title.as_deref(), Some("T"));
        let bad = EvalInput {
            published: Some("March 1998".into()),
            ..input
        };
        assert_eq!(bad.to_doc().published, None);
        assert_eq!(bad.to_doc().published_source, PublishedSource::None);
    }

    #[test]
    fn parse_line_reports_errors() {
        let v: Result<serde_json::Value, String> = parse_line("{\"a\": 1}\n");
        assert!(v.is_ok());
        let e: Result<serde_json::Value, String> = parse_line("{\"a\": ");
        assert!(e.is_err());
    }
}
