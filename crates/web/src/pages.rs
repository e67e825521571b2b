//! What every page needs: the language, the CSP nonce, the CSRF token, the flash message, and the
//! [`Layout`] that the two base templates (portal and back office) read.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::error::{Rendered, WebError, WebResult};
use crate::http::cookies::{self, CookieOut, Cookies};
use crate::http::csrf;
use crate::http::headers::CspNonce;
use crate::i18n::{Lang, Tr};
use crate::state::AppState;

/// A one-off message shown after a redirect. Only these keys can be flashed, so the cookie can
/// never inject text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flash {
    Saved,
    Created,
    Deleted,
    PasswordChanged,
    TotpEnabled,
    TotpDisabled,
    SignedOut,
    MustChangePassword,
    TotpRequired,
    ResultsNeeded,
    CodesMade,
}

impl Flash {
    const ALL: [Flash; 11] = [
        Self::Saved,
        Self::Created,
        Self::Deleted,
        Self::PasswordChanged,
        Self::TotpEnabled,
        Self::TotpDisabled,
        Self::SignedOut,
        Self::MustChangePassword,
        Self::TotpRequired,
        Self::ResultsNeeded,
        Self::CodesMade,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Saved => "flash-saved",
            Self::Created => "flash-created",
            Self::Deleted => "flash-deleted",
            Self::PasswordChanged => "flash-password-changed",
            Self::TotpEnabled => "flash-totp-enabled",
            Self::TotpDisabled => "flash-totp-disabled",
            Self::SignedOut => "flash-signed-out",
            Self::MustChangePassword => "flash-must-change-password",
            Self::TotpRequired => "flash-totp-required",
            Self::ResultsNeeded => "flash-results-needed",
            Self::CodesMade => "flash-codes-made",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.key() == s)
    }
}

/// The language of a request: the language cookie, else Thai.
pub fn lang_of(parts_ext: &axum::http::Extensions) -> Lang {
    parts_ext
        .get::<Cookies>()
        .and_then(|c| c.get(cookies::LANG))
        .and_then(Lang::parse)
        .unwrap_or_default()
}

/// The per-request page context. Extracting it never touches the database.
#[derive(Debug, Clone)]
pub struct Page {
    pub tr: Tr,
    pub nonce: String,
    pub flash: Option<Flash>,
    /// The path and query of this request, for the language switch to come back to.
    pub here: String,
}

impl FromRequestParts<AppState> for Page {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> WebResult<Self> {
        let lang = lang_of(&parts.extensions);
        let nonce = parts
            .extensions
            .get::<CspNonce>()
            .map(|n| n.0.clone())
            .unwrap_or_default();
        let flash = parts
            .extensions
            .get::<Cookies>()
            .and_then(|c| c.get(cookies::FLASH))
            .and_then(Flash::parse);
        if flash.is_some()
            && let Some(out) = parts.extensions.get::<CookieOut>()
        {
            out.remove(cookies::FLASH);
        }
        let here = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        Ok(Self {
            tr: state.tr(lang),
            nonce,
            flash,
            here,
        })
    }
}

/// The CSRF token for the forms of a page.
#[derive(Debug, Clone)]
pub struct Csrf(pub String);

impl FromRequestParts<AppState> for Csrf {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> WebResult<Self> {
        // The session is resolved first: if it has ended, its cookie is removed by this response
        // and the token must not be bound to it.
        crate::auth::MaybeUser::from_request_parts(parts, state).await?;
        Ok(Self(csrf::token(state, parts)))
    }
}

/// A link in a navigation bar.
#[derive(Debug, Clone)]
pub struct NavLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

/// The signed-in user, as the page header shows them.
#[derive(Debug, Clone)]
pub struct UserNav {
    pub name: String,
    pub is_operator: bool,
}

/// The agency whose pages these are.
#[derive(Debug, Clone)]
pub struct AgencyNav {
    pub slug: String,
    pub name: String,
    pub place: String,
    pub logo: Option<String>,
}

/// What the base templates read.
#[derive(Debug, Clone)]
pub struct Layout {
    pub t: Tr,
    pub title: String,
    pub nonce: String,
    pub csrf: String,
    pub flash: Option<String>,
    pub lang_switch: String,
    pub user: Option<UserNav>,
    pub agency: Option<AgencyNav>,
    pub nav: Vec<NavLink>,
    /// The `<link rel=canonical>` target, when the page has one.
    pub canonical: Option<String>,
    /// OpenGraph metadata, on the public pages of an agency.
    pub og: Option<OpenGraph>,
    /// Whether the portal header leaves out its search box (the search page has its own).
    pub hide_search: bool,
}

