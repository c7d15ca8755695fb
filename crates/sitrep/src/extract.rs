//! `sitrep extract`: inputs in, annotated documents out.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use sitrep_core::{Date, Doc, Pipeline, PublishedSource};
use sitrep_ingest::{IngestOptions, InputFormat, RawDoc};

use crate::batch::{par_map_ordered, run_guarded, thread_pool, BATCH_SIZE};
use crate::{EXIT_FATAL, EXIT_OK, EXIT_PARTIAL};

/// How documents are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Pretty-printed JSON, one object per document, one after the other.
    Json,
    /// One JSON object per line.
    Jsonl,
}

/// Arguments of `sitrep extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The gazetteer index directory (default: $SITREP_GAZETTEER, else
    /// var/gazetteer as ./setup builds it).
    #[arg(long)]
    pub gazetteer: Option<PathBuf>,
    /// Files or directories (read recursively); `-` or nothing reads stdin.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
    pub format: OutputFormat,
    /// Input format; `auto` decides by file extension, then by content.
    #[arg(long, default_value = "auto", value_parser = parse_input_format)]
    pub input_format: InputFormat,
    /// Publication date (YYYY-MM-DD) for every document, overriding the
    /// inputs' own metadata; `published_source` becomes `argument`.
    #[arg(long, value_parser = parse_date)]
    pub published: Option<Date>,
    /// Worker threads (0 = one per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    pub jobs: usize,
    /// Stop at the first bad input instead of reporting it and going on.
    #[arg(long)]
    pub fail_fast: bool,
    /// Also write the tokens layer.
    #[arg(long)]
    pub tokens: bool,
    /// Largest document accepted, in bytes.
    #[arg(long, default_value_t = 10 * 1024 * 1024)]
    pub max_bytes: usize,
    /// Hide the progress bar (it shows only when stderr is a terminal).
    #[arg(long)]
    pub quiet: bool,
}

/// Parses an `--input-format` value.
pub fn parse_input_format(s: &str) -> Result<InputFormat, String> {
    s.parse().map_err(|e| format!("{e}"))
}

/// Parses a `--published` value.
pub fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>().map_err(|e| e.to_string())
}

/// Summary of a run, for the closing line and the exit code.
#[derive(Debug, Default, Clone, Copy)]
pub struct Summary {
    /// Documents written.
    pub documents: u64,
    /// Inputs (files, lines, records) that failed.
    pub failures: u64,
}

/// Turns a raw input into an annotated document.
pub fn annotate(pipeline: &Pipeline, raw: RawDoc, published: Option<Date>) -> Result<Doc, String> {
    let origin = raw.origin.to_string();
    let mut doc = raw.into_doc();
    if let Some(date) = published {
        doc.published = Some(date);
        doc.published_source = PublishedSource::Argument;
    }
    run_guarded(pipeline, &mut doc).map_err(|e| format!("{origin}: {e}"))?;
    Ok(doc)
}

/// Runs `sitrep extract`, writing documents to `out` and one line per bad
/// input to `err`. Returns the exit code.
pub fn run(args: &ExtractArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    // The error (a gazetteer that does not open) is already reported.
    let res = match crate::load_resources(args.gazetteer.as_deref(), err) {
        Ok(r) => r,
        Err(code) => return code,
    };
    match run_inner(args, &res, out, err) {
        Ok(summary) if summary.failures == 0 => EXIT_OK,
        Ok(_) => EXIT_PARTIAL,
        Err(Fatal::BrokenPipe) => EXIT_OK,
        Err(Fatal::Message(m)) => {
            let _ = writeln!(err, "sitrep: error: {m}");
            EXIT_FATAL
        }
        Err(Fatal::FailFast) => EXIT_PARTIAL,
    }
}

enum Fatal {
    BrokenPipe,
    FailFast,
    Message(String),
}

impl From<io::Error> for Fatal {
    fn from(e: io::Error) -> Fatal {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Fatal::BrokenPipe
        } else {
            Fatal::Message(format!("cannot write output: {e}"))
        }
    }
}

