//! An in-memory index of the event mentions' filter columns, for the HTTP
//! API: filtering, counting, sorting, the timeline and the map grid run
//! over a compact array in the server's memory, and SQLite is asked only
//! for the rows of the page. With ~100,000 events a full scan of the array
//! takes about a millisecond, where SQLite had to read each wide event row
//! from disk for any filter its indexes could not answer alone
//! (docs/store.md has the measurements).
//!
//! The index follows the store: [`EventIndex::refresh`] compares the
//! highest event and article ids with those it has seen (two primary-key
//! lookups) and loads only what is new, with the new counts of the
//! clusters the new events joined. Full-text and actor-name filters are
//! answered by SQLite (FTS5, `LIKE`) as sets of articles or events, then
//! intersected here.
//!
//! ```
//! use sitrep_store::{event_index::EventIndex, query::{EventFilter, EventSort}, Store};
//!
//! let store = Store::open_in_memory().unwrap();
//! let mut index = EventIndex::default();
//! index.refresh(&store).unwrap();
//! let page = index.page(&store, &EventFilter::default(), EventSort::DateDesc, 10, 0).unwrap();
//! assert_eq!(page.total, 0);
//! ```

use std::collections::{HashMap, HashSet};

use crate::args;
use crate::db::Value;

use crate::query::{DayCount, EventFilter, EventRow, EventSort, GridCell, Page};
use crate::{sql, Result, Store};

/// Strings that repeat (codes, categories, publishers), stored once.
#[derive(Debug, Default)]
struct Interner {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Interner {
    /// 0 is "none".
    fn get(&mut self, s: Option<&str>) -> u32 {
        let Some(s) = s else { return 0 };
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        if self.names.is_empty() {
            self.names.push(String::new());
        }
        let id = self.names.len() as u32;
        self.names.push(s.to_string());
        self.ids.insert(s.to_string(), id);
        id
    }

    fn name(&self, id: u32) -> Option<&str> {
        (id != 0)
            .then(|| self.names.get(id as usize).map(String::as_str))
            .flatten()
    }

    /// Ids of the names `keep` accepts.
    fn matching(&self, keep: impl Fn(&str) -> bool) -> HashSet<u32> {
        self.names
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, n)| keep(n))
            .map(|(i, _)| i as u32)
            .collect()
    }
}

/// What the filters and orders read of one event mention.
#[derive(Debug, Clone, Copy)]
struct Key {
    id: i64,
    article: i64,
    /// Days since 1970-01-01 when dated to the day, else `i32::MIN`.
    day: i32,
    /// The TIMEX3 value, interned, for ordering like the store does.
    date: u32,
    lat: f64,
    lon: f64,
    cameo: u32,
    plover: u32,
    acled: u32,
    country: u32,
    source_country: u32,
    target_country: u32,
    source_code: u32,
    target_code: u32,
    modality: u32,
    place: u32,
    publisher: u32,
    original: bool,
    cluster: i64,
    confidence: f32,
}

const NO_DAY: i32 = i32::MIN;

/// The index; see the module documentation.
#[derive(Debug, Default)]
pub struct EventIndex {
    keys: Vec<Key>,
    strings: Interner,
    /// Publisher and originality of each article seen.
    articles: HashMap<i64, (u32, bool)>,
    /// NumSources and NumMentions of each cluster seen.
    clusters: HashMap<i64, (i64, i64)>,
    max_event: i64,
    max_article: i64,
}

fn day_number(value: &str) -> Option<i32> {
    crate::cluster::day_number(value.get(..10)?).and_then(|d| i32::try_from(d).ok())
}

