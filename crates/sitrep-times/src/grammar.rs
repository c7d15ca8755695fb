//! The time-expression grammar: recognisers over a sentence's tokens.
//!
//! At each token the recognisers are tried and the longest match wins.
//! Extents follow TimeML: a leading preposition ("in", "on", "since") is
//! left out; determiners and modifiers that belong to the expression ("the
//! past two months", "more than 20 years", "late November") are kept.
//! Values are computed against the publication date with a news-style past
//! bias, or against the last date mentioned for anaphoric expressions
//! ("a year earlier").

use sitrep_core::{Date, TimexType};

use crate::point::{Gran, Point};
use crate::words::{self, Unit};

/// A token as the grammar sees it (see [`sitrep_core::Doc::sentence_tokens`]).
pub type Tok<'a> = sitrep_core::TokenView<'a>;

/// What the recognisers know beyond the tokens.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    /// Publication date (the anchor).
    pub dct: Option<Date>,
    /// The sentence speaks of the future (will, next, expected to…).
    pub future: bool,
    /// The last point mentioned in the document (for "a year earlier").
    pub reference: Option<Point>,
}

/// A recognised time expression, as token range plus normalisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// First token.
    pub first: usize,
    /// One past the last token.
    pub end: usize,
    /// TIMEX3 type.
    pub kind: TimexType,
    /// TIMEX3 value.
    pub value: String,
    /// TIMEX3 modifier.
    pub modifier: Option<&'static str>,
    /// The rule that matched (for `by`).
    pub rule: &'static str,
    /// The point it denotes, when it is one (updates the reference time).
    pub point: Option<Point>,
}

/// A calendar day found: end token, the point (or month and day when the
/// year is unknown), and the rule.
type CalendarDay = (usize, Result<Point, (u32, u32)>, &'static str);

/// Recognisers over one sentence.
pub struct Grammar<'a> {
    toks: &'a [Tok<'a>],
    ctx: Ctx,
}

fn hit(first: usize, end: usize, kind: TimexType, value: String, rule: &'static str) -> Hit {
    Hit {
        first,
        end,
        kind,
        value,
        modifier: None,
        rule,
        point: None,
    }
}

fn date_hit(first: usize, end: usize, p: Point, rule: &'static str) -> Hit {
    Hit {
        point: Some(p),
        ..hit(first, end, TimexType::Date, p.value(), rule)
    }
}

/// A relative value without an anchor: the pattern with X for unknown digits.
fn unanchored(gran: Gran) -> String {
    match gran {
        Gran::Century => "XX".into(),
        Gran::Decade => "XXX".into(),
        Gran::Year => "XXXX".into(),
        Gran::Half => "XXXX-HX".into(),
        Gran::Quarter => "XXXX-QX".into(),
        Gran::Season => "XXXX-XX".into(),
        Gran::Month => "XXXX-XX".into(),
        Gran::Week => "XXXX-WXX".into(),
        Gran::Weekend => "XXXX-WXX-WE".into(),
        Gran::Day => "XXXX-XX-XX".into(),
    }
}

const TIME_ZONES: &[&str] = &[
    "gmt", "utc", "bst", "cet", "cest", "eet", "eest", "msk", "est", "edt", "cst", "cdt", "mst",
    "mdt", "pst", "pdt", "ist",
];

