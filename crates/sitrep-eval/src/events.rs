//! Coded events, CAMEO or PLOVER, scored per sentence.
//!
//! Gold: `{id, date, text, expected_events:[{source, target, code}]}`, one
//! sentence per line. `code` is a CAMEO code (`"042"`, `"0352"`, `"173"`)
//! or a PLOVER category (`"AGREE"`); actors are CAMEO-style codes, a
//! three-letter country followed by sectors (`"USAGOV"`, `"HUNGOV"`, `"---LEG"`
//! for a sector without country). `date` is passed as the publication date.
//!
//! The coding is decided per record ([`EventCoding::of`]): CAMEO when every
//! expected code is all digits, PLOVER otherwise; a record expecting no
//! events is PLOVER when it carries a `plover` field, CAMEO otherwise.
//! Predicted events come from `Doc::events`: under CAMEO the code is
//! `event.cameo`, under PLOVER `event.plover.category` (events without one
//! are not predictions for that coding). Actors are `actor.code`, else
//! `actor.country`, else absent.
//!
//! Normalisation: codes and actors are trimmed and upper-cased; an absent
//! actor, an empty one and one made only of dashes (`"---"`) are all the
//! same "no actor". An actor's country is its first three characters, with
//! `"---"` again meaning none.
//!
//! Metrics, each **per sentence** (one gold record is one sentence):
//!
//! * **category accuracy** (the headline) — share of sentences whose *set* of
//!   predicted categories equals the gold set. The category is the CAMEO
//!   root (the first two digits) or the PLOVER category.
//! * **full-code accuracy** — the same with full codes (for PLOVER, where
//!   the gold has only categories, this equals category accuracy).
//! * **dyad accuracy** — the same with the set of (category, source country,
//!   target country) tuples.
//! * **triple P/R/F1** — (source, target, full code) triples matched as
//!   multisets, summed over sentences.
//!
//! A sentence expecting no events is right under the three accuracies
//! exactly when nothing is predicted, so a system that never predicts
//! anything scores the share of no-event sentences, which the report gives
//! alongside ("sentences expecting no events").

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use sitrep_core::{Actor, Doc};

use crate::prf::Prf;
use crate::report::Report;
use crate::{EvalInput, GoldRecord, Scorer};

/// Which event ontology a gold record uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventCoding {
    /// CAMEO codes (2–4 digits).
    Cameo,
    /// PLOVER categories.
    Plover,
}

impl EventCoding {
    /// The coding of a gold record; see the [module docs](self).
    pub fn of(gold: &EventsGold) -> EventCoding {
        let codes: Vec<&str> = gold
            .expected_events
            .iter()
            .map(|e| e.code.trim())
            .filter(|c| !c.is_empty())
            .collect();
        if codes.is_empty() {
            if gold.plover.is_some() {
                EventCoding::Plover
            } else {
                EventCoding::Cameo
            }
        } else if codes.iter().all(|c| c.bytes().all(|b| b.is_ascii_digit())) {
            EventCoding::Cameo
        } else {
            EventCoding::Plover
        }
    }

    /// `"CAMEO"` or `"PLOVER"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            EventCoding::Cameo => "CAMEO",
            EventCoding::Plover => "PLOVER",
        }
    }

    /// The category of a full code: the CAMEO root (first two characters)
    /// or the PLOVER category itself.
    pub fn category(&self, code: &str) -> String {
        match self {
            EventCoding::Cameo => code.chars().take(2).collect(),
            EventCoding::Plover => code.to_string(),
        }
    }
}

/// One expected event.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ExpectedEvent {
    /// Source actor code.
    #[serde(default)]
    pub source: Option<String>,
    /// Target actor code.
    #[serde(default)]
    pub target: Option<String>,
    /// CAMEO code or PLOVER category.
    pub code: String,
}

/// One line (one sentence) of an events gold file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EventsGold {
    /// Sentence id.
    pub id: String,
    /// Date of the story, `YYYY-MM-DD`.
    #[serde(default)]
    pub date: Option<String>,
    /// The sentence.
    pub text: String,
    /// The events the sentence should yield (possibly none).
    pub expected_events: Vec<ExpectedEvent>,
    /// The full PLOVER record, present in PLOVER gold sets; used only to
    /// tell the coding of a record that expects no events.
    #[serde(default)]
    pub plover: Option<serde_json::Value>,
}

