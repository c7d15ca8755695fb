//! The sitrep store: annotated articles, every layer, duplicate groups and
//! event clusters in one SQLite database.
//!
//! [`Store::ingest`] takes a batch of annotated [`Doc`]s and writes it in one
//! transaction: a crash or a `kill -9` mid-batch leaves the store as it was
//! before the batch, and a re-run completes it. An article whose key (URL,
//! else id, plus exact text) is stored already is skipped, so re-ingesting
//! changes nothing. Each new article is fingerprinted ([`dedupe`]): an exact
//! copy or a near-duplicate (a reposted wire story) joins the duplicate
//! group of the stored article it copies. Each event mention joins the event
//! cluster it fits ([`cluster`]) or starts one, and the touched clusters'
//! NumMentions, NumArticles and NumSources (independent sources: duplicate
//! groups) are recomputed before the batch commits. Titles and texts are
//! searchable with FTS5 ([`Store::search`]).
//!
//! The schema is `migrations/*.sql`, applied in order and recorded in
//! SQLite's `user_version`; a store written by a newer sitrep is refused
//! rather than misread.
//!
//! ```
//! use sitrep_core::Doc;
//! use sitrep_store::Store;
//!
//! let mut store = Store::open_in_memory().unwrap();
//! let mut doc = Doc::new("a1", "KYIV (AP) — Drones struck the port of Odesa overnight.");
//! doc.url = Some("https://example.org/odesa".into());
//! let mut copy = doc.clone();
//! copy.id = "b7".into();
//! copy.url = Some("https://www.example.net/world/odesa".into());
//!
//! let report = store.ingest(&[doc.clone(), copy]).unwrap();
//! assert_eq!((report.added, report.exact_copies), (2, 1));
//! // Ingesting the same article again changes nothing.
//! assert_eq!(store.ingest(&[doc]).unwrap().already_stored, 1);
//! assert_eq!(store.counts().unwrap().articles, 2);
//! assert_eq!(store.search("odesa", 10).unwrap().len(), 2);
//! ```
#![deny(missing_docs)]

pub mod cluster;
pub mod control;
pub mod dedupe;
pub mod disputes;
pub mod event_index;
pub mod query;

use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use sitrep_core::{Date, Doc, Event};

use cluster::EventKey;
use dedupe::Fingerprint;

/// The schema migrations, in order; the store's `user_version` is the
/// number applied.
const MIGRATIONS: [&str; 3] = [
    include_str!("../migrations/0001_store.sql"),
    include_str!("../migrations/0002_queries.sql"),
    include_str!("../migrations/0003_event_indexes.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// A store error, with what was being done and where.
#[derive(Debug)]
pub enum Error {
    /// SQLite failed.
    Sqlite {
        /// What the store was doing.
        doing: String,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// The store was written by a newer sitrep.
    NewerSchema {
        /// The store's path.
        path: PathBuf,
        /// Its schema version.
        found: i64,
    },
    /// The store was written by an older sitrep and must be migrated
    /// (opened once for writing) before it is read.
    OlderSchema {
        /// The store's path.
        path: PathBuf,
        /// Its schema version.
        found: i64,
    },
    /// A stored row does not read back (a store edited by hand).
    BadRow(String),
    /// An error about a particular store file.
    WithPath {
        /// The store's path.
        path: PathBuf,
        /// The error.
        err: Box<Error>,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Sqlite { doing, source } => write!(f, "{doing}: {source}"),
            Error::NewerSchema { path, found } => write!(
                f,
                "{}: store schema version {found} is newer than this sitrep's ({SCHEMA_VERSION}); \
                 use a newer sitrep or another --db",
                path.display()
            ),
            Error::OlderSchema { path, found } => write!(
                f,
                "{}: store schema version {found} is older than this sitrep's ({SCHEMA_VERSION}); \
                 open it once for writing (sitrep ingest) to migrate it",
                path.display()
            ),
            Error::BadRow(what) => write!(f, "unreadable row: {what}"),
            Error::WithPath { path, err } => write!(f, "{}: {err}", path.display()),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Sqlite { source, .. } => Some(source),
            Error::WithPath { err, .. } => Some(err),
            _ => None,
        }
    }
}

/// Result of a store operation.
pub type Result<T> = std::result::Result<T, Error>;

fn sql<T>(doing: &str, r: rusqlite::Result<T>) -> Result<T> {
    r.map_err(|source| Error::Sqlite {
        doing: doing.to_string(),
        source,
    })
}

/// What one [`Store::ingest`] call did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BatchReport {
    /// Articles written.
    pub added: u64,
    /// Articles skipped because their key is stored already.
    pub already_stored: u64,
    /// Of the added, exact copies of a stored article.
    pub exact_copies: u64,
    /// Of the added, near-duplicates of a stored article.
    pub near_duplicates: u64,
    /// Event mentions written.
    pub events: u64,
    /// Event clusters started.
    pub new_clusters: u64,
}

impl BatchReport {
    /// Adds another report's counts to this one.
    pub fn absorb(&mut self, other: BatchReport) {
        self.added += other.added;
        self.already_stored += other.already_stored;
        self.exact_copies += other.exact_copies;
        self.near_duplicates += other.near_duplicates;
        self.events += other.events;
        self.new_clusters += other.new_clusters;
    }
}

/// Row counts of the store's main tables.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Articles.
    pub articles: u64,
    /// Duplicate groups (independent stories).
    pub dup_groups: u64,
    /// Entities.
    pub entities: u64,
    /// Places.
    pub places: u64,
    /// Time expressions.
    pub times: u64,
    /// Quotes.
    pub quotes: u64,
    /// Claims.
    pub claims: u64,
    /// Event mentions.
    pub events: u64,
    /// Event clusters.
    pub clusters: u64,
}

