//! [`Doc`]: one article's text and its annotation layers.

use serde::{Deserialize, Serialize};

use crate::layers::*;
use crate::{CharIndex, Date};

/// The output schema version written in every document's `schema` field.
pub const SCHEMA: &str = "sitrep/1";

/// Which evidence decided the publication date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PublishedSource {
    /// Given on the command line (`--published`).
    Argument,
    /// The input's own metadata: a JSONL `published` field, a feed item's
    /// date, a text file's `Date:` header.
    Metadata,
    /// An HTML page's meta tags, JSON-LD or `<time>` element.
    HtmlMeta,
    /// A dateline at the head of the text.
    Dateline,
    /// Inferred from dates in the text.
    Inferred,
    /// Unknown.
    #[default]
    None,
}

/// One article: its text and the stand-off layers stages add to it.
///
/// Field order is the JSON order. `text` is immutable once the document is
/// built: every span in every layer points into it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Doc {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// Stable identifier: the input's own id, else derived from its path.
    pub id: String,
    /// Headline.
    pub title: Option<String>,
    /// Canonical URL, if known.
    pub url: Option<String>,
    /// Publication date.
    pub published: Option<Date>,
    /// Which evidence decided `published`.
    pub published_source: PublishedSource,
    /// ISO 639-1 code of the text's language, null when undetermined.
    pub language: Option<String>,
    /// The plain text every span points into.
    text: String,
    /// Sentences, in order, non-overlapping.
    pub sentences: Vec<Sentence>,
    /// Tokens; written only on request.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tokens: Vec<Token>,
    /// Named entities.
    pub entities: Vec<Entity>,
    /// Toponyms, resolved.
    pub places: Vec<Place>,
    /// TIMEX3 expressions.
    pub times: Vec<Time>,
    /// Direct and reported speech.
    pub quotes: Vec<Quote>,
    /// Numeric claims.
    pub claims: Vec<Claim>,
    /// Coded events.
    pub events: Vec<Event>,
    #[serde(skip)]
    index: CharIndex,
    /// Lower-cased text of every token, computed once for all stages.
    #[serde(skip)]
    lower_tokens: LowerTokens,
}

/// The lower-cased forms of a document's tokens in one buffer: two
/// allocations per document instead of one per token per stage.
#[derive(Debug, Clone, Default)]
struct LowerTokens {
    buf: String,
    ends: Vec<u32>,
}

