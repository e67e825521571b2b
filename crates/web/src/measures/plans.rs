//! The plans of an agency: the list by year, drafting a new one, the plan page with its
//! consistency check and approval, the plan texts, and the overdue view.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use prongsai_domain::measures::service::{self as ms, Drafting, MeasuresError, PlanView};
use prongsai_domain::measures::{
    Action, CheckOverride, Measure, PlanStatus, PlanTextsInput, ProgressEntry,
};
use prongsai_domain::platform::{Division, Permission, Role};
use prongsai_domain::{ErrorCode, FieldErrors};
use prongsai_thai::FiscalYear;
use serde::Deserialize;

use super::{
    place_label, plan_status_label, responsible, status_label, warning_text, web_error, year_of,
};
use crate::auth::MemberCtx;
use crate::error::{WebError, WebResult};
use crate::forms::FormFields;
use crate::http::cookies::CookieOut;
use crate::pages::{Csrf, Flash, Layout, Page, redirect_flash, render, render_invalid};
use crate::platform::office_layout;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "measures/plans.html")]
struct PlansPage {
    l: Layout,
    slug: String,
    plans: Vec<(i32, String)>,
    can_create: bool,
    next_year: i32,
    e: FieldErrors,
    year_input: String,
    how: String,
    /// Each ITA indicator: number, name, ticked.
    indicators: Vec<(u8, String, bool)>,
}

pub async fn list_plans(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
) -> WebResult<Response> {
    render(
        &plans_page(
            &state,
            &page,
            &csrf,
            &m,
            FieldErrors::new(),
            String::new(),
            "copy".into(),
            vec![],
        )
        .await?,
    )
}

#[expect(
    clippy::too_many_arguments,
    reason = "a page and the form it re-renders"
)]
async fn plans_page(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    e: FieldErrors,
    year_input: String,
    how: String,
    indicators: Vec<u8>,
) -> WebResult<PlansPage> {
    let plans = state
        .cx
        .store
        .plan_years(m.agency.id)
        .await?
        .into_iter()
        .map(|(y, s)| (y.be(), plan_status_label(&page.tr, s)))
        .collect::<Vec<_>>();
    let current = FiscalYear::of(state.cx.clock.today()).be();
    let next_year = plans
        .iter()
        .map(|(y, _)| *y + 1)
        .max()
        .unwrap_or(current)
        .max(current);
    Ok(PlansPage {
        l: office_layout(page, csrf, m, page.tr.get("nav-measures"), "measures"),
        slug: m.agency.slug.to_string(),
        plans,
        can_create: m.member.membership.can(Permission::ManageMeasures),
        next_year,
        e,
        year_input,
        how,
        indicators: (1..=10u8)
            .map(|i| (i, page.tr.indicator(&i), indicators.contains(&i)))
            .collect(),
    })
}

pub async fn create_plan(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    let year_raw = form.get("year");
    let how_raw = form.get("how");
    let indicators: Vec<u8> = form
        .all("indicators")
        .iter()
        .filter_map(|i| i.parse().ok())
        .collect();
    let mut e = FieldErrors::new();
    let year = year_raw
        .parse::<FiscalYear>()
        .ok()
        .filter(|y| (2550..=2650).contains(&y.be()));
    if year.is_none() {
        e.add("year", ErrorCode::InvalidNumber);
    }
    let how = match how_raw.as_str() {
        "scratch" => Some(Drafting::Scratch),
        "copy" => Some(Drafting::CopyPrevious),
        "library" => Some(Drafting::FromIndicators(indicators.clone())),
        _ => {
            e.add("how", ErrorCode::InvalidChoice);
            None
        }
    };
    let again = |e: FieldErrors| async {
        let p = plans_page(
            &state,
            &page,
            &csrf,
            &m,
            e,
            year_raw.clone(),
            how_raw.clone(),
            indicators.clone(),
        )
        .await?;
        render_invalid(&p)
    };
    let (Some(year), Some(how)) = (year, how) else {
        return again(e).await;
    };
    match ms::create_plan(&state.cx, &m.member, &m.agency.profile.name, year, &how).await {
        Ok(_) => Ok(redirect_flash(
            &out,
            &format!("/a/{}/admin/measures/{}", m.agency.slug, year.be()),
            Flash::Created,
        )),
        Err(MeasuresError::Invalid(e)) => again(e).await,
        Err(MeasuresError::Exists) => {
            again(FieldErrors::single("year", ErrorCode::PlanExists)).await
        }
        Err(MeasuresError::NotFound) => {
            again(FieldErrors::single("how", ErrorCode::NoPreviousPlan)).await
        }
        Err(other) => Err(web_error(other)),
    }
}

