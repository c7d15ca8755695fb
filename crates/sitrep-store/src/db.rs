//! The two databases the store runs on, behind one small interface:
//! SQLite (embedded, the default: a file) and PostgreSQL (a shared server
//! for teams, selected by a `postgres://` URL).
//!
//! The store's SQL is written once, in the dialect both accept: `?N` or `?`
//! placeholders, `INSERT … ON CONFLICT DO NOTHING`, `RETURNING id`,
//! `"end"` quoted, `SELECT DISTINCT` rather than SQLite's loose `GROUP BY`.
//! For PostgreSQL, [`Conn`] rewrites placeholders to `$N` and `LIKE` to
//! `ILIKE` (SQLite's `LIKE` ignores ASCII case); the few things that differ
//! for real — full-text search, the schema, `floor`, where NULLs sort — ask
//! [`Conn::backend`] and say why where they do.
//!
//! Values travel as [`Value`] (parameters) and [`Row::get`] (results), so a
//! call site reads the same on both.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{IsNull, ToSql, Type};

/// Which database a store is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file (or memory).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// Where a store is: an SQLite file or a PostgreSQL URL.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    /// An SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL (`postgres://user@host:port/db`).
    Postgres(String),
}

impl Location {
    /// `postgres://…` and `postgresql://…` are PostgreSQL; anything else is
    /// an SQLite file path.
    pub fn parse(s: &str) -> Location {
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            Location::Postgres(s.to_string())
        } else {
            Location::Sqlite(PathBuf::from(s))
        }
    }

    /// As given, password included: to hand on to another process or
    /// command (never to print).
    pub fn as_given(&self) -> String {
        match self {
            Location::Sqlite(p) => p.to_string_lossy().into_owned(),
            Location::Postgres(url) => url.clone(),
        }
    }

    /// The SQLite file, if it is one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            Location::Sqlite(p) => Some(p),
            Location::Postgres(_) => None,
        }
    }
}

/// Shown without the password, for messages and logs.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(p) => write!(f, "{}", p.display()),
            Location::Postgres(url) => write!(f, "{}", redact(url)),
        }
    }
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

/// A URL with its password replaced by `***`.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (auth, host) = match rest.rsplit_once('@') {
        Some(x) => x,
        None => return url.to_string(),
    };
    match auth.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

/// A database error.
#[derive(Debug)]
pub enum DbError {
    /// SQLite's.
    Sqlite(rusqlite::Error),
    /// PostgreSQL's.
    Postgres(postgres::Error),
    /// A query that must return a row returned none.
    NoRows,
    /// A column does not hold the type asked for.
    Type {
        /// Column index.
        column: usize,
        /// The Rust type asked for.
        want: &'static str,
        /// What the column holds.
        found: String,
    },
    /// A query was started inside another's row callback (a bug).
    Busy,
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbError::Sqlite(e) => write!(f, "{e}"),
            DbError::Postgres(e) => match e.as_db_error() {
                Some(db) => {
                    write!(f, "{}: {}", db.severity(), db.message())?;
                    if let Some(d) = db.detail() {
                        write!(f, " ({d})")?;
                    }
                    Ok(())
                }
                None => {
                    write!(f, "{e}")?;
                    let mut source = std::error::Error::source(e);
                    while let Some(s) = source {
                        write!(f, ": {s}")?;
                        source = s.source();
                    }
                    Ok(())
                }
            },
            DbError::NoRows => write!(f, "no row"),
            DbError::Type {
                column,
                want,
                found,
            } => write!(f, "column {column} holds {found}, not {want}"),
            DbError::Busy => write!(f, "a query ran inside another query's row loop"),
        }
    }
}

impl std::error::Error for DbError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DbError::Sqlite(e) => Some(e),
            DbError::Postgres(e) => Some(e),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::QueryReturnedNoRows => DbError::NoRows,
            e => DbError::Sqlite(e),
        }
    }
}

impl From<postgres::Error> for DbError {
    fn from(e: postgres::Error) -> Self {
        DbError::Postgres(e)
    }
}

/// Result of a database call.
pub type DbResult<T> = std::result::Result<T, DbError>;

