//! Reading the store: events by date, place, country, actor, code, source
//! and text; what people said; claims about a subject; places by mentions;
//! disputed control. One filter type per question, shared by `sitrep query`,
//! `sitrep export --db` and the HTTP API, so the three give the same
//! answers.
//!
//! Every value a caller gives is bound as an SQL parameter, never pasted
//! into the statement. Statements use anonymous `?` placeholders in order,
//! so the same text runs on another SQL engine after renumbering.

use serde::Serialize;

use crate::control::{self, ControlDispute, ControlSide, Stance};
use crate::db::{Backend, DbResult, Row, Value};
use crate::{args, sql, Result, Store};

/// Kilometres per degree of latitude (mean Earth radius 6,371.0 km).
const KM_PER_DEGREE: f64 = 6371.0 * std::f64::consts::PI / 180.0;

/// A circle on the map: events within `km` of a point.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Near {
    /// Latitude of the centre.
    pub lat: f64,
    /// Longitude of the centre.
    pub lon: f64,
    /// Radius in kilometres.
    pub km: f64,
}

/// Which event mentions to read. Every field left empty matches all.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EventFilter {
    /// Events dated on or after this day (`YYYY-MM-DD`); events without a
    /// date of day precision are then left out.
    pub from: Option<String>,
    /// Events dated on or before this day.
    pub to: Option<String>,
    /// Events placed inside `[min_lon, min_lat, max_lon, max_lat]`.
    pub bbox: Option<[f64; 4]>,
    /// Events placed within a distance of a point (equirectangular
    /// distance: within 0.5 % up to 500 km, away from the poles).
    pub near: Option<Near>,
    /// Country codes: an event matches when its place's country (ISO
    /// alpha-2) or an actor's country (alpha-3) is one of them.
    pub countries: Vec<String>,
    /// An actor: a code prefix ("RUS", "UKRMIL") when written in capitals,
    /// else part of a source's or target's name ("Shoigu").
    pub actor: Option<String>,
    /// CAMEO code prefix ("19", "173").
    pub cameo: Option<String>,
    /// PLOVER category ("ASSAULT"; "OTHER" for events without one).
    pub plover: Option<String>,
    /// ACLED event type ("Battles").
    pub acled: Option<String>,
    /// Publisher (URL host, as `articles.source`).
    pub source: Option<String>,
    /// Full-text query over the articles' titles and texts (FTS5 syntax;
    /// a query FTS5 cannot parse is taken as one phrase).
    pub text: Option<String>,
    /// Modality (asserted, reported, negated, conditional, intended).
    pub modality: Option<String>,
    /// Only mentions in this cluster.
    pub cluster: Option<i64>,
    /// Only mentions in this article.
    pub article: Option<i64>,
    /// Only articles that are not copies or rewrites of a stored story.
    pub originals: bool,
}

/// The order events come in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventSort {
    /// Newest event date first (undated last), then newest stored.
    #[default]
    DateDesc,
    /// Oldest first.
    DateAsc,
    /// Most independent sources (the cluster's NumSources) first.
    Sources,
    /// Highest confidence first.
    Confidence,
}

/// One event mention with its article and its cluster's counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRow {
    /// Event row id.
    pub id: i64,
    /// Article row id.
    pub article: i64,
    /// The article's document id.
    pub doc_id: String,
    /// The article's URL.
    pub url: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Publication date.
    pub published: Option<String>,
    /// Publisher.
    pub publisher: String,
    /// Evidence span (code points into the article's text).
    pub start: i64,
    /// End of the evidence span.
    pub end: i64,
    /// The evidence text.
    pub text: String,
    /// CAMEO code.
    pub cameo: String,
    /// CAMEO root (two digits).
    pub root: String,
    /// QuadClass 1–4.
    pub quad_class: i64,
    /// Goldstein score.
    pub goldstein: f64,
    /// PLOVER category.
    pub plover: Option<String>,
    /// PLOVER mode.
    pub plover_mode: Option<String>,
    /// ACLED event type.
    pub acled_type: Option<String>,
    /// ACLED sub-event type.
    pub acled_sub_type: Option<String>,
    /// Source actor.
    pub source: Option<ActorRow>,
    /// Target actor.
    pub target: Option<ActorRow>,
    /// The place as written.
    pub place_text: Option<String>,
    /// The place's gazetteer name.
    pub place_name: Option<String>,
    /// Its GeoNames id.
    pub gazetteer_id: Option<String>,
    /// Its country (alpha-2).
    pub country: Option<String>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// Event date (TIMEX3 value).
    pub date: Option<String>,
    /// Its precision (day, month…).
    pub date_precision: Option<String>,
    /// Who reports it.
    pub attribution: Option<String>,
    /// Through whom.
    pub via: Option<String>,
    /// asserted, reported, negated, conditional, intended.
    pub modality: String,
    /// taken, held or lost, for control claims.
    pub control: Option<String>,
    /// Ranking score 0..=1.
    pub confidence: f64,
    /// The codebook rule that produced it.
    pub by: String,
    /// Its cluster.
    pub cluster: Option<i64>,
    /// The cluster's NumMentions.
    pub num_mentions: Option<i64>,
    /// The cluster's NumArticles.
    pub num_articles: Option<i64>,
    /// The cluster's NumSources (independent sources).
    pub num_sources: Option<i64>,
}

/// An event participant as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorRow {
    /// As written.
    pub text: Option<String>,
    /// Canonical name.
    pub name: Option<String>,
    /// CAMEO-style code.
    pub code: Option<String>,
    /// Country (alpha-3).
    pub country: Option<String>,
}

/// Most rows an event count goes to: counting every match of a broad
/// filter over a large store would cost more than the page itself.
pub const COUNT_CAP: i64 = 10_000;

/// One page of results and how many there are in all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page<T> {
    /// Rows matching the filter, all pages together (at most
    /// [`COUNT_CAP`] for events; see `exact`).
    pub total: u64,
    /// Whether `total` is the exact count (false: there are more).
    pub exact: bool,
    /// This page's rows.
    pub rows: Vec<T>,
}

impl<T> Page<T> {
    /// A page with an exact total.
    fn exact(total: i64, rows: Vec<T>) -> Page<T> {
        Page {
            total: total.max(0) as u64,
            exact: true,
            rows,
        }
    }

    /// A page whose count stopped past [`COUNT_CAP`].
    fn capped(total: i64, rows: Vec<T>) -> Page<T> {
        Page {
            total: total.clamp(0, COUNT_CAP) as u64,
            exact: total <= COUNT_CAP,
            rows,
        }
    }
}

/// The day after `day` (`YYYY-MM-DD`); `day` itself followed by a
/// character above every digit when it does not parse.
fn next_day(day: &str) -> String {
    let parsed = day.get(..10).and_then(|d| {
        let mut p = d.split('-');
        let y = p.next()?.parse().ok()?;
        let m = p.next()?.parse().ok()?;
        let dd = p.next()?.parse().ok()?;
        sitrep_core::Date::new(y, m, dd).ok()
    });
    match parsed {
        Some(d) => d.add_days(1).to_string(),
        None => format!("{day}~"),
    }
}

