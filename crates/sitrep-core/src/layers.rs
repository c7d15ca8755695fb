//! The annotation layers' element types: the shapes fixed by `sitrep/1`.
//!
//! Every element carries `start`/`end` (code points into the document text,
//! end exclusive), `text` (exactly `text[start..end]`) and `by`, a provenance
//! string `stage/rule` optionally followed by `:detail` (a lexicon entry, a
//! gazetteer id, a model name), e.g. `segment/terminal-punct` or
//! `places/gazetteer:geonames:703448`. The layer issues fill the layers; the
//! shapes live here so every stage, the store and the exports share them.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::Doc;

/// Provenance of an annotation: `stage/rule[:detail]`.
pub type By = Cow<'static, str>;

/// A sentence: the unit most later stages work within.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sentence {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The sentence text.
    pub text: String,
    /// Which rule ended the sentence.
    pub by: By,
}

impl Sentence {
    /// A sentence over `start..end` of `doc`, its text copied from the document.
    pub fn new(doc: &Doc, start: usize, end: usize, by: impl Into<By>) -> Sentence {
        Sentence {
            start,
            end,
            text: doc.slice(start, end).to_string(),
            by: by.into(),
        }
    }
}

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenKind {
    /// Letters, possibly with inner hyphens or apostrophes ("state-backed").
    Word,
    /// Digits, possibly with separators ("75,000", "1.5", "2023-10-30").
    Number,
    /// A word or number followed by its period ("Gen.", "U.S.", "No.").
    Abbreviation,
    /// Punctuation, including quote marks and brackets.
    Punct,
    /// Currency and other symbols ("$", "%", "€").
    Symbol,
    /// A URL, e-mail address, @handle or #hashtag.
    Web,
}

/// A token seen with its text, for the stages that walk tokens by rule
/// ([`Doc::sentence_tokens`](crate::Doc::sentence_tokens)); not stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenView<'d> {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The token as written.
    pub text: &'d str,
    /// Lower-cased text.
    pub lower: &'d str,
    /// Whether the token starts with an upper-case letter.
    pub capitalised: bool,
    /// What the token is made of.
    pub kind: TokenKind,
}

/// A token. Tokens are kept in the document but only written to JSON on
/// request (`sitrep extract --tokens`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Token {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// What the token is made of.
    pub kind: TokenKind,
}

/// A plain span of text with its offsets, used inside other annotations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// The text of the span.
    pub text: String,
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

/// A reference to who or what is meant: a span plus the canonical name of its
/// referent in this document (speakers, claim sources, event attribution).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityRef {
    /// The text of the span as written ("he", "the spokesperson").
    pub text: String,
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The referent's canonical name in this document ("Andrii Kovaliov").
    pub canonical: Option<String>,
}

/// Entity types, after OntoNotes' names for those sitrep uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum EntityType {
    /// A person.
    Person,
    /// An organisation: government body, armed force, company, agency, group.
    Org,
    /// A geo-political entity: country, region, city with a government.
    Gpe,
    /// A location without its own government: river, front, area.
    Loc,
    /// A nationality, religious or political group ("Russian", "Ukrainian").
    Norp,
    /// A facility: bridge, airport, power plant.
    Fac,
    /// A named event ("the Xiangshan forum").
    Event,
    /// Any other named thing.
    Misc,
}

/// A named-entity mention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The mention as written.
    pub text: String,
    /// What produced it.
    pub by: By,
    /// The entity type.
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// One canonical name per real-world referent in the document
    /// ("Shoigu" → "Sergei Shoigu").
    pub canonical: String,
    /// Title or role attached to the mention ("Defence Minister").
    pub role: Option<String>,
    /// Affiliation stated with it ("Russia").
    pub affiliation: Option<String>,
}

/// The kind of place a toponym names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlaceKind {
    /// A sovereign country or territory.
    Country,
    /// A first-order division (oblast, state, province).
    Admin1,
    /// A second-order division (raion, county, district).
    Admin2,
    /// A city, town or village.
    Settlement,
    /// A wider area without administrative status (Donbas, the Gaza Strip).
    Region,
    /// A continent or macro-region (Europe, the Asia-Pacific, the Sahel).
    MacroRegion,
    /// Sea, river, lake.
    Water,
    /// A point feature: airport, plant, bridge, base.
    Site,
    /// Anything else, or unresolved.
    Other,
}

