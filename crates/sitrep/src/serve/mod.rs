//! `sitrep serve`: the store over HTTP — a JSON API (documented in
//! `docs/openapi.json`, served at `/api/openapi.json`) and the analyst's
//! web page (`web/`), from one process, offline.
//!
//! The server binds to 127.0.0.1 by default and is read-only: it opens the
//! store read-only, one connection per worker, and queries run on
//! blocking threads so a slow query never stalls the others. Ingest over
//! HTTP (`POST /api/ingest`) exists only when a token is given
//! (`--ingest-token` or `$SITREP_INGEST_TOKEN`), and then only for requests
//! that carry it. Every request is counted against a per-client rate
//! limit; bodies above `--max-body` are refused before they are read;
//! every parameter is checked and bound, never pasted into SQL; errors are
//! JSON with a status code.

mod api;
mod assets;
mod error;
mod limit;
mod params;

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use clap::Args;
use sitrep_core::Pipeline;
use sitrep_gazetteer::Gazetteer;
use sitrep_store::event_index::EventIndex;
use sitrep_store::Store;

pub use assets::Assets;
pub use error::ApiError;

use crate::{EXIT_FATAL, EXIT_OK};

/// Arguments of `sitrep serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The store (default: $SITREP_DB, else var/sitrep.db).
    #[arg(long)]
    pub db: Option<String>,
    /// Address to listen on. Loopback by default: put a reverse proxy with
    /// TLS and authentication in front before exposing it.
    #[arg(long, default_value = "127.0.0.1:8077")]
    pub addr: SocketAddr,
    /// The built web page (default: web/dist, made by ./setup).
    #[arg(long)]
    pub web: Option<PathBuf>,
    /// Enables POST /api/ingest for requests with `Authorization: Bearer
    /// TOKEN` (at least 16 characters); also read from
    /// $SITREP_INGEST_TOKEN, which keeps it out of the process list.
    #[arg(long)]
    pub ingest_token: Option<String>,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = 8 * 1024 * 1024)]
    pub max_body: usize,
    /// Requests per second per client address (twice as many in a burst);
    /// 0 turns the limit off.
    #[arg(long, default_value_t = 100)]
    pub rate_limit: u32,
    /// The gazetteer index (as for `extract`): country codes in both ISO
    /// forms, and ingest's places layer.
    #[arg(long)]
    pub gazetteer: Option<PathBuf>,
}

/// What every handler shares.
pub struct AppState {
    db: sitrep_store::Location,
    readers: Mutex<Vec<Store>>,
    writer: Option<Writer>,
    assets: Assets,
    limiter: limit::RateLimiter,
    gazetteer: Option<Arc<Gazetteer>>,
    max_body: usize,
    /// The events' filter columns in memory (sitrep_store::event_index).
    index: std::sync::RwLock<EventIndex>,
}

/// Ingest over HTTP: the token, the pipeline and the one writable store.
struct Writer {
    token: String,
    pipeline: Pipeline,
    store: Mutex<Option<Store>>,
}

impl AppState {
    /// Runs `f` on a read-only store connection on a blocking thread.
    async fn read<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let state = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let store = match state.readers.lock().ok().and_then(|mut v| v.pop()) {
                Some(s) => s,
                None => Store::open_read_only_at(&state.db)?,
            };
            let out = f(&store);
            if let Ok(mut v) = state.readers.lock() {
                v.push(store);
            }
            out
        })
        .await
        .map_err(|e| ApiError::internal(format!("query failed: {e}")))?
    }

    /// Runs `f` with a store connection and the event index brought up
    /// to date with the store, on a blocking thread.
    async fn read_indexed<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&Store, &EventIndex) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let state = Arc::clone(self);
        self.read(move |store| {
            state
                .index
                .write()
                .map_err(|_| ApiError::internal("the event index failed earlier"))?
                .refresh(store)?;
            let index = state
                .index
                .read()
                .map_err(|_| ApiError::internal("the event index failed earlier"))?;
            f(store, &index)
        })
        .await
    }

    /// The codes a country is written with in events.
    fn countries(&self, code: &str) -> Vec<String> {
        crate::filters::country_codes(code, self.gazetteer.as_deref())
    }
}