/// The smallest string after every string that starts with `prefix`
/// ("19" → "1:", "RUS" → "RUT"), for prefix matching as a range.
fn successor(prefix: &str) -> String {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(c) = chars.pop() {
        if let Some(n) = char::from_u32(c as u32 + 1) {
            chars.push(n);
            return chars.into_iter().collect();
        }
    }
    "\u{10FFFF}".to_string()
}

/// Which quotes to read.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct QuoteFilter {
    /// Part of the speaker's name (canonical or as written).
    pub speaker: Option<String>,
    /// Part of the quoted content.
    pub contains: Option<String>,
    /// Only direct quotes.
    pub direct_only: bool,
    /// Articles published on or after this day.
    pub from: Option<String>,
    /// Articles published on or before this day.
    pub to: Option<String>,
    /// Publisher.
    pub source: Option<String>,
    /// Only quotes of this article.
    pub article: Option<i64>,
}

/// One quote with its article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuoteRow {
    /// Article row id.
    pub article: i64,
    /// Document id.
    pub doc_id: String,
    /// Headline.
    pub title: Option<String>,
    /// Publication date.
    pub published: Option<String>,
    /// Publisher.
    pub publisher: String,
    /// Content span start (code points).
    pub start: i64,
    /// Content span end.
    pub end: i64,
    /// The content.
    pub text: String,
    /// In quote marks.
    pub direct: bool,
    /// The speaker as written.
    pub speaker: Option<String>,
    /// The speaker's canonical name.
    pub speaker_canonical: Option<String>,
    /// The cue ("said").
    pub cue: Option<String>,
    /// Where it was said.
    pub channel: Option<String>,
    /// Who reports the statement in turn.
    pub via: Option<String>,
    /// The rule that found it.
    pub by: String,
}

/// Which claims to read.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ClaimFilter {
    /// Words the claim's sentence, phrase or unit contains ("Bakhmut",
    /// "drones").
    pub about: Option<String>,
    /// Kind (killed, wounded, attacks…).
    pub kind: Option<String>,
    /// Part of the claimant's name.
    pub claimed_by: Option<String>,
    /// Articles published on or after this day.
    pub from: Option<String>,
    /// Articles published on or before this day.
    pub to: Option<String>,
    /// Publisher.
    pub source: Option<String>,
    /// Only claims of this article.
    pub article: Option<i64>,
}

/// One claim with its article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimRow {
    /// Article row id.
    pub article: i64,
    /// Document id.
    pub doc_id: String,
    /// Headline.
    pub title: Option<String>,
    /// Publication date.
    pub published: Option<String>,
    /// Publisher.
    pub publisher: String,
    /// Span start (code points).
    pub start: i64,
    /// Span end.
    pub end: i64,
    /// The quantity phrase.
    pub text: String,
    /// The value (lower bound of a range).
    pub value: f64,
    /// Upper bound.
    pub value_max: Option<f64>,
    /// more-than, around…
    pub qualifier: Option<String>,
    /// What is counted.
    pub unit: Option<String>,
    /// Kind.
    pub kind: Option<String>,
    /// Who claims it.
    pub attributed_to: Option<String>,
    /// The time it refers to (TIMEX3 value).
    pub time_value: Option<String>,
    /// Its sentence.
    pub sentence: Option<String>,
    /// The rule that found it.
    pub by: String,
}

/// A place with how often the store mentions it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceRow {
    /// Gazetteer name (else as written).
    pub name: String,
    /// GeoNames id.
    pub gazetteer_id: Option<String>,
    /// Kind (city, admin1, country…).
    pub kind: String,
    /// Country (alpha-2).
    pub country: Option<String>,
    /// First-level division.
    pub admin1: Option<String>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// Mentions.
    pub mentions: i64,
    /// Distinct articles.
    pub articles: i64,
}

/// Events per day and category: one bar segment of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayCount {
    /// The day (`YYYY-MM-DD`).
    pub day: String,
    /// PLOVER category (`OTHER` when the event has none).
    pub category: String,
    /// Event mentions.
    pub count: i64,
}

/// Events in one cell of a grid over the map: one marker.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridCell {
    /// Mean latitude of the cell's events.
    pub lat: f64,
    /// Mean longitude.
    pub lon: f64,
    /// Event mentions.
    pub count: i64,
    /// The most frequent PLOVER category.
    pub category: String,
    /// Distinct clusters (real-world events).
    pub clusters: i64,
    /// The place named most, for the marker's label.
    pub place: Option<String>,
    /// An event of the cell, for a one-event marker to open.
    pub event: i64,
    /// The cell's square, `[min_lon, min_lat, max_lon, max_lat]`: the
    /// `bbox` filter that lists its events.
    pub bbox: [f64; 4],
}

/// The square of grid cell (`gy`, `gx`) of `cell` degrees.
pub(crate) fn cell_bbox(gy: i64, gx: i64, cell: f64) -> [f64; 4] {
    let (y0, x0) = (gy as f64 * cell, gx as f64 * cell);
    [x0, y0, x0 + cell, y0 + cell]
}

/// An article as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArticleRow {
    /// Article row id.
    pub id: i64,
    /// Document id.
    pub doc_id: String,
    /// URL.
    pub url: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Publication date.
    pub published: Option<String>,
    /// Publisher.
    pub publisher: String,
    /// Wire agency credited.
    pub wire: Option<String>,
    /// Duplicate group.
    pub dup_group: i64,
    /// original, exact or near.
    pub dup_kind: String,
    /// Length in code points.
    pub chars: i64,
    /// Event mentions in it.
    pub events: i64,
}

/// One of an article's events as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ArticleEvent {
    /// Its index in the document's `events`.
    pub idx: i64,
    /// Its event row id.
    pub event: i64,
    /// Its cluster.
    pub cluster: Option<i64>,
    /// The cluster's NumSources.
    pub sources: Option<i64>,
}

/// A cluster with what the store knows of it: a row of the `clusters`
/// table, as the queries list it and as the Spark backfill computes it.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ClusterRow {
    /// Cluster id.
    pub id: i64,
    /// CAMEO root.
    pub root: String,
    /// CAMEO code of its first mention.
    pub cameo: String,
    /// factual, negated, conditional or intended.
    pub modality: String,
    /// Source country (alpha-3).
    pub source_country: Option<String>,
    /// Target country (alpha-3).
    pub target_country: Option<String>,
    /// Country of the place (alpha-2).
    pub country: Option<String>,
    /// Where.
    pub place_name: Option<String>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// First event day.
    pub date_first: Option<String>,
    /// Last event day.
    pub date_last: Option<String>,
    /// NumMentions.
    pub num_mentions: i64,
    /// NumArticles.
    pub num_articles: i64,
    /// NumSources (duplicate groups).
    pub num_sources: i64,
    /// Earliest publication.
    pub first_seen: Option<String>,
    /// Latest publication.
    pub last_seen: Option<String>,
}

