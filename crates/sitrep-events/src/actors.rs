//! Actor mentions in a sentence and their CAMEO-style codes.
//!
//! An actor is anchored on a head — an entity (person, organisation), a
//! place, a plural nationality ("Palestinians"), an actor word of
//! `agents.tsv` ("officials", "rebels") or a pronoun — and takes its
//! country from, in order: its own words (an affiliation, a place or
//! nationality inside it), a nationality or possessive place just before it
//! ("**Hungarian** officials", "**Russia's** Federal Security Service"), or
//! a place just after it ("rebels **in the Ivory Coast**"). Sectors come from
//! actor words in the mention or in a person's role ("Defence **Minister**"
//! → GOV; a role naming an organisation takes that organisation's sector:
//! "Commander of the Ground **Forces**" → MIL). A capital standing for its
//! government ("**Berlin** rejected") is the country plus GOV.

use rustc_hash::FxHashMap as HashMap;

use sitrep_core::{Doc, EntityType, PlaceKind, TokenKind, TokenView};

use crate::code::{Code3, Sectors};
use crate::codebook::Codebook;
use crate::Resources;

/// An actor mention in one sentence.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct ActorMention<'d> {
    /// First token (index into the sentence's token list).
    pub first: usize,
    /// One past the last token.
    pub last: usize,
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// Canonical name, from the entities layer.
    pub canonical: Option<&'d str>,
    /// Country (alpha-3), `IGO`, `WST`, or none.
    pub country: Option<Code3>,
    /// Sector codes ("GOV", "MIL", "UNO"…), in order, without repeats.
    pub sectors: Sectors,
    /// A pronoun to resolve ("it", "they", "we").
    pub pronoun: bool,
    /// A place after a locative preposition ("in Crimea"): where, not who.
    pub locative: bool,
    /// A nationality adjective standing for its country's side ("an
    /// **Indian** proposal"): absorbed by a head that follows it.
    pub nationality: bool,
}

impl ActorMention<'_> {
    /// Whether the mention has a code at all (a country or a sector).
    pub fn has_code(&self) -> bool {
        self.country.is_some() || !self.sectors.is_empty()
    }

    /// The CAMEO-style code: country (or `---`) followed by the sectors.
    pub fn code(&self) -> Option<String> {
        if !self.has_code() {
            return None;
        }
        let mut code = self
            .country
            .map_or_else(|| "---".to_string(), |c| c.to_string());
        for s in self.sectors.iter() {
            if !code.ends_with(s.as_str()) {
                code.push_str(s.as_str());
            }
        }
        Some(code)
    }
}

const PRONOUNS: &[&str] = &["it", "they", "he", "she", "we", "i"];
/// Prepositions after which a place is where something happened.
pub(crate) const LOCATIVE: &[&str] = &[
    "in",
    "at",
    "near",
    "around",
    "outside",
    "inside",
    "across",
    "throughout",
    "within",
    "over",
    "along",
    "of",
    "from",
    "south",
    "north",
    "east",
    "west",
];
/// Nouns that take the sector of the actor word before them ("opposition
/// **groups**", "rebel **leaders**").
const GENERIC_HEADS: &[&str] = &[
    "groups",
    "group",
    "leaders",
    "leader",
    "members",
    "officers",
    "supporters",
    "activists",
    "figures",
    "sources",
    "spokesman",
    "spokeswoman",
    "commanders",
    "units",
    "movement",
    "movements",
    "factions",
    "faction",
    "negotiators",
];
/// Words that end a modifier run when extending an actor to the left.
const STOP: &[&str] = &[
    "the", "a", "an", "and", "or", "but", "of", "in", "on", "at", "to", "for", "with", "by",
    "from", "that", "which", "who", "whom", "as", "is", "are", "was", "were", "has", "have", "had",
    "be", "been", "will", "would", "said", "says", "its", "their", "his", "her", "this", "these",
    "those", "after", "before", "while", "when", "since", "against", "into", "than", "about",
    "between", "among", "over", "under", "during", "through", "across",
];

