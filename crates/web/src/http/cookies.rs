//! Cookies in and out. Incoming cookies are parsed once; anything in the request may queue a
//! `Set-Cookie` on [`CookieOut`], and the middleware adds them to the response.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

pub const SESSION: &str = "prongsai_session";
pub const CSRF: &str = "prongsai_csrf";
pub const LANG: &str = "prongsai_lang";
pub const FLASH: &str = "prongsai_flash";

/// The request's cookies.
#[derive(Debug, Clone, Default)]
pub struct Cookies(pub HashMap<String, String>);

impl Cookies {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

/// `Set-Cookie` values to add to the response.
#[derive(Debug, Clone, Default)]
pub struct CookieOut {
    cookies: Arc<Mutex<Vec<String>>>,
    secure: bool,
}

impl CookieOut {
    /// Queues a cookie for the whole site, HttpOnly and SameSite=Lax; Secure over TLS.
    /// `max_age` `None` makes a browser-session cookie.
    pub fn set(&self, name: &str, value: &str, max_age: Option<i64>) {
        let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
        if let Some(age) = max_age {
            c.push_str(&format!("; Max-Age={age}"));
        }
        if self.secure {
            c.push_str("; Secure");
        }
        self.lock().push(c);
    }

    /// Queues the removal of a cookie.
    pub fn remove(&self, name: &str) {
        self.set(name, "", Some(0));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        self.cookies
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Parses a `Cookie` header. Malformed pairs are skipped.
pub fn parse(header: &str) -> HashMap<String, String> {
    header
        .split(';')
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            let k = k.trim();
            (!k.is_empty()).then(|| (k.to_owned(), v.trim().trim_matches('"').to_owned()))
        })
        .collect()
}

pub async fn middleware(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let mut jar = HashMap::new();
    for h in req.headers().get_all(COOKIE) {
        if let Ok(s) = h.to_str() {
            jar.extend(parse(s));
        }
    }
    let out = CookieOut {
        cookies: Arc::default(),
        secure: super::is_tls(&state, req.headers(), req.uri()),
    };
    req.extensions_mut().insert(Cookies(jar));
    req.extensions_mut().insert(out.clone());
    let mut res = next.run(req).await;
    for c in out.lock().drain(..) {
        if let Ok(v) = HeaderValue::from_str(&c) {
            res.headers_mut().append(SET_COOKIE, v);
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_headers_parse_leniently() {
        let c = parse("a=1; b = two ; broken; =x; c=\"q\"");
        assert_eq!(c.get("a").map(String::as_str), Some("1"));
        assert_eq!(c.get("b").map(String::as_str), Some("two"));
        assert_eq!(c.get("c").map(String::as_str), Some("q"));
        assert_eq!(c.len(), 3);
    }
}
