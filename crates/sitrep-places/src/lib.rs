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
//!    metonymy ("Kyiv said") noted; datelines ("OMAHA --") and
//!    legislators' states ("D-N.Y.") read as such.
//! 2. [`cues`]: containment ("Alexandria, La.") and stated distance or
//!    direction ("Andriivka, a city 10km away from Bakhmut").
//! 3. [`resolve`]: candidates scored by prior, those cues and the
//!    document's focus (its places' countries and admin1s, the currencies
//!    it counts in, its nationality and institution words) and spatial
//!    coherence, over a few rounds.
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
use sitrep_gazetteer::{Gazetteer, Kind, FLAG_OURS, FLAG_POSTAL};

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
        let money = cues::money_countries(doc);
        let nationalities = cues::demonym_countries(doc, &self.lexicon.demonyms);
        let institutions = cues::institution_countries(doc, &self.lexicon.country_words);
        let votes = resolve::focus_votes(&money, &nationalities, &institutions);
        let resolved = resolve::resolve(gaz, &mentions, &cues, &votes);
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
            } else if rec.flags & FLAG_POSTAL != 0 {
                // A town of PyPI zipcodes, named with its state.
                format!(
                    "us-postal:{}:{}",
                    gaz.name(best.id),
                    rec.admin1.map(|a| gaz.name(a)).unwrap_or("")
                )
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
        // Settlements the gazetteer lacks, placed in the admin1 the
        // sentence names, else the document's most named admin1 — and said so.
        let unknown = recognise::unknown_settlements(doc, gaz, &self.lexicon, &mentions);
        if !unknown.is_empty() {
            let chosen: Vec<(usize, sitrep_gazetteer::Record)> = mentions
                .iter()
                .zip(&resolved)
                .filter_map(|(m, r)| r.candidates.get(r.best).map(|c| (m.sentence, c.rec)))
                .collect();
            let admin1_of =
                |rec: &sitrep_gazetteer::Record,
                 id_if_admin1: Option<sitrep_gazetteer::PlaceId>| {
                    if rec.kind == Kind::Admin1 {
                        id_if_admin1
                    } else {
                        rec.admin1
                    }
                };
            let ids: Vec<Option<sitrep_gazetteer::PlaceId>> = mentions
                .iter()
                .zip(&resolved)
                .map(|(_, r)| {
                    r.candidates
                        .get(r.best)
                        .and_then(|c| admin1_of(&c.rec, Some(c.id)))
                })
                .collect();
            let mut counts: std::collections::HashMap<sitrep_gazetteer::PlaceId, usize> =
                Default::default();
            for id in ids.iter().flatten() {
                *counts.entry(*id).or_default() += 1;
            }
            let doc_admin1 = counts
                .into_iter()
                .max_by_key(|&(id, n)| (n, std::cmp::Reverse(id)))
                .map(|(id, _)| id);
            for u in unknown {
                let in_sentence = chosen
                    .iter()
                    .zip(&ids)
                    .find(|((s, _), id)| *s == u.sentence && id.is_some())
                    .and_then(|(_, id)| *id);
                let (admin1, rule, confidence) = match (in_sentence, doc_admin1) {
                    (Some(a), _) => (a, "unknown-settlement:admin1-in-sentence", 0.3),
                    (None, Some(a)) => (a, "unknown-settlement:admin1-of-document", 0.15),
                    (None, None) => continue,
                };
                let rec = gaz.record(admin1);
                places.push(Place {
                    start: u.start,
                    end: u.end,
                    text: doc.slice(u.start, u.end).to_string(),
                    by: format!("places/{rule}").into(),
                    name: None,
                    country: rec.country_code().map(str::to_string),
                    admin1: Some(gaz.name(admin1).to_string()),
                    admin2: None,
                    feature: None,
                    lat: Some((rec.lat as f64 * 1e5).round() / 1e5),
                    lon: Some((rec.lon as f64 * 1e5).round() / 1e5),
                    kind: PlaceKind::Settlement,
                    gazetteer_id: None,
                    confidence,
                    metonymy: false,
                    relations: Vec::new(),
                });
            }
            places.sort_by_key(|p| (p.start, p.end));
        }
        doc.places = places;
    }
}
