//! [`Error`]: what went wrong reading an input, and where.

use std::fmt;
use std::io;

/// An error reading an input, carrying its context as values.
///
/// Modelled on ripgrep's `ignore::Error`: a cause (`Io`, `Binary`, `Json`,
/// …) is wrapped in context variants ([`Error::WithPath`],
/// [`Error::WithLine`], [`Error::WithRecord`]) as it travels up, so the
/// message names the file, the JSONL line or the WARC record:
///
/// ```text
/// examples/bad.jsonl: line 17: invalid JSON: EOF while parsing an object at column 40
/// feed.rss: broken feed: …
/// x.bin: binary file (NUL byte at offset 12), skipped
/// ```
///
/// [`Error::Partial`] gathers the failures of a batch.
#[derive(Debug)]
pub enum Error {
    /// An error tied to a file (or `-` for standard input).
    WithPath {
        /// The path as given.
        path: String,
        /// The cause.
        err: Box<Error>,
    },
    /// An error tied to a line of a JSONL file (1-based).
    WithLine {
        /// Line number, 1-based.
        line: u64,
        /// The cause.
        err: Box<Error>,
    },
    /// An error tied to a record of a WARC file or an entry of a feed
    /// (1-based).
    WithRecord {
        /// Record or entry number, 1-based.
        record: u64,
        /// The cause.
        err: Box<Error>,
    },
    /// Several errors, e.g. everything that failed in a batch.
    Partial(Vec<Error>),
    /// An I/O error (also: a path that does not exist).
    Io(io::Error),
    /// The input looks binary, so it was skipped.
    Binary {
        /// Offset of the first NUL byte, when that was the evidence.
        nul_at: Option<u64>,
    },
    /// The document has no text.
    Empty,
    /// An HTML page (or feed entry) from which no readable text came out.
    NoContent,
    /// A text file that is not valid UTF-8.
    InvalidUtf8 {
        /// Line of the first invalid byte, 1-based.
        line: u64,
        /// Offset of the first invalid byte, 0-based.
        byte: u64,
    },
    /// Undecodable bytes in a declared encoding (e.g. broken UTF-16).
    Encoding(String),
    /// A document over [`IngestOptions::max_bytes`](crate::IngestOptions).
    TooLarge {
        /// Size of the document in bytes.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// A JSONL line over the per-document limit; the line was skipped
    /// without being read into memory.
    LineTooLarge {
        /// Line number, 1-based.
        line: u64,
        /// Length of the line in bytes, without its newline.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// A JSONL line that is not a JSON object.
    Json(String),
    /// A feed that feed-rs could not parse; nothing was read from it.
    Feed(String),
    /// A WARC file whose framing is broken (truncated or corrupt record).
    /// Records before it were read; nothing after it is.
    Warc(String),
    /// An HTML page that could not be processed.
    Html(String),
    /// A metadata field with a bad value (a JSONL field, a text header).
    Field {
        /// The field's name.
        field: &'static str,
        /// What is wrong with it.
        problem: String,
    },
    /// An unknown `--format` name.
    UnknownFormat(String),
}

impl Error {
    /// Wraps `self` with the path it happened in.
    pub fn with_path(self, path: impl Into<String>) -> Error {
        Error::WithPath {
            path: path.into(),
            err: Box::new(self),
        }
    }

    /// Wraps `self` with the (1-based) line it happened on.
    pub fn with_line(self, line: u64) -> Error {
        Error::WithLine {
            line,
            err: Box::new(self),
        }
    }

    /// Wraps `self` with the (1-based) record it happened in.
    pub fn with_record(self, record: u64) -> Error {
        Error::WithRecord {
            record,
            err: Box::new(self),
        }
    }

    /// Gathers a batch's errors: `None` if there are none, the error itself
    /// if there is one, else [`Error::Partial`].
    pub fn partial(mut errs: Vec<Error>) -> Option<Error> {
        match errs.len() {
            0 => None,
            1 => errs.pop(),
            _ => Some(Error::Partial(errs)),
        }
    }

    /// The path this error is tied to, if any (the outermost one).
    pub fn path(&self) -> Option<&str> {
        match self {
            Error::WithPath { path, .. } => Some(path),
            Error::WithLine { err, .. } | Error::WithRecord { err, .. } => err.path(),
            _ => None,
        }
    }

    /// The line this error is tied to, if any.
    pub fn line(&self) -> Option<u64> {
        match self {
            Error::WithLine { line, .. } | Error::LineTooLarge { line, .. } => Some(*line),
            Error::WithPath { err, .. } | Error::WithRecord { err, .. } => err.line(),
            _ => None,
        }
    }

    /// The record (WARC record, feed entry) this error is tied to, if any.
    pub fn record(&self) -> Option<u64> {
        match self {
            Error::WithRecord { record, .. } => Some(*record),
            Error::WithPath { err, .. } | Error::WithLine { err, .. } => err.record(),
            _ => None,
        }
    }

    /// The cause with every context wrapper removed.
    pub fn cause(&self) -> &Error {
        match self {
            Error::WithPath { err, .. }
            | Error::WithLine { err, .. }
            | Error::WithRecord { err, .. } => err.cause(),
            e => e,
        }
    }

    /// Whether the error stopped reading of its input, so that documents
    /// after it in the same file, if any, were lost: an I/O error, a broken
    /// feed, a corrupt or truncated WARC record. Other errors skip one
    /// document (a file, a JSONL line, a feed entry, a WARC record) and
    /// reading goes on. A [`Partial`](Error::Partial) is fatal if any of
    /// its errors is.
    pub fn is_fatal(&self) -> bool {
        match self {
            Error::WithPath { err, .. }
            | Error::WithLine { err, .. }
            | Error::WithRecord { err, .. } => err.is_fatal(),
            Error::Partial(errs) => errs.iter().any(Error::is_fatal),
            Error::Io(_) | Error::Feed(_) | Error::Warc(_) => true,
            _ => false,
        }
    }

    /// Whether this is an I/O error (after removing context).
    pub fn is_io(&self) -> bool {
        matches!(self.cause(), Error::Io(_))
    }
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Error {
        Error::Io(e)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::WithPath { path, err } if path == "-" => write!(f, "<stdin>: {err}"),
            Error::WithPath { path, err } => write!(f, "{path}: {err}"),
            Error::WithLine { line, err } => write!(f, "line {line}: {err}"),
            Error::WithRecord { record, err } => write!(f, "record {record}: {err}"),
            Error::Partial(errs) => {
                for (i, e) in errs.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\n")?;
                    }
                    write!(f, "{e}")?;
                }
                Ok(())
            }
            Error::Io(e) => write!(f, "{e}"),
            Error::Binary { nul_at: Some(at) } => {
                write!(f, "binary file (NUL byte at offset {at}), skipped")
            }
            Error::Binary { nul_at: None } => {
                f.write_str("binary file (invalid UTF-8 and control bytes), skipped")
            }
            Error::Empty => f.write_str("empty document"),
            Error::NoContent => f.write_str("no readable content"),
            Error::InvalidUtf8 { line, byte } => {
                write!(f, "invalid UTF-8 at line {line} (byte offset {byte})")
            }
            Error::Encoding(m) => write!(f, "undecodable text: {m}"),
            Error::TooLarge { bytes, limit } => {
                write!(f, "document is {bytes} bytes, over the limit of {limit}")
            }
            Error::LineTooLarge { line, bytes, limit } => {
                write!(f, "line {line} is {bytes} bytes, over the limit of {limit}")
            }
            Error::Json(m) => write!(f, "invalid JSON: {m}"),
            Error::Feed(m) => write!(f, "broken feed: {m}"),
            Error::Warc(m) => write!(f, "broken WARC: {m}"),
            Error::Html(m) => write!(f, "HTML: {m}"),
            Error::Field { field, problem } => write!(f, "field {field:?}: {problem}"),
            Error::UnknownFormat(s) => write!(
                f,
                "unknown input format {s:?} (expected auto, text, html, jsonl, rss or warc)"
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        // Context variants print their cause in their own message, so they
        // report no separate source (as ripgrep's `ignore::Error` does).
        match self {
            Error::Io(e) => e.source(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_carry_context() {
        let e = Error::Json("EOF while parsing an object at column 40".into())
            .with_line(17)
            .with_path("examples/bad.jsonl");
        assert_eq!(
            e.to_string(),
            "examples/bad.jsonl: line 17: invalid JSON: EOF while parsing an object at column 40"
        );
        assert_eq!(e.path(), Some("examples/bad.jsonl"));
        assert_eq!(e.line(), Some(17));
        assert!(!e.is_fatal());
        let e = Error::Binary { nul_at: Some(12) }.with_path("x.bin");
        assert_eq!(
            e.to_string(),
            "x.bin: binary file (NUL byte at offset 12), skipped"
        );
        assert!(matches!(e.cause(), Error::Binary { .. }));
        let e = Error::Warc("truncated".into())
            .with_record(3)
            .with_path("a.warc");
        assert!(e.is_fatal());
        assert_eq!(e.record(), Some(3));
        assert!(Error::partial(vec![]).is_none());
        let p = Error::partial(vec![Error::Empty, Error::NoContent]).unwrap();
        assert_eq!(p.to_string(), "empty document\nno readable content");
    }
}
