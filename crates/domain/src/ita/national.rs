//! Scoring every agency of a fiscal year at once, from the database: what the operator's
//! dashboard and `prongsai ita score-all` show. The answers are read once and counted as they
//! stream (`SurveyStore::year_tallies`); each agency is then scored exactly by the engine.

use std::collections::BTreeMap;

use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::ids::AgencyId;
use crate::ita::framework::{Framework, InstrumentCode};
use crate::ita::results::Score;
use crate::ita::score::{self, OitInput, ScoreInput, ScoreReport, SurveyInput};
use crate::ita::survey::{SurveyTally, engine_tallies};
use crate::platform::{Account, AgencyKind, AgencySummary, Role};
use prongsai_thai::FiscalYear;

/// One agency's live result.
#[derive(Debug, Clone)]
pub struct AgencyScore {
    pub agency_id: AgencyId,
    pub report: ScoreReport,
}

/// Scores every agency that has answers or reviewed OIT items in `fiscal_year`, with `fw`.
pub async fn score_year(
    cx: &Ctx,
    fw: &Framework,
    fiscal_year: FiscalYear,
) -> Result<Vec<AgencyScore>, StoreError> {
    let tallies = cx.store.year_tallies(fiscal_year.be()).await?;
    let verdicts = cx.store.year_verdicts(fiscal_year).await?;
    Ok(score_all(fw, &tallies, verdicts))
}

/// The verdicts of an agency's reviewed OIT items of a year (item code → passed), for the
/// items of `fw`.
pub async fn item_verdicts(
    cx: &Ctx,
    fw: &Framework,
    agency: AgencyId,
    fiscal_year: FiscalYear,
) -> Result<BTreeMap<String, bool>, StoreError> {
    Ok(cx
        .store
        .oit_items(agency, fiscal_year)
        .await?
        .into_iter()
        .filter(|i| fw.oit_items.iter().any(|x| x.code == i.code))
        .filter_map(|i| Some((i.code.clone(), i.score_verdict()?)))
        .collect())
}

/// One agency's live result of a year, from its stored answers and reviewed OIT items; `None`
/// when it has neither.
pub async fn score_agency(
    cx: &Ctx,
    fw: &Framework,
    agency: AgencyId,
    fiscal_year: FiscalYear,
) -> Result<Option<ScoreReport>, StoreError> {
    let mut input = ScoreInput::default();
    for s in cx.store.surveys(agency, fiscal_year.be()).await? {
        let responses = cx.store.responses(agency, s.id).await?;
        let answers = crate::ita::survey::engine_responses(fw, s.instrument, &responses);
        if answers.is_empty() {
            continue;
        }
        let one = Some(SurveyInput {
            responses: Some(answers),
            ..SurveyInput::default()
        });
        match s.instrument {
            InstrumentCode::IIT => input.iit = one,
            _ => input.eit = one,
        }
    }
    let items = item_verdicts(cx, fw, agency, fiscal_year).await?;
    if !items.is_empty() {
        input.oit = Some(OitInput {
            items: Some(items),
            indicators: None,
        });
    }
    if input.iit.is_none() && input.eit.is_none() && input.oit.is_none() {
        return Ok(None);
    }
    Ok(score::score(fw, &input).ok())
}