/// One action as the plan page shows it.
pub struct ActionRow {
    pub action: Action,
    pub number: String,
    pub responsible: Vec<String>,
    pub period: String,
    pub status: String,
    pub overdue: bool,
    pub can_report: bool,
    pub latest: Option<ProgressEntry>,
}

/// One measure with the actions this member may see.
pub struct MeasureRow {
    pub measure: Measure,
    pub percent: Option<i32>,
    pub actions: Vec<ActionRow>,
}

/// A warning of the consistency check, ready for the page.
pub struct WarningRow {
    pub code: String,
    pub subject: String,
    pub place: String,
    pub text: String,
    pub accepted: Option<CheckOverride>,
}

#[derive(Template)]
#[template(path = "measures/plan.html")]
struct PlanPage {
    l: Layout,
    slug: String,
    year: i32,
    status: PlanStatus,
    status_label: String,
    percent: Option<i32>,
    rows: Vec<MeasureRow>,
    /// Only the actions of the member's divisions are shown.
    own_only: bool,
    can_edit: bool,
    can_submit: bool,
    can_approve: bool,
    can_return: bool,
    warnings: Vec<WarningRow>,
    /// How many warnings nobody has accepted yet.
    open_warnings: usize,
    overdue: usize,
    approved_by: Option<String>,
    problem: Option<String>,
}

/// Builds the rows of a plan for a member: officers see only the actions of their divisions.
pub fn rows_for(
    tr: &crate::i18n::Tr,
    view: &PlanView,
    divisions: &[Division],
    m: &MemberCtx,
    today: time::Date,
) -> (Vec<MeasureRow>, bool) {
    let sees_all = !m.member.membership.has_role(Role::DivisionOfficer)
        || m.member.membership.has_role(Role::AgencyAdmin)
        || m.member.membership.can(Permission::ApprovePlans);
    let rows = view
        .measures
        .iter()
        .map(|me| {
            let actions = view
                .actions_of(me.id)
                .into_iter()
                .filter(|a| sees_all || ms::can_report(&m.member, a))
                .map(|a| ActionRow {
                    number: view.action_number(a),
                    responsible: responsible(tr, a, divisions),
                    period: super::period(a),
                    status: status_label(tr, a.status),
                    overdue: a.status.is_open() && a.due().is_some_and(|d| d < today),
                    can_report: view.plan.status == PlanStatus::Approved
                        && ms::can_report(&m.member, a),
                    latest: view.latest_progress(a.id).cloned(),
                    action: a.clone(),
                })
                .collect();
            MeasureRow {
                percent: view.measure_percent(me.id),
                measure: me.clone(),
                actions,
            }
        })
        .filter(|r| sees_all || !r.actions.is_empty())
        .collect();
    (rows, !sees_all)
}

/// The warnings of a plan, for a page.
pub async fn warning_rows(
    state: &AppState,
    tr: &crate::i18n::Tr,
    m: &MemberCtx,
    view: &PlanView,
) -> WebResult<Vec<WarningRow>> {
    let checked = ms::check_plan(&state.cx, &m.agency.profile.name, view)
        .await
        .map_err(web_error)?;
    Ok(checked
        .into_iter()
        .map(|(w, accepted)| WarningRow {
            code: w.code.as_str().to_owned(),
            subject: w.subject(),
            place: place_label(tr, &w.place),
            text: warning_text(tr, &w),
            accepted,
        })
        .collect())
}

