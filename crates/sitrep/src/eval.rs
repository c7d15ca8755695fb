//! `sitrep eval`: score the pipeline against gold JSONL files.
//!
//! The scorers and their exact metric definitions live in `sitrep-eval`;
//! this module reads the files, runs the pipeline on each record (in
//! parallel, scored in file order), prints the reports and, with
//! `--floors`, gates on the recorded quality floors.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use sitrep_core::Pipeline;
use sitrep_eval::{
    EntitiesScorer, EventsScorer, GoldRecord, LayerKind, PlacesScorer, QuotesScorer, Report,
    Scorer, TimesScorer,
};

use crate::batch::{par_map_ordered, run_guarded, thread_pool, BATCH_SIZE};
use crate::{floors, EXIT_BELOW_FLOOR, EXIT_FATAL, EXIT_OK, EXIT_PARTIAL};

/// Arguments of `sitrep eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The gazetteer index directory (default: $SITREP_GAZETTEER, else
    /// var/gazetteer as ./setup builds it).
    #[arg(long)]
    pub gazetteer: Option<PathBuf>,
    /// Layer to score: places, times, quotes, entities, events, or `auto`
    /// to recognise each file's layer from its first record.
    pub layer: String,
    /// Gold JSONL files (formats: ../shared/eval/README.md).
    #[arg(required = true)]
    pub gold: Vec<PathBuf>,
    /// Print the reports as JSON.
    #[arg(long)]
    pub json: bool,
    /// Score only the first N records of each file.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Check the metrics against a floors file (exit 3 when one is below).
    #[arg(long)]
    pub floors: Option<PathBuf>,
    /// Worker threads (0 = one per core).
    #[arg(long, short = 'j', default_value_t = 0)]
    pub jobs: usize,
    /// Also write the annotated documents, one JSON object per line, to
    /// this file (for error analysis; with several gold files, all go there).
    #[arg(long)]
    pub predictions: Option<PathBuf>,
}

/// Runs `sitrep eval`.
pub fn run(args: &EvalArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let fixed: Option<LayerKind> = if args.layer.eq_ignore_ascii_case("auto") {
        None
    } else {
        match args.layer.parse() {
            Ok(l) => Some(l),
            Err(e) => {
                let _ = writeln!(err, "sitrep: error: {e}");
                return EXIT_FATAL;
            }
        }
    };
    let floors = match &args.floors {
        None => None,
        Some(p) => match std::fs::read_to_string(p)
            .map_err(|e| e.to_string())
            .and_then(|t| floors::parse(&t))
        {
            Ok(f) => Some(f),
            Err(e) => {
                let _ = writeln!(err, "sitrep: error: {}: {e}", p.display());
                return EXIT_FATAL;
            }
        },
    };
    let pool = match thread_pool(args.jobs) {
        Ok(p) => p,
        Err(e) => {
            let _ = writeln!(err, "sitrep: error: {e}");
            return EXIT_FATAL;
        }
    };
    let res = match crate::load_resources(args.gazetteer.as_deref(), err) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let pipeline = crate::default_pipeline(&res);
    let mut predictions = match &args.predictions {
        None => None,
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Some(std::io::BufWriter::new(f)),
            Err(e) => {
                let _ = writeln!(err, "sitrep: error: {}: {e}", p.display());
                return EXIT_FATAL;
            }
        },
    };
    let mut reports = Vec::new();
    let mut code = EXIT_OK;
    for path in &args.gold {
        let layer = match fixed.map(Ok).unwrap_or_else(|| detect_file(path)) {
            Ok(l) => l,
            Err(e) => {
                let _ = writeln!(err, "sitrep: error: {}: {e}", path.display());
                code = EXIT_PARTIAL;
                continue;
            }
        };
        let scored = pool.install(|| match layer {
            LayerKind::Places => {
                score::<PlacesScorer>(path, &pipeline, args.limit, predictions.as_mut())
            }
            LayerKind::Times => {
                score::<TimesScorer>(path, &pipeline, args.limit, predictions.as_mut())
            }
            LayerKind::Quotes => {
                score::<QuotesScorer>(path, &pipeline, args.limit, predictions.as_mut())
            }
            LayerKind::Entities => {
                score::<EntitiesScorer>(path, &pipeline, args.limit, predictions.as_mut())
            }
            LayerKind::Events => {
                score::<EventsScorer>(path, &pipeline, args.limit, predictions.as_mut())
            }
        });
        match scored {
            Ok((report, bad_lines)) => {
                for line in &bad_lines {
                    let _ = writeln!(err, "sitrep: error: {line}");
                    code = EXIT_PARTIAL;
                }
                reports.push(report);
            }
            Err(e) => {
                let _ = writeln!(err, "sitrep: error: {}: {e}", path.display());
                code = EXIT_PARTIAL;
            }
        }
    }
    if args.json {
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&reports).unwrap_or_default()
        );
    } else {
        for r in &reports {
            let _ = writeln!(out, "{}", r.to_table());
        }
    }
    if let Some(floors) = floors {
        let measured: Vec<(String, String, f64)> = reports
            .iter()
            .flat_map(|r| {
                let gold = r.gold.clone();
                r.metrics
                    .iter()
                    .map(move |m| (gold.clone(), m.name.clone(), m.value))
            })
            .collect();
        let problems = floors::check(&floors, &measured);
        for p in &problems {
            let _ = writeln!(err, "sitrep: below floor: {p}");
        }
        if !problems.is_empty() {
            return EXIT_BELOW_FLOOR;
        }
        let _ = writeln!(err, "sitrep: all {} floors hold", floors.len());
    }
    code
}

