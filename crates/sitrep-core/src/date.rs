//! A calendar date, the precision sitrep keeps for publication dates.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A proleptic Gregorian calendar date, written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, 1..=9999.
    pub year: i32,
    /// Month, 1..=12.
    pub month: u32,
    /// Day of month, valid for the month and year.
    pub day: u32,
}

/// Why a string is not a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(pub String);

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DateError {}

impl Date {
    /// A checked date.
    pub fn new(year: i32, month: u32, day: u32) -> Result<Date, DateError> {
        if !(1..=9999).contains(&year) {
            return Err(DateError(format!("year {year} out of range 1-9999")));
        }
        if !(1..=12).contains(&month) {
            return Err(DateError(format!("month {month} out of range 1-12")));
        }
        let dim = days_in_month(year, month);
        if day == 0 || day > dim {
            return Err(DateError(format!(
                "day {day} out of range 1-{dim} for {year:04}-{month:02}"
            )));
        }
        Ok(Date { year, month, day })
    }

    /// Day of the week, 0 = Monday … 6 = Sunday.
    pub fn weekday(&self) -> u32 {
        // days since 1970-01-01 (a Thursday, weekday 3)
        ((self.days_since_epoch() % 7 + 7 + 3) % 7) as u32
    }

    /// Days since 1970-01-01 (negative before). Howard Hinnant's
    /// days-from-civil algorithm.
    pub fn days_since_epoch(&self) -> i64 {
        let y = if self.month <= 2 {
            self.year as i64 - 1
        } else {
            self.year as i64
        };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = self.month as i64;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }
}

impl Date {
    /// The date `days` days after 1970-01-01 (before, when negative);
    /// Howard Hinnant's civil-from-days. Clamped to years 1..=9999.
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719468;
        let era = if z >= 0 { z } else { z - 146096 } / 146097;
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        if year < 1 {
            return Date {
                year: 1,
                month: 1,
                day: 1,
            };
        }
        if year > 9999 {
            return Date {
                year: 9999,
                month: 12,
                day: 31,
            };
        }
        Date { year, month, day }
    }

    /// This date moved by `n` days.
    pub fn add_days(&self, n: i64) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch() + n)
    }
}

/// Days in `month` of `year`.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl FromStr for Date {
    type Err = DateError;

    /// Parses `YYYY-MM-DD`, also accepting a trailing time part
    /// (`2023-10-30T08:00:00Z`), whose date is kept.
    fn from_str(s: &str) -> Result<Date, DateError> {
        let s = s.trim();
        let head = s.get(..10).unwrap_or(s);
        let bad = || DateError(format!("{s:?} is not an ISO date (YYYY-MM-DD)"));
        let b = head.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        if s.len() > 10 && !matches!(s.as_bytes()[10], b'T' | b't' | b' ') {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| -> Result<u32, DateError> {
            let part = &head[r];
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return Err(bad());
            }
            part.parse().map_err(|_| bad())
        };
        Date::new(num(0..4)? as i32, num(5..7)?, num(8..10)?)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_checks() {
        let d: Date = "2023-10-30".parse().unwrap();
        assert_eq!(d.to_string(), "2023-10-30");
        assert_eq!(d.weekday(), 0, "30 October 2023 was a Monday");
        assert_eq!(
            "2023-10-30T07:15:00+02:00".parse::<Date>().unwrap(),
            d,
            "a time part is dropped"
        );
        assert!("2023-02-29".parse::<Date>().is_err());
        assert!("2024-02-29".parse::<Date>().is_ok());
        assert!("30/10/2023".parse::<Date>().is_err());
        assert!("2023-1-30".parse::<Date>().is_err());
        assert!("2023-10-30x".parse::<Date>().is_err());
        for days in [-700_000i64, -1, 0, 1, 59, 365, 11_016, 19_660, 2_000_000] {
            assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days);
        }
        assert_eq!(d.add_days(2).to_string(), "2023-11-01");
        assert_eq!(d.add_days(-30).to_string(), "2023-09-30");
        assert_eq!(
            Date::new(1970, 1, 1).unwrap().weekday(),
            3,
            "1970-01-01 was a Thursday"
        );
    }
}
