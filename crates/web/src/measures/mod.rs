//! Measures pages: the plan of each fiscal year in the back office (drafting, editing,
//! consistency check, approval, progress with evidence, overdue actions), and the published
//! plan on the portal.

pub mod documents;
pub mod edit;
pub mod official;
pub mod plans;
pub mod progress;
pub mod public;

use prongsai_domain::measures::check::{CheckCode, Place, Warning};
use prongsai_domain::measures::service::{MeasuresError, PlanView};
use prongsai_domain::measures::{Action, ActionStatus, PlanStatus};
use prongsai_domain::platform::Division;
use prongsai_thai::{Digits, FiscalYear};

use crate::error::WebError;
use crate::i18n::Tr;

/// Parses the `{year}` of a path; anything else is a 404.
pub fn year_of(raw: &str) -> Result<FiscalYear, WebError> {
    raw.parse::<i32>()
        .ok()
        .and_then(|y| FiscalYear::new(y).ok())
        .ok_or(WebError::NotFound)
}

/// Maps the errors that are not a form's own to web errors.
pub fn web_error(e: MeasuresError) -> WebError {
    match e {
        MeasuresError::Forbidden => WebError::Forbidden,
        MeasuresError::NotFound => WebError::NotFound,
        MeasuresError::Store(s) => s.into(),
        MeasuresError::Invalid(_)
        | MeasuresError::Locked
        | MeasuresError::NotApproved
        | MeasuresError::Exists
        | MeasuresError::Unresolved(_) => WebError::BadRequest,
    }
}

/// Who is responsible for an action, as the report writes it: "ทุกส่วนราชการ สำนักปลัดฯ กองคลัง".
pub fn responsible(tr: &Tr, a: &Action, divisions: &[Division]) -> Vec<String> {
    let mut parts = Vec::new();
    if a.fields.all_divisions {
        parts.push(tr.get("measures-all-divisions"));
    }
    for id in &a.fields.divisions {
        if let Some(d) = divisions.iter().find(|d| d.id == *id) {
            parts.push(
                d.fields
                    .short_name
                    .clone()
                    .unwrap_or_else(|| d.fields.name.clone()),
            );
        }
    }
    parts
}

/// A period for screens ("ม.ค. 66 - เม.ย. 66"), or a dash.
pub fn period(a: &Action) -> String {
    a.fields
        .period
        .map_or_else(|| "—".to_owned(), |p| p.format(Digits::Arabic))
}

pub fn status_label(tr: &Tr, s: ActionStatus) -> String {
    tr.get(&format!("action-status-{}", s.as_str()))
}

pub fn plan_status_label(tr: &Tr, s: PlanStatus) -> String {
    tr.get(&format!("plan-status-{}", s.as_str()))
}

/// Where a warning is, in words.
pub fn place_label(tr: &Tr, p: &Place) -> String {
    match p {
        Place::PlanText(field) => tr.get(&format!("measures-place-{}", field.replace('_', "-"))),
        Place::Measure { number } => tr.arg("measures-place-measure", "number", number),
        Place::Action { measure, action } => tr.arg(
            "measures-place-action",
            "number",
            format!("{measure}.{action}"),
        ),
        Place::ReviewRow { row } => tr.arg("measures-place-review", "row", row),
        Place::StepRow { row } => tr.arg("measures-place-step", "row", row),
    }
}

/// A warning, in words.
pub fn warning_text(tr: &Tr, w: &Warning) -> String {
    match w.code {
        CheckCode::OtherAgency => tr.arg("check-other-agency", "name", &w.found),
        CheckCode::YearOutsidePlan => tr.arg("check-year-outside-plan", "year", &w.found),
        CheckCode::NoResponsible => tr.get("check-no-responsible"),
        CheckCode::PeriodOutsideYear => tr.arg("check-period-outside-year", "period", &w.found),
    }
}

/// The action numbers of a plan view, "1.2", keyed by action.
pub fn number(view: &PlanView, a: &Action) -> String {
    view.action_number(a)
}
