//! One action: its details, its progress history with evidence, and the progress form.

use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use prongsai_domain::FieldErrors;
use prongsai_domain::ids::ActionId;
use prongsai_domain::measures::service::{self as ms, MeasuresError};
use prongsai_domain::measures::{ActionStatus, Evidence, PlanStatus, ProgressInput};
use prongsai_domain::platform::service::Upload;

use super::{responsible, status_label, web_error, year_of};
use crate::auth::MemberCtx;
use crate::error::{WebError, WebResult};
use crate::forms::read_multipart;
use crate::http::cookies::CookieOut;
use crate::pages::{Csrf, Flash, Layout, Page, redirect_flash, render, render_invalid};
use crate::platform::office_layout;
use crate::state::AppState;

/// The most evidence files one report may carry.
const MAX_FILES: usize = 10;

/// A progress report as the page shows it.
pub struct ProgressRow {
    pub date: String,
    pub status: String,
    pub percent: i32,
    pub narrative: String,
    pub author: String,
    /// (label, href).
    pub evidence: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "measures/action.html")]
struct ActionPage {
    l: Layout,
    slug: String,
    year: i32,
    id: ActionId,
    measure_title: String,
    text: String,
    responsible: Vec<String>,
    period: String,
    recommendation: Option<String>,
    monitoring: Option<String>,
    kpi: Option<String>,
    target: Option<String>,
    status: String,
    percent: i32,
    history: Vec<ProgressRow>,
    can_report: bool,
    plan_approved: bool,
    statuses: Vec<(String, String)>,
    f: ProgressInput,
    e: FieldErrors,
    max_mb: u64,
}

#[expect(
    clippy::too_many_arguments,
    reason = "a page and the form it re-renders"
)]
async fn action_page(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    year: prongsai_thai::FiscalYear,
    id: ActionId,
    f: ProgressInput,
    e: FieldErrors,
) -> WebResult<ActionPage> {
    let view = ms::plan_view(&state.cx, m.agency.id, year)
        .await
        .map_err(web_error)?;
    let a = view
        .actions
        .iter()
        .find(|a| a.id == id)
        .ok_or(WebError::NotFound)?;
    let can_report = ms::can_report(&m.member, a);
    // Division officers see only what they may edit.
    if !can_report
        && !m
            .member
            .membership
            .has_role(prongsai_domain::platform::Role::AgencyAdmin)
        && m.member
            .membership
            .has_role(prongsai_domain::platform::Role::DivisionOfficer)
        && !m
            .member
            .membership
            .can(prongsai_domain::platform::Permission::ApprovePlans)
    {
        return Err(WebError::NotFound);
    }
    let divisions = state.cx.store.list_divisions(m.agency.id).await?;
    let slug = m.agency.slug.to_string();
    let history = view
        .progress
        .iter()
        .filter(|p| p.action_id == id)
        .map(|p| ProgressRow {
            date: prongsai_thai::format_short(p.reported_on, prongsai_thai::Digits::Arabic),
            status: status_label(&page.tr, p.status),
            percent: p.percent,
            narrative: p.narrative.clone(),
            author: p.author_label.clone(),
            evidence: p
                .evidence
                .iter()
                .map(|e| match e {
                    Evidence::File { file_id, name } => {
                        (name.clone(), format!("/a/{slug}/admin/files/{file_id}"))
                    }
                    Evidence::Link { url, label } => (label.clone(), url.clone()),
                })
                .collect(),
        })
        .collect();
    let number = view.action_number(a);
    Ok(ActionPage {
        l: office_layout(
            page,
            csrf,
            m,
            page.tr.arg("measures-action-title", "number", &number),
            "measures",
        ),
        slug,
        year: year.be(),
        id,
        measure_title: view
            .measure(a.measure_id)
            .map(|x| x.fields.title.clone())
            .unwrap_or_default(),
        text: a.fields.text.clone(),
        responsible: responsible(&page.tr, a, &divisions),
        period: super::period(a),
        recommendation: a.fields.recommendation.clone(),
        monitoring: a.fields.monitoring.clone(),
        kpi: a.fields.kpi.clone(),
        target: a.fields.target.clone(),
        status: status_label(&page.tr, a.status),
        percent: a.percent,
        history,
        can_report,
        plan_approved: view.plan.status == PlanStatus::Approved,
        statuses: ActionStatus::ALL
            .iter()
            .map(|s| (s.as_str().to_owned(), status_label(&page.tr, *s)))
            .collect(),
        f,
        e,
        max_mb: state.config.max_image_bytes.max(10 * 1024 * 1024) / (1024 * 1024),
    })
}

pub async fn show_action(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year, id)): Path<(String, String, String)>,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    let id: ActionId = id.parse().map_err(|_| WebError::NotFound)?;
    let f = ProgressInput {
        status: "in-progress".into(),
        ..ProgressInput::default()
    };
    render(&action_page(&state, &page, &csrf, &m, year, id, f, FieldErrors::new()).await?)
}

pub async fn report_progress(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year, id)): Path<(String, String, String)>,
    Extension(out): Extension<CookieOut>,
    mp: Multipart,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    let id: ActionId = id.parse().map_err(|_| WebError::NotFound)?;
    let (form, files) = read_multipart(mp, "files", MAX_FILES).await?;
    let input = ProgressInput {
        reported_on: form.get("reported_on"),
        status: form.get("status"),
        percent: form.get("percent"),
        narrative: form.get("narrative"),
        links: form.get("links"),
    };
    let max = state.config.max_image_bytes.max(10 * 1024 * 1024);
    let uploads: Vec<Upload<'_>> = files
        .iter()
        .map(|f| Upload {
            file_name: &f.file_name,
            bytes: &f.bytes,
            max_bytes: max,
        })
        .collect();
    match ms::report_progress(
        &state.cx,
        state.blobs.as_ref(),
        &m.member,
        year,
        id,
        &input,
        &uploads,
    )
    .await
    {
        Ok(_) => Ok(redirect_flash(
            &out,
            &format!(
                "/a/{}/admin/measures/{}/actions/{id}",
                m.agency.slug,
                year.be()
            ),
            Flash::Saved,
        )),
        Err(MeasuresError::Invalid(e)) => {
            render_invalid(&action_page(&state, &page, &csrf, &m, year, id, input, e).await?)
        }
        Err(MeasuresError::NotApproved) => {
            let e = FieldErrors::single("status", prongsai_domain::ErrorCode::PlanNotApproved);
            render_invalid(&action_page(&state, &page, &csrf, &m, year, id, input, e).await?)
        }
        Err(other) => Err(web_error(other)),
    }
}
