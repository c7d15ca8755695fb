//! `sitrep export`: the events of `sitrep extract` output in the formats
//! other tools read — GDELT 2.0 Event and Mentions rows, a GKG-2.1-like
//! document row, PLOVER JSON records and ACLED-style CSV.
//!
//! Input is `sitrep extract --format jsonl` output (files or stdin), one
//! document per line. Which columns are filled, and how, is documented in
//! `docs/exports.md`; a column sitrep has no value for is left empty, never
//! guessed. A line that is not a sitrep document is reported with its file
//! and line number and skipped; the others are still exported (exit 1).

use std::collections::{HashMap, HashSet};
use std::io::{self, BufRead, BufReader, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde_json::{json, Value};
use sitrep_core::{Actor, Doc, Event, Place, PlaceKind};

use crate::columnar::StoreFacts;
use crate::{EXIT_FATAL, EXIT_OK, EXIT_PARTIAL};

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// GDELT 2.0 Event table: 61 tab-separated columns, one row per event.
    GdeltEvents,
    /// GDELT 2.0 Mentions table: 16 columns, one row per event mention.
    GdeltMentions,
    /// A GKG-2.1-like row per document: persons, organisations, locations,
    /// counts, quotations, amounts and dates with their offsets.
    Gkg,
    /// PLOVER JSON records, one per line.
    Plover,
    /// ACLED-style CSV, one row per event with an ACLED type.
    Acled,
    /// A GeoJSON FeatureCollection (RFC 7946): one Point per event with a
    /// resolved place, its codes, actors, date and evidence span.
    Geojson,
    /// Parquet: `documents.parquet` and `events.parquet` in the `--output`
    /// directory (schemas in docs/exports.md).
    Parquet,
    /// A GeoJSON FeatureCollection of the resolved places: one Point per
    /// gazetteer entry with its admin hierarchy and how many mentions and
    /// documents name it.
    GeojsonPlaces,
}

/// Column of NumMentions in a GDELT 2.0 Event row (NumSources and
/// NumArticles follow it).
const GDELT_NUM_MENTIONS: usize = 31;

/// Arguments of `sitrep export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(value_enum)]
    pub format: ExportFormat,
    /// `sitrep extract --format jsonl` output files (`-` or none: stdin).
    pub inputs: Vec<PathBuf>,
    /// Write a header row (GDELT tables have none by default, as GDELT's
    /// own files; ACLED CSV always has one).
    #[arg(long)]
    pub header: bool,
    /// The gazetteer index, for FIPS country codes in GDELT's geography
    /// columns (default: as `extract` finds it; without one, ISO codes are
    /// written there and a warning says so).
    #[arg(long)]
    pub gazetteer: Option<PathBuf>,
    /// Read the documents from this store (`sitrep ingest`) instead of
    /// extract output.
    #[arg(long, conflicts_with = "inputs")]
    pub db: Option<String>,
    /// With --db: skip exact copies and near-duplicates (one document per
    /// story).
    #[arg(long, requires = "db")]
    pub originals: bool,
    /// Filters on events.
    #[command(flatten)]
    pub filter: crate::filters::EventFilterArgs,
    /// Where to write (`parquet`: a directory that gets `documents.parquet`
    /// and `events.parquet`; other formats: a file, default stdout).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// Runs `sitrep export`.
pub fn run(args: &ExportArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let gaz = match crate::Resources::load(args.gazetteer.as_deref()) {
        Ok(r) => r.gazetteer,
        Err(e) => {
            let _ = writeln!(err, "sitrep: error: {e}");
            return EXIT_FATAL;
        }
    };
    if gaz.is_none() && matches!(args.format, ExportFormat::GdeltEvents) {
        let _ = writeln!(
            err,
            "sitrep: warning: no gazetteer index: GDELT geography columns get ISO 3166 codes, not FIPS 10-4"
        );
    }
    let countries = args
        .filter
        .country
        .as_deref()
        .map(|c| crate::filters::country_codes(c, gaz.as_deref()))
        .unwrap_or_default();
    let mut ctx = Ctx {
        gazetteer: gaz,
        countries,
        features: std::cell::RefCell::new(Vec::new()),
        clusters: HashMap::new(),
        written_clusters: std::cell::RefCell::new(HashSet::new()),
        places: std::cell::RefCell::new(std::collections::BTreeMap::new()),
    };
    if args.format == ExportFormat::Parquet {
        let Some(dir) = &args.output else {
            let _ = writeln!(
                err,
                "sitrep: error: parquet writes two files (documents.parquet, events.parquet): give --output DIR"
            );
            return EXIT_FATAL;
        };
        let mut sink = match crate::columnar::ParquetSink::create(dir) {
            Ok(s) => s,
            Err(e) => {
                let _ = writeln!(err, "sitrep: error: {}: {e}", dir.display());
                return EXIT_FATAL;
            }
        };
        let code = for_each_doc(args, &mut ctx, err, &mut |ctx, doc, facts| {
            sink.push(doc, facts, &|d, e| args.filter.keeps(&ctx.countries, d, e))
        });
        if code == EXIT_FATAL {
            return code;
        }
        // From a store, its clusters too: the table the Spark backfill
        // writes beside documents and events.
        let clusters = match &args.db {
            Some(db) => sitrep_store::Store::open_read_only_at(&sitrep_store::Location::parse(db))
                .and_then(|s| s.cluster_records())
                .map_err(|e| e.to_string())
                .and_then(|c| crate::columnar::write_clusters(dir, &c).map(|()| c.len())),
            None => Ok(0),
        };
        return match sink.finish().and_then(|r| clusters.map(|c| (r, c))) {
            Ok(((docs, events), clusters)) => {
                let _ = writeln!(
                    err,
                    "sitrep: {docs} documents, {events} events and {clusters} clusters written to {}",
                    dir.display()
                );
                code
            }
            Err(e) => {
                let _ = writeln!(err, "sitrep: error: {}: {e}", dir.display());
                EXIT_FATAL
            }
        };
    }
    let mut file;
    let out: &mut dyn Write = match &args.output {
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => {
                file = io::BufWriter::new(f);
                &mut file
            }
            Err(e) => {
                let _ = writeln!(err, "sitrep: error: {}: {e}", path.display());
                return EXIT_FATAL;
            }
        },
        None => out,
    };
    if let Err(e) = header(args, out) {
        return write_failed(&e, err);
    }
    let code = for_each_doc(args, &mut ctx, err, &mut |ctx, doc, facts| {
        write_doc(ctx, args, doc, facts, out)
    });
    if code == EXIT_FATAL {
        return code;
    }
    if let Err(e) = finish(&ctx, args, out).and_then(|()| out.flush()) {
        return write_failed(&e, err);
    }
    code
}

