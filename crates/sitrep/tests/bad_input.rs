//! A batch mixing 1,000 good documents with every kind of bad input: every
//! good document is written, each bad input gets one error line naming it,
//! the exit code says some inputs failed, and nothing panics.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use common::*;

fn article(i: usize) -> (String, String) {
    (
        format!("Report number {i} from the front"),
        format!(
            "KYIV, Ukraine (Example Wire) — Unit {i} reported {n} drone attacks near the village of Robotyne on Tuesday.\n\
             \"We held the line,\" Sgt. O. Petrenko said. About {k} people were evacuated.",
            n = i % 37,
            k = i * 3
        ),
    )
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

#[test]
fn thousand_good_documents_survive_every_bad_input() {
    let dir = std::env::temp_dir().join(format!("sitrep-bad-input-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("nested/deeper")).unwrap();
    let mut i = 0;
    // 700 text files, some in nested directories
    for _ in 0..700 {
        let (t, b) = article(i);
        let sub = ["", "nested/", "nested/deeper/"][i % 3];
        write(&dir, &format!("{sub}art{i:04}.txt"), format!("{t}\n{b}\n"));
        i += 1;
    }
    // 100 HTML pages
    for _ in 0..100 {
        let (t, b) = article(i);
        let paragraphs: Vec<&str> = b.lines().collect();
        write(
            &dir,
            &format!("page{i:04}.html"),
            as_html(&t, "2024-02-01", &paragraphs),
        );
        i += 1;
    }
    // a JSONL file: 100 good records and one truncated line in the middle
    let mut jsonl = String::new();
    for k in 0..100 {
        let (t, b) = article(i);
        jsonl.push_str(&as_jsonl(&format!("rec{i}"), &t, "2024-02-01", &b));
        if k == 50 {
            jsonl.push_str("{\"id\": \"broken\", \"text\": \"cut off in the mid\n");
        }
        i += 1;
    }
    write(&dir, "records.jsonl", jsonl);
    // an RSS feed with 50 items
    let mut items = String::new();
    for _ in 0..50 {
        let (t, b) = article(i);
        let body: String = b
            .lines()
            .map(|p| format!("<p>{}</p>", html_escape(p)))
            .collect();
        write!(
            items,
            "<item><title>{t}</title><link>https://example.org/{i}</link><guid>item-{i}</guid>\
             <pubDate>Thu, 01 Feb 2024 08:00:00 +0000</pubDate><description><![CDATA[{body}]]></description></item>"
        )
        .unwrap();
        i += 1;
    }
    write(
        &dir,
        "feed.rss",
        format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>x</title><link>https://example.org</link><description>d</description>{items}</channel></rss>"),
    );
    // a WARC with 50 good records, then a truncated one
    let mut warc = Vec::new();
    for _ in 0..50 {
        let (t, b) = article(i);
        let paragraphs: Vec<&str> = b.lines().collect();
        warc.extend(as_warc(
            &format!("https://example.org/w{i}"),
            &as_html(&t, "2024-02-01", &paragraphs),
        ));
        i += 1;
    }
    let (t, b) = article(9999);
    let last = as_warc(
        "https://example.org/cut",
        &as_html(&t, "2024-02-01", &[b.as_str()]),
    );
    warc.extend_from_slice(&last[..last.len() * 2 / 3]);
    write(&dir, "crawl.warc", warc);
    assert_eq!(i, 1000);

    // The bad inputs.
    write(
        &dir,
        "binary.txt",
        [0x7f, b'E', b'L', b'F', 0, 0, 1, 2, 3, 0, 0xff, 0xfe],
    );
    write(
        &dir,
        "latin1.txt",
        b"Headline\nCaf\xe9 near the front \xe0 Kherson.\n",
    );
    write(&dir, "empty.txt", b"");
    write(&dir, "huge-line.txt", vec![b'a'; 100 * 1024 * 1024]);
    write(
        &dir,
        "malformed.html",
        "<html><body><div><p><<<>>></div></span><script>x</script",
    );
    write(
        &dir,
        "broken.rss",
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>x</title><item><title>y</ti",
    );

    let out = sitrep(
        &[
            "extract",
            dir.to_str().unwrap(),
            "--format",
            "jsonl",
            "--jobs",
            "2",
        ],
        None,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "a panic: {stderr}");
    assert_eq!(
        out.status.code(),
        Some(1),
        "exit code says some inputs failed; stderr: {stderr}"
    );
    let docs = docs(&out.stdout);
    assert_eq!(
        docs.len(),
        1000,
        "every good document is written; stderr: {stderr}"
    );
    let ids: std::collections::HashSet<&str> =
        docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 1000, "ids are unique");

    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("sitrep: error:"))
        .collect();
    let expect = [
        ("binary.txt", "binary"),
        ("latin1.txt", "UTF-8"),
        ("empty.txt", "empty"),
        ("huge-line.txt", "limit"),
        ("malformed.html", "readable"),
        ("records.jsonl", "line 52"),
        ("broken.rss", "feed"),
        ("crawl.warc", "record 102"),
    ];
    for (file, problem) in expect {
        let hits: Vec<&&str> = errors.iter().filter(|l| l.contains(file)).collect();
        assert_eq!(
            hits.len(),
            1,
            "one error line for {file}; all errors:\n{}",
            errors.join("\n")
        );
        assert!(
            hits[0].to_lowercase().contains(&problem.to_lowercase()),
            "error for {file} should mention {problem:?}: {}",
            hits[0]
        );
    }
    assert_eq!(
        errors.len(),
        expect.len(),
        "no other errors:\n{}",
        errors.join("\n")
    );

    // --fail-fast stops at the first bad input with the same exit code.
    let out = sitrep(
        &[
            "extract",
            dir.join("binary.txt").to_str().unwrap(),
            dir.join("art0000.txt").to_str().unwrap(),
            "--fail-fast",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        docs_of(&out.stdout).is_empty(),
        "nothing after the first failure"
    );
    std::fs::remove_dir_all(&dir).ok();
}

fn docs_of(stdout: &[u8]) -> Vec<serde_json::Value> {
    docs(stdout)
}

#[test]
fn usage_errors_exit_2_and_missing_files_exit_1() {
    let out = sitrep(&["extract", "--published", "30/10/2023", "x.txt"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ISO date"));
    let out = sitrep(&["extract", "/nonexistent/sitrep-test-file.txt"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/sitrep-test-file.txt"));
    let out = sitrep(&["frobnicate"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn stdin_is_read_and_sniffed() {
    let html = as_html(
        "Shelling in Kherson",
        "2024-03-01",
        &[
            "KHERSON, Ukraine — Shelling hit the city centre on Friday.",
            "Two people were hurt.",
        ],
    );
    let out = sitrep(&["extract", "-"], Some(html.as_bytes()));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d = docs(&out.stdout);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0]["title"], "Shelling in Kherson");
    assert_eq!(d[0]["published_source"], "html-meta");
    assert_eq!(d[0]["sentences"].as_array().unwrap().len(), 2);
}

/// A gazetteer that does not open is a fatal error naming the file, said
/// once, and nothing is written.
#[test]
fn unusable_gazetteer_is_one_clear_fatal_error() {
    let out = sitrep(
        &[
            "extract",
            "examples/articles/odesa-port-drones.txt",
            "--gazetteer",
            "/nonexistent/gazetteer",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("/nonexistent/gazetteer/meta.json"),
        "{stderr}"
    );
}
