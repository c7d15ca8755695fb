//! `sitrep load`: the Spark backfill's Parquet output into a store
//! (PostgreSQL for teams, or SQLite).
//!
//! The backfill decided everything — article ids, duplicate groups, event
//! clusters — with the store's own code; the load writes those decisions
//! rather than making them again (docs/scale-out.md):
//!
//! 1. `clusters/*.parquet` → the clusters, under their ids;
//! 2. `events/**/*.parquet` → each mention's cluster, and its event id: the
//!    store numbers events in ingest order (article id, then index), so the
//!    ids are the ranks of `(article_id, idx)`;
//! 3. `documents/**/*.parquet` → the articles and every layer, a batch per
//!    transaction, in file order (day partitions are not in id order);
//! 4. then what each copy copies (`dup_of`), once every article is in.
//!
//! A re-run skips what is stored already (same id, same key), so an
//! interrupted load is completed by running it again.

use std::collections::HashMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use arrow_array::{Array, Float64Array, Int32Array, Int64Array, RecordBatch, StringArray};
use clap::Args;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use sitrep_store::query::ClusterRow;
use sitrep_store::{BatchReport, DupKind, Duplicate, LoadedDoc, Store};

use crate::{EXIT_FATAL, EXIT_OK, EXIT_PARTIAL};

/// Arguments of `sitrep load`.
#[derive(Debug, Args)]
pub struct LoadArgs {
    /// The backfill's output directory (holding documents/, events/,
    /// clusters/).
    pub dir: PathBuf,
    /// The store (a `postgres://` URL or an SQLite file; default
    /// $SITREP_DB, else var/sitrep.db); created if missing.
    #[arg(long)]
    pub db: Option<String>,
    /// Documents per transaction.
    #[arg(long, default_value_t = 200)]
    pub batch: usize,
}

/// Runs `sitrep load`.
pub fn run(args: &LoadArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let db = crate::store::db_location(args.db.as_deref());
    let mut store = match crate::store::open(&db, true, err) {
        Ok(s) => s,
        Err(code) => return code,
    };
    match load(args, &mut store, err) {
        Ok((report, clusters, bad)) => {
            let _ = writeln!(
                out,
                "{}",
                serde_json::json!({
                    "db": db.to_string(),
                    "added": report.added,
                    "already_stored": report.already_stored,
                    "events": report.events,
                    "clusters_added": clusters,
                    "failed": bad,
                })
            );
            let _ = writeln!(
                err,
                "sitrep: loaded {} into {db}: {} articles added, {} already stored, {} event mentions, {clusters} clusters",
                args.dir.display(),
                report.added,
                report.already_stored,
                report.events
            );
            if bad > 0 {
                EXIT_PARTIAL
            } else {
                EXIT_OK
            }
        }
        Err(e) => {
            let _ = writeln!(err, "sitrep: error: {e}");
            EXIT_FATAL
        }
    }
}

/// The Parquet files under `dir`, sorted by path.
fn parquet_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if !dir.is_dir() {
        return Err(format!(
            "{}: no such directory (is this a backfill output?)",
            dir.display()
        ));
    }
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| format!("{}: {e}", d.display()))?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "parquet") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Calls `f` on each record batch of a Parquet file.
fn batches(
    path: &Path,
    mut f: impl FnMut(&RecordBatch) -> Result<(), String>,
) -> Result<(), String> {
    let with = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let file = File::open(path).map_err(|e| with(&e))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .and_then(|b| b.with_batch_size(256).build())
        .map_err(|e| with(&e))?;
    for batch in reader {
        let batch = batch.map_err(|e| with(&e))?;
        f(&batch).map_err(|e| with(&e))?;
    }
    Ok(())
}

