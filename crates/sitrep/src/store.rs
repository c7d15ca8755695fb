//! `sitrep ingest`, `sitrep search` and `sitrep query`: the store from the
//! command line. The store itself is `sitrep-store`.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use sitrep_core::Date;
use sitrep_ingest::{IngestOptions, InputFormat, RawDoc};
use sitrep_store::{dedupe, BatchReport, Location, Store};

use crate::batch::{par_map_ordered, thread_pool, BATCH_SIZE};
use crate::extract::{annotate, parse_date, parse_input_format};
use crate::{EXIT_FATAL, EXIT_OK, EXIT_PARTIAL};

/// The store used when neither `--db` nor `$SITREP_DB` says otherwise.
pub const DEFAULT_DB: &str = "var/sitrep.db";

/// Where the store is: `--db`, else `$SITREP_DB`, else [`DEFAULT_DB`]; a
/// `postgres://` URL is a PostgreSQL store, anything else an SQLite file.
pub fn db_location(explicit: Option<&str>) -> Location {
    let given = explicit
        .map(str::to_string)
        .or_else(|| std::env::var("SITREP_DB").ok())
        .unwrap_or_else(|| DEFAULT_DB.to_string());
    Location::parse(&given)
}

pub(crate) fn open(db: &Location, create: bool, err: &mut dyn Write) -> Result<Store, u8> {
    if let Some(file) = db.file() {
        if !create && !file.exists() {
            let _ = writeln!(
                err,
                "sitrep: error: {db}: no store there (create one with `sitrep ingest --db {db} PATH…`)",
            );
            return Err(EXIT_FATAL);
        }
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
            if let Err(e) = std::fs::create_dir_all(dir) {
                let _ = writeln!(err, "sitrep: error: {}: cannot create: {e}", dir.display());
                return Err(EXIT_FATAL);
            }
        }
    }
    let opened = if create {
        Store::open_at(db)
    } else {
        match Store::open_read_only_at(db) {
            // A store of an older sitrep: migrate it once, then read.
            Err(sitrep_store::Error::OlderSchema { found, .. }) => {
                let _ = writeln!(
                    err,
                    "sitrep: migrating {db} from schema version {found} to {}",
                    sitrep_store::SCHEMA_VERSION
                );
                Store::open_at(db).and_then(|_| Store::open_read_only_at(db))
            }
            other => other,
        }
    };
    opened.map_err(|e| {
        let _ = writeln!(err, "sitrep: error: {e}");
        EXIT_FATAL
    })
}

/// Arguments of `sitrep ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files or directories (read recursively); `-` reads stdin.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The store (default: $SITREP_DB, else var/sitrep.db); created if missing.
    #[arg(long)]
    pub db: Option<String>,
    /// The gazetteer index directory (as for `extract`).
    #[arg(long)]
    pub gazetteer: Option<PathBuf>,
    /// Input format; `auto` decides by file extension, then by content.
    #[arg(long, default_value = "auto", value_parser = parse_input_format)]
    pub input_format: InputFormat,
    /// Publication date (YYYY-MM-DD) for every document.
    #[arg(long, value_parser = parse_date)]
    pub published: Option<Date>,
    /// Worker threads for annotation (0 = one per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    pub jobs: usize,
    /// Documents per transaction.
    #[arg(long, default_value_t = BATCH_SIZE)]
    pub batch: usize,
    /// Largest document accepted, in bytes.
    #[arg(long, default_value_t = 10 * 1024 * 1024)]
    pub max_bytes: usize,
    /// Hide the progress bar (it shows only when stderr is a terminal).
    #[arg(long)]
    pub quiet: bool,
    /// Print the closing summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Runs `sitrep ingest`.
