//! The API's routes and handlers. Each handler parses its parameters
//! (`params.rs`), asks the store on a blocking thread and answers JSON;
//! the shapes are the store's row types, documented in docs/openapi.json.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use serde_json::{json, Value};
use sitrep_store::query::{
    ArticleRow, ClaimFilter, ClusterRow, EventRow, EventSort, QuoteFilter, QuoteRow,
};

use super::error::ApiError;
use super::params::{Params, EVENT_FILTERS};
use super::AppState;

type St = State<Arc<AppState>>;
type Q = Result<Query<Vec<(String, String)>>, QueryRejection>;
type ApiResult = Result<Response, ApiError>;

/// The OpenAPI description of this API.
pub const OPENAPI: &str = include_str!("../../../../docs/openapi.json");

/// Paging parameters.
const PAGE: &[&str] = &["limit", "offset"];

/// The routes; anything else is a file of the page or a JSON 404.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/health", get(health))
        .route("/api/openapi.json", get(openapi))
        .route("/api/counts", get(counts))
        .route("/api/events", get(events))
        .route("/api/events/timeline", get(timeline))
        .route("/api/events/grid", get(grid))
        .route("/api/clusters", get(clusters))
        .route("/api/clusters/{id}", get(cluster))
        .route("/api/articles", get(articles))
        .route("/api/articles/{id}", get(article))
        .route("/api/places", get(places))
        .route("/api/quotes", get(quotes))
        .route("/api/claims", get(claims))
        .route("/api/disputes", get(disputes))
        .route("/api/search", get(search))
        .route("/api/export/{format}", get(export))
        .route("/api/ingest", post(ingest))
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(page)
}

async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{method} is not allowed on {}", uri.path()),
    )
    .into_response()
}

fn params(q: Q, allowed: &[&[&str]]) -> Result<Params, ApiError> {
    let Query(pairs) =
        q.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("bad query string: {e}")))?;
    Params::new(pairs, allowed)
}

fn id_of(p: Result<Path<String>, PathRejection>) -> Result<i64, ApiError> {
    let Path(raw) = p.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.to_string()))?;
    raw.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
        ApiError::param(
            "id",
            format!(
                "{:?}: want a positive whole number",
                raw.chars().take(40).collect::<String>()
            ),
        )
    })
}

fn ok<T: Serialize>(v: T) -> ApiResult {
    Ok(Json(v).into_response())
}