/// Scores agencies from their tallies and item verdicts (the CPU half of [`score_year`]).
pub fn score_all(
    fw: &Framework,
    tallies: &[SurveyTally],
    verdicts: Vec<(AgencyId, String, bool)>,
) -> Vec<AgencyScore> {
    let mut by_agency: BTreeMap<AgencyId, (Vec<&SurveyTally>, BTreeMap<String, bool>)> =
        BTreeMap::new();
    for t in tallies {
        by_agency.entry(t.agency_id).or_default().0.push(t);
    }
    for (agency, code, passed) in verdicts {
        by_agency.entry(agency).or_default().1.insert(code, passed);
    }
    let survey = |ts: &[&SurveyTally], code| {
        engine_tallies(fw, code, ts).map(|t| SurveyInput {
            tallies: Some(t),
            ..SurveyInput::default()
        })
    };
    by_agency
        .into_iter()
        .filter_map(|(agency_id, (ts, items))| {
            let input = ScoreInput {
                iit: survey(&ts, InstrumentCode::IIT),
                eit: survey(&ts, InstrumentCode::EIT),
                oit: (!items.is_empty()).then_some(OitInput {
                    items: Some(items),
                    indicators: None,
                }),
            };
            // Tallies shaped by the framework itself are always valid input.
            let report = score::score(fw, &input).ok()?;
            Some(AgencyScore { agency_id, report })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The overview of many agencies: the operator's (every agency) and an assessor's (the agencies
// they assess).

/// Where an agency's result comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Scored now from its answers and reviewed items, complete.
    Live,
    /// The official result imported for the year.
    Official,
    /// Scored now, with an instrument still missing: no grade.
    Partial,
}

/// One agency in the overview.
#[derive(Debug, Clone)]
pub struct AgencyResult {
    pub agency: AgencySummary,
    /// "87.25", or the points so far when partial.
    pub total: String,
    pub grade: Option<String>,
    pub passes: Option<bool>,
    pub source: Source,
}

/// The agencies of one province and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRow {
    pub province: String,
    pub kind: AgencyKind,
    pub agencies: usize,
    pub graded: usize,
    pub passing: usize,
}

/// A year's results across agencies.
#[derive(Debug, Clone)]
pub struct Overview {
    pub fiscal_year: i32,
    /// Agencies in scope (with a result or not).
    pub in_scope: usize,
    pub results: Vec<AgencyResult>,
    /// (grade, agencies), in the framework's order, highest first.
    pub grades: Vec<(String, usize)>,
    pub partial: usize,
    pub graded: usize,
    pub passing: usize,
    /// The share of graded agencies that pass, in hundredths of a percent.
    pub share: Option<i64>,
    /// The national goal, in hundredths of a percent, from the framework.
    pub target: Option<i64>,
    pub rows: Vec<GroupRow>,
}

/// Who may see an overview, and of which agencies.
#[derive(Debug, thiserror::Error)]
pub enum OverviewError {
    #[error("not allowed")]
    Forbidden,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The overview of `fiscal_year` for `account`: every agency for the platform operator, the
/// agencies where the account is an assessor otherwise; anyone else is refused.
pub async fn overview(
    cx: &Ctx,
    account: &Account,
    fw: &Framework,
    fiscal_year: FiscalYear,
) -> Result<Overview, OverviewError> {
    let scope: Vec<AgencySummary> = if account.is_platform_operator {
        cx.store.list_agencies().await?
    } else {
        cx.store
            .memberships_of(account.id)
            .await?
            .into_iter()
            .filter(|(_, m)| m.has_role(Role::Assessor))
            .map(|(a, _)| a)
            .collect()
    };
    if scope.is_empty() && !account.is_platform_operator {
        return Err(OverviewError::Forbidden);
    }
    let live: BTreeMap<AgencyId, ScoreReport> = score_year(cx, fw, fiscal_year)
        .await?
        .into_iter()
        .map(|a| (a.agency_id, a.report))
        .collect();
    let official: BTreeMap<AgencyId, (Score, String)> = cx
        .store
        .year_official_results(fiscal_year.be())
        .await?
        .into_iter()
        .map(|(a, s, g)| (a, (s, g)))
        .collect();
    let results: Vec<AgencyResult> = scope
        .iter()
        .filter_map(|a| {
            let live = live.get(&a.id);
            let (total, grade, passes, source) = match (live, official.get(&a.id)) {
                (Some(r), _) if !r.partial => {
                    (r.total.clone(), r.grade.clone(), r.passes, Source::Live)
                }
                (_, Some((s, g))) => (
                    s.to_string(),
                    Some(g.clone()),
                    Some(s.passes()),
                    Source::Official,
                ),
                (Some(r), None) => (r.total.clone(), None, None, Source::Partial),
                (None, None) => return None,
            };
            Some(AgencyResult {
                agency: a.clone(),
                total,
                grade,
                passes,
                source,
            })
        })
        .collect();
    let grades = fw
        .grades
        .iter()
        .map(|b| {
            let n = results
                .iter()
                .filter(|r| r.grade.as_deref() == Some(b.grade.as_str()))
                .count();
            (b.grade.clone(), n)
        })
        .collect();
    let graded = results.iter().filter(|r| r.grade.is_some()).count();
    let passing = results.iter().filter(|r| r.passes == Some(true)).count();
    let mut groups: BTreeMap<(String, &'static str), GroupRow> = BTreeMap::new();
    for a in &scope {
        groups
            .entry((a.province.clone(), a.kind.as_str()))
            .or_insert_with(|| GroupRow {
                province: a.province.clone(),
                kind: a.kind,
                agencies: 0,
                graded: 0,
                passing: 0,
            })
            .agencies += 1;
    }
    for r in &results {
        if let Some(g) = groups.get_mut(&(r.agency.province.clone(), r.agency.kind.as_str())) {
            g.graded += usize::from(r.grade.is_some());
            g.passing += usize::from(r.passes == Some(true));
        }
    }
    Ok(Overview {
        fiscal_year: fiscal_year.be(),
        in_scope: scope.len(),
        partial: results
            .iter()
            .filter(|r| r.source == Source::Partial)
            .count(),
        share: (graded > 0).then(|| i64::try_from(passing * 10_000 / graded).unwrap_or(0)),
        target: fw.national_share,
        results,
        grades,
        graded,
        passing,
        rows: groups.into_values().collect(),
    })
}
