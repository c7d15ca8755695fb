//! Segmentation and language identification: the stages every other stage
//! builds on.
//!
//! [`Segmenter`] assigns the `tokens` and `sentences` layers. It is rule based
//! and tuned for news: abbreviations and titles ("Lt. Col.", "Gen.", "U.S.",
//! "No. 10"), initials, decimals and thousands ("75,000", "1.5"), every
//! quote-mark style and quotations spanning sentences, ellipses, datelines
//! ("KYIV, Ukraine (AP) —"), headlines and bullet lines without final
//! punctuation, no-break and zero-width spaces. The rules are documented in
//! [`tokenize`] and [`sentences`]; the abbreviation lexicon is
//! `data/lexicons/abbreviations.tsv`, compiled in.
//!
//! [`LanguageId`] assigns `language` (ISO 639-1) with `whatlang`, only when
//! the guess is reliable. Plain English prose — "the" and other function
//! words no other language shares, a tenth of the sample's words — is
//! recognised before whatlang's trigram model runs, because that
//! model was a third of the pipeline's time on English news.
//!
//! ```
//! use sitrep_core::{Doc, Stage};
//! use sitrep_text::Segmenter;
//!
//! let mut doc = Doc::new("d", "Lt. Col. John F. Smith arrived in the U.S. on Monday. He said \"no.\"");
//! Segmenter::new().run(&mut doc);
//! let sentences: Vec<&str> = doc.sentences.iter().map(|s| s.text.as_str()).collect();
//! assert_eq!(sentences, ["Lt. Col. John F. Smith arrived in the U.S. on Monday.", "He said \"no.\""]);
//! ```
#![deny(missing_docs)]

pub mod abbrev;
pub mod sentences;
pub mod tokenize;

use sitrep_core::{Doc, Layer, Sentence, Stage, Token};

use abbrev::Abbreviations;

/// The segmentation stage: tokens and sentences.
#[derive(Debug, Clone)]
pub struct Segmenter {
    abbreviations: Abbreviations,
}

impl Default for Segmenter {
    fn default() -> Self {
        Segmenter::new()
    }
}

impl Segmenter {
    /// A segmenter with the shipped abbreviation lexicon.
    pub fn new() -> Segmenter {
        Segmenter {
            abbreviations: Abbreviations::builtin(),
        }
    }

    /// A segmenter with another abbreviation lexicon.
    pub fn with_abbreviations(abbreviations: Abbreviations) -> Segmenter {
        Segmenter { abbreviations }
    }
}

impl Stage for Segmenter {
    fn name(&self) -> &'static str {
        "segment"
    }
    fn requires(&self) -> &'static [Layer] {
        &[]
    }
    fn assigns(&self) -> &'static [Layer] {
        &[Layer::Tokens, Layer::Sentences]
    }
    fn run(&self, doc: &mut Doc) {
        let chars: Vec<char> = doc.text().chars().collect();
        let toks = tokenize::tokenize(&chars, &self.abbreviations);
        let spans = sentences::split(&chars, &toks);
        let sentences: Vec<Sentence> = spans
            .iter()
            .map(|s| Sentence::new(doc, toks[s.first].start, toks[s.last].end, s.by))
            .collect();
        doc.set_tokens(
            toks.iter()
                .map(|t| Token {
                    start: t.start,
                    end: t.end,
                    kind: t.kind,
                })
                .collect(),
        );
        doc.sentences = sentences;
    }
}

/// The language identification stage.
#[derive(Debug, Clone, Default)]
pub struct LanguageId;

/// Characters of text looked at: enough for a reliable guess, cheap on long
/// documents.
const LANGUAGE_SAMPLE_CHARS: usize = 400;

impl Stage for LanguageId {
    fn name(&self) -> &'static str {
        "language"
    }
    fn requires(&self) -> &'static [Layer] {
        &[]
    }
    fn assigns(&self) -> &'static [Layer] {
        &[Layer::Language]
    }
    fn run(&self, doc: &mut Doc) {
        let end = doc.len_chars().min(LANGUAGE_SAMPLE_CHARS);
        let sample = doc.slice(0, end);
        if plainly_english(sample) {
            doc.language = Some("en".to_string());
            return;
        }
        doc.language = whatlang::detect(sample)
            .filter(|info| info.is_reliable())
            .map(|info| iso639_1(info.lang()).to_string());
    }
}

/// English function words that are not words of the other languages
/// whatlang knows in Latin script ("a", "in", "on", "to", "is", "die" are left
/// out for that reason).
const ENGLISH_FUNCTION_WORDS: [&str; 24] = [
    "the", "of", "and", "that", "with", "was", "said", "from", "it", "has", "have", "were", "his",
    "which", "this", "he", "she", "they", "will", "been", "their", "would", "by", "for",
];

/// Whether a sample is English prose beyond doubt: "the" occurs, at least
/// three different [`ENGLISH_FUNCTION_WORDS`] occur, and they make up a tenth
/// of its (at least eight) words. News is dense with names and numbers, so
/// the share is low even in plain English; "the" and the variety are what
/// keep German ("was", "will") and Dutch ("was") out. Letters outside the
/// Latin script leave the decision to the model.
pub fn plainly_english(sample: &str) -> bool {
    let mut words = 0usize;
    let mut function = 0usize;
    let mut seen = 0u32; // bit per function word
    for word in sample.split(|c: char| !c.is_alphabetic()) {
        if word.is_empty() {
            continue;
        }
        if word.chars().any(|c| c > '\u{024F}') {
            return false;
        }
        words += 1;
        if word.len() <= 5 {
            let lower = word.to_ascii_lowercase();
            if let Some(i) = ENGLISH_FUNCTION_WORDS.iter().position(|w| *w == lower) {
                function += 1;
                seen |= 1 << i;
            }
        }
    }
    let has_the = seen & 1 != 0;
    has_the && words >= 8 && seen.count_ones() >= 3 && function * 10 >= words
}

/// ISO 639-1 code for a whatlang language, or its ISO 639-3 code where no
/// two-letter code exists.
fn iso639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Eng => "en",
        Rus => "ru",
        Ukr => "uk",
        Deu => "de",
        Fra => "fr",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Pol => "pl",
        Ara => "ar",
        Heb => "he",
        Tur => "tr",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Nld => "nl",
        Swe => "sv",
        Dan => "da",
        Nob => "nb",
        Fin => "fi",
        Ces => "cs",
        Slk => "sk",
        Ron => "ro",
        Hun => "hu",
        Bul => "bg",
        Srp => "sr",
        Hrv => "hr",
        Slv => "sl",
        Bel => "be",
        Ell => "el",
        Pes => "fa",
        Urd => "ur",
        Hin => "hi",
        Ben => "bn",
        Vie => "vi",
        Tha => "th",
        Ind => "id",
        Kat => "ka",
        Hye => "hy",
        Aze => "az",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Epo => "eo",
        Afr => "af",
        Cat => "ca",
        other => other.code(),
    }
}
