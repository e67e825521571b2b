//! The official documents of a plan: the measures report (a), the announcement (b) and the ITA
//! analysis (c), each as PDF or DOCX. The domain is mapped into the documents crate's models
//! here; rendering runs on a blocking thread, off the async workers.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use prongsai_documents as docs;
use prongsai_domain::ita::Score;
use prongsai_domain::measures::library;
use prongsai_domain::measures::service::{self as ms, PlanView};
use prongsai_domain::platform::file::FileKind;
use prongsai_domain::platform::{Agency, Division};
use prongsai_thai::{Digits, FiscalYear};
use serde::Deserialize;

use super::{status_label, web_error, year_of};
use crate::auth::{AgencyCtx, MemberCtx};
use crate::error::{WebError, WebResult};
use crate::http::cookies::CookieOut;
use crate::i18n::{Lang, Tr};
use crate::pages::{Flash, Page, download, no_store, redirect_flash};
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub struct DigitsQuery {
    #[serde(default)]
    digits: String,
}

impl DigitsQuery {
    fn digits(&self) -> Digits {
        if self.digits == "arabic" {
            Digits::Arabic
        } else {
            Digits::Thai
        }
    }
}

/// The agency as documents print it, with its logo when it is a PNG.
pub(super) async fn agency_model(state: &AppState, a: &Agency) -> docs::Agency {
    let mut logo = None;
    if let Some(id) = a.logo
        && let Ok(f) = state.cx.store.file(a.id, id).await
        && f.kind == FileKind::Png
    {
        logo = state.blobs.get(&f.sha256).await.ok();
    }
    docs::Agency {
        name: a.profile.name.clone(),
        district: a.profile.district.clone(),
        province: a.profile.province.clone(),
        logo,
    }
}

fn unique(into: &mut Vec<String>, v: String) {
    if !v.is_empty() && !into.contains(&v) {
        into.push(v);
    }
}

fn percent(p: i32) -> Option<u8> {
    u8::try_from(p.clamp(0, 100)).ok()
}

/// (a) The report's model from a plan.
pub fn report_model(
    tr: &Tr,
    agency: docs::Agency,
    view: &PlanView,
    divisions: &[Division],
    digits: Digits,
) -> docs::MeasuresReport {
    let measures = view
        .measures
        .iter()
        .map(|m| {
            let actions = view.actions_of(m.id);
            let (mut who, mut periods, mut recommendations) = (Vec::new(), Vec::new(), Vec::new());
            for a in &actions {
                if a.fields.all_divisions {
                    unique(&mut who, tr.get("measures-all-divisions"));
                }
                for d in &a.fields.divisions {
                    if let Some(d) = divisions.iter().find(|x| x.id == *d) {
                        unique(
                            &mut who,
                            d.fields
                                .short_name
                                .clone()
                                .unwrap_or_else(|| d.fields.name.clone()),
                        );
                    }
                }
                unique(
                    &mut periods,
                    a.fields
                        .period
                        .map(|p| p.format(digits))
                        .unwrap_or_default(),
                );
                unique(
                    &mut recommendations,
                    a.fields.recommendation.clone().unwrap_or_default(),
                );
            }
            docs::Measure {
                number: u32::try_from(m.number).unwrap_or(0),
                title: m.fields.title.clone(),
                percent: view.measure_percent(m.id).and_then(percent),
                actions: actions
                    .iter()
                    .map(|a| docs::Action {
                        number: u32::try_from(a.number).unwrap_or(0),
                        text: a.fields.text.clone(),
                        progress: view.latest_progress(a.id).map(|p| docs::Progress {
                            status: status_label(tr, p.status),
                            percent: percent(p.percent),
                            reported_on: Some(p.reported_on),
                            narrative: p.narrative.clone(),
                            evidence: p
                                .evidence
                                .iter()
                                .map(|e| match e {
                                    prongsai_domain::measures::Evidence::File { name, .. } => {
                                        name.clone()
                                    }
                                    prongsai_domain::measures::Evidence::Link { label, .. } => {
                                        label.clone()
                                    }
                                })
                                .collect(),
                        }),
                    })
                    .collect(),
                responsible: who,
                period: periods.join("\n"),
                recommendation: recommendations.join("\n"),
            }
        })
        .collect();
    docs::MeasuresReport {
        agency,
        fiscal_year: view.plan.fiscal_year.be(),
        digits,
        introduction: view.plan.texts.introduction.clone(),
        measures,
        review: (!view.reviews.is_empty()).then(|| docs::Review {
            fiscal_year: view.plan.fiscal_year.be() - 1,
            introduction: view.plan.texts.review_intro.clone(),
            rows: view
                .reviews
                .iter()
                .map(|r| docs::ReviewRow {
                    indicator: r.indicator.clone(),
                    issues: r.issues.clone(),
                    methods: r.methods.clone(),
                    actions_taken: r.actions_taken.clone(),
                })
                .collect(),
        }),
        steps: view
            .steps
            .iter()
            .map(|r| docs::StepRow {
                measure: r.measure.clone(),
                steps: r.steps.clone(),
                responsible: r.responsible.clone(),
                monitoring: r.monitoring.clone(),
            })
            .collect(),
    }
}

