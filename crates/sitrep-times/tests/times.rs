//! The times stage on sentences written for these tests.

use sitrep_core::{Doc, Stage};

fn times(text: &str, published: Option<&str>) -> Vec<(String, String, String, Option<String>)> {
    let mut doc = Doc::new("t", text);
    doc.published = published.map(|p| p.parse().unwrap());
    sitrep_text::Segmenter::new().run(&mut doc);
    sitrep_times::Times.run(&mut doc);
    doc.check().expect("times keep the span invariants");
    doc.times
        .iter()
        .map(|t| {
            let kind = serde_kind(t.kind);
            (t.text.clone(), kind, t.value.clone(), t.modifier.clone())
        })
        .collect()
}

fn serde_kind(k: sitrep_core::TimexType) -> String {
    format!("{k:?}").to_uppercase()
}

#[track_caller]
fn assert_times(text: &str, published: Option<&str>, expected: &[(&str, &str, &str)]) {
    let got = times(text, published);
    let got: Vec<(&str, &str, &str)> = got
        .iter()
        .map(|(a, b, c, _)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    assert_eq!(got, expected, "\ninput: {text:?}");
}

const MONDAY: Option<&str> = Some("2023-10-30");

#[test]
fn relative_dates_anchor_on_the_publication_date() {
    assert_times(
        "This morning, Monday 30 October, the minister said the talks failed yesterday and resume today.",
        MONDAY,
        &[
            ("This morning", "TIME", "2023-10-30TMO"),
            ("Monday 30 October", "DATE", "2023-10-30"),
            ("yesterday", "DATE", "2023-10-29"),
            ("today", "DATE", "2023-10-30"),
        ],
    );
    assert_times(
        "In June the brigade withdrew; the town fell in May 2023 and has been held since 2014.",
        MONDAY,
        &[
            ("June", "DATE", "2023-06"),
            ("May 2023", "DATE", "2023-05"),
            ("2014", "DATE", "2014"),
        ],
    );
    assert_times(
        "Last week, last month and last year differ from next year.",
        MONDAY,
        &[
            ("Last week", "DATE", "2023-W43"),
            ("last month", "DATE", "2023-09"),
            ("last year", "DATE", "2022"),
            ("next year", "DATE", "2024"),
        ],
    );
}

#[test]
fn weekdays_look_back_unless_the_sentence_is_future() {
    assert_times(
        "The convoy was hit on Friday.",
        MONDAY,
        &[("Friday", "DATE", "2023-10-27")],
    );
    assert_times(
        "The delegations will meet on Friday.",
        MONDAY,
        &[("Friday", "DATE", "2023-11-03")],
    );
    assert_times(
        "He spoke Monday.",
        MONDAY,
        &[("Monday", "DATE", "2023-10-30")],
    );
}

#[test]
fn durations_with_their_modifiers() {
    let got = times(
        "In the last 36 hours, after the 20-month war, more than 20 years and about two weeks passed.",
        MONDAY,
    );
    let want = [
        ("the last 36 hours", "DURATION", "PT36H", None),
        ("20-month", "DURATION", "P20M", None),
        ("more than 20 years", "DURATION", "P20Y", Some("MORE_THAN")),
        ("about two weeks", "DURATION", "P2W", Some("APPROX")),
    ];
    assert_eq!(got.len(), want.len(), "{got:?}");
    for (g, w) in got.iter().zip(want) {
        assert_eq!(
            (g.0.as_str(), g.1.as_str(), g.2.as_str(), g.3.as_deref()),
            w
        );
    }
}

#[test]
fn quarters_and_comparisons_follow_the_period_under_discussion() {
    assert_times(
        "Profit rose in the third quarter from $5 million a year earlier.",
        Some("1989-10-26"),
        &[
            ("the third quarter", "DATE", "1989-Q3"),
            ("a year earlier", "DATE", "1988-Q3"),
        ],
    );
    assert_times(
        "Fourth-quarter sales fell.",
        Some("1990-02-10"),
        &[("Fourth-quarter", "DATE", "1989-Q4")],
    );
}

#[test]
fn explicit_dates_in_news_formats() {
    assert_times(
        "On Oct. 30, 2023 and on 2023-11-02 and on 5 November and on Nov. 7 the line held.",
        MONDAY,
        &[
            ("Oct. 30, 2023", "DATE", "2023-10-30"),
            ("2023-11-02", "DATE", "2023-11-02"),
            ("5 November", "DATE", "2023-11-05"),
            ("Nov. 7", "DATE", "2023-11-07"),
        ],
    );
    assert_times(
        "Fighting peaked in the 1990s, then at Christmas.",
        MONDAY,
        &[
            ("1990s", "DATE", "199"),
            ("Christmas", "DATE", "2022-12-25"),
        ],
    );
    assert_times(
        "Talks will resume in mid-November, before Christmas.",
        MONDAY,
        &[
            ("mid-November", "DATE", "2023-11"),
            ("Christmas", "DATE", "2023-12-25"),
        ],
    );
}

#[test]
fn clock_times_and_sets() {
    assert_times(
        "Sirens sounded at 5 a.m. Kyiv time and the shelling continues daily, every two weeks.",
        MONDAY,
        &[
            ("5 a.m. Kyiv time", "TIME", "2023-10-30T05:00"),
            ("daily", "SET", "P1D"),
            ("every two weeks", "SET", "P2W"),
        ],
    );
}

#[test]
fn without_a_publication_date_unknowns_stay_unknown() {
    assert_times(
        "This morning, Monday 30 October, he said the war started two years ago.",
        None,
        &[
            ("This morning", "TIME", "XXXX-XX-XXTMO"),
            ("Monday 30 October", "DATE", "XXXX-10-30"),
            ("two years ago", "DATE", "XXXX"),
        ],
    );
}

#[test]
fn numbers_that_are_not_years_are_left_alone() {
    assert_times(
        "Some 2000 troops and 1990 people fled; $2023 was paid.",
        MONDAY,
        &[],
    );
}

/// The seed article, when the shared examples are beside the repository.
#[test]
fn seed_article_times() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/examples/seed-article.txt"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipped: {path} not present");
        return;
    };
    let got = times(&text, MONDAY);
    let find = |t: &str| {
        got.iter()
            .find(|g| g.0 == t)
            .map(|g| g.2.as_str())
            .unwrap_or_else(|| panic!("{t:?} not found in {got:?}"))
    };
    assert_eq!(find("This morning"), "2023-10-30TMO");
    assert_eq!(find("Monday 30 October"), "2023-10-30");
    assert_eq!(find("today"), "2023-10-30");
    assert_eq!(find("June"), "2023-06");
    assert_eq!(find("May 2023"), "2023-05");
    assert_eq!(find("2014"), "2014");
    assert_eq!(find("20-month"), "P20M");
    assert_eq!(find("the last 36 hours"), "PT36H");
}

