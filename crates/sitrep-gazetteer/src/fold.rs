//! Name folding: the one normalisation applied to gazetteer keys and to the
//! text looked up, so "Kyiv", "KYIV", "Kýiv" and "Kyïv" meet, and
//! "Sant Julià", "Kamianets-Podilskyi" and "Kam'yanets" fold their accents,
//! hyphens and apostrophes the same way.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Folds a name to its lookup key: canonical decomposition with combining
/// marks dropped, lower case, apostrophes and full stops removed
/// ("U.S." → "us"), hyphens, dashes and underscores read as spaces, runs of
/// white space collapsed to one space, no space at either end.
///
/// ```
/// use sitrep_gazetteer::fold;
/// assert_eq!(fold("Kam’yanets-Podil’s’kyy"), "kamyanets podilskyy");
/// assert_eq!(fold("  Sant Julià de Lòria "), "sant julia de loria");
/// assert_eq!(fold("U.S."), "us");
/// assert_eq!(fold("Київ"), "киів");
/// ```
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    fold_into(name, &mut out);
    out
}

/// [`fold`] into a reused buffer (cleared first): the hot path of lookups.
pub fn fold_into(name: &str, out: &mut String) {
    out.clear();
    if name.is_ascii() {
        return fold_ascii(name, out);
    }
    let mut pending_space = false;
    for c in name.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            '\'' | '’' | 'ʼ' | '`' | 'ʻ' | '´' | '‘' | '.' => continue,
            '-' | '‐' | '‑' | '–' | '—' | '_' => {
                pending_space = !out.is_empty();
                continue;
            }
            c if c.is_whitespace() => {
                pending_space = !out.is_empty();
                continue;
            }
            _ => {}
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match c {
            'ł' | 'Ł' => out.push('l'),
            'ø' | 'Ø' => out.push('o'),
            'đ' | 'Đ' => out.push('d'),
            'ı' => out.push('i'),
            'ß' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// [`fold_into`] for ASCII text, without the decomposition (the common case:
/// most names in English news are ASCII).
fn fold_ascii(name: &str, out: &mut String) {
    let mut pending_space = false;
    for b in name.bytes() {
        match b {
            b'\'' | b'`' | b'.' => continue,
            b'-' | b'_' | b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => {
                pending_space = !out.is_empty();
                continue;
            }
            _ => {}
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(b.to_ascii_lowercase() as char);
    }
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn spellings_meet() {
        assert_eq!(fold("Kyiv"), fold("KYIV"));
        assert_eq!(fold("Kyïv"), "kyiv");
        assert_eq!(fold("Artemivs'k"), fold("Artemivsk"));
        assert_eq!(fold("Asia-Pacific"), "asia pacific");
        assert_eq!(fold("Zaporizhzhia — region"), "zaporizhzhia region");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold(""), "");
        assert_eq!(fold(" - "), "");
        // The ASCII fast path agrees with the general one.
        for s in [
            "Kyiv",
            "U.S.",
            "Kam'yanets-Podilskyi",
            "  New   York ",
            "Asia_Pacific",
            "a\tb",
        ] {
            let mut slow = String::new();
            let mut pending = false;
            for c in s.chars() {
                match c {
                    '\'' | '`' | '.' => {}
                    '-' | '_' => pending = !slow.is_empty(),
                    c if c.is_whitespace() => pending = !slow.is_empty(),
                    c => {
                        if pending {
                            slow.push(' ');
                            pending = false;
                        }
                        slow.push(c.to_ascii_lowercase());
                    }
                }
            }
            assert_eq!(fold(s), slow, "{s:?}");
        }
    }
}