/// What a document visitor does with each document: an IO error ends the
/// export (a closed pipe quietly).
type Visit<'a> = dyn FnMut(&Ctx, &Doc, &StoreFacts) -> io::Result<()> + 'a;

/// Calls `visit` on every input document, from the store (`--db`) or from
/// extract output, reporting bad records and skipping them. Returns the
/// exit code so far.
fn for_each_doc(
    args: &ExportArgs,
    ctx: &mut Ctx,
    err: &mut dyn Write,
    visit: &mut Visit<'_>,
) -> u8 {
    if let Some(db) = &args.db {
        return store_docs(args, ctx, &sitrep_store::Location::parse(db), err, visit);
    }
    let mut code = EXIT_OK;
    let inputs: Vec<Option<PathBuf>> = if args.inputs.is_empty() {
        vec![None]
    } else {
        args.inputs
            .iter()
            .map(|p| (p.as_os_str() != "-").then(|| p.clone()))
            .collect()
    };
    let none = StoreFacts::default();
    for input in inputs {
        let name = input
            .as_ref()
            .map_or_else(|| "<stdin>".to_string(), |p| p.display().to_string());
        let reader: Box<dyn BufRead> = match &input {
            None => Box::new(BufReader::new(io::stdin())),
            Some(p) => match std::fs::File::open(p) {
                Ok(f) => Box::new(BufReader::new(f)),
                Err(e) => {
                    let _ = writeln!(err, "sitrep: error: {name}: {e}");
                    code = EXIT_PARTIAL;
                    continue;
                }
            },
        };
        for (n, line) in reader.lines().enumerate() {
            let line = match line {
                Ok(l) => l,
                Err(e) => {
                    let _ = writeln!(err, "sitrep: error: {name}:{}: {e}", n + 1);
                    code = EXIT_PARTIAL;
                    break;
                }
            };
            if line.trim().is_empty() {
                continue;
            }
            let doc: Doc = match serde_json::from_str::<Doc>(&line) {
                Ok(mut d) => {
                    d.reindex();
                    d
                }
                Err(e) => {
                    let _ = writeln!(
                        err,
                        "sitrep: error: {name}:{}: not a sitrep document (run `sitrep extract --format jsonl` first): {e}",
                        n + 1
                    );
                    code = EXIT_PARTIAL;
                    continue;
                }
            };
            if let Err(e) = visit(ctx, &doc, &none) {
                let c = write_failed(&e, err);
                return if c == EXIT_OK { code } else { c };
            }
        }
    }
    code
}

