//! Reads sitrep's inputs — plain text, HTML pages, JSONL, RSS/Atom feeds and
//! WARC archives — into [`RawDoc`]s: an article's id, title, URL,
//! publication date and its text in one canonical form.
//!
//! Every reader streams: [`read_path`], [`read_stdin`] and [`read_reader`]
//! return an iterator of `Result<RawDoc, Error>`, so a WARC or JSONL file of
//! any size is read record by record, and a bad record is an error *value*
//! carrying its context (`file: line 17: …`, `file: record 3: …`) while the
//! good records around it are still yielded. No input makes a reader panic.
//!
//! ```
//! use sitrep_ingest::{read_reader, IngestOptions, InputFormat};
//!
//! let input = "Title: Drones downed over the coast\n\
//!              Published: 2024-03-02\n\
//!              \n\
//!              Air defences shot down  eleven drones overnight, the navy said.\n\
//!              \n\
//!              No damage was reported.\n";
//! let opts = IngestOptions { format: InputFormat::Text, ..IngestOptions::default() };
//! let mut docs = read_reader("-", std::io::Cursor::new(input), &opts);
//! let doc = docs.next().unwrap().unwrap();
//! assert_eq!(doc.title.as_deref(), Some("Drones downed over the coast"));
//! assert_eq!(doc.published.unwrap().to_string(), "2024-03-02");
//! assert_eq!(
//!     doc.text,
//!     "Air defences shot down eleven drones overnight, the navy said.\nNo damage was reported."
//! );
//! assert!(docs.next().is_none());
//! ```
//!
//! # The canonical text
//!
//! Whatever the input format, the text is in the form [`normalize_text`]
//! gives: one paragraph per line, separated by a single `\n`, no blank
//! lines, ASCII space runs collapsed, each paragraph trimmed; other
//! characters (NBSP, zero-width spaces) are kept. The same article as a
//! text file, an HTML page, a JSONL record, a feed item or a WARC record
//! yields byte-identical text.
//!
//! # Input formats
//!
//! The format is given ([`InputFormat`]) or detected: by extension
//! (`.txt .text .md` text, `.html .htm .xhtml` HTML, `.jsonl .ndjson .json`
//! JSONL, `.rss .atom .xml` feed, `.warc .warc.gz` WARC), else by the first
//! bytes (see [`detect_format`]). `docs/input-formats.md` describes them
//! for users.
//!
//! - **Text** (UTF-8, a BOM allowed, or UTF-16 with a BOM). An optional
//!   header block at the very top — lines `Title: …`, `Published:
//!   YYYY-MM-DD` (or `Date:`), `URL: …`, `Id: …`, keys case-insensitive,
//!   other `Key: value` lines ignored — ends at a blank line; it is only
//!   recognised if the first line is one of those four keys and the block
//!   is followed by a blank line. Without a header, the first line is the
//!   title if more text follows it, it has at most 25 words and it does not
//!   end in sentence punctuation (`. ! ? : ; …`, possibly followed by
//!   closing quotes or brackets); the title line is then not part of the
//!   text. Each line is a paragraph, except that a *hard-wrapped* file is
//!   unwrapped: if the file has blank-line paragraph breaks and most lines
//!   inside multi-line paragraphs (not counting each paragraph's last line)
//!   are 50–100 characters long, the lines of each paragraph are joined
//!   with a space (and in such a file a title must be a paragraph of its
//!   own). The id is the path as given (`-` for standard input). A NUL
//!   byte in the first 8 KB, or invalid UTF-8 with many control bytes, is
//!   a binary file; other invalid UTF-8 is an error naming line and byte.
//! - **HTML**. Decoded by BOM, `<meta charset>` in the first 4 KB, the HTTP
//!   `Content-Type` (WARC), else UTF-8 if valid, else chardetng's guess.
//!   The main content is found by Readability (dom_smoothie) and its HTML
//!   converted to text block by block; if Readability fails or finds no
//!   text, the whole body is used instead, without `nav`, `aside`,
//!   `footer`, `form`. A leading paragraph equal to the title is dropped.
//!   Pages nested over 512 levels deep skip Readability and over 8192 are
//!   refused (parsing cost grows with the square of the depth).
//!   Title: `og:title`, JSON-LD `headline`, `<title>`, Readability's
//!   title. Date: `article:published_time`, `og:published_time`, JSON-LD or
//!   meta `datePublished`, `pubdate`, `publishdate`, `date`, `dc.date`,
//!   `DC.date.issued`, `<time datetime>` inside `<article>`, Readability's
//!   date. URL: `<link rel=canonical>`, `og:url`, else the WARC target URI.
//! - **JSONL**: one object per line with `id` (string or number; default
//!   `path:line`), `text` or `html` (one required; `html` goes through the
//!   HTML path; `text` wins if both are given), `title`, `url`,
//!   `published` (ISO date or datetime). Empty
//!   lines are skipped; a bad line is an error and reading goes on. A line
//!   over the size limit is skipped without being read into memory.
//! - **RSS/Atom** (and RDF), via feed-rs: each entry is a document — title,
//!   first link, `published` (else `updated`) as written, text from the
//!   content (else the summary) converted from HTML without Readability.
//!   Id: the entry's id, else its link, else `path#N`. A feed is parsed
//!   whole, so it may be at most 4 × `max_bytes`.
//! - **WARC** (`.warc`, `.warc.gz` with one gzip member per record):
//!   `response` records with HTTP status 200 and an HTML content type, and
//!   `resource` records of HTML, go through the HTML path with the target
//!   URI as URL and the record id (angle brackets removed) as id. Other
//!   records are skipped silently. A truncated or corrupt record ends the
//!   file with an error naming the record; records before it are kept.
//!
//! Every document is limited to [`IngestOptions::max_bytes`] (10 MiB by
//! default); a larger one is an error found without reading it all into
//! memory.
#![deny(missing_docs)]

