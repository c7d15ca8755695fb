//! The `claims` stage: numbers with their qualifier, unit or counted noun,
//! and what they count.
//!
//! Reads `sentences`, `tokens` and `times` (numbers inside time expressions —
//! "36 hours", "2023" — are not claims; a claim's `time` is the nearest date,
//! time or duration of its sentence); assigns `claims`. Each [`Claim`]
//! spans the whole quantity phrase ("More than 75,000 women", "around 60
//! combat clashes", "16 of the strikes", "$33bn", "between 10 and 15
//! drones") and carries:
//! - `value` (and `value_max` for ranges); vague counts take their lower
//!   bound with qualifier `at-least` ("dozens of" = 24, "hundreds" = 200);
//! - `qualifier`: more-than, at-least, around, nearly, up-to, less-than;
//! - `unit`: a measurement unit (km, %, USD) or the counted noun without
//!   leading adjectives ("unsuccessful attempts" → "attempts");
//! - `kind`: from `data/lexicons/claim-kinds.tsv` — the counted noun's kind,
//!   or the kind of a verb next to it ("12 soldiers were killed" → killed);
//! - `by`: `claims/<rule>` with `:kind=<word>` naming the lexicon entry.
//!
//! `attributed_to` is the speaker of the quote (direct or reported) that
//! contains the quantity, from the quotes layer.
//!
//! ```
//! use sitrep_core::{Doc, Stage};
//!
//! let mut doc = Doc::new("d", "Around 60 combat clashes took place and 16 of the strikes hit Kherson.");
//! sitrep_text::Segmenter::new().run(&mut doc);
//! sitrep_claims::Claims::new().run(&mut doc);
//! let c = &doc.claims[0];
//! assert_eq!((c.text.as_str(), c.value, c.qualifier.as_deref(), c.unit.as_deref()), ("Around 60 combat clashes", 60.0, Some("around"), Some("combat clashes")));
//! assert_eq!(doc.claims[1].unit.as_deref(), Some("strikes"));
//! ```
#![deny(missing_docs)]

mod numbers;

use std::collections::HashMap;

use sitrep_core::{Claim, Doc, Layer, Stage, TimeRef, TimexType, TokenKind};

use numbers::{parse_number, Number};
use sitrep_times::grammar::Tok;

/// The shipped kinds lexicon.
pub const CLAIM_KINDS_TSV: &str = include_str!("../../../data/lexicons/claim-kinds.tsv");

/// The claims stage, with its lexicon.
#[derive(Debug, Clone)]
pub struct Claims {
    nouns: HashMap<String, String>,
    verbs: HashMap<String, String>,
}

impl Default for Claims {
    fn default() -> Self {
        Claims::new()
    }
}

/// Measurement units written after a number, and their normal form.
fn measure_unit(w: &str) -> Option<&'static str> {
    Some(match w {
        "km" | "kilometres" | "kilometers" | "kilometre" | "kilometer" => "km",
        "miles" | "mile" | "mi" => "mi",
        "m" | "metres" | "meters" | "metre" | "meter" => "m",
        "%" | "percent" | "per-cent" => "%",
        "tonnes" | "tons" | "tonne" | "ton" | "t" => "t",
        "kg" | "kilograms" => "kg",
        "hectares" | "ha" => "ha",
        "dollars" | "usd" => "USD",
        "euros" | "eur" => "EUR",
        "pounds" => "GBP",
        "hryvnias" | "hryvnia" | "uah" => "UAH",
        "roubles" | "rubles" | "rub" => "RUB",
        _ => return None,
    })
}

/// Words that end a counted-noun phrase: function words and common verbs.
fn ends_phrase(w: &str) -> bool {
    matches!(
        w,
        "in" | "on"
            | "at"
            | "to"
            | "from"
            | "by"
            | "with"
            | "for"
            | "of"
            | "and"
            | "or"
            | "but"
            | "that"
            | "which"
            | "who"
            | "were"
            | "was"
            | "are"
            | "is"
            | "be"
            | "been"
            | "have"
            | "has"
            | "had"
            | "took"
            | "take"
            | "will"
            | "would"
            | "could"
            | "said"
            | "says"
            | "say"
            | "per"
            | "a"
            | "an"
            | "the"
            | "this"
            | "these"
            | "those"
            | "their"
            | "its"
            | "his"
            | "her"
            | "our"
            | "than"
            | "as"
            | "into"
            | "over"
            | "under"
            | "after"
            | "before"
            | "since"
            | "during"
            | "near"
            | "across"
            | "against"
            | "while"
            | "when"
            | "where"
            | "not"
            | "also"
            | "each"
            | "ago"
            | "away"
            | "more"
            | "less"
            | "only"
            | "just"
            | "about"
            | "around"
            | "last"
            | "every"
    )
}

