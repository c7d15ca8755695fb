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
//! - `extract --staging DIR`: `{"file", "path"}` in; per document its key,
//!   fingerprint, LSH bands and event mentions ([`extract_schema`]; a bad
//!   record gives a row with an `error`, not a failure) to `DIR/meta/`, the
//!   annotated document's JSON to `DIR/docs/`, both Parquet; per input
//!   file its counts out ([`summary_schema`], an Arrow IPC stream);
//! - `similar`: candidate pairs with both fingerprints in; their
//!   near-duplicate similarity out ([`dedupe::near_duplicate`]);
//! - `cluster`: event mentions of whole blocks, in ingest order, in; each
//!   mention's cluster and each cluster's row out ([`Clusterer`]);
//! - `arrow --table documents|events`: documents (JSON) with what the
//!   cross-article steps decided, as an Arrow IPC stream, in; the `sitrep
//!   export parquet` table as an Arrow IPC stream out.
//!
//! The documents travel as Arrow, not JSON lines: a document's JSON inside
//! a JSON line would be escaped, and parsed by Spark, twice over.

use std::collections::HashMap;
use std::io::{self, BufRead, Write};
use std::path::PathBuf;
use std::sync::Arc;

use arrow_array::builder::{Int64Builder, ListBuilder};
use arrow_array::{Array, ArrayRef, Float64Array, Int64Array, ListArray, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

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
    /// Write the output's schema alone (an empty Arrow stream), loading
    /// nothing.
    #[arg(long)]
    schema: bool,
    /// Directory the annotated documents are written to, as Parquet
    /// (`file`, `record`, `doc`): one file per run, named by its first
    /// input file's number, so a retried task replaces its own file.
    #[arg(long, required_unless_present = "schema")]
    staging: Option<PathBuf>,
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
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    }
    out
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
    let summary_schema = summary_schema();
    let mut writer = arrow_ipc::writer::StreamWriter::try_new(out, &summary_schema)
        .map_err(|e| format!("writing Arrow: {e}"))?;
    if step.schema {
        writer.finish().map_err(|e| format!("writing Arrow: {e}"))?;
        return Ok(EXIT_OK);
    }
    let Some(staging_dir) = &step.staging else {
        return Err("--staging DIR is required".into());
    };
    let res = crate::Resources::load(step.gazetteer.as_deref())?;
    let pipeline = crate::default_pipeline(&res);
    let opts = IngestOptions {
        format: step.input_format,
        max_bytes: step.max_bytes,
        ..IngestOptions::default()
    };
    let schema = extract_schema();
    let mut rows = ExtractRows::default();
    let mut staging: Option<Staging> = None;
    let mut summary: Vec<[i64; 4]> = Vec::new();
    for line in input.lines() {
        let line = line.map_err(|e| format!("reading stdin: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let FileLine { file, path } = serde_json::from_str(&line)
            .map_err(|e| format!("not a {{\"file\", \"path\"}} line: {e}: {line}"))?;
        if staging.is_none() {
            staging = Some(Staging::create(staging_dir, file)?);
        }
        let staged = staging.as_mut().expect("created above");
        let mut counts = [file, 0, 0, 0];
        for (record, item) in sitrep_ingest::read_path(&path, &opts).enumerate() {
            let row = item
                .map_err(|e| e.to_string())
                .and_then(|raw| annotate(&pipeline, raw, step.published))
                .map(|mut doc| {
                    // As `sitrep ingest` stores them: without tokens.
                    doc.tokens.clear();
                    DocumentFacts::of(&doc)
                });
            // A bad record is a row saying so (the driver reports it),
            // not a failed task: a retry would fail the same way.
            counts[1] += 1;
            match &row {
                Ok(d) => counts[3] += d.bytes,
                Err(e) => {
                    counts[2] += 1;
                    let _ = writeln!(err, "sitrep: error: {e}");
                }
            }
            rows.push(file, record as i64, row);
            if rows.full() {
                staged.write(rows.take_batches(&schema)?)?;
            }
        }
        summary.push(counts);
    }
    if let Some(mut staged) = staging {
        if !rows.is_empty() {
            staged.write(rows.take_batches(&schema)?)?;
        }
        // The tables are in place before the driver hears of them.
        staged.finish()?;
    }
    let column = |i: usize| -> ArrayRef {
        Arc::new(Int64Array::from_iter_values(summary.iter().map(|c| c[i])))
    };
    let batch = RecordBatch::try_new(summary_schema, (0..4).map(column).collect())
        .map_err(|e| format!("building Arrow: {e}"))?;
    writer
        .write(&batch)
        .map_err(|e| format!("writing Arrow: {e}"))?;
    writer.finish().map_err(|e| format!("writing Arrow: {e}"))?;
    Ok(EXIT_OK)
}

/// What `extract` writes on stdout: per input file, its records, the bad
/// ones among them and the good ones' text bytes.
pub fn summary_schema() -> SchemaRef {
    let f = |name: &str| Field::new(name, DataType::Int64, false);
    Arc::new(Schema::new(vec![
        f("file"),
        f("records"),
        f("errors"),
        f("bytes"),
    ]))
}

/// What one `extract` run stages: its documents' metadata
/// (`meta/`, [`extract_schema`]) and the documents themselves (`docs/`,
/// [`staged_schema`]), one Parquet file each, named by the run's first
/// input file. Each is written under a temporary name and renamed when
/// complete, so a reader never sees half a file and a retried task
/// replaces its own files.
struct Staging {
    meta: StagedFile,
    docs: StagedFile,
}

impl Staging {
    fn create(dir: &std::path::Path, first_file: i64) -> Result<Staging, String> {
        Ok(Staging {
            meta: StagedFile::create(&dir.join("meta"), first_file, extract_schema())?,
            docs: StagedFile::create(&dir.join("docs"), first_file, staged_schema())?,
        })
    }

    fn write(&mut self, (meta, docs): (RecordBatch, RecordBatch)) -> Result<(), String> {
        self.meta.write(&meta)?;
        self.docs.write(&docs)
    }

    fn finish(self) -> Result<(), String> {
        self.docs.finish()?;
        self.meta.finish()
    }
}

struct StagedFile {
    writer: ArrowWriter<std::fs::File>,
    part: PathBuf,
    done: PathBuf,
}

impl StagedFile {
    /// Row groups of about this many bytes: the writer holds one in memory,
    /// so this bounds the process's memory (with 64 MB it peaked at 185 MB
    /// RSS, with 8 MB at 90 MB, at the same speed); Spark reads row groups
    /// of this size without trouble.
    const ROW_GROUP_BYTES: usize = 8 << 20;

    fn create(
        dir: &std::path::Path,
        first_file: i64,
        schema: SchemaRef,
    ) -> Result<StagedFile, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let done = dir.join(format!("extract-{first_file:08}.parquet"));
        let part = dir.join(format!(
            ".extract-{first_file:08}.{}.parquet.part",
            std::process::id()
        ));
        let file = std::fs::File::create(&part).map_err(|e| format!("{}: {e}", part.display()))?;
        let props = WriterProperties::builder()
            // Uncompressed: the files live for one run, and compressing
            // them would cost the extract step some 4 % of its time.
            .set_compression(Compression::UNCOMPRESSED)
            .set_dictionary_enabled(false)
            .build();
        let writer = ArrowWriter::try_new(file, schema, Some(props))
            .map_err(|e| format!("{}: {e}", part.display()))?;
        Ok(StagedFile { writer, part, done })
    }

    fn write(&mut self, batch: &RecordBatch) -> Result<(), String> {
        let with = |e: &dyn std::fmt::Display| format!("{}: {e}", self.part.display());
        self.writer.write(batch).map_err(|e| with(&e))?;
        if self.writer.in_progress_size() >= Self::ROW_GROUP_BYTES {
            self.writer.flush().map_err(|e| with(&e))?;
        }
        Ok(())
    }

    fn finish(self) -> Result<(), String> {
        let with = |e: &dyn std::fmt::Display| format!("{}: {e}", self.part.display());
        self.writer.close().map_err(|e| with(&e))?;
        std::fs::rename(&self.part, &self.done).map_err(|e| with(&e))
    }
}

