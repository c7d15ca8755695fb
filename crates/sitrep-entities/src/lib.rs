//! The `entities` stage: people (with their role and affiliation split
//! out), organisations, places and nationalities, by rules over capitalised
//! token runs and sitrep's lexicons.
//!
//! Reads `sentences`, `tokens` and `places`; assigns `entities`. A run of
//! capitalised words (with "of", "for", "de", "van"… inside names that
//! allow them) is split and typed:
//! - a leading nationality adjective is a NORP and the affiliation of what
//!   follows ("**Russian** Defence Minister Sergei Shoigu");
//! - leading titles are the person's `role` ("Defence Minister");
//! - a run the places layer resolved is a GPE (country, division,
//!   settlement) or LOC (region, water);
//! - organisation words ("Ministry of …", "… Party", "… Battalion") and
//!   acronyms make an ORG ("FSB", "PMC Redut", "Borz Battalion");
//! - a given name first, a title before, or a surname the document gave in
//!   full makes a PERSON;
//! - otherwise two or three capitalised words that are not English words are
//!   a PERSON, and what is left is not tagged.
//!
//! `canonical` is one name per referent in the document: a person's
//! longest mention sharing the surname ("Shoigu" → "Sergei Shoigu"), an
//! acronym's expansion ("FSB" → "Federal Security Service" when the text
//! gives "Federal Security Service (FSB)"), a place's gazetteer name.
//! `by` is `entities/<rule>`.
//!
//! ```
//! use std::sync::Arc;
//! use sitrep_core::{Doc, EntityType, Stage};
//! use sitrep_gazetteer::{build, Gazetteer};
//! # let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
//! # let dir = std::env::temp_dir().join(format!("sitrep-entities-doctest-{}", std::process::id()));
//! # build::build(&build::Sources::fixture(&root), &dir).unwrap();
//! let gaz = Arc::new(Gazetteer::open(&dir).unwrap());
//! let mut doc = Doc::new("d", "Russian Defence Minister Sergei Shoigu spoke in Beijing. Shoigu left.");
//! sitrep_text::Segmenter::new().run(&mut doc);
//! sitrep_times::Times.run(&mut doc);
//! sitrep_places::Places::new(gaz.clone()).run(&mut doc);
//! sitrep_entities::Entities::new(gaz).run(&mut doc);
//! let shoigu = doc.entities.iter().find(|e| e.text == "Sergei Shoigu").unwrap();
//! assert_eq!(shoigu.kind, EntityType::Person);
//! assert_eq!(shoigu.role.as_deref(), Some("Defence Minister"));
//! assert_eq!(shoigu.affiliation.as_deref(), Some("Russia"));
//! let later = doc.entities.iter().find(|e| e.text == "Shoigu").unwrap();
//! assert_eq!(later.canonical, "Sergei Shoigu");
//! # std::fs::remove_dir_all(&dir).ok();
//! ```
#![deny(missing_docs)]

mod rules;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use sitrep_core::{Doc, Layer, Stage};
use sitrep_gazetteer::Gazetteer;

/// Titles and offices (`data/lexicons/titles.tsv`).
pub const TITLES_TSV: &str = include_str!("../../../data/lexicons/titles.tsv");
/// Organisation words (`data/lexicons/org-words.tsv`).
pub const ORG_WORDS_TSV: &str = include_str!("../../../data/lexicons/org-words.tsv");

fn rows(tsv: &str) -> impl Iterator<Item = Vec<&str>> {
    tsv.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::trim).collect())
}

/// The word lists, parsed once.
#[derive(Debug)]
pub(crate) struct Lexicon {
    pub titles: HashSet<String>,
    pub org_heads: HashSet<String>,
    pub org_leads: HashSet<String>,
    /// Last words of named events ("Cup", "War", "Forum").
    pub event_heads: HashSet<String>,
    /// lower-case demonym (and plural) → ISO code or region name.
    pub demonyms: HashMap<String, String>,
    /// Known people and organisations (`sitrep-lexicon`).
    pub known: &'static sitrep_lexicon::KnownActors,
}

impl Lexicon {
    fn bundled() -> Lexicon {
        let titles = rows(TITLES_TSV)
            .filter_map(|r| r.first().map(|w| w.to_string()))
            .collect();
        let mut org_heads = HashSet::new();
        let mut org_leads = HashSet::new();
        let mut event_heads = HashSet::new();
        for r in rows(ORG_WORDS_TSV) {
            match r.get(1) {
                Some(&"lead") => org_leads.insert(r[0].to_string()),
                Some(&"event") => event_heads.insert(r[0].to_string()),
                _ => org_heads.insert(r[0].to_string()),
            };
        }
        let demonyms = sitrep_places::lexicon::demonyms();
        Lexicon {
            titles,
            org_heads,
            org_leads,
            event_heads,
            demonyms,
            known: sitrep_lexicon::KnownActors::bundled(),
        }
    }
}

/// The entities stage.
#[derive(Debug)]
pub struct Entities {
    gaz: Arc<Gazetteer>,
    lex: Lexicon,
}

impl Entities {
    /// A stage using the gazetteer's word lists (English words, given
    /// names, country names).
    pub fn new(gaz: Arc<Gazetteer>) -> Entities {
        Entities {
            gaz,
            lex: Lexicon::bundled(),
        }
    }
}

impl Stage for Entities {
    fn name(&self) -> &'static str {
        "entities"
    }

    fn requires(&self) -> &'static [Layer] {
        &[Layer::Sentences, Layer::Tokens, Layer::Places]
    }

    fn assigns(&self) -> &'static [Layer] {
        &[Layer::Entities]
    }

    fn run(&self, doc: &mut Doc) {
        doc.entities = rules::entities(doc, &self.gaz, &self.lex);
    }
}