/// (b) The announcement's model from a plan.
pub fn announcement_model(
    agency: docs::Agency,
    view: &PlanView,
    digits: Digits,
) -> docs::Announcement {
    let t = &view.plan.texts;
    docs::Announcement {
        agency,
        fiscal_year: Some(view.plan.fiscal_year.be()),
        digits,
        preamble: t.announcement_preamble.clone(),
        measures: view
            .measures
            .iter()
            .map(|m| docs::AnnouncedMeasure {
                number: u32::try_from(m.number).unwrap_or(0),
                title: m.fields.title.clone(),
                actions: view
                    .actions_of(m.id)
                    .iter()
                    .map(|a| (u32::try_from(a.number).unwrap_or(0), a.fields.text.clone()))
                    .collect(),
            })
            .collect(),
        closing: String::new(),
        announced_on: t.announced_on,
        signer: docs::Signer {
            name: t.signer_name.clone().unwrap_or_default(),
            position: t.signer_position.iter().cloned().collect(),
        },
    }
}

fn score(s: Score) -> docs::Score {
    docs::Score::from_hundredths(u32::try_from(s.0.max(0)).unwrap_or(0))
}

/// (c) The analysis of the year before the plan, and the measures the library recommends for
/// its weak indicators. `None` without an official result for that year.
pub async fn analysis_model(
    state: &AppState,
    a: &Agency,
    plan_year: FiscalYear,
    digits: Digits,
) -> WebResult<Option<docs::ItaAnalysis>> {
    let tr = state.tr(Lang::Th);
    let results = state.cx.store.official_results(a.id).await?;
    let assessed = plan_year.be() - 1;
    let Some(now) = results.iter().find(|r| r.fiscal_year.be() == assessed) else {
        return Ok(None);
    };
    let before = results.iter().find(|r| r.fiscal_year.be() == assessed - 1);
    let indicators: Vec<docs::IndicatorScore> = (0..10)
        .filter_map(|i| {
            let n = u8::try_from(i + 1).ok()?;
            Some(docs::IndicatorScore {
                number: u32::from(n),
                name: tr.get(&format!("indicator-{n}")),
                score: score(now.indicators[i]?),
                previous: before.and_then(|b| b.indicators[i]).map(score),
            })
        })
        .collect();
    let weak: Vec<u8> = (0..10)
        .filter(|i| now.indicators[*i].is_some_and(|s| !s.passes()))
        .filter_map(|i| u8::try_from(i + 1).ok())
        .collect();
    let recommendations = library::measures_for(&weak)
        .into_iter()
        .map(|(m, actions)| docs::Recommendation {
            title: tr.arg2(
                "analysis-recommendation-title",
                "n",
                digits.apply(&m.indicators.first().copied().unwrap_or(0).to_string()),
                "title",
                &m.title,
            ),
            text: actions
                .iter()
                .map(|x| x.text.clone())
                .collect::<Vec<_>>()
                .join("\n"),
        })
        .collect();
    let verdict = tr.get(if now.total.passes() {
        "analysis-passed"
    } else {
        "analysis-not-passed"
    });
    let summary = tr.args(
        "analysis-summary",
        &[
            ("agency", &a.profile.name),
            ("year", &digits.apply(&assessed.to_string())),
            ("total", &digits.apply(&now.total.to_string())),
            ("grade", &now.grade),
            ("verdict", &verdict),
            ("weak", &digits.apply(&weak.len().to_string())),
        ],
    );
    Ok(Some(docs::ItaAnalysis {
        agency: agency_model(state, a).await,
        fiscal_year: assessed,
        digits,
        total: score(now.total),
        previous_total: before.map(|b| score(b.total)),
        grade: now.grade.clone(),
        summary,
        indicators,
        weakest_count: 0,
        recommendations,
    }))
}

/// Renders off the async workers. A logo that the renderer cannot use (a damaged image that
/// passed the upload check) must not cost the agency its document: it is left out and logged.
async fn rendered<T: Send + 'static>(
    mut model: T,
    f: fn(&T) -> Result<Vec<u8>, docs::DocumentError>,
    logo: fn(&mut T) -> &mut Option<Vec<u8>>,
) -> WebResult<Vec<u8>> {
    let out = tokio::task::spawn_blocking(move || match f(&model) {
        Err(e) if logo(&mut model).take().is_some() => {
            tracing::warn!(error = %e, "the agency logo cannot be used in documents; left out");
            f(&model)
        }
        other => other,
    });
    out.await
        .map_err(|e| WebError::Internal(Box::new(e)))?
        .map_err(|e| WebError::Internal(Box::new(e)))
}