mod dates;
mod error;
mod feed;
mod html;
mod io;
mod jsonl;
mod normalize;
mod text;
mod warcfile;

use std::fmt;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use sitrep_core::{Date, Doc, PublishedSource};

pub use error::Error;
pub use normalize::normalize_text;

/// Where a document came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The path as given, or `-` for standard input.
    pub path: String,
    /// The JSONL line, 1-based.
    pub line: Option<u64>,
    /// The WARC record or feed entry, 1-based.
    pub record: Option<u64>,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.path == "-" {
            "<stdin>"
        } else {
            &self.path
        })?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
        }
        if let Some(r) = self.record {
            write!(f, " record {r}")?;
        }
        Ok(())
    }
}

/// `source` when the input gave a date, else `None`: the two fields of a
/// [`RawDoc`] move together.
pub(crate) fn date_source(published: Option<Date>, source: PublishedSource) -> PublishedSource {
    if published.is_some() {
        source
    } else {
        PublishedSource::None
    }
}

/// One article as read from its input, before any analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDoc {
    /// Stable identifier: the input's own id, else derived from its path.
    pub id: String,
    /// Headline.
    pub title: Option<String>,
    /// Canonical URL.
    pub url: Option<String>,
    /// Publication date.
    pub published: Option<Date>,
    /// Which evidence gave `published`.
    pub published_source: PublishedSource,
    /// The text, in the canonical form of [`normalize_text`].
    pub text: String,
    /// Where it came from.
    pub origin: Origin,
}

impl RawDoc {
    /// A [`Doc`] with this text and metadata and no layers.
    pub fn into_doc(self) -> Doc {
        let mut doc = Doc::new(self.id, self.text);
        doc.title = self.title;
        doc.url = self.url;
        doc.published = self.published;
        doc.published_source = self.published_source;
        doc
    }
}

