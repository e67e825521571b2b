//! Standard pages every agency's site carries, generated from its profile so that they exist
//! from the first day and stay current: the social-media channels (OIT O9) and the privacy
//! policy (OIT O10), written from a template with the agency's name and contacts.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::home::serve_cached;
use crate::error::{WebError, WebResult};
use prongsai_domain::platform::Agency;

use crate::pages::{Layout, Page, tel_uri};
use crate::state::AppState;

/// One channel: (label, text shown, link).
pub struct Channel {
    pub label: String,
    pub text: String,
    pub href: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/social.html")]
struct SocialPage {
    l: Layout,
    slug: String,
    channels: Vec<Channel>,
}

#[derive(Template)]
#[template(path = "portal/privacy.html")]
struct PrivacyPage {
    l: Layout,
    agency: String,
    address: String,
    contacts: Vec<Channel>,
}

/// The agency's channels from its profile, in the order people reach for them.
fn channels(page: &Page, p: &prongsai_domain::platform::AgencyProfile) -> Vec<Channel> {
    let tr = &page.tr;
    let mut out = Vec::new();
    let mut push = |key: &str, text: &Option<String>, href: fn(&str) -> Option<String>| {
        if let Some(t) = text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            out.push(Channel {
                label: tr.get(key),
                text: t.to_owned(),
                href: href(t),
            });
        }
    };
    push("field-website", &p.website, |t| Some(t.to_owned()));
    push("field-facebook", &p.facebook, |t| Some(t.to_owned()));
    push("field-line", &p.line_id, |_| None);
    push("field-phone", &p.phone, tel_uri);
    push("field-email", &p.email, |t| Some(format!("mailto:{t}")));
    out
}

/// A cached public page at `/a/{slug}/{section}`, titled by `title_key` and written from the
/// agency by `body` (which gets the page's layout).
async fn profile_page(
    state: &AppState,
    slug: &str,
    section: &str,
    title_key: &str,
    page: &Page,
    headers: &HeaderMap,
    body: impl FnOnce(Layout, &Agency) -> WebResult<String>,
) -> WebResult<Response> {
    let render = async {
        let agency = state
            .cx
            .store
            .agency_by_slug(slug)
            .await?
            .ok_or(WebError::NotFound)?;
        let mut l = super::layout(
            page,
            &agency,
            page.tr.get(title_key),
            state,
            section,
            section,
        );
        // Served to every visitor from the cache: nothing of this visitor's goes in.
        l.flash = None;
        body(l, &agency)
    };
    serve_cached(state, slug, &format!("/{section}"), page, headers, render).await
}

/// `GET /a/{slug}/social`: the agency's social-media and contact channels.
pub async fn social(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    page: Page,
    headers: HeaderMap,
) -> WebResult<Response> {
    profile_page(
        &state,
        &slug,
        "social",
        "social-title",
        &page,
        &headers,
        |l, agency| {
            Ok(SocialPage {
                l,
                slug: agency.slug.to_string(),
                channels: channels(&page, &agency.profile),
            }
            .render()?)
        },
    )
    .await
}

/// `GET /a/{slug}/privacy`: the privacy policy, from the template.
pub async fn privacy(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    page: Page,
    headers: HeaderMap,
) -> WebResult<Response> {
    profile_page(
        &state,
        &slug,
        "privacy",
        "privacy-title",
        &page,
        &headers,
        |l, agency| {
            let p = &agency.profile;
            // The address as the profile writes it, else put together from its parts.
            let postcode = p.postcode.clone().unwrap_or_default();
            let address = match p
                .address
                .as_deref()
                .map(str::trim)
                .filter(|a| !a.is_empty())
            {
                Some(a) if a.contains(postcode.trim()) => a.to_owned(),
                Some(a) => format!("{a} {postcode}").trim_end().to_owned(),
                None => [
                    p.subdistrict.clone().unwrap_or_default(),
                    p.district.clone(),
                    p.province.clone(),
                    postcode,
                ]
                .into_iter()
                .filter(|s| !s.trim().is_empty())
                .collect::<Vec<_>>()
                .join(" "),
            };
            Ok(PrivacyPage {
                l,
                agency: crate::portal::home::display_name(&page, agency),
                address,
                contacts: channels(&page, p)
                    .into_iter()
                    .filter(|c| c.href.as_deref().is_some_and(|h| !h.starts_with("http")))
                    .collect(),
            }
            .render()?)
        },
    )
    .await
}