/// What link previews show (LINE and Facebook, where agencies share their pages): the title is
/// the page's, the URL its canonical one.
#[derive(Debug, Clone)]
pub struct OpenGraph {
    pub site_name: String,
    /// `th_TH` or `en_US`.
    pub locale: &'static str,
    pub description: Option<String>,
    /// An absolute URL (only when the public URL is configured).
    pub image: Option<String>,
}

impl Layout {
    /// A layout for a page with this (already translated) title.
    pub fn new(page: &Page, title: String) -> Self {
        let other = page.tr.lang.other();
        let lang_switch = format!("/lang/{}?next={}", other.code(), percent_encode(&page.here));
        Self {
            title,
            nonce: page.nonce.clone(),
            csrf: String::new(),
            flash: page.flash.map(|f| page.tr.get(f.key())),
            lang_switch,
            user: None,
            agency: None,
            nav: Vec::new(),
            canonical: None,
            og: None,
            hide_search: false,
            t: page.tr.clone(),
        }
    }

    pub fn csrf(mut self, c: &Csrf) -> Self {
        self.csrf.clone_from(&c.0);
        self
    }

    pub fn lang(&self) -> &'static str {
        self.t.lang.code()
    }

    pub fn other_lang_label(&self) -> String {
        self.t.get("lang-switch")
    }
}

/// Percent-encodes a path for use inside a query string.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A file download with a Thai file name.
pub fn download(bytes: Vec<u8>, content_type: &'static str, file_name: &str) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename*=UTF-8''{}",
        percent_encode(file_name)
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// A `tel:` link for a phone number as people type it: "043-000-100 ต่อ 11, 1567" dials
/// `tel:043000100,11` (the first number; the extension after a pause). `None` without digits.
pub fn tel_uri(typed: &str) -> Option<String> {
    let first = typed.split([',', '/']).next().unwrap_or("");
    let arabic = prongsai_thai::to_arabic_digits(first);
    let (number, ext) = match arabic.split_once("ต่อ") {
        Some((n, e)) => (n, Some(e)),
        None => (arabic.as_str(), None),
    };
    let mut uri = String::from("tel:");
    if number.trim_start().starts_with('+') {
        uri.push('+');
    }
    uri.extend(number.chars().filter(char::is_ascii_digit));
    if uri.len() <= 4 {
        return None;
    }
    if let Some(ext) = ext {
        let digits: String = ext.chars().filter(char::is_ascii_digit).collect();
        if !digits.is_empty() {
            uri.push(',');
            uri.push_str(&digits);
        }
    }
    Some(uri)
}

/// Whether `next` is a safe place to send the user after sign-in or a language switch: a local
/// path, never another site, and nothing that cannot go in a `Location` header (a control
/// character there would make the redirect fail).
pub fn safe_next(next: &str) -> Option<&str> {
    (next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(char::is_control))
    .then_some(next)
}

/// Renders a template as a finished HTML page.
pub fn render(t: &impl askama::Template) -> WebResult<Response> {
    let body = t.render()?;
    let mut res = Html(body).into_response();
    res.extensions_mut().insert(Rendered);
    Ok(res)
}

/// Renders a form page again with its errors: status 422, so tools see the refusal, but a
/// finished page for people.
pub fn render_invalid(t: &impl askama::Template) -> WebResult<Response> {
    let mut res = render(t)?;
    *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(res)
}

/// A redirect after a successful POST, with a flash message for the next page.
pub fn redirect_flash(out: &CookieOut, to: &str, flash: Flash) -> Response {
    out.set(cookies::FLASH, flash.key(), Some(60));
    Redirect::to(to).into_response()
}

/// A response that must not be stored by any cache (pages with secrets or personal data).
pub fn no_store(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next("/a/nonhan/admin/"), Some("/a/nonhan/admin/"));
        assert_eq!(safe_next("//evil.example/"), None);
        assert_eq!(safe_next("/\\evil.example"), None);
        assert_eq!(safe_next("https://evil.example/"), None);
        assert_eq!(safe_next("/x\r\nSet-Cookie: a=b"), None);
    }

    #[test]
    fn phone_numbers_become_dialable_links() {
        let cases = [
            ("043-000-100 ต่อ 11", Some("tel:043000100,11")),
            ("๐๔๓-๐๐๐-๑๐๐", Some("tel:043000100")),
            ("+66 43 000 100, 1567", Some("tel:+6643000100")),
            ("043-000-110/111", Some("tel:043000110")),
            ("ไม่มี", None),
        ];
        for (typed, expected) in cases {
            assert_eq!(tel_uri(typed).as_deref(), expected, "{typed}");
        }
    }

    #[test]
    fn paths_are_encoded_for_query_strings() {
        assert_eq!(percent_encode("/a/x?y=1&z"), "/a/x%3Fy%3D1%26z");
    }
}
