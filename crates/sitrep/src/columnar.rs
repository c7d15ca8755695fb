//! Documents and events as Arrow record batches: the tables of
//! `sitrep export parquet` (Parquet files for DuckDB, Spark and pandas) and
//! of the Spark backfill, which must agree column for column.
//!
//! Three tables:
//!
//! - `documents`: one row per article, its metadata, its text, how many
//!   items each layer holds, its duplicate group (from the store) and the
//!   whole annotated document as JSON, so nothing is lost on the way;
//! - `clusters` (from a store or the backfill): one row per event cluster,
//!   as the store's `clusters` table holds it;
//! - `events`: one row per event mention, flat: codes, actors, place with
//!   coordinates, date, attribution, modality, control, confidence, the rule
//!   that produced it, its evidence span, and its cross-article cluster
//!   (from the store).
//!
//! Dates that are whole days are Arrow `Date32` (`published`,
//! `event_date`), so a table can be partitioned and filtered by day; the
//! TIMEX3 value is kept beside them as text. Spans are code points into
//! the document's `text`, as everywhere in sitrep.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, Float64Array, Int32Array, Int64Array, RecordBatch,
    StringArray,
};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use sitrep_core::{Actor, Doc, Event};
use sitrep_store::query::ClusterRow;

/// What the store adds to a document: its duplicate group and kind, and
/// each event's cluster. Extract output has none of it.
#[derive(Debug, Clone, Default)]
pub struct StoreFacts {
    /// The article's id in the store.
    pub article_id: Option<i64>,
    /// The duplicate group (id of the group's first article).
    pub dup_group: Option<i64>,
    /// original, exact or near.
    pub dup_kind: Option<String>,
    /// The article it copies.
    pub dup_of: Option<i64>,
    /// Estimated similarity to `dup_of`.
    pub dup_similarity: Option<f64>,
    /// Cluster id of each event, by index.
    pub clusters: Vec<Option<i64>>,
}

fn field(name: &str, t: DataType, nullable: bool) -> Field {
    Field::new(name, t, nullable)
}

/// The `documents` table's schema.
pub fn documents_schema() -> SchemaRef {
    use DataType::*;
    Arc::new(Schema::new(vec![
        field("doc_id", Utf8, false),
        field("url", Utf8, true),
        field("title", Utf8, true),
        field("published", Date32, true),
        field("published_source", Utf8, false),
        field("language", Utf8, true),
        field("publisher", Utf8, false),
        field("text", Utf8, false),
        field("chars", Int64, false),
        field("entities", Int32, false),
        field("places", Int32, false),
        field("times", Int32, false),
        field("quotes", Int32, false),
        field("claims", Int32, false),
        field("events", Int32, false),
        field("dup_group", Int64, true),
        field("dup_kind", Utf8, true),
        field("doc", Utf8, false),
        field("article_id", Int64, true),
        field("dup_of", Int64, true),
        field("dup_similarity", Float64, true),
    ]))
}

/// The `events` table's schema.
pub fn events_schema() -> SchemaRef {
    use DataType::*;
    let mut fields = vec![
        field("event_id", Int64, false),
        field("doc_id", Utf8, false),
        field("idx", Int32, false),
        field("published", Date32, true),
        field("start", Int64, false),
        field("end", Int64, false),
        field("text", Utf8, false),
        field("cameo", Utf8, false),
        field("event_root", Utf8, false),
        field("quad_class", Int32, false),
        field("goldstein", Float64, false),
        field("plover", Utf8, true),
        field("plover_mode", Utf8, true),
        field("acled_type", Utf8, true),
        field("acled_sub_type", Utf8, true),
    ];
    for side in ["source", "target"] {
        for part in ["text", "name", "code", "country"] {
            fields.push(field(&format!("{side}_{part}"), Utf8, true));
        }
    }
    fields.extend([
        field("place_text", Utf8, true),
        field("place_name", Utf8, true),
        field("gazetteer_id", Utf8, true),
        field("country", Utf8, true),
        field("lat", Float64, true),
        field("lon", Float64, true),
        field("date", Utf8, true),
        field("date_precision", Utf8, true),
        field("event_date", Date32, true),
        field("attribution", Utf8, true),
        field("via", Utf8, true),
        field("modality", Utf8, false),
        field("control", Utf8, true),
        field("confidence", Float64, false),
        field("by", Utf8, false),
        field("in_lead", Boolean, false),
        field("cluster_id", Int64, true),
        field("dup_group", Int64, true),
        field("article_id", Int64, true),
    ]);
    Arc::new(Schema::new(fields))
}

