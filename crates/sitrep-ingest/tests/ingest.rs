//! Reading every input format, good and bad, from fixtures.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use sitrep_core::{Date, PublishedSource};
use sitrep_ingest::{
    detect_format, expand_inputs, read_path, read_reader, Error, IngestOptions, InputFormat, RawDoc,
};

const TITLE: &str = "Floodwaters Rise Behind Damaged Dam Near Riverside Villages";
const URL: &str = "https://courier.example/2023/11/14/kestrel-dam-flood";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

fn split(results: impl Iterator<Item = Result<RawDoc, Error>>) -> (Vec<RawDoc>, Vec<Error>) {
    let mut docs = Vec::new();
    let mut errs = Vec::new();
    for r in results {
        match r {
            Ok(d) => docs.push(d),
            Err(e) => errs.push(e),
        }
    }
    (docs, errs)
}

fn read_fixture(name: &str) -> (Vec<RawDoc>, Vec<Error>) {
    split(read_path(&fixture(name), &IngestOptions::default()))
}

fn bytes_opts(format: InputFormat, max_bytes: usize) -> IngestOptions {
    IngestOptions {
        format,
        max_bytes,
        ..IngestOptions::default()
    }
}

fn tmp_dir(test: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("sitrep-ingest-{test}"));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

// ---- WARC building ----