/// A parameter value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// NULL.
    Null,
    /// An integer (also booleans, as 0/1).
    Int(i64),
    /// A float.
    Real(f64),
    /// Text.
    Text(String),
    /// Bytes.
    Blob(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Int(v.into())
    }
}
impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Value::Int(v.into())
    }
}
impl From<usize> for Value {
    fn from(v: usize) -> Self {
        Value::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Int(v.into())
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Real(v)
    }
}
impl From<f32> for Value {
    fn from(v: f32) -> Self {
        Value::Real(v.into())
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Self {
        Value::Blob(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}
impl<T: Clone + Into<Value>> From<&Option<T>> for Value {
    fn from(v: &Option<T>) -> Self {
        v.clone().map_or(Value::Null, Into::into)
    }
}

/// Parameters for a [`Conn`] call: `args![id, name, lat]`.
#[macro_export]
macro_rules! args {
    ($($x:expr),* $(,)?) => {
        &[$($crate::db::Value::from($x)),*][..]
    };
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(*i),
            Value::Real(f) => ValueRef::Real(*f),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

type BoxError = Box<dyn std::error::Error + Sync + Send>;

/// PostgreSQL types are strict where SQLite's are not: a value is converted
/// to the type the server inferred for its placeholder.
impl ToSql for Value {
    fn to_sql(&self, ty: &Type, out: &mut bytes::BytesMut) -> Result<IsNull, BoxError> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::FLOAT4 => (*i as f32).to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                _ => i.to_string().as_str().to_sql(ty, out),
            },
            Value::Real(f) => match *ty {
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                Type::FLOAT8 => f.to_sql(ty, out),
                _ => Err(format!("a float for a {ty} parameter").into()),
            },
            Value::Text(s) => s.as_str().to_sql(ty, out),
            Value::Blob(b) => b.as_slice().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// One column's value in a result row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    /// NULL.
    Null,
    /// Integers and booleans.
    Int(i64),
    /// Floats.
    Real(f64),
    /// Text.
    Text(&'a str),
    /// Bytes.
    Blob(&'a [u8]),
}

impl Cell<'_> {
    fn describe(&self) -> String {
        match self {
            Cell::Null => "NULL".into(),
            Cell::Int(i) => format!("integer {i}"),
            Cell::Real(f) => format!("float {f}"),
            Cell::Text(_) => "text".into(),
            Cell::Blob(_) => "bytes".into(),
        }
    }
}

/// A type a [`Cell`] reads into.
pub trait FromCell: Sized {
    /// The value, or `None` when the cell holds another type.
    fn from_cell(cell: Cell<'_>) -> Option<Self>;
    /// The type's name, for errors.
    const NAME: &'static str;
}

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl FromCell for $t {
            fn from_cell(cell: Cell<'_>) -> Option<Self> {
                match cell {
                    Cell::Int(i) => <$t>::try_from(i).ok(),
                    _ => None,
                }
            }
            const NAME: &'static str = stringify!($t);
        }
    )*};
}
from_int!(i64, i32, u32, u64, usize);

impl FromCell for bool {
    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Int(i) => Some(i != 0),
            _ => None,
        }
    }
    const NAME: &'static str = "bool";
}

impl FromCell for f64 {
    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Real(f) => Some(f),
            Cell::Int(i) => Some(i as f64),
            _ => None,
        }
    }
    const NAME: &'static str = "f64";
}

impl FromCell for f32 {
    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        f64::from_cell(cell).map(|f| f as f32)
    }
    const NAME: &'static str = "f32";
}

impl FromCell for String {
    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Text(s) => Some(s.to_string()),
            _ => None,
        }
    }
    const NAME: &'static str = "text";
}

impl FromCell for Vec<u8> {
    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Blob(b) => Some(b.to_vec()),
            _ => None,
        }
    }
    const NAME: &'static str = "bytes";
}

impl<T: FromCell> FromCell for Option<T> {
    fn from_cell(cell: Cell<'_>) -> Option<Self> {
        match cell {
            Cell::Null => Some(None),
            c => T::from_cell(c).map(Some),
        }
    }
    const NAME: &'static str = T::NAME;
}