fn strings<'a>(v: impl IntoIterator<Item = Option<&'a str>>) -> ArrayRef {
    Arc::new(v.into_iter().collect::<StringArray>())
}

fn day_of(value: &str) -> Option<i32> {
    let d = value.get(..10)?;
    let mut parts = d.split('-');
    let (y, m, day) = (parts.next()?, parts.next()?, parts.next()?);
    let date = sitrep_core::Date::new(y.parse().ok()?, m.parse().ok()?, day.parse().ok()?).ok()?;
    i32::try_from(date.days_since_epoch()).ok()
}

/// The `documents` rows of `docs`.
pub fn documents_batch(docs: &[(&Doc, &StoreFacts)]) -> Result<RecordBatch, ArrowError> {
    let json: Vec<String> = docs
        .iter()
        .map(|(d, _)| serde_json::to_string(d).unwrap_or_default())
        .collect();
    let publishers: Vec<String> = docs
        .iter()
        .map(|(d, _)| sitrep_store::source_of(d.url.as_deref()))
        .collect();
    let sources: Vec<String> = docs
        .iter()
        .map(|(d, _)| crate::export::enum_text(&d.published_source))
        .collect();
    let count = |f: &dyn Fn(&Doc) -> usize| -> ArrayRef {
        Arc::new(Int32Array::from_iter_values(
            docs.iter().map(|(d, _)| f(d).min(i32::MAX as usize) as i32),
        ))
    };
    let columns: Vec<ArrayRef> = vec![
        strings(docs.iter().map(|(d, _)| Some(d.id.as_str()))),
        strings(docs.iter().map(|(d, _)| d.url.as_deref())),
        strings(docs.iter().map(|(d, _)| d.title.as_deref())),
        Arc::new(Date32Array::from_iter(docs.iter().map(|(d, _)| {
            d.published
                .and_then(|p| i32::try_from(p.days_since_epoch()).ok())
        }))),
        strings(sources.iter().map(|s| Some(s.as_str()))),
        strings(docs.iter().map(|(d, _)| d.language.as_deref())),
        strings(publishers.iter().map(|s| Some(s.as_str()))),
        strings(docs.iter().map(|(d, _)| Some(d.text()))),
        Arc::new(Int64Array::from_iter_values(
            docs.iter().map(|(d, _)| d.len_chars() as i64),
        )),
        count(&|d| d.entities.len()),
        count(&|d| d.places.len()),
        count(&|d| d.times.len()),
        count(&|d| d.quotes.len()),
        count(&|d| d.claims.len()),
        count(&|d| d.events.len()),
        Arc::new(Int64Array::from_iter(docs.iter().map(|(_, f)| f.dup_group))),
        strings(docs.iter().map(|(_, f)| f.dup_kind.as_deref())),
        strings(json.iter().map(|s| Some(s.as_str()))),
        Arc::new(Int64Array::from_iter(
            docs.iter().map(|(_, f)| f.article_id),
        )),
        Arc::new(Int64Array::from_iter(docs.iter().map(|(_, f)| f.dup_of))),
        Arc::new(Float64Array::from_iter(
            docs.iter().map(|(_, f)| f.dup_similarity),
        )),
    ];
    RecordBatch::try_new(documents_schema(), columns)
}