fn published(text: &str) -> (Option<String>, String) {
    let mut doc = Doc::new("t", text);
    sitrep_text::Segmenter::new().run(&mut doc);
    sitrep_times::PublicationDate.run(&mut doc);
    let source = serde_json_value(doc.published_source);
    (doc.published.map(|d| d.to_string()), source)
}

fn serde_json_value(s: sitrep_core::PublishedSource) -> String {
    format!("{s:?}").to_lowercase()
}

#[test]
fn publication_date_from_a_weekday_not_from_the_copyright_line() {
    let text = "This morning, Monday 30 October, the minister spoke.\nThe town fell in May 2023.\n© Copyright Example News 2024. All rights reserved.";
    assert_eq!(
        published(text),
        (Some("2023-10-30".into()), "inferred".into())
    );
}

#[test]
fn publication_date_from_a_dateline() {
    assert_eq!(
        published("ODESA, Ukraine, Oct. 30, 2023 (Example Wire) — Drones struck the port."),
        (Some("2023-10-30".into()), "dateline".into())
    );
    // No year in the dateline: the weekday mentioned later fixes it.
    assert_eq!(
        published("KYIV, Oct. 30 (Example Wire) - Shelling resumed on Monday, Oct. 30, a year after the May 2022 offensive."),
        (Some("2023-10-30".into()), "dateline".into())
    );
}

