//! An in-process cache of rendered public pages, per agency. A write under `/a/{slug}/` empties
//! that agency's entries, so the public site shows a change at once. Entries also expire after
//! a short time, for installations where several servers share one database.

use std::collections::HashMap;
use std::sync::RwLock;

use bytes::Bytes;

/// A cached page.
#[derive(Debug, Clone)]
pub struct CachedPage {
    pub body: Bytes,
    pub etag: String,
    pub stored_at: i64,
    /// When the page must be made again whatever happens: the next scheduled publication it
    /// would show.
    pub expires_at: Option<i64>,
}

/// One agency's pages, by (path, language).
type AgencyPages = HashMap<(String, &'static str), CachedPage>;

/// Pages by agency slug.
#[derive(Debug, Default)]
pub struct PageCache {
    pages: RwLock<HashMap<String, AgencyPages>>,
}

/// How long a page may be served from the cache without a local write invalidating it.
pub const TTL_SECS: i64 = 30;

impl PageCache {
    pub fn get(&self, slug: &str, path: &str, lang: &'static str, now: i64) -> Option<CachedPage> {
        let pages = self
            .pages
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        pages
            .get(slug)?
            .get(&(path.to_owned(), lang))
            .filter(|p| now - p.stored_at < TTL_SECS && p.expires_at.is_none_or(|e| now < e))
            .cloned()
    }

    pub fn put(&self, slug: &str, path: &str, lang: &'static str, page: CachedPage) {
        let mut pages = self
            .pages
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let agency = pages.entry(slug.to_owned()).or_default();
        if agency.len() > 1000 {
            agency.clear();
        }
        agency.insert((path.to_owned(), lang), page);
    }

    /// Forgets every page of an agency.
    pub fn invalidate(&self, slug: &str) {
        self.pages
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(slug);
    }

    /// Forgets everything (after writes that change the platform home).
    pub fn clear(&self) {
        self.pages
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
    }
}

/// A strong ETag for a body.
pub fn etag(body: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(body);
    format!("\"{}\"", data_encoding::BASE64URL_NOPAD.encode(&d[..12]))
}

/// Empties the cache of the agency in the path after any successful write under `/a/{slug}/`.
pub async fn invalidate_on_write(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let write = !matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD
    );
    let slug = write
        .then(|| {
            req.uri()
                .path()
                .strip_prefix("/a/")
                .and_then(|p| p.split('/').next())
                .map(str::to_owned)
        })
        .flatten();
    let res = next.run(req).await;
    if let Some(slug) = slug
        && res.status().as_u16() < 400
    {
        state.cache.invalidate(&slug);
        state.scheduled.forget(&slug);
    }
    res
}
