//! WARC files (plain or gzipped, one gzip member per record), streamed.
//!
//! Record framing is done here, with bounded reads (a record's body is
//! never read into memory past the per-document limit, and a header block
//! past 64 KiB); the header block itself is parsed by the `warc` crate's
//! parser.

use std::io::{self, BufRead, Read};

use crate::html::{self, find};
use crate::io::{read_line_bounded, Line};
use crate::{Error, IngestOptions, Origin, RawDoc};

/// Largest WARC header block, and largest HTTP header block, read.
const HEADER_LIMIT: usize = 64 * 1024;

/// Streams the HTML documents of a WARC input.
pub(crate) struct WarcReader {
    reader: Box<dyn BufRead + Send>,
    name: String,
    opts: IngestOptions,
    record: u64,
    done: bool,
}

impl WarcReader {
    pub(crate) fn new(reader: Box<dyn BufRead + Send>, name: &str, opts: &IngestOptions) -> Self {
        WarcReader {
            reader,
            name: name.to_string(),
            opts: opts.clone(),
            record: 0,
            done: false,
        }
    }
}

fn broken(e: io::Error) -> Error {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        Error::Warc("truncated record (unexpected end of data)".into())
    } else {
        Error::Warc(format!("unreadable data: {e}"))
    }
}

/// The raw header block of the next record, with its blank line; `None` at
/// the end of the input.
fn read_header_block(r: &mut dyn BufRead) -> Result<Option<Vec<u8>>, Error> {
    let mut block = Vec::new();
    let mut line = Vec::new();
    loop {
        let room = HEADER_LIMIT.saturating_sub(block.len());
        match read_line_bounded(r, &mut line, room).map_err(broken)? {
            Line::Eof if block.is_empty() => return Ok(None),
            Line::Eof => {
                return Err(Error::Warc(
                    "truncated record (end of data inside the header)".into(),
                ))
            }
            Line::TooLong(_) => {
                return Err(Error::Warc(format!(
                    "record header over {HEADER_LIMIT} bytes"
                )))
            }
            Line::Ok => {
                let blank = line.iter().all(|&b| b == b'\r');
                if blank && block.is_empty() {
                    continue; // padding between records
                }
                block.extend_from_slice(&line);
                block.push(b'\n');
                if blank {
                    return Ok(Some(block));
                }
            }
        }
    }
}

/// A record's headers: (lower-cased name, value).
struct Headers(Vec<(String, String)>);

impl Headers {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn skip(r: &mut dyn BufRead, n: u64) -> Result<(), Error> {
    let got = io::copy(&mut r.take(n), &mut io::sink()).map_err(broken)?;
    if got < n {
        return Err(Error::Warc(format!(
            "truncated record (expected {n} bytes of content, got {got})"
        )));
    }
    Ok(())
}

fn read_exact_body(r: &mut dyn BufRead, n: u64) -> Result<Vec<u8>, Error> {
    let mut body = Vec::with_capacity(n.min(1 << 20) as usize);
    r.take(n).read_to_end(&mut body).map_err(broken)?;
    if (body.len() as u64) < n {
        return Err(Error::Warc(format!(
            "truncated record (expected {n} bytes of content, got {})",
            body.len()
        )));
    }
    Ok(body)
}

fn is_html_type(ct: &str) -> bool {
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "text/html" || essence == "application/xhtml+xml"
}

/// An HTTP response split into status, headers and payload.
struct Http<'a> {
    status: u16,
    headers: Vec<(String, String)>,
    payload: &'a [u8],
}

impl Http<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn parse_http(msg: &[u8]) -> Option<Http<'_>> {
    let head_len = msg.len().min(HEADER_LIMIT);
    let (end, sep) = match (
        find(&msg[..head_len], b"\r\n\r\n"),
        find(&msg[..head_len], b"\n\n"),
    ) {
        (Some(a), Some(b)) if b < a => (b, 2),
        (Some(a), _) => (a, 4),
        (None, Some(b)) => (b, 2),
        (None, None) => (msg.len(), 0),
    };
    let head = String::from_utf8_lossy(&msg[..end]);
    let mut lines = head.lines();
    let status_line = lines.next()?;
    let mut parts = status_line.split_whitespace();
    if !parts.next()?.starts_with("HTTP/") {
        return None;
    }
    let status = parts.next()?.parse().ok()?;
    let headers = lines
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            Some((k.trim().to_ascii_lowercase(), v.trim().to_string()))
        })
        .collect();
    Some(Http {
        status,
        headers,
        payload: &msg[(end + sep).min(msg.len())..],
    })
}

/// Undoes `Transfer-Encoding: chunked`; `None` if the data is not
/// well-formed chunks.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    loop {
        let nl = data.iter().position(|&b| b == b'\n')?;
        let size_str = std::str::from_utf8(&data[..nl]).ok()?;
        let size_str = size_str.split(';').next()?.trim();
        let size = usize::from_str_radix(size_str, 16).ok()?;
        data = &data[nl + 1..];
        if size == 0 {
            return Some(out);
        }
        if data.len() < size {
            out.extend_from_slice(data);
            return Some(out);
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size..];
        data = data.strip_prefix(b"\r").unwrap_or(data);
        data = data.strip_prefix(b"\n").unwrap_or(data);
        if data.is_empty() {
            return Some(out);
        }
    }
}

