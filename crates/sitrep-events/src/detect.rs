//! Triggers, arguments, modality and linking; see the [crate docs](crate).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use sitrep_core::{
    Acled, Actor, Doc, EntityRef, Event, EventDate, EventPlace, PlaceKind, Plover, TimexType,
    TokenKind, TokenView,
};

use crate::actors::{self, ActorMention};
use crate::code::Code3;
use crate::codebook::{Item, GAP};
use crate::Resources;

/// A pattern matched in a sentence.
#[derive(Debug, Clone)]
struct Match {
    /// Trigger token (sentence-relative).
    first: usize,
    /// One past the last matched token.
    last: usize,
    /// Pattern index.
    pattern: usize,
}

/// Words before a verb used as a noun ("the support", "its attack").
const NOUN_CONTEXT: &[&str] = &[
    "the",
    "a",
    "an",
    "its",
    "their",
    "his",
    "her",
    "our",
    "my",
    "your",
    "this",
    "that",
    "these",
    "those",
    "of",
    "for",
    "with",
    "no",
    "any",
    "military",
    "economic",
    "financial",
    "humanitarian",
    "international",
    "political",
    "public",
    "strong",
    "full",
    "such",
    "further",
    "new",
    "first",
    "last",
    "major",
    "massive",
    "recent",
    "enjoyed",
    "enjoys",
    "received",
    "receives",
    "won",
    "gained",
    "lacks",
    "lacked",
    "broad",
    "popular",
];
/// Nouns an event word may modify without naming an event ("assault
/// rifles", "attack helicopters", "the assault victims").
const MODIFIED_NOUNS: &[&str] = &[
    "victim",
    "victims",
    "survivor",
    "survivors",
    "rifle",
    "rifles",
    "helicopter",
    "helicopters",
    "group",
    "groups",
    "unit",
    "units",
    "brigade",
    "team",
    "teams",
    "drone",
    "drones",
    "aircraft",
    "vehicle",
    "vehicles",
    "weapon",
    "weapons",
    "boat",
    "boats",
    "force",
    "forces",
    "submarine",
    "submarines",
    "dog",
    "dogs",
    "capability",
    "capabilities",
];
/// Words before a trigger that make it intended, not done.
const INTENT: &[&str] = &[
    "will",
    "would",
    "'ll",
    "shall",
    "plan",
    "plans",
    "planned",
    "planning",
    "intend",
    "intends",
    "intended",
    "ready",
    "willing",
    "prepared",
    "open",
    "pledge",
    "pledged",
    "pledges",
    "promise",
    "promised",
    "promises",
    "vow",
    "vowed",
    "vows",
    "offer",
    "offered",
    "offers",
    "want",
    "wants",
    "wanted",
    "seek",
    "seeks",
    "sought",
    "aim",
    "aims",
    "hope",
    "hopes",
    "going",
    "could",
    "might",
    "may",
    "sworn",
    "swore",
    "swear",
    "vowing",
    "threatening",
    "determined",
    "poised",
];
const NEGATION: &[&str] = &["not", "n't", "never", "no", "failed", "refused", "declined"];
/// Words that may stand between a subject and its verb ("Russia **has
/// significantly** stepped up").
const BETWEEN_SUBJECT_AND_VERB: &[&str] = &[
    "has",
    "have",
    "had",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "will",
    "would",
    "shall",
    "should",
    "can",
    "could",
    "may",
    "might",
    "must",
    "did",
    "does",
    "do",
    "also",
    "then",
    "now",
    "to",
    "not",
    "n't",
    "still",
    "already",
    "again",
    "later",
    "reportedly",
    "allegedly",
    "ready",
    "willing",
    "prepared",
    "going",
    "attempting",
    "trying",
    "moving",
    "continue",
    "continues",
    "continued",
    "began",
    "begun",
    "started",
];
/// Words that open a relative clause: a trigger after one describes
/// something, it is not a new event of the sentence.
const RELATIVE: &[&str] = &[
    "where", "which", "who", "whom", "whose", "after", "before", "since", "when", "as", "until",
    "because", "while", "although", "though", "once",
];
/// Roots whose later triggers are what is demanded, accused, rejected,
/// threatened or investigated, not events that happened.
const GOVERNING_ROOTS: &[&str] = &["01", "09", "10", "11", "12", "13"];
const CONDITION: &[&[&str]] = &[&["if"], &["unless"], &["in", "case"], &["provided", "that"]];
const BE: &[&str] = &[
    "is", "are", "was", "were", "be", "been", "being", "'s", "got", "get", "gets",
];
/// Prepositions whose object is not a subject.
const PREPOSITIONS: &[&str] = &[
    "of",
    "to",
    "for",
    "with",
    "against",
    "about",
    "on",
    "by",
    "from",
    "at",
    "in",
    "into",
    "over",
    "under",
    "between",
    "among",
    "near",
    "after",
    "before",
    "than",
    "like",
    "outside",
    "inside",
    "across",
    "through",
    "throughout",
    "around",
    "behind",
    "beyond",
    "within",
    "without",
    "during",
    "despite",
    "via",
    "toward",
    "towards",
    "upon",
];
/// Verbs that act on each other when the subject is plural ("A and B met").
const RECIPROCAL_ROOTS: &[&str] = &["03", "04", "05", "06", "19"];

