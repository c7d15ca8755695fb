//! Time expressions: TempEval-3 Task A (extent, type and value).
//!
//! Gold: `{id, dct, title, text, timexes:[{start, end, type, value, mod,
//! text}]}`; `dct` is the document creation time and is passed to the
//! pipeline as the publication date. Predictions: the document's `times`
//! layer.
//!
//! Metrics (UzZaman et al. 2013):
//!
//! * **value F1** (the headline) — a hit is a relaxed match (below) whose
//!   normalised TIMEX3 values are equal, compared case-insensitively after
//!   trimming; precision over all system timexes, recall over all gold ones.
//! * **strict P/R/F1** — a hit is an identical extent (one-to-one).
//! * **relaxed P/R/F1** — a hit is an overlapping extent, one-to-one; exact
//!   extents are paired first, then overlaps by decreasing overlap.
//! * **type F1** — a relaxed match with the same TIMEX3 type (DATE, TIME,
//!   DURATION, SET); precision over system timexes, recall over gold.
//!
//! Type and value F1 defined this way equal TempEval-3's "attribute F1"
//! (attribute accuracy over relaxed matches × relaxed F1).

use serde::Deserialize;
use sitrep_core::{Doc, TimexType};

use crate::align::{align_exact, align_spans};
use crate::prf::Prf;
use crate::report::Report;
use crate::{EvalInput, GoldRecord, Scorer};

/// One gold TIMEX3.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TimexGold {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// TIMEX3 type: DATE, TIME, DURATION or SET.
    #[serde(rename = "type")]
    pub kind: String,
    /// TIMEX3 value.
    pub value: String,
    /// TIMEX3 modifier.
    #[serde(default, rename = "mod")]
    pub modifier: Option<String>,
    /// The expression as written.
    #[serde(default)]
    pub text: Option<String>,
}

/// One line of a times gold file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct TimesGold {
    /// Document id.
    pub id: String,
    /// Document creation time, `YYYY-MM-DD[THH:MM[:SS]]`.
    #[serde(default)]
    pub dct: Option<String>,
    /// Headline.
    #[serde(default)]
    pub title: Option<String>,
    /// Text the offsets point into.
    pub text: String,
    /// Gold time expressions.
    pub timexes: Vec<TimexGold>,
}

impl GoldRecord for TimesGold {
    fn input(&self) -> EvalInput {
        EvalInput {
            id: self.id.clone(),
            text: self.text.clone(),
            published: self.dct.clone(),
            title: self.title.clone(),
        }
    }
}

/// The TIMEX3 name of a type, as the gold writes it.
pub fn timex_type_name(kind: TimexType) -> &'static str {
    match kind {
        TimexType::Date => "DATE",
        TimexType::Time => "TIME",
        TimexType::Duration => "DURATION",
        TimexType::Set => "SET",
    }
}

/// Accumulates times metrics; see the [module docs](self).
#[derive(Debug, Clone, Default)]
pub struct TimesScorer {
    docs: u64,
    strict: Prf,
    relaxed: Prf,
    kind: Prf,
    value: Prf,
}

impl Scorer for TimesScorer {
    type Gold = TimesGold;

    fn add(&mut self, gold: &TimesGold, predicted: &Doc) {
        self.docs += 1;
        let g: Vec<(usize, usize)> = gold.timexes.iter().map(|t| (t.start, t.end)).collect();
        let p: Vec<(usize, usize)> = predicted.times.iter().map(|t| (t.start, t.end)).collect();
        let (ng, np) = (g.len() as u64, p.len() as u64);
        self.strict += Prf::new(align_exact(&g, &p).len() as u64, ng, np);
        let relaxed = align_spans(&g, &p);
        self.relaxed += Prf::new(relaxed.len() as u64, ng, np);
        let (mut kind_hits, mut value_hits) = (0, 0);
        for &(gi, pi) in &relaxed {
            let (gt, pt) = (&gold.timexes[gi], &predicted.times[pi]);
            if gt
                .kind
                .trim()
                .eq_ignore_ascii_case(timex_type_name(pt.kind))
            {
                kind_hits += 1;
            }
            if gt.value.trim().to_lowercase() == pt.value.trim().to_lowercase() {
                value_hits += 1;
            }
        }
        self.kind += Prf::new(kind_hits, ng, np);
        self.value += Prf::new(value_hits, ng, np);
    }

