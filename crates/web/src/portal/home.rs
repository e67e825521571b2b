//! The public home page of an agency: `/a/{slug}/`. It carries OIT items O1 (structure, both the
//! political and the permanent side) and O2 (executives with name, position, photo and contact).
//! Pages are cached in process and invalidated by any write to the agency.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use bytes::Bytes;
use prongsai_domain::platform::{Agency, Division, ExecutiveSide, Person};
use prongsai_domain::portal::{ContentKind, NewsQuery};

use crate::error::{Rendered, WebError, WebResult};
use crate::http::cache::{CachedPage, etag};
use crate::i18n::Lang;
use crate::pages::{Layout, Page, tel_uri};
use crate::state::AppState;

/// A person as the public page shows them.
pub struct PublicPerson {
    pub name: String,
    pub position: String,
    pub photo: Option<String>,
    pub initial: String,
    pub phone: Option<String>,
    pub phone_href: Option<String>,
    pub email: Option<String>,
}

/// A division with its head and staff.
pub struct PublicDivision {
    pub division: Division,
    pub phone_href: Option<String>,
    pub head: Option<PublicPerson>,
    pub staff: Vec<PublicPerson>,
}

#[derive(Template)]
#[template(path = "portal/home.html")]
struct HomePage {
    l: Layout,
    agency: Agency,
    /// The agency's name in the page's language.
    name: String,
    phone_href: Option<String>,
    kind: String,
    political: Vec<PublicPerson>,
    permanent: Vec<PublicPerson>,
    divisions: Vec<PublicDivision>,
    news: Vec<super::public::NewsRow>,
    /// The agency's published pages: (address, title).
    pages: Vec<(String, String)>,
}

fn public_person(slug: &str, p: &Person) -> PublicPerson {
    // The first consonant of the given name, skipping the title and leading vowels.
    let given = p.fields.name.split_whitespace().next().unwrap_or("");
    let given = ["นางสาว", "นาง", "นาย", "ดร.", "ว่าที่ร้อยตรี"]
        .iter()
        .find_map(|t| given.strip_prefix(t))
        .unwrap_or(given);
    let initial = given
        .chars()
        .find(|c| !matches!(c, 'เ' | 'แ' | 'โ' | 'ใ' | 'ไ'))
        .map(String::from)
        .unwrap_or_default();
    PublicPerson {
        name: p.fields.name.clone(),
        position: p.fields.position.clone(),
        photo: p.photo.map(|f| format!("/a/{slug}/files/{f}")),
        initial,
        phone: p.fields.phone.clone(),
        phone_href: p.fields.phone.as_deref().and_then(tel_uri),
        email: p.fields.email.clone(),
    }
}

/// The agency's name in the page's language: the English name on English pages when it has one.
pub fn display_name(page: &Page, a: &Agency) -> String {
    match (&a.profile.name_en, page.tr.lang) {
        (Some(en), Lang::En) => en.clone(),
        _ => a.profile.name.clone(),
    }
}

/// `/a/{slug}` → `/a/{slug}/`.
pub async fn redirect_to_home(Path(slug): Path<String>) -> Response {
    Redirect::permanent(&format!("/a/{}/", crate::pages::percent_encode(&slug))).into_response()
}

pub async fn show_home(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    page: Page,
    headers: HeaderMap,
) -> WebResult<Response> {
    serve_cached_until(
        &state,
        &slug,
        "/",
        &page,
        &headers,
        render_home(&state, &slug, &page),
    )
    .await
}

/// A public page from the page cache of `slug` at `path` (under `/a/{slug}`), rendered by
/// `render` and stored on a miss (or always, with the cache off), answered with its ETag: 304
/// when the browser has it.
pub async fn serve_cached(
    state: &AppState,
    slug: &str,
    path: &str,
    page: &Page,
    headers: &HeaderMap,
    render: impl Future<Output = WebResult<String>>,
) -> WebResult<Response> {
    let render = async { render.await.map(|body| (body, None)) };
    serve_cached_until(state, slug, path, page, headers, render).await
}

