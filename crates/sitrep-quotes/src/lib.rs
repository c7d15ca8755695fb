//! The `quotes` stage: direct and reported speech, its speaker, cue and
//! channel.
//!
//! Reads `sentences` and `tokens`; assigns `quotes`. Rules, in order:
//! 1. **Direct quotes**: text between paired quote marks (“…”, «…», "…"),
//!    across sentences; a paragraph that ends inside a quote continues it
//!    when the next paragraph opens with a quote mark (the news convention),
//!    else the quote ends with the paragraph (unbalanced marks never make a
//!    document fail). Quotes of fewer than four words without final
//!    punctuation are scare quotes, not speech. The content includes the
//!    marks, as PolNeAR annotates it.
//! 2. **Speaker of a direct quote**: a cue after it (`," he said`, `," said
//!    Caddell`), else a cue before it (`X wrote: "…"`), else the speaker of
//!    the quote just before it in the same or previous paragraph.
//! 3. **Reported speech** in sentences outside direct quotes: `X said
//!    (that) …`, `… , X said.`, `… , said X.`, `according to X, …`,
//!    `…, according to X.` A direct quote inside the content makes it mixed
//!    (`direct: true`).
//! 4. **Canonical speaker**: a name's longest form in the document
//!    ("Shoigu" → "Sergei Shoigu"); pronouns ("he") and descriptions ("the
//!    spokesperson") resolve to the most recent named speaker.
//! 5. **Channel**: "on Telegram", "on live TV", "in a statement", "on social
//!    media"… in the sentence of the cue.
//!
//! `by` is `quotes/<rule>`. The cue lexicon is
//! `data/lexicons/speech-cues.tsv`.
//!
//! ```
//! use sitrep_core::{Doc, Stage};
//!
//! let mut doc = Doc::new("d", "\"We are ready,\" Sergei Shoigu said. Shoigu noted that talks could start.");
//! sitrep_text::Segmenter::new().run(&mut doc);
//! sitrep_quotes::Quotes::new().run(&mut doc);
//! assert_eq!(doc.quotes.len(), 2);
//! assert_eq!(doc.quotes[0].speaker.as_ref().unwrap().text, "Sergei Shoigu");
//! assert_eq!(doc.quotes[1].text, "that talks could start.");
//! assert_eq!(doc.quotes[1].speaker.as_ref().unwrap().canonical.as_deref(), Some("Sergei Shoigu"));
//! ```
#![deny(missing_docs)]

pub mod attribution;
pub use attribution::Attribution;

use std::collections::HashSet;

use sitrep_core::{Doc, EntityRef, Layer, Quote, Stage};

/// The shipped cue lexicon.
pub const SPEECH_CUES_TSV: &str = include_str!("../../../data/lexicons/speech-cues.tsv");

/// The quotes stage.
#[derive(Debug, Clone)]
pub struct Quotes {
    cues: HashSet<String>,
    /// Cues that attribute only when "that" follows ("a poll shows that").
    weak_cues: HashSet<String>,
}

impl Default for Quotes {
    fn default() -> Self {
        Quotes::new()
    }
}

const PRONOUNS: &[&str] = &["he", "she", "they", "it", "we", "i"];

/// Heads of descriptions that refer back to a named speaker ("the
/// spokesperson", "the minister").
const ROLE_NOUNS: &[&str] = &[
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "official",
    "minister",
    "commander",
    "president",
    "general",
    "ministry",
    "agency",
    "governor",
    "mayor",
    "chief",
    "secretary",
    "ambassador",
    "leader",
    "prosecutor",
    "source",
];

/// Channels named near a cue, and their normal form.
const CHANNELS: &[(&str, &str)] = &[
    ("on telegram", "Telegram"),
    ("live tv", "live TV"),
    ("on television", "television"),
    ("national television", "television"),
    ("in a statement", "statement"),
    ("statement", "statement"),
    ("social media", "social media"),
    ("on twitter", "Twitter"),
    ("on x", "X"),
    ("on facebook", "Facebook"),
    ("in an interview", "interview"),
    ("told reporters", "press"),
    ("press conference", "press conference"),
    ("news conference", "press conference"),
    ("briefing", "briefing"),
];