/// The staged documents' columns.
pub fn staged_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("file", DataType::Int64, false),
        Field::new("record", DataType::Int64, false),
        Field::new("doc", DataType::Utf8, false),
    ]))
}

/// The columns `extract` writes: per document its place in the input
/// (`file`, `record`), an `error` for a bad record, else what the
/// cross-article steps need — key, fingerprint (`shingles`, `minhash`,
/// `terms`, hex), LSH `bands`, `published`/`day`, text `bytes`, the event
/// `mentions` (a JSON array of `{idx, block, json}`). The annotated
/// documents themselves are staged apart ([`staged_schema`]): Spark moves
/// only these small columns until the last step.
pub fn extract_schema() -> SchemaRef {
    use DataType::*;
    let f = |name: &str, t: DataType, nullable: bool| Field::new(name, t, nullable);
    Arc::new(Schema::new(vec![
        f("file", Int64, false),
        f("record", Int64, false),
        f("error", Utf8, true),
        f("key", Utf8, true),
        f("content_hash", Utf8, true),
        f("shingles", Int64, true),
        f("minhash", Utf8, true),
        f("terms", Utf8, true),
        f(
            "bands",
            List(Arc::new(Field::new("item", Int64, true))),
            true,
        ),
        f("published", Utf8, true),
        f("day", Utf8, true),
        f("bytes", Int64, true),
        f("mentions", Utf8, true),
    ]))
}