/// One WARC record, by hand.
fn warc_record(kind: &str, id: &str, extra: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut r = Vec::new();
    write!(
        r,
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nWARC-Date: 2023-11-14T10:00:00Z\r\n"
    )
    .unwrap();
    for (k, v) in extra {
        write!(r, "{k}: {v}\r\n").unwrap();
    }
    write!(r, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
    r.extend_from_slice(body);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn http_response(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "HTTP/1.1 {status}\r\nServer: test\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r
}

/// A crawl's worth of records around the article page: warcinfo, request,
/// a 404 page, an image, the article, metadata, a second HTML page.
fn warc_records() -> Vec<Vec<u8>> {
    let html = fixture_bytes("article.html");
    let resp = |s: &str, ct: &str, b: &[u8]| http_response(s, ct, b);
    let http = [("Content-Type", "application/http; msgtype=response")];
    let with_uri = |uri: &'static str| {
        vec![
            ("Content-Type", "application/http; msgtype=response"),
            ("WARC-Target-URI", uri),
        ]
    };
    vec![
        warc_record(
            "warcinfo",
            "00000000-0000-0000-0000-000000000001",
            &[("Content-Type", "application/warc-fields")],
            b"software: test\r\n",
        ),
        warc_record(
            "request",
            "00000000-0000-0000-0000-000000000002",
            &[("Content-Type", "application/http; msgtype=request")],
            b"GET /2023/11/14/kestrel-dam-flood HTTP/1.1\r\nHost: courier.example\r\n\r\n",
        ),
        warc_record(
            "response",
            "00000000-0000-0000-0000-000000000003",
            &with_uri("https://courier.example/missing"),
            &resp(
                "404 Not Found",
                "text/html",
                b"<html><body><p>Not found</p></body></html>",
            ),
        ),
        warc_record(
            "response",
            "00000000-0000-0000-0000-000000000004",
            &http,
            &resp("200 OK", "image/png", b"\x89PNG\r\n\x1a\n\0\0\0"),
        ),
        warc_record(
            "response",
            "00000000-0000-0000-0000-000000000005",
            &with_uri("https://courier.example/2023/11/14/kestrel-dam-flood?utm=x"),
            &resp("200 OK", "text/html; charset=utf-8", &html),
        ),
        warc_record(
            "metadata",
            "00000000-0000-0000-0000-000000000006",
            &[("Content-Type", "application/warc-fields")],
            b"fetchTimeMs: 120\r\n",
        ),
        warc_record(
            "resource",
            "00000000-0000-0000-0000-000000000007",
            &[
                ("Content-Type", "text/html"),
                ("WARC-Target-URI", "file:///notes.html"),
            ],
            b"<html><body><p>A short note kept as a resource record.</p></body></html>",
        ),
    ]
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

fn warc_plain() -> Vec<u8> {
    warc_records().concat()
}

fn warc_gz() -> Vec<u8> {
    warc_records()
        .iter()
        .map(|r| gzip(r))
        .collect::<Vec<_>>()
        .concat()
}

fn read_bytes(name: &str, bytes: Vec<u8>, opts: &IngestOptions) -> (Vec<RawDoc>, Vec<Error>) {
    split(read_reader(name, Cursor::new(bytes), opts))
}

// ---- the same article in every format ----

fn assert_article(d: &RawDoc, reference: &RawDoc, what: &str) {
    assert_eq!(d.text, reference.text, "{what}: text differs");
    assert_eq!(d.title.as_deref(), Some(TITLE), "{what}: title");
}

#[test]
fn same_article_in_every_format_gives_identical_text() {
    let (txt, errs) = read_fixture("article.txt");
    assert!(errs.is_empty(), "{errs:?}");
    let reference = &txt[0];
    assert_eq!(reference.title.as_deref(), Some(TITLE));
    assert_eq!(reference.published, Some(Date::new(2023, 11, 14).unwrap()));
    assert_eq!(reference.published_source, PublishedSource::Metadata);
    assert_eq!(reference.url.as_deref(), Some(URL));
    assert_eq!(
        reference.text.lines().count(),
        6,
        "six paragraphs, unwrapped"
    );
    assert!(reference.text.starts_with("Residents of three villages"));
    assert!(!reference.text.contains("\n\n") && !reference.text.contains("  "));

    let (html, errs) = read_fixture("article.html");
    assert!(errs.is_empty(), "{errs:?}");
    assert_article(&html[0], reference, "html");
    assert_eq!(html[0].published, reference.published);
    assert_eq!(html[0].published_source, PublishedSource::HtmlMeta);
    assert_eq!(html[0].url.as_deref(), Some(URL), "canonical link");
    for boiler in ["Most read", "Politics", "All rights reserved", "newsletter"] {
        assert!(
            !html[0].text.contains(boiler),
            "boilerplate {boiler:?} kept"
        );
    }

    let (jsonl, errs) = read_fixture("article.jsonl");
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(jsonl.len(), 2);
    assert_article(&jsonl[0], reference, "jsonl text");
    assert_eq!(jsonl[0].id, "courier-2023-11-14-dam");
    assert_eq!(jsonl[0].published_source, PublishedSource::Metadata);
    assert_eq!(jsonl[0].origin.line, Some(1));
    assert_article(&jsonl[1], reference, "jsonl html");
    assert_eq!(jsonl[1].id, "42", "a number id");

    let (rss, errs) = read_fixture("article.rss");
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(rss.len(), 2);
    assert_article(&rss[0], reference, "rss");
    assert_eq!(rss[0].id, "courier-2023-11-14-dam");
    assert_eq!(rss[0].url.as_deref(), Some(URL));
    assert_eq!(rss[0].published, reference.published);
    assert_eq!(rss[0].published_source, PublishedSource::Metadata);
    assert_eq!(
        rss[1].id, "https://courier.example/2023/11/13/bridge",
        "no guid: the link"
    );
    assert_eq!(
        rss[1].text,
        "Repairs to the road bridge at Verkhnie will not finish before March, the contractor said."
    );

    let (atom, errs) = read_fixture("article.atom");
    assert!(errs.is_empty(), "{errs:?}");
    assert_article(&atom[0], reference, "atom");
    assert_eq!(atom[0].id, "urn:courier:2023-11-14-dam");
    assert_eq!(atom[0].published, reference.published);

    for (name, bytes) in [("crawl.warc", warc_plain()), ("crawl.warc.gz", warc_gz())] {
        let (warc, errs) = read_bytes(name, bytes, &IngestOptions::default());
        assert!(errs.is_empty(), "{name}: {errs:?}");
        assert_eq!(warc.len(), 2, "{name}: the article and the resource record");
        assert_article(&warc[0], reference, name);
        assert_eq!(warc[0].id, "urn:uuid:00000000-0000-0000-0000-000000000005");
        assert_eq!(
            warc[0].url.as_deref(),
            Some(URL),
            "canonical beats target URI"
        );
        assert_eq!(warc[0].origin.record, Some(5));
        assert_eq!(warc[0].published_source, PublishedSource::HtmlMeta);
        assert_eq!(warc[1].text, "A short note kept as a resource record.");
        assert_eq!(
            warc[1].url.as_deref(),
            Some("file:///notes.html"),
            "target URI"
        );
    }
}

#[test]
fn formats_are_sniffed_without_extensions() {
    let reference = read_fixture("article.txt").0.remove(0);
    for (fixture_name, expect) in [
        ("article.txt", InputFormat::Text),
        ("article.html", InputFormat::Html),
        ("article.jsonl", InputFormat::Jsonl),
        ("article.rss", InputFormat::Rss),
        ("article.atom", InputFormat::Rss),
    ] {
        let bytes = fixture_bytes(fixture_name);
        assert_eq!(detect_format(None, &bytes), expect, "{fixture_name}");
        let (docs, errs) = read_bytes("-", bytes, &IngestOptions::default());
        assert!(errs.is_empty(), "{fixture_name}: {errs:?}");
        assert_eq!(docs[0].text, reference.text, "{fixture_name} via sniffing");
    }
    for bytes in [warc_plain(), warc_gz()] {
        assert_eq!(detect_format(None, &bytes), InputFormat::Warc);
        let (docs, errs) = read_bytes("-", bytes, &IngestOptions::default());
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(docs[0].text, reference.text);
    }
    assert_eq!(
        detect_format(Some(Path::new("a.warc.gz")), b""),
        InputFormat::Warc
    );
    assert_eq!(
        detect_format(Some(Path::new("A.HTM")), b""),
        InputFormat::Html
    );
    assert_eq!(
        detect_format(Some(Path::new("a.ndjson")), b""),
        InputFormat::Jsonl
    );
    assert_eq!(
        detect_format(Some(Path::new("a.md")), b"<p>"),
        InputFormat::Text
    );
    assert_eq!(
        detect_format(None, b"\xEF\xBB\xBF  <!DOCTYPE HTML>"),
        InputFormat::Html
    );
    assert_eq!(
        detect_format(None, b"<?xml version='1.0'?><html/>"),
        InputFormat::Html
    );
    assert_eq!(detect_format(None, b"<rdf:RDF>"), InputFormat::Rss);
    assert_eq!(detect_format(None, b"Plain words"), InputFormat::Text);
    assert_eq!("RSS".parse::<InputFormat>().unwrap(), InputFormat::Rss);
    assert_eq!("warc".parse::<InputFormat>().unwrap(), InputFormat::Warc);
    let e = "pdf".parse::<InputFormat>().unwrap_err();
    assert!(
        e.to_string().contains("unknown input format \"pdf\""),
        "{e}"
    );
}

#[test]
fn text_without_header_takes_its_first_line_as_title() {
    let (docs, errs) = read_fixture("noheader.txt");
    assert!(errs.is_empty());
    let d = &docs[0];
    assert_eq!(
        d.title.as_deref(),
        Some("Evacuation Trains Added As Front Line Nears 'Within Days'")
    );
    assert!(d.text.starts_with("Ukrainian Railways said"));
    assert_eq!(
        d.text.lines().count(),
        3,
        "single-newline lines stay paragraphs"
    );
    assert_eq!(d.id, fixture("noheader.txt").display().to_string());
    assert_eq!(d.published, None);
    assert_eq!(d.published_source, PublishedSource::None);
}

#[test]
fn default_published_and_into_doc() {
    let opts = IngestOptions {
        default_published: Some(Date::new(2024, 1, 2).unwrap()),
        ..IngestOptions::default()
    };
    let d = read_path(&fixture("noheader.txt"), &opts)
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(d.published, Some(Date::new(2024, 1, 2).unwrap()));
    assert_eq!(d.published_source, PublishedSource::Argument);
    let d = read_path(&fixture("article.txt"), &opts)
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(
        d.published_source,
        PublishedSource::Metadata,
        "the input's own date wins"
    );
    let text = d.text.clone();
    let doc = d.into_doc();
    assert_eq!(doc.text(), text);
    assert_eq!(doc.title.as_deref(), Some(TITLE));
    assert_eq!(doc.url.as_deref(), Some(URL));
    assert_eq!(doc.published_source, PublishedSource::Metadata);
}

#[test]
fn windows_1251_page_is_decoded() {
    let (docs, errs) = read_fixture("cp1251.html");
    assert!(errs.is_empty(), "{errs:?}");
    let d = &docs[0];
    assert_eq!(
        d.title.as_deref(),
        Some("Обстріл Херсона: пошкоджено лікарню")
    );
    assert!(
        d.text
            .starts_with("Уночі російські війська обстріляли Херсон"),
        "{}",
        d.text
    );
    assert_eq!(d.text.lines().count(), 3);
    assert_eq!(d.published, Some(Date::new(2023, 11, 20).unwrap()));
    // The same bytes with the charset only in the HTTP header of a WARC record.
    let page = fixture_bytes("cp1251.html");
    let stripped: Vec<u8> = {
        let needle = b"; charset=windows-1251";
        let i = page
            .windows(needle.len())
            .position(|w| w == needle)
            .unwrap();
        [&page[..i], &page[i + needle.len()..]].concat()
    };
    let rec = warc_record(
        "response",
        "00000000-0000-0000-0000-0000000000aa",
        &[("Content-Type", "application/http; msgtype=response")],
        &http_response("200 OK", "text/html; charset=windows-1251", &stripped),
    );
    let (docs, errs) = read_bytes("x.warc", rec, &IngestOptions::default());
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(docs[0].text, d.text);
}

// ---- bad inputs ----

fn only_error(name: &str) -> Error {
    let (docs, mut errs) = read_fixture(name);
    assert!(docs.is_empty(), "{name}: {docs:?}");
    assert_eq!(errs.len(), 1, "{name}: {errs:?}");
    errs.remove(0)
}

#[test]
fn binary_invalid_empty_and_malformed_inputs_are_errors() {
    let e = only_error("binary.bin");
    assert!(
        matches!(e.cause(), Error::Binary { nul_at: Some(5) }),
        "{e:?}"
    );
    assert!(e
        .to_string()
        .ends_with("binary.bin: binary file (NUL byte at offset 5), skipped"));
    assert!(e.path().unwrap().ends_with("binary.bin"));
    assert!(!e.is_fatal());

    let e = only_error("invalid-utf8.txt");
    assert!(
        matches!(e.cause(), Error::InvalidUtf8 { line: 3, byte: 83 }),
        "{e:?}"
    );
    assert!(e
        .to_string()
        .contains("invalid UTF-8 at line 3 (byte offset 83)"));

    let e = only_error("empty.txt");
    assert!(matches!(e.cause(), Error::Empty), "{e:?}");
    assert!(e.to_string().ends_with("empty.txt: empty document"));

    let e = only_error("malformed.html");
    assert!(matches!(e.cause(), Error::NoContent), "{e:?}");
    assert!(e
        .to_string()
        .ends_with("malformed.html: no readable content"));

    let e = only_error("does-not-exist.txt");
    assert!(e.is_io() && e.is_fatal(), "{e:?}");
}

#[test]
fn bad_jsonl_lines_are_errors_and_good_lines_are_kept() {
    let (docs, errs) = read_fixture("mixed.jsonl");
    let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["a1", "3", "a7"]);
    assert_eq!(docs[1].published, Some(Date::new(2023, 12, 4).unwrap()));
    let lines: Vec<u64> = errs.iter().map(|e| e.line().unwrap()).collect();
    assert_eq!(lines, [2, 5, 6, 7]);
    let msg = errs[0].to_string();
    assert!(
        msg.ends_with(
            "mixed.jsonl: line 2: invalid JSON: EOF while parsing a string at column 116"
        ),
        "{msg}"
    );
    assert!(matches!(
        errs[1].cause(),
        Error::Field {
            field: "published",
            ..
        }
    ));
    assert!(matches!(
        errs[2].cause(),
        Error::Field { field: "text", .. }
    ));
    assert!(errs.iter().all(|e| !e.is_fatal()));
}

#[test]
fn jsonl_line_over_the_limit_is_skipped_without_reading_it() {
    let good = r#"{"id": "g", "text": "A good short record."}"#;
    let huge = format!(r#"{{"id": "h", "text": "{}"}}"#, "x".repeat(5_000));
    let input = format!("{good}\n{huge}\n{good}\n");
    let (docs, errs) = read_bytes(
        "big.jsonl",
        input.into_bytes(),
        &bytes_opts(InputFormat::Auto, 1_000),
    );
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[1].origin.line, Some(3));
    assert_eq!(errs.len(), 1);
    assert_eq!(
        errs[0].to_string(),
        format!(
            "big.jsonl: line 2 is {} bytes, over the limit of 1000",
            huge.len()
        )
    );
}

#[test]
fn huge_documents_fail_fast() {
    let dir = tmp_dir("huge");
    let path = dir.join("huge.txt");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(100 * 1024 * 1024).unwrap(); // sparse: 100 MB, costs nothing
    let t = std::time::Instant::now();
    let e = read_path(&path, &IngestOptions::default())
        .next()
        .unwrap()
        .unwrap_err();
    assert!(t.elapsed().as_millis() < 500, "found by stat");
    assert!(matches!(
        e.cause(),
        Error::TooLarge {
            bytes: 104_857_600,
            limit: 10_485_760
        }
    ));
    assert!(e
        .to_string()
        .ends_with("document is 104857600 bytes, over the limit of 10485760"));
    std::fs::remove_file(&path).unwrap();

    // From a stream: read to the limit, the rest drained without keeping it.
    let stream = std::io::repeat(b'a').take(30 * 1024 * 1024);
    let e = read_reader("-", stream, &bytes_opts(InputFormat::Text, 1024 * 1024))
        .next()
        .unwrap()
        .unwrap_err();
    assert!(
        matches!(
            e.cause(),
            Error::TooLarge {
                bytes: 31_457_280,
                ..
            }
        ),
        "{e:?}"
    );

    // A huge single JSONL line.
    let stream =
        Cursor::new(b"{\"text\": \"".to_vec()).chain(std::io::repeat(b'a').take(20 * 1024 * 1024));
    let (docs, errs) = split(read_reader(
        "x.jsonl",
        stream,
        &bytes_opts(InputFormat::Auto, 1024 * 1024),
    ));
    assert!(docs.is_empty());
    assert!(
        matches!(errs[0].cause(), Error::LineTooLarge { line: 1, .. }),
        "{errs:?}"
    );

    // A WARC record over the limit is an error; the records after it are read.
    let big_page = format!("<html><body><p>{}</p></body></html>", "word ".repeat(2_000));
    let recs = [
        warc_record(
            "response",
            "00000000-0000-0000-0000-0000000000b1",
            &[("Content-Type", "application/http; msgtype=response")],
            &http_response("200 OK", "text/html", big_page.as_bytes()),
        ),
        warc_records()[4].clone(),
    ]
    .concat();
    let (docs, errs) = read_bytes("x.warc", recs, &bytes_opts(InputFormat::Auto, 5_000));
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(matches!(errs[0].cause(), Error::TooLarge { .. }));
    assert_eq!(errs[0].record(), Some(1));
    assert!(!errs[0].is_fatal());
    assert_eq!(docs.len(), 1);
}

#[test]
fn broken_feed_is_one_error_naming_the_file() {
    let e = only_error("broken.rss");
    assert!(matches!(e.cause(), Error::Feed(_)), "{e:?}");
    assert!(e.to_string().contains("broken.rss: broken feed: "), "{e}");
    assert!(e.is_fatal());
}

#[test]
fn truncated_warc_keeps_the_records_before_the_break() {
    let recs = warc_records();
    // Plain: cut in the middle of the article record's content.
    let mut plain = recs[..4].concat();
    let article = &recs[4];
    plain.extend_from_slice(&article[..article.len() / 2]);
    // A good record first, so there is something to keep.
    let plain = [recs[6].clone(), plain].concat();
    let (docs, errs) = read_bytes("cut.warc", plain, &IngestOptions::default());
    assert_eq!(docs.len(), 1, "the resource record before the break");
    assert_eq!(errs.len(), 1, "{errs:?}");
    let e = &errs[0];
    assert_eq!(e.record(), Some(6));
    assert!(e.is_fatal());
    assert!(
        e.to_string()
            .starts_with("cut.warc: record 6: broken WARC: truncated record"),
        "{e}"
    );

    // Gzipped: the article's gzip member cut short after good members.
    let mut gz: Vec<u8> = [&recs[6], &recs[4]]
        .iter()
        .map(|r| gzip(r))
        .collect::<Vec<_>>()
        .concat();
    let tail = gzip(&recs[4]);
    gz.extend_from_slice(&tail[..tail.len() / 2]);
    let (docs, errs) = read_bytes("cut.warc.gz", gz, &IngestOptions::default());
    assert_eq!(docs.len(), 2);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].record(), Some(3));
    assert!(errs[0].is_fatal());

    // Garbage where a record header should be.
    let junk = [
        recs[6].clone(),
        b"this is not a WARC header\r\n\r\n".to_vec(),
    ]
    .concat();
    let (docs, errs) = read_bytes("junk.warc", junk, &IngestOptions::default());
    assert_eq!(docs.len(), 1);
    assert!(
        errs[0]
            .to_string()
            .contains("record 2: broken WARC: malformed record header"),
        "{}",
        errs[0]
    );
}

