//! JSONL: one JSON object per line.

use std::io::BufRead;

use serde_json::Value;
use sitrep_core::{Date, PublishedSource};

use crate::io::{read_line_bounded, Line};
use crate::normalize::normalize_text;
use crate::text::collapse;
use crate::{html, Error, IngestOptions, Origin, RawDoc};

/// Streams the records of a JSONL input. Errors carry their line number;
/// reading goes on after a bad line.
pub(crate) struct JsonlReader {
    reader: Box<dyn BufRead + Send>,
    name: String,
    opts: IngestOptions,
    line: u64,
    buf: Vec<u8>,
    done: bool,
}

impl JsonlReader {
    pub(crate) fn new(reader: Box<dyn BufRead + Send>, name: &str, opts: &IngestOptions) -> Self {
        JsonlReader {
            reader,
            name: name.to_string(),
            opts: opts.clone(),
            line: 0,
            buf: Vec::new(),
            done: false,
        }
    }
}

impl Iterator for JsonlReader {
    type Item = Result<RawDoc, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            self.line += 1;
            let line = self.line;
            match read_line_bounded(&mut self.reader, &mut self.buf, self.opts.max_bytes) {
                Err(e) => {
                    self.done = true;
                    return Some(Err(Error::Io(e).with_line(line)));
                }
                Ok(Line::Eof) => self.done = true,
                Ok(Line::TooLong(bytes)) => {
                    return Some(Err(Error::LineTooLarge {
                        line,
                        bytes,
                        limit: self.opts.max_bytes as u64,
                    }))
                }
                Ok(Line::Ok) => {
                    let mut rec: &[u8] = &self.buf;
                    if line == 1 {
                        rec = rec.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(rec);
                    }
                    if rec.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    return Some(record(rec, &self.name, line).map_err(|e| e.with_line(line)));
                }
            }
        }
        None
    }
}

/// serde_json's message without its "at line 1 column N" (a record is one
/// line), with the column.
fn json_error(e: &serde_json::Error) -> Error {
    let mut msg = e.to_string();
    if let Some(i) = msg.rfind(" at line ") {
        msg.truncate(i);
    }
    if e.column() > 0 {
        msg = format!("{msg} at column {}", e.column());
    }
    Error::Json(msg)
}

fn opt_str(
    obj: &serde_json::Map<String, Value>,
    field: &'static str,
) -> Result<Option<String>, Error> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(Error::Field {
            field,
            problem: format!("expected a string, found {}", kind(other)),
        }),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn record(rec: &[u8], name: &str, line: u64) -> Result<RawDoc, Error> {
    let v: Value = serde_json::from_slice(rec).map_err(|e| json_error(&e))?;
    let Value::Object(obj) = v else {
        return Err(Error::Json(format!(
            "expected an object, found {}",
            kind(&v)
        )));
    };
    let id = match obj.get("id") {
        None | Some(Value::Null) => format!("{name}:{line}"),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => {
            return Err(Error::Field {
                field: "id",
                problem: format!("expected a string or a number, found {}", kind(other)),
            })
        }
    };
    let title = opt_str(&obj, "title")?
        .map(|t| collapse(&t))
        .filter(|t| !t.is_empty());
    let url = opt_str(&obj, "url")?
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty());
    let published = match opt_str(&obj, "published")? {
        None => None,
        Some(s) => Some(s.parse::<Date>().map_err(|e| Error::Field {
            field: "published",
            problem: e.to_string(),
        })?),
    };
    let text = opt_str(&obj, "text")?;
    let html_src = opt_str(&obj, "html")?;
    let mut doc = RawDoc {
        id,
        title,
        url,
        published,
        published_source: crate::date_source(published, PublishedSource::Metadata),
        text: String::new(),
        origin: Origin {
            path: name.to_string(),
            line: Some(line),
            record: None,
        },
    };
    match (text, html_src) {
        (Some(t), _) => {
            doc.text = normalize_text(&t);
            if doc.text.is_empty() {
                return Err(Error::Empty);
            }
        }
        (None, Some(h)) => {
            let page = html::read_page(&h, true, doc.url.as_deref())?;
            doc.text = html::drop_title_paragraph(&page.text, [doc.title.as_deref()]);
            if !html::has_words(&doc.text) {
                return Err(Error::NoContent);
            }
            if doc.title.is_none() {
                doc.title = page.title;
            }
            if doc.url.is_none() {
                doc.url = page.url;
            }
            if doc.published.is_none() {
                if let Some(d) = page.published {
                    doc.published = Some(d);
                    doc.published_source = PublishedSource::HtmlMeta;
                }
            }
        }
        (None, None) => {
            return Err(Error::Field {
                field: "text",
                problem: "missing: a record needs \"text\" or \"html\"".into(),
            })
        }
    }
    Ok(doc)
}
