//! The what-if simulator: IIT and EIT indicator scores (last published ones by default) and the
//! OIT items the agency expects to pass (by default those the assessor has passed) give a total, a grade and a verdict from the framework;
//! beside every item not yet ticked, what passing it would add. Nothing is stored: the form is a
//! GET, so a scenario is a link that can be shared.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use prongsai_domain::ita::framework::{self as fw, Framework, InstrumentCode, parse_hundredths};
use prongsai_domain::ita::score::{self, Given, OitInput, ScoreInput, ScoreReport, SurveyInput};
use prongsai_domain::ita::service;

use crate::auth::MemberCtx;
use crate::error::{WebError, WebResult};
use crate::forms::FormFields;
use crate::pages::{Csrf, Layout, Page, render};
use crate::platform::office_layout;
use crate::state::AppState;

/// An IIT or EIT indicator in the form.
pub struct SurveyField {
    pub number: u8,
    pub name: String,
    pub value: String,
    pub invalid: bool,
}

/// An OIT item in the form, with what passing it would add to the total.
pub struct ItemField {
    pub code: String,
    pub name: String,
    pub checked: bool,
    /// "+0.80" for an item not ticked, when the total is complete.
    pub gain: Option<String>,
}

#[derive(Template)]
#[template(path = "ita/simulate.html")]
struct SimulatePage {
    l: Layout,
    slug: String,
    years: Vec<i32>,
    fy: i32,
    /// The published result the scores were taken from, if any.
    base_year: Option<i32>,
    survey: Vec<SurveyField>,
    /// (group code and name, its items).
    groups: Vec<(String, Vec<ItemField>)>,
    report: Option<ScoreReport>,
    /// The items not ticked, best gain first: (code, name, gain).
    best: Vec<(String, String, String)>,
}

fn run(fw: &Framework, survey: &[SurveyField], passed: &[String]) -> Option<ScoreReport> {
    let mut iit = BTreeMap::new();
    let mut eit = BTreeMap::new();
    for s in survey
        .iter()
        .filter(|s| !s.invalid && !s.value.trim().is_empty())
    {
        let instrument = fw
            .indicators
            .iter()
            .find(|i| i.number == s.number)
            .map(|i| i.instrument);
        let into = match instrument {
            Some(InstrumentCode::IIT) => &mut iit,
            Some(InstrumentCode::EIT) => &mut eit,
            _ => continue,
        };
        into.insert(s.number.to_string(), Given::Text(s.value.trim().to_owned()));
    }
    let survey_input = |m: BTreeMap<String, Given>| {
        (!m.is_empty()).then_some(SurveyInput {
            indicators: Some(m),
            ..SurveyInput::default()
        })
    };
    let input = ScoreInput {
        iit: survey_input(iit),
        eit: survey_input(eit),
        oit: Some(OitInput {
            items: Some(
                fw.oit_items
                    .iter()
                    .map(|i| (i.code.clone(), passed.contains(&i.code)))
                    .collect(),
            ),
            indicators: None,
        }),
    };
    score::score(fw, &input).ok()
}

pub async fn simulate(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    RawQuery(query): RawQuery,
) -> WebResult<Response> {
    let q = FormFields::from_pairs(
        form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect(),
    );
    let years = service::framework_years(&state.cx).await?;
    let fy = q
        .get("fy")
        .parse::<i32>()
        .ok()
        .filter(|y| years.contains(y))
        .or_else(|| years.last().copied())
        .ok_or(WebError::NotFound)?;
    let framework = service::framework(&state.cx, fy)
        .await?
        .ok_or(WebError::NotFound)?;
    let submitted = q.get("go") == "1";
    let results = state.cx.store.official_results(m.agency.id).await?;
    let base = results.first();
    let survey: Vec<SurveyField> = framework
        .indicators
        .iter()
        .filter(|i| i.instrument != InstrumentCode::OIT)
        .map(|i| {
            let value = if submitted {
                q.get(&format!("i{}", i.number))
            } else {
                base.and_then(|b| {
                    b.indicators
                        .get(usize::from(i.number) - 1)
                        .copied()
                        .flatten()
                })
                .map(|s| s.to_string())
                .unwrap_or_default()
            };
            let invalid = !value.trim().is_empty()
                && parse_hundredths(&prongsai_thai::to_arabic_digits(value.trim()))
                    .is_none_or(|h| h > 10_000);
            SurveyField {
                number: i.number,
                name: page.tr.indicator(&i.number),
                value: prongsai_thai::to_arabic_digits(value.trim()),
                invalid,
            }
        })
        .collect();
    // A scenario starts from the OIT items the assessor has passed so far this year.
    let passed: Vec<String> = if submitted {
        q.all("oit")
    } else {
        match prongsai_thai::FiscalYear::new(fy) {
            Ok(year) => prongsai_domain::ita::oit::oit_year(&state.cx, m.agency.id, year)
                .await
                .map(|y| {
                    y.verdicts()
                        .into_iter()
                        .filter(|(_, passed)| *passed)
                        .map(|(code, _)| code)
                        .collect()
                })
                .unwrap_or_default(),
            Err(_) => Vec::new(),
        }
    };
    let report = run(&framework, &survey, &passed);
    // What each item not ticked would add, when the total is complete.
    let total_of = |r: &ScoreReport| parse_hundredths(&r.total).unwrap_or(0);
    let mut gains: BTreeMap<String, i64> = BTreeMap::new();
    if let Some(r) = report.as_ref().filter(|r| !r.partial) {
        for item in framework
            .oit_items
            .iter()
            .filter(|i| !passed.contains(&i.code))
        {
            let mut more = passed.clone();
            more.push(item.code.clone());
            if let Some(with) = run(&framework, &survey, &more) {
                gains.insert(item.code.clone(), total_of(&with) - total_of(r));
            }
        }
    }
    let gain_text = |code: &str| {
        gains
            .get(code)
            .map(|g| format!("+{}", fw::format_hundredths(*g)))
    };
    let groups = framework
        .oit_groups
        .iter()
        .map(|g| {
            let items = framework
                .oit_items
                .iter()
                .filter(|i| i.group == g.code)
                .map(|i| ItemField {
                    code: i.code.clone(),
                    name: i.name_th.clone(),
                    checked: passed.contains(&i.code),
                    gain: gain_text(&i.code),
                })
                .collect();
            (format!("{} {}", g.code, g.name_th), items)
        })
        .collect();
    let mut ranked: Vec<(&String, &i64)> = gains.iter().collect();
    ranked.sort_by_key(|(code, g)| (std::cmp::Reverse(**g), (*code).clone()));
    let best = ranked
        .into_iter()
        .take(5)
        .filter_map(|(code, g)| {
            let item = framework.oit_items.iter().find(|i| &i.code == code)?;
            Some((
                code.clone(),
                item.name_th.clone(),
                format!("+{}", fw::format_hundredths(*g)),
            ))
        })
        .collect();
    render(&SimulatePage {
        l: office_layout(
            &page,
            &csrf,
            &m,
            page.tr.get("ita-simulate-title"),
            "measures",
        ),
        slug: m.agency.slug.to_string(),
        years,
        fy,
        base_year: (!submitted)
            .then(|| base.map(|b| b.fiscal_year.be()))
            .flatten(),
        survey,
        groups,
        report,
        best,
    })
}