impl EventIndex {
    /// Event mentions indexed.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no event is indexed.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Brings the index up to the store: new articles, new events, and
    /// the counts of the clusters they joined. Returns whether anything
    /// changed.
    pub fn refresh(&mut self, store: &Store) -> Result<bool> {
        let doing = "cannot refresh the event index";
        let conn = store.conn();
        let (max_event, max_article): (i64, i64) = sql(
            doing,
            conn.query_row(
                "SELECT coalesce((SELECT max(id) FROM events), 0), coalesce((SELECT max(id) FROM articles), 0)",
                &[],
                |r| Ok((r.get(0)?, r.get(1)?)),
            ),
        )?;
        if max_event == self.max_event && max_article == self.max_article {
            return Ok(false);
        }
        // Up to the ids read above, one snapshot: an ingest committing
        // meanwhile is read at the next refresh, never twice.
        let rows = sql(
            doing,
            conn.query(
                "SELECT id, source, dup_kind = 'original' FROM articles WHERE id > ?1 AND id <= ?2",
                args![self.max_article, max_article],
                |r| Ok((r.get::<i64>(0)?, r.get::<String>(1)?, r.get::<bool>(2)?)),
            ),
        )?;
        for (id, publisher, original) in rows {
            let p = self.strings.get(Some(&publisher));
            self.articles.insert(id, (p, original));
        }
        const EVENTS: &str =
            "SELECT id, article_id, date, date_precision, lat, lon, cameo, plover, acled_type,
                    country, source_country, target_country, source_code, target_code,
                    modality, cluster_id, confidence, place_name
             FROM events WHERE id > ?1 AND id <= ?2 ORDER BY id";
        type Row = (
            i64,
            i64,
            Option<String>,
            Option<String>,
            Option<f64>,
            Option<f64>,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            String,
            Option<i64>,
            f64,
            Option<String>,
        );
        let rows: Vec<Row> = sql(
            doing,
            conn.query(EVENTS, args![self.max_event, max_event], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                    r.get(11)?,
                    r.get(12)?,
                    r.get(13)?,
                    r.get(14)?,
                    r.get(15)?,
                    r.get(16)?,
                    r.get(17)?,
                ))
            }),
        )?;
        let mut touched: HashSet<i64> = HashSet::new();
        for r in rows {
            let s = &mut self.strings;
            let dated = matches!(r.3.as_deref(), Some("day" | "time"));
            let (publisher, original) = self.articles.get(&r.1).copied().unwrap_or((0, false));
            if let Some(c) = r.15 {
                touched.insert(c);
            }
            self.keys.push(Key {
                id: r.0,
                article: r.1,
                day: if dated {
                    r.2.as_deref().and_then(day_number).unwrap_or(NO_DAY)
                } else {
                    NO_DAY
                },
                date: s.get(r.2.as_deref()),
                lat: r.4.unwrap_or(f64::NAN),
                lon: r.5.unwrap_or(f64::NAN),
                cameo: s.get(Some(&r.6)),
                plover: s.get(r.7.as_deref()),
                acled: s.get(r.8.as_deref().map(str::to_ascii_lowercase).as_deref()),
                country: s.get(r.9.as_deref()),
                source_country: s.get(r.10.as_deref()),
                target_country: s.get(r.11.as_deref()),
                source_code: s.get(r.12.as_deref()),
                target_code: s.get(r.13.as_deref()),
                modality: s.get(Some(&r.14)),
                place: s.get(r.17.as_deref()),
                publisher,
                original,
                cluster: r.15.unwrap_or(0),
                confidence: r.16 as f32,
            });
        }
        // The clusters new mentions joined have new counts.
        let touched: Vec<i64> = touched.into_iter().collect();
        for chunk in touched.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(",");
            let params: Vec<Value> = chunk.iter().map(|&i| Value::Int(i)).collect();
            let rows = sql(
                doing,
                conn.query(
                    &format!(
                        "SELECT id, num_sources, num_mentions FROM clusters WHERE id IN ({marks})"
                    ),
                    &params,
                    |r| Ok((r.get::<i64>(0)?, r.get::<i64>(1)?, r.get::<i64>(2)?)),
                ),
            )?;
            for (id, sources, mentions) in rows {
                self.clusters.insert(id, (sources, mentions));
            }
        }
        self.max_event = max_event;
        self.max_article = max_article;
        Ok(true)
    }

    /// The indexes of the events `f` selects, in index order.
    fn select(&self, store: &Store, f: &EventFilter) -> Result<Vec<usize>> {
        let s = &self.strings;
        let conn = store.conn();
        let doing = "cannot filter events";
        // Sets the database answers: articles by words, events by actor
        // names.
        let articles: Option<HashSet<i64>> = match &f.text {
            Some(q) => {
                let q = store.fts_query(q);
                let ids = sql(
                    doing,
                    conn.query(
                        &format!(
                            "SELECT id FROM articles a WHERE {}",
                            store.fts_condition("a.id")
                        ),
                        args![q],
                        |r| r.get::<i64>(0),
                    ),
                )?;
                Some(ids.into_iter().collect())
            }
            None => None,
        };
        let code_actor = f.actor.as_deref().filter(|a| {
            a.len() >= 3
                && a.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
        });
        let named: Option<HashSet<i64>> = match (&f.actor, code_actor) {
            (Some(name), None) => {
                let like = format!("%{}%", crate::query::like_escape(name));
                let ids = sql(
                    doing,
                    conn.query(
                        "SELECT id FROM events WHERE source_name LIKE ?1 ESCAPE '\\' OR target_name LIKE ?1 ESCAPE '\\'
                           OR source_text LIKE ?1 ESCAPE '\\' OR target_text LIKE ?1 ESCAPE '\\'",
                        args![like],
                        |r| r.get::<i64>(0),
                    ),
                )?;
                Some(ids.into_iter().collect())
            }
            _ => None,
        };
        let codes: Option<HashSet<u32>> = code_actor.map(|p| s.matching(|n| n.starts_with(p)));
        let cameos: Option<HashSet<u32>> =
            f.cameo.as_deref().map(|p| s.matching(|n| n.starts_with(p)));
        let countries: Option<HashSet<u32>> =
            (!f.countries.is_empty()).then(|| s.matching(|n| f.countries.iter().any(|c| c == n)));
        let exact = |v: Option<&str>, upper: bool| -> Option<Option<u32>> {
            v.map(|v| {
                let v = if upper {
                    v.to_ascii_uppercase()
                } else {
                    v.to_ascii_lowercase()
                };
                s.ids.get(&v).copied()
            })
        };
        // OTHER: no category, interned as 0.
        let plover = match f.plover.as_deref() {
            Some(p) if p.eq_ignore_ascii_case("OTHER") => Some(Some(0)),
            p => exact(p, true),
        };
        let acled = exact(f.acled.as_deref(), false);
        let modality = f.modality.as_deref().map(|m| s.ids.get(m).copied());
        let publisher = f
            .source
            .as_deref()
            .map(|p| s.ids.get(&p.to_ascii_lowercase()).copied());
        let from = f.from.as_deref().map(|d| day_number(d).unwrap_or(i32::MAX));
        let to =
            f.to.as_deref()
                .map(|d| day_number(d).unwrap_or(i32::MIN + 1));
        let near = f.near.map(|n| {
            let km_per_deg = 6371.0 * std::f64::consts::PI / 180.0;
            let cos = n.lat.to_radians().cos().max(0.01);
            (n.lat, n.lon, cos * cos, (n.km / km_per_deg).powi(2))
        });
        let keep = |k: &Key| -> bool {
            if from.is_some_and(|d| k.day == NO_DAY || k.day < d)
                || to.is_some_and(|d| k.day == NO_DAY || k.day > d)
            {
                return false;
            }
            if let Some([x0, y0, x1, y1]) = f.bbox {
                let (lat, lon) = (k.lat, k.lon);
                let inside = lat >= y0 && lat <= y1 && lon >= x0 && lon <= x1;
                if !inside {
                    return false;
                }
            }
            if let Some((lat0, lon0, cos2, r2)) = near {
                let (dy, dx) = (k.lat - lat0, k.lon - lon0);
                // NaN (no place) compares false: left out.
                let inside = dy * dy + dx * dx * cos2 <= r2;
                if !inside {
                    return false;
                }
            }
            if let Some(c) = &countries {
                if !(c.contains(&k.country)
                    || c.contains(&k.source_country)
                    || c.contains(&k.target_country))
                {
                    return false;
                }
            }
            if let Some(c) = &codes {
                if !(c.contains(&k.source_code) || c.contains(&k.target_code)) {
                    return false;
                }
            }
            if let Some(n) = &named {
                if !n.contains(&k.id) {
                    return false;
                }
            }
            if cameos.as_ref().is_some_and(|c| !c.contains(&k.cameo))
                || plover.is_some_and(|p| p != Some(k.plover))
                || acled.is_some_and(|a| a != Some(k.acled))
                || modality.is_some_and(|m| m != Some(k.modality))
                || publisher.is_some_and(|p| p != Some(k.publisher))
                || f.cluster.is_some_and(|c| c != k.cluster)
                || f.article.is_some_and(|a| a != k.article)
                || f.originals && !k.original
            {
                return false;
            }
            articles.as_ref().is_none_or(|a| a.contains(&k.article))
        };
        Ok((0..self.keys.len())
            .filter(|&i| keep(&self.keys[i]))
            .collect())
    }

    /// A page of event mentions, as [`Store::events`] gives it (same
    /// filters, orders and rows; `total` exact).
    pub fn page(
        &self,
        store: &Store,
        f: &EventFilter,
        sort: EventSort,
        limit: usize,
        offset: usize,
    ) -> Result<Page<EventRow>> {
        let mut hits = self.select(store, f)?;
        let total = hits.len();
        let s = &self.strings;
        let date = |k: &Key| s.name(k.date).unwrap_or("");
        let sources = |k: &Key| self.clusters.get(&k.cluster).copied().unwrap_or((0, 0));
        let order = |a: &usize, b: &usize| {
            let (x, y) = (&self.keys[*a], &self.keys[*b]);
            match sort {
                // Undated last in both directions of time.
                EventSort::DateDesc => (x.date == 0)
                    .cmp(&(y.date == 0))
                    .then_with(|| date(y).cmp(date(x)))
                    .then(y.id.cmp(&x.id)),
                EventSort::DateAsc => (x.date == 0)
                    .cmp(&(y.date == 0))
                    .then_with(|| date(x).cmp(date(y)))
                    .then(x.id.cmp(&y.id)),
                EventSort::Sources => sources(y).cmp(&sources(x)).then(y.id.cmp(&x.id)),
                EventSort::Confidence => {
                    y.confidence.total_cmp(&x.confidence).then(y.id.cmp(&x.id))
                }
            }
        };
        let end = offset.saturating_add(limit).min(total);
        if offset >= total {
            return Ok(Page {
                total: total as u64,
                exact: true,
                rows: Vec::new(),
            });
        }
        // Only the first `end` need ordering.
        if end < total {
            hits.select_nth_unstable_by(end, order);
            hits.truncate(end);
        }
        hits.sort_unstable_by(order);
        let ids: Vec<i64> = hits[offset..end].iter().map(|&i| self.keys[i].id).collect();
        Ok(Page {
            total: total as u64,
            exact: true,
            rows: store.event_rows(&ids)?,
        })
    }

    /// Events per day and PLOVER category, as [`Store::event_timeline`].
    pub fn timeline(&self, store: &Store, f: &EventFilter) -> Result<Vec<DayCount>> {
        let mut counts: HashMap<(i32, u32), i64> = HashMap::new();
        for i in self.select(store, f)? {
            let k = &self.keys[i];
            if k.day != NO_DAY {
                *counts.entry((k.day, k.plover)).or_default() += 1;
            }
        }
        let mut out: Vec<DayCount> = counts
            .into_iter()
            .map(|((day, plover), count)| DayCount {
                day: crate::date_text(i64::from(day)),
                category: self.strings.name(plover).unwrap_or("OTHER").to_string(),
                count,
            })
            .collect();
        out.sort_by(|a, b| a.day.cmp(&b.day).then_with(|| a.category.cmp(&b.category)));
        Ok(out)
    }

    /// Placed events in grid cells of `cell` degrees, as
    /// [`Store::event_grid`].
    pub fn grid(
        &self,
        store: &Store,
        f: &EventFilter,
        cell: f64,
        limit: usize,
    ) -> Result<Vec<GridCell>> {
        let cell = crate::query::grid_cell(cell);
        #[derive(Default)]
        struct Acc {
            lat: f64,
            lon: f64,
            n: i64,
            cats: HashMap<u32, i64>,
            places: HashMap<u32, i64>,
            clusters: HashSet<i64>,
            first: i64,
        }
        let mut cells: HashMap<(i64, i64), Acc> = HashMap::new();
        // (gy, gx) of each cell, kept for its square.
        for i in self.select(store, f)? {
            let k = &self.keys[i];
            if k.lat.is_nan() || k.lon.is_nan() {
                continue;
            }
            let (lat, lon) = (k.lat, k.lon);
            let key = ((lat / cell).floor() as i64, (lon / cell).floor() as i64);
            let a = cells.entry(key).or_default();
            if a.n == 0 || k.id < a.first {
                a.first = k.id;
            }
            a.lat += lat;
            a.lon += lon;
            a.n += 1;
            *a.cats.entry(k.plover).or_default() += 1;
            if k.place != 0 {
                *a.places.entry(k.place).or_default() += 1;
            }
            if k.cluster != 0 {
                a.clusters.insert(k.cluster);
            }
        }
        let s = &self.strings;
        let most = |m: &HashMap<u32, i64>| -> Option<u32> {
            m.iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| s.name(*b.0).cmp(&s.name(*a.0))))
                .map(|(k, _)| *k)
        };
        let mut out: Vec<GridCell> = cells
            .into_iter()
            .map(|((gy, gx), a)| GridCell {
                bbox: crate::query::cell_bbox(gy, gx, cell),
                lat: a.lat / a.n as f64,
                lon: a.lon / a.n as f64,
                count: a.n,
                category: most(&a.cats)
                    .and_then(|c| s.name(c))
                    .unwrap_or("OTHER")
                    .to_string(),
                clusters: a.clusters.len() as i64,
                place: most(&a.places).and_then(|p| s.name(p)).map(str::to_string),
                event: a.first,
            })
            .collect();
        out.sort_by(|a, b| b.count.cmp(&a.count).then(a.event.cmp(&b.event)));
        out.truncate(limit);
        Ok(out)
    }
}

impl Store {
    /// The rows of these event ids, in this order.
    pub fn event_rows(&self, ids: &[i64]) -> Result<Vec<EventRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut out: HashMap<i64, EventRow> = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(900) {
            let marks = vec!["?"; chunk.len()].join(",");
            let statement = format!("{} WHERE e.id IN ({marks})", crate::query::EVENT_ROW_SELECT);
            let params: Vec<Value> = chunk.iter().map(|&i| Value::Int(i)).collect();
            let rows = sql(
                "cannot read events",
                // Cached by its text: pages are mostly the same size.
                self.conn
                    .query(&statement, &params, crate::query::event_row),
            )?;
            out.extend(rows.into_iter().map(|r| (r.id, r)));
        }
        Ok(ids.iter().filter_map(|i| out.remove(i)).collect())
    }
}