impl Doc {
    /// A document with no layers yet.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Doc {
        let text = text.into();
        let index = CharIndex::new(&text);
        Doc {
            schema: SCHEMA.to_string(),
            id: id.into(),
            title: None,
            url: None,
            published: None,
            published_source: PublishedSource::None,
            language: None,
            text,
            sentences: Vec::new(),
            tokens: Vec::new(),
            entities: Vec::new(),
            places: Vec::new(),
            times: Vec::new(),
            quotes: Vec::new(),
            claims: Vec::new(),
            events: Vec::new(),
            index,
            lower_tokens: LowerTokens::default(),
        }
    }

    /// Sets the tokens layer and computes each token's lower-cased form
    /// (see [`Doc::token_lower`]). Stages that produce tokens call this.
    pub fn set_tokens(&mut self, tokens: Vec<Token>) {
        self.tokens = tokens;
        self.rebuild_lower_tokens();
    }

    fn rebuild_lower_tokens(&mut self) {
        let mut lower = LowerTokens {
            buf: String::with_capacity(self.text.len()),
            ends: Vec::with_capacity(self.tokens.len()),
        };
        for t in &self.tokens {
            let s = {
                let b0 = self.index.byte(t.start);
                let b1 = self.index.byte(t.end.max(t.start));
                &self.text[b0..b1]
            };
            if s.chars().any(char::is_uppercase) {
                lower.buf.extend(s.chars().flat_map(char::to_lowercase));
            } else {
                lower.buf.push_str(s);
            }
            lower.ends.push(lower.buf.len() as u32);
        }
        self.lower_tokens = lower;
    }

    /// The tokens of sentence `s` with their text, lower-cased text and
    /// capitalisation: what the rule-based stages walk. `next` as for
    /// [`Doc::sentence_token_range`].
    pub fn sentence_tokens(
        &self,
        s: &crate::Sentence,
        next: &mut usize,
    ) -> Vec<crate::TokenView<'_>> {
        self.sentence_token_range(s, next)
            .map(|i| self.token_view(i))
            .collect()
    }

    /// Token `i` with its text, lower-cased text and capitalisation. Panics
    /// if `i` is not a token index (callers take it from this document).
    pub fn token_view(&self, i: usize) -> crate::TokenView<'_> {
        let t = &self.tokens[i];
        let text = self.slice(t.start, t.end);
        crate::TokenView {
            start: t.start,
            end: t.end,
            text,
            lower: self.token_lower(i),
            capitalised: capitalised(text),
            kind: t.kind,
        }
    }

    /// The indices of the tokens of sentence `s`. `next` is the first token
    /// not yet consumed: visit sentences in order (both layers are
    /// ordered) and a document's tokens are walked once.
    pub fn sentence_token_range(
        &self,
        s: &crate::Sentence,
        next: &mut usize,
    ) -> std::ops::Range<usize> {
        while *next < self.tokens.len() && self.tokens[*next].end <= s.start {
            *next += 1;
        }
        let first = *next;
        while *next < self.tokens.len() && self.tokens[*next].start < s.end {
            *next += 1;
        }
        first..*next
    }

    /// Lower-cased text of token `i` ("" when out of range).
    pub fn token_lower(&self, i: usize) -> &str {
        let Some(&end) = self.lower_tokens.ends.get(i) else {
            return "";
        };
        let start = if i == 0 {
            0
        } else {
            self.lower_tokens.ends[i - 1]
        };
        &self.lower_tokens.buf[start as usize..end as usize]
    }

    /// Rebuilds the offset table after deserialising (serde skips it).
    pub fn reindex(&mut self) {
        self.index = CharIndex::new(&self.text);
        self.rebuild_lower_tokens();
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Length of the text in code points.
    pub fn len_chars(&self) -> usize {
        self.index.len_chars()
    }

    /// The code-point/byte offset table of the text.
    pub fn index(&self) -> &CharIndex {
        &self.index
    }

    /// Text of the code-point span `start..end` (clamped to the text).
    pub fn slice(&self, start: usize, end: usize) -> &str {
        let b0 = self.index.byte(start);
        let b1 = self.index.byte(end.max(start));
        &self.text[b0..b1]
    }

    /// A [`Mention`] of `start..end`.
    pub fn mention(&self, start: usize, end: usize) -> Mention {
        Mention {
            text: self.slice(start, end).to_string(),
            start,
            end,
        }
    }

    /// Drops every annotation layer, keeping text and metadata.
    pub fn clear_layers(&mut self) {
        self.sentences.clear();
        self.tokens.clear();
        self.lower_tokens = LowerTokens::default();
        self.entities.clear();
        self.places.clear();
        self.times.clear();
        self.quotes.clear();
        self.claims.clear();
        self.events.clear();
    }

    /// Checks the invariants every layer must keep: spans inside the text,
    /// `start <= end`, `text` equal to the span, sentences ordered and
    /// disjoint. Returns the first violation found. Tests and `sitrep
    /// extract --check` use it; a stage that breaks it has a bug.
    pub fn check(&self) -> Result<(), String> {
        let n = self.len_chars();
        let mut spans: Vec<(&str, usize, usize, &str)> = Vec::new();
        spans.extend(
            self.sentences
                .iter()
                .map(|a| ("sentence", a.start, a.end, a.text.as_str())),
        );
        spans.extend(
            self.entities
                .iter()
                .map(|a| ("entity", a.start, a.end, a.text.as_str())),
        );
        spans.extend(
            self.places
                .iter()
                .map(|a| ("place", a.start, a.end, a.text.as_str())),
        );
        spans.extend(
            self.times
                .iter()
                .map(|a| ("time", a.start, a.end, a.text.as_str())),
        );
        spans.extend(
            self.quotes
                .iter()
                .map(|a| ("quote", a.start, a.end, a.text.as_str())),
        );
        spans.extend(
            self.claims
                .iter()
                .map(|a| ("claim", a.start, a.end, a.text.as_str())),
        );
        spans.extend(
            self.events
                .iter()
                .map(|a| ("event", a.start, a.end, a.text.as_str())),
        );
        for (layer, start, end, text) in spans {
            if start > end || end > n {
                return Err(format!(
                    "{layer} span {start}..{end} outside text of {n} code points"
                ));
            }
            if self.slice(start, end) != text {
                return Err(format!(
                    "{layer} span {start}..{end} text {text:?} differs from the document text {:?}",
                    self.slice(start, end)
                ));
            }
        }
        for t in &self.tokens {
            if t.start >= t.end || t.end > n {
                return Err(format!("token span {}..{} invalid", t.start, t.end));
            }
        }
        for w in self.sentences.windows(2) {
            if w[0].end > w[1].start {
                return Err(format!(
                    "sentences {}..{} and {}..{} overlap or are out of order",
                    w[0].start, w[0].end, w[1].start, w[1].end
                ));
            }
        }
        Ok(())
    }
}

