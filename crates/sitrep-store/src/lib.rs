//! The sitrep store: annotated articles, every layer, duplicate groups and
//! event clusters in one SQLite database, or in PostgreSQL for a team
//! ([`Store::open_at`] with a `postgres://` [`db::Location`]), behind the
//! same interface ([`db`]).
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
//! The schema is `migrations/*.sql` (`migrations/postgres/` on
//! PostgreSQL), applied in order and recorded in SQLite's `user_version`
//! (the `sitrep_schema` table); a store written by a newer sitrep is
//! refused rather than misread. [`Store::load`] writes articles whose
//! duplicate groups and clusters were decided elsewhere (the Spark
//! backfill, by the same code: [`cluster::Clusterer`]).
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
pub mod db;
pub mod dedupe;
pub mod disputes;
pub mod event_index;
pub mod query;

use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::path::Path;

use sitrep_core::{Date, Doc, Event};

use cluster::EventKey;
pub use db::{Backend, Location};
use db::{Conn, DbError, DbResult, Value};
use dedupe::Fingerprint;

/// The schema migrations, in order; the store's `user_version` is the
/// number applied.
const MIGRATIONS: [&str; 3] = [
    include_str!("../migrations/0001_store.sql"),
    include_str!("../migrations/0002_queries.sql"),
    include_str!("../migrations/0003_event_indexes.sql"),
];

/// The PostgreSQL schema: the same tables and columns as SQLite's at
/// [`SCHEMA_VERSION`], in PostgreSQL's types, with full-text search as a
/// generated `tsvector` column. Later versions add numbered files here.
const POSTGRES_SCHEMA: &str = include_str!("../migrations/postgres/0003_store.sql");

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// A store error, with what was being done and where.
#[derive(Debug)]
pub enum Error {
    /// The database failed.
    Database {
        /// What the store was doing.
        doing: String,
        /// The database's error.
        source: DbError,
    },
    /// The store was written by a newer sitrep.
    NewerSchema {
        /// Where the store is.
        at: Location,
        /// Its schema version.
        found: i64,
    },
    /// The store was written by an older sitrep and must be migrated
    /// (opened once for writing) before it is read.
    OlderSchema {
        /// Where the store is.
        at: Location,
        /// Its schema version.
        found: i64,
    },
    /// A stored row does not read back (a store edited by hand).
    BadRow(String),
    /// An error about a particular store.
    WithLocation {
        /// Where the store is.
        at: Location,
        /// The error.
        err: Box<Error>,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Database { doing, source } => write!(f, "{doing}: {source}"),
            Error::NewerSchema { at, found } => write!(
                f,
                "{at}: store schema version {found} is newer than this sitrep's ({SCHEMA_VERSION}); \
                 use a newer sitrep or another --db"
            ),
            Error::OlderSchema { at, found } => write!(
                f,
                "{at}: store schema version {found} is older than this sitrep's ({SCHEMA_VERSION}); \
                 open it once for writing (sitrep ingest) to migrate it"
            ),
            Error::BadRow(what) => write!(f, "unreadable row: {what}"),
            Error::WithLocation { at, err } => write!(f, "{at}: {err}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Database { source, .. } => Some(source),
            Error::WithLocation { err, .. } => Some(err),
            _ => None,
        }
    }
}

/// Result of a store operation.
pub type Result<T> = std::result::Result<T, Error>;