/// Builds the application: routes, limits and state.
pub fn app(state: Arc<AppState>) -> axum::Router {
    api::routes()
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state),
            guard,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(state.max_body))
        .with_state(state)
}

/// Every request: the rate limit, the declared body size, and headers that
/// keep the page to itself (no framing, no sniffing, no outside sources).
async fn guard(
    State(state): State<Arc<AppState>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    if !state.limiter.allow(client.ip()) {
        return ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too many requests from this address; slow down",
        )
        .into_response();
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > state.max_body as u64) {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("request body over {} bytes", state.max_body),
        )
        .into_response();
    }
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// Opens what the server needs; errors name the file at fault.
pub fn state(args: &ServeArgs, err: &mut dyn Write) -> Result<Arc<AppState>, u8> {
    let db = crate::store::db_location(args.db.as_deref());
    let first = crate::store::open(&db, false, err)?;
    // Built now, so the first request does not wait for it.
    let mut index = EventIndex::default();
    if let Err(e) = index.refresh(&first) {
        let _ = writeln!(err, "sitrep: error: {e}");
        return Err(EXIT_FATAL);
    }
    let res = crate::load_resources(args.gazetteer.as_deref(), err)?;
    let assets = match args.web.clone().or_else(assets::default_dir) {
        Some(dir) => match Assets::load(&dir) {
            Ok(a) => a,
            Err(e) => {
                let _ = writeln!(err, "sitrep: error: web page: {e}");
                return Err(EXIT_FATAL);
            }
        },
        None => {
            let _ = writeln!(
                err,
                "sitrep: warning: no built web page (web/dist; run ./setup or web/build.sh): serving the API only"
            );
            Assets::none()
        }
    };
    let token = args
        .ingest_token
        .clone()
        .or_else(|| std::env::var("SITREP_INGEST_TOKEN").ok())
        .filter(|t| !t.is_empty());
    let writer = match &token {
        Some(t) if t.chars().count() < 16 => {
            let _ = writeln!(
                err,
                "sitrep: error: --ingest-token: use at least 16 characters"
            );
            return Err(EXIT_FATAL);
        }
        Some(t) => Some(Writer {
            token: t.clone(),
            pipeline: crate::default_pipeline(&res),
            store: Mutex::new(None),
        }),
        None => None,
    };
    Ok(Arc::new(AppState {
        db,
        readers: Mutex::new(vec![first]),
        writer,
        assets,
        limiter: limit::RateLimiter::new(args.rate_limit),
        gazetteer: res.gazetteer,
        max_body: args.max_body,
        index: std::sync::RwLock::new(index),
    }))
}

/// Runs `sitrep serve` until Ctrl-C.
pub fn run(args: &ServeArgs, err: &mut dyn Write) -> u8 {
    let state = match state(args, err) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "sitrep: error: cannot start the server: {e}");
            return EXIT_FATAL;
        }
    };
    let page = state.assets.has_page();
    let ingest = state.writer.is_some();
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(args.addr).await {
            Ok(l) => l,
            Err(e) => {
                let _ = writeln!(err, "sitrep: error: cannot listen on {}: {e}", args.addr);
                return EXIT_FATAL;
            }
        };
        let addr = listener.local_addr().unwrap_or(args.addr);
        let _ = writeln!(
            err,
            "sitrep: serving {} on http://{addr}/{} (API: /api/openapi.json{}); Ctrl-C stops",
            state.db,
            if page { "" } else { " (no web page)" },
            if ingest {
                "; ingest enabled"
            } else {
                "; read-only"
            }
        );
        let _ = err.flush();
        let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        match axum::serve(listener, service)
            .with_graceful_shutdown(shutdown)
            .await
        {
            Ok(()) => EXIT_OK,
            Err(e) => {
                let _ = writeln!(err, "sitrep: error: server: {e}");
                EXIT_FATAL
            }
        }
    })
}