#[test]
fn warc_written_by_the_warc_crate_is_read() {
    use warc::{RecordBuilder, RecordType, WarcHeader, WarcWriter};
    let html = fixture_bytes("article.html");
    let rec = RecordBuilder::default()
        .warc_type(RecordType::Response)
        .header(WarcHeader::TargetURI, "https://courier.example/x")
        .header(
            WarcHeader::ContentType,
            "application/http; msgtype=response",
        )
        .body(http_response("200 OK", "text/html", &html))
        .build()
        .unwrap();
    let mut w = WarcWriter::new(std::io::BufWriter::new(Vec::new()));
    w.write(&rec).unwrap();
    let bytes = w.into_inner().unwrap();
    let (docs, errs) = read_bytes("w.warc", bytes, &IngestOptions::default());
    assert!(errs.is_empty(), "{errs:?}");
    let reference = read_fixture("article.txt").0.remove(0);
    assert_eq!(docs[0].text, reference.text);
    assert!(docs[0].id.starts_with("urn:uuid:"), "{}", docs[0].id);
}

#[test]
fn expand_inputs_walks_directories_in_order() {
    let dir = tmp_dir("expand");
    for p in [
        "b.txt",
        "a.txt",
        "sub/c.html",
        ".hidden.txt",
        ".git/config",
        "sub/.x/d.txt",
    ] {
        let p = dir.join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, "x").unwrap();
    }
    let inputs = [
        dir.clone(),
        PathBuf::from("-"),
        dir.join("missing.txt"),
        dir.join(".hidden.txt"),
    ];
    let got: Vec<Result<PathBuf, Error>> = expand_inputs(&inputs).collect();
    let shown: Vec<String> = got
        .iter()
        .map(|r| match r {
            Ok(p) => p
                .strip_prefix(&dir)
                .map(|p| p.display().to_string())
                .unwrap_or_else(|_| p.display().to_string()),
            Err(e) => format!("error: {}", e.cause()),
        })
        .collect();
    assert_eq!(shown[..4], ["a.txt", "b.txt", "sub/c.html", "-"]);
    assert!(shown[4].starts_with("error: No such file"), "{shown:?}");
    assert_eq!(
        shown[5], ".hidden.txt",
        "a hidden file named explicitly is read"
    );
    assert_eq!(shown.len(), 6);
    assert!(got[4]
        .as_ref()
        .unwrap_err()
        .path()
        .unwrap()
        .ends_with("missing.txt"));
}