impl Quotes {
    /// The stage with the shipped cue lexicon.
    pub fn new() -> Quotes {
        let entries = || {
            SPEECH_CUES_TSV
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
        };
        let cues = entries()
            .filter(|l| !l.starts_with('~'))
            .map(str::to_string)
            .collect();
        let weak_cues = entries()
            .filter_map(|l| l.strip_prefix('~'))
            .map(str::to_string)
            .collect();
        Quotes { cues, weak_cues }
    }
}

/// A direct quote: char span including the marks.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
}

/// Finds direct quotes in the text (char offsets, marks included).
fn direct_spans(chars: &[char]) -> Vec<Span> {
    let n = chars.len();
    let mut out = Vec::new();
    let mut i = 0;
    let opens = |i: usize| -> Option<char> {
        match chars[i] {
            '“' => Some('”'),
            '«' => Some('»'),
            '"' if i == 0
                || chars[i - 1].is_whitespace()
                || matches!(chars[i - 1], '(' | '[' | '—' | '–' | '-' | ':') =>
            {
                Some('"')
            }
            _ => None,
        }
    };
    while i < n {
        let Some(close) = opens(i) else {
            i += 1;
            continue;
        };
        let start = i;
        let mut j = i + 1;
        let mut end = None;
        while j < n {
            let c = chars[j];
            if c == close || (close == '”' && c == '"' && j > 0 && !chars[j - 1].is_whitespace())
            {
                end = Some(j + 1);
                break;
            }
            if c == '\n' {
                // Continued on the next paragraph when it opens with a mark.
                if j + 1 < n && opens(j + 1).is_some() {
                    j += 2;
                    continue;
                }
                end = Some(j);
                break;
            }
            j += 1;
        }
        let end = end.unwrap_or(n);
        out.push(Span { start, end });
        i = end.max(i + 1);
    }
    out
}

/// A token as this stage sees it.
struct T<'a> {
    start: usize,
    end: usize,
    lower: &'a str,
    text: &'a str,
    /// Only white space and a line break (or nothing) before it.
    paragraph_start: bool,
}

impl T<'_> {
    fn capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }
}

/// Words that end a speaker noun phrase when walking away from the cue.
fn stops_speaker(w: &str) -> bool {
    matches!(
        w,
        "," | "."
            | ";"
            | ":"
            | "that"
            | "which"
            | "who"
            | "and"
            | "but"
            | "as"
            | "when"
            | "while"
            | "because"
            | "if"
            | "\""
            | "“"
            | "”"
            | "«"
            | "»"
            | "—"
            | "–"
            | "-"
            | "is"
            | "was"
            | "were"
            | "are"
            | "has"
            | "had"
            | "have"
            | "would"
            | "will"
            | "also"
            | "in"
            | "on"
            | "at"
            | "after"
            | "before"
            | "since"
            | "then"
    )
}