/// One full-text search result.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// Article row id.
    pub article: i64,
    /// The document's id.
    pub doc_id: String,
    /// Headline.
    pub title: Option<String>,
    /// Publication date.
    pub published: Option<String>,
    /// Publisher.
    pub source: String,
    /// The matching passage, matches in `[` `]`.
    pub snippet: String,
    /// FTS5 rank (lower is better).
    pub rank: f64,
}

/// An event cluster as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// Cluster id.
    pub id: i64,
    /// CAMEO code of its first mention.
    pub cameo: String,
    /// Where, by name.
    pub place_name: Option<String>,
    /// First and last event date.
    pub dates: (Option<String>, Option<String>),
    /// Event mentions.
    pub num_mentions: i64,
    /// Distinct articles.
    pub num_articles: i64,
    /// Distinct independent sources (duplicate groups).
    pub num_sources: i64,
}

/// The store: one SQLite database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (creating if needed) the store at `path` and brings its schema
    /// up to date.
    pub fn open(path: &Path) -> Result<Store> {
        let with_path = |err: Error| Error::WithPath {
            path: path.to_path_buf(),
            err: Box::new(err),
        };
        let conn = sql("cannot open the database", Connection::open(path)).map_err(with_path)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.prepare().map_err(|e| match e {
            e @ Error::NewerSchema { .. } => e,
            e => with_path(e),
        })?;
        Ok(store)
    }

    /// Opens an existing store for reading only: no migration, no write
    /// lock; what a query or a server needs while an ingest runs.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        let with_path = |err: Error| Error::WithPath {
            path: path.to_path_buf(),
            err: Box::new(err),
        };
        let flags =
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = sql(
            "cannot open the database",
            Connection::open_with_flags(path, flags),
        )
        .map_err(with_path)?;
        // Reads go through the OS page cache by memory map, shared by all
        // readers, rather than each connection's small private cache: the
        // API's filtered queries touch many event rows (docs/store.md).
        sql(
            "cannot set pragmas",
            conn.execute_batch(
                "PRAGMA busy_timeout = 5000; PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -16384;",
            ),
        )
        .map_err(with_path)?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
        };
        let version = store.schema_version().map_err(with_path)?;
        if version > SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                path: path.to_path_buf(),
                found: version,
            });
        }
        if version < SCHEMA_VERSION {
            return Err(Error::OlderSchema {
                path: path.to_path_buf(),
                found: version,
            });
        }
        Ok(store)
    }

    /// A store in memory, for tests and one-off runs.
    pub fn open_in_memory() -> Result<Store> {
        let conn = sql(
            "cannot open an in-memory database",
            Connection::open_in_memory(),
        )?;
        let mut store = Store {
            conn,
            path: PathBuf::from(":memory:"),
        };
        store.prepare()?;
        Ok(store)
    }

    fn prepare(&mut self) -> Result<()> {
        sql(
            "cannot set pragmas",
            self.conn.execute_batch("PRAGMA busy_timeout = 5000;"),
        )?;
        // WAL: readers (the server) never block the ingest; NORMAL sync is
        // durable at each commit in WAL mode up to a power cut.
        sql(
            "cannot set the journal mode",
            self.conn
                .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0)),
        )?;
        sql(
            "cannot set pragmas",
            self.conn
                .execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"),
        )?;
        let version: i64 = sql(
            "cannot read the schema version",
            self.conn.query_row("PRAGMA user_version", [], |r| r.get(0)),
        )?;
        if version > SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                path: self.path.clone(),
                found: version,
            });
        }
        for (i, migration) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            // IMMEDIATE: two processes opening a new store at once migrate
            // it one after the other; the second sees the version moved.
            let tx = sql(
                "cannot start a migration",
                self.conn
                    .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate),
            )?;
            let now: i64 = sql(
                "cannot read the schema version",
                tx.query_row("PRAGMA user_version", [], |r| r.get(0)),
            )?;
            if now > i as i64 {
                continue;
            }
            sql(
                &format!("migration {} failed", i + 1),
                tx.execute_batch(migration),
            )?;
            sql(
                "cannot record the schema version",
                tx.pragma_update(None, "user_version", (i + 1) as i64),
            )?;
            sql("cannot commit a migration", tx.commit())?;
        }
        Ok(())
    }

    /// The database path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open store.
    pub fn schema_version(&self) -> Result<i64> {
        sql(
            "cannot read the schema version",
            self.conn.query_row("PRAGMA user_version", [], |r| r.get(0)),
        )
    }

    /// The underlying connection, for read-only queries (exports, the API).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Whether an article with this key is stored (see
    /// [`dedupe::article_key`]): lets a caller skip annotating it.
    pub fn contains_key(&self, key: &str) -> Result<bool> {
        let mut st = sql(
            "cannot look up an article key",
            self.conn
                .prepare_cached("SELECT 1 FROM articles WHERE key = ?1"),
        )?;
        sql("cannot look up an article key", st.exists([key]))
    }

    /// Writes a batch of annotated documents in one transaction.
    pub fn ingest(&mut self, docs: &[Doc]) -> Result<BatchReport> {
        let mut report = BatchReport::default();
        let tx = sql("cannot start a transaction", self.conn.transaction())?;
        let mut touched: BTreeSet<i64> = BTreeSet::new();
        for doc in docs {
            let key = dedupe::article_key(address(doc), doc.text());
            let exists = sql(
                "cannot look up an article key",
                tx.prepare_cached("SELECT 1 FROM articles WHERE key = ?1")
                    .and_then(|mut st| st.exists([&key])),
            )?;
            if exists {
                report.already_stored += 1;
                continue;
            }
            let fp = dedupe::fingerprint(key, doc.text());
            let (id, kind) = write_article(&tx, doc, &fp).map_err(|e| with_doc(doc, e))?;
            report.added += 1;
            match kind {
                DupKind::Exact => report.exact_copies += 1,
                DupKind::Near => report.near_duplicates += 1,
                DupKind::Original => {}
            }
            write_layers(&tx, id, doc).map_err(|e| with_doc(doc, e))?;
            for (idx, event) in doc.events.iter().enumerate() {
                let (cluster, new) =
                    write_event(&tx, id, idx, event).map_err(|e| with_doc(doc, e))?;
                report.events += 1;
                report.new_clusters += u64::from(new);
                if let Some(c) = cluster {
                    touched.insert(c);
                }
            }
        }
        for c in &touched {
            sql("cannot update cluster counts", refresh_cluster(&tx, *c))?;
        }
        sql("cannot commit the batch", tx.commit())?;
        Ok(report)
    }

    /// Row counts.
    pub fn counts(&self) -> Result<Counts> {
        let count = |table: &str| -> Result<u64> {
            sql(
                &format!("cannot count {table}"),
                self.conn
                    .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| {
                        r.get::<_, i64>(0)
                    }),
            )
            .map(|n| n as u64)
        };
        Ok(Counts {
            articles: count("articles")?,
            dup_groups: sql(
                "cannot count duplicate groups",
                self.conn
                    .query_row("SELECT count(DISTINCT dup_group) FROM articles", [], |r| {
                        r.get::<_, i64>(0)
                    }),
            )? as u64,
            entities: count("entities")?,
            places: count("places")?,
            times: count("times")?,
            quotes: count("quotes")?,
            claims: count("claims")?,
            events: count("events")?,
            clusters: count("clusters")?,
        })
    }

    /// Full-text search over titles and texts (FTS5 query syntax: words,
    /// `"phrases"`, `AND`/`OR`/`NOT`, `prefix*`), best first. A query FTS5
    /// cannot parse is searched as one phrase instead.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        const SQL: &str = "SELECT a.id, a.doc_id, a.title, a.published, a.source,
                    snippet(articles_fts, 1, '[', ']', '…', 12), articles_fts.rank
             FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
             WHERE articles_fts MATCH ?1 ORDER BY articles_fts.rank LIMIT ?2";
        let run = |q: &str| -> rusqlite::Result<Vec<SearchHit>> {
            let mut st = self.conn.prepare_cached(SQL)?;
            let rows = st.query_map(params![q, limit as i64], |r| {
                Ok(SearchHit {
                    article: r.get(0)?,
                    doc_id: r.get(1)?,
                    title: r.get(2)?,
                    published: r.get(3)?,
                    source: r.get(4)?,
                    snippet: r.get(5)?,
                    rank: r.get(6)?,
                })
            })?;
            rows.collect()
        };
        match run(query) {
            Ok(hits) => Ok(hits),
            Err(_) => {
                let phrase = format!("\"{}\"", query.replace('"', "\"\""));
                sql(&format!("cannot search for {query:?}"), run(&phrase))
            }
        }
    }

    /// The duplicate groups of more than one article: each as the document
    /// ids of its members, first stored first.
    pub fn duplicate_groups(&self) -> Result<Vec<Vec<String>>> {
        let mut st = sql(
            "cannot list duplicate groups",
            self.conn.prepare(
                "SELECT dup_group, doc_id FROM articles
                 WHERE dup_group IN (SELECT dup_group FROM articles GROUP BY dup_group HAVING count(*) > 1)
                 ORDER BY dup_group, id",
            ),
        )?;
        let rows = sql(
            "cannot list duplicate groups",
            st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>()),
        )?;
        let mut out: Vec<Vec<String>> = Vec::new();
        let mut last = None;
        for (group, doc) in rows {
            if last != Some(group) {
                out.push(Vec::new());
                last = Some(group);
            }
            if let Some(g) = out.last_mut() {
                g.push(doc);
            }
        }
        Ok(out)
    }

    /// Event clusters, most-mentioned first.
    pub fn clusters(&self, limit: usize) -> Result<Vec<Cluster>> {
        let mut st = sql(
            "cannot list clusters",
            self.conn.prepare_cached(
                "SELECT id, cameo, place_name, date_first, date_last, num_mentions, num_articles, num_sources
                 FROM clusters ORDER BY num_mentions DESC, id LIMIT ?1",
            ),
        )?;
        sql(
            "cannot list clusters",
            st.query_map([limit as i64], |r| {
                Ok(Cluster {
                    id: r.get(0)?,
                    cameo: r.get(1)?,
                    place_name: r.get(2)?,
                    dates: (r.get(3)?, r.get(4)?),
                    num_mentions: r.get(5)?,
                    num_articles: r.get(6)?,
                    num_sources: r.get(7)?,
                })
            })
            .and_then(|rows| rows.collect()),
        )
    }

    /// Counts that independent sources give incompatibly for the same
    /// event (rule in [`disputes`]), at most `limit`, by cluster.
    pub fn disputed_counts(&self, limit: usize) -> Result<Vec<disputes::Dispute>> {
        use disputes::{ClaimSide, Dispute};
        let doing = "cannot list disputed counts";
        let mut st = sql(doing, self.conn.prepare_cached(
            "SELECT e.cluster_id, k.cameo, k.place_name, a.id, a.doc_id, a.source, a.dup_group,
                    c.idx, c.text, c.start, c.end, c.value, c.value_max, c.qualifier, c.unit, c.kind,
                    c.attributed_to
             FROM clusters k
             JOIN events e ON e.cluster_id = k.id
             JOIN articles a ON a.id = e.article_id
             JOIN claims c ON c.article_id = a.id
             WHERE k.num_sources > 1 AND c.kind IS NOT NULL
             GROUP BY e.cluster_id, a.id, c.idx
             ORDER BY e.cluster_id, c.kind, a.dup_group, a.id, c.idx",
        ))?;
        type Row = (
            i64,
            String,
            Option<String>,
            i64,
            String,
            ClaimSide,
            Option<String>,
            String,
        );
        let rows: Vec<Row> = sql(
            doing,
            st.query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, i64>(6)?,
                    format!("{}", r.get::<_, i64>(7)?),
                    ClaimSide {
                        article: r.get(3)?,
                        doc_id: r.get(4)?,
                        source: r.get(5)?,
                        text: r.get(8)?,
                        span: (r.get(9)?, r.get(10)?),
                        value: r.get(11)?,
                        value_max: r.get(12)?,
                        qualifier: r.get(13)?,
                        attributed_to: r.get(16)?,
                    },
                    r.get::<_, Option<String>>(14)?,
                    r.get::<_, String>(15)?,
                ))
            })
            .and_then(|rows| rows.collect()),
        )?;
        let mut out = Vec::new();
        let mut seen: HashSet<(i64, String, i64, String)> = HashSet::new();
        let mut start = 0;
        while start < rows.len() && out.len() < limit {
            let (cluster, kind) = (rows[start].0, &rows[start].7);
            let end = start
                + rows[start..]
                    .iter()
                    .take_while(|r| r.0 == cluster && &r.7 == kind)
                    .count();
            // One figure per duplicate group: copies repeat their story's.
            let mut sides: Vec<&Row> = Vec::new();
            for r in &rows[start..end] {
                let repeated = sides.iter().any(|s| {
                    s.3 == r.3
                        && s.5.value == r.5.value
                        && s.5.value_max == r.5.value_max
                        && s.5.qualifier == r.5.qualifier
                });
                if !repeated {
                    sides.push(r);
                }
            }
            for (i, x) in sides.iter().enumerate() {
                for y in &sides[i + 1..] {
                    if x.3 == y.3 || out.len() >= limit {
                        continue;
                    }
                    // By the head noun: "combat clashes" and "clashes" agree.
                    let head = |u: &str| u.rsplit(' ').next().unwrap_or(u).to_lowercase();
                    let units_agree = match (&x.6, &y.6) {
                        (Some(u), Some(v)) => head(u) == head(v),
                        _ => true,
                    };
                    let ra = disputes::range(x.5.value, x.5.value_max, x.5.qualifier.as_deref());
                    let rb = disputes::range(y.5.value, y.5.value_max, y.5.qualifier.as_deref());
                    if !units_agree || !disputes::conflict(ra, rb) {
                        continue;
                    }
                    let key = (x.5.article, x.4.clone(), y.5.article, y.4.clone());
                    if !seen.insert(key) {
                        continue;
                    }
                    out.push(Dispute {
                        cluster,
                        cameo: x.1.clone(),
                        place_name: x.2.clone(),
                        kind: kind.clone(),
                        unit: x.6.clone().or_else(|| y.6.clone()),
                        a: x.5.clone(),
                        b: y.5.clone(),
                    });
                }
            }
            start = end;
        }
        Ok(out)
    }

    /// The annotated document stored for an article id.
    pub fn document(&self, article: i64) -> Result<Option<Doc>> {
        let json: Option<String> = sql(
            "cannot read an article",
            self.conn
                .query_row("SELECT doc FROM articles WHERE id = ?1", [article], |r| {
                    r.get(0)
                })
                .optional(),
        )?;
        json.map(|j| {
            serde_json::from_str::<Doc>(&j)
                .map(|mut d| {
                    d.reindex();
                    d
                })
                .map_err(|e| Error::BadRow(format!("article {article}: {e}")))
        })
        .transpose()
    }
}

