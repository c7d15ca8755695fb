//! `sitrep backfill`: the Rust steps of the Spark backfill
//! (`spark/backfill.py`). The Spark driver moves rows between them; every
//! decision — annotation, fingerprints, near-duplicate similarity, event
//! clustering, the Parquet tables' columns — is made here, by the same code
//! as `sitrep ingest` and `sitrep export parquet`, so the backfill's output
//! equals the store's on the same input (docs/scale-out.md).
//!
//! Each step reads JSON lines on stdin and writes JSON lines (or an Arrow
//! IPC stream) on stdout, as `RDD.pipe` and `mapInArrow` hand them over:
//!
//! - `list PATH…`: the input files, in the order `sitrep ingest` reads them;
//! - `extract`: `{"file", "path"}` in; per document its key, fingerprint,
//!   LSH bands, event mentions and annotated JSON out (a bad record gives
//!   an `error` line, not a failure);
//! - `similar`: candidate pairs with both fingerprints in; their
//!   near-duplicate similarity out ([`dedupe::near_duplicate`]);
//! - `cluster`: event mentions of whole blocks, in ingest order, in; each
//!   mention's cluster and each cluster's row out ([`Clusterer`]);
//! - `arrow --table documents|events`: documents with their store facts in;
//!   the `sitrep export parquet` table as an Arrow IPC stream out.

use std::collections::HashMap;
use std::io::{self, BufRead, Write};
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sitrep_core::{Date, Doc};
use sitrep_ingest::IngestOptions;
use sitrep_store::cluster::{self, Clusterer, Mention};
use sitrep_store::dedupe::{self, Fingerprint};

use crate::columnar::{self, StoreFacts};
use crate::extract::{annotate, parse_date, parse_input_format};
use crate::{EXIT_FATAL, EXIT_OK, EXIT_PARTIAL};

/// Arguments of `sitrep backfill`.
#[derive(Debug, Args)]
pub struct BackfillArgs {
    #[command(subcommand)]
    step: Step,
}

#[derive(Debug, Subcommand)]
enum Step {
    /// Print the input files of PATHS (directories expanded) in the order
    /// `sitrep ingest` reads them.
    List {
        /// Files or directories.
        paths: Vec<PathBuf>,
    },
    /// Annotate the files named on stdin (`{"file": N, "path": P}` lines).
    Extract(ExtractStep),
    /// Score candidate near-duplicate pairs.
    Similar,
    /// Cluster the event mentions of whole blocks.
    Cluster,
    /// Turn documents with their store facts into an export table.
    Arrow {
        /// Which table.
        #[arg(long, value_enum)]
        table: Table,
    },
}

#[derive(Debug, Args)]
struct ExtractStep {
    /// The gazetteer index directory.
    #[arg(long)]
    gazetteer: Option<PathBuf>,
    /// Input format; `auto` decides by file extension, then by content.
    #[arg(long, default_value = "auto", value_parser = parse_input_format)]
    input_format: sitrep_ingest::InputFormat,
    /// Publication date for every document (as `sitrep ingest --published`).
    #[arg(long, value_parser = parse_date)]
    published: Option<Date>,
    /// Largest document accepted, in bytes.
    #[arg(long, default_value_t = 10 * 1024 * 1024)]
    max_bytes: usize,
}

/// A Parquet table of `sitrep export parquet`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Table {
    /// One row per article.
    Documents,
    /// One row per event mention.
    Events,
}

/// Runs `sitrep backfill`.
pub fn run(args: &BackfillArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let stdin = io::stdin();
    let input = stdin.lock();
    let result = match &args.step {
        Step::List { paths } => list(paths, out, err),
        Step::Extract(step) => extract(step, input, out, err),
        Step::Similar => similar(input, out),
        Step::Cluster => cluster(input, out),
        Step::Arrow { table } => arrow(*table, input, out),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(err, "sitrep: error: backfill: {e}");
            EXIT_FATAL
        }
    }
}

