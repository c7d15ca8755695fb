//! `sitrep serve` end to end: a real server on loopback over a store built
//! from a generated corpus. Every endpoint's answer is checked against the
//! schemas of docs/openapi.json; hostile requests (huge bodies, bad
//! parameters, SQL metacharacters, path traversal, missing or wrong ingest
//! tokens, floods) get 4xx answers and change nothing.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{repo_root, sitrep};
use serde_json::Value;

/// A running server, stopped when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    dir: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Builds a store from the examples and a generated corpus and starts a
/// server on it with `extra` arguments.
fn start(name: &str, extra: &[&str], envs: &[(&str, &str)]) -> Server {
    let dir = std::env::temp_dir().join(format!("sitrep-server-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let out = Command::new("python3")
        .arg(repo_root().join("scripts/make-store-corpus.py"))
        .arg(dir.join("corpus"))
        .args(["--stories", "40", "--seed", "5"])
        .output()
        .expect("python3 runs the corpus generator");
    assert!(out.status.success());
    let db = dir.join("store.db");
    for input in [
        repo_root().join("examples"),
        dir.join("corpus/corpus.jsonl"),
    ] {
        let out = sitrep(
            &[
                "ingest",
                input.to_str().unwrap(),
                "--db",
                db.to_str().unwrap(),
                "--quiet",
            ],
            None,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    serve(dir, &db, extra, envs)
}

fn serve(dir: PathBuf, db: &Path, extra: &[&str], envs: &[(&str, &str)]) -> Server {
    let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sitrep"));
    cmd.args([
        "serve",
        "--db",
        db.to_str().unwrap(),
        "--addr",
        &addr.to_string(),
    ])
    .args(extra)
    .current_dir(repo_root())
    .env_remove("SITREP_INGEST_TOKEN")
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let child = cmd.spawn().expect("sitrep serve starts");
    let server = Server { child, addr, dir };
    let t0 = Instant::now();
    while TcpStream::connect(addr).is_err() {
        assert!(
            t0.elapsed() < Duration::from_secs(30),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

/// A response: status, headers (lower-case names) and body.
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body[..self.body.len().min(300)])
            )
        })
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request over a fresh connection; `raw_target` is sent as
/// written (so traversal and odd bytes reach the server unchanged).
fn request(
    server: &Server,
    method: &str,
    raw_target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Response {
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut head = format!(
        "{method} {raw_target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
        server.addr
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) before reading a huge body.
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .expect("a status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&b[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
}

fn get(server: &Server, target: &str) -> Response {
    request(server, "GET", target, &[], b"")
}

/// A validator for one schema of docs/openapi.json's components.
fn validator(schema: &str) -> jsonschema::Validator {
    let spec: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("docs/openapi.json")).unwrap(),
    )
    .unwrap();
    let root = serde_json::json!({
        "$ref": format!("#/components/schemas/{schema}"),
        "components": spec["components"],
    });
    jsonschema::validator_for(&root).expect("the OpenAPI schemas are valid JSON Schema")
}

/// GETs `target`, expects 200 and a body of `schema`; returns the body.
fn check(server: &Server, target: &str, schema: &str) -> Value {
    let r = get(server, target);
    assert_eq!(
        r.status,
        200,
        "{target}: {}",
        String::from_utf8_lossy(&r.body)
    );
    let body = r.json();
    let errors: Vec<String> = validator(schema)
        .iter_errors(&body)
        .take(10)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{target} does not match {schema}: {errors:#?}"
    );
    body
}

#[test]
fn every_endpoint_answers_as_its_openapi_schema_says() {
    let server = start("schema", &["--rate-limit", "0"], &[]);
    // The description itself, served by the server, is the file.
    let spec = get(&server, "/api/openapi.json");
    assert_eq!(spec.status, 200);
    let spec = spec.json();
    assert_eq!(spec["openapi"], "3.1.0");
    let paths: Vec<&str> = spec["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();

    let health = check(&server, "/api/health", "Health");
    assert!(health["events"].as_u64().unwrap() > 0);
    assert_eq!(health["ingest"], false);
    check(&server, "/api/counts", "Counts");
    let events = check(&server, "/api/events?limit=50&sort=sources", "EventPage");
    let rows = events["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 50);
    assert!(events["total"].as_u64().unwrap() > 50);
    let placed = rows
        .iter()
        .find(|e| e["lat"].is_number())
        .expect("a placed event");
    let (lat, lon) = (
        placed["lat"].as_f64().unwrap(),
        placed["lon"].as_f64().unwrap(),
    );
    let near = check(
        &server,
        &format!("/api/events?near={lat},{lon}&km=20&limit=1000"),
        "EventPage",
    );
    assert!(near["rows"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["id"] == placed["id"]));
    check(&server, "/api/events?from=2025-01-01&to=2025-12-31&cameo=19&country=UA&originals=true&sort=date-asc", "EventPage");
    check(
        &server,
        "/api/events?bbox=20,40,45,55&plover=ASSAULT&modality=reported&q=drones",
        "EventPage",
    );
    let timeline = check(&server, "/api/events/timeline?cameo=19", "Timeline");
    assert!(!timeline["days"].as_array().unwrap().is_empty());
    let grid = check(&server, "/api/events/grid?cell=5", "Grid");
    let cells = grid["cells"].as_array().unwrap();
    let total: i64 = cells.iter().map(|c| c["count"].as_i64().unwrap()).sum();
    let all_placed = check(
        &server,
        "/api/events?limit=1&bbox=-180,-90,180,90",
        "EventPage",
    );
    assert_eq!(
        total as u64,
        all_placed["total"].as_u64().unwrap(),
        "the grid holds every placed event once"
    );

    let clusters = check(&server, "/api/clusters?limit=5", "ClusterPage");
    let id = clusters["rows"][0]["id"].as_i64().unwrap();
    let detail = check(&server, &format!("/api/clusters/{id}"), "ClusterDetail");
    let sources = detail["sources"].as_array().unwrap().len() as i64;
    assert_eq!(sources, detail["cluster"]["num_sources"].as_i64().unwrap());
    assert_eq!(
        detail["mentions"].as_array().unwrap().len() as i64,
        detail["cluster"]["num_mentions"].as_i64().unwrap()
    );

    let articles = check(&server, "/api/articles?limit=3&q=drones", "ArticlePage");
    let aid = articles["rows"][0]["id"].as_i64().unwrap();
    let article = check(&server, &format!("/api/articles/{aid}"), "ArticleDetail");
    let doc = &article["document"];
    common::assert_valid(&common::schema_validator(), doc);
    assert_eq!(
        article["event_clusters"].as_array().unwrap().len(),
        doc["events"].as_array().unwrap().len()
    );
    // Every event of the document is stored, each with its own id.
    let ids: std::collections::BTreeSet<i64> = article["event_clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["event"].as_i64().expect("a stored event"))
        .collect();
    assert_eq!(ids.len(), doc["events"].as_array().unwrap().len());
    check(&server, "/api/places?limit=5&country=UA", "PlacePage");
    let quotes = check(&server, "/api/quotes?limit=5", "QuotePage");
    let speaker = quotes["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|q| q["speaker_canonical"].as_str())
        .unwrap()
        .to_string();
    let theirs = check(
        &server,
        &format!("/api/quotes?speaker={}", speaker.replace(' ', "%20")),
        "QuotePage",
    );
    assert!(theirs["total"].as_u64().unwrap() >= 1);
    check(&server, "/api/claims?kind=killed&limit=5", "ClaimPage");
    let disputes = check(&server, "/api/disputes", "Disputes");
    assert!(
        !disputes["counts"].as_array().unwrap().is_empty()
            || !disputes["control"].as_array().unwrap().is_empty()
    );
    check(&server, "/api/search?q=drones&limit=3", "SearchResult");

    // Exports download with their media types; GeoJSON parses.
    for (format, media) in [
        ("gdelt-events", "text/tab-separated-values"),
        ("acled", "text/csv"),
        ("geojson", "application/geo+json"),
        ("geojson-places", "application/geo+json"),
        ("plover", "application/x-ndjson"),
    ] {
        let r = get(&server, &format!("/api/export/{format}?cameo=19"));
        assert_eq!(r.status, 200, "{format}");
        assert!(
            r.header("content-type").unwrap().starts_with(media),
            "{format}"
        );
        assert!(r
            .header("content-disposition")
            .unwrap()
            .contains("attachment"));
        assert!(!r.body.is_empty());
        if format.starts_with("geojson") {
            assert_eq!(r.json()["type"], "FeatureCollection");
        }
    }
    // Every documented GET path was exercised above.
    for p in paths {
        assert!(
            [
                "/api/health",
                "/api/counts",
                "/api/events",
                "/api/events/timeline",
                "/api/events/grid",
                "/api/clusters",
                "/api/clusters/{id}",
                "/api/articles",
                "/api/articles/{id}",
                "/api/places",
                "/api/quotes",
                "/api/claims",
                "/api/disputes",
                "/api/search",
                "/api/export/{format}",
                "/api/ingest",
                "/api/openapi.json",
            ]
            .contains(&p),
            "an undocumented-by-test path {p}"
        );
    }
}

#[test]
fn hostile_requests_get_4xx_and_change_nothing() {
    let server = start(
        "hostile",
        &["--rate-limit", "0", "--max-body", "65536"],
        &[],
    );
    let before = get(&server, "/api/counts").json();
    let error = |r: &Response, status: u16| {
        assert_eq!(r.status, status, "{}", String::from_utf8_lossy(&r.body));
        let body = r.json();
        assert_eq!(body["error"]["status"], status);
        assert!(body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
        let errors: Vec<String> = validator("Error")
            .iter_errors(&body)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        body
    };
    // Bad parameters are named.
    for (target, param) in [
        ("/api/events?from=2025-02-30", "from"),
        ("/api/events?limit=100000", "limit"),
        ("/api/events?limit=-1", "limit"),
        ("/api/events?bbox=1,2,3", "bbox"),
        ("/api/events?near=91,0", "near"),
        ("/api/events?km=5", "km"),
        ("/api/events?cameo=19%27%20OR%201=1", "cameo"),
        ("/api/events?sort=random()", "sort"),
        ("/api/events?country=UKRAINE", "country"),
        ("/api/events?modality=maybe", "modality"),
        ("/api/events?originals=perhaps", "originals"),
        ("/api/events?unknown=1", "unknown"),
        ("/api/events?limit=1&limit=2", "limit"),
        ("/api/clusters/0", "id"),
        ("/api/clusters/abc", "id"),
        ("/api/articles/1%20OR%201=1", "id"),
        ("/api/disputes?kind=all%3B", "kind"),
        ("/api/events/grid?cell=0", "cell"),
    ] {
        let body = error(&get(&server, target), 400);
        assert_eq!(body["error"]["parameter"], param, "{target}");
    }
    let long = "x".repeat(600);
    error(&get(&server, &format!("/api/search?q={long}")), 400);
    error(&get(&server, "/api/search"), 400);
    error(&get(&server, "/api/clusters/999999999"), 404);
    error(&get(&server, "/api/export/passwd"), 404);
    error(&get(&server, "/api/nowhere"), 404);
    // SQL metacharacters are data: answered, never executed.
    for q in [
        "%27%3B%20DROP%20TABLE%20events%3B%20--",
        "%22unbalanced",
        "Robert%27)%3B%20DELETE%20FROM%20articles%3B--",
        "%25",
        "_",
    ] {
        for target in [
            format!("/api/events?actor={q}"),
            format!("/api/events?q={q}"),
            format!("/api/quotes?speaker={q}"),
            format!("/api/claims?about={q}"),
            format!("/api/search?q={q}"),
            format!("/api/places?name={q}"),
            format!("/api/articles?q={q}"),
        ] {
            let r = get(&server, &target);
            assert_eq!(
                r.status,
                200,
                "{target}: {}",
                String::from_utf8_lossy(&r.body)
            );
        }
    }
    // Path traversal on static files reaches no file.
    for target in [
        "/../Cargo.toml",
        "/..%2f..%2fCargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/vendor/../../Cargo.toml",
        "//etc/passwd",
        "/.git/config",
        "/index.html/..",
    ] {
        let r = get(&server, target);
        assert!((400..500).contains(&r.status), "{target}: {}", r.status);
        assert!(
            !String::from_utf8_lossy(&r.body).contains("[workspace]"),
            "{target}"
        );
    }
    // Writes: ingest is off without a token; huge bodies are refused.
    let doc = br#"{"id": "x1", "text": "Drones struck Odesa overnight, the governor said."}"#;
    error(
        &request(
            &server,
            "POST",
            "/api/ingest",
            &[("Content-Type", "application/x-ndjson")],
            doc,
        ),
        403,
    );
    let huge = vec![b'a'; 200_000];
    let r = request(&server, "POST", "/api/ingest", &[], &huge);
    assert_eq!(r.status, 413);
    let r = request(
        &server,
        "GET",
        "/api/events",
        &[("Content-Type", "text/plain")],
        &huge,
    );
    assert_eq!(r.status, 413);
    error(&request(&server, "DELETE", "/api/events", &[], b""), 405);
    error(&request(&server, "PUT", "/index.html", &[], b"x"), 405);
    // The page's security headers.
    let r = get(&server, "/api/health");
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert!(r
        .header("content-security-policy")
        .unwrap()
        .contains("default-src 'self'"));

    assert_eq!(
        get(&server, "/api/counts").json(),
        before,
        "hostile requests changed the store"
    );
}

#[test]
fn ingest_needs_its_token_and_floods_are_limited() {
    let token = "a-long-test-token-0123456789";
    let server = start(
        "ingest",
        &["--rate-limit", "20"],
        &[("SITREP_INGEST_TOKEN", token)],
    );
    let before = get(&server, "/api/counts").json();
    let docs = concat!(
        "{\"id\": \"http-1\", \"url\": \"https://example.org/a\", \"published\": \"2025-05-04\", \"text\": \"Drones struck the port of Odesa overnight, killing two people, the regional governor said on Sunday.\"}\n",
        "{\"id\": \"http-2\", \"text\": 42}\n",
    );
    let ndjson = [("Content-Type", "application/x-ndjson")];
    for (auth, status) in [
        (None, 401),
        (Some("Bearer wrong-token-wrong-token"), 401),
        (Some("Basic abc"), 401),
    ] {
        let mut h = ndjson.to_vec();
        if let Some(a) = auth {
            h.push(("Authorization", a));
        }
        let r = request(&server, "POST", "/api/ingest", &h, docs.as_bytes());
        assert_eq!(r.status, status);
    }
    assert_eq!(get(&server, "/api/counts").json(), before);
    let bearer = format!("Bearer {token}");
    let mut h = ndjson.to_vec();
    h.push(("Authorization", bearer.as_str()));
    let r = request(&server, "POST", "/api/ingest", &h, docs.as_bytes());
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let report = r.json();
    assert!(validator("IngestReport").is_valid(&report), "{report}");
    assert_eq!(report["added"], 1);
    assert_eq!(report["failed"], 1);
    assert!(
        report["errors"][0].as_str().unwrap().contains("line 2"),
        "{report}"
    );
    // Again: idempotent.
    let r = request(&server, "POST", "/api/ingest", &h, docs.as_bytes());
    assert_eq!(r.json()["already_stored"], 1);
    let after = get(&server, "/api/counts").json();
    assert_eq!(
        after["articles"].as_u64(),
        before["articles"].as_u64().map(|n| n + 1)
    );
    let mut wrong_type = h.clone();
    wrong_type[0] = ("Content-Type", "application/x-www-form-urlencoded");
    assert_eq!(
        request(&server, "POST", "/api/ingest", &wrong_type, b"a=b").status,
        415
    );

    // A flood from one address meets 429 with a JSON error.
    let statuses: Vec<u16> = (0..120)
        .map(|_| get(&server, "/api/health").status)
        .collect();
    assert!(statuses.contains(&429), "no request was limited");
    let limited = (0..50)
        .map(|_| get(&server, "/api/health"))
        .find(|r| r.status == 429)
        .expect("still limited");
    assert_eq!(limited.json()["error"]["status"], 429);
}

#[test]
fn a_short_token_and_a_missing_store_are_refused_at_start() {
    let dir = std::env::temp_dir().join(format!("sitrep-server-{}-start", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let missing = dir.join("absent.db");
    let out = sitrep(
        &[
            "serve",
            "--db",
            missing.to_str().unwrap(),
            "--addr",
            "127.0.0.1:1",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("absent.db"));
    let db = dir.join("store.db");
    let input = repo_root().join("examples/articles");
    assert!(sitrep(
        &[
            "ingest",
            input.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
            "--quiet"
        ],
        None
    )
    .status
    .success());
    let out = sitrep(
        &[
            "serve",
            "--db",
            db.to_str().unwrap(),
            "--ingest-token",
            "short",
            "--addr",
            "127.0.0.1:1",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("16 characters"));
    let _ = std::fs::remove_dir_all(&dir);
}
