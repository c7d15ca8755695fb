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
//! the guess is reliable.
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
        doc.language = whatlang::detect(sample)
            .filter(|info| info.is_reliable())
            .map(|info| iso639_1(info.lang()).to_string());
    }
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
