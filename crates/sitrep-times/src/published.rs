//! The `published` stage: the publication date from the text, when the
//! input did not give one.
//!
//! Evidence, strongest first (`published_source` says which decided):
//! 1. a **dateline** at the head of the text ("KYIV, Oct. 30, 2023
//!    (Reuters) —"); without a year there, the year comes from the
//!    evidence below (`dateline`);
//! 2. a **weekday with day and month** ("Monday 30 October"): the weekday
//!    fixes the year among those near the latest year the text mentions
//!    (`inferred`);
//! 3. the **latest full date** the text mentions, a lower bound used as
//!    the best guess (`inferred`).
//!
//! Years in boilerplate — copyright lines, "All rights reserved" — are
//! weak evidence: they never decide and never bound, since sites stamp
//! the current year on old articles.

use sitrep_core::{Date, Doc, Layer, PublishedSource, Stage, TimexType};

use crate::grammar::{Ctx, Grammar, Hit, Tok};
use crate::words;

/// The publication-date stage.
#[derive(Debug, Clone, Copy, Default)]
pub struct PublicationDate;

/// What the text says about dates, gathered in one pass.
#[derive(Debug, Default)]
struct Evidence {
    /// Dateline: (month, day, year if written).
    dateline: Option<(u32, u32, Option<i32>)>,
    /// Weekday + day + month mentions: (weekday, month, day).
    weekday_dates: Vec<(u32, u32, u32)>,
    /// Full dates outside boilerplate.
    full_dates: Vec<Date>,
    /// Years outside boilerplate.
    years: Vec<i32>,
}

fn is_boilerplate(sentence: &str) -> bool {
    let s = sentence.to_lowercase();
    s.contains('©') || s.contains("copyright") || s.contains("all rights reserved")
}

impl Stage for PublicationDate {
    fn name(&self) -> &'static str {
        "published"
    }
    fn requires(&self) -> &'static [Layer] {
        &[Layer::Sentences, Layer::Tokens]
    }
    fn assigns(&self) -> &'static [Layer] {
        &[Layer::Published]
    }
    fn run(&self, doc: &mut Doc) {
        if doc.published.is_some() {
            return;
        }
        let evidence = gather(doc);
        if let Some((date, source)) = decide(&evidence) {
            doc.published = Some(date);
            doc.published_source = source;
        }
    }
}

fn gather(doc: &Doc) -> Evidence {
    let mut ev = Evidence::default();
    let mut next_token = 0;
    for (si, s) in doc.sentences.iter().enumerate() {
        let toks = doc.sentence_tokens(s, &mut next_token);
        if is_boilerplate(&s.text) {
            continue;
        }
        let ctx = Ctx {
            dct: None,
            future: false,
            reference: None,
        };
        // Only calendar dates matter here: try the grammar where one can
        // start (a number, a month or a weekday), not at every token.
        let grammar = Grammar::new(&toks, ctx);
        let mut hits = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            let w = toks[i].lower;
            let candidate = w.bytes().next().is_some_and(|b| b.is_ascii_digit())
                || words::month(w).is_some()
                || words::weekday_full(w).is_some();
            match if candidate { grammar.at(i) } else { None } {
                Some(h) if h.end > i => {
                    i = h.end;
                    hits.push(h);
                }
                _ => i += 1,
            }
        }
        for h in &hits {
            if h.kind != TimexType::Date {
                continue;
            }
            let parsed = parse_value(&h.value);
            match parsed {
                Some((Some(y), Some(m), Some(d))) => {
                    if let Ok(date) = Date::new(y, m, d) {
                        ev.full_dates.push(date);
                    }
                    ev.years.push(y);
                }
                Some((Some(y), _, _)) if h.value.len() >= 4 => ev.years.push(y),
                _ => {}
            }
            if let (Some((None, Some(m), Some(d))), Some(wd)) =
                (parsed, words::weekday_full(toks[h.first].lower))
            {
                ev.weekday_dates.push((wd, m, d));
            }
        }
        if si == 0 {
            ev.dateline = dateline(&toks, &hits);
        }
    }
    ev
}

/// Year, month, day of a DATE value (`XXXX` parts as `None`).
fn parse_value(v: &str) -> Option<(Option<i32>, Option<u32>, Option<u32>)> {
    let mut parts = v.split('-');
    let y = parts.next()?;
    let y = (y.len() == 4).then(|| y.parse().ok()).flatten();
    let m = parts.next().and_then(|m| m.parse().ok());
    let d = parts.next().and_then(|d| d.get(..2)?.parse().ok());
    Some((y, m, d))
}

/// A date right after the opening place names of the first sentence and
/// before "(Agency)" or a dash: "ODESA, Ukraine, Oct. 30 (Reuters) —".
fn dateline(toks: &[Tok], hits: &[Hit]) -> Option<(u32, u32, Option<i32>)> {
    let h = hits.first()?;
    if h.first == 0 || h.first > 6 || h.kind != TimexType::Date {
        return None;
    }
    // Everything before the date: capitalised words and commas.
    let head_ok = toks[..h.first]
        .iter()
        .all(|t| t.capitalised || matches!(t.lower, "," | "/" | "-"))
        && toks[h.first - 1].lower == ",";
    let after = toks.get(h.end).map(|t| t.lower).unwrap_or("");
    if !head_ok || !matches!(after, "(" | "-" | "--" | "—" | "–" | "_" | ":") {
        return None;
    }
    let (y, m, d) = parse_value(&h.value)?;
    Some((m?, d?, y))
}

/// Years near `anchor` (±`span`) in which `month`/`day` falls on `weekday`,
/// nearest first, later years first on ties.
fn years_with_weekday(weekday: u32, month: u32, day: u32, anchor: i32, span: i32) -> Vec<i32> {
    let mut ys: Vec<i32> = (anchor - span..=anchor + span)
        .filter(|&y| Date::new(y, month, day).is_ok_and(|d| d.weekday() == weekday))
        .collect();
    ys.sort_by_key(|&y| ((y - anchor).abs(), -y));
    ys
}

fn decide(ev: &Evidence) -> Option<(Date, PublishedSource)> {
    let latest_year = ev.years.iter().copied().max();
    let latest_date = ev.full_dates.iter().copied().max();
    // The year a weekday mention fixes, near the latest year mentioned.
    let weekday_year = |(wd, m, d): (u32, u32, u32)| -> Option<i32> {
        let anchor = latest_year?;
        years_with_weekday(wd, m, d, anchor, 6)
            .into_iter()
            .find(|&y| y >= anchor)
            .or_else(|| years_with_weekday(wd, m, d, anchor, 6).into_iter().next())
    };
    if let Some((m, d, y)) = ev.dateline {
        let y = y
            .or_else(|| {
                ev.weekday_dates
                    .iter()
                    .find(|&&(_, wm, wd)| (wm, wd) == (m, d))
                    .and_then(|&w| weekday_year(w))
            })
            .or(latest_year);
        if let Some(date) = y.and_then(|y| Date::new(y, m, d).ok()) {
            return Some((date, PublishedSource::Dateline));
        }
    }
    if let Some(&w) = ev.weekday_dates.first() {
        if let Some(date) = weekday_year(w).and_then(|y| Date::new(y, w.1, w.2).ok()) {
            return Some((date, PublishedSource::Inferred));
        }
    }
    latest_date.map(|d| (d, PublishedSource::Inferred))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekday_fixes_the_year() {
        assert_eq!(years_with_weekday(0, 10, 30, 2023, 6)[0], 2023);
        assert_eq!(years_with_weekday(0, 10, 30, 2024, 6)[0], 2023);
    }
}