/// The `events` rows of `docs`: the events `keep(document position, event
/// index)` passes.
pub fn events_batch(
    docs: &[(&Doc, &StoreFacts)],
    keep: &dyn Fn(usize, usize) -> bool,
) -> Result<RecordBatch, ArrowError> {
    let rows: Vec<(&Doc, &StoreFacts, usize, &Event)> = docs
        .iter()
        .enumerate()
        .flat_map(|(p, &(d, f))| {
            d.events
                .iter()
                .enumerate()
                .filter(move |(i, _)| keep(p, *i))
                .map(move |(i, e)| (d, f, i, e))
        })
        .collect();
    let s = |get: &dyn Fn(&Event) -> Option<&str>| -> ArrayRef {
        strings(rows.iter().map(|(_, _, _, e)| get(e)))
    };
    let f64s = |get: &dyn Fn(&Event) -> Option<f64>| -> ArrayRef {
        Arc::new(Float64Array::from_iter(
            rows.iter().map(|(_, _, _, e)| get(e)),
        ))
    };
    fn actor(a: Option<&Actor>, part: usize) -> Option<&str> {
        let a = a?;
        match part {
            0 => Some(a.text.as_str()),
            1 => a.canonical.as_deref(),
            2 => a.code.as_deref(),
            _ => a.country.as_deref(),
        }
    }
    let mut columns: Vec<ArrayRef> = vec![
        Arc::new(Int64Array::from_iter_values(
            rows.iter()
                .map(|(d, _, i, _)| crate::export::event_id(d, *i) as i64),
        )),
        strings(rows.iter().map(|(d, _, _, _)| Some(d.id.as_str()))),
        Arc::new(Int32Array::from_iter_values(
            rows.iter().map(|(_, _, i, _)| *i as i32),
        )),
        Arc::new(Date32Array::from_iter(rows.iter().map(|(d, _, _, _)| {
            d.published
                .and_then(|p| i32::try_from(p.days_since_epoch()).ok())
        }))),
        Arc::new(Int64Array::from_iter_values(
            rows.iter().map(|(_, _, _, e)| e.start as i64),
        )),
        Arc::new(Int64Array::from_iter_values(
            rows.iter().map(|(_, _, _, e)| e.end as i64),
        )),
        s(&|e| Some(e.text.as_str())),
        s(&|e| Some(e.cameo.as_str())),
        s(&|e| e.cameo.get(..2)),
        Arc::new(Int32Array::from_iter_values(
            rows.iter().map(|(_, _, _, e)| i32::from(e.quad_class)),
        )),
        f64s(&|e| Some(e.goldstein)),
        s(&|e| e.plover.as_ref().map(|p| p.category.as_str())),
        s(&|e| e.plover.as_ref().and_then(|p| p.mode.as_deref())),
        s(&|e| e.acled.as_ref().map(|a| a.event_type.as_str())),
        s(&|e| e.acled.as_ref().map(|a| a.sub_event_type.as_str())),
    ];
    for side in 0..2 {
        for part in 0..4 {
            columns.push(s(&|e| {
                actor(
                    if side == 0 {
                        e.source.as_ref()
                    } else {
                        e.target.as_ref()
                    },
                    part,
                )
            }));
        }
    }
    columns.extend([
        s(&|e| e.place.as_ref().map(|p| p.text.as_str())),
        s(&|e| e.place.as_ref().and_then(|p| p.name.as_deref())),
        s(&|e| e.place.as_ref().and_then(|p| p.gazetteer_id.as_deref())),
        s(&|e| e.place.as_ref().and_then(|p| p.country.as_deref())),
        f64s(&|e| e.place.as_ref().and_then(|p| p.lat)),
        f64s(&|e| e.place.as_ref().and_then(|p| p.lon)),
        s(&|e| e.date.as_ref().map(|d| d.value.as_str())),
        s(&|e| e.date.as_ref().map(|d| d.precision.as_str())),
        Arc::new(Date32Array::from_iter(rows.iter().map(|(_, _, _, e)| {
            e.date
                .as_ref()
                .filter(|d| d.precision == "day" || d.precision == "time")
                .and_then(|d| day_of(&d.value))
        }))),
        s(&|e| {
            e.attribution
                .as_ref()
                .map(|r| r.canonical.as_deref().unwrap_or(&r.text))
        }),
        s(&|e| {
            e.via
                .as_ref()
                .map(|r| r.canonical.as_deref().unwrap_or(&r.text))
        }),
        s(&|e| Some(e.modality.as_str())),
        s(&|e| e.control.as_deref()),
        f64s(&|e| Some(e.confidence)),
        s(&|e| Some(e.by.as_ref())),
        Arc::new(BooleanArray::from_iter(
            rows.iter()
                .map(|(d, _, _, e)| Some(crate::export::in_lead(d, e))),
        )),
        Arc::new(Int64Array::from_iter(
            rows.iter()
                .map(|(_, f, i, _)| f.clusters.get(*i).copied().flatten()),
        )),
        Arc::new(Int64Array::from_iter(
            rows.iter().map(|(_, f, _, _)| f.dup_group),
        )),
        Arc::new(Int64Array::from_iter(
            rows.iter().map(|(_, f, _, _)| f.article_id),
        )),
    ]);
    RecordBatch::try_new(events_schema(), columns)
}