impl Stage for Quotes {
    fn name(&self) -> &'static str {
        "quotes"
    }
    fn requires(&self) -> &'static [Layer] {
        &[Layer::Sentences, Layer::Tokens]
    }
    fn assigns(&self) -> &'static [Layer] {
        &[Layer::Quotes]
    }
    fn run(&self, doc: &mut Doc) {
        let chars: Vec<char> = doc.text().chars().collect();
        let toks: Vec<T> = doc
            .tokens
            .iter()
            .enumerate()
            .map(|(k, t)| T {
                start: t.start,
                end: t.end,
                lower: doc.token_lower(k),
                text: doc.slice(t.start, t.end),
                paragraph_start: {
                    let mut c = t.start;
                    while c > 0 && chars[c - 1].is_whitespace() && chars[c - 1] != '\n' {
                        c -= 1;
                    }
                    c == 0 || chars[c - 1] == '\n'
                },
            })
            .collect();
        let names = NameIndex::new(&toks);
        let tok_at = |c: usize| toks.partition_point(|t| t.end <= c);
        let sentence_of = |c: usize| {
            doc.sentences
                .partition_point(|s| s.end <= c)
                .min(doc.sentences.len().saturating_sub(1))
        };
        let mut found: Vec<Found> = Vec::new();

        // 1–2: direct quotes.
        let directs: Vec<Span> = direct_spans(&chars)
            .into_iter()
            .filter(|s| {
                let inner: String = chars[s.start + 1..s.end.saturating_sub(1).max(s.start + 1)]
                    .iter()
                    .collect();
                let words = inner.split_whitespace().count();
                // Titles and scare quotes ("Fox News Sunday,") are no speech.
                words >= 4 || (words >= 3 && inner.trim_end().ends_with(['.', '!', '?', ',']))
            })
            .collect();
        let mut covered: Vec<(usize, usize)> = Vec::new();
        for d in &directs {
            let first = tok_at(d.start);
            let last = tok_at(d.end.saturating_sub(1)).min(toks.len().saturating_sub(1));
            if first >= toks.len() {
                continue;
            }
            let si = sentence_of(d.end.saturating_sub(1));
            let sent_end = doc.sentences.get(si).map(|s| s.end).unwrap_or(chars.len());
            let sent_start = doc
                .sentences
                .get(sentence_of(d.start))
                .map(|s| s.start)
                .unwrap_or(0);
            let attribution = self
                .cue_after(&toks, last + 1, sent_end)
                .or_else(|| self.cue_before(&toks, first, sent_start));
            let sentence = doc
                .sentences
                .get(si)
                .map(|s| s.text.to_lowercase())
                .unwrap_or_default();
            covered.push((d.start, d.end));
            found.push(Found {
                start: d.start,
                end: d.end,
                speaker: attribution.map(|x| x.0),
                cue: attribution.map(|x| x.1),
                rule: attribution.map(|x| x.2).unwrap_or("direct-continuation"),
                direct: true,
                channel: channel(&sentence),
            });
        }

        // 3: reported speech, in sentences not inside a direct quote.
        for s in &doc.sentences {
            if covered.iter().any(|&(a, b)| a <= s.start && s.end <= b) {
                continue;
            }
            let (f, l) = (tok_at(s.start), tok_at(s.end.saturating_sub(1)));
            if f >= toks.len() {
                continue;
            }
            let Some((content, speaker, cue, rule)) =
                self.reported(&toks, f, l.min(toks.len() - 1))
            else {
                continue;
            };
            let (cs, ce) = (toks[content.0].start, toks[content.1 - 1].end);
            if covered.iter().any(|&(a, b)| a <= cs && ce <= b) {
                continue; // the direct quote is the whole content
            }
            let mixed = doc.slice(cs, ce).contains(['"', '“', '”', '«', '»']);
            if mixed {
                // One attribution: the direct quotes inside it are part of it.
                found.retain(|q| !(q.direct && q.start >= cs && q.end <= ce + 1));
            }
            found.push(Found {
                start: cs,
                end: ce,
                speaker: Some(speaker),
                cue: Some(cue),
                rule,
                direct: mixed,
                channel: channel(&s.text.to_lowercase()),
            });
        }

        // 4: speakers resolved in text order, so "he said" finds the last name.
        found.sort_by_key(|q| (q.start, q.end));
        let mut last_speaker: Option<EntityRef> = None;
        let mut quotes = Vec::with_capacity(found.len());
        for q in found {
            let speaker = match q.speaker {
                Some((a, b)) => Some(self.entity_ref(doc, &toks, &names, a, b, &last_speaker)),
                None => last_speaker.clone(),
            };
            if let Some(sp) = &speaker {
                if sp.canonical.is_some() {
                    last_speaker = Some(sp.clone());
                }
            }
            quotes.push(Quote {
                start: q.start,
                end: q.end,
                text: doc.slice(q.start, q.end).to_string(),
                by: format!("quotes/{}", q.rule).into(),
                direct: q.direct,
                speaker,
                cue: q
                    .cue
                    .map(|(a, b)| doc.mention(toks[a].start, toks[b - 1].end)),
                channel: q.channel,
                via: None,
            });
        }
        doc.quotes = quotes;
    }
}

/// A quote found, before its speaker is resolved.
struct Found {
    start: usize,
    end: usize,
    speaker: Option<(usize, usize)>,
    cue: Option<(usize, usize)>,
    rule: &'static str,
    direct: bool,
    channel: Option<String>,
}