fn with_doc(doc: &Doc, err: Error) -> Error {
    match err {
        Error::Sqlite { doing, source } => Error::Sqlite {
            doing: format!("document {}: {doing}", doc.id),
            source,
        },
        other => other,
    }
}

/// What an article's URL (else its id) is: the address in its key.
fn address(doc: &Doc) -> &str {
    doc.url.as_deref().unwrap_or(&doc.id)
}

/// The publisher of an article: its URL's host without `www.`.
pub fn source_of(url: Option<&str>) -> String {
    let Some(url) = url else {
        return "unknown".to_string();
    };
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("")
        .rsplit('@')
        .next()
        .unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    let host = host.strip_prefix("www.").unwrap_or(host);
    if host.is_empty() || host.contains(char::is_whitespace) {
        "unknown".to_string()
    } else {
        host.to_ascii_lowercase()
    }
}

enum DupKind {
    Original,
    Exact,
    Near,
}

/// Finds what the article copies, writes its row, its LSH bands and its
/// full-text entry.
fn write_article(tx: &Transaction<'_>, doc: &Doc, fp: &Fingerprint) -> Result<(i64, DupKind)> {
    let exact: Option<(i64, i64)> = sql(
        "cannot look up exact copies",
        tx.prepare_cached(
            "SELECT id, dup_group FROM articles WHERE content_hash = ?1 ORDER BY id LIMIT 1",
        )
        .and_then(|mut st| {
            st.query_row([&fp.content_hash], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
        }),
    )?;
    let bands = dedupe::band_hashes(&fp.signature);
    let (kind, of, group, similarity) = if let Some((of, group)) = exact {
        (DupKind::Exact, Some(of), Some(group), Some(1.0))
    } else {
        match nearest(tx, fp, &bands)? {
            Some((of, group, sim)) => (DupKind::Near, Some(of), Some(group), Some(sim)),
            None => (DupKind::Original, None, None, None),
        }
    };
    let kind_name = match kind {
        DupKind::Original => "original",
        DupKind::Exact => "exact",
        DupKind::Near => "near",
    };
    let json = serde_json::to_string(doc)
        .map_err(|e| Error::BadRow(format!("document {}: {e}", doc.id)))?;
    sql(
        "cannot write the article",
        tx.prepare_cached(
            "INSERT INTO articles (doc_id, key, content_hash, url, source, wire, title, published,
                 published_source, language, text, chars, shingles, minhash, dup_group, dup_kind,
                 dup_of, dup_similarity, ingested_at, doc, key_terms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, coalesce(?15, 0), ?16,
                 ?17, ?18, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?19, ?20)",
        )
        .and_then(|mut st| {
            st.execute(params![
                doc.id,
                fp.key,
                fp.content_hash,
                doc.url,
                source_of(doc.url.as_deref()),
                dedupe::wire_credit(doc.text()),
                doc.title,
                doc.published.map(|d| d.to_string()),
                enum_name(&doc.published_source),
                doc.language,
                doc.text(),
                doc.len_chars() as i64,
                i64::from(fp.shingles),
                dedupe::signature_bytes(&fp.signature),
                group,
                kind_name,
                of,
                similarity,
                json,
                dedupe::terms_bytes(&fp.terms),
            ])
        }),
    )?;
    let id = tx.last_insert_rowid();
    if group.is_none() {
        sql(
            "cannot write the duplicate group",
            tx.execute("UPDATE articles SET dup_group = id WHERE id = ?1", [id]),
        )?;
    }
    let mut st = sql(
        "cannot write LSH bands",
        tx.prepare_cached(
            "INSERT OR IGNORE INTO lsh_bands (band, hash, article_id) VALUES (?1, ?2, ?3)",
        ),
    )?;
    for (band, hash) in bands.iter().enumerate() {
        sql(
            "cannot write LSH bands",
            st.execute(params![band as i64, hash, id]),
        )?;
    }
    sql(
        "cannot index the text",
        tx.prepare_cached("INSERT INTO articles_fts (rowid, title, text) VALUES (?1, ?2, ?3)")
            .and_then(|mut st| st.execute(params![id, doc.title, doc.text()])),
    )?;
    Ok((id, kind))
}

