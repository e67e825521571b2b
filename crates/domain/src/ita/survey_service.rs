//! Survey services: settings and access codes (the ITA coordinator), and answering (anyone with
//! a code, or anyone at an open EIT link).

use time::Date;

use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::ids::{AgencyId, DivisionId};
use crate::ita::framework::{Framework, InstrumentCode};
use crate::platform::Permission;
use crate::platform::service::Member;
use crate::validate::{ErrorCode, FieldErrors};

use super::survey::{
    self, Response, SubmitRefused, Survey, SurveyInput, Tally, Unfinished, normalize_code,
};

/// What a survey service can fail with.
#[derive(Debug, thiserror::Error)]
pub enum SurveyError {
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    /// The code was never made, or it was used already.
    #[error("unknown or used code")]
    CodeGone,
    /// Today is outside the survey's window.
    #[error("the survey is not open")]
    Closed { opens_on: Date, closes_on: Date },
    /// Not every question was answered.
    #[error("unfinished answers")]
    Unfinished(Unfinished),
    /// This survey takes answers with a code only.
    #[error("a code is needed")]
    CodeNeeded,
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for SurveyError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            other => Self::Store(other),
        }
    }
}

type Result<T, E = SurveyError> = std::result::Result<T, E>;

/// The most codes made at once (one printing).
pub const MAX_CODES_AT_ONCE: i64 = 2_000;

fn require(m: &Member, p: Permission) -> Result<()> {
    if m.membership.can(p) {
        Ok(())
    } else {
        Err(SurveyError::Forbidden)
    }
}

/// Today, in Thailand.
pub fn today(cx: &Ctx) -> Date {
    prongsai_thai::local_date(cx.clock.now())
}

/// One survey of the year as the coordinator sees it.
#[derive(Debug, Clone)]
pub struct SurveyStatus {
    pub survey: Survey,
    pub minimum: u32,
    pub tally: Tally,
    pub codes_made: u64,
    pub codes_unused: u64,
}

/// The surveys of a fiscal year with their answers so far (any member of the back office).
pub async fn statuses(
    cx: &Ctx,
    m: &Member,
    fw: &Framework,
    fiscal_year: i32,
) -> Result<Vec<SurveyStatus>> {
    require(m, Permission::ViewBackOffice)?;
    let agency = m.membership.agency_id;
    let mut out = Vec::new();
    for s in cx.store.surveys(agency, fiscal_year).await? {
        let minimum = fw
            .samples
            .get(&s.instrument)
            .map_or(s.population, |r| r.minimum(s.population));
        let tally = Tally::from_counts(cx.store.response_counts(agency, s.id).await?);
        let codes_made = cx.store.codes_made(agency, s.id).await?;
        let codes_unused = cx.store.unused_code_count(agency, s.id).await?;
        out.push(SurveyStatus {
            survey: s,
            minimum,
            tally,
            codes_made,
            codes_unused,
        });
    }
    Ok(out)
}

/// Creates or updates the settings of a survey (the ITA coordinator).
pub async fn save_settings(
    cx: &Ctx,
    m: &Member,
    fiscal_year: i32,
    instrument: InstrumentCode,
    input: &SurveyInput,
) -> Result<Survey> {
    require(m, Permission::ManageMeasures)?;
    if instrument == InstrumentCode::OIT {
        return Err(SurveyError::NotFound);
    }
    let agency = m.membership.agency_id;
    let existing = survey_of(cx, agency, fiscal_year, instrument).await?;
    let id = existing.as_ref().map_or_else(|| cx.new_id(), |s| s.id);
    let survey = input
        .parse(agency, id, fiscal_year, instrument)
        .map_err(SurveyError::Invalid)?;
    cx.store.put_survey(cx.write(&m.actor), &survey).await?;
    Ok(survey)
}

