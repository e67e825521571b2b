//! Editing a draft plan: measures, actions, last year's table and the steps table.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Response;
use prongsai_domain::FieldErrors;
use prongsai_domain::ids::{ActionId, MeasureId};
use prongsai_domain::measures::model::INDICATORS;
use prongsai_domain::measures::service::{self as ms, MeasuresError};
use prongsai_domain::measures::{ActionInput, MeasureInput, ReviewRow, StepRow};
use prongsai_domain::platform::{Division, Permission};
use prongsai_thai::FiscalYear;

use super::{web_error, year_of};
use crate::auth::MemberCtx;
use crate::error::{WebError, WebResult};
use crate::forms::FormFields;
use crate::http::cookies::CookieOut;
use crate::pages::{Csrf, Flash, Layout, Page, redirect_flash, render, render_invalid};
use crate::platform::office_layout;
use crate::state::AppState;

fn plan_url(m: &MemberCtx, year: FiscalYear) -> String {
    format!("/a/{}/admin/measures/{}", m.agency.slug, year.be())
}

fn id_of<T: std::str::FromStr>(raw: &str) -> WebResult<T> {
    raw.parse().map_err(|_| WebError::NotFound)
}

/// Refuses unless the member drafts plans and the plan is a draft.
async fn editable(state: &AppState, m: &MemberCtx, year: FiscalYear) -> WebResult<()> {
    m.member
        .require(Permission::ManageMeasures)
        .map_err(WebError::from)?;
    let plan = state
        .cx
        .store
        .plan(m.agency.id, year)
        .await?
        .ok_or(WebError::NotFound)?;
    if plan.status != prongsai_domain::measures::PlanStatus::Draft {
        return Err(WebError::Forbidden);
    }
    Ok(())
}

// ---- measures ----

#[derive(Template)]
#[template(path = "measures/measure_form.html")]
struct MeasureFormPage {
    l: Layout,
    slug: String,
    year: i32,
    id: Option<MeasureId>,
    number: Option<i32>,
    f: MeasureInput,
    indicators: Vec<u8>,
    e: FieldErrors,
}

fn measure_input(form: &FormFields) -> MeasureInput {
    MeasureInput {
        title: form.get("title"),
        indicators: form.all("indicators"),
        oit_items: form.get("oit_items"),
        weight: form.get("weight"),
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "a page and the form it re-renders"
)]
fn measure_page(
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    year: FiscalYear,
    id: Option<MeasureId>,
    number: Option<i32>,
    f: MeasureInput,
    e: FieldErrors,
) -> MeasureFormPage {
    let title = page.tr.get(if id.is_some() {
        "measures-edit-measure"
    } else {
        "measures-new-measure"
    });
    MeasureFormPage {
        l: office_layout(page, csrf, m, title, "measures"),
        slug: m.agency.slug.to_string(),
        year: year.be(),
        id,
        number,
        f,
        indicators: INDICATORS.collect(),
        e,
    }
}

pub async fn new_measure(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year)): Path<(String, String)>,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    editable(&state, &m, year).await?;
    let f = MeasureInput {
        weight: "1".into(),
        oit_items: "O42, O43".into(),
        ..MeasureInput::default()
    };
    render(&measure_page(
        &page,
        &csrf,
        &m,
        year,
        None,
        None,
        f,
        FieldErrors::new(),
    ))
}

pub async fn create_measure(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year)): Path<(String, String)>,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    let input = measure_input(&form);
    match ms::add_measure(&state.cx, &m.member, year, &input).await {
        Ok(_) => Ok(redirect_flash(&out, &plan_url(&m, year), Flash::Created)),
        Err(MeasuresError::Invalid(e)) => {
            render_invalid(&measure_page(&page, &csrf, &m, year, None, None, input, e))
        }
        Err(other) => Err(web_error(other)),
    }
}

pub async fn edit_measure(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year, id)): Path<(String, String, String)>,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    editable(&state, &m, year).await?;
    let id: MeasureId = id_of(&id)?;
    let plan = state
        .cx
        .store
        .plan(m.agency.id, year)
        .await?
        .ok_or(WebError::NotFound)?;
    let me = state
        .cx
        .store
        .measures(m.agency.id, plan.id)
        .await?
        .into_iter()
        .find(|x| x.id == id)
        .ok_or(WebError::NotFound)?;
    let f = MeasureInput::from_fields(&me.fields);
    render(&measure_page(
        &page,
        &csrf,
        &m,
        year,
        Some(id),
        Some(me.number),
        f,
        FieldErrors::new(),
    ))
}

pub async fn update_measure(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year, id)): Path<(String, String, String)>,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    let id: MeasureId = id_of(&id)?;
    let input = measure_input(&form);
    match ms::update_measure(&state.cx, &m.member, year, id, &input).await {
        Ok(()) => Ok(redirect_flash(&out, &plan_url(&m, year), Flash::Saved)),
        Err(MeasuresError::Invalid(e)) => render_invalid(&measure_page(
            &page,
            &csrf,
            &m,
            year,
            Some(id),
            None,
            input,
            e,
        )),
        Err(other) => Err(web_error(other)),
    }
}