/// The `clusters` table's schema: the store's `clusters` rows (written
/// from a store or by the Spark backfill).
pub fn clusters_schema() -> SchemaRef {
    use DataType::*;
    let mut fields = vec![field("id", Int64, false)];
    for name in ["root", "cameo", "modality"] {
        fields.push(field(name, Utf8, false));
    }
    for name in ["source_country", "target_country", "country", "place_name"] {
        fields.push(field(name, Utf8, true));
    }
    fields.extend([
        field("lat", Float64, true),
        field("lon", Float64, true),
        field("date_first", Utf8, true),
        field("date_last", Utf8, true),
        field("num_mentions", Int64, false),
        field("num_articles", Int64, false),
        field("num_sources", Int64, false),
        field("first_seen", Utf8, true),
        field("last_seen", Utf8, true),
    ]);
    Arc::new(Schema::new(fields))
}

/// The `clusters` rows.
pub fn clusters_batch(rows: &[ClusterRow]) -> Result<RecordBatch, ArrowError> {
    let s =
        |get: &dyn Fn(&ClusterRow) -> Option<&str>| -> ArrayRef { strings(rows.iter().map(get)) };
    let i = |get: &dyn Fn(&ClusterRow) -> i64| -> ArrayRef {
        Arc::new(Int64Array::from_iter_values(rows.iter().map(get)))
    };
    let f = |get: &dyn Fn(&ClusterRow) -> Option<f64>| -> ArrayRef {
        Arc::new(Float64Array::from_iter(rows.iter().map(get)))
    };
    let columns: Vec<ArrayRef> = vec![
        i(&|c| c.id),
        s(&|c| Some(c.root.as_str())),
        s(&|c| Some(c.cameo.as_str())),
        s(&|c| Some(c.modality.as_str())),
        s(&|c| c.source_country.as_deref()),
        s(&|c| c.target_country.as_deref()),
        s(&|c| c.country.as_deref()),
        s(&|c| c.place_name.as_deref()),
        f(&|c| c.lat),
        f(&|c| c.lon),
        s(&|c| c.date_first.as_deref()),
        s(&|c| c.date_last.as_deref()),
        i(&|c| c.num_mentions),
        i(&|c| c.num_articles),
        i(&|c| c.num_sources),
        s(&|c| c.first_seen.as_deref()),
        s(&|c| c.last_seen.as_deref()),
    ];
    RecordBatch::try_new(clusters_schema(), columns)
}

/// Writes `clusters.parquet` into `dir`.
pub fn write_clusters(dir: &Path, rows: &[ClusterRow]) -> Result<(), String> {
    let path = dir.join("clusters.parquet");
    let with = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let file = File::create(&path).map_err(|e| with(&e))?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_created_by(format!("sitrep {}", env!("CARGO_PKG_VERSION")))
        .build();
    let mut w = ArrowWriter::try_new(file, clusters_schema(), Some(props)).map_err(|e| with(&e))?;
    for chunk in rows.chunks(8192) {
        let batch = clusters_batch(chunk).map_err(|e| with(&e))?;
        w.write(&batch).map_err(|e| with(&e))?;
    }
    w.close().map_err(|e| with(&e))?;
    Ok(())
}

