//! The `places` stage: toponyms found in the text and resolved to
//! gazetteer entries with coordinates and admin hierarchy, using the
//! document's context.
//!
//! Reads `sentences`, `tokens` and `times`; assigns `places`. Three steps,
//! one module each:
//! 1. [`recognise`]: longest gazetteer matches over capitalised token runs,
//!    keeping out people ("Jordan Bardella", "Gen. Syrskyi"),
//!    organisations ("the Washington Post"), nationality adjectives
//!    ("the Russian forces"), times ("May") and capitalised common words;
//!    type cues ("the Donetsk region", "the Bakhmut direction") and
//!    metonymy ("Kyiv said") noted.
//! 2. [`cues`]: containment ("Alexandria, La.") and stated distance or
//!    direction ("Andriivka, a city 10km away from Bakhmut").
//! 3. [`resolve`]: candidates scored by prior, those cues and the
//!    document's focus and spatial coherence, over a few rounds.
//!
//! Each [`Place`] says which rule decided in `by` (`places/prior`,
//! `places/context`, `places/containment`, `places/type-cue`,
//! `places/distance-cue`, `places/direction-cue`) and how sure it is in
//! `confidence` (the chosen candidate's share of the softmax over all
//! candidates' scores).
//!
//! ```
//! use std::sync::Arc;
//! use sitrep_core::{Doc, Stage};
//! use sitrep_gazetteer::{build, Gazetteer};
//! # let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
//! # let dir = std::env::temp_dir().join(format!("sitrep-places-doctest-{}", std::process::id()));
//! # build::build(&build::Sources::fixture(&root), &dir).unwrap();
//! let gaz = Arc::new(Gazetteer::open(&dir).unwrap());
//! let mut doc = Doc::new("d", "Fighting continued near Artemovsk in the Donetsk region.");
//! sitrep_text::Segmenter::new().run(&mut doc);
//! sitrep_places::Places::new(gaz).run(&mut doc);
//! let found: Vec<(&str, Option<&str>)> = doc.places.iter().map(|p| (p.text.as_str(), p.name.as_deref())).collect();
//! assert_eq!(found, [("Artemovsk", Some("Bakhmut")), ("Donetsk", Some("Donetsk"))]);
//! assert_eq!(doc.places[1].kind, sitrep_core::PlaceKind::Admin1);
//! # std::fs::remove_dir_all(&dir).ok();
//! ```
#![deny(missing_docs)]

pub mod cues;
pub mod lexicon;
pub mod recognise;
pub mod resolve;

use std::sync::Arc;

use sitrep_core::{Doc, Layer, Place, PlaceKind, Stage};
use sitrep_gazetteer::{Gazetteer, Kind, FLAG_OURS};

/// The places stage. Holds the gazetteer by `Arc`: one memory-mapped index
/// shared by every thread.
#[derive(Debug)]
pub struct Places {
    gaz: Arc<Gazetteer>,
    lexicon: lexicon::Lexicon,
}

impl Places {
    /// A stage over an opened gazetteer.
    pub fn new(gaz: Arc<Gazetteer>) -> Places {
        Places {
            gaz,
            lexicon: lexicon::Lexicon::bundled(),
        }
    }
}

fn place_kind(k: Kind) -> PlaceKind {
    match k {
        Kind::Country => PlaceKind::Country,
        Kind::Admin1 => PlaceKind::Admin1,
        Kind::Admin2 => PlaceKind::Admin2,
        Kind::Settlement => PlaceKind::Settlement,
        Kind::Region => PlaceKind::Region,
        Kind::MacroRegion => PlaceKind::MacroRegion,
        Kind::Water => PlaceKind::Water,
    }
}

impl Stage for Places {
    fn name(&self) -> &'static str {
        "places"
    }

    fn requires(&self) -> &'static [Layer] {
        &[Layer::Sentences, Layer::Tokens, Layer::Times]
    }

    fn assigns(&self) -> &'static [Layer] {
        &[Layer::Places]
    }

    fn run(&self, doc: &mut Doc) {
        let gaz = &*self.gaz;
        let mentions = recognise::recognise(doc, gaz, &self.lexicon);
        let cues = cues::find(doc, &mentions);
        let resolved = resolve::resolve(gaz, &mentions, &cues);
        let mut places = Vec::with_capacity(mentions.len());
        for (i, (m, r)) in mentions.iter().zip(&resolved).enumerate() {
            let Some(best) = r.candidates.get(r.best) else {
                continue;
            };
            let rec = best.rec;
            let relations = cues
                .iter()
                .filter_map(|c| match c {
                    cues::Cue::Relation {
                        subject, relation, ..
                    } if *subject == i => Some(relation.clone()),
                    _ => None,
                })
                .collect();
            let gazetteer_id = if rec.geonameid != 0 {
                format!("geonames:{}", rec.geonameid)
            } else if rec.flags & FLAG_OURS != 0 {
                format!("sitrep:{}", gaz.name(best.id))
            } else {
                format!(
                    "sitrep:{}:{}",
                    rec.country_code().unwrap_or("--"),
                    gaz.name(best.id)
                )
            };
            let feature = match rec.kind {
                Kind::Settlement if rec.flags & sitrep_gazetteer::FLAG_CAPITAL != 0 => "PPLC",
                k => k.default_feature(),
            };
            let admin1 = rec.admin1.map(|a| gaz.name(a).to_string());
            let admin2 = rec.admin2.map(|a| gaz.name(a).to_string());
            places.push(Place {
                start: m.start,
                end: m.end,
                text: doc.slice(m.start, m.end).to_string(),
                by: format!("places/{}", r.rule).into(),
                name: Some(gaz.name(best.id).to_string()),
                country: rec.country_code().map(str::to_string),
                admin1,
                admin2,
                feature: Some(feature.to_string()),
                lat: Some((rec.lat as f64 * 1e5).round() / 1e5),
                lon: Some((rec.lon as f64 * 1e5).round() / 1e5),
                kind: place_kind(rec.kind),
                gazetteer_id: Some(gazetteer_id),
                confidence: (r.confidence * 1000.0).round() / 1000.0,
                metonymy: m.metonymy
                    && (rec.kind == Kind::Country
                        || rec.flags & sitrep_gazetteer::FLAG_CAPITAL != 0),
                relations,
            });
        }
        doc.places = places;
    }
}
