//! Open data: every public dataset of an agency as CSV and JSON, the catalog page
//! `/a/{slug}/data` with its DCAT JSON-LD, and the subset of the CKAN API that the national
//! catalog harvests (`package_list`, `package_show`), with the metadata fields Thai government
//! CKAN portals use. The datasets come from the modules: the public news and announcements, the
//! measures of every approved plan, the published OIT table of every year, and the official ITA
//! results.

use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use prongsai_domain::measures::PlanStatus;
use prongsai_domain::platform::Agency;
use prongsai_domain::portal::{Content, ContentKind};
use prongsai_thai::FiscalYear;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::auth::AgencyCtx;
use crate::error::{WebError, WebResult};
use crate::i18n::{Lang, Tr};
use crate::pages::{Layout, Page, render};
use crate::state::AppState;

/// One dataset's metadata.
pub struct Dataset {
    /// Unique within the agency: `measures-2566`, `oit-2567`, `ita-results`.
    pub name: String,
    pub title: String,
    pub notes: String,
    pub keywords: Vec<String>,
    /// When the data last changed (unix seconds).
    pub modified: i64,
    /// The public page that shows the same data.
    pub page: String,
}

/// A dataset's rows, with its column headings.
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The public pages, news and announcements of an agency, newest first.
async fn public_content(state: &AppState, agency: &Agency) -> WebResult<Vec<Content>> {
    let now = state.cx.clock.unix();
    let mut all = state
        .cx
        .store
        .list_content(
            agency.id,
            &[
                ContentKind::Page,
                ContentKind::News,
                ContentKind::Announcement,
            ],
        )
        .await?;
    all.retain(|c| c.is_public(now));
    all.sort_by_key(|c| std::cmp::Reverse(c.fields.publish_at));
    Ok(all)
}

/// The news and announcements among public content.
fn news_of(content: &[Content]) -> Vec<&Content> {
    content
        .iter()
        .filter(|c| !c.fields.kind.is_page())
        .collect()
}

/// The files attached to public content, with the item each belongs to.
async fn files_of<'c>(
    state: &AppState,
    agency: &Agency,
    content: &'c [Content],
) -> WebResult<Vec<(&'c Content, prongsai_domain::portal::Attachment)>> {
    let mut out = Vec::new();
    for c in content {
        for a in state.cx.store.attachments(agency.id, c.id).await? {
            out.push((c, a));
        }
    }
    Ok(out)
}