/// What `extract` says of one good document.
struct DocumentFacts {
    key: String,
    content_hash: String,
    fingerprint: FingerprintLine,
    bands: Vec<i64>,
    published: Option<String>,
    bytes: i64,
    mentions: String,
    doc: String,
}

impl DocumentFacts {
    fn of(doc: &Doc) -> DocumentFacts {
        let address = doc.url.as_deref().unwrap_or(&doc.id);
        let key = dedupe::article_key(address, doc.text());
        let fp = dedupe::fingerprint(key, doc.text());
        let mentions: Vec<MentionCell> = doc
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
                MentionCell {
                    idx: idx as i64,
                    block,
                    json: serde_json::to_string(&part).unwrap_or_default(),
                }
            })
            .collect();
        DocumentFacts {
            fingerprint: FingerprintLine::of(&fp),
            bands: dedupe::band_hashes(&fp.signature).to_vec(),
            key: fp.key,
            content_hash: fp.content_hash,
            published: doc.published.map(|d| d.to_string()),
            bytes: doc.text().len() as i64,
            mentions: serde_json::to_string(&mentions).unwrap_or_default(),
            doc: serde_json::to_string(doc).unwrap_or_default(),
        }
    }
}

/// One of a document's `mentions`.
#[derive(Serialize)]
struct MentionCell {
    idx: i64,
    block: String,
    /// A [`MentionPart`], as JSON text.
    json: String,
}

/// Rows of `extract` waiting to be written as one Arrow batch.
#[derive(Default)]
struct ExtractRows {
    rows: Vec<(i64, i64, Result<DocumentFacts, String>)>,
    doc_bytes: usize,
}

impl ExtractRows {
    /// Batches of at most this many rows or document bytes: small enough
    /// for the executor's Arrow buffers, large enough to amortise a batch.
    const ROWS: usize = 256;
    const BYTES: usize = 16 << 20;

    fn push(&mut self, file: i64, record: i64, row: Result<DocumentFacts, String>) {
        self.doc_bytes += row.as_ref().map_or(0, |d| d.doc.len());
        self.rows.push((file, record, row));
    }