/// A column of a batch, as the type it must be.
fn column<'b, T: 'static>(batch: &'b RecordBatch, name: &str) -> Result<&'b T, String> {
    batch
        .column_by_name(name)
        .ok_or_else(|| format!("no column {name}"))?
        .as_any()
        .downcast_ref::<T>()
        .ok_or_else(|| format!("column {name} is not of the expected type"))
}

fn opt_i64(a: &Int64Array, i: usize) -> Option<i64> {
    a.is_valid(i).then(|| a.value(i))
}

fn opt_str(a: &StringArray, i: usize) -> Option<String> {
    a.is_valid(i).then(|| a.value(i).to_string())
}

fn opt_f64(a: &Float64Array, i: usize) -> Option<f64> {
    a.is_valid(i).then(|| a.value(i))
}

fn read_clusters(dir: &Path) -> Result<Vec<ClusterRow>, String> {
    let mut out = Vec::new();
    for file in parquet_files(&dir.join("clusters"))? {
        batches(&file, |b| {
            let s = |n: &str| column::<StringArray>(b, n);
            let i = |n: &str| column::<Int64Array>(b, n);
            let f = |n: &str| column::<Float64Array>(b, n);
            for r in 0..b.num_rows() {
                out.push(ClusterRow {
                    id: i("id")?.value(r),
                    root: s("root")?.value(r).to_string(),
                    cameo: s("cameo")?.value(r).to_string(),
                    modality: s("modality")?.value(r).to_string(),
                    source_country: opt_str(s("source_country")?, r),
                    target_country: opt_str(s("target_country")?, r),
                    country: opt_str(s("country")?, r),
                    place_name: opt_str(s("place_name")?, r),
                    lat: opt_f64(f("lat")?, r),
                    lon: opt_f64(f("lon")?, r),
                    date_first: opt_str(s("date_first")?, r),
                    date_last: opt_str(s("date_last")?, r),
                    num_mentions: i("num_mentions")?.value(r),
                    num_articles: i("num_articles")?.value(r),
                    num_sources: i("num_sources")?.value(r),
                    first_seen: opt_str(s("first_seen")?, r),
                    last_seen: opt_str(s("last_seen")?, r),
                });
            }
            Ok(())
        })?;
    }
    out.sort_by_key(|c| c.id);
    Ok(out)
}

/// Each article's events: (index, cluster, store event id).
type ArticleEvents = HashMap<i64, Vec<(usize, Option<i64>, i64)>>;

fn read_events(dir: &Path) -> Result<ArticleEvents, String> {
    let mut all: Vec<(i64, usize, Option<i64>)> = Vec::new();
    for file in parquet_files(&dir.join("events"))? {
        batches(&file, |b| {
            let article = column::<Int64Array>(b, "article_id")?;
            let idx = column::<Int32Array>(b, "idx")?;
            let cluster = column::<Int64Array>(b, "cluster_id")?;
            for r in 0..b.num_rows() {
                let a = opt_i64(article, r).ok_or("an event without article_id")?;
                all.push((a, idx.value(r).max(0) as usize, opt_i64(cluster, r)));
            }
            Ok(())
        })?;
    }
    all.sort_unstable_by_key(|&(a, i, _)| (a, i));
    let mut out: ArticleEvents = HashMap::new();
    for (rank, (a, i, c)) in all.into_iter().enumerate() {
        out.entry(a).or_default().push((i, c, rank as i64 + 1));
    }
    Ok(out)
}

fn load(
    args: &LoadArgs,
    store: &mut Store,
    err: &mut dyn Write,
) -> Result<(BatchReport, u64, u64), String> {
    let dir = &args.dir;
    let clusters = read_clusters(dir)?;
    let added_clusters = store.load_clusters(&clusters).map_err(|e| e.to_string())?;
    let events = read_events(dir)?;
    let mut report = BatchReport::default();
    let mut links: Vec<(i64, i64)> = Vec::new();
    let mut bad = 0u64;
    let mut pending: Vec<LoadedDoc> = Vec::new();
    let flush = |pending: &mut Vec<LoadedDoc>,
                 store: &mut Store,
                 report: &mut BatchReport|
     -> Result<(), String> {
        if !pending.is_empty() {
            report.absorb(store.load(pending).map_err(|e| e.to_string())?);
            pending.clear();
        }
        Ok(())
    };
    for file in parquet_files(&dir.join("documents"))? {
        let mut rows: Vec<LoadedDoc> = Vec::new();
        batches(&file, |b| {
            let id = column::<Int64Array>(b, "article_id")?;
            let doc = column::<StringArray>(b, "doc")?;
            let group = column::<Int64Array>(b, "dup_group")?;
            let kind = column::<StringArray>(b, "dup_kind")?;
            let of = column::<Int64Array>(b, "dup_of")?;
            let sim = column::<Float64Array>(b, "dup_similarity")?;
            for r in 0..b.num_rows() {
                let Some(article) = opt_i64(id, r) else {
                    bad += 1;
                    let _ = writeln!(
                        err,
                        "sitrep: error: {}: row {r}: no article_id",
                        file.display()
                    );
                    continue;
                };
                let parsed = match sitrep_store::parse_doc(article, doc.value(r)) {
                    Ok(d) => d,
                    Err(e) => {
                        bad += 1;
                        let _ = writeln!(err, "sitrep: error: {}: {e}", file.display());
                        continue;
                    }
                };
                let mut clusters = vec![None; parsed.events.len()];
                let mut event_ids = Vec::with_capacity(parsed.events.len());
                for &(i, c, eid) in events.get(&article).map_or(&[][..], Vec::as_slice) {
                    if let Some(slot) = clusters.get_mut(i) {
                        *slot = c;
                    }
                    event_ids.push(eid);
                }
                if event_ids.len() != parsed.events.len() {
                    return Err(format!(
                        "article {article}: {} events in its document, {} in events/",
                        parsed.events.len(),
                        event_ids.len()
                    ));
                }
                let dup = Duplicate {
                    kind: DupKind::parse(kind.value(r)).unwrap_or(DupKind::Original),
                    of: opt_i64(of, r),
                    group: opt_i64(group, r),
                    similarity: opt_f64(sim, r),
                };
                if let Some(o) = dup.of {
                    links.push((article, o));
                }
                rows.push(LoadedDoc {
                    id: article,
                    doc: parsed,
                    dup,
                    clusters,
                    event_ids,
                });
            }
            Ok(())
        })?;
        for row in rows {
            pending.push(row);
            if pending.len() >= args.batch.max(1) {
                flush(&mut pending, store, &mut report)?;
            }
        }
    }
    flush(&mut pending, store, &mut report)?;
    store.link_duplicates(&links).map_err(|e| e.to_string())?;
    Ok((report, added_clusters, bad))
}