/// Gold file label: file name without `.jsonl`.
pub fn gold_label(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.strip_suffix(".jsonl").unwrap_or(&name).to_string()
}

fn detect_file(path: &Path) -> Result<LayerKind, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut first = String::new();
    BufReader::new(file)
        .read_line(&mut first)
        .map_err(|e| e.to_string())?;
    let value: serde_json::Value =
        serde_json::from_str(first.trim()).map_err(|e| format!("line 1: invalid JSON: {e}"))?;
    sitrep_eval::detect(&value)
        .ok_or_else(|| "cannot tell which layer this gold file is for".into())
}

/// Scores one gold file; returns the report and one message per unreadable line.
fn score<S: Scorer>(
    path: &Path,
    pipeline: &Pipeline,
    limit: Option<usize>,
    mut predictions: Option<&mut std::io::BufWriter<std::fs::File>>,
) -> Result<(Report, Vec<String>), String>
where
    S::Gold: Send + Sync,
{
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut scorer = S::default();
    let mut bad = Vec::new();
    let mut batch: Vec<S::Gold> = Vec::new();
    let mut taken = 0;
    let mut write_error = None;
    let mut run_batch = |batch: Vec<S::Gold>, scorer: &mut S| {
        // Records of one document run as one text (see GoldRecord::document).
        let mut groups: Vec<Vec<S::Gold>> = Vec::new();
        for gold in batch {
            match groups.last_mut() {
                Some(g) if gold.document().is_some() && g[0].document() == gold.document() => {
                    g.push(gold)
                }
                _ => groups.push(vec![gold]),
            }
        }
        let docs = par_map_ordered(groups, |golds| {
            let inputs: Vec<sitrep_eval::EvalInput> = golds.iter().map(|g| g.input()).collect();
            if golds.len() == 1 {
                let mut doc = inputs[0].to_doc();
                let _ = run_guarded(pipeline, &mut doc);
                return (golds, Vec::new(), doc);
            }
            let (whole, starts) = sitrep_eval::join_parts(&inputs);
            let mut doc = whole.to_doc();
            let _ = run_guarded(pipeline, &mut doc);
            let parts = inputs
                .iter()
                .zip(starts)
                .map(|(input, start)| sitrep_eval::part_of(&doc, input, start))
                .collect();
            (golds, parts, doc)
        });
        for (golds, parts, doc) in &docs {
            if parts.is_empty() {
                scorer.add(&golds[0], doc);
            } else {
                for (gold, part) in golds.iter().zip(parts) {
                    scorer.add(gold, part);
                }
            }
            if let Some(out) = predictions.as_mut() {
                let line = crate::extract::serialize(doc, crate::extract::OutputFormat::Jsonl);
                if let Err(e) = out.write_all(&line) {
                    write_error = Some(format!("cannot write predictions: {e}"));
                }
            }
        }
    };
    for (i, line) in BufReader::new(file).lines().enumerate() {
        if limit.is_some_and(|l| taken >= l) {
            break;
        }
        let line = line.map_err(|e| format!("line {}: {e}", i + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        match sitrep_eval::parse_line::<S::Gold>(&line) {
            Ok(g) => {
                // A full batch runs before the next document starts, never
                // in the middle of one.
                let same_document = g.document().is_some()
                    && batch.last().is_some_and(|l| l.document() == g.document());
                if batch.len() >= BATCH_SIZE && !same_document {
                    run_batch(std::mem::take(&mut batch), &mut scorer);
                }
                batch.push(g);
                taken += 1;
            }
            Err(e) => {
                bad.push(format!("{}: line {}: {e}", path.display(), i + 1));
            }
        }
    }
    run_batch(batch, &mut scorer);
    if let Some(e) = write_error {
        return Err(e);
    }
    Ok((scorer.report().with_gold(gold_label(path)), bad))
}
