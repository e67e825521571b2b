//! The public menu and the standard pages of an agency's site, from the standard site map
//! ([`prongsai_domain::portal::menu`]): the menu of every public page, the section pages it
//! leads to (`/a/{slug}/s/{section}`), and the back office's list of standard pages with what
//! is missing (`/a/{slug}/admin/pages/standard`), where a page the agency already wrote can
//! stand for one.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use prongsai_domain::FieldErrors;
use prongsai_domain::ids::ContentId;
use prongsai_domain::measures::PlanStatus;
use prongsai_domain::platform::Agency;
use prongsai_domain::portal::menu::{self, Facts, Generator, Place, SiteMap, StdPage};
use prongsai_domain::portal::service as ps;
use prongsai_domain::portal::{ContentKind, NewsQuery};
use prongsai_thai::FiscalYear;

use super::home::serve_cached;
use crate::auth::MemberCtx;
use crate::error::{WebError, WebResult};
use crate::forms::FormFields;
use crate::http::cookies::CookieOut;
use crate::i18n::Lang;
use crate::pages::{Csrf, Flash, Layout, NavLink, Page, redirect_flash, render, render_invalid};
use crate::platform::office_layout;
use crate::state::AppState;

/// A standard page's name in the page's language.
pub fn page_name(page: &Page, p: &StdPage) -> String {
    match page.tr.lang {
        Lang::Th => p.name_th.clone(),
        Lang::En => p.name_en.clone(),
    }
}

/// Where the menu leads for a generated page, under `/a/{slug}/`: its own list page rather
/// than one year's (the measures of every year, the OIT table of the current year).
fn menu_path(g: Generator) -> Option<&'static str> {
    Some(match g {
        Generator::News => "news",
        Generator::Measures => "measures",
        Generator::Social => "social",
        Generator::Privacy => "privacy",
        Generator::Ita => "ita",
        Generator::Data => "data",
        Generator::Qa => "qa",
        Generator::Suggestions => "suggestions",
        Generator::Complaints => "complaints",
        _ => return None,
    })
}

/// The section a public page at `current` (its path under `/a/{slug}/`) belongs to.
fn section_of<'a>(map: &'a SiteMap, current: &str) -> Option<&'a str> {
    if let Some(key) = current.strip_prefix("s/") {
        return map.section(key).map(|s| s.key.as_str());
    }
    let head = current.split('/').next().unwrap_or("");
    map.pages
        .iter()
        .find(|p| {
            p.generated.and_then(menu_path) == Some(head)
                || p.address
                    .as_deref()
                    .is_some_and(|a| current.strip_prefix("p/") == Some(a))
        })
        .map(|p| p.section.as_str())
}

/// The public site's menu: the home page, then each section of the site map. A section of one
/// page leads straight to it. `current` is the path under `/a/{slug}/` of the page shown.
pub fn nav(page: &Page, slug: &str, current: &str) -> Vec<NavLink> {
    let map = menu::standard();
    let here = section_of(map, current);
    let home = NavLink {
        href: format!("/a/{slug}/"),
        label: page.tr.get("nav-home"),
        current: current.is_empty(),
    };
    let sections = map.sections.iter().map(|s| {
        let mut pages = map.pages_of(&s.key);
        let only = match (pages.next(), pages.next()) {
            (Some(p), None) => p.generated.and_then(menu_path),
            _ => None,
        };
        NavLink {
            href: match only {
                Some(path) => format!("/a/{slug}/{path}"),
                None => format!("/a/{slug}/s/{}", s.key),
            },
            label: match page.tr.lang {
                Lang::Th => s.name_th.clone(),
                Lang::En => s.name_en.clone(),
            },
            current: here == Some(s.key.as_str()),
        }
    });
    std::iter::once(home).chain(sections).collect()
}

fn filled(s: Option<&String>) -> bool {
    s.is_some_and(|v| !v.trim().is_empty())
}

