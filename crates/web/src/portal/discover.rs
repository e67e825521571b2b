//! How search engines and link previews find the public pages: `robots.txt`, the sitemap index
//! `/sitemap.xml` (one sitemap per agency) and each agency's `/a/{slug}/sitemap.xml`. The
//! OpenGraph tags and canonical URLs are set by [`super::layout`].

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use prongsai_domain::measures::PlanStatus;
use prongsai_thai::FiscalYear;

use crate::auth::AgencyCtx;
use crate::error::WebResult;
use crate::state::AppState;

/// The base URL this request was made to: the agency's own domain or the instance's public URL
/// when configured, else the scheme and `Host` the request came with.
pub(crate) fn base(state: &AppState, headers: &HeaderMap, uri: &Uri, slug: Option<&str>) -> String {
    let configured = match slug {
        Some(s) => state.config.agency_base(s),
        None => state
            .config
            .public_url
            .as_ref()
            .map(|u| u.trim_end_matches('/').to_owned()),
    };
    configured.unwrap_or_else(|| {
        let scheme = if crate::http::is_tls(state, headers, uri) {
            "https"
        } else {
            "http"
        };
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| {
                h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
            })
            .unwrap_or("localhost");
        format!("{scheme}://{host}")
    })
}

/// Escapes text for an XML element.
fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn with_type(body: String, content_type: &'static str) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    res
}

/// `GET /robots.txt`: everything public may be crawled; the back office, sign-in, surveys and
/// the operator's pages may not.
pub async fn robots(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let agency = crate::http::domains::host_agency(&state, &headers);
    let b = base(&state, &headers, &uri, agency);
    with_type(
        format!(
            "User-agent: *\nAllow: /\nDisallow: /a/*/admin/\nDisallow: /platform/\nDisallow: /signin\nDisallow: /account\nDisallow: /s/\nDisallow: /lang/\n\nSitemap: {b}/sitemap.xml\n"
        ),
        "text/plain; charset=utf-8",
    )
}

/// `GET /sitemap.xml`: the sitemap of every agency.
pub async fn sitemap_index(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> WebResult<Response> {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for a in state.cx.store.list_agencies().await? {
        let slug = a.slug.as_str();
        let b = base(&state, &headers, &uri, Some(slug));
        out.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            xml(&format!("{b}/a/{slug}/sitemap.xml"))
        ));
    }
    out.push_str("</sitemapindex>\n");
    Ok(with_type(out, "application/xml; charset=utf-8"))
}

/// The public pages of an agency, as paths under `/a/{slug}/` with the time they last changed
/// where known: its home, its open data, its public pages and news, the measures of every
/// approved plan, and the OIT table of every year with published items.
pub async fn public_paths(
    state: &AppState,
    agency: &prongsai_domain::platform::Agency,
) -> WebResult<Vec<(String, Option<i64>)>> {
    let mut paths = vec![
        (String::new(), Some(agency.updated_at)),
        ("measures".to_owned(), None),
        ("data".to_owned(), None),
        ("social".to_owned(), Some(agency.updated_at)),
        ("privacy".to_owned(), Some(agency.updated_at)),
    ];
    let now = state.cx.clock.unix();
    let content = prongsai_domain::portal::service::index_entries(&state.cx, agency.id, now)
        .await
        .map_err(|e| crate::error::WebError::Internal(Box::new(e)))?;
    if !content.is_empty() {
        paths.push(("news".to_owned(), None));
    }
    for e in content {
        paths.push((e.path, Some(e.published_at)));
    }
    paths.push(("qa".to_owned(), None));
    paths.push(("suggestions".to_owned(), None));
    let participation =
        prongsai_domain::portal::participation::service::index_entries(&state.cx, agency.id)
            .await
            .map_err(|e| crate::error::WebError::Internal(Box::new(e)))?;
    for e in participation {
        paths.push((e.path, Some(e.published_at)));
    }
    for (year, status) in state.cx.store.plan_years(agency.id).await? {
        if status == PlanStatus::Approved {
            paths.push((format!("measures/{}", year.be()), None));
        }
    }
    for y in prongsai_domain::ita::service::framework_years(&state.cx).await? {
        let Ok(fy) = FiscalYear::new(y) else { continue };
        let items = state.cx.store.oit_items(agency.id, fy).await?;
        let published = items.iter().filter(|i| i.status.is_published());
        if let Some(latest) = published.map(|i| i.updated_at).max() {
            paths.push((format!("ita/{y}"), Some(latest)));
        }
    }
    Ok(paths)
}

/// `GET /a/{slug}/sitemap.xml`.
pub async fn agency_sitemap(
    State(state): State<AppState>,
    AgencyCtx(agency): AgencyCtx,
    headers: HeaderMap,
    uri: Uri,
) -> WebResult<Response> {
    let slug = agency.slug.as_str();
    let b = base(&state, &headers, &uri, Some(slug));
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, changed) in public_paths(&state, &agency).await? {
        out.push_str(&format!(
            "  <url><loc>{}</loc>",
            xml(&format!("{b}/a/{slug}/{path}"))
        ));
        if let Some(at) = changed.and_then(|t| time::OffsetDateTime::from_unix_timestamp(t).ok()) {
            let d = at.date();
            out.push_str(&format!(
                "<lastmod>{:04}-{:02}-{:02}</lastmod>",
                d.year(),
                u8::from(d.month()),
                d.day()
            ));
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    Ok(with_type(out, "application/xml; charset=utf-8"))
}