/// [`serve_cached`] for a page that changes at a known time by itself (a scheduled news item
/// appears): `render` gives the body and that time, after which the cached copy is not used.
pub async fn serve_cached_until(
    state: &AppState,
    slug: &str,
    path: &str,
    page: &Page,
    headers: &HeaderMap,
    render: impl Future<Output = WebResult<(String, Option<i64>)>>,
) -> WebResult<Response> {
    let lang = page.tr.lang.code();
    let now = state.cx.clock.unix();
    let hit = if state.config.page_cache {
        state.cache.get(slug, path, lang, now)
    } else {
        None
    };
    let cached = match hit {
        Some(c) => c,
        None => {
            let (body, expires_at) = render.await?;
            let c = CachedPage {
                etag: etag(body.as_bytes()),
                body: Bytes::from(body),
                stored_at: now,
                expires_at,
            };
            state.cache.put(slug, path, lang, c.clone());
            c
        }
    };
    Ok(cached_response(&cached, headers))
}

/// A cached page as a response, or 304 when the browser has it.
pub fn cached_response(c: &CachedPage, headers: &HeaderMap) -> Response {
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(c.etag.as_str());
    let mut res = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        c.body.clone().into_response()
    };
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=0, must-revalidate"),
    );
    h.insert(header::VARY, HeaderValue::from_static("Cookie"));
    if let Ok(v) = HeaderValue::from_str(&c.etag) {
        h.insert(header::ETAG, v);
    }
    res.extensions_mut().insert(Rendered);
    res
}

async fn render_home(
    state: &AppState,
    slug: &str,
    page: &Page,
) -> WebResult<(String, Option<i64>)> {
    let store = &state.cx.store;
    let agency = store
        .agency_by_slug(slug)
        .await?
        .ok_or(WebError::NotFound)?;
    let divisions = store.list_divisions(agency.id).await?;
    let people = store.list_people(agency.id).await?;
    let now = state.cx.clock.unix();
    let (latest, _) = store
        .public_news(
            agency.id,
            NewsQuery {
                now,
                category: None,
                offset: 0,
                limit: HOME_NEWS,
            },
        )
        .await?;
    let expires_at = store.next_scheduled(agency.id, now).await?;
    let mut pages = store.list_content(agency.id, &[ContentKind::Page]).await?;
    // In the order the agency made them: its profile first, as it set the site up.
    pages.sort_by_key(|c| (c.created_at, c.id));
    let pages: Vec<(String, String)> = pages
        .into_iter()
        .filter(|c| c.is_public(now))
        .map(|c| {
            (
                format!("/a/{}/{}", agency.slug, c.public_path()),
                c.fields.title,
            )
        })
        .collect();
    let slug = agency.slug.as_str();
    let side = |s: ExecutiveSide| {
        people
            .iter()
            .filter(|p| p.fields.executive == Some(s))
            .map(|p| public_person(slug, p))
            .collect()
    };
    let political = side(ExecutiveSide::Political);
    let permanent = side(ExecutiveSide::Permanent);
    let in_division = |d: &Division, head: bool| -> Vec<PublicPerson> {
        people
            .iter()
            .filter(|p| p.fields.division_id == Some(d.id) && p.fields.is_division_head == head)
            .map(|p| public_person(slug, p))
            .collect()
    };
    let divisions = divisions
        .iter()
        .map(|d| PublicDivision {
            phone_href: d.fields.phone.as_deref().and_then(tel_uri),
            head: in_division(d, true).into_iter().next(),
            staff: in_division(d, false),
            division: d.clone(),
        })
        .collect();
    let mut l = super::layout(page, &agency, display_name(page, &agency), state, "", "");
    // The page is cached and served to every visitor: nothing of this visitor's goes in, neither
    // a pending message nor the query string they came with.
    l.flash = None;
    l.lang_switch = format!(
        "/lang/{}?next={}",
        page.tr.lang.other().code(),
        crate::pages::percent_encode(&format!("/a/{slug}/"))
    );
    let kind = page.tr.agency_kind(&agency.profile.kind);
    let name = display_name(page, &agency);
    let phone_href = agency.profile.phone.as_deref().and_then(tel_uri);
    let news = latest
        .iter()
        .map(|c| super::public::news_row(page, slug, c))
        .collect();
    let html = HomePage {
        l,
        agency,
        name,
        phone_href,
        kind,
        political,
        permanent,
        divisions,
        news,
        pages,
    }
    .render()?;
    Ok((html, expires_at))
}

/// How many news items the home page shows.
const HOME_NEWS: i64 = 5;
