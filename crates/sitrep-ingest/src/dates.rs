//! Lenient publication-date parsing for HTML meta tags and feeds.

use sitrep_core::Date;

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Parses the date of a timestamp as written (its local date; a time zone
/// offset is not applied): ISO 8601 / RFC 3339 (`2023-10-30`,
/// `2023-10-30T08:00:00+02:00`), `2023/10/30`, `2023.10.30`, `20231030`,
/// and English dates with a month name (`Mon, 30 Oct 2023 08:00:00 GMT`,
/// `October 30, 2023`, `30th October 2023`).
pub(crate) fn parse_date_lenient(s: &str) -> Option<Date> {
    let s = s.trim();
    if s.is_empty() || s.len() > 200 {
        return None;
    }
    if let Ok(d) = s.parse::<Date>() {
        return Some(d);
    }
    let b = s.as_bytes();
    // 2023/10/30, 2023.10.30 (optionally followed by a time)
    if b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && matches!(b[4], b'/' | b'.')
        && b[7] == b[4]
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[8..10].iter().all(u8::is_ascii_digit)
        && (b.len() == 10 || !b[10].is_ascii_digit())
    {
        return date(&s[0..4], &s[5..7], &s[8..10]);
    }
    // 20231030
    if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
        return date(&s[0..4], &s[4..6], &s[6..8]);
    }
    // A month name, a day and a year, in the tokens up to the year.
    let mut month = None;
    let mut day = None;
    for tok in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
    {
        let lower = tok.to_ascii_lowercase();
        if tok.len() == 4 && tok.bytes().all(|c| c.is_ascii_digit()) {
            let (m, d) = (month?, day?);
            return Date::new(tok.parse().ok()?, m, d).ok();
        }
        let digits = lower.trim_end_matches(['s', 't', 'n', 'd', 'r', 'h']);
        if (1..=2).contains(&digits.len()) && digits.bytes().all(|c| c.is_ascii_digit()) {
            if digits.len() < lower.len()
                && !matches!(&lower[digits.len()..], "st" | "nd" | "rd" | "th")
            {
                continue;
            }
            let n: u32 = digits.parse().ok()?;
            if (1..=31).contains(&n) {
                day = Some(n);
            }
            continue;
        }
        if lower.len() >= 3 && lower.is_char_boundary(3) {
            if let Some(i) = MONTHS.iter().position(|m| lower.starts_with(m)) {
                month = Some(i as u32 + 1);
            }
        }
    }
    None
}

fn date(y: &str, m: &str, d: &str) -> Option<Date> {
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient() {
        let d = Date::new(2023, 10, 30).unwrap();
        for s in [
            "2023-10-30",
            "2023-10-30T23:30:00-05:00",
            "2023/10/30",
            "2023.10.30 08:00",
            "20231030",
            "Mon, 30 Oct 2023 08:00:00 GMT",
            "October 30, 2023",
            "30th October 2023",
            "30 Oct 2023",
        ] {
            assert_eq!(parse_date_lenient(s), Some(d), "{s}");
        }
        for s in [
            "",
            "yesterday",
            "2023-13-01",
            "Oct 2023",
            "31 Feb 2023",
            "30/10/2023",
        ] {
            assert_eq!(parse_date_lenient(s), None, "{s}");
        }
    }
}
