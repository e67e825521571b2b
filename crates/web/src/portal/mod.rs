//! The public site of an agency. This issue brings its home page (profile, executives on both
//! sides, the structure of divisions, contacts) and its public files; the CMS, the OIT pages,
//! open data and search build on it.

pub mod files;
pub mod home;
pub mod search;

use prongsai_domain::platform::Agency;

use crate::pages::{Layout, NavLink, Page};
use crate::state::AppState;

/// The public site's menu. `current` is the path under `/a/{slug}/` of the page shown.
pub fn nav(page: &Page, slug: &str, current: &str) -> Vec<NavLink> {
    [
        ("", "nav-home"),
        ("#executives", "portal-executives"),
        ("#structure", "portal-structure"),
        ("measures", "nav-measures"),
        ("ita", "nav-ita-public"),
        ("#contact", "portal-contact"),
    ]
    .iter()
    .map(|(path, key)| NavLink {
        href: format!("/a/{slug}/{path}"),
        label: page.tr.get(key),
        current: *path == current,
    })
    .collect()
}

/// The layout of a public page of an agency: its header, the portal menu with `section` marked,
/// and the canonical URL of `path` (under `/a/{slug}/`) when the public URL is configured.
pub fn layout(
    page: &Page,
    agency: &Agency,
    title: String,
    state: &AppState,
    path: &str,
    section: &str,
) -> Layout {
    let slug = agency.slug.as_str();
    let mut l = Layout::new(page, title);
    l.agency = Some(crate::platform::agency_nav(page, agency));
    l.nav = nav(page, slug, section);
    l.canonical = state
        .config
        .public_url
        .as_ref()
        .map(|u| format!("{}/a/{slug}/{path}", u.trim_end_matches('/')));
    l
}