/// The datasets an agency publishes, newest first within each kind.
pub async fn datasets(state: &AppState, agency: &Agency, tr: &Tr) -> WebResult<Vec<Dataset>> {
    let slug = agency.slug.as_str();
    let mut out = Vec::new();
    let content = public_content(state, agency).await?;
    if let Some(modified) = news_of(&content)
        .iter()
        .map(|c| c.updated_at.max(c.fields.publish_at))
        .max()
    {
        out.push(Dataset {
            name: "news".into(),
            title: tr.get("data-news-title"),
            notes: tr.get("data-news-notes"),
            keywords: vec![tr.get("data-kw-news")],
            modified,
            page: format!("/a/{slug}/news"),
        });
    }
    let files = files_of(state, agency, &content).await?;
    if let Some(modified) = files.iter().map(|(_, a)| a.file.created_at).max() {
        out.push(Dataset {
            name: "documents".into(),
            title: tr.get("data-documents-title"),
            notes: tr.get("data-documents-notes"),
            keywords: vec![tr.get("data-kw-news")],
            modified,
            page: format!("/a/{slug}/news"),
        });
    }
    let mut plans = state.cx.store.plan_years(agency.id).await?;
    plans.sort_by_key(|(y, _)| std::cmp::Reverse(y.be()));
    for (year, status) in plans {
        if status != PlanStatus::Approved {
            continue;
        }
        let Some(plan) = state.cx.store.plan(agency.id, year).await? else {
            continue;
        };
        let y = year.be();
        out.push(Dataset {
            name: format!("measures-{y}"),
            title: tr.arg("data-measures-title", "year", y),
            notes: tr.arg("data-measures-notes", "year", y),
            keywords: vec![
                tr.get("data-kw-integrity"),
                tr.get("data-kw-measures"),
                "ITA".into(),
            ],
            modified: plan.updated_at,
            page: format!("/a/{slug}/measures/{y}"),
        });
    }
    let mut years = prongsai_domain::ita::service::framework_years(&state.cx).await?;
    years.sort_unstable_by_key(|y| std::cmp::Reverse(*y));
    for y in years {
        let Ok(fy) = FiscalYear::new(y) else { continue };
        let items = state.cx.store.oit_items(agency.id, fy).await?;
        let Some(modified) = items
            .iter()
            .filter(|i| i.status.is_published())
            .map(|i| i.updated_at)
            .max()
        else {
            continue;
        };
        out.push(Dataset {
            name: format!("oit-{y}"),
            title: tr.arg("data-oit-title", "year", y),
            notes: tr.arg("data-oit-notes", "year", y),
            keywords: vec![tr.get("data-kw-integrity"), "OIT".into(), "ITA".into()],
            modified,
            page: format!("/a/{slug}/ita/{y}"),
        });
    }
    // The complaint statistics of each fiscal year with a case (counts only, small cells
    // suppressed: the same table as the statistics page).
    let mut case_years: std::collections::BTreeMap<i32, i64> = std::collections::BTreeMap::new();
    for c in state.cx.store.case_heads(agency.id).await? {
        let day = prongsai_thai::local_date(prongsai_domain::clock::from_unix(c.received_at));
        let m = case_years.entry(FiscalYear::of(day).be()).or_insert(0);
        *m = (*m).max(c.updated_at);
    }
    for (y, modified) in case_years.into_iter().rev() {
        out.push(Dataset {
            name: format!("complaint-stats-{y}"),
            title: tr.arg("data-complaints-title", "year", y),
            notes: tr.get("data-complaints-notes"),
            keywords: vec![tr.get("data-kw-integrity"), tr.get("data-kw-complaints")],
            modified,
            page: format!("/a/{slug}/complaints/stats/{y}"),
        });
    }
    let results = state.cx.store.official_results(agency.id).await?;
    if !results.is_empty() {
        out.push(Dataset {
            name: "ita-results".into(),
            title: tr.get("data-results-title"),
            notes: tr.get("data-results-notes"),
            keywords: vec![tr.get("data-kw-integrity"), "ITA".into()],
            modified: agency.updated_at,
            page: format!("/a/{slug}/data"),
        });
    }
    Ok(out)
}

