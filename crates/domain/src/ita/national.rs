//! Scoring every agency of a fiscal year at once, from the database: what the operator's
//! dashboard and `prongsai ita score-all` show. The answers are read once and counted as they
//! stream (`SurveyStore::year_tallies`); each agency is then scored exactly by the engine.

use std::collections::BTreeMap;

use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::ids::AgencyId;
use crate::ita::framework::{Framework, InstrumentCode};
use crate::ita::score::{self, OitInput, ScoreInput, ScoreReport, SurveyInput};
use crate::ita::survey::{SurveyTally, engine_tallies};
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
