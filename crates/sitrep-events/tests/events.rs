//! The events stage over the fixture gazetteer, and the seed article over
//! the real index when `./setup` has built it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use sitrep_core::{Doc, Event, Stage};
use sitrep_events::Events;
use sitrep_gazetteer::{build, Gazetteer};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture() -> Arc<Gazetteer> {
    static GAZ: OnceLock<Arc<Gazetteer>> = OnceLock::new();
    GAZ.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("sitrep-events-test-{}", std::process::id()));
        build::build(&build::Sources::fixture(&root()), &dir).expect("fixture builds");
        Arc::new(Gazetteer::open(&dir).expect("fixture opens"))
    })
    .clone()
}

/// The pipeline up to events, as `sitrep extract` runs it.
fn run(gaz: Arc<Gazetteer>, text: &str) -> Doc {
    let mut doc = Doc::new("t", text);
    doc.published = Some("2023-10-30".parse().unwrap());
    sitrep_text::Segmenter::new().run(&mut doc);
    sitrep_quotes::Quotes::new().run(&mut doc);
    sitrep_times::Times.run(&mut doc);
    sitrep_places::Places::new(gaz.clone()).run(&mut doc);
    sitrep_entities::Entities::new(gaz.clone()).run(&mut doc);
    sitrep_quotes::Attribution.run(&mut doc);
    Events::new(gaz).run(&mut doc);
    doc.check().expect("spans are valid");
    doc
}

/// (source code, CAMEO, target code, PLOVER) of each event.
fn coded(doc: &Doc) -> Vec<(String, String, String, String)> {
    doc.events
        .iter()
        .map(|e| {
            let code = |a: &Option<sitrep_core::Actor>| {
                a.as_ref()
                    .and_then(|a| a.code.clone())
                    .unwrap_or_else(|| "-".into())
            };
            (
                code(&e.source),
                e.cameo.clone(),
                code(&e.target),
                e.plover.as_ref().map_or("-".into(), |p| p.category.clone()),
            )
        })
        .collect()
}

fn one(doc: &Doc) -> &Event {
    assert_eq!(doc.events.len(), 1, "{:?}", coded(doc));
    &doc.events[0]
}

fn row(s: &str, c: &str, t: &str, p: &str) -> (String, String, String, String) {
    (s.into(), c.into(), t.into(), p.into())
}

#[test]
fn actors_codes_place_and_date_of_an_attack() {
    let doc = run(fixture(), "On Monday, Russian troops shelled Kharkiv.");
    let e = one(&doc);
    assert_eq!(coded(&doc), [row("RUSMIL", "194", "UKR", "ASSAULT")]);
    assert_eq!(e.modality, "asserted");
    assert_eq!(e.quad_class, 4);
    let place = e.place.as_ref().expect("a place");
    assert_eq!(
        (place.text.as_str(), place.from.as_str()),
        ("Kharkiv", "sentence")
    );
    let date = e.date.as_ref().expect("a date");
    assert_eq!(
        (date.value.as_str(), date.from.as_str()),
        ("2023-10-30", "time")
    );
    let acled = e.acled.as_ref().expect("an ACLED type");
    assert_eq!(acled.event_type, "Explosions/Remote violence");
    assert!(e.by.starts_with("events/pattern:194"), "{}", e.by);
    let src = e.source.as_ref().unwrap();
    assert_eq!(doc.slice(src.start, src.end), "Russian troops");
}

#[test]
fn passive_agent_after_by_is_the_source_and_the_subject_the_target() {
    let doc = run(
        fixture(),
        "According to RIA, a Russian national was detained by Russia's Federal Security Service (FSB) in Simferopol.",
    );
    let e = one(&doc);
    assert_eq!(coded(&doc), [row("RUSSPY", "173", "RUSCVL", "COERCE")]);
    assert_eq!(
        e.place.as_ref().map(|p| p.text.as_str()),
        Some("Simferopol")
    );
    let by = e.attribution.as_ref().expect("reported by RIA");
    assert_eq!(by.text, "RIA");
    assert_eq!(e.modality, "reported");
}