/// A result row of either database.
pub enum Row<'a> {
    /// SQLite's.
    Sqlite(&'a rusqlite::Row<'a>),
    /// PostgreSQL's.
    Postgres(&'a postgres::Row),
}

impl Row<'_> {
    /// Column `i` as it is stored.
    pub fn cell(&self, i: usize) -> DbResult<Cell<'_>> {
        match self {
            Row::Sqlite(r) => {
                use rusqlite::types::ValueRef;
                Ok(match r.get_ref(i)? {
                    ValueRef::Null => Cell::Null,
                    ValueRef::Integer(v) => Cell::Int(v),
                    ValueRef::Real(v) => Cell::Real(v),
                    ValueRef::Text(t) => {
                        Cell::Text(std::str::from_utf8(t).map_err(|_| DbError::Type {
                            column: i,
                            want: "text",
                            found: "bytes that are not UTF-8".into(),
                        })?)
                    }
                    ValueRef::Blob(b) => Cell::Blob(b),
                })
            }
            Row::Postgres(r) => {
                let ty = r
                    .columns()
                    .get(i)
                    .map(|c| c.type_().clone())
                    .ok_or(DbError::Type {
                        column: i,
                        want: "a column",
                        found: format!("a row of {} columns", r.len()),
                    })?;
                let cell = match ty {
                    Type::INT8 => r.try_get::<_, Option<i64>>(i)?.map(Cell::Int),
                    Type::INT4 => r.try_get::<_, Option<i32>>(i)?.map(|v| Cell::Int(v.into())),
                    Type::INT2 => r.try_get::<_, Option<i16>>(i)?.map(|v| Cell::Int(v.into())),
                    Type::BOOL => r
                        .try_get::<_, Option<bool>>(i)?
                        .map(|v| Cell::Int(v.into())),
                    Type::FLOAT8 => r.try_get::<_, Option<f64>>(i)?.map(Cell::Real),
                    Type::FLOAT4 => r
                        .try_get::<_, Option<f32>>(i)?
                        .map(|v| Cell::Real(v.into())),
                    Type::BYTEA => r.try_get::<_, Option<&[u8]>>(i)?.map(Cell::Blob),
                    Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                        r.try_get::<_, Option<&str>>(i)?.map(Cell::Text)
                    }
                    other => {
                        return Err(DbError::Type {
                            column: i,
                            want: "a sitrep column type",
                            found: format!("PostgreSQL type {other} (cast it in the query)"),
                        })
                    }
                };
                Ok(cell.unwrap_or(Cell::Null))
            }
        }
    }

    /// Column `i` as a `T`.
    pub fn get<T: FromCell>(&self, i: usize) -> DbResult<T> {
        let cell = self.cell(i)?;
        T::from_cell(cell).ok_or_else(|| DbError::Type {
            column: i,
            want: T::NAME,
            found: cell.describe(),
        })
    }
}

/// A PostgreSQL client with its prepared statements, by the SQL they were
/// written in.
pub struct Pg {
    client: postgres::Client,
    statements: HashMap<String, postgres::Statement>,
}

/// Statements kept prepared per connection; the listing queries are built
/// from filters, so the cache is emptied rather than left to grow.
const STATEMENT_CACHE: usize = 512;

impl Pg {
    fn statement(&mut self, sql: &str) -> DbResult<postgres::Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        if self.statements.len() >= STATEMENT_CACHE {
            self.statements.clear();
        }
        let st = self.client.prepare(&to_postgres(sql))?;
        self.statements.insert(sql.to_string(), st.clone());
        Ok(st)
    }
}

/// A connection to either database.
pub enum Conn {
    /// SQLite.
    Sqlite(rusqlite::Connection),
    /// PostgreSQL (a `RefCell`: its client needs `&mut` for every call,
    /// the store's readers take `&self`).
    Postgres(Box<RefCell<Pg>>),
}

impl Conn {
    /// Connects to a PostgreSQL server.
    pub fn postgres(url: &str) -> DbResult<Conn> {
        let client = postgres::Client::connect(url, postgres::NoTls)?;
        Ok(Conn::Postgres(Box::new(RefCell::new(Pg {
            client,
            statements: HashMap::new(),
        }))))
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        match self {
            Conn::Sqlite(_) => Backend::Sqlite,
            Conn::Postgres(_) => Backend::Postgres,
        }
    }