/// Channel named in a sentence.
fn channel(sentence_lower: &str) -> Option<String> {
    CHANNELS
        .iter()
        .find(|(k, _)| sentence_lower.contains(k))
        .map(|(_, v)| v.to_string())
}

/// Capitalised name runs of the document, to find a name's longest form.
struct NameIndex {
    /// Name runs with the code point where each ends, in text order.
    runs: Vec<(usize, String)>,
}

impl NameIndex {
    fn new(toks: &[T]) -> NameIndex {
        let mut runs = Vec::new();
        let mut cur: Vec<&str> = Vec::new();
        let mut cur_end = 0;
        for (k, t) in toks.iter().enumerate() {
            let sentence_initial = k == 0 || matches!(toks[k - 1].text, "." | "!" | "?");
            let joiner = matches!(t.lower, "of" | "for")
                && !cur.is_empty()
                && toks.get(k + 1).is_some_and(|n| n.capitalised());
            if (t.capitalised()
                && t.text
                    .chars()
                    .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
                && !sentence_initial)
                || joiner
            {
                cur.push(t.text);
                cur_end = t.end;
            } else {
                if cur.len() >= 2 {
                    runs.push((cur_end, cur.join(" ")));
                }
                cur.clear();
            }
        }
        if cur.len() >= 2 {
            runs.push((cur_end, cur.join(" ")));
        }
        NameIndex { runs }
    }

    /// The longest run ending with `last` (a surname), if any.
    fn longest_ending_with(&self, last: &str) -> Option<&str> {
        self.runs
            .iter()
            .map(|(_, r)| r.as_str())
            .filter(|r| {
                r.ends_with(last)
                    && r.len() > last.len()
                    && r[..r.len() - last.len()].ends_with(' ')
            })
            .max_by_key(|r| r.len())
    }

    /// The last name run ending before code point `at`, and where it ends.
    fn last_before(&self, at: usize) -> Option<(usize, &str)> {
        let k = self.runs.partition_point(|(end, _)| *end <= at);
        k.checked_sub(1)
            .map(|k| (self.runs[k].0, self.runs[k].1.as_str()))
    }
}

impl Quotes {
    fn is_cue(&self, w: &str) -> bool {
        self.cues.contains(w)
    }

    /// A cue word written in lower case: "the United **States**" and
    /// "**Notes** on…" are names, not speech verbs.
    fn is_cue_tok(&self, t: &T) -> bool {
        !t.capitalised() && self.is_cue(t.lower)
    }

    /// `," he said` / `," said X` after a quote ending at token `k`.
    #[allow(clippy::type_complexity)]
    fn cue_after(
        &self,
        toks: &[T],
        mut k: usize,
        sent_end: usize,
    ) -> Option<((usize, usize), (usize, usize), &'static str)> {
        let within = |k: usize| {
            k < toks.len()
                && toks[k].start < sent_end.max(toks.get(k).map(|t| t.start + 1).unwrap_or(0))
                && toks[k].start <= sent_end
        };
        while within(k) && matches!(toks[k].lower, "," | "”" | "\"") {
            k += 1;
        }
        if !within(k) {
            return None;
        }
        if self.is_cue_tok(&toks[k]) {
            // "said Caddell", "said a U.S. Embassy official in Nairobi"
            let a = k + 1;
            let mut b = a;
            while within(b) && b - a < 10 && !stops_speaker(toks[b].lower) {
                b += 1;
            }
            return (b > a).then_some(((a, b), (k, k + 1), "direct-cue-after"));
        }
        // "he said", "the spokesperson said", "Kovaliov added"
        let a = k;
        let mut b = a;
        while within(b) && b - a < 8 && !self.is_cue_tok(&toks[b]) && !stops_speaker(toks[b].lower)
        {
            b += 1;
        }
        if within(b) && self.is_cue_tok(&toks[b]) && b > a {
            return Some(((a, b), (b, b + 1), "direct-speaker-cue"));
        }
        None
    }

