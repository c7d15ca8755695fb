//! English time vocabulary: months, weekdays, seasons, parts of day, units,
//! number words. Written from the TimeML/TIMEX3 conventions (ISO 8601
//! values, season and part-of-day tokens as TimeML 1.2 defines them).

/// Every word the functions of this module recognise (lower case; month
/// abbreviations with and without their period). The grammar builds its
/// fast "can a time expression start here" filter from it; a unit test
/// checks that each entry is recognised.
pub const VOCABULARY: &[&str] = &[
    // months
    "january",
    "jan",
    "jan.",
    "february",
    "feb",
    "feb.",
    "march",
    "mar",
    "mar.",
    "april",
    "apr",
    "apr.",
    "may",
    "june",
    "jun",
    "jun.",
    "july",
    "jul",
    "jul.",
    "august",
    "aug",
    "aug.",
    "september",
    "sept",
    "sept.",
    "sep",
    "sep.",
    "october",
    "oct",
    "oct.",
    "november",
    "nov",
    "nov.",
    "december",
    "dec",
    "dec.",
    // weekdays
    "monday",
    "mon",
    "tuesday",
    "tue",
    "tues",
    "wednesday",
    "wed",
    "thursday",
    "thu",
    "thur",
    "thurs",
    "friday",
    "fri",
    "saturday",
    "sat",
    "sunday",
    "sun",
    // seasons
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
    // units
    "year",
    "years",
    "yr",
    "yrs",
    "month",
    "months",
    "week",
    "weeks",
    "day",
    "days",
    "weekend",
    "weekends",
    "hour",
    "hours",
    "hrs",
    "minute",
    "minutes",
    "mins",
    "second",
    "seconds",
    "secs",
    "decade",
    "decades",
    "century",
    "centuries",
    "quarter",
    "quarters",
    // number words
    "a",
    "an",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "dozen",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "half",
    // ordinal words
    "first",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "twentieth",
    // vague quantities
    "several",
    "many",
    "few",
    "some",
    "numerous",
    "multiple",
    "various",
    "countless",
];

/// Month number of a month name or abbreviation ("sept", "oct." handled
/// by the tokeniser keeping the period on the token).
pub fn month(w: &str) -> Option<u32> {
    let w = w.trim_end_matches('.');
    Some(match w {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sept" | "sep" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

/// True for month abbreviations, which are ambiguous alone ("mar", "may").
pub fn is_month_abbreviation(w: &str) -> bool {
    matches!(
        w.trim_end_matches('.'),
        "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sept"
            | "sep"
            | "oct"
            | "nov"
            | "dec"
    )
}

/// Weekday, 0 = Monday.
pub fn weekday(w: &str) -> Option<u32> {
    Some(match w.trim_end_matches('.') {
        "monday" | "mon" => 0,
        "tuesday" | "tue" | "tues" => 1,
        "wednesday" | "wed" => 2,
        "thursday" | "thu" | "thur" | "thurs" => 3,
        "friday" | "fri" => 4,
        "saturday" | "sat" => 5,
        "sunday" | "sun" => 6,
        _ => return None,
    })
}

/// Full weekday names only (abbreviations are too ambiguous alone).
pub fn weekday_full(w: &str) -> Option<u32> {
    if w.len() >= 6 {
        weekday(w)
    } else {
        None
    }
}

/// Season: 0 spring, 1 summer, 2 autumn, 3 winter.
pub fn season(w: &str) -> Option<u32> {
    Some(match w {
        "spring" => 0,
        "summer" => 1,
        "autumn" | "fall" => 2,
        "winter" => 3,
        _ => return None,
    })
}

/// TimeML part-of-day token.
pub fn part_of_day(w: &str) -> Option<&'static str> {
    Some(match w {
        "morning" => "MO",
        "afternoon" => "AF",
        "evening" => "EV",
        "night" | "overnight" => "NI",
        "midday" => "MI",
        "daytime" => "DT",
        _ => return None,
    })
}

/// A duration unit: its TIMEX3 letter(s), whether it belongs after `T`,
/// and the point granularity it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    /// TIMEX3 unit ("Y", "M", "W", "D", "H", "DE", "CE", "Q").
    pub letter: &'static str,
    /// Time units go after `T` (PT5H).
    pub time: bool,
    /// Granularity of "last/next <unit>".
    pub gran: Option<crate::point::Gran>,
}

/// The unit a word names, singular or plural.
pub fn unit(w: &str) -> Option<Unit> {
    use crate::point::Gran;
    let u = |letter, time, gran| Some(Unit { letter, time, gran });
    match w {
        "year" | "years" | "yr" | "yrs" => u("Y", false, Some(Gran::Year)),
        "month" | "months" => u("M", false, Some(Gran::Month)),
        "week" | "weeks" => u("W", false, Some(Gran::Week)),
        "day" | "days" => u("D", false, Some(Gran::Day)),
        "weekend" | "weekends" => u("WE", false, Some(Gran::Weekend)),
        "hour" | "hours" | "hrs" => u("H", true, None),
        "minute" | "minutes" | "mins" => u("M", true, None),
        "second" | "seconds" | "secs" => u("S", true, None),
        "decade" | "decades" => u("DE", false, Some(Gran::Decade)),
        "century" | "centuries" => u("CE", false, Some(Gran::Century)),
        "quarter" | "quarters" => u("Q", false, Some(Gran::Quarter)),
        _ => None,
    }
}

/// True for plural unit words ("years").
pub fn is_plural_unit(w: &str) -> bool {
    unit(w).is_some() && (w.ends_with('s') && w != "hrs" || w == "centuries")
}

/// Value of a number word, or of digits ("36", "1.5", "1,000").
pub fn number(w: &str) -> Option<f64> {
    let v = match w {
        "a" | "an" | "one" => 1.0,
        "two" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" | "dozen" => 12.0,
        "thirteen" => 13.0,
        "fourteen" => 14.0,
        "fifteen" => 15.0,
        "sixteen" => 16.0,
        "seventeen" => 17.0,
        "eighteen" => 18.0,
        "nineteen" => 19.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "seventy" => 70.0,
        "eighty" => 80.0,
        "ninety" => 90.0,
        "hundred" => 100.0,
        "half" => 0.5,
        _ => {
            if let Some((tens, ones)) = w.split_once('-') {
                let (t, o) = (number(tens)?, number(ones)?);
                if t >= 20.0 && t % 10.0 == 0.0 && (1.0..10.0).contains(&o) {
                    return Some(t + o);
                }
                return None;
            }
            if w.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
                return w.replace(',', "").parse().ok();
            }
            return None;
        }
    };
    Some(v)
}

