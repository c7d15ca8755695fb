//! The `times` stage: every date and time expression, normalised as TIMEX3
//! against the publication date.
//!
//! Reads `sentences` and `tokens`, assigns `times`. Each [`Time`] carries
//! its TIMEX3 type (DATE, TIME, DURATION, SET), value (`2023-10-30`,
//! `2023-06`, `P20M`, `PT36H`, `PRESENT_REF`…), modifier (APPROX, START,
//! MORE_THAN…) and `by` = `times/<rule>`, the grammar rule that matched
//! (see [`grammar`]).
//!
//! Normalisation is news-style: relative expressions ("today", "last
//! week", "In June") are anchored on the publication date with a past bias
//! unless the sentence speaks of the future; anaphoric ones ("a year
//! earlier", "the next day") on the last date the document mentioned.
//! Without a publication date, anchored values keep `X` for what is unknown
//! (`XXXX-XX-XX`). The [`PublicationDate`] stage, run before this one, fills
//! the publication date from a dateline or from dates in the text when the
//! input gave none.
//!
//! ```
//! use sitrep_core::{Doc, Stage};
//!
//! let mut doc = Doc::new("d", "In June, the brigade retreated. Talks resume in the last 36 hours, he said on Monday.");
//! doc.published = Some("2023-10-30".parse().unwrap());
//! sitrep_text::Segmenter::new().run(&mut doc);
//! sitrep_times::Times.run(&mut doc);
//! let values: Vec<(&str, &str)> = doc.times.iter().map(|t| (t.text.as_str(), t.value.as_str())).collect();
//! assert_eq!(values, [("June", "2023-06"), ("the last 36 hours", "PT36H"), ("Monday", "2023-10-30")]);
//! ```
#![deny(missing_docs)]

pub mod grammar;
pub mod point;
pub mod published;
pub mod words;

pub use published::PublicationDate;

use sitrep_core::{Doc, Layer, Stage, Time};

use grammar::{Ctx, Grammar};

/// The times stage.
#[derive(Debug, Clone, Copy, Default)]
pub struct Times;

/// Modal verbs that put a sentence in the future for anchoring ("will
/// meet on Friday" is the coming Friday). Weaker cues ("expected",
/// "plans") proved wrong as often as right on news, so they are left out.
const FUTURE_MARKERS: &[&str] = &["will", "'ll", "shall", "wo"];

impl Stage for Times {
    fn name(&self) -> &'static str {
        "times"
    }
    fn requires(&self) -> &'static [Layer] {
        &[Layer::Sentences, Layer::Tokens]
    }
    fn assigns(&self) -> &'static [Layer] {
        &[Layer::Times]
    }
    fn run(&self, doc: &mut Doc) {
        let mut reference = None;
        let mut times = Vec::new();
        let mut next_token = 0;
        for s in &doc.sentences {
            let toks = doc.sentence_tokens(s, &mut next_token);
            let future = toks.iter().any(|t| FUTURE_MARKERS.contains(&t.lower));
            let ctx = Ctx {
                dct: doc.published,
                future,
                reference,
            };
            let grammar = Grammar::new(&toks, ctx);
            let hits = grammar.scan(|h| {
                // Only dates fixed by the calendar or the publication date
                // become the reference; comparisons ("a year earlier")
                // point back at it and must not move it.
                if let (Some(p), false) = (
                    h.point,
                    h.rule.starts_with("anaphoric")
                        || matches!(h.rule, "ago" | "year-earlier" | "year-ago-quarter"),
                ) {
                    reference = Some(p);
                }
                Ctx { reference, ..ctx }
            });
            for h in hits {
                let (start, end) = (toks[h.first].start, toks[h.end - 1].end);
                times.push(Time {
                    start,
                    end,
                    text: doc.slice(start, end).to_string(),
                    by: format!("times/{}", h.rule).into(),
                    kind: h.kind,
                    value: h.value,
                    modifier: h.modifier.map(str::to_string),
                });
            }
        }
        doc.times = times;
    }
}