/// A toponym and the gazetteer entry it resolves to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The toponym as written.
    pub text: String,
    /// What produced it.
    pub by: By,
    /// The gazetteer's preferred name, null when unresolved.
    pub name: Option<String>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: Option<String>,
    /// First-order division name.
    pub admin1: Option<String>,
    /// Second-order division name (county, raion), when known.
    pub admin2: Option<String>,
    /// GeoNames-style feature code of the entry (`PPL`, `PPLC`, `ADM1`,
    /// `PCLI`, `RGN`, `CONT`, `SEA`).
    pub feature: Option<String>,
    /// Latitude, WGS84 degrees.
    pub lat: Option<f64>,
    /// Longitude, WGS84 degrees.
    pub lon: Option<f64>,
    /// What kind of place it is.
    pub kind: PlaceKind,
    /// Gazetteer id, prefixed by gazetteer (`geonames:703448`).
    pub gazetteer_id: Option<String>,
    /// Resolver confidence in 0..=1.
    pub confidence: f64,
    /// The name stands for an institution or government, not the place
    /// ("Kyiv said", "Washington warned"): still resolved, marked here.
    pub metonymy: bool,
    /// Spatial relations the text states to another toponym ("10km away
    /// from Bakhmut", "south of Andriivka"), used in the resolution.
    pub relations: Vec<PlaceRelation>,
}

/// A stated spatial relation from a toponym to another one (the anchor).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceRelation {
    /// `distance` ("10km away from"), `direction` ("south of") or
    /// `distance+direction` ("15 km north of").
    pub relation: String,
    /// First code point of the cue text.
    pub start: usize,
    /// One past the last code point of the cue text.
    pub end: usize,
    /// The anchor toponym's span start.
    pub anchor_start: usize,
    /// The anchor toponym's span end.
    pub anchor_end: usize,
    /// Stated distance in km, when given.
    pub km: Option<f64>,
    /// Stated compass direction from the anchor (`N`, `SE`…), when given.
    pub direction: Option<String>,
}

/// TIMEX3 types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimexType {
    /// A calendar date or period ("30 October", "May 2023", "today").
    Date,
    /// A time of day ("5 a.m.", "this morning").
    Time,
    /// A length of time ("36 hours", "20-month").
    Duration,
    /// A recurrence ("every day", "weekly").
    Set,
}

/// A time expression normalised as TIMEX3.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Time {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The expression as written.
    pub text: String,
    /// What produced it.
    pub by: By,
    /// TIMEX3 type.
    #[serde(rename = "type")]
    pub kind: TimexType,
    /// TIMEX3 value ("2023-10-30", "2023-10-30TMO", "PT36H").
    pub value: String,
    /// TIMEX3 modifier (APPROX, START, MORE_THAN…).
    #[serde(rename = "mod")]
    pub modifier: Option<String>,
}

/// Direct or reported speech.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    /// First code point of the content.
    pub start: usize,
    /// One past the last code point of the content.
    pub end: usize,
    /// The content.
    pub text: String,
    /// What produced it.
    pub by: By,
    /// Whether the content is a verbatim quotation in quote marks.
    pub direct: bool,
    /// Who said it, resolved through pronouns and descriptions.
    pub speaker: Option<EntityRef>,
    /// The cue ("said", "according to", "wrote").
    pub cue: Option<Mention>,
    /// Where it was said ("Telegram", "live TV", "a statement").
    pub channel: Option<String>,
    /// The source that reports this statement, when it is reported second
    /// hand ("According to RIA, … the FSB said" → the FSB via RIA).
    pub via: Option<EntityRef>,
}