/// Whether a word is written as a name: an initial capital, or an Arabic
/// article before one ("al-Qaeda", "el-Sisi", "ash-Sham").
fn capitalised(text: &str) -> bool {
    let mut chars = text.chars();
    if chars.next().is_some_and(char::is_uppercase) {
        return true;
    }
    let Some((article, rest)) = text.split_once('-') else {
        return false;
    };
    matches!(
        article,
        "al" | "el" | "ad" | "an" | "ar" | "as" | "ash" | "at" | "az" | "ath"
    ) && rest.chars().next().is_some_and(char::is_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip_keeps_text_and_offsets() {
        let mut doc = Doc::new("x", "«Київ» said: \"ready\".");
        doc.published = Some("2023-10-30".parse().unwrap());
        doc.published_source = PublishedSource::Argument;
        let s = Sentence::new(&doc, 0, doc.len_chars(), "test/whole");
        doc.sentences.push(s);
        doc.check().unwrap();
        let json = serde_json::to_string(&doc).unwrap();
        assert!(json.starts_with("{\"schema\":\"sitrep/1\""));
        assert!(json.contains("\"published\":\"2023-10-30\""));
        assert!(json.contains("\"published_source\":\"argument\""));
        assert!(!json.contains("tokens"), "tokens are omitted when empty");
        let mut back: Doc = serde_json::from_str(&json).unwrap();
        back.reindex();
        assert_eq!(back.slice(1, 5), "Київ");
        back.check().unwrap();
    }

    #[test]
    fn check_catches_bad_spans() {
        let mut doc = Doc::new("x", "abc def");
        doc.sentences.push(Sentence {
            start: 0,
            end: 3,
            text: "abd".into(),
            by: "test/x".into(),
        });
        assert!(doc.check().is_err());
        doc.sentences[0].text = "abc".into();
        assert!(doc.check().is_ok());
        doc.sentences.push(Sentence::new(&doc, 2, 7, "test/x"));
        assert!(doc.check().unwrap_err().contains("overlap"));
    }
}

#[cfg(test)]
mod lower_tests {
    use super::*;

    #[test]
    fn names_with_an_arabic_article_are_capitalised() {
        assert!(capitalised("al-Qaeda") && capitalised("el-Sisi") && capitalised("Kyiv"));
        assert!(!capitalised("al-") && !capitalised("well-Known") && !capitalised("al-qaeda"));
    }

    #[test]
    fn token_lower_forms() {
        let mut doc = Doc::new("x", "Київ said OK");
        doc.set_tokens(vec![
            Token {
                start: 0,
                end: 4,
                kind: TokenKind::Word,
            },
            Token {
                start: 5,
                end: 9,
                kind: TokenKind::Word,
            },
            Token {
                start: 10,
                end: 12,
                kind: TokenKind::Word,
            },
        ]);
        assert_eq!(doc.token_lower(0), "київ");
        assert_eq!(doc.token_lower(1), "said");
        assert_eq!(doc.token_lower(2), "ok");
        assert_eq!(doc.token_lower(3), "");
    }
}
