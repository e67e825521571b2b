//! The coordinator's survey page: the IIT and EIT of a fiscal year with their settings, the
//! minimum sample, answers so far (by division only where a group has at least five), the
//! access codes as printable slips or links, and indicator scores from the answers.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use prongsai_domain::FieldErrors;
use prongsai_domain::ita::framework::{Framework, InstrumentCode};
use prongsai_domain::ita::score::{self, ScoreInput, ScoreReport, SurveyInput as EngineInput};
use prongsai_domain::ita::survey::{self, SurveyInput};
use prongsai_domain::ita::survey_service::{self as ss, SurveyError, SurveyStatus};
use prongsai_domain::platform::Permission;
use prongsai_thai::{Digits, FiscalYear};

use crate::auth::MemberCtx;
use crate::error::{WebError, WebResult};
use crate::forms::FormFields;
use crate::http::cookies::CookieOut;
use crate::pages::{Csrf, Flash, Layout, Page, download, redirect_flash, render, render_invalid};
use crate::platform::office_layout;
use crate::state::AppState;

/// The framework a survey of `year` uses (see `service::framework_or_latest`), and whether it
/// is another year's.
pub async fn framework_for(state: &AppState, year: i32) -> WebResult<(Framework, bool)> {
    let framework = prongsai_domain::ita::service::framework_or_latest(&state.cx, year)
        .await
        .map_err(|e| WebError::Internal(Box::new(e)))?
        .ok_or(WebError::NotFound)?;
    let borrowed = framework.fiscal_year != year;
    Ok((framework, borrowed))
}

pub fn web_error(e: SurveyError) -> WebError {
    match e {
        SurveyError::Forbidden => WebError::Forbidden,
        SurveyError::NotFound | SurveyError::CodeGone => WebError::NotFound,
        SurveyError::Store(s) => s.into(),
        SurveyError::Invalid(_)
        | SurveyError::Closed { .. }
        | SurveyError::Unfinished(_)
        | SurveyError::CodeNeeded => WebError::BadRequest,
    }
}

/// The base of absolute links (QR codes, slips): the configured public URL, or this request's
/// host.
pub fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = &state.config.public_url {
        return u.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

fn instrument_of(raw: &str) -> WebResult<InstrumentCode> {
    match raw {
        "iit" => Ok(InstrumentCode::IIT),
        "eit" => Ok(InstrumentCode::EIT),
        _ => Err(WebError::NotFound),
    }
}

fn year_of(raw: &str) -> WebResult<i32> {
    raw.parse::<i32>()
        .ok()
        .and_then(|y| FiscalYear::new(y).ok())
        .map(|y| y.be())
        .ok_or(WebError::NotFound)
}

/// One survey's card.
pub struct Card {
    pub code: &'static str,
    /// `iit` or `eit`, for paths.
    pub key: &'static str,
    pub name: String,
    pub status: Option<SurveyStatus>,
    pub f: SurveyInput,
    pub e: FieldErrors,
    pub open_now: bool,
    /// (division name, answers), groups of five or more.
    pub shown: Vec<(String, u64)>,
    /// Answers as a share of the minimum, 0–100, for the bar.
    pub percent: u64,
    /// The answers reached the minimum sample.
    pub reached: bool,
    /// The EIT's public link, and its QR code.
    pub public_link: Option<(String, String)>,
    /// Indicator scores from the answers: (number, name, score).
    pub scores: Vec<(u8, String, String)>,
}

#[derive(Template)]
#[template(path = "ita/surveys.html")]
struct SurveysPage {
    l: Layout,
    slug: String,
    fy: i32,
    years: Vec<i32>,
    framework_year: i32,
    borrowed: bool,
    cards: Vec<Card>,
    can_edit: bool,
    min_group: u64,
    assumptions: Vec<String>,
}

impl SurveysPage {
    /// The label of the population field: staff for IIT, people served for EIT.
    fn population_key(&self, code: &str) -> &'static str {
        if code == "IIT" {
            "survey-population-iit"
        } else {
            "survey-population-eit"
        }
    }

    fn population_hint(&self, code: &str) -> &'static str {
        if code == "IIT" {
            "survey-population-iit-hint"
        } else {
            "survey-population-eit-hint"
        }
    }
}

/// Indicator scores of one instrument from its responses, if there are any.
fn live_scores(
    fw: &Framework,
    instrument: InstrumentCode,
    responses: &[survey::Response],
) -> Vec<(u8, String, String)> {
    let answers = survey::engine_responses(fw, instrument, responses);
    if answers.is_empty() {
        return Vec::new();
    }
    let input = EngineInput {
        responses: Some(answers),
        ..EngineInput::default()
    };
    let input = match instrument {
        InstrumentCode::IIT => ScoreInput {
            iit: Some(input),
            ..ScoreInput::default()
        },
        _ => ScoreInput {
            eit: Some(input),
            ..ScoreInput::default()
        },
    };
    score::score(fw, &input)
        .map(|r: ScoreReport| {
            r.indicators
                .into_iter()
                .filter(|i| i.instrument == instrument.as_str())
                .filter_map(|i| Some((i.number, i.name_th, i.score?)))
                .collect()
        })
        .unwrap_or_default()
}