/// What decides which standard pages an agency has.
pub async fn facts(state: &AppState, agency: &Agency) -> WebResult<Facts> {
    let store = &state.cx.store;
    let now = state.cx.clock.unix();
    let p = &agency.profile;
    let people = store.list_people(agency.id).await?;
    let divisions = store.list_divisions(agency.id).await?;
    let (_, news) = store
        .public_news(
            agency.id,
            NewsQuery {
                now,
                category: None,
                offset: 0,
                limit: 1,
            },
        )
        .await?;
    let pages = store.list_content(agency.id, &[ContentKind::Page]).await?;
    let address = |id: ContentId| {
        pages
            .iter()
            .find(|c| c.id == id)
            .and_then(|c| c.fields.slug.clone())
    };
    let linked = store
        .standard_links(agency.id)
        .await?
        .into_iter()
        .filter_map(|(key, id)| Some((key, address(id)?)))
        .collect();
    Ok(Facts {
        has_about: filled(p.about.as_ref()),
        has_executives: people.iter().any(|x| x.fields.executive.is_some()),
        has_divisions: !divisions.is_empty(),
        has_contact: [&p.phone, &p.email, &p.address]
            .iter()
            .any(|v| filled(v.as_ref())),
        has_news: news > 0,
        has_social: [&p.website, &p.facebook, &p.line_id, &p.phone, &p.email]
            .iter()
            .any(|v| filled(v.as_ref())),
        approved_plans: store
            .plan_years(agency.id)
            .await?
            .into_iter()
            .filter(|(_, s)| *s == PlanStatus::Approved)
            .map(|(y, _)| y.be())
            .collect(),
        public_pages: pages
            .iter()
            .filter(|c| c.is_public(now))
            .filter_map(|c| c.fields.slug.clone())
            .collect(),
        linked,
        has_complaints: store
            .case_settings(agency.id)
            .await?
            .recovery_public
            .is_some(),
    })
}

// ---------------------------------------------------------------------------------------------
// The section pages

/// A link on a section page.
pub struct SectionLink {
    pub name: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "portal/section.html")]
struct SectionPage {
    l: Layout,
    links: Vec<SectionLink>,
}

/// `GET /a/{slug}/s/{section}`: the pages of a section of the menu that the agency has.
pub async fn show_section(
    State(state): State<AppState>,
    Path((slug, key)): Path<(String, String)>,
    page: Page,
    headers: HeaderMap,
) -> WebResult<Response> {
    let map = menu::standard();
    let section = map.section(&key).ok_or(WebError::NotFound)?;
    let path = format!("s/{}", section.key);
    let render = async {
        let agency = state
            .cx
            .store
            .agency_by_slug(&slug)
            .await?
            .ok_or(WebError::NotFound)?;
        let facts = facts(&state, &agency).await?;
        // The measures of the newest approved plan, else of this year.
        let year = facts
            .approved_plans
            .last()
            .copied()
            .unwrap_or_else(|| FiscalYear::of(state.cx.clock.today()).be());
        let links = map
            .pages_of(&section.key)
            .filter_map(|p| {
                let place = menu::place(p, &facts, year);
                let path = match (&place, p.generated.and_then(menu_path)) {
                    (Place::Generated(_), Some(menu)) => menu.to_owned(),
                    _ => place.path()?.to_owned(),
                };
                Some(SectionLink {
                    name: page_name(&page, p),
                    href: format!("/a/{}/{path}", agency.slug),
                })
            })
            .collect();
        let title = match page.tr.lang {
            Lang::Th => section.name_th.clone(),
            Lang::En => section.name_en.clone(),
        };
        let mut l = super::layout(&page, &agency, title, &state, &path, &path);
        l.flash = None;
        Ok(SectionPage { l, links }.render()?)
    };
    serve_cached(&state, &slug, &format!("/{path}"), &page, &headers, render).await
}

// ---------------------------------------------------------------------------------------------
// The back office: the standard pages

/// A standard page as the back office lists it.
pub struct StdRow {
    pub key: String,
    pub name: String,
    pub section: String,
    /// The OIT items of the year it carries.
    pub oit: Vec<String>,
    /// Where it is, when it exists.
    pub href: Option<String>,
    pub generated: bool,
    /// A module not built yet will generate it.
    pub later: bool,
    /// The address to write it at, while it is missing.
    pub write: Option<String>,
    /// Whether a page of the agency can stand for it, and which one does.
    pub linkable: bool,
    pub linked: Option<String>,
}