    fn report(&self) -> Report {
        let mut r = Report::new("times");
        r.push_prf("value", &self.value);
        r.push_prf("strict", &self.strict);
        r.push_prf("relaxed", &self.relaxed);
        r.push_prf("type", &self.kind);
        r.push_count("gold timexes", self.relaxed.gold);
        r.push_count("predicted timexes", self.relaxed.pred);
        r.push_count("documents", self.docs);
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_core::Time;

    fn time(doc: &Doc, start: usize, end: usize, kind: TimexType, value: &str) -> Time {
        Time {
            start,
            end,
            text: doc.slice(start, end).to_string(),
            by: "test".into(),
            kind,
            value: value.into(),
            modifier: None,
        }
    }

    // Invented: "On Monday the talks lasted 36 hours, officials said in May."
    //            0123456789012345678901234567890123456789012345678901234567
    const LINE: &str = r#"{"id": "t1", "dct": "2023-10-31T09:00", "title": null,
        "text": "On Monday the talks lasted 36 hours, officials said in May.",
        "timexes": [
          {"start": 3, "end": 9, "type": "DATE", "value": "2023-10-30", "mod": null, "text": "Monday"},
          {"start": 27, "end": 35, "type": "DURATION", "value": "PT36H", "mod": null, "text": "36 hours"},
          {"start": 55, "end": 58, "type": "DATE", "value": "2023-05", "mod": null, "text": "May"}]}"#;

    #[test]
    fn strict_relaxed_type_value() {
        let g: TimesGold = crate::parse_line(LINE).unwrap();
        assert_eq!(g.input().published.as_deref(), Some("2023-10-31T09:00"));
        let mut doc = g.input().to_doc();
        assert_eq!(doc.slice(27, 35), "36 hours");
        assert_eq!(doc.slice(55, 58), "May");
        doc.times = vec![
            // exact extent, right type, value in other case: all hit
            time(&doc, 3, 9, TimexType::Date, "2023-10-30"),
            // "lasted 36 hours": relaxed only; type wrong; value right
            time(&doc, 20, 35, TimexType::Set, "pt36h"),
            // "talks": spurious
            time(&doc, 14, 19, TimexType::Date, "2023-10-30"),
            // May missed
        ];
        let mut s = TimesScorer::default();
        s.add(&g, &doc);
        let r = s.report();
        assert_eq!(r.headline().unwrap().name, "value F1");
        let close = |name: &str, want: f64| {
            let got = r.value(name).unwrap();
            assert!((got - want).abs() < 1e-12, "{name}: {got} != {want}");
        };
        close("strict P", 1.0 / 3.0);
        close("strict R", 1.0 / 3.0);
        close("relaxed P", 2.0 / 3.0);
        close("relaxed R", 2.0 / 3.0);
        close("relaxed F1", 2.0 / 3.0);
        close("type P", 1.0 / 3.0);
        close("type F1", 1.0 / 3.0);
        close("value P", 2.0 / 3.0);
        close("value R", 2.0 / 3.0);
        close("value F1", 2.0 / 3.0);
        close("gold timexes", 3.0);
        close("predicted timexes", 3.0);
    }

    #[test]
    fn exact_match_is_paired_first_for_values() {
        // Gold "Monday" 3..9 and a long prediction 0..12 with a wrong value,
        // plus an exact prediction 3..9 with the right value: the exact pair
        // must win, so value recall is 1.
        let g: TimesGold = crate::parse_line(LINE).unwrap();
        let mut doc = g.input().to_doc();
        doc.times = vec![
            time(&doc, 0, 12, TimexType::Date, "XXXX"),
            time(&doc, 3, 9, TimexType::Date, "2023-10-30"),
        ];
        let mut s = TimesScorer::default();
        let mut only_first = g.clone();
        only_first.timexes.truncate(1);
        s.add(&only_first, &doc);
        let r = s.report();
        assert_eq!(r.value("value R"), Some(1.0));
        assert_eq!(r.value("value P"), Some(0.5));
        assert_eq!(r.value("relaxed P"), Some(0.5), "one-to-one: 1 of 2");
    }

    #[test]
    fn nothing_predicted_and_accumulation() {
        let g: TimesGold = crate::parse_line(LINE).unwrap();
        let empty = g.input().to_doc();
        let mut full = g.input().to_doc();
        full.times = g
            .timexes
            .iter()
            .map(|t| {
                let kind = match t.kind.as_str() {
                    "DURATION" => TimexType::Duration,
                    _ => TimexType::Date,
                };
                time(&full, t.start, t.end, kind, &t.value)
            })
            .collect();
        let mut s = TimesScorer::default();
        s.add(&g, &empty);
        let r = s.report();
        assert_eq!(r.value("value P"), Some(0.0));
        assert_eq!(r.value("value F1"), Some(0.0));
        s.add(&g, &full);
        let r = s.report();
        assert_eq!(r.value("strict P"), Some(1.0));
        assert_eq!(r.value("strict R"), Some(0.5));
        assert_eq!(r.value("type R"), Some(0.5));
        assert_eq!(r.value("documents"), Some(2.0));
    }
}