/// The rows of one dataset, or none when the agency publishes no such dataset.
pub async fn table(
    state: &AppState,
    agency: &Agency,
    tr: &Tr,
    name: &str,
    base: &str,
) -> WebResult<Option<Table>> {
    let cols = |keys: &[&str]| keys.iter().map(|k| tr.get(k)).collect::<Vec<_>>();
    if name == "documents" {
        let content = public_content(state, agency).await?;
        let files = files_of(state, agency, &content).await?;
        if files.is_empty() {
            return Ok(None);
        }
        let slug = agency.slug.as_str();
        return Ok(Some(Table {
            columns: cols(&[
                "data-col-date",
                "data-col-title",
                "data-col-file",
                "data-col-type",
                "data-col-bytes",
                "data-col-url",
                "data-col-page",
            ]),
            rows: files
                .iter()
                .map(|(c, a)| {
                    vec![
                        date(c.fields.publish_at),
                        c.fields.title.clone(),
                        a.file.original_name.clone(),
                        a.file.kind.extension().to_uppercase(),
                        a.file.size.to_string(),
                        format!("{base}/a/{slug}/files/{}", a.file.id),
                        format!("{base}/a/{slug}/{}", c.public_path()),
                    ]
                })
                .collect(),
        }));
    }
    if name == "news" {
        let content = public_content(state, agency).await?;
        let news = news_of(&content);
        if news.is_empty() {
            return Ok(None);
        }
        let slug = agency.slug.as_str();
        return Ok(Some(Table {
            columns: cols(&[
                "data-col-date",
                "data-col-kind",
                "data-col-category",
                "data-col-title",
                "data-col-url",
            ]),
            rows: news
                .iter()
                .map(|c| {
                    vec![
                        date(c.fields.publish_at),
                        tr.get(&format!("cms-kind-{}", c.fields.kind.as_str())),
                        c.fields.category.clone().unwrap_or_default(),
                        c.fields.title.clone(),
                        format!("{base}/a/{slug}/{}", c.public_path()),
                    ]
                })
                .collect(),
        }));
    }
    if let Some(y) = name.strip_prefix("measures-") {
        let Some(year) = y.parse().ok().and_then(|y| FiscalYear::new(y).ok()) else {
            return Ok(None);
        };
        let Some(plan) = state.cx.store.plan(agency.id, year).await? else {
            return Ok(None);
        };
        if plan.status != PlanStatus::Approved {
            return Ok(None);
        }
        let measures = state.cx.store.measures(agency.id, plan.id).await?;
        let actions = state.cx.store.actions(agency.id, plan.id).await?;
        let mut rows = Vec::new();
        for m in &measures {
            for a in actions.iter().filter(|a| a.measure_id == m.id) {
                rows.push(vec![
                    year.be().to_string(),
                    m.number.to_string(),
                    m.fields.title.clone(),
                    m.fields
                        .indicators
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", "),
                    m.fields.oit_items.join(", "),
                    format!("{}.{}", m.number, a.number),
                    a.fields.text.clone(),
                    a.fields.period.map(|p| p.to_string()).unwrap_or_default(),
                    a.fields.kpi.clone().unwrap_or_default(),
                    a.fields.target.clone().unwrap_or_default(),
                    tr.get(&format!("action-status-{}", a.status.as_str())),
                    a.percent.to_string(),
                ]);
            }
        }
        return Ok(Some(Table {
            columns: cols(&[
                "data-col-year",
                "data-col-measure-no",
                "data-col-measure",
                "data-col-indicators",
                "data-col-oit-items",
                "data-col-action-no",
                "data-col-action",
                "data-col-period",
                "data-col-kpi",
                "data-col-target",
                "data-col-status",
                "data-col-percent",
            ]),
            rows,
        }));
    }
    if let Some(y) = name.strip_prefix("oit-") {
        let Some(year) = y.parse().ok().and_then(|y| FiscalYear::new(y).ok()) else {
            return Ok(None);
        };
        let published = state
            .cx
            .store
            .oit_items(agency.id, year)
            .await?
            .iter()
            .any(|i| i.status.is_published());
        if !published {
            return Ok(None);
        }
        let rows = crate::ita::oit::published_rows(state, agency, year).await?;
        let absolute = |h: &str| {
            if h.starts_with('/') {
                format!("{base}{h}")
            } else {
                h.to_owned()
            }
        };
        return Ok(Some(Table {
            columns: cols(&[
                "data-col-year",
                "data-col-item",
                "data-col-item-name",
                "data-col-links",
                "data-col-paths",
            ]),
            rows: rows
                .into_iter()
                .map(|r| {
                    vec![
                        year.be().to_string(),
                        r.code,
                        r.name,
                        r.links
                            .iter()
                            .map(|(_, h)| absolute(h))
                            .collect::<Vec<_>>()
                            .join(" "),
                        r.paths.join(" | "),
                    ]
                })
                .collect(),
        }));
    }
    if let Some(y) = name.strip_prefix("complaint-stats-") {
        let Some(year) = y.parse().ok().and_then(|y| FiscalYear::new(y).ok()) else {
            return Ok(None);
        };
        let s = prongsai_domain::cases::stats::of_year(&state.cx, agency.id, year).await?;
        if s.total.year == prongsai_domain::cases::stats::Cell::Count(0) {
            return Ok(None);
        }
        let mut columns = cols(&["data-col-year", "data-col-group", "data-col-label"]);
        columns.extend(
            prongsai_domain::cases::stats::months()
                .iter()
                .map(|m| prongsai_thai::month_short(*m).to_owned()),
        );
        columns.extend((1..=4).map(|q| tr.arg("data-col-quarter", "q", q)));
        columns.push(tr.get("data-col-whole-year"));
        let groups = [
            ("case-stats-total", std::slice::from_ref(&s.total)),
            ("case-stats-by-kind", s.kinds.as_slice()),
            ("case-stats-by-channel", s.channels.as_slice()),
            ("case-stats-by-state", s.states.as_slice()),
        ];
        let mut rows = Vec::new();
        for (group, lines) in groups {
            for l in lines {
                let label = if l.code == "total" {
                    tr.get("case-stats-total")
                } else {
                    tr.get(&format!("case-stat-{}", l.code))
                };
                let mut row = vec![year.be().to_string(), tr.get(group), label];
                row.extend(
                    l.months
                        .iter()
                        .chain(&l.quarters)
                        .chain(std::iter::once(&l.year))
                        .map(|c| crate::cases::intake::cell(*c)),
                );
                rows.push(row);
            }
        }
        return Ok(Some(Table { columns, rows }));
    }
    if name == "ita-results" {
        let results = state.cx.store.official_results(agency.id).await?;
        if results.is_empty() {
            return Ok(None);
        }
        let mut columns = cols(&["data-col-year", "data-col-total", "data-col-grade"]);
        columns.extend((1..=10u8).map(|n| tr.indicator(&n)));
        columns.push(tr.get("data-col-source"));
        return Ok(Some(Table {
            columns,
            rows: results
                .iter()
                .map(|r| {
                    let mut row = vec![
                        r.fiscal_year.be().to_string(),
                        r.total.to_string(),
                        r.grade.clone(),
                    ];
                    row.extend(
                        r.indicators
                            .iter()
                            .map(|s| s.map(|s| s.to_string()).unwrap_or_default()),
                    );
                    row.push(r.source.clone());
                    row
                })
                .collect(),
        }));
    }
    Ok(None)
}