/// The documents of the store, in the order stored, with their duplicate
/// groups and their events' clusters (whose counts `ctx` learns first).
fn store_docs(
    args: &ExportArgs,
    ctx: &mut Ctx,
    db: &sitrep_store::Location,
    err: &mut dyn Write,
    visit: &mut Visit<'_>,
) -> u8 {
    let store = match sitrep_store::Store::open_read_only_at(db) {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(err, "sitrep: error: {e}");
            return EXIT_FATAL;
        }
    };
    match store.cluster_records() {
        Ok(c) => {
            ctx.clusters = c
                .iter()
                .map(|k| (k.id, [k.num_mentions, k.num_sources, k.num_articles]))
                .collect()
        }
        Err(e) => {
            let _ = writeln!(err, "sitrep: error: {db}: {e}");
            return EXIT_FATAL;
        }
    }
    let ctx: &Ctx = ctx;
    let mut code = EXIT_OK;
    let mut after = 0;
    loop {
        // A page at a time, so a store of any size exports in bounded memory.
        let page = match store.documents_after(after, args.originals, 500) {
            Ok(p) => p,
            Err(e) => {
                let _ = writeln!(err, "sitrep: error: {db}: {e}");
                return EXIT_FATAL;
            }
        };
        let Some(last) = page.last() else {
            return code;
        };
        after = last.id;
        for stored in page {
            match &stored.doc {
                Ok(doc) => {
                    let facts = StoreFacts {
                        article_id: Some(stored.id),
                        dup_group: stored.dup.group,
                        dup_kind: Some(stored.dup.kind.name().to_string()),
                        dup_of: stored.dup.of,
                        dup_similarity: stored.dup.similarity,
                        clusters: stored.clusters.clone(),
                    };
                    if let Err(e) = visit(ctx, doc, &facts) {
                        let c = write_failed(&e, err);
                        return if c == EXIT_OK { code } else { c };
                    }
                }
                Err(e) => {
                    let _ = writeln!(
                        err,
                        "sitrep: error: {db}: article {}: unreadable document: {e}",
                        stored.id
                    );
                    code = EXIT_PARTIAL;
                }
            }
        }
    }
}

/// An enum as its JSON name (`inferred`, `dateline`).
pub(crate) fn enum_text<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// The exit code for a failed write: a closed pipe (`| head`) is the
/// reader's choice, not an error.
fn write_failed(e: &io::Error, err: &mut dyn Write) -> u8 {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return EXIT_OK;
    }
    let _ = writeln!(err, "sitrep: error: writing output: {e}");
    EXIT_FATAL
}

/// What a format writes after the last document.
fn finish(ctx: &Ctx, args: &ExportArgs, out: &mut dyn Write) -> io::Result<()> {
    if args.format == ExportFormat::Geojson {
        let features = std::mem::take(&mut *ctx.features.borrow_mut());
        let fc = json!({"type": "FeatureCollection", "features": features});
        writeln!(out, "{fc}")?;
    }
    if args.format == ExportFormat::GeojsonPlaces {
        let places = std::mem::take(&mut *ctx.places.borrow_mut());
        let mut features: Vec<&PlaceTally> = places.values().collect();
        features.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.key.cmp(&b.key)));
        let features: Vec<Value> = features.into_iter().map(PlaceTally::feature).collect();
        let fc = json!({"type": "FeatureCollection", "features": features});
        writeln!(out, "{fc}")?;
    }
    Ok(())
}

/// A resolved place summed over the documents that name it.
#[derive(Debug)]
struct PlaceTally {
    key: String,
    place: Place,
    mentions: u64,
    documents: Vec<String>,
}

impl PlaceTally {
    /// Documents listed per place at most (the count is complete).
    const LISTED: usize = 20;

    fn feature(&self) -> Value {
        let p = &self.place;
        json!({
            "type": "Feature",
            "id": self.key,
            "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
            "properties": {
                "name": p.name,
                "kind": enum_text(&p.kind),
                "feature": p.feature,
                "country": p.country,
                "admin1": p.admin1,
                "admin2": p.admin2,
                "gazetteer_id": p.gazetteer_id,
                "mentions": self.mentions,
                "documents": self.documents.len(),
                "doc_ids": self.documents.iter().take(Self::LISTED).collect::<Vec<_>>(),
                "by": p.by,
            }
        })
    }
}

/// The gazetteer, when found, for country names and FIPS codes; without
/// it both fall back to the ISO alpha-2 code.
struct Ctx {
    gazetteer: Option<std::sync::Arc<sitrep_gazetteer::Gazetteer>>,
    /// The codes `--country` matches (alpha-2 and alpha-3).
    countries: Vec<String>,
    /// GeoJSON features, written as one collection at the end.
    features: std::cell::RefCell<Vec<Value>>,
    /// From the store: each cluster's NumMentions, NumSources, NumArticles.
    clusters: HashMap<i64, [i64; 3]>,
    /// Clusters whose GDELT event row is written (one row per cluster).
    written_clusters: std::cell::RefCell<HashSet<i64>>,
    /// Places summed over documents, by gazetteer id (else name).
    places: std::cell::RefCell<std::collections::BTreeMap<String, PlaceTally>>,
}

impl Ctx {
    fn country_name(&self, iso: &str) -> String {
        self.gazetteer
            .as_ref()
            .and_then(|g| g.country_name(iso))
            .unwrap_or(iso)
            .to_string()
    }

    fn fips(&self, iso: &str) -> String {
        self.gazetteer
            .as_ref()
            .and_then(|g| g.fips(iso))
            .unwrap_or(iso)
            .to_string()
    }
}

