//! `sitrep bench`: throughput per stage and end to end, with a baseline
//! measured in the same run.
//!
//! The corpus is whatever the paths hold (the repository's `examples/` by
//! default), repeated until it reaches `--min-mb` of text so timings are not
//! dominated by noise. Figures:
//! - `baseline`: splitting the text on whitespace, single thread — the cost
//!   of touching every byte once; every other row gives its ratio to it;
//! - one row per stage, single thread, from `Pipeline::run_timed`;
//! - `pipeline (1 thread)` and `end to end (N threads)`: annotate and
//!   serialise to JSON, the work `extract` does after reading;
//! - peak resident memory of the process (VmHWM).

use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;
use serde::Serialize;
use sitrep_core::{Doc, StageTiming};
use sitrep_ingest::{IngestOptions, RawDoc};

use crate::batch::{par_map_ordered, thread_pool, BATCH_SIZE};
use crate::extract::{serialize, OutputFormat};
use crate::{EXIT_FATAL, EXIT_OK};

/// Arguments of `sitrep bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The gazetteer index directory (default: $SITREP_GAZETTEER, else
    /// var/gazetteer as ./setup builds it).
    #[arg(long)]
    pub gazetteer: Option<PathBuf>,
    /// Corpus files or directories (default: `examples`).
    pub paths: Vec<PathBuf>,
    /// Repeat the corpus until it holds at least this many MB of text.
    #[arg(long, default_value_t = 8.0)]
    pub min_mb: f64,
    /// Worker threads for the end-to-end row (0 = one per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    pub jobs: usize,
    /// Print the figures as JSON.
    #[arg(long)]
    pub json: bool,
}

/// One row of the benchmark table.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// What was measured.
    pub name: String,
    /// Threads used.
    pub threads: usize,
    /// Seconds spent.
    pub seconds: f64,
    /// Documents per second.
    pub docs_per_s: f64,
    /// Megabytes (10^6 bytes of UTF-8 text) per second.
    pub mb_per_s: f64,
    /// Words (whitespace-separated) per second.
    pub words_per_s: f64,
    /// Time relative to the baseline's (1.0 = as fast as the baseline).
    pub x_baseline: f64,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    /// Documents in the (repeated) corpus.
    pub documents: usize,
    /// Bytes of text.
    pub bytes: usize,
    /// Words of text.
    pub words: usize,
    /// Seconds spent reading and converting the inputs (once, not repeated).
    pub ingest_seconds: f64,
    /// Rows.
    pub rows: Vec<Row>,
    /// Peak resident set size in MiB, if the platform tells.
    pub peak_rss_mib: Option<f64>,
    /// Milliseconds to open (memory-map and check) the gazetteer index,
    /// when there is one.
    pub gazetteer_open_ms: Option<f64>,
}

/// Runs `sitrep bench`.
pub fn run(args: &BenchArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let t = Instant::now();
    let res = match crate::load_resources(args.gazetteer.as_deref(), err) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let gazetteer_open_ms = res
        .gazetteer
        .is_some()
        .then(|| t.elapsed().as_secs_f64() * 1e3);
    match measure(args, &res, gazetteer_open_ms) {
        Ok(report) => {
            let text = if args.json {
                serde_json::to_string_pretty(&report).unwrap_or_default()
            } else {
                render(&report)
            };
            let _ = writeln!(out, "{text}");
            EXIT_OK
        }
        Err(e) => {
            let _ = writeln!(err, "sitrep: error: {e}");
            EXIT_FATAL
        }
    }
}