    fn full(&self) -> bool {
        self.rows.len() >= Self::ROWS || self.doc_bytes >= Self::BYTES
    }

    fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The metadata batch (`schema`) and the staged documents' batch.
    fn take_batches(&mut self, schema: &SchemaRef) -> Result<(RecordBatch, RecordBatch), String> {
        let rows = std::mem::take(&mut self.rows);
        self.doc_bytes = 0;
        fn ok(r: &(i64, i64, Result<DocumentFacts, String>)) -> Option<&DocumentFacts> {
            r.2.as_ref().ok()
        }
        let text = |get: &dyn Fn(&DocumentFacts) -> Option<&str>| -> ArrayRef {
            Arc::new(
                rows.iter()
                    .map(|r| ok(r).and_then(get))
                    .collect::<StringArray>(),
            )
        };
        let int = |get: &dyn Fn(&DocumentFacts) -> i64| -> ArrayRef {
            Arc::new(rows.iter().map(|r| ok(r).map(get)).collect::<Int64Array>())
        };
        let mut bands = ListBuilder::new(Int64Builder::new());
        for r in &rows {
            match ok(r) {
                Some(d) => {
                    bands.values().append_slice(&d.bands);
                    bands.append(true);
                }
                None => bands.append(false),
            }
        }
        let columns: Vec<ArrayRef> = vec![
            Arc::new(Int64Array::from_iter_values(rows.iter().map(|r| r.0))),
            Arc::new(Int64Array::from_iter_values(rows.iter().map(|r| r.1))),
            Arc::new(
                rows.iter()
                    .map(|r| r.2.as_ref().err().map(String::as_str))
                    .collect::<StringArray>(),
            ),
            text(&|d| Some(&d.key)),
            text(&|d| Some(&d.content_hash)),
            int(&|d| i64::from(d.fingerprint.shingles)),
            text(&|d| Some(&d.fingerprint.minhash)),
            text(&|d| Some(&d.fingerprint.terms)),
            Arc::new(bands.finish()),
            text(&|d| d.published.as_deref()),
            text(&|d| Some(d.published.as_deref().unwrap_or("undated"))),
            int(&|d| d.bytes),
            text(&|d| Some(&d.mentions)),
        ];
        let good = || rows.iter().filter(|r| r.2.is_ok());
        let docs: Vec<ArrayRef> = vec![
            Arc::new(Int64Array::from_iter_values(good().map(|r| r.0))),
            Arc::new(Int64Array::from_iter_values(good().map(|r| r.1))),
            Arc::new(
                good()
                    .filter_map(|r| ok(r).map(|d| d.doc.as_str()))
                    .map(Some)
                    .collect::<StringArray>(),
            ),
        ];
        let build = |schema: SchemaRef, columns| {
            RecordBatch::try_new(schema, columns).map_err(|e| format!("building Arrow: {e}"))
        };
        Ok((
            build(schema.clone(), columns)?,
            build(staged_schema(), docs)?,
        ))
    }
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

/// Rows per Arrow batch.
const ARROW_BATCH: usize = 256;

/// The columns `arrow` reads: a document's JSON (`doc`) and what the
/// cross-article steps decided about it.
struct FactsColumns<'b> {
    article_id: &'b Int64Array,
    dup_group: &'b Int64Array,
    dup_kind: &'b StringArray,
    dup_of: &'b Int64Array,
    dup_similarity: &'b Float64Array,
    /// Each event's cluster id, by index; null for a document without
    /// clustered events.
    clusters: &'b ListArray,
    doc: &'b StringArray,
}

