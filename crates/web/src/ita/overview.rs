//! The overview of many agencies' ITA results of a year: for the platform operator every
//! agency, for an assessor the agencies they assess. The share passing against the national
//! goal, the grade distribution, a table by province and kind of agency, and the agencies,
//! weakest first. Live scores where an agency's assessment is complete, else its imported
//! official result.

use std::borrow::Borrow;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use prongsai_domain::ita::national::{self, Overview, OverviewError, Source};
use prongsai_domain::ita::service as its;
use prongsai_thai::FiscalYear;

use super::results::Bar;
use crate::auth::SignedIn;
use crate::error::{WebError, WebResult};
use crate::pages::{Layout, Page, UserNav, no_store, render};
use crate::state::AppState;

/// The most agencies listed one by one; the table by province covers them all.
const LISTED: usize = 300;

#[derive(Template)]
#[template(path = "ita/overview.html")]
struct OverviewPage {
    l: Layout,
    years: Vec<i32>,
    o: Overview,
    /// The share passing, as a bar, and the goal's position (hundredths of a percent).
    share_bar: Vec<Bar>,
    target_at: i32,
    /// Grades as bars out of the most common grade.
    grade_bars: Vec<Bar>,
    listed: usize,
    assumptions: Vec<String>,
}

impl OverviewPage {
    fn percent(&self, part: impl Borrow<usize>, whole: impl Borrow<usize>) -> String {
        match (part.borrow() * 1000).checked_div(*whole.borrow()) {
            None => "–".into(),
            Some(tenths) => format!("{}.{}%", tenths / 10, tenths % 10),
        }
    }

    fn cut(&self) -> bool {
        self.listed < self.o.results.len()
    }

    fn kind_key(&self, k: &prongsai_domain::platform::AgencyKind) -> String {
        format!("agency-kind-{}", k.as_str())
    }

    fn source_key(&self, s: &Source) -> &'static str {
        match s {
            Source::Live => "overview-source-live",
            Source::Official => "overview-source-official",
            Source::Partial => "overview-source-partial",
        }
    }
}

pub async fn current_year(State(state): State<AppState>) -> Response {
    let fy = FiscalYear::of(prongsai_domain::ita::survey_service::today(&state.cx)).be();
    Redirect::to(&format!("/platform/ita/{fy}")).into_response()
}

pub async fn show(
    State(state): State<AppState>,
    Path(year): Path<String>,
    page: Page,
    SignedIn(u): SignedIn,
) -> WebResult<Response> {
    let fy = year
        .parse::<i32>()
        .ok()
        .and_then(|y| FiscalYear::new(y).ok())
        .ok_or(WebError::NotFound)?;
    let fw = its::framework_or_latest(&state.cx, fy.be())
        .await
        .map_err(|e| WebError::Internal(Box::new(e)))?
        .ok_or(WebError::NotFound)?;
    let o = match national::overview(&state.cx, &u.account, &fw, fy).await {
        Ok(o) => o,
        Err(OverviewError::Forbidden) => return Err(WebError::Forbidden),
        Err(OverviewError::Store(e)) => return Err(e.into()),
    };
    let mut l = Layout::new(&page, page.tr.arg("overview-title", "year", fy.be()));
    l.user = Some(UserNav {
        name: u.account.display_name.clone(),
        is_operator: u.account.is_platform_operator,
    });
    let share = o.share.unwrap_or(0);
    let target_at = o
        .target
        .map_or(8_000, |t| i32::try_from(t).unwrap_or(8_000));
    let share_bar = vec![Bar {
        label: page.tr.get("overview-share"),
        value: i32::try_from(share).unwrap_or(0),
        text: format!("{}.{:02}%", share / 100, share % 100),
        passes: o.target.is_none_or(|t| share >= t),
    }];
    let most = o.grades.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let grade_bars = o
        .grades
        .iter()
        .map(|(g, n)| Bar {
            label: g.clone(),
            value: i32::try_from(n * 10_000 / most).unwrap_or(0),
            text: n.to_string(),
            passes: g != "F",
        })
        .collect();
    let mut years: Vec<i32> = its::framework_years(&state.cx).await?;
    let current = FiscalYear::of(prongsai_domain::ita::survey_service::today(&state.cx)).be();
    for y in [fy.be(), current] {
        if !years.contains(&y) {
            years.push(y);
        }
    }
    years.sort_unstable();
    let mut o = o;
    o.results.sort_by(|a, b| {
        (
            a.source == Source::Partial,
            a.total.parse::<f64>().unwrap_or(0.0),
        )
            .partial_cmp(&(
                b.source == Source::Partial,
                b.total.parse::<f64>().unwrap_or(0.0),
            ))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let listed = o.results.len().min(LISTED);
    Ok(no_store(render(&OverviewPage {
        l,
        years,
        share_bar,
        target_at,
        grade_bars,
        listed,
        assumptions: fw.assumptions(),
        o,
    })?))
}