/// An input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// Detect from the extension, else from the first bytes.
    #[default]
    Auto,
    /// Plain text, one document per file.
    Text,
    /// An HTML page, one document per file.
    Html,
    /// JSON Lines, one document per line.
    Jsonl,
    /// An RSS, Atom or RDF feed, one document per entry.
    Rss,
    /// A WARC archive, plain or gzipped, one document per HTML record.
    Warc,
}

impl FromStr for InputFormat {
    type Err = Error;

    fn from_str(s: &str) -> Result<InputFormat, Error> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "auto" => InputFormat::Auto,
            "text" | "txt" => InputFormat::Text,
            "html" => InputFormat::Html,
            "jsonl" => InputFormat::Jsonl,
            "rss" | "atom" => InputFormat::Rss,
            "warc" => InputFormat::Warc,
            _ => return Err(Error::UnknownFormat(s.to_string())),
        })
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InputFormat::Auto => "auto",
            InputFormat::Text => "text",
            InputFormat::Html => "html",
            InputFormat::Jsonl => "jsonl",
            InputFormat::Rss => "rss",
            InputFormat::Warc => "warc",
        })
    }
}

/// How to read inputs.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// The input format, or [`InputFormat::Auto`].
    pub format: InputFormat,
    /// Largest document, in bytes (a text or HTML file, a JSONL line, a WARC
    /// record's payload). Default 10 MiB.
    pub max_bytes: usize,
    /// Publication date for documents whose input gives none (recorded as
    /// [`PublishedSource::Argument`]).
    pub default_published: Option<Date>,
}

/// The default [`IngestOptions::max_bytes`]: 10 MiB.
pub const DEFAULT_MAX_BYTES: usize = 10 * 1024 * 1024;

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            format: InputFormat::Auto,
            max_bytes: DEFAULT_MAX_BYTES,
            default_published: None,
        }
    }
}

/// An iterator of documents read from one input.
pub type Docs = Box<dyn Iterator<Item = Result<RawDoc, Error>> + Send>;

/// How many leading bytes format sniffing looks at.
const SNIFF_BYTES: usize = 2048;

/// The format of an input, from its path's extension if it has a known one,
/// else from its first bytes (`head`, up to 2 KB):
///
/// - gzip magic (`1f 8b`) or `WARC/`: WARC;
/// - after an optional BOM and white space: `<?xml` followed within the
///   first 2 KB by `<rss`, `<feed` or `<rdf`, or a leading `<rss`, `<feed`,
///   `<rdf:RDF`: RSS; `<!doctype html`, `<html` or any other leading `<`:
///   HTML; `{`: JSONL;
/// - anything else: text.
///
/// Never returns [`InputFormat::Auto`].
pub fn detect_format(path: Option<&Path>, head: &[u8]) -> InputFormat {
    if let Some(f) = path.and_then(format_by_extension) {
        return f;
    }
    if head.starts_with(&[0x1f, 0x8b]) || head.starts_with(b"WARC/") {
        return InputFormat::Warc;
    }
    let mut h = head;
    h = h.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(h);
    while let [c, rest @ ..] = h {
        if !c.is_ascii_whitespace() {
            break;
        }
        h = rest;
    }
    let lower = h[..h.len().min(SNIFF_BYTES)].to_ascii_lowercase();
    let is_feed_root =
        |s: &[u8]| s.starts_with(b"<rss") || s.starts_with(b"<feed") || s.starts_with(b"<rdf");
    if lower.starts_with(b"<?xml") {
        let feed = [&b"<rss"[..], b"<feed", b"<rdf"]
            .iter()
            .any(|n| html::find(&lower, n).is_some());
        return if feed {
            InputFormat::Rss
        } else {
            InputFormat::Html
        };
    }
    if is_feed_root(&lower) {
        return InputFormat::Rss;
    }
    if lower.starts_with(b"<") {
        return InputFormat::Html;
    }
    if lower.starts_with(b"{") {
        return InputFormat::Jsonl;
    }
    InputFormat::Text
}

