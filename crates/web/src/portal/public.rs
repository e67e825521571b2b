//! The public pages of portal content: a page at `/a/{slug}/p/{page}`, the news list at
//! `/a/{slug}/news` (pinned first, then newest; by category; paginated), an item at
//! `/a/{slug}/news/{id}`, and the news feed `/a/{slug}/news/feed.xml` (Atom). All are cached;
//! a cached copy is not used past the next scheduled publication.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use prongsai_domain::ids::ContentId;
use prongsai_domain::platform::Agency;
use prongsai_domain::portal::markdown;
use prongsai_domain::portal::{Content, ContentKind, NewsQuery};
use serde::Deserialize;

use super::SafeHtml;
use super::content::size_label;
use super::home::serve_cached_until;
use crate::error::{WebError, WebResult};
use crate::pages::{Layout, Page, percent_encode};
use crate::state::AppState;

/// News items per page of the list.
pub const PAGE_SIZE: i64 = 10;

/// A news item in a list.
pub struct NewsRow {
    pub href: String,
    pub title: String,
    pub date: String,
    pub kind: String,
    pub category: Option<String>,
    pub pinned: bool,
    pub summary: String,
}

/// A date of publication for the public: "15 ม.ค. 2569" (Buddhist Era, Bangkok).
pub(crate) fn public_date(page: &Page, unix: i64) -> String {
    let date = prongsai_thai::local_date(prongsai_domain::clock::from_unix(unix));
    match page.tr.lang {
        crate::i18n::Lang::Th => prongsai_thai::format_full(date, prongsai_thai::Digits::Arabic),
        crate::i18n::Lang::En => format!(
            "{} {} {}",
            date.day(),
            &format!("{:?}", date.month())[..3],
            date.year()
        ),
    }
}

pub fn news_row(page: &Page, slug: &str, c: &Content) -> NewsRow {
    let kind = page.tr.get(&format!("cms-kind-{}", c.fields.kind.as_str()));
    NewsRow {
        href: format!("/a/{slug}/{}", c.public_path()),
        title: c.fields.title.clone(),
        date: public_date(page, c.fields.publish_at),
        // A category that only repeats the kind ("ประกาศ · ประกาศ") is said once.
        category: c.fields.category.clone().filter(|cat| *cat != kind),
        kind,
        pinned: c.fields.pinned,
        summary: markdown::summary(&c.fields.body, 160),
    }
}

async fn agency_of(state: &AppState, slug: &str) -> WebResult<Agency> {
    state
        .cx
        .store
        .agency_by_slug(slug)
        .await?
        .ok_or(WebError::NotFound)
}

/// A public page's layout: never a visitor's own message, the language switch back here.
pub(crate) fn public_layout(
    state: &AppState,
    page: &Page,
    agency: &Agency,
    title: String,
    path: &str,
    section: &str,
) -> Layout {
    let mut l = super::layout(page, agency, title, state, path, section);
    l.flash = None;
    l.lang_switch = format!(
        "/lang/{}?next={}",
        page.tr.lang.other().code(),
        percent_encode(&format!("/a/{}/{path}", agency.slug))
    );
    l
}

/// A file of an item, for the public.
pub struct FileRow {
    pub href: String,
    pub name: String,
    pub kind: String,
    pub size: String,
}

async fn files_of(state: &AppState, agency: &Agency, c: &Content) -> WebResult<Vec<FileRow>> {
    Ok(state
        .cx
        .store
        .attachments(agency.id, c.id)
        .await?
        .into_iter()
        .map(|a| FileRow {
            href: format!("/a/{}/files/{}", agency.slug, a.file.id),
            name: a.file.original_name.clone(),
            kind: a.file.kind.extension().to_uppercase(),
            size: size_label(a.file.size),
        })
        .collect())
}

#[derive(Template)]
#[template(path = "portal/item.html")]
struct ItemPage {
    l: Layout,
    slug: String,
    is_news: bool,
    kind: String,
    /// The category and the list of its news.
    category: Option<(String, String)>,
    date: String,
    updated: String,
    body: SafeHtml,
    files: Vec<FileRow>,
    feed: Option<String>,
}

