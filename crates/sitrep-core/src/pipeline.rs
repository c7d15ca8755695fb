//! Stages and the pipeline that runs them in a checked order.

use std::fmt;
use std::time::{Duration, Instant};

use crate::Doc;

/// A layer of a [`Doc`] that stages read and write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layer {
    /// `Doc::language`.
    Language,
    /// `Doc::published` and `Doc::published_source` when decided from the text.
    Published,
    /// `Doc::sentences`.
    Sentences,
    /// `Doc::tokens`.
    Tokens,
    /// `Doc::entities`.
    Entities,
    /// `Doc::places`.
    Places,
    /// `Doc::times`.
    Times,
    /// `Doc::quotes`.
    Quotes,
    /// In `Doc::quotes`: each speaker's entity-canonical name and `via`,
    /// the source that reports the statement (attribution chains).
    Attribution,
    /// `Doc::claims`.
    Claims,
    /// `Doc::events`.
    Events,
}

/// One step of the pipeline: a pure function of a document and of read-only
/// resources the stage holds by reference.
///
/// The contract: `run` may read only the layers in `requires` (plus the text
/// and metadata) and may write only the layers in `assigns`. It never does IO
/// and never panics on any text.
pub trait Stage: Send + Sync {
    /// Short name, used in `by` fields and benchmark tables.
    fn name(&self) -> &'static str;
    /// Layers that must be present before this stage runs.
    fn requires(&self) -> &'static [Layer];
    /// Layers this stage adds.
    fn assigns(&self) -> &'static [Layer];
    /// Annotates `doc`.
    fn run(&self, doc: &mut Doc);
}

/// A pipeline whose order violates a stage's contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractError {
    /// The stage whose requirement is unmet.
    pub stage: &'static str,
    /// The missing layer.
    pub missing: Layer,
}

impl fmt::Display for ContractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "stage {:?} requires layer {:?}, which no earlier stage assigns",
            self.stage, self.missing
        )
    }
}

impl std::error::Error for ContractError {}

/// Time spent in one stage, for benchmarks.
#[derive(Debug, Clone, Copy, Default)]
pub struct StageTiming {
    /// Wall time spent in the stage.
    pub elapsed: Duration,
    /// Documents it ran on.
    pub docs: u64,
}

/// Stages in an order that satisfies every stage's `requires`.
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
}

impl Pipeline {
    /// Checks the contract and builds the pipeline.
    pub fn new(stages: Vec<Box<dyn Stage>>) -> Result<Pipeline, ContractError> {
        let mut have: Vec<Layer> = Vec::new();
        for stage in &stages {
            if let Some(&missing) = stage.requires().iter().find(|l| !have.contains(l)) {
                return Err(ContractError {
                    stage: stage.name(),
                    missing,
                });
            }
            have.extend_from_slice(stage.assigns());
        }
        Ok(Pipeline { stages })
    }

    /// The stages' names, in order.
    pub fn stage_names(&self) -> Vec<&'static str> {
        self.stages.iter().map(|s| s.name()).collect()
    }

    /// Runs every stage on `doc`.
    pub fn run(&self, doc: &mut Doc) {
        for stage in &self.stages {
            stage.run(doc);
        }
    }

    /// Runs every stage on `doc`, adding each stage's time to `timings`
    /// (indexed like [`Pipeline::stage_names`]).
    pub fn run_timed(&self, doc: &mut Doc, timings: &mut [StageTiming]) {
        for (stage, timing) in self.stages.iter().zip(timings.iter_mut()) {
            let t0 = Instant::now();
            stage.run(doc);
            timing.elapsed += t0.elapsed();
            timing.docs += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake(&'static str, &'static [Layer], &'static [Layer]);
    impl Stage for Fake {
        fn name(&self) -> &'static str {
            self.0
        }
        fn requires(&self) -> &'static [Layer] {
            self.1
        }
        fn assigns(&self) -> &'static [Layer] {
            self.2
        }
        fn run(&self, _: &mut Doc) {}
    }

    #[test]
    fn contract_is_checked_in_order() {
        let seg = || Box::new(Fake("segment", &[], &[Layer::Sentences])) as Box<dyn Stage>;
        let ner = || {
            Box::new(Fake("entities", &[Layer::Sentences], &[Layer::Entities])) as Box<dyn Stage>
        };
        assert!(Pipeline::new(vec![seg(), ner()]).is_ok());
        let err = Pipeline::new(vec![ner(), seg()]).err().unwrap();
        assert_eq!(err.stage, "entities");
        assert_eq!(err.missing, Layer::Sentences);
        assert!(err.to_string().contains("requires layer Sentences"));
    }
}
