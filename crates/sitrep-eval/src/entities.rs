//! Named entities, scored CoNLL-2003 style.
//!
//! Gold: `{id, doc, tokens, tags, text, entities:[{start, end, label,
//! text}]}`, where `text` is the tokens joined by single spaces and `label`
//! is PER, ORG, LOC or MISC. The sentences of one `doc` are annotated
//! together, as one article (see [`GoldRecord::document`]), and each is
//! scored on its own span. Predictions: the document's `entities` layer
//! only (not `places`), each type mapped to a CoNLL label by
//! [`conll_label`]:
//!
//! | sitrep `EntityType` | CoNLL label |
//! |---|---|
//! | `PERSON` | PER |
//! | `ORG` | ORG |
//! | `GPE`, `LOC`, `FAC` | LOC |
//! | `NORP`, `EVENT`, `MISC` | MISC |
//!
//! Metric (conlleval): a hit is a predicted entity with exactly the gold
//! span and the same label, one-to-one. P/R/F1 per label, and micro-averaged
//! over all labels (the headline). A right span with the wrong label counts
//! as a false positive for the predicted label and a false negative for the
//! gold one.

use std::collections::BTreeMap;

use serde::Deserialize;
use sitrep_core::{Doc, EntityType};

use crate::prf::Prf;
use crate::report::Report;
use crate::{EvalInput, GoldRecord, Scorer};

/// The four CoNLL-2003 labels, in report order.
pub const LABELS: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];

/// The CoNLL label a sitrep entity type is scored as: PERSON → PER;
/// ORG → ORG; GPE, LOC, FAC → LOC; NORP, EVENT, MISC → MISC.
pub fn conll_label(kind: EntityType) -> &'static str {
    match kind {
        EntityType::Person => "PER",
        EntityType::Org => "ORG",
        EntityType::Gpe | EntityType::Loc | EntityType::Fac => "LOC",
        EntityType::Norp | EntityType::Event | EntityType::Misc => "MISC",
    }
}

/// One gold entity.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EntityGold {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// PER, ORG, LOC or MISC.
    pub label: String,
    /// The mention as written.
    #[serde(default)]
    pub text: Option<String>,
}

/// One line (one sentence) of an entities gold file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EntitiesGold {
    /// Sentence id.
    pub id: String,
    /// The article the sentence belongs to (CoNLL-2003 document number).
    #[serde(default)]
    pub doc: Option<i64>,
    /// The tokens joined by single spaces.
    pub text: String,
    /// The tokens.
    #[serde(default)]
    pub tokens: Vec<String>,
    /// Gold entities.
    pub entities: Vec<EntityGold>,
}

impl GoldRecord for EntitiesGold {
    fn input(&self) -> EvalInput {
        EvalInput {
            id: self.id.clone(),
            text: self.text.clone(),
            published: None,
            title: None,
        }
    }

    /// Sentences of one article are read together, as the article is.
    fn document(&self) -> Option<i64> {
        self.doc
    }
}

/// Accumulates entity metrics; see the [module docs](self).
#[derive(Debug, Clone, Default)]
pub struct EntitiesScorer {
    sentences: u64,
    per_label: BTreeMap<String, Prf>,
}

impl Scorer for EntitiesScorer {
    type Gold = EntitiesGold;

    fn add(&mut self, gold: &EntitiesGold, predicted: &Doc) {
        self.sentences += 1;
        // multiset of (start, end, label) on each side
        let mut g: BTreeMap<(usize, usize, String), u64> = BTreeMap::new();
        for e in &gold.entities {
            *g.entry((e.start, e.end, e.label.trim().to_ascii_uppercase()))
                .or_default() += 1;
        }
        let mut p: BTreeMap<(usize, usize, String), u64> = BTreeMap::new();
        for e in &predicted.entities {
            *p.entry((e.start, e.end, conll_label(e.kind).to_string()))
                .or_default() += 1;
        }
        for (key, &n) in &g {
            let prf = self.per_label.entry(key.2.clone()).or_default();
            prf.gold += n;
            prf.tp += n.min(p.get(key).copied().unwrap_or(0));
        }
        for (key, &n) in &p {
            self.per_label.entry(key.2.clone()).or_default().pred += n;
        }
    }

