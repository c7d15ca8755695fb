//! The claims stage on sentences written for these tests.

use sitrep_core::{Doc, Stage};

type Row = (
    String,
    f64,
    Option<f64>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn claims(text: &str) -> Vec<Row> {
    let mut doc = Doc::new("t", text);
    doc.published = Some("2023-10-30".parse().unwrap());
    sitrep_text::Segmenter::new().run(&mut doc);
    sitrep_times::Times.run(&mut doc);
    sitrep_claims::Claims::new().run(&mut doc);
    doc.check().expect("claims keep the span invariants");
    doc.claims
        .iter()
        .map(|c| {
            (
                c.text.clone(),
                c.value,
                c.value_max,
                c.qualifier.clone(),
                c.unit.clone(),
                c.kind.clone(),
            )
        })
        .collect()
}

fn row(
    text: &str,
    value: f64,
    max: Option<f64>,
    q: Option<&str>,
    unit: Option<&str>,
    kind: Option<&str>,
) -> Row {
    (
        text.into(),
        value,
        max,
        q.map(Into::into),
        unit.map(Into::into),
        kind.map(Into::into),
    )
}

#[test]
fn qualifiers_units_and_kinds() {
    assert_eq!(
        claims("More than 75,000 women serve. Around 60 combat clashes took place and 16 of the strikes hit the port, 10km away."),
        vec![
            row("More than 75,000 women", 75000.0, None, Some("more-than"), Some("women"), Some("personnel")),
            row("Around 60 combat clashes", 60.0, None, Some("around"), Some("combat clashes"), Some("attacks")),
            row("16 of the strikes", 16.0, None, None, Some("strikes"), Some("attacks")),
            row("10km", 10.0, None, None, Some("km"), Some("distance")),
        ]
    );
    assert_eq!(
        claims("Gunmen ambushed the convoy, killing at least 12 soldiers; more than 50 unsuccessful attempts failed."),
        vec![
            row("at least 12 soldiers", 12.0, None, Some("at-least"), Some("soldiers"), Some("killed")),
            row("more than 50 unsuccessful attempts", 50.0, None, Some("more-than"), Some("attempts"), Some("attacks")),
        ]
    );
    // The verb before the count, not the next clause's.
    assert_eq!(
        claims("Drones hit the city, killing at least 32 people and wounding 87, officials said."),
        vec![
            row(
                "at least 32 people",
                32.0,
                None,
                Some("at-least"),
                Some("people"),
                Some("killed")
            ),
            row("87", 87.0, None, None, None, Some("wounded")),
        ]
    );
    assert_eq!(
        claims("Local authorities put the death toll at 37."),
        vec![row("37", 37.0, None, None, None, Some("killed"))]
    );
}

#[test]
fn money_ranges_and_vague_counts() {
    assert_eq!(
        claims("The package is worth $33bn. Between 10 and 15 drones and dozens of missiles were launched; 1.5 million people fled."),
        vec![
            row("$33bn", 33e9, None, None, Some("USD"), Some("money")),
            row("Between 10 and 15 drones", 10.0, Some(15.0), None, Some("drones"), Some("drones")),
            row("dozens of missiles", 24.0, None, Some("at-least"), Some("missiles"), Some("missiles")),
            row("1.5 million people", 1.5e6, None, None, Some("people"), Some("displaced")),
        ]
    );
}

#[test]
fn a_claim_takes_the_time_of_its_sentence() {
    let mut doc = Doc::new(
        "t",
        "In the last 36 hours, around 60 combat clashes took place. 16 strikes hit.",
    );
    doc.published = Some("2023-10-30".parse().unwrap());
    sitrep_text::Segmenter::new().run(&mut doc);
    sitrep_times::Times.run(&mut doc);
    sitrep_claims::Claims::new().run(&mut doc);
    let t = doc.claims[0].time.as_ref().expect("linked time");
    assert_eq!(
        (t.text.as_str(), t.value.as_str()),
        ("the last 36 hours", "PT36H")
    );
    assert!(
        doc.claims[1].time.is_none(),
        "another sentence's time is not linked"
    );
}

#[test]
fn times_names_and_ages_are_not_claims() {
    assert!(claims("In the last 36 hours on 30 October 2023, Resolution 425 passed.").is_empty());
    assert_eq!(
        claims("Two dock workers, aged 41 and 56, were wounded.")
            .iter()
            .map(|r| r.0.as_str())
            .collect::<Vec<_>>(),
        ["Two dock workers"]
    );
}

/// The seed article's claims, when the shared examples are beside the repository.
#[test]
fn seed_article_claims() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/examples/seed-article.txt"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipped: {path} not present");
        return;
    };
    let got = claims(&text);
    for want in [
        row(
            "More than 75,000 women",
            75000.0,
            None,
            Some("more-than"),
            Some("women"),
            Some("personnel"),
        ),
        row(
            "more than 50 unsuccessful attempts",
            50.0,
            None,
            Some("more-than"),
            Some("attempts"),
            Some("attacks"),
        ),
        row(
            "around 60 combat clashes",
            60.0,
            None,
            Some("around"),
            Some("combat clashes"),
            Some("attacks"),
        ),
        row(
            "16 of the strikes",
            16.0,
            None,
            None,
            Some("strikes"),
            Some("attacks"),
        ),
        row("10km", 10.0, None, None, Some("km"), Some("distance")),
    ] {
        assert!(got.contains(&want), "{want:?} not in {got:?}");
    }
}