/// The stored article this one best near-duplicates: (id, group, similarity).
fn nearest(
    tx: &Transaction<'_>,
    fp: &Fingerprint,
    bands: &[i64; dedupe::BANDS],
) -> Result<Option<(i64, i64, f64)>> {
    let mut candidates: HashSet<i64> = HashSet::new();
    {
        let mut st = sql(
            "cannot look up LSH bands",
            tx.prepare_cached("SELECT article_id FROM lsh_bands WHERE band = ?1 AND hash = ?2"),
        )?;
        for (band, hash) in bands.iter().enumerate() {
            let ids = sql(
                "cannot look up LSH bands",
                st.query_map(params![band as i64, hash], |r| r.get::<_, i64>(0))
                    .and_then(|rows| rows.collect::<rusqlite::Result<Vec<i64>>>()),
            )?;
            candidates.extend(ids);
        }
    }
    let mut best: Option<(i64, i64, f64)> = None;
    let mut st = sql(
        "cannot read a candidate",
        tx.prepare_cached(
            "SELECT dup_group, shingles, minhash, key_terms FROM articles WHERE id = ?1",
        ),
    )?;
    let mut ids: Vec<i64> = candidates.into_iter().collect();
    ids.sort_unstable();
    for id in ids {
        let (group, shingles, bytes, terms): (i64, i64, Vec<u8>, Vec<u8>) = sql(
            "cannot read a candidate",
            st.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))),
        )?;
        let terms = dedupe::terms_from_bytes(&terms).ok_or_else(|| {
            Error::BadRow(format!("article {id}: key terms of {} bytes", terms.len()))
        })?;
        let signature = dedupe::signature_from_bytes(&bytes).ok_or_else(|| {
            Error::BadRow(format!("article {id}: minhash of {} bytes", bytes.len()))
        })?;
        let other = Fingerprint {
            key: String::new(),
            content_hash: String::new(),
            shingles: shingles.clamp(0, i64::from(u32::MAX)) as u32,
            signature,
            terms,
        };
        if let Some(sim) = dedupe::near_duplicate(fp, &other) {
            if best.is_none_or(|(_, _, s)| sim > s) {
                best = Some((id, group, sim));
            }
        }
    }
    Ok(best)
}