/// A [`ClusterRow`] from the `clusters` table's columns, in table order
/// (`id, root, … last_seen`).
pub(crate) fn cluster_row(r: &Row) -> DbResult<ClusterRow> {
    Ok(ClusterRow {
        id: r.get(0)?,
        root: r.get(1)?,
        cameo: r.get(2)?,
        modality: r.get(3)?,
        source_country: r.get(4)?,
        target_country: r.get(5)?,
        country: r.get(6)?,
        place_name: r.get(7)?,
        lat: r.get(8)?,
        lon: r.get(9)?,
        date_first: r.get(10)?,
        date_last: r.get(11)?,
        num_mentions: r.get(12)?,
        num_articles: r.get(13)?,
        num_sources: r.get(14)?,
        first_seen: r.get(15)?,
        last_seen: r.get(16)?,
    })
}

/// The columns of an [`EventRow`], joined to its article and cluster, as
/// [`event_row`] reads them.
pub(crate) const EVENT_ROW_SELECT: &str =
    "SELECT e.id, e.article_id, a.doc_id, a.url, a.title, a.published, a.source,
            e.start, e.end, e.text, e.cameo, e.root, e.quad_class, e.goldstein,
            e.plover, e.plover_mode, e.acled_type, e.acled_sub_type,
            e.source_text, e.source_name, e.source_code, e.source_country,
            e.target_text, e.target_name, e.target_code, e.target_country,
            e.place_text, e.place_name, e.gazetteer_id, e.country, e.lat, e.lon,
            e.date, e.date_precision, e.attribution, e.via, e.modality, e.control,
            e.confidence, e.by, e.cluster_id, k.num_mentions, k.num_articles, k.num_sources
     FROM events e JOIN articles a ON a.id = e.article_id
     LEFT JOIN clusters k ON k.id = e.cluster_id";

/// The columns of an [`ArticleRow`], as [`article_row`] reads them.
const ARTICLE_COLUMNS: &str =
    "a.id, a.doc_id, a.url, a.title, a.published, a.source, a.wire, a.dup_group,
     a.dup_kind, a.chars, (SELECT count(*) FROM events e WHERE e.article_id = a.id)";

fn article_row(r: &Row<'_>) -> DbResult<ArticleRow> {
    Ok(ArticleRow {
        id: r.get(0)?,
        doc_id: r.get(1)?,
        url: r.get(2)?,
        title: r.get(3)?,
        published: r.get(4)?,
        publisher: r.get(5)?,
        wire: r.get(6)?,
        dup_group: r.get(7)?,
        dup_kind: r.get(8)?,
        chars: r.get(9)?,
        events: r.get(10)?,
    })
}

/// The columns of a [`QuoteRow`], as [`quote_row`] reads them.
const QUOTE_COLUMNS: &str =
    "q.article_id, a.doc_id, a.title, a.published, a.source, q.start, q.end,
     q.text, q.direct, q.speaker, q.speaker_canonical, q.cue, q.channel, q.via, q.by";

fn quote_row(r: &Row<'_>) -> DbResult<QuoteRow> {
    Ok(QuoteRow {
        article: r.get(0)?,
        doc_id: r.get(1)?,
        title: r.get(2)?,
        published: r.get(3)?,
        publisher: r.get(4)?,
        start: r.get(5)?,
        end: r.get(6)?,
        text: r.get(7)?,
        direct: r.get(8)?,
        speaker: r.get(9)?,
        speaker_canonical: r.get(10)?,
        cue: r.get(11)?,
        channel: r.get(12)?,
        via: r.get(13)?,
        by: r.get(14)?,
    })
}

/// The grid cell size actually used for a requested one (degrees).
pub(crate) fn grid_cell(cell: f64) -> f64 {
    if cell.is_finite() && cell > 0.0 {
        cell.clamp(1e-4, 90.0)
    } else {
        1.0
    }
}

