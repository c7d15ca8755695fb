//! Helpers shared by the CLI tests: running the binary, wrapping an article
//! in every input format, validating against the JSON Schema.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `sitrep` with `args` (and optional stdin), returning its output.
pub fn sitrep(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sitrep"));
    cmd.args(args)
        .current_dir(repo_root())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("sitrep binary runs");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input).unwrap();
    }
    child.wait_with_output().unwrap()
}

/// Parses a stream of JSON values (the `json` and `jsonl` formats alike).
pub fn docs(stdout: &[u8]) -> Vec<serde_json::Value> {
    serde_json::Deserializer::from_slice(stdout)
        .into_iter::<serde_json::Value>()
        .map(|v| v.expect("valid JSON output"))
        .collect()
}

pub fn schema_validator() -> jsonschema::Validator {
    let path = repo_root().join("schema/sitrep-1.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).expect("the schema itself is valid")
}

/// Panics with every validation error when `doc` does not satisfy the schema.
pub fn assert_valid(validator: &jsonschema::Validator, doc: &serde_json::Value) {
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema violations: {errors:#?}");
}

pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A web page around the article, with navigation and footer boilerplate.
pub fn as_html(title: &str, published: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<p>{}</p>\n", html_escape(p)))
        .collect();
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{t} | Example News</title>\n\
         <meta property=\"article:published_time\" content=\"{published}T08:00:00Z\">\n</head><body>\n\
         <header><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> <a href=\"/sport\">Sport</a></nav></header>\n\
         <main><article><h1>{t}</h1>\n{body}</article></main>\n\
         <aside><h3>Most read</h3><ul><li><a href=\"/x\">Markets today</a></li></ul></aside>\n\
         <footer><p>Example News. Contact us. Privacy policy.</p></footer>\n</body></html>\n",
        t = html_escape(title)
    )
}

pub fn as_jsonl(id: &str, title: &str, published: &str, text: &str) -> String {
    serde_json::json!({"id": id, "title": title, "published": published, "text": text}).to_string()
        + "\n"
}

pub fn as_rss(title: &str, published_rfc2822: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<p>{}</p>", html_escape(p)))
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\
         <channel><title>Example</title><link>https://example.org/</link><description>d</description>\
         <item><title>{}</title><link>https://example.org/a</link><guid>a-1</guid><pubDate>{published_rfc2822}</pubDate>\
         <content:encoded><![CDATA[{body}]]></content:encoded></item></channel></rss>\n",
        html_escape(title)
    )
}

/// One WARC response record holding `html`, as Common Crawl writes them.
pub fn as_warc(url: &str, html: &str) -> Vec<u8> {
    // Record ids must be unique: number them.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let http = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\r\n{html}",
        html.len()
    );
    let mut out = Vec::new();
    let info = "software: sitrep-tests\r\n";
    out.extend_from_slice(
        format!(
            "WARC/1.0\r\nWARC-Type: warcinfo\r\nWARC-Date: 2023-10-30T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000000>\r\nContent-Type: application/warc-fields\r\nContent-Length: {}\r\n\r\n{info}\r\n\r\n",
            info.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(
        format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Date: 2023-10-30T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:11111111-2222-3333-4444-{n:012}>\r\nWARC-Target-URI: {url}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
            http.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(http.as_bytes());
    out.extend_from_slice(b"\r\n\r\n");
    out
}