fn sql<T>(doing: &str, r: DbResult<T>) -> Result<T> {
    r.map_err(|source| Error::Database {
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

/// The store: one SQLite database or PostgreSQL schema.
pub struct Store {
    conn: Conn,
    at: Location,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("at", &self.at).finish()
    }
}

impl Store {
    /// Opens (creating if needed) the SQLite store at `path` and brings its
    /// schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_at(&Location::Sqlite(path.to_path_buf()))
    }

    /// Opens (creating if needed) the store at `at` and brings its schema
    /// up to date.
    pub fn open_at(at: &Location) -> Result<Store> {
        let with_at = |err: Error| match err {
            e @ Error::NewerSchema { .. } => e,
            err => Error::WithLocation {
                at: at.clone(),
                err: Box::new(err),
            },
        };
        let conn = connect(at).map_err(with_at)?;
        let store = Store {
            conn,
            at: at.clone(),
        };
        match store.conn.backend() {
            Backend::Sqlite => store.prepare_sqlite(),
            Backend::Postgres => store.prepare_postgres(),
        }
        .map_err(with_at)?;
        Ok(store)
    }

    /// Opens an existing SQLite store for reading only (see
    /// [`Store::open_read_only_at`]).
    pub fn open_read_only(path: &Path) -> Result<Store> {
        Store::open_read_only_at(&Location::Sqlite(path.to_path_buf()))
    }

    /// Opens an existing store for reading only: no migration, no write
    /// lock; what a query or a server needs while an ingest runs.
    pub fn open_read_only_at(at: &Location) -> Result<Store> {
        let with_at = |err: Error| Error::WithLocation {
            at: at.clone(),
            err: Box::new(err),
        };
        let conn = match at {
            Location::Sqlite(path) => {
                let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                    | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
                let conn = sql(
                    "cannot open the database",
                    rusqlite::Connection::open_with_flags(path, flags).map_err(DbError::from),
                )
                .map_err(with_at)?;
                let conn = Conn::Sqlite(conn);
                // Reads go through the OS page cache by memory map, shared
                // by all readers, rather than each connection's small
                // private cache: the API's filtered queries touch many
                // event rows (docs/store.md).
                sql(
                    "cannot set pragmas",
                    conn.batch(
                        "PRAGMA busy_timeout = 5000; PRAGMA mmap_size = 1073741824; PRAGMA cache_size = -16384;",
                    ),
                )
                .map_err(with_at)?;
                conn
            }
            Location::Postgres(_) => {
                let conn = connect(at).map_err(with_at)?;
                sql(
                    "cannot make the session read-only",
                    conn.batch("SET default_transaction_read_only = on"),
                )
                .map_err(with_at)?;
                conn
            }
        };
        let store = Store {
            conn,
            at: at.clone(),
        };
        let version = store.schema_version().map_err(with_at)?;
        if version > SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                at: at.clone(),
                found: version,
            });
        }
        if version < SCHEMA_VERSION {
            return Err(Error::OlderSchema {
                at: at.clone(),
                found: version,
            });
        }
        Ok(store)
    }

    /// A store in memory, for tests and one-off runs.
    pub fn open_in_memory() -> Result<Store> {
        let conn = sql(
            "cannot open an in-memory database",
            rusqlite::Connection::open_in_memory().map_err(DbError::from),
        )?;
        let store = Store {
            conn: Conn::Sqlite(conn),
            at: Location::Sqlite(":memory:".into()),
        };
        store.prepare_sqlite()?;
        Ok(store)
    }

    fn prepare_sqlite(&self) -> Result<()> {
        let Conn::Sqlite(c) = &self.conn else {
            return Ok(());
        };
        sql(
            "cannot set pragmas",
            self.conn.batch("PRAGMA busy_timeout = 5000;"),
        )?;
        // WAL: readers (the server) never block the ingest; NORMAL sync is
        // durable at each commit in WAL mode up to a power cut.
        sql(
            "cannot set the journal mode",
            c.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))
                .map_err(DbError::from),
        )?;
        sql(
            "cannot set pragmas",
            self.conn
                .batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"),
        )?;
        let version = self.schema_version()?;
        if version > SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                at: self.at.clone(),
                found: version,
            });
        }
        for (i, migration) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            // IMMEDIATE: two processes opening a new store at once migrate
            // it one after the other; the second sees the version moved.
            let tx = sql("cannot start a migration", self.conn.begin(true))?;
            if self.schema_version()? > i as i64 {
                continue;
            }
            sql(&format!("migration {} failed", i + 1), tx.batch(migration))?;
            sql(
                "cannot record the schema version",
                tx.batch(&format!("PRAGMA user_version = {}", i + 1)),
            )?;
            sql("cannot commit a migration", tx.commit())?;
        }
        Ok(())
    }

    fn prepare_postgres(&self) -> Result<()> {
        let tx = sql("cannot start a migration", self.conn.begin(true))?;
        // One migrating session at a time, as SQLite's IMMEDIATE: the lock
        // ends with the transaction.
        sql(
            "cannot take the migration lock",
            tx.batch("SELECT pg_advisory_xact_lock(7416601)"),
        )?;
        sql(
            "cannot create the version table",
            tx.batch("CREATE TABLE IF NOT EXISTS sitrep_schema (version BIGINT NOT NULL)"),
        )?;
        let version = self.schema_version()?;
        if version > SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                at: self.at.clone(),
                found: version,
            });
        }
        if version == 0 {
            sql("cannot create the schema", tx.batch(POSTGRES_SCHEMA))?;
            sql(
                "cannot record the schema version",
                tx.execute(
                    "INSERT INTO sitrep_schema (version) VALUES (?1)",
                    args![SCHEMA_VERSION],
                ),
            )?;
        }
        sql("cannot commit a migration", tx.commit())
    }

    /// Where the store is.
    pub fn location(&self) -> &Location {
        &self.at
    }

    /// Which database the store is in.
    pub fn backend(&self) -> Backend {
        self.conn.backend()
    }

    /// The schema version of the open store.
    pub fn schema_version(&self) -> Result<i64> {
        let doing = "cannot read the schema version";
        match self.conn.backend() {
            Backend::Sqlite => sql(
                doing,
                self.conn
                    .query_row("PRAGMA user_version", &[], |r| r.get(0)),
            ),
            Backend::Postgres => {
                let table = sql(
                    doing,
                    self.conn.exists(
                        "SELECT 1 FROM information_schema.tables
                         WHERE table_schema = current_schema() AND table_name = 'sitrep_schema'",
                        &[],
                    ),
                )?;
                if !table {
                    return Ok(0);
                }
                sql(
                    doing,
                    self.conn.query_row(
                        "SELECT coalesce(max(version), 0) FROM sitrep_schema",
                        &[],
                        |r| r.get(0),
                    ),
                )
            }
        }
    }

    /// The database connection, for read-only queries of the binary
    /// (exports).
    pub fn conn(&self) -> &Conn {
        &self.conn
    }

    /// Whether an article with this key is stored (see
    /// [`dedupe::article_key`]): lets a caller skip annotating it.
    pub fn contains_key(&self, key: &str) -> Result<bool> {
        sql(
            "cannot look up an article key",
            self.conn
                .exists("SELECT 1 FROM articles WHERE key = ?1", args![key]),
        )
    }

    /// Writes a batch of annotated documents in one transaction.
    pub fn ingest(&mut self, docs: &[Doc]) -> Result<BatchReport> {
        let mut report = BatchReport::default();
        let tx = sql("cannot start a transaction", self.conn.begin(true))?;
        let now = now_utc();
        let mut touched: BTreeSet<i64> = BTreeSet::new();
        for doc in docs {
            let key = dedupe::article_key(address(doc), doc.text());
            let exists = sql(
                "cannot look up an article key",
                tx.exists("SELECT 1 FROM articles WHERE key = ?1", args![&key]),
            )?;
            if exists {
                report.already_stored += 1;
                continue;
            }
            let fp = dedupe::fingerprint(key, doc.text());
            let dup = find_duplicate(&tx, &fp).map_err(|e| with_doc(doc, e))?;
            let id =
                write_article(&tx, None, doc, &fp, &dup, &now).map_err(|e| with_doc(doc, e))?;
            report.added += 1;
            match dup.kind {
                DupKind::Exact => report.exact_copies += 1,
                DupKind::Near => report.near_duplicates += 1,
                DupKind::Original => {}
            }
            write_layers(&tx, id, doc).map_err(|e| with_doc(doc, e))?;
            let group = dup.group.unwrap_or(id);
            for (idx, event) in doc.events.iter().enumerate() {
                let key = event_key(event);
                let (cluster, new) =
                    find_or_start_cluster(&tx, &key, event, group).map_err(|e| with_doc(doc, e))?;
                write_event(&tx, None, id, idx, event, &key, cluster)
                    .map_err(|e| with_doc(doc, e))?;
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

    /// Writes documents whose duplicate groups and event clusters were
    /// decided elsewhere — by the Spark backfill, with the same code as
    /// [`Store::ingest`] — under their given article and event ids, in one
    /// transaction, in any order; `dup_of` is set afterwards by
    /// [`Store::link_duplicates`].
    /// Rows already stored under the same id and key are skipped, so a
    /// re-run of a load completes it; a different article under a stored
    /// id is an error. The clusters they name must be loaded first
    /// ([`Store::load_clusters`]).
    pub fn load(&mut self, docs: &[LoadedDoc]) -> Result<BatchReport> {
        let mut report = BatchReport::default();
        let tx = sql("cannot start a transaction", self.conn.begin(true))?;
        let now = now_utc();
        for d in docs {
            let doc = &d.doc;
            let key = dedupe::article_key(address(doc), doc.text());
            let stored: Option<String> = sql(
                "cannot look up an article id",
                tx.query_opt("SELECT key FROM articles WHERE id = ?1", args![d.id], |r| {
                    r.get(0)
                }),
            )?;
            match stored {
                Some(k) if k == key => {
                    report.already_stored += 1;
                    continue;
                }
                Some(_) => {
                    return Err(Error::BadRow(format!(
                        "article id {} holds another article than document {} (load into an empty store)",
                        d.id, doc.id
                    )))
                }
                None => {}
            }
            let fp = dedupe::fingerprint(key, doc.text());
            // What it copies may come later in the load (the backfill's
            // files are by day, not by id): linked by link_duplicates.
            let dup = Duplicate {
                of: None,
                ..d.dup.clone()
            };
            write_article(&tx, Some(d.id), doc, &fp, &dup, &now).map_err(|e| with_doc(doc, e))?;
            report.added += 1;
            match dup.kind {
                DupKind::Exact => report.exact_copies += 1,
                DupKind::Near => report.near_duplicates += 1,
                DupKind::Original => {}
            }
            write_layers(&tx, d.id, doc).map_err(|e| with_doc(doc, e))?;
            for (idx, event) in doc.events.iter().enumerate() {
                let key = event_key(event);
                let cluster = d.clusters.get(idx).copied().flatten();
                let event_id = d.event_ids.get(idx).copied();
                write_event(&tx, event_id, d.id, idx, event, &key, cluster)
                    .map_err(|e| with_doc(doc, e))?;
                report.events += 1;
            }
        }
        if self.conn.backend() == Backend::Postgres {
            // Ids were given: the identity sequences move past them, so a
            // later `sitrep ingest` continues after the loaded rows.
            sql(
                "cannot move the id sequences",
                tx.batch(
                    "SELECT setval(pg_get_serial_sequence('articles', 'id'), coalesce((SELECT max(id) FROM articles), 0) + 1, false);
                     SELECT setval(pg_get_serial_sequence('events', 'id'), coalesce((SELECT max(id) FROM events), 0) + 1, false);
                     SELECT setval(pg_get_serial_sequence('clusters', 'id'), coalesce((SELECT max(id) FROM clusters), 0) + 1, false);",
                ),
            )?;
        }
        sql("cannot commit the batch", tx.commit())?;
        Ok(report)
    }

    /// Sets what loaded articles copy — `(article, copied article)` —
    /// once both are loaded ([`Store::load`] leaves it open).
    pub fn link_duplicates(&mut self, links: &[(i64, i64)]) -> Result<()> {
        let tx = sql("cannot start a transaction", self.conn.begin(true))?;
        for (id, of) in links {
            sql(
                "cannot link a duplicate",
                tx.execute(
                    "UPDATE articles SET dup_of = ?2 WHERE id = ?1",
                    args![*id, *of],
                ),
            )?;
        }
        sql("cannot commit the links", tx.commit())
    }

    /// Writes event clusters computed elsewhere (the Spark backfill)
    /// under their ids; ids stored already are skipped.
    pub fn load_clusters(&mut self, clusters: &[query::ClusterRow]) -> Result<u64> {
        let tx = sql("cannot start a transaction", self.conn.begin(true))?;
        let mut added = 0;
        for c in clusters {
            added += sql(
                "cannot write a cluster",
                tx.execute(
                    "INSERT INTO clusters (id, root, cameo, modality, source_country, target_country, country,
                         place_name, lat, lon, date_first, date_last, num_mentions, num_articles,
                         num_sources, first_seen, last_seen)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
                     ON CONFLICT DO NOTHING",
                    args![
                        c.id,
                        &c.root,
                        &c.cameo,
                        &c.modality,
                        &c.source_country,
                        &c.target_country,
                        &c.country,
                        &c.place_name,
                        c.lat,
                        c.lon,
                        &c.date_first,
                        &c.date_last,
                        c.num_mentions,
                        c.num_articles,
                        c.num_sources,
                        &c.first_seen,
                        &c.last_seen,
                    ],
                ),
            )?;
        }
        sql("cannot commit the clusters", tx.commit())?;
        Ok(added)
    }

    /// Row counts.
    pub fn counts(&self) -> Result<Counts> {
        let count = |what: &str, statement: &str| -> Result<u64> {
            sql(
                &format!("cannot count {what}"),
                self.conn.query_row(statement, &[], |r| r.get::<i64>(0)),
            )
            .map(|n| n as u64)
        };
        Ok(Counts {
            articles: count("articles", "SELECT count(*) FROM articles")?,
            dup_groups: count(
                "duplicate groups",
                "SELECT count(DISTINCT dup_group) FROM articles",
            )?,
            entities: count("entities", "SELECT count(*) FROM entities")?,
            places: count("places", "SELECT count(*) FROM places")?,
            times: count("times", "SELECT count(*) FROM times")?,
            quotes: count("quotes", "SELECT count(*) FROM quotes")?,
            claims: count("claims", "SELECT count(*) FROM claims")?,
            events: count("events", "SELECT count(*) FROM events")?,
            clusters: count("clusters", "SELECT count(*) FROM clusters")?,
        })
    }

    /// Full-text search over titles and texts (FTS5 query syntax: words,
    /// `"phrases"`, `AND`/`OR`/`NOT`, `prefix*`), best first. A query the
    /// database cannot parse is searched as one phrase instead. On
    /// PostgreSQL the query is translated to a `tsquery`
    /// ([`query::fts5_to_tsquery`]), ranked by `ts_rank` and the snippet cut
    /// by `ts_headline`: the same articles, ranks and snippets of its own.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let statement = match self.conn.backend() {
            Backend::Sqlite => {
                "SELECT a.id, a.doc_id, a.title, a.published, a.source,
                    snippet(articles_fts, 1, '[', ']', '…', 12), articles_fts.rank
                 FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
                 WHERE articles_fts MATCH ?1 ORDER BY articles_fts.rank LIMIT ?2"
            }
            Backend::Postgres => {
                "SELECT a.id, a.doc_id, a.title, a.published, a.source,
                    ts_headline('simple', a.text, CAST(CAST(?1 AS TEXT) AS tsquery),
                        'StartSel=[, StopSel=], MaxWords=12, MinWords=5, MaxFragments=1, FragmentDelimiter=…'),
                    -ts_rank(a.search, CAST(CAST(?1 AS TEXT) AS tsquery)) AS rank
                 FROM articles a WHERE a.search @@ CAST(CAST(?1 AS TEXT) AS tsquery)
                 ORDER BY rank, a.id LIMIT ?2"
            }
        };
        let q = self.fts_query(query);
        sql(
            &format!("cannot search for {query:?}"),
            self.conn.query(statement, args![q, limit as i64], |r| {
                Ok(SearchHit {
                    article: r.get(0)?,
                    doc_id: r.get(1)?,
                    title: r.get(2)?,
                    published: r.get(3)?,
                    source: r.get(4)?,
                    snippet: r.get(5)?,
                    rank: r.get(6)?,
                })
            }),
        )
    }

    /// The duplicate groups of more than one article: each as the document
    /// ids of its members, first stored first.
    pub fn duplicate_groups(&self) -> Result<Vec<Vec<String>>> {
        let rows = sql(
            "cannot list duplicate groups",
            self.conn.query(
                "SELECT dup_group, doc_id FROM articles
                 WHERE dup_group IN (SELECT dup_group FROM articles GROUP BY dup_group HAVING count(*) > 1)
                 ORDER BY dup_group, id",
                &[],
                |r| Ok((r.get::<i64>(0)?, r.get::<String>(1)?)),
            ),
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
        sql(
            "cannot list clusters",
            self.conn.query(
                "SELECT id, cameo, place_name, date_first, date_last, num_mentions, num_articles, num_sources
                 FROM clusters ORDER BY num_mentions DESC, id LIMIT ?1",
                args![limit as i64],
                |r| {
                    Ok(Cluster {
                        id: r.get(0)?,
                        cameo: r.get(1)?,
                        place_name: r.get(2)?,
                        dates: (r.get(3)?, r.get(4)?),
                        num_mentions: r.get(5)?,
                        num_articles: r.get(6)?,
                        num_sources: r.get(7)?,
                    })
                },
            ),
        )
    }

    /// Counts that independent sources give incompatibly for the same
    /// event (rule in [`disputes`]), at most `limit`, by cluster.
    pub fn disputed_counts(&self, limit: usize) -> Result<Vec<disputes::Dispute>> {
        use disputes::{ClaimSide, Dispute};
        let doing = "cannot list disputed counts";
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
        // DISTINCT: a claim meets a cluster once however many of the
        // article's mentions are in it.
        let rows: Vec<Row> = sql(
            doing,
            self.conn.query(
                "SELECT DISTINCT e.cluster_id, k.cameo, k.place_name, a.id, a.doc_id, a.source, a.dup_group,
                        c.idx, c.text, c.start, c.\"end\", c.value, c.value_max, c.qualifier, c.unit, c.kind,
                        c.attributed_to
                 FROM clusters k
                 JOIN events e ON e.cluster_id = k.id
                 JOIN articles a ON a.id = e.article_id
                 JOIN claims c ON c.article_id = a.id
                 WHERE k.num_sources > 1 AND c.kind IS NOT NULL
                 ORDER BY e.cluster_id, c.kind, a.dup_group, a.id, c.idx",
                &[],
                |r| {
                    Ok((
                        r.get::<i64>(0)?,
                        r.get::<String>(1)?,
                        r.get::<Option<String>>(2)?,
                        r.get::<i64>(6)?,
                        format!("{}", r.get::<i64>(7)?),
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
                        r.get::<Option<String>>(14)?,
                        r.get::<String>(15)?,
                    ))
                },
            ),
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

    /// Up to `limit` stored articles with ids above `after`, in id order
    /// (only originals if `originals`), with their duplicate decisions and
    /// their events' clusters: what exports and the Spark comparison read,
    /// a page at a time.
    pub fn documents_after(
        &self,
        after: i64,
        originals: bool,
        limit: usize,
    ) -> Result<Vec<StoredDoc>> {
        let doing = "cannot read articles";
        let filter = if originals {
            " AND dup_kind = 'original'"
        } else {
            ""
        };
        let mut docs = sql(
            doing,
            self.conn.query(
                &format!(
                    "SELECT id, doc, dup_group, dup_kind, dup_of, dup_similarity FROM articles
                     WHERE id > ?1{filter} ORDER BY id LIMIT ?2"
                ),
                args![after, limit],
                |r| {
                    let id: i64 = r.get(0)?;
                    let json: String = r.get(1)?;
                    let kind: String = r.get(3)?;
                    Ok(StoredDoc {
                        id,
                        doc: parse_doc(id, &json).map_err(|e| e.to_string()),
                        dup: Duplicate {
                            kind: DupKind::parse(&kind).unwrap_or(DupKind::Original),
                            of: r.get(4)?,
                            group: Some(r.get(2)?),
                            similarity: r.get(5)?,
                        },
                        clusters: Vec::new(),
                    })
                },
            ),
        )?;
        if let (Some(first), Some(last)) = (docs.first(), docs.last()) {
            let rows = sql(
                doing,
                self.conn.query(
                    "SELECT article_id, idx, cluster_id FROM events
                     WHERE article_id >= ?1 AND article_id <= ?2 ORDER BY article_id, idx",
                    args![first.id, last.id],
                    |r| {
                        Ok((
                            r.get::<i64>(0)?,
                            r.get::<usize>(1)?,
                            r.get::<Option<i64>>(2)?,
                        ))
                    },
                ),
            )?;
            let mut at = 0;
            for d in &mut docs {
                let n = d.doc.as_ref().map_or(0, |doc| doc.events.len());
                d.clusters = vec![None; n];
                while at < rows.len() && rows[at].0 < d.id {
                    at += 1;
                }
                while at < rows.len() && rows[at].0 == d.id {
                    if let Some(slot) = d.clusters.get_mut(rows[at].1) {
                        *slot = rows[at].2;
                    }
                    at += 1;
                }
            }
        }
        Ok(docs)
    }

    /// Every event cluster, by id.
    pub fn cluster_records(&self) -> Result<Vec<query::ClusterRow>> {
        sql(
            "cannot read clusters",
            self.conn.query(
                "SELECT id, root, cameo, modality, source_country, target_country, country, place_name,
                        lat, lon, date_first, date_last, num_mentions, num_articles, num_sources,
                        first_seen, last_seen
                 FROM clusters ORDER BY id",
                &[],
                query::cluster_row,
            ),
        )
    }

    /// The annotated document stored for an article id.
    pub fn document(&self, article: i64) -> Result<Option<Doc>> {
        let json: Option<String> = sql(
            "cannot read an article",
            self.conn.query_opt(
                "SELECT doc FROM articles WHERE id = ?1",
                args![article],
                |r| r.get(0),
            ),
        )?;
        json.map(|j| parse_doc(article, &j)).transpose()
    }
}

/// A stored document's JSON, read back.
pub fn parse_doc(article: i64, json: &str) -> Result<Doc> {
    serde_json::from_str::<Doc>(json)
        .map(|mut d| {
            d.reindex();
            d
        })
        .map_err(|e| Error::BadRow(format!("article {article}: {e}")))
}

/// Opens a connection to the database at `at`.
fn connect(at: &Location) -> Result<Conn> {
    match at {
        Location::Sqlite(path) => sql(
            "cannot open the database",
            rusqlite::Connection::open(path)
                .map(Conn::Sqlite)
                .map_err(DbError::from),
        ),
        Location::Postgres(url) => sql("cannot connect to PostgreSQL", Conn::postgres(url)),
    }
}

/// Now, UTC, as `2026-12-05T10:00:00Z`: when an article was stored.
fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        Date::from_days_since_epoch(days),
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn with_doc(doc: &Doc, err: Error) -> Error {
    match err {
        Error::Database { doing, source } => Error::Database {
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

/// What an article copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DupKind {
    /// Nothing stored before it.
    Original,
    /// An exact copy (the same words) of a stored article.
    Exact,
    /// A near-duplicate (a rewrite of the same story).
    Near,
}

impl DupKind {
    /// As stored: `original`, `exact`, `near`.
    pub fn name(self) -> &'static str {
        match self {
            DupKind::Original => "original",
            DupKind::Exact => "exact",
            DupKind::Near => "near",
        }
    }

    /// From its stored name.
    pub fn parse(s: &str) -> Option<DupKind> {
        match s {
            "original" => Some(DupKind::Original),
            "exact" => Some(DupKind::Exact),
            "near" => Some(DupKind::Near),
            _ => None,
        }
    }
}

/// An article's duplicate decision: what it copies, its group, how alike.
#[derive(Debug, Clone, PartialEq)]
pub struct Duplicate {
    /// Its kind.
    pub kind: DupKind,
    /// The article it copies.
    pub of: Option<i64>,
    /// Its group; `None` for an original (its own id).
    pub group: Option<i64>,
    /// Estimated similarity to `of`.
    pub similarity: Option<f64>,
}

/// A stored article as [`Store::documents_after`] reads it.
#[derive(Debug, Clone)]
pub struct StoredDoc {
    /// Its article id.
    pub id: i64,
    /// The annotated document, or why it does not read back.
    pub doc: std::result::Result<Doc, String>,
    /// What it copies (`group` always set).
    pub dup: Duplicate,
    /// The cluster of each of its events, by index.
    pub clusters: Vec<Option<i64>>,
}

/// A document to [`Store::load`] with the decisions made for it.
#[derive(Debug, Clone)]
pub struct LoadedDoc {
    /// Its article id.
    pub id: i64,
    /// The annotated document.
    pub doc: Doc,
    /// What it copies.
    pub dup: Duplicate,
    /// The cluster of each of its events, by index.
    pub clusters: Vec<Option<i64>>,
    /// The id of each of its events, by index (else the next free).
    pub event_ids: Vec<i64>,
}

/// What a new article copies among the stored ones: an exact copy first
/// (the oldest), else the nearest near-duplicate.
fn find_duplicate(tx: &Conn, fp: &Fingerprint) -> Result<Duplicate> {
    let exact: Option<(i64, i64)> = sql(
        "cannot look up exact copies",
        tx.query_opt(
            "SELECT id, dup_group FROM articles WHERE content_hash = ?1 ORDER BY id LIMIT 1",
            args![&fp.content_hash],
            |r| Ok((r.get(0)?, r.get(1)?)),
        ),
    )?;
    if let Some((of, group)) = exact {
        return Ok(Duplicate {
            kind: DupKind::Exact,
            of: Some(of),
            group: Some(group),
            similarity: Some(1.0),
        });
    }
    let bands = dedupe::band_hashes(&fp.signature);
    Ok(match nearest(tx, fp, &bands)? {
        Some((of, group, sim)) => Duplicate {
            kind: DupKind::Near,
            of: Some(of),
            group: Some(group),
            similarity: Some(sim),
        },
        None => Duplicate {
            kind: DupKind::Original,
            of: None,
            group: None,
            similarity: None,
        },
    })
}

/// Writes the article's row (under `id` when given, else the next), its
/// LSH bands and, on SQLite, its full-text entry (PostgreSQL indexes a
/// generated column). Returns its id.
fn write_article(
    tx: &Conn,
    id: Option<i64>,
    doc: &Doc,
    fp: &Fingerprint,
    dup: &Duplicate,
    now: &str,
) -> Result<i64> {
    let json = serde_json::to_string(doc)
        .map_err(|e| Error::BadRow(format!("document {}: {e}", doc.id)))?;
    let mut params: Vec<Value> = args![
        &doc.id,
        &fp.key,
        &fp.content_hash,
        &doc.url,
        source_of(doc.url.as_deref()),
        dedupe::wire_credit(doc.text()),
        &doc.title,
        doc.published.map(|d| d.to_string()),
        enum_name(&doc.published_source),
        &doc.language,
        doc.text(),
        doc.len_chars(),
        fp.shingles,
        dedupe::signature_bytes(&fp.signature),
        // An original's group is its own id, set once it has one.
        dup.group.unwrap_or(0),
        dup.kind.name(),
        dup.of,
        dup.similarity,
        now,
        json,
        dedupe::terms_bytes(&fp.terms),
    ]
    .to_vec();
    // A given id is written, else the database picks the next (an
    // explicit NULL would not do for PostgreSQL's identity column).
    let id_column = match id {
        Some(id) => {
            params.insert(0, Value::Int(id));
            "id, "
        }
        None => "",
    };
    let marks: Vec<String> = (1..=params.len()).map(|i| format!("?{i}")).collect();
    let id: i64 = sql(
        "cannot write the article",
        tx.query_row(
            &format!(
                "INSERT INTO articles ({id_column}doc_id, key, content_hash, url, source, wire, title, published,
                     published_source, language, text, chars, shingles, minhash, dup_group, dup_kind,
                     dup_of, dup_similarity, ingested_at, doc, key_terms)
                 VALUES ({}) RETURNING id",
                marks.join(", ")
            ),
            &params,
            |r| r.get(0),
        ),
    )?;
    if dup.group.is_none() {
        sql(
            "cannot write the duplicate group",
            tx.execute(
                "UPDATE articles SET dup_group = id WHERE id = ?1",
                args![id],
            ),
        )?;
    }
    for (band, hash) in dedupe::band_hashes(&fp.signature).iter().enumerate() {
        sql(
            "cannot write LSH bands",
            tx.execute(
                "INSERT INTO lsh_bands (band, hash, article_id) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                args![band, *hash, id],
            ),
        )?;
    }
    if tx.backend() == Backend::Sqlite {
        sql(
            "cannot index the text",
            tx.execute(
                "INSERT INTO articles_fts (rowid, title, text) VALUES (?1, ?2, ?3)",
                args![id, &doc.title, doc.text()],
            ),
        )?;
    }
    Ok(id)
}

/// The stored article this one best near-duplicates: (id, group, similarity).
fn nearest(
    tx: &Conn,
    fp: &Fingerprint,
    bands: &[i64; dedupe::BANDS],
) -> Result<Option<(i64, i64, f64)>> {
    let mut candidates: HashSet<i64> = HashSet::new();
    for (band, hash) in bands.iter().enumerate() {
        let ids = sql(
            "cannot look up LSH bands",
            tx.query(
                "SELECT article_id FROM lsh_bands WHERE band = ?1 AND hash = ?2",
                args![band, *hash],
                |r| r.get::<i64>(0),
            ),
        )?;
        candidates.extend(ids);
    }
    let mut best: Option<(i64, i64, f64)> = None;
    let mut ids: Vec<i64> = candidates.into_iter().collect();
    ids.sort_unstable();
    for id in ids {
        let (group, shingles, bytes, terms): (i64, i64, Vec<u8>, Vec<u8>) = sql(
            "cannot read a candidate",
            tx.query_row(
                "SELECT dup_group, shingles, minhash, key_terms FROM articles WHERE id = ?1",
                args![id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            ),
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

fn write_layers(tx: &Conn, id: i64, doc: &Doc) -> Result<()> {
    let doing = "cannot write the layers";
    for (i, e) in doc.entities.iter().enumerate() {
        sql(
            doing,
            tx.execute(
                "INSERT INTO entities (article_id, idx, start, \"end\", text, kind, canonical, role, affiliation, by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                args![
                    id,
                    i,
                    e.start,
                    e.end,
                    &e.text,
                    enum_name(&e.kind),
                    &e.canonical,
                    &e.role,
                    &e.affiliation,
                    e.by.as_ref()
                ],
            ),
        )?;
    }
    for (i, p) in doc.places.iter().enumerate() {
        sql(
            doing,
            tx.execute(
                "INSERT INTO places (article_id, idx, start, \"end\", text, name, kind, country, admin1, admin2,
                     lat, lon, gazetteer_id, confidence, metonymy, by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                args![
                    id,
                    i,
                    p.start,
                    p.end,
                    &p.text,
                    &p.name,
                    enum_name(&p.kind),
                    &p.country,
                    &p.admin1,
                    &p.admin2,
                    p.lat,
                    p.lon,
                    &p.gazetteer_id,
                    p.confidence,
                    p.metonymy,
                    p.by.as_ref()
                ],
            ),
        )?;
    }
    for (i, t) in doc.times.iter().enumerate() {
        sql(
            doing,
            tx.execute(
                "INSERT INTO times (article_id, idx, start, \"end\", text, type, value, modifier, by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                args![
                    id,
                    i,
                    t.start,
                    t.end,
                    &t.text,
                    enum_name(&t.kind),
                    &t.value,
                    &t.modifier,
                    t.by.as_ref()
                ],
            ),
        )?;
    }
    for (i, q) in doc.quotes.iter().enumerate() {
        let speaker = q.speaker.as_ref();
        sql(
            doing,
            tx.execute(
                "INSERT INTO quotes (article_id, idx, start, \"end\", text, direct, speaker, speaker_canonical,
                     cue, channel, via, by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                args![
                    id,
                    i,
                    q.start,
                    q.end,
                    &q.text,
                    q.direct,
                    speaker.map(|s| s.text.as_str()),
                    speaker.map(|s| s.canonical.as_deref().unwrap_or(&s.text)),
                    q.cue.as_ref().map(|c| c.text.as_str()),
                    &q.channel,
                    q.via
                        .as_ref()
                        .map(|v| v.canonical.as_deref().unwrap_or(&v.text)),
                    q.by.as_ref()
                ],
            ),
        )?;
    }
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
            tx.execute(
                "INSERT INTO claims (article_id, idx, start, \"end\", text, value, value_max, qualifier, unit,
                     kind, attributed_to, time_value, by, sentence)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                args![
                    id,
                    i,
                    c.start,
                    c.end,
                    &c.text,
                    c.value,
                    c.value_max,
                    &c.qualifier,
                    &c.unit,
                    &c.kind,
                    c.attributed_to
                        .as_ref()
                        .map(|a| a.canonical.as_deref().unwrap_or(&a.text)),
                    c.time.as_ref().map(|t| t.value.as_str()),
                    c.by.as_ref(),
                    sentence,
                ],
            ),
        )?;
    }
    Ok(())
}

/// The clustering key of an event mention.
pub fn event_key(event: &Event) -> EventKey {
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

/// Writes an event mention, filed in `cluster`.
fn write_event(
    tx: &Conn,
    id: Option<i64>,
    article: i64,
    idx: usize,
    e: &Event,
    key: &EventKey,
    cluster: Option<i64>,
) -> Result<()> {
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
    let mut params: Vec<Value> = args![
        article,
        idx,
        e.start,
        e.end,
        &e.text,
        &e.cameo,
        &key.root,
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
        &e.modality,
        e.confidence,
        e.by.as_ref(),
        cluster,
        &e.control,
        place.and_then(|p| p.gazetteer_id.as_deref()),
    ]
    .to_vec();
    // The id is the database's next unless given (a load); a NULL would
    // not do for PostgreSQL's identity column.
    let (id_column, id_mark) = match id {
        Some(id) => {
            params.push(Value::Int(id));
            ("id, ", "?37, ")
        }
        None => ("", ""),
    };
    sql(
        "cannot write an event",
        tx.execute(
            &format!(
                "INSERT INTO events ({id_column}article_id, idx, start, \"end\", text, cameo, root, quad_class, goldstein,
                     plover, plover_mode, acled_type, acled_sub_type, source_text, source_name, source_code,
                     source_country, target_text, target_name, target_code, target_country, place_text,
                     place_name, country, lat, lon, date, date_precision, attribution, via, modality,
                     confidence, by, cluster_id, control, gazetteer_id)
                 VALUES ({id_mark}?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
                     ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35,
                     ?36)"
            ),
            &params,
        ),
    )?;
    Ok(())
}

fn date_text(day: i64) -> String {
    Date::from_days_since_epoch(day).to_string()
}

/// Files a mention in the cluster it fits ([`cluster::choose`]) or
/// starts one: (cluster, whether new). The cluster's mention count, dates
/// and open fields are updated at once, so the next mention — in this
/// batch or the next — sees them: the result does not depend on how the
/// input was cut into batches (the Spark backfill's clustering relies on
/// it).
fn find_or_start_cluster(
    tx: &Conn,
    key: &EventKey,
    e: &Event,
    group: i64,
) -> Result<(Option<i64>, bool)> {
    let doing = "cannot cluster an event";
    let place_name = e.place.as_ref().and_then(|p| p.name.as_deref());
    if let Some((day, _)) = key.days {
        let family = cluster::family(&key.root);
        let marks = vec!["?"; family.len()].join(", ");
        let mut params: Vec<Value> = family.iter().map(|r| Value::from(*r)).collect();
        params.extend([
            Value::from(&key.modality),
            Value::from(date_text(day - cluster::WINDOW_DAYS)),
            Value::from(date_text(day + cluster::WINDOW_DAYS)),
        ]);
        let candidates = sql(
            doing,
            tx.query(
                &format!(
                    "SELECT id, source_country, target_country, country, lat, lon, date_first, date_last
                     FROM clusters
                     WHERE root IN ({marks}) AND modality = ?
                       AND date_last >= ? AND date_first <= ?
                     ORDER BY num_mentions DESC, id"
                ),
                &params,
                |r| {
                    let (first, last): (Option<String>, Option<String>) = (r.get(6)?, r.get(7)?);
                    let lat: Option<f64> = r.get(4)?;
                    let lon: Option<f64> = r.get(5)?;
                    Ok((
                        r.get::<i64>(0)?,
                        EventKey {
                            root: key.root.clone(),
                            modality: key.modality.clone(),
                            source_country: r.get(1)?,
                            target_country: r.get(2)?,
                            country: r.get(3)?,
                            point: lat.zip(lon),
                            days: first
                                .as_deref()
                                .and_then(cluster::day_number)
                                .zip(last.as_deref().and_then(cluster::day_number)),
                        },
                    ))
                },
            ),
        )?;
        let chosen = cluster::choose(&candidates, key, |id| {
            sql(
                doing,
                tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM events e JOIN articles a ON a.id = e.article_id
                                    WHERE e.cluster_id = ?1 AND a.dup_group = ?2)",
                    args![id, group],
                    |r| r.get::<bool>(0),
                ),
            )
        })?;
        if let Some(id) = chosen {
            // A cluster learns what its first mentions left open.
            let date = date_text(day);
            sql(
                doing,
                tx.execute(
                    "UPDATE clusters SET
                         source_country = coalesce(source_country, ?2),
                         target_country = coalesce(target_country, ?3),
                         country = coalesce(country, ?4),
                         place_name = CASE WHEN lat IS NULL AND ?8 = 1 THEN ?7 ELSE place_name END,
                         lat = coalesce(lat, ?5), lon = coalesce(lon, ?6),
                         num_mentions = num_mentions + 1,
                         date_first = CASE WHEN ?9 < date_first THEN ?9 ELSE date_first END,
                         date_last = CASE WHEN ?9 > date_last THEN ?9 ELSE date_last END
                     WHERE id = ?1",
                    args![
                        id,
                        &key.source_country,
                        &key.target_country,
                        &key.country,
                        key.point.map(|p| p.0),
                        key.point.map(|p| p.1),
                        place_name,
                        key.point.is_some(),
                        date,
                    ],
                ),
            )?;
            return Ok((Some(id), false));
        }
    }
    let date = key.days.map(|(d, _)| date_text(d));
    let id = sql(
        doing,
        tx.query_row(
            "INSERT INTO clusters (root, cameo, modality, source_country, target_country, country,
             place_name, lat, lon, date_first, date_last, num_mentions, num_articles, num_sources)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, 1, 0, 0)
             RETURNING id",
            args![
                &key.root,
                &e.cameo,
                &key.modality,
                &key.source_country,
                &key.target_country,
                &key.country,
                place_name,
                key.point.map(|p| p.0),
                key.point.map(|p| p.1),
                date,
            ],
            |r| r.get(0),
        ),
    )?;
    Ok((Some(id), true))
}

/// Recomputes a cluster's counts and date range from its mentions.
fn refresh_cluster(tx: &Conn, id: i64) -> DbResult<u64> {
    tx.execute(
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
        args![id],
    )
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
                .conn()
                .batch(&format!("PRAGMA user_version = {}", SCHEMA_VERSION + 1))
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