/// A mean of coordinates, to a millionth of a degree (0.1 m): SQLite and
/// PostgreSQL sum floats in different orders, and differ in the last
/// digits otherwise.
fn mean_degrees(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
pub(crate) fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `%s%`, escaped.
fn contains(s: &str) -> Value {
    Value::Text(format!("%{}%", like_escape(s)))
}

/// `s%`, escaped.
fn prefix(s: &str) -> Value {
    Value::Text(format!("{}%", like_escape(s)))
}

/// WHERE clauses with their parameters, in placeholder order.
#[derive(Default)]
struct Where {
    clauses: Vec<String>,
    params: Vec<Value>,
}

impl Where {
    fn add(&mut self, clause: &str, params: impl IntoIterator<Item = Value>) {
        self.clauses.push(clause.to_string());
        self.params.extend(params);
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn text_value(s: &str) -> Value {
    text(s)
}

impl Store {
    /// The full-text query to run for `q`: on SQLite `q` itself when FTS5
    /// parses it, else `q` as one phrase; on PostgreSQL the `tsquery` text
    /// of `q` ([`fts5_to_tsquery`]), else of `q` as a phrase.
    pub(crate) fn fts_query(&self, q: &str) -> String {
        match self.conn.backend() {
            Backend::Sqlite => {
                let ok = self.conn.exists(
                    "SELECT 1 FROM articles_fts WHERE articles_fts MATCH ?1 LIMIT 1",
                    args![q],
                );
                match ok {
                    Ok(_) => q.to_string(),
                    Err(_) => format!("\"{}\"", q.replace('"', "\"\"")),
                }
            }
            Backend::Postgres => {
                let parsed = self.conn.query_row(
                    "SELECT CAST(to_tsquery('simple', ?1) AS TEXT)",
                    args![fts5_to_tsquery(q)],
                    |r| r.get::<String>(0),
                );
                parsed
                    .or_else(|_| {
                        self.conn.query_row(
                            "SELECT CAST(phraseto_tsquery('simple', ?1) AS TEXT)",
                            args![q],
                            |r| r.get::<String>(0),
                        )
                    })
                    .unwrap_or_default()
            }
        }
    }

    /// The condition "the article `id_column` matches the full-text query
    /// bound as its one parameter".
    pub(crate) fn fts_condition(&self, id_column: &str) -> String {
        match self.conn.backend() {
            Backend::Sqlite => format!(
                "{id_column} IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
            ),
            Backend::Postgres => format!(
                "{id_column} IN (SELECT id FROM articles WHERE search @@ CAST(CAST(? AS TEXT) AS tsquery))"
            ),
        }
    }

    fn event_where(&self, f: &EventFilter) -> Where {
        let mut w = Where::default();
        if let Some(from) = &f.from {
            w.add(
                "e.date >= ? AND e.date_precision IN ('day', 'time')",
                [text(from)],
            );
        }
        if let Some(to) = &f.to {
            // Before the next day: a time of day on `to` still counts, and
            // the range stays on the date index.
            w.add(
                "e.date < ? AND e.date_precision IN ('day', 'time')",
                [text(&next_day(to))],
            );
        }
        if let Some([x0, y0, x1, y1]) = f.bbox {
            w.add(
                "e.lat BETWEEN ? AND ? AND e.lon BETWEEN ? AND ?",
                [y0, y1, x0, x1].map(Value::Real),
            );
        }
        if let Some(Near { lat, lon, km }) = f.near {
            let dlat = km / KM_PER_DEGREE;
            let cos = lat.to_radians().cos().max(0.01);
            let dlon = (dlat / cos).min(180.0);
            // The box first (indexed), then the equirectangular distance.
            w.add(
                "e.lat BETWEEN ? AND ? AND e.lon BETWEEN ? AND ?
                 AND (e.lat - ?) * (e.lat - ?) + (e.lon - ?) * (e.lon - ?) * ? <= ?",
                [
                    lat - dlat,
                    lat + dlat,
                    lon - dlon,
                    lon + dlon,
                    lat,
                    lat,
                    lon,
                    lon,
                    cos * cos,
                    dlat * dlat,
                ]
                .map(Value::Real),
            );
        }
        if !f.countries.is_empty() {
            let marks = vec!["?"; f.countries.len()].join(", ");
            let codes: Vec<Value> = f.countries.iter().map(|c| text(c)).collect();
            w.add(
                &format!(
                    "(e.country IN ({marks}) OR e.source_country IN ({marks}) OR e.target_country IN ({marks}))"
                ),
                codes.iter().chain(&codes).chain(&codes).cloned(),
            );
        }
        if let Some(actor) = &f.actor {
            let is_code = actor.len() >= 3
                && actor
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
            if is_code {
                // A prefix as a range, so the code indexes serve it.
                let (lo, hi) = (text(actor), text(&successor(actor)));
                w.add(
                    "((e.source_code >= ? AND e.source_code < ?) OR (e.target_code >= ? AND e.target_code < ?))",
                    [lo.clone(), hi.clone(), lo, hi],
                );
            } else {
                w.add(
                    "(e.source_name LIKE ? ESCAPE '\\' OR e.target_name LIKE ? ESCAPE '\\'
                      OR e.source_text LIKE ? ESCAPE '\\' OR e.target_text LIKE ? ESCAPE '\\')",
                    [
                        contains(actor),
                        contains(actor),
                        contains(actor),
                        contains(actor),
                    ],
                );
            }
        }
        if let Some(code) = &f.cameo {
            w.add(
                "e.cameo >= ? AND e.cameo < ?",
                [text(code), text(&successor(code))],
            );
        }
        if let Some(p) = &f.plover {
            // OTHER: no PLOVER category (as the timeline and grid name it).
            if p.eq_ignore_ascii_case("OTHER") {
                w.add("e.plover IS NULL", []);
            } else {
                w.add("e.plover = ?", [text(&p.to_ascii_uppercase())]);
            }
        }
        if let Some(a) = &f.acled {
            w.add("lower(e.acled_type) = lower(?)", [text(a)]);
        }
        if let Some(s) = &f.source {
            w.add(
                "e.article_id IN (SELECT id FROM articles WHERE source = ?)",
                [text(&s.to_ascii_lowercase())],
            );
        }
        if let Some(m) = &f.modality {
            w.add("e.modality = ?", [text(m)]);
        }
        if let Some(c) = f.cluster {
            w.add("e.cluster_id = ?", [Value::Int(c)]);
        }
        if let Some(a) = f.article {
            w.add("e.article_id = ?", [Value::Int(a)]);
        }
        if f.originals {
            w.add(
                "e.article_id IN (SELECT id FROM articles WHERE dup_kind = 'original')",
                [],
            );
        }
        if let Some(q) = &f.text {
            w.add(
                &self.fts_condition("e.article_id"),
                [Value::Text(self.fts_query(q))],
            );
        }
        w
    }

    /// Event mentions matching `filter`, in `sort` order, `limit` from
    /// `offset`, with the total.
    pub fn events(
        &self,
        filter: &EventFilter,
        sort: EventSort,
        limit: usize,
        offset: usize,
    ) -> Result<Page<EventRow>> {
        let doing = "cannot list events";
        let w = self.event_where(filter);
        // The filters name only `e` (article conditions are subqueries), so
        // the count needs no join; it stops at COUNT_CAP.
        let total: i64 = sql(
            doing,
            self.conn.query_row(
                &format!(
                    "SELECT count(*) FROM (SELECT 1 FROM events e {} LIMIT {}) AS capped",
                    w.sql(),
                    COUNT_CAP + 1
                ),
                &w.params,
                |r| r.get(0),
            ),
        )?;
        // Orders the (date, id) and (confidence) indexes give directly.
        // SQLite sorts NULLs lowest (undated events last in a descending
        // order); PostgreSQL highest, so it is told to do the same.
        let order = match (sort, self.conn.backend()) {
            (EventSort::DateDesc, Backend::Sqlite) => "e.date DESC, e.id DESC",
            (EventSort::DateAsc, Backend::Sqlite) => "e.date ASC, e.id ASC",
            (EventSort::Sources, Backend::Sqlite) => {
                "k.num_sources DESC, k.num_mentions DESC, e.id DESC"
            }
            (EventSort::DateDesc, Backend::Postgres) => "e.date DESC NULLS LAST, e.id DESC",
            (EventSort::DateAsc, Backend::Postgres) => "e.date ASC NULLS FIRST, e.id ASC",
            (EventSort::Sources, Backend::Postgres) => {
                "k.num_sources DESC NULLS LAST, k.num_mentions DESC NULLS LAST, e.id DESC"
            }
            (EventSort::Confidence, _) => "e.confidence DESC, e.id DESC",
        };
        let statement = format!(
            "{EVENT_ROW_SELECT} {} ORDER BY {order} LIMIT ? OFFSET ?",
            w.sql()
        );
        let mut params = w.params.clone();
        params.push(Value::Int(limit.min(i64::MAX as usize) as i64));
        params.push(Value::Int(offset.min(i64::MAX as usize) as i64));
        let rows = sql(doing, self.conn.query(&statement, &params, event_row))?;
        Ok(Page::capped(total, rows))
    }

    /// Events matching `filter` per day and PLOVER category, oldest day
    /// first: the timeline. Only events dated to the day are counted.
    pub fn event_timeline(&self, filter: &EventFilter) -> Result<Vec<DayCount>> {
        let mut w = self.event_where(filter);
        w.add("e.date_precision IN ('day', 'time')", []);
        let statement = format!(
            "SELECT substr(e.date, 1, 10), coalesce(e.plover, 'OTHER'), count(*)
             FROM events e {} GROUP BY 1, 2 ORDER BY 1, 2",
            w.sql()
        );
        sql(
            "cannot count events per day",
            self.conn.query(&statement, &w.params, |r| {
                Ok(DayCount {
                    day: r.get(0)?,
                    category: r.get(1)?,
                    count: r.get(2)?,
                })
            }),
        )
    }

    /// Placed events matching `filter`, gathered into grid cells of
    /// `cell` degrees (the map's markers at its zoom), biggest first, at
    /// most `limit` cells.
    pub fn event_grid(
        &self,
        filter: &EventFilter,
        cell: f64,
        limit: usize,
    ) -> Result<Vec<GridCell>> {
        let cell = grid_cell(cell);
        let mut w = self.event_where(filter);
        w.add("e.lat IS NOT NULL AND e.lon IS NOT NULL", []);
        // Cells by floor(coordinate / cell): SQLite has no floor(), so
        // there it is CAST (which truncates) corrected for negatives. The
        // category and place named most are picked by a window over the
        // cell's rows.
        let (gy, gx) = match self.conn.backend() {
            Backend::Sqlite => (
                "CAST(y AS INTEGER) - (y < CAST(y AS INTEGER))",
                "CAST(x AS INTEGER) - (x < CAST(x AS INTEGER))",
            ),
            Backend::Postgres => ("CAST(floor(y) AS BIGINT)", "CAST(floor(x) AS BIGINT)"),
        };
        let statement = format!(
            "WITH raw AS (
                 SELECT e.id, e.lat, e.lon, coalesce(e.plover, 'OTHER') AS cat, e.place_name, e.cluster_id,
                        e.lat / ? AS y, e.lon / ? AS x
                 FROM events e {where_sql}),
             ev AS (
                 SELECT id, lat, lon, cat, place_name, cluster_id,
                        {gy} AS gy, {gx} AS gx
                 FROM raw),
             cats AS (
                 SELECT gy, gx, cat, count(*) AS n,
                        row_number() OVER (PARTITION BY gy, gx ORDER BY count(*) DESC, cat) AS rk
                 FROM ev GROUP BY gy, gx, cat),
             names AS (
                 SELECT gy, gx, place_name,
                        row_number() OVER (PARTITION BY gy, gx ORDER BY count(*) DESC, place_name) AS rk
                 FROM ev WHERE place_name IS NOT NULL GROUP BY gy, gx, place_name)
             SELECT avg(ev.lat), avg(ev.lon), count(*), c.cat, count(DISTINCT ev.cluster_id), n.place_name,
                    min(ev.id), ev.gy, ev.gx
             FROM ev JOIN cats c ON c.gy = ev.gy AND c.gx = ev.gx AND c.rk = 1
                     LEFT JOIN names n ON n.gy = ev.gy AND n.gx = ev.gx AND n.rk = 1
             GROUP BY ev.gy, ev.gx, c.cat, n.place_name ORDER BY count(*) DESC, min(ev.id) LIMIT ?",
            where_sql = w.sql()
        );
        let mut params = vec![Value::Real(cell), Value::Real(cell)];
        params.extend(w.params.iter().cloned());
        params.push(Value::Int(limit.min(i64::MAX as usize) as i64));
        sql(
            "cannot grid events",
            self.conn.query(&statement, &params, |r| {
                Ok(GridCell {
                    lat: mean_degrees(r.get(0)?),
                    lon: mean_degrees(r.get(1)?),
                    count: r.get(2)?,
                    category: r.get(3)?,
                    clusters: r.get(4)?,
                    place: r.get(5)?,
                    event: r.get(6)?,
                    bbox: cell_bbox(r.get(7)?, r.get(8)?, cell),
                })
            }),
        )
    }

    /// Articles, newest first; `text` is an FTS5 query over titles and
    /// texts, `source` a publisher.
    pub fn articles(
        &self,
        text: Option<&str>,
        source: Option<&str>,
        from: Option<&str>,
        to: Option<&str>,
        limit: usize,
        offset: usize,
    ) -> Result<Page<ArticleRow>> {
        let mut w = Where::default();
        if let Some(q) = text {
            w.add(
                &self.fts_condition("a.id"),
                [Value::Text(self.fts_query(q))],
            );
        }
        if let Some(s) = source {
            w.add("a.source = ?", [text_value(&s.to_ascii_lowercase())]);
        }
        published_range(&mut w, from, to);
        let from_sql = "FROM articles a";
        let statement = format!(
            "SELECT {ARTICLE_COLUMNS}
             {from_sql} {} ORDER BY a.published IS NULL, a.published DESC, a.id DESC LIMIT ? OFFSET ?",
            w.sql()
        );
        self.page(
            "cannot list articles",
            from_sql,
            &w,
            &statement,
            limit,
            offset,
            article_row,
        )
    }

    /// One article's listing row.
    pub fn article(&self, id: i64) -> Result<Option<ArticleRow>> {
        sql(
            "cannot read an article",
            self.conn.query_opt(
                &format!("SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id = ?1"),
                args![id],
                article_row,
            ),
        )
    }

    /// An article's stored events, by their index in its document.
    pub fn article_events(&self, id: i64) -> Result<Vec<ArticleEvent>> {
        sql(
            "cannot list an article's events",
            self.conn.query(
                "SELECT e.idx, e.id, e.cluster_id, k.num_sources FROM events e
                 LEFT JOIN clusters k ON k.id = e.cluster_id WHERE e.article_id = ?1 ORDER BY e.idx",
                args![id],
                |r| {
                    Ok(ArticleEvent {
                        idx: r.get(0)?,
                        event: r.get(1)?,
                        cluster: r.get(2)?,
                        sources: r.get(3)?,
                    })
                },
            ),
        )
    }

    /// The articles of a duplicate group, first stored first.
    pub fn duplicate_group(&self, group: i64) -> Result<Vec<ArticleRow>> {
        let mut w = Where::default();
        w.add("a.dup_group = ?", [Value::Int(group)]);
        let from_sql = "FROM articles a";
        let statement = format!(
            "SELECT {ARTICLE_COLUMNS}
             {from_sql} {} ORDER BY a.id LIMIT ? OFFSET ?",
            w.sql()
        );
        self.page(
            "cannot list a duplicate group",
            from_sql,
            &w,
            &statement,
            1000,
            0,
            article_row,
        )
        .map(|p| p.rows)
    }

    /// Clusters, most independent sources first (then most mentions);
    /// with dates, only those overlapping `from..=to`.
    pub fn cluster_rows(
        &self,
        id: Option<i64>,
        from: Option<&str>,
        to: Option<&str>,
        limit: usize,
        offset: usize,
    ) -> Result<Page<ClusterRow>> {
        let mut w = Where::default();
        if let Some(id) = id {
            w.add("k.id = ?", [Value::Int(id)]);
        }
        if let Some(from) = from {
            w.add("k.date_last >= ?", [text_value(from)]);
        }
        if let Some(to) = to {
            w.add("k.date_first <= ?", [text_value(to)]);
        }
        let from_sql = "FROM clusters k";
        let statement = format!(
            "SELECT k.id, k.root, k.cameo, k.modality, k.source_country, k.target_country, k.country,
                    k.place_name, k.lat, k.lon, k.date_first, k.date_last, k.num_mentions,
                    k.num_articles, k.num_sources, k.first_seen, k.last_seen
             {from_sql} {} ORDER BY k.num_sources DESC, k.num_mentions DESC, k.id LIMIT ? OFFSET ?",
            w.sql()
        );
        self.page(
            "cannot list clusters",
            from_sql,
            &w,
            &statement,
            limit,
            offset,
            cluster_row,
        )
    }

    /// The statements that report a cluster's mentions: each quote whose
    /// content holds a mention's evidence, with the mention's event id.
    pub fn cluster_statements(&self, cluster: i64) -> Result<Vec<(i64, QuoteRow)>> {
        sql(
            "cannot list a cluster's statements",
            self.conn.query(
                &format!(
                    "SELECT {QUOTE_COLUMNS}, e.id
                     FROM events e
                     JOIN quotes q ON q.article_id = e.article_id AND q.start <= e.start AND q.\"end\" >= e.\"end\"
                     JOIN articles a ON a.id = e.article_id
                     WHERE e.cluster_id = ?1 ORDER BY e.id, q.idx"
                ),
                args![cluster],
                |r| Ok((r.get(15)?, quote_row(r)?)),
            ),
        )
    }

    /// Quotes matching `filter`, newest article first.
    pub fn quotes(
        &self,
        filter: &QuoteFilter,
        limit: usize,
        offset: usize,
    ) -> Result<Page<QuoteRow>> {
        let doing = "cannot list quotes";
        let mut w = Where::default();
        if let Some(s) = &filter.speaker {
            w.add(
                "(q.speaker_canonical LIKE ? ESCAPE '\\' OR q.speaker LIKE ? ESCAPE '\\')",
                [contains(s), contains(s)],
            );
        }
        if let Some(c) = &filter.contains {
            w.add("q.text LIKE ? ESCAPE '\\'", [contains(c)]);
        }
        if filter.direct_only {
            w.add("q.direct = 1", []);
        }
        published_range(&mut w, filter.from.as_deref(), filter.to.as_deref());
        if let Some(s) = &filter.source {
            w.add("a.source = ?", [text(&s.to_ascii_lowercase())]);
        }
        if let Some(a) = filter.article {
            w.add("q.article_id = ?", [Value::Int(a)]);
        }
        let from = "FROM quotes q JOIN articles a ON a.id = q.article_id";
        let statement = format!(
            "SELECT {QUOTE_COLUMNS}
             {from} {} ORDER BY a.published IS NULL, a.published DESC, q.article_id DESC, q.idx
             LIMIT ? OFFSET ?",
            w.sql()
        );
        self.page(doing, from, &w, &statement, limit, offset, quote_row)
    }

    /// Claims matching `filter`, newest article first.
    pub fn claims(
        &self,
        filter: &ClaimFilter,
        limit: usize,
        offset: usize,
    ) -> Result<Page<ClaimRow>> {
        let doing = "cannot list claims";
        let mut w = Where::default();
        if let Some(s) = &filter.about {
            w.add(
                "(c.sentence LIKE ? ESCAPE '\\' OR c.text LIKE ? ESCAPE '\\' OR c.unit LIKE ? ESCAPE '\\')",
                [contains(s), contains(s), contains(s)],
            );
        }
        if let Some(k) = &filter.kind {
            w.add("c.kind = ?", [text(k)]);
        }
        if let Some(b) = &filter.claimed_by {
            w.add("c.attributed_to LIKE ? ESCAPE '\\'", [contains(b)]);
        }
        published_range(&mut w, filter.from.as_deref(), filter.to.as_deref());
        if let Some(s) = &filter.source {
            w.add("a.source = ?", [text(&s.to_ascii_lowercase())]);
        }
        if let Some(a) = filter.article {
            w.add("c.article_id = ?", [Value::Int(a)]);
        }
        let from = "FROM claims c JOIN articles a ON a.id = c.article_id";
        let statement = format!(
            "SELECT c.article_id, a.doc_id, a.title, a.published, a.source, c.start, c.\"end\", c.text,
                    c.value, c.value_max, c.qualifier, c.unit, c.kind, c.attributed_to,
                    c.time_value, c.sentence, c.by
             {from} {} ORDER BY a.published IS NULL, a.published DESC, c.article_id DESC, c.idx
             LIMIT ? OFFSET ?",
            w.sql()
        );
        self.page(doing, from, &w, &statement, limit, offset, |r| {
            Ok(ClaimRow {
                article: r.get(0)?,
                doc_id: r.get(1)?,
                title: r.get(2)?,
                published: r.get(3)?,
                publisher: r.get(4)?,
                start: r.get(5)?,
                end: r.get(6)?,
                text: r.get(7)?,
                value: r.get(8)?,
                value_max: r.get(9)?,
                qualifier: r.get(10)?,
                unit: r.get(11)?,
                kind: r.get(12)?,
                attributed_to: r.get(13)?,
                time_value: r.get(14)?,
                sentence: r.get(15)?,
                by: r.get(16)?,
            })
        })
    }

    /// Resolved places, most mentioned first; `name` filters by the start
    /// of the gazetteer name or the text as written, `country` by alpha-2.
    pub fn places(
        &self,
        name: Option<&str>,
        country: Option<&str>,
        limit: usize,
        offset: usize,
    ) -> Result<Page<PlaceRow>> {
        let doing = "cannot list places";
        let mut w = Where::default();
        w.add("p.lat IS NOT NULL AND p.metonymy = 0", []);
        if let Some(n) = name {
            w.add(
                "(p.name LIKE ? ESCAPE '\\' OR p.text LIKE ? ESCAPE '\\')",
                [prefix(n), prefix(n)],
            );
        }
        if let Some(c) = country {
            w.add("p.country = ?", [text(&c.to_ascii_uppercase())]);
        }
        // One row per gazetteer entry (else per name).
        let group = "coalesce(p.gazetteer_id, p.name, p.text)";
        let from = format!(
            "FROM (SELECT {group} AS g FROM places p {} GROUP BY g) AS groups",
            w.sql()
        );
        let statement = format!(
            "SELECT coalesce(max(p.name), max(p.text)), max(p.gazetteer_id), max(p.kind), max(p.country),
                    max(p.admin1), avg(p.lat), avg(p.lon), count(*), count(DISTINCT p.article_id)
             FROM places p {} GROUP BY {group}
             ORDER BY count(*) DESC, 1, {group} LIMIT ? OFFSET ?",
            w.sql()
        );
        let total: i64 = sql(
            doing,
            self.conn
                .query_row(&format!("SELECT count(*) {from}"), &w.params, |r| r.get(0)),
        )?;
        let mut params = w.params.clone();
        params.push(Value::Int(limit as i64));
        params.push(Value::Int(offset as i64));
        let rows = sql(
            doing,
            self.conn.query(&statement, &params, |r| {
                Ok(PlaceRow {
                    name: r.get(0)?,
                    gazetteer_id: r.get(1)?,
                    kind: r.get(2)?,
                    country: r.get(3)?,
                    admin1: r.get(4)?,
                    lat: r.get::<Option<f64>>(5)?.map(mean_degrees),
                    lon: r.get::<Option<f64>>(6)?.map(mean_degrees),
                    mentions: r.get(7)?,
                    articles: r.get(8)?,
                })
            }),
        )?;
        Ok(Page::exact(total, rows))
    }

    /// The point of the place the store most often resolves `name` to
    /// (gazetteer name or text as written, any case): what `--near NAME`
    /// measures from.
    pub fn locate(&self, name: &str) -> Result<Option<(String, f64, f64)>> {
        // Any case: SQLite's NOCASE (which its name index is built with),
        // PostgreSQL's lower() (which its expression index is).
        let matches = match self.conn.backend() {
            Backend::Sqlite => "(name = ?1 COLLATE NOCASE OR text = ?1 COLLATE NOCASE)",
            Backend::Postgres => "(lower(name) = lower(?1) OR lower(text) = lower(?1))",
        };
        sql(
            "cannot look up a place",
            self.conn.query_opt(
                &format!(
                    "SELECT coalesce(max(name), max(text)), avg(lat), avg(lon) FROM places
                     WHERE {matches} AND lat IS NOT NULL AND metonymy = 0
                     GROUP BY coalesce(gazetteer_id, name) ORDER BY count(*) DESC, 1 LIMIT 1"
                ),
                args![name],
                |r| Ok((r.get(0)?, mean_degrees(r.get(1)?), mean_degrees(r.get(2)?))),
            ),
        )
    }

    /// Conflicting claims about who holds a place (rule in
    /// [`control`]), at most `limit`.
    pub fn disputed_control(&self, limit: usize) -> Result<Vec<ControlDispute>> {
        let doing = "cannot list control disputes";
        struct Claim {
            place_key: String,
            place: String,
            gazetteer_id: Option<String>,
            group: i64,
            day: Option<i64>,
            /// [`control::side`] of the actor.
            party: Option<String>,
            side: ControlSide,
        }
        // Undated claims first, as SQLite sorts NULLs.
        let nulls = match self.conn.backend() {
            Backend::Sqlite => "",
            Backend::Postgres => " NULLS FIRST",
        };
        let statement = format!(
            "SELECT coalesce(e.gazetteer_id, lower(coalesce(e.place_name, e.place_text))),
                    coalesce(e.place_name, e.place_text), e.gazetteer_id, a.dup_group,
                    e.article_id, a.doc_id, a.source, e.text, e.start, e.\"end\", e.control,
                    e.modality, e.source_name, e.source_country, e.date, e.attribution,
                    e.source_code
             FROM events e JOIN articles a ON a.id = e.article_id
             WHERE e.control IS NOT NULL
               AND coalesce(e.gazetteer_id, e.place_name, e.place_text) IS NOT NULL
             ORDER BY 1, e.date{nulls}, e.id"
        );
        let claims: Vec<Claim> = sql(
            doing,
            self.conn.query(&statement, &[], |r| {
                let date: Option<String> = r.get(14)?;
                let code: Option<String> = r.get(16)?;
                let country: Option<String> = r.get(13)?;
                Ok(Claim {
                    party: control::side(code.as_deref(), country.as_deref()),
                    place_key: r.get(0)?,
                    place: r.get(1)?,
                    gazetteer_id: r.get(2)?,
                    group: r.get(3)?,
                    day: date
                        .as_deref()
                        .and_then(|d| crate::cluster::day_number(d.get(..10)?)),
                    side: ControlSide {
                        article: r.get(4)?,
                        doc_id: r.get(5)?,
                        source: r.get(6)?,
                        text: r.get(7)?,
                        span: (r.get(8)?, r.get(9)?),
                        control: r.get(10)?,
                        modality: r.get(11)?,
                        actor: r.get(12)?,
                        actor_country: r.get(13)?,
                        actor_code: r.get(16)?,
                        date,
                        attributed_to: r.get(15)?,
                    },
                })
            }),
        )?;
        let mut out = Vec::new();
        // One dispute per pair of stories and claims: copies of a story
        // repeat its claim.
        let mut seen: std::collections::HashSet<(i64, i64, String, String)> = Default::default();
        let mut start = 0;
        while start < claims.len() && out.len() < limit {
            let key = &claims[start].place_key;
            let end = start
                + claims[start..]
                    .iter()
                    .take_while(|c| &c.place_key == key)
                    .count();
            let place = &claims[start..end];
            for (i, x) in place.iter().enumerate() {
                let Some(sx) = Stance::of(&x.side.control, &x.side.modality, x.party.as_deref())
                else {
                    continue;
                };
                for y in &place[i + 1..] {
                    if out.len() >= limit || x.group == y.group {
                        continue;
                    }
                    let near = match (x.day, y.day) {
                        (Some(a), Some(b)) => (a - b).abs() <= control::WINDOW_DAYS,
                        _ => false,
                    };
                    let Some(sy) =
                        Stance::of(&y.side.control, &y.side.modality, y.party.as_deref())
                    else {
                        continue;
                    };
                    if near
                        && control::conflict(&sx, &sy)
                        && seen.insert((
                            x.group,
                            y.group,
                            format!("{}{}", x.side.control, x.side.modality),
                            format!("{}{}", y.side.control, y.side.modality),
                        ))
                    {
                        out.push(ControlDispute {
                            place: x.place.clone(),
                            gazetteer_id: x.gazetteer_id.clone(),
                            a: x.side.clone(),
                            b: y.side.clone(),
                        });
                    }
                }
            }
            start = end;
        }
        Ok(out)
    }

    /// Runs a counted, paged listing.
    #[allow(clippy::too_many_arguments)]
    fn page<T>(
        &self,
        doing: &str,
        from: &str,
        w: &Where,
        statement: &str,
        limit: usize,
        offset: usize,
        map: impl FnMut(&Row<'_>) -> DbResult<T>,
    ) -> Result<Page<T>> {
        let total: i64 = sql(
            doing,
            self.conn.query_row(
                &format!("SELECT count(*) {from} {}", w.sql()),
                &w.params,
                |r| r.get(0),
            ),
        )?;
        let mut params = w.params.clone();
        params.push(Value::Int(limit.min(i64::MAX as usize) as i64));
        params.push(Value::Int(offset.min(i64::MAX as usize) as i64));
        let rows = sql(doing, self.conn.query(statement, &params, map))?;
        Ok(Page::exact(total, rows))
    }
}

/// An FTS5-style query (`"combat clashes" AND Bakhmut`, `OR`, `NOT`,
/// `prefix*`, parentheses; words side by side must all match) as
/// PostgreSQL `to_tsquery` text: phrases `<->`, `&`, `|`, `& !`, `:*`.
/// Words are lower-cased and cut at punctuation as both tokenizers cut
/// them ("Kyiv's" is `kyiv <-> s`).
pub fn fts5_to_tsquery(q: &str) -> String {
    fn lexemes(word: &str) -> Vec<String> {
        word.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    }
    fn phrase(words: Vec<String>, prefix: bool) -> Option<String> {
        if words.is_empty() {
            return None;
        }
        let mut s = words.join(" <-> ");
        if prefix {
            s.push_str(":*");
        }
        Some(if words.len() > 1 { format!("({s})") } else { s })
    }
    let mut out = String::new();
    // Whether the last thing written can be followed by an operand
    // directly (then `&` is put between them).
    let mut after_operand = false;
    let mut pending: Option<&str> = None;
    let mut chars = q.chars().peekable();
    let push_operand =
        |out: &mut String, operand: String, after: &mut bool, op: &mut Option<&str>| {
            if *after {
                out.push_str(op.take().unwrap_or(" & "));
            } else if let Some(o) = op.take() {
                // An operator with nothing before it: `NOT x` alone.
                if o == " & !" {
                    out.push('!');
                }
            }
            out.push_str(&operand);
            *after = true;
        };
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                let mut inner = String::new();
                for d in chars.by_ref() {
                    if d == '"' {
                        break;
                    }
                    inner.push(d);
                }
                let prefix = chars.peek() == Some(&'*');
                if prefix {
                    chars.next();
                }
                if let Some(p) = phrase(lexemes(&inner), prefix) {
                    push_operand(&mut out, p, &mut after_operand, &mut pending);
                }
            }
            '(' => {
                if after_operand {
                    out.push_str(pending.take().unwrap_or(" & "));
                } else if pending.take() == Some(" & !") {
                    out.push('!');
                }
                out.push('(');
                after_operand = false;
            }
            ')' => {
                if after_operand {
                    out.push(')');
                }
            }
            c if c.is_whitespace() => {}
            _ => {
                let mut word = String::from(c);
                while let Some(&d) = chars.peek() {
                    if d.is_whitespace() || matches!(d, '"' | '(' | ')') {
                        break;
                    }
                    word.push(d);
                    chars.next();
                }
                match word.as_str() {
                    "AND" if after_operand => pending = Some(" & "),
                    "OR" if after_operand => pending = Some(" | "),
                    "NOT" => pending = Some(" & !"),
                    _ => {
                        let prefix = word.ends_with('*');
                        if let Some(p) = phrase(lexemes(&word), prefix) {
                            push_operand(&mut out, p, &mut after_operand, &mut pending);
                        }
                    }
                }
            }
        }
    }
    out
}

