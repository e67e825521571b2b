//! Prongsai's web layer: server-rendered pages (askama), the route table, and the security
//! middleware. Handlers are thin: extract (agency, user, form), parse, call one domain service,
//! and answer with a page, a redirect or an error.
//!
//! The layer order, outermost first: request id → trace span → metrics → cookies → security
//! headers → error pages → panic catcher → timeout → CSRF and body limit → cache invalidation →
//! handler.

pub mod auth;
pub mod cases;
pub mod error;
pub mod forms;
pub mod http;
pub mod i18n;
pub mod ita;
pub mod measures;
pub mod ops;
pub mod pages;
pub mod platform;
pub mod portal;
pub mod routes;
pub mod state;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::middleware::from_fn_with_state;
use prongsai_domain::Ctx;
use prongsai_domain::platform::file::BlobStore;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use routes::RouteInfo;
pub use state::{AppState, Inner, SecureCookies, WebConfig};

/// Builds the state: loads the catalogs and the instance's CSRF key.
pub async fn state(
    cx: Ctx,
    blobs: Arc<dyn BlobStore>,
    config: WebConfig,
) -> Result<AppState, StateError> {
    let catalogs = Arc::new(i18n::Catalogs::load()?);
    let init = prongsai_domain::entropy::random_bytes::<32>(cx.entropy.as_ref());
    let csrf_key = cx.store.instance_key("csrf-hmac", &init).await?;
    let case_secret = prongsai_domain::cases::CaseSecret::load(&cx).await?;
    Ok(AppState(Arc::new(Inner {
        cx,
        blobs,
        config,
        catalogs,
        csrf_key,
        throttle: http::throttle::Throttle::default(),
        metrics: http::metrics::Metrics::default(),
        cache: http::cache::PageCache::default(),
        scheduled: portal::search::ScheduledRefresh::default(),
        cases: cases::CasesState::new(case_secret),
    })))
}

/// Why the web state could not be built.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error(transparent)]
    Catalog(#[from] i18n::CatalogError),
    #[error("cannot read the instance keys: {0}")]
    Store(#[from] prongsai_domain::StoreError),
}

/// The application: every route with every layer.
pub fn app(state: AppState) -> Router {
    let (router, _) = routes::table();
    let make_id = http::request_id::MakeId(state.cx.entropy.clone());
    let trace = TraceLayer::new_for_http().make_span_with(|req: &Request| {
        let route = req
            .extensions()
            .get::<MatchedPath>()
            .map_or("unmatched", MatchedPath::as_str);
        tracing::info_span!(
            "request",
            id = %http::request_id::of(req),
            method = %req.method(),
            route = %route,
        )
    });
    let inner = router
        .fallback(|| async { error::WebError::NotFound })
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(make_id))
                .layer(trace)
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(from_fn_with_state(state.clone(), http::metrics::middleware))
                .layer(from_fn_with_state(state.clone(), http::cookies::middleware))
                .layer(from_fn_with_state(state.clone(), http::headers::middleware))
                .layer(from_fn_with_state(state.clone(), http::errors::middleware))
                .layer(CatchPanicLayer::new())
                .layer(TimeoutLayer::with_status_code(
                    axum::http::StatusCode::REQUEST_TIMEOUT,
                    Duration::from_secs(30),
                ))
                .layer(from_fn_with_state(state.clone(), http::csrf::middleware))
                // The CSRF layer enforces the configured body limit; extractors (multipart
                // uploads) must not add axum's default 2 MB limit below it.
                .layer(DefaultBodyLimit::max(state.config.max_body_bytes))
                .layer(from_fn_with_state(
                    state.clone(),
                    http::cache::invalidate_on_write,
                )),
        )
        .with_state(state.clone());
    // Agencies on their own domain: the path is rewritten before routing.
    Router::new()
        .fallback_service(inner)
        .layer(from_fn_with_state(state, http::domains::middleware))
}

/// Every declared route, for tests that walk them all.
pub fn route_list() -> Vec<RouteInfo> {
    routes::table().1
}