impl<'a> Grammar<'a> {
    /// Recognisers over `toks` with `ctx`.
    pub fn new(toks: &'a [Tok<'a>], ctx: Ctx) -> Grammar<'a> {
        Grammar { toks, ctx }
    }

    fn w(&self, i: usize) -> &'a str {
        self.toks.get(i).map(|t| t.lower).unwrap_or("")
    }

    /// Token `i` as written.
    fn tok_text(&self, i: usize) -> Option<&'a str> {
        self.toks.get(i).map(|t| t.text)
    }

    /// Whether a future modal governs token `i`: "will" up to eight tokens
    /// before it or three after ("will meet on Friday", "Friday, it will").
    fn future_at(&self, i: usize) -> bool {
        self.ctx.future && {
            let from = i.saturating_sub(8);
            let to = (i + 4).min(self.toks.len());
            self.toks[from..to]
                .iter()
                .any(|t| matches!(t.lower, "will" | "'ll" | "shall" | "wo"))
        }
    }

    fn cap(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.capitalised)
    }

    /// The whole sentence, left to right, longest match first.
    pub fn scan(&self, mut on_hit: impl FnMut(&Hit) -> Ctx) -> Vec<Hit> {
        let mut out = Vec::new();
        let mut i = 0;
        let mut this = Grammar {
            toks: self.toks,
            ctx: self.ctx,
        };
        while i < self.toks.len() {
            // Most tokens cannot start a time expression: skip them cheaply.
            if !could_start(self.toks[i].lower) {
                i += 1;
                continue;
            }
            match this.at(i) {
                Some(h) if h.end > i => {
                    i = h.end;
                    this.ctx = on_hit(&h);
                    // "April 24 and 25": the second day shares month and year.
                    if let (Some(p), "month-day") = (h.point, h.rule) {
                        if matches!(self.w(i), "and" | "or" | "to" | "through" | "-" | "–")
                            && words::month(self.w(i + 2)).is_none()
                        {
                            if let Some(d) = self.day_number(i + 1) {
                                if let Ok(date) = Date::new(p.date.year, p.date.month, d) {
                                    out.push(h);
                                    let h2 = date_hit(
                                        i + 1,
                                        i + 2,
                                        Point::day(date),
                                        "month-day-coordinated",
                                    );
                                    i += 2;
                                    out.push(h2);
                                    continue;
                                }
                            }
                        }
                    }
                    out.push(h);
                }
                _ => i += 1,
            }
        }
        out
    }

    /// The longest expression starting at token `i`, modifiers included.
    pub fn at(&self, i: usize) -> Option<Hit> {
        if let Some((modifier, j, for_dates)) = self.prefix_modifier(i) {
            if let Some(mut h) = self.core(j) {
                let ok = if for_dates {
                    // "earlier this month", "late November"; but "earlier
                    // Friday", "later today" are the day itself in TimeML.
                    h.kind == TimexType::Date
                        && h.point.is_some()
                        && !(matches!(self.w(i), "earlier" | "later")
                            && matches!(h.rule, "weekday" | "today" | "yesterday" | "tomorrow"))
                } else if h.rule == "ago" {
                    // "nearly four years ago": an approximate date
                    h.modifier = None;
                    let m = match modifier {
                        "MORE_THAN" | "EQUAL_OR_MORE" => "BEFORE",
                        "LESS_THAN" | "EQUAL_OR_LESS"
                            if !matches!(self.w(i), "nearly" | "almost") =>
                        {
                            "AFTER"
                        }
                        _ => "APPROX",
                    };
                    h.first = i;
                    h.modifier = Some(m);
                    return Some(h);
                } else {
                    // "around Wednesday": TimeML leaves the approximation out
                    h.kind == TimexType::Duration
                };
                if ok {
                    h.first = i;
                    h.modifier = Some(modifier);
                    return Some(h);
                }
            }
        }
        self.core(i)
    }

    /// Modifiers that belong to the extent; `true` when they modify dates
    /// (START/MID/END), `false` for quantities (APPROX, MORE_THAN…).
    fn prefix_modifier(&self, i: usize) -> Option<(&'static str, usize, bool)> {
        let (a, b, c) = (self.w(i), self.w(i + 1), self.w(i + 2));
        let two = |m| Some((m, i + 2, false));
        match (a, b) {
            ("more" | "longer", "than") => return two("MORE_THAN"),
            ("less" | "fewer" | "shorter", "than") => return two("LESS_THAN"),
            ("at", "least") => return two("EQUAL_OR_MORE"),
            ("at", "most") | ("up", "to") => return two("EQUAL_OR_LESS"),
            ("no", "more") if c == "than" => return Some(("EQUAL_OR_LESS", i + 3, false)),
            ("the", "end" | "close") if c == "of" => return Some(("END", i + 3, true)),
            ("the", "beginning" | "start" | "outset") if c == "of" => {
                return Some(("START", i + 3, true))
            }
            ("the", "middle") if c == "of" => return Some(("MID", i + 3, true)),
            _ => {}
        }
        match a {
            "about" | "around" | "approximately" | "roughly" | "some" | "nearly" | "almost" => {
                let m = if matches!(a, "nearly" | "almost") {
                    "EQUAL_OR_LESS"
                } else {
                    "APPROX"
                };
                Some((m, i + 1, false))
            }
            // "over the past year" is "during", not "more than"
            "over" if b != "the" => Some(("MORE_THAN", i + 1, false)),
            "under" => Some(("LESS_THAN", i + 1, false)),
            "early" | "earlier" => Some(("START", i + 1, true)),
            "late" | "later" => Some(("END", i + 1, true)),
            "mid" => Some(("MID", i + 1, true)),
            _ => None,
        }
    }

    /// The longest unmodified expression at `i`.
    fn core(&self, i: usize) -> Option<Hit> {
        let candidates = [
            self.explicit_date(i),
            self.relative(i),
            self.duration(i),
            self.clock_time(i),
            self.set(i),
        ];
        let mut best: Option<Hit> = None;
        for h in candidates.into_iter().flatten() {
            if best.as_ref().is_none_or(|b| h.end > b.end) {
                best = Some(h);
            }
        }
        // A clock time right after a date belongs to it ("Friday at 5 a.m."
        // stays two expressions in TimeML, but "Oct. 30 08:00" is one).
        best
    }

    // ----- explicit calendar dates -------------------------------------

    /// A day number 1–31 at `i` ("30", "30th").
    fn day_number(&self, i: usize) -> Option<u32> {
        let w = self.w(i);
        let d = if w.bytes().all(|b| b.is_ascii_digit()) && (1..=2).contains(&w.len()) {
            w.parse().ok()?
        } else {
            words::ordinal(w).filter(|_| w.bytes().next().is_some_and(|b| b.is_ascii_digit()))?
        };
        (1..=31).contains(&d).then_some(d)
    }

    /// A four-digit year at `i` that reads as a year here.
    fn year_number(&self, i: usize) -> Option<i32> {
        let w = self.w(i);
        if w.len() != 4 || !w.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let y: i32 = w.parse().ok()?;
        if !(1000..=2100).contains(&y) {
            return None;
        }
        // Not a count: "1990 troops", "$2000", "2000 percent".
        let next = self.w(i + 1);
        let prev = if i > 0 { self.w(i - 1) } else { "" };
        if matches!(
            prev,
            "$" | "€" | "£" | "no." | "number" | "route" | "flight" | "resolution" | "#"
        ) {
            return None;
        }
        if matches!(
            next,
            "%" | "percent"
                | "per"
                | "people"
                | "troops"
                | "soldiers"
                | "km"
                | "miles"
                | "metres"
                | "meters"
                | "feet"
                | "tonnes"
                | "tons"
                | "hours"
                | "dollars"
                | "euros"
                | "civilians"
                | "residents"
                | "times"
        ) {
            return None;
        }
        if y < 1900
            && !matches!(
                prev,
                "in" | "since"
                    | "of"
                    | "from"
                    | "until"
                    | "by"
                    | "before"
                    | "after"
                    | "during"
                    | "between"
                    | "and"
                    | "to"
                    | "year"
            )
        {
            return None;
        }
        Some(y)
    }

    /// The year of a month/day without one, from the anchor and the tense.
    fn infer_year(&self, at: usize, month: u32, day: Option<u32>) -> Option<i32> {
        let future = self.future_at(at);
        let dct = self.ctx.dct?;
        // Of last year's, this year's and next year's, take the nearest,
        // counting the side the tense does not point to as farther: the
        // future 2.5 times when nothing points ahead (news speaks mostly of
        // the past; "since March" in October is last March, though a month
        // or two ahead is common for announced events), the past 1.5 times
        // under a future modal.
        let day = day.unwrap_or(1);
        let dct_days = dct.days_since_epoch();
        let mut best: Option<(f64, i32)> = None;
        for y in [dct.year - 1, dct.year, dct.year + 1] {
            let Ok(d) = Date::new(y, month, day.min(sitrep_core::days_in_month(y, month))) else {
                continue;
            };
            let delta = (d.days_since_epoch() - dct_days) as f64;
            let cost = if (delta > 0.0) == future || delta == 0.0 {
                delta.abs()
            } else if future {
                delta.abs() * 1.5
            } else {
                delta.abs() * 2.5
            };
            if best.is_none_or(|(c, _)| cost < c) {
                best = Some((cost, y));
            }
        }
        best.map(|(_, y)| y)
    }

    fn explicit_date(&self, i: usize) -> Option<Hit> {
        let mut j = i;
        let weekday = words::weekday_full(self.w(j)).filter(|_| self.cap(j));
        if weekday.is_some() {
            j += 1;
            if self.w(j) == "," {
                j += 1;
            }
        }
        let found = self
            .month_day_year(j)
            .or_else(|| self.day_month_year(j))
            .or_else(|| {
                self.numeric_date(j)
                    .map(|(end, p, rule)| (end, Ok(p), rule))
            });
        match found {
            Some((end, Ok(p), rule)) => return Some(date_hit(i, end, p, rule)),
            // No year and no publication date to infer it from.
            Some((end, Err((m, d)), rule)) => {
                return Some(hit(
                    i,
                    end,
                    TimexType::Date,
                    format!("XXXX-{m:02}-{d:02}"),
                    rule,
                ))
            }
            None => {}
        }
        if weekday.is_some() {
            return None; // the relative recogniser handles a lone weekday
        }
        if let Some(h) = self.holiday(i) {
            return Some(h);
        }
        // "mid-November", "late-1990s", "early-2023": one token
        if let Some((prefix, rest)) = self.w(i).split_once('-') {
            let m = match prefix {
                "mid" => Some("MID"),
                "late" => Some("END"),
                "early" => Some("START"),
                _ => None,
            };
            if let Some(m) = m {
                let sub = Tok {
                    lower: rest,
                    capitalised: true,
                    ..self.toks[i]
                };
                let one = [sub];
                let g = Grammar {
                    toks: &one,
                    ctx: self.ctx,
                };
                if let Some(mut h) = g.month_year(0).or_else(|| g.year_like(0)) {
                    h.first = i;
                    h.end = i + 1;
                    h.modifier = Some(m);
                    return Some(h);
                }
            }
        }
        self.month_year(i)
            .or_else(|| self.year_like(i))
            .or_else(|| self.season_expr(i))
            .or_else(|| self.quarter_expr(i))
    }

    /// "October 30", "Oct. 30, 2023", "October 30th 2023". The point, or
    /// (month, day) when the year is unknown.
    fn month_day_year(&self, j: usize) -> Option<CalendarDay> {
        let m = words::month(self.w(j))?;
        let d = self.day_number(j + 1)?;
        let (y, end) = if self.w(j + 2) == "," && self.year_number(j + 3).is_some() {
            (self.year_number(j + 3), j + 4)
        } else if let Some(y) = self.year_number(j + 2) {
            (Some(y), j + 3)
        } else {
            (None, j + 2)
        };
        match y.or_else(|| self.infer_year(j, m, Some(d))) {
            Some(y) => Some((end, Ok(Point::day(Date::new(y, m, d).ok()?)), "month-day")),
            None => Some((end, Err((m, d)), "month-day")),
        }
    }

    /// "30 October", "30th of October 2023".
    fn day_month_year(&self, j: usize) -> Option<CalendarDay> {
        let d = self.day_number(j)?;
        let mut k = j + 1;
        if self.w(k) == "of" {
            k += 1;
        }
        let m = words::month(self.w(k))?;
        if !self.cap(k) {
            return None;
        }
        let (y, end) = if self.w(k + 1) == "," && self.year_number(k + 2).is_some() {
            (self.year_number(k + 2), k + 3)
        } else if let Some(y) = self.year_number(k + 1) {
            (Some(y), k + 2)
        } else {
            (None, k + 1)
        };
        match y.or_else(|| self.infer_year(j, m, Some(d))) {
            Some(y) => Some((end, Ok(Point::day(Date::new(y, m, d).ok()?)), "day-month")),
            None => Some((end, Err((m, d)), "day-month")),
        }
    }

    /// "2023-10-30", "2023-10", "10/30/2023", "30.10.2023".
    fn numeric_date(&self, j: usize) -> Option<(usize, Point, &'static str)> {
        let w = self.w(j);
        if !w.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
            return None;
        }
        let parts: Vec<&str> = w.split(['-', '/', '.']).collect();
        if parts.len() < 2
            || !parts
                .iter()
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        let n = |s: &str| s.parse::<i32>().ok();
        if w.contains('-') && parts[0].len() == 4 {
            let y = n(parts[0])?;
            let m = n(parts[1])? as u32;
            if parts.len() == 3 {
                let d = n(parts[2])? as u32;
                return Some((j + 1, Point::day(Date::new(y, m, d).ok()?), "iso-date"));
            }
            return Some((j + 1, Point::month(y, m)?, "iso-month"));
        }
        if parts.len() == 3 && (w.contains('/') || w.contains('.')) {
            let (a, b, c) = (n(parts[0])?, n(parts[1])?, n(parts[2])?);
            let y = match parts[2].len() {
                4 => c,
                2 => 1900 + c + if c < 50 { 100 } else { 0 },
                _ => return None,
            };
            // Day-first where the first number cannot be a month, or with
            // dots (European style); month-first otherwise (US style).
            let (m, d) = if a > 12 || w.contains('.') {
                (b, a)
            } else {
                (a, b)
            };
            return Some((
                j + 1,
                Point::day(Date::new(y, m as u32, d as u32).ok()?),
                "numeric-date",
            ));
        }
        None
    }

    /// "May 2023", "June of 2023", "October" (capitalised, unambiguous).
    fn month_year(&self, i: usize) -> Option<Hit> {
        let m = words::month(self.w(i))?;
        if !self.cap(i) {
            return None;
        }
        let mut k = i + 1;
        if matches!(self.w(k), "of" | ",") && self.year_number(k + 1).is_some() {
            k += 1;
        }
        if let Some(y) = self.year_number(k) {
            return Some(date_hit(i, k + 1, Point::month(y, m)?, "month-year"));
        }
        // "June last year"
        if self.w(i + 1) == "last" && self.w(i + 2) == "year" {
            let y = self.ctx.dct?.year - 1;
            return Some(date_hit(i, i + 3, Point::month(y, m)?, "month-last-year"));
        }
        // A month alone: abbreviations and "May"/"March" need support.
        let ambiguous =
            words::is_month_abbreviation(self.w(i)) || matches!(self.w(i), "may" | "march");
        if ambiguous {
            let prev = if i > 0 { self.w(i - 1) } else { "" };
            let supported = matches!(
                prev,
                "the"
                    | "in"
                    | "since"
                    | "until"
                    | "by"
                    | "from"
                    | "through"
                    | "during"
                    | "of"
                    | "early"
                    | "late"
                    | "mid"
                    | "last"
                    | "next"
                    | "this"
                    | "before"
                    | "after"
                    | "to"
                    | "till"
            );
            if !supported {
                return None;
            }
        }
        match self.infer_year(i, m, None) {
            Some(y) => Some(date_hit(i, i + 1, Point::month(y, m)?, "month")),
            None => Some(hit(
                i,
                i + 1,
                TimexType::Date,
                format!("XXXX-{m:02}"),
                "month-no-anchor",
            )),
        }
    }

    /// Years, fiscal years, decades, centuries.
    fn year_like(&self, i: usize) -> Option<Hit> {
        let w = self.w(i);
        if w == "fiscal" {
            let k = if self.w(i + 1) == "year" {
                i + 2
            } else {
                i + 1
            };
            let y = self.year_number(k)?;
            return Some(date_hit(i, k + 1, Point::year(y)?, "fiscal-year"));
        }
        if let Some(y) = self.year_number(i) {
            // "2014-15" seasons and ranges: keep the first year only.
            return Some(date_hit(i, i + 1, Point::year(y)?, "year"));
        }
        // Decades: "1990s", "'90s", "the nineties".
        let digits = w.trim_start_matches(['\'', '’']).trim_end_matches('s');
        if w.ends_with('s') && digits.bytes().all(|b| b.is_ascii_digit()) && digits.ends_with('0') {
            let y: i32 = match digits.len() {
                4 => digits.parse().ok()?,
                // "the '90s", but not "in his 30s" (an age)
                2 if i > 0 && self.w(i - 1) == "the" => 1900 + digits.parse::<i32>().ok()?,
                _ => return None,
            };
            return Some(date_hit(
                i,
                i + 1,
                Point::new(Date::new(y, 1, 1).ok()?, Gran::Decade),
                "decade",
            ));
        }
        // Spoken years: "nineteen ninety-six", "two thousand".
        if matches!(w, "nineteen" | "eighteen") {
            let rest = words::number(self.w(i + 1))
                .filter(|n| *n >= 10.0 && *n < 100.0 && n.fract() == 0.0)?;
            let century = if w == "nineteen" { 1900 } else { 1800 };
            return Some(date_hit(
                i,
                i + 2,
                Point::year(century + rest as i32)?,
                "spoken-year",
            ));
        }
        if w == "the"
            && self.w(i + 1) == "year"
            && self.w(i + 2) == "two"
            && self.w(i + 3) == "thousand"
        {
            return Some(date_hit(i, i + 4, Point::year(2000)?, "spoken-year"));
        }
        if w == "the" {
            let decade = match self.w(i + 1) {
                "twenties" => Some(2),
                "thirties" => Some(3),
                "forties" => Some(4),
                "fifties" => Some(5),
                "sixties" => Some(6),
                "seventies" => Some(7),
                "eighties" => Some(8),
                "nineties" => Some(9),
                _ => None,
            };
            if let Some(d) = decade {
                let p = Point::new(Date::new(1900 + 10 * d, 1, 1).ok()?, Gran::Decade);
                return Some(date_hit(i, i + 2, p, "decade-words"));
            }
        }
        // "the 20th century"
        if w == "the" {
            if let (Some(n), "century") = (words::ordinal(self.w(i + 1)), self.w(i + 2)) {
                let y = (n as i32 - 1) * 100;
                return Some(date_hit(
                    i,
                    i + 3,
                    Point::new(Date::new(y.max(1), 1, 1).ok()?, Gran::Century),
                    "century",
                ));
            }
        }
        None
    }

    /// "summer", "the summer of 2023", "summer 2023".
    fn season_expr(&self, i: usize) -> Option<Hit> {
        let (first, k) = if self.w(i) == "the" {
            (i, i + 1)
        } else {
            (i, i)
        };
        let s = words::season(self.w(k))?;
        if let Some(y) = self.year_number(k + 1) {
            return Some(date_hit(first, k + 2, Point::season(y, s)?, "season-year"));
        }
        if self.w(k + 1) == "of" {
            if let Some(y) = self.year_number(k + 2) {
                return Some(date_hit(
                    first,
                    k + 3,
                    Point::season(y, s)?,
                    "season-of-year",
                ));
            }
        }
        if first != k {
            return None; // "the summer" alone: leave to context
        }
        // "fall" and "spring" are verbs and nouns too: need a temporal frame.
        let prev = if i > 0 { self.w(i - 1) } else { "" };
        if matches!(self.w(k), "fall" | "spring")
            && !matches!(
                prev,
                "in" | "during"
                    | "since"
                    | "until"
                    | "by"
                    | "early"
                    | "late"
                    | "mid"
                    | "this"
                    | "last"
                    | "next"
                    | "through"
            )
        {
            return None;
        }
        let dct = self.ctx.dct?;
        let p = Point::season(dct.year, s)?;
        Some(date_hit(i, k + 1, p, "season"))
    }

    /// Quarters and halves: "the third quarter", "third-quarter",
    /// "the first half of 2023", "the latest quarter", "the year-ago quarter".
    fn quarter_expr(&self, i: usize) -> Option<Hit> {
        let mut k = i;
        if self.w(k) == "the" {
            k += 1;
        }
        // A quarter or half named without a year is the most recent one
        // of that number: this year's if it has begun, else last year's.
        let recent_year = |n: u32, half: bool| {
            self.ctx.dct.map(|d| {
                let started = if half {
                    (n - 1) * 6 + 1
                } else {
                    (n - 1) * 3 + 1
                };
                if d.month >= started {
                    d.year
                } else {
                    d.year - 1
                }
            })
        };
        let w = self.w(k);
        // Adjective forms: "third-quarter", "first-half".
        if let Some((ord, unit)) = w.split_once('-') {
            if let (Some(n), true) = (words::ordinal(ord), matches!(unit, "quarter" | "half")) {
                let y = recent_year(n.clamp(1, 4), unit == "half")?;
                let p = if unit == "quarter" {
                    Point::quarter(y, n.clamp(1, 4))?
                } else {
                    Point::new(
                        Date::new(y, if n == 1 { 1 } else { 7 }, 1).ok()?,
                        Gran::Half,
                    )
                };
                // "the third-quarter results": the article is not part of it
                return Some(date_hit(k, k + 1, p, "quarter-adjective"));
            }
        }
        let mut year_ago = false;
        let mut ord = None;
        let mut latest = false;
        // "this"/"current": the publication date's own quarter or half;
        // "last"/"latter": of a half, the second.
        let mut own = false;
        let mut second_half = false;
        let mut year = None;
        // "next year's first quarter", "1990's second half".
        if let (Some(shift), "year", "'s") = (
            match self.w(k) {
                "next" => Some(1),
                "last" => Some(-1),
                "this" => Some(0),
                _ => None,
            },
            self.w(k + 1),
            self.w(k + 2),
        ) {
            year = self.ctx.dct.map(|d| d.year + shift);
            k += 3;
        } else if self.w(k + 1) == "'s" {
            if let Some(y) = self.year_number(k) {
                year = Some(y);
                k += 2;
            }
        }
        loop {
            match self.w(k) {
                "year-ago" | "year-earlier" => year_ago = true,
                "latest" | "most-recent" | "recent" | "fiscal" | "same" => latest = true,
                "last" | "latter" => {
                    latest = true;
                    second_half = true;
                }
                "current" | "this" => {
                    latest = true;
                    own = true;
                }
                // "the 1988 second quarter": a year, not a count.
                x if year.is_none() && self.year_number(k).is_some() && x.len() == 4 => {
                    year = self.year_number(k);
                }
                x => match words::ordinal(x) {
                    Some(n) => ord = Some(n),
                    None => break,
                },
            }
            k += 1;
        }
        let unit = self.w(k);
        if !matches!(unit, "quarter" | "half" | "period")
            || (unit == "period" && !year_ago && !latest)
        {
            return None;
        }
        if ord.is_none() && !latest && !year_ago && k == i + 1 && unit == "quarter" {
            // "the quarter": the one under discussion
            let p = self.current_quarter()?;
            return Some(date_hit(i, k + 1, p, "the-quarter"));
        }
        if ord.is_none() && !latest && !year_ago && year.is_none() {
            return None;
        }
        if ord.is_none() && unit == "half" && second_half {
            ord = Some(2);
        }
        let mut end = k + 1;
        if year.is_some() {
            // A year was given before the unit.
        } else if self.w(end) == "of" {
            if let Some(y) = self.year_number(end + 1) {
                year = Some(y);
                end += 2;
            }
        } else if let Some(y) = self.year_number(end) {
            year = Some(y);
            end += 1;
        }
        let mut p = match (unit, ord) {
            ("half", Some(n)) => Point::new(
                Date::new(
                    year.or_else(|| recent_year(n.clamp(1, 2), true))?,
                    if n == 1 { 1 } else { 7 },
                    1,
                )
                .ok()?,
                Gran::Half,
            ),
            ("quarter", Some(n)) => Point::quarter(
                year.or_else(|| recent_year(n.clamp(1, 4), false))?,
                n.clamp(1, 4),
            )?,
            // "this half", "the current half"
            ("half", None) if own => {
                let d = self.ctx.dct?;
                Point::new(
                    Date::new(d.year, if d.month <= 6 { 1 } else { 7 }, 1).ok()?,
                    Gran::Half,
                )
            }
            // "the current quarter": the one the article is written in.
            (_, None) if own => Point::day(self.ctx.dct?).at(Gran::Quarter),
            // "the 1988 quarter", "the 1988 period": that year's quarter
            // under discussion.
            (_, None) if year.is_some() => {
                let q = self.current_quarter()?;
                let qn = (q.date.month - 1) / 3 + 1;
                Point::quarter(year?, qn)?
            }
            _ => self.current_quarter()?,
        };
        if year_ago {
            p = p.shift(if p.gran == Gran::Quarter { -4 } else { -2 });
            return Some(date_hit(i, end, p, "year-ago-quarter"));
        }
        Some(date_hit(i, end, p, "quarter"))
    }

    /// The quarter under discussion: the reference's, else the last
    /// completed one before the publication date.
    fn current_quarter(&self) -> Option<Point> {
        if let Some(r) = self.ctx.reference.filter(|r| r.gran == Gran::Quarter) {
            return Some(r);
        }
        Some(Point::day(self.ctx.dct?).at(Gran::Quarter).shift(-1))
    }

    // ----- relative dates ------------------------------------------------

    fn relative(&self, i: usize) -> Option<Hit> {
        let w = self.w(i);
        let dct = self.ctx.dct;
        let day = |n: i64| dct.map(|d| Point::day(d.add_days(n)));
        let deictic_day = |n: i64, end: usize, rule| -> Option<Hit> {
            // "yesterday morning"
            if let Some(pod) = words::part_of_day(self.w(end)) {
                let v = match day(n) {
                    Some(p) => format!("{}T{pod}", p.value()),
                    None => format!("XXXX-XX-XXT{pod}"),
                };
                return Some(Hit {
                    point: day(n),
                    ..hit(i, end + 1, TimexType::Time, v, "day-part")
                });
            }
            Some(match day(n) {
                Some(p) => date_hit(i, end, p, rule),
                None => hit(i, end, TimexType::Date, "XXXX-XX-XX".into(), rule),
            })
        };
        match w {
            "today" => return deictic_day(0, i + 1, "today"),
            "yesterday" => return deictic_day(-1, i + 1, "yesterday"),
            "tomorrow" => return deictic_day(1, i + 1, "tomorrow"),
            "tonight" => {
                return Some(match day(0) {
                    Some(p) => date_hit(i, i + 1, p, "tonight"),
                    None => hit(i, i + 1, TimexType::Date, "XXXX-XX-XX".into(), "tonight"),
                })
            }
            // "the current year", "the current fiscal year" are dates of
            // their own (deictic units), not "now".
            "current"
                if words::unit(self.w(i + 1)).is_some()
                    || matches!(self.w(i + 1), "fiscal" | "quarter" | "half") => {}
            "now" | "currently" | "current" | "presently" | "nowadays" => {
                return Some(hit(
                    i,
                    i + 1,
                    TimexType::Date,
                    "PRESENT_REF".into(),
                    "present-ref",
                ))
            }
            "recently" | "lately" | "recent" => {
                // "recent years": an unspecified stretch of years (PXY).
                if w == "recent" && words::is_plural_unit(self.w(i + 1)) {
                    let u = words::unit(self.w(i + 1))?;
                    let t = if u.time { "T" } else { "" };
                    return Some(hit(
                        i,
                        i + 2,
                        TimexType::Duration,
                        format!("P{t}X{}", u.letter),
                        "recent-units",
                    ));
                }
                return Some(hit(
                    i,
                    i + 1,
                    TimexType::Date,
                    "PAST_REF".into(),
                    "past-ref",
                ));
            }
            "previously" => {
                return Some(hit(
                    i,
                    i + 1,
                    TimexType::Date,
                    "PAST_REF".into(),
                    "past-ref",
                ))
            }
            "soon" if i > 0 && self.w(i - 1) == "as" && self.w(i + 1) == "as" => return None,
            "soon" | "future" => {
                return Some(hit(
                    i,
                    i + 1,
                    TimexType::Date,
                    "FUTURE_REF".into(),
                    "future-ref",
                ))
            }
            "the" => match self.w(i + 1) {
                "future" => {
                    return Some(hit(
                        i,
                        i + 2,
                        TimexType::Date,
                        "FUTURE_REF".into(),
                        "future-ref",
                    ))
                }
                "past"
                    if !words::is_plural_unit(self.w(i + 2))
                        && words::unit(self.w(i + 2)).is_none()
                        && words::number(self.w(i + 2)).is_none()
                        && !words::vague_quantity(self.w(i + 2))
                        && self.w(i + 2) != "few" =>
                {
                    return Some(hit(
                        i,
                        i + 2,
                        TimexType::Date,
                        "PAST_REF".into(),
                        "past-ref",
                    ))
                }
                "present" => {
                    return Some(hit(
                        i,
                        i + 2,
                        TimexType::Date,
                        "PRESENT_REF".into(),
                        "present-ref",
                    ))
                }
                "time" if i > 0 && self.w(i - 1) == "at" => {
                    return Some(hit(
                        i,
                        i + 2,
                        TimexType::Date,
                        "PAST_REF".into(),
                        "at-the-time",
                    ))
                }
                "weekend" => {
                    // The weekend just past, or the coming one in a future sentence.
                    let p = self.ctx.dct.map(|d| {
                        let wk = Point::day(d).at(Gran::Weekend);
                        if d.weekday() >= 5 || self.future_at(i) {
                            wk
                        } else {
                            wk.shift(-1)
                        }
                    });
                    return Some(match p {
                        Some(p) => date_hit(i, i + 2, p, "the-weekend"),
                        None => hit(
                            i,
                            i + 2,
                            TimexType::Date,
                            "XXXX-WXX-WE".into(),
                            "the-weekend",
                        ),
                    });
                }
                "day" if i > 0 && matches!(self.w(i - 1), "in" | "during") => {
                    let r = self
                        .ctx
                        .reference
                        .or(self.ctx.dct.map(Point::day))?
                        .at(Gran::Day);
                    return Some(date_hit(i, i + 2, r, "the-day"));
                }
                "year" | "full" | "fiscal" | "month" => {
                    // Financial reporting: "for the year", "the fiscal year
                    // ended Sept. 30" (a twelve-month duration).
                    let k = if matches!(self.w(i + 1), "full" | "fiscal") {
                        i + 2
                    } else {
                        i + 1
                    };
                    let unit = self.w(k);
                    if !matches!(unit, "year" | "month") || (k == i + 2 && unit != "year") {
                        return None;
                    }
                    if matches!(self.w(k + 1), "ended" | "ending" | "ends") {
                        let v = if unit == "year" { "P1Y" } else { "P1M" };
                        return Some(hit(
                            i,
                            k + 1,
                            TimexType::Duration,
                            v.into(),
                            "the-year-ended",
                        ));
                    }
                    let gran = if unit == "year" {
                        Gran::Year
                    } else {
                        Gran::Month
                    };
                    let p = self.ctx.dct.map(|d| Point::day(d).at(gran))?;
                    return Some(date_hit(i, k + 1, p, "the-current-period"));
                }
                _ => {}
            },
            "that" => {
                let unit = self.w(i + 1);
                if let Some(gran) = words::unit(unit)
                    .and_then(|u| u.gran)
                    .filter(|_| !words::is_plural_unit(unit))
                {
                    let r = self.ctx.reference.or(self.ctx.dct.map(Point::day))?;
                    return Some(date_hit(i, i + 2, r.at(gran), "anaphoric-that"));
                }
            }
            "last" if self.w(i + 1) == "night" => {
                let v = day(-1)
                    .map(|p| format!("{}TNI", p.value()))
                    .unwrap_or_else(|| "XXXX-XX-XXTNI".into());
                return Some(Hit {
                    point: day(-1),
                    ..hit(i, i + 2, TimexType::Time, v, "last-night")
                });
            }
            "this" if words::part_of_day(self.w(i + 1)).is_some() => {
                let pod = words::part_of_day(self.w(i + 1))?;
                let v = day(0)
                    .map(|p| format!("{}T{pod}", p.value()))
                    .unwrap_or_else(|| format!("XXXX-XX-XXT{pod}"));
                return Some(Hit {
                    point: day(0),
                    ..hit(i, i + 2, TimexType::Time, v, "this-part-of-day")
                });
            }
            _ => {}
        }
        if let Some(h) = self.weekday_expr(i) {
            return Some(h);
        }
        if let Some(h) = self.deictic_unit(i) {
            return Some(h);
        }
        if let Some(h) = self.ago(i) {
            return Some(h);
        }
        self.anaphoric(i)
    }

    /// "Friday", "Friday morning", "last Friday", "next Monday".
    fn weekday_expr(&self, i: usize) -> Option<Hit> {
        let (shift, k) = match self.w(i) {
            "last" | "past" | "previous" => (Some(-1), i + 1),
            "next" | "coming" => (Some(1), i + 1),
            "this" => (Some(0), i + 1),
            _ => (None, i),
        };
        let wd = words::weekday_full(self.w(k))?;
        if !self.cap(k) {
            return None;
        }
        let dct = self.ctx.dct;
        let date = dct.map(|dct| {
            let today = dct.weekday() as i64;
            let wd = wd as i64;
            let delta = match shift {
                Some(-1) => -((today - wd - 1).rem_euclid(7) + 1),
                Some(1) => (wd - today - 1).rem_euclid(7) + 1,
                _ if wd == today => 0,
                _ if self.future_at(k) || shift == Some(0) && wd > today => {
                    (wd - today).rem_euclid(7)
                }
                // The day after publication is more often "tomorrow" than
                // six days ago.
                _ if (wd - today).rem_euclid(7) == 1 => 1,
                _ => -(today - wd).rem_euclid(7),
            };
            dct.add_days(delta)
        });
        let mut end = k + 1;
        // "Friday, Oct. 30" is an explicit date, handled there.
        let pod = words::part_of_day(self.w(end));
        if pod.is_some() {
            end += 1;
        }
        let base = match date {
            Some(d) => Point::day(d).value(),
            None => format!("XXXX-WXX-{}", wd + 1),
        };
        Some(match pod {
            Some(pod) => Hit {
                point: date.map(Point::day),
                ..hit(
                    i,
                    end,
                    TimexType::Time,
                    format!("{base}T{pod}"),
                    "weekday-part",
                )
            },
            None => Hit {
                point: date.map(Point::day),
                ..hit(i, end, TimexType::Date, base, "weekday")
            },
        })
    }

    /// "this week", "last year", "next month", "last June", "this summer",
    /// "the past year" (a duration), "earlier this month" (via START).
    fn deictic_unit(&self, i: usize) -> Option<Hit> {
        let shift: i64 = match self.w(i) {
            "this" | "current" => 0,
            "last" | "past" | "previous" => -1,
            "next" | "coming" | "following" => 1,
            _ => return None,
        };
        let dct = self.ctx.dct;
        let mut k = i + 1;
        // "the current fiscal year": a fiscal year is named as its year.
        if self.w(k) == "fiscal" && words::unit(self.w(k + 1)).is_some() {
            k += 1;
        }
        let w = self.w(k);
        // "last June"
        if let Some(m) = words::month(w).filter(|_| self.cap(k)) {
            let p = dct.and_then(|d| {
                let y = match shift {
                    -1 if m >= d.month => d.year - 1,
                    1 if m <= d.month => d.year + 1,
                    _ => d.year,
                };
                Point::month(y, m)
            });
            return Some(match p {
                Some(p) => date_hit(i, k + 1, p, "deictic-month"),
                None => hit(
                    i,
                    k + 1,
                    TimexType::Date,
                    format!("XXXX-{m:02}"),
                    "deictic-month",
                ),
            });
        }
        // "last summer"
        if let Some(s) = words::season(w) {
            let p = dct.and_then(|d| {
                let now = Point::season(d.year, s)?;
                let current_season = match d.month {
                    3..=5 => 0,
                    6..=8 => 1,
                    9..=11 => 2,
                    _ => 3,
                };
                Some(match shift {
                    -1 if s >= current_season => now.shift(-1),
                    1 if s <= current_season => now.shift(1),
                    _ => now,
                })
            });
            return Some(match p {
                Some(p) => date_hit(i, k + 1, p, "deictic-season"),
                None => hit(
                    i,
                    k + 1,
                    TimexType::Date,
                    "XXXX-XX".into(),
                    "deictic-season",
                ),
            });
        }
        let unit = words::unit(w)?;
        if words::is_plural_unit(w) {
            return None;
        }
        let gran = unit.gran?;
        if gran == Gran::Day {
            return None; // "this day", "next day": anaphoric, not deictic
        }
        let p = dct.map(|d| Point::day(d).at(gran).shift(shift));
        // "the current year": TimeML's extent takes the article in.
        let start = if self.w(i) == "current" && i > 0 && self.w(i - 1) == "the" {
            i - 1
        } else {
            i
        };
        Some(match p {
            Some(p) => date_hit(start, k + 1, p, "deictic-unit"),
            None => hit(
                start,
                k + 1,
                TimexType::Date,
                unanchored(gran),
                "deictic-unit",
            ),
        })
    }

    /// "two years ago", "a week ago", "three days from now".
    fn ago(&self, i: usize) -> Option<Hit> {
        let (n, k) = self.quantity(i)?;
        let unit = words::unit(self.w(k))?;
        let after = self.w(k + 1);
        let sign = match (after, self.w(k + 2)) {
            ("ago", _) => -1,
            ("from", "now") => 1,
            _ => return None,
        };
        let end = if after == "ago" { k + 2 } else { k + 3 };
        let gran = unit.gran.unwrap_or(Gran::Day);
        let n = n.unwrap_or(1.0);
        if n.fract() != 0.0 {
            return None;
        }
        let n = n as i64;
        // In reports on a period ("a year ago" next to "the third quarter")
        // the reference period is meant; otherwise the publication date.
        let base = match (gran, self.ctx.reference) {
            (Gran::Year, Some(r)) if r.gran == Gran::Quarter => Some(r),
            _ => self.ctx.dct.map(|d| Point::day(d).at(gran)),
        };
        let (steps, base) = match (gran, base) {
            (Gran::Year, Some(b)) if b.gran == Gran::Quarter => (4 * n, Some(b)),
            (Gran::Decade, Some(b)) => (n, Some(b)),
            (_, b) => (n, b),
        };
        Some(match base {
            Some(b) => date_hit(i, end, b.shift(sign * steps), "ago"),
            None => hit(i, end, TimexType::Date, unanchored(gran), "ago"),
        })
    }

    /// Expressions relative to the last date mentioned: "a year earlier",
    /// "the day before", "the next day", "year-earlier", "that day".
    fn anaphoric(&self, i: usize) -> Option<Hit> {
        let reference = self.ctx.reference.or(self.ctx.dct.map(Point::day));
        let w = self.w(i);
        if matches!(w, "year-earlier" | "year-ago") {
            let r = reference?;
            let dct_year = self.ctx.dct.map(|d| d.year);
            let p = if r.gran == Gran::Quarter {
                r.shift(-4)
            } else if r.gran == Gran::Year && dct_year.is_some_and(|y| r.date.year < y) {
                // The reference is already last year's ("the 1988 period
                // … the year-ago period"): not a year before it again.
                r
            } else {
                r.at(Gran::Year).shift(-1)
            };
            let end = if matches!(self.w(i + 1), "period" | "quarter" | "level" | "levels")
                && self.w(i + 1) != "level"
            {
                i + 2
            } else {
                i + 1
            };
            return Some(date_hit(i, end, p, "year-earlier"));
        }
        if w == "the" {
            let (a, b) = (self.w(i + 1), self.w(i + 2));
            let shift = match (a, b) {
                ("day", "before") | ("previous", "day") | ("preceding", "day") => Some(-1),
                ("day", "after") | ("next", "day") | ("following", "day") => Some(1),
                ("same", "day") => Some(0),
                _ => None,
            };
            if let Some(s) = shift {
                let r = reference?.at(Gran::Day);
                return Some(date_hit(i, i + 3, r.shift(s), "anaphoric-day"));
            }
            if matches!(a, "next" | "following") && words::part_of_day(b).is_some() {
                let r = reference?.at(Gran::Day).shift(1);
                return Some(date_hit(i, i + 3, r, "anaphoric-day"));
            }
            // "the following year", "the previous month": the unit after or
            // before the one under discussion (the last date mentioned),
            // only when the text has mentioned one.
            if let (Some(r), Some(gran)) = (
                self.ctx.reference,
                words::unit(b)
                    .filter(|_| !words::is_plural_unit(b))
                    .and_then(|u| u.gran),
            ) {
                let shift = match a {
                    "following" => Some(1),
                    "previous" | "preceding" | "prior" => Some(-1),
                    _ => None,
                };
                if let Some(n) = shift {
                    if !matches!(gran, Gran::Day) {
                        return Some(date_hit(i, i + 3, r.at(gran).shift(n), "anaphoric-unit"));
                    }
                }
            }
        }
        if w == "that" && self.w(i + 1) == "day" {
            let r = reference?.at(Gran::Day);
            return Some(date_hit(i, i + 2, r, "anaphoric-day"));
        }
        // "a year earlier", "two months later", "a week before"
        let (n, k) = self.quantity(i)?;
        let unit = words::unit(self.w(k))?;
        let sign = match self.w(k + 1) {
            "earlier" | "previously" => -1,
            "later" | "afterwards" => 1,
            // "a week before" ends the clause; "13 days after the bombings"
            // is a duration before an event, left to the duration rule.
            "before" | "after" if matches!(self.w(k + 2), "" | "," | "." | ";" | "and" | "but") => {
                if self.w(k + 1) == "before" {
                    -1
                } else {
                    1
                }
            }
            _ => return None,
        };
        let n = n.unwrap_or(1.0);
        if n.fract() != 0.0 {
            return None;
        }
        let r = reference?;
        let n = sign * n as i64;
        let p = match unit.gran.unwrap_or(Gran::Day) {
            Gran::Year if r.gran == Gran::Quarter => r.shift(4 * n),
            // Keep the reference's precision: a day a year earlier is a day.
            Gran::Year => r.pipe_shift_years(n),
            Gran::Month if r.gran == Gran::Day => Point::day(crate::point::add_months(r.date, n)),
            Gran::Week if r.gran == Gran::Day => r.shift(7 * n),
            gran => r.at(gran).shift(n),
        };
        Some(date_hit(i, k + 2, p, "anaphoric-shift"))
    }

    /// A count at `i`: (`Some(n)` or `None` for "several"/"a few", next index).
    fn quantity(&self, i: usize) -> Option<(Option<f64>, usize)> {
        let w = self.w(i);
        if w == "a" && self.w(i + 1) == "few" {
            return Some((None, i + 2));
        }
        if w == "a" && self.w(i + 1) == "couple" && self.w(i + 2) == "of" {
            return Some((Some(2.0), i + 3));
        }
        if words::vague_quantity(w) {
            return Some((None, i + 1));
        }
        let n = words::number(w)?;
        // "2 1/2 years"
        if self.w(i + 1) == "1/2" {
            return Some((Some(n + 0.5), i + 2));
        }
        // "twenty four hours"
        if n >= 20.0 && n % 10.0 == 0.0 {
            if let Some(o) = words::number(self.w(i + 1))
                .filter(|o| *o >= 1.0 && *o < 10.0 && self.w(i + 1) != "a")
            {
                return Some((Some(n + o), i + 2));
            }
        }
        Some((Some(n), i + 1))
    }

    /// Fixed and computable holidays: "Christmas", "Thanksgiving Day",
    /// "Election Day" (US), "Easter", "New Year's Day", "Victory Day".
    fn holiday(&self, i: usize) -> Option<Hit> {
        let (w, next) = (self.w(i), self.w(i + 1));
        let (mut end, key) = match (w, next) {
            ("new", "year") if self.w(i + 2) == "'s" && self.w(i + 3) == "day" => {
                (i + 4, "newyear")
            }
            ("christmas", _) | ("thanksgiving", _) | ("easter", _) | ("halloween", _) => (i + 1, w),
            ("election", "day") | ("victory", "day") | ("independence", "day") => (i + 2, w),
            _ => return None,
        };
        if !self.cap(i) {
            return None;
        }
        if matches!(key, "christmas" | "thanksgiving" | "easter")
            && matches!(self.w(end), "day" | "eve")
        {
            end += 1;
        }
        let eve = self.w(end - 1) == "eve";
        let mut year = self.ctx.dct.map(|d| d.year);
        if let Some(y) = self.year_number(end) {
            year = Some(y);
            end += 1;
        }
        let y = year?;
        let date = self.holiday_in(key, y, eve)?;
        // Without a year, the most recent occurrence (the coming one in a
        // future sentence).
        let date = match (self.year_number(end - 1).is_some(), self.ctx.dct) {
            (false, Some(dct)) if date > dct && !self.future_at(i) => {
                self.holiday_in(key, y - 1, eve).unwrap_or(date)
            }
            _ => date,
        };
        Some(date_hit(i, end, Point::day(date), "holiday"))
    }

    fn holiday_in(&self, key: &str, y: i32, eve: bool) -> Option<Date> {
        Some(match key {
            "christmas" => Date::new(y, 12, if eve { 24 } else { 25 }).ok()?,
            "newyear" => Date::new(y, 1, 1).ok()?,
            "halloween" => Date::new(y, 10, 31).ok()?,
            "victory" => Date::new(y, 5, 9).ok()?,
            "independence" => Date::new(y, 7, 4).ok()?,
            "thanksgiving" => nth_weekday(y, 11, 3, 4)?,
            "election" => nth_weekday(y, 11, 0, 1)?.add_days(1),
            "easter" => easter(y)?,
            _ => return None,
        })
    }

    // ----- durations -----------------------------------------------------

    fn duration(&self, i: usize) -> Option<Hit> {
        // One-token adjectives: "20-month", "two-year", "16-hour"; and
        // "day-long", "decades-long".
        let w = self.w(i);
        // Ages ("45-year-old") are not time expressions in TimeML news.
        if let Some(base) = w.strip_suffix("-long") {
            if let Some(u) = words::unit(base) {
                let n = if words::is_plural_unit(base) {
                    None
                } else {
                    Some(1.0)
                };
                return Some(hit(
                    i,
                    i + 1,
                    TimexType::Duration,
                    duration_value(n, u),
                    "unit-long",
                ));
            }
        }
        if let Some((num, unit)) = w.rsplit_once('-') {
            let (n, u) = (words::number(num), words::unit(unit));
            if let (Some(n), Some(u)) = (n, u) {
                if !words::is_plural_unit(unit) {
                    return Some(hit(
                        i,
                        i + 1,
                        TimexType::Duration,
                        duration_value(Some(n), u),
                        "number-unit-adjective",
                    ));
                }
            }
        }
        let mut k = i;
        let mut determined = false;
        if matches!(self.w(k), "the" | "these" | "those") {
            determined = true;
            k += 1;
        }
        let mut qualified = false;
        if matches!(
            self.w(k),
            "past"
                | "last"
                | "next"
                | "first"
                | "coming"
                | "previous"
                | "final"
                | "following"
                | "latest"
                | "initial"
                | "remaining"
                | "same"
        ) {
            qualified = true;
            k += 1;
        }
        let quantity = self.quantity(k).map(|(n, mut uk)| {
            // "two more weeks", "an additional year", "eight trading days"
            while matches!(
                self.w(uk),
                "more"
                    | "additional"
                    | "extra"
                    | "further"
                    | "trading"
                    | "business"
                    | "working"
                    | "calendar"
                    | "straight"
                    | "consecutive"
                    | "full"
            ) {
                uk += 1;
            }
            (n, uk)
        });
        let (n, uk) = match quantity {
            Some((n, uk)) if words::unit(self.w(uk)).is_some() => (n, uk),
            _ => {
                // "the past year", "the next week"
                if determined
                    && qualified
                    && words::unit(self.w(k)).is_some()
                    && !words::is_plural_unit(self.w(k))
                {
                    (Some(1.0), k)
                } else if (determined || qualified)
                    && words::is_plural_unit(self.w(k))
                    && self.w(k) != "hours"
                    || (qualified && words::is_plural_unit(self.w(k)))
                {
                    (None, k)
                } else if k == i
                    && words::is_plural_unit(self.w(k))
                    && i > 0
                    && matches!(self.w(i - 1), "for" | "within")
                {
                    // "for years", "within weeks"
                    (None, k)
                } else {
                    return None;
                }
            }
        };
        let unit_word = self.w(uk);
        let unit = words::unit(unit_word)?;
        if unit.letter == "WE" {
            return None;
        }
        let after = self.w(uk + 1);
        // "a second group", "the second round": an ordinal; "more than a
        // quarter of the vote": a fraction.
        if n == Some(1.0) && matches!(self.w(k), "a" | "an") {
            let ordinal = unit_word == "second"
                && !matches!(
                    after,
                    "" | "ago"
                        | "later"
                        | "earlier"
                        | "before"
                        | "after"
                        | "or"
                        | "and"
                        | ","
                        | "."
                        | ";"
                        | "longer"
                        | "too"
                        | "more"
                        | "to"
                        | "of"
                        | "in"
                        | "for"
                )
                && after.chars().all(char::is_alphabetic);
            let fraction = unit_word == "quarter" && after == "of";
            if ordinal || fraction {
                return None;
            }
        }
        // "60 Minutes", "48 Hours": a capitalised unit inside a sentence is
        // a name (of a programme, a film).
        if self
            .tok_text(uk)
            .is_some_and(|t| t.chars().next().is_some_and(char::is_uppercase))
            && uk > 0
            && !matches!(self.w(uk - 1), "." | "!" | "?")
            && unit.time
        {
            return None;
        }
        // "a day" alone is too often a rate ("twice a day"): leave it to SET.
        if n == Some(1.0)
            && matches!(self.w(i), "a" | "an")
            && i > 0
            && matches!(self.w(i - 1), "once" | "twice" | "times" | "thrice" | "per")
        {
            return None;
        }
        if !determined
            && !qualified
            && n.is_none()
            && quantity.is_none()
            && !(i > 0 && matches!(self.w(i - 1), "for" | "within"))
        {
            return None;
        }
        let mut end = uk + 1;
        if matches!(self.w(end), "ahead") {
            end += 1;
        }
        // Not a duration: "two years ago", "a year earlier" (relative dates).
        if matches!(self.w(uk + 1), "ago" | "earlier" | "later") && !determined {
            return None;
        }
        // Ages ("52 years old") are not time expressions in TimeML news.
        if self.w(uk + 1) == "old" {
            return None;
        }
        // A rate ("358,000 a month", "four flights a week") is not a duration.
        if n == Some(1.0) && matches!(self.w(i), "a" | "an") && i > 0 {
            let frames = matches!(
                self.w(i - 1),
                "for"
                    | "within"
                    | "in"
                    | "about"
                    | "nearly"
                    | "almost"
                    | "than"
                    | "over"
                    | "under"
                    | "around"
                    | "after"
                    | "before"
                    | "of"
                    | "least"
                    | "roughly"
                    | "only"
                    | "just"
                    | "some"
                    | "last"
                    | "past"
                    | "("
            );
            if !frames {
                return None;
            }
        }
        let rule = if determined || qualified {
            "determined-duration"
        } else {
            "number-unit"
        };
        Some(hit(
            i,
            end,
            TimexType::Duration,
            duration_value(n, unit),
            rule,
        ))
    }

    // ----- clock times ---------------------------------------------------

    fn clock_time(&self, i: usize) -> Option<Hit> {
        let w = self.w(i);
        let (mut hour, mut minute, mut k) = if let Some((h, m)) = w.split_once(':') {
            let h: u32 = h.parse().ok()?;
            let m: u32 = m.get(..2)?.parse().ok()?;
            (h, m, i + 1)
        } else if w == "noon" || w == "midday" {
            (12, 0, i + 1)
        } else if w == "midnight" {
            (24, 0, i + 1)
        } else if let Ok(h) = w.parse::<u32>() {
            let meridiem = matches!(self.w(i + 1), "a.m." | "p.m." | "am" | "pm" | "a.m" | "p.m");
            let military = w.len() == 4 && TIME_ZONES.contains(&self.w(i + 1));
            if military {
                (h / 100, h % 100, i + 1)
            } else if meridiem {
                (h, 0, i + 1)
            } else {
                return None;
            }
        } else {
            return None;
        };
        match self.w(k) {
            "a.m." | "am" | "a.m" => {
                if hour == 12 {
                    hour = 0;
                }
                k += 1;
            }
            "p.m." | "pm" | "p.m" => {
                if hour < 12 {
                    hour += 12;
                }
                k += 1;
            }
            _ => {}
        }
        if hour > 24 || minute > 59 {
            return None;
        }
        if TIME_ZONES.contains(&self.w(k)) {
            k += 1;
        } else if self.w(k + 1) == "time" && (self.w(k) == "local" || self.cap(k)) {
            k += 2;
        }
        if hour == 24 {
            hour = 24;
            minute = 0;
        }
        // "noon Thursday", "10 p.m. Wednesday": the day follows the time.
        let following_day = self
            .weekday_expr(k)
            .filter(|h| h.kind == TimexType::Date && h.end == k + 1);
        let day = match &following_day {
            Some(h) => h.point,
            None => self
                .ctx
                .reference
                .filter(|r| r.gran == Gran::Day)
                .or(self.ctx.dct.map(Point::day)),
        };
        if following_day.is_some() {
            k += 1;
        }
        let date = day
            .map(|d| d.value())
            .unwrap_or_else(|| "XXXX-XX-XX".into());
        Some(hit(
            i,
            k,
            TimexType::Time,
            format!("{date}T{hour:02}:{minute:02}"),
            "clock",
        ))
    }

    // ----- sets ----------------------------------------------------------

    fn set(&self, i: usize) -> Option<Hit> {
        let w = self.w(i);
        let simple = match w {
            "daily" | "nightly" => Some("P1D"),
            "weekly" => Some("P1W"),
            "monthly" => Some("P1M"),
            "annually" | "yearly" | "annual" => Some("P1Y"),
            "hourly" => Some("PT1H"),
            "quarterly" => Some("P3M"),
            _ => None,
        };
        if let Some(v) = simple {
            // "annual report", "quarterly dividend", "the party daily Granma":
            // adjectives and nouns, not recurrences.
            let next = self.w(i + 1);
            let adjective = next.chars().next().is_some_and(char::is_alphanumeric)
                && !matches!(
                    next,
                    "and"
                        | "or"
                        | "but"
                        | "since"
                        | "for"
                        | "until"
                        | "at"
                        | "in"
                        | "on"
                        | "to"
                        | "by"
                        | "from"
                        | "basis"
                        | "through"
                );
            if w == "annual" || adjective {
                return None;
            }
            return Some(hit(i, i + 1, TimexType::Set, v.into(), "set-adverb"));
        }
        if matches!(w, "every" | "each") {
            let mut k = i + 1;
            let mut n = 1.0;
            if self.w(k) == "other" {
                n = 2.0;
                k += 1;
            } else if let Some(x) = words::number(self.w(k)).filter(|_| self.w(k) != "a") {
                n = x;
                k += 1;
            }
            if let Some(wd) = words::weekday(self.w(k)) {
                return Some(hit(
                    i,
                    k + 1,
                    TimexType::Set,
                    format!("XXXX-WXX-{}", wd + 1),
                    "set-every-weekday",
                ));
            }
            if let Some(pod) = words::part_of_day(self.w(k)) {
                return Some(hit(
                    i,
                    k + 1,
                    TimexType::Set,
                    format!("TXX{pod}"),
                    "set-every-part",
                ));
            }
            let unit = words::unit(self.w(k))?;
            return Some(hit(
                i,
                k + 1,
                TimexType::Set,
                duration_value(Some(n), unit),
                "set-every",
            ));
        }
        if matches!(w, "a" | "per")
            && i > 0
            && matches!(self.w(i - 1), "once" | "twice" | "thrice" | "times")
        {
            let unit = words::unit(self.w(i + 1))?;
            return Some(hit(
                i,
                i + 2,
                TimexType::Set,
                duration_value(Some(1.0), unit),
                "set-rate",
            ));
        }
        None
    }
}