/// Plural nouns: regular -s plurals and the irregular ones news counts.
fn looks_plural(w: &str) -> bool {
    (w.len() > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is"))
        || matches!(
            w,
            "women"
                | "men"
                | "people"
                | "children"
                | "police"
                | "personnel"
                | "aircraft"
                | "troops"
                | "staff"
                | "civilians"
                | "cattle"
        )
}

/// Adjective-like words dropped from the front of a counted noun phrase.
fn adjectival(w: &str, capitalised: bool) -> bool {
    capitalised
        || [
            "ful", "less", "ous", "ive", "ic", "able", "ible", "ed", "al", "ary",
        ]
        .iter()
        .any(|s| w.len() > s.len() + 3 && w.ends_with(s))
        || matches!(
            w,
            "other"
                | "new"
                | "further"
                | "additional"
                | "several"
                | "many"
                | "few"
                | "more"
                | "most"
                | "some"
        )
}

impl Claims {
    /// The stage with the shipped lexicon.
    pub fn new() -> Claims {
        let mut nouns = HashMap::new();
        let mut verbs = HashMap::new();
        for line in CLAIM_KINDS_TSV.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if let [word, kind, role] = f[..] {
                let map = if role == "verb" {
                    &mut verbs
                } else {
                    &mut nouns
                };
                map.insert(word.to_string(), kind.to_string());
            }
        }
        Claims { nouns, verbs }
    }
}

impl Stage for Claims {
    fn name(&self) -> &'static str {
        "claims"
    }
    fn requires(&self) -> &'static [Layer] {
        &[Layer::Sentences, Layer::Tokens, Layer::Times, Layer::Quotes]
    }
    fn assigns(&self) -> &'static [Layer] {
        &[Layer::Claims]
    }
    fn run(&self, doc: &mut Doc) {
        // Numbers inside time expressions are not claims, and a claim's
        // time is a time expression of its sentence.
        let in_time = |s: usize, e: usize| doc.times.iter().any(|t| t.start < e && s < t.end);
        let mut claims = Vec::new();
        let mut next = 0;
        for s in &doc.sentences {
            let toks = doc.sentence_tokens(s, &mut next);
            let mut i = 0;
            while i < toks.len() {
                match self.claim_at(&toks, i) {
                    Some((first, end, mut claim))
                        if !in_time(toks[first].start, toks[end - 1].end) =>
                    {
                        claim.start = toks[first].start;
                        claim.end = toks[end - 1].end;
                        claim.text = doc.slice(claim.start, claim.end).to_string();
                        claim.time = sentence_time(doc, s.start, s.end, claim.start);
                        // Who claims it: the speaker of the quote it is in.
                        claim.attributed_to = doc
                            .quotes
                            .iter()
                            .find(|q| q.start <= claim.start && claim.end <= q.end)
                            .and_then(|q| q.speaker.clone());
                        claims.push(claim);
                        i = end;
                    }
                    _ => i += 1,
                }
            }
        }
        doc.claims = claims;
    }
}