/// The actor code of each referent (canonical name) in a document: the
/// richest of its mentions' codes ("Shoigu" gets "Russian Defence Minister
/// Sergei Shoigu"'s RUSGOV). Filled on first use, since most referents
/// never act in a coded event.
#[derive(Default)]
pub(crate) struct Referents<'d> {
    /// Built on first use: most documents have no trigger at all.
    index: Option<ReferentIndex<'d>>,
    codes: HashMap<&'d str, Option<ActorMention<'d>>>,
}

/// Where each canonical name is mentioned.
struct ReferentIndex<'d> {
    /// Persons and organisations: every mention, in order.
    by_name: HashMap<&'d str, Vec<usize>>,
    /// Any entity: the first mention (to follow affiliations).
    first: HashMap<&'d str, usize>,
}

impl<'d> ReferentIndex<'d> {
    fn new(doc: &'d Doc) -> ReferentIndex<'d> {
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::default();
        let mut first: HashMap<&str, usize> = HashMap::default();
        for (i, e) in doc.entities.iter().enumerate() {
            first.entry(e.canonical.as_str()).or_insert(i);
            if matches!(e.kind, EntityType::Person | EntityType::Org) {
                by_name.entry(e.canonical.as_str()).or_default().push(i);
            }
        }
        ReferentIndex { by_name, first }
    }
}

impl<'d> Referents<'d> {
    pub fn new() -> Referents<'d> {
        Referents::default()
    }