/// Makes `count` new codes for a survey and returns them (the ITA coordinator).
pub async fn make_codes(
    cx: &Ctx,
    m: &Member,
    fiscal_year: i32,
    instrument: InstrumentCode,
    count: &str,
) -> Result<Vec<String>> {
    require(m, Permission::ManageMeasures)?;
    let agency = m.membership.agency_id;
    let survey = survey_of(cx, agency, fiscal_year, instrument)
        .await?
        .ok_or(SurveyError::NotFound)?;
    let n = if count.trim().is_empty() {
        Err(ErrorCode::Required)
    } else {
        crate::validate::field::int_or(count, 0, 1..=MAX_CODES_AT_ONCE)
    }
    .map_err(|c| SurveyError::Invalid(FieldErrors::single("count", c)))?;
    let codes: Vec<String> = (0..n)
        .map(|_| {
            let mut b = [0u8; 8];
            cx.entropy.fill(&mut b);
            survey::new_code(b)
        })
        .collect();
    cx.store
        .add_codes(cx.write(&m.actor), agency, survey.id, &codes)
        .await?;
    Ok(codes)
}

/// The unused codes of a survey, to print again (the ITA coordinator).
pub async fn unused_codes(
    cx: &Ctx,
    m: &Member,
    fiscal_year: i32,
    instrument: InstrumentCode,
) -> Result<(Survey, Vec<String>)> {
    require(m, Permission::ManageMeasures)?;
    let agency = m.membership.agency_id;
    let survey = survey_of(cx, agency, fiscal_year, instrument)
        .await?
        .ok_or(SurveyError::NotFound)?;
    let codes = cx.store.unused_codes(agency, survey.id).await?;
    Ok((survey, codes))
}

/// The survey a typed code opens.
pub async fn open_code(cx: &Ctx, typed: &str) -> Result<(String, Survey)> {
    let code = normalize_code(typed).ok_or(SurveyError::CodeGone)?;
    let survey = cx
        .store
        .survey_of_code(&code)
        .await?
        .ok_or(SurveyError::CodeGone)?;
    Ok((code, survey))
}

/// The survey of an instrument in an agency's fiscal year, if the agency runs it.
pub async fn survey_of(
    cx: &Ctx,
    agency: AgencyId,
    fiscal_year: i32,
    instrument: InstrumentCode,
) -> Result<Option<Survey>> {
    Ok(cx
        .store
        .surveys(agency, fiscal_year)
        .await?
        .into_iter()
        .find(|s| s.instrument == instrument))
}

/// Refuses a survey outside its window.
pub fn check_window(cx: &Ctx, survey: &Survey) -> Result<()> {
    if survey.is_open(today(cx)) {
        Ok(())
    } else {
        Err(SurveyError::Closed {
            opens_on: survey.opens_on,
            closes_on: survey.closes_on,
        })
    }
}

/// Takes one respondent's answers. With a code, the code is used up in the same transaction;
/// without one, the survey must be an EIT that takes answers without codes. The division is
/// kept only if it is one of the agency's.
pub async fn submit(
    cx: &Ctx,
    fw: &Framework,
    survey: &Survey,
    code: Option<&str>,
    division: Option<DivisionId>,
    get: impl Fn(&str) -> String,
) -> Result<()> {
    check_window(cx, survey)?;
    if code.is_none() && survey.needs_code() {
        return Err(SurveyError::CodeNeeded);
    }
    let levels =
        survey::read_answers(fw, survey.instrument, get).map_err(SurveyError::Unfinished)?;
    let division = match division {
        Some(d) => cx
            .store
            .list_divisions(survey.agency_id)
            .await?
            .into_iter()
            .any(|x| x.id == d)
            .then_some(d),
        None => None,
    };
    let response = Response {
        // Random, so that neither the id nor its order says when the answer came.
        id: i64::try_from(cx.entropy.next_u64() >> 1).unwrap_or(0),
        agency_id: survey.agency_id,
        survey_id: survey.id,
        answered_on: today(cx),
        division_id: division,
        levels,
    };
    match cx.store.submit(code, &response).await? {
        Ok(()) => Ok(()),
        Err(SubmitRefused::CodeGone) => Err(SurveyError::CodeGone),
    }
}