impl Claims {
    /// A claim whose number starts at token `i`: (first token, end token, claim).
    fn claim_at(&self, toks: &[Tok], i: usize) -> Option<(usize, usize, Claim)> {
        let w = |k: usize| toks.get(k).map(|t| t.lower).unwrap_or("");
        // Currency symbol before the number.
        let (currency, ni) = match w(i) {
            "$" => (Some("USD"), i + 1),
            "€" => (Some("EUR"), i + 1),
            "£" => (Some("GBP"), i + 1),
            "₴" => (Some("UAH"), i + 1),
            "₽" => (Some("RUB"), i + 1),
            _ => (None, i),
        };
        // Cheap test first: most tokens are no number.
        if !numbers::could_start(w(ni)) {
            return None;
        }
        let words: Vec<&str> = toks[ni..].iter().take(4).map(|t| t.lower).collect();
        let Number { value, vague, len } = parse_number(&words)?;
        // The token must look like a count, not a name or a model number:
        // "Resolution 425", "No. 3", "Patriot 125".
        // Ages: "aged 41 and 56".
        if toks[ni.saturating_sub(3)..ni]
            .iter()
            .any(|t| matches!(t.lower, "aged" | "age" | "ages"))
        {
            return None;
        }
        if ni > 0 {
            let prev = &toks[ni - 1];
            if matches!(
                prev.lower,
                "no."
                    | "number"
                    | "resolution"
                    | "article"
                    | "route"
                    | "flight"
                    | "#"
                    | "aged"
                    | "age"
            ) || (prev.capitalised
                && prev.kind == TokenKind::Word
                && ni - 1 > 0
                && toks[ni].kind == TokenKind::Number
                && currency.is_none()
                && !matches!(
                    prev.lower,
                    "about" | "around" | "some" | "nearly" | "over" | "only"
                ))
            {
                return None;
            }
        }
        if toks[ni].kind == TokenKind::Word && matches!(toks[ni].lower, "one" | "a" | "an") {
            return None;
        }
        let mut end = ni + len;
        let mut value_max = None;
        // Ranges: "10 to 15", "10-15" (one token), "between 10 and 15".
        let mut first = i;
        let mut qualifier: Option<&'static str> = None;
        if let Some((lo, hi)) = toks[ni]
            .lower
            .split_once(['-', '–'])
            .filter(|_| toks[ni].kind == TokenKind::Number)
        {
            let (lo, hi) = (
                lo.replace(',', "").parse::<f64>().ok()?,
                hi.replace(',', "").parse::<f64>().ok()?,
            );
            if hi > lo {
                return Some(self.finish(toks, i, ni + 1, lo, Some(hi), None, currency));
            }
        }
        if matches!(w(end), "to" | "or" | "and")
            && (first == 0 || w(first - 1) == "between" || w(end) != "and")
        {
            let rest: Vec<&str> = toks[end + 1..].iter().take(4).map(|t| t.lower).collect();
            if let Some(n2) = parse_number(&rest) {
                if n2.value > value && !n2.vague {
                    value_max = Some(n2.value);
                    end = end + 1 + n2.len;
                    if first > 0 && w(first - 1) == "between" {
                        first -= 1;
                    }
                }
            }
        }
        // Qualifiers before the number (and its currency).
        let before = |k: usize| if k >= 1 { w(k - 1) } else { "" };
        let before2 = |k: usize| if k >= 2 { w(k - 2) } else { "" };
        let two = (before2(first), before(first));
        let q2 = match two {
            ("more", "than") | ("upwards", "of") => Some("more-than"),
            ("at", "least") | ("fewer", "than") if two.0 == "at" => Some("at-least"),
            ("no", "fewer") | ("no", "less") => Some("at-least"),
            ("up", "to") | ("as", "many") | ("at", "most") => Some("up-to"),
            ("less", "than") | ("fewer", "than") => Some("less-than"),
            ("close", "to") => Some("nearly"),
            ("an", "estimated") => Some("around"),
            _ => None,
        };
        if let Some(q) = q2 {
            qualifier = Some(q);
            first -= 2;
        } else {
            let q1 = match before(first) {
                "over" | "above" => Some("more-than"),
                "about" | "around" | "approximately" | "roughly" | "some" | "estimated"
                | "approx." => Some("around"),
                "nearly" | "almost" => Some("nearly"),
                "under" | "below" => Some("less-than"),
                _ => None,
            };
            if let Some(q) = q1 {
                qualifier = Some(q);
                first -= 1;
            }
        }
        if vague && qualifier.is_none() {
            qualifier = Some("at-least");
        }
        let mut c = self.finish(toks, first, end, value, value_max, qualifier, currency);
        c.2.by = format!(
            "claims/{}{}",
            if value_max.is_some() {
                "range"
            } else {
                "number"
            },
            kind_detail(&c.2)
        )
        .into();
        c.0 = first;
        Some(c)
    }