    /// The referent's code, as an actor without a position.
    pub fn get(&mut self, doc: &'d Doc, res: &Resources, name: &str) -> Option<ActorMention<'d>> {
        let index = self.index.get_or_insert_with(|| ReferentIndex::new(doc));
        let (&key, list) = index.by_name.get_key_value(name)?;
        if !self.codes.contains_key(key) {
            let score = |a: &ActorMention| {
                a.country.is_some() as u8 * 2 + a.sectors.first().is_some_and(|s| *s != "ELI") as u8
            };
            let mut best: Option<ActorMention> = None;
            for &i in list {
                let e = &doc.entities[i];
                let (country, sectors) = entity_code(doc, res, e, &index.first);
                let m = ActorMention {
                    first: 0,
                    last: 0,
                    start: e.start,
                    end: e.end,
                    canonical: Some(e.canonical.as_str()),
                    country,
                    sectors,
                    ..Default::default()
                };
                if best.as_ref().is_none_or(|b| score(&m) > score(b)) {
                    let done = score(&m) == 3;
                    best = Some(m);
                    if done {
                        break;
                    }
                }
            }
            self.codes.insert(key, best);
        }
        self.codes.get(key).copied().flatten()
    }
}

/// Finds the actor mentions of one sentence, in order. `toks` are the
/// sentence's tokens; `first_tok` is the document index of `toks[0]`.
pub(crate) fn find<'d>(
    doc: &'d Doc,
    res: &Resources,
    toks: &[TokenView<'_>],
    referents: &mut Referents<'d>,
) -> Vec<ActorMention<'d>> {
    let book: &Codebook = &res.codebook;
    let n = toks.len();
    if n == 0 {
        return Vec::new();
    }
    let (s0, s1) = (toks[0].start, toks[n - 1].end);
    let tok_at = |c: usize| toks.partition_point(|t| t.end <= c);
    let tok_end = |c: usize| toks.partition_point(|t| t.start < c);
    // What each token belongs to.
    let mut taken = vec![false; n];
    let mut out: Vec<ActorMention<'d>> = Vec::new();
    let mut push = |m: ActorMention<'d>, taken: &mut Vec<bool>| {
        for t in taken.iter_mut().take(m.last).skip(m.first) {
            *t = true;
        }
        out.push(m);
    };
    // 1. Entities: persons and organisations.
    let from = doc.entities.partition_point(|e| e.start < s0);
    for e in doc.entities[from..]
        .iter()
        .take_while(|e| e.start < s1)
        .filter(|e| e.end <= s1)
    {
        if !matches!(e.kind, EntityType::Person | EntityType::Org) {
            continue;
        }
        let (first, last) = (tok_at(e.start), tok_end(e.end));
        if first >= last || taken[first..last].iter().any(|&t| t) {
            continue;
        }
        let (country, sectors) = referents
            .get(doc, res, &e.canonical)
            .map(|b| (b.country, b.sectors))
            .unwrap_or_default();
        push(
            ActorMention {
                first,
                last,
                start: e.start,
                end: e.end,
                canonical: Some(e.canonical.as_str()),
                country,
                sectors,
                ..Default::default()
            },
            &mut taken,
        );
    }
    // 2. Whole-actor and sector words not inside an entity ("officials",
    // "the Kremlin", "Security Council"), nor inside a place's name of
    // several words ("Democratic People's Republic of Korea", "the West
    // Bank"): those are the place's.
    let mut in_place = vec![false; n];
    let from = doc.places.partition_point(|p| p.start < s0);
    for p in doc.places[from..].iter().take_while(|p| p.start < s1) {
        let (first, last) = (tok_at(p.start), tok_end(p.end).min(n));
        if last > first + 1 {
            in_place[first..last].iter_mut().for_each(|t| *t = true);
        }
    }
    let mut i = 0;
    while i < n {
        if taken[i] || in_place[i] {
            i += 1;
            continue;
        }
        let free = (i..n.min(i + book.agent_max_words))
            .take_while(|&k| !taken[k] && !in_place[k])
            .count();
        let mut words = [""; 8];
        for (w, t) in words.iter_mut().zip(&toks[i..i + free.min(8)]) {
            *w = t.lower;
        }
        let found = book.agent_at(&words[..free.min(8)]);
        let Some((len, code)) = found else {
            i += 1;
            continue;
        };
        // "the West" needs its article; "general" and "national" as
        // adjectives are not actors ("general election"): a one-word
        // agent must not be followed by another noun-like lowercase word
        // that is itself not an agent ("paper workers" is fine: "workers"
        // is the head and wins the next round).
        let mut len = len;
        if len == 1 && i + 1 < n && !taken[i + 1] && is_noun_like(toks[i + 1]) {
            let next_is_agent = book.agents.contains_key(toks[i + 1].lower);
            if GENERIC_HEADS.contains(&toks[i + 1].lower) {
                // "opposition groups", "rebel leaders": the first word's.
                len = 2;
            } else if (next_is_agent || !toks[i].lower.ends_with('s')) && !toks[i].capitalised {
                i += 1;
                continue;
            }
        }
        let (mut country, mut sectors) = (None, Sectors::default());
        apply_code(code, &mut sectors, &mut country);
        push(
            ActorMention {
                first: i,
                last: i + len,
                start: toks[i].start,
                end: toks[i + len - 1].end,
                country,
                sectors,
                ..Default::default()
            },
            &mut taken,
        );
        i += len;
    }
    // 3. Places: countries and cities as actors (or as where, after a
    // locative preposition); plural nationalities.
    let from = doc.places.partition_point(|p| p.start < s0);
    for p in doc.places[from..]
        .iter()
        .take_while(|p| p.start < s1)
        .filter(|p| p.end <= s1)
    {
        let (first, last) = (tok_at(p.start), tok_end(p.end));
        if first >= last || taken[first..last].iter().any(|&t| t) {
            continue;
        }
        let Some(cc) = p.country.as_deref().and_then(|c| res.alpha3(c)) else {
            continue;
        };
        let Some(cc) = Code3::new(cc) else { continue };
        let locative = locative_before(toks, first);
        let possessive = toks
            .get(last)
            .is_some_and(|t| t.text == "'s" || t.text == "’s")
            || toks
                .get(last)
                .is_some_and(|t| t.text == "'" || t.text == "’");
        let mut sectors = Sectors::default();
        if p.kind == PlaceKind::Settlement
            && p.feature.as_deref() == Some("PPLC")
            && !locative
            && !possessive
        {
            sectors.push_str("GOV");
        }
        push(
            ActorMention {
                first,
                last,
                start: p.start,
                end: p.end,
                canonical: p.name.as_deref(),
                country: Some(cc),
                sectors,
                locative,
                ..Default::default()
            },
            &mut taken,
        );
    }
    for (k, t) in toks.iter().enumerate() {
        if taken[k] {
            continue;
        }
        if PRONOUNS.contains(&t.lower) {
            push(
                ActorMention {
                    first: k,
                    last: k + 1,
                    start: t.start,
                    end: t.end,
                    pronoun: true,
                    ..Default::default()
                },
                &mut taken,
            );
        } else if let Some(cc) = toks
            .get(k + 1)
            .filter(|n| t.capitalised && n.capitalised && !taken[k + 1])
            .and_then(|n| res.demonym_country(&format!("{} {}", t.lower, n.lower)))
        {
            // Two-word nationalities: "Sierra Leonean", "South Korean".
            let n = toks[k + 1];
            push(
                ActorMention {
                    first: k,
                    last: k + 2,
                    start: t.start,
                    end: n.end,
                    country: Some(cc),
                    nationality: !n.lower.ends_with('s'),
                    ..Default::default()
                },
                &mut taken,
            );
        } else if t.capitalised && res.is_demonym(t.lower) {
            // "Palestinians blamed Israel": a plural nationality is a people;
            // "an Indian proposal": a singular one says whose.
            if let Some(cc) = res.demonym_country(t.lower) {
                let nationality = !t.lower.ends_with('s');
                push(
                    ActorMention {
                        first: k,
                        last: k + 1,
                        start: t.start,
                        end: t.end,
                        country: Some(cc),
                        nationality,
                        ..Default::default()
                    },
                    &mut taken,
                );
            }
        }
    }
    out.sort_by_key(|m| m.first);
    // 4. Countries from modifiers: a nationality or possessive place just
    // before ("Hungarian and Romanian officials" share nothing; each
    // nationality goes to the next head), a place just after ("rebels in
    // the Ivory Coast").
    let mut merged: Vec<ActorMention<'d>> = Vec::new();
    let mut k = 0;
    while k < out.len() {
        let mut m = out[k];
        k += 1;
        if m.pronoun || m.locative || m.nationality {
            merged.push(m);
            continue;
        }
        // Left: walk back over modifiers.
        let mut j = m.first;
        let mut steps = 0;
        while j > 0 && steps < 4 {
            let t = toks[j - 1];
            if t.text == "'s" || t.text == "’s" || t.text == "'" || t.text == "’" {
                j -= 1;
                continue;
            }
            if STOP.contains(&t.lower)
                || t.kind != TokenKind::Word && t.kind != TokenKind::Abbreviation
            {
                break;
            }
            if let Some(cc) = res.demonym_country(t.lower) {
                if merged
                    .last()
                    .is_some_and(|p| p.nationality && p.first == j - 1)
                {
                    merged.pop();
                }
                if m.country.is_none() {
                    m.country = Some(cc);
                }
                m.first = j - 1;
                m.start = t.start;
                j -= 1;
                steps += 1;
                continue;
            }
            // A place or actor just before: possessive or compound
            // ("Russia's FSB", "UK Ministry"), or a named actor before a
            // generic head ("Hezbollah guerrillas", "Kremlin officials").
            if let Some(prev) = merged.last() {
                let named_before_generic = m.canonical.is_none()
                    && !m.sectors.is_empty()
                    && prev.canonical.is_some()
                    && !prev.locative;
                if prev.last == j
                    && !prev.pronoun
                    && (named_before_generic || prev.sectors.iter().all(|s| *s == "GOV"))
                {
                    let prev = merged.pop().unwrap_or_else(|| unreachable!());
                    if m.country.is_none() {
                        m.country = prev.country;
                    }
                    if m.canonical.is_none() {
                        m.canonical = prev.canonical;
                    }
                    m.first = prev.first;
                    m.start = prev.start;
                    break;
                }
            }
            if t.capitalised || is_noun_like(t) || t.lower.contains('-') {
                j -= 1;
                steps += 1;
                continue;
            }
            break;
        }
        // Right: "of/in/from [the] <place or nationality>".
        if m.country.is_none() && !m.sectors.is_empty() {
            let mut r = m.last;
            if r < n && matches!(toks[r].lower, "of" | "in" | "from") {
                r += 1;
                if r < n && toks[r].lower == "the" {
                    r += 1;
                }
                if let Some(next) = out.get(k).filter(|o| o.first == r && o.country.is_some()) {
                    m.country = next.country;
                    m.last = next.last;
                    m.end = next.end;
                    k += 1;
                } else if r < n {
                    if let Some(cc) = res.demonym_country(toks[r].lower) {
                        m.country = Some(cc);
                    }
                }
            }
        }
        // "X (Y)": the bracketed name is X's ("organisation (PMC)").
        if let Some(prev) = merged.last_mut() {
            let between: Vec<&str> = toks[prev.last.min(m.first)..m.first]
                .iter()
                .map(|t| t.text)
                .collect();
            if between == ["("] && toks.get(m.last).is_some_and(|t| t.text == ")") && !prev.pronoun
            {
                if prev.country.is_none() {
                    prev.country = m.country;
                }
                if prev.sectors.is_empty() {
                    prev.sectors = m.sectors;
                }
                if prev.canonical.is_none() {
                    prev.canonical = m.canonical;
                }
                prev.last = m.last + 1;
                prev.end = toks[m.last].end;
                continue;
            }
            // "in the Bakhmut and Melitopol directions": a place joined by
            // "and" to a locative place is locative too.
            if prev.locative
                && m.first >= 1
                && prev.last + 1 == m.first
                && toks[m.first - 1].lower == "and"
            {
                m.locative = true;
            }
        }
        merged.push(m);
    }
    merged
}

