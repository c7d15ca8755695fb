//! The same article as a text file, an HTML page, a JSONL record, an RSS item
//! and a WARC record yields the same `text` and layers, and the output
//! validates against the schema.

mod common;

use common::*;
use serde_json::Value;

const LAYERS: [&str; 7] = [
    "sentences",
    "entities",
    "places",
    "times",
    "quotes",
    "claims",
    "events",
];

/// Writes the article in five formats into a temp dir, extracts each, and
/// checks that text and layers agree.
fn check_all_formats(name: &str, title: &str, body: &str) {
    let dir = std::env::temp_dir().join(format!("sitrep-formats-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let paragraphs: Vec<&str> = body.lines().collect();
    let html = as_html(title, "2023-10-30", &paragraphs);
    let files = [
        ("a.txt", format!("{title}\n{body}\n").into_bytes()),
        ("a.html", html.clone().into_bytes()),
        (
            "a.jsonl",
            as_jsonl("a", title, "2023-10-30", body).into_bytes(),
        ),
        (
            "a.rss",
            as_rss(title, "Mon, 30 Oct 2023 08:00:00 +0000", &paragraphs).into_bytes(),
        ),
        ("a.warc", as_warc("https://example.org/a", &html)),
    ];
    let validator = schema_validator();
    let mut outputs: Vec<(String, Value)> = Vec::new();
    for (file, bytes) in &files {
        let path = dir.join(file);
        std::fs::write(&path, bytes).unwrap();
        let out = sitrep(
            &[
                "extract",
                path.to_str().unwrap(),
                "--published",
                "2023-10-30",
            ],
            None,
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "{file}: exit {:?}: {stderr}",
            out.status.code()
        );
        let docs = docs(&out.stdout);
        assert_eq!(docs.len(), 1, "{file}: one document expected");
        assert_valid(&validator, &docs[0]);
        outputs.push((file.to_string(), docs[0].clone()));
    }
    let (first_name, first) = &outputs[0];
    assert_eq!(
        first["title"], title,
        "{first_name}: title line is the title"
    );
    assert_eq!(first["text"], body, "{first_name}: text is the body");
    for (file, doc) in &outputs[1..] {
        assert_eq!(
            doc["text"], first["text"],
            "{file}: text differs from {first_name}"
        );
        assert_eq!(doc["title"], first["title"], "{file}: title differs");
        for layer in LAYERS {
            assert_eq!(doc[layer], first[layer], "{file}: layer {layer} differs");
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bundled_style_article_is_the_same_in_every_format() {
    let title = "Drones hit the port of Izmail overnight";
    let body = "IZMAIL, Ukraine (Example Wire) — Russian drones struck grain silos at the Danube port of Izmail overnight, Lt. Col. Ivan P. Kovalenko said on Monday.\n\
                \"The strike lasted 3.5 hours. We shot down 22 of 25 drones,\" he told reporters at 9 a.m. local time.\n\
                Some 1,200 tonnes of grain were destroyed, according to the U.N. agency that monitors exports (WFP).\n\
                • Port operations suspended until No. 2 terminal is repaired";
    check_all_formats("own", title, body);
}

#[test]
fn seed_article_is_the_same_in_every_format() {
    let path = repo_root().join("../shared/examples/seed-article.txt");
    let Ok(raw) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} not present", path.display());
        return;
    };
    let raw = raw.trim_end();
    let (title, body) = raw.split_once('\n').unwrap();
    check_all_formats("seed", title, body);
}

#[test]
fn seed_article_extracts_and_validates() {
    let path = repo_root().join("../shared/examples/seed-article.txt");
    if !path.exists() {
        eprintln!("skipped: {} not present", path.display());
        return;
    }
    let out = sitrep(
        &[
            "extract",
            path.to_str().unwrap(),
            "--published",
            "2023-10-30",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = docs(&out.stdout);
    assert_eq!(docs.len(), 1);
    let doc = &docs[0];
    assert_valid(&schema_validator(), doc);
    assert_eq!(doc["published"], "2023-10-30");
    assert_eq!(doc["published_source"], "argument");
    assert_eq!(doc["language"], "en");
    let text = doc["text"].as_str().unwrap();
    // Every line is one or more whole sentences.
    let sentences: Vec<&str> = doc["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    let mut k = 0;
    for line in text.lines() {
        let mut joined = Vec::new();
        while k < sentences.len()
            && line.contains(sentences[k])
            && joined.join(" ").len() < line.len()
        {
            joined.push(sentences[k]);
            k += 1;
        }
        assert_eq!(joined.join(" "), line, "line is not whole sentences");
    }
    assert_eq!(k, sentences.len());
}

#[test]
fn every_bundled_example_validates() {
    let out = sitrep(
        &["extract", "examples", "--format", "jsonl", "--tokens"],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = docs(&out.stdout);
    assert_eq!(
        docs.len(),
        7,
        "two text, one HTML, two RSS items, two JSONL records"
    );
    let validator = schema_validator();
    for doc in &docs {
        assert_valid(&validator, doc);
        assert!(
            !doc["sentences"].as_array().unwrap().is_empty(),
            "{}: no sentences",
            doc["id"]
        );
        assert!(
            !doc["tokens"].as_array().unwrap().is_empty(),
            "--tokens writes tokens"
        );
        assert_eq!(doc["language"], "en", "{}", doc["id"]);
    }
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"wire-2025-04-03-gaza-crossing"), "{ids:?}");
    let odesa = docs
        .iter()
        .find(|d| d["id"].as_str().unwrap().ends_with("odesa-port-drones.txt"))
        .unwrap();
    assert_eq!(odesa["published"], "2025-03-14");
    assert_eq!(odesa["published_source"], "metadata");
    assert_eq!(odesa["url"], "https://example.org/news/odesa-port-drones");
    let page = docs
        .iter()
        .find(|d| d["id"].as_str().unwrap().ends_with(".html"))
        .unwrap();
    assert_eq!(page["published"], "2025-06-02");
    assert_eq!(page["published_source"], "html-meta");
    let page_text = page["text"].as_str().unwrap();
    assert!(
        !page_text.contains("Most read") && !page_text.contains("Privacy"),
        "boilerplate kept: {page_text}"
    );
    assert!(page_text.starts_with("VIENNA/KYIV, June 2"), "{page_text}");
}

/// The schema fixes every layer's element shape: a document with one element
/// in every layer, produced from the Rust types, must validate — and a
/// document that breaks the contract must not.
#[test]
fn schema_matches_the_rust_types() {
    use sitrep_core::*;
    let mut doc = Doc::new(
        "full",
        "Shoigu said Russia fired 60 missiles at Kyiv on Monday.",
    );
    doc.published = Some("2023-10-30".parse().unwrap());
    doc.language = Some("en".into());
    let who = EntityRef {
        text: "Shoigu".into(),
        start: 0,
        end: 6,
        canonical: Some("Sergei Shoigu".into()),
    };
    doc.sentences
        .push(Sentence::new(&doc, 0, 55, "segment/terminal-punct"));
    doc.tokens.push(Token {
        start: 0,
        end: 6,
        kind: TokenKind::Word,
    });
    doc.entities.push(Entity {
        start: 0,
        end: 6,
        text: "Shoigu".into(),
        by: "entities/lexicon:person".into(),
        kind: EntityType::Person,
        canonical: "Sergei Shoigu".into(),
        role: Some("Defence Minister".into()),
        affiliation: Some("Russia".into()),
    });
    doc.places.push(Place {
        start: 40,
        end: 44,
        text: "Kyiv".into(),
        by: "places/gazetteer:geonames:703448".into(),
        name: Some("Kyiv".into()),
        country: Some("UA".into()),
        admin1: Some("Kyiv City".into()),
        admin2: None,
        feature: Some("PPLC".into()),
        lat: Some(50.45),
        lon: Some(30.52),
        kind: PlaceKind::Settlement,
        gazetteer_id: Some("geonames:703448".into()),
        confidence: 0.9,
        metonymy: false,
        relations: vec![PlaceRelation {
            relation: "distance".into(),
            start: 30,
            end: 38,
            anchor_start: 40,
            anchor_end: 44,
            km: Some(10.0),
            direction: None,
        }],
    });
    doc.times.push(Time {
        start: 48,
        end: 54,
        text: "Monday".into(),
        by: "times/weekday".into(),
        kind: TimexType::Date,
        value: "2023-10-30".into(),
        modifier: None,
    });
    doc.quotes.push(Quote {
        start: 12,
        end: 55,
        text: "Russia fired 60 missiles at Kyiv on Monday.".into(),
        by: "quotes/said-that".into(),
        direct: false,
        speaker: Some(who.clone()),
        cue: Some(doc.mention(7, 11)),
        channel: None,
        via: Some(who.clone()),
    });
    doc.claims.push(Claim {
        start: 25,
        end: 36,
        text: "60 missiles".into(),
        by: "claims/number-noun".into(),
        value: 60.0,
        value_max: None,
        qualifier: None,
        unit: Some("missiles".into()),
        kind: Some("missiles".into()),
        attributed_to: Some(who.clone()),
        time: Some(TimeRef {
            text: "Monday".into(),
            start: 48,
            end: 54,
            value: "2023-10-30".into(),
        }),
    });
    doc.events.push(Event {
        start: 19,
        end: 24,
        text: "fired".into(),
        by: "events/codebook:fire-at".into(),
        source: Some(Actor {
            text: "Russia".into(),
            start: 12,
            end: 18,
            canonical: Some("Russia".into()),
            code: Some("RUS".into()),
            country: Some("RUS".into()),
        }),
        target: None,
        cameo: "195".into(),
        plover: Some(Plover {
            category: "ASSAULT".into(),
            mode: Some("aerial".into()),
            context: vec!["military".into()],
        }),
        acled: Some(Acled {
            event_type: "Explosions/Remote violence".into(),
            sub_event_type: "Shelling/artillery/missile attack".into(),
        }),
        quad_class: 4,
        goldstein: -10.0,
        place: Some(EventPlace {
            text: "Kyiv".into(),
            start: 40,
            end: 44,
            name: Some("Kyiv".into()),
            lat: Some(50.45),
            lon: Some(30.52),
            country: Some("UA".into()),
            gazetteer_id: Some("geonames:703448".into()),
            from: "sentence".into(),
        }),
        date: Some(EventDate {
            value: "2023-10-30".into(),
            precision: "day".into(),
            from: "time".into(),
        }),
        attribution: Some(who),
        via: None,
        modality: "reported".into(),
        confidence: 0.8,
        // Every field filled: the schema must accept a control claim.
        control: Some("held".into()),
    });
    doc.check()
        .expect("the test document keeps the span invariants");
    let json = serde_json::to_value(&doc).unwrap();
    let validator = schema_validator();
    assert_valid(&validator, &json);

    // Breaking the contract is caught.
    let mut bad = json.clone();
    bad["places"][0]["lat"] = serde_json::json!(123.0);
    assert!(!validator.is_valid(&bad), "latitude out of range accepted");
    let mut bad = json.clone();
    bad["events"][0]["quad_class"] = serde_json::json!(7);
    assert!(!validator.is_valid(&bad), "quad_class 7 accepted");
    let mut bad = json.clone();
    bad["times"][0].as_object_mut().unwrap().remove("mod");
    assert!(!validator.is_valid(&bad), "missing mod accepted");
    let mut bad = json;
    bad["schema"] = serde_json::json!("sitrep/2");
    assert!(!validator.is_valid(&bad), "wrong schema version accepted");
}