fn format_by_extension(path: &Path) -> Option<InputFormat> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if name.ends_with(".warc.gz") {
        return Some(InputFormat::Warc);
    }
    let ext = name.rsplit_once('.')?.1;
    Some(match ext {
        "txt" | "text" | "md" => InputFormat::Text,
        "html" | "htm" | "xhtml" => InputFormat::Html,
        "jsonl" | "ndjson" | "json" => InputFormat::Jsonl,
        "rss" | "atom" | "xml" => InputFormat::Rss,
        "warc" => InputFormat::Warc,
        _ => return None,
    })
}

/// Reads a file (`-` reads standard input). Errors carry the path.
pub fn read_path(path: &Path, opts: &IngestOptions) -> Docs {
    if path.as_os_str() == "-" {
        return read_stdin(opts);
    }
    let name = path.display().to_string();
    let file = match File::open(path).and_then(|f| {
        let meta = f.metadata()?;
        if meta.is_dir() {
            return Err(std::io::Error::other("is a directory"));
        }
        Ok((f, meta.len()))
    }) {
        Ok(f) => f,
        Err(e) => return Box::new(std::iter::once(Err(Error::Io(e).with_path(name)))),
    };
    let (file, size) = file;
    read_source(name, Box::new(file), Some(size), Some(path), opts)
}

/// Reads standard input, detecting its format from its first bytes unless
/// one is given. Documents and errors are named `-`.
pub fn read_stdin(opts: &IngestOptions) -> Docs {
    read_source("-".into(), Box::new(std::io::stdin()), None, None, opts)
}

/// Reads any reader, named `name` in ids and messages. Its format is
/// detected from `name`'s extension, else from its first bytes, unless one
/// is given.
pub fn read_reader(name: &str, reader: impl Read + Send + 'static, opts: &IngestOptions) -> Docs {
    read_source(
        name.to_string(),
        Box::new(reader),
        None,
        Some(Path::new(name)),
        opts,
    )
}

fn read_source(
    name: String,
    mut reader: Box<dyn Read + Send>,
    size: Option<u64>,
    path: Option<&Path>,
    opts: &IngestOptions,
) -> Docs {
    let opts = opts.clone();
    let mut format = opts.format;
    if format == InputFormat::Auto {
        format = match path.and_then(format_by_extension) {
            Some(f) => f,
            None => {
                let head = match io::read_head(&mut reader, SNIFF_BYTES) {
                    Ok(h) => h,
                    Err(e) => return Box::new(std::iter::once(Err(Error::Io(e).with_path(name)))),
                };
                let f = detect_format(None, &head);
                reader = Box::new(std::io::Cursor::new(head).chain(reader));
                f
            }
        };
    }
    let default_published = opts.default_published;
    let with_default = move |mut d: RawDoc| {
        if d.published.is_none() {
            if let Some(p) = default_published {
                d.published = Some(p);
                d.published_source = PublishedSource::Argument;
            }
        }
        d
    };
    let err_name = name.clone();
    let docs: Docs = match format {
        InputFormat::Text | InputFormat::Html | InputFormat::Auto => {
            let html = format == InputFormat::Html;
            Box::new(std::iter::once_with(move || {
                single_doc(&name, &mut reader, size, html, &opts)
            }))
        }
        InputFormat::Jsonl => Box::new(jsonl::JsonlReader::new(
            Box::new(BufReader::new(reader)),
            &name,
            &opts,
        )),
        InputFormat::Rss => Box::new(
            std::iter::once_with(move || {
                let limit = opts.max_bytes.saturating_mul(4);
                if let Some(s) = size.filter(|&s| s > limit as u64) {
                    return vec![Err(Error::TooLarge {
                        bytes: s,
                        limit: limit as u64,
                    })];
                }
                match io::read_bounded(&mut reader, limit) {
                    Ok(bytes) => feed::read_feed(&bytes, &name),
                    Err(e) => vec![Err(e)],
                }
            })
            .flatten(),
        ),
        InputFormat::Warc => match warc_stream(reader) {
            Ok(r) => Box::new(warcfile::WarcReader::new(r, &name, &opts)),
            Err(e) => Box::new(std::iter::once(Err(e))),
        },
    };
    Box::new(docs.map(move |r| {
        r.map(&with_default)
            .map_err(|e| e.with_path(err_name.clone()))
    }))
}

