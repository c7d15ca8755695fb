//! The abbreviation lexicon (`data/lexicons/abbreviations.tsv`), compiled in.

use std::collections::HashMap;

/// How an abbreviation behaves at a possible sentence end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbbrevClass {
    /// Precedes a name; never ends a sentence.
    Title,
    /// Takes its period only before a number.
    Number,
    /// May end a sentence when the next word starts one.
    General,
}

/// The lexicon: abbreviation (without its period) → class.
#[derive(Debug, Clone)]
pub struct Abbreviations {
    exact: HashMap<String, AbbrevClass>,
    folded: HashMap<String, AbbrevClass>,
}

/// The lexicon file shipped with sitrep.
pub const ABBREVIATIONS_TSV: &str = include_str!("../../../data/lexicons/abbreviations.tsv");

impl Abbreviations {
    /// Parses the TSV format described at the top of the lexicon file.
    /// Errors name the line.
    pub fn parse(tsv: &str) -> Result<Abbreviations, String> {
        let mut exact = HashMap::new();
        let mut folded = HashMap::new();
        for (i, line) in tsv.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (word, class) = line
                .split_once('\t')
                .ok_or_else(|| format!("abbreviations line {}: expected WORD<TAB>CLASS", i + 1))?;
            let class = match class.trim() {
                "title" => AbbrevClass::Title,
                "number" => AbbrevClass::Number,
                "general" => AbbrevClass::General,
                other => {
                    return Err(format!(
                        "abbreviations line {}: unknown class {other:?} (title|number|general)",
                        i + 1
                    ))
                }
            };
            if word.chars().all(|c| !c.is_uppercase()) {
                folded.insert(word.to_string(), class);
            }
            exact.insert(word.to_string(), class);
        }
        Ok(Abbreviations { exact, folded })
    }

    /// The shipped lexicon.
    pub fn builtin() -> Abbreviations {
        // The file is ours and checked by a unit test, so this cannot fail.
        Abbreviations::parse(ABBREVIATIONS_TSV).unwrap_or_else(|_| Abbreviations {
            exact: HashMap::new(),
            folded: HashMap::new(),
        })
    }

    /// Class of `word` (without its period), if it is an abbreviation.
    pub fn class(&self, word: &str) -> Option<AbbrevClass> {
        if let Some(&c) = self.exact.get(word) {
            return Some(c);
        }
        if word.chars().next().is_some_and(|c| c.is_uppercase()) && word.len() <= 12 {
            let lower = word.to_lowercase();
            // Only a capitalised form ("Approx"), not all caps words.
            if word.chars().skip(1).all(|c| !c.is_uppercase()) {
                return self.folded.get(&lower).copied();
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_lexicon_parses() {
        let a = Abbreviations::parse(ABBREVIATIONS_TSV).unwrap();
        assert_eq!(a.class("Gen"), Some(AbbrevClass::Title));
        assert_eq!(a.class("No"), Some(AbbrevClass::Number));
        assert_eq!(a.class("etc"), Some(AbbrevClass::General));
        assert_eq!(a.class("Approx"), Some(AbbrevClass::General));
        assert_eq!(a.class("gen"), None, "case-sensitive entries");
        assert_eq!(a.class("ETC"), None);
    }

    #[test]
    fn errors_name_the_line() {
        let e = Abbreviations::parse("# c\nGen\ttitle\nLt\tbogus\n").unwrap_err();
        assert!(e.contains("line 3"), "{e}");
    }
}
