//! `sitrep ingest` end to end on a generated corpus of stories, copies and
//! rewrites (scripts/make-store-corpus.py): idempotent re-ingest, a kill -9
//! mid-ingest that a re-run completes to the same store, duplicate groups
//! scored against the corpus labels, and NumSources counting copies once.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{repo_root, sitrep};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sitrep-store-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes the labelled corpus; returns (corpus.jsonl, labels.tsv).
fn corpus(dir: &Path, stories: usize) -> (PathBuf, PathBuf) {
    let out = Command::new("python3")
        .arg(repo_root().join("scripts/make-store-corpus.py"))
        .arg(dir)
        .args(["--stories", &stories.to_string(), "--seed", "3"])
        .output()
        .expect("python3 runs scripts/make-store-corpus.py");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (dir.join("corpus.jsonl"), dir.join("labels.tsv"))
}

fn ingest(corpus: &Path, db: &Path) -> serde_json::Value {
    ingest_with(corpus, db, &[])
}

fn ingest_with(corpus: &Path, db: &Path, extra: &[&str]) -> serde_json::Value {
    let mut all = vec![
        "ingest",
        corpus.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--json",
        "--quiet",
    ];
    all.extend_from_slice(extra);
    let out = sitrep(&all, None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("ingest --json prints its summary")
}

fn query(db: &Path, what: &str) -> String {
    let out = sitrep(&["query", what, "--db", db.to_str().unwrap()], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn articles_in(db: &Path) -> u64 {
    // The writer holds the WAL; a reader sees the last committed batch.
    sitrep_store::Store::open_read_only(db)
        .and_then(|s| s.counts())
        .map(|c| c.articles)
        .unwrap_or(0)
}

#[test]
fn reingest_adds_nothing_and_a_killed_ingest_completes_to_the_same_store() {
    let dir = scratch("kill");
    let (corpus, _) = corpus(&dir, 120);
    let total = std::fs::read_to_string(&corpus).unwrap().lines().count() as u64;

    let clean = dir.join("clean.db");
    let first = ingest(&corpus, &clean);
    assert_eq!(first["added"], total);
    let again = ingest(&corpus, &clean);
    assert_eq!(again["added"], 0);
    assert_eq!(again["already_stored"], total);
    assert_eq!(
        again["store"], first["store"],
        "re-ingest changed the store"
    );

    // Small batches, one thread: slow enough to be killed half-way. Should a
    // run finish before the first batch is seen, try again on a fresh store.
    let killed = dir.join("killed.db");
    let mut killed_mid_run = None;
    for _attempt in 0..5 {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", killed.display()));
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_sitrep"))
            .args([
                "ingest",
                corpus.to_str().unwrap(),
                "--db",
                killed.to_str().unwrap(),
            ])
            .args(["--batch", "2", "--jobs", "1", "--quiet"])
            .current_dir(repo_root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        let mut at_kill = 0;
        while started.elapsed() < Duration::from_secs(120) {
            at_kill = articles_in(&killed);
            if at_kill >= total / 4 || child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        child.kill().unwrap(); // SIGKILL: no clean-up runs.
        let status = child.wait().unwrap();
        if !status.success() && at_kill >= total / 4 && at_kill < total {
            killed_mid_run = Some(at_kill);
            break;
        }
    }
    let at_kill = killed_mid_run.expect("an ingest killed half-way in five attempts");
    eprintln!("killed with {at_kill} of {total} articles committed");

    let rerun = ingest(&corpus, &killed);
    assert!(rerun["already_stored"].as_u64().unwrap() >= at_kill);
    assert_eq!(
        rerun["store"], first["store"],
        "kill -9 and a re-run differ from a clean run"
    );
    assert_eq!(query(&killed, "duplicates"), query(&clean, "duplicates"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn copies_and_rewrites_are_grouped_and_counted_as_one_source() {
    let dir = scratch("dupes");
    let (corpus, labels) = corpus(&dir, 60);
    let db = dir.join("store.db");
    ingest(&corpus, &db);

    let mut gold: HashMap<String, (String, String)> = HashMap::new();
    for line in std::fs::read_to_string(&labels).unwrap().lines() {
        if line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        gold.insert(cols[0].into(), (cols[1].into(), cols[2].into()));
    }
    let pairs = |groups: Vec<Vec<String>>| -> BTreeSet<(String, String)> {
        let mut out = BTreeSet::new();
        for g in groups {
            for (i, a) in g.iter().enumerate() {
                for b in &g[i + 1..] {
                    out.insert(if a < b {
                        (a.clone(), b.clone())
                    } else {
                        (b.clone(), a.clone())
                    });
                }
            }
        }
        out
    };
    let mut by_group: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (doc, (group, _)) in &gold {
        by_group.entry(group).or_default().push(doc.clone());
    }
    let gold_pairs = pairs(by_group.into_values().collect());
    let predicted = pairs(
        query(&db, "duplicates")
            .lines()
            .map(|l| l.split('\t').map(String::from).collect())
            .collect(),
    );
    let tp = gold_pairs.intersection(&predicted).count() as f64;
    let (p, r) = (tp / predicted.len() as f64, tp / gold_pairs.len() as f64);
    assert!(
        p >= 0.95 && r >= 0.95,
        "duplicate pairs: precision {p:.3}, recall {r:.3}"
    );

    // An event told by a wire story, its copies and independent reports:
    // its cluster counts each duplicate group once.
    let store = sitrep_store::Store::open_read_only(&db).unwrap();
    let rows: Vec<(i64, i64, i64)> = store
        .conn()
        .query(
            "SELECT c.num_articles, c.num_sources, count(DISTINCT a.dup_group)
             FROM clusters c JOIN events e ON e.cluster_id = c.id JOIN articles a ON a.id = e.article_id
             GROUP BY c.id, c.num_articles, c.num_sources HAVING c.num_articles >= 4",
            &[],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|(_, sources, groups)| sources == groups));
    assert!(
        rows.iter().any(|(articles, sources, _)| sources < articles),
        "copies were counted as sources: {rows:?}"
    );

    // An independent report's own toll or count against the wire story's,
    // side by side; never a copy against its own story.
    let disputes = store.disputed_counts(1000).unwrap();
    let story = |doc: &str| doc.split('-').next().unwrap().to_string();
    let group_of = |doc: &str| gold[doc].0.clone();
    assert!(disputes
        .iter()
        .all(|d| group_of(&d.a.doc_id) != group_of(&d.b.doc_id)));
    assert!(
        disputes
            .iter()
            .any(|d| story(&d.a.doc_id) == story(&d.b.doc_id)),
        "no dispute between a story and an independent report of its event"
    );
    let listed = query(&db, "disputes");
    assert!(
        listed.lines().count() > 0 && listed.contains("\tvs\t"),
        "{listed}"
    );

    // "X captured P" against the other side's "repelled an attack on P":
    // listed side by side, each between a story and a report of its event,
    // never between two copies of one story.
    let control = store.disputed_control(1000).unwrap();
    assert!(
        !control.is_empty(),
        "no conflicting control claims were found"
    );
    for d in &control {
        assert_ne!(group_of(&d.a.doc_id), group_of(&d.b.doc_id), "{d:?}");
        let kinds = [d.a.control.as_str(), d.b.control.as_str()];
        assert!(kinds.contains(&"taken") && kinds.contains(&"held"), "{d:?}");
    }
    let same_event = control
        .iter()
        .filter(|d| gold[&d.a.doc_id].1 == gold[&d.b.doc_id].1)
        .count();
    assert!(
        same_event * 10 >= control.len() * 9,
        "{same_event} of {} control disputes are about one event",
        control.len()
    );
    assert!(
        listed.lines().any(|l| l.starts_with("control\t")),
        "{listed}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_missing_store_and_a_bad_query_are_clear_errors() {
    let dir = scratch("errors");
    let db = dir.join("absent.db");
    let out = sitrep(&["search", "drones", "--db", db.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("absent.db") && err.contains("no store"),
        "{err}"
    );

    let (corpus, _) = corpus(&dir, 5);
    let db = dir.join("store.db");
    ingest(&corpus, &db);
    // FTS5 syntax errors fall back to a phrase search instead of failing;
    // SQL metacharacters are data.
    for q in [
        "\"unbalanced",
        "drones AND",
        "'; DROP TABLE articles; --",
        "NEAR(",
    ] {
        let out = sitrep(&["search", q, "--db", db.to_str().unwrap()], None);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{q}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(query(&db, "counts").contains("\"articles\":"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_records_are_reported_and_skipped_and_good_ones_stored() {
    let dir = scratch("bad");
    let input = dir.join("mixed.jsonl");
    std::fs::write(
        &input,
        concat!(
            "{\"id\": \"a\", \"text\": \"Drones struck Odesa overnight, the governor said.\"}\n",
            "{\"id\": \"b\", \"text\": 42}\n",
            "not json at all\n",
            "{\"id\": \"c\", \"text\": \"Shelling hit a market in Kharkiv on Monday.\"}\n",
        ),
    )
    .unwrap();
    let db = dir.join("store.db");
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
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("mixed.jsonl: line 2") && err.contains("mixed.jsonl: line 3"),
        "{err}"
    );
    assert!(err.contains("2 added") && err.contains("2 failed"), "{err}");
    assert!(query(&db, "counts").contains("\"articles\":2"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_store_exports_with_filters_and_the_exports_read_back() {
    let dir = scratch("export");
    let (corpus, _) = corpus(&dir, 40);
    let db = dir.join("store.db");
    ingest(&corpus, &db);
    let export = |args: &[&str]| -> String {
        let mut all = vec!["export"];
        all.extend_from_slice(args);
        all.extend(["--db", db.to_str().unwrap()]);
        let out = sitrep(&all, None);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };

    // GeoJSON: one FeatureCollection of Points inside the world.
    let fc: serde_json::Value = serde_json::from_str(&export(&["geojson"])).unwrap();
    assert_eq!(fc["type"], "FeatureCollection");
    let features = fc["features"].as_array().unwrap();
    assert!(!features.is_empty());
    for f in features {
        assert_eq!(f["type"], "Feature");
        assert_eq!(f["geometry"]["type"], "Point");
        let c = f["geometry"]["coordinates"].as_array().unwrap();
        let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        assert!((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat));
        assert!(f["properties"]["cameo"].is_string() && f["properties"]["by"].is_string());
    }

    // GDELT rows keep their 61 columns; filters only ever remove rows, and
    // a filtered row is the same row.
    let all = export(&["gdelt-events"]);
    for line in all.lines() {
        assert_eq!(line.split('\t').count(), 61);
    }
    let all_rows: BTreeSet<&str> = all.lines().collect();
    let fights = export(&["gdelt-events", "--code", "19"]);
    assert!(!fights.is_empty() && fights.lines().count() < all_rows.len());
    for line in fights.lines() {
        assert!(all_rows.contains(line));
        assert!(line.split('\t').nth(26).unwrap().starts_with("19"));
    }
    let originals = export(&["gdelt-events", "--originals"]);
    assert!(originals.lines().count() < all_rows.len());
    // Sudan's bounding box holds only Sudanese places.
    let boxed = export(&["geojson", "--bbox", "21.8,8.6,38.6,22.3"]);
    let boxed: serde_json::Value = serde_json::from_str(&boxed).unwrap();
    for f in boxed["features"].as_array().unwrap() {
        assert_eq!(f["properties"]["country"], "SD", "{f}");
    }
    let dated = export(&["plover", "--from", "2025-03-01", "--to", "2025-03-31"]);
    for line in dated.lines() {
        let r: serde_json::Value = serde_json::from_str(line).unwrap();
        let d = r["date"]
            .as_str()
            .or(r["event_date"].as_str())
            .unwrap_or("");
        assert!(d.is_empty() || d.starts_with("2025-03"), "{r}");
    }
    // ACLED CSV through a CSV reader: every record has the header's
    // columns, quoted fields and all.
    let acled = export(&["acled"]);
    let mut reader = csv::Reader::from_reader(acled.as_bytes());
    let header = reader.headers().unwrap().len();
    assert!(header > 5);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(!records.is_empty());
    assert!(records.iter().all(|r| r.len() == header));
    // GDELT Mentions (16 columns) and GKG rows keep their shapes.
    for line in export(&["gdelt-mentions"]).lines() {
        assert_eq!(line.split('\t').count(), 16, "{line}");
    }
    let gkg = export(&["gkg", "--header"]);
    let columns = gkg.lines().next().unwrap().split('\t').count();
    assert!(gkg.lines().count() > 1);
    assert!(gkg.lines().all(|l| l.split('\t').count() == columns));
    // Places as GeoJSON: one Point per gazetteer entry, counted.
    let places: serde_json::Value = serde_json::from_str(&export(&["geojson-places"])).unwrap();
    assert_eq!(places["type"], "FeatureCollection");
    let features = places["features"].as_array().unwrap();
    assert!(!features.is_empty());
    let mut ids = BTreeSet::new();
    for f in features {
        assert_eq!(f["geometry"]["type"], "Point");
        assert!(ids.insert(f["id"].as_str().unwrap().to_string()), "{f}");
        let p = &f["properties"];
        assert!(p["mentions"].as_u64().unwrap() >= p["documents"].as_u64().unwrap());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `sitrep query …` with `--db` and `--json`, its JSON lines parsed.
fn query_json(db: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["query"];
    all.extend_from_slice(args);
    all.extend(["--db", db.to_str().unwrap(), "--json", "--limit", "1000"]);
    let out = sitrep(&all, None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    common::docs(&out.stdout)
}

#[test]
fn the_analysts_questions_are_answered_from_the_store() {
    let dir = scratch("questions");
    let (corpus, _) = corpus(&dir, 40);
    let db = dir.join("store.db");
    ingest(&corpus, &db);

    // Events near a place in a period: every one is within the radius and
    // the dates, and the filter narrows the whole set.
    let all = query_json(&db, &["events"]);
    assert!(all.len() > 20);
    let places = query_json(&db, &["places"]);
    let top = places[0]["name"].as_str().unwrap().to_string();
    let (lat0, lon0) = (
        places[0]["lat"].as_f64().unwrap(),
        places[0]["lon"].as_f64().unwrap(),
    );
    let near = query_json(&db, &["events", "--near", &top, "--km", "25"]);
    assert!(!near.is_empty() && near.len() < all.len(), "{top}");
    for e in &near {
        let (lat, lon) = (e["lat"].as_f64().unwrap(), e["lon"].as_f64().unwrap());
        let dy = (lat - lat0) * 111.2;
        let dx = (lon - lon0) * 111.2 * lat0.to_radians().cos();
        assert!((dx * dx + dy * dy).sqrt() <= 25.5, "{e}");
    }
    let dated = query_json(
        &db,
        &["events", "--from", "2025-03-01", "--to", "2025-05-31"],
    );
    assert!(!dated.is_empty());
    for e in &dated {
        let d = e["date"].as_str().unwrap();
        assert!(("2025-03-01".."2025-06-01").contains(&d), "{e}");
    }
    let fights = query_json(&db, &["events", "--code", "19", "--sort", "sources"]);
    assert!(fights
        .iter()
        .all(|e| e["cameo"].as_str().unwrap().starts_with("19")));
    let sources: Vec<i64> = fights
        .iter()
        .map(|e| e["num_sources"].as_i64().unwrap_or(0))
        .collect();
    assert!(sources.windows(2).all(|w| w[0] >= w[1]), "{sources:?}");

    // What a person said: every quote is theirs.
    let quotes = query_json(&db, &["quotes"]);
    let speaker = quotes
        .iter()
        .find_map(|q| q["speaker_canonical"].as_str())
        .expect("some quote has a speaker")
        .to_string();
    let surname = speaker.rsplit(' ').next().unwrap().to_string();
    let theirs = query_json(&db, &["quotes", "--speaker", &surname]);
    assert!(!theirs.is_empty());
    for q in &theirs {
        let who = format!("{} {}", q["speaker_canonical"], q["speaker"]);
        assert!(who.to_lowercase().contains(&surname.to_lowercase()), "{q}");
    }

    // Claims about a subject and of a kind.
    let killed = query_json(&db, &["claims", "--kind", "killed"]);
    assert!(!killed.is_empty());
    assert!(killed.iter().all(|c| c["kind"] == "killed"));
    let about = query_json(&db, &["claims", "--about", &top]);
    assert!(about
        .iter()
        .all(|c| c["sentence"].as_str().unwrap_or("").contains(&top)
            || c["text"].as_str().unwrap_or("").contains(&top)));

    // Values are data, never SQL; bad values are clear errors.
    for hostile in ["'; DROP TABLE events; --", "%", "_", "\\"] {
        let rows = query_json(&db, &["events", "--actor", hostile]);
        assert!(rows.len() <= all.len());
        query_json(&db, &["quotes", "--speaker", hostile]);
        query_json(&db, &["claims", "--about", hostile]);
    }
    assert_eq!(query_json(&db, &["events"]).len(), all.len());
    for bad in [
        vec!["events", "--near", "Nowhere-at-all-xyz"],
        vec!["events", "--code", "19; DROP"],
        vec!["events", "--bbox", "1,2,3"],
        vec!["events", "--from", "2025-13-01"],
    ] {
        let mut args = vec!["query"];
        args.extend(bad.iter().copied());
        args.extend(["--db", db.to_str().unwrap()]);
        let out = sitrep(&args, None);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(!out.stderr.is_empty());
    }
    // The table form has a header and a row per result.
    let table = String::from_utf8(
        sitrep(
            &[
                "query",
                "events",
                "--limit",
                "3",
                "--db",
                db.to_str().unwrap(),
            ],
            None,
        )
        .stdout,
    )
    .unwrap();
    assert!(
        table.starts_with("date") && table.lines().count() == 4,
        "{table}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn parquet_and_gdelt_exports_of_the_store_read_back() {
    use parquet::file::reader::{FileReader, SerializedFileReader};

    let dir = scratch("parquet");
    let (corpus, _) = corpus(&dir, 30);
    let db = dir.join("store.db");
    ingest(&corpus, &db);
    let store = sitrep_store::Store::open_read_only(&db).unwrap();
    let counts = store.counts().unwrap();

    let out_dir = dir.join("pq");
    let out = sitrep(
        &[
            "export",
            "parquet",
            "--db",
            db.to_str().unwrap(),
            "--output",
            out_dir.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read = |name: &str| {
        let file = std::fs::File::open(out_dir.join(name)).unwrap();
        SerializedFileReader::new(file).expect("a Parquet file")
    };
    let docs = read("documents.parquet");
    assert_eq!(
        docs.metadata().file_metadata().num_rows() as u64,
        counts.articles
    );
    let events = read("events.parquet");
    assert_eq!(
        events.metadata().file_metadata().num_rows() as u64,
        counts.events
    );
    // The columns are the documented ones, in order.
    let names: Vec<String> = events
        .metadata()
        .file_metadata()
        .schema_descr()
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    let schema = sitrep::columnar::events_schema();
    let expected: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    assert_eq!(names, expected);
    // Every row reads back, the cluster ids among them.
    let mut clustered = 0;
    for row in events.get_row_iter(None).unwrap() {
        let row = row.unwrap();
        for (name, field) in row.get_column_iter() {
            if name == "cluster_id" && !matches!(field, parquet::record::Field::Null) {
                clustered += 1;
            }
        }
    }
    assert!(clustered > 0);

    // Parquet needs a directory; to stdout it is a clear error.
    let out = sitrep(&["export", "parquet", "--db", db.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--output"));

    // GDELT from the store: one Event row per cluster with its counts, a
    // Mentions row per mention pointing at it.
    let events_tsv = String::from_utf8(
        sitrep(
            &["export", "gdelt-events", "--db", db.to_str().unwrap()],
            None,
        )
        .stdout,
    )
    .unwrap();
    assert_eq!(events_tsv.lines().count() as u64, counts.clusters);
    let clusters: std::collections::HashMap<String, Vec<String>> = events_tsv
        .lines()
        .map(|l| {
            let cols: Vec<String> = l.split('\t').map(String::from).collect();
            (cols[0].clone(), cols)
        })
        .collect();
    let mentions = String::from_utf8(
        sitrep(
            &["export", "gdelt-mentions", "--db", db.to_str().unwrap()],
            None,
        )
        .stdout,
    )
    .unwrap();
    assert_eq!(mentions.lines().count() as u64, counts.events);
    let mut per_event: std::collections::HashMap<&str, i64> = Default::default();
    for l in mentions.lines() {
        *per_event.entry(l.split('\t').next().unwrap()).or_default() += 1;
    }
    for (id, n) in per_event {
        let row = &clusters[id];
        assert_eq!(row[31].parse::<i64>().unwrap(), n, "NumMentions of {id}");
        assert!(row[32].parse::<i64>().unwrap() <= row[33].parse::<i64>().unwrap());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_in_memory_event_index_answers_as_the_sql_queries_do() {
    use sitrep_store::event_index::EventIndex;
    use sitrep_store::query::{EventFilter, EventSort, Near};

    let dir = scratch("index");
    let (corpus, _) = corpus(&dir, 50);
    let db = dir.join("store.db");
    ingest(&corpus, &db);
    let store = sitrep_store::Store::open_read_only(&db).unwrap();
    let mut index = EventIndex::default();
    assert!(index.refresh(&store).unwrap());
    assert!(!index.refresh(&store).unwrap(), "nothing new");
    let all = store
        .events(&EventFilter::default(), EventSort::DateDesc, 1, 0)
        .unwrap();
    assert_eq!(index.len() as u64, all.total);

    let some_event = &store
        .events(&EventFilter::default(), EventSort::DateDesc, 1, 7)
        .unwrap()
        .rows[0];
    let placed = &store
        .events(
            &EventFilter {
                bbox: Some([-180.0, -90.0, 180.0, 90.0]),
                ..Default::default()
            },
            EventSort::DateDesc,
            1,
            3,
        )
        .unwrap()
        .rows[0];
    let filters = vec![
        EventFilter::default(),
        EventFilter {
            from: Some("2025-03-01".into()),
            to: Some("2025-06-30".into()),
            ..Default::default()
        },
        EventFilter {
            bbox: Some([22.0, 44.0, 41.0, 53.0]),
            ..Default::default()
        },
        EventFilter {
            near: Some(Near {
                lat: placed.lat.unwrap(),
                lon: placed.lon.unwrap(),
                km: 40.0,
            }),
            ..Default::default()
        },
        EventFilter {
            countries: vec!["UA".into(), "UKR".into()],
            cameo: Some("19".into()),
            ..Default::default()
        },
        EventFilter {
            actor: Some("RUS".into()),
            ..Default::default()
        },
        EventFilter {
            actor: Some("forces".into()),
            ..Default::default()
        },
        EventFilter {
            plover: Some("assault".into()),
            ..Default::default()
        },
        EventFilter {
            plover: Some("OTHER".into()),
            ..Default::default()
        },
        EventFilter {
            acled: Some("battles".into()),
            ..Default::default()
        },
        EventFilter {
            source: Some("SITREPWIRE.example".into()),
            originals: true,
            ..Default::default()
        },
        EventFilter {
            text: Some("drones".into()),
            modality: Some("reported".into()),
            ..Default::default()
        },
        EventFilter {
            text: Some("\"unbalanced".into()),
            ..Default::default()
        },
        EventFilter {
            cluster: some_event.cluster,
            ..Default::default()
        },
        EventFilter {
            article: Some(some_event.article),
            ..Default::default()
        },
    ];
    let mut nonempty = 0;
    for f in &filters {
        let sql = store.events(f, EventSort::DateDesc, 10_000, 0).unwrap();
        let mem = index
            .page(&store, f, EventSort::DateDesc, 10_000, 0)
            .unwrap();
        assert_eq!(sql.total, mem.total, "{f:?}");
        nonempty += usize::from(mem.total > 0 && mem.total < all.total);
        let ids = |p: &sitrep_store::query::Page<sitrep_store::query::EventRow>| -> Vec<i64> {
            p.rows.iter().map(|r| r.id).collect()
        };
        assert_eq!(ids(&sql), ids(&mem), "{f:?}");
        // Pages of the index are slices of its whole order.
        let page = index.page(&store, f, EventSort::DateDesc, 7, 3).unwrap();
        assert_eq!(
            ids(&page),
            ids(&mem).into_iter().skip(3).take(7).collect::<Vec<_>>()
        );
        // The timeline and the grid count the same events.
        let per_day: i64 = index
            .timeline(&store, f)
            .unwrap()
            .iter()
            .map(|d| d.count)
            .sum();
        let sql_day: i64 = store
            .event_timeline(f)
            .unwrap()
            .iter()
            .map(|d| d.count)
            .sum();
        assert_eq!(per_day, sql_day, "{f:?}");
        let cells: i64 = index
            .grid(&store, f, 2.0, 100_000)
            .unwrap()
            .iter()
            .map(|c| c.count)
            .sum();
        let sql_cells: i64 = store
            .event_grid(f, 2.0, 100_000)
            .unwrap()
            .iter()
            .map(|c| c.count)
            .sum();
        assert_eq!(cells, sql_cells, "{f:?}");
    }
    assert!(
        nonempty >= 10,
        "only {nonempty} filters select a proper subset"
    );

    // Another ingest meanwhile: a refresh reads just what is new, once.
    let more = scratch("index-more");
    let out = Command::new("python3")
        .arg(repo_root().join("scripts/make-store-corpus.py"))
        .arg(&more)
        .args(["--stories", "10", "--seed", "9"])
        .output()
        .expect("python3 runs the corpus generator");
    assert!(out.status.success());
    ingest(&more.join("corpus.jsonl"), &db);
    assert!(index.refresh(&store).unwrap());
    let total = store
        .events(&EventFilter::default(), EventSort::DateDesc, 1, 0)
        .unwrap()
        .total;
    assert_eq!(index.len() as u64, total);
    let sql = store
        .events(&filters[4], EventSort::DateDesc, 10_000, 0)
        .unwrap();
    let mem = index
        .page(&store, &filters[4], EventSort::DateDesc, 10_000, 0)
        .unwrap();
    assert_eq!(
        sql.rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        mem.rows.iter().map(|r| r.id).collect::<Vec<_>>()
    );
    let _ = std::fs::remove_dir_all(&more);
    let _ = std::fs::remove_dir_all(&dir);
}

/// What a store answers, table by table, as JSON lines: the cross-article
/// decisions (duplicates, clusters, each event's cluster) and the rows.
fn store_answers(db: &Path) -> Vec<(String, Vec<serde_json::Value>)> {
    [
        "clusters",
        "duplicates",
        "events",
        "quotes",
        "claims",
        "places",
        "disputes",
    ]
    .iter()
    .map(|what| {
        let mut all = vec!["query", what];
        all.extend(["--db", db.to_str().unwrap(), "--json", "--limit", "100000"]);
        let out = sitrep(&all, None);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        (what.to_string(), common::docs(&out.stdout))
    })
    .collect()
}

fn assert_same_answers(a: &Path, b: &Path) {
    let (a, b) = (store_answers(a), store_answers(b));
    for ((what, x), (_, y)) in a.iter().zip(&b) {
        assert!(!x.is_empty(), "{what}: no rows to compare");
        assert_eq!(x.len(), y.len(), "{what}: row counts differ");
        for (i, (r, s)) in x.iter().zip(y).enumerate() {
            assert_eq!(r, s, "{what}: row {i} differs");
        }
    }
}

#[test]
fn the_store_does_not_depend_on_the_batch_size() {
    let dir = scratch("batches");
    let (corpus, _) = corpus(&dir, 40);
    let (whole, small) = (dir.join("whole.db"), dir.join("small.db"));
    ingest(&corpus, &whole);
    ingest_with(&corpus, &small, &["--batch", "3"]);
    // Clusters are updated per mention, so a batch of 3 decides as a batch
    // of 256 does: mentions of one story spread over several batches.
    assert_same_answers(&whole, &small);
}

#[test]
fn a_parquet_export_loaded_into_a_new_store_answers_as_the_store() {
    // `sitrep load` without Spark: the store's own export, laid out as the
    // backfill lays out its output (a directory per table), loaded into a
    // fresh store, which must answer every question alike; a second load
    // adds nothing.
    let dir = scratch("load");
    let (corpus, _) = corpus(&dir, 30);
    let (source, loaded) = (dir.join("source.db"), dir.join("loaded.db"));
    ingest(&corpus, &source);
    let export = dir.join("export");
    let out = sitrep(
        &[
            "export",
            "parquet",
            "--db",
            source.to_str().unwrap(),
            "-o",
            export.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let output = dir.join("backfill");
    for table in ["documents", "events", "clusters"] {
        let part = output.join(table).join("day=all");
        std::fs::create_dir_all(&part).unwrap();
        std::fs::rename(
            export.join(format!("{table}.parquet")),
            part.join("part-0.parquet"),
        )
        .unwrap();
    }
    let load = || -> serde_json::Value {
        let out = sitrep(
            &[
                "load",
                output.to_str().unwrap(),
                "--db",
                loaded.to_str().unwrap(),
                "--batch",
                "7",
            ],
            None,
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("load prints its summary")
    };
    let first = load();
    assert!(first["added"].as_u64().unwrap() > 0, "{first}");
    assert_same_answers(&source, &loaded);
    let again = load();
    assert_eq!(again["added"], 0, "{again}");
    assert_eq!(again["already_stored"], first["added"], "{again}");
    assert_same_answers(&source, &loaded);

    // A directory that is not a backfill's output is a clear error.
    let out = sitrep(
        &[
            "load",
            export.to_str().unwrap(),
            "--db",
            loaded.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("export"), "{err}");
}