fn report_logo(m: &mut docs::MeasuresReport) -> &mut Option<Vec<u8>> {
    &mut m.agency.logo
}

fn announcement_logo(m: &mut docs::Announcement) -> &mut Option<Vec<u8>> {
    &mut m.agency.logo
}

fn analysis_logo(m: &mut docs::ItaAnalysis) -> &mut Option<Vec<u8>> {
    &mut m.agency.logo
}

const PDF: &str = "application/pdf";

/// A plan document by file name: `report.pdf`, `report.docx`, `announcement.pdf`,
/// `announcement.docx`, `analysis.pdf`, `analysis.docx`.
async fn document(
    state: &AppState,
    agency: &Agency,
    view: &PlanView,
    file: &str,
    digits: Digits,
) -> WebResult<Option<Response>> {
    let tr = state.tr(Lang::Th);
    let year = view.plan.fiscal_year;
    let (stem, ext) = file.rsplit_once('.').ok_or(WebError::NotFound)?;
    let (ctype, bytes) = match (stem, ext) {
        ("report", "pdf" | "docx") => {
            let divisions = state.cx.store.list_divisions(agency.id).await?;
            let model = report_model(
                &tr,
                agency_model(state, agency).await,
                view,
                &divisions,
                digits,
            );
            if ext == "pdf" {
                (
                    PDF,
                    rendered(model, docs::measures_report_pdf, report_logo).await?,
                )
            } else {
                (
                    FileKind::Docx.content_type(),
                    rendered(model, docs::measures_report_docx, report_logo).await?,
                )
            }
        }
        ("announcement", "pdf" | "docx") => {
            let model = announcement_model(agency_model(state, agency).await, view, digits);
            if ext == "pdf" {
                (
                    PDF,
                    rendered(model, docs::announcement_pdf, announcement_logo).await?,
                )
            } else {
                (
                    FileKind::Docx.content_type(),
                    rendered(model, docs::announcement_docx, announcement_logo).await?,
                )
            }
        }
        ("analysis", "pdf" | "docx") => {
            let Some(model) = analysis_model(state, agency, year, digits).await? else {
                return Ok(None);
            };
            if ext == "pdf" {
                (
                    PDF,
                    rendered(model, docs::ita_analysis_pdf, analysis_logo).await?,
                )
            } else {
                (
                    FileKind::Docx.content_type(),
                    rendered(model, docs::ita_analysis_docx, analysis_logo).await?,
                )
            }
        }
        _ => return Err(WebError::NotFound),
    };
    let name = format!(
        "{}-{}-{}.{ext}",
        tr.get(&format!("file-{stem}")),
        agency.slug,
        year.be()
    );
    Ok(Some(download(bytes, ctype, &name)))
}

/// A document of any plan, for members.
pub async fn member_document(
    State(state): State<AppState>,
    m: MemberCtx,
    Path((_, year, file)): Path<(String, String, String)>,
    Query(q): Query<DigitsQuery>,
    axum::Extension(out): axum::Extension<CookieOut>,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    let view = ms::plan_view(&state.cx, m.agency.id, year)
        .await
        .map_err(web_error)?;
    match document(&state, &m.agency, &view, &file, q.digits()).await? {
        Some(res) => Ok(no_store(res)),
        None => Ok(redirect_flash(
            &out,
            &format!("/a/{}/admin/ita/results", m.agency.slug),
            Flash::ResultsNeeded,
        )),
    }
}

/// A document of a published (approved) plan, for everyone: `report.pdf` and the other files,
/// or `announcement` and `analysis` as pages of the portal (the report's page is the year's
/// page itself).
pub async fn public_document(
    State(state): State<AppState>,
    AgencyCtx(agency): AgencyCtx,
    Path((_, year, file)): Path<(String, String, String)>,
    Query(q): Query<DigitsQuery>,
    page: Page,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    let view = super::public::approved_view(&state, &agency, year).await?;
    let found = if file.contains('.') {
        document(&state, &agency, &view, &file, q.digits()).await?
    } else {
        super::public::official_page(&state, &page, &agency, &view, &file, q.digits()).await?
    };
    match found {
        Some(res) => Ok(res),
        None => {
            Ok(Redirect::to(&format!("/a/{}/measures/{}", agency.slug, year.be())).into_response())
        }
    }
}
