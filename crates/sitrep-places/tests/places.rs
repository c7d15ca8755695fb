//! The places stage over the fixture gazetteer: recognition filters,
//! resolution by cues and context, and the seed article over the real index
//! when `./setup` has built it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use sitrep_core::{Doc, PlaceKind, Stage};
use sitrep_gazetteer::{build, distance_km, Gazetteer};
use sitrep_places::Places;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture() -> Arc<Gazetteer> {
    static GAZ: OnceLock<Arc<Gazetteer>> = OnceLock::new();
    GAZ.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("sitrep-places-test-{}", std::process::id()));
        build::build(&build::Sources::fixture(&root()), &dir).expect("fixture builds");
        Arc::new(Gazetteer::open(&dir).expect("fixture opens"))
    })
    .clone()
}

fn run(gaz: Arc<Gazetteer>, text: &str) -> Doc {
    let mut doc = Doc::new("t", text);
    doc.published = Some("2023-10-30".parse().unwrap());
    sitrep_text::Segmenter::new().run(&mut doc);
    sitrep_quotes::Quotes::new().run(&mut doc);
    sitrep_times::Times.run(&mut doc);
    Places::new(gaz).run(&mut doc);
    doc.check().expect("spans are valid");
    doc
}

/// The real index `./setup` builds, or `None` (said loudly) without it.
fn real_index(test: &str) -> Option<Arc<Gazetteer>> {
    let index = root().join("var/gazetteer");
    if !index.join("meta.json").is_file() {
        eprintln!("SKIPPED {test}: needs ./setup's var/gazetteer");
        return None;
    }
    Some(Arc::new(Gazetteer::open(&index).unwrap()))
}

fn kinds(doc: &Doc) -> Vec<(&str, PlaceKind)> {
    doc.places
        .iter()
        .map(|p| (p.text.as_str(), p.kind))
        .collect()
}

fn texts(doc: &Doc) -> Vec<&str> {
    doc.places.iter().map(|p| p.text.as_str()).collect()
}

#[test]
fn stated_distance_picks_the_homonym() {
    let doc = run(
        fixture(),
        "Troops advanced south of Andriivka, a city 10km away from Bakhmut, the General Staff said.",
    );
    let a = doc
        .places
        .iter()
        .find(|p| p.text == "Andriivka")
        .expect("Andriivka found");
    let (lat, lon) = (a.lat.unwrap(), a.lon.unwrap());
    assert!(distance_km(lat, lon, 48.50, 37.97) < 3.0, "{a:?}");
    assert_eq!(a.by, "places/distance-cue");
    assert_eq!(a.relations.len(), 1);
    let rel = &a.relations[0];
    assert_eq!((rel.relation.as_str(), rel.km), ("distance", Some(10.0)));
    assert_eq!(doc.slice(rel.anchor_start, rel.anchor_end), "Bakhmut");
    assert_eq!(doc.slice(rel.start, rel.end), "a city 10km away from");

    // The same name, another stated distance: the cue decides, not the prior.
    let doc = run(
        fixture(),
        "Shelling hit Andriivka, about 55 km from Odesa, overnight.",
    );
    let a = doc.places.iter().find(|p| p.text == "Andriivka").unwrap();
    assert_eq!(a.admin1.as_deref(), Some("Odesa"), "{a:?}");
}

#[test]
fn adjectives_people_and_organisations_are_not_places() {
    let doc = run(
        fixture(),
        "Russian forces shelled Ukrainian positions, the Washington Post reported. \
         Jordan Bardella spoke to the West. Gen. Kharkiv Jones met Russians in Kyiv.",
    );
    assert_eq!(texts(&doc), ["Kyiv"]);
}

#[test]
fn metonymy_is_marked() {
    let doc = run(fixture(), "Kyiv said the strike on Kherson killed two.");
    let kyiv = &doc.places[0];
    assert_eq!((kyiv.text.as_str(), kyiv.metonymy), ("Kyiv", true));
    let kherson = doc.places.iter().find(|p| p.text == "Kherson").unwrap();
    assert!(!kherson.metonymy);
}