async fn health(State(st): St) -> ApiResult {
    let counts = st.read(|s| Ok(s.counts()?)).await?;
    ok(json!({
        "status": "ok",
        "schema_version": sitrep_store::SCHEMA_VERSION,
        "articles": counts.articles,
        "events": counts.events,
        "ingest": st.writer.is_some(),
    }))
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

async fn counts(State(st): St, q: Q) -> ApiResult {
    params(q, &[])?;
    let c = st.read(|s| Ok(s.counts()?)).await?;
    ok(crate::store::counts_json(c))
}

async fn events(State(st): St, q: Q) -> ApiResult {
    let p = params(q, &[EVENT_FILTERS, PAGE, &["sort"]])?;
    let filter = p.event_filter(|c| st.countries(c))?;
    let sort = p.event_sort()?;
    let (limit, offset) = p.page(100, 1000)?;
    let page = st
        .read_indexed(move |s, index| Ok(index.page(s, &filter, sort, limit, offset)?))
        .await?;
    ok(page)
}

async fn timeline(State(st): St, q: Q) -> ApiResult {
    let p = params(q, &[EVENT_FILTERS])?;
    let filter = p.event_filter(|c| st.countries(c))?;
    let days = st
        .read_indexed(move |s, index| Ok(index.timeline(s, &filter)?))
        .await?;
    ok(json!({ "days": days }))
}

async fn grid(State(st): St, q: Q) -> ApiResult {
    let p = params(q, &[EVENT_FILTERS, &["cell", "limit"]])?;
    let filter = p.event_filter(|c| st.countries(c))?;
    let cell = p.number("cell", 0.001, 45.0)?.unwrap_or(1.0);
    let limit = p.int("limit", 1, 20_000)?.unwrap_or(5_000) as usize;
    let cells = st
        .read_indexed(move |s, index| Ok(index.grid(s, &filter, cell, limit)?))
        .await?;
    ok(json!({ "cell": cell, "cells": cells }))
}

async fn clusters(State(st): St, q: Q) -> ApiResult {
    let p = params(q, &[&["from", "to"], PAGE])?;
    let (from, to) = (p.date("from")?, p.date("to")?);
    let (limit, offset) = p.page(50, 1000)?;
    let page = st
        .read(move |s| Ok(s.cluster_rows(None, from.as_deref(), to.as_deref(), limit, offset)?))
        .await?;
    ok(page)
}

/// One source of a cluster: a duplicate group and how it worded the event.
#[derive(Serialize)]
struct ClusterSource {
    dup_group: i64,
    publishers: Vec<String>,
    articles: Vec<i64>,
    first_published: Option<String>,
    wording: Vec<String>,
}

async fn cluster(State(st): St, id: Result<Path<String>, PathRejection>, q: Q) -> ApiResult {
    params(q, &[])?;
    let id = id_of(id)?;
    let (cluster, mentions, statements, groups) = st
        .read(move |s| {
            let Some(cluster) = s.cluster_rows(Some(id), None, None, 1, 0)?.rows.pop() else {
                return Err(ApiError::not_found(format!("no cluster {id}")));
            };
            let filter = sitrep_store::query::EventFilter {
                cluster: Some(id),
                ..Default::default()
            };
            let mentions = s.events(&filter, EventSort::DateAsc, 1000, 0)?.rows;
            let statements = s.cluster_statements(id)?;
            let mut groups: BTreeMap<i64, ArticleRow> = BTreeMap::new();
            for m in &mentions {
                if let Some(a) = s.article(m.article)? {
                    groups.insert(a.id, a);
                }
            }
            Ok((cluster, mentions, statements, groups))
        })
        .await?;
    let mut sources: BTreeMap<i64, ClusterSource> = BTreeMap::new();
    for m in &mentions {
        let Some(a) = groups.get(&m.article) else {
            continue;
        };
        let src = sources.entry(a.dup_group).or_insert_with(|| ClusterSource {
            dup_group: a.dup_group,
            publishers: Vec::new(),
            articles: Vec::new(),
            first_published: None,
            wording: Vec::new(),
        });
        if !src.publishers.contains(&a.publisher) {
            src.publishers.push(a.publisher.clone());
        }
        if !src.articles.contains(&a.id) {
            src.articles.push(a.id);
        }
        if a.published.is_some()
            && (src.first_published.is_none() || a.published < src.first_published)
        {
            src.first_published = a.published.clone();
        }
        if !src.wording.contains(&m.text) {
            src.wording.push(m.text.clone());
        }
    }
    #[derive(Serialize)]
    struct Statement {
        event: i64,
        #[serde(flatten)]
        quote: QuoteRow,
    }
    let statements: Vec<Statement> = statements
        .into_iter()
        .map(|(event, quote)| Statement { event, quote })
        .collect();
    ok(ClusterDetail {
        cluster,
        sources: sources.into_values().collect(),
        mentions,
        statements,
    })
}

#[derive(Serialize)]
struct ClusterDetail<S: Serialize> {
    cluster: ClusterRow,
    sources: Vec<ClusterSource>,
    mentions: Vec<EventRow>,
    statements: Vec<S>,
}

async fn articles(State(st): St, q: Q) -> ApiResult {
    let p = params(q, &[&["q", "source", "from", "to"], PAGE])?;
    let text = p.text("q");
    let source = p.word("source", 253, ".-_:")?;
    let (from, to) = (p.date("from")?, p.date("to")?);
    let (limit, offset) = p.page(50, 1000)?;
    let page = st
        .read(move |s| {
            Ok(s.articles(
                text.as_deref(),
                source.as_deref(),
                from.as_deref(),
                to.as_deref(),
                limit,
                offset,
            )?)
        })
        .await?;
    ok(page)
}

async fn article(State(st): St, id: Result<Path<String>, PathRejection>, q: Q) -> ApiResult {
    params(q, &[])?;
    let id = id_of(id)?;
    let body = st
        .read(move |s| {
            let Some(row) = s.article(id)? else {
                return Err(ApiError::not_found(format!("no article {id}")));
            };
            let Some(doc) = s.document(id)? else {
                return Err(ApiError::not_found(format!("no article {id}")));
            };
            // Each event of the document with its stored id and cluster,
            // by its index in the document.
            let mut clusters = vec![Value::Null; doc.events.len()];
            for e in s.article_events(id)? {
                if let Some(slot) = usize::try_from(e.idx)
                    .ok()
                    .and_then(|i| clusters.get_mut(i))
                {
                    *slot = json!({"cluster": e.cluster, "sources": e.sources, "event": e.event});
                }
            }
            let duplicates: Vec<ArticleRow> = s
                .duplicate_group(row.dup_group)?
                .into_iter()
                .filter(|a| a.id != id)
                .collect();
            Ok(json!({
                "article": row,
                "document": doc,
                "event_clusters": clusters,
                "duplicates": duplicates,
            }))
        })
        .await?;
    ok(body)
}

async fn places(State(st): St, q: Q) -> ApiResult {
    let p = params(q, &[&["name", "country"], PAGE])?;
    let name = p.text("name");
    let country = p.word("country", 2, "")?;
    let (limit, offset) = p.page(100, 1000)?;
    let page = st
        .read(move |s| Ok(s.places(name.as_deref(), country.as_deref(), limit, offset)?))
        .await?;
    ok(page)
}

async fn quotes(State(st): St, q: Q) -> ApiResult {
    let p = params(
        q,
        &[
            &[
                "speaker", "contains", "direct", "from", "to", "source", "article",
            ],
            PAGE,
        ],
    )?;
    let filter = QuoteFilter {
        speaker: p.text("speaker"),
        contains: p.text("contains"),
        direct_only: p.flag("direct")?,
        from: p.date("from")?,
        to: p.date("to")?,
        source: p.word("source", 253, ".-_:")?,
        article: p.int("article", 1, i64::MAX)?,
    };
    let (limit, offset) = p.page(50, 1000)?;
    let page = st
        .read(move |s| Ok(s.quotes(&filter, limit, offset)?))
        .await?;
    ok(page)
}

async fn claims(State(st): St, q: Q) -> ApiResult {
    let p = params(
        q,
        &[
            &["about", "kind", "by", "from", "to", "source", "article"],
            PAGE,
        ],
    )?;
    let filter = ClaimFilter {
        about: p.text("about"),
        kind: p.word("kind", 40, "-_")?,
        claimed_by: p.text("by"),
        from: p.date("from")?,
        to: p.date("to")?,
        source: p.word("source", 253, ".-_:")?,
        article: p.int("article", 1, i64::MAX)?,
    };
    let (limit, offset) = p.page(50, 1000)?;
    let page = st
        .read(move |s| Ok(s.claims(&filter, limit, offset)?))
        .await?;
    ok(page)
}

async fn disputes(State(st): St, q: Q) -> ApiResult {
    let p = params(q, &[&["kind", "limit"]])?;
    let kind = p.get("kind").unwrap_or("all").to_string();
    if !matches!(kind.as_str(), "all" | "counts" | "control") {
        return Err(ApiError::param(
            "kind",
            format!("{kind:?}: want all, counts or control"),
        ));
    }
    let limit = p.int("limit", 1, 10_000)?.unwrap_or(200) as usize;
    let body = st
        .read(move |s| {
            let counts = if kind != "control" {
                s.disputed_counts(limit)?
            } else {
                Vec::new()
            };
            let control = if kind != "counts" {
                s.disputed_control(limit)?
            } else {
                Vec::new()
            };
            Ok(json!({ "counts": counts, "control": control }))
        })
        .await?;
    ok(body)
}

async fn search(State(st): St, q: Q) -> ApiResult {
    let p = params(q, &[&["q", "limit"]])?;
    let Some(text) = p.text("q") else {
        return Err(ApiError::param(
            "q",
            "required: words, \"a phrase\", AND/OR/NOT, prefix*",
        ));
    };
    let limit = p.int("limit", 1, 1000)?.unwrap_or(20) as usize;
    let hits = st.read(move |s| Ok(s.search(&text, limit)?)).await?;
    let hits: Vec<Value> = hits
        .into_iter()
        .map(|h| {
            json!({"article": h.article, "doc_id": h.doc_id, "title": h.title, "published": h.published,
                   "publisher": h.source, "snippet": h.snippet, "rank": h.rank})
        })
        .collect();
    ok(json!({ "hits": hits }))
}

/// The formats `/api/export/{format}` writes, with media type and file
/// extension.
const EXPORTS: &[(&str, &str, &str)] = &[
    (
        "gdelt-events",
        "text/tab-separated-values; charset=utf-8",
        "tsv",
    ),
    (
        "gdelt-mentions",
        "text/tab-separated-values; charset=utf-8",
        "tsv",
    ),
    ("gkg", "text/tab-separated-values; charset=utf-8", "tsv"),
    ("plover", "application/x-ndjson", "jsonl"),
    ("acled", "text/csv; charset=utf-8", "csv"),
    ("geojson", "application/geo+json", "geojson"),
    ("geojson-places", "application/geo+json", "geojson"),
];

async fn export(State(st): St, format: Result<Path<String>, PathRejection>, q: Q) -> ApiResult {
    let Path(format) = format.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.to_string()))?;
    let Some(&(name, media, ext)) = EXPORTS.iter().find(|(n, _, _)| *n == format) else {
        let names: Vec<&str> = EXPORTS.iter().map(|(n, _, _)| *n).collect();
        return Err(ApiError::not_found(format!(
            "no export {:?}; formats: {}",
            format.chars().take(40).collect::<String>(),
            names.join(", ")
        )));
    };
    let p = params(
        q,
        &[&[
            "from",
            "to",
            "country",
            "cameo",
            "source",
            "bbox",
            "originals",
            "header",
        ]],
    )?;
    let parse = |v: Option<String>| v.map(|d| d.parse::<sitrep_core::Date>()).transpose();
    let filter = crate::filters::EventFilterArgs {
        from: parse(p.date("from")?).map_err(|e| ApiError::param("from", e.to_string()))?,
        to: parse(p.date("to")?).map_err(|e| ApiError::param("to", e.to_string()))?,
        country: p.word("country", 3, "")?,
        code: p
            .get("cameo")
            .map(|v| crate::filters::parse_code(v).map_err(|e| ApiError::param("cameo", e)))
            .transpose()?,
        source: p.word("source", 253, ".-_:")?,
        bbox: p
            .get("bbox")
            .map(|v| crate::filters::parse_bbox(v).map_err(|e| ApiError::param("bbox", e)))
            .transpose()?,
    };
    let format = <crate::export::ExportFormat as clap::ValueEnum>::from_str(name, false)
        .map_err(|_| ApiError::internal(format!("export {name} is not wired")))?;
    let args = crate::export::ExportArgs {
        format,
        inputs: Vec::new(),
        header: p.flag("header")?,
        gazetteer: st.gazetteer.as_ref().map(|g| g.dir().to_path_buf()),
        db: Some(st.db.as_given()),
        originals: p.flag("originals")?,
        filter,
        output: None,
    };
    let (code, body, errors) = tokio::task::spawn_blocking(move || {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = crate::export::run(&args, &mut out, &mut err);
        (code, out, err)
    })
    .await
    .map_err(|e| ApiError::internal(format!("export failed: {e}")))?;
    if code == crate::EXIT_FATAL {
        return Err(ApiError::internal(
            String::from_utf8_lossy(&errors).trim().to_string(),
        ));
    }
    Ok((
        [
            (header::CONTENT_TYPE, media.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"sitrep-{name}.{ext}\""),
            ),
        ],
        body,
    )
        .into_response())
}