/// Writes `documents.parquet` and `events.parquet` into a directory, a
/// row group per [`ParquetSink::BATCH`] documents, Snappy-compressed.
pub struct ParquetSink {
    dir: PathBuf,
    documents: ArrowWriter<File>,
    events: ArrowWriter<File>,
    pending: Vec<(Doc, StoreFacts, Vec<bool>)>,
    written: (u64, u64),
}

impl ParquetSink {
    /// Documents buffered before their rows are written.
    pub const BATCH: usize = 1024;

    /// Creates the directory (if needed) and both files in it. Files of an
    /// earlier export there are replaced.
    pub fn create(dir: &Path) -> Result<ParquetSink, String> {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let props = || {
            WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_created_by(format!("sitrep {}", env!("CARGO_PKG_VERSION")))
                .build()
        };
        let open = |name: &str, schema: SchemaRef| -> Result<ArrowWriter<File>, String> {
            let path = dir.join(name);
            let file = File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            ArrowWriter::try_new(file, schema, Some(props()))
                .map_err(|e| format!("{}: {e}", path.display()))
        };
        Ok(ParquetSink {
            dir: dir.to_path_buf(),
            documents: open("documents.parquet", documents_schema())?,
            events: open("events.parquet", events_schema())?,
            pending: Vec::new(),
            written: (0, 0),
        })
    }

    /// Adds a document and those of its events `keep` passes.
    pub fn push(
        &mut self,
        doc: &Doc,
        facts: &StoreFacts,
        keep: &dyn Fn(&Doc, &Event) -> bool,
    ) -> std::io::Result<()> {
        let kept = doc.events.iter().map(|e| keep(doc, e)).collect();
        self.pending.push((doc.clone(), facts.clone(), kept));
        if self.pending.len() >= Self::BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let io = |e: parquet::errors::ParquetError| std::io::Error::other(e.to_string());
        let arrow = |e: ArrowError| std::io::Error::other(e.to_string());
        if self.pending.is_empty() {
            return Ok(());
        }
        let rows: Vec<(&Doc, &StoreFacts)> = self.pending.iter().map(|(d, f, _)| (d, f)).collect();
        let docs = documents_batch(&rows).map_err(arrow)?;
        let events = events_batch(&rows, &|p, i| {
            self.pending[p].2.get(i).copied().unwrap_or(false)
        })
        .map_err(arrow)?;
        self.documents.write(&docs).map_err(io)?;
        self.events.write(&events).map_err(io)?;
        self.written.0 += docs.num_rows() as u64;
        self.written.1 += events.num_rows() as u64;
        self.pending.clear();
        Ok(())
    }

    /// Writes what is buffered and closes both files: (documents, events)
    /// written.
    pub fn finish(mut self) -> Result<(u64, u64), String> {
        self.flush()
            .map_err(|e| format!("{}: {e}", self.dir.display()))?;
        self.documents
            .close()
            .map_err(|e| format!("documents.parquet: {e}"))?;
        self.events
            .close()
            .map_err(|e| format!("events.parquet: {e}"))?;
        Ok(self.written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_read_from_timex_values() {
        assert_eq!(day_of("1970-01-02"), Some(1));
        assert_eq!(day_of("2023-10-30T05:00"), Some(19660));
        assert_eq!(day_of("2023-10"), None);
        assert_eq!(day_of("2023-13-01"), None);
    }

    #[test]
    fn batches_follow_their_schemas() {
        let mut doc = Doc::new("d1", "Drones struck Odesa.");
        doc.published = Some(sitrep_core::Date::new(2023, 10, 30).unwrap());
        let facts = StoreFacts::default();
        let docs = documents_batch(&[(&doc, &facts)]).unwrap();
        assert_eq!(docs.num_rows(), 1);
        assert_eq!(docs.schema(), documents_schema());
        let events = events_batch(&[(&doc, &facts)], &|_, _| true).unwrap();
        assert_eq!(events.num_rows(), 0);
        assert_eq!(events.schema(), events_schema());
    }
}