pub fn ingest(args: &IngestArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let db = db_location(args.db.as_deref());
    let res = match crate::load_resources(args.gazetteer.as_deref(), err) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let mut store = match open(&db, true, err) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let pipeline = crate::default_pipeline(&res);
    let pool = match thread_pool(args.jobs) {
        Ok(p) => p,
        Err(e) => {
            let _ = writeln!(err, "sitrep: error: {e}");
            return EXIT_FATAL;
        }
    };
    let opts = IngestOptions {
        format: args.input_format,
        max_bytes: args.max_bytes,
        ..IngestOptions::default()
    };
    let progress = (!args.quiet && io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {pos} documents read, {msg} [{elapsed}] {per_sec}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        bar
    });
    let mut total = BatchReport::default();
    let mut read = 0u64;
    let mut failures = 0u64;
    let mut batch: Vec<RawDoc> = Vec::new();
    let batch_size = args.batch.max(1);

    let mut flush = |batch: &mut Vec<RawDoc>,
                     total: &mut BatchReport,
                     failures: &mut u64,
                     err: &mut dyn Write|
     -> Result<(), String> {
        let raws = std::mem::take(batch);
        // Articles stored already are not annotated again.
        let mut fresh = Vec::with_capacity(raws.len());
        for raw in raws {
            let key = dedupe::article_key(raw.url.as_deref().unwrap_or(&raw.id), &raw.text);
            if store.contains_key(&key).map_err(|e| e.to_string())? {
                total.already_stored += 1;
            } else {
                fresh.push(raw);
            }
        }
        let published = args.published;
        let results = pool.install(|| {
            par_map_ordered(fresh, |raw| {
                annotate(&pipeline, raw, published).map(|mut doc| {
                    doc.tokens.clear();
                    doc
                })
            })
        });
        let mut docs = Vec::with_capacity(results.len());
        for r in results {
            match r {
                Ok(doc) => docs.push(doc),
                Err(e) => {
                    *failures += 1;
                    report(err, progress.as_ref(), &e);
                }
            }
        }
        let done = store.ingest(&docs).map_err(|e| e.to_string())?;
        total.absorb(done);
        Ok(())
    };

    let paths = args.paths.clone();
    let mut fatal: Option<String> = None;
    'inputs: for input in sitrep_ingest::expand_inputs(&paths) {
        let items = match input {
            Ok(path) if path.as_os_str() == "-" => sitrep_ingest::read_stdin(&opts),
            Ok(path) => sitrep_ingest::read_path(&path, &opts),
            Err(e) => {
                failures += 1;
                report(err, progress.as_ref(), &e.to_string());
                continue;
            }
        };
        for item in items {
            match item {
                Ok(raw) => {
                    read += 1;
                    batch.push(raw);
                    if batch.len() >= batch_size {
                        if let Err(e) = flush(&mut batch, &mut total, &mut failures, err) {
                            fatal = Some(e);
                            break 'inputs;
                        }
                        if let Some(bar) = &progress {
                            bar.set_position(read);
                            bar.set_message(progress_message(&total, failures));
                        }
                    }
                }
                Err(e) => {
                    failures += 1;
                    report(err, progress.as_ref(), &e.to_string());
                }
            }
        }
    }
    if fatal.is_none() {
        if let Err(e) = flush(&mut batch, &mut total, &mut failures, err) {
            fatal = Some(e);
        }
    }
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    if let Some(e) = fatal {
        let _ = writeln!(
            err,
            "sitrep: error: {e}; the batch in progress was rolled back, {} documents stored before it are kept",
            total.added
        );
        return EXIT_FATAL;
    }
    let counts = store.counts().ok();
    let _ = writeln!(
        err,
        "sitrep: {read} documents read into {}: {} added ({} exact copies, {} near-duplicates), \
         {} already stored, {failures} failed; {} event mentions, {} new clusters",
        db,
        total.added,
        total.exact_copies,
        total.near_duplicates,
        total.already_stored,
        total.events,
        total.new_clusters,
    );
    if args.json {
        let summary = json!({
            "db": db.to_string(),
            "read": read,
            "added": total.added,
            "exact_copies": total.exact_copies,
            "near_duplicates": total.near_duplicates,
            "already_stored": total.already_stored,
            "failed": failures,
            "events": total.events,
            "new_clusters": total.new_clusters,
            "store": counts.map(counts_json),
        });
        let _ = writeln!(out, "{summary}");
    }
    if failures > 0 {
        EXIT_PARTIAL
    } else {
        EXIT_OK
    }
}

/// The store's row counts as JSON (`ingest --json`, `query counts`).
pub(crate) fn counts_json(c: sitrep_store::Counts) -> serde_json::Value {
    json!({
        "articles": c.articles, "dup_groups": c.dup_groups, "entities": c.entities,
        "places": c.places, "times": c.times, "quotes": c.quotes, "claims": c.claims,
        "events": c.events, "clusters": c.clusters,
    })
}

fn progress_message(total: &BatchReport, failures: u64) -> String {
    format!(
        "{} added, {} duplicates, {} already stored, {failures} failed",
        total.added,
        total.exact_copies + total.near_duplicates,
        total.already_stored
    )
}

fn report(err: &mut dyn Write, bar: Option<&ProgressBar>, message: &str) {
    match bar {
        Some(bar) => bar.suspend(|| {
            let _ = writeln!(err, "sitrep: {message}");
        }),
        None => {
            let _ = writeln!(err, "sitrep: {message}");
        }
    }
}

/// Arguments of `sitrep search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// FTS5 query: words, "a phrase", AND/OR/NOT, prefix*.
    pub query: String,
    /// The store (default: $SITREP_DB, else var/sitrep.db).
    #[arg(long)]
    pub db: Option<String>,
    /// Most results.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// JSON lines instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs `sitrep search`.
pub fn search(args: &SearchArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let store = match open(&db_location(args.db.as_deref()), false, err) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let hits = match store.search(&args.query, args.limit) {
        Ok(h) => h,
        Err(e) => {
            let _ = writeln!(err, "sitrep: error: {e}");
            return EXIT_FATAL;
        }
    };
    for h in &hits {
        let line = if args.json {
            json!({
                "article": h.article, "id": h.doc_id, "title": h.title, "published": h.published,
                "source": h.source, "snippet": h.snippet, "rank": h.rank,
            })
            .to_string()
        } else {
            format!(
                "{}\t{}\t{}\t{}\t{}",
                h.published.as_deref().unwrap_or("-"),
                h.source,
                h.doc_id,
                h.title.as_deref().unwrap_or("-"),
                h.snippet.replace('\n', " ")
            )
        };
        if writeln!(out, "{line}").is_err() {
            return EXIT_OK;
        }
    }
    if hits.is_empty() && !args.json {
        let _ = writeln!(err, "sitrep: no article matches {:?}", args.query);
    }
    EXIT_OK
}
