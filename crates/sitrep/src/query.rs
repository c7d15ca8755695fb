//! `sitrep query`: the analyst's common questions of the store — events
//! near a place in a period, what a person said, claims about a subject,
//! the places mentioned, clusters, duplicates and disputes — as a table on
//! a terminal or JSON lines (`--json`).

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use sitrep_core::Date;
use sitrep_store::query::{ClaimFilter, EventSort, Near, Page, QuoteFilter};
use sitrep_store::Store;

use crate::extract::parse_date;
use crate::filters::EventFilterArgs;
use crate::store::{counts_json, db_location, open};
use crate::{EXIT_FATAL, EXIT_OK};

/// Arguments of `sitrep query`.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// What to list.
    #[command(subcommand)]
    pub what: QueryWhat,
    /// The store (default: $SITREP_DB, else var/sitrep.db).
    #[arg(long, global = true)]
    pub db: Option<String>,
    /// JSON lines (one object per row) instead of a table.
    #[arg(long, global = true)]
    pub json: bool,
    /// Most rows.
    #[arg(long, global = true, default_value_t = 50)]
    pub limit: usize,
    /// Rows to skip first (paging).
    #[arg(long, global = true, default_value_t = 0)]
    pub offset: usize,
    /// The gazetteer, to place `--near NAME` the store has not seen and to
    /// match `--country` in both ISO forms (default: as `extract` finds it).
    #[arg(long, global = true)]
    pub gazetteer: Option<PathBuf>,
}

/// How events are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    /// Newest event date first.
    Date,
    /// Oldest first.
    DateAsc,
    /// Most independent sources first.
    Sources,
    /// Highest confidence first.
    Confidence,
}

/// Which disputes to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DisputeKind {
    /// Incompatible counts of one event.
    Counts,
    /// Conflicting claims about who holds a place.
    Control,
    /// Both.
    All,
}

/// The questions `sitrep query` answers.
#[derive(Debug, Subcommand)]
pub enum QueryWhat {
    /// Row counts of the store's tables, as JSON.
    Counts,
    /// Groups of copies and rewrites: one line per group, its document ids.
    Duplicates,
    /// Disputes between independent sources, side by side: incompatible
    /// counts of one event, conflicting claims of control of a place.
    Disputes {
        /// Which disputes.
        #[arg(long, value_enum, default_value_t = DisputeKind::All)]
        kind: DisputeKind,
    },
    /// Event clusters, most mentioned first.
    Clusters,
    /// Event mentions: near a place, in a period, by country, actor, code,
    /// publisher or words of the article.
    Events(EventQueryArgs),
    /// What people said: quotes by speaker or content.
    Quotes {
        /// Part of the speaker's name ("Shoigu").
        #[arg(long)]
        speaker: Option<String>,
        /// Part of what was said.
        #[arg(long)]
        contains: Option<String>,
        /// Only direct quotes (in quote marks).
        #[arg(long)]
        direct: bool,
        /// Articles published on or after this day.
        #[arg(long, value_parser = parse_date)]
        from: Option<Date>,
        /// Articles published on or before this day.
        #[arg(long, value_parser = parse_date)]
        to: Option<Date>,
        /// Publisher (URL host).
        #[arg(long)]
        source: Option<String>,
    },
    /// Claims (numbers with what they count and who claims them) about a
    /// subject.
    Claims {
        /// Words in the claim's sentence or unit ("Bakhmut", "drones").
        #[arg(long)]
        about: Option<String>,
        /// Kind: killed, wounded, detained, attacks, drones, money…
        #[arg(long)]
        kind: Option<String>,
        /// Part of the claimant's name.
        #[arg(long = "by")]
        claimed_by: Option<String>,
        /// Articles published on or after this day.
        #[arg(long, value_parser = parse_date)]
        from: Option<Date>,
        /// Articles published on or before this day.
        #[arg(long, value_parser = parse_date)]
        to: Option<Date>,
        /// Publisher (URL host).
        #[arg(long)]
        source: Option<String>,
    },
    /// Resolved places, most mentioned first.
    Places {
        /// Start of the place's name.
        #[arg(long)]
        name: Option<String>,
        /// Country (ISO alpha-2).
        #[arg(long)]
        country: Option<String>,
    },
}

