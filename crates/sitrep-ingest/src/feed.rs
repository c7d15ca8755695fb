//! RSS and Atom feeds, via feed-rs.

use std::panic::{catch_unwind, AssertUnwindSafe};

use chrono::{Datelike, NaiveDate};
use feed_rs::model::{Entry, Text};
use sitrep_core::{Date, PublishedSource};

use crate::dates::parse_date_lenient;
use crate::html::{drop_title_paragraph, fragment_text, has_words};
use crate::normalize::normalize_text;
use crate::text::collapse;
use crate::{Error, Origin, RawDoc};

/// Parses a whole feed. A feed that does not parse gives one
/// [`Error::Feed`] and no documents; an entry without text gives an error
/// for that entry and the others are kept.
pub(crate) fn read_feed(bytes: &[u8], name: &str) -> Vec<Result<RawDoc, Error>> {
    let parser = feed_rs::parser::Builder::new()
        // no invented ids: a missing id falls back to the link or `path#N`
        .id_generator(|_, _, _| String::new())
        // keep the date as written (feed-rs would convert it to UTC)
        .timestamp_parser(|s| {
            let d = parse_date_lenient(s)?;
            NaiveDate::from_ymd_opt(d.year, d.month, d.day)?
                .and_hms_opt(12, 0, 0)
                .map(|t| t.and_utc())
        })
        .build();
    let feed = match catch_unwind(AssertUnwindSafe(|| parser.parse(bytes))) {
        Ok(Ok(feed)) => feed,
        Ok(Err(e)) => return vec![Err(Error::Feed(e.to_string()))],
        Err(_) => return vec![Err(Error::Feed("the feed parser failed".into()))],
    };
    feed.entries
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            let n = i as u64 + 1;
            entry(e, name, n).map_err(|err| err.with_record(n))
        })
        .collect()
}

fn text_of(t: &Text) -> String {
    if t.content_type.essence().to_string() == "text/plain" {
        normalize_text(&t.content)
    } else {
        fragment_text(&t.content)
    }
}

fn entry(e: Entry, name: &str, n: u64) -> Result<RawDoc, Error> {
    let title = e
        .title
        .as_ref()
        .map(|t| collapse(&text_of(t)))
        .filter(|t| !t.is_empty());
    let url = e
        .links
        .first()
        .map(|l| l.href.trim().to_string())
        .filter(|u| !u.is_empty());
    let published = e.published.or(e.updated).and_then(|t| {
        let d = t.date_naive();
        Date::new(d.year(), d.month(), d.day()).ok()
    });
    let content = e.content.as_ref().and_then(|c| {
        let body = c.body.as_deref()?;
        Some(if c.content_type.essence().to_string() == "text/plain" {
            normalize_text(body)
        } else {
            fragment_text(body)
        })
    });
    let text = match content.filter(|t| !t.is_empty()) {
        Some(t) => t,
        None => e.summary.as_ref().map(text_of).unwrap_or_default(),
    };
    let text = drop_title_paragraph(&text, [title.as_deref()]);
    if !has_words(&text) {
        return Err(Error::NoContent);
    }
    let id = if !e.id.trim().is_empty() {
        e.id.trim().to_string()
    } else if let Some(u) = &url {
        u.clone()
    } else {
        format!("{name}#{n}")
    };
    Ok(RawDoc {
        id,
        title,
        url,
        published,
        published_source: crate::date_source(published, PublishedSource::Metadata),
        text,
        origin: Origin {
            path: name.to_string(),
            line: None,
            record: Some(n),
        },
    })
}