    /// `X wrote: "…"` / `X said "…"` before a quote starting at token `first`.
    #[allow(clippy::type_complexity)]
    fn cue_before(
        &self,
        toks: &[T],
        first: usize,
        sent_start: usize,
    ) -> Option<((usize, usize), (usize, usize), &'static str)> {
        let mut k = first;
        // Walk back over ":" "," and "that" to a cue within a few tokens.
        let mut steps = 0;
        while k > 0 && toks[k - 1].start >= sent_start && steps < 12 {
            k -= 1;
            steps += 1;
            if self.is_cue_tok(&toks[k]) {
                let (a, b) = speaker_before(toks, k, sent_start)?;
                return Some(((a, b), (k, k + 1), "direct-cue-before"));
            }
        }
        None
    }

    /// Reported speech in the sentence of tokens `f..=l`:
    /// (content, speaker, cue, rule).
    #[allow(clippy::type_complexity)]
    fn reported(
        &self,
        toks: &[T],
        f: usize,
        l: usize,
    ) -> Option<((usize, usize), (usize, usize), (usize, usize), &'static str)> {
        let end = l + 1;
        // A transcript or headline: "PENCE: Well, look…", "Pat Caddell: Voters…"
        if let Some(colon) = (f + 1..(f + 5).min(end)).find(|&k| toks[k].lower == ":") {
            let name = (f..colon)
                .all(|k| toks[k].capitalised() && toks[k].text.chars().all(char::is_alphabetic));
            let starts_paragraph = toks[f].paragraph_start;
            if name && starts_paragraph && colon + 3 < end {
                return Some((
                    (colon + 1, end),
                    (f, colon),
                    (colon, colon + 1),
                    "name-colon",
                ));
            }
        }
        // Weak cues need "that": "a poll shows that…".
        for k in f + 1..end.saturating_sub(2) {
            if self.weak_cues.contains(toks[k].lower)
                && (toks[k + 1].lower == "that" || toks[k + 2].lower == "that")
            {
                let (a, b) = speaker_before(toks, k, toks[f].start)?;
                let c = if toks[k + 1].lower == "that" {
                    k + 1
                } else {
                    k + 2
                };
                if end - c >= 3 {
                    return Some(((c, end), (a, b), (k, k + 1), "speaker-cue-that"));
                }
            }
        }
        // "according to X, CONTENT" / "CONTENT, according to X."
        for k in f..end.saturating_sub(1) {
            if toks[k].lower == "according" && toks[k + 1].lower == "to" {
                let a = k + 2;
                let mut b = a;
                while b < end && !matches!(toks[b].lower, "," | "." | ";") {
                    b += 1;
                }
                if b == a {
                    return None;
                }
                if k == f || (k == f + 1 && toks[f].capitalised()) {
                    let content_start = b + 1;
                    if content_start < end {
                        return Some(((content_start, end), (a, b), (k, k + 2), "according-to"));
                    }
                } else if k > f + 1 && toks[k - 1].lower == "," {
                    return Some(((f, k - 1), (a, b), (k, k + 2), "according-to-after"));
                }
                return None;
            }
        }
        for k in f..end {
            if !self.is_cue_tok(&toks[k]) {
                continue;
            }
            // "CONTENT, X said." / "CONTENT, said X."
            // the cue ends the sentence (a final period may follow)
            if k + 2 >= end {
                let before_comma = (f..k).rev().find(|&c| toks[c].lower == ",");
                if let Some(c) = before_comma.filter(|&c| c > f) {
                    if k == c + 1 {
                        // ", said X."
                        let a = k + 1;
                        let mut b = a;
                        while b < end && !stops_speaker(toks[b].lower) {
                            b += 1;
                        }
                        if b > a {
                            return Some(((f, c), (a, b), (k, k + 1), "content-said-speaker"));
                        }
                    } else {
                        return Some(((f, c), (c + 1, k), (k, k + 1), "content-speaker-said"));
                    }
                }
            }
            // "X said (that) CONTENT"
            let (a, b) = speaker_before(toks, k, toks[f].start)?;
            let mut c = k + 1;
            // "told reporters that", "said on Monday that": skip to "that" if near
            if let Some(t) = (c..(c + 6).min(end)).find(|&x| toks[x].lower == "that") {
                c = t;
            } else if toks[k].lower == "told" {
                while c < end && !matches!(toks[c].lower, "," | "that" | ":") && c < k + 5 {
                    c += 1;
                }
                if c < end && toks[c].lower == "," {
                    c += 1;
                }
            }
            while c < end && matches!(toks[c].lower, ":" | ",") {
                c += 1;
            }
            if c >= end || end - c < 3 {
                return None;
            }
            return Some(((c, end), (a, b), (k, k + 1), "speaker-said-content"));
        }
        None
    }

