//! The published plan on the portal: `/a/{slug}/measures` (the years) and
//! `/a/{slug}/measures/{year}` (the report in HTML, with its progress). Only approved plans are
//! public. This page is the evidence for OIT items O42 and O43.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use prongsai_domain::measures::service::{self as ms, PlanView};
use prongsai_domain::measures::{Evidence, PlanStatus, ReviewRow, StepRow};
use prongsai_domain::platform::Agency;
use prongsai_thai::{Digits, FiscalYear};

use super::{responsible, status_label, year_of};
use crate::auth::AgencyCtx;
use crate::error::{WebError, WebResult};
use crate::pages::{Layout, Page};
use crate::portal::home::{display_name, serve_cached};
use crate::state::AppState;

/// A measure as the published report shows it.
pub struct ReportMeasure {
    /// The row's fragment id ("m-1"), which search results link to.
    pub anchor: String,
    pub number: String,
    pub title: String,
    pub percent: Option<String>,
    pub actions: Vec<ReportAction>,
    /// The divisions of each distinct set of actions, a line each.
    pub responsible: Vec<Vec<String>>,
    pub period: String,
    pub recommendation: String,
}

/// An action with its latest progress.
pub struct ReportAction {
    pub number: String,
    pub text: String,
    pub status: String,
    pub percent: String,
    pub narrative: Option<String>,
    /// (label, href).
    pub evidence: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "measures/public_plan.html")]
struct PublicPlanPage {
    l: Layout,
    slug: String,
    agency_name: String,
    place: String,
    year: String,
    previous_year: String,
    introduction: String,
    review_intro: String,
    measures: Vec<ReportMeasure>,
    reviews: Vec<ReviewRow>,
    steps: Vec<StepRow>,
    percent: Option<String>,
    year_number: i32,
    /// Whether the results the ITA analysis is made from are there.
    has_analysis: bool,
}

#[derive(Template)]
#[template(path = "measures/public_announcement.html")]
struct PublicAnnouncementPage {
    l: Layout,
    slug: String,
    year: i32,
    back: String,
    v: prongsai_documents::AnnouncementView,
}

#[derive(Template)]
#[template(path = "measures/public_analysis.html")]
struct PublicAnalysisPage {
    l: Layout,
    slug: String,
    year: i32,
    back: String,
    v: prongsai_documents::ItaView,
}

#[derive(Template)]
#[template(path = "measures/public_years.html")]
struct PublicYearsPage {
    l: Layout,
    slug: String,
    years: Vec<i32>,
}

fn public_layout(
    page: &Page,
    agency: &Agency,
    title: String,
    state: &AppState,
    path: &str,
) -> Layout {
    crate::portal::layout(page, agency, title, state, path, "measures")
}

pub async fn list_years(
    State(state): State<AppState>,
    AgencyCtx(agency): AgencyCtx,
    page: Page,
) -> WebResult<Response> {
    let years = state
        .cx
        .store
        .plan_years(agency.id)
        .await?
        .into_iter()
        .filter(|(_, s)| *s == PlanStatus::Approved)
        .map(|(y, _)| y.be())
        .collect();
    let l = public_layout(
        &page,
        &agency,
        page.tr.get("measures-public-title"),
        &state,
        "measures",
    );
    crate::pages::render(&PublicYearsPage {
        l,
        slug: agency.slug.to_string(),
        years,
    })
}

pub async fn show_year(
    State(state): State<AppState>,
    Path((slug, year)): Path<(String, String)>,
    page: Page,
    headers: HeaderMap,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    let path = format!("/measures/{}", year.be());
    serve_cached(
        &state,
        &slug,
        &path,
        &page,
        &headers,
        render_year(&state, &slug, year, &page),
    )
    .await
}

/// The approved plan of a year, or 404.
pub async fn approved_view(
    state: &AppState,
    agency: &Agency,
    year: FiscalYear,
) -> WebResult<PlanView> {
    let view = ms::plan_view(&state.cx, agency.id, year)
        .await
        .map_err(super::web_error)?;
    if view.plan.status != PlanStatus::Approved {
        return Err(WebError::NotFound);
    }
    Ok(view)
}