fn published_range(w: &mut Where, from: Option<&str>, to: Option<&str>) {
    if let Some(from) = from {
        w.add("a.published >= ?", [text(from)]);
    }
    if let Some(to) = to {
        w.add("substr(a.published, 1, 10) <= ?", [text(to)]);
    }
}

pub(crate) fn event_row(r: &Row<'_>) -> DbResult<EventRow> {
    let actor = |i: usize| -> DbResult<Option<ActorRow>> {
        let a = ActorRow {
            text: r.get(i)?,
            name: r.get(i + 1)?,
            code: r.get(i + 2)?,
            country: r.get(i + 3)?,
        };
        Ok((a.text.is_some() || a.code.is_some()).then_some(a))
    };
    Ok(EventRow {
        id: r.get(0)?,
        article: r.get(1)?,
        doc_id: r.get(2)?,
        url: r.get(3)?,
        title: r.get(4)?,
        published: r.get(5)?,
        publisher: r.get(6)?,
        start: r.get(7)?,
        end: r.get(8)?,
        text: r.get(9)?,
        cameo: r.get(10)?,
        root: r.get(11)?,
        quad_class: r.get(12)?,
        goldstein: r.get(13)?,
        plover: r.get(14)?,
        plover_mode: r.get(15)?,
        acled_type: r.get(16)?,
        acled_sub_type: r.get(17)?,
        source: actor(18)?,
        target: actor(22)?,
        place_text: r.get(26)?,
        place_name: r.get(27)?,
        gazetteer_id: r.get(28)?,
        country: r.get(29)?,
        lat: r.get(30)?,
        lon: r.get(31)?,
        date: r.get(32)?,
        date_precision: r.get(33)?,
        attribution: r.get(34)?,
        via: r.get(35)?,
        modality: r.get(36)?,
        control: r.get(37)?,
        confidence: r.get(38)?,
        by: r.get(39)?,
        cluster: r.get(40)?,
        num_mentions: r.get(41)?,
        num_articles: r.get(42)?,
        num_sources: r.get(43)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_become_ranges_and_days_advance() {
        assert_eq!(successor("19"), "1:");
        assert_eq!(successor("RUS"), "RUT");
        assert!("190" < successor("19").as_str() && "19" <= "190");
        assert!("200" >= successor("19").as_str());
        assert_eq!(next_day("2023-12-31"), "2024-01-01");
        assert_eq!(next_day("2024-02-28"), "2024-02-29");
    }

    #[test]
    fn fts5_queries_become_tsqueries() {
        assert_eq!(
            fts5_to_tsquery("\"combat clashes\" AND Bakhmut"),
            "(combat <-> clashes) & bakhmut"
        );
        assert_eq!(fts5_to_tsquery("Kyiv OR Kiev"), "kyiv | kiev");
        assert_eq!(fts5_to_tsquery("drone NOT shahed"), "drone & !shahed");
        assert_eq!(fts5_to_tsquery("Kyiv's strike*"), "(kyiv <-> s) & strike:*");
        assert_eq!(fts5_to_tsquery("(a OR b) c"), "(a | b) & c");
        assert_eq!(fts5_to_tsquery("'; DROP TABLE x"), "drop & table & x");
    }

    #[test]
    fn like_patterns_escape_their_wildcards() {
        assert_eq!(like_escape("50%_a\\b"), "50\\%\\_a\\\\b");
    }
}

#[cfg(test)]
mod sql_functions {
    #[test]
    fn the_bundled_sqlite_floors_by_cast_and_has_window_functions() {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        // No floor() (no SQLITE_ENABLE_MATH_FUNCTIONS): event_grid's
        // CAST form floors negatives too.
        assert!(c
            .query_row("SELECT floor(1.5)", [], |r| r.get::<_, f64>(0))
            .is_err());
        for (x, want) in [(-1.5, -2), (1.5, 1), (-2.0, -2), (0.2, 0)] {
            let v: i64 = c
                .query_row(
                    "SELECT CAST(?1 AS INTEGER) - (?1 < CAST(?1 AS INTEGER))",
                    [x],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(v, want, "{x}");
        }
        let rk: i64 = c
            .query_row(
                "SELECT row_number() OVER (ORDER BY x) FROM (SELECT 1 AS x)",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(rk, 1);
    }
}
