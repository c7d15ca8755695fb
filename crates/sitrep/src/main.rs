//! The `sitrep` command line. See `sitrep --help`.

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

const EXAMPLES: &str = "\
Examples:
  sitrep extract article.txt --published 2023-10-30
  sitrep extract news/ --format jsonl --jobs 2 > docs.jsonl
  curl -s … | sitrep extract - --input-format html
  sitrep extract crawl.warc.gz feed.rss records.jsonl --format jsonl
  sitrep eval auto ../shared/eval/*.jsonl
  sitrep eval times ../shared/eval/time_tbaq.jsonl --json
  sitrep bench examples --min-mb 8
  sitrep extract news/ --format jsonl | sitrep export gdelt-events > events.tsv
  sitrep export acled docs.jsonl > events.csv
  sitrep ingest examples --db var/sitrep.db
  sitrep search 'combat clashes Bakhmut'
  sitrep query clusters --limit 20
  sitrep export geojson --db var/sitrep.db --code 19 --from 2025-03-01
  sitrep serve --db var/sitrep.db            # then open http://127.0.0.1:8077/

Exit codes:
  0  every input was processed
  1  some inputs failed; each got one error line on stderr and every good
     document was still written (eval: a gold file or line was unreadable)
  2  bad usage or a fatal error (unwritable output, bad option)
  3  eval --floors: a metric fell below its recorded floor";

/// sitrep: conflict news in, traceable structured intelligence out.
///
/// Every output field carries its span (Unicode code points into `text`)
/// and `by`, the stage and rule that produced it. Output format:
/// docs/output-format.md; input formats: docs/input-formats.md.
#[derive(Debug, Parser)]
#[command(name = "sitrep", version, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Annotate articles: text, HTML, JSONL, RSS/Atom or WARC, from files,
    /// directories or stdin.
    #[command(after_help = EXAMPLES)]
    Extract(sitrep::extract::ExtractArgs),
    /// Score the pipeline against gold JSONL files.
    #[command(after_help = EXAMPLES)]
    Eval(sitrep::eval::EvalArgs),
    /// Measure throughput per stage and end to end.
    #[command(after_help = EXAMPLES)]
    Bench(sitrep::bench::BenchArgs),
    /// Export events (from extract output or the store, with filters) as
    /// GDELT 2.0 Event/Mentions rows, GKG-like document rows, PLOVER JSON,
    /// ACLED-style CSV or GeoJSON.
    #[command(after_help = EXAMPLES)]
    Export(sitrep::export::ExportArgs),
    /// Annotate articles and store them (SQLite, or PostgreSQL with
    /// `--db postgres://…`): deduplicated, events clustered, searchable;
    /// re-ingesting changes nothing.
    #[command(after_help = EXAMPLES)]
    Ingest(sitrep::store::IngestArgs),
    /// Full-text search over the stored articles.
    #[command(after_help = EXAMPLES)]
    Search(sitrep::store::SearchArgs),
    /// Ask the store: counts, duplicate groups, event clusters.
    #[command(after_help = EXAMPLES)]
    Query(sitrep::query::QueryArgs),
    /// Serve the store: the JSON API (/api/openapi.json) and the web page
    /// with map, timeline and articles, on 127.0.0.1 by default.
    #[command(after_help = EXAMPLES)]
    Serve(sitrep::serve::ServeArgs),
    /// Build the gazetteer index, or look names up in it.
    Gazetteer(sitrep::gazetteer::GazetteerArgs),
    /// Load the Spark backfill's Parquet output into a store.
    Load(sitrep::load::LoadArgs),
    /// The Rust steps of the Spark backfill (spark/backfill.py runs them).
    Backfill(sitrep::backfill::BackfillArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                sitrep::EXIT_FATAL
            } else {
                sitrep::EXIT_OK
            });
        }
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut err = io::stderr();
    let code = match &cli.command {
        Command::Extract(args) => sitrep::extract::run(args, &mut out, &mut err),
        Command::Eval(args) => sitrep::eval::run(args, &mut out, &mut err),
        Command::Bench(args) => sitrep::bench::run(args, &mut out, &mut err),
        Command::Gazetteer(args) => sitrep::gazetteer::run(args, &mut out, &mut err),
        Command::Export(args) => sitrep::export::run(args, &mut out, &mut err),
        Command::Ingest(args) => sitrep::store::ingest(args, &mut out, &mut err),
        Command::Search(args) => sitrep::store::search(args, &mut out, &mut err),
        Command::Query(args) => sitrep::query::run(args, &mut out, &mut err),
        Command::Serve(args) => sitrep::serve::run(args, &mut err),
        Command::Load(args) => sitrep::load::run(args, &mut out, &mut err),
        Command::Backfill(args) => sitrep::backfill::run(args, &mut out, &mut err),
    };
    let _ = out.flush();
    ExitCode::from(code)
}