/// A table as CSV, header first.
fn to_csv(t: &Table) -> Vec<u8> {
    let mut rows = Vec::with_capacity(t.rows.len() + 1);
    rows.push(t.columns.clone());
    rows.extend(t.rows.iter().cloned());
    prongsai_domain::ita::results::excel_csv(&rows)
}

/// A table as JSON: an array of objects keyed by the column headings.
fn to_json(t: &Table) -> Value {
    Value::Array(
        t.rows
            .iter()
            .map(|r| {
                let mut o = Map::new();
                for (c, v) in t.columns.iter().zip(r) {
                    o.insert(c.clone(), Value::String(v.clone()));
                }
                Value::Object(o)
            })
            .collect(),
    )
}

/// An ISO date (Christian Era, Bangkok time), as CKAN and DCAT write dates.
fn date(unix: i64) -> String {
    let d = prongsai_domain::clock::from_unix(unix)
        .to_offset(prongsai_thai::BANGKOK)
        .date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// An RFC 3339 time, Bangkok time.
fn datetime(unix: i64) -> String {
    prongsai_domain::clock::from_unix(unix)
        .to_offset(prongsai_thai::BANGKOK)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// The base URL of the agency's public pages, for absolute links.
fn base_of(state: &AppState, agency: &Agency, headers: &HeaderMap, uri: &Uri) -> String {
    super::discover::base(state, headers, uri, Some(agency.slug.as_str()))
}

// ---------------------------------------------------------------------------------------------
// The catalog page and the files

pub struct DatasetRow {
    pub name: String,
    pub title: String,
    pub notes: String,
    pub modified: String,
    pub page: String,
    pub rows: usize,
}

#[derive(Template)]
#[template(path = "portal/data.html")]
struct DataPage {
    l: Layout,
    slug: String,
    datasets: Vec<DatasetRow>,
}

/// `GET /a/{slug}/data`: the catalog.
pub async fn catalog(
    State(state): State<AppState>,
    AgencyCtx(agency): AgencyCtx,
    page: Page,
    headers: HeaderMap,
    uri: Uri,
) -> WebResult<Response> {
    let tr = &page.tr;
    let base = base_of(&state, &agency, &headers, &uri);
    let mut rows = Vec::new();
    for d in datasets(&state, &agency, tr).await? {
        let n = table(&state, &agency, tr, &d.name, &base)
            .await?
            .map_or(0, |t| t.rows.len());
        rows.push(DatasetRow {
            modified: tr.datetime(d.modified),
            name: d.name,
            title: d.title,
            notes: d.notes,
            page: d.page,
            rows: n,
        });
    }
    let l = super::layout(&page, &agency, tr.get("data-title"), &state, "data", "data");
    render(&DataPage {
        l,
        slug: agency.slug.to_string(),
        datasets: rows,
    })
}

/// `GET /a/{slug}/data/{file}`: `{dataset}.csv`, `{dataset}.json`, or `catalog.jsonld` (DCAT).
pub async fn file(
    State(state): State<AppState>,
    AgencyCtx(agency): AgencyCtx,
    Path((_, file)): Path<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
) -> WebResult<Response> {
    // Open data is in Thai whatever the visitor's language.
    let tr = state.tr(Lang::Th);
    let base = base_of(&state, &agency, &headers, &uri);
    if file == "catalog.jsonld" {
        let body = dcat_catalog(&state, &agency, &tr, &base).await?;
        return Ok(typed(body.to_string().into_bytes(), "application/ld+json"));
    }
    let (name, ext) = file.rsplit_once('.').ok_or(WebError::NotFound)?;
    let t = table(&state, &agency, &tr, name, &base)
        .await?
        .ok_or(WebError::NotFound)?;
    match ext {
        "csv" => Ok(typed(to_csv(&t), "text/csv; charset=utf-8")),
        "json" => Ok(typed(
            to_json(&t).to_string().into_bytes(),
            "application/json",
        )),
        _ => Err(WebError::NotFound),
    }
}

fn typed(body: Vec<u8>, content_type: &'static str) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    res
}

// ---------------------------------------------------------------------------------------------
// DCAT and CKAN

/// The DCAT catalog of an agency, as JSON-LD.
async fn dcat_catalog(state: &AppState, agency: &Agency, tr: &Tr, base: &str) -> WebResult<Value> {
    let slug = agency.slug.as_str();
    let publisher = json!({ "@type": "foaf:Organization", "foaf:name": agency.profile.name });
    let mut list = Vec::new();
    for d in datasets(state, agency, tr).await? {
        let dist = |ext: &str, media: &str| {
            json!({
                "@type": "dcat:Distribution",
                "dct:title": format!("{} ({})", d.title, ext.to_uppercase()),
                "dcat:downloadURL": format!("{base}/a/{slug}/data/{}.{ext}", d.name),
                "dcat:mediaType": media,
                "dct:format": ext.to_uppercase(),
            })
        };
        list.push(json!({
            "@type": "dcat:Dataset",
            "@id": format!("{base}/a/{slug}/data#{}", d.name),
            "dct:identifier": format!("{slug}-{}", d.name),
            "dct:title": d.title,
            "dct:description": d.notes,
            "dct:publisher": publisher,
            "dct:modified": date(d.modified),
            "dct:language": "th",
            "dct:accrualPeriodicity": "http://purl.org/cld/freq/annual",
            "dct:license": LICENSE_URL,
            "dcat:keyword": d.keywords,
            "dcat:landingPage": format!("{base}{}", d.page),
            "dcat:distribution": [dist("csv", "text/csv"), dist("json", "application/json")],
        }));
    }
    Ok(json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
        },
        "@type": "dcat:Catalog",
        "@id": format!("{base}/a/{slug}/data"),
        "dct:title": tr.arg("data-catalog-title", "agency", &agency.profile.name),
        "dct:publisher": publisher,
        "dct:language": "th",
        "dcat:dataset": list,
    }))
}

