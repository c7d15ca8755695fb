//! The `attribution` stage: speakers named as the entities layer names them,
//! and attribution chains.
//!
//! Reads `quotes` and `entities`; writes, in the quotes layer, each
//! speaker's `canonical` (the entity's: "Russian Defence Minister Sergei
//! Shoigu" → "Sergei Shoigu", "FSB" → "Federal Security Service"; pronoun
//! speakers follow their antecedent) and `via`: a statement whose speaker
//! the content of a statement just before it names ("According to RIA, …
//! by Russia's Federal Security Service (FSB) … In a statement, the FSB
//! said …"), or whose content lies inside another's, is reported by that
//! statement's speaker.

use std::collections::HashMap;

use sitrep_core::{Doc, EntityType, Layer, Stage};

/// How many sentences back a reporting statement may be.
const CHAIN_SENTENCES: usize = 2;

/// The attribution stage; see the [module docs](self).
#[derive(Debug, Clone, Copy, Default)]
pub struct Attribution;

impl Stage for Attribution {
    fn name(&self) -> &'static str {
        "attribution"
    }

    fn requires(&self) -> &'static [Layer] {
        &[Layer::Sentences, Layer::Quotes, Layer::Entities]
    }

    fn assigns(&self) -> &'static [Layer] {
        &[Layer::Attribution]
    }

    fn run(&self, doc: &mut Doc) {
        // 1. Canonical names from the entities inside each speaker span.
        let mut renamed: HashMap<String, String> = HashMap::new();
        for q in doc.quotes.iter_mut() {
            let Some(sp) = q.speaker.as_mut() else {
                continue;
            };
            let inside = doc
                .entities
                .iter()
                .filter(|e| {
                    matches!(
                        e.kind,
                        EntityType::Person | EntityType::Org | EntityType::Gpe
                    )
                })
                .filter(|e| e.start >= sp.start && e.end <= sp.end && sp.end > sp.start)
                // A person over an organisation ("Kovaliov" of the General
                // Staff), then the longest.
                .max_by_key(|e| (e.kind == EntityType::Person, e.end - e.start));
            if let Some(e) = inside {
                if let Some(old) = sp.canonical.replace(e.canonical.clone()) {
                    if old != e.canonical {
                        renamed.insert(old, e.canonical.clone());
                    }
                }
            }
        }
        // Pronoun and description speakers carried the old canonical.
        for q in doc.quotes.iter_mut() {
            if let Some(sp) = q.speaker.as_mut() {
                if let Some(new) = sp.canonical.as_ref().and_then(|c| renamed.get(c)) {
                    sp.canonical = Some(new.clone());
                }
            }
        }
        // 2. Chains.
        let sentence_of = |c: usize| doc.sentences.partition_point(|s| s.end <= c);
        let canon = |q: &sitrep_core::Quote| q.speaker.as_ref().and_then(|s| s.canonical.clone());
        let mut via: Vec<Option<sitrep_core::EntityRef>> = vec![None; doc.quotes.len()];
        for (k, q) in doc.quotes.iter().enumerate() {
            let Some(me) = canon(q) else { continue };
            let s_me = sentence_of(q.start);
            for p in doc.quotes[..k].iter().rev() {
                let Some(them) = canon(p) else { continue };
                if them == me {
                    continue;
                }
                if sentence_of(p.start) + CHAIN_SENTENCES < s_me {
                    break;
                }
                let nested = q.start >= p.start && q.end <= p.end;
                let named_in = doc
                    .entities
                    .iter()
                    .any(|e| e.start >= p.start && e.end <= p.end && e.canonical == me);
                if nested || named_in {
                    via[k] = p.speaker.clone();
                    break;
                }
            }
        }
        for (q, v) in doc.quotes.iter_mut().zip(via) {
            q.via = v;
        }
    }
}