impl GoldRecord for EventsGold {
    fn input(&self) -> EvalInput {
        EvalInput {
            id: self.id.clone(),
            text: self.text.clone(),
            published: self.date.clone(),
            title: None,
        }
    }
}

/// A normalised actor code: trimmed, upper-cased, "" for none.
fn norm_actor(code: Option<&str>) -> String {
    let c = code.unwrap_or("").trim().to_uppercase();
    if c.chars().all(|ch| ch == '-') {
        String::new()
    } else {
        c
    }
}

/// The country part of a normalised actor code.
fn country(actor: &str) -> String {
    let c: String = actor.chars().take(3).collect();
    if c.chars().all(|ch| ch == '-') {
        String::new()
    } else {
        c
    }
}

fn predicted_actor(actor: Option<&Actor>) -> String {
    norm_actor(actor.and_then(|a| a.code.as_deref().or(a.country.as_deref())))
}

/// (source, target, full code) triples, normalised.
type Triple = (String, String, String);

fn gold_triples(gold: &EventsGold) -> Vec<Triple> {
    gold.expected_events
        .iter()
        .filter(|e| !e.code.trim().is_empty())
        .map(|e| {
            (
                norm_actor(e.source.as_deref()),
                norm_actor(e.target.as_deref()),
                e.code.trim().to_uppercase(),
            )
        })
        .collect()
}

fn predicted_triples(doc: &Doc, coding: EventCoding) -> Vec<Triple> {
    doc.events
        .iter()
        .filter_map(|e| {
            let code = match coding {
                EventCoding::Cameo => e.cameo.trim().to_uppercase(),
                EventCoding::Plover => e.plover.as_ref()?.category.trim().to_uppercase(),
            };
            (!code.is_empty()).then(|| {
                (
                    predicted_actor(e.source.as_ref()),
                    predicted_actor(e.target.as_ref()),
                    code,
                )
            })
        })
        .collect()
}

/// Accumulates event metrics; see the [module docs](self).
#[derive(Debug, Clone, Default)]
pub struct EventsScorer {
    sentences: u64,
    no_event_sentences: u64,
    category_right: u64,
    code_right: u64,
    dyad_right: u64,
    triples: Prf,
    /// Codings seen, in first-seen order.
    codings: Vec<EventCoding>,
}

impl Scorer for EventsScorer {
    type Gold = EventsGold;

    fn add(&mut self, gold: &EventsGold, predicted: &Doc) {
        let coding = EventCoding::of(gold);
        if !self.codings.contains(&coding) {
            self.codings.push(coding);
        }
        self.sentences += 1;
        let g = gold_triples(gold);
        let p = predicted_triples(predicted, coding);
        if g.is_empty() {
            self.no_event_sentences += 1;
        }

        let categories = |ts: &[Triple]| -> BTreeSet<String> {
            ts.iter().map(|t| coding.category(&t.2)).collect()
        };
        let codes =
            |ts: &[Triple]| -> BTreeSet<String> { ts.iter().map(|t| t.2.clone()).collect() };
        let dyads = |ts: &[Triple]| -> BTreeSet<(String, String, String)> {
            ts.iter()
                .map(|t| (coding.category(&t.2), country(&t.0), country(&t.1)))
                .collect()
        };
        self.category_right += u64::from(categories(&g) == categories(&p));
        self.code_right += u64::from(codes(&g) == codes(&p));
        self.dyad_right += u64::from(dyads(&g) == dyads(&p));

        let mut counts: BTreeMap<&Triple, u64> = BTreeMap::new();
        for t in &g {
            *counts.entry(t).or_default() += 1;
        }
        let mut tp = 0;
        for t in &p {
            if let Some(n) = counts.get_mut(t).filter(|n| **n > 0) {
                *n -= 1;
                tp += 1;
            }
        }
        self.triples += Prf::new(tp, g.len() as u64, p.len() as u64);
    }