fn list(paths: &[PathBuf], out: &mut dyn Write, err: &mut dyn Write) -> Result<u8, String> {
    let mut code = EXIT_OK;
    for p in sitrep_ingest::expand_inputs(paths) {
        match p {
            Ok(p) => writeln!(out, "{}", p.display()).map_err(|e| e.to_string())?,
            Err(e) => {
                let _ = writeln!(err, "sitrep: error: {e}");
                code = EXIT_PARTIAL;
            }
        }
    }
    Ok(code)
}

#[derive(Deserialize)]
struct FileLine {
    file: i64,
    path: PathBuf,
}

/// A fingerprint as the pipes carry it: bytes in hex.
#[derive(Serialize, Deserialize)]
struct FingerprintLine {
    shingles: u32,
    minhash: String,
    terms: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

impl FingerprintLine {
    fn of(fp: &Fingerprint) -> FingerprintLine {
        FingerprintLine {
            shingles: fp.shingles,
            minhash: hex(&dedupe::signature_bytes(&fp.signature)),
            terms: hex(&dedupe::terms_bytes(&fp.terms)),
        }
    }

    fn fingerprint(&self) -> Result<Fingerprint, String> {
        let bad = || "a fingerprint that does not decode".to_string();
        Ok(Fingerprint {
            key: String::new(),
            content_hash: String::new(),
            shingles: self.shingles,
            signature: unhex(&self.minhash)
                .as_deref()
                .and_then(dedupe::signature_from_bytes)
                .ok_or_else(bad)?,
            terms: unhex(&self.terms)
                .as_deref()
                .and_then(dedupe::terms_from_bytes)
                .ok_or_else(bad)?,
        })
    }
}

fn extract(
    step: &ExtractStep,
    input: impl BufRead,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8, String> {
    let res = crate::Resources::load(step.gazetteer.as_deref())?;
    let pipeline = crate::default_pipeline(&res);
    let opts = IngestOptions {
        format: step.input_format,
        max_bytes: step.max_bytes,
        ..IngestOptions::default()
    };
    for line in input.lines() {
        let line = line.map_err(|e| format!("reading stdin: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let FileLine { file, path } = serde_json::from_str(&line)
            .map_err(|e| format!("not a {{\"file\", \"path\"}} line: {e}: {line}"))?;
        for (record, item) in sitrep_ingest::read_path(&path, &opts).enumerate() {
            let row = item
                .map_err(|e| e.to_string())
                .and_then(|raw| annotate(&pipeline, raw, step.published))
                .map(|mut doc| {
                    // As `sitrep ingest` stores them: without tokens.
                    doc.tokens.clear();
                    document_line(file, record, &doc)
                });
            // A bad record is a row saying so (the driver reports it),
            // not a failed task: a retry would fail the same way.
            let row = row.unwrap_or_else(|e| {
                let _ = writeln!(err, "sitrep: error: {e}");
                json!({"file": file, "record": record, "error": e})
            });
            writeln!(out, "{row}").map_err(|e| format!("writing stdout: {e}"))?;
        }
    }
    Ok(EXIT_OK)
}

/// An annotated document with what the cross-article steps need.
fn document_line(file: i64, record: usize, doc: &Doc) -> serde_json::Value {
    let address = doc.url.as_deref().unwrap_or(&doc.id);
    let key = dedupe::article_key(address, doc.text());
    let fp = dedupe::fingerprint(key, doc.text());
    let mentions: Vec<serde_json::Value> = doc
        .events
        .iter()
        .enumerate()
        .map(|(idx, e)| {
            let key = sitrep_store::event_key(e);
            let block = block(&key);
            let part = MentionPart {
                idx: idx as i64,
                cameo: e.cameo.clone(),
                place_name: e.place.as_ref().and_then(|p| p.name.clone()),
                key,
            };
            json!({
                "idx": idx,
                "block": block,
                "json": serde_json::to_string(&part).unwrap_or_default(),
            })
        })
        .collect();
    json!({
        "file": file,
        "record": record,
        "key": fp.key,
        "content_hash": fp.content_hash,
        "fingerprint": FingerprintLine::of(&fp),
        "bands": dedupe::band_hashes(&fp.signature),
        "published": doc.published.map(|d| d.to_string()),
        "bytes": doc.text().len(),
        "day": doc.published.map_or_else(|| "undated".to_string(), |d| d.to_string()),
        "mentions": mentions,
        "doc": serde_json::to_string(doc).unwrap_or_default(),
    })
}

/// The clustering block of a mention: mentions of different blocks never
/// share a cluster (the family of its CAMEO root and its modality class).
fn block(key: &cluster::EventKey) -> String {
    let family = cluster::family(&key.root);
    format!(
        "{}|{}",
        family.first().copied().unwrap_or(key.root.as_str()),
        key.modality
    )
}

#[derive(Deserialize)]
struct PairLine {
    a: i64,
    b: i64,
    fa: FingerprintLine,
    fb: FingerprintLine,
}

fn similar(input: impl BufRead, out: &mut dyn Write) -> Result<u8, String> {
    for line in input.lines() {
        let line = line.map_err(|e| format!("reading stdin: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let p: PairLine =
            serde_json::from_str(&line).map_err(|e| format!("not a pair line: {e}"))?;
        let (fa, fb) = (p.fa.fingerprint()?, p.fb.fingerprint()?);
        // As the store asks it: the new article (b) against a stored one.
        let sim = dedupe::near_duplicate(&fb, &fa);
        writeln!(out, "{}", json!({"a": p.a, "b": p.b, "sim": sim}))
            .map_err(|e| format!("writing stdout: {e}"))?;
    }
    Ok(EXIT_OK)
}

/// A mention as `extract` writes it (the `json` of a document's
/// `mentions`): what the document alone says.
#[derive(Serialize, Deserialize)]
struct MentionPart {
    idx: i64,
    cameo: String,
    place_name: Option<String>,
    key: cluster::EventKey,
}

/// A mention as `cluster` reads it: its part, with what the duplicate
/// step decided about its article.
#[derive(Deserialize)]
struct MentionLine {
    block: String,
    article: i64,
    group: i64,
    published: Option<String>,
    /// A [`MentionPart`], as JSON text.
    mention: String,
}

struct MentionBlock {
    block: String,
    mention: Mention,
}

fn cluster(input: impl BufRead, out: &mut dyn Write) -> Result<u8, String> {
    let mut blocks: HashMap<String, Clusterer> = HashMap::new();
    let mut last: HashMap<String, (i64, i64)> = HashMap::new();
    for line in input.lines() {
        let line = line.map_err(|e| format!("reading stdin: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let line: MentionLine =
            serde_json::from_str(&line).map_err(|e| format!("not a mention line: {e}"))?;
        let part: MentionPart =
            serde_json::from_str(&line.mention).map_err(|e| format!("not a mention: {e}"))?;
        let m = MentionBlock {
            block: line.block,
            mention: Mention {
                article: line.article,
                idx: part.idx,
                group: line.group,
                published: line.published,
                cameo: part.cameo,
                place_name: part.place_name,
                key: part.key,
            },
        };
        let at = (m.mention.article, m.mention.idx);
        if let Some(prev) = last.insert(m.block.clone(), at) {
            if prev >= at {
                return Err(format!(
                    "block {}: mention {at:?} after {prev:?}: mentions must come in ingest order",
                    m.block
                ));
            }
        }
        let (local, new) = blocks
            .entry(m.block.clone())
            .or_default()
            .assign(&m.mention);
        writeln!(
            out,
            "{}",
            json!({"kind": "mention", "block": m.block, "article": at.0, "idx": at.1,
                   "local": local, "new": new})
        )
        .map_err(|e| format!("writing stdout: {e}"))?;
    }
    let mut names: Vec<String> = blocks.keys().cloned().collect();
    names.sort();
    for name in names {
        let Some(c) = blocks.remove(&name) else {
            continue;
        };
        for r in c.into_records() {
            writeln!(
                out,
                "{}",
                json!({"kind": "cluster", "block": name, "local": r.id, "record": r})
            )
            .map_err(|e| format!("writing stdout: {e}"))?;
        }
    }
    Ok(EXIT_OK)
}

#[derive(Deserialize)]
struct FactsLine {
    article_id: i64,
    dup_group: i64,
    dup_kind: String,
    dup_of: Option<i64>,
    dup_similarity: Option<f64>,
    #[serde(default)]
    clusters: Vec<Option<i64>>,
    doc: String,
}

/// Rows per Arrow batch.
const ARROW_BATCH: usize = 256;

fn arrow(table: Table, input: impl BufRead, out: &mut dyn Write) -> Result<u8, String> {
    let schema = match table {
        Table::Documents => columnar::documents_schema(),
        Table::Events => columnar::events_schema(),
    };
    let mut writer = arrow_ipc::writer::StreamWriter::try_new(out, &schema)
        .map_err(|e| format!("writing Arrow: {e}"))?;
    let mut rows: Vec<(Doc, StoreFacts)> = Vec::new();
    let mut flush = |rows: &mut Vec<(Doc, StoreFacts)>| -> Result<(), String> {
        if rows.is_empty() {
            return Ok(());
        }
        let refs: Vec<(&Doc, &StoreFacts)> = rows.iter().map(|(d, f)| (d, f)).collect();
        let batch = match table {
            Table::Documents => columnar::documents_batch(&refs),
            Table::Events => columnar::events_batch(&refs, &|_, _| true),
        }
        .map_err(|e| format!("building Arrow: {e}"))?;
        writer
            .write(&batch)
            .map_err(|e| format!("writing Arrow: {e}"))?;
        rows.clear();
        Ok(())
    };
    for line in input.lines() {
        let line = line.map_err(|e| format!("reading stdin: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let f: FactsLine =
            serde_json::from_str(&line).map_err(|e| format!("not a document line: {e}"))?;
        let doc = sitrep_store::parse_doc(f.article_id, &f.doc).map_err(|e| e.to_string())?;
        let facts = StoreFacts {
            article_id: Some(f.article_id),
            dup_group: Some(f.dup_group),
            dup_kind: Some(f.dup_kind),
            dup_of: f.dup_of,
            dup_similarity: f.dup_similarity,
            clusters: if f.clusters.is_empty() {
                vec![None; doc.events.len()]
            } else {
                f.clusters
            },
        };
        rows.push((doc, facts));
        if rows.len() >= ARROW_BATCH {
            flush(&mut rows)?;
        }
    }
    flush(&mut rows)?;
    writer.finish().map_err(|e| format!("writing Arrow: {e}"))?;
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_survive_the_pipe() {
        let fp = dedupe::fingerprint(
            "k".into(),
            "Russian forces shelled Kherson on Monday, killing 3 people, officials said.",
        );
        let back = FingerprintLine::of(&fp).fingerprint().unwrap();
        assert_eq!(back.signature, fp.signature);
        assert_eq!(back.terms, fp.terms);
        assert!(unhex("abc").is_none() && unhex("zz").is_none());
    }

    #[test]
    fn violent_roots_share_a_block() {
        let key = |root: &str, modality: &str| cluster::EventKey {
            root: root.into(),
            modality: modality.into(),
            source_country: None,
            target_country: None,
            country: None,
            point: None,
            days: None,
        };
        assert_eq!(block(&key("19", "factual")), block(&key("18", "factual")));
        assert_ne!(block(&key("19", "factual")), block(&key("19", "negated")));
        assert_ne!(block(&key("04", "factual")), block(&key("05", "factual")));
    }
}