async fn ingest(
    State(st): St,
    headers: HeaderMap,
    q: Q,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult {
    let Some(writer) = &st.writer else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "ingest is disabled: start the server with --ingest-token",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if !constant_time_eq(given.as_bytes(), writer.token.as_bytes()) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "ingest needs Authorization: Bearer <token>",
        ));
    }
    let p = params(q, &[&["published"]])?;
    let published = p
        .date("published")?
        .and_then(|d| d.parse::<sitrep_core::Date>().ok());
    let body = body.map_err(|e| ApiError::new(e.status(), e.body_text()))?;
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/x-ndjson")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let format = match media.as_str() {
        "application/x-ndjson" | "application/jsonl" | "application/json" => sitrep_ingest::InputFormat::Jsonl,
        "text/plain" => sitrep_ingest::InputFormat::Text,
        "text/html" => sitrep_ingest::InputFormat::Html,
        other => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("{other:?}: send application/x-ndjson (one document per line), text/plain or text/html"),
            ))
        }
    };
    let state = Arc::clone(&st);
    let report = tokio::task::spawn_blocking(move || -> Result<Value, ApiError> {
        let Some(writer) = &state.writer else {
            return Err(ApiError::internal("ingest disappeared"));
        };
        let opts = sitrep_ingest::IngestOptions {
            format,
            max_bytes: state.max_body,
            default_published: None,
        };
        let mut docs = Vec::new();
        let mut errors = Vec::new();
        for item in sitrep_ingest::read_reader("request", std::io::Cursor::new(body.to_vec()), &opts) {
            match item.map_err(|e| e.to_string()).and_then(|raw| {
                crate::extract::annotate(&writer.pipeline, raw, published)
            }) {
                Ok(mut doc) => {
                    doc.tokens.clear();
                    docs.push(doc);
                }
                Err(e) => errors.push(e),
            }
        }
        if docs.is_empty() && !errors.is_empty() {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("no readable document: {}", errors.join("; ")),
            ));
        }
        let mut guard = writer
            .store
            .lock()
            .map_err(|_| ApiError::internal("the store writer failed earlier"))?;
        if guard.is_none() {
            *guard = Some(sitrep_store::Store::open_at(&state.db)?);
        }
        let Some(store) = guard.as_mut() else {
            return Err(ApiError::internal("cannot open the store for writing"));
        };
        let r = store.ingest(&docs)?;
        Ok(json!({
            "added": r.added, "already_stored": r.already_stored, "exact_copies": r.exact_copies,
            "near_duplicates": r.near_duplicates, "events": r.events, "new_clusters": r.new_clusters,
            "failed": errors.len(), "errors": errors,
        }))
    })
    .await
    .map_err(|e| ApiError::internal(format!("ingest failed: {e}")))??;
    ok(report)
}

