//! The `quotes` stage: direct and reported speech, its speaker, cue and
//! channel.
//!
//! Reads `sentences` and `tokens`; assigns `quotes`. Rules, in order:
//! 1. **Direct quotes**: text between paired quote marks (“…”, «…», "…",
//!    the newswire ``…'' and ''…'', ‘…’), across sentences; a paragraph
//!    that ends inside a quote continues it when the next paragraph opens
//!    with a quote mark (the news convention), else the quote ends with the
//!    paragraph (unbalanced marks never make a document fail). Quotes of
//!    fewer than four words without final punctuation are scare quotes, not
//!    speech on their own. The content includes the marks, as PolNeAR
//!    annotates it; a quote broken by its cue (`"…," X said, "…"`) is one
//!    span from the first mark to the last.
//! 2. **Speaker of a direct quote**: a cue after it (`," he said`, `," said
//!    Caddell`, `," X, an engineer with Y, said`, `?" he asks`), a dash
//!    byline (`" ― Name`), a cue before it (`X wrote: "…"`, or `X said:`
//!    ending the paragraph before), the subject of its sentence when a verb
//!    other than a speech verb governs it (`X called it "…"`), else the
//!    speaker of the quote just before it.
//! 3. **Reported speech** in sentences outside direct quotes: `X said
//!    (that) …`, `… , X said.`, `… , said X.`, `according to X, …`,
//!    `…, according to X.`, `…, saying that …` (the clause's subject);
//!    failing those, stance verbs with a clause (`X wants to …`, `X calls
//!    on Y to …`, `X fears that …`) and a short quotation inside a clause
//!    (`X criticized the law as a "crazy system"`). A direct quote inside the
//!    content makes it mixed (`direct: true`). No cue inside a quotation is
//!    read as the writer's.
//! 4. **Canonical speaker**: a name's longest form in the document
//!    ("Shoigu" → "Sergei Shoigu"); pronouns ("he") and descriptions ("the
//!    spokesperson") resolve to the most recent named speaker.
//! 5. **Channel**: "on Telegram", "on live TV", "in a statement", "on social
//!    media"… in the sentence of the cue; the same speaker's next
//!    statements keep it.
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
    /// Stance verbs that attribute when a clause follows with "that" or
    /// "to" ("X wants to …", "X calls on Y to …").
    stance_cues: HashSet<String>,
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
            .filter(|l| !l.starts_with(['~', '^']))
            .map(str::to_string)
            .collect();
        let weak_cues = entries()
            .filter_map(|l| l.strip_prefix('~'))
            .map(str::to_string)
            .collect();
        let stance_cues = entries()
            .filter_map(|l| l.strip_prefix('^'))
            .map(str::to_string)
            .collect();
        Quotes {
            cues,
            weak_cues,
            stance_cues,
        }
    }
}

/// A direct quote: char span including the marks.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
}

/// How a quote that opened ends.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Close {
    /// One mark: ” » ".
    Char(char),
    /// Two apostrophes or a ’ after the words: `''…''`, `` ``…'' ``, ‘…’.
    Apostrophes,
}

/// The closing mark of a quote opening at `i`, and the opening's length.
fn opens_at(chars: &[char], i: usize) -> Option<(Close, usize)> {
    let prev = i.checked_sub(1).map(|k| chars[k]);
    let open_ctx = prev
        .is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '[' | '—' | '–' | '-' | ':' | '―'));
    let next = chars.get(i + 1).copied();
    match chars[i] {
        '“' => Some((Close::Char('”'), 1)),
        '«' => Some((Close::Char('»'), 1)),
        '"' if open_ctx => Some((Close::Char('"'), 1)),
        // The newswire (PTB) styles: ``…'' and ''…''.
        '`' if next == Some('`') => Some((Close::Apostrophes, 2)),
        '\'' if open_ctx
            && next == Some('\'')
            && chars.get(i + 2).is_some_and(|c| !c.is_whitespace()) =>
        {
            Some((Close::Apostrophes, 2))
        }
        // ‘…’ opening a quote (not the ’ of "don’t", nor ‘90s).
        '‘' if open_ctx && next.is_some_and(char::is_alphabetic) => Some((Close::Apostrophes, 1)),
        _ => None,
    }
}

