//! `sitrep export` over `sitrep extract` output: every format's shape, and
//! bad lines reported and skipped.

mod common;

use common::{repo_root, sitrep};

/// An article with events, extracted with the gazetteer `./setup` builds
/// (or the fixture one when it has not run).
fn extracted() -> Vec<u8> {
    let text =
        "On Monday, Russian troops shelled Kharkiv, killing 3 civilians, the governor said.\n\
                Egypt said it will support the Palestinian request.\n";
    let dir = std::env::temp_dir().join(format!("sitrep-export-test-{}", std::process::id()));
    let gaz = if repo_root().join("var/gazetteer/meta.json").is_file() {
        repo_root().join("var/gazetteer")
    } else {
        let g = dir.join("gaz");
        sitrep_gazetteer::build::build(
            &sitrep_gazetteer::build::Sources::fixture(&repo_root()),
            &g,
        )
        .unwrap();
        g
    };
    let out = sitrep(
        &[
            "extract",
            "-",
            "--format",
            "jsonl",
            "--published",
            "2023-10-30",
            "--gazetteer",
            gaz.to_str().unwrap(),
        ],
        Some(text.as_bytes()),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn export(format: &str, input: &[u8], extra: &[&str]) -> (String, String, Option<i32>) {
    let mut args = vec!["export", format];
    args.extend_from_slice(extra);
    let out = sitrep(&args, Some(input));
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code(),
    )
}

#[test]
fn every_format_has_its_columns() {
    let docs = extracted();
    let (events, _, code) = export("gdelt-events", &docs, &[]);
    assert_eq!(code, Some(0));
    let rows: Vec<Vec<&str>> = events.lines().map(|l| l.split('\t').collect()).collect();
    assert!(!rows.is_empty(), "no GDELT rows");
    for r in &rows {
        assert_eq!(r.len(), 61, "{r:?}");
    }
    let shelling = rows.iter().find(|r| r[26] == "194").expect("the shelling");
    assert_eq!(
        (shelling[1], shelling[5], shelling[7]),
        ("20231030", "RUSMIL", "RUS")
    );
    assert_eq!((shelling[28], shelling[29]), ("19", "4"));
    assert!(
        shelling[52].starts_with("Kharkiv"),
        "ActionGeo_FullName {:?}",
        shelling[52]
    );

    let (mentions, _, _) = export("gdelt-mentions", &docs, &["--header"]);
    let mut lines = mentions.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("GlobalEventID\tEventTimeDate"));
    let first: Vec<&str> = lines.next().unwrap().split('\t').collect();
    assert_eq!(first.len(), 16);
    assert_eq!(first[0], rows[0][0], "mentions and events share the id");

    let (gkg, _, _) = export("gkg", &docs, &[]);
    let cols: Vec<&str> = gkg.lines().next().unwrap().split('\t').collect();
    assert_eq!(cols.len(), 12);
    assert!(cols[5].contains("Kharkiv"), "locations {:?}", cols[5]);

    let (plover, _, _) = export("plover", &docs, &[]);
    let recs: Vec<serde_json::Value> = plover
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(recs
        .iter()
        .any(|r| r["event"] == "ASSAULT" && r["actor"]["code"] == "RUSMIL"));
    assert!(recs
        .iter()
        .any(|r| r["event"] == "AGREE" && r["modality"] == "intended"));

    let (acled, _, _) = export("acled", &docs, &[]);
    let mut lines = acled.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("event_id_cnty,event_date"));
    let row = lines.next().expect("an ACLED row");
    assert!(row.contains("Explosions/Remote violence"), "{row}");
    assert!(row.contains(",Kharkiv,"), "{row}");
}

#[test]
fn ids_are_stable_across_runs() {
    let docs = extracted();
    let (a, _, _) = export("gdelt-events", &docs, &[]);
    let (b, _, _) = export("gdelt-events", &docs, &[]);
    assert_eq!(a, b);
}

#[test]
fn bad_lines_are_reported_and_skipped() {
    let mut input = b"{\"not\": \"a document\"}\n".to_vec();
    input.extend(extracted());
    input.extend(b"garbage\n");
    let (out, err, code) = export("gdelt-events", &input, &[]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("<stdin>:1:") && err.contains("not a sitrep document"),
        "{err}"
    );
    assert!(err.lines().any(|l| l.contains("<stdin>:3:")), "{err}");
    assert!(!out.is_empty(), "the good document was still exported");
    let (_, err, code) = export("plover", b"", &["/nonexistent/x.jsonl"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("/nonexistent/x.jsonl"), "{err}");
}
