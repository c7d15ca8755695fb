//! Calendar points at a granularity, their arithmetic and TIMEX3 values.

use sitrep_core::{days_in_month, Date};

/// How precise a point in time is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gran {
    /// A century: value `YY` ("19" = 1900–1999).
    Century,
    /// A decade: value `YYY` ("199" = the 1990s).
    Decade,
    /// A year: `YYYY`.
    Year,
    /// A half year: `YYYY-H1`.
    Half,
    /// A quarter: `YYYY-Q3`.
    Quarter,
    /// A season: `YYYY-SU` (SP, SU, FA, WI).
    Season,
    /// A month: `YYYY-MM`.
    Month,
    /// An ISO week: `YYYY-Www`.
    Week,
    /// A weekend: `YYYY-Www-WE`.
    Weekend,
    /// A day: `YYYY-MM-DD`.
    Day,
}

/// A point in time: a date carrying the granularity it is known to.
/// `date` is any day inside the period (its first day by convention).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    /// A day inside the period.
    pub date: Date,
    /// The period's size.
    pub gran: Gran,
}

const SEASONS: [&str; 4] = ["SP", "SU", "FA", "WI"];

impl Point {
    /// A point of granularity `gran` containing `date`, normalised to the
    /// period's first day.
    pub fn new(date: Date, gran: Gran) -> Point {
        let (y, m) = (date.year, date.month);
        let first = |y: i32, m: u32| Date::new(y.clamp(1, 9999), m, 1).unwrap_or(date);
        let date = match gran {
            Gran::Century => first(y - y.rem_euclid(100), 1),
            Gran::Decade => first(y - y.rem_euclid(10), 1),
            Gran::Year => first(y, 1),
            Gran::Half => first(y, if m <= 6 { 1 } else { 7 }),
            Gran::Quarter => first(y, (m - 1) / 3 * 3 + 1),
            Gran::Season => date,
            Gran::Month => first(y, m),
            Gran::Week | Gran::Weekend => date.add_days(-(date.weekday() as i64)),
            Gran::Day => date,
        };
        Point { date, gran }
    }

    /// A day.
    pub fn day(date: Date) -> Point {
        Point::new(date, Gran::Day)
    }

    /// A year.
    pub fn year(y: i32) -> Option<Point> {
        Some(Point::new(Date::new(y, 1, 1).ok()?, Gran::Year))
    }

    /// A month.
    pub fn month(y: i32, m: u32) -> Option<Point> {
        Some(Point::new(Date::new(y, m, 1).ok()?, Gran::Month))
    }

    /// A quarter (1–4).
    pub fn quarter(y: i32, q: u32) -> Option<Point> {
        Some(Point::new(
            Date::new(y, (q.clamp(1, 4) - 1) * 3 + 1, 1).ok()?,
            Gran::Quarter,
        ))
    }

    /// A season of a year: 0 spring, 1 summer, 2 autumn, 3 winter. Stored
    /// as the season's middle month so the year arithmetic holds.
    pub fn season(y: i32, s: u32) -> Option<Point> {
        let month = [4, 7, 10, 1][s.min(3) as usize];
        Some(Point {
            date: Date::new(y, month, 1).ok()?,
            gran: Gran::Season,
        })
    }

    /// The same kind of period `n` periods later (earlier when negative).
    pub fn shift(&self, n: i64) -> Point {
        let d = self.date;
        let months = |k: i64| add_months(d, k);
        let date = match self.gran {
            Gran::Century => months(1200 * n),
            Gran::Decade => months(120 * n),
            Gran::Year | Gran::Season => months(12 * n),
            Gran::Half => months(6 * n),
            Gran::Quarter => months(3 * n),
            Gran::Month => months(n),
            Gran::Week | Gran::Weekend => d.add_days(7 * n),
            Gran::Day => d.add_days(n),
        };
        Point {
            date,
            gran: self.gran,
        }
    }

    /// This point coarsened or refined to `gran` (the period containing it).
    pub fn at(&self, gran: Gran) -> Point {
        Point::new(self.date, gran)
    }

    /// The TIMEX3 value.
    pub fn value(&self) -> String {
        let Date { year, month, day } = self.date;
        match self.gran {
            Gran::Century => format!("{:02}", year.div_euclid(100)),
            Gran::Decade => format!("{:03}", year.div_euclid(10)),
            Gran::Year => format!("{year:04}"),
            Gran::Half => format!("{year:04}-H{}", if month <= 6 { 1 } else { 2 }),
            Gran::Quarter => format!("{year:04}-Q{}", (month - 1) / 3 + 1),
            Gran::Season => {
                let s = match month {
                    3..=5 => 0,
                    6..=8 => 1,
                    9..=11 => 2,
                    _ => 3,
                };
                format!("{year:04}-{}", SEASONS[s])
            }
            Gran::Month => format!("{year:04}-{month:02}"),
            Gran::Week => {
                let (y, w) = iso_week(self.date);
                format!("{y:04}-W{w:02}")
            }
            Gran::Weekend => {
                let (y, w) = iso_week(self.date);
                format!("{y:04}-W{w:02}-WE")
            }
            Gran::Day => format!("{year:04}-{month:02}-{day:02}"),
        }
    }
}

/// `d` moved by `n` months, the day clamped to the month's length.
pub fn add_months(d: Date, n: i64) -> Date {
    let total = d.year as i64 * 12 + (d.month as i64 - 1) + n;
    let y = total.div_euclid(12).clamp(1, 9999) as i32;
    let m = (total.rem_euclid(12) + 1) as u32;
    let day = d.day.min(days_in_month(y, m));
    Date::new(y, m, day).unwrap_or(d)
}

/// ISO 8601 week-numbering year and week of `d`.
pub fn iso_week(d: Date) -> (i32, u32) {
    // The Thursday of d's week decides the year.
    let thursday = d.add_days(3 - d.weekday() as i64);
    let jan1 = Date::new(thursday.year, 1, 1).unwrap_or(thursday);
    let week = ((thursday.days_since_epoch() - jan1.days_since_epoch()) / 7 + 1) as u32;
    (thursday.year, week)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn values_and_shifts() {
        let dct = d("2023-10-30");
        assert_eq!(Point::day(dct).value(), "2023-10-30");
        assert_eq!(Point::day(dct).at(Gran::Week).value(), "2023-W44");
        assert_eq!(
            Point::day(dct).at(Gran::Quarter).shift(-1).value(),
            "2023-Q3"
        );
        assert_eq!(Point::day(dct).at(Gran::Year).shift(-1).value(), "2022");
        assert_eq!(Point::day(dct).at(Gran::Decade).value(), "202");
        assert_eq!(Point::day(dct).at(Gran::Century).value(), "20");
        assert_eq!(
            Point::day(dct).at(Gran::Month).shift(-10).value(),
            "2022-12"
        );
        assert_eq!(Point::day(dct).at(Gran::Half).value(), "2023-H2");
        assert_eq!(Point::season(2023, 1).unwrap().value(), "2023-SU");
        assert_eq!(Point::season(2023, 3).unwrap().shift(-1).value(), "2022-WI");
        assert_eq!(Point::day(dct).at(Gran::Weekend).value(), "2023-W44-WE");
        assert_eq!(iso_week(d("2021-01-03")), (2020, 53));
        assert_eq!(iso_week(d("2024-12-30")), (2025, 1));
        assert_eq!(add_months(d("2024-01-31"), 1).to_string(), "2024-02-29");
    }
}
