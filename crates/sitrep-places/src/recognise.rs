//! Recognition: which spans name places. Gazetteer matching (longest
//! match over capitalised token runs) filtered by the run around the match,
//! the sentence's case pattern, titles, times and demonyms.

use sitrep_core::{Doc, TokenKind};
use std::collections::HashSet;

use sitrep_gazetteer::{fold_into, Gazetteer, Kind, NameKind, FLAG_CAPITAL, FLAG_OURS};

use crate::lexicon::{self, Lexicon, TypeHint};

/// Longest toponym tried, in tokens ("Bosnia and Herzegovina", "Saint
/// Vincent and the Grenadines").
const MAX_TOKENS: usize = 6;

/// A toponym found in the text, before resolution.
#[derive(Debug, Clone)]
pub struct Mention {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// First token (index into `doc.tokens`).
    pub first_token: usize,
    /// One past the last token.
    pub end_token: usize,
    /// The folded lookup key.
    pub key: String,
    /// What the surrounding words say about the kind of place.
    pub hint: Option<TypeHint>,
    /// The name is the subject of a speech or stance verb.
    pub metonymy: bool,
    /// The sentence it is in.
    pub sentence: usize,
    /// Written as an acronym ("RIA", "U.S."): only preferred names and our
    /// aliases count, not the gazetteer's alternate names.
    pub acronym: bool,
    /// The text of the span.
    pub surface: String,
}