async fn plan_page(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    year: FiscalYear,
    problem: Option<String>,
) -> WebResult<PlanPage> {
    let view = ms::plan_view(&state.cx, m.agency.id, year)
        .await
        .map_err(web_error)?;
    let divisions = state.cx.store.list_divisions(m.agency.id).await?;
    let today = state.cx.clock.today();
    let (rows, own_only) = rows_for(&page.tr, &view, &divisions, m, today);
    let membership = &m.member.membership;
    let status = view.plan.status;
    let warnings =
        if membership.can(Permission::ManageMeasures) || membership.can(Permission::ApprovePlans) {
            warning_rows(state, &page.tr, m, &view).await?
        } else {
            Vec::new()
        };
    Ok(PlanPage {
        l: office_layout(
            page,
            csrf,
            m,
            page.tr.arg("measures-plan-title", "year", year.be()),
            "measures",
        ),
        slug: m.agency.slug.to_string(),
        year: year.be(),
        status,
        status_label: plan_status_label(&page.tr, status),
        percent: view.plan_percent(),
        overdue: ms::overdue(&view, today, None).len(),
        rows,
        own_only,
        can_edit: membership.can(Permission::ManageMeasures) && status == PlanStatus::Draft,
        can_submit: membership.can(Permission::ManageMeasures) && status == PlanStatus::Draft,
        can_approve: membership.can(Permission::ApprovePlans) && status == PlanStatus::Submitted,
        can_return: (membership.can(Permission::ManageMeasures)
            || membership.can(Permission::ApprovePlans))
            && status != PlanStatus::Draft,
        open_warnings: warnings.iter().filter(|w| w.accepted.is_none()).count(),
        warnings,
        approved_by: view.plan.approved_by.clone(),
        problem,
    })
}

pub async fn show_plan(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year)): Path<(String, String)>,
) -> WebResult<Response> {
    render(&plan_page(&state, &page, &csrf, &m, year_of(&year)?, None).await?)
}

/// Submit, approve, or return to draft.
pub async fn change_status(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year, step)): Path<(String, String, String)>,
    Extension(out): Extension<CookieOut>,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    let name = &m.agency.profile.name;
    let result = match step.as_str() {
        "submit" => ms::submit(&state.cx, &m.member, name, year).await,
        "approve" => ms::approve(&state.cx, &m.member, name, year).await,
        "return" => ms::return_to_draft(&state.cx, &m.member, year).await,
        _ => return Err(WebError::NotFound),
    };
    let problem = match result {
        Ok(()) => {
            return Ok(redirect_flash(
                &out,
                &format!("/a/{}/admin/measures/{}", m.agency.slug, year.be()),
                Flash::Saved,
            ));
        }
        Err(MeasuresError::Unresolved(open)) => {
            page.tr.arg("measures-unresolved", "count", open.len())
        }
        Err(MeasuresError::Locked) => page.tr.get("measures-locked"),
        Err(MeasuresError::Invalid(_)) => page.tr.get("measures-empty-plan"),
        Err(other) => return Err(web_error(other)),
    };
    render_invalid(&plan_page(&state, &page, &csrf, &m, year, Some(problem)).await?)
}

/// Accepts a warning of the consistency check, with a reason.
pub async fn accept_warning(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year)): Path<(String, String)>,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    match ms::override_warning(
        &state.cx,
        &m.member,
        year,
        &form.get("code"),
        &form.get("subject"),
        &form.get("reason"),
    )
    .await
    {
        Ok(()) => Ok(redirect_flash(
            &out,
            &format!("/a/{}/admin/measures/{}#check", m.agency.slug, year.be()),
            Flash::Saved,
        )),
        Err(MeasuresError::Invalid(_)) => render_invalid(
            &plan_page(
                &state,
                &page,
                &csrf,
                &m,
                year,
                Some(page.tr.get("measures-reason-required")),
            )
            .await?,
        ),
        Err(other) => Err(web_error(other)),
    }
}

#[derive(Template)]
#[template(path = "measures/texts.html")]
struct TextsPage {
    l: Layout,
    slug: String,
    year: i32,
    f: PlanTextsInput,
    e: FieldErrors,
}