/// The serde name of a unit enum variant (`published_source`, kinds).
fn enum_name<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

fn write_layers(tx: &Transaction<'_>, id: i64, doc: &Doc) -> Result<()> {
    let doing = "cannot write the layers";
    let mut st = sql(doing, tx.prepare_cached(
        "INSERT INTO entities (article_id, idx, start, end, text, kind, canonical, role, affiliation, by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"))?;
    for (i, e) in doc.entities.iter().enumerate() {
        sql(
            doing,
            st.execute(params![
                id,
                i as i64,
                e.start as i64,
                e.end as i64,
                e.text,
                enum_name(&e.kind),
                e.canonical,
                e.role,
                e.affiliation,
                e.by.as_ref()
            ]),
        )?;
    }
    let mut st = sql(doing, tx.prepare_cached(
        "INSERT INTO places (article_id, idx, start, end, text, name, kind, country, admin1, admin2,
             lat, lon, gazetteer_id, confidence, metonymy, by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"))?;
    for (i, p) in doc.places.iter().enumerate() {
        sql(
            doing,
            st.execute(params![
                id,
                i as i64,
                p.start as i64,
                p.end as i64,
                p.text,
                p.name,
                enum_name(&p.kind),
                p.country,
                p.admin1,
                p.admin2,
                p.lat,
                p.lon,
                p.gazetteer_id,
                p.confidence,
                p.metonymy,
                p.by.as_ref()
            ]),
        )?;
    }
    let mut st = sql(
        doing,
        tx.prepare_cached(
            "INSERT INTO times (article_id, idx, start, end, text, type, value, modifier, by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        ),
    )?;
    for (i, t) in doc.times.iter().enumerate() {
        sql(
            doing,
            st.execute(params![
                id,
                i as i64,
                t.start as i64,
                t.end as i64,
                t.text,
                enum_name(&t.kind),
                t.value,
                t.modifier,
                t.by.as_ref()
            ]),
        )?;
    }
    let mut st = sql(doing, tx.prepare_cached(
        "INSERT INTO quotes (article_id, idx, start, end, text, direct, speaker, speaker_canonical,
             cue, channel, via, by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"))?;
    for (i, q) in doc.quotes.iter().enumerate() {
        let speaker = q.speaker.as_ref();
        sql(
            doing,
            st.execute(params![
                id,
                i as i64,
                q.start as i64,
                q.end as i64,
                q.text,
                q.direct,
                speaker.map(|s| s.text.as_str()),
                speaker.map(|s| s.canonical.as_deref().unwrap_or(&s.text)),
                q.cue.as_ref().map(|c| c.text.as_str()),
                q.channel,
                q.via
                    .as_ref()
                    .map(|v| v.canonical.as_deref().unwrap_or(&v.text)),
                q.by.as_ref()
            ]),
        )?;
    }
    let mut st = sql(doing, tx.prepare_cached(
        "INSERT INTO claims (article_id, idx, start, end, text, value, value_max, qualifier, unit,
             kind, attributed_to, time_value, by, sentence)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"))?;
    for (i, c) in doc.claims.iter().enumerate() {
        // Sentences are ordered and disjoint: the last one starting at or
        // before the claim holds it.
        let at = doc.sentences.partition_point(|s| s.start <= c.start);
        let sentence = at
            .checked_sub(1)
            .map(|k| &doc.sentences[k])
            .filter(|s| c.end <= s.end)
            .map(|s| s.text.as_str());
        sql(
            doing,
            st.execute(params![
                id,
                i as i64,
                c.start as i64,
                c.end as i64,
                c.text,
                c.value,
                c.value_max,
                c.qualifier,
                c.unit,
                c.kind,
                c.attributed_to
                    .as_ref()
                    .map(|a| a.canonical.as_deref().unwrap_or(&a.text)),
                c.time.as_ref().map(|t| t.value.as_str()),
                c.by.as_ref(),
                sentence,
            ]),
        )?;
    }
    Ok(())
}

/// The clustering key of an event mention.
fn event_key(event: &Event) -> EventKey {
    let day = event
        .date
        .as_ref()
        .filter(|d| d.precision == "day")
        .and_then(|d| cluster::day_number(&d.value));
    let place = event.place.as_ref();
    EventKey {
        root: event.cameo.chars().take(2).collect(),
        modality: cluster::modality_class(&event.modality).to_string(),
        source_country: event.source.as_ref().and_then(|a| a.country.clone()),
        target_country: event.target.as_ref().and_then(|a| a.country.clone()),
        country: place.and_then(|p| p.country.clone()),
        point: place.and_then(|p| p.lat.zip(p.lon)),
        days: day.map(|d| (d, d)),
    }
}

/// Writes an event mention and files it in a cluster: (cluster, whether it
/// is new). Events without a day-precision date get a cluster of their own.
fn write_event(
    tx: &Transaction<'_>,
    article: i64,
    idx: usize,
    e: &Event,
) -> Result<(Option<i64>, bool)> {
    let key = event_key(e);
    let group: i64 = sql(
        "cannot read the duplicate group",
        tx.query_row(
            "SELECT dup_group FROM articles WHERE id = ?1",
            [article],
            |r| r.get(0),
        ),
    )?;
    let (cluster, new) = find_or_start_cluster(tx, &key, e, group)?;
    let actor = |a: Option<&sitrep_core::Actor>| {
        (
            a.map(|a| a.text.clone()),
            a.and_then(|a| a.canonical.clone()),
            a.and_then(|a| a.code.clone()),
            a.and_then(|a| a.country.clone()),
        )
    };
    let (st_, sn, sc, scc) = actor(e.source.as_ref());
    let (tt, tn, tc, tcc) = actor(e.target.as_ref());
    let place = e.place.as_ref();
    let reporter = |r: &Option<sitrep_core::EntityRef>| {
        r.as_ref()
            .map(|r| r.canonical.clone().unwrap_or_else(|| r.text.clone()))
    };
    sql(
        "cannot write an event",
        tx.prepare_cached(
            "INSERT INTO events (article_id, idx, start, end, text, cameo, root, quad_class, goldstein,
                 plover, plover_mode, acled_type, acled_sub_type, source_text, source_name, source_code,
                 source_country, target_text, target_name, target_code, target_country, place_text,
                 place_name, country, lat, lon, date, date_precision, attribution, via, modality,
                 confidence, by, cluster_id, control, gazetteer_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
                 ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35,
                 ?36)",
        )
        .and_then(|mut st| {
            st.execute(params![
                article,
                idx as i64,
                e.start as i64,
                e.end as i64,
                e.text,
                e.cameo,
                key.root,
                i64::from(e.quad_class),
                e.goldstein,
                e.plover.as_ref().map(|p| p.category.as_str()),
                e.plover.as_ref().and_then(|p| p.mode.as_deref()),
                e.acled.as_ref().map(|a| a.event_type.as_str()),
                e.acled.as_ref().map(|a| a.sub_event_type.as_str()),
                st_,
                sn,
                sc,
                scc,
                tt,
                tn,
                tc,
                tcc,
                place.map(|p| p.text.as_str()),
                place.and_then(|p| p.name.as_deref()),
                place.and_then(|p| p.country.as_deref()),
                place.and_then(|p| p.lat),
                place.and_then(|p| p.lon),
                e.date.as_ref().map(|d| d.value.as_str()),
                e.date.as_ref().map(|d| d.precision.as_str()),
                reporter(&e.attribution),
                reporter(&e.via),
                e.modality,
                e.confidence,
                e.by.as_ref(),
                cluster,
                e.control,
                place.and_then(|p| p.gazetteer_id.as_deref()),
            ])
        }),
    )?;
    Ok((cluster, new))
}

fn date_text(day: i64) -> String {
    Date::from_days_since_epoch(day).to_string()
}

fn find_or_start_cluster(
    tx: &Transaction<'_>,
    key: &EventKey,
    e: &Event,
    group: i64,
) -> Result<(Option<i64>, bool)> {
    let doing = "cannot cluster an event";
    if let Some((day, _)) = key.days {
        let mut st = sql(doing, tx.prepare_cached(
            "SELECT id, source_country, target_country, country, lat, lon, date_first, date_last
             FROM clusters
             WHERE root IN (SELECT value FROM json_each(?1)) AND modality = ?2
               AND date_last >= ?3 AND date_first <= ?4
             ORDER BY num_mentions DESC, id"))?;
        let rows = sql(
            doing,
            st.query_map(
                params![
                    serde_json::to_string(cluster::family(&key.root)).unwrap_or_default(),
                    key.modality,
                    date_text(day - cluster::WINDOW_DAYS),
                    date_text(day + cluster::WINDOW_DAYS)
                ],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, Option<f64>>(4)?,
                        r.get::<_, Option<f64>>(5)?,
                        r.get::<_, Option<String>>(6)?,
                        r.get::<_, Option<String>>(7)?,
                    ))
                },
            )
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>()),
        )?;
        for (id, sc, tc, country, lat, lon, first, last) in rows {
            let days = first
                .as_deref()
                .and_then(cluster::day_number)
                .zip(last.as_deref().and_then(cluster::day_number));
            let candidate = EventKey {
                root: key.root.clone(),
                modality: key.modality.clone(),
                source_country: sc,
                target_country: tc,
                country,
                point: lat.zip(lon),
                days,
            };
            // Without a point on one side, only the country speaks for the
            // place: too weak to join another story's event, enough to join
            // one its own copies (or the article itself) reported.
            let placeless = candidate.point.is_none() || key.point.is_none();
            if placeless && cluster::fits(&candidate, key) {
                let own: bool = sql(doing, tx.prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM events e JOIN articles a ON a.id = e.article_id
                                    WHERE e.cluster_id = ?1 AND a.dup_group = ?2)",
                ).and_then(|mut st| st.query_row(params![id, group], |r| r.get(0))))?;
                if !own {
                    continue;
                }
            }
            if cluster::fits(&candidate, key) {
                // A cluster learns what its first mentions left open.
                sql(doing, tx.prepare_cached(
                    "UPDATE clusters SET
                         source_country = coalesce(source_country, ?2),
                         target_country = coalesce(target_country, ?3),
                         country = coalesce(country, ?4),
                         place_name = CASE WHEN lat IS NULL AND ?5 IS NOT NULL THEN ?7 ELSE place_name END,
                         lat = coalesce(lat, ?5), lon = coalesce(lon, ?6)
                     WHERE id = ?1").and_then(|mut st| st.execute(params![
                    id, key.source_country, key.target_country, key.country,
                    key.point.map(|p| p.0), key.point.map(|p| p.1),
                    e.place.as_ref().and_then(|p| p.name.as_deref()),
                ])))?;
                return Ok((Some(id), false));
            }
        }
    }
    let date = key.days.map(|(d, _)| date_text(d));
    sql(
        doing,
        tx.prepare_cached(
            "INSERT INTO clusters (root, cameo, modality, source_country, target_country, country,
             place_name, lat, lon, date_first, date_last, num_mentions, num_articles, num_sources)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, 0, 0, 0)",
        )
        .and_then(|mut st| {
            st.execute(params![
                key.root,
                e.cameo,
                key.modality,
                key.source_country,
                key.target_country,
                key.country,
                e.place.as_ref().and_then(|p| p.name.as_deref()),
                key.point.map(|p| p.0),
                key.point.map(|p| p.1),
                date,
            ])
        }),
    )?;
    Ok((Some(tx.last_insert_rowid()), true))
}