async fn render_item(
    state: &AppState,
    page: &Page,
    agency: Agency,
    c: Content,
) -> WebResult<(String, Option<i64>)> {
    let now = state.cx.clock.unix();
    if !c.is_public(now) {
        return Err(WebError::NotFound);
    }
    let is_news = !c.fields.kind.is_page();
    let path = c.public_path();
    // News is in the news section; a page in the section the standard site map puts it in.
    let section = if is_news { "news" } else { path.as_str() };
    let files = files_of(state, &agency, &c).await?;
    let expires = state.cx.store.next_scheduled(agency.id, now).await?;
    let slug = agency.slug.to_string();
    let kind = page.tr.get(&format!("cms-kind-{}", c.fields.kind.as_str()));
    let category = c
        .fields
        .category
        .clone()
        .filter(|cat| *cat != kind)
        .map(|cat| {
            let href = format!("/a/{slug}/news?category={}", percent_encode(&cat));
            (cat, href)
        });
    let mut l = public_layout(state, page, &agency, c.fields.title.clone(), &path, section);
    // Link previews and search engines describe the item by its own text.
    let description = markdown::summary(&c.fields.body, 200);
    if let Some(og) = l.og.as_mut()
        && !description.is_empty()
    {
        og.description = Some(description);
    }
    let html = ItemPage {
        l,
        feed: is_news.then(|| format!("/a/{slug}/news/feed.xml")),
        slug,
        is_news,
        kind,
        category,
        date: public_date(page, c.fields.publish_at),
        updated: public_date(page, c.updated_at.max(c.fields.publish_at)),
        body: SafeHtml::from_markdown(&c.fields.body),
        files,
    }
    .render()?;
    Ok((html, expires))
}

pub async fn show_page(
    State(state): State<AppState>,
    Path((slug, name)): Path<(String, String)>,
    page: Page,
    headers: HeaderMap,
) -> WebResult<Response> {
    let render = async {
        let agency = agency_of(&state, &slug).await?;
        let c = state
            .cx
            .store
            .page_by_slug(agency.id, &name)
            .await?
            .ok_or(WebError::NotFound)?;
        render_item(&state, &page, agency, c).await
    };
    let path = format!("p/{name}");
    serve_cached_until(&state, &slug, &path, &page, &headers, render).await
}

