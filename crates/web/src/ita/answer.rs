//! Answering a survey: staff at `/s/{code}` with the code from their slip, the public at
//! `/a/{slug}/eit`. Phone-first pages in the portal layout. Nothing here writes a log line, an
//! audit entry or a stored value that could tie an answer to its code or its sender; the
//! throttle keeps a hash of the client address in memory only.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use prongsai_domain::ids::DivisionId;
use prongsai_domain::ita::framework::{Framework, InstrumentCode};
use prongsai_domain::ita::survey::{self, Survey, Unfinished};
use prongsai_domain::ita::survey_service::{self as ss, SurveyError};
use prongsai_domain::platform::Agency;
use prongsai_thai::{Digits, FiscalYear};
use serde::Deserialize;

use super::survey::framework_for;
use crate::auth::AgencyCtx;
use crate::error::{WebError, WebResult};
use crate::forms::FormFields;
use crate::http::Client;
use crate::pages::{Csrf, Layout, Page, no_store, render};
use crate::state::AppState;

/// EIT answers taken from one client address per hour before it must wait. Generous, because
/// a service counter's tablet or a village's shared connection is one address.
const EIT_PER_CLIENT_PER_HOUR: u32 = 30;
/// Wrong codes from one client address per quarter of an hour.
const BAD_CODES_PER_CLIENT: u32 = 20;

/// One answer field: a question's point, with the level chosen so far.
pub struct FieldView {
    pub name: String,
    /// The point asked about, for questions with several.
    pub label: Option<String>,
    /// (level, label, chosen) of its scale.
    pub choices: Vec<(u8, String, bool)>,
    pub missing: bool,
}

pub struct QuestionView {
    pub code: String,
    pub text: String,
    pub fields: Vec<FieldView>,
}

#[derive(Template)]
#[template(path = "ita/answer.html")]
struct AnswerPage {
    l: Layout,
    action: String,
    intro: String,
    window: String,
    /// IIT: the agency's divisions, to say where one works (optional): (id, name, chosen).
    divisions: Vec<(i64, String, bool)>,
    questions: Vec<QuestionView>,
    /// Field names still to answer, when a submission was refused.
    missing: Vec<String>,
}

fn questions_of(fw: &Framework, instrument: InstrumentCode, u: &Unfinished) -> Vec<QuestionView> {
    survey::questions(fw, instrument)
        .into_iter()
        .map(|q| {
            let options: Vec<(u8, String)> = fw
                .scales
                .get(&q.scale)
                .map(|s| {
                    s.labels
                        .iter()
                        .enumerate()
                        .map(|(k, l)| (u8::try_from(k + 1).unwrap_or(0), l.clone()))
                        .collect()
                })
                .unwrap_or_default();
            let fields = (0..usize::from(q.fields.max(1)))
                .map(|k| {
                    let name = survey::field_name(q, k);
                    let chosen = u.kept.get(&name).copied();
                    FieldView {
                        label: (q.fields > 1)
                            .then(|| q.fields_th.get(k).cloned())
                            .flatten(),
                        choices: options
                            .iter()
                            .map(|(level, label)| (*level, label.clone(), chosen == Some(*level)))
                            .collect(),
                        missing: u.missing.contains(&name),
                        name,
                    }
                })
                .collect();
            QuestionView {
                code: q.code.clone(),
                text: q.text_th.clone(),
                fields,
            }
        })
        .collect()
}

#[expect(
    clippy::too_many_arguments,
    reason = "a page and the form it re-renders"
)]
async fn form_page(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    agency: &Agency,
    survey: &Survey,
    action: String,
    unfinished: &Unfinished,
    division: Option<i64>,
) -> WebResult<AnswerPage> {
    let (framework, _) = framework_for(state, survey.fiscal_year).await?;
    let name = framework
        .instrument(survey.instrument)
        .map(|i| i.name_th.clone())
        .unwrap_or_default();
    let mut l = crate::portal::layout(page, agency, name, state, "eit", "");
    l = l.csrf(csrf);
    let divisions = if survey.instrument == InstrumentCode::IIT {
        state
            .cx
            .store
            .list_divisions(agency.id)
            .await?
            .into_iter()
            .map(|d| (d.id.get(), d.fields.name, division == Some(d.id.get())))
            .collect()
    } else {
        Vec::new()
    };
    Ok(AnswerPage {
        intro: page.tr.get(if survey.instrument == InstrumentCode::IIT {
            "survey-intro-iit"
        } else {
            "survey-intro-eit"
        }),
        window: window_text(page, survey),
        divisions,
        questions: questions_of(&framework, survey.instrument, unfinished),
        missing: unfinished.missing.clone(),
        action,
        l,
    })
}

fn window_text(page: &Page, s: &Survey) -> String {
    page.tr.arg2(
        "survey-window",
        "from",
        prongsai_thai::format_full(s.opens_on, Digits::Arabic),
        "until",
        prongsai_thai::format_full(s.closes_on, Digits::Arabic),
    )
}