/// Arguments of `sitrep query events`.
#[derive(Debug, Args)]
pub struct EventQueryArgs {
    /// Filters shared with `sitrep export`.
    #[command(flatten)]
    pub filter: EventFilterArgs,
    /// Only events within --km of this place: a name the store or the
    /// gazetteer knows ("Bakhmut"), or LAT,LON.
    #[arg(long)]
    pub near: Option<String>,
    /// Radius for --near, in kilometres.
    #[arg(long, default_value_t = 50.0, requires = "near")]
    pub km: f64,
    /// An actor: a code prefix in capitals (RUS, UKRMIL) or part of a name.
    #[arg(long)]
    pub actor: Option<String>,
    /// PLOVER category (ASSAULT, PROTEST…).
    #[arg(long)]
    pub plover: Option<String>,
    /// ACLED event type ("Battles").
    #[arg(long)]
    pub acled: Option<String>,
    /// Words of the article (FTS5 syntax).
    #[arg(long)]
    pub text: Option<String>,
    /// Modality: asserted, reported, negated, conditional, intended.
    #[arg(long)]
    pub modality: Option<String>,
    /// Only mentions in this cluster.
    #[arg(long)]
    pub cluster: Option<i64>,
    /// Only articles that are not copies of a stored story.
    #[arg(long)]
    pub originals: bool,
    /// Order.
    #[arg(long, value_enum, default_value_t = SortArg::Date)]
    pub sort: SortArg,
}

