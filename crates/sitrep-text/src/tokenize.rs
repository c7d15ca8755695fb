//! Tokenisation of news text.
//!
//! Rules, in the order they are tried at each position:
//! 1. whitespace, including no-break (U+00A0, U+202F) and zero-width spaces
//!    (U+200B–U+200D, U+2060, U+FEFF), separates tokens and is never part of one;
//! 2. URLs (`http://`, `https://`, `www.`), e-mail addresses, `@handles` and
//!    `#hashtags` are one [`TokenKind::Web`] token;
//! 3. runs of letters and digits, joined by inner hyphens ("state-backed",
//!    "20-month"), inner apostrophes ("O'Brien"), decimal points and
//!    thousands separators between digits ("1.5", "75,000"), and `/` or `:`
//!    between digits ("24/7", "10:30"), form one word or number; possessive
//!    and contracted clitics ("'s", "n't") are split off, as are units glued
//!    to numbers ("10km" → "10" "km", but "1990s" and "3rd" stay whole);
//! 4. a word followed by its period becomes an [`TokenKind::Abbreviation`]
//!    when it is a dotted acronym ("U.S.", "a.m."), an initial ("F."), or in
//!    the abbreviation lexicon (number-class entries such as "No." or "Oct."
//!    only before a number);
//! 5. "..." and "…" are one token, as are dash runs ("--");
//! 6. anything else is one punctuation or symbol character.

use sitrep_core::TokenKind;

use crate::abbrev::{AbbrevClass, Abbreviations};

/// How a token's trailing period was recognised, for the sentence splitter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Abbrev {
    /// A lexicon entry of the given class.
    Lexicon(AbbrevClass),
    /// A single capital letter and period: a name's initial.
    Initial,
    /// Letters separated by periods: "U.S.", "a.m.", "e.g.".
    Dotted,
}

/// A token with the extra facts the splitter needs. Offsets are code points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tok {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// What the token is made of.
    pub kind: TokenKind,
    /// Set when the token carries an abbreviation's period.
    pub abbrev: Option<Abbrev>,
}

/// True for characters that separate tokens.
pub fn is_space(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
        )
}

/// True for characters inside words: letters, digits, combining marks, soft hyphen.
fn is_word(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(c, '\u{0300}'..='\u{036F}' | '\u{0483}'..='\u{0489}' | '\u{1AB0}'..='\u{1AFF}' | '\u{20D0}'..='\u{20FF}' | '\u{00AD}')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}')
}

fn is_symbol(c: char) -> bool {
    matches!(
        c,
        '$' | '€'
            | '£'
            | '¥'
            | '₴'
            | '₽'
            | '₹'
            | '%'
            | '°'
            | '#'
            | '&'
            | '*'
            | '+'
            | '='
            | '<'
            | '>'
            | '|'
            | '~'
            | '^'
            | '§'
            | '©'
            | '®'
            | '™'
    )
}

/// Splits `chars` into tokens.
pub fn tokenize(chars: &[char], abbreviations: &Abbreviations) -> Vec<Tok> {
    let n = chars.len();
    let mut out = Vec::with_capacity(n / 5 + 1);
    let mut i = 0;
    let mut word = String::new();
    while i < n {
        let c = chars[i];
        if is_space(c) {
            i += 1;
            continue;
        }
        if let Some(end) = web_token(chars, i) {
            out.push(tok(i, end, TokenKind::Web));
            i = end;
            continue;
        }
        if is_word(c) {
            i = word_tokens(chars, i, abbreviations, &mut word, &mut out);
            continue;
        }
        if c == '.' || c == '…' {
            let mut j = i + 1;
            while j < n && (chars[j] == '.' || chars[j] == '…') {
                j += 1;
            }
            out.push(tok(i, j, TokenKind::Punct));
            i = j;
            continue;
        }
        if c == '-' && i + 1 < n && chars[i + 1] == '-' {
            let mut j = i + 1;
            while j < n && chars[j] == '-' {
                j += 1;
            }
            out.push(tok(i, j, TokenKind::Punct));
            i = j;
            continue;
        }
        let kind = if is_symbol(c) {
            TokenKind::Symbol
        } else {
            TokenKind::Punct
        };
        out.push(tok(i, i + 1, kind));
        i += 1;
    }
    out
}

fn tok(start: usize, end: usize, kind: TokenKind) -> Tok {
    Tok {
        start,
        end,
        kind,
        abbrev: None,
    }
}

fn starts_with_ci(chars: &[char], i: usize, pat: &str) -> bool {
    let mut k = i;
    for p in pat.chars() {
        match chars.get(k) {
            Some(c) if c.to_ascii_lowercase() == p => k += 1,
            _ => return false,
        }
    }
    true
}

