//! `/a/{slug}/search?q=…&page=N`: the agency's public content searched (see
//! `prongsai_domain::search`). Not cached: every query is its own page. Any query gives a page:
//! the domain cleans it, and the page says when it was cut.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use prongsai_domain::search::{self, DocKind, Part, rank::MAX_QUERY_CHARS};
use prongsai_thai::Digits;
use time::Date;

use crate::auth::AgencyCtx;
use crate::error::WebResult;
use crate::i18n::Lang;
use crate::pages::{Page, percent_encode};
use crate::state::AppState;

/// A result as the page shows it.
pub struct HitView {
    pub url: String,
    pub kind: String,
    pub title: Vec<Part>,
    pub snippet: Vec<Part>,
    /// (ISO date, date as shown).
    pub date: Option<(String, String)>,
}

/// A link of the pager.
pub struct PageLink {
    pub label: String,
    pub href: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "portal/search.html")]
struct SearchPage {
    l: crate::pages::Layout,
    slug: String,
    q: String,
    searched: bool,
    truncated: bool,
    dropped_terms: bool,
    partial: bool,
    capped: bool,
    total: usize,
    max_chars: usize,
    hits: Vec<HitView>,
    pages: Vec<PageLink>,
    previous: Option<String>,
    next: Option<String>,
}

/// The `q` and `page` parameters of a query string; anything unreadable counts as absent.
fn params(raw: Option<&str>) -> (String, usize) {
    let mut q = String::new();
    let mut page = 1;
    for (k, v) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match k.as_ref() {
            "q" if q.is_empty() => q = v.into_owned(),
            "page" => page = v.trim().parse::<usize>().unwrap_or(1).max(1),
            _ => {}
        }
    }
    (q, page)
}

fn date_view(lang: Lang, d: Date) -> (String, String) {
    let shown = match lang {
        Lang::Th => prongsai_thai::format_full(d, Digits::Arabic),
        Lang::En => format!("{} {} {}", d.day(), d.month(), d.year()),
    };
    (d.to_string(), shown)
}

/// When each agency's scheduled news next goes public, as seen at its last content refresh:
/// the index holds only what was public then, so a search after that time refreshes it first.
/// Forgotten on every write to the agency (with the page cache), which may schedule more.
#[derive(Debug, Default)]
pub struct ScheduledRefresh {
    due: std::sync::Mutex<std::collections::HashMap<String, i64>>,
}

impl ScheduledRefresh {
    pub fn forget(&self, slug: &str) {
        self.due
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(slug);
    }

    fn get(&self, slug: &str) -> Option<i64> {
        self.due
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(slug)
            .copied()
    }

    fn set(&self, slug: &str, at: i64) {
        self.due
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(slug.to_owned(), at);
    }
}

/// Refreshes the pages and news of the index when a scheduled item has gone public since.
async fn refresh_if_scheduled(state: &AppState, agency: &prongsai_domain::platform::Agency) {
    let slug = agency.slug.as_str();
    let now = state.cx.clock.unix();
    // Unknown since the last write, or a scheduled item has gone public since: refresh, then
    // remember when the next one does.
    if state.scheduled.get(slug).is_some_and(|due| due > now) {
        return;
    }
    prongsai_domain::search::feed::refresh_after_write(
        &state.cx,
        agency.id,
        prongsai_domain::search::Source::Content,
    )
    .await;
    let next = state
        .cx
        .store
        .next_scheduled(agency.id, now)
        .await
        .ok()
        .flatten()
        .unwrap_or(i64::MAX);
    state.scheduled.set(slug, next);
}

pub async fn show(
    State(state): State<AppState>,
    AgencyCtx(agency): AgencyCtx,
    RawQuery(raw): RawQuery,
    page: Page,
) -> WebResult<Response> {
    let (raw_q, page_no) = params(raw.as_deref());
    refresh_if_scheduled(&state, &agency).await;
    let results = search::search(&state.cx, agency.id, &raw_q, page_no).await?;
    let slug = agency.slug.to_string();
    let tr = &page.tr;
    let q = results.query.text.clone();
    let link = |n: usize| format!("/a/{slug}/search?q={}&page={n}", percent_encode(&q));
    let hits = results
        .hits
        .iter()
        .map(|h| HitView {
            url: h.url.clone(),
            kind: tr.get(&format!("search-kind-{}", h.kind.code())),
            title: h.title.clone(),
            snippet: h.snippet.clone(),
            date: h.dated_on.map(|d| date_view(tr.lang, d)),
        })
        .collect();
    let pages = if results.pages > 1 {
        (1..=results.pages)
            .map(|n| PageLink {
                label: n.to_string(),
                href: link(n),
                current: n == results.page,
            })
            .collect()
    } else {
        Vec::new()
    };
    let title = if q.is_empty() {
        tr.get("search-title")
    } else {
        tr.arg("search-title-for", "query", &q)
    };
    let mut l = crate::portal::layout(&page, &agency, title, &state, "search", "search");
    l.hide_search = true;
    crate::pages::render(&SearchPage {
        l,
        searched: !results.query.terms.is_empty(),
        truncated: results.query.truncated,
        dropped_terms: results.query.dropped_terms,
        partial: results.partial,
        capped: results.capped,
        total: results.total,
        max_chars: MAX_QUERY_CHARS,
        hits,
        previous: (results.page > 1).then(|| link(results.page - 1)),
        next: (results.page < results.pages).then(|| link(results.page + 1)),
        pages,
        q,
        slug,
    })
}

/// Every kind has a label: checked by a test, since the key is made from the kind's code.
pub fn kind_keys() -> Vec<String> {
    DocKind::ALL
        .iter()
        .map(|k| format!("search-kind-{}", k.code()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_query_strings_give_a_query_never_an_error() {
        assert_eq!(params(None), (String::new(), 1));
        assert_eq!(params(Some("q=%E0%B8%81&page=2")), ("ก".to_owned(), 2));
        assert_eq!(params(Some("q=%ZZ%&page=-3")).1, 1);
        assert_eq!(params(Some("page=99999999999999999999999")).1, 1);
        assert_eq!(params(Some("q=a+b&q=c")).0, "a b");
    }

    #[test]
    fn every_kind_has_a_label_in_both_languages() {
        let catalogs = crate::i18n::Catalogs::load().expect("catalogs");
        let catalogs = std::sync::Arc::new(catalogs);
        for lang in [Lang::Th, Lang::En] {
            let tr = crate::i18n::Tr::new(lang, catalogs.clone());
            for key in kind_keys() {
                assert_ne!(tr.get(&key), key, "{key} missing in {lang:?}");
            }
        }
    }
}