#[test]
fn containment_and_type_cues() {
    let doc = run(
        fixture(),
        "A man from Alexandria, La., was arrested near the Donetsk region.",
    );
    let alex = &doc.places[0];
    assert_eq!(
        (alex.country.as_deref(), alex.admin1.as_deref()),
        (Some("US"), Some("Louisiana")),
        "{alex:?}"
    );
    assert_eq!(alex.by, "places/containment");
    let donetsk = doc.places.iter().find(|p| p.text == "Donetsk").unwrap();
    assert_eq!(donetsk.kind, PlaceKind::Admin1);
    // A division named after its city: alone the name is the city.
    let doc = run(
        fixture(),
        "Kharkiv was shelled; officials in the Kharkiv region said so.",
    );
    let kinds: Vec<PlaceKind> = doc.places.iter().map(|p| p.kind).collect();
    assert_eq!(kinds, [PlaceKind::Settlement, PlaceKind::Admin1]);
    // Without a cue, the prior: the great city.
    let doc = run(fixture(), "Ships left Alexandria at dawn.");
    assert_eq!(doc.places[0].country.as_deref(), Some("EG"));
}

#[test]
fn context_pulls_ambiguous_names_together() {
    // Paris among Texas places is the Texas town, not the French capital.
    let doc = run(
        fixture(),
        "The storm moved from Dallas toward Paris, Texas, and on to Houston.",
    );
    let paris = doc
        .places
        .iter()
        .find(|p| p.text == "Paris")
        .expect("Paris found");
    assert_eq!(
        (paris.country.as_deref(), paris.admin1.as_deref()),
        (Some("US"), Some("Texas")),
        "{paris:?}"
    );
    let doc = run(fixture(), "Protests spread from Lviv and Odesa to Kharkiv.");
    assert!(
        doc.places
            .iter()
            .all(|p| p.country.as_deref() == Some("UA")),
        "{:?}",
        doc.places
    );
}

#[test]
fn spans_are_code_points_and_outputs_are_complete() {
    let doc = run(
        fixture(),
        "«Київ» — Kyiv — lies on the Dnipro; Crimea is Ukraine.",
    );
    for p in &doc.places {
        assert_eq!(doc.slice(p.start, p.end), p.text);
        assert!(p.lat.is_some() && p.lon.is_some() && p.gazetteer_id.is_some());
        assert!((0.0..=1.0).contains(&p.confidence));
        assert!(p.by.starts_with("places/"));
    }
    let crimea = doc.places.iter().find(|p| p.text == "Crimea").unwrap();
    assert_eq!(
        (crimea.kind, crimea.country.as_deref()),
        (PlaceKind::Admin1, Some("UA"))
    );
}

#[test]
fn unknown_settlements_fall_back_to_their_admin_unit() {
    let doc = run(
        fixture(),
        "Fighting raged near the village of Zorianivka in the Donetsk region.",
    );
    let z = doc
        .places
        .iter()
        .find(|p| p.text == "Zorianivka")
        .expect("kept although unknown");
    assert_eq!(z.name, None);
    assert_eq!(
        (z.kind, z.admin1.as_deref(), z.country.as_deref()),
        (PlaceKind::Settlement, Some("Donetsk"), Some("UA"))
    );
    assert_eq!(z.by, "places/unknown-settlement:admin1-in-sentence");
    assert!(z.confidence < 0.5);
    // Nothing to fall back on: nothing is made up.
    let doc = run(fixture(), "He grew up in the village of Zorianivka.");
    assert!(doc.places.is_empty(), "{:?}", doc.places);
}

#[test]
fn no_panic_on_odd_input() {
    for text in [
        "",
        " ",
        "Kyiv",
        "U.S.",
        "A B C D E F G H",
        "Kyiv, Kyiv, Kyiv,",
        "— , , of of of Andriivka 10 km from",
        "🙂 Lviv 🙂",
        "D-",
        "D-N.",
        "D-N. Y.",
        "R-Ohio",
        "I-🙂.",
        "KYIV --",
        "KYIV,",
        "KYIV, Ohio",
        "ST. PARIS — ST. PARIS —",
        "Paris's Day 's day",
    ] {
        run(fixture(), text);
    }
}

