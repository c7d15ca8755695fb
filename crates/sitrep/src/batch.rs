//! Running the pipeline over batches of documents in parallel, in order, and
//! without letting one document's failure take the batch down.

use std::panic::{catch_unwind, AssertUnwindSafe};

use rayon::prelude::*;
use sitrep_core::{Doc, Pipeline};

/// Documents per parallel batch: large enough to keep every core busy,
/// small enough that memory stays bounded on huge inputs.
pub const BATCH_SIZE: usize = 256;

/// Runs `pipeline` on `doc`, turning a panic in a stage into an error value
/// that names the document. A panic is a bug; this keeps the rest of the
/// batch's output and reports the bug instead of aborting.
pub fn run_guarded(pipeline: &Pipeline, doc: &mut Doc) -> Result<(), String> {
    catch_unwind(AssertUnwindSafe(|| pipeline.run(doc))).map_err(|payload| {
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        doc.clear_layers();
        format!("internal error while annotating (a sitrep bug, please report): {msg}")
    })
}

/// Runs `f` on every item in parallel, keeping input order in the output.
pub fn par_map_ordered<T: Send, U: Send>(
    items: Vec<T>,
    f: impl Fn(T) -> U + Sync + Send,
) -> Vec<U> {
    items.into_par_iter().map(f).collect()
}

/// A rayon pool with `jobs` threads (0 = one per core).
pub fn thread_pool(jobs: usize) -> Result<rayon::ThreadPool, String> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| format!("cannot start {jobs} worker threads: {e}"))
}