/// End of a URL, e-mail, handle or hashtag starting at `i`, if there is one.
fn web_token(chars: &[char], i: usize) -> Option<usize> {
    let n = chars.len();
    let prev_ok =
        i == 0 || is_space(chars[i - 1]) || matches!(chars[i - 1], '(' | '[' | '"' | '“' | '<');
    let run_end = |from: usize| {
        let mut j = from;
        while j < n && !is_space(chars[j]) {
            j += 1;
        }
        // Trailing punctuation belongs to the sentence, not the address.
        while j > from
            && matches!(
                chars[j - 1],
                '.' | ','
                    | ';'
                    | ':'
                    | '!'
                    | '?'
                    | ')'
                    | ']'
                    | '}'
                    | '"'
                    | '\''
                    | '”'
                    | '’'
                    | '»'
                    | '>'
            )
        {
            j -= 1;
        }
        j
    };
    if starts_with_ci(chars, i, "http://")
        || starts_with_ci(chars, i, "https://")
        || starts_with_ci(chars, i, "www.")
    {
        let end = run_end(i);
        return (end > i + 4).then_some(end);
    }
    let c = chars[i];
    if (c == '@' || c == '#') && prev_ok && chars.get(i + 1).is_some_and(|&d| is_word(d)) {
        let mut j = i + 1;
        while j < n && (is_word(chars[j]) || chars[j] == '_') {
            j += 1;
        }
        return Some(j);
    }
    if is_word(c) && prev_ok {
        // e-mail: word chars . _ + - then @ then a dotted domain
        let mut j = i;
        while j < n && (is_word(chars[j]) || matches!(chars[j], '.' | '_' | '+' | '-')) {
            j += 1;
        }
        if j < n && chars[j] == '@' && j > i {
            let end = run_end(j);
            let domain = &chars[j + 1..end];
            if domain.len() >= 3
                && domain.contains(&'.')
                && domain.iter().all(|&d| is_word(d) || d == '.' || d == '-')
            {
                return Some(end);
            }
        }
    }
    None
}

/// Scans a word/number at `i`, pushes its token(s), returns the next position.
fn word_tokens(
    chars: &[char],
    i: usize,
    abbreviations: &Abbreviations,
    word: &mut String,
    out: &mut Vec<Tok>,
) -> usize {
    let n = chars.len();
    let mut j = i;
    loop {
        while j < n && is_word(chars[j]) {
            j += 1;
        }
        if j + 1 < n && j > i && is_word(chars[j + 1]) {
            let (c, before, after) = (chars[j], chars[j - 1], chars[j + 1]);
            let digits = before.is_ascii_digit() && after.is_ascii_digit();
            let joins = is_hyphen(c)
                || (is_apostrophe(c) && before.is_alphabetic() && after.is_alphabetic())
                || (c == '.' && digits)
                || ((c == '/' || c == ':') && digits)
                || (c == ',' && digits && thousands_group(chars, j + 1))
                || (c == '&' && before.is_uppercase() && after.is_uppercase());
            if joins {
                j += 1;
                continue;
            }
        }
        break;
    }
    // A word followed by its period: abbreviation? (The word is only
    // spelled out as a string here, where the lexicon needs it.)
    if j < n && chars[j] == '.' {
        word.clear();
        word.extend(&chars[i..j]);
        if let Some((end, kind)) = abbreviation(chars, i, j, word, abbreviations) {
            out.push(Tok {
                start: i,
                end,
                kind: TokenKind::Abbreviation,
                abbrev: Some(kind),
            });
            return end;
        }
    }

    let first_digit = chars[i].is_ascii_digit();
    // Units glued to numbers: "10km" → "10" "km"; keep "1990s", "3rd", "F-16".
    if first_digit && !chars[i..j].iter().any(|&c| is_hyphen(c)) {
        let split = (i..j).find(|&k| chars[k].is_alphabetic());
        if let Some(k) = split {
            let suffix: String = chars[k..j].iter().collect::<String>().to_lowercase();
            let keep = matches!(suffix.as_str(), "s" | "st" | "nd" | "rd" | "th")
                || chars[k..j].iter().any(|c| c.is_ascii_digit());
            if !keep {
                out.push(tok(i, k, TokenKind::Number));
                out.push(tok(k, j, TokenKind::Word));
                return j;
            }
        }
    }

    // Clitics: "Ukraine's" → "Ukraine" "'s"; "don't" → "do" "n't".
    let len = j - i;
    // Only words with an inner apostrophe can carry a clitic: test that
    // first, without allocating.
    if len > 2 && !first_digit && chars[i..j].iter().any(|&c| is_apostrophe(c)) {
        let norm = |c: char| {
            if c == '’' {
                '\''
            } else {
                c.to_ascii_lowercase()
            }
        };
        let last2 = [norm(chars[j - 2]), norm(chars[j - 1])];
        let last3 = (len > 3).then(|| [norm(chars[j - 3]), norm(chars[j - 2]), norm(chars[j - 1])]);
        let cut = if last3 == Some(['n', '\'', 't']) {
            Some(j - 3)
        } else if matches!(last2, ['\'', 's' | 'd' | 'm']) {
            Some(j - 2)
        } else if matches!(
            last3,
            Some(['\'', 'r', 'e'] | ['\'', 'v', 'e'] | ['\'', 'l', 'l'])
        ) {
            Some(j - 3)
        } else {
            None
        };
        if let Some(cut) = cut {
            if cut > i {
                out.push(tok(i, cut, TokenKind::Word));
                out.push(tok(cut, j, TokenKind::Word));
                return j;
            }
        }
    }

    let kind = if first_digit && chars[i..j].iter().all(|c| !c.is_alphabetic()) {
        TokenKind::Number
    } else {
        TokenKind::Word
    };
    out.push(tok(i, j, kind));
    j
}