/// The seed article against the real gazetteer `./setup` builds. Skipped,
/// loudly, when either is absent (CI runs `./setup` first, so there it runs).
#[test]
fn seed_article_places() {
    let index = root().join("var/gazetteer");
    let seed = root().join("../shared/examples/seed-article.txt");
    if !index.join("meta.json").is_file() || !seed.is_file() {
        eprintln!(
            "SKIPPED seed_article_places: needs ./setup's var/gazetteer and ../shared/examples"
        );
        return;
    }
    let gaz = Arc::new(Gazetteer::open(&index).unwrap());
    let doc = run(gaz, &std::fs::read_to_string(seed).unwrap());
    let find = |t: &str| {
        doc.places
            .iter()
            .filter(|p| p.text == t)
            .collect::<Vec<_>>()
    };
    // Public coordinates (Wikipedia infoboxes) of the cities the text names.
    for (name, lat, lon) in [
        ("Bakhmut", 48.5956, 38.0003),
        ("Avdiivka", 48.1394, 37.7497),
        ("Melitopol", 46.8489, 35.3675),
        ("Beijing", 39.9042, 116.4074),
    ] {
        let found = find(name);
        assert!(!found.is_empty(), "{name} not found");
        for p in found {
            let d = distance_km(p.lat.unwrap(), p.lon.unwrap(), lat, lon);
            assert!(d < 10.0, "{name} placed {d:.1} km off: {p:?}");
        }
    }
    let andriivka = find("Andriivka");
    assert_eq!(andriivka.len(), 2);
    for p in &andriivka {
        assert!(
            distance_km(p.lat.unwrap(), p.lon.unwrap(), 48.50, 37.97) < 3.0,
            "{p:?}"
        );
    }
    assert_eq!(andriivka[0].by, "places/distance-cue");
    for p in find("Crimea") {
        assert_eq!(
            (p.kind, p.country.as_deref()),
            (PlaceKind::Admin1, Some("UA"))
        );
    }
    let ap = find("Asia-Pacific");
    assert_eq!(ap.len(), 1);
    assert_eq!(ap[0].kind, PlaceKind::MacroRegion);
    for p in &doc.places {
        assert!(
            !matches!(
                p.text.as_str(),
                "Russian" | "Ukrainian" | "West" | "RIA" | "FSB" | "ISW" | "War"
            ),
            "{p:?}"
        );
    }
}

#[test]
fn a_person_of_a_place_names_the_place() {
    // "of" after a person's name says where the person lives; after another
    // name it may be an organisation's ("the Institute for the Study of War").
    let doc = run(
        fixture(),
        "John Sachs of Alexandria, La., was driving. A report by the Institute for the Study of Kherson came out.",
    );
    assert_eq!(texts(&doc), ["Alexandria", "La."]);
}

#[test]
fn names_joined_by_hyphens_are_each_a_place() {
    let doc = run(
        fixture(),
        "The Kyiv-Moscow talks stalled. Anna Paris-Moscowitz and Abdel-Wahed spoke.",
    );
    assert_eq!(texts(&doc), ["Kyiv", "Moscow"]);
    let moscow = &doc.places[1];
    assert_eq!(doc.slice(moscow.start, moscow.end), "Moscow");
    assert_eq!(moscow.country.as_deref(), Some("RU"));
}

#[test]
fn middle_initials_and_firms_are_people() {
    let doc = run(
        fixture(),
        "Derek D. London was sentenced. The firm Paris & Toronto sued. He flew to London.",
    );
    assert_eq!(texts(&doc), ["London"]);
    assert!(doc.places[0].start > 40, "{:?}", doc.places);
    // The surname of a name with an initial stays a person's later on.
    let doc = run(
        fixture(),
        "Selectman John J. Bakhmut spoke first. Bakhmut hoped for more.",
    );
    assert!(doc.places.is_empty(), "{:?}", doc.places);
    // A given name before a surname that is no English word is a person,
    // even when the name is a country's; a street is not its namesake.
    let doc = run(
        fixture(),
        "He met Washington Zwicker, who lives on Kharkiv Road, and flew to Kyiv.",
    );
    assert_eq!(texts(&doc), ["Kyiv"]);
    assert!(doc.places[0].start > 60, "{:?}", doc.places);
}