pub async fn delete_measure(
    State(state): State<AppState>,
    m: MemberCtx,
    Path((_, year, id)): Path<(String, String, String)>,
    Extension(out): Extension<CookieOut>,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    ms::delete_measure(&state.cx, &m.member, year, id_of(&id)?)
        .await
        .map_err(web_error)?;
    Ok(redirect_flash(&out, &plan_url(&m, year), Flash::Deleted))
}

// ---- actions ----

#[derive(Template)]
#[template(path = "measures/action_form.html")]
struct ActionFormPage {
    l: Layout,
    slug: String,
    year: i32,
    /// The measure the action is (or will be) under, and its number.
    measure: (MeasureId, i32),
    id: Option<ActionId>,
    f: ActionInput,
    divisions: Vec<Division>,
    e: FieldErrors,
}

fn action_input(form: &FormFields) -> ActionInput {
    ActionInput {
        text: form.get("text"),
        all_divisions: form.checked("all_divisions"),
        divisions: form.all("divisions"),
        period: form.get("period"),
        recommendation: form.get("recommendation"),
        monitoring: form.get("monitoring"),
        kpi: form.get("kpi"),
        target: form.get("target"),
        weight: form.get("weight"),
    }
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
    year: FiscalYear,
    measure: (MeasureId, i32),
    id: Option<ActionId>,
    f: ActionInput,
    e: FieldErrors,
) -> WebResult<ActionFormPage> {
    let title = page.tr.get(if id.is_some() {
        "measures-edit-action"
    } else {
        "measures-new-action"
    });
    Ok(ActionFormPage {
        l: office_layout(page, csrf, m, title, "measures"),
        slug: m.agency.slug.to_string(),
        year: year.be(),
        measure,
        id,
        f,
        divisions: state.cx.store.list_divisions(m.agency.id).await?,
        e,
    })
}

/// The measure `id` of the plan of `year`, with its number.
async fn measure_of(
    state: &AppState,
    m: &MemberCtx,
    year: FiscalYear,
    id: MeasureId,
) -> WebResult<(MeasureId, i32)> {
    let plan = state
        .cx
        .store
        .plan(m.agency.id, year)
        .await?
        .ok_or(WebError::NotFound)?;
    let me = state
        .cx
        .store
        .measures(m.agency.id, plan.id)
        .await?
        .into_iter()
        .find(|x| x.id == id)
        .ok_or(WebError::NotFound)?;
    Ok((me.id, me.number))
}

pub async fn new_action(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year, measure)): Path<(String, String, String)>,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    editable(&state, &m, year).await?;
    let measure = measure_of(&state, &m, year, id_of(&measure)?).await?;
    let f = ActionInput {
        weight: "1".into(),
        all_divisions: false,
        ..ActionInput::default()
    };
    render(
        &action_page(
            &state,
            &page,
            &csrf,
            &m,
            year,
            measure,
            None,
            f,
            FieldErrors::new(),
        )
        .await?,
    )
}

pub async fn create_action(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year, measure)): Path<(String, String, String)>,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    let measure_id: MeasureId = id_of(&measure)?;
    let input = action_input(&form);
    match ms::add_action(&state.cx, &m.member, year, measure_id, &input).await {
        Ok(_) => Ok(redirect_flash(&out, &plan_url(&m, year), Flash::Created)),
        Err(MeasuresError::Invalid(e)) => {
            let measure = measure_of(&state, &m, year, measure_id).await?;
            render_invalid(
                &action_page(&state, &page, &csrf, &m, year, measure, None, input, e).await?,
            )
        }
        Err(other) => Err(web_error(other)),
    }
}

pub async fn edit_action(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year, id)): Path<(String, String, String)>,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    editable(&state, &m, year).await?;
    let id: ActionId = id_of(&id)?;
    let (measure, f) = stored_action(&state, &m, year, id).await?;
    render(
        &action_page(
            &state,
            &page,
            &csrf,
            &m,
            year,
            measure,
            Some(id),
            f,
            FieldErrors::new(),
        )
        .await?,
    )
}

async fn stored_action(
    state: &AppState,
    m: &MemberCtx,
    year: FiscalYear,
    id: ActionId,
) -> WebResult<((MeasureId, i32), ActionInput)> {
    let a = state.cx.store.action(m.agency.id, id).await?;
    if state
        .cx
        .store
        .plan_of_action(m.agency.id, id)
        .await?
        .fiscal_year
        != year
    {
        return Err(WebError::NotFound);
    }
    let measure = measure_of(state, m, year, a.measure_id).await?;
    Ok((measure, ActionInput::from_fields(&a.fields)))
}

pub async fn update_action(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year, id)): Path<(String, String, String)>,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    let id: ActionId = id_of(&id)?;
    let input = action_input(&form);
    match ms::update_action(&state.cx, &m.member, year, id, &input).await {
        Ok(()) => Ok(redirect_flash(&out, &plan_url(&m, year), Flash::Saved)),
        Err(MeasuresError::Invalid(e)) => {
            let (measure, _) = stored_action(&state, &m, year, id).await?;
            render_invalid(
                &action_page(&state, &page, &csrf, &m, year, measure, Some(id), input, e).await?,
            )
        }
        Err(other) => Err(web_error(other)),
    }
}