fn run_inner(
    args: &ExtractArgs,
    res: &crate::Resources,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Summary, Fatal> {
    let pipeline = crate::default_pipeline(res);
    let pool = thread_pool(args.jobs).map_err(Fatal::Message)?;
    let opts = IngestOptions {
        format: args.input_format,
        max_bytes: args.max_bytes,
        ..IngestOptions::default()
    };
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.paths.clone()
    };
    let progress = (!args.quiet && io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {pos} documents, {msg} [{elapsed}] {per_sec}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar
    });

    let mut summary = Summary::default();
    let mut batch: Vec<RawDoc> = Vec::with_capacity(BATCH_SIZE);
    let mut sink = Sink {
        args,
        pipeline: &pipeline,
        pool: &pool,
        out,
        err,
        progress: progress.as_ref(),
    };

    for input in sitrep_ingest::expand_inputs(&paths) {
        let items = match input {
            Ok(path) if path.as_os_str() == "-" => sitrep_ingest::read_stdin(&opts),
            Ok(path) => sitrep_ingest::read_path(&path, &opts),
            Err(e) => {
                summary.failures += 1;
                sink.report(&e.to_string())?;
                if args.fail_fast {
                    return Err(Fatal::FailFast);
                }
                continue;
            }
        };
        for item in items {
            match item {
                Ok(raw) => {
                    batch.push(raw);
                    if batch.len() >= BATCH_SIZE {
                        sink.flush(&mut batch, &mut summary)?;
                    }
                }
                Err(e) => {
                    summary.failures += 1;
                    sink.report(&e.to_string())?;
                    if args.fail_fast {
                        sink.flush(&mut batch, &mut summary)?;
                        return Err(Fatal::FailFast);
                    }
                }
            }
        }
    }
    sink.flush(&mut batch, &mut summary)?;
    sink.out.flush()?;
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    if summary.failures > 0 || summary.documents != 1 {
        writeln!(
            sink.err,
            "sitrep: {} documents written, {} inputs failed",
            summary.documents, summary.failures
        )?;
    }
    Ok(summary)
}

/// Where annotated documents and error lines go.
struct Sink<'a> {
    args: &'a ExtractArgs,
    pipeline: &'a Pipeline,
    pool: &'a rayon::ThreadPool,
    out: &'a mut dyn Write,
    err: &'a mut dyn Write,
    progress: Option<&'a ProgressBar>,
}

impl Sink<'_> {
    /// Annotates the batch in parallel and writes it in input order.
    fn flush(&mut self, batch: &mut Vec<RawDoc>, summary: &mut Summary) -> Result<(), Fatal> {
        let raws = std::mem::take(batch);
        let (tokens, format, published) = (self.args.tokens, self.args.format, self.args.published);
        let pipeline = self.pipeline;
        let results = self.pool.install(|| {
            par_map_ordered(raws, |raw| {
                annotate(pipeline, raw, published).map(|mut doc| {
                    if !tokens {
                        doc.tokens.clear();
                    }
                    serialize(&doc, format)
                })
            })
        });
        for r in results {
            match r {
                Ok(bytes) => {
                    self.out.write_all(&bytes)?;
                    summary.documents += 1;
                }
                Err(e) => {
                    summary.failures += 1;
                    self.report(&e)?;
                    if self.args.fail_fast {
                        return Err(Fatal::FailFast);
                    }
                }
            }
        }
        if let Some(bar) = self.progress {
            bar.set_position(summary.documents);
            bar.set_message(format!("{} failed", summary.failures));
        }
        Ok(())
    }

    /// One error line on stderr, above the progress bar if there is one.
    fn report(&mut self, message: &str) -> io::Result<()> {
        let err = &mut self.err;
        match self.progress {
            Some(bar) => bar.suspend(|| writeln!(err, "sitrep: error: {message}")),
            None => writeln!(err, "sitrep: error: {message}"),
        }
    }
}

/// One document in the chosen output format, newline-terminated.
pub fn serialize(doc: &Doc, format: OutputFormat) -> Vec<u8> {
    let mut bytes = match format {
        OutputFormat::Json => serde_json::to_vec_pretty(doc),
        OutputFormat::Jsonl => serde_json::to_vec(doc),
    }
    // Serialising plain structs of strings and numbers cannot fail (no maps
    // with non-string keys, no NaN: f64 NaN serialises as null).
    .unwrap_or_default();
    bytes.push(b'\n');
    bytes
}