/// A buffered WARC stream, gunzipped if it starts with the gzip magic.
fn warc_stream(
    mut reader: Box<dyn Read + Send>,
) -> Result<Box<dyn std::io::BufRead + Send>, Error> {
    let head = io::read_head(&mut reader, 2)?;
    let gz = head.starts_with(&[0x1f, 0x8b]);
    let reader = std::io::Cursor::new(head).chain(reader);
    Ok(if gz {
        Box::new(BufReader::with_capacity(
            64 * 1024,
            flate2::read::MultiGzDecoder::new(BufReader::new(reader)),
        ))
    } else {
        Box::new(BufReader::with_capacity(64 * 1024, reader))
    })
}

/// A text or HTML file: one document.
fn single_doc(
    name: &str,
    reader: &mut dyn Read,
    size: Option<u64>,
    html: bool,
    opts: &IngestOptions,
) -> Result<RawDoc, Error> {
    if let Some(s) = size.filter(|&s| s > opts.max_bytes as u64) {
        return Err(Error::TooLarge {
            bytes: s,
            limit: opts.max_bytes as u64,
        });
    }
    let bytes = io::read_bounded(reader, opts.max_bytes)?;
    let origin = Origin {
        path: name.to_string(),
        line: None,
        record: None,
    };
    if !html {
        let s = text::decode_text(&bytes)?;
        return text::text_doc(&s, name, origin);
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Empty);
    }
    let s = html::decode_html(&bytes, None);
    Ok(html::read_page(&s, true, None)?.into_raw_doc(name.to_string(), origin))
}

/// Expands command-line inputs: a file is itself, `-` is standard input,
/// a directory is walked recursively (sorted by file name, skipping hidden
/// files and directories, following symbolic links). A path that does not
/// exist is an error, and the expansion goes on.
pub fn expand_inputs(paths: &[PathBuf]) -> impl Iterator<Item = Result<PathBuf, Error>> + Send {
    let paths = paths.to_vec();
    paths.into_iter().flat_map(
        |p| -> Box<dyn Iterator<Item = Result<PathBuf, Error>> + Send> {
            if p.as_os_str() == "-" {
                return Box::new(std::iter::once(Ok(p)));
            }
            let name = p.display().to_string();
            match std::fs::metadata(&p) {
                Err(e) => Box::new(std::iter::once(Err(Error::Io(e).with_path(name)))),
                Ok(m) if !m.is_dir() => Box::new(std::iter::once(Ok(p))),
                Ok(_) => Box::new(
                    walkdir::WalkDir::new(&p)
                        .follow_links(true)
                        .sort_by_file_name()
                        .into_iter()
                        .filter_entry(|e| {
                            e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                        })
                        .filter_map(move |e| match e {
                            Ok(e) if e.file_type().is_dir() => None,
                            Ok(e) => Some(Ok(e.into_path())),
                            Err(err) => {
                                let path = err
                                    .path()
                                    .map(|p| p.display().to_string())
                                    .unwrap_or_else(|| name.clone());
                                let io = err
                                    .into_io_error()
                                    .unwrap_or_else(|| std::io::Error::other("filesystem loop"));
                                Some(Err(Error::Io(io).with_path(path)))
                            }
                        }),
                ),
            }
        },
    )
}
