//! The public site of an agency. This issue brings its home page (profile, executives on both
//! sides, the structure of divisions, contacts) and its public files; the CMS, the OIT pages,
//! open data and search build on it.

pub mod files;
pub mod home;

use crate::pages::{NavLink, Page};

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