pub async fn edit_texts(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year)): Path<(String, String)>,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    m.member
        .require(Permission::ManageMeasures)
        .map_err(WebError::from)?;
    let plan = state
        .cx
        .store
        .plan(m.agency.id, year)
        .await?
        .ok_or(WebError::NotFound)?;
    render(&TextsPage {
        l: office_layout(
            &page,
            &csrf,
            &m,
            page.tr.get("measures-texts-title"),
            "measures",
        ),
        slug: m.agency.slug.to_string(),
        year: year.be(),
        f: PlanTextsInput::from_texts(&plan.texts),
        e: FieldErrors::new(),
    })
}

pub async fn update_texts(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year)): Path<(String, String)>,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    let input = PlanTextsInput {
        introduction: form.get("introduction"),
        review_intro: form.get("review_intro"),
        announcement_preamble: form.get("announcement_preamble"),
        announced_on: form.get("announced_on"),
        signer_name: form.get("signer_name"),
        signer_position: form.get("signer_position"),
    };
    match ms::update_texts(&state.cx, &m.member, year, &input).await {
        Ok(()) => Ok(redirect_flash(
            &out,
            &format!("/a/{}/admin/measures/{}", m.agency.slug, year.be()),
            Flash::Saved,
        )),
        Err(MeasuresError::Invalid(e)) => render_invalid(&TextsPage {
            l: office_layout(
                &page,
                &csrf,
                &m,
                page.tr.get("measures-texts-title"),
                "measures",
            ),
            slug: m.agency.slug.to_string(),
            year: year.be(),
            f: input,
            e,
        }),
        Err(MeasuresError::Locked) => Ok(Redirect::to(&format!(
            "/a/{}/admin/measures/{}",
            m.agency.slug,
            year.be()
        ))
        .into_response()),
        Err(other) => Err(web_error(other)),
    }
}

#[derive(Deserialize, Default)]
pub struct OverdueQuery {
    #[serde(default)]
    division: String,
}

#[derive(Template)]
#[template(path = "measures/overdue.html")]
struct OverduePage {
    l: Layout,
    slug: String,
    year: i32,
    divisions: Vec<Division>,
    division: String,
    rows: Vec<(String, String, Vec<String>, String, String)>,
}

/// Open actions whose period has ended, for one division or all.
pub async fn list_overdue(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year)): Path<(String, String)>,
    Query(q): Query<OverdueQuery>,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    let view = ms::plan_view(&state.cx, m.agency.id, year)
        .await
        .map_err(web_error)?;
    let divisions = state.cx.store.list_divisions(m.agency.id).await?;
    // Division officers see their own division's overdue actions by default, and no other's.
    let membership = &m.member.membership;
    let own = membership.officer_divisions();
    let sees_all = !membership.has_role(Role::DivisionOfficer)
        || membership.has_role(Role::AgencyAdmin)
        || membership.can(Permission::ApprovePlans);
    let chosen = q
        .division
        .parse()
        .ok()
        .filter(|d| divisions.iter().any(|x| x.id == *d) && (sees_all || own.contains(d)));
    let chosen = chosen.or_else(|| {
        (!membership.has_role(Role::AgencyAdmin))
            .then(|| own.first().copied())
            .flatten()
    });
    let today = state.cx.clock.today();
    let rows = ms::overdue(&view, today, chosen)
        .into_iter()
        .map(|a| {
            let due = a
                .due()
                .map(|d| prongsai_thai::format_short(d, prongsai_thai::Digits::Arabic))
                .unwrap_or_default();
            (
                view.action_number(a),
                a.fields.text.clone(),
                responsible(&page.tr, a, &divisions),
                due,
                a.id.to_string(),
            )
        })
        .collect();
    render(&OverduePage {
        l: office_layout(
            &page,
            &csrf,
            &m,
            page.tr.get("measures-overdue-title"),
            "measures",
        ),
        slug: m.agency.slug.to_string(),
        year: year.be(),
        division: chosen.map(|d| d.to_string()).unwrap_or_default(),
        divisions,
        rows,
    })
}
