//! Plain-text documents: decoding, the header convention, the title guess.

use sitrep_core::{Date, PublishedSource};

use crate::normalize::{
    blank_line_paragraphs, looks_hard_wrapped, looks_like_title, normalize_text, unwrap_paragraphs,
};
use crate::{Error, Origin, RawDoc};

/// How many leading bytes are checked for NUL bytes and control bytes.
const SNIFF: usize = 8 * 1024;

/// Decodes a text file's bytes: UTF-8 (a BOM is removed), or UTF-16 when
/// it starts with a UTF-16 BOM. Binary-looking input fails with
/// [`Error::Binary`], invalid UTF-8 with [`Error::InvalidUtf8`].
pub(crate) fn decode_text(bytes: &[u8]) -> Result<String, Error> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode_utf8(rest, 3);
    }
    for (bom, enc) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return enc
                .decode_without_bom_handling_and_without_replacement(rest)
                .map(|s| s.into_owned())
                .ok_or_else(|| Error::Encoding(format!("malformed {}", enc.name())));
        }
    }
    decode_utf8(bytes, 0)
}

fn decode_utf8(bytes: &[u8], base: u64) -> Result<String, Error> {
    let head = &bytes[..bytes.len().min(SNIFF)];
    if let Some(at) = head.iter().position(|&b| b == 0) {
        return Err(Error::Binary {
            nul_at: Some(base + at as u64),
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let controls = head
                .iter()
                .filter(|&&b| matches!(b, 0x01..=0x08 | 0x0E..=0x1F | 0x7F))
                .count();
            if controls * 20 > head.len() {
                return Err(Error::Binary { nul_at: None });
            }
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
            Err(Error::InvalidUtf8 {
                line,
                byte: base + at as u64,
            })
        }
    }
}

/// Metadata from a text file's header block.
#[derive(Default)]
struct Header {
    title: Option<String>,
    published: Option<Date>,
    url: Option<String>,
    id: Option<String>,
}

/// A recognised header key (lower-cased) and its value.
fn known_header(line: &str) -> Option<(String, &str)> {
    let (key, value) = header_line(line)?;
    let key = key.to_ascii_lowercase();
    matches!(key.as_str(), "title" | "published" | "date" | "url" | "id").then_some((key, value))
}

/// Any `Key: value` line (key of letters, digits, `-` and `_`).
fn header_line(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let ok = !key.is_empty()
        && key.len() <= 40
        && key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_');
    ok.then(|| (key, value.trim()))
}

/// Splits off the header block, if the text starts with one.
fn split_header(text: &str) -> Result<Option<(Header, &str)>, Error> {
    let first = text.split('\n').next().unwrap_or("");
    if known_header(first).is_none() {
        return Ok(None);
    }
    let mut header = Header::default();
    let mut published = None;
    let mut rest = text;
    loop {
        let (line, tail) = match rest.split_once('\n') {
            Some((l, t)) => (l, t),
            None => (rest, ""),
        };
        if line.trim().is_empty() {
            rest = tail;
            break;
        }
        if header_line(line).is_none() {
            // Not a header block after all: a line like "Date: Monday." in
            // running text, not followed by a blank line.
            return Ok(None);
        }
        if let Some((key, value)) = known_header(line) {
            let value = (!value.is_empty()).then(|| value.to_string());
            match key.as_str() {
                "title" => header.title = value.map(|v| collapse(&v)),
                "url" => header.url = value,
                "id" => header.id = value,
                _ => {
                    if value.is_some() {
                        published = value;
                    }
                }
            }
        }
        rest = tail;
        if tail.is_empty() {
            break;
        }
    }
    // Checked only now: a bad date in a line that turned out not to be a
    // header is running text, not an error.
    if let Some(v) = published {
        header.published = Some(v.parse::<Date>().map_err(|e| Error::Field {
            field: "published",
            problem: e.to_string(),
        })?);
    }
    Ok(Some((header, rest)))
}

/// Whitespace collapsed to single spaces, trimmed.
pub(crate) fn collapse(s: &str) -> String {
    normalize_text(s).replace('\n', " ")
}

/// Builds a document from a text file's decoded contents.
pub(crate) fn text_doc(raw: &str, id: &str, origin: Origin) -> Result<RawDoc, Error> {
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    let unified;
    let text = if raw.contains('\r') {
        unified = raw.replace("\r\n", "\n").replace('\r', "\n");
        unified.as_str()
    } else {
        raw
    };
    let mut doc = RawDoc {
        id: id.to_string(),
        title: None,
        url: None,
        published: None,
        published_source: PublishedSource::None,
        text: String::new(),
        origin,
    };
    let body = match split_header(text)? {
        Some((h, body)) => {
            doc.title = h.title;
            doc.url = h.url;
            if let Some(id) = h.id {
                doc.id = id;
            }
            if let Some(d) = h.published {
                doc.published = Some(d);
                doc.published_source = PublishedSource::Metadata;
            }
            body.to_string()
        }
        None => {
            let wrapped = looks_hard_wrapped(text);
            let body = text.trim_start_matches(|c: char| c.is_whitespace());
            let (first, rest) = body.split_once('\n').unwrap_or((body, ""));
            // In a hard-wrapped file the title must be a paragraph of its
            // own, else it is the first wrapped line of the first paragraph.
            let own_para = !wrapped || blank_line_paragraphs(body).first().map(Vec::len) == Some(1);
            if own_para && looks_like_title(first) && !normalize_text(rest).is_empty() {
                doc.title = Some(collapse(first));
                rest.to_string()
            } else {
                body.to_string()
            }
        }
    };
    doc.text = if looks_hard_wrapped(&body) {
        normalize_text(&unwrap_paragraphs(&body))
    } else {
        normalize_text(&body)
    };
    if doc.text.is_empty() {
        return Err(Error::Empty);
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin() -> Origin {
        Origin {
            path: "t.txt".into(),
            line: None,
            record: None,
        }
    }

    #[test]
    fn header_block() {
        let d = text_doc(
            "Title: Ceasefire  talks stall\nPublished: 2024-02-03\nurl: https://example.org/a\nAuthor: X\n\nFirst.\nSecond.\n",
            "t.txt",
            origin(),
        )
        .unwrap();
        assert_eq!(d.title.as_deref(), Some("Ceasefire talks stall"));
        assert_eq!(d.published, Some(Date::new(2024, 2, 3).unwrap()));
        assert_eq!(d.published_source, PublishedSource::Metadata);
        assert_eq!(d.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(d.text, "First.\nSecond.");
        let e = text_doc("Date: 3 Feb\n\nBody.", "t", origin()).unwrap_err();
        assert!(matches!(
            e,
            Error::Field {
                field: "published",
                ..
            }
        ));
    }

    #[test]
    fn not_a_header() {
        let d = text_doc("Date: Monday was quiet.\nThen it was not.", "t", origin()).unwrap();
        assert_eq!(d.title, None);
        assert_eq!(d.text, "Date: Monday was quiet.\nThen it was not.");
    }

    #[test]
    fn title_guess() {
        let d = text_doc("Shelling Resumes\nThe town was hit.\n", "t", origin()).unwrap();
        assert_eq!(d.title.as_deref(), Some("Shelling Resumes"));
        assert_eq!(d.text, "The town was hit.");
        let d = text_doc("The town was hit.\nAgain.\n", "t", origin()).unwrap();
        assert_eq!(d.title, None);
        let d = text_doc("Only a title\n", "t", origin()).unwrap();
        assert_eq!(d.title, None, "a title needs text after it");
        assert_eq!(d.text, "Only a title");
    }

    #[test]
    fn decoding() {
        assert!(matches!(
            decode_text(b"ab\0c"),
            Err(Error::Binary { nul_at: Some(2) })
        ));
        assert!(matches!(
            decode_text(b"line one\nline \xff two"),
            Err(Error::InvalidUtf8 { line: 2, byte: 14 })
        ));
        assert!(matches!(
            decode_text(b"\x01\x02\x03\x04\xff\x05\x06"),
            Err(Error::Binary { nul_at: None })
        ));
        assert_eq!(decode_text(b"\xEF\xBB\xBFhi").unwrap(), "hi");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Київ".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode_text(&utf16).unwrap(), "Київ");
    }
}