async fn render_year(
    state: &AppState,
    slug: &str,
    year: FiscalYear,
    page: &Page,
) -> WebResult<String> {
    let agency = state
        .cx
        .store
        .agency_by_slug(slug)
        .await?
        .ok_or(WebError::NotFound)?;
    let view = approved_view(state, &agency, year).await?;
    let divisions = state.cx.store.list_divisions(agency.id).await?;
    let thai = |s: String| Digits::Thai.apply(&s);
    let tr = &page.tr;
    let measures = view
        .measures
        .iter()
        .map(|m| {
            let actions = view.actions_of(m.id);
            let mut responsibles: Vec<Vec<String>> = Vec::new();
            let mut periods: Vec<String> = Vec::new();
            let mut recommendations: Vec<String> = Vec::new();
            for a in &actions {
                let who = responsible(tr, a, &divisions);
                if !who.is_empty() && !responsibles.contains(&who) {
                    responsibles.push(who);
                }
                for (list, v) in [
                    (
                        &mut periods,
                        a.fields
                            .period
                            .map(|p| p.format(Digits::Thai))
                            .unwrap_or_default(),
                    ),
                    (
                        &mut recommendations,
                        a.fields.recommendation.clone().unwrap_or_default(),
                    ),
                ] {
                    if !v.is_empty() && !list.contains(&v) {
                        list.push(v);
                    }
                }
            }
            ReportMeasure {
                anchor: format!("m-{}", m.number),
                number: thai(m.number.to_string()),
                title: m.fields.title.clone(),
                percent: view.measure_percent(m.id).map(|p| thai(p.to_string())),
                responsible: responsibles,
                period: periods.join("\n"),
                recommendation: recommendations.join("\n"),
                actions: actions
                    .iter()
                    .map(|a| {
                        let latest = view.latest_progress(a.id);
                        ReportAction {
                            number: thai(view.action_number(a)),
                            text: a.fields.text.clone(),
                            status: status_label(tr, a.status),
                            percent: thai(a.percent.to_string()),
                            narrative: latest.map(|p| p.narrative.clone()),
                            evidence: latest
                                .map(|p| {
                                    p.evidence
                                        .iter()
                                        .map(|e| match e {
                                            Evidence::File { file_id, name } => {
                                                (name.clone(), format!("/a/{slug}/files/{file_id}"))
                                            }
                                            Evidence::Link { url, label } => {
                                                (label.clone(), url.clone())
                                            }
                                        })
                                        .collect()
                                })
                                .unwrap_or_default(),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let title = tr.arg(
        "measures-report-title-year",
        "year",
        thai(year.be().to_string()),
    );
    let l = public_layout(
        page,
        &agency,
        title,
        state,
        &format!("measures/{}", year.be()),
    );
    let html = PublicPlanPage {
        slug: agency.slug.to_string(),
        agency_name: display_name(page, &agency),
        place: tr.arg2(
            "agency-place",
            "district",
            &agency.profile.district,
            "province",
            &agency.profile.province,
        ),
        year: thai(year.be().to_string()),
        previous_year: thai((year.be() - 1).to_string()),
        introduction: view.plan.texts.introduction.clone(),
        review_intro: view.plan.texts.review_intro.clone(),
        measures,
        reviews: view.reviews.clone(),
        steps: view.steps.clone(),
        percent: view.plan_percent().map(|p| thai(p.to_string())),
        year_number: year.be(),
        has_analysis: state
            .cx
            .store
            .official_results(agency.id)
            .await?
            .iter()
            .any(|r| r.fiscal_year.be() == year.be() - 1),
        l,
    }
    .render()?;
    Ok(html)
}

/// The announcement (b) or the ITA analysis (c) of a published plan as a page of the portal,
/// from the same view as its PDF and DOCX, so that the three forms say the same words. `None`
/// for the analysis when the results it is made from have not been entered.
pub async fn official_page(
    state: &AppState,
    page: &Page,
    agency: &Agency,
    view: &PlanView,
    which: &str,
    digits: Digits,
) -> WebResult<Option<Response>> {
    let year = view.plan.fiscal_year.be();
    let back = page.tr.arg(
        "measures-report-title-year",
        "year",
        Digits::Thai.apply(&year.to_string()),
    );
    let slug = agency.slug.to_string();
    let path = format!("measures/{year}/{which}");
    let res = match which {
        "announcement" => {
            let model = super::official::announcement_model(
                super::official::agency_model(state, agency).await,
                view,
                digits,
            );
            let v = prongsai_documents::AnnouncementView::new(&model);
            let l = public_layout(page, agency, v.doc_title.clone(), state, &path);
            crate::pages::render(&PublicAnnouncementPage {
                l,
                slug,
                year,
                back,
                v,
            })?
        }
        "analysis" => {
            let Some(model) =
                super::official::analysis_model(state, agency, view.plan.fiscal_year, digits)
                    .await?
            else {
                return Ok(None);
            };
            let v = prongsai_documents::ItaView::new(&model);
            let l = public_layout(page, agency, v.doc_title.clone(), state, &path);
            crate::pages::render(&PublicAnalysisPage {
                l,
                slug,
                year,
                back,
                v,
            })?
        }
        _ => return Err(WebError::NotFound),
    };
    Ok(Some(res))
}
