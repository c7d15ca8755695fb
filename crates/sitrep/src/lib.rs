//! The `sitrep` command's library half: the default pipeline, the batch
//! runner shared by `extract`, `eval` and `bench`, and the commands themselves.
//!
//! IO lives here and in `sitrep-ingest`; the stages in the other crates are
//! pure. To find which stage produced an output field, read its `by` value:
//! the part before `/` is the stage name listed by [`default_pipeline`].
//!
//! ```
//! // Without a gazetteer the places stage is left out; `Resources::load`
//! // finds the index `./setup` builds.
//! let pipeline = sitrep::default_pipeline(&sitrep::Resources::none());
//! let mut doc = sitrep_core::Doc::new("d", "Shoigu spoke in Beijing. He left.");
//! pipeline.run(&mut doc);
//! assert_eq!(doc.sentences.len(), 2);
//! ```
#![deny(missing_docs)]

pub mod backfill;
pub mod batch;
pub mod bench;
pub mod columnar;
pub mod eval;
pub mod export;
pub mod extract;
pub mod filters;
pub mod floors;
pub mod gazetteer;
pub mod load;
pub mod query;
pub mod serve;
pub mod store;

use std::path::Path;
use std::sync::Arc;

use sitrep_core::{Pipeline, Stage};
use sitrep_gazetteer::Gazetteer;

/// Exit code: every input was processed.
pub const EXIT_OK: u8 = 0;
/// Exit code: some inputs failed and were skipped; all good ones were output.
pub const EXIT_PARTIAL: u8 = 1;
/// Exit code: bad usage or a fatal error (nothing trustworthy was output).
pub const EXIT_FATAL: u8 = 2;
/// Exit code: `eval --floors` found a metric below its recorded floor.
pub const EXIT_BELOW_FLOOR: u8 = 3;

/// The resources stages share: loaded once, then shared by reference by
/// every thread.
#[derive(Debug, Clone, Default)]
pub struct Resources {
    /// The gazetteer index, when one was found; without it the places
    /// stage is left out of the pipeline.
    pub gazetteer: Option<Arc<Gazetteer>>,
}

impl Resources {
    /// No optional resources: the pipeline runs without places.
    pub fn none() -> Resources {
        Resources::default()
    }

    /// Loads the gazetteer from `explicit`, else from where
    /// [`gazetteer::locate`] finds one. An explicit path that does not open
    /// is an error; no index found at all is not (`Ok` without it).
    pub fn load(explicit: Option<&Path>) -> Result<Resources, String> {
        let Some(dir) = gazetteer::locate(explicit) else {
            return Ok(Resources::none());
        };
        match Gazetteer::open(&dir) {
            Ok(g) => Ok(Resources {
                gazetteer: Some(Arc::new(g)),
            }),
            Err(e) => Err(format!("cannot open the gazetteer: {e}")),
        }
    }
}

/// [`Resources::load`] for a command: prints why places are off when no
/// index was found, and the error (returning [`EXIT_FATAL`]) when one does
/// not open.
pub fn load_resources(
    explicit: Option<&Path>,
    err: &mut dyn std::io::Write,
) -> Result<Resources, u8> {
    match Resources::load(explicit) {
        Ok(r) => {
            if r.gazetteer.is_none() {
                let _ = writeln!(
                    err,
                    "sitrep: warning: no gazetteer index found (var/gazetteer or SITREP_GAZETTEER); \
                     the places layer is off. Run ./setup to build it."
                );
            }
            Ok(r)
        }
        Err(e) => {
            let _ = writeln!(err, "sitrep: error: {e}");
            Err(EXIT_FATAL)
        }
    }
}

/// The stages sitrep runs, in order. Layer issues add their stage here.
pub fn default_stages(res: &Resources) -> Vec<Box<dyn Stage>> {
    let mut stages: Vec<Box<dyn Stage>> = vec![
        Box::new(sitrep_text::LanguageId),
        Box::new(sitrep_text::Segmenter::new()),
        Box::new(sitrep_quotes::Quotes::new()),
        Box::new(sitrep_times::PublicationDate),
        Box::new(sitrep_times::Times),
    ];
    if let Some(g) = &res.gazetteer {
        stages.push(Box::new(sitrep_places::Places::new(Arc::clone(g))));
        stages.push(Box::new(sitrep_entities::Entities::new(Arc::clone(g))));
        stages.push(Box::new(sitrep_quotes::Attribution));
        stages.push(Box::new(sitrep_events::Events::new(Arc::clone(g))));
    }
    stages.push(Box::new(sitrep_claims::Claims::new()));
    stages
}

/// The default pipeline. Its contract is checked by a unit test, so building
/// it cannot fail at run time.
pub fn default_pipeline(res: &Resources) -> Pipeline {
    match Pipeline::new(default_stages(res)) {
        Ok(p) => p,
        Err(e) => unreachable!("default pipeline violates its contract: {e}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn default_pipeline_contract_holds() {
        assert!(
            sitrep_core::Pipeline::new(super::default_stages(&super::Resources::none())).is_ok()
        );
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let dir = std::env::temp_dir().join(format!("sitrep-contract-gaz-{}", std::process::id()));
        sitrep_gazetteer::build::build(&sitrep_gazetteer::build::Sources::fixture(&root), &dir)
            .unwrap();
        let res = super::Resources::load(Some(&dir)).unwrap();
        let names = sitrep_core::Pipeline::new(super::default_stages(&res))
            .unwrap()
            .stage_names();
        assert!(names.contains(&"places"), "{names:?}");
        std::fs::remove_dir_all(&dir).ok();
    }
}