/// Recomputes a cluster's counts and date range from its mentions.
fn refresh_cluster(tx: &Transaction<'_>, id: i64) -> rusqlite::Result<usize> {
    tx.prepare_cached(
        "UPDATE clusters SET
             num_mentions = (SELECT count(*) FROM events WHERE cluster_id = ?1),
             num_articles = (SELECT count(DISTINCT article_id) FROM events WHERE cluster_id = ?1),
             num_sources = (SELECT count(DISTINCT a.dup_group) FROM events e
                            JOIN articles a ON a.id = e.article_id WHERE e.cluster_id = ?1),
             date_first = coalesce((SELECT min(date) FROM events WHERE cluster_id = ?1 AND date_precision = 'day'), date_first),
             date_last = coalesce((SELECT max(date) FROM events WHERE cluster_id = ?1 AND date_precision = 'day'), date_last),
             first_seen = (SELECT min(a.published) FROM events e JOIN articles a ON a.id = e.article_id WHERE e.cluster_id = ?1),
             last_seen = (SELECT max(a.published) FROM events e JOIN articles a ON a.id = e.article_id WHERE e.cluster_id = ?1)
         WHERE id = ?1",
    )?
    .execute([id])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_hosts() {
        assert_eq!(
            source_of(Some("https://www.Reuters.com/world/x?y=1")),
            "reuters.com"
        );
        assert_eq!(
            source_of(Some("http://user@example.org:8080/a")),
            "example.org"
        );
        assert_eq!(source_of(Some("not a url")), "unknown");
        assert_eq!(source_of(None), "unknown");
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = std::env::temp_dir().join(format!("sitrep-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("newer.db");
        let _ = std::fs::remove_file(&path);
        {
            let store = Store::open(&path).unwrap();
            assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
            store
                .connection()
                .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
        }
        let err = Store::open(&path).unwrap_err().to_string();
        assert!(
            err.contains("newer.db") && err.contains("newer than"),
            "{err}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