impl Mention {
    /// The mention of the sentence's tokens `span` (`first` is the
    /// sentence's first token in the document), with no hint, metonymy or
    /// acronym.
    fn over(
        toks: &[Tk<'_>],
        span: std::ops::Range<usize>,
        first: usize,
        sentence: usize,
        key: String,
        surface: &str,
    ) -> Mention {
        Mention {
            start: toks[span.start].start,
            end: toks[span.end - 1].end,
            first_token: first + span.start,
            end_token: first + span.end,
            key,
            hint: None,
            metonymy: false,
            sentence,
            acronym: false,
            surface: surface.to_string(),
        }
    }

    /// A name inside one token ("Kyiv" of "Kyiv-based", "US" of
    /// "Egypt-US"), starting at code point `start`.
    fn in_token(
        start: usize,
        surface: &str,
        token: usize,
        sentence: usize,
        key: &str,
        acronym: bool,
    ) -> Mention {
        Mention {
            start,
            end: start + surface.chars().count(),
            first_token: token,
            end_token: token + 1,
            key: key.to_string(),
            hint: None,
            metonymy: false,
            sentence,
            acronym,
            surface: surface.to_string(),
        }
    }
}

/// One token as recognition sees it.
type Tk<'d> = sitrep_core::TokenView<'d>;

fn is_connector(lower: &str) -> bool {
    matches!(
        lower,
        "of" | "de"
            | "la"
            | "le"
            | "du"
            | "des"
            | "del"
            | "al"
            | "el"
            | "and"
            | "the"
            | "upon"
            | "on"
            | "am"
            | "an"
            | "der"
            | "-"
            | "'s"
    )
}

/// Whether `toks[i..j]`, opening its sentence, is a dateline's place: in
/// capitals ("OMAHA", "ST. PAUL", "ST. JOHN'S"), then a dash, or a comma
/// and a capitalised state or country ("HURRICANE, W.Va. -").
fn is_dateline(toks: &[Tk<'_>], i: usize, j: usize) -> bool {
    let caps = toks[i..j].iter().all(|t| {
        !t.text.chars().any(char::is_lowercase) && t.text.chars().any(char::is_uppercase)
            || t.kind == TokenKind::Punct
            || matches!(t.text, "'S" | "’S")
    });
    let letters: usize = toks[i..j]
        .iter()
        .map(|t| t.text.chars().filter(|c| c.is_alphabetic()).count())
        .sum();
    if !caps || letters < 3 {
        return false;
    }
    let dash = |t: &Tk<'_>| matches!(t.text, "-" | "--" | "—" | "–" | "―");
    match toks.get(j) {
        Some(t) if dash(t) => true,
        Some(t) if t.text == "," => toks.get(j + 1).is_some_and(|s| {
            s.capitalised
                && s.text.chars().any(char::is_lowercase)
                && toks.get(j + 2).is_some_and(|d| dash(d) || d.capitalised)
        }),
        _ => false,
    }
}

/// True when most words of the sentence are capitalised: a Title Case
/// headline, where capitals say nothing.
fn title_case(toks: &[Tk<'_>]) -> bool {
    let words: Vec<&Tk<'_>> = toks
        .iter()
        .filter(|t| t.kind == TokenKind::Word && t.lower.len() > 3)
        .collect();
    let caps = words.iter().filter(|t| t.capitalised).count();
    if words.len() < 3 || caps * 4 < words.len() * 3 {
        return false;
    }
    // A sentence dense with names ("In Mansfield, Richland County Sheriff
    // Steve Sheldon spoke") is not a headline: headlines also capitalise
    // their small words ("Says It Is Ready For Talks").
    let small_caps = toks.iter().skip(1).any(|t| {
        t.capitalised
            && matches!(
                t.lower,
                "and"
                    | "for"
                    | "is"
                    | "it"
                    | "of"
                    | "to"
                    | "in"
                    | "on"
                    | "with"
                    | "at"
                    | "by"
                    | "as"
                    | "are"
                    | "be"
                    | "has"
                    | "have"
                    | "will"
                    | "from"
                    | "after"
                    | "over"
                    | "its"
                    | "says"
                    | "said"
                    | "the"
                    | "a"
            )
    });
    small_caps || caps == words.len()
}

/// Finds the toponym mentions of `doc`, in text order.
pub fn recognise(doc: &Doc, gaz: &Gazetteer, lex: &Lexicon) -> Vec<Mention> {
    let mut out = Vec::new();
    let mut key = String::new();
    // Words the document also writes in lower case: common words, whatever
    // a sentence-initial capital suggests.
    let surnames = surnames(doc, gaz);
    let teams = table_teams(doc);
    // Capitalised words the document writes after "in", "near", "from"…
    let after_locative: HashSet<&str> = (1..doc.tokens.len())
        .filter(|&k| lexicon::is_locative(doc.token_lower(k - 1)))
        .filter(|&k| {
            doc.slice(doc.tokens[k].start, doc.tokens[k].end)
                .starts_with(|c: char| c.is_uppercase())
        })
        .map(|k| doc.token_lower(k))
        .collect();
    let lower_words: HashSet<&str> = doc
        .tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            doc.slice(t.start, t.end)
                .starts_with(|c: char| c.is_lowercase())
        })
        .map(|(i, _)| doc.token_lower(i))
        .collect();
    let mut next_tok = 0usize;
    for (si, s) in doc.sentences.iter().enumerate() {
        let range = doc.sentence_token_range(s, &mut next_tok);
        let first = range.start;
        let toks: Vec<Tk<'_>> = range.map(|k| doc.token_view(k)).collect();
        let headline = title_case(&toks);
        // A line in capitals ("BONN 1996-08-22"): a short name is no acronym.
        let shouting = toks
            .iter()
            .filter(|t| t.kind == TokenKind::Word && t.text.len() > 2)
            .all(|t| !t.text.chars().any(char::is_lowercase));
        // The first word of a sentence (after opening quotes or brackets)
        // is capitalised whatever it is.
        let opener = toks
            .iter()
            .position(|t| t.kind != TokenKind::Punct)
            .unwrap_or(0);
        let listed = listed_kinds(&toks);
        let mut i = 0;
        while i < toks.len() {
            let t = &toks[i];
            if !t.capitalised || !matches!(t.kind, TokenKind::Word | TokenKind::Abbreviation) {
                i += 1;
                continue;
            }
            // (A mention may run past its sentence: "D-N." "Y.")
            if out
                .last()
                .is_some_and(|m: &Mention| m.end_token > first + i)
            {
                i += 1;
                continue;
            }
            if let Some(m) = party_state(doc, gaz, &toks, i, si, first) {
                i += m.end_token - m.first_token;
                out.push(m);
                continue;
            }
            let Some((n, k)) = longest_match(doc, gaz, &toks[i..], &mut key) else {
                // "Kyiv-based", "Atlanta-area": the name before a hyphen
                // and a lower-case word.
                if let Some(m) = hyphen_prefix(gaz, lex, t, si, first + i, &mut key) {
                    out.push(m);
                } else {
                    // "Egypt-US relations", "Fargo-Moorhead": names joined;
                    // after a given name, a double-barrelled surname.
                    let after_name = i > 0
                        && toks[i - 1].capitalised
                        && toks[i - 1].kind == TokenKind::Word
                        && (i - 1 != opener || gaz.is_given_name(toks[i - 1].lower))
                        && !headline;
                    if !after_name {
                        out.extend(hyphen_pair(gaz, lex, t, si, first + i));
                    }
                }
                i += 1;
                continue;
            };
            let j = i + n; // one past the match
            let surface = doc.slice(toks[i].start, toks[j - 1].end);
            // A dateline ("WINONA -- The body…", "SALINA, Kan. Strong
            // winds…") names the town the story is filed from: no acronym,
            // given name or common word however it is spelt.
            if i == opener
                && is_dateline(&toks, i, j)
                && !lex.demonyms.contains_key(&k)
                && !lex.not_places.contains(&k)
            {
                out.push(Mention {
                    hint: Some(TypeHint::Settlement),
                    ..Mention::over(&toks, i..j, first, si, k, surface)
                });
                i = j;
                continue;
            }
            let acronym = is_acronym(surface) && !shouting;
            let facts = NameFacts::of(gaz, &k, surface);
            // "Red Cross", "White House": a known organisation's or
            // person's name that is also a small place's is theirs. (A
            // country inside a name stays a place: "U.S. Senate", "EU".)
            let team = team_in_table(&toks, j)
                || !teams.is_empty()
                    && teams.contains(surface)
                    && !i
                        .checked_sub(1)
                        .is_some_and(|p| lexicon::is_locative(toks[p].lower));
            if !facts.strong && known_actor(surface) || team {
                i = j;
                continue;
            }
            if acronym && !facts.acronym_ok {
                i = j;
                continue;
            }
            let strong = facts.strong;
            // Known only by a source's alternate name, and small: "Talla"
            // for Tallaght, "Edmonton" for a Ukrainian village. Too weak to
            // take a capitalised word for a place.
            if facts.weak_alias {
                i = j;
                continue;
            }
            // A surname seen earlier in a full name ("John Moore … Moore
            // said") is the person, unless the name is a country or state.
            if j - i == 1 && !strong && surnames.contains(toks[i].lower) {
                i = j;
                continue;
            }
            // "St. Patrick's Day", "St. George's Day": a feast, not the
            // towns named after the saint.
            let feast = toks.get(j).is_some_and(|t| matches!(t.lower, "'s" | "’s"))
                && toks.get(j + 1).is_some_and(|t| t.lower == "day");
            if feast {
                i = j;
                continue;
            }
            // "Moore said": a lone name speaking is a person, unless it is a
            // country, division or capital speaking for its government.
            let speaks = toks
                .get(j)
                .is_some_and(|t| lexicon::SPEECH_VERBS.contains(&t.lower));
            // ("People from Brampton said", "police in Sevierville say":
            // placed by a locative word, it is the place's people.)
            let placed = i
                .checked_sub(1)
                .is_some_and(|p| lexicon::is_locative(toks[p].lower));
            if j - i == 1 && speaks && !strong && !placed {
                i = j;
                continue;
            }
            // A capital that says nothing (start of a sentence, headline) on
            // an English word ("Give", "Park", "Reading") makes no name,
            // unless the place is one everybody knows.
            // Mid-sentence, a capitalised English word is often a name, but
            // a person's ("Ford", "Grant") as often as a town's: it takes a
            // locative word before it or a comma after it ("in Hope",
            // "Hope, Ark.") to be a place.
            let initial = i == opener || headline;
            // The document placing the name once ("in Troy") places it
            // everywhere; so does a civic body named after it ("Troy Police").
            let located = i
                .checked_sub(1)
                .is_some_and(|p| lexicon::is_locative(toks[p].lower))
                || toks
                    .get(j)
                    .is_some_and(|n| n.text == "," || lexicon::is_org_head(n.lower))
                || after_locative.contains(toks[i].lower)
                // "Cooke, Grayson and Love counties".
                || listed[j - 1].is_some()
                // "Middletown, Trenton and Monroe": listed after a place.
                || (i >= 1
                    && matches!(toks[i - 1].lower, "," | "and" | "or")
                    && out.last().is_some_and(|m: &Mention| m.end_token + 1 == first + i));
            // A lone given name ("Patrick", "Kristina") is a person under
            // the same conditions.
            let lower = toks[i].lower;
            // ("Douglas and Wyandotte counties" say what they are.)
            if j - i == 1
                && (initial || !located)
                && listed[j - 1].is_none()
                && (gaz.is_word(lower) || gaz.is_given_name(lower))
                && !strong
                && !facts.big
            {
                i = j;
                continue;
            }
            if accept(
                doc,
                gaz,
                lex,
                &lower_words,
                &toks,
                i,
                j,
                opener,
                headline,
                strong,
                &k,
            ) {
                let hint = type_hint(&toks, i, j).or(listed[j - 1]);
                let metonymy = toks
                    .get(j)
                    .is_some_and(|t| lexicon::METONYMY_VERBS.contains(&t.lower));
                out.push(Mention {
                    hint,
                    metonymy,
                    acronym,
                    ..Mention::over(&toks, i..j, first, si, k, surface)
                });
            }
            i = j;
        }
    }
    out
}

/// Whether the name ending before `toks[j]` is a team's in a results or
/// standings row ("Norwich 1 Wolverhampton 0", "NEW YORK 74 59 .556 -"): a
/// sentence of capitalised names and at least two numbers, the name
/// followed by a number that is not a date ("BONN 1996-08-22" is a
/// dateline, and Bonn a place).
pub fn team_in_table(toks: &[Tk<'_>], j: usize) -> bool {
    let Some(next) = toks.get(j) else {
        return false;
    };
    let date_like = |t: &Tk<'_>| {
        t.text.matches('-').count() >= 2
            || t.text.len() == 4
                && t.text
                    .parse::<u32>()
                    .is_ok_and(|y| (1800..=2100).contains(&y))
    };
    if next.kind != TokenKind::Number || date_like(next) {
        return false;
    }
    let mut numbers = 0;
    for t in toks {
        match t.kind {
            TokenKind::Number => numbers += 1,
            // Cricket scorecards: "Surrey 468 and 109 ( C. Lewis 94 not out )".
            TokenKind::Word
                if !t.capitalised
                    && !matches!(
                        t.lower,
                        "v" | "vs" | "points" | "pts" | "and" | "not" | "out" | "for"
                    ) =>
            {
                return false
            }
            _ => {}
        }
    }
    numbers >= 2
}

/// The names the document writes as teams in a results or standings row
/// ([`team_in_table`]), as written: "Surrey 468 and 109" makes every
/// "Surrey" of a cricket report the county side, except after a locative
/// word ("in Surrey"); a dateline in capitals ("LONDON 1996-08-30") is
/// another name.
pub fn table_teams(doc: &Doc) -> HashSet<String> {
    let mut teams = HashSet::new();
    let mut next = 0;
    for s in &doc.sentences {
        let range = doc.sentence_token_range(s, &mut next);
        let numbers = range
            .clone()
            .filter(|&k| doc.tokens[k].kind == TokenKind::Number)
            .count();
        if numbers < 2 {
            continue;
        }
        let toks: Vec<Tk<'_>> = range.map(|k| doc.token_view(k)).collect();
        let mut i = 0;
        while i < toks.len() {
            let name = |t: &Tk<'_>| t.capitalised && t.kind == TokenKind::Word;
            if !name(&toks[i]) {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < toks.len() && name(&toks[j]) {
                j += 1;
            }
            if j - i <= 3 && team_in_table(&toks, j) {
                teams.insert(doc.slice(toks[i].start, toks[j - 1].end).to_string());
            }
            i = j;
        }
    }
    teams
}

/// Whether `name` is a known organisation's or person's ("Arafat" is the
/// Palestinian leader before the Saudi hill).
fn known_actor(name: &str) -> bool {
    let known = sitrep_lexicon::KnownActors::bundled();
    known.organisation(name).is_some() || known.is_person(name)
}

/// The longest run of tokens from `toks[0]` whose text is a gazetteer name:
/// `(tokens, folded key)`.
fn longest_match(
    doc: &Doc,
    gaz: &Gazetteer,
    toks: &[Tk<'_>],
    key: &mut String,
) -> Option<(usize, String)> {
    let max = toks.len().min(MAX_TOKENS);
    // The run may hold capitalised words, abbreviations and connectors,
    // and must end on a capitalised word or abbreviation.
    let mut limit = 0;
    for (k, t) in toks.iter().take(max).enumerate() {
        let ok = (t.capitalised && matches!(t.kind, TokenKind::Word | TokenKind::Abbreviation))
            || (k > 0 && (is_connector(t.lower) || t.text == "-" || t.text == "."));
        if !ok {
            break;
        }
        limit = k + 1;
    }
    for n in (1..=limit).rev() {
        let last = &toks[n - 1];
        if !last.capitalised {
            continue;
        }
        fold_into(doc.slice(toks[0].start, last.end), key);
        // "Dublin City Council", "Kyiv City Administration": the body's
        // name holds the place "Dublin", not the division "Dublin City";
        // but "Kansas City International" holds the city of that name.
        if n > 1
            && matches!(last.lower, "city" | "town" | "village")
            && toks
                .get(n)
                .is_some_and(|t| t.capitalised && lexicon::is_org_head(t.lower))
            && !gaz.lookup(key).any(|(id, how)| {
                how != NameKind::Alternate && gaz.record(id).kind == Kind::Settlement
            })
        {
            continue;
        }
        if !key.is_empty() && !gaz.lookup(key).is_empty() {
            return Some((n, key.clone()));
        }
    }
    None
}

/// The place name before "-based", "-area", "-backed" in one token.
fn hyphen_prefix(
    gaz: &Gazetteer,
    lex: &Lexicon,
    t: &Tk<'_>,
    sentence: usize,
    token: usize,
    key: &mut String,
) -> Option<Mention> {
    let (prefix, rest) = t.text.split_once('-')?;
    // "D-Charleston", "R-Ga.": a legislator's party and home.
    let (prefix, offset) =
        if matches!(prefix, "D" | "R" | "I") && rest.starts_with(|c: char| c.is_uppercase()) {
            (rest, 2)
        } else {
            (prefix, 0)
        };
    if offset == 0 && !rest.starts_with(|c: char| c.is_lowercase()) || prefix.chars().count() < 3 {
        return None;
    }
    fold_into(prefix, key);
    if lex.demonyms.contains_key(key.as_str()) || lex.not_places.contains(key.as_str()) {
        return None;
    }
    // Only names that are not mere alternates: "Pro-" or "Anti-" are no places.
    if !gaz.lookup(key).any(|(_, how)| how != NameKind::Alternate) {
        return None;
    }
    Some(Mention::in_token(
        t.start + offset,
        prefix,
        token,
        sentence,
        key,
        false,
    ))
}

/// A legislator's party and state as US news writes them ("D-N.Y.",
/// "R-Ohio", "D-Pa."): the state after the hyphen, with the abbreviation's
/// dots the tokens split off ("D-N" "." "Y.").
fn party_state(
    doc: &Doc,
    gaz: &Gazetteer,
    toks: &[Tk<'_>],
    i: usize,
    sentence: usize,
    first: usize,
) -> Option<Mention> {
    let t = &toks[i];
    let rest = ["D-", "R-", "I-"]
        .iter()
        .find_map(|p| t.text.strip_prefix(p))?;
    if !rest.starts_with(|c: char| c.is_uppercase()) {
        return None;
    }
    // Read on in the document's tokens: the splitter may end a sentence
    // at "D-N.".
    let at = first + i;
    let mut end = at + 1;
    while end < doc.tokens.len()
        && end - at < 4
        && doc.tokens[end].start == doc.tokens[end - 1].end
        && (doc.token_view(end).text == "." || is_initial(doc.token_view(end).text))
    {
        end += 1;
    }
    let start = t.start + 2;
    let mut key = String::new();
    for e in (at + 1..=end).rev() {
        let surface = doc.slice(start, doc.tokens[e - 1].end);
        fold_into(surface, &mut key);
        let state = !key.is_empty()
            && gaz
                .lookup(&key)
                .any(|(id, how)| how != NameKind::Alternate && gaz.record(id).kind == Kind::Admin1);
        if state {
            return Some(Mention {
                start,
                end: doc.tokens[e - 1].end,
                first_token: at,
                end_token: e,
                key,
                hint: Some(TypeHint::Admin1),
                metonymy: false,
                sentence,
                acronym: false,
                surface: surface.to_string(),
            });
        }
    }
    None
}

/// The places of a token joining capitalised names with hyphens
/// ("Washington-Moscow route", "Egypt-US relations", "Fargo-Moorhead"):
/// every part must be a name, and it takes two places, or a country,
/// division or capital, to read the token as places rather than a
/// double-barrelled surname ("Chinnici-Zuercher") or an Arabic name
/// ("Abdel-Wahed").
fn hyphen_pair(
    gaz: &Gazetteer,
    lex: &Lexicon,
    t: &Tk<'_>,
    sentence: usize,
    token: usize,
) -> Vec<Mention> {
    let parts: Vec<&str> = t.text.split('-').collect();
    if parts.len() < 2
        || parts.len() > 3
        || !parts
            .iter()
            .all(|p| p.chars().count() >= 2 && p.starts_with(|c: char| c.is_uppercase()))
    {
        return Vec::new();
    }
    let mut key = String::new();
    let mut found = Vec::new();
    let mut strong = false;
    let mut offset = 0;
    for part in &parts {
        let len = part.chars().count();
        fold_into(part, &mut key);
        let lower = part.to_lowercase();
        let named = !key.is_empty()
            && !lex.demonyms.contains_key(key.as_str())
            && !lex.not_places.contains(key.as_str())
            && !gaz.is_given_name(&lower)
            && gaz.lookup(&key).any(|(id, how)| {
                if is_acronym(part) {
                    acronym_names(gaz, id, how, part)
                } else {
                    how != NameKind::Alternate
                }
            });
        if named {
            let facts = NameFacts::of(gaz, &key, part);
            strong |= facts.strong;
            found.push(Mention::in_token(
                t.start + offset,
                part,
                token,
                sentence,
                &key,
                is_acronym(part),
            ));
        }
        offset += len + 1;
    }
    if found.len() == parts.len() || strong {
        found
    } else {
        Vec::new()
    }
}

/// Filters that keep people, organisations, adjectives and capitalised
/// common words out.
#[allow(clippy::too_many_arguments)]
fn accept(
    doc: &Doc,
    gaz: &Gazetteer,
    lex: &Lexicon,
    lower_words: &HashSet<&str>,
    toks: &[Tk<'_>],
    i: usize,
    j: usize,
    opener: usize,
    headline: bool,
    strong: bool,
    key: &str,
) -> bool {
    let single = j - i == 1;
    let start = toks[i].start;
    let end = toks[j - 1].end;
    if lex.demonyms.contains_key(key) {
        return false;
    }
    if (single || key.contains(' ')) && lex.not_places.contains(key) {
        return false;
    }
    // Inside a time expression ("May 2023") or a quote speaker's name.
    if doc.times.iter().any(|t| t.start < end && start < t.end) {
        return false;
    }
    // A title before it: a person ("Gen. Syrskyi", "President Lincoln").
    if let Some(p) = i.checked_sub(1).map(|p| &toks[p]) {
        let bare = p.lower.trim_end_matches('.');
        if lexicon::is_person_title(bare) {
            return false;
        }
        // Inside an organisation's "X of Y" name: "the Institute for the
        // Study of War" (but "University of Texas", "the city of Kharkiv").
        if matches!(p.lower, "of" | "for" | "de") && i >= 2 {
            let pp = &toks[i - 2];
            if pp.capitalised
                && matches!(pp.kind, TokenKind::Word)
                && i - 2 != opener
                && !headline
                && !lexicon::is_org_head(pp.lower)
                && lexicon::type_word_before_of(pp.lower).is_none()
                && !person_before_of(gaz, toks, i - 2)
            {
                return false;
            }
        }
        // A middle initial before it: "Marsha J. Moore", "Vincent J. Fumo".
        if is_initial(p.text)
            && i >= 2
            && toks[i - 2].capitalised
            && matches!(toks[i - 2].kind, TokenKind::Word | TokenKind::Abbreviation)
            && !headline
        {
            return false;
        }
        // A firm's partners: "Stevens & Wilkinson".
        if p.text == "&" {
            return false;
        }
        // Part of a longer capitalised name: "Jordan Bardella", "Chiquita
        // Raquel Henry", unless the word before is a place prefix.
        if p.capitalised
            && matches!(p.kind, TokenKind::Word)
            && (i - 1 != opener || gaz.is_given_name(p.lower))
            && !headline
            && !lexicon::is_place_prefix(p.lower)
        {
            return false;
        }
    }
    if toks.get(j).is_some_and(|n| n.text == "&") {
        return false;
    }
    if let Some(n) = toks.get(j) {
        // "Washington Post", "Jordan Bardella": the name goes on with a word
        // that is not an organisation head ("Alexandria Police" is kept).
        let ends_in_type_word = lexicon::type_word(toks[j - 1].lower).is_some();
        // "the Washington Post": even a state's name starts an
        // organisation's after "the".
        let after_the = i > 0 && toks[i - 1].lower == "the";
        // … unless a government or civic body's head word follows within
        // its name ("the U.S. Fish and Wildlife Service", "the Kentucky
        // Attorney General's Office").
        let body = after_the
            && toks[j..]
                .iter()
                .take(6)
                .take_while(|t| {
                    t.capitalised || matches!(t.lower, "of" | "and" | "for" | "'s" | "’s" | "the")
                })
                .any(|t| lexicon::is_org_head(t.lower) || lexicon::is_body_head(t.lower));
        // "Washington Drive", "Dublin Road": a street named after a place.
        let street =
            lexicon::is_street_word(n.lower) && lexicon::type_word(toks[j - 1].lower).is_none();
        if street {
            return false;
        }
        // "Virginia Madsen", "Chad LaBumbard": a given name before a name
        // that is no English word is a person's, however strong the name
        // ("Georgia Modular Systems", "Florida Attorney General" stay).
        let person = single
            && gaz.is_given_name(toks[i].lower)
            && (gaz.is_given_name(n.lower) || !gaz.is_word(n.lower));
        if n.capitalised
            && matches!(n.kind, TokenKind::Word)
            && !headline
            && (!strong || (after_the && !body) || person)
            && !ends_in_type_word
            && !lexicon::is_org_head(n.lower)
            && lexicon::type_word(n.lower).is_none()
            // "Gainesville VFW Post": an acronym after a name is its body's.
            && !is_acronym(n.text)
        {
            return false;
        }
        // Possessive person names are rare; "Russia's" stays a place.
    }
    // Sentence-initial or headline words: a capital that says nothing.
    // Keep them only when the word is not used in lower case in the
    // document (its lower-case twin would make it a common word).
    if single && (i == opener || headline) && lower_words.contains(toks[i].lower) {
        return false;
    }
    true
}

/// Whether the capitalised run ending at `toks[last]` is a person's name:
/// it opens on a given name ("Steven Sachs of Alexandria", "Carolyn Pacala
/// Wethington of Hoboken"), which makes "of" say where the person lives,
/// not which body the name belongs to.
fn person_before_of(gaz: &Gazetteer, toks: &[Tk<'_>], last: usize) -> bool {
    let mut first = last;
    while first > 0
        && last - first < 4
        && toks[first - 1].capitalised
        && matches!(
            toks[first - 1].kind,
            TokenKind::Word | TokenKind::Abbreviation
        )
    {
        first -= 1;
    }
    first < last && gaz.is_given_name(toks[first].lower)
}

/// Whether an acronym in the text ("EU", "RIA", "U.S.") may mean this
/// entry: only through our aliases (not those abbreviating in small
/// letters: "La." is not "L.A."), or a preferred name written the same
/// way — never a source's alternate name or a town called "Eu".
pub fn acronym_names(
    gaz: &Gazetteer,
    id: sitrep_gazetteer::PlaceId,
    how: NameKind,
    surface: &str,
) -> bool {
    match how {
        NameKind::Alias => true,
        NameKind::Preferred => gaz.name(id) == surface,
        NameKind::Alternate | NameKind::Abbreviation => false,
    }
}

/// What a name's entries say about it, read in one pass over its postings.
struct NameFacts {
    /// Its best entries include a country, a first-order division, a
    /// macro-region or a capital: worth keeping where a weaker name would
    /// be dropped.
    strong: bool,
    /// Its best entries include a city of 100,000 people or more.
    big: bool,
    /// Every entry knows it only as an alternate name, and is small.
    weak_alias: bool,
    /// Written as an acronym, it may still mean one of them.
    acronym_ok: bool,
}

impl NameFacts {
    fn of(gaz: &Gazetteer, key: &str, surface: &str) -> NameFacts {
        let mut f = NameFacts {
            strong: false,
            big: false,
            weak_alias: true,
            acronym_ok: false,
        };
        for (k, (id, how)) in gaz.lookup(key).enumerate() {
            let r = gaz.record(id);
            let named = how != NameKind::Alternate;
            if k < 8 && named {
                // A capital counts when it is a city: Douglas, the Isle of
                // Man's, is more often a person.
                // So does a division of a like size: the Isle of Man's
                // parishes (Patrick, Lonan) are first names first.
                f.strong |= matches!(r.kind, Kind::Country | Kind::MacroRegion)
                    || r.kind == Kind::Admin1 && r.population >= 50_000
                    || r.flags & FLAG_CAPITAL != 0 && r.population >= 50_000;
                f.big |= r.population >= 100_000;
            }
            f.weak_alias &= !named && r.population < 3_000 && r.flags & FLAG_OURS == 0;
            f.acronym_ok |= acronym_names(gaz, id, how, surface);
            if k >= 8 && !f.weak_alias && f.acronym_ok {
                break;
            }
        }
        f
    }
}

/// Last words of capitalised runs of two or three words that are not
/// themselves places and do not follow "the": surnames of the people the
/// document names in full ("John Moore", "Sergei Shoigu").
fn surnames<'d>(doc: &'d Doc, gaz: &Gazetteer) -> HashSet<&'d str> {
    let mut out = HashSet::new();
    let toks = &doc.tokens;
    // A middle initial ("Jeremy J. Shingleton") is part of the run.
    let cap = |i: usize| {
        let text = doc.slice(toks[i].start, toks[i].end);
        toks[i].kind == TokenKind::Word && text.starts_with(|c: char| c.is_uppercase())
            || is_initial(text)
    };
    let mut i = 0;
    while i < toks.len() {
        if !cap(i) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < toks.len() && cap(j) {
            j += 1;
        }
        let after_the = i > 0 && doc.token_lower(i - 1) == "the";
        // "In Mansfield", "The Hague": a capitalised small word is no first name.
        while i < j && lexicon::is_place_prefix(doc.token_lower(i)) {
            i += 1;
        }
        // "Kristina Moore", "Sheriff Steve Sheldon": a given name opens a
        // person's name, whatever its length; otherwise two or three words.
        let named = (i + 1..j).find(|&k| gaz.is_given_name(doc.token_lower(k - 1)));
        // Without one, a first word that is an English word ("Another
        // Gainesville business") opens no name.
        let person_run = named.is_some()
            || ((2..=3).contains(&(j - i))
                && !after_the
                && i < j
                && !gaz.is_word(doc.token_lower(i)));
        if person_run && j - i >= 2 {
            let last = doc.token_lower(j - 1);
            if !lexicon::is_org_head(last) && lexicon::type_word(last).is_none() {
                out.insert(last);
            }
        }
        i = j;
    }
    out
}

/// A middle initial: one capital letter with a full stop ("J.").
fn is_initial(text: &str) -> bool {
    let mut chars = text.chars();
    matches!((chars.next(), chars.next(), chars.next()), (Some(c), Some('.'), None) if c.is_uppercase())
}

/// True for acronyms: two to five letters, all capitals ("EU", "U.S.").
pub fn is_acronym(surface: &str) -> bool {
    let letters = surface.chars().filter(|c| c.is_alphabetic()).count();
    (2..=5).contains(&letters)
        && surface
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
}

/// For each token, the kind a plural type word after it gives the list it
/// is in: "the Donetsk and Luhansk regions" makes both names regions,
/// "Barrow, Jackson and Madison counties" all three counties. The list is
/// capitalised words joined by commas, "and" and "or", right before the
/// plural.
fn listed_kinds(toks: &[Tk<'_>]) -> Vec<Option<TypeHint>> {
    let mut out = vec![None; toks.len()];
    for (k, t) in toks.iter().enumerate() {
        let Some(hint) = lexicon::plural_type_word(t.lower) else {
            continue;
        };
        let mut names = 0;
        let mut m = k;
        while m > 0 {
            let p = &toks[m - 1];
            if p.capitalised && matches!(p.kind, TokenKind::Word | TokenKind::Abbreviation) {
                out[m - 1] = Some(hint);
                names += 1;
            } else if !matches!(p.lower, "," | "and" | "or") {
                break;
            }
            m -= 1;
        }
        // One name before a plural is no list ("Kyiv regions"): leave it.
        if names < 2 {
            for o in out.iter_mut().take(k).skip(m) {
                *o = None;
            }
        }
    }
    out
}

/// What the words next to the span say about its kind.
fn type_hint(toks: &[Tk<'_>], i: usize, j: usize) -> Option<TypeHint> {
    if let Some(h) = toks.get(j).and_then(|n| lexicon::type_word(n.lower)) {
        return Some(h);
    }
    // "the city of X"
    if i >= 2 && toks[i - 1].lower == "of" {
        return lexicon::type_word_before_of(toks[i - 2].lower);
    }
    None
}

/// A settlement the text names with a cue ("the village of Ozarianivka")
/// but the gazetteer does not know: kept, to be placed in its admin unit.
#[derive(Debug, Clone)]
pub struct Unknown {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The sentence it is in.
    pub sentence: usize,
}

/// Names after "the village/town/settlement of", or before "village", that
/// are not in the gazetteer, not English words and not given names.
pub fn unknown_settlements(
    doc: &Doc,
    gaz: &Gazetteer,
    lex: &Lexicon,
    known: &[Mention],
) -> Vec<Unknown> {
    let mut out = Vec::new();
    let mut key = String::new();
    let toks = &doc.tokens;
    let is_cue = |k: usize| {
        matches!(
            doc.token_lower(k),
            "village" | "town" | "settlement" | "hamlet"
        )
    };
    for k in 0..toks.len() {
        let t = &toks[k];
        let text = doc.slice(t.start, t.end);
        if t.kind != TokenKind::Word
            || !text.starts_with(|c: char| c.is_uppercase())
            || text.chars().count() < 4
        {
            continue;
        }
        let cued_before = k >= 2 && doc.token_lower(k - 1) == "of" && is_cue(k - 2);
        let cued_after = k + 1 < toks.len() && is_cue(k + 1) && doc.token_lower(k + 1) == "village";
        if !(cued_before || cued_after) {
            continue;
        }
        let lower = doc.token_lower(k);
        fold_into(text, &mut key);
        if !gaz.lookup(&key).is_empty()
            || gaz.is_word(lower)
            || gaz.is_given_name(lower)
            || lex.demonyms.contains_key(key.as_str())
            || known.iter().any(|m| m.start < t.end && t.start < m.end)
        {
            continue;
        }
        let sentence = doc
            .sentences
            .iter()
            .position(|s| s.start <= t.start && t.start < s.end)
            .unwrap_or(0);
        out.push(Unknown {
            start: t.start,
            end: t.end,
            sentence,
        });
    }
    out
}
