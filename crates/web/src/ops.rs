//! Operations endpoints and site plumbing: health, readiness, metrics, static assets and the
//! language switch.

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::error::{Rendered, WebError, WebResult};
use crate::http::cookies::{self, CookieOut};
use crate::i18n::Lang;
use crate::pages::safe_next;
use crate::state::AppState;

/// Liveness: the process answers.
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers.
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.cx.store.ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            let mut res = (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response();
            res.extensions_mut().insert(Rendered);
            res
        }
    }
}

/// Prometheus metrics.
pub async fn metrics(State(state): State<AppState>) -> WebResult<Response> {
    if !state.config.metrics {
        return Err(WebError::NotFound);
    }
    let mut res = state.metrics.render().into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    Ok(res)
}

/// The assets, compiled into the binary.
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "complaint.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../static/complaint.js"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../static/app.css"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_bytes!("../static/favicon.svg"),
    ),
];

/// A static asset, with an ETag and a day of caching.
pub async fn static_file(Path(file): Path<String>, headers: HeaderMap) -> WebResult<Response> {
    let (_, ctype, body) = ASSETS
        .iter()
        .find(|(n, _, _)| *n == file)
        .ok_or(WebError::NotFound)?;
    let etag = crate::http::cache::etag(body);
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return Ok(StatusCode::NOT_MODIFIED.into_response());
    }
    let mut res = body.to_vec().into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    Ok(res)
}

#[derive(Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

/// Sets the language cookie and goes back to the page the user was on.
pub async fn switch_lang(
    Path(lang): Path<String>,
    Query(q): Query<NextQuery>,
    Extension(out): Extension<CookieOut>,
) -> WebResult<Response> {
    let lang = Lang::parse(&lang).ok_or(WebError::NotFound)?;
    out.set(cookies::LANG, lang.code(), Some(365 * 24 * 3600));
    Ok(Redirect::to(safe_next(&q.next).unwrap_or("/")).into_response())
}