/// A number with what it counts and who claims it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The quantity phrase.
    pub text: String,
    /// What produced it.
    pub by: By,
    /// The value (lower bound for ranges).
    pub value: f64,
    /// Upper bound of a range ("between 10 and 15"), else null.
    pub value_max: Option<f64>,
    /// Qualifier: more-than, at-least, around, nearly, up-to, over…
    pub qualifier: Option<String>,
    /// The unit or counted noun ("women", "combat clashes", "km").
    pub unit: Option<String>,
    /// Semantic kind where clear (killed, wounded, detained, money, distance…).
    pub kind: Option<String>,
    /// Who claims it.
    pub attributed_to: Option<EntityRef>,
    /// The time the count refers to, when the sentence states one
    /// ("In the last 36 hours, around 60 clashes…").
    pub time: Option<TimeRef>,
}

/// A reference to a time expression of the `times` layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimeRef {
    /// The expression as written.
    pub text: String,
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// Its TIMEX3 value.
    pub value: String,
}

/// An event participant with its actor code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    /// The actor's span as written.
    pub text: String,
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// Canonical name in this document.
    pub canonical: Option<String>,
    /// CAMEO-style actor code: country (ISO 3166 alpha-3) plus sectors ("RUSGOV").
    pub code: Option<String>,
    /// ISO 3166-1 alpha-3 country code.
    pub country: Option<String>,
}

/// PLOVER coding of an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plover {
    /// Event category (ASSAULT, AGREE, ACCUSE…).
    pub category: String,
    /// Mode within the category, if any.
    pub mode: Option<String>,
    /// Context labels.
    pub context: Vec<String>,
}

/// ACLED-style coding of an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Acled {
    /// Event type ("Battles", "Explosions/Remote violence"…).
    pub event_type: String,
    /// Sub-event type ("Armed clash", "Air/drone strike"…).
    pub sub_event_type: String,
}

/// Where an event happened: the linked place mention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventPlace {
    /// The toponym as written.
    pub text: String,
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// Gazetteer name.
    pub name: Option<String>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: Option<String>,
    /// Gazetteer id.
    pub gazetteer_id: Option<String>,
    /// How it was linked: `sentence` (a place the event's sentence names),
    /// `speaker` (a statement's place taken from the same speaker's
    /// statement nearby: where they spoke) or `document` (a material event
    /// whose sentence names no place: the settlement the article names
    /// most, at least twice).
    pub from: String,
}

/// When an event happened, and how that was decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventDate {
    /// TIMEX3 value.
    pub value: String,
    /// day, month, year, week…
    pub precision: String,
    /// `time` (a linked time expression) or `published` (fallback).
    pub from: String,
}

/// Who did what to whom, where, when, according to whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// First code point of the evidence (the action phrase or clause).
    pub start: usize,
    /// One past its last code point.
    pub end: usize,
    /// The evidence text.
    pub text: String,
    /// What produced it (codebook pattern id).
    pub by: By,
    /// Who acts.
    pub source: Option<Actor>,
    /// Who is acted on.
    pub target: Option<Actor>,
    /// CAMEO event code (3 or 4 digits).
    pub cameo: String,
    /// PLOVER coding.
    pub plover: Option<Plover>,
    /// ACLED coding.
    pub acled: Option<Acled>,
    /// CAMEO QuadClass 1–4.
    pub quad_class: u8,
    /// Goldstein score, −10..=10.
    pub goldstein: f64,
    /// Where.
    pub place: Option<EventPlace>,
    /// When.
    pub date: Option<EventDate>,
    /// Who reports it: the speaker of the statement that contains it.
    pub attribution: Option<EntityRef>,
    /// Who reports that statement in turn ("According to RIA, … the FSB
    /// said …": the FSB via RIA).
    pub via: Option<EntityRef>,
    /// asserted, negated, conditional, intended or reported.
    pub modality: String,
    /// How much of the coding rests on evidence in its sentence (0..=1): a
    /// ranking score, not a calibrated probability.
    pub confidence: f64,
    /// What the event says about who holds its place: `taken` (the source
    /// captured it), `held` (the source kept it against an attack), `lost`
    /// (the source withdrew from it); absent for other events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control: Option<String>,
}