/// The GDELT 2.0 Event columns, in order (GDELT Event Codebook 2.0).
pub const GDELT_EVENT_COLUMNS: [&str; 61] = [
    "GlobalEventID",
    "Day",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// The GDELT 2.0 Mentions columns, in order.
pub const GDELT_MENTION_COLUMNS: [&str; 16] = [
    "GlobalEventID",
    "EventTimeDate",
    "MentionTimeDate",
    "MentionType",
    "MentionSourceName",
    "MentionIdentifier",
    "SentenceID",
    "Actor1CharOffset",
    "Actor2CharOffset",
    "ActionCharOffset",
    "InRawText",
    "Confidence",
    "MentionDocLen",
    "MentionDocTone",
    "MentionDocTranslationInfo",
    "Extras",
];

/// The GKG-like document columns.
pub const GKG_COLUMNS: [&str; 12] = [
    "GKGRECORDID",
    "DATE",
    "SourceCommonName",
    "DocumentIdentifier",
    "V2Counts",
    "V2Locations",
    "V2Persons",
    "V2Organizations",
    "V2Quotations",
    "V2Amounts",
    "V2Dates",
    "V2Events",
];

/// The ACLED-style CSV columns.
pub const ACLED_COLUMNS: [&str; 22] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor1_code",
    "actor2",
    "actor2_code",
    "civilian_targeting",
    "iso2",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
];

fn header(args: &ExportArgs, out: &mut dyn Write) -> io::Result<()> {
    let cols: &[&str] = match args.format {
        ExportFormat::GdeltEvents if args.header => &GDELT_EVENT_COLUMNS,
        ExportFormat::GdeltMentions if args.header => &GDELT_MENTION_COLUMNS,
        ExportFormat::Gkg if args.header => &GKG_COLUMNS,
        ExportFormat::Acled => {
            return writeln!(out, "{}", ACLED_COLUMNS.join(","));
        }
        _ => return Ok(()),
    };
    writeln!(out, "{}", cols.join("\t"))
}

fn write_doc(
    ctx: &Ctx,
    args: &ExportArgs,
    doc: &Doc,
    facts: &StoreFacts,
    out: &mut dyn Write,
) -> io::Result<()> {
    // Indices stay those of the document, so event ids are the same with
    // and without filters.
    let events = || {
        doc.events
            .iter()
            .enumerate()
            .filter(|(_, e)| args.filter.keeps(&ctx.countries, doc, e))
    };
    match args.format {
        ExportFormat::GdeltEvents => {
            for (i, e) in doc.events.iter().enumerate() {
                // From the store, GDELT's shape: one row per event
                // (cluster), its first mention in store order standing for
                // it (filters or not, so a filtered row is the same row),
                // with the cluster's counts; each mention is a Mentions row.
                let cluster = facts.clusters.get(i).copied().flatten();
                if let Some(c) = cluster {
                    if !ctx.written_clusters.borrow_mut().insert(c) {
                        continue;
                    }
                }
                if !args.filter.keeps(&ctx.countries, doc, e) {
                    continue;
                }
                let mut row = gdelt_event(ctx, doc, i, e);
                if let Some(c) = cluster {
                    row[0] = c.to_string();
                    if let Some(counts) = ctx.clusters.get(&c) {
                        for (k, n) in counts.iter().enumerate() {
                            row[GDELT_NUM_MENTIONS + k] = n.to_string();
                        }
                    }
                }
                writeln!(out, "{}", tsv(&row))?;
            }
        }
        ExportFormat::GdeltMentions => {
            for (i, e) in events() {
                let mut row = gdelt_mention(doc, i, e);
                if let Some(c) = facts.clusters.get(i).copied().flatten() {
                    row[0] = c.to_string();
                }
                writeln!(out, "{}", tsv(&row))?;
            }
        }
        ExportFormat::Gkg => {
            if !args.filter.any() || events().next().is_some() {
                writeln!(out, "{}", tsv(&gkg(doc)))?
            }
        }
        ExportFormat::Plover => {
            for (i, e) in events() {
                if e.plover.is_some() {
                    writeln!(out, "{}", plover(doc, i, e))?;
                }
            }
        }
        ExportFormat::Acled => {
            for (i, e) in events() {
                if e.acled.is_some() {
                    writeln!(out, "{}", csv(&acled(ctx, doc, i, e)))?;
                }
            }
        }
        // Written by columnar::ParquetSink, not line by line.
        ExportFormat::Parquet => {}
        ExportFormat::GeojsonPlaces => {
            if !args.filter.keeps_document(doc) {
                return Ok(());
            }
            let mut places = ctx.places.borrow_mut();
            for p in &doc.places {
                let (Some(lat), Some(lon)) = (p.lat, p.lon) else {
                    continue;
                };
                if p.metonymy
                    || !args
                        .filter
                        .keeps_point(&ctx.countries, p.country.as_deref(), lat, lon)
                {
                    continue;
                }
                let key = p
                    .gazetteer_id
                    .clone()
                    .or_else(|| p.name.clone())
                    .unwrap_or_else(|| p.text.clone());
                let tally = places.entry(key.clone()).or_insert_with(|| PlaceTally {
                    key,
                    place: p.clone(),
                    mentions: 0,
                    documents: Vec::new(),
                });
                tally.mentions += 1;
                if tally.documents.last() != Some(&doc.id) {
                    tally.documents.push(doc.id.clone());
                }
            }
        }
        ExportFormat::Geojson => {
            let mut features = ctx.features.borrow_mut();
            for (i, e) in events() {
                if let Some(f) = geojson_feature(doc, i, e) {
                    features.push(f);
                }
            }
        }
    }
    Ok(())
}