pub async fn delete_action(
    State(state): State<AppState>,
    m: MemberCtx,
    Path((_, year, id)): Path<(String, String, String)>,
    Extension(out): Extension<CookieOut>,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    ms::delete_action(&state.cx, &m.member, year, id_of(&id)?)
        .await
        .map_err(web_error)?;
    Ok(redirect_flash(&out, &plan_url(&m, year), Flash::Deleted))
}

// ---- the two tables ----

/// Last year's table or the steps table, as four text columns.
#[derive(Template)]
#[template(path = "measures/table_form.html")]
struct TablePage {
    l: Layout,
    slug: String,
    year: i32,
    /// `reviews` or `steps`.
    which: &'static str,
    /// The catalog keys of the four column headings.
    headings: [&'static str; 4],
    /// The four form field names.
    names: [&'static str; 4],
    rows: Vec<[String; 4]>,
    e: FieldErrors,
}

const REVIEW_COLUMNS: ([&str; 4], [&str; 4]) = (
    [
        "review-indicator",
        "review-issues",
        "review-methods",
        "review-actions-taken",
    ],
    ["indicator", "issues", "methods", "actions_taken"],
);
const STEP_COLUMNS: ([&str; 4], [&str; 4]) = (
    [
        "steps-measure",
        "steps-steps",
        "steps-responsible",
        "steps-monitoring",
    ],
    ["measure", "steps", "responsible", "monitoring"],
);

fn table_of(which: &str) -> WebResult<(&'static str, [&'static str; 4], [&'static str; 4])> {
    match which {
        "reviews" => Ok(("reviews", REVIEW_COLUMNS.0, REVIEW_COLUMNS.1)),
        "steps" => Ok(("steps", STEP_COLUMNS.0, STEP_COLUMNS.1)),
        _ => Err(WebError::NotFound),
    }
}

pub async fn edit_table(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year, which)): Path<(String, String, String)>,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    let (which, headings, names) = table_of(&which)?;
    editable(&state, &m, year).await?;
    let plan = state
        .cx
        .store
        .plan(m.agency.id, year)
        .await?
        .ok_or(WebError::NotFound)?;
    let mut rows: Vec<[String; 4]> = if which == "reviews" {
        state
            .cx
            .store
            .reviews(m.agency.id, plan.id)
            .await?
            .into_iter()
            .map(|r| [r.indicator, r.issues, r.methods, r.actions_taken])
            .collect()
    } else {
        state
            .cx
            .store
            .steps(m.agency.id, plan.id)
            .await?
            .into_iter()
            .map(|r| [r.measure, r.steps, r.responsible, r.monitoring])
            .collect()
    };
    rows.push(Default::default());
    let title = page.tr.get(&format!("measures-{which}-title"));
    render(&TablePage {
        l: office_layout(&page, &csrf, &m, title, "measures"),
        slug: m.agency.slug.to_string(),
        year: year.be(),
        which,
        headings,
        names,
        rows,
        e: FieldErrors::new(),
    })
}

pub async fn update_table(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year, which)): Path<(String, String, String)>,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    let (which, headings, names) = table_of(&which)?;
    let columns: Vec<Vec<String>> = names.iter().map(|n| form.all(n)).collect();
    let count = columns.iter().map(Vec::len).max().unwrap_or(0).min(200);
    let cell = |c: usize, r: usize| columns[c].get(r).cloned().unwrap_or_default();
    let rows: Vec<[String; 4]> = (0..count)
        .map(|r| [cell(0, r), cell(1, r), cell(2, r), cell(3, r)])
        .collect();
    let result = if which == "reviews" {
        let rows: Vec<ReviewRow> = rows
            .iter()
            .map(|[a, b, c, d]| ReviewRow {
                indicator: a.clone(),
                issues: b.clone(),
                methods: c.clone(),
                actions_taken: d.clone(),
            })
            .collect();
        ms::set_reviews(&state.cx, &m.member, year, &rows).await
    } else {
        let rows: Vec<StepRow> = rows
            .iter()
            .map(|[a, b, c, d]| StepRow {
                measure: a.clone(),
                steps: b.clone(),
                responsible: c.clone(),
                monitoring: d.clone(),
            })
            .collect();
        ms::set_steps(&state.cx, &m.member, year, &rows).await
    };
    match result {
        Ok(()) => Ok(redirect_flash(&out, &plan_url(&m, year), Flash::Saved)),
        Err(MeasuresError::Invalid(e)) => render_invalid(&TablePage {
            l: office_layout(
                &page,
                &csrf,
                &m,
                page.tr.get(&format!("measures-{which}-title")),
                "measures",
            ),
            slug: m.agency.slug.to_string(),
            year: year.be(),
            which,
            headings,
            names,
            rows,
            e,
        }),
        Err(other) => Err(web_error(other)),
    }
}