#[derive(Template)]
#[template(path = "ita/answer_message.html")]
struct MessagePage {
    l: Layout,
    heading: String,
    text: String,
    /// Offer the box to type a code.
    code_box: bool,
    typed: String,
}

fn message(
    page: &Page,
    l: Layout,
    status: StatusCode,
    heading: &str,
    text: String,
    code_box: bool,
) -> WebResult<Response> {
    let mut res = render(&MessagePage {
        l,
        heading: page.tr.get(heading),
        text,
        code_box,
        typed: String::new(),
    })?;
    *res.status_mut() = status;
    Ok(no_store(res))
}

/// The page of a survey outside its window: not open yet, or closed, with its dates.
fn closed(state: &AppState, page: &Page, agency: &Agency, s: &Survey) -> WebResult<Response> {
    let heading = if ss::today(&state.cx) < s.opens_on {
        "survey-not-yet-heading"
    } else {
        "survey-closed-heading"
    };
    let l = crate::portal::layout(page, agency, page.tr.get(heading), state, "", "");
    message(
        page,
        l,
        StatusCode::FORBIDDEN,
        heading,
        window_text(page, s),
        false,
    )
}

fn code_gone(page: &Page, csrf: &Csrf) -> WebResult<Response> {
    let l = Layout::new(page, page.tr.get("survey-code-gone-heading")).csrf(csrf);
    message(
        page,
        l,
        StatusCode::NOT_FOUND,
        "survey-code-gone-heading",
        page.tr.get("survey-code-gone-text"),
        true,
    )
}

/// Counts a wrong code against the client, or refuses when it has tried too many.
fn note_bad_code(state: &AppState, client: &str) -> WebResult<()> {
    let key = format!("survey-code:{client}");
    let now = state.cx.clock.unix();
    state
        .throttle
        .check(&key, BAD_CODES_PER_CLIENT, 900, now)
        .map_err(|w| WebError::TooManyRequests(w.0))?;
    state.throttle.hit(&key, 900, now);
    Ok(())
}

#[derive(Deserialize, Default)]
pub struct CodeQuery {
    #[serde(default)]
    code: String,
}

/// `/s`: a box to type the code from a slip; `/s?code=…` goes to that code's survey.
pub async fn code_entry(page: Page, csrf: Csrf, Query(q): Query<CodeQuery>) -> WebResult<Response> {
    if !q.code.trim().is_empty() {
        if let Some(code) = survey::normalize_code(&q.code) {
            return Ok(Redirect::to(&format!("/s/{code}")).into_response());
        }
        let l = Layout::new(&page, page.tr.get("survey-code-heading")).csrf(&csrf);
        let mut res = render(&MessagePage {
            l,
            heading: page.tr.get("survey-code-heading"),
            text: page.tr.get("survey-code-malformed"),
            code_box: true,
            typed: q.code.chars().take(40).collect(),
        })?;
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(no_store(res));
    }
    let l = Layout::new(&page, page.tr.get("survey-code-heading")).csrf(&csrf);
    Ok(no_store(render(&MessagePage {
        l,
        heading: page.tr.get("survey-code-heading"),
        text: page.tr.get("survey-code-text"),
        code_box: true,
        typed: String::new(),
    })?))
}

/// The survey a code opens, or the page that says it cannot.
async fn by_code(
    state: &AppState,
    client: &str,
    typed: &str,
) -> WebResult<Option<(String, Survey, Agency)>> {
    match ss::open_code(&state.cx, typed).await {
        Ok((code, survey)) => {
            let agency = state.cx.store.agency(survey.agency_id).await?;
            Ok(Some((code, survey, agency)))
        }
        Err(SurveyError::CodeGone) => {
            note_bad_code(state, client)?;
            Ok(None)
        }
        Err(e) => Err(super::survey::web_error(e)),
    }
}

pub async fn show_by_code(
    State(state): State<AppState>,
    Path(typed): Path<String>,
    page: Page,
    csrf: Csrf,
    Client(client): Client,
) -> WebResult<Response> {
    let Some((code, survey, agency)) = by_code(&state, &client, &typed).await? else {
        return code_gone(&page, &csrf);
    };
    if ss::check_window(&state.cx, &survey).is_err() {
        return closed(&state, &page, &agency, &survey);
    }
    let p = form_page(
        &state,
        &page,
        &csrf,
        &agency,
        &survey,
        format!("/s/{code}"),
        &Unfinished::default(),
        None,
    )
    .await?;
    Ok(no_store(render(&p)?))
}

fn division_of(form: &FormFields) -> Option<i64> {
    form.get("division").trim().parse::<i64>().ok()
}