#[test]
fn no_evidence_no_date_and_given_dates_are_kept() {
    assert_eq!(
        published("Shelling resumed near the river."),
        (None, "none".into())
    );
    let mut doc = Doc::new("t", "Monday 30 October 2017 was quiet.");
    doc.published = Some("2023-10-30".parse().unwrap());
    sitrep_text::Segmenter::new().run(&mut doc);
    sitrep_times::PublicationDate.run(&mut doc);
    assert_eq!(doc.published.unwrap().to_string(), "2023-10-30");
}

/// The seed article without a date: "Monday 30 October" fixes 2023, not
/// the copyright line's 2024; its relative expressions then anchor on it.
#[test]
fn seed_article_publication_date() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/examples/seed-article.txt"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipped: {path} not present");
        return;
    };
    assert_eq!(
        published(&text),
        (Some("2023-10-30".into()), "inferred".into())
    );
}

#[test]
fn rates_ages_and_bare_plurals() {
    assert_times(
        "Some 700 seats a week were added for a man 52 years old; talks went on for years.",
        MONDAY,
        &[("years", "DURATION", "PXY")],
    );
    assert_times(
        "The truce held for a year.",
        MONDAY,
        &[("a year", "DURATION", "P1Y")],
    );
}

#[test]
fn weekends_clock_days_and_tomorrow() {
    assert_times(
        "Officials said over the weekend that talks end at noon Thursday and resume Tuesday.",
        MONDAY,
        &[
            ("the weekend", "DATE", "2023-W43-WE"),
            ("noon Thursday", "TIME", "2023-10-26T12:00"),
            ("Tuesday", "DATE", "2023-10-31"),
        ],
    );
}

#[test]
fn bare_months_look_back_unless_the_sentence_is_future() {
    // Seven months back, not five ahead: nothing points to the future.
    assert_times(
        "Fighting in the area has escalated since March.",
        Some("2025-10-19"),
        &[("March", "DATE", "2025-03")],
    );
    assert_times(
        "The talks will resume in March.",
        Some("2025-10-19"),
        &[("March", "DATE", "2026-03")],
    );
}

#[test]
fn quarters_halves_and_fiscal_years() {
    let q = Some("1989-11-02");
    assert_times(
        "Profit fell in the current quarter.",
        q,
        &[("the current quarter", "DATE", "1989-Q4")],
    );
    assert_times(
        "Sales rose in the last half of 1989.",
        q,
        &[("the last half of 1989", "DATE", "1989-H2")],
    );
    assert_times(
        "Output is expected to recover in next year's first quarter.",
        q,
        &[("next year's first quarter", "DATE", "1990-Q1")],
    );
    assert_times(
        "Earnings in the 1988 second quarter were higher.",
        q,
        &[("the 1988 second quarter", "DATE", "1988-Q2")],
    );
    assert_times(
        "A second group of investors and more than a quarter of the vote.",
        q,
        &[],
    );
    assert_times(
        "Sales have doubled in recent years.",
        q,
        &[("recent years", "DURATION", "PXY")],
    );
}

#[test]
fn the_current_year_is_a_date_and_the_following_year_follows_the_text() {
    assert_times(
        "Growth is expected in the current fiscal year. The plant opened in 1996. The following year, sales fell.",
        Some("1998-10-19"),
        &[
            ("the current fiscal year", "DATE", "1998"),
            ("1996", "DATE", "1996"),
            ("The following year", "DATE", "1997"),
        ],
    );
}