/// A GeoJSON Point feature for an event with coordinates.
fn geojson_feature(doc: &Doc, i: usize, e: &Event) -> Option<Value> {
    let p = e.place.as_ref()?;
    let (lat, lon) = p.lat.zip(p.lon)?;
    Some(json!({
        "type": "Feature",
        "id": event_id(doc, i).to_string(),
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {
            "doc_id": doc.id,
            "url": doc.url,
            "cameo": e.cameo,
            "quad_class": e.quad_class,
            "goldstein": e.goldstein,
            "plover": e.plover.as_ref().map(|p| p.category.as_str()),
            "acled_event_type": e.acled.as_ref().map(|a| a.event_type.as_str()),
            "acled_sub_event_type": e.acled.as_ref().map(|a| a.sub_event_type.as_str()),
            "source": actor_json(e.source.as_ref()),
            "target": actor_json(e.target.as_ref()),
            "place": p.name,
            "place_text": p.text,
            "country": p.country,
            "date": e.date.as_ref().map(|d| d.value.as_str()),
            "modality": e.modality,
            "text": e.text,
            "start": e.start,
            "end": e.end,
            "by": e.by,
        }
    }))
}

/// Tab-separated, with tabs and newlines inside fields made spaces.
fn tsv(fields: &[String]) -> String {
    fields
        .iter()
        .map(|f| f.replace(['\t', '\n', '\r'], " "))
        .collect::<Vec<_>>()
        .join("\t")
}

/// RFC 4180 CSV.
fn csv(fields: &[String]) -> String {
    fields
        .iter()
        .map(|f| {
            if f.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// A stable numeric id for event `i` of a document: the same input gives
/// the same id on every run and machine.
pub(crate) fn event_id(doc: &Doc, i: usize) -> u64 {
    // FNV-1a over the document id, URL and index: fixed by its definition,
    // unlike std's hasher, which may change between Rust releases.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let url = doc.url.as_deref().unwrap_or("");
    for b in doc
        .id
        .bytes()
        .chain([0])
        .chain(url.bytes())
        .chain([0])
        .chain(i.to_le_bytes())
    {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    // GDELT ids are positive and fit in a signed 64-bit column.
    h >> 1
}

/// The event's date as `YYYYMMDD` (only a full day is a GDELT day).
fn day(e: &Event) -> Option<String> {
    let v = &e.date.as_ref()?.value;
    let b = v.as_bytes();
    (b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && b[..4].iter().all(u8::is_ascii_digit))
        .then(|| format!("{}{}{}", &v[..4], &v[5..7], &v[8..10]))
}

fn fraction_date(day: &str) -> String {
    let (Ok(y), Ok(m), Ok(d)) = (
        day[..4].parse::<f64>(),
        day[4..6].parse::<f64>(),
        day[6..8].parse::<f64>(),
    ) else {
        return String::new();
    };
    // GDELT's own approximation: year + (month*30 + day) / 365.
    format!("{:.4}", y + (m * 30.0 + d) / 365.0)
}

/// Actor code split as GDELT does: country, known group, up to three types.
fn actor_fields(a: Option<&Actor>) -> [String; 10] {
    let Some(a) = a else {
        return Default::default();
    };
    let code = a.code.clone().unwrap_or_default();
    let country = a.country.clone().unwrap_or_default();
    let rest = if !country.is_empty() && code.starts_with(&country) {
        &code[country.len()..]
    } else if code.starts_with("---") || code.starts_with("IGO") || code.starts_with("NGO") {
        &code[3..]
    } else {
        code.as_str()
    };
    let mut known = String::new();
    let mut types: Vec<String> = Vec::new();
    let mut k = 0;
    while k + 3 <= rest.len() {
        let part = &rest[k..k + 3];
        if matches!(part, "UNO" | "NAT" | "EUR" | "ARL" | "AFR") && known.is_empty() {
            known = part.to_string();
        } else if types.len() < 3 {
            types.push(part.to_string());
        }
        k += 3;
    }
    if code.starts_with("IGO") && known.is_empty() {
        known = "IGO".into();
    }
    let name = a
        .canonical
        .clone()
        .unwrap_or_else(|| a.text.clone())
        .to_uppercase();
    let mut out: [String; 10] = Default::default();
    out[0] = code;
    out[1] = name;
    out[2] = country;
    out[3] = known;
    for (i, t) in types.into_iter().enumerate() {
        out[7 + i] = t;
    }
    out
}

/// The `doc.places` entry an event's place points to.
fn place_of<'d>(doc: &'d Doc, e: &Event) -> Option<&'d Place> {
    let ep = e.place.as_ref()?;
    doc.places
        .iter()
        .find(|p| p.start == ep.start && p.end == ep.end)
}

/// GDELT geography: type, full name, country (FIPS), ADM1, ADM2, lat, lon,
/// feature id.
fn geo_fields(ctx: &Ctx, p: Option<&Place>) -> [String; 8] {
    let Some(p) = p else {
        return Default::default();
    };
    let iso = p.country.clone().unwrap_or_default();
    let us = iso == "US";
    let kind = match p.kind {
        PlaceKind::Country => "1",
        PlaceKind::Admin1 | PlaceKind::Admin2 if us => "2",
        PlaceKind::Admin1 | PlaceKind::Admin2 => "5",
        _ if us => "3",
        _ => "4",
    };
    let country_name = |cc: &str| ctx.country_name(cc);
    let mut full: Vec<String> = vec![p.name.clone().unwrap_or_else(|| p.text.clone())];
    if p.kind != PlaceKind::Country {
        if let Some(a1) = &p.admin1 {
            full.push(a1.clone());
        }
        if !iso.is_empty() {
            full.push(country_name(&iso));
        }
    }
    let fips = ctx.fips(&iso);
    [
        kind.to_string(),
        full.join(", "),
        fips,
        String::new(),
        String::new(),
        p.lat.map(|v| format!("{v:.4}")).unwrap_or_default(),
        p.lon.map(|v| format!("{v:.4}")).unwrap_or_default(),
        p.gazetteer_id
            .as_deref()
            .map(|g| g.rsplit(':').next().unwrap_or(g).to_string())
            .unwrap_or_default(),
    ]
}

/// The place a GDELT actor geography column takes: the actor's own span
/// if it is a place ("Kyiv said"), else none.
fn actor_place<'d>(doc: &'d Doc, a: Option<&Actor>) -> Option<&'d Place> {
    let a = a?;
    doc.places
        .iter()
        .find(|p| p.start >= a.start && p.end <= a.end)
}