    fn report(&self) -> Report {
        let mut micro = Prf::default();
        for prf in self.per_label.values() {
            micro += *prf;
        }
        let mut r = Report::new("entities");
        r.push_prf("micro", &micro);
        let others = self
            .per_label
            .keys()
            .filter(|l| !LABELS.contains(&l.as_str()))
            .map(String::as_str);
        for label in LABELS.into_iter().chain(others) {
            let prf = self.per_label.get(label).copied().unwrap_or_default();
            r.push_prf(label, &prf);
        }
        r.push_count("gold entities", micro.gold);
        r.push_count("predicted entities", micro.pred);
        r.push_count("sentences", self.sentences);
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_core::Entity;

    // Invented: "Kovalenko met NATO officials in Brussels ."
    //            0         1         2         3
    //            0123456789012345678901234567890123456789012
    fn gold() -> EntitiesGold {
        crate::parse_line(
            r#"{"id": "s1", "doc": 0,
                "tokens": ["Kovalenko", "met", "NATO", "officials", "in", "Brussels", "."],
                "tags": ["B-PER", "O", "B-ORG", "O", "O", "B-LOC", "O"],
                "text": "Kovalenko met NATO officials in Brussels .",
                "entities": [{"start": 0, "end": 9, "label": "PER", "text": "Kovalenko"},
                             {"start": 14, "end": 18, "label": "ORG", "text": "NATO"},
                             {"start": 32, "end": 40, "label": "LOC", "text": "Brussels"}]}"#,
        )
        .unwrap()
    }

    fn ent(doc: &Doc, start: usize, end: usize, kind: EntityType) -> Entity {
        Entity {
            start,
            end,
            text: doc.slice(start, end).to_string(),
            by: "test".into(),
            kind,
            canonical: doc.slice(start, end).to_string(),
            role: None,
            affiliation: None,
        }
    }

    #[test]
    fn mapping_covers_every_type() {
        assert_eq!(conll_label(EntityType::Person), "PER");
        assert_eq!(conll_label(EntityType::Org), "ORG");
        assert_eq!(conll_label(EntityType::Gpe), "LOC");
        assert_eq!(conll_label(EntityType::Fac), "LOC");
        assert_eq!(conll_label(EntityType::Loc), "LOC");
        assert_eq!(conll_label(EntityType::Norp), "MISC");
        assert_eq!(conll_label(EntityType::Event), "MISC");
        assert_eq!(conll_label(EntityType::Misc), "MISC");
    }

    #[test]
    fn exact_span_and_label() {
        let g = gold();
        let mut doc = g.input().to_doc();
        assert_eq!(doc.slice(32, 40), "Brussels");
        doc.entities = vec![
            ent(&doc, 0, 9, EntityType::Person), // hit
            ent(&doc, 14, 28, EntityType::Org),  // "NATO officials": span wrong
            ent(&doc, 32, 40, EntityType::Gpe),  // hit (GPE → LOC)
            ent(&doc, 32, 40, EntityType::Gpe),  // duplicate: not a second hit
            ent(&doc, 10, 13, EntityType::Norp), // spurious MISC
        ];
        let mut s = EntitiesScorer::default();
        s.add(&g, &doc);
        let r = s.report();
        assert_eq!(r.headline().unwrap().name, "micro F1");
        assert_eq!(r.value("micro P"), Some(2.0 / 5.0));
        assert_eq!(r.value("micro R"), Some(2.0 / 3.0));
        assert_eq!(r.value("micro F1"), Some(0.5), "2·2/(3+5)");
        assert_eq!(r.value("PER F1"), Some(1.0));
        assert_eq!(r.value("ORG R"), Some(0.0));
        assert_eq!(r.value("LOC P"), Some(0.5));
        assert_eq!(r.value("LOC R"), Some(1.0));
        assert_eq!(r.value("MISC P"), Some(0.0));
        assert_eq!(r.value("MISC R"), Some(0.0), "no gold MISC: 0, not NaN");
        assert_eq!(r.value("gold entities"), Some(3.0));
        assert_eq!(r.value("predicted entities"), Some(5.0));
    }

    #[test]
    fn right_span_wrong_label_is_fp_and_fn() {
        let g = gold();
        let mut doc = g.input().to_doc();
        doc.entities = vec![ent(&doc, 14, 18, EntityType::Gpe)];
        let mut s = EntitiesScorer::default();
        s.add(&g, &doc);
        let r = s.report();
        assert_eq!(r.value("ORG R"), Some(0.0));
        assert_eq!(r.value("LOC P"), Some(0.0));
        assert_eq!(r.value("micro F1"), Some(0.0));
    }

    #[test]
    fn unknown_gold_labels_are_reported_too() {
        let mut g = gold();
        g.entities[0].label = "per".into(); // normalised to PER
        g.entities[1].label = "PRODUCT".into();
        let doc = g.input().to_doc();
        let mut s = EntitiesScorer::default();
        s.add(&g, &doc);
        let r = s.report();
        assert!(r.get("PRODUCT R").is_some());
        assert!(r.get("PER R").is_some());
        assert_eq!(r.value("micro P"), Some(0.0));
    }
}