pub async fn show_news(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    page: Page,
    headers: HeaderMap,
) -> WebResult<Response> {
    let id: ContentId = id.parse().map_err(|_| WebError::NotFound)?;
    let render = async {
        let agency = agency_of(&state, &slug).await?;
        let c = state.cx.store.content(agency.id, id).await?;
        if c.fields.kind == ContentKind::Page {
            return Err(WebError::NotFound);
        }
        render_item(&state, &page, agency, c).await
    };
    let path = format!("news/{id}");
    serve_cached_until(&state, &slug, &path, &page, &headers, render).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewsListQuery {
    pub category: String,
    pub page: String,
}

#[derive(Template)]
#[template(path = "portal/news.html")]
struct NewsPage {
    l: Layout,
    rows: Vec<NewsRow>,
    categories: Vec<(String, String, bool)>,
    all_href: String,
    category: Option<String>,
    page_no: i64,
    pages: i64,
    newer: Option<String>,
    older: Option<String>,
    feed: String,
}

pub async fn list_news(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(q): Query<NewsListQuery>,
    page: Page,
    headers: HeaderMap,
) -> WebResult<Response> {
    let category = Some(q.category.trim().to_owned()).filter(|c| !c.is_empty());
    let page_no: i64 = q.page.trim().parse().unwrap_or(1).clamp(1, 10_000);
    let base = format!("/a/{slug}/news");
    let href = |cat: Option<&str>, n: i64| {
        let mut parts = Vec::new();
        if let Some(c) = cat {
            parts.push(format!("category={}", percent_encode(c)));
        }
        if n > 1 {
            parts.push(format!("page={n}"));
        }
        if parts.is_empty() {
            base.clone()
        } else {
            format!("{base}?{}", parts.join("&"))
        }
    };
    let here = href(category.as_deref(), page_no);
    let render = async {
        let agency = agency_of(&state, &slug).await?;
        let now = state.cx.clock.unix();
        let (items, total) = state
            .cx
            .store
            .public_news(
                agency.id,
                NewsQuery {
                    now,
                    category: category.as_deref(),
                    offset: (page_no - 1) * PAGE_SIZE,
                    limit: PAGE_SIZE,
                },
            )
            .await?;
        let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
        if page_no > pages {
            return Err(WebError::NotFound);
        }
        let categories = state
            .cx
            .store
            .news_categories(agency.id, now)
            .await?
            .into_iter()
            .map(|c| {
                let current = category.as_deref() == Some(c.as_str());
                (href(Some(&c), 1), c, current)
            })
            .collect();
        let expires = state.cx.store.next_scheduled(agency.id, now).await?;
        let title = match &category {
            Some(c) => format!("{} · {c}", page.tr.get("nav-news-public")),
            None => page.tr.get("nav-news-public"),
        };
        let path = here.trim_start_matches(&format!("/a/{slug}/")).to_owned();
        let html = NewsPage {
            l: public_layout(&state, &page, &agency, title, &path, "news"),
            rows: items.iter().map(|c| news_row(&page, &slug, c)).collect(),
            categories,
            all_href: base.clone(),
            category: category.clone(),
            page_no,
            pages,
            newer: (page_no > 1).then(|| href(category.as_deref(), page_no - 1)),
            older: (page_no < pages).then(|| href(category.as_deref(), page_no + 1)),
            feed: format!("/a/{slug}/news/feed.xml"),
        }
        .render()?;
        Ok((html, expires))
    };
    let key = here.trim_start_matches(&format!("/a/{slug}/")).to_owned();
    serve_cached_until(&state, &slug, &key, &page, &headers, render).await
}

/// Escapes text for XML.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow.
            c if c.is_control() && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn rfc3339(unix: i64) -> String {
    prongsai_domain::clock::from_unix(unix)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

/// The news as an Atom feed: the newest published items, with absolute addresses (the
/// configured public URL, else the request's host).
pub async fn feed(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> WebResult<Response> {
    let agency = agency_of(&state, &slug).await?;
    let now = state.cx.clock.unix();
    let (items, _) = state
        .cx
        .store
        .public_news(
            agency.id,
            NewsQuery {
                now,
                category: None,
                offset: 0,
                limit: 20,
            },
        )
        .await?;
    let origin = match &state.config.public_url {
        Some(u) => u.trim_end_matches('/').to_owned(),
        None => {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .filter(|h| {
                    h.chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
                })
                .unwrap_or("localhost");
            format!("http://{host}")
        }
    };
    let base = format!("{origin}/a/{}", agency.slug);
    let updated = items
        .iter()
        .map(|c| c.updated_at.max(c.fields.publish_at))
        .max()
        .unwrap_or(agency.created_at);
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"th\">\n");
    x.push_str(&format!(
        "<title>{}</title>\n<id>{}/news</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}/news\"/>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{}/news/feed.xml\"/>\n<updated>{}</updated>\n<author><name>{}</name></author>\n",
        xml_escape(&agency.profile.name),
        xml_escape(&base),
        xml_escape(&base),
        xml_escape(&base),
        rfc3339(updated),
        xml_escape(&agency.profile.name),
    ));
    for c in &items {
        let url = format!("{base}/{}", c.public_path());
        x.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<published>{}</published>\n<updated>{}</updated>\n{}<summary>{}</summary>\n</entry>\n",
            xml_escape(&c.fields.title),
            xml_escape(&url),
            xml_escape(&url),
            rfc3339(c.fields.publish_at),
            rfc3339(c.updated_at.max(c.fields.publish_at)),
            c.fields
                .category
                .as_ref()
                .map(|cat| format!("<category term=\"{}\"/>\n", xml_escape(cat)))
                .unwrap_or_default(),
            xml_escape(&markdown::summary(&c.fields.body, 400)),
        ));
    }
    x.push_str("</feed>\n");
    let mut res = x.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/atom+xml; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_is_escaped_and_cleaned() {
        assert_eq!(
            xml_escape("ข่าว <b>&\"'\u{0}"),
            "ข่าว &lt;b&gt;&amp;&quot;&apos;"
        );
    }
}