/// Every event of the document.
pub(crate) fn events(doc: &Doc, res: &Resources) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::new();
    let mut sentence_of_event: Vec<usize> = Vec::new();
    // The richest actor seen for each canonical name ("Shoigu" inherits
    // "Russian Defence Minister Sergei Shoigu"'s RUSGOV).
    let mut per_sentence: Vec<(Vec<TokenView<'_>>, Vec<ActorMention>, Vec<Match>)> = Vec::new();
    let mut referents = actors::Referents::new();
    // The same for unnamed actors by their last two words ("defence
    // forces" after "Ukraine's defence forces"), unless two countries'.
    let mut by_words: HashMap<u64, Option<ActorMention>> = HashMap::default();
    let mut next = 0;
    for s in &doc.sentences {
        // Most sentences hold no trigger word: those are skipped before
        // their tokens are even looked at.
        let range = doc.sentence_token_range(s, &mut next);
        if !range
            .clone()
            .any(|i| res.codebook.may_trigger(doc.token_lower(i)))
        {
            per_sentence.push((Vec::new(), Vec::new(), Vec::new()));
            continue;
        }
        let toks: Vec<TokenView<'_>> = range.map(|i| doc.token_view(i)).collect();
        // Actors are only worth finding where a pattern matches.
        let raw = triggers(res, &toks);
        let found = if raw.is_empty() {
            Vec::new()
        } else {
            actors::find(doc, res, &toks, &mut referents)
        };
        for m in found.iter().filter(|m| m.canonical.is_none() && !m.pronoun) {
            let key = tail_key(&toks, m);
            match (&m.country, by_words.get(&key)) {
                (Some(_), None) => {
                    by_words.insert(key, Some(*m));
                }
                (Some(c), Some(Some(old))) if old.country.as_ref() != Some(c) => {
                    // Two countries' "forces": ambiguous, no inheritance.
                    by_words.insert(key, None);
                }
                _ => {}
            }
        }
        per_sentence.push((toks, found, raw));
    }
    let mut last_subject = LastSubject::default();
    for (si, (toks, found, raw)) in per_sentence.iter().enumerate() {
        if raw.is_empty() {
            // No trigger: the sentence only names who the next "it" is,
            // worked out when an "it" asks.
            last_subject.pending.push(si);
            continue;
        }
        let found: Vec<ActorMention> = found
            .iter()
            .map(|m| {
                let mut m = enrich(doc, res, m, &mut referents);
                if m.country.is_none() && !m.pronoun && m.canonical.is_none() {
                    if let Some(Some(b)) = by_words.get(&tail_key(toks, &m)) {
                        if b.sectors == m.sectors {
                            m.country = b.country;
                        }
                    }
                }
                m
            })
            .collect();
        let mut prev_sources: Vec<ActorMention> = Vec::new();
        // Not a trigger inside a name ("the Attack Group").
        let matches: Vec<Match> = raw
            .iter()
            .filter(|m| {
                !found
                    .iter()
                    .any(|a| !a.pronoun && a.first <= m.first && m.first < a.last)
            })
            .cloned()
            .collect();
        let mut coded_any = false;
        let mut first_root: Option<String> = None;
        let mut prev_trigger: Option<usize> = None;
        let sentence_country = unique_country(&found);
        let cond_at = condition_positions(toks);
        for m in &matches {
            let pat = &res.codebook.patterns[m.pattern];
            // Appeals say what is asked for; the asked-for event may follow.
            let statement = pat.code.starts_with("02");
            let floor = if coded_any { prev_trigger } else { None };
            if let Some(f) = floor {
                // Not a complement ("… to mediate"), a relative or
                // subordinate clause, or what is demanded or threatened.
                if first_root
                    .as_deref()
                    .is_some_and(|r| GOVERNING_ROOTS.contains(&r))
                    || toks[f.min(m.first)..m.first]
                        .iter()
                        .any(|t| RELATIVE.contains(&t.lower))
                    || m.first >= 1 && toks[m.first - 1].lower == "to"
                {
                    continue;
                }
            }
            // Passive: "was detained by X".
            let passive = m.first >= 1
                && BE.contains(&toks[m.first - 1].lower)
                && res.codebook.participles.contains(toks[m.first].lower)
                || m.first >= 2
                    && BE.contains(&toks[m.first - 2].lower)
                    && toks[m.first - 1].lower.ends_with("ly")
                    && res.codebook.participles.contains(toks[m.first].lower);
            let by_agent = if passive {
                found
                    .iter()
                    .find(|a| {
                        a.first > m.first
                            && a.first <= m.last + 3
                            && a.first >= 1
                            && toks[a.first - 1].lower == "by"
                            && !a.pronoun
                    })
                    .cloned()
            } else {
                None
            };
            // A possessive before makes it a noun, whatever the pattern.
            let possessor = (1..=2).any(|d| {
                m.first >= d && matches!(toks[m.first - d].lower, "its" | "their" | "his" | "her")
            });
            let subject = subject_of(toks, &found, m.first, floor, &res.codebook.participles)
                // A later trigger's subject stands right before it.
                .filter(|(k, _)| floor.is_none() || adjacent(toks, found[*k].last, m.first));
            let subject = subject
                .map(|(k, list)| {
                    let list: Vec<ActorMention> = list
                        .into_iter()
                        .map(|a| {
                            resolve_pronoun(
                                doc,
                                res,
                                toks,
                                &a,
                                &found,
                                k,
                                &mut last_subject,
                                &mut referents,
                            )
                        })
                        .collect();
                    list
                })
                .or_else(|| {
                    // "In response to its unsuccessful assault, Russia …":
                    // the possessor named after.
                    possessor
                        .then(|| {
                            found
                                .iter()
                                .find(|a| a.first >= m.last && !a.pronoun && !a.locative)
                                .cloned()
                        })
                        .flatten()
                        .map(|a| vec![a])
                });
            let passive = passive
                || m.first >= 2
                    && matches!(toks[m.first - 1].lower, "to")
                    && matches!(toks[m.first - 2].lower, "subject" | "subjected");
            // "Russia has stepped up its forces and is taking active
            // actions": a coordinated verb shares the subject.
            let subject = if floor.is_some() && subject.is_none() && coordinated(toks, m.first) {
                Some(prev_sources.clone()).filter(|l| !l.is_empty())
            } else {
                subject
            };
            if floor.is_some() && subject.is_none() && by_agent.is_none() {
                // A later trigger without its own subject continues the
                // first event ("… opened fire, killing one").
                continue;
            }
            let mut sources: Vec<ActorMention> = Vec::new();
            let mut target: Option<ActorMention>;
            let mut extra_targets: Vec<ActorMention> = Vec::new();
            if let Some(agent) = &by_agent {
                sources.push(*agent);
                target = subject.as_ref().and_then(|l| l.first().cloned());
            } else {
                if let Some(list) = &subject {
                    sources = list.clone();
                }
                if passive {
                    // "the man was charged": the one acted on; the agent
                    // is not said.
                    target = sources.first().cloned();
                    sources.clear();
                } else {
                    let source_country = sources.first().and_then(|a| a.country);
                    let mut objects = object_of(
                        toks,
                        &found,
                        m.first + 1,
                        m.last + 6,
                        source_country,
                        &pat.code[..2],
                    );
                    if possessor {
                        objects.retain(|t| sources.iter().all(|s| s.first != t.first));
                    }
                    target = objects.first().cloned();
                    extra_targets = objects.into_iter().skip(1).collect();
                }
            }
            // "X said Y must return …": X demands it of Y.
            let must = toks[m.first].lower == "must"
                || (1..=2)
                    .any(|d| m.first >= d && matches!(toks[m.first - d].lower, "must" | "should"));
            let mut demanded = false;
            if must && by_agent.is_none() {
                if let Some(speaker) = speaker_actor(doc, toks, &found, m.first, sources.first()) {
                    let same = sources.first().is_some_and(|s| {
                        s.first == speaker.first
                            || s.canonical.is_some() && s.canonical == speaker.canonical
                    });
                    if !same {
                        target = sources.first().cloned();
                        sources = vec![speaker];
                        demanded = true;
                    }
                }
            }
            // A countryless actor takes the sentence's only country:
            // domestic events are the common case ("President Museveni
            // threatened to ban Ugandan opposition candidates").
            for a in sources
                .iter_mut()
                .chain(target.iter_mut())
                .chain(extra_targets.iter_mut())
            {
                fill_country(a, toks, sentence_country);
            }
            sources.retain(|a| a.has_code());
            extra_targets.retain(|a| a.has_code());
            let target = target.filter(|a| a.has_code());
            let root = &pat.code[..2];
            let violent = matches!(root, "14" | "18" | "19" | "20");
            if sources.is_empty() && target.is_none() && !violent
                || pat.needs_target && target.is_none()
            {
                continue;
            }
            // Modality.
            let negated =
                (m.first.saturating_sub(3)..m.first).any(|k| NEGATION.contains(&toks[k].lower));
            let intended = intent_before(toks, m.first);
            // "In case …, we remain ready", "will attack if …".
            let conditional = !cond_at.is_empty();
            let mut code = pat.code.clone();
            let cooperative = matches!(root, "03" | "04" | "05" | "06" | "07" | "08");
            let hostile = matches!(root, "14" | "15" | "16" | "17" | "18" | "19" | "20");
            let mut refusal = false;
            if demanded {
                code = "100".into();
            } else if cooperative && negated {
                // "failed to reach agreement", "will not accept": a refusal,
                // itself asserted.
                code = reject_code(&code);
                refusal = true;
            } else if cooperative && (intended || conditional) {
                code = intent_code(&code);
            } else if hostile && intended && !negated {
                // "will boycott", "would blockade", "vowed to fight".
                code = threat_code(&code);
            }
            let negated = negated && !refusal;
            let attribution = statement_around(doc, toks[m.first].start);
            let source_canon = sources.first().and_then(|a| a.canonical);
            let reported = attribution.as_ref().is_some_and(|(sp, _)| {
                sp.canonical.is_some() && sp.canonical.as_deref() != source_canon
            });
            let modality = if negated {
                "negated"
            } else if conditional {
                "conditional"
            } else if intended {
                "intended"
            } else if reported {
                "reported"
            } else {
                "asserted"
            };
            // Pairs.
            let mut pairs: Vec<(Option<ActorMention>, Option<ActorMention>)> = Vec::new();
            let reciprocal =
                RECIPROCAL_ROOTS.contains(&&code[..2]) || RECIPROCAL_ROOTS.contains(&root);
            // "Palestinians and Israelis failed to reach agreement on the
            // fate of Palestinian offices": joint subjects of a reciprocal
            // verb act on each other unless a third party is named.
            let third_party = target.as_ref().is_some_and(|t| {
                t.country.is_some() && sources.iter().all(|s| s.country != t.country)
            });
            if sources.len() > 1 && !third_party && reciprocal {
                for a in &sources {
                    for b in &sources {
                        if a != b {
                            pairs.push((Some(*a), Some(*b)));
                        }
                    }
                }
            } else if sources.is_empty() {
                pairs.push((None, target));
            } else {
                for a in &sources {
                    pairs.push((Some(*a), target));
                    for t in &extra_targets {
                        pairs.push((Some(*a), Some(*t)));
                    }
                }
            }
            let Some(info) = res.codebook.code(&code) else {
                continue;
            };
            let (start, end) = (toks[m.first].start, toks[m.last - 1].end);
            let place = place_for(
                doc,
                toks,
                &found,
                m,
                &matches,
                matches!(info.quad_class, 1 | 3),
                target.as_ref(),
            );
            let date = date_for(doc, toks, m);
            // A protest, riot or curfew with no one named as its target is
            // aimed at the authorities where it happens: the place's
            // country, with the place's span ("demonstrated in Serbia").
            // The same for an attack or a sanction on a place, unless the
            // place is the attacker's own country (fighting on one's own
            // ground has no target there).
            let place_target = if target.is_none()
                && matches!(&code[..2], "14" | "16" | "17" | "18" | "19" | "20")
            {
                place.as_ref().and_then(|p| {
                    let cc = Code3::new(res.alpha3(p.country.as_deref()?)?)?;
                    if !matches!(&code[..2], "14" | "17")
                        && sources.iter().any(|s| s.country == Some(cc))
                    {
                        return None;
                    }
                    Some(ActorMention {
                        first: 0,
                        last: 0,
                        start: p.start,
                        end: p.end,
                        canonical: p.name.as_deref(),
                        country: Some(cc),
                        locative: true,
                        ..Default::default()
                    })
                })
            } else {
                None
            };
            for (src, tgt) in pairs {
                let tgt = tgt.or(place_target);
                let acled = acled_for(
                    toks[m.first].lower,
                    &code,
                    info.acled.as_ref(),
                    src.as_ref(),
                    tgt.as_ref(),
                );
                out.push(Event {
                    start,
                    end,
                    text: doc.slice(start, end).to_string(),
                    by: format!("events/pattern:{} {}", pat.code, pat.source).into(),
                    source: src.as_ref().map(|a| to_actor(doc, a)),
                    target: tgt.as_ref().map(|a| to_actor(doc, a)),
                    cameo: code.clone(),
                    plover: info.plover.as_ref().map(|c| Plover {
                        category: c.clone(),
                        mode: info.plover_mode.clone(),
                        context: Vec::new(),
                    }),
                    acled,
                    quad_class: info.quad_class,
                    goldstein: info.goldstein,
                    place: place.clone(),
                    date: date.clone(),
                    attribution: attribution.as_ref().map(|(s, _)| s.clone()),
                    via: attribution.as_ref().and_then(|(_, v)| v.clone()),
                    modality: modality.to_string(),
                    confidence: confidence(doc, src.as_ref(), tgt.as_ref(), pat),
                    // Only about a place the words act on: "captured the
                    // village of X", "withdrew from X"; not "captured three
                    // soldiers", nor "overran a base near X".
                    control: pat
                        .control
                        .filter(|_| {
                            place
                                .as_ref()
                                .is_some_and(|p| place_is_object(toks, m, p.start))
                        })
                        .map(str::to_string),
                });
                sentence_of_event.push(si);
            }
            if !statement {
                coded_any = true;
            }
            prev_trigger = Some(m.last);
            prev_sources = sources.clone();
            if first_root.is_none() && !statement {
                first_root = Some(code[..2].to_string());
            }
            if let Some(s) = sources.first() {
                last_subject.set(*s);
            }
        }
        if let Some(s) = found
            .iter()
            .find(|a| !a.pronoun && !a.locative && a.has_code())
        {
            if !coded_any || last_subject.get(doc, res, &mut referents).is_none() {
                last_subject.set(*s);
            }
        }
    }
    borrow_statement_places(&mut out, &sentence_of_event);
    borrow_document_place(doc, &mut out);
    out
}