/// The licence the datasets are published under: the Thai government's Open Data licence.
const LICENSE_ID: &str = "Open-Data-Common";
const LICENSE_TITLE: &str = "Open Data Common";
const LICENSE_URL: &str = "https://data.go.th/pages/conditions-of-use";

/// A CKAN answer: `{"help", "success", "result"}` or the error CKAN gives.
fn ckan(status: StatusCode, body: Value) -> Response {
    let mut res = (status, Json(body)).into_response();
    // The API's own error body stands; it is not replaced by an error page.
    res.extensions_mut().insert(crate::error::Rendered);
    res.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    res
}

fn ckan_ok(action: &str, result: Value) -> Response {
    let mut body = Map::new();
    body.insert(
        "help".into(),
        Value::String(format!("/api/3/action/help_show?name={action}")),
    );
    body.insert("success".into(), Value::Bool(true));
    body.insert("result".into(), result);
    ckan(StatusCode::OK, Value::Object(body))
}

fn ckan_not_found(action: &str, message: &str) -> Response {
    ckan(
        StatusCode::NOT_FOUND,
        json!({
            "help": format!("/api/3/action/help_show?name={action}"),
            "success": false,
            "error": { "__type": "Not Found Error", "message": message },
        }),
    )
}

/// `GET /api/3/action/package_list`: every dataset of every agency, `{slug}-{dataset}`.
pub async fn package_list(State(state): State<AppState>) -> WebResult<Response> {
    let tr = state.tr(Lang::Th);
    let mut names = Vec::new();
    for s in state.cx.store.list_agencies().await? {
        let Some(agency) = state.cx.store.agency_by_slug(s.slug.as_str()).await? else {
            continue;
        };
        for d in datasets(&state, &agency, &tr).await? {
            names.push(format!("{}-{}", agency.slug, d.name));
        }
    }
    Ok(ckan_ok("package_list", json!(names)))
}