    fn pg(&self) -> DbResult<std::cell::RefMut<'_, Pg>> {
        match self {
            Conn::Postgres(p) => p.try_borrow_mut().map_err(|_| DbError::Busy),
            Conn::Sqlite(_) => Err(DbError::Busy),
        }
    }

    /// Calls `f` on each row of `sql` until it returns `false`. `f` must
    /// not query this connection (PostgreSQL streams the rows meanwhile).
    pub fn for_each(
        &self,
        sql: &str,
        params: &[Value],
        mut f: impl FnMut(&Row<'_>) -> DbResult<bool>,
    ) -> DbResult<()> {
        match self {
            Conn::Sqlite(c) => {
                let mut st = c.prepare_cached(sql)?;
                let mut rows = st.query(rusqlite::params_from_iter(params))?;
                while let Some(r) = rows.next()? {
                    if !f(&Row::Sqlite(r))? {
                        break;
                    }
                }
                Ok(())
            }
            Conn::Postgres(_) => {
                let mut pg = self.pg()?;
                let st = pg.statement(sql)?;
                let mut rows = pg.client.query_raw(&st, params.iter())?;
                while let Some(r) = rows.next()? {
                    if !f(&Row::Postgres(&r))? {
                        break;
                    }
                }
                Ok(())
            }
        }
    }

    /// The rows of `sql`, each mapped by `f`.
    pub fn query<T>(
        &self,
        sql: &str,
        params: &[Value],
        mut f: impl FnMut(&Row<'_>) -> DbResult<T>,
    ) -> DbResult<Vec<T>> {
        let mut out = Vec::new();
        self.for_each(sql, params, |r| {
            out.push(f(r)?);
            Ok(true)
        })?;
        Ok(out)
    }

    /// The first row of `sql`, if any, mapped by `f`.
    pub fn query_opt<T>(
        &self,
        sql: &str,
        params: &[Value],
        f: impl FnOnce(&Row<'_>) -> DbResult<T>,
    ) -> DbResult<Option<T>> {
        let mut f = Some(f);
        let mut out = None;
        self.for_each(sql, params, |r| {
            if let Some(f) = f.take() {
                out = Some(f(r)?);
            }
            Ok(false)
        })?;
        Ok(out)
    }

    /// The first row of `sql`, mapped by `f`; [`DbError::NoRows`] if none.
    pub fn query_row<T>(
        &self,
        sql: &str,
        params: &[Value],
        f: impl FnOnce(&Row<'_>) -> DbResult<T>,
    ) -> DbResult<T> {
        self.query_opt(sql, params, f)?.ok_or(DbError::NoRows)
    }

    /// Whether `sql` returns a row.
    pub fn exists(&self, sql: &str, params: &[Value]) -> DbResult<bool> {
        Ok(self.query_opt(sql, params, |_| Ok(()))?.is_some())
    }

    /// Runs one statement; the number of rows it changed.
    pub fn execute(&self, sql: &str, params: &[Value]) -> DbResult<u64> {
        match self {
            Conn::Sqlite(c) => {
                Ok(c.prepare_cached(sql)?
                    .execute(rusqlite::params_from_iter(params))? as u64)
            }
            Conn::Postgres(_) => {
                let mut pg = self.pg()?;
                let st = pg.statement(sql)?;
                let params: Vec<&(dyn ToSql + Sync)> =
                    params.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
                Ok(pg.client.execute(&st, &params)?)
            }
        }
    }

    /// Runs statements separated by `;`, without parameters.
    pub fn batch(&self, sql: &str) -> DbResult<()> {
        match self {
            Conn::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Conn::Postgres(_) => Ok(self.pg()?.client.batch_execute(sql)?),
        }
    }

    /// Starts a transaction, rolled back unless [`Tx::commit`]ted.
    /// `immediate` makes it the one writing transaction of the store until
    /// it ends: on SQLite it takes the write lock at once; on PostgreSQL
    /// the writers' advisory lock, because duplicate groups and clusters
    /// are decided in input order and two interleaved writers would each
    /// decide on a store the other is changing.
    pub fn begin(&self, immediate: bool) -> DbResult<Tx<'_>> {
        self.batch(match (self.backend(), immediate) {
            (Backend::Sqlite, true) => "BEGIN IMMEDIATE",
            (Backend::Postgres, true) => "BEGIN; SELECT pg_advisory_xact_lock(7416602)",
            _ => "BEGIN",
        })?;
        Ok(Tx {
            conn: self,
            done: false,
        })
    }
}

/// An open transaction; derefs to its connection.
pub struct Tx<'c> {
    conn: &'c Conn,
    done: bool,
}

impl Tx<'_> {
    /// Commits it.
    pub fn commit(mut self) -> DbResult<()> {
        self.done = true;
        self.conn.batch("COMMIT")
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.conn
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.conn.batch("ROLLBACK");
        }
    }
}