/// The actor the next "it" or "they" stands for: the last coded source,
/// else the first named actor of a later sentence without a trigger.
/// Those sentences are only looked at when a pronoun needs them.
#[derive(Default)]
struct LastSubject<'d> {
    known: Option<ActorMention<'d>>,
    /// Sentences without a trigger since `known` was set, in order.
    pending: Vec<usize>,
}

impl<'d> LastSubject<'d> {
    fn set(&mut self, m: ActorMention<'d>) {
        self.known = Some(m);
        self.pending.clear();
    }

    fn get(
        &mut self,
        doc: &'d Doc,
        res: &Resources,
        referents: &mut actors::Referents<'d>,
    ) -> &Option<ActorMention<'d>> {
        // The latest pending sentence that names an actor wins.
        for &si in self.pending.iter().rev() {
            let Some(s) = doc.sentences.get(si) else {
                continue;
            };
            let from = doc.entities.partition_point(|e| e.start < s.start);
            if let Some(m) = doc.entities[from..]
                .iter()
                .take_while(|e| e.end <= s.end)
                .find_map(|e| referents.get(doc, res, &e.canonical))
            {
                self.known = Some(m);
                break;
            }
        }
        self.pending.clear();
        &self.known
    }
}

/// How much of the coding rests on evidence in the sentence itself: a
/// source with a known country, a target, a pattern of more than one word,
/// a source named rather than reached through a pronoun. A ranking score
/// in 0..=1 (documented in docs/output-format.md), not a calibrated
/// probability.
fn confidence(
    doc: &Doc,
    src: Option<&ActorMention>,
    tgt: Option<&ActorMention>,
    pat: &crate::codebook::Pattern,
) -> f64 {
    let mut c: f64 = 0.4;
    if src.is_some_and(|a| a.country.is_some()) {
        c += 0.25;
    }
    if tgt.is_some() {
        c += 0.15;
    }
    if !pat.rest.is_empty() {
        c += 0.1;
    }
    let pronoun = src.is_some_and(|a| {
        matches!(
            doc.slice(a.start, a.end).to_lowercase().as_str(),
            "it" | "they" | "he" | "she" | "we" | "i"
        )
    });
    if src.is_some() && !pronoun {
        c += 0.1;
    }
    (c.min(1.0) * 100.0).round() / 100.0
}