/// A point from LAT,LON, when `s` is one.
fn parse_point(s: &str) -> Option<(f64, f64)> {
    let (a, b) = s.split_once(',')?;
    let (lat, lon) = (a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?);
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

/// Where `--near` is: a point, a place the store resolved most often under
/// that name, else the gazetteer's best entry for it.
fn locate(
    store: &Store,
    gazetteer: Option<&sitrep_gazetteer::Gazetteer>,
    near: &str,
) -> Result<(String, f64, f64), String> {
    if let Some((lat, lon)) = parse_point(near) {
        return Ok((near.to_string(), lat, lon));
    }
    if let Some(found) = store.locate(near).map_err(|e| e.to_string())? {
        return Ok(found);
    }
    if let Some(g) = gazetteer {
        if let Some((id, _)) = g.lookup(&sitrep_gazetteer::fold(near)).next() {
            let r = g.record(id);
            return Ok((g.name(id).to_string(), f64::from(r.lat), f64::from(r.lon)));
        }
    }
    Err(format!(
        "--near {near:?}: no such place in the store or the gazetteer (give LAT,LON)"
    ))
}

/// Cuts `s` to `n` characters with an ellipsis, on one line.
fn cell(s: &str, n: usize) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() <= n {
        one
    } else {
        let mut t: String = one.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Rows as an aligned table with a header.
fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut width: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| -> String {
        let mut out = String::new();
        for (i, c) in cells.enumerate() {
            if i > 0 {
                out.push_str("  ");
            }
            out.push_str(c);
            if i + 1 < width.len() {
                out.extend(std::iter::repeat_n(' ', width[i] - c.chars().count()));
            }
        }
        out.trim_end().to_string()
    };
    let mut out = line(&mut headers.iter().copied());
    out.push('\n');
    for r in rows {
        out.push_str(&line(&mut r.iter().map(String::as_str)));
        out.push('\n');
    }
    out
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_else(|| "-".into())
}

/// What a listing prints: JSON lines, or a table with a closing count.
fn print<T: Serialize>(
    args: &QueryArgs,
    page: &Page<T>,
    headers: &[&str],
    row: impl Fn(&T) -> Vec<String>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<()> {
    if args.json {
        for r in &page.rows {
            writeln!(
                out,
                "{}",
                serde_json::to_string(r).map_err(std::io::Error::other)?
            )?;
        }
        return Ok(());
    }
    let rows: Vec<Vec<String>> = page.rows.iter().map(row).collect();
    write!(out, "{}", table(headers, &rows))?;
    let _ = writeln!(
        err,
        "sitrep: {} of {} rows (from {}; --limit/--offset to page)",
        page.rows.len(),
        page.total,
        args.offset
    );
    Ok(())
}

/// Runs `sitrep query`.
pub fn run(args: &QueryArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let store = match open(&db_location(args.db.as_deref()), false, err) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let fail = |err: &mut dyn Write, e: &dyn std::fmt::Display| {
        let _ = writeln!(err, "sitrep: error: {e}");
        EXIT_FATAL
    };
    let written = match &args.what {
        QueryWhat::Counts => match store.counts() {
            Ok(c) => writeln!(out, "{}", counts_json(c)),
            Err(e) => return fail(err, &e),
        },
        QueryWhat::Duplicates => match store.duplicate_groups() {
            Ok(groups) => groups.iter().try_for_each(|g| {
                if args.json {
                    writeln!(out, "{}", serde_json::json!({"documents": g}))
                } else {
                    writeln!(out, "{}", g.join("\t"))
                }
            }),
            Err(e) => return fail(err, &e),
        },
        QueryWhat::Disputes { kind } => return disputes(args, &store, *kind, out, err),
        QueryWhat::Clusters => match store.clusters(args.limit) {
            Ok(cs) => cs.iter().try_for_each(|c| {
                if args.json {
                    let row = serde_json::json!({
                        "id": c.id, "cameo": c.cameo, "place_name": c.place_name,
                        "date_first": c.dates.0, "date_last": c.dates.1,
                        "num_mentions": c.num_mentions, "num_articles": c.num_articles,
                        "num_sources": c.num_sources,
                    });
                    return writeln!(out, "{row}");
                }
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}..{}\tmentions={}\tarticles={}\tsources={}",
                    c.id,
                    c.cameo,
                    c.place_name.as_deref().unwrap_or("-"),
                    c.dates.0.as_deref().unwrap_or("-"),
                    c.dates.1.as_deref().unwrap_or("-"),
                    c.num_mentions,
                    c.num_articles,
                    c.num_sources
                )
            }),
            Err(e) => return fail(err, &e),
        },
        QueryWhat::Events(q) => {
            let gazetteer = match crate::Resources::load(args.gazetteer.as_deref()) {
                Ok(r) => r.gazetteer,
                Err(e) => return fail(err, &e),
            };
            let mut filter = q.filter.to_store(gazetteer.as_deref());
            if let Some(near) = &q.near {
                if !(q.km > 0.0 && q.km <= 20_000.0) {
                    return fail(err, &format!("--km {}: expected 0 < km <= 20000", q.km));
                }
                match locate(&store, gazetteer.as_deref(), near) {
                    Ok((name, lat, lon)) => {
                        let _ = writeln!(
                            err,
                            "sitrep: within {} km of {name} ({lat:.4}, {lon:.4})",
                            q.km
                        );
                        filter.near = Some(Near { lat, lon, km: q.km });
                    }
                    Err(e) => return fail(err, &e),
                }
            }
            filter.actor = q.actor.clone();
            filter.plover = q.plover.clone();
            filter.acled = q.acled.clone();
            filter.text = q.text.clone();
            filter.modality = q.modality.clone();
            filter.cluster = q.cluster;
            filter.originals = q.originals;
            let sort = match q.sort {
                SortArg::Date => EventSort::DateDesc,
                SortArg::DateAsc => EventSort::DateAsc,
                SortArg::Sources => EventSort::Sources,
                SortArg::Confidence => EventSort::Confidence,
            };
            match store.events(&filter, sort, args.limit, args.offset) {
                Ok(page) => print(
                    args,
                    &page,
                    &[
                        "date",
                        "cameo",
                        "plover",
                        "source",
                        "target",
                        "place",
                        "sources",
                        "publisher",
                        "evidence",
                    ],
                    |e| {
                        let actor = |a: &Option<sitrep_store::query::ActorRow>| {
                            a.as_ref()
                                .and_then(|a| a.code.clone().or(a.name.clone()))
                                .unwrap_or_else(|| "-".into())
                        };
                        vec![
                            opt(&e.date).chars().take(10).collect(),
                            e.cameo.clone(),
                            opt(&e.plover),
                            actor(&e.source),
                            actor(&e.target),
                            cell(&opt(&e.place_name), 20),
                            e.num_sources.map_or("-".into(), |n| n.to_string()),
                            cell(&e.publisher, 24),
                            cell(&e.text, 40),
                        ]
                    },
                    out,
                    err,
                ),
                Err(e) => return fail(err, &e),
            }
        }
        QueryWhat::Quotes {
            speaker,
            contains,
            direct,
            from,
            to,
            source,
        } => {
            let filter = QuoteFilter {
                speaker: speaker.clone(),
                contains: contains.clone(),
                direct_only: *direct,
                from: from.map(|d| d.to_string()),
                to: to.map(|d| d.to_string()),
                source: source.clone(),
                article: None,
            };
            match store.quotes(&filter, args.limit, args.offset) {
                Ok(page) => print(
                    args,
                    &page,
                    &["published", "speaker", "cue", "channel", "via", "statement"],
                    |q| {
                        vec![
                            opt(&q.published),
                            cell(&opt(&q.speaker_canonical), 28),
                            opt(&q.cue),
                            opt(&q.channel),
                            opt(&q.via),
                            cell(&q.text, 70),
                        ]
                    },
                    out,
                    err,
                ),
                Err(e) => return fail(err, &e),
            }
        }
        QueryWhat::Claims {
            about,
            kind,
            claimed_by,
            from,
            to,
            source,
        } => {
            let filter = ClaimFilter {
                about: about.clone(),
                kind: kind.clone(),
                claimed_by: claimed_by.clone(),
                from: from.map(|d| d.to_string()),
                to: to.map(|d| d.to_string()),
                source: source.clone(),
                article: None,
            };
            match store.claims(&filter, args.limit, args.offset) {
                Ok(page) => print(
                    args,
                    &page,
                    &[
                        "published",
                        "claim",
                        "kind",
                        "claimed by",
                        "publisher",
                        "sentence",
                    ],
                    |c| {
                        vec![
                            opt(&c.published),
                            cell(&c.text, 30),
                            opt(&c.kind),
                            cell(&opt(&c.attributed_to), 24),
                            cell(&c.publisher, 24),
                            cell(&opt(&c.sentence), 60),
                        ]
                    },
                    out,
                    err,
                ),
                Err(e) => return fail(err, &e),
            }
        }
        QueryWhat::Places { name, country } => {
            match store.places(name.as_deref(), country.as_deref(), args.limit, args.offset) {
                Ok(page) => print(
                    args,
                    &page,
                    &[
                        "place", "kind", "country", "admin1", "lat", "lon", "mentions", "articles",
                    ],
                    |p| {
                        vec![
                            cell(&p.name, 30),
                            p.kind.clone(),
                            opt(&p.country),
                            cell(&opt(&p.admin1), 24),
                            p.lat.map_or("-".into(), |v| format!("{v:.4}")),
                            p.lon.map_or("-".into(), |v| format!("{v:.4}")),
                            p.mentions.to_string(),
                            p.articles.to_string(),
                        ]
                    },
                    out,
                    err,
                ),
                Err(e) => return fail(err, &e),
            }
        }
    };
    // A closed pipe (`| head`) is the reader's choice.
    match written {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => fail(err, &format!("writing output: {e}")),
    }
}

