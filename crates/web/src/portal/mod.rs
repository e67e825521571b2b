//! The public site of an agency: its home page (profile, executives on both sides, the
//! structure of divisions, contacts, latest news, its pages), its public files, and the content
//! staff write (`content.rs` in the back office, `public.rs` on the site).

pub mod content;
pub mod diff;
pub mod discover;
pub mod files;
pub mod home;
pub mod menu;
pub mod opendata;
pub mod public;
pub mod qa;
pub mod search;
pub mod standard;
pub mod suggestions;

use prongsai_domain::platform::Agency;

use crate::pages::{Layout, OpenGraph, Page};
use crate::state::AppState;

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
        // The agency's introduction, else its name and place.
        description: Some(
            agency
                .profile
                .about
                .as_deref()
                .filter(|a| !a.trim().is_empty())
                .map_or_else(
                    || format!("{} {}", nav_of_agency.name, nav_of_agency.place),
                    |a| prongsai_thai::Segmenter::new().shorten(a, 160),
                ),
        ),
        image: base
            .as_ref()
            .zip(nav_of_agency.logo.as_ref())
            .map(|(b, logo)| format!("{b}{logo}")),
    });
    l.agency = Some(nav_of_agency);
    l.nav = menu::nav(page, slug, section);
    l.canonical = base.map(|u| format!("{u}/a/{slug}/{path}"));
    l
}

/// HTML that is safe to write unescaped: only [`SafeHtml::from_markdown`] makes it, through the
/// portal's sanitising Markdown renderer. Templates write it with `|safe`.
pub struct SafeHtml(String);

impl SafeHtml {
    pub fn from_markdown(md: &str) -> Self {
        Self(prongsai_domain::portal::markdown::to_html(md))
    }
}

impl std::fmt::Display for SafeHtml {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