/// The last two words of a mention, lower-cased, hashed.
fn tail_key(toks: &[TokenView<'_>], m: &ActorMention) -> u64 {
    use std::hash::{Hash, Hasher};
    let from = m.last.saturating_sub(2).max(m.first);
    let mut h = rustc_hash::FxHasher::default();
    for t in &toks[from..m.last.min(toks.len())] {
        t.lower.hash(&mut h);
    }
    h.finish()
}

/// "… and is taking", "… and has launched": a verb coordinated with the one
/// before, sharing its subject. An "-ing" form needs its auxiliary ("and
/// arresting 12" is a participle, not a new clause).
fn coordinated(toks: &[TokenView<'_>], i: usize) -> bool {
    let mut k = i;
    let mut aux = false;
    while k > 0 {
        let w = toks[k - 1].lower;
        if matches!(
            w,
            "is" | "are"
                | "was"
                | "were"
                | "has"
                | "have"
                | "had"
                | "will"
                | "would"
                | "also"
                | "then"
                | "later"
                | "now"
                | "subsequently"
        ) {
            aux = true;
            k -= 1;
            continue;
        }
        break;
    }
    k > 0 && toks[k - 1].lower == "and" && (aux || !toks[i].lower.ends_with("ing"))
}

/// A mention given the richest code its canonical name has in the document.
fn enrich<'d>(
    doc: &'d Doc,
    res: &Resources,
    m: &ActorMention<'d>,
    referents: &mut actors::Referents<'d>,
) -> ActorMention<'d> {
    let mut m = *m;
    if let Some(b) = m.canonical.and_then(|c| referents.get(doc, res, c)) {
        if m.country.is_none() {
            m.country = b.country;
        }
        if m.sectors.is_empty() || m.sectors.is_only("ELI") {
            m.sectors = b.sectors;
        }
    }
    m
}

/// Pattern matches of a sentence: the longest at each trigger, matches
/// inside a longer one dropped. (Triggers inside a name are dropped by the
/// caller once the actors are known.)
fn triggers(res: &Resources, toks: &[TokenView<'_>]) -> Vec<Match> {
    let book = &res.codebook;
    let mut out: Vec<Match> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if t.kind != TokenKind::Word {
            continue;
        }
        let Some(list) = book.patterns_at(t.lower) else {
            continue;
        };
        if t.capitalised && i > 0 && !matches!(toks[i - 1].text, "\"" | "“" | "'" | "‘" | "(") {
            continue;
        }
        // "victims killed by the crash", "a report released Tuesday": a
        // participle modifying the noun before it, not the verb of a clause.
        if reduced_relative(toks, i, &book.participles, &book.agents) {
            continue;
        }
        // What the words around say, worked out once per word and only
        // when a pattern asks.
        let prev = i.checked_sub(1).map(|k| toks[k]);
        let modifies_next = std::cell::OnceCell::new();
        let modifies_next = || {
            *modifies_next.get_or_init(|| {
                toks.get(i + 1)
                    .is_some_and(|n| MODIFIED_NOUNS.contains(&n.lower))
            })
        };
        let noun_context = std::cell::OnceCell::new();
        let noun_context = || {
            *noun_context.get_or_init(|| {
                prev.is_some_and(|p| NOUN_CONTEXT.contains(&p.lower))
                    && used_as_noun(toks, i, t.lower)
            })
        };
        let after_nationality = prev
            .is_some_and(|p| p.capitalised && !p.lower.ends_with('s') && res.is_demonym(p.lower));
        let mut best: Option<Match> = None;
        for &p in list {
            let pat = &book.patterns[p];
            if pat.verb_trigger
                && (noun_context_for(noun_context(), toks, i, &pat.lemma)
                    || after_nationality && t.lower == pat.lemma)
            {
                // "the Palestinian request": a noun after a nationality.
                continue;
            }
            if !pat.verb_trigger && pat.rest.is_empty() && modifies_next() {
                continue;
            }
            if let Some(last) = match_rest(toks, i + 1, &pat.rest) {
                if best.as_ref().is_none_or(|b| last > b.last) {
                    best = Some(Match {
                        first: i,
                        last,
                        pattern: p,
                    });
                }
            }
        }
        if let Some(b) = best {
            if out
                .last()
                .is_some_and(|prev| b.first < prev.last && b.last <= prev.last)
            {
                continue;
            }
            out.push(b);
        }
    }
    out
}