/// Whether an event is in the lead: the first three sentences (GDELT's
/// IsRootEvent marks events of the lead paragraph).
pub(crate) fn in_lead(doc: &Doc, e: &Event) -> bool {
    doc.sentences.get(2).is_none_or(|s| e.start < s.end)
}

fn source_name(doc: &Doc) -> String {
    doc.url
        .as_deref()
        .and_then(|u| u.split("://").nth(1))
        .and_then(|rest| rest.split('/').next())
        .map(|h| h.trim_start_matches("www.").to_string())
        .unwrap_or_default()
}

fn gdelt_event(ctx: &Ctx, doc: &Doc, i: usize, e: &Event) -> Vec<String> {
    let mut row: Vec<String> = Vec::with_capacity(61);
    let day = day(e).unwrap_or_default();
    row.push(event_id(doc, i).to_string());
    row.push(day.clone());
    row.push(day.get(..6).unwrap_or_default().to_string());
    row.push(day.get(..4).unwrap_or_default().to_string());
    row.push(if day.is_empty() {
        String::new()
    } else {
        fraction_date(&day)
    });
    row.extend(actor_fields(e.source.as_ref()));
    row.extend(actor_fields(e.target.as_ref()));
    row.push(if in_lead(doc, e) { "1" } else { "0" }.into());
    row.push(e.cameo.clone());
    row.push(e.cameo.chars().take(3).collect());
    row.push(e.cameo.chars().take(2).collect());
    row.push(e.quad_class.to_string());
    row.push(format!("{:.1}", e.goldstein));
    // One document: one mention, one source, one article. The store
    // (cross-article clustering) counts them across documents.
    row.extend(["1", "1", "1"].map(String::from));
    row.push(String::new()); // AvgTone: sitrep scores no tone.
    row.extend(geo_fields(ctx, actor_place(doc, e.source.as_ref())));
    row.extend(geo_fields(ctx, actor_place(doc, e.target.as_ref())));
    row.extend(geo_fields(ctx, place_of(doc, e)));
    let published = doc
        .published
        .map(|d| d.to_string().replace('-', ""))
        .unwrap_or_default();
    row.push(if published.is_empty() {
        String::new()
    } else {
        format!("{published}000000")
    });
    row.push(doc.url.clone().unwrap_or_else(|| doc.id.clone()));
    debug_assert_eq!(row.len(), 61);
    row
}

fn sentence_index(doc: &Doc, c: usize) -> usize {
    doc.sentences.partition_point(|s| s.end <= c)
}

fn gdelt_mention(doc: &Doc, i: usize, e: &Event) -> Vec<String> {
    let day = day(e).map(|d| format!("{d}000000")).unwrap_or_default();
    let published = doc
        .published
        .map(|d| format!("{}000000", d.to_string().replace('-', "")))
        .unwrap_or_default();
    let confidence = if e.modality == "asserted" { 100 } else { 50 };
    vec![
        event_id(doc, i).to_string(),
        day,
        published,
        if doc.url.is_some() { "1" } else { "6" }.into(),
        source_name(doc),
        doc.url.clone().unwrap_or_else(|| doc.id.clone()),
        (sentence_index(doc, e.start) + 1).to_string(),
        e.source
            .as_ref()
            .map_or("-1".into(), |a| a.start.to_string()),
        e.target
            .as_ref()
            .map_or("-1".into(), |a| a.start.to_string()),
        e.start.to_string(),
        "1".into(),
        confidence.to_string(),
        doc.len_chars().to_string(),
        String::new(),
        String::new(),
        String::new(),
    ]
}