/// Measures; the figures are returned, not printed.
pub fn measure(
    args: &BenchArgs,
    res: &crate::Resources,
    gazetteer_open_ms: Option<f64>,
) -> Result<BenchReport, String> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("examples")]
    } else {
        args.paths.clone()
    };
    let t0 = Instant::now();
    let opts = IngestOptions::default();
    let mut raws: Vec<RawDoc> = Vec::new();
    for input in sitrep_ingest::expand_inputs(&paths) {
        let path = input.map_err(|e| e.to_string())?;
        for item in sitrep_ingest::read_path(&path, &opts) {
            // A benchmark corpus should be clean: say which input is not.
            raws.push(item.map_err(|e| format!("bench corpus: {e}"))?);
        }
    }
    let ingest_seconds = t0.elapsed().as_secs_f64();
    if raws.is_empty() {
        return Err(format!("no documents in {paths:?}"));
    }
    let one_pass: usize = raws.iter().map(|r| r.text.len()).sum();
    let repeat = ((args.min_mb * 1e6) / one_pass.max(1) as f64)
        .ceil()
        .max(1.0) as usize;
    let texts: Vec<String> = (0..repeat)
        .flat_map(|_| raws.iter().map(|r| r.text.clone()))
        .collect();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let docs = texts.len();

    // Baseline: touch every byte once.
    let t = Instant::now();
    let words: usize = texts.iter().map(|t| t.split_whitespace().count()).sum();
    let baseline = t.elapsed();

    let pipeline = crate::default_pipeline(res);
    let names = pipeline.stage_names();
    let mut timings = vec![StageTiming::default(); names.len()];
    let t = Instant::now();
    for (i, text) in texts.iter().enumerate() {
        let mut doc = Doc::new(i.to_string(), text.clone());
        pipeline.run_timed(&mut doc, &mut timings);
        let _ = serialize(&doc, OutputFormat::Jsonl);
    }
    let single = t.elapsed();

    let pool = thread_pool(args.jobs)?;
    let threads = pool.current_num_threads();
    let t = Instant::now();
    let out_bytes: usize = pool.install(|| {
        par_map_ordered(texts.clone(), |text| {
            let mut doc = Doc::new("b", text);
            pipeline.run(&mut doc);
            serialize(&doc, OutputFormat::Jsonl).len()
        })
        .into_iter()
        .sum()
    });
    let parallel = t.elapsed();
    std::hint::black_box(out_bytes);

    // Into a store on disk, as `sitrep ingest` does: annotation on every
    // thread, one writer, a transaction per batch. Repeated passes of the
    // corpus are stored as exact copies (ids differ), so the duplicate
    // lookups are exercised too.
    let db = std::env::temp_dir().join(format!("sitrep-bench-{}.db", std::process::id()));
    let remove_db = || {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", db.display()));
        }
    };
    remove_db();
    let t = Instant::now();
    let ingested = {
        let mut store = sitrep_store::Store::open(&db).map_err(|e| e.to_string())?;
        let mut n = 0usize;
        for (b, chunk) in texts.chunks(BATCH_SIZE).enumerate() {
            let docs: Vec<Doc> = pool.install(|| {
                par_map_ordered(chunk.to_vec(), |text| {
                    let mut doc = Doc::new("b", text);
                    pipeline.run(&mut doc);
                    doc
                })
            });
            let docs: Vec<Doc> = docs
                .into_iter()
                .enumerate()
                .map(|(i, mut d)| {
                    d.id = format!("bench-{b}-{i}");
                    d
                })
                .collect();
            n += store.ingest(&docs).map_err(|e| e.to_string())?.added as usize;
        }
        n
    };
    let ingest_store = t.elapsed();
    remove_db();
    std::hint::black_box(ingested);

    let row = |name: String, threads: usize, d: Duration| {
        let s = d.as_secs_f64().max(1e-9);
        Row {
            name,
            threads,
            seconds: s,
            docs_per_s: docs as f64 / s,
            mb_per_s: bytes as f64 / 1e6 / s,
            words_per_s: words as f64 / s,
            x_baseline: s / baseline.as_secs_f64().max(1e-9),
        }
    };
    let mut rows = vec![row("baseline: split on whitespace".into(), 1, baseline)];
    for (name, timing) in names.iter().zip(&timings) {
        rows.push(row(format!("stage {name}"), 1, timing.elapsed));
    }
    rows.push(row("pipeline + JSON (1 thread)".into(), 1, single));
    rows.push(row(
        format!("end to end ({threads} threads)"),
        threads,
        parallel,
    ));
    rows.push(row(
        format!("ingest into SQLite ({threads} threads)"),
        threads,
        ingest_store,
    ));
    Ok(BenchReport {
        documents: docs,
        bytes,
        words,
        ingest_seconds,
        rows,
        peak_rss_mib: peak_rss_mib(),
        gazetteer_open_ms,
    })
}

/// Peak resident set size (VmHWM) from /proc, in MiB.
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn render(r: &BenchReport) -> String {
    let mut s = format!(
        "corpus: {} documents, {:.1} MB, {} words (ingest of one pass: {:.3} s)\n\n",
        r.documents,
        r.bytes as f64 / 1e6,
        r.words,
        r.ingest_seconds
    );
    s.push_str(&format!(
        "{:<34} {:>7} {:>9} {:>11} {:>9} {:>13} {:>11}\n",
        "what", "threads", "seconds", "docs/s", "MB/s", "words/s", "× baseline"
    ));
    for row in &r.rows {
        s.push_str(&format!(
            "{:<34} {:>7} {:>9.3} {:>11.0} {:>9.2} {:>13.0} {:>11.1}\n",
            row.name,
            row.threads,
            row.seconds,
            row.docs_per_s,
            row.mb_per_s,
            row.words_per_s,
            row.x_baseline
        ));
    }
    if let Some(rss) = r.peak_rss_mib {
        s.push_str(&format!("\npeak RSS: {rss:.1} MiB\n"));
    }
    match r.gazetteer_open_ms {
        Some(ms) => s.push_str(&format!("gazetteer index opened in {ms:.1} ms\n")),
        None => s.push_str("no gazetteer index: the places stage was not measured\n"),
    }
    s
}