    /// Unit, counted noun and kind after the number; builds the claim.
    #[allow(clippy::too_many_arguments)]
    fn finish(
        &self,
        toks: &[Tok],
        first: usize,
        mut end: usize,
        value: f64,
        value_max: Option<f64>,
        qualifier: Option<&'static str>,
        currency: Option<&'static str>,
    ) -> (usize, usize, Claim) {
        let w = |k: usize| toks.get(k).map(|t| t.lower).unwrap_or("");
        let mut unit: Option<String> = currency.map(str::to_string);
        let mut kind: Option<String> = currency.map(|_| "money".to_string());
        if unit.is_none() {
            if let Some(u) = measure_unit(w(end)) {
                unit = Some(u.to_string());
                kind = self.nouns.get(w(end)).cloned().or_else(|| {
                    Some(match u {
                        "USD" | "EUR" | "GBP" | "UAH" | "RUB" => "money".into(),
                        _ => return None,
                    })
                });
                end += 1;
            } else {
                // "16 of the strikes": a partitive; otherwise the noun phrase.
                let mut k = end;
                if w(k) == "of" {
                    k += 1; // "dozens of drones"
                    if matches!(w(k), "the" | "these" | "those" | "its" | "their") {
                        k += 1; // "16 of the strikes"
                    }
                }
                let start = k;
                while k < toks.len()
                    && k - start < 3
                    && toks[k].kind == TokenKind::Word
                    && !ends_phrase(w(k))
                    && !self.verbs.contains_key(w(k))
                    // "missiles launched": a participle after the noun ends it
                    && !(k > start && w(k).ends_with("ed"))
                {
                    k += 1;
                    // The counted noun is the first plural: "combat clashes",
                    // not "women serve".
                    if looks_plural(w(k - 1)) || self.nouns.contains_key(w(k - 1)) {
                        break;
                    }
                }
                if k > start {
                    let mut s = start;
                    while s + 1 < k && adjectival(w(s), toks[s].capitalised) {
                        s += 1;
                    }
                    let phrase: Vec<&str> = (s..k).map(w).collect();
                    unit = Some(phrase.join(" "));
                    kind = phrase
                        .iter()
                        .rev()
                        .find_map(|p| self.nouns.get(*p).cloned());
                    end = k;
                }
            }
        }
        // A verb next to a count of people says more than the noun:
        // "12 soldiers were killed", "killing at least 12".
        if kind.is_none() || kind.as_deref() == Some("personnel") {
            // The nearest verb wins; one after "and" or a comma starts
            // another clause and yields to one before the count ("killing
            // at least 12 people and wounding 87": the 12 are killed).
            let end = end.min(toks.len());
            let after = toks[end..].iter().take(3).enumerate().find_map(|(d, t)| {
                self.verbs.get(t.lower).map(|k| {
                    let new_clause = toks[end..end + d]
                        .iter()
                        .any(|t| t.lower == "and" || t.lower == "," || t.lower == "while");
                    (d + 1 + if new_clause { 3 } else { 0 }, k)
                })
            });
            let from = first.saturating_sub(3);
            let before = toks[from..first]
                .iter()
                .enumerate()
                .rev()
                .find_map(|(i, t)| self.verbs.get(t.lower).map(|k| (first - (from + i), k)));
            let nearest = match (after, before) {
                (Some(a), Some(b)) => Some(if a.0 < b.0 { a.1 } else { b.1 }),
                (a, b) => a.or(b).map(|x| x.1),
            };
            if let Some(k) = nearest {
                kind = Some(k.clone());
            }
        }
        let claim = Claim {
            start: 0,
            end: 0,
            text: String::new(),
            by: "claims/number".into(),
            value,
            value_max,
            qualifier: qualifier.map(str::to_string),
            unit,
            kind,
            attributed_to: None,
            time: None,
        };
        (first, end, claim)
    }
}

/// The time expression of the sentence a count refers to: the nearest
/// date, time or duration in the same sentence (sets and vague references
/// such as "now" say nothing about when the count holds).
fn sentence_time(doc: &Doc, start: usize, end: usize, at: usize) -> Option<TimeRef> {
    doc.times
        .iter()
        .filter(|t| {
            t.start >= start
                && t.end <= end
                && t.kind != TimexType::Set
                && !t.value.ends_with("_REF")
        })
        .min_by_key(|t| {
            if t.start > at {
                t.start - at
            } else {
                at - t.end
            }
        })
        .map(|t| TimeRef {
            text: t.text.clone(),
            start: t.start,
            end: t.end,
            value: t.value.clone(),
        })
}

fn kind_detail(c: &Claim) -> String {
    c.kind
        .as_ref()
        .map(|k| format!(":kind={k}"))
        .unwrap_or_default()
}
