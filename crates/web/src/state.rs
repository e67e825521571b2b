//! The application state shared by every handler.

use std::sync::Arc;

use prongsai_domain::Ctx;
use prongsai_domain::platform::SessionPolicy;
use prongsai_domain::platform::file::BlobStore;

use crate::http::cache::PageCache;
use crate::http::metrics::Metrics;
use crate::http::throttle::Throttle;
use crate::i18n::{Catalogs, Lang, Tr};

/// When cookies get the `Secure` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SecureCookies {
    /// When the request came over TLS (directly, or per `X-Forwarded-Proto` from a trusted proxy).
    #[default]
    Auto,
    Always,
    Never,
}

/// Web settings, from the layered configuration.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The public base URL, e.g. `https://prongsai.example.go.th`; used for absolute links.
    pub public_url: Option<String>,
    pub secure_cookies: SecureCookies,
    /// Trust `X-Forwarded-For` / `X-Forwarded-Proto` from a reverse proxy.
    pub trust_proxy: bool,
    /// The largest request body accepted (uploads included).
    pub max_body_bytes: usize,
    /// The largest uploaded image.
    pub max_image_bytes: u64,
    pub session: SessionPolicy,
    /// Sign-in attempts per account per window before refusing.
    pub signin_per_account: u32,
    /// Sign-in attempts per client address per window before refusing.
    pub signin_per_client: u32,
    /// The throttling window, in seconds.
    pub throttle_window_secs: i64,
    /// Serve `/metrics`.
    pub metrics: bool,
    /// Keep rendered public pages in memory (turned off only to measure rendering).
    pub page_cache: bool,
    /// Let the OIT pre-checks connect to external evidence links; off, they are not checked.
    pub check_external_links: bool,
    /// Agencies served on their own domain: host name (lower case, no port) → agency slug.
    pub domains: std::collections::BTreeMap<String, String>,
}

impl WebConfig {
    /// The base URL of an agency's public pages: `https://` its own domain when it has one, else
    /// the public URL of the instance, else none.
    pub fn agency_base(&self, slug: &str) -> Option<String> {
        self.domains
            .iter()
            .find(|(_, s)| s.as_str() == slug)
            .map(|(host, _)| format!("https://{host}"))
            .or_else(|| {
                self.public_url
                    .as_ref()
                    .map(|u| u.trim_end_matches('/').to_owned())
            })
    }
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            public_url: None,
            secure_cookies: SecureCookies::Auto,
            trust_proxy: false,
            max_body_bytes: 12 * 1024 * 1024,
            max_image_bytes: 5 * 1024 * 1024,
            session: SessionPolicy::default(),
            signin_per_account: 5,
            signin_per_client: 30,
            throttle_window_secs: 15 * 60,
            metrics: true,
            page_cache: true,
            check_external_links: false,
            domains: std::collections::BTreeMap::new(),
        }
    }
}

/// Everything a handler may need. Cheap to clone.
#[derive(Clone)]
pub struct AppState(pub Arc<Inner>);

pub struct Inner {
    pub cx: Ctx,
    pub blobs: Arc<dyn BlobStore>,
    pub config: WebConfig,
    pub catalogs: Arc<Catalogs>,
    /// The HMAC key for CSRF tokens, shared by every server of the instance.
    pub csrf_key: Vec<u8>,
    pub throttle: Throttle,
    pub metrics: Metrics,
    pub cache: PageCache,
    /// When the search index must take up scheduled news (see `portal::search`).
    pub scheduled: crate::portal::search::ScheduledRefresh,
    /// The cases module: its installation secret and used proof-of-work challenges.
    pub cases: crate::cases::CasesState,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn tr(&self, lang: Lang) -> Tr {
        Tr::new(lang, self.catalogs.clone())
    }
}