/// Words some recogniser starts with, sorted for binary search (besides numbers, months, weekdays,
/// seasons, ordinals and units, which are checked through `words`).
const STARTERS: &[&str] = &[
    "a",
    "about",
    "almost",
    "an",
    "annual",
    "annually",
    "approximately",
    "around",
    "at",
    "christmas",
    "coming",
    "current",
    "currently",
    "daily",
    "each",
    "earlier",
    "early",
    "easter",
    "election",
    "every",
    "fewer",
    "final",
    "first",
    "fiscal",
    "following",
    "future",
    "halloween",
    "hourly",
    "independence",
    "initial",
    "last",
    "late",
    "lately",
    "later",
    "latest",
    "less",
    "longer",
    "mid",
    "midday",
    "midnight",
    "monthly",
    "more",
    "nearly",
    "new",
    "next",
    "nightly",
    "no",
    "noon",
    "now",
    "nowadays",
    "over",
    "past",
    "per",
    "presently",
    "previous",
    "quarterly",
    "recent",
    "recently",
    "remaining",
    "roughly",
    "same",
    "shorter",
    "some",
    "soon",
    "thanksgiving",
    "that",
    "the",
    "these",
    "this",
    "those",
    "today",
    "tomorrow",
    "tonight",
    "under",
    "up",
    "victory",
    "weekly",
    "yearly",
    "yesterday",
];

