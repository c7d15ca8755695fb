//! Numbers written in digits and words: "75,000", "1.5 million", "33bn",
//! "a dozen", "dozens", "two hundred", "twenty-five".

/// A parsed number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number {
    /// Its value (the lower bound for vague counts).
    pub value: f64,
    /// A vague count: "dozens", "hundreds of".
    pub vague: bool,
    /// Tokens used.
    pub len: usize,
}

/// Number words two to ninety-nine ("two", "twenty-five"), from the
/// times stage's vocabulary; "a", "one", "half" are no counts here.
fn small(w: &str) -> Option<f64> {
    if w.bytes().next().is_some_and(|b| b.is_ascii_digit())
        || matches!(w, "a" | "an" | "one" | "half" | "hundred" | "dozen")
    {
        return None;
    }
    sitrep_times::words::number(w).filter(|n| n.fract() == 0.0 && (2.0..100.0).contains(n))
}

/// Scale words after a number.
fn scale(w: &str) -> Option<f64> {
    Some(match w {
        "hundred" => 1e2,
        "thousand" | "k" => 1e3,
        "million" | "mn" | "m" | "mln" => 1e6,
        "billion" | "bn" | "b" => 1e9,
        "trillion" | "tn" => 1e12,
        _ => return None,
    })
}

/// Vague counts and their lower bounds.
fn vague(w: &str) -> Option<f64> {
    Some(match w {
        "dozens" => 24.0,
        "scores" => 40.0,
        "hundreds" => 200.0,
        "thousands" => 2000.0,
        "tens" => 20.0,
        "millions" => 2e6,
        _ => return None,
    })
}

/// Whether a number can start with this token (a fast filter).
pub fn could_start(w: &str) -> bool {
    w.bytes().next().is_some_and(|b| b.is_ascii_digit())
        || w == "a"
        || w == "dozen"
        || vague(w).is_some()
        || small(w).is_some()
}

/// Parses the number at the start of `words` (lower-cased tokens).
pub fn parse_number(words: &[&str]) -> Option<Number> {
    let w0 = *words.first()?;
    let at = |k: usize| words.get(k).copied().unwrap_or("");
    // "a dozen", "half a million"
    if w0 == "a" && at(1) == "dozen" {
        return Some(Number {
            value: 12.0,
            vague: false,
            len: 2,
        });
    }
    if let Some(v) = vague(w0) {
        // "tens of thousands"
        if at(1) == "of" && vague(at(2)).is_some() {
            return Some(Number {
                value: v * vague(at(2))? / 2.0,
                vague: true,
                len: 3,
            });
        }
        return Some(Number {
            value: v,
            vague: true,
            len: 1,
        });
    }
    let mut value = if w0.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
        let digits = w0.replace(',', "");
        if !digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            || digits.matches('.').count() > 1
        {
            return None;
        }
        digits.parse::<f64>().ok()?
    } else if w0 == "dozen" {
        12.0
    } else {
        small(w0)?
    };
    let mut len = 1;
    // "two hundred", "1.5 million", "33 bn", "two hundred thousand"
    while let Some(s) = scale(at(len)) {
        // A bare "m" after a number is metres more often than millions.
        if at(len) == "m" {
            break;
        }
        value *= s;
        len += 1;
    }
    Some(Number {
        value,
        vague: false,
        len,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Option<(f64, bool, usize)> {
        let words: Vec<&str> = s.split(' ').collect();
        parse_number(&words).map(|n| (n.value, n.vague, n.len))
    }

    #[test]
    fn numbers() {
        assert_eq!(n("75,000 women"), Some((75000.0, false, 1)));
        assert_eq!(n("1.5 million people"), Some((1.5e6, false, 2)));
        assert_eq!(n("33 bn"), Some((33e9, false, 2)));
        assert_eq!(n("a dozen drones"), Some((12.0, false, 2)));
        assert_eq!(n("dozens of drones"), Some((24.0, true, 1)));
        assert_eq!(n("tens of thousands"), Some((20000.0, true, 3)));
        assert_eq!(n("twenty-five"), Some((25.0, false, 1)));
        assert_eq!(n("two hundred thousand"), Some((200000.0, false, 3)));
        assert_eq!(n("10 m"), Some((10.0, false, 1)));
        assert_eq!(n("soldiers"), None);
        assert_eq!(n("1.2.3"), None);
    }
}
