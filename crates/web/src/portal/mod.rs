//! The public site of an agency. This issue brings its home page (profile, executives on both
//! sides, the structure of divisions, contacts) and its public files; the CMS, the OIT pages,
//! open data and search build on it.

pub mod discover;
pub mod files;
pub mod home;
pub mod opendata;

use prongsai_domain::platform::Agency;

use crate::pages::{Layout, NavLink, OpenGraph, Page};
use crate::state::AppState;

/// The public site's menu. `current` is the path under `/a/{slug}/` of the page shown.
pub fn nav(page: &Page, slug: &str, current: &str) -> Vec<NavLink> {
    [
        ("", "nav-home"),
        ("#executives", "portal-executives"),
        ("#structure", "portal-structure"),
        ("measures", "nav-measures"),
        ("ita", "nav-ita-public"),
        ("data", "nav-data"),
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
    let nav_of_agency = crate::platform::agency_nav(page, agency);
    let base = state.config.agency_base(slug);
    l.og = Some(OpenGraph {
        site_name: nav_of_agency.name.clone(),
        locale: match page.tr.lang {
            crate::i18n::Lang::Th => "th_TH",
            crate::i18n::Lang::En => "en_US",
        },
        description: agency
            .profile
            .about
            .as_deref()
            .filter(|a| !a.trim().is_empty())
            .map(|a| prongsai_thai::Segmenter::new().shorten(a, 160)),
        image: base
            .as_ref()
            .zip(nav_of_agency.logo.as_ref())
            .map(|(b, logo)| format!("{b}{logo}")),
    });
    l.agency = Some(nav_of_agency);
    l.nav = nav(page, slug, section);
    l.canonical = base.map(|u| format!("{u}/a/{slug}/{path}"));
    l
}