impl<'b> FactsColumns<'b> {
    fn of(batch: &'b RecordBatch) -> Result<FactsColumns<'b>, String> {
        fn column<'b, T: 'static>(batch: &'b RecordBatch, name: &str) -> Result<&'b T, String> {
            batch
                .column_by_name(name)
                .and_then(|c| c.as_any().downcast_ref::<T>())
                .ok_or_else(|| format!("the Arrow input has no column {name} of the right type"))
        }
        Ok(FactsColumns {
            article_id: column(batch, "article_id")?,
            dup_group: column(batch, "dup_group")?,
            dup_kind: column(batch, "dup_kind")?,
            dup_of: column(batch, "dup_of")?,
            dup_similarity: column(batch, "dup_similarity")?,
            clusters: column(batch, "clusters")?,
            doc: column(batch, "doc")?,
        })
    }

    fn clusters(&self, i: usize, events: usize) -> Vec<Option<i64>> {
        if self.clusters.is_null(i) {
            return vec![None; events];
        }
        let ids = self.clusters.value(i);
        match ids.as_any().downcast_ref::<Int64Array>() {
            Some(ids) => ids.iter().collect(),
            None => vec![None; events],
        }
    }
}

fn arrow(table: Table, mut input: impl BufRead, out: &mut dyn Write) -> Result<u8, String> {
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
    // No input at all: the schema alone (the driver asks for it so).
    if input
        .fill_buf()
        .map_err(|e| format!("reading stdin: {e}"))?
        .is_empty()
    {
        writer.finish().map_err(|e| format!("writing Arrow: {e}"))?;
        return Ok(EXIT_OK);
    }
    let reader = arrow_ipc::reader::StreamReader::try_new(input, None)
        .map_err(|e| format!("reading the Arrow input: {e}"))?;
    for batch in reader {
        let batch = batch.map_err(|e| format!("reading the Arrow input: {e}"))?;
        let facts = FactsColumns::of(&batch)?;
        for i in 0..batch.num_rows() {
            let (article_id, doc) = (facts.article_id.value(i), facts.doc.value(i));
            let doc = sitrep_store::parse_doc(article_id, doc).map_err(|e| e.to_string())?;
            let clusters = facts.clusters(i, doc.events.len());
            let facts = StoreFacts {
                article_id: Some(article_id),
                dup_group: Some(facts.dup_group.value(i)),
                dup_kind: Some(facts.dup_kind.value(i).to_string()),
                dup_of: facts.dup_of.is_valid(i).then(|| facts.dup_of.value(i)),
                dup_similarity: facts
                    .dup_similarity
                    .is_valid(i)
                    .then(|| facts.dup_similarity.value(i)),
                clusters,
            };
            rows.push((doc, facts));
            if rows.len() >= ARROW_BATCH {
                flush(&mut rows)?;
            }
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

    fn read_parquet(dir: &std::path::Path) -> Vec<RecordBatch> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            assert!(
                path.extension().is_some_and(|x| x == "parquet"),
                "a stray file in the staging directory: {}",
                path.display()
            );
            let file = std::fs::File::open(&path).unwrap();
            let reader =
                parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
                    .unwrap()
                    .build()
                    .unwrap();
            out.extend(reader.map(Result::unwrap));
        }
        out
    }

    #[test]
    fn extract_stages_documents_and_arrow_turns_them_into_export_rows() {
        let dir = std::env::temp_dir().join(format!("sitrep-backfill-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let input = dir.join("in.jsonl");
        std::fs::write(
            &input,
            concat!(
                r#"{"id": "a", "published": "2023-10-30", "text": "KYIV (Reuters) - Russian forces shelled Kherson on Monday, killing three people, the regional governor said."}"#,
                "\n",
                "{not json\n",
                r#"{"id": "b", "text": "Drones struck the port of Odesa overnight, officials said."}"#,
                "\n"
            ),
        )
        .unwrap();
        let staging = dir.join("staging");
        let step = ExtractStep {
            gazetteer: None,
            input_format: sitrep_ingest::InputFormat::Auto,
            published: None,
            max_bytes: 1 << 20,
            schema: false,
            staging: Some(staging.clone()),
        };
        let files = format!("{}\n", json!({"file": 7, "path": input}));
        let (mut out, mut err) = (Vec::new(), Vec::new());
        extract(&step, files.as_bytes(), &mut out, &mut err).unwrap();

        // Per file: 3 records, 1 bad, the good ones' text bytes.
        let summary: Vec<RecordBatch> =
            arrow_ipc::reader::StreamReader::try_new(out.as_slice(), None)
                .unwrap()
                .map(Result::unwrap)
                .collect();
        let counts: Vec<i64> = (0..4)
            .map(|i| {
                summary[0]
                    .column(i)
                    .as_any()
                    .downcast_ref::<Int64Array>()
                    .unwrap()
                    .value(0)
            })
            .collect();
        assert_eq!(&counts[..3], &[7, 3, 1]);
        assert!(counts[3] > 100, "{counts:?}");
        assert!(String::from_utf8_lossy(&err).contains("error"));

        // meta/: every record, the bad one with its error; docs/: the good ones.
        let meta = read_parquet(&staging.join("meta"));
        assert_eq!(meta.iter().map(|b| b.num_rows()).sum::<usize>(), 3);
        let errors = meta[0].column_by_name("error").unwrap();
        assert_eq!(errors.null_count(), 2);
        let docs = read_parquet(&staging.join("docs"));
        assert_eq!(docs.iter().map(|b| b.num_rows()).sum::<usize>(), 2);
        let json = docs[0]
            .column_by_name("doc")
            .unwrap()
            .as_any()
            .downcast_ref::<StringArray>()
            .unwrap();

        // `arrow`: the staged documents with their facts, as Spark hands
        // them over, into the export's rows.
        let facts = arrow_schema::Schema::new(vec![
            Field::new("article_id", DataType::Int64, false),
            Field::new("dup_group", DataType::Int64, false),
            Field::new("dup_kind", DataType::Utf8, false),
            Field::new("dup_of", DataType::Int64, true),
            Field::new("dup_similarity", DataType::Float64, true),
            Field::new(
                "clusters",
                DataType::List(Arc::new(Field::new("element", DataType::Int64, true))),
                true,
            ),
            Field::new("doc", DataType::Utf8, false),
        ]);
        // Spark names a list's items "element".
        let mut clusters = ListBuilder::new(Int64Builder::new()).with_field(Field::new(
            "element",
            DataType::Int64,
            true,
        ));
        clusters.append(false);
        clusters.append(false);
        let batch = RecordBatch::try_new(
            Arc::new(facts),
            vec![
                Arc::new(Int64Array::from(vec![1, 2])),
                Arc::new(Int64Array::from(vec![1, 2])),
                Arc::new(StringArray::from(vec!["original", "original"])),
                Arc::new(Int64Array::from(vec![None, None])),
                Arc::new(Float64Array::from(vec![None, None])),
                Arc::new(clusters.finish()),
                Arc::new(json.clone()),
            ],
        )
        .unwrap();
        let mut input = Vec::new();
        let mut w = arrow_ipc::writer::StreamWriter::try_new(&mut input, &batch.schema()).unwrap();
        w.write(&batch).unwrap();
        w.finish().unwrap();
        drop(w);
        let mut rows = Vec::new();
        arrow(Table::Documents, input.as_slice(), &mut rows).unwrap();
        let back: Vec<RecordBatch> =
            arrow_ipc::reader::StreamReader::try_new(rows.as_slice(), None)
                .unwrap()
                .map(Result::unwrap)
                .collect();
        assert_eq!(back.iter().map(|b| b.num_rows()).sum::<usize>(), 2);
        assert_eq!(back[0].schema(), columnar::documents_schema());
        // No input: the schema alone, as the driver asks for it.
        let mut empty = Vec::new();
        arrow(Table::Events, &b""[..], &mut empty).unwrap();
        let reader = arrow_ipc::reader::StreamReader::try_new(empty.as_slice(), None).unwrap();
        assert_eq!(reader.schema(), columnar::events_schema());
        let _ = std::fs::remove_dir_all(&dir);
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
