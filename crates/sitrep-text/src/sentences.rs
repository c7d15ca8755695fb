//! Sentence boundaries over tokens.
//!
//! A sentence ends:
//! - after `.`, `!`, `?` or an ellipsis, together with any closing quote
//!   marks and brackets right after it, when the next token could start a
//!   sentence: not a lower-case word, not `,;:` or a closing bracket, and not
//!   inside parentheses (rule `terminal-punct`);
//! - after an abbreviation's period only when the next word clearly starts a
//!   sentence ("in the U.S. The …"); titles ("Gen.") and number-bound forms
//!   ("No. 10") never end one, initials end one only before a non-name
//!   (rule `abbreviation`);
//! - at a line break: headlines, bullets and paragraphs without final
//!   punctuation; a single line break inside a sentence (hard-wrapped text:
//!   no final punctuation and a lower-case continuation) is not a boundary
//!   (rule `line-break`);
//! - at the end of the text (rule `end-of-text`), or after 1,000 tokens
//!   without a boundary, so that no stage sees an unbounded sentence
//!   (rule `length-cap`).
//!
//! Quote marks never end a sentence by themselves: a quotation inside a
//! sentence stays in it ("said that Russia is \"ready for talks\" on …"), and
//! a quotation of several sentences is split where its sentences end.

use crate::abbrev::AbbrevClass;
use crate::tokenize::{Abbrev, Tok};

/// Longest sentence in tokens before a forced break.
pub const MAX_SENTENCE_TOKENS: usize = 1000;

/// A sentence as a token range and the rule that ended it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceSpan {
    /// First token index.
    pub first: usize,
    /// Last token index (inclusive).
    pub last: usize,
    /// Provenance: `segment/<rule>`.
    pub by: &'static str,
}

/// Capitalised words that start sentences far more often than they
/// continue a name; after a general abbreviation they signal a boundary.
const STARTERS: &[&str] = &[
    "A",
    "According",
    "After",
    "All",
    "Also",
    "Although",
    "An",
    "And",
    "As",
    "At",
    "Before",
    "Both",
    "But",
    "By",
    "During",
    "Each",
    "Earlier",
    "For",
    "From",
    "He",
    "Her",
    "Here",
    "His",
    "How",
    "However",
    "I",
    "If",
    "In",
    "It",
    "Its",
    "Last",
    "Later",
    "Many",
    "Meanwhile",
    "Most",
    "My",
    "No",
    "Now",
    "On",
    "One",
    "Or",
    "Our",
    "She",
    "Since",
    "Several",
    "So",
    "Some",
    "Still",
    "Such",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "Though",
    "Today",
    "Until",
    "We",
    "What",
    "When",
    "Where",
    "While",
    "Who",
    "Why",
    "With",
    "Without",
    "Yesterday",
    "Yet",
    "You",
];

fn is_opening_quote(c: char) -> bool {
    matches!(c, '“' | '‘' | '«' | '„' | '‚' | '‹')
}

fn is_closing_quote(c: char) -> bool {
    matches!(c, '”' | '’' | '»' | '›')
}

/// Whether an ASCII quote at `pos` closes (attached to the preceding text).
fn ascii_quote_closes(chars: &[char], pos: usize) -> bool {
    pos > 0 && {
        let p = chars[pos - 1];
        !crate::tokenize::is_space(p) && !matches!(p, '(' | '[' | '{') && !is_opening_quote(p)
    }
}