#[test]
fn joined_subjects_of_a_reciprocal_verb_act_on_each_other() {
    let doc = run(
        fixture(),
        "French and Egyptian warships launched joint exercises on Monday.",
    );
    let mut got = coded(&doc);
    got.sort();
    assert_eq!(
        got,
        [
            row("EGYMIL", "062", "FRAMIL", "COOPERATE"),
            row("FRAMIL", "062", "EGYMIL", "COOPERATE")
        ]
    );
}

#[test]
fn intentions_refusals_and_demands_are_coded_as_such() {
    // Intent to cooperate: CAMEO 03x, PLOVER AGREE.
    let doc = run(
        fixture(),
        "Egypt said it will support the Palestinian request.",
    );
    assert_eq!(coded(&doc), [row("EGY", "032", "PSE", "AGREE")]);
    assert_eq!(one(&doc).modality, "intended");
    // A refused cooperation is a rejection, itself asserted.
    let doc = run(fixture(), "Israel failed to reach an agreement with Egypt.");
    assert_eq!(coded(&doc), [row("ISR", "127", "EGY", "REJECT")]);
    assert_eq!(one(&doc).modality, "asserted");
    // "X said Y must …": X demands it of Y.
    let doc = run(
        fixture(),
        "Britain said Russia must withdraw its troops from Ukraine.",
    );
    assert_eq!(coded(&doc), [row("GBR", "100", "RUS", "REQUEST")]);
}

#[test]
fn threats_govern_what_they_threaten() {
    // "threatened to attack": a threat of force (138), the attack itself
    // not coded; the capital stands for its government.
    let doc = run(fixture(), "Russia threatened to attack Kyiv.");
    assert_eq!(coded(&doc), [row("RUS", "138", "UKRGOV", "THREATEN")]);
    // A hostile act announced under a condition is a threat.
    let doc = run(fixture(), "Israel will attack Gaza if Hamas fires rockets.");
    let e = &doc.events[0];
    assert_eq!(
        (e.cameo.as_str(), e.modality.as_str()),
        ("138", "conditional")
    );
}

#[test]
fn negated_events_are_marked_not_asserted() {
    let doc = run(fixture(), "Russian troops did not attack Kharkiv.");
    let e = one(&doc);
    assert_eq!((e.cameo.as_str(), e.modality.as_str()), ("190", "negated"));
}

#[test]
fn a_later_verb_without_its_own_subject_is_not_another_event() {
    let doc = run(
        fixture(),
        "Egyptian police opened fire on protesters in Cairo, killing one person and arresting 12.",
    );
    assert_eq!(coded(&doc), [row("EGYCOP", "193", "EGYOPP", "ASSAULT")]);
}

#[test]
fn an_apposition_is_not_the_subject() {
    let doc = run(fixture(), "Britain, a key U.S. ally, has condemned Russia.");
    assert_eq!(coded(&doc), [row("GBR", "111", "RUS", "ACCUSE")]);
}

#[test]
fn no_actor_and_no_violence_is_no_event() {
    let doc = run(
        fixture(),
        "The weather in Paris was mild. Talks are planned.",
    );
    assert!(doc.events.is_empty(), "{:?}", coded(&doc));
}

#[test]
fn any_text_is_safe() {
    let gaz = fixture();
    for text in [
        "",
        "attack",
        "by by by attacked by",
        "Russia and and and attacked",
        "\"\"\" attacked \"",
        "its its assault, Russia",
        "must must must",
        "Kyiv, a, a, a, attacked , ,",
    ] {
        run(gaz.clone(), text);
    }
}