    /// The reference for speaker tokens `a..b`, with its canonical name.
    fn entity_ref(
        &self,
        doc: &Doc,
        toks: &[T],
        names: &NameIndex,
        a: usize,
        b: usize,
        last: &Option<EntityRef>,
    ) -> EntityRef {
        let (start, end) = (toks[a].start, toks[b - 1].end);
        let text = doc.slice(start, end).to_string();
        let lower = text.to_lowercase();
        let head = toks[b - 1].lower;
        let description =
            lower.starts_with("the ") && !toks[b - 1].capitalised() && ROLE_NOUNS.contains(&head);
        let canonical = if PRONOUNS.contains(&lower.as_str()) || description {
            // "he", "the spokesperson": the last named speaker, or a name
            // mentioned after that speaker and before the pronoun.
            let name = names.last_before(start);
            match (last, name) {
                (Some(l), Some((end, n))) if end > l.end => Some(n.to_string()),
                (Some(l), _) => l.canonical.clone(),
                (None, Some((_, n))) => Some(n.to_string()),
                (None, None) => None,
            }
        } else {
            // The trailing capitalised run is the name ("Defence Minister
            // Sergei Shoigu" → "Sergei Shoigu"); its longest form in the
            // document is canonical ("Shoigu" → "Sergei Shoigu").
            let mut s = b;
            while s > a
                && (toks[s - 1].capitalised()
                    && toks[s - 1]
                        .text
                        .chars()
                        .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
                    || (matches!(toks[s - 1].lower, "of" | "for")
                        && s - 1 > a
                        && toks[s - 2].capitalised()))
            {
                s -= 1;
            }
            // A sentence-initial determiner is no part of a name.
            while s < b && matches!(toks[s].lower, "the" | "a" | "an") {
                s += 1;
            }
            if s < b {
                let run: Vec<&str> = (s..b).map(|k| toks[k].text).collect();
                let run = run.join(" ");
                let last_word = toks[b - 1].text;
                Some(match names.longest_ending_with(last_word) {
                    Some(longer) if run.split(' ').count() == 1 => longer.to_string(),
                    _ => run,
                })
            } else {
                Some(text.clone())
            }
        };
        EntityRef {
            text,
            start,
            end,
            canonical,
        }
    }
}

/// The noun phrase ending right before cue token `k`: back to a clause
/// boundary; an appositive ("X, the Y of Z, said") gives its head name.
fn speaker_before(toks: &[T], k: usize, sent_start: usize) -> Option<(usize, usize)> {
    let mut b = k;
    // "said on Monday": adverbs and auxiliaries between speaker and cue
    while b > 0
        && matches!(
            toks[b - 1].lower,
            "also" | "has" | "had" | "have" | "then" | "later" | "previously"
        )
    {
        b -= 1;
    }
    if b > 0 && toks[b - 1].lower == "," {
        // appositive: "Andrii Kovaliov, announced" / "X, the commander, wrote"
        b -= 1;
    }
    let mut a = b;
    while a > 0
        && toks[a - 1].start >= sent_start
        && b - a < 12
        && !stops_speaker(toks[a - 1].lower)
    {
        a -= 1;
    }
    if a == b {
        return None;
    }
    // "General Oleksandr Syrskyi, the Commander of the Ground Forces, wrote":
    // prefer the name before a description.
    if matches!(toks[a].lower, "the" | "a" | "an") && a >= 2 && toks[a - 1].lower == "," {
        let mut a2 = a - 1;
        while a2 > 0
            && toks[a2 - 1].start >= sent_start
            && a - 1 - a2 < 8
            && !stops_speaker(toks[a2 - 1].lower)
        {
            a2 -= 1;
        }
        if a2 < a - 1 && toks[a - 2].capitalised() {
            return Some((a2, a - 1));
        }
    }
    Some((a, b))
}
