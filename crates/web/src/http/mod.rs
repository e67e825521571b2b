//! HTTP plumbing: cookies, CSRF, security headers, errors, throttling, metrics, the page cache
//! and request ids. Each middleware is a plain `async fn` used with `from_fn_with_state`.

pub mod cache;
pub mod cookies;
pub mod csrf;
pub mod domains;
pub mod errors;
pub mod headers;
pub mod metrics;
pub mod request_id;
pub mod throttle;

use axum::http::request::Parts;

use crate::state::{AppState, SecureCookies};

/// Whether the request arrived over TLS, as far as this server can tell.
pub fn is_tls(
    state: &AppState,
    parts_headers: &axum::http::HeaderMap,
    uri: &axum::http::Uri,
) -> bool {
    match state.config.secure_cookies {
        SecureCookies::Always => true,
        SecureCookies::Never => false,
        SecureCookies::Auto => {
            uri.scheme_str() == Some("https")
                || state
                    .config
                    .public_url
                    .as_deref()
                    .is_some_and(|u| u.starts_with("https://"))
                || (state.config.trust_proxy
                    && parts_headers
                        .get("x-forwarded-proto")
                        .and_then(|v| v.to_str().ok())
                        .is_some_and(|v| v.eq_ignore_ascii_case("https")))
        }
    }
}

/// The client's address: the socket peer, or with `trust_proxy` the address the proxy saw (the
/// last entry of `X-Forwarded-For`). Used only for throttling, in memory, never stored.
pub fn client_addr(state: &AppState, parts: &Parts) -> String {
    if state.config.trust_proxy
        && let Some(last) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
    {
        return last.trim().to_owned();
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map_or_else(|| "local".to_owned(), |c| c.0.ip().to_string())
}

/// The client address of a request, for throttling only: never stored, never logged.
pub struct Client(pub String);

impl axum::extract::FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(client_addr(state, parts)))
    }
}