#[derive(Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    id: String,
}

/// `GET /api/3/action/package_show?id={slug}-{dataset}`.
pub async fn package_show(
    State(state): State<AppState>,
    Query(q): Query<ShowQuery>,
    headers: HeaderMap,
    uri: Uri,
) -> WebResult<Response> {
    let tr = state.tr(Lang::Th);
    let id = q.id.trim();
    if id.is_empty() || id.len() > 200 {
        return Ok(ckan_not_found("package_show", "Not found"));
    }
    // The agency is the longest slug that prefixes the id (slugs may hold hyphens).
    let mut found = None;
    for s in state.cx.store.list_agencies().await? {
        let slug = s.slug.as_str();
        if let Some(rest) = id.strip_prefix(slug).and_then(|r| r.strip_prefix('-'))
            && found
                .as_ref()
                .is_none_or(|(f, _): &(String, String)| f.len() < slug.len())
        {
            found = Some((slug.to_owned(), rest.to_owned()));
        }
    }
    let Some((slug, name)) = found else {
        return Ok(ckan_not_found("package_show", "Not found"));
    };
    let agency = state
        .cx
        .store
        .agency_by_slug(&slug)
        .await?
        .ok_or(WebError::NotFound)?;
    let Some(d) = datasets(&state, &agency, &tr)
        .await?
        .into_iter()
        .find(|d| d.name == name)
    else {
        return Ok(ckan_not_found("package_show", "Not found"));
    };
    let base = base_of(&state, &agency, &headers, &uri);
    let p = &agency.profile;
    let resource = |ext: &str| {
        json!({
            "id": format!("{id}-{ext}"),
            "package_id": id,
            "name": format!("{} ({})", d.title, ext.to_uppercase()),
            "format": ext.to_uppercase(),
            "url": format!("{base}/a/{slug}/data/{name}.{ext}"),
            "resource_last_updated_date": date(d.modified),
            "last_modified": datetime(d.modified),
        })
    };
    let result = json!({
        "id": id,
        "name": id,
        "title": d.title,
        "notes": d.notes,
        "type": "dataset",
        "private": false,
        "state": "active",
        "url": format!("{base}{}", d.page),
        "owner_org": slug,
        "organization": { "name": slug, "title": p.name, "type": "organization" },
        "maintainer": p.name,
        "maintainer_email": p.email.clone().unwrap_or_default(),
        "license_id": LICENSE_ID,
        "license_title": LICENSE_TITLE,
        "license_url": LICENSE_URL,
        "metadata_modified": datetime(d.modified),
        "tags": d.keywords.iter().map(|k| json!({ "name": k })).collect::<Vec<_>>(),
        "num_resources": 2,
        "resources": [resource("csv"), resource("json")],
        // The fields of Thai government CKAN catalogs (the Government Data Catalog schema).
        "data_type": "ข้อมูลระเบียน",
        "data_category": "ข้อมูลสาธารณะ",
        "data_classification": "เปิดเผย",
        "accessible_condition": "ไม่มี",
        "objective": ["เพื่อความโปร่งใสและตรวจสอบได้ของหน่วยงานภาครัฐ"],
        "update_frequency_unit": "ปี",
        "update_frequency_interval": "1",
        "geo_coverage": "ตำบล",
        "geo_coverage_name": format!("{} {}", p.district, p.province),
        "data_support": "หน่วยงานของรัฐ",
        "data_collect": "เจ้าหน้าที่ของหน่วยงาน",
        "data_source": p.name,
        "data_language": ["ไทย"],
        "data_format": ["CSV", "JSON"],
        "created_date": date(agency.created_at),
        "last_updated_date": date(d.modified),
    });
    Ok(ckan_ok("package_show", result))
}