/// Compares without an early exit, so the time taken says nothing about
/// how much of a token was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        diff |= usize::from(x ^ y);
    }
    diff == 0
}

/// A file of the web page, or a JSON 404.
async fn page(State(st): St, method: Method, uri: Uri) -> Response {
    let path = uri.path();
    if path.starts_with("/api/") || path == "/api" {
        return ApiError::not_found(format!("no API endpoint {path}; see /api/openapi.json"))
            .into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        return ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "the page is read with GET")
            .into_response();
    }
    if path.contains("..") || path.contains('\\') || path.contains("//") {
        return ApiError::new(StatusCode::BAD_REQUEST, "bad path").into_response();
    }
    match st.assets.get(path) {
        Some((media, bytes)) => (
            [
                (header::CONTENT_TYPE, *media),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            bytes.clone(),
        )
            .into_response(),
        None if !st.assets.has_page() && path == "/" => (
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "sitrep: the web page is not built (run ./setup, or web/build.sh); the API is at /api/openapi.json\n",
        )
            .into_response(),
        None => ApiError::not_found(format!("no file {path}")).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"secret-token-123", b"secret-token-123"));
        assert!(!constant_time_eq(b"secret-token-12", b"secret-token-123"));
        assert!(!constant_time_eq(b"", b"x"));
    }
}