fn gkg(doc: &Doc) -> Vec<String> {
    use sitrep_core::EntityType;
    let join = |v: Vec<String>| v.join(";");
    let names = |kind: EntityType| {
        join(
            doc.entities
                .iter()
                .filter(|e| e.kind == kind)
                .map(|e| format!("{},{}", e.canonical.replace([';', ','], " "), e.start))
                .collect(),
        )
    };
    let locations = join(
        doc.places
            .iter()
            .filter(|p| p.lat.is_some())
            .map(|p| {
                format!(
                    "{}#{}#{}#{}#{}#{}#{}#{}",
                    match p.kind {
                        PlaceKind::Country => 1,
                        PlaceKind::Admin1 | PlaceKind::Admin2 => 5,
                        _ => 4,
                    },
                    p.name
                        .as_deref()
                        .unwrap_or(&p.text)
                        .replace(['#', ';'], " "),
                    p.country.as_deref().unwrap_or(""),
                    p.admin1.as_deref().unwrap_or("").replace(['#', ';'], " "),
                    p.lat.map(|v| format!("{v:.4}")).unwrap_or_default(),
                    p.lon.map(|v| format!("{v:.4}")).unwrap_or_default(),
                    p.gazetteer_id.as_deref().unwrap_or(""),
                    p.start
                )
            })
            .collect(),
    );
    let counts = join(
        doc.claims
            .iter()
            .map(|c| {
                format!(
                    "{}#{}#{}#{}",
                    c.kind.as_deref().unwrap_or("").to_uppercase(),
                    c.value,
                    c.unit.as_deref().unwrap_or("").replace(['#', ';'], " "),
                    c.start
                )
            })
            .collect(),
    );
    let quotations = join(
        doc.quotes
            .iter()
            .filter(|q| q.direct)
            .map(|q| {
                format!(
                    "{}|{}|{}|{}",
                    q.start,
                    q.end - q.start,
                    q.cue.as_ref().map_or("", |c| c.text.as_str()),
                    q.text.replace(['|', '#', ';'], " ")
                )
            })
            .collect(),
    );
    let amounts = join(
        doc.claims
            .iter()
            .map(|c| {
                format!(
                    "{},{},{}",
                    c.value,
                    c.unit.as_deref().unwrap_or("").replace([',', ';'], " "),
                    c.start
                )
            })
            .collect(),
    );
    let dates = join(
        doc.times
            .iter()
            .filter(|t| t.value.len() >= 4 && t.value[..4].bytes().all(|b| b.is_ascii_digit()))
            .map(|t| format!("{}#{}", t.value, t.start))
            .collect(),
    );
    let events = join(
        doc.events
            .iter()
            .map(|e| {
                format!(
                    "{}#{}#{}#{}",
                    e.cameo,
                    e.source
                        .as_ref()
                        .and_then(|a| a.code.as_deref())
                        .unwrap_or(""),
                    e.target
                        .as_ref()
                        .and_then(|a| a.code.as_deref())
                        .unwrap_or(""),
                    e.start
                )
            })
            .collect(),
    );
    let date = doc
        .published
        .map(|d| format!("{}000000", d.to_string().replace('-', "")))
        .unwrap_or_default();
    vec![
        format!("{:x}", event_id(doc, usize::MAX)),
        date,
        source_name(doc),
        doc.url.clone().unwrap_or_else(|| doc.id.clone()),
        counts,
        locations,
        names(EntityType::Person),
        names(EntityType::Org),
        quotations,
        amounts,
        dates,
        events,
    ]
}

fn actor_json(a: Option<&Actor>) -> Value {
    match a {
        None => Value::Null,
        Some(a) => {
            let code = a.code.clone().unwrap_or_default();
            let country = a.country.clone();
            let sector = code
                .get(country.as_deref().map_or(3, str::len)..)
                .unwrap_or("")
                .to_string();
            json!({
                "actorText": a.text,
                "name": a.canonical,
                "code": code,
                "country": country,
                "sector": if sector.is_empty() { Value::Null } else { Value::String(sector) },
                "start": a.start,
                "end": a.end,
            })
        }
    }
}

fn plover(doc: &Doc, i: usize, e: &Event) -> String {
    let p = e.plover.as_ref();
    let place = e.place.as_ref().map(|pl| {
        json!({
            "name": pl.name.clone().unwrap_or_else(|| pl.text.clone()),
            "text": pl.text, "start": pl.start, "end": pl.end,
            "lat": pl.lat, "lon": pl.lon, "country": pl.country,
            "gazetteer_id": pl.gazetteer_id,
        })
    });
    json!({
        "id": format!("{}-{}", doc.id, i),
        "date": e.date.as_ref().map(|d| d.value.clone()),
        "date_precision": e.date.as_ref().map(|d| d.precision.clone()),
        "event": p.map(|p| p.category.clone()),
        "mode": p.and_then(|p| p.mode.clone()),
        "context": p.map(|p| p.context.clone()).unwrap_or_default(),
        "actor": actor_json(e.source.as_ref()),
        "recipient": actor_json(e.target.as_ref()),
        "event_text": e.text,
        "event_start": e.start,
        "event_end": e.end,
        "event_loc": place,
        "modality": e.modality,
        "attribution": e.attribution.as_ref().map(|a| a.canonical.clone().unwrap_or_else(|| a.text.clone())),
        "via": e.via.as_ref().map(|a| a.canonical.clone().unwrap_or_else(|| a.text.clone())),
        "cameo": e.cameo,
        "by": e.by,
        "source_doc": doc.id,
        "url": doc.url,
        "language": doc.language,
        "coder": "sitrep",
    })
    .to_string()
}

