//! The rules of the entities stage; see the crate docs for the order in
//! which they apply.

use std::collections::{HashMap, HashSet};

use sitrep_core::{Doc, Entity, EntityType, PlaceKind, TokenKind};
use sitrep_gazetteer::Gazetteer;

use crate::Lexicon;

/// Name particles that may sit inside a person's name ("Ursula von der
/// Leyen", "Abu Bakr al-Baghdadi").
const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "da", "di", "du", "la", "le", "al", "el", "bin", "ibn", "ben",
];
/// Small words that may sit inside an organisation's name ("Institute for
/// the Study of War", "Ministry of Defence").
const CONNECTORS: &[&str] = &["of", "for", "and", "&", "the", "on", "de"];
/// Speech verbs around a lone name that make it a person's.
const SPEECH: &[&str] = &[
    "said", "says", "told", "added", "wrote", "asked", "replied", "stated",
];

type T<'d> = sitrep_core::TokenView<'d>;

fn name_token(t: &T<'_>) -> bool {
    t.capitalised && matches!(t.kind, TokenKind::Word | TokenKind::Abbreviation)
}

fn acronym(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    (2..=6).contains(&letters)
        && text
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
}

/// A typed span before canonical names are filled in.
struct Found {
    start: usize,
    end: usize,
    kind: EntityType,
    rule: &'static str,
    role: Option<String>,
    affiliation: Option<String>,
    canonical: Option<String>,
    /// For a known person, the lexicon's country: the affiliation when the
    /// text gives none.
    known_country: Option<String>,
}

impl Found {
    fn new(start: usize, end: usize, kind: EntityType, rule: &'static str) -> Found {
        Found {
            start,
            end,
            kind,
            rule,
            role: None,
            affiliation: None,
            canonical: None,
            known_country: None,
        }
    }

    fn affiliated(mut self, affiliation: Option<String>) -> Found {
        self.affiliation = affiliation;
        self
    }
}

/// The entities of `doc`, in text order.
pub fn entities(doc: &Doc, gaz: &Gazetteer, lex: &Lexicon) -> Vec<Entity> {
    let mut found: Vec<Found> = Vec::new();
    let mut next = 0usize;
    let teams = sitrep_places::recognise::table_teams(doc);
    for s in &doc.sentences {
        let toks: Vec<T<'_>> = doc.sentence_tokens(s, &mut next);
        sentence(doc, gaz, lex, &teams, &toks, &mut found);
    }
    finish(doc, lex, found)
}