#[test]
fn a_plural_type_word_gives_its_kind_to_the_whole_list() {
    let doc = run(
        fixture(),
        "Shelling hit the Donetsk and Kharkiv regions overnight. Kharkiv itself was calm.",
    );
    let kinds = kinds(&doc);
    assert_eq!(
        kinds,
        [
            ("Donetsk", PlaceKind::Admin1),
            ("Kharkiv", PlaceKind::Admin1),
            ("Kharkiv", PlaceKind::Settlement)
        ]
    );
    assert_eq!(doc.places[0].by, "places/type-cue");
}

/// Ukraine's cities by their official and their older English spellings,
/// and other cities by names that smaller places bear as alternates, alone
/// in a sentence, over the real index (skipped without it): the city, not
/// the oblast or raion named after it, nor a namesake abroad.
#[test]
fn ukrainian_city_spellings_name_the_cities() {
    let Some(gaz) = real_index("ukrainian_city_spellings_name_the_cities") else {
        return;
    };
    // Public coordinates (Wikipedia infoboxes).
    for (name, lat, lon) in [
        ("Zaporizhzhia", 47.8388, 35.1396),
        ("Zaporozhye", 47.8388, 35.1396),
        ("Mykolaiv", 46.9750, 31.9946),
        ("Nikolaev", 46.9750, 31.9946),
        ("Kherson", 46.6354, 32.6169),
        ("Kupiansk", 49.7106, 37.6156),
        ("Sloviansk", 48.8667, 37.6167),
        ("Odessa", 46.4825, 30.7233),
        ("Vinnytsia", 49.2331, 28.4682),
        ("Dnipropetrovsk", 48.4500, 34.9833),
        // Not Korolev, which was called Kaliningrad in Soviet times.
        ("Kaliningrad", 54.7104, 20.4522),
        // Not Pittsburg, California, which GeoNames also calls so.
        ("Pittsburgh", 40.4406, -79.9959),
        ("New York", 40.7128, -74.0060),
        // Not Louisiana, whose abbreviation "La." folds alike.
        ("L.A.", 34.0522, -118.2437),
    ] {
        let doc = run(gaz.clone(), &format!("Missiles struck {name} on Monday."));
        let p = doc.places.iter().find(|p| p.text == name);
        let p = p.unwrap_or_else(|| panic!("{name} not found"));
        let d = distance_km(p.lat.unwrap(), p.lon.unwrap(), lat, lon);
        assert!(
            p.kind == PlaceKind::Settlement && d < 10.0,
            "{name}: {d:.0} km off: {p:?}"
        );
    }
}

/// "X, Y": the name after the comma is the division that holds X, even
/// where the name alone means a city (real index; skipped without it).
#[test]
fn the_name_after_the_comma_is_the_division() {
    let Some(gaz) = real_index("the_name_after_the_comma_is_the_division") else {
        return;
    };
    let doc = run(gaz, "He lives in Albany, New York, and works in Kharkiv.");
    let kinds = kinds(&doc);
    assert_eq!(
        kinds,
        [
            ("Albany", PlaceKind::Settlement),
            ("New York", PlaceKind::Admin1),
            ("Kharkiv", PlaceKind::Settlement)
        ]
    );
}

#[test]
fn datelines_and_party_states_are_places() {
    // A dateline in capitals names the town the story is filed from, even
    // a name that is also a given name or a word elsewhere.
    let doc = run(
        fixture(),
        "Council meets on Tuesday. SPRINGFIELD -- The council met. PARIS, Texas - It rained.",
    );
    let found = kinds(&doc);
    assert_eq!(
        &found[..2],
        [
            ("SPRINGFIELD", PlaceKind::Settlement),
            ("PARIS", PlaceKind::Settlement)
        ]
    );
    // A legislator's party and state: "D-N.Y.", split by the tokenizer.
    let doc = run(
        fixture(),
        "Rep. Charles Rangel, D-N.Y., and Sen. Sherrod Brown, D-Ohio, said so.",
    );
    let states: Vec<(&str, Option<&str>)> = doc
        .places
        .iter()
        .map(|p| (p.text.as_str(), p.admin1.as_deref().or(p.name.as_deref())))
        .collect();
    assert_eq!(states, [("N.Y.", Some("New York")), ("Ohio", Some("Ohio"))]);
}