/// Whether a time expression can start with this (lower-cased) token: a
/// number, a hyphenated compound, or a word some recogniser begins with.
/// A fast filter only; the recognisers decide.
fn could_start(w: &str) -> bool {
    static WORDS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let sorted = WORDS.get_or_init(|| {
        let mut v: Vec<&'static str> = STARTERS.iter().chain(words::VOCABULARY).copied().collect();
        v.sort_unstable();
        v.dedup();
        v
    });
    w.bytes().next().is_some_and(|b| b.is_ascii_digit())
        || w.contains('-')
        || sorted.binary_search(&w).is_ok()
}

/// The ISO 8601 duration for `n` units (`None`: unspecified, "X").
pub fn duration_value(n: Option<f64>, unit: Unit) -> String {
    let (n, letter) = match (n, unit.letter) {
        (Some(n), "DE") => (Some(n * 10.0), "Y"),
        (Some(n), "CE") => (Some(n * 100.0), "Y"),
        (Some(n), "Q") => (Some(n * 3.0), "M"),
        (n, l) => (n, l),
    };
    // Half units in the next unit down, as ISO 8601 writes them:
    // "5 1/2 hours" → PT5H30M, "1.5 years" → P1Y6M.
    if let Some(n) = n.filter(|n| n.fract() == 0.5) {
        let whole = n.trunc() as i64;
        let lead = |s: &str| {
            if whole > 0 {
                format!("{whole}{s}")
            } else {
                String::new()
            }
        };
        let half = match (letter, unit.time) {
            ("H", true) => Some(format!("PT{}30M", lead("H"))),
            ("M", true) => Some(format!("PT{}30S", lead("M"))),
            ("Y", false) => Some(format!("P{}6M", lead("Y"))),
            ("D", false) => Some(format!("P{}T12H", lead("D"))),
            _ => None,
        };
        if let Some(v) = half {
            return v;
        }
    }
    let amount = n.map(words::amount).unwrap_or_else(|| "X".into());
    if unit.time {
        format!("PT{amount}{letter}")
    } else {
        format!("P{amount}{letter}")
    }
}