/// Ordinal number: "first" / "1st" → 1.
pub fn ordinal(w: &str) -> Option<u32> {
    Some(match w {
        "first" => 1,
        "second" => 2,
        "third" => 3,
        "fourth" => 4,
        "fifth" => 5,
        "sixth" => 6,
        "seventh" => 7,
        "eighth" => 8,
        "ninth" => 9,
        "tenth" => 10,
        "eleventh" => 11,
        "twelfth" => 12,
        "twentieth" => 20,
        "twenty-first" => 21,
        _ => {
            let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            let suffix = &w[digits.len()..];
            if !digits.is_empty() && matches!(suffix, "st" | "nd" | "rd" | "th") {
                return digits.parse().ok();
            }
            return None;
        }
    })
}

/// Words meaning "an unspecified number of" ("several years" → PXY).
pub fn vague_quantity(w: &str) -> bool {
    matches!(
        w,
        "several" | "many" | "few" | "some" | "numerous" | "multiple" | "various" | "countless"
    )
}

/// Formats a duration amount: integers plainly, fractions with a point.
pub fn amount(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        let s = format!("{n:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vocabulary_word_is_recognised() {
        for w in VOCABULARY {
            let known = month(w).is_some()
                || weekday(w).is_some()
                || season(w).is_some()
                || unit(w).is_some()
                || number(w).is_some()
                || ordinal(w).is_some()
                || vague_quantity(w);
            assert!(known, "{w:?} is listed but not recognised");
        }
    }

    #[test]
    fn words() {
        assert_eq!(month("sept."), Some(9));
        assert_eq!(weekday("monday"), Some(0));
        assert_eq!(number("twenty-five"), Some(25.0));
        assert_eq!(number("1,500"), Some(1500.0));
        assert_eq!(number("1.5"), Some(1.5));
        assert_eq!(number("ninety-ten"), None);
        assert_eq!(ordinal("3rd"), Some(3));
        assert_eq!(ordinal("third"), Some(3));
        assert_eq!(amount(1.5), "1.5");
        assert_eq!(amount(36.0), "36");
        assert!(is_plural_unit("years") && !is_plural_unit("year"));
    }
}