/// "publisher (document, according to X)": one side of a dispute.
fn who_says(source: &str, doc_id: &str, attributed_to: Option<&str>) -> String {
    let according = attributed_to
        .map(|a| format!(", according to {a}"))
        .unwrap_or_default();
    format!("{source} ({doc_id}{according})")
}

/// `sitrep query disputes`.
fn disputes(
    args: &QueryArgs,
    store: &Store,
    kind: DisputeKind,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let mut lines: Vec<String> = Vec::new();
    if kind != DisputeKind::Control {
        match store.disputed_counts(args.limit) {
            Ok(ds) => lines.extend(ds.iter().map(|d| {
                if args.json {
                    serde_json::json!({"dispute": "count", "detail": d}).to_string()
                } else {
                    let side = |s: &sitrep_store::disputes::ClaimSide| {
                        format!(
                            "{}: {:?} [{}..{}]",
                            who_says(&s.source, &s.doc_id, s.attributed_to.as_deref()),
                            s.text,
                            s.span.0,
                            s.span.1
                        )
                    };
                    format!(
                        "count\tcluster {} ({} {})\t{}{}\t{}\tvs\t{}",
                        d.cluster,
                        d.cameo,
                        d.place_name.as_deref().unwrap_or("-"),
                        d.kind,
                        d.unit
                            .as_deref()
                            .map(|u| format!(" ({u})"))
                            .unwrap_or_default(),
                        side(&d.a),
                        side(&d.b)
                    )
                }
            })),
            Err(e) => {
                let _ = writeln!(err, "sitrep: error: {e}");
                return EXIT_FATAL;
            }
        }
    }
    if kind != DisputeKind::Counts {
        match store.disputed_control(args.limit) {
            Ok(ds) => lines.extend(ds.iter().map(|d| {
                if args.json {
                    serde_json::json!({"dispute": "control", "detail": d}).to_string()
                } else {
                    let side = |s: &sitrep_store::control::ControlSide| {
                        format!(
                            "{}: {} {} {:?} [{}..{}] {}",
                            who_says(&s.source, &s.doc_id, s.attributed_to.as_deref()),
                            s.actor_code
                                .as_deref()
                                .or(s.actor_country.as_deref())
                                .unwrap_or("?"),
                            if s.modality == "negated" {
                                format!("not {}", s.control)
                            } else {
                                s.control.clone()
                            },
                            s.text,
                            s.span.0,
                            s.span.1,
                            s.date.as_deref().unwrap_or("-")
                        )
                    };
                    format!("control\t{}\t{}\tvs\t{}", d.place, side(&d.a), side(&d.b))
                }
            })),
            Err(e) => {
                let _ = writeln!(err, "sitrep: error: {e}");
                return EXIT_FATAL;
            }
        }
    }
    for l in lines {
        if writeln!(out, "{l}").is_err() {
            break;
        }
    }
    EXIT_OK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_and_tables() {
        assert_eq!(parse_point("48.59, 38.0"), Some((48.59, 38.0)));
        assert_eq!(parse_point("Bakhmut"), None);
        assert_eq!(parse_point("91,0"), None);
        assert_eq!(cell("a  b\nc", 10), "a b c");
        assert_eq!(cell("abcdefghijkl", 5), "abcd…");
        let t = table(&["a", "bb"], &[vec!["xxx".into(), "y".into()]]);
        assert_eq!(t, "a    bb\nxxx  y\n");
    }
}