    fn report(&self) -> Report {
        let names: Vec<&str> = self.codings.iter().map(EventCoding::as_str).collect();
        let layer = if names.is_empty() {
            "events".to_string()
        } else {
            format!("events ({})", names.join("+"))
        };
        let mut r = Report::new(layer);
        r.push_ratio("category accuracy", self.category_right, self.sentences);
        r.push_ratio("full-code accuracy", self.code_right, self.sentences);
        r.push_ratio("dyad accuracy", self.dyad_right, self.sentences);
        r.push_prf("triple", &self.triples);
        r.push_ratio(
            "sentences expecting no events",
            self.no_event_sentences,
            self.sentences,
        );
        r.push_count("gold events", self.triples.gold);
        r.push_count("predicted events", self.triples.pred);
        r.push_count("sentences", self.sentences);
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_core::{Event, Plover};

    fn actor(code: Option<&str>, country: Option<&str>) -> Actor {
        Actor {
            text: "x".into(),
            start: 0,
            end: 1,
            canonical: None,
            code: code.map(str::to_string),
            country: country.map(str::to_string),
        }
    }

    fn event(
        cameo: &str,
        plover: Option<&str>,
        source: Option<Actor>,
        target: Option<Actor>,
    ) -> Event {
        Event {
            start: 0,
            end: 1,
            text: "x".into(),
            by: "test".into(),
            source,
            target,
            cameo: cameo.into(),
            plover: plover.map(|c| Plover {
                category: c.into(),
                mode: None,
                context: Vec::new(),
            }),
            acled: None,
            quad_class: 1,
            goldstein: 0.0,
            place: None,
            date: None,
            attribution: None,
            via: None,
            modality: "asserted".into(),
            confidence: 1.0,
            control: None,
        }
    }

    fn gold(line: &str) -> EventsGold {
        crate::parse_line(line).unwrap()
    }

    fn with_events(gold: &EventsGold, events: Vec<Event>) -> Doc {
        let mut doc = gold.input().to_doc();
        doc.events = events;
        doc
    }

    #[test]
    fn coding_detection() {
        let cameo = gold(
            r#"{"id": "a", "text": "x", "expected_events": [{"source": "USA", "target": "RUS", "code": "0352"}]}"#,
        );
        assert_eq!(EventCoding::of(&cameo), EventCoding::Cameo);
        let plover = gold(
            r#"{"id": "b", "text": "x", "expected_events": [{"source": "HUNGOV", "target": "---", "code": "AGREE"}]}"#,
        );
        assert_eq!(EventCoding::of(&plover), EventCoding::Plover);
        let none = gold(r#"{"id": "c", "text": "x", "expected_events": []}"#);
        assert_eq!(EventCoding::of(&none), EventCoding::Cameo);
        let none_p = gold(
            r#"{"id": "d", "text": "x", "expected_events": [], "plover": {"event": "AGREE"}}"#,
        );
        assert_eq!(EventCoding::of(&none_p), EventCoding::Plover);
        assert_eq!(EventCoding::Cameo.category("0352"), "03");
        assert_eq!(EventCoding::Plover.category("AGREE"), "AGREE");
    }

    #[test]
    fn cameo_accuracies_and_triples() {
        let mut s = EventsScorer::default();
        // 1: right root, wrong full code, right dyad, triple miss
        let g1 = gold(
            r#"{"id": "1", "date": "2020-01-02", "text": "x",
            "expected_events": [{"source": "USAGOV", "target": "RUS", "code": "042"}]}"#,
        );
        assert_eq!(
            g1.input().to_doc().published.unwrap().to_string(),
            "2020-01-02"
        );
        let d1 = with_events(
            &g1,
            vec![event(
                "043",
                None,
                Some(actor(Some("USAMIL"), None)),
                Some(actor(None, Some("RUS"))),
            )],
        );
        s.add(&g1, &d1);
        // 2: no events expected, none predicted: right on all accuracies
        let g2 = gold(r#"{"id": "2", "text": "x", "expected_events": []}"#);
        s.add(&g2, &g2.input().to_doc());
        // 3: two events expected, one found exactly, plus one spurious
        let g3 = gold(
            r#"{"id": "3", "text": "x", "expected_events": [
            {"source": "ISR", "target": "---", "code": "190"},
            {"source": "UKR", "target": "RUSMIL", "code": "173"}]}"#,
        );
        let d3 = with_events(
            &g3,
            vec![
                event("190", None, Some(actor(Some("isr"), None)), None),
                event("111", None, None, None),
            ],
        );
        s.add(&g3, &d3);
        let r = s.report();
        assert_eq!(r.layer, "events (CAMEO)");
        assert_eq!(r.headline().unwrap().name, "category accuracy");
        assert_eq!(r.value("category accuracy"), Some(2.0 / 3.0));
        assert_eq!(r.value("full-code accuracy"), Some(1.0 / 3.0));
        assert_eq!(r.value("dyad accuracy"), Some(2.0 / 3.0));
        assert_eq!(r.value("triple P"), Some(1.0 / 3.0));
        assert_eq!(r.value("triple R"), Some(1.0 / 3.0));
        assert_eq!(r.value("sentences expecting no events"), Some(1.0 / 3.0));
        assert_eq!(r.value("gold events"), Some(3.0));
        assert_eq!(r.value("predicted events"), Some(3.0));
        assert_eq!(r.value("sentences"), Some(3.0));
    }