struct Typed {
    instrument: InstrumentCode,
    f: SurveyInput,
    e: FieldErrors,
}

async fn page_of(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    headers: &HeaderMap,
    fy: i32,
    typed: Option<Typed>,
) -> WebResult<SurveysPage> {
    let (framework, borrowed) = framework_for(state, fy).await?;
    let statuses = ss::statuses(&state.cx, &m.member, &framework, fy)
        .await
        .map_err(web_error)?;
    let divisions = state.cx.store.list_divisions(m.agency.id).await?;
    let today = ss::today(&state.cx);
    let base = base_url(state, headers);
    let slug = m.agency.slug.to_string();
    let mut cards = Vec::new();
    for (instrument, key) in [(InstrumentCode::IIT, "iit"), (InstrumentCode::EIT, "eit")] {
        let status = statuses
            .iter()
            .find(|s| s.survey.instrument == instrument)
            .cloned();
        let (f, e) = match &typed {
            Some(t) if t.instrument == instrument => (t.f.clone(), t.e.clone()),
            _ => (
                status
                    .as_ref()
                    .map(|s| SurveyInput::from_survey(&s.survey))
                    .unwrap_or_default(),
                FieldErrors::new(),
            ),
        };
        let shown = status
            .as_ref()
            .map(|s| {
                s.tally
                    .shown
                    .iter()
                    .map(|(d, n)| {
                        let name = d
                            .and_then(|d| divisions.iter().find(|x| x.id == d))
                            .map_or_else(
                                || page.tr.get("survey-division-none"),
                                |x| x.fields.name.clone(),
                            );
                        (name, *n)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let percent = status.as_ref().map_or(0, |s| {
            (s.tally.total * 100)
                .checked_div(u64::from(s.minimum))
                .unwrap_or(100)
                .min(100)
        });
        let reached = status
            .as_ref()
            .is_some_and(|s| s.tally.total >= u64::from(s.minimum));
        let scores = match &status {
            Some(s) if s.tally.total > 0 => live_scores(
                &framework,
                instrument,
                &state.cx.store.responses(m.agency.id, s.survey.id).await?,
            ),
            _ => Vec::new(),
        };
        let public_link = (instrument == InstrumentCode::EIT && status.is_some()).then(|| {
            let url = format!("{base}/a/{slug}/eit");
            let qr = crate::platform::account::qr_svg(&url);
            (url, qr)
        });
        cards.push(Card {
            code: instrument.as_str(),
            key,
            name: framework
                .instrument(instrument)
                .map(|i| i.name_th.clone())
                .unwrap_or_default(),
            open_now: status.as_ref().is_some_and(|s| s.survey.is_open(today)),
            status,
            f,
            e,
            shown,
            percent,
            reached,
            public_link,
            scores,
        });
    }
    let current = FiscalYear::of(today).be();
    let mut years: Vec<i32> = (current - 3..=current + 1).collect();
    if !years.contains(&fy) {
        years.push(fy);
        years.sort_unstable();
    }
    let samples_assumed = framework
        .assumptions()
        .into_iter()
        .filter(|a| a.contains("minimum sample") || a.contains("questions") || a.contains("scale"))
        .collect();
    Ok(SurveysPage {
        l: office_layout(
            page,
            csrf,
            m,
            page.tr.arg("survey-title", "year", fy),
            "ita/surveys",
        ),
        slug,
        fy,
        years,
        framework_year: framework.fiscal_year,
        borrowed,
        cards,
        can_edit: m.member.membership.can(Permission::ManageMeasures),
        min_group: survey::MIN_GROUP,
        assumptions: samples_assumed,
    })
}

pub async fn current_year(State(state): State<AppState>, m: MemberCtx) -> Response {
    let fy = FiscalYear::of(ss::today(&state.cx)).be();
    Redirect::to(&format!("/a/{}/admin/ita/surveys/{fy}", m.agency.slug)).into_response()
}

pub async fn show_surveys(
    State(state): State<AppState>,
    Path((_, year)): Path<(String, String)>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    headers: HeaderMap,
) -> WebResult<Response> {
    let fy = year_of(&year)?;
    render(&page_of(&state, &page, &csrf, &m, &headers, fy, None).await?)
}

#[expect(
    clippy::too_many_arguments,
    reason = "an axum handler takes one extractor per argument"
)]
pub async fn save_settings(
    State(state): State<AppState>,
    Path((_, year, instrument)): Path<(String, String, String)>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Extension(out): Extension<CookieOut>,
    headers: HeaderMap,
    form: FormFields,
) -> WebResult<Response> {
    let fy = year_of(&year)?;
    let instrument = instrument_of(&instrument)?;
    let f = SurveyInput {
        population: form.get("population"),
        opens_on: form.get("opens_on"),
        closes_on: form.get("closes_on"),
        codes_required: form.checked("codes_required"),
    };
    match ss::save_settings(&state.cx, &m.member, fy, instrument, &f).await {
        Ok(_) => Ok(redirect_flash(
            &out,
            &format!(
                "/a/{}/admin/ita/surveys/{fy}#{}",
                m.agency.slug,
                instrument.as_str().to_lowercase()
            ),
            Flash::Saved,
        )),
        Err(SurveyError::Invalid(e)) => render_invalid(
            &page_of(
                &state,
                &page,
                &csrf,
                &m,
                &headers,
                fy,
                Some(Typed { instrument, f, e }),
            )
            .await?,
        ),
        Err(e) => Err(web_error(e)),
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "an axum handler takes one extractor per argument"
)]
pub async fn make_codes(
    State(state): State<AppState>,
    Path((_, year, instrument)): Path<(String, String, String)>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Extension(out): Extension<CookieOut>,
    headers: HeaderMap,
    form: FormFields,
) -> WebResult<Response> {
    let fy = year_of(&year)?;
    let instrument = instrument_of(&instrument)?;
    match ss::make_codes(&state.cx, &m.member, fy, instrument, &form.get("count")).await {
        Ok(_) => Ok(redirect_flash(
            &out,
            &format!(
                "/a/{}/admin/ita/surveys/{fy}#{}-codes",
                m.agency.slug,
                instrument.as_str().to_lowercase()
            ),
            Flash::CodesMade,
        )),
        Err(SurveyError::Invalid(e)) => {
            let mut p = page_of(&state, &page, &csrf, &m, &headers, fy, None).await?;
            if let Some(card) = p.cards.iter_mut().find(|c| c.code == instrument.as_str()) {
                card.e = e;
            }
            render_invalid(&p)
        }
        Err(e) => Err(web_error(e)),
    }
}

/// The link that opens a survey with a code.
fn code_link(base: &str, code: &str) -> String {
    format!("{base}/s/{code}")
}

/// The unused codes of a survey as A4 slips with QR codes.
pub async fn slips_pdf(
    State(state): State<AppState>,
    Path((_, year, instrument)): Path<(String, String, String)>,
    page: Page,
    m: MemberCtx,
    headers: HeaderMap,
) -> WebResult<Response> {
    let fy = year_of(&year)?;
    let instrument = instrument_of(&instrument)?;
    let (survey, codes) = ss::unused_codes(&state.cx, &m.member, fy, instrument)
        .await
        .map_err(web_error)?;
    if codes.is_empty() {
        return Err(WebError::NotFound);
    }
    let base = base_url(&state, &headers);
    let tr = &page.tr;
    let (framework, _) = framework_for(&state, fy).await?;
    let title = tr.arg2(
        "survey-slip-title",
        "survey",
        framework
            .instrument(instrument)
            .map(|i| i.name_th.as_str())
            .unwrap_or_default(),
        "year",
        fy,
    );
    let doc = prongsai_documents::SurveySlips {
        agency: m.agency.profile.name.clone(),
        title,
        window: tr.arg2(
            "survey-slip-window",
            "from",
            prongsai_thai::format_short(survey.opens_on, Digits::Arabic),
            "until",
            prongsai_thai::format_short(survey.closes_on, Digits::Arabic),
        ),
        code_label: tr.get("survey-slip-code"),
        note: tr.get("survey-slip-note"),
        slips: codes
            .iter()
            .map(|c| {
                let url = code_link(&base, c);
                prongsai_documents::Slip {
                    code: c.clone(),
                    qr: crate::platform::account::qr_svg(&url),
                    url,
                }
            })
            .collect(),
        digits: "arabic",
    };
    let pdf = tokio::task::spawn_blocking(move || prongsai_documents::survey_slips_pdf(&doc))
        .await
        .map_err(|e| WebError::Internal(Box::new(e)))?
        .map_err(|e| WebError::Internal(Box::new(e)))?;
    Ok(crate::pages::no_store(download(
        pdf,
        "application/pdf",
        &format!("{}-{fy}-codes.pdf", instrument.as_str().to_lowercase()),
    )))
}

#[derive(Template)]
#[template(path = "ita/links.html")]
struct LinksPage {
    l: Layout,
    slug: String,
    fy: i32,
    /// (code, link).
    links: Vec<(String, String)>,
}

/// The unused codes of a survey as links, to send by message instead of printing.
pub async fn links(
    State(state): State<AppState>,
    Path((_, year, instrument)): Path<(String, String, String)>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    headers: HeaderMap,
) -> WebResult<Response> {
    let fy = year_of(&year)?;
    let instrument = instrument_of(&instrument)?;
    let (_, codes) = ss::unused_codes(&state.cx, &m.member, fy, instrument)
        .await
        .map_err(web_error)?;
    let base = base_url(&state, &headers);
    let l = office_layout(
        &page,
        &csrf,
        &m,
        page.tr.arg2(
            "survey-links-title",
            "survey",
            instrument.as_str(),
            "year",
            fy,
        ),
        "ita/surveys",
    );
    Ok(crate::pages::no_store(render(&LinksPage {
        l,
        slug: m.agency.slug.to_string(),
        fy,
        links: codes
            .into_iter()
            .map(|c| {
                let link = code_link(&base, &c);
                (c, link)
            })
            .collect(),
    })?))
}