/// The `n`-th `weekday` (0 = Monday) of a month.
fn nth_weekday(year: i32, month: u32, weekday: u32, n: u32) -> Option<Date> {
    let first = Date::new(year, month, 1).ok()?;
    let offset = (weekday as i64 - first.weekday() as i64).rem_euclid(7);
    Some(first.add_days(offset + 7 * (n as i64 - 1)))
}

/// Western Easter Sunday (the anonymous Gregorian computus).
fn easter(y: i32) -> Option<Date> {
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::new(y, month as u32, day as u32).ok()
}

trait ShiftYears {
    fn pipe_shift_years(self, n: i64) -> Point;
}

impl ShiftYears for Point {
    /// Moves a point by `n` years whatever its granularity.
    fn pipe_shift_years(self, n: i64) -> Point {
        Point {
            date: crate::point::add_months(self.date, 12 * n),
            gran: self.gran,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn starters_are_sorted_for_binary_search() {
        assert!(super::STARTERS.windows(2).all(|w| w[0] < w[1]));
    }
}

#[cfg(test)]
mod duration_tests {
    use super::*;

    #[test]
    fn half_units_go_down_a_unit() {
        let u = |w| words::unit(w).unwrap();
        assert_eq!(duration_value(Some(5.5), u("hours")), "PT5H30M");
        assert_eq!(duration_value(Some(1.5), u("years")), "P1Y6M");
        assert_eq!(duration_value(Some(0.5), u("day")), "PT12H");
        assert_eq!(duration_value(Some(2.0), u("decades")), "P20Y");
        assert_eq!(duration_value(None, u("weeks")), "PXW");
    }
}