// ---- robustness ----

/// xorshift64*: deterministic pseudo-random bytes without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[test]
fn no_input_makes_a_reader_panic() {
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    let mut fixtures: Vec<Vec<u8>> = std::fs::read_dir(fixture(""))
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    fixtures.push(warc_plain());
    fixtures.push(warc_gz());
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    for f in &fixtures {
        // truncations
        for i in 0..12 {
            inputs.push(f[..f.len() * i / 12].to_vec());
        }
        inputs.push(f[..rng.below(f.len())].to_vec());
        // byte flips and splices
        for _ in 0..4 {
            let mut g = f.clone();
            for _ in 0..1 + rng.below(8) {
                if !g.is_empty() {
                    let i = rng.below(g.len());
                    g[i] = rng.next() as u8;
                }
            }
            inputs.push(g);
        }
        let mut g = f.clone();
        if !g.is_empty() {
            let at = rng.below(g.len());
            g.splice(at..at, [0xff, 0x00, b'<', b'{', b'\n', b'\r']);
        }
        inputs.push(g);
    }
    // random bytes, and random bytes behind each format's magic
    for prefix in [
        &b""[..],
        b"WARC/1.0\r\n",
        b"\x1f\x8b",
        b"<?xml version=\"1.0\"?><rss version=\"2.0\">",
        b"{\"text\":",
        b"<html>",
    ] {
        for _ in 0..6 {
            let n = rng.below(3000);
            let mut v = prefix.to_vec();
            v.extend((0..n).map(|_| rng.next() as u8));
            inputs.push(v);
        }
    }
    let formats = [
        InputFormat::Auto,
        InputFormat::Text,
        InputFormat::Html,
        InputFormat::Jsonl,
        InputFormat::Rss,
        InputFormat::Warc,
    ];
    let mut docs = 0usize;
    for input in &inputs {
        for format in formats {
            for r in read_reader(
                "fuzz",
                Cursor::new(input.clone()),
                &bytes_opts(format, 1 << 20),
            ) {
                match r {
                    Ok(d) => {
                        docs += 1;
                        assert_eq!(sitrep_ingest::normalize_text(&d.text), d.text, "canonical");
                        assert!(!d.text.is_empty());
                    }
                    Err(e) => {
                        assert_eq!(e.path(), Some("fuzz"));
                        let _ = e.to_string();
                    }
                }
            }
        }
    }
    assert!(docs > 0);
}