/// Undoes a `Content-Encoding`, reading at most `limit` bytes of output.
fn decode_content(
    payload: Vec<u8>,
    encoding: Option<&str>,
    limit: usize,
) -> Result<Vec<u8>, Error> {
    let enc = encoding.unwrap_or("").trim().to_ascii_lowercase();
    let mut reader: Box<dyn Read> = match enc.as_str() {
        "" | "identity" => return Ok(payload),
        "gzip" | "x-gzip" => Box::new(flate2::read::MultiGzDecoder::new(io::Cursor::new(payload))),
        "deflate" => Box::new(flate2::read::ZlibDecoder::new(io::Cursor::new(payload))),
        other => {
            return Err(Error::Html(format!(
                "unsupported Content-Encoding {other:?}"
            )))
        }
    };
    crate::io::read_bounded(&mut reader, limit).map_err(|e| match e {
        Error::Io(io) => Error::Html(format!("undecodable {enc} content: {io}")),
        e => e,
    })
}

impl WarcReader {
    /// The next record: `Ok(None)` for a record that is skipped silently.
    fn next_record(&mut self, n: u64) -> Result<Option<RawDoc>, Error> {
        let Some(block) = read_header_block(&mut self.reader)? else {
            self.done = true;
            return Ok(None);
        };
        let (version_ok, headers, len) = match warc::parser::headers(&block) {
            Ok((_, (_version, hs, len))) => (
                true,
                Headers(
                    hs.into_iter()
                        .map(|(k, v)| {
                            (
                                k.to_ascii_lowercase(),
                                String::from_utf8_lossy(v).trim().to_string(),
                            )
                        })
                        .collect(),
                ),
                len as u64,
            ),
            Err(_) => (false, Headers(Vec::new()), 0),
        };
        if !version_ok {
            self.done = true;
            let start = String::from_utf8_lossy(&block[..block.len().min(40)]).into_owned();
            return Err(Error::Warc(format!(
                "malformed record header (starting {start:?})"
            )));
        }
        let kind = headers.get("warc-type").unwrap_or("").to_ascii_lowercase();
        let content_type = headers.get("content-type").unwrap_or("");
        let wanted = match kind.as_str() {
            "response" => content_type
                .to_ascii_lowercase()
                .starts_with("application/http"),
            "resource" => is_html_type(content_type),
            _ => false,
        };
        if !wanted {
            skip(&mut self.reader, len)?;
            return Ok(None);
        }
        let limit = self.opts.max_bytes;
        let cap = if kind == "response" {
            limit.saturating_add(HEADER_LIMIT) as u64
        } else {
            limit as u64
        };
        let over = len > cap;
        let body = if over {
            let head = read_exact_body(&mut self.reader, (HEADER_LIMIT as u64).min(len))?;
            skip(&mut self.reader, len - head.len() as u64)?;
            head
        } else {
            read_exact_body(&mut self.reader, len)?
        };

        let (payload, http_ct, encoding) = if kind == "response" {
            let Some(http) = parse_http(&body) else {
                return Ok(None);
            };
            let ct = http.header("content-type").unwrap_or("").to_string();
            if http.status != 200 || !is_html_type(&ct) {
                return Ok(None);
            }
            if over {
                return Err(Error::TooLarge {
                    bytes: len,
                    limit: limit as u64,
                });
            }
            let chunked = http
                .header("transfer-encoding")
                .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
            let payload = if chunked {
                dechunk(http.payload).unwrap_or_else(|| http.payload.to_vec())
            } else {
                http.payload.to_vec()
            };
            (
                payload,
                Some(ct),
                http.header("content-encoding").map(str::to_string),
            )
        } else {
            if over {
                return Err(Error::TooLarge {
                    bytes: len,
                    limit: limit as u64,
                });
            }
            (body, Some(content_type.to_string()), None)
        };
        let payload = decode_content(payload, encoding.as_deref(), limit)?;
        if payload.len() > limit {
            return Err(Error::TooLarge {
                bytes: payload.len() as u64,
                limit: limit as u64,
            });
        }
        let target = headers
            .get("warc-target-uri")
            .map(|u| u.trim_matches(['<', '>']).to_string())
            .filter(|u| !u.is_empty());
        let page_html = html::decode_html(&payload, http_ct.as_deref());
        let page = html::read_page(&page_html, true, target.as_deref())?;
        let id = headers
            .get("warc-record-id")
            .map(|i| {
                i.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            })
            .filter(|i| !i.is_empty())
            .unwrap_or_else(|| format!("{}#{n}", self.name));
        let origin = Origin {
            path: self.name.clone(),
            line: None,
            record: Some(n),
        };
        Ok(Some(page.into_raw_doc(id, origin)))
    }
}

impl Iterator for WarcReader {
    type Item = Result<RawDoc, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            self.record += 1;
            let n = self.record;
            match self.next_record(n) {
                Ok(Some(doc)) => return Some(Ok(doc)),
                Ok(None) => {}
                Err(e) => {
                    if e.is_fatal() {
                        self.done = true;
                    }
                    return Some(Err(e.with_record(n)));
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_and_chunks() {
        let msg = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
        let h = parse_http(msg).unwrap();
        assert_eq!(h.status, 200);
        assert_eq!(h.header("content-type"), Some("text/html"));
        assert_eq!(dechunk(h.payload).unwrap(), b"hello world");
    }
}