/// Whether a quote closed by `close` ends at `j`; the closing mark's length.
fn closes_at(chars: &[char], j: usize, close: Close) -> Option<usize> {
    let c = chars[j];
    let after = chars.get(j + 1).copied();
    match close {
        Close::Char(m) => (c == m
            || (m == '”' && c == '"' && j > 0 && !chars[j - 1].is_whitespace()))
        .then_some(1),
        Close::Apostrophes => {
            // '' closes; so does a ’ after words and before no letter (not
            // the ’ of "don’t"), or a ” (mixed styles).
            let closing_apostrophe = c == '’'
                && after.is_none_or(|a| !a.is_alphanumeric())
                && j > 0
                && !chars[j - 1].is_whitespace();
            if c == '\'' && after == Some('\'') {
                Some(2)
            } else if closing_apostrophe || c == '”' {
                Some(1)
            } else {
                None
            }
        }
    }
}

/// Finds direct quotes in the text (char offsets, marks included).
fn direct_spans(chars: &[char]) -> Vec<Span> {
    let n = chars.len();
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let Some((close, open_len)) = opens_at(chars, i) else {
            i += 1;
            continue;
        };
        let start = i;
        let mut j = i + open_len;
        let mut end = None;
        while j < n {
            if let Some(len) = closes_at(chars, j, close) {
                end = Some(j + len);
                break;
            }
            if chars[j] == '\n' {
                // Continued on the next paragraph when it opens with a mark.
                if j + 1 < n && opens_at(chars, j + 1).is_some() {
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
        let all_spans = direct_spans(&chars);
        let directs: Vec<Span> = all_spans
            .iter()
            .copied()
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
            let mut sent_end = doc.sentences.get(si).map(|s| s.end).unwrap_or(chars.len());
            // `…itself?” he asks.`: a question or exclamation mark ends the
            // sentence inside the quote; the cue is in the next one.
            if let Some(next) = toks.get(last + 1) {
                if next.start >= sent_end && next.start <= d.end + 2 && !next.capitalised() {
                    sent_end = doc
                        .sentences
                        .get(sentence_of(next.start))
                        .map(|s| s.end)
                        .unwrap_or(sent_end);
                }
            }
            let sent_start = doc
                .sentences
                .get(sentence_of(d.start))
                .map(|s| s.start)
                .unwrap_or(0);
            let attribution = self
                .cue_after(&toks, last + 1, sent_end)
                .or_else(|| dash_byline(&toks, last + 1, &chars))
                .or_else(|| self.cue_before(&toks, first, sent_start))
                .or_else(|| self.colon_paragraph_before(&toks, first, &chars))
                .or_else(|| {
                    // `X called the plan "a disaster"`: a quote inside a
                    // sentence with no speech verb is its subject's.
                    let f0 = tok_at(sent_start);
                    (f0 < first && toks[first - 1].start >= sent_start)
                        .then(|| sentence_subject(&toks, f0, first))
                        .flatten()
                        // The cue: the verb after the subject.
                        .filter(|sp| sp.1 < first && !toks[sp.1].capitalised())
                        .map(|sp| (sp, (sp.1, sp.1 + 1), "direct-sentence-subject"))
                });
            // The channel is named where the speaking is: the cue's
            // sentence ("Appearing on live TV, X announced: "…""), else
            // the quote's first and last.
            let cue_sentence = attribution.map(|x| sentence_of(toks[x.1 .0].start));
            let sentence = [cue_sentence, Some(sentence_of(d.start)), Some(si)]
                .into_iter()
                .flatten()
                .filter_map(|k| doc.sentences.get(k))
                .map(|s| s.text.to_lowercase())
                .find(|t| channel(t).is_some())
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

        // A quote broken by its cue — `"…," X said, "…"` — is one
        // statement: one span from the first mark to the last.
        merge_split_quotes(&mut found, &toks, &chars);
        let direct_cues: HashSet<usize> =
            found.iter().filter_map(|q| q.cue.map(|(a, _)| a)).collect();

        // 3: reported speech, in sentences not inside a direct quote.
        for s in &doc.sentences {
            if covered.iter().any(|&(a, b)| a <= s.start && s.end <= b) {
                continue;
            }
            let (f, l) = (tok_at(s.start), tok_at(s.end.saturating_sub(1)));
            if f >= toks.len() {
                continue;
            }
            let l = l.min(toks.len() - 1);
            let Some((content, speaker, cue, rule)) = self
                .reported(&toks, f, l)
                .or_else(|| short_quote_stance(&toks, &all_spans, f, l, tok_at))
            else {
                continue;
            };
            let (cs, ce) = (toks[content.0].start, toks[content.1 - 1].end);
            if covered.iter().any(|&(a, b)| a <= cs && ce <= b) {
                continue; // the direct quote is the whole content
            }
            // A cue inside a quotation is the quoted speaker's ("You say
            // …"), and a direct quote's own cue is taken already.
            let cue_at = toks[cue.0].start;
            if covered.iter().any(|&(a, b)| a < cue_at && cue_at < b)
                || direct_cues.contains(&cue.0)
            {
                continue;
            }
            // "X said in a phone interview.": an adjunct, not what was said.
            if rule == "speaker-said-content"
                && content.1 - content.0 <= 8
                && ADJUNCT_STARTS.contains(&toks[content.0].lower)
            {
                continue;
            }
            let content = doc.slice(cs, ce);
            let mixed = content.contains(['"', '“', '”', '«', '»', '‘'])
                || content.contains("''")
                || content.contains("``");
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
        // The channel of the last statement, and whose it was: the same
        // speaker's next statements keep it ("Appearing on live TV, X
        // announced…", then "X added…").
        let mut last_channel: Option<(Option<String>, String)> = None;
        let mut quotes = Vec::with_capacity(found.len());
        for mut q in found {
            let speaker = match q.speaker {
                Some((a, b)) => Some(self.entity_ref(doc, &toks, &names, a, b, &last_speaker)),
                None => last_speaker.clone(),
            };
            if let Some(sp) = &speaker {
                if sp.canonical.is_some() {
                    last_speaker = Some(sp.clone());
                }
            }
            let who = speaker.as_ref().and_then(|s| s.canonical.clone());
            match (&q.channel, &last_channel) {
                (Some(c), _) => last_channel = Some((who.clone(), c.clone())),
                (None, Some((w, c))) if who.is_some() && *w == who => q.channel = Some(c.clone()),
                (None, _) => last_channel = None,
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

/// `X criticized the law as a "crazy system"`: a short quotation (too
/// short to stand alone) inside a sentence whose subject acts on it is the
/// subject's words, mixed with the writer's: content from after the verb
/// to the closing mark.
#[allow(clippy::type_complexity)]
fn short_quote_stance(
    toks: &[T],
    spans: &[Span],
    f: usize,
    l: usize,
    tok_at: impl Fn(usize) -> usize,
) -> Option<((usize, usize), (usize, usize), (usize, usize), &'static str)> {
    let (s0, s1) = (toks[f].start, toks[l].end);
    let q = spans.iter().find(|q| q.start > s0 && q.end <= s1)?;
    let first = tok_at(q.start);
    let last = tok_at(q.end.saturating_sub(1));
    let (a, b) = sentence_subject(toks, f, first)?;
    // The verb right after the subject, lower case, before the quote.
    let v = b;
    if v + 1 >= first || toks[v].capitalised() || !toks[v].lower.chars().all(char::is_alphabetic) {
        return None;
    }
    Some((
        (v + 1, last + 1),
        (a, b),
        (v, v + 1),
        "speaker-verb-short-quote",
    ))
}

/// Stance verbs whose charge follows "of"/"for" and a gerund ("accused
/// the West of seeking to expand the conflict").
const ACCUSATION_VERBS: &[&str] = &[
    "accuse",
    "accuses",
    "accused",
    "blame",
    "blames",
    "blamed",
    "criticize",
    "criticizes",
    "criticized",
    "criticise",
    "criticises",
    "criticised",
    "praise",
    "praises",
    "praised",
    "condemn",
    "condemns",
    "condemned",
];

/// Words that open an adjunct, not a reported clause, after a cue.
const ADJUNCT_STARTS: &[&str] = &[
    "in",
    "on",
    "at",
    "during",
    "after",
    "before",
    "with",
    "from",
    "by",
    "via",
    "late",
    "earlier",
    "yesterday",
    "today",
    "tonight",
    "last",
    "this",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Merges `"…," X said, "…"` into one direct quote: two direct quotes in
/// one paragraph whose gap holds only the first one's speaker and cue (and
/// punctuation), the second having no cue of its own.
fn merge_split_quotes(found: &mut Vec<Found>, toks: &[T], chars: &[char]) {
    found.sort_by_key(|q| (q.start, q.end));
    let mut out: Vec<Found> = Vec::with_capacity(found.len());
    for q in found.drain(..) {
        if let Some(prev) = out.last_mut() {
            let same_paragraph = prev.end <= q.start && !chars[prev.end..q.start].contains(&'\n');
            // The later piece has no cue of its own, or the same one, or
            // only its sentence's subject (the same speaker going on).
            let later_uncued =
                q.cue.is_none() || q.cue == prev.cue || q.rule == "direct-sentence-subject";
            let joinable = prev.direct
                && q.direct
                && same_paragraph
                && prev.cue.is_some()
                && later_uncued
                && q.start - prev.end <= 160;
            if joinable {
                let from = toks.partition_point(|t| t.start < prev.end);
                let gap: Vec<&T> = toks[from..]
                    .iter()
                    .take_while(|t| t.end <= q.start)
                    .collect();
                let in_attr = |t: &T| {
                    let within = |r: Option<(usize, usize)>| {
                        r.is_some_and(|(a, b)| toks[a].start <= t.start && t.end <= toks[b - 1].end)
                    };
                    within(prev.speaker) || within(prev.cue)
                };
                // Besides the attribution and punctuation, a few words may
                // come between ("she said, clapping."), none of them a cue.
                let other = gap
                    .iter()
                    .filter(|t| !in_attr(t) && !matches!(t.lower, "," | "." | ";" | "—" | "–"))
                    .count();
                let only_attr = gap.iter().any(|t| in_attr(t)) && other <= 3;
                let pieces_of_one = q.rule == "direct-sentence-subject" && other <= 6;
                if !gap.is_empty() && (only_attr || pieces_of_one) {
                    prev.end = q.end;
                    prev.rule = "direct-split";
                    continue;
                }
            }
        }
        out.push(q);
    }
    *found = out;
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
            // "said Caddell", "said a U.S. Embassy official in Nairobi",
            // "said Rep. Gwen Moore (D-Wis.)"
            let a = k + 1;
            let mut b = a;
            while within(b) && b - a < 16 && !stops_speaker(toks[b].lower) {
                b = skip_parenthesis(toks, b);
            }
            return (b > a).then_some(((a, b), (k, k + 1), "direct-cue-after"));
        }
        // "he said", "the spokesperson said", "Kovaliov added",
        // "Rep. Gwen Moore (D-Wis.) said"
        let a = k;
        let mut b = a;
        while within(b) && b - a < 16 && !self.is_cue_tok(&toks[b]) && !stops_speaker(toks[b].lower)
        {
            b = skip_parenthesis(toks, b);
        }
        if within(b) && self.is_cue_tok(&toks[b]) && b > a {
            return Some(((a, b), (b, b + 1), "direct-speaker-cue"));
        }
        // "Leonard Burman, director of the Tax Policy Center, said": a name,
        // an appositive, then the cue.
        if within(b) && toks[b].lower == "," && b > a && (a..b).any(|x| toks[x].capitalised()) {
            let mut c = b + 1;
            while within(c) && c - b < 16 && !matches!(toks[c].lower, "." | ";" | "\"" | "“" | "”")
            {
                if toks[c].lower == "," && within(c + 1) && self.is_cue_tok(&toks[c + 1]) {
                    return Some(((a, b), (c + 1, c + 2), "direct-speaker-appositive-cue"));
                }
                c += 1;
            }
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

    /// `He said:` ending the paragraph before one that opens with the
    /// quote at token `first`.
    #[allow(clippy::type_complexity)]
    fn colon_paragraph_before(
        &self,
        toks: &[T],
        first: usize,
        chars: &[char],
    ) -> Option<((usize, usize), (usize, usize), &'static str)> {
        if first == 0 || !toks[first].paragraph_start || toks[first - 1].lower != ":" {
            return None;
        }
        let colon = first - 1;
        // The colon's own paragraph.
        let mut p = toks[colon].start;
        while p > 0 && chars[p - 1] != '\n' {
            p -= 1;
        }
        let k = (colon.saturating_sub(8)..colon)
            .rev()
            .find(|&k| toks[k].start >= p && self.is_cue_tok(&toks[k]))?;
        let (a, b) = speaker_before(toks, k, p)?;
        Some(((a, b), (k, k + 1), "direct-colon-paragraph"))
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
                let Some((a, b)) = speaker_before(toks, k, toks[f].start) else {
                    continue;
                };
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
            // "X said (that) CONTENT"; "…, saying (that) CONTENT" is the
            // clause's subject's.
            let speaker = if toks[k].lower.ends_with("ing") && k > f && toks[k - 1].lower == "," {
                sentence_subject(toks, f, k)
            } else {
                speaker_before(toks, k, toks[f].start)
            };
            let Some((a, b)) = speaker else {
                continue;
            };
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
        // No speech verb: stance verbs with a clause: "X wants to …", "X fears that …",
        // "X called on Y to …", "X urged Y to …" (content from "that"/"to").
        for k in f + 1..end.saturating_sub(2) {
            let t = &toks[k];
            if t.capitalised() || !self.stance_cues.contains(t.lower) {
                continue;
            }
            // The complement starts within four words (past "on Y", "for").
            let Some(c) = (k + 1..(k + 5).min(end)).find(|&c| {
                toks[c].lower == "that"
                    || toks[c].lower == "to"
                        && toks.get(c + 1).is_some_and(|n| {
                            !n.capitalised() && n.lower.chars().all(char::is_alphabetic)
                        })
                    // "accused the West of seeking …": the charge is the
                    // object and its "of/for …ing", from the object on.
                    || matches!(toks[c].lower, "of" | "for")
                        && ACCUSATION_VERBS.contains(&t.lower)
                        && toks.get(c + 1).is_some_and(|n| n.lower.ends_with("ing"))
            }) else {
                continue;
            };
            let c = if matches!(toks[c].lower, "of" | "for") {
                k + 1
            } else {
                c
            };
            // No clause boundary between the verb and its complement.
            if (k + 1..c).any(|x| matches!(toks[x].lower, "," | ";" | ":" | "and" | "but")) {
                continue;
            }
            let Some((a, b)) = speaker_before(toks, k, toks[f].start) else {
                continue;
            };
            if end - c >= 3 {
                return Some(((c, end), (a, b), (k, k + 1), "speaker-stance-clause"));
            }
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

/// Weekdays and other time words that sit between a speaker and a cue.
fn is_time_word(w: &str) -> bool {
    matches!(
        w,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "yesterday"
            | "today"
            | "tonight"
            | "earlier"
            | "later"
            | "recently"
            | "again"
    )
}

/// Words that cannot open a speaker: verbs and adverbs left of a cue
/// ("mocked the complaint, saying", "forcefully").
fn verb_like(t: &T) -> bool {
    !t.capitalised()
        && (t.lower.ends_with("ed")
            || t.lower.ends_with("ly")
            || matches!(
                t.lower,
                "is" | "was"
                    | "are"
                    | "were"
                    | "be"
                    | "been"
                    | "has"
                    | "have"
                    | "had"
                    | "will"
                    | "would"
                    | "can"
                    | "could"
                    | "should"
                    | "may"
                    | "might"
                    | "must"
                    | "do"
                    | "does"
                    | "did"
            ))
}

/// The subject of the sentence opening at token `f`, before token `limit`:
/// a pronoun, or the noun phrase up to its verb ("The White House
/// spokesman", "Sen. Warren"), past an opening connective ("But, …").
fn sentence_subject(toks: &[T], f: usize, limit: usize) -> Option<(usize, usize)> {
    let mut a = f;
    while a < limit
        && matches!(
            toks[a].lower,
            "but"
                | "and"
                | "so"
                | "still"
                | "yet"
                | "however"
                | "meanwhile"
                | "instead"
                | ","
                | "\""
                | "“"
        )
    {
        a += 1;
    }
    if a >= limit {
        return None;
    }
    if PRONOUNS.contains(&toks[a].lower) {
        return Some((a, a + 1));
    }
    let mut b = a;
    while b < limit && b - a < 10 {
        let t = &toks[b];
        if stops_speaker(t.lower) || verb_like(t) && b > a {
            break;
        }
        // A lower-case word after a name is its verb ("Obama called").
        if !t.capitalised()
            && b > a
            && toks[b - 1].capitalised()
            && !matches!(t.lower, "of" | "for")
        {
            let role = ROLE_NOUNS.contains(&t.lower);
            if !role {
                break;
            }
        }
        b = skip_parenthesis(toks, b);
    }
    (b > a && (a..b).any(|k| toks[k].capitalised() || ROLE_NOUNS.contains(&toks[k].lower)))
        .then_some((a, b))
}

/// The token after `b`, or after the closing parenthesis when `b` opens one
/// ("Moore (D-Wis.)").
fn skip_parenthesis(toks: &[T], b: usize) -> usize {
    if toks[b].lower == "(" {
        if let Some(c) = (b + 1..(b + 8).min(toks.len())).find(|&c| toks[c].lower == ")") {
            return c + 1;
        }
    }
    b + 1
}

/// `…deserves.” ― Martha Aguilar`: a dash and a name closing the
/// paragraph after the quote (ending at token `k`).
#[allow(clippy::type_complexity)]
fn dash_byline(
    toks: &[T],
    k: usize,
    chars: &[char],
) -> Option<((usize, usize), (usize, usize), &'static str)> {
    let dash = toks.get(k)?;
    if !matches!(dash.lower, "―" | "—" | "–" | "--") {
        return None;
    }
    let a = k + 1;
    let mut b = a;
    while b < toks.len() && b - a < 8 && !chars[toks[a].start..toks[b].start].contains(&'\n') {
        if !(toks[b].capitalised() || matches!(toks[b].lower, "," | "." | "of" | "the")) {
            break;
        }
        b += 1;
    }
    // To the end of the paragraph, and a name first.
    let ends = b >= toks.len() || chars[toks[b - 1].end..toks[b].start].contains(&'\n');
    (b > a && ends && toks[a].capitalised()).then_some(((a, b), (k, k + 1), "direct-dash-byline"))
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
    // Skip weekday and time words and verbs or adverbs opening the span
    // ("on Monday said", "mocked the complaint, said", "forcefully").
    while a < b && (verb_like(&toks[a]) || is_time_word(toks[a].lower)) {
        a += 1;
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
