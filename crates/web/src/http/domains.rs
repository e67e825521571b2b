//! Agencies on their own domain. When the `Host` of a request is a domain configured for an
//! agency (`[domains]` in the configuration), the root of that domain is the agency's home page
//! and `/sitemap.xml` its sitemap; every other path is served as it is, so the `/a/{slug}/…`
//! URLs an agency has published keep working on both hosts.

use axum::extract::{Request, State};
use axum::http::header::HOST;
use axum::http::{HeaderMap, Uri};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

/// The agency whose own domain a request with these headers is for, if any.
pub fn host_agency<'s>(state: &'s AppState, headers: &HeaderMap) -> Option<&'s str> {
    if state.config.domains.is_empty() {
        return None;
    }
    let host = headers.get(HOST).and_then(|h| h.to_str().ok())?;
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    state
        .config
        .domains
        .get(&host.to_ascii_lowercase())
        .map(String::as_str)
}

pub async fn middleware(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if let Some(slug) = host_agency(&state, req.headers()) {
        let to = match req.uri().path() {
            "/" => Some(format!("/a/{slug}/")),
            "/sitemap.xml" => Some(format!("/a/{slug}/sitemap.xml")),
            _ => None,
        };
        if let Some(path) = to {
            let with_query = match req.uri().query() {
                Some(q) => format!("{path}?{q}"),
                None => path,
            };
            if let Ok(uri) = with_query.parse::<Uri>() {
                *req.uri_mut() = uri;
            }
        }
    }
    next.run(req).await
}
