//! Cross-site request forgery protection for every state-changing request.
//!
//! The browser holds a random `prongsai_csrf` cookie. Each form carries
//! `csrf = HMAC(instance key, csrf cookie | session cookie)`. The middleware refuses any POST,
//! PUT, PATCH or DELETE whose token does not match, before a handler runs, so a route cannot
//! forget the check. Binding the token to the session cookie means a token seen before sign-in
//! is useless after it.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::cookies::{self, CookieOut, Cookies};
use crate::error::WebError;
use crate::state::AppState;

/// The form field that carries the token.
pub const FIELD: &str = "csrf";

/// The token for a pair of cookie values.
pub fn token_for(key: &[u8], csrf_cookie: &str, session_cookie: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(b"csrf-v1|");
    mac.update(csrf_cookie.as_bytes());
    mac.update(b"|");
    mac.update(session_cookie.as_bytes());
    data_encoding::BASE64URL_NOPAD.encode(&mac.finalize().into_bytes())
}

/// The CSRF token for a page being rendered. Creates the cookie if the browser has none yet.
pub fn token(state: &AppState, parts: &mut axum::http::request::Parts) -> String {
    let jar = parts
        .extensions
        .get::<Cookies>()
        .cloned()
        .unwrap_or_default();
    let session = jar.get(cookies::SESSION).unwrap_or("").to_owned();
    if let Some(seed) = jar.get(cookies::CSRF).filter(|s| valid_seed(s)) {
        return token_for(&state.csrf_key, seed, &session);
    }
    // A new seed for this browser; remember it for other forms on the same page.
    if let Some(NewSeed(seed)) = parts.extensions.get::<NewSeed>() {
        return token_for(&state.csrf_key, seed, &session);
    }
    let seed = data_encoding::BASE64URL_NOPAD.encode(
        &prongsai_domain::entropy::random_bytes::<32>(state.cx.entropy.as_ref()),
    );
    if let Some(out) = parts.extensions.get::<CookieOut>() {
        out.set(cookies::CSRF, &seed, None);
    }
    let t = token_for(&state.csrf_key, &seed, &session);
    parts.extensions.insert(NewSeed(seed));
    t
}

#[derive(Clone)]
struct NewSeed(String);

fn valid_seed(s: &str) -> bool {
    s.len() == 43
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Refuses state-changing requests without a valid token, and bodies over the limit with 413.
pub async fn middleware(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let limit = state.config.max_body_bytes;
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return WebError::PayloadTooLarge.into_response();
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return WebError::PayloadTooLarge.into_response();
    };
    let jar = parts
        .extensions
        .get::<Cookies>()
        .cloned()
        .unwrap_or_default();
    let expected = jar
        .get(cookies::CSRF)
        .filter(|s| valid_seed(s))
        .map(|seed| {
            token_for(
                &state.csrf_key,
                seed,
                jar.get(cookies::SESSION).unwrap_or(""),
            )
        });
    let given = submitted_token(&parts, &bytes).await;
    let ok = match (expected, given) {
        (Some(e), Some(g)) => e.as_bytes().ct_eq(g.as_bytes()).into(),
        _ => false,
    };
    if !ok {
        return WebError::CsrfRejected.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// The token from the `X-CSRF-Token` header, a URL-encoded form, or a multipart form.
async fn submitted_token(
    parts: &axum::http::request::Parts,
    body: &bytes::Bytes,
) -> Option<String> {
    if let Some(h) = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return Some(h.to_owned());
    }
    let ctype = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if ctype.starts_with("application/x-www-form-urlencoded") {
        return form_urlencoded::parse(body)
            .find(|(k, _)| k == FIELD)
            .map(|(_, v)| v.into_owned());
    }
    if ctype.starts_with("multipart/form-data") {
        let boundary = multer::parse_boundary(ctype).ok()?;
        let stream =
            futures_util::stream::once(std::future::ready(Ok::<_, std::io::Error>(body.clone())));
        let mut mp = multer::Multipart::new(stream, boundary);
        while let Ok(Some(field)) = mp.next_field().await {
            if field.name() == Some(FIELD) {
                return field.text().await.ok();
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_depend_on_both_cookies_and_the_key() {
        let t = token_for(b"k", "seed", "");
        assert_eq!(t.len(), 43);
        assert_ne!(t, token_for(b"k", "seed", "session"));
        assert_ne!(t, token_for(b"k", "other", ""));
        assert_ne!(t, token_for(b"k2", "seed", ""));
        assert_eq!(t, token_for(b"k", "seed", ""));
    }
}
