//! The `events` stage: who did what to whom, where, when, according to
//! whom — coded in CAMEO, PLOVER and ACLED terms at once.
//!
//! Reads `sentences`, `tokens`, `entities`, `places`, `times`, `quotes`
//! and `attribution`; assigns `events`. The stage works sentence by
//! sentence, with no parser:
//!
//! 1. **Triggers.** `data/codebook/patterns.tsv` lists word patterns ("V:detain",
//!    "V:launch ... N:strike", "ready ... N:talk") with their CAMEO code; the
//!    longest match at a word wins. A verb pattern used as a noun ("the
//!    support") or a capitalised word inside a name is not a trigger.
//! 2. **Actors** ([`actors`](crate::actors) module docs): entities, places standing for
//!    governments, nationalities and actor words, each with a CAMEO-style
//!    code (`RUSGOV`, `UKRMIL`, `IGOUNO`, `---REB`).
//! 3. **Arguments.** The source is the nearest actor before the trigger
//!    that is not the object of a preposition nor a place after "in",
//!    through pronouns ("Hungary said **it** will support" → Hungary; "we"
//!    in a quotation → its speaker); with a passive ("was detained by the
//!    FSB") the actor after "by". The target is the first actor after the
//!    match. Actors joined by "and" are each a source; with a reciprocal
//!    verb ("agreed", "met") and no target they act on each other.
//! 4. **Modality.** `negated` ("did not attack"), `conditional` ("if", "unless",
//!    "in case" before the trigger), `intended` ("will", "ready to", "plans
//!    to"), `reported` (inside a statement by someone other than the
//!    source), else `asserted`. An intended or conditional cooperative
//!    event is coded as CAMEO's "express intent" (03x, PLOVER AGREE); a
//!    conditional hostile one as a threat (13x).
//! 5. **Linking.** The place is the sentence's place after a locative
//!    preposition nearest the trigger, else a place named as the target;
//!    a statement without a place in its sentence takes the place of the
//!    same source's nearest statement that has one ("… forum **in Beijing**,
//!    Shoigu noted …"). The date is the sentence's nearest date expression,
//!    else the publication date (`date.from` says which). The attribution
//!    is the speaker of the statement containing the trigger, with `via`
//!    from the attribution chain.
//!
//! Only the first event of a sentence may borrow its source from before
//! an earlier trigger: a later trigger needs an actor of its own between
//! them ("police opened fire …, killing one" is one event). Appeals and
//! statements (CAMEO 01–02) do not count as that first event.
//!
//! Each event's `by` is `events/<pattern>` with the codebook line's code
//! and pattern; every actor, the place and the date keep their spans.
//!
//! ```
//! use std::sync::Arc;
//! use sitrep_core::{Doc, Stage};
//! use sitrep_gazetteer::{build, Gazetteer};
//! # let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
//! # let dir = std::env::temp_dir().join(format!("sitrep-events-doctest-{}", std::process::id()));
//! # build::build(&build::Sources::fixture(&root), &dir).unwrap();
//! let gaz = Arc::new(Gazetteer::open(&dir).unwrap());
//! let mut doc = Doc::new("d", "Russian troops attacked Kharkiv on Monday.");
//! doc.published = Some(sitrep_core::Date::new(2023, 10, 30).unwrap());
//! sitrep_text::Segmenter::new().run(&mut doc);
//! sitrep_times::Times.run(&mut doc);
//! sitrep_places::Places::new(gaz.clone()).run(&mut doc);
//! sitrep_entities::Entities::new(gaz.clone()).run(&mut doc);
//! sitrep_events::Events::new(gaz).run(&mut doc);
//! let e = &doc.events[0];
//! assert_eq!(e.cameo, "190");
//! assert_eq!(e.source.as_ref().and_then(|a| a.code.as_deref()), Some("RUSMIL"));
//! assert_eq!(e.target.as_ref().and_then(|a| a.country.as_deref()), Some("UKR"));
//! assert_eq!(e.plover.as_ref().map(|p| p.category.as_str()), Some("ASSAULT"));
//! # std::fs::remove_dir_all(&dir).ok();
//! ```
#![deny(missing_docs)]

mod actors;
mod code;
pub mod codebook;
mod detect;

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use sitrep_core::{Doc, Layer, Stage};
use sitrep_gazetteer::Gazetteer;

use code::Code3;

pub use codebook::{CodeInfo, Codebook, CodebookError};

/// What the stage holds: the codebook and the country tables, loaded once.
#[derive(Debug)]
pub(crate) struct Resources {
    pub codebook: Codebook,
    pub gazetteer: Arc<Gazetteer>,
    /// Lower-case country name → alpha-3.
    pub country_by_name: HashMap<String, Code3>,
    /// Lower-case nationality word (and plural) → alpha-3, or `WST`.
    pub demonyms: HashMap<String, Code3>,
    /// Known people (with their offices over time) and organisations.
    pub known: &'static sitrep_lexicon::KnownActors,
}

impl Resources {
    pub fn alpha3(&self, alpha2: &str) -> Option<&str> {
        self.gazetteer.alpha3(alpha2)
    }

    pub fn demonym_country(&self, lower: &str) -> Option<Code3> {
        self.demonyms.get(lower).copied()
    }

    /// Whether a lower-cased word is a nationality (no allocation).
    pub fn is_demonym(&self, lower: &str) -> bool {
        self.demonyms.contains_key(lower)
    }
}

/// The events stage; see the [crate docs](crate).
#[derive(Debug, Clone)]
pub struct Events {
    res: Arc<Resources>,
}

impl Events {
    /// The stage with the built-in codebook and `gazetteer`'s country codes.
    pub fn new(gazetteer: Arc<Gazetteer>) -> Events {
        let codebook = Codebook::builtin();
        let country_by_name = actors::country_names(&gazetteer);
        let mut demonyms = HashMap::default();
        for (word, code) in sitrep_places::lexicon::demonyms() {
            let a3 = if code == "West" {
                Code3::new("WST")
            } else {
                gazetteer.alpha3(&code).and_then(Code3::new)
            };
            if let Some(a3) = a3 {
                demonyms.insert(word, a3);
            }
        }
        Events {
            res: Arc::new(Resources {
                codebook,
                gazetteer,
                country_by_name,
                demonyms,
                known: sitrep_lexicon::KnownActors::bundled(),
            }),
        }
    }

    /// The codebook in use.
    pub fn codebook(&self) -> &Codebook {
        &self.res.codebook
    }
}

impl Stage for Events {
    fn name(&self) -> &'static str {
        "events"
    }

    fn requires(&self) -> &'static [Layer] {
        &[
            Layer::Sentences,
            Layer::Tokens,
            Layer::Entities,
            Layer::Places,
            Layer::Times,
            Layer::Quotes,
            Layer::Attribution,
        ]
    }

    fn assigns(&self) -> &'static [Layer] {
        &[Layer::Events]
    }

    fn run(&self, doc: &mut Doc) {
        doc.events = detect::events(doc, &self.res);
    }
}