/// Takes the answers, or shows the form again with what was typed and what is missing.
#[expect(
    clippy::too_many_arguments,
    reason = "a page and the form it re-renders"
)]
async fn take(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    agency: &Agency,
    survey: &Survey,
    code: Option<&str>,
    action: String,
    form: &FormFields,
) -> WebResult<Response> {
    let (framework, _) = framework_for(state, survey.fiscal_year).await?;
    let division = division_of(form);
    match ss::submit(
        &state.cx,
        &framework,
        survey,
        code,
        division.map(DivisionId::from_raw),
        |name| form.get(name),
    )
    .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/a/{}/survey/thanks", agency.slug)).into_response()),
        Err(SurveyError::Unfinished(u)) => {
            let p = form_page(state, page, csrf, agency, survey, action, &u, division).await?;
            let mut res = render(&p)?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(no_store(res))
        }
        Err(SurveyError::Closed { .. }) => closed(state, page, agency, survey),
        Err(SurveyError::CodeGone) => code_gone(page, csrf),
        Err(e) => Err(super::survey::web_error(e)),
    }
}

pub async fn submit_by_code(
    State(state): State<AppState>,
    Path(typed): Path<String>,
    page: Page,
    csrf: Csrf,
    Client(client): Client,
    form: FormFields,
) -> WebResult<Response> {
    let Some((code, survey, agency)) = by_code(&state, &client, &typed).await? else {
        return code_gone(&page, &csrf);
    };
    let action = format!("/s/{code}");
    take(
        &state,
        &page,
        &csrf,
        &agency,
        &survey,
        Some(&code),
        action,
        &form,
    )
    .await
}

/// The EIT the public link answers today: the one whose window is open, else the current
/// fiscal year's.
async fn current_eit(state: &AppState, agency: &Agency) -> WebResult<Option<Survey>> {
    let today = ss::today(&state.cx);
    let fy = FiscalYear::of(today);
    let mut found = None;
    for year in [Some(fy), fy.previous(), fy.next()].into_iter().flatten() {
        if let Some(s) = ss::survey_of(&state.cx, agency.id, year.be(), InstrumentCode::EIT)
            .await
            .map_err(super::survey::web_error)?
        {
            if s.is_open(today) {
                return Ok(Some(s));
            }
            if year == fy {
                found = Some(s);
            }
        }
    }
    Ok(found)
}

pub async fn show_eit(
    State(state): State<AppState>,
    AgencyCtx(agency): AgencyCtx,
    page: Page,
    csrf: Csrf,
) -> WebResult<Response> {
    let Some(survey) = current_eit(&state, &agency).await? else {
        let l = crate::portal::layout(
            &page,
            &agency,
            page.tr.get("survey-none-heading"),
            &state,
            "eit",
            "",
        );
        return message(
            &page,
            l,
            StatusCode::NOT_FOUND,
            "survey-none-heading",
            page.tr.get("survey-none-text"),
            false,
        );
    };
    if ss::check_window(&state.cx, &survey).is_err() {
        return closed(&state, &page, &agency, &survey);
    }
    if survey.needs_code() {
        let l = crate::portal::layout(
            &page,
            &agency,
            page.tr.get("survey-code-heading"),
            &state,
            "eit",
            "",
        )
        .csrf(&csrf);
        return message(
            &page,
            l,
            StatusCode::OK,
            "survey-code-heading",
            page.tr.get("survey-code-text"),
            true,
        );
    }
    let p = form_page(
        &state,
        &page,
        &csrf,
        &agency,
        &survey,
        format!("/a/{}/eit", agency.slug),
        &Unfinished::default(),
        None,
    )
    .await?;
    Ok(no_store(render(&p)?))
}

pub async fn submit_eit(
    State(state): State<AppState>,
    AgencyCtx(agency): AgencyCtx,
    page: Page,
    csrf: Csrf,
    Client(client): Client,
    form: FormFields,
) -> WebResult<Response> {
    let survey = current_eit(&state, &agency)
        .await?
        .ok_or(WebError::NotFound)?;
    let key = format!("eit:{}:{client}", agency.id);
    let now = state.cx.clock.unix();
    state
        .throttle
        .check(&key, EIT_PER_CLIENT_PER_HOUR, 3600, now)
        .map_err(|w| WebError::TooManyRequests(w.0))?;
    let action = format!("/a/{}/eit", agency.slug);
    let res = take(&state, &page, &csrf, &agency, &survey, None, action, &form).await?;
    if res.status().is_redirection() {
        state.throttle.hit(&key, 3600, now);
    }
    Ok(res)
}

pub async fn thanks(
    State(state): State<AppState>,
    AgencyCtx(agency): AgencyCtx,
    page: Page,
) -> WebResult<Response> {
    let l = crate::portal::layout(
        &page,
        &agency,
        page.tr.get("survey-thanks-heading"),
        &state,
        "",
        "",
    );
    message(
        &page,
        l,
        StatusCode::OK,
        "survey-thanks-heading",
        page.tr.get("survey-thanks-text"),
        false,
    )
}