fn acled(ctx: &Ctx, doc: &Doc, i: usize, e: &Event) -> Vec<String> {
    let a = e.acled.as_ref();
    let place = place_of(doc, e);
    let date = e.date.as_ref();
    // ACLED time precision: 1 the day is known, 2 the week or a few days,
    // 3 only the month or longer.
    let precision = match date.map(|d| d.precision.as_str()) {
        Some("day") | Some("time") => "1",
        Some("week") => "2",
        Some(_) => "3",
        None => "",
    };
    let geo_precision = match place.map(|p| p.kind) {
        Some(PlaceKind::Settlement | PlaceKind::Site) => "1",
        Some(PlaceKind::Admin2) => "2",
        Some(_) => "3",
        None => "",
    };
    let civilian = e
        .target
        .as_ref()
        .and_then(|t| t.code.as_deref())
        .is_some_and(|c| c.contains("CVL") || c.contains("REF"))
        && a.is_some_and(|a| a.event_type == "Violence against civilians");
    // Fatalities: a "killed" count in the event's sentence.
    let s = sentence_index(doc, e.start);
    let (s0, s1) = doc.sentences.get(s).map_or((0, 0), |s| (s.start, s.end));
    let fatalities = doc
        .claims
        .iter()
        .filter(|c| c.start >= s0 && c.end <= s1 && c.kind.as_deref() == Some("killed"))
        .map(|c| c.value)
        .fold(None, |acc: Option<f64>, v| Some(acc.unwrap_or(0.0) + v));
    let iso2 = place.and_then(|p| p.country.clone()).unwrap_or_default();
    let country = if iso2.is_empty() {
        String::new()
    } else {
        ctx.country_name(&iso2)
    };
    vec![
        format!("SITREP{}", event_id(doc, i)),
        date.map(|d| d.value.clone()).unwrap_or_default(),
        date.map(|d| d.value.chars().take(4).collect())
            .unwrap_or_default(),
        precision.into(),
        a.map(|a| a.event_type.clone()).unwrap_or_default(),
        a.map(|a| a.sub_event_type.clone()).unwrap_or_default(),
        e.source
            .as_ref()
            .map(|s| s.canonical.clone().unwrap_or_else(|| s.text.clone()))
            .unwrap_or_default(),
        e.source
            .as_ref()
            .and_then(|s| s.code.clone())
            .unwrap_or_default(),
        e.target
            .as_ref()
            .map(|s| s.canonical.clone().unwrap_or_else(|| s.text.clone()))
            .unwrap_or_default(),
        e.target
            .as_ref()
            .and_then(|s| s.code.clone())
            .unwrap_or_default(),
        if civilian {
            "Civilian targeting".into()
        } else {
            String::new()
        },
        iso2,
        country,
        place.and_then(|p| p.admin1.clone()).unwrap_or_default(),
        place.and_then(|p| p.admin2.clone()).unwrap_or_default(),
        place
            .map(|p| p.name.clone().unwrap_or_else(|| p.text.clone()))
            .unwrap_or_default(),
        place
            .and_then(|p| p.lat)
            .map(|v| format!("{v:.4}"))
            .unwrap_or_default(),
        place
            .and_then(|p| p.lon)
            .map(|v| format!("{v:.4}"))
            .unwrap_or_default(),
        geo_precision.into(),
        e.attribution
            .as_ref()
            .map(|a| a.canonical.clone().unwrap_or_else(|| a.text.clone()))
            .or_else(|| Some(source_name(doc)).filter(|s| !s.is_empty()))
            .unwrap_or_default(),
        format!("{} [{}; {}]", e.text, e.modality, e.by),
        fatalities.map(|f| format!("{f}")).unwrap_or_default(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_and_tsv_quote_what_they_must() {
        assert_eq!(
            csv(&["a".into(), "b,c".into(), "say \"x\"".into()]),
            "a,\"b,c\",\"say \"\"x\"\"\""
        );
        assert_eq!(tsv(&["a\tb".into(), "c\nd".into()]), "a b\tc d");
    }

    #[test]
    fn actor_codes_split_as_gdelt_does() {
        let a = Actor {
            text: "Russian troops".into(),
            start: 0,
            end: 14,
            canonical: None,
            code: Some("RUSMILGOV".into()),
            country: Some("RUS".into()),
        };
        let f = actor_fields(Some(&a));
        assert_eq!(
            (f[0].as_str(), f[2].as_str(), f[7].as_str(), f[8].as_str()),
            ("RUSMILGOV", "RUS", "MIL", "GOV")
        );
        let un = Actor {
            code: Some("IGOUNO".into()),
            country: None,
            ..a
        };
        let f = actor_fields(Some(&un));
        assert_eq!((f[2].as_str(), f[3].as_str()), ("", "UNO"));
        assert_eq!(fraction_date("20231030"), "2023.9041");
    }
}