/// True when exactly three digits start at `k` (a thousands group).
fn thousands_group(chars: &[char], k: usize) -> bool {
    k + 3 <= chars.len()
        && chars[k..k + 3].iter().all(|c| c.is_ascii_digit())
        && chars.get(k + 3).is_none_or(|c| !c.is_ascii_digit())
}

/// If the word `chars[i..j]` followed by '.' at `j` is an abbreviation,
/// returns the token end and how it was recognised.
fn abbreviation(
    chars: &[char],
    i: usize,
    j: usize,
    word: &str,
    abbreviations: &Abbreviations,
) -> Option<(usize, Abbrev)> {
    let n = chars.len();
    let len = j - i;
    // Dotted acronym: single letters each followed by a period.
    if len == 1 && chars[i].is_alphabetic() && j + 2 < n + 1 {
        let mut k = j + 1;
        let mut letters = 1;
        while k + 1 < n
            && chars[k].is_alphabetic()
            && chars[k + 1] == '.'
            && (k + 2 >= n || !is_word(chars[k + 2]))
        {
            k += 2;
            letters += 1;
        }
        if letters >= 2 {
            return Some((k, Abbrev::Dotted));
        }
        if chars[i].is_uppercase() {
            return Some((j + 1, Abbrev::Initial));
        }
    }
    match abbreviations.class(word)? {
        AbbrevClass::Number => {
            let mut k = j + 1;
            while k < n && is_space(chars[k]) {
                k += 1;
            }
            (k < n && chars[k].is_ascii_digit())
                .then_some((j + 1, Abbrev::Lexicon(AbbrevClass::Number)))
        }
        class => Some((j + 1, Abbrev::Lexicon(class))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        tokenize(&chars, &Abbreviations::builtin())
            .iter()
            .map(|t| chars[t.start..t.end].iter().collect())
            .collect()
    }

    #[test]
    fn numbers_and_units() {
        assert_eq!(
            toks("More than 75,000 women"),
            ["More", "than", "75,000", "women"]
        );
        assert_eq!(
            toks("1.5 million, $33bn"),
            ["1.5", "million", ",", "$", "33", "bn"]
        );
        assert_eq!(
            toks("10km away at 10:30"),
            ["10", "km", "away", "at", "10:30"]
        );
        assert_eq!(
            toks("the 1990s, 3rd and F-16s"),
            ["the", "1990s", ",", "3rd", "and", "F-16s"]
        );
        assert_eq!(toks("20-month war"), ["20-month", "war"]);
        assert_eq!(toks("1,2,3"), ["1", ",", "2", ",", "3"]);
    }

    #[test]
    fn abbreviations_and_initials() {
        assert_eq!(
            toks("Lt. Col. John F. Smith"),
            ["Lt.", "Col.", "John", "F.", "Smith"]
        );
        assert_eq!(toks("the U.S. and U.K."), ["the", "U.S.", "and", "U.K."]);
        assert_eq!(
            toks("at 5 a.m. Kyiv time"),
            ["at", "5", "a.m.", "Kyiv", "time"]
        );
        assert_eq!(
            toks("No. 10 and no. Oct. 30"),
            ["No.", "10", "and", "no", ".", "Oct.", "30"]
        );
        assert_eq!(toks("in Oct. He"), ["in", "Oct", ".", "He"]);
    }

    #[test]
    fn clitics_quotes_and_web() {
        assert_eq!(
            toks("Ukraine's forces don't"),
            ["Ukraine", "'s", "forces", "do", "n't"]
        );
        assert_eq!(toks("Mykolaiv’s O'Brien"), ["Mykolaiv", "’s", "O'Brien"]);
        assert_eq!(
            toks("\"ready for talks\""),
            ["\"", "ready", "for", "talks", "\""]
        );
        assert_eq!(
            toks("see https://example.org/a?b=1. Or @ISW #Bakhmut x@y.org"),
            [
                "see",
                "https://example.org/a?b=1",
                ".",
                "Or",
                "@ISW",
                "#Bakhmut",
                "x@y.org"
            ]
        );
        assert_eq!(toks("wait... what…"), ["wait", "...", "what", "…"]);
    }

    #[test]
    fn odd_spaces_separate_and_never_join() {
        assert_eq!(toks("75\u{00A0}000 a\u{200B}b"), ["75", "000", "a", "b"]);
        assert!(toks("").is_empty());
        assert!(toks("\u{FEFF}\u{200B} \n").is_empty());
    }
}