    #[test]
    fn empty_system_scores_the_no_event_share() {
        let mut s = EventsScorer::default();
        let g1 = gold(
            r#"{"id": "1", "text": "x", "expected_events": [{"source": "USA", "target": "CHN", "code": "040"}]}"#,
        );
        let g2 = gold(r#"{"id": "2", "text": "x", "expected_events": []}"#);
        s.add(&g1, &g1.input().to_doc());
        s.add(&g2, &g2.input().to_doc());
        let r = s.report();
        assert_eq!(r.value("category accuracy"), Some(0.5));
        assert_eq!(r.value("sentences expecting no events"), Some(0.5));
        assert_eq!(r.value("triple P"), Some(0.0));
        assert_eq!(r.value("triple F1"), Some(0.0));
    }

    #[test]
    fn triples_are_multisets_and_sets_ignore_duplicates() {
        let g = gold(
            r#"{"id": "1", "text": "x", "expected_events": [
            {"source": "USA", "target": "CHN", "code": "040"}]}"#,
        );
        let twice = || {
            event(
                "040",
                None,
                Some(actor(Some("USA"), None)),
                Some(actor(Some("CHN"), None)),
            )
        };
        let d = with_events(&g, vec![twice(), twice()]);
        let mut s = EventsScorer::default();
        s.add(&g, &d);
        let r = s.report();
        assert_eq!(
            r.value("triple P"),
            Some(0.5),
            "one gold triple matches once"
        );
        assert_eq!(r.value("triple R"), Some(1.0));
        assert_eq!(
            r.value("category accuracy"),
            Some(1.0),
            "sets: duplicate is the same"
        );
        assert_eq!(r.value("dyad accuracy"), Some(1.0));
    }

    #[test]
    fn plover_uses_categories_and_dash_actors() {
        let g = gold(
            r#"{"id": "p", "date": "2001-05-06", "text": "x",
            "expected_events": [{"source": "HUNGOV", "target": "---", "code": "AGREE"}],
            "plover": {"event": "AGREE"}}"#,
        );
        let mut s = EventsScorer::default();
        // a CAMEO-only prediction is not a PLOVER prediction
        let d0 = with_events(&g, vec![event("057", None, None, None)]);
        s.add(&g, &d0);
        let d1 = with_events(
            &g,
            vec![event(
                "057",
                Some("agree"),
                Some(actor(Some("HUNGOV"), None)),
                None,
            )],
        );
        s.add(&g, &d1);
        let r = s.report();
        assert_eq!(r.layer, "events (PLOVER)");
        assert_eq!(r.value("predicted events"), Some(1.0));
        assert_eq!(r.value("category accuracy"), Some(0.5));
        assert_eq!(r.value("dyad accuracy"), Some(0.5));
        assert_eq!(
            r.value("triple P"),
            Some(1.0),
            "\"---\" target equals no target"
        );
        assert_eq!(r.value("triple R"), Some(0.5));
    }
}
