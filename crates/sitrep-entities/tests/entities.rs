//! The entities stage over the fixture gazetteer's word lists, and the seed
//! article over the real index when `./setup` has built it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use sitrep_core::{Doc, EntityType, Stage};
use sitrep_entities::Entities;
use sitrep_gazetteer::{build, Gazetteer};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture() -> Arc<Gazetteer> {
    static GAZ: OnceLock<Arc<Gazetteer>> = OnceLock::new();
    GAZ.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("sitrep-entities-test-{}", std::process::id()));
        build::build(&build::Sources::fixture(&root()), &dir).expect("fixture builds");
        Arc::new(Gazetteer::open(&dir).expect("fixture opens"))
    })
    .clone()
}

fn run(gaz: Arc<Gazetteer>, text: &str) -> Doc {
    let mut doc = Doc::new("t", text);
    doc.published = Some("2023-10-30".parse().unwrap());
    sitrep_text::Segmenter::new().run(&mut doc);
    sitrep_times::Times.run(&mut doc);
    sitrep_places::Places::new(gaz.clone()).run(&mut doc);
    Entities::new(gaz).run(&mut doc);
    doc.check().expect("spans are valid");
    doc
}

fn typed(doc: &Doc) -> Vec<(&str, EntityType)> {
    doc.entities
        .iter()
        .map(|e| (e.text.as_str(), e.kind))
        .collect()
}

#[test]
fn roles_and_affiliations_split_from_names() {
    let doc = run(fixture(), "Russian Defence Minister Sergei Shoigu met Gen. Oleksandr Syrskyi in Kyiv on Monday. Shoigu said little.");
    assert_eq!(
        typed(&doc),
        [
            ("Russian", EntityType::Norp),
            ("Sergei Shoigu", EntityType::Person),
            ("Oleksandr Syrskyi", EntityType::Person),
            ("Kyiv", EntityType::Gpe),
            ("Shoigu", EntityType::Person),
        ]
    );
    let shoigu = &doc.entities[1];
    assert_eq!(
        (shoigu.role.as_deref(), shoigu.affiliation.as_deref()),
        (Some("Defence Minister"), Some("Russia"))
    );
    assert_eq!(doc.entities[2].role.as_deref(), Some("Gen."));
    assert_eq!(doc.entities[4].canonical, "Sergei Shoigu");
    // Shoigu is in the lexicon of known people; a lone surname the lexicon
    // does not know is a person when it speaks.
    assert_eq!(doc.entities[4].by, "entities/known-person");
    let doc = run(fixture(), "Ostapchuk said little.");
    assert_eq!(doc.entities[0].by, "entities/speaker");
    // The document's full name says who a surname is, even one the lexicon
    // knows for somebody else (Anatoliy Hrytsenko).
    let doc = run(
        fixture(),
        "Mykola Hrytsenko arrived. Hrytsenko said little.",
    );
    let lone = doc.entities.iter().find(|e| e.text == "Hrytsenko").unwrap();
    assert_eq!(
        (lone.canonical.as_str(), lone.affiliation.as_deref()),
        ("Mykola Hrytsenko", None)
    );
}

#[test]
fn roles_in_apposition() {
    let doc = run(
        fixture(),
        "Olena Bondar, the head of the Kharkiv Regional Military Administration, spoke. \
         A spokesman for the Southern Defence Forces, Vladyslav Voloshyn, said it was quiet.",
    );
    let bondar = doc
        .entities
        .iter()
        .find(|e| e.text == "Olena Bondar")
        .unwrap();
    assert_eq!(
        bondar.role.as_deref(),
        Some("head of the Kharkiv Regional Military Administration")
    );
    assert_eq!(
        bondar.affiliation.as_deref(),
        Some("Kharkiv Regional Military Administration")
    );
    let voloshyn = doc
        .entities
        .iter()
        .find(|e| e.text == "Vladyslav Voloshyn")
        .unwrap();
    assert_eq!(
        voloshyn.role.as_deref(),
        Some("spokesman for the Southern Defence Forces")
    );
    assert_eq!(
        voloshyn.affiliation.as_deref(),
        Some("Southern Defence Forces")
    );
}

#[test]
fn organisations_and_acronyms() {
    let doc = run(
        fixture(),
        "The Institute for the Study of War (ISW) said the FSB and PMC Redut joined the Borz Battalion. ISW added more.",
    );
    let orgs: Vec<(&str, &str)> = doc
        .entities
        .iter()
        .filter(|e| e.kind == EntityType::Org)
        .map(|e| (e.text.as_str(), e.canonical.as_str()))
        .collect();
    assert_eq!(
        orgs,
        [
            (
                "Institute for the Study of War",
                "Institute for the Study of War"
            ),
            ("ISW", "Institute for the Study of War"),
            ("FSB", "Federal Security Service"),
            ("PMC Redut", "Redut"),
            ("Borz Battalion", "Borz Battalion"),
            ("ISW", "Institute for the Study of War"),
        ]
    );
}