/// A past participle right after a noun, followed by "by" or by a time
/// ("victims **killed** by", "a report **released** Tuesday").
fn reduced_relative(
    toks: &[TokenView<'_>],
    i: usize,
    participles: &HashSet<String>,
    agents: &HashMap<String, String>,
) -> bool {
    let t = toks[i];
    if i == 0 || !(t.lower.ends_with("ed") || participles.contains(t.lower)) {
        return false;
    }
    let prev = toks[i - 1];
    let Some(next) = toks.get(i + 1) else {
        return false;
    };
    let prev_is_actor = agents.contains_key(prev.lower);
    let prev_is_noun = prev.kind == TokenKind::Word
        && !prev.capitalised
        && !BE.contains(&prev.lower)
        && !BETWEEN_SUBJECT_AND_VERB.contains(&prev.lower)
        && !prev.lower.ends_with("ly")
        && !matches!(
            prev.lower,
            "he" | "she" | "it" | "they" | "we" | "i" | "who" | "that" | "which"
        );
    if next.lower == "by" {
        return prev_is_actor || prev_is_noun;
    }
    let time_next = matches!(
        next.lower,
        "yesterday"
            | "today"
            | "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "last"
            | "earlier"
            | "this"
    );
    prev_is_noun && !prev_is_actor && time_next
}

/// [`used_as_noun`] for a pattern's lemma, given the word-level check.
fn noun_context_for(word_level: bool, toks: &[TokenView<'_>], i: usize, lemma: &str) -> bool {
    word_level && used_as_noun(toks, i, lemma)
}

/// A verb form used as a noun or adjective: "the support", "a detained man".
fn used_as_noun(toks: &[TokenView<'_>], i: usize, lemma: &str) -> bool {
    let Some(prev) = i.checked_sub(1).map(|k| toks[k].lower) else {
        return false;
    };
    let w = toks[i].lower;
    // "to attack"; "the military captured": "military" is a noun there,
    // the subject of a past-tense verb.
    if prev == "to" || prev == "military" && w.ends_with("ed") {
        return false;
    }
    let base_like =
        w == lemma || w.len() == lemma.len() + 1 || w.len() == lemma.len() + 2 && w.ends_with("es");
    (base_like || w.ends_with("ed") || w.ends_with("ing")) && NOUN_CONTEXT.contains(&prev)
}

/// Matches the items after the trigger; returns one past the last token.
fn match_rest(toks: &[TokenView<'_>], mut at: usize, rest: &[Item]) -> Option<usize> {
    let mut k = 0;
    while k < rest.len() {
        match &rest[k] {
            Item::Gap => {
                let Some(Item::Words(next)) = rest.get(k + 1) else {
                    return None;
                };
                let mut found = None;
                for (j, t) in toks.iter().enumerate().skip(at).take(GAP + 1) {
                    if next.contains(t.lower) {
                        found = Some(j);
                        break;
                    }
                    if is_barrier(*t) {
                        break;
                    }
                }
                at = found? + 1;
                k += 2;
            }
            Item::Words(words) => {
                let t = toks.get(at)?;
                if !words.contains(t.lower) {
                    return None;
                }
                at += 1;
                k += 1;
            }
        }
    }
    Some(at)
}

fn is_quote_mark(s: &str) -> bool {
    matches!(s, "\"" | "“" | "”" | "«" | "»")
}

fn is_barrier(t: TokenView<'_>) -> bool {
    matches!(
        t.text,
        "," | ";" | ":" | "\"" | "“" | "”" | "." | "!" | "?" | "(" | ")"
    )
}

/// Token positions where a condition starts ("if", "unless", "in case").
fn condition_positions(toks: &[TokenView<'_>]) -> Vec<usize> {
    let mut out = Vec::new();
    for i in 0..toks.len() {
        for c in CONDITION {
            if toks.len() >= i + c.len()
                && c.iter().enumerate().all(|(k, w)| toks[i + k].lower == *w)
            {
                out.push(i);
            }
        }
    }
    out
}

/// "will", "ready to", "plans to" within the four words before the trigger,
/// not across punctuation.
fn intent_before(toks: &[TokenView<'_>], i: usize) -> bool {
    let mut k = i;
    let mut steps = 0;
    while k > 0 && steps < 4 {
        k -= 1;
        steps += 1;
        let t = toks[k];
        if t.kind == TokenKind::Punct {
            return false;
        }
        if INTENT.contains(&t.lower) {
            return true;
        }
    }
    false
}

/// The subject of a trigger at `i`: the nearest actor before it that is
/// not a prepositional object nor a locative place, with the actors joined
/// to it by "and". Returns its position in `found` and the list. The search
/// does not go back past `floor` (the previous trigger's end).
fn subject_of<'d>(
    toks: &[TokenView<'_>],
    found: &[ActorMention<'d>],
    i: usize,
    floor: Option<usize>,
    participles: &HashSet<String>,
) -> Option<(usize, Vec<ActorMention<'d>>)> {
    // Not across a colon or a quote mark: "X wrote: “the enemy …”".
    let opened = (0..i)
        .rev()
        .find(|&k| {
            toks[k].text == ":"
                || is_quote_mark(toks[k].text) && k > 0 && matches!(toks[k - 1].text, ":" | ",")
        })
        .map_or(0, |k| k + 1);
    let lo = floor.unwrap_or(0).max(opened);
    // "Pakistan, a key U.S. ally in the war, has refused": not inside an
    // apposition between the subject and its verb.
    let apposition = (lo..i).rev().find(|&k| toks[k].text == ",").and_then(|c2| {
        if !adjacent(toks, c2 + 1, i) {
            return None;
        }
        let c1 = (lo..c2).rev().find(|&k| toks[k].text == ",")?;
        matches!(toks.get(c1 + 1).map(|t| t.lower), Some("a" | "an" | "the")).then_some((c1, c2))
    });
    let k = found
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, a)| a.last <= i && a.first >= lo)
        .filter(|(_, a)| apposition.is_none_or(|(c1, c2)| a.first < c1 || a.first > c2))
        .find(|(_, a)| {
            !a.locative && (!prepositional(toks, a) || agent_of_participle(toks, a, participles))
        })
        .map(|(k, _)| k)?;
    let mut list = vec![found[k]];
    // "A and B", "A, B and C"; "Hungarian and Romanian officials".
    let mut j = k;
    while j > 0 {
        let (prev, cur) = (&found[j - 1], &found[j]);
        if prev.last > cur.first {
            break;
        }
        let between: Vec<&str> = toks[prev.last..cur.first].iter().map(|t| t.lower).collect();
        let joined = match between.as_slice() {
            ["and"] | [",", "and"] | ["and", "the"] | [",", "and", "the"] => true,
            // "A, B and C": a bare comma only inside a list "and" closes.
            [","] => list.len() > 1,
            _ => false,
        };
        if joined && !prev.locative && !prev.pronoun && prev.first >= lo {
            let mut prev = *prev;
            if prev.nationality {
                // "French and Egyptian warships": French warships.
                prev.sectors = found[k].sectors;
            }
            list.insert(0, prev);
            j -= 1;
        } else {
            break;
        }
    }
    let head = &found[k];
    if head.first >= 2 && toks[head.first - 1].lower == "and" {
        // "Hungarian and Romanian officials": the first nationality makes a
        // second actor with the same sectors.
        let t = toks[head.first - 2];
        let nationality_is_an_actor = found.iter().any(|a| a.last == head.first - 1);
        if !nationality_is_an_actor && t.capitalised {
            let mut other = *head;
            other.first = head.first - 2;
            other.last = head.first - 1;
            other.start = t.start;
            other.end = t.end;
            other.country = None;
            other.canonical = None;
            // Country from the nationality word, filled by the caller's
            // resources: keep the word; resolved below.
            other.sectors = head.sectors;
            list.insert(
                0,
                ActorMention {
                    pronoun: false,
                    ..other
                },
            );
        }
    }
    Some((k, list))
}

/// "a report, published **by the Commission**, documented …": the agent
/// of a participle may be the subject of what follows.
fn agent_of_participle(
    toks: &[TokenView<'_>],
    a: &ActorMention,
    participles: &HashSet<String>,
) -> bool {
    let mut k = a.first;
    while k > 0 && matches!(toks[k - 1].lower, "the" | "a" | "an") {
        k -= 1;
    }
    k >= 2
        && toks[k - 1].lower == "by"
        && (participles.contains(toks[k - 2].lower) || toks[k - 2].lower.ends_with("ed"))
        && !matches!(
            toks[k - 3.min(k)].lower,
            "was" | "were" | "is" | "are" | "been" | "be"
        )
}

/// Whether an actor is the object of a preposition ("of Ukraine").
fn prepositional(toks: &[TokenView<'_>], a: &ActorMention) -> bool {
    let mut k = a.first;
    let mut adjectives = 0;
    while k > 0 {
        let w = toks[k - 1].lower;
        if w == "the" || w == "a" || w == "an" {
            k -= 1;
            continue;
        }
        if w == "of"
            && k >= 2
            && matches!(
                toks[k - 2].lower,
                "group"
                    | "number"
                    | "some"
                    | "many"
                    | "dozens"
                    | "hundreds"
                    | "thousands"
                    | "members"
                    | "leaders"
                    | "one"
                    | "two"
                    | "three"
                    | "several"
                    | "most"
                    | "all"
                    | "delegation"
                    | "team"
                    | "band"
                    | "unit"
                    | "units"
            )
        {
            // "a group of Moroccan diplomats held talks".
            return false;
        }
        if PREPOSITIONS.contains(&w) {
            return true;
        }
        // "with additional units": over a few modifiers.
        let t = toks[k - 1];
        if adjectives < 2 && t.kind == TokenKind::Word && !t.capitalised && !t.lower.ends_with("ed")
        {
            adjectives += 1;
            k -= 1;
            continue;
        }
        return false;
    }
    false
}

/// The objects: the first actor after the match that is not a locative
/// place or a pronoun, before a clause boundary, with the actors joined to
/// it by "and" ("blows to the United States and Israel"). One's own is not
/// a target ("stepped up its forces"; for a mobilisation, one's own
/// troops); a countryless actor word gives way to a country named after
/// "to", "against" or "with" ("military intelligence to Macedonia").
fn object_of<'d>(
    toks: &[TokenView<'_>],
    found: &[ActorMention<'d>],
    from: usize,
    max_first: usize,
    source_country: Option<Code3>,
    root: &str,
) -> Vec<ActorMention<'d>> {
    let stop = (from..toks.len())
        .find(|&k| {
            matches!(toks[k].text, ";" | ":" | "." | "!" | "?")
                || toks[k].text == "," && k > from
                || matches!(
                    toks[k].lower,
                    "said"
                        | "says"
                        | "saying"
                        | "who"
                        | "which"
                        | "while"
                        | "after"
                        | "because"
                        | "but"
                )
        })
        .unwrap_or(toks.len());
    let own = |a: &ActorMention| {
        a.country.is_none() || source_country.is_some() && a.country == source_country
    };
    let candidates: Vec<usize> = (0..found.len())
        .filter(|&k| {
            let a = &found[k];
            a.first >= from && a.last <= stop && a.first <= max_first && !a.pronoun && !a.locative
        })
        .filter(|&k| {
            let a = &found[k];
            let possessed = a.first > 0
                && matches!(
                    toks[a.first - 1].lower,
                    "its" | "their" | "his" | "her" | "our"
                );
            !(possessed && own(a))
        })
        .filter(|&k| root != "15" || !own(&found[k]))
        .collect();
    let Some(&first) = candidates.first() else {
        return Vec::new();
    };
    let mut k = first;
    if found[k].country.is_none() {
        if let Some(&better) = candidates.iter().skip(1).find(|&&c| {
            found[c].country.is_some()
                && found[c].first > 0
                && matches!(
                    toks[found[c].first - 1].lower,
                    "to" | "against" | "with" | "on" | "into"
                )
        }) {
            k = better;
        }
    }
    let mut out = vec![found[k]];
    // "Sierra Leonean and Liberian refugees": a nationality, "and", a head.
    if found[k].nationality {
        if let Some(next) = found.get(k + 1) {
            if next.first == found[k].last + 1
                && toks[found[k].last].lower == "and"
                && !next.locative
            {
                out[0].sectors = next.sectors;
                out.push(*next);
                k += 1;
            }
        }
    }
    while let Some(next) = found.get(k + 1) {
        let cur = &found[k];
        if next.first < cur.last || next.pronoun || next.locative || next.last > stop {
            break;
        }
        let between: Vec<&str> = toks[cur.last..next.first].iter().map(|t| t.lower).collect();
        if !matches!(between.as_slice(), ["and"] | [",", "and"] | ["and", "the"]) {
            break;
        }
        out.push(*next);
        k += 1;
    }
    out
}

/// Whether only auxiliaries and adverbs stand between a subject ending at
/// `end` and a trigger at `i`.
fn adjacent(toks: &[TokenView<'_>], end: usize, i: usize) -> bool {
    end <= i
        && i - end <= 4
        && toks[end..i]
            .iter()
            .all(|t| BETWEEN_SUBJECT_AND_VERB.contains(&t.lower) || t.lower.ends_with("ly"))
}

/// The one country the sentence's actors name, if exactly one.
fn unique_country(found: &[ActorMention]) -> Option<Code3> {
    let mut it = found
        .iter()
        .filter(|a| !a.pronoun)
        .filter_map(|a| a.country)
        .filter(|c| !matches!(c.as_str(), "IGO" | "NGO" | "WST"));
    let first = it.next()?;
    it.all(|c| c == first).then_some(first)
}

/// An actor with a sector and no country takes the sentence's only
/// country ("President Bouteflika threatened to impose a curfew in
/// Algiers" → DZAGOV): domestic actors are named without their country.
/// Not the enemy: "the enemy" and "invaders" are by definition someone
/// else's.
fn fill_country(a: &mut ActorMention, toks: &[TokenView<'_>], country: Option<Code3>) {
    if a.country.is_some() || a.sectors.is_empty() || a.pronoun {
        return;
    }
    let foreign = toks[a.first.min(toks.len())..a.last.min(toks.len())]
        .iter()
        .any(|t| matches!(t.lower, "enemy" | "invaders" | "occupiers" | "foreign"));
    if !foreign {
        a.country = country;
    }
}

/// The speaker of the statement around token `i`, as an actor of the
/// sentence: the statement's speaker span, else the first subject-like
/// actor before `not_this`.
fn speaker_actor<'d>(
    doc: &Doc,
    toks: &[TokenView<'_>],
    found: &[ActorMention<'d>],
    i: usize,
    not_this: Option<&ActorMention>,
) -> Option<ActorMention<'d>> {
    if let Some((sp, _)) = statement_around(doc, toks[i].start) {
        if let Some(a) = found
            .iter()
            .find(|a| a.start < sp.end && sp.start < a.end && !a.pronoun)
        {
            return Some(*a);
        }
    }
    let limit = not_this.map_or(i, |a| a.first);
    found
        .iter()
        .filter(|a| a.last <= limit && !a.pronoun && !a.locative && !prepositional(toks, a))
        .find(|a| a.has_code())
        .cloned()
}

/// CAMEO's rejection code for a refused cooperative code.
fn reject_code(code: &str) -> String {
    let c = match &code[..2] {
        "04" => "125",
        "05" if code.starts_with("057") => "127",
        "06" => "121",
        "07" => "122",
        "08" => "124",
        _ => "120",
    };
    c.to_string()
}

/// A pronoun's referent: "we"/"I" in a quotation → its speaker; "it",
/// "they", "he", "she" → the nearest non-pronoun subject before it in the
/// sentence, else the last subject of the text before. A "Hungarian and"
/// nationality actor gets its country here.
#[allow(clippy::too_many_arguments)]
fn resolve_pronoun<'d>(
    doc: &'d Doc,
    res: &Resources,
    toks: &[TokenView<'_>],
    a: &ActorMention<'d>,
    found: &[ActorMention<'d>],
    k: usize,
    last_subject: &mut LastSubject<'d>,
    referents: &mut actors::Referents<'d>,
) -> ActorMention<'d> {
    if !a.pronoun {
        if a.country.is_none() && a.canonical.is_none() {
            let word = doc.slice(a.start, a.end).to_lowercase();
            if let Some(cc) = res.demonym_country(&word) {
                let mut b = *a;
                b.country = Some(cc);
                return b;
            }
        }
        return *a;
    }
    let word = doc.slice(a.start, a.end).to_lowercase();
    let with_span = |m: &ActorMention<'d>| ActorMention {
        first: a.first,
        last: a.last,
        start: a.start,
        end: a.end,
        pronoun: false,
        ..*m
    };
    if word == "we" || word == "i" {
        if let Some((sp, _)) = statement_around(doc, a.start) {
            if let Some(m) = sp
                .canonical
                .as_ref()
                .and_then(|c| referents.get(doc, res, c))
            {
                return with_span(&m);
            }
        }
    }
    if let Some(m) = found[..k]
        .iter()
        .rev()
        .find(|m| !m.pronoun && !m.locative && m.has_code() && !prepositional(toks, m))
    {
        return with_span(m);
    }
    if let Some(m) = last_subject.get(doc, res, referents) {
        return with_span(m);
    }
    *a
}

/// The statement (quote or reported speech) whose content contains `c`:
/// its speaker and the source reporting it.
fn statement_around(doc: &Doc, c: usize) -> Option<(EntityRef, Option<EntityRef>)> {
    doc.quotes
        .iter()
        .filter(|q| q.start <= c && c < q.end)
        .min_by_key(|q| q.end - q.start)
        .and_then(|q| q.speaker.clone().map(|s| (s, q.via.clone())))
}

/// CAMEO's "express intent" code for a cooperative code (AGREE in PLOVER).
fn intent_code(code: &str) -> String {
    let c = match code {
        "0841" | "0842" | "084" => "0353",
        "081" => "0351",
        "082" => "0352",
        "085" => "0354",
        "086" => "0355",
        c if c.starts_with("087") => "0356",
        c if c.starts_with("08") => "035",
        "071" => "0331",
        "072" => "0332",
        "073" => "0333",
        "074" => "0334",
        c if c.starts_with("07") => "033",
        "061" => "0311",
        "062" => "0312",
        "063" => "0313",
        "064" => "0314",
        c if c.starts_with("06") => "031",
        c if c.starts_with("05") => "032",
        c if c.starts_with("04") => "036",
        c => c,
    };
    c.to_string()
}

/// CAMEO's threat code for a hostile code under a condition.
fn threat_code(code: &str) -> String {
    let c = match code {
        c if c.starts_with("14") => "133",
        "161" => "1313",
        "162" => "1311",
        "163" => "1312",
        c if c.starts_with("16") => "131",
        "172" | "1721" | "1722" | "1723" | "1724" => "132",
        c if c.starts_with("17") => "137",
        "191" => "1381",
        "192" => "1382",
        c if c.starts_with("20") => "1385",
        c if c.starts_with("18") || c.starts_with("19") => "138",
        c if c.starts_with("15") => "138",
        c => c,
    };
    c.to_string()
}

/// ACLED type: the codebook's, adjusted by the actors where ACLED's own
/// definitions depend on them (violence on civilians; who takes territory).
fn acled_for(
    trigger: &str,
    code: &str,
    base: Option<&(String, String)>,
    src: Option<&ActorMention>,
    tgt: Option<&ActorMention>,
) -> Option<Acled> {
    let (mut t, mut s) = base.cloned()?;
    let civilian = |a: Option<&ActorMention>| {
        a.is_some_and(|a| {
            a.sectors
                .iter()
                .any(|s| matches!(s.as_str(), "CVL" | "REF" | "LAB" | "EDU" | "MED" | "HLH"))
        })
    };
    let state = |a: Option<&ActorMention>| {
        a.is_some_and(|a| {
            a.sectors
                .iter()
                .any(|s| matches!(s.as_str(), "GOV" | "MIL" | "COP"))
        }) || a.is_some_and(|a| {
            a.sectors.is_empty() && a.country.is_some_and(|c| c != "IGO" && c != "WST")
        })
    };
    if (code.starts_with("19") || code.starts_with("18"))
        && civilian(tgt)
        && code != "194"
        && code != "195"
    {
        t = "Violence against civilians".into();
        s = if code.starts_with("181") {
            "Abduction/forced disappearance".into()
        } else {
            "Attack".into()
        };
    }
    // ACLED's "Government regains territory" is a state force taking back
    // ground ("retake", "recapture", "regain"); a first capture keeps the
    // codebook's type.
    if code == "192" && state(src) && trigger.starts_with("re") {
        s = "Government regains territory".into();
        t = "Battles".into();
    }
    Some(Acled {
        event_type: t,
        sub_event_type: s,
    })
}

fn to_actor(doc: &Doc, a: &ActorMention) -> Actor {
    Actor {
        text: doc.slice(a.start, a.end).to_string(),
        start: a.start,
        end: a.end,
        canonical: a.canonical.map(str::to_string),
        code: a.code(),
        country: a
            .country
            .filter(|c| c.as_str().bytes().all(|b| b.is_ascii_uppercase()))
            .map(|c| c.to_string()),
    }
}

/// The place of an event: a place after a locative preposition ("in",
/// "near", "south of") in the trigger's part of the sentence (no other
/// trigger between them), nearest the trigger, after it preferred; else a
/// place named as the target. A statement's place is before it ("Speaking
/// in Beijing, X said") or within six words after its words: a place
/// further on belongs to what is said, not to where it was said.
#[allow(clippy::too_many_arguments)]
fn place_for(
    doc: &Doc,
    toks: &[TokenView<'_>],
    found: &[ActorMention],
    m: &Match,
    all: &[Match],
    verbal: bool,
    target: Option<&ActorMention>,
) -> Option<EventPlace> {
    let (s0, s1) = (toks.first()?.start, toks.last()?.end);
    let mut best: Option<(usize, &sitrep_core::Place)> = None;
    let from = doc.places.partition_point(|p| p.start < s0);
    for p in doc.places[from..]
        .iter()
        .take_while(|p| p.start < s1)
        .filter(|p| p.end <= s1 && p.lat.is_some())
    {
        let Some(k) = toks.iter().position(|t| t.start >= p.start) else {
            continue;
        };
        let between = |a: usize, b: usize| {
            all.iter()
                .any(|o| o.first != m.first && a <= o.first && o.first < b)
        };
        // A trigger right after the matched words is their compound
        // ("fired four shell bombs at targets in Jericho"), not a new event.
        if k >= m.last && between(m.last + 1, k) || k < m.first && between(k, m.first) {
            continue;
        }
        if verbal && k >= m.last + 6 {
            continue;
        }
        // "X, an analyst in Berlin, said the fighting …": a place before
        // the speech verb is the speaker's, not the reported event's.
        if k < m.first
            && toks[k..m.first].iter().any(|t| {
                matches!(
                    t.lower,
                    "said" | "says" | "told" | "added" | "stated" | "wrote" | "according"
                )
            })
        {
            continue;
        }
        // "in the Bakhmut and Melitopol directions".
        let loc = crate::actors::locative_before(toks, k)
            || k >= 2
                && toks[k - 1].lower == "and"
                && found.iter().any(|a| a.locative && a.last + 1 == k);
        let is_target = target.is_some_and(|t| t.start <= p.start && p.end <= t.end)
            && p.kind != PlaceKind::Country;
        // "repelled an attack on (the village of) Andriivka": the place
        // the matched words' attack was aimed at.
        let aimed_at = k >= m.last && k <= m.last + 5 && aimed_before(toks, k);
        if !loc && !is_target && !aimed_at {
            continue;
        }
        let trig = toks[m.first].start;
        let dist = if p.start >= trig {
            p.start - trig
        } else {
            (trig - p.end) * 2
        };
        // Finer places first among equals: a city over its country.
        let rank = dist + if p.kind == PlaceKind::Country { 200 } else { 0 };
        if best.is_none_or(|(r, _)| rank < r) {
            best = Some((rank, p));
        }
    }
    let (_, p) = best?;
    Some(event_place(p, "sentence"))
}

/// Whether the place starting at code point `start` is what the matched
/// words act on: only articles, settlement words and "of", "from", "on",
/// "against" between them ("captured the village of X", "withdrew from X",
/// "repelled an attack on X").
fn place_is_object(toks: &[TokenView<'_>], m: &Match, start: usize) -> bool {
    let Some(k) = toks.iter().position(|t| t.start >= start) else {
        return false;
    };
    k >= m.last
        && k <= m.last + 5
        && toks[m.last..k].iter().all(|t| {
            matches!(
                t.lower,
                "the"
                    | "a"
                    | "an"
                    | "of"
                    | "from"
                    | "on"
                    | "against"
                    | "city"
                    | "town"
                    | "village"
                    | "settlement"
                    | "key"
                    | "strategic"
            )
        })
}

/// An event's place from a resolved toponym, and how it was linked.
fn event_place(p: &sitrep_core::Place, from: &str) -> EventPlace {
    EventPlace {
        text: p.text.clone(),
        start: p.start,
        end: p.end,
        name: p.name.clone(),
        lat: p.lat,
        lon: p.lon,
        country: p.country.clone(),
        gazetteer_id: p.gazetteer_id.clone(),
        from: from.to_string(),
    }
}

/// Whether "on" or "against" comes before token `k`, past "the", "of" and
/// a settlement word ("an attack on the village of X").
fn aimed_before(toks: &[TokenView<'_>], k: usize) -> bool {
    let mut b = k;
    while b > 0
        && matches!(
            toks[b - 1].lower,
            "the" | "of" | "city" | "town" | "village" | "settlement" | "positions"
        )
    {
        b -= 1;
    }
    b > 0 && matches!(toks[b - 1].lower, "on" | "against")
}

/// The date: the sentence's date expression nearest the trigger, else the
/// publication date.
fn date_for(doc: &Doc, toks: &[TokenView<'_>], m: &Match) -> Option<EventDate> {
    let (s0, s1) = (toks.first()?.start, toks.last()?.end);
    let trig = toks[m.first].start;
    let from = doc.times.partition_point(|t| t.start < s0);
    let t = doc.times[from..]
        .iter()
        .take_while(|t| t.start < s1)
        .filter(|t| t.end <= s1)
        .filter(|t| matches!(t.kind, TimexType::Date | TimexType::Time))
        .filter(|t| t.value.len() >= 4 && t.value[..4].bytes().all(|b| b.is_ascii_digit()))
        .min_by_key(|t| t.start.abs_diff(trig));
    if let Some(t) = t {
        return Some(EventDate {
            value: t.value.clone(),
            precision: precision(&t.value).into(),
            from: "time".into(),
        });
    }
    let p = doc.published.as_ref()?.to_string();
    Some(EventDate {
        precision: precision(&p).into(),
        value: p,
        from: "published".into(),
    })
}

fn precision(v: &str) -> &'static str {
    let b = v.as_bytes();
    if v.contains('T') && b.len() > 10 {
        if v.len() > 13 {
            "time"
        } else {
            "day"
        }
    } else if b.len() >= 10 {
        "day"
    } else if b.len() >= 8 && b.get(5) == Some(&b'W') {
        "week"
    } else if b.len() >= 7 && b[5].is_ascii_digit() {
        "month"
    } else if b.len() >= 7 {
        "season"
    } else if b.len() == 4 {
        "year"
    } else if b.len() == 3 {
        "decade"
    } else {
        "century"
    }
}

/// A statement (CAMEO 01–13) without a place in its sentence takes the
/// place of the nearest statement by the same source, within three
/// sentences, that has one: where the speaker was.
/// A material event (CAMEO roots 14–20: protests, coercion, assaults,
/// fights) whose sentence names no place happened, as news tells it, where
/// the article is about: the settlement or district it names most, at
/// least twice ("Witnesses described explosions across several districts"
/// in a report about Uvira). `place.from` is `document`, so the weaker link
/// shows.
fn borrow_document_place(doc: &Doc, events: &mut [Event]) {
    let material = |e: &Event| {
        matches!(
            e.cameo.get(..2),
            Some("14" | "15" | "16" | "17" | "18" | "19" | "20")
        )
    };
    if !events.iter().any(|e| e.place.is_none() && material(e)) {
        return;
    }
    let mut counts: Vec<(&str, usize, &sitrep_core::Place)> = Vec::new();
    for p in &doc.places {
        let local = matches!(p.kind, PlaceKind::Settlement | PlaceKind::Admin2);
        let (Some(id), true, false, Some(_)) =
            (p.gazetteer_id.as_deref(), local, p.metonymy, p.lat)
        else {
            continue;
        };
        match counts.iter_mut().find(|(g, _, _)| *g == id) {
            Some(c) => c.1 += 1,
            None => counts.push((id, 1, p)),
        }
    }
    // Most mentioned, the first named among equals; and only a clear focus.
    let Some(&(_, n, p)) = counts
        .iter()
        .rev()
        .max_by_key(|(_, n, _)| *n)
        .filter(|(_, n, _)| *n >= 2)
    else {
        return;
    };
    if counts.iter().filter(|(_, m, _)| *m == n).count() > 1 {
        return;
    }
    for e in events
        .iter_mut()
        .filter(|e| e.place.is_none() && material(e))
    {
        e.place = Some(event_place(p, "document"));
    }
}

fn borrow_statement_places(events: &mut [Event], sentence: &[usize]) {
    let verbal = |e: &Event| matches!(e.quad_class, 1 | 3);
    // Who spoke: the reporting speaker, else the source.
    let src = |e: &Event| {
        e.attribution
            .as_ref()
            .and_then(|a| a.canonical.clone())
            .or_else(|| {
                e.source
                    .as_ref()
                    .and_then(|a| a.canonical.clone().or_else(|| a.code.clone()))
            })
    };
    for i in 0..events.len() {
        if events[i].place.is_some() || !verbal(&events[i]) {
            continue;
        }
        let Some(me) = src(&events[i]) else { continue };
        let mut best: Option<(usize, usize)> = None;
        for j in 0..events.len() {
            if j == i || !verbal(&events[j]) || src(&events[j]).as_deref() != Some(me.as_str()) {
                continue;
            }
            let Some(p) = &events[j].place else { continue };
            if p.from != "sentence" {
                continue;
            }
            let d = sentence[i].abs_diff(sentence[j]);
            if d <= 3 && best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, j));
            }
        }
        if let Some((_, j)) = best {
            let mut p = events[j].place.clone();
            if let Some(p) = p.as_mut() {
                p.from = "speaker".into();
            }
            events[i].place = p;
        }
    }
}