/// Every standard page for an agency in fiscal year `year` (BE), with the OIT items of that
/// year's framework that point at it.
pub async fn std_rows(
    state: &AppState,
    page: &Page,
    agency: &Agency,
    year: i32,
) -> WebResult<Vec<StdRow>> {
    let map = menu::standard();
    let facts = facts(state, agency).await?;
    let fw = prongsai_domain::ita::service::framework(&state.cx, year)
        .await
        .ok()
        .flatten();
    let links = state.cx.store.standard_links(agency.id).await?;
    let slug = agency.slug.as_str();
    Ok(map
        .pages
        .iter()
        .map(|p| {
            let place = menu::place(p, &facts, year);
            let section = map
                .section(&p.section)
                .map(|s| match page.tr.lang {
                    Lang::Th => s.name_th.clone(),
                    Lang::En => s.name_en.clone(),
                })
                .unwrap_or_default();
            StdRow {
                key: p.key.clone(),
                name: page_name(page, p),
                section,
                oit: fw
                    .as_ref()
                    .map(|f| {
                        f.oit_items
                            .iter()
                            .filter(|i| i.portal_page.as_deref() == Some(p.key.as_str()))
                            .map(|i| i.code.clone())
                            .collect()
                    })
                    .unwrap_or_default(),
                href: place.path().map(|path| format!("/a/{slug}/{path}")),
                generated: matches!(place, Place::Generated(_)),
                later: matches!(p.generated, Some(Generator::Later(_))),
                write: match place {
                    Place::Missing { write } => write,
                    _ => None,
                },
                linkable: p.address.is_some(),
                linked: links
                    .iter()
                    .find(|(k, _)| *k == p.key)
                    .map(|(_, id)| id.to_string()),
            }
        })
        .collect())
}

#[derive(Template)]
#[template(path = "portal/admin_standard.html")]
struct StandardPage {
    l: Layout,
    slug: String,
    year: i32,
    rows: Vec<StdRow>,
    missing: usize,
    /// The agency's pages a standard page can be pointed at: (id, title and address).
    choices: Vec<(String, String)>,
    can_link: bool,
    fe: FieldErrors,
}

async fn standard_page(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    fe: FieldErrors,
) -> WebResult<StandardPage> {
    if !ps::can_write(&m.member) {
        return Err(WebError::Forbidden);
    }
    let year = crate::ita::oit::default_year(state);
    let rows = std_rows(state, page, &m.agency, year).await?;
    let mut pages = state
        .cx
        .store
        .list_content(m.agency.id, &[ContentKind::Page])
        .await?;
    pages.sort_by(|a, b| a.fields.title.cmp(&b.fields.title));
    Ok(StandardPage {
        l: office_layout(page, csrf, m, page.tr.get("std-title"), "portal/pages"),
        slug: m.agency.slug.to_string(),
        year,
        missing: rows.iter().filter(|r| r.href.is_none()).count(),
        rows,
        choices: pages
            .iter()
            .map(|c| {
                (
                    c.id.to_string(),
                    format!(
                        "{} ({})",
                        c.fields.title,
                        c.fields.slug.as_deref().unwrap_or_default()
                    ),
                )
            })
            .collect(),
        can_link: !ps::limited_to_divisions(&m.member),
        fe,
    })
}

/// `GET /a/{slug}/admin/pages/standard`.
pub async fn show_standard(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
) -> WebResult<Response> {
    render(&standard_page(&state, &page, &csrf, &m, FieldErrors::default()).await?)
}

/// `POST /a/{slug}/admin/pages/standard/{key}`: which page stands for a standard page.
pub async fn link_standard(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, key)): Path<(String, String)>,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    match ps::set_standard_page(&state.cx, &m.member, &key, &form.get("page")).await {
        Ok(()) => Ok(redirect_flash(
            &out,
            &format!("/a/{}/admin/pages/standard#std-{key}", m.agency.slug),
            Flash::Saved,
        )),
        Err(ps::PortalError::Invalid(e)) => {
            render_invalid(&standard_page(&state, &page, &csrf, &m, e).await?)
        }
        Err(other) => Err(super::content::web_error(other)),
    }
}