#[test]
fn seed_article_events() {
    let index = root().join("var/gazetteer");
    let seed = root().join("../shared/examples/seed-article.txt");
    if !index.join("meta.json").is_file() || !seed.is_file() {
        eprintln!(
            "SKIPPED seed_article_events: needs ./setup's var/gazetteer and ../shared/examples"
        );
        return;
    }
    let doc = run(
        Arc::new(Gazetteer::open(&index).unwrap()),
        &std::fs::read_to_string(seed).unwrap(),
    );
    let find = |trigger: &str| {
        doc.events
            .iter()
            .find(|e| e.text.starts_with(trigger))
            .unwrap_or_else(|| panic!("no event at {trigger:?}: {:?}", coded(&doc)))
    };
    let src = |e: &Event| e.source.as_ref().and_then(|a| a.code.clone());
    let tgt = |e: &Event| e.target.as_ref().and_then(|a| a.code.clone());
    let cat = |e: &Event| e.plover.as_ref().map(|p| p.category.clone());
    let place = |e: &Event| e.place.as_ref().map(|p| p.text.clone());

    // Shoigu's readiness for talks: intent to negotiate, RUSGOV, where he
    // spoke (Beijing), the conditional one marked.
    let talks = find("ready for political discussions");
    assert_eq!(talks.cameo, "036");
    assert_eq!(cat(talks).as_deref(), Some("AGREE"));
    assert_eq!(src(talks).as_deref(), Some("RUSGOV"));
    assert_eq!(talks.modality, "conditional");
    assert_eq!(place(talks).as_deref(), Some("Beijing"));
    assert_eq!(talks.date.as_ref().unwrap().value, "2023-10-30");
    // His accusation of the West.
    let accused = find("accused");
    assert_eq!(
        (accused.cameo.as_str(), cat(accused).as_deref()),
        ("112", Some("ACCUSE"))
    );
    assert_eq!(
        (src(accused).as_deref(), tgt(accused).as_deref()),
        (Some("RUSGOV"), Some("WST"))
    );
    // The PMC's recruitment of women.
    let recruit = find("recruit");
    assert_eq!(cat(recruit).as_deref(), Some("MOBILIZE"));
    assert_eq!(src(recruit).as_deref(), Some("RUSMIL"));
    // The Commission's report of war crimes by Russian forces.
    let crimes = find("documented");
    assert_eq!(cat(crimes).as_deref(), Some("ACCUSE"));
    assert_eq!(tgt(crimes).as_deref(), Some("RUSMIL"));
    assert!(src(crimes).is_some_and(|c| c.starts_with("IGO")));
    // The FSB detention in Crimea, reported by RIA.
    let detained = find("detained");
    assert_eq!(
        (detained.cameo.as_str(), cat(detained).as_deref()),
        ("173", Some("COERCE"))
    );
    assert_eq!(src(detained).as_deref(), Some("RUSSPY"));
    assert_eq!(place(detained).as_deref(), Some("Crimea"));
    assert_eq!(
        detained
            .attribution
            .as_ref()
            .and_then(|a| a.canonical.as_deref()),
        Some("RIA Novosti")
    );
    // The FSB's charge, reported by the FSB via RIA: the chain.
    let charged = find("charged");
    assert_eq!(
        charged.via.as_ref().and_then(|a| a.canonical.as_deref()),
        Some("RIA Novosti")
    );
    // Russia's attempt to surround Avdiivka; Ukrainian offensive operations
    // near Bakhmut: fighting, ACLED Battles, each with its place.
    let surround = find("surround");
    assert_eq!(
        (surround.cameo.as_str(), src(surround).as_deref()),
        ("190", Some("RUS"))
    );
    assert_eq!(place(surround).as_deref(), Some("Avdiivka"));
    let offensive = find("conduct offensive");
    assert_eq!(src(offensive).as_deref(), Some("UKRMIL"));
    assert_eq!(cat(offensive).as_deref(), Some("ASSAULT"));
    assert_eq!(offensive.acled.as_ref().unwrap().event_type, "Battles");
    assert_eq!(place(offensive).as_deref(), Some("Bakhmut"));
    assert_eq!(
        offensive
            .attribution
            .as_ref()
            .and_then(|a| a.canonical.as_deref()),
        Some("Andrii Kovaliov")
    );
    // The ISW's report of Ukrainian advances near Bakhmut.
    let advances = find("made advancements");
    assert_eq!(src(advances).as_deref(), Some("UKRMIL"));
    assert_eq!(place(advances).as_deref(), Some("Bakhmut"));
    assert_eq!(
        advances
            .attribution
            .as_ref()
            .and_then(|a| a.canonical.as_deref()),
        Some("Institute for the Study of War")
    );
}