fn orgish(lex: &Lexicon, toks: &[T<'_>]) -> bool {
    toks.iter().any(|t| {
        lex.org_leads.contains(t.lower) || lex.org_heads.contains(t.lower.trim_end_matches('.'))
    })
}

fn sentence(
    doc: &Doc,
    gaz: &Gazetteer,
    lex: &Lexicon,
    teams: &HashSet<String>,
    toks: &[T<'_>],
    out: &mut Vec<Found>,
) {
    let words: Vec<&T<'_>> = toks
        .iter()
        .filter(|t| t.kind == TokenKind::Word && t.text.len() > 2)
        .collect();
    // A headline in capitals: case says nothing, only lexicons speak.
    let shouting = !words.is_empty()
        && words
            .iter()
            .all(|t| t.text.chars().all(|c| !c.is_lowercase()));
    let opener = toks
        .iter()
        .position(|t| t.kind != TokenKind::Punct)
        .unwrap_or(0);
    let mut i = 0;
    while i < toks.len() {
        if !name_token(&toks[i]) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        loop {
            if j < toks.len() && name_token(&toks[j]) {
                j += 1;
                continue;
            }
            // "Ministry of Defence", "Institute for the Study of War".
            // Not "the United States and Jordan": two places joined by "and"
            // are two names.
            // Nor "The United States on Thursday": a resolved place ends
            // the name before a connector.
            let place_before = j < toks.len()
                && doc
                    .places
                    .iter()
                    .any(|p| p.start >= toks[i].start && p.end == toks[j - 1].end);
            if j < toks.len()
                && CONNECTORS.contains(&toks[j].lower)
                && !place_before
                && orgish(lex, &toks[i..j])
            {
                let mut k = j;
                while k < toks.len() && CONNECTORS.contains(&toks[k].lower) && k - j < 2 {
                    k += 1;
                }
                if k < toks.len() && name_token(&toks[k]) && k > j {
                    j = k + 1;
                    continue;
                }
            }
            // "Ursula von der Leyen".
            if j + 1 < toks.len() && PARTICLES.contains(&toks[j].lower) {
                let mut k = j;
                while k < toks.len() && PARTICLES.contains(&toks[k].lower) {
                    k += 1;
                }
                if k < toks.len() && name_token(&toks[k]) {
                    j = k + 1;
                    continue;
                }
            }
            break;
        }
        run(doc, gaz, lex, teams, toks, i, j, i == opener, shouting, out);
        i = j;
    }
}

fn place_at(doc: &Doc, start: usize, end: usize) -> Option<&sitrep_core::Place> {
    doc.places.iter().find(|p| p.start == start && p.end == end)
}

#[allow(clippy::too_many_arguments)]
fn run(
    doc: &Doc,
    gaz: &Gazetteer,
    lex: &Lexicon,
    teams: &HashSet<String>,
    toks: &[T<'_>],
    mut i: usize,
    j: usize,
    initial: bool,
    shouting: bool,
    out: &mut Vec<Found>,
) {
    // A known organisation, as written ("Reuters", "NATO", "the PKK"),
    // possibly after an opening word ("The Kremlin") or a nationality that
    // agrees with it ("Russian FSB"). Not "Georgian Conservative Party":
    // the British party's name, given another country, is another party.
    for a in [i, i + 1] {
        if a >= j {
            break;
        }
        let (s, e) = (toks[a].start, toks[j - 1].end);
        let Some(org) = lex.known.organisation(doc.slice(s, e)) else {
            continue;
        };
        let mut affiliation = org.country.as_deref().map(|c| country_name(gaz, c));
        if a > i {
            let lead = toks[i].lower;
            if let Some(code) = lex.demonyms.get(lead) {
                if org.country.as_deref().is_some_and(|c| c != code) {
                    break;
                }
                let (ds, de) = (toks[i].start, toks[i].end);
                out.push(Found::new(ds, de, EntityType::Norp, "demonym"));
                affiliation.get_or_insert_with(|| country_name(gaz, code));
            } else if !gaz.is_word(lead) || place_at(doc, toks[i].start, toks[i].end).is_some() {
                break;
            }
        }
        out.push(Found {
            start: s,
            end: e,
            kind: EntityType::Org,
            rule: "known-organisation",
            role: None,
            affiliation,
            canonical: Some(org.canonical.clone()),
            known_country: None,
        });
        return;
    }
    // A team in a results or standings row ("Norwich 1 Wolverhampton 0"),
    // not a player in one ("Tiger Woods 68 70", "P. Johnson 84").
    let run_text = doc.slice(toks[i].start, toks[j - 1].end);
    let player = gaz.is_given_name(toks[i].lower)
        && gaz.lookup(&sitrep_gazetteer::fold(run_text)).is_empty()
        || toks[i].text.len() == 2 && toks[i].text.ends_with('.')
        || j - i >= 2 && lex.known.is_person(run_text);
    // Nor a month or a word ("July 4", "Sales 12.5"), unless a place's name.
    let word = j - i == 1
        && gaz.is_word(toks[i].lower)
        && gaz.lookup(&sitrep_gazetteer::fold(run_text)).is_empty();
    let dated = doc
        .times
        .iter()
        .any(|t| t.start < toks[j - 1].end && toks[i].start < t.end);
    let player =
        player || word || dated || acronym(run_text) && j - i == 1 && toks[i].text.len() <= 3;
    let team_named = !teams.is_empty()
        && teams.contains(run_text)
        && !i
            .checked_sub(1)
            .is_some_and(|p| sitrep_places::lexicon::is_locative(toks[p].lower));
    if !player && (team_named || sitrep_places::recognise::team_in_table(toks, j)) {
        let (s, e) = (toks[i].start, toks[j - 1].end);
        out.push(Found::new(s, e, EntityType::Org, "team-in-table"));
        return;
    }
    // The whole run is a place the places layer resolved ("NEW YORK").
    let (s0, e0) = (toks[i].start, toks[j - 1].end);
    if let Some(p) = place_at(doc, s0, e0) {
        out.push(place_found(p, s0, e0));
        return;
    }
    // A capitalised English word opening the sentence is not a name's
    // ("The", "However", "Troops").
    if initial
        && i < j
        && gaz.is_word(toks[i].lower)
        && !gaz.is_given_name(toks[i].lower)
        && !lex.demonyms.contains_key(toks[i].lower)
        && !lex.titles.contains(toks[i].lower.trim_end_matches('.'))
        && !lex.org_leads.contains(toks[i].lower)
        && !(j - i == 1 && place_at(doc, toks[i].start, toks[i].end).is_some())
    {
        i += 1;
    }
    if i >= j {
        return;
    }
    let span = |a: usize, b: usize| (toks[a].start, toks[b - 1].end);
    // The whole run is a place the places layer resolved.
    let (s, e) = span(i, j);
    if let Some(p) = place_at(doc, s, e) {
        out.push(place_found(p, s, e));
        return;
    }
    if shouting {
        // Only places (above) and nationalities, alone or leading the run
        // ("SCOTTISH LEAGUE RESULTS").
        if lex.demonyms.contains_key(toks[i].lower) {
            let (s, e) = span(i, i + 1);
            out.push(Found::new(s, e, EntityType::Norp, "demonym"));
        }
        return;
    }
    // Leading nationality: its own NORP and the affiliation of the rest,
    // unless the rest is an organisation named with it ("Russian Armed
    // Forces").
    let mut affiliation = None;
    // Two-word nationalities first ("South Korean", "Sri Lankan").
    if j - i >= 2 {
        let two = format!("{} {}", toks[i].lower, toks[i + 1].lower);
        if let Some(code) = lex.demonyms.get(&two) {
            let (s, e) = span(i, i + 2);
            out.push(Found::new(s, e, EntityType::Norp, "demonym"));
            if j - i == 2 {
                return;
            }
            affiliation = Some(country_name(gaz, code));
            i += 2;
        }
    }
    if let Some(code) = lex
        .demonyms
        .get(toks[i].lower)
        .filter(|_| affiliation.is_none())
    {
        let rest_org = j - i > 1 && orgish(lex, &toks[i + 1..j]);
        if rest_org {
            let (s, e) = span(i, j);
            out.push(
                Found::new(s, e, EntityType::Org, "org-words")
                    .affiliated(Some(country_name(gaz, code))),
            );
            return;
        }
        let (s, e) = span(i, i + 1);
        out.push(Found::new(s, e, EntityType::Norp, "demonym"));
        affiliation = Some(country_name(gaz, code));
        i += 1;
        if i >= j {
            return;
        }
    }
    // Named events: "World Cup", "Gulf War", "Xiangshan Forum".
    if j - i >= 2 && lex.event_heads.contains(toks[j - 1].lower) {
        let (s, e) = span(i, j);
        out.push(Found::new(s, e, EntityType::Event, "event-words").affiliated(affiliation));
        return;
    }
    // Organisations: named with an organisation word ("Borz Battalion"),
    // or led by an acronym ("PMC Redut"). An organisation word alone
    // ("TV", "Army") names none.
    let lone_org_word = j - i == 1
        && (lex.org_heads.contains(toks[i].lower.trim_end_matches('.'))
            || lex.org_leads.contains(toks[i].lower));
    if lone_org_word {
        return;
    }
    if orgish(lex, &toks[i..j]) || (j - i >= 2 && acronym(toks[i].text)) {
        let (s, e) = span(i, j);
        out.push(Found::new(s, e, EntityType::Org, "org-words").affiliated(affiliation));
        return;
    }
    // Leading titles become the role ("Defence Minister Sergei Shoigu").
    let mut k = i;
    while k < j && lex.titles.contains(toks[k].lower.trim_end_matches('.')) {
        k += 1;
    }
    let role = (k > i && k < j).then(|| {
        let (s, e) = span(i, k);
        doc.slice(s, e).to_string()
    });
    if k < j && k > i {
        i = k;
    } else if k == j {
        return; // titles alone ("the President") name no one here
    }
    let (s, e) = span(i, j);
    if let Some(p) = place_at(doc, s, e) {
        out.push(place_found(p, s, e));
        return;
    }
    let n = j - i;
    let first = toks[i].lower;
    // A public figure the lexicon knows ("Vladimir Putin", "Zelensky"). A
    // lone word must not also be an English word or a given name ("Rice",
    // "Kim" alone name no one in particular).
    let text = doc.slice(s, e);
    if lex.known.is_person(text) && (n > 1 || (!gaz.is_word(first) && !gaz.is_given_name(first))) {
        let mut people = lex.known.people_named(text);
        let (one, more) = (people.next(), people.next());
        let one = one.filter(|_| more.is_none());
        out.push(Found {
            start: s,
            end: e,
            kind: EntityType::Person,
            rule: "known-person",
            role,
            affiliation,
            canonical: one.map(|p| p.canonical.clone()),
            known_country: one
                .and_then(|p| p.only_country())
                .map(|c| country_name(gaz, c)),
        });
        return;
    }
    if n == 1 && acronym(toks[i].text) {
        out.push(Found::new(s, e, EntityType::Org, "acronym").affiliated(affiliation));
        return;
    }
    let before_title = i > 0 && lex.titles.contains(toks[i - 1].lower.trim_end_matches('.'));
    let initial = |t: &T<'_>| {
        let mut c = t.text.chars();
        matches!((c.next(), c.next(), c.next()), (Some(a), Some('.'), None) if a.is_uppercase())
    };
    let person = if gaz.is_given_name(first) && n >= 2 {
        Some("given-name")
    } else if n >= 2 && initial(&toks[i]) && !initial(&toks[j - 1]) {
        // "P. Johnson", "G. W. Bush".
        Some("initials")
    } else if role.is_some() || before_title {
        Some("title")
    } else if (2..=4).contains(&n)
        && toks[i..j]
            .iter()
            .all(|t| !gaz.is_word(t.lower) || gaz.is_given_name(t.lower))
    {
        Some("name-shape")
    } else if n == 1
        && (toks.get(j).is_some_and(|t| SPEECH.contains(&t.lower))
            || (i > 0 && SPEECH.contains(&toks[i - 1].lower)))
    {
        Some("speaker")
    } else if n == 1 && !gaz.is_word(first) && !lex.demonyms.contains_key(first) {
        Some("lone-name")
    } else {
        None
    };
    if let Some(rule) = person {
        out.push(Found {
            start: s,
            end: e,
            kind: EntityType::Person,
            rule,
            role,
            affiliation,
            canonical: None,
            known_country: None,
        });
    }
}

fn place_found(p: &sitrep_core::Place, s: usize, e: usize) -> Found {
    let kind = match p.kind {
        PlaceKind::Country | PlaceKind::Admin1 | PlaceKind::Admin2 | PlaceKind::Settlement => {
            EntityType::Gpe
        }
        _ => EntityType::Loc,
    };
    Found {
        start: s,
        end: e,
        kind,
        rule: "place",
        role: None,
        affiliation: None,
        canonical: p.name.clone(),
        known_country: None,
    }
}

fn country_name(gaz: &Gazetteer, code: &str) -> String {
    gaz.country_name(code).unwrap_or(code).to_string()
}

/// Canonical names, lone surnames resolved, acronyms expanded.
/// Roles given in apposition: "General Oleksandr Syrskyi, **the Commander
/// of the Ground Forces**," and "**a spokesperson for the General Staff of
/// the Ukrainian Armed Forces**, Andrii Kovaliov". The role is the phrase
/// without its article; the affiliation, the organisation named in it.
fn appositive_roles(doc: &Doc, lex: &Lexicon, found: &mut [Found]) {
    let orgs: Vec<(usize, usize, String)> = found
        .iter()
        .filter(|f| f.kind == EntityType::Org)
        .map(|f| {
            (
                f.start,
                f.end,
                f.canonical
                    .clone()
                    .unwrap_or_else(|| doc.slice(f.start, f.end).to_string()),
            )
        })
        .collect();
    let n = doc.len_chars();
    let has_title = |phrase: &str| {
        phrase
            .split(|c: char| !c.is_alphanumeric() && c != '-')
            .any(|w| !w.is_empty() && lex.titles.contains(w.to_lowercase().trim_end_matches('.')))
    };
    let org_in = |a: usize, b: usize| {
        orgs.iter()
            .find(|o| o.0 >= a && o.1 <= b)
            .map(|o| o.2.clone())
    };
    for f in found.iter_mut().filter(|f| f.kind == EntityType::Person) {
        // After: ", the Commander of the Ground Forces," up to a comma or
        // the sentence's end.
        let after_end = (f.end + 160).min(n);
        let after = doc.slice(f.end, after_end);
        let lead = [", the ", ", a ", ", an "]
            .iter()
            .find(|l| after.starts_with(**l));
        if let Some(lead) = lead {
            let body = &after[lead.len()..];
            let stop = body
                .find([',', '.', ';', ':', '"', '('])
                .unwrap_or(body.len());
            let phrase = body[..stop].trim();
            let words = phrase.split_whitespace().count();
            if (1..=12).contains(&words) && has_title(phrase) {
                let start = f.end + lead.chars().count();
                let end = start + phrase.chars().count();
                // A rank before the name stays: "General, Commander of …".
                f.role = Some(match f.role.take() {
                    Some(rank) => format!("{rank}, {phrase}"),
                    None => phrase.to_string(),
                });
                if f.affiliation.is_none() {
                    f.affiliation = org_in(start, end);
                }
                continue;
            }
        }
        if f.role.is_some() {
            continue;
        }
        // Before: "a spokesperson for the General Staff …, Andrii Kovaliov".
        let before_start = f.start.saturating_sub(160);
        let before = doc.slice(before_start, f.start);
        let Some(body) = before.strip_suffix(", ") else {
            continue;
        };
        // The clause before the comma, from its first article on.
        let clause_at = body
            .rfind([',', '.', ';', ':', '"', '(', '\n'])
            .map_or(0, |i| i + 1);
        let clause = &body[clause_at..];
        let Some(cut) = clause
            .match_indices(|c: char| c.is_whitespace())
            .map(|(i, _)| i + 1)
            .chain(std::iter::once(0))
            .filter(|&i| {
                ["a ", "an ", "the ", "A ", "An ", "The "]
                    .iter()
                    .any(|a| clause[i..].starts_with(a))
            })
            .min()
        else {
            continue;
        };
        let article_len = clause[cut..].find(' ').map_or(0, |i| i + 1);
        let phrase = &clause[cut + article_len..];
        if phrase.split_whitespace().count() > 14 || !has_title(phrase) {
            continue;
        }
        let start = before_start + body[..clause_at + cut + article_len].chars().count();
        let end = start + phrase.chars().count();
        f.role = Some(phrase.to_string());
        if f.affiliation.is_none() {
            f.affiliation = org_in(start, end);
        }
    }
}

fn finish(doc: &Doc, lex: &Lexicon, mut found: Vec<Found>) -> Vec<Entity> {
    appositive_roles(doc, lex, &mut found);
    // Longest full name per surname, and that mention's canonical name
    // (the lexicon's, for a known person).
    let mut full: HashMap<String, (String, String)> = HashMap::new();
    for f in found.iter().filter(|f| f.kind == EntityType::Person) {
        let text = doc.slice(f.start, f.end);
        if let Some(last) = text.split_whitespace().last() {
            let e = full.entry(last.to_lowercase()).or_default();
            if text.len() > e.0.len() {
                let canonical = f.canonical.clone().unwrap_or_else(|| text.to_string());
                *e = (text.to_string(), canonical);
            }
        }
    }
    // "Federal Security Service (FSB)".
    let mut expansions: HashMap<String, String> = HashMap::new();
    for w in found.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let between = doc.slice(a.end, b.start);
        let acr = doc.slice(b.start, b.end);
        if between.trim() == "(" && acronym(acr) && a.kind == EntityType::Org {
            expansions.insert(acr.to_string(), doc.slice(a.start, a.end).to_string());
        }
    }
    let mut out = Vec::with_capacity(found.len());
    for mut f in found {
        let text = doc.slice(f.start, f.end).to_string();
        // "Mykola Hrytsenko … Hrytsenko said": the document's full name
        // says who a lone surname is, even one the lexicon knows for
        // somebody else.
        if f.kind == EntityType::Person && !text.contains(char::is_whitespace) {
            if let Some((full_text, full_canonical)) = full.get(&text.to_lowercase()) {
                if full_text != &text && f.canonical.as_ref() != Some(full_canonical) {
                    f.canonical = None;
                    f.known_country = None;
                    if f.rule == "known-person" {
                        f.rule = "lone-name";
                    }
                }
            }
        }
        let affiliation = f.affiliation.take().or(f.known_country.take());
        // A lone unknown word is a person only when the document names that
        // person in full (alone it is as often a company or a team).
        if f.rule == "lone-name" && full.get(&text.to_lowercase()).is_none_or(|n| n.0 == text) {
            continue;
        }
        // Days and months belong to the times layer.
        if doc.times.iter().any(|t| t.start < f.end && f.start < t.end)
            && f.kind == EntityType::Person
        {
            continue;
        }
        let canonical = match f.kind {
            EntityType::Person => f.canonical.clone().or_else(|| {
                text.split_whitespace()
                    .last()
                    .and_then(|l| full.get(&l.to_lowercase()))
                    .map(|n| n.1.clone())
            }),
            EntityType::Org => expansions.get(&text).cloned().or(f.canonical.clone()),
            _ => f.canonical.clone(),
        }
        .unwrap_or_else(|| text.clone());
        out.push(Entity {
            start: f.start,
            end: f.end,
            text,
            by: format!("entities/{}", f.rule).into(),
            kind: f.kind,
            canonical,
            role: f.role,
            affiliation,
        });
    }
    out
}