#[test]
fn common_words_days_and_lone_unknowns_are_not_entities() {
    let doc = run(
        fixture(),
        "However, Troops left on Friday. The TV crew saw Zorbulak there.",
    );
    assert!(doc.entities.is_empty(), "{:?}", typed(&doc));
}

#[test]
fn attribution_chains_and_entity_canonical_speakers() {
    let mut doc = Doc::new(
        "t",
        "According to RIA, a man was detained by the Federal Security Service (FSB) in Crimea. \
         In a statement, the FSB said that he was charged with treason. \
         Russian Defence Minister Sergei Shoigu said that talks were possible. He said that Russia was ready.",
    );
    sitrep_text::Segmenter::new().run(&mut doc);
    sitrep_quotes::Quotes::new().run(&mut doc);
    sitrep_times::Times.run(&mut doc);
    sitrep_places::Places::new(fixture()).run(&mut doc);
    Entities::new(fixture()).run(&mut doc);
    sitrep_quotes::Attribution.run(&mut doc);
    let speakers: Vec<(Option<&str>, Option<&str>)> = doc
        .quotes
        .iter()
        .map(|q| {
            (
                q.speaker.as_ref().and_then(|s| s.canonical.as_deref()),
                q.via.as_ref().and_then(|s| s.canonical.as_deref()),
            )
        })
        .collect();
    assert_eq!(
        speakers,
        [
            (Some("RIA Novosti"), None),
            (Some("Federal Security Service"), Some("RIA Novosti")),
            (Some("Sergei Shoigu"), None),
            (Some("Sergei Shoigu"), None),
        ]
    );
}

#[test]
fn seed_article_entities() {
    let index = root().join("var/gazetteer");
    let seed = root().join("../shared/examples/seed-article.txt");
    if !index.join("meta.json").is_file() || !seed.is_file() {
        eprintln!(
            "SKIPPED seed_article_entities: needs ./setup's var/gazetteer and ../shared/examples"
        );
        return;
    }
    let doc = run(
        Arc::new(Gazetteer::open(&index).unwrap()),
        &std::fs::read_to_string(seed).unwrap(),
    );
    let find = |t: &str| {
        doc.entities
            .iter()
            .find(|e| e.text == t)
            .unwrap_or_else(|| panic!("{t} missing: {:?}", typed(&doc)))
    };
    let shoigu = find("Sergei Shoigu");
    assert_eq!(
        (
            shoigu.kind,
            shoigu.role.as_deref(),
            shoigu.affiliation.as_deref()
        ),
        (EntityType::Person, Some("Defence Minister"), Some("Russia"))
    );
    assert_eq!(find("FSB").canonical, "Federal Security Service");
    assert_eq!(find("ISW").canonical, "Institute for the Study of War");
    for org in [
        "PMC Redut",
        "Borz Battalion",
        "UK Ministry of Defence",
        "General Staff of the Ukrainian Armed Forces",
    ] {
        assert_eq!(find(org).kind, EntityType::Org, "{org}");
    }
    assert_eq!(find("Kovaliov").canonical, "Andrii Kovaliov");
    let kovaliov = find("Andrii Kovaliov");
    assert_eq!(
        kovaliov.role.as_deref(),
        Some("spokesperson for the General Staff of the Ukrainian Armed Forces")
    );
    // The organisation named in the role, by its canonical name.
    assert_eq!(
        kovaliov.affiliation.as_deref(),
        Some("General Staff of the Armed Forces of Ukraine")
    );
    let syrskyi = find("Oleksandr Syrskyi");
    assert_eq!(
        syrskyi.role.as_deref(),
        Some("General, Commander of the Ground Forces")
    );
    assert_eq!(syrskyi.affiliation.as_deref(), Some("Ground Forces"));
    assert_eq!(find("Russian").kind, EntityType::Norp);
}

#[test]
fn teams_in_results_tables_are_organisations_throughout_the_document() {
    let doc = run(
        fixture(),
        "LONDON 1996-08-30\n\nLondon 2 Paris 1\n\nLondon beat Paris again. Fans in Paris wept.",
    );
    let typed: Vec<(&str, EntityType, &str)> = doc
        .entities
        .iter()
        .map(|e| (e.text.as_str(), e.kind, e.by.as_ref()))
        .collect();
    // A dateline is a place; a name with a score is a team, and stays one
    // in the report, except where the text puts something in it.
    assert_eq!(typed[0], ("LONDON", EntityType::Gpe, "entities/place"));
    assert_eq!(
        typed[1],
        ("London", EntityType::Org, "entities/team-in-table")
    );
    assert_eq!(
        typed[2],
        ("Paris", EntityType::Org, "entities/team-in-table")
    );
    assert_eq!(typed[3].1, EntityType::Org);
    assert_eq!(typed[4].1, EntityType::Org);
    assert_eq!(typed[5], ("Paris", EntityType::Gpe, "entities/place"));
    assert!(doc
        .places
        .iter()
        .all(|p| p.text != "London" || p.start == 0 || p.start > 60));
}