/// Whether the place starting at token `k` is where, not who: after a
/// locative preposition ("in", "near"; "of" only after a direction or
/// "outskirts"), skipping "the", "city of", "eastern"…, or after a
/// direction ("south of Andriivka").
pub(crate) fn locative_before(toks: &[TokenView<'_>], k: usize) -> bool {
    let mut b = k;
    let mut direction = false;
    while b > 0 {
        let w = toks[b - 1].lower;
        if matches!(
            w,
            "south"
                | "north"
                | "east"
                | "west"
                | "outskirts"
                | "centre"
                | "center"
                | "southeast"
                | "southwest"
                | "northeast"
                | "northwest"
                | "suburbs"
                | "heart"
        ) {
            direction = true;
        } else if !matches!(
            w,
            "the"
                | "of"
                | "city"
                | "town"
                | "village"
                | "region"
                | "province"
                | "sector"
                | "area"
                | "direction"
                | "eastern"
                | "western"
                | "southern"
                | "northern"
                | "central"
                | "devastated"
                | "besieged"
                | "occupied"
                | "frontline"
                | "front-line"
                | "capital"
        ) {
            break;
        }
        b -= 1;
    }
    direction && b < k
        || b > 0 && LOCATIVE.contains(&toks[b - 1].lower) && toks[b - 1].lower != "of"
}

/// The country and sectors of a person or organisation entity: from the
/// actor words of its name and role, its affiliation, a place or
/// nationality inside it.
fn entity_code(
    doc: &Doc,
    res: &Resources,
    e: &sitrep_core::Entity,
    first_mention: &HashMap<&str, usize>,
) -> (Option<Code3>, Sectors) {
    let lower_name = e.text.to_lowercase();
    let lower: Vec<&str> = lower_name
        .split(|c: char| c.is_whitespace() || c == '\'' || c == '’')
        .filter(|w| !w.is_empty())
        .collect();
    let book = &res.codebook;
    let mut sectors = Sectors::default();
    let mut country = None;
    // Whole-actor words inside the name ("FSB" → RUSSPY).
    agent_codes(book, &lower, &mut sectors, &mut country);
    if let Some(role) = &e.role {
        let words: Vec<String> = role.split_whitespace().map(str::to_lowercase).collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let mut role_sectors = Sectors::default();
        agent_codes(book, &words, &mut role_sectors, &mut country);
        // The last actor word of the role is its head ("Commander of
        // the Ground Forces" → MIL; "Defence Minister" → GOV).
        if let Some(last) = role_sectors.pop() {
            sectors = Sectors::one(last);
        }
    }
    if e.kind == EntityType::Org && sectors.is_empty() {
        let l = e.canonical.to_lowercase();
        if l.contains("international") || l.contains("united nations") {
            sectors.push_str("IGO");
        }
    }
    if sectors.len() > 1 {
        // The head of an organisation's name is its last actor word.
        if let Some(last) = sectors.pop() {
            sectors = Sectors::one(last);
        }
    }
    known_actor_code(doc, res, e, &mut sectors, &mut country);
    if e.kind == EntityType::Person && e.role.is_none() && sectors.is_empty() {
        // "Jordan" typed as a person by its given-name shape.
        if let Some(cc) = res.country_by_name.get(&e.text.to_lowercase()) {
            country = Some(*cc);
        }
    }
    if country.is_none() {
        country = e
            .affiliation
            .as_deref()
            .and_then(|a| country_of_name(doc, res, first_mention, a, 2));
    }
    if country.is_none() {
        country = inner_country(doc, res, e.start, e.end);
    }
    if sectors.contains("IGO") {
        country = Code3::new("IGO");
        sectors.retain(|s| *s == "UNO");
    }
    if e.kind == EntityType::Person && sectors.is_empty() && country.is_none() {
        // A person named without any role: an actor only through
        // their country, which we do not know.
        sectors.push_str("ELI");
    }
    (country, sectors)
}

/// What the lexicon of known actors adds to what the text said: a person's
/// office in the article's year ("Putin" in 2015 → RUS GOV; a former
/// office holder → ELI), an organisation's country and sector ("FSB" →
/// RUS SPY). Words in the text (a role, a nationality) come first.
fn known_actor_code(
    doc: &Doc,
    res: &Resources,
    e: &sitrep_core::Entity,
    sectors: &mut Sectors,
    country: &mut Option<Code3>,
) {
    let (office_country, sector) = match e.kind {
        EntityType::Person => {
            let year = doc.published.map(|d| d.year);
            let Some((_, term)) = res
                .known
                .person_at(&e.canonical, year)
                .or_else(|| res.known.person_at(&e.text, year))
            else {
                return;
            };
            let in_office = year.is_none_or(|y| term.covers(y));
            (
                term.country.as_deref(),
                if in_office {
                    term.sector.as_str()
                } else {
                    "ELI"
                },
            )
        }
        EntityType::Org => {
            let Some(org) = res
                .known
                .organisation(&e.canonical)
                .or_else(|| res.known.organisation(&e.text))
            else {
                return;
            };
            (org.country.as_deref(), org.sector.as_str())
        }
        _ => return,
    };
    if country.is_none() {
        *country = office_country
            .and_then(|c| res.alpha3(c))
            .and_then(Code3::new);
    }
    // A known armed group named like an army is not the state's military:
    // the Rapid Support Forces are rebels (REB), whatever "forces" says.
    if e.kind == EntityType::Org
        && matches!(sector, "REB" | "IMG" | "UAF")
        && sectors.contains("MIL")
        && e.role.is_none()
    {
        *sectors = Sectors::default();
    }
    if sectors.is_empty() && !sector.is_empty() {
        // United Nations bodies are IGOs first ("IGOUNO").
        if sector == "UNO" {
            sectors.push_str("IGO");
        }
        sectors.push_str(sector);
    }
}

/// A lower-case word that may be part of a noun phrase.
fn is_noun_like(t: TokenView<'_>) -> bool {
    t.kind == TokenKind::Word
        && !t.capitalised
        && !STOP.contains(&t.lower)
        && !t.lower.ends_with("ed")
        && !t.lower.ends_with("ing")
}

/// Adds the agent codes of every agent phrase inside `words`.
fn agent_codes(
    book: &Codebook,
    words: &[&str],
    sectors: &mut Sectors,
    country: &mut Option<Code3>,
) {
    let mut i = 0;
    while i < words.len() {
        let mut step = 1;
        if let Some((len, code)) = book.agent_at(&words[i..]) {
            apply_code(code, sectors, country);
            step = len;
        }
        i += step;
    }
}

/// Applies one `agents.tsv` code: a sector, or a whole actor with country.
fn apply_code(code: &str, sectors: &mut Sectors, country: &mut Option<Code3>) {
    match code {
        "WST" | "IGO" | "NGO" => *country = Code3::new(code),
        "IGOUNO" => {
            *country = Code3::new("IGO");
            sectors.push_str("UNO");
        }
        _ if code.len() == 6 => {
            if country.is_none() {
                *country = Code3::new(&code[..3]);
            }
            sectors.push_str(&code[3..]);
        }
        _ => sectors.push_str(code),
    }
}

/// The country of a name given as an affiliation: a country's name, or an
/// organisation the document names (followed `depth` times).
fn country_of_name(
    doc: &Doc,
    res: &Resources,
    first_mention: &HashMap<&str, usize>,
    name: &str,
    depth: u8,
) -> Option<Code3> {
    if let Some(cc) = res.country_by_name.get(&name.to_lowercase()) {
        return Some(*cc);
    }
    if depth == 0 {
        return None;
    }
    let e = &doc.entities[*first_mention.get(name)?];
    e.affiliation
        .as_deref()
        .filter(|a| *a != name)
        .and_then(|a| country_of_name(doc, res, first_mention, a, depth - 1))
        .or_else(|| inner_country(doc, res, e.start, e.end))
}

/// A place or nationality inside `start..end` ("**UK** Ministry of Defence",
/// "General Staff of the **Ukrainian** Armed Forces").
fn inner_country(doc: &Doc, res: &Resources, start: usize, end: usize) -> Option<Code3> {
    let from = doc.places.partition_point(|p| p.start < start);
    let place = doc.places[from..]
        .iter()
        .take_while(|p| p.start < end)
        .filter(|p| p.end <= end)
        .find_map(|p| p.country.as_deref().and_then(|c| res.alpha3(c)));
    if let Some(cc) = place.and_then(Code3::new) {
        return Some(cc);
    }
    let mut lower = String::new();
    doc.slice(start, end)
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .find_map(|w| {
            lower.clear();
            lower.extend(w.chars().flat_map(char::to_lowercase));
            res.demonym_country(&lower)
        })
}

/// Maps country names (lower case) to alpha-3 codes.
pub(crate) fn country_names(gaz: &sitrep_gazetteer::Gazetteer) -> HashMap<String, Code3> {
    let mut out = HashMap::default();
    for (a2, a3) in &gaz.meta().alpha3 {
        if let (Some(name), Some(a3)) = (gaz.country_name(a2), Code3::new(a3)) {
            out.insert(name.to_lowercase(), a3);
        }
    }
    out
}