/// Splits tokens into sentences. `chars` is the text the tokens index.
pub fn split(chars: &[char], toks: &[Tok]) -> Vec<SentenceSpan> {
    let n = toks.len();
    let mut out = Vec::new();
    if n == 0 {
        return out;
    }
    let first_char = |t: &Tok| chars[t.start];
    let text_of = |t: &Tok| -> String { chars[t.start..t.end].iter().collect() };
    let is_punct = |t: &Tok, set: &[char]| t.end - t.start == 1 && set.contains(&first_char(t));
    let is_terminal = |t: &Tok| {
        t.kind == sitrep_core::TokenKind::Punct && matches!(first_char(t), '.' | '!' | '?' | '…')
    };
    // The gap between token i and the next: does it hold a line break, and how many?
    let breaks_after = |i: usize| -> usize {
        if i + 1 >= n {
            return 0;
        }
        chars[toks[i].end..toks[i + 1].start]
            .iter()
            .filter(|&&c| matches!(c, '\n' | '\u{2028}' | '\u{2029}' | '\u{85}'))
            .count()
    };
    let closes = |k: usize| -> bool {
        let t = &toks[k];
        if t.end - t.start != 1 {
            return false;
        }
        let c = first_char(t);
        is_closing_quote(c)
            || matches!(c, ')' | ']')
            || (matches!(c, '"' | '\'') && ascii_quote_closes(chars, t.start))
    };
    let starts_lower = |t: &Tok| first_char(t).is_lowercase();
    let line_start = |i: usize| i == 0 || breaks_after(i - 1) > 0;

    let mut first = 0;
    let mut depth: u32 = 0;
    let mut i = 0;
    while i < n {
        let t = &toks[i];
        if is_punct(t, &['(', '[']) {
            depth += 1;
        } else if is_punct(t, &[')', ']']) {
            depth = depth.saturating_sub(1);
        }

        // Candidate end: terminal punctuation or an abbreviation's period.
        let list_marker = is_punct(t, &['.', ')'])
            && i > 0
            && line_start(i - 1)
            && toks[i - 1].kind == sitrep_core::TokenKind::Number
            && toks[i - 1].end - toks[i - 1].start <= 3;
        if (is_terminal(t) && !list_marker) || t.abbrev.is_some() {
            // Absorb more terminal marks and closing quotes/brackets.
            let mut k = i;
            while k + 1 < n && breaks_after(k) == 0 && (is_terminal(&toks[k + 1]) || closes(k + 1))
            {
                if is_punct(&toks[k + 1], &[')', ']']) {
                    depth = depth.saturating_sub(1);
                }
                k += 1;
            }
            let next = k + 1;
            let boundary = if next >= n || breaks_after(k) > 0 {
                true
            } else {
                let nt = &toks[next];
                let nc = first_char(nt);
                if depth > 0
                    || starts_lower(nt)
                    || matches!(nc, ',' | ';' | ':' | ')' | ']' | '-' | '–' | '—')
                {
                    false
                } else if let Some(kind) = t.abbrev.filter(|_| k == i) {
                    let opens = is_opening_quote(nc)
                        || (matches!(nc, '"' | '\'') && !ascii_quote_closes(chars, nt.start));
                    match kind {
                        Abbrev::Lexicon(AbbrevClass::Title)
                        | Abbrev::Lexicon(AbbrevClass::Number) => false,
                        Abbrev::Initial => {
                            !(nc.is_uppercase()
                                && matches!(
                                    nt.kind,
                                    sitrep_core::TokenKind::Word
                                        | sitrep_core::TokenKind::Abbreviation
                                ))
                        }
                        Abbrev::Dotted | Abbrev::Lexicon(AbbrevClass::General) => {
                            opens || STARTERS.contains(&text_of(nt).as_str())
                        }
                    }
                } else {
                    true
                }
            };
            if boundary {
                let by = if t.abbrev.is_some() && k == i {
                    "segment/abbreviation"
                } else {
                    "segment/terminal-punct"
                };
                out.push(SentenceSpan { first, last: k, by });
                first = next;
                if breaks_after(k) > 0 {
                    depth = 0;
                }
                i = next;
                continue;
            }
            // Not a boundary: carry on after the absorbed marks, but a line
            // break right after them still ends the sentence below.
            i = k;
        }

        let breaks = breaks_after(i);
        if breaks > 0 {
            let cur = &toks[i];
            let continuation = breaks == 1
                && !is_terminal(cur)
                && cur.kind != sitrep_core::TokenKind::Punct
                && starts_lower(&toks[i + 1])
                && i > first;
            if !continuation {
                out.push(SentenceSpan {
                    first,
                    last: i,
                    by: "segment/line-break",
                });
                first = i + 1;
                depth = 0;
            }
        } else if i + 1 - first >= MAX_SENTENCE_TOKENS {
            out.push(SentenceSpan {
                first,
                last: i,
                by: "segment/length-cap",
            });
            first = i + 1;
        }
        i += 1;
    }
    if first < n {
        out.push(SentenceSpan {
            first,
            last: n - 1,
            by: "segment/end-of-text",
        });
    }
    out
}
