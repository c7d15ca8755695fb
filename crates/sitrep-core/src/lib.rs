//! The document model every sitrep stage reads and writes.
//!
//! A [`Doc`] is the plain text of one article plus *stand-off* annotation
//! layers: sentences, tokens, entities, places, times, quotes, claims and
//! events. Every annotation records where it came from twice over: its span
//! (`start`/`end` in Unicode code points into [`Doc::text`], the way Python and
//! spaCy count) and `by`, the stage and rule, lexicon entry or model that
//! produced it. The JSON form of a `Doc` is the product's output contract,
//! versioned as [`SCHEMA`] and described in `docs/output-format.md` and
//! `schema/sitrep-1.schema.json`.
//!
//! Work is done by [`Stage`]s assembled into a [`Pipeline`]. A stage declares
//! which layers it [`requires`](Stage::requires) and which it
//! [`assigns`](Stage::assigns) (as spaCy components do); the pipeline checks
//! that contract when it is built, so a mis-ordered pipeline fails at start-up,
//! not with empty output. Stages are pure functions of the document and of
//! read-only resources shared across threads: this crate does no IO.
//!
//! ```
//! use sitrep_core::{Doc, Layer, Pipeline, Sentence, Stage};
//!
//! /// A toy stage: the whole text is one sentence.
//! struct OneSentence;
//! impl Stage for OneSentence {
//!     fn name(&self) -> &'static str { "one-sentence" }
//!     fn requires(&self) -> &'static [Layer] { &[] }
//!     fn assigns(&self) -> &'static [Layer] { &[Layer::Sentences] }
//!     fn run(&self, doc: &mut Doc) {
//!         let end = doc.len_chars();
//!         let s = Sentence::new(doc, 0, end, "one-sentence/whole-text");
//!         doc.sentences.push(s);
//!     }
//! }
//!
//! let pipeline = Pipeline::new(vec![Box::new(OneSentence)]).unwrap();
//! let mut doc = Doc::new("d1", "Kyiv – a city.");
//! pipeline.run(&mut doc);
//! assert_eq!(doc.sentences[0].end, 14); // code points, not bytes
//! assert_eq!(doc.slice(7, 13), "a city");
//! ```
#![deny(missing_docs)]

mod date;
mod doc;
mod layers;
mod offsets;
mod pipeline;

pub use date::{days_in_month, Date, DateError};
pub use doc::{Doc, PublishedSource, SCHEMA};
pub use layers::*;
pub use offsets::CharIndex;
pub use pipeline::{ContractError, Layer, Pipeline, Stage, StageTiming};