/// The store's SQL as PostgreSQL takes it: `?N` → `$N`, each bare `?` →
/// the next `$N`, `LIKE` → `ILIKE`; quoted strings and identifiers are
/// left alone.
pub fn to_postgres(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 16);
    let mut next = 0usize;
    let mut chars = sql.char_indices().peekable();
    let mut quote: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        if let Some(q) = quote {
            out.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                out.push(c);
            }
            '?' => {
                let mut digits = String::new();
                while let Some(&(_, d)) = chars.peek() {
                    if d.is_ascii_digit() {
                        digits.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if digits.is_empty() {
                    next += 1;
                    digits = next.to_string();
                }
                out.push('$');
                out.push_str(&digits);
            }
            'L' | 'l' => {
                let word_start = i == 0
                    || !sql[..i]
                        .chars()
                        .next_back()
                        .is_some_and(|p| p.is_alphanumeric() || p == '_');
                let rest = &sql[i..];
                let is_like = word_start
                    && rest.len() >= 4
                    && rest[..4].eq_ignore_ascii_case("like")
                    && !rest[4..]
                        .chars()
                        .next()
                        .is_some_and(|n| n.is_alphanumeric() || n == '_');
                if is_like {
                    out.push_str("ILIKE");
                    for _ in 0..3 {
                        chars.next();
                    }
                } else {
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_like_become_postgres() {
        assert_eq!(
            to_postgres("SELECT 1 FROM t WHERE a = ?1 AND b LIKE ?2 ESCAPE '\\'"),
            "SELECT 1 FROM t WHERE a = $1 AND b ILIKE $2 ESCAPE '\\'"
        );
        assert_eq!(
            to_postgres("x IN (?, ?) AND y = '?' AND likely = ? AND \"like\" = ?"),
            "x IN ($1, $2) AND y = '?' AND likely = $3 AND \"like\" = $4"
        );
    }

    #[test]
    fn urls_select_the_database_and_hide_passwords() {
        assert_eq!(
            Location::parse("var/sitrep.db"),
            Location::Sqlite("var/sitrep.db".into())
        );
        let pg = Location::parse("postgres://sitrep:secret@127.0.0.1:5432/sitrep");
        assert!(matches!(pg, Location::Postgres(_)));
        assert_eq!(
            pg.to_string(),
            "postgres://sitrep:***@127.0.0.1:5432/sitrep"
        );
        assert_eq!(
            Location::parse("postgresql://127.0.0.1/db").to_string(),
            "postgresql://127.0.0.1/db"
        );
    }

    #[test]
    fn cells_read_into_rust_types() {
        let c = Conn::Sqlite(rusqlite::Connection::open_in_memory().unwrap());
        let (a, b, n, s): (i64, f64, Option<String>, bool) = c
            .query_row("SELECT ?1, ?2, NULL, ?3", args![7i64, 2i64, true], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .unwrap();
        assert_eq!((a, b, n, s), (7, 2.0, None, true));
        let bad = c.query_row("SELECT 'x'", &[], |r| r.get::<i64>(0));
        assert!(matches!(bad, Err(DbError::Type { column: 0, .. })));
        assert!(matches!(
            c.query_row("SELECT 1 WHERE 0", &[], |r| r.get::<i64>(0)),
            Err(DbError::NoRows)
        ));
    }
}
