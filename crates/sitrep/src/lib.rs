//! The `sitrep` command's library half: the default pipeline, the batch
//! runner shared by `extract`, `eval` and `bench`, and the commands themselves.
//!
//! IO lives here and in `sitrep-ingest`; the stages in the other crates are
//! pure. To find which stage produced an output field, read its `by` value:
//! the part before `/` is the stage name listed by [`default_pipeline`].
//!
//! ```
//! let pipeline = sitrep::default_pipeline();
//! let mut doc = sitrep_core::Doc::new("d", "Shoigu spoke in Beijing. He left.");
//! pipeline.run(&mut doc);
//! assert_eq!(doc.sentences.len(), 2);
//! ```
#![deny(missing_docs)]

pub mod batch;
pub mod bench;
pub mod eval;
pub mod extract;
pub mod floors;

use sitrep_core::{Pipeline, Stage};

/// Exit code: every input was processed.
pub const EXIT_OK: u8 = 0;
/// Exit code: some inputs failed and were skipped; all good ones were output.
pub const EXIT_PARTIAL: u8 = 1;
/// Exit code: bad usage or a fatal error (nothing trustworthy was output).
pub const EXIT_FATAL: u8 = 2;
/// Exit code: `eval --floors` found a metric below its recorded floor.
pub const EXIT_BELOW_FLOOR: u8 = 3;

/// The stages sitrep runs, in order. Layer issues add their stage here.
pub fn default_stages() -> Vec<Box<dyn Stage>> {
    vec![
        Box::new(sitrep_text::LanguageId),
        Box::new(sitrep_text::Segmenter::new()),
        Box::new(sitrep_quotes::Quotes::new()),
        Box::new(sitrep_times::PublicationDate),
        Box::new(sitrep_times::Times),
        Box::new(sitrep_claims::Claims::new()),
    ]
}

/// The default pipeline. Its contract is checked by a unit test, so building
/// it cannot fail at run time.
pub fn default_pipeline() -> Pipeline {
    match Pipeline::new(default_stages()) {
        Ok(p) => p,
        Err(e) => unreachable!("default pipeline violates its contract: {e}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn default_pipeline_contract_holds() {
        assert!(sitrep_core::Pipeline::new(super::default_stages()).is_ok());
    }
}
