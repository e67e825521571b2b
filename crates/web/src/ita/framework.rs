//! The ITA framework of a year, as the agency reads it: instruments and points, indicators,
//! answer scales, questions, and the OIT items with what their evidence must show. Every value
//! the framework does not confirm is marked as an assumption. The year's framework is the
//! effective one (`ita::service::effective`): the operator's edited copy, else the shipped file;
//! the page says which, and offers its TOML text for download.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use prongsai_domain::ita::framework::{self as fw, Confidence, Framework};
use prongsai_domain::ita::service;

use crate::auth::MemberCtx;
use crate::error::{WebError, WebResult};
use crate::pages::{Csrf, Layout, Page, render};
use crate::platform::office_layout;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "ita/framework.html")]
struct FrameworkPage {
    l: Layout,
    slug: String,
    f: Framework,
    /// The years that have a framework, for the switcher.
    years: Vec<i32>,
    /// Shipped file or edited copy (version, who, when), in words.
    origin: String,
    /// What the framework assumes: (what, in the user's language; the framework's note).
    assumptions: Vec<(String, String)>,
}

/// The framework's assumptions, grouped and named in the user's language; each with the note
/// the framework file gives (in the file's language).
pub(crate) fn assumptions(tr: &crate::i18n::Tr, f: &Framework) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let note_of = |notes: Vec<&String>| notes.first().map(|n| (*n).clone()).unwrap_or_default();
    let grades: Vec<&fw::GradeBand> = f
        .grades
        .iter()
        .filter(|g| g.confidence.is_assumption())
        .collect();
    if !grades.is_empty() {
        let names: Vec<&str> = grades.iter().map(|g| g.grade.as_str()).collect();
        out.push((
            tr.arg("ita-assumed-grades", "grades", names.join(", ")),
            note_of(grades.iter().map(|g| &g.note).collect()),
        ));
    }
    for i in f
        .instruments
        .iter()
        .filter(|i| i.confidence.is_assumption())
    {
        out.push((
            tr.arg("ita-assumed-instrument", "code", i.code.as_str()),
            i.note.clone(),
        ));
    }
    let indicators: Vec<&fw::Indicator> = f
        .indicators
        .iter()
        .filter(|i| i.confidence.is_assumption())
        .collect();
    if !indicators.is_empty() {
        let numbers: Vec<String> = indicators.iter().map(|i| i.number.to_string()).collect();
        out.push((
            tr.arg("ita-assumed-indicators", "numbers", numbers.join(", ")),
            note_of(indicators.iter().map(|i| &i.note).collect()),
        ));
    }
    for s in f.scales.values().filter(|s| s.confidence.is_assumption()) {
        out.push((
            tr.arg("ita-assumed-scale", "labels", s.labels.join(" / ")),
            s.note.clone(),
        ));
    }
    let questions: Vec<&str> = f
        .questions
        .iter()
        .filter(|q| q.confidence.is_assumption())
        .map(|q| q.code.as_str())
        .collect();
    if !questions.is_empty() {
        out.push((
            tr.arg("ita-assumed-questions", "codes", questions.join(", ")),
            String::new(),
        ));
    }
    out
}

impl FrameworkPage {
    /// "85.00" for hundredths.
    fn points(&self, h: &i64) -> String {
        fw::format_hundredths(*h)
    }

    /// Whether a value must be shown as an assumption.
    fn assumed(&self, c: &Confidence) -> bool {
        c.is_assumption()
    }

    /// The OIT items of a group.
    fn items_of(&self, group: &str) -> Vec<&fw::OitItem> {
        self.f
            .oit_items
            .iter()
            .filter(|i| i.group == group)
            .collect()
    }

    /// The questions of an indicator.
    fn questions_of(&self, indicator: &u8) -> Vec<&fw::Question> {
        self.f
            .questions
            .iter()
            .filter(|q| q.indicator == *indicator)
            .collect()
    }
}

pub async fn show_framework(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year)): Path<(String, String)>,
) -> WebResult<Response> {
    let year = year.parse::<i32>().map_err(|_| WebError::NotFound)?;
    let e = service::effective(&state.cx, year)
        .await?
        .ok_or(WebError::NotFound)?;
    let title = page.tr.arg("ita-framework-title", "year", year);
    render(&FrameworkPage {
        l: office_layout(&page, &csrf, &m, title, "measures"),
        slug: m.agency.slug.to_string(),
        years: service::framework_years(&state.cx).await?,
        origin: super::edit::origin_text(&page.tr, &e),
        assumptions: assumptions(&page.tr, &e.framework),
        f: e.framework,
    })
}

/// The year's framework as a TOML file, for `prongsai ita score --framework FILE`.
pub async fn download(
    State(state): State<AppState>,
    _m: MemberCtx,
    Path((_, year)): Path<(String, String)>,
) -> WebResult<Response> {
    let year = year.parse::<i32>().map_err(|_| WebError::NotFound)?;
    super::edit::toml_download(&state, year).await
}
