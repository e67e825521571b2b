//! The scoring engine: every level computed exactly from the framework data — answer → question
//! → indicator → instrument points → total → grade → pass — with exact fractions, rounded to two
//! decimals only when shown. An instrument without input (or with indicators or OIT items still
//! missing) makes the total *partial*: it is labelled so, and gets no grade and no verdict; it
//! is never counted as zero.
//!
//! The rules that are not confirmed live in the framework, not here: answer values, indicator
//! points, instrument points. The order of the means follows the 2564 tables (methodology
//! §4.1–4.2): an OIT item scores 0 or 100, a group is the mean of its items and an indicator the
//! unweighted mean of its groups; a survey field is the mean over the people who answered it, a
//! question the mean of its fields, an indicator the mean of its questions (assumed).
//!
//! The input format is documented in `docs/ITA-SCORING.md`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::framework::{Framework, Hundredths, InstrumentCode};

/// An exact non-negative fraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exact {
    num: i128,
    den: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.abs().max(1)
}

impl Exact {
    pub const ZERO: Self = Self { num: 0, den: 1 };

    pub fn new(num: i128, den: i128) -> Self {
        let g = gcd(num, den);
        Self {
            num: num / g,
            den: den / g,
        }
    }

    /// Hundredths as an exact value: 3333 → 33.33.
    pub fn from_hundredths(h: Hundredths) -> Self {
        Self::new(i128::from(h), 100)
    }

    pub fn div_int(self, n: i128) -> Self {
        Self::new(self.num, self.den * n.max(1))
    }

    /// The mean of some values; `None` for none.
    pub fn mean(values: impl IntoIterator<Item = Self>) -> Option<Self> {
        let (sum, n) = values
            .into_iter()
            .fold((Self::ZERO, 0i128), |(s, n), v| (s + v, n + 1));
        (n > 0).then(|| sum.div_int(n))
    }

    /// Rounded half up to hundredths.
    pub fn to_hundredths(self) -> Hundredths {
        let h = (self.num * 200 + self.den) / (2 * self.den);
        Hundredths::try_from(h).unwrap_or(Hundredths::MAX)
    }

    /// "80.09".
    pub fn display(self) -> String {
        super::framework::format_hundredths(self.to_hundredths())
    }

    /// "8009/100", the value before rounding.
    pub fn fraction(self) -> String {
        format!("{}/{}", self.num, self.den)
    }
}

impl std::ops::Add for Exact {
    type Output = Self;

    fn add(self, o: Self) -> Self {
        let g = gcd(self.den, o.den);
        Self::new(
            self.num * (o.den / g) + o.num * (self.den / g),
            self.den / g * o.den,
        )
    }
}

impl std::ops::Mul for Exact {
    type Output = Self;

    fn mul(self, o: Self) -> Self {
        let (a, b) = (gcd(self.num, o.den), gcd(o.num, self.den));
        Self::new((self.num / a) * (o.num / b), (self.den / b) * (o.den / a))
    }
}

// ---------------------------------------------------------------------------------------------
// Input.

/// A number given as text ("91.35") or as a JSON number (91.35); at most two decimals.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Given {
    Text(String),
    Number(serde_json::Number),
}

impl Given {
    fn hundredths(&self) -> Option<Hundredths> {
        match self {
            Self::Text(s) => super::framework::parse_hundredths(s),
            Self::Number(n) => super::framework::parse_hundredths(&n.to_string()),
        }
    }
}

/// What is known of an instrument: the answers, or the indicator scores.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyInput {
    /// One map per respondent: question code → the level chosen in each of its fields (1 = the
    /// scale's first label).
    #[serde(default)]
    pub responses: Option<Vec<BTreeMap<String, Vec<u32>>>>,
    /// Indicator number → score out of 100.
    #[serde(default)]
    pub indicators: Option<BTreeMap<String, Given>>,
    /// The answers counted per level instead of listed per respondent (what a database keeps
    /// while it reads them); scores exactly as the same `responses` would.
    #[serde(default)]
    pub tallies: Option<Tallies>,
}

/// Answers counted per level.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tallies {
    /// How many people answered.
    pub respondents: u64,
    /// Question code → for each of its fields, the number of answers at each level (the first
    /// count is level 1).
    pub counts: BTreeMap<String, Vec<Vec<u64>>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OitInput {
    /// Item code → passed (the evidence meets every requirement) or not.
    #[serde(default)]
    pub items: Option<BTreeMap<String, bool>>,
    #[serde(default)]
    pub indicators: Option<BTreeMap<String, Given>>,
}

/// The input of a scoring run; an instrument left out is missing.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreInput {
    #[serde(default)]
    pub iit: Option<SurveyInput>,
    #[serde(default)]
    pub eit: Option<SurveyInput>,
    #[serde(default)]
    pub oit: Option<OitInput>,
}

/// Input the engine cannot use: where, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct ScoreError {
    pub path: String,
    pub reason: String,
}

fn bad(path: impl Into<String>, reason: impl Into<String>) -> ScoreError {
    ScoreError {
        path: path.into(),
        reason: reason.into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Output.

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorResult {
    pub number: u8,
    pub name_th: String,
    pub instrument: &'static str,
    /// Out of 100; `None` while missing.
    pub score: Option<String>,
    /// Its share of the total.
    pub points: Option<String>,
    pub max_points: String,
    /// "answers", "items" or "given".
    pub from: &'static str,
    /// For answers: how many respondents answered at least one of its fields.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub respondents: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupResult {
    pub code: String,
    pub indicator: u8,
    pub score: Option<String>,
    pub items_passed: usize,
    pub items: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct InstrumentResult {
    pub code: &'static str,
    pub points: String,
    pub max_points: String,
    pub complete: bool,
    /// What is missing: "no input", indicator numbers, OIT item codes.
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScoreReport {
    pub framework: String,
    pub fiscal_year: i32,
    pub indicators: Vec<IndicatorResult>,
    pub oit_groups: Vec<GroupResult>,
    pub instruments: Vec<InstrumentResult>,
    /// The total of what is there, rounded to hundredths.
    pub total: String,
    /// The same before rounding.
    pub total_exact: String,
    /// True while an instrument is missing or incomplete: the total is not final.
    pub partial: bool,
    /// `None` while partial.
    pub grade: Option<String>,
    pub passes: Option<bool>,
    pub pass_mark: String,
    /// The framework's unconfirmed values this result rests on.
    pub assumptions: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// The engine.

/// Scores an input against a framework.
pub fn score(fw: &Framework, input: &ScoreInput) -> Result<ScoreReport, ScoreError> {
    // Indicator number → (score, source, respondents).
    let mut scores: BTreeMap<u8, (Exact, &'static str, Option<usize>)> = BTreeMap::new();
    let mut missing: BTreeMap<InstrumentCode, Vec<String>> = BTreeMap::new();
    let mut groups = Vec::new();

    for (code, survey, name) in [
        (InstrumentCode::IIT, &input.iit, "iit"),
        (InstrumentCode::EIT, &input.eit, "eit"),
    ] {
        match survey {
            None => missing.entry(code).or_default().push("no input".into()),
            Some(s) => match (&s.responses, &s.indicators, &s.tallies) {
                (Some(r), None, None) => survey_scores(fw, code, name, r, &mut scores)?,
                (None, Some(given), None) => given_scores(fw, code, name, given, &mut scores)?,
                (None, None, Some(t)) => tally_scores(fw, code, name, t, &mut scores)?,
                _ => {
                    return Err(bad(
                        name,
                        "give one of \"responses\", \"tallies\" or \"indicators\"",
                    ));
                }
            },
        }
    }
    match &input.oit {
        None => missing
            .entry(InstrumentCode::OIT)
            .or_default()
            .push("no input".into()),
        Some(o) => match (&o.items, &o.indicators) {
            (Some(items), None) => {
                let not_given = oit_scores(fw, items, &mut scores, &mut groups)?;
                missing
                    .entry(InstrumentCode::OIT)
                    .or_default()
                    .extend(not_given);
            }
            (None, Some(given)) => {
                given_scores(fw, InstrumentCode::OIT, "oit", given, &mut scores)?
            }
            _ => {
                return Err(bad(
                    "oit",
                    "give either \"items\" or \"indicators\", not both or neither",
                ));
            }
        },
    }

    let mut indicators = Vec::new();
    let mut total = Exact::ZERO;
    let mut by_instrument: BTreeMap<InstrumentCode, Exact> = BTreeMap::new();
    for ind in &fw.indicators {
        let found = scores.get(&ind.number);
        let points =
            found.map(|(s, _, _)| *s * Exact::from_hundredths(ind.points) * Exact::new(1, 100));
        if let Some(p) = points {
            total = total + p;
            let e = by_instrument.entry(ind.instrument).or_insert(Exact::ZERO);
            *e = *e + p;
        } else if !missing
            .get(&ind.instrument)
            .is_some_and(|m| m.iter().any(|x| x == "no input"))
        {
            missing
                .entry(ind.instrument)
                .or_default()
                .push(format!("indicator {}", ind.number));
        }
        indicators.push(IndicatorResult {
            number: ind.number,
            name_th: ind.name_th.clone(),
            instrument: ind.instrument.as_str(),
            score: found.map(|(s, _, _)| s.display()),
            points: points.map(Exact::display),
            max_points: super::framework::format_hundredths(ind.points),
            from: found.map_or(
                match ind.instrument {
                    InstrumentCode::OIT => "items",
                    _ => "answers",
                },
                |(_, f, _)| *f,
            ),
            respondents: found.and_then(|(_, _, r)| *r),
        });
    }
    let instruments: Vec<InstrumentResult> = fw
        .instruments
        .iter()
        .map(|i| {
            let m = missing.get(&i.code).cloned().unwrap_or_default();
            InstrumentResult {
                code: i.code.as_str(),
                points: by_instrument
                    .get(&i.code)
                    .copied()
                    .unwrap_or(Exact::ZERO)
                    .display(),
                max_points: super::framework::format_hundredths(i.points),
                complete: m.is_empty(),
                missing: m,
            }
        })
        .collect();
    let partial = instruments.iter().any(|i| !i.complete);
    let rounded = total.to_hundredths();
    Ok(ScoreReport {
        framework: fw.id.clone(),
        fiscal_year: fw.fiscal_year,
        indicators,
        oit_groups: groups,
        instruments,
        total: total.display(),
        total_exact: total.fraction(),
        partial,
        grade: (!partial)
            .then(|| fw.grade_of(rounded).map(|g| g.grade.clone()))
            .flatten(),
        passes: (!partial).then_some(rounded >= fw.pass_mark),
        pass_mark: super::framework::format_hundredths(fw.pass_mark),
        assumptions: fw.assumptions(),
    })
}

fn indicator_number(
    fw: &Framework,
    code: InstrumentCode,
    path: &str,
    raw: &str,
) -> Result<u8, ScoreError> {
    raw.trim()
        .parse::<u8>()
        .ok()
        .filter(|n| {
            fw.indicators
                .iter()
                .any(|i| i.number == *n && i.instrument == code)
        })
        .ok_or_else(|| {
            bad(
                format!("{path}.{raw}"),
                format!("not an indicator of {}", code.as_str()),
            )
        })
}

fn given_scores(
    fw: &Framework,
    code: InstrumentCode,
    name: &str,
    given: &BTreeMap<String, Given>,
    scores: &mut BTreeMap<u8, (Exact, &'static str, Option<usize>)>,
) -> Result<(), ScoreError> {
    let path = format!("{name}.indicators");
    for (raw, v) in given {
        let n = indicator_number(fw, code, &path, raw)?;
        let h = v.hundredths().filter(|h| *h <= 10_000).ok_or_else(|| {
            bad(
                format!("{path}.{raw}"),
                "a score from 0 to 100 with at most two decimals",
            )
        })?;
        scores.insert(n, (Exact::from_hundredths(h), "given", None));
    }
    Ok(())
}

fn survey_scores(
    fw: &Framework,
    code: InstrumentCode,
    name: &str,
    responses: &[BTreeMap<String, Vec<u32>>],
    scores: &mut BTreeMap<u8, (Exact, &'static str, Option<usize>)>,
) -> Result<(), ScoreError> {
    // (question, field) → sum of values (hundredths) and count.
    let mut fields: BTreeMap<(&str, usize), (i128, i128)> = BTreeMap::new();
    let mut respondents: BTreeMap<u8, usize> = BTreeMap::new();
    for (r, response) in responses.iter().enumerate() {
        let mut answered: Vec<u8> = Vec::new();
        for (q_code, levels) in response {
            let path = format!("{name}.responses[{r}].{q_code}");
            let q = survey_question(fw, code, q_code, &path)?;
            if levels.len() > usize::from(q.fields) {
                return Err(bad(
                    &path,
                    format!("{} answers for {} fields", levels.len(), q.fields),
                ));
            }
            let scale = fw
                .scales
                .get(&q.scale)
                .ok_or_else(|| bad(&path, "the question's scale is missing"))?;
            for (f, level) in levels.iter().enumerate() {
                let value = usize::try_from(*level)
                    .ok()
                    .and_then(|l| l.checked_sub(1))
                    .and_then(|l| scale.values.get(l))
                    .ok_or_else(|| {
                        bad(
                            format!("{path}[{f}]"),
                            format!("level {level} is not 1–{}", scale.values.len()),
                        )
                    })?;
                let e = fields.entry((q.code.as_str(), f)).or_insert((0, 0));
                e.0 += i128::from(*value);
                e.1 += 1;
            }
            if !levels.is_empty() && !answered.contains(&q.indicator) {
                answered.push(q.indicator);
            }
        }
        for n in answered {
            *respondents.entry(n).or_default() += 1;
        }
    }
    indicator_scores(fw, code, &fields, &respondents, scores);
    Ok(())
}

/// The question of `code` named `q_code`, or why not.
fn survey_question<'f>(
    fw: &'f Framework,
    code: InstrumentCode,
    q_code: &str,
    path: &str,
) -> Result<&'f super::framework::Question, ScoreError> {
    fw.questions
        .iter()
        .find(|q| q.code == *q_code)
        .filter(|q| {
            fw.indicators
                .iter()
                .any(|i| i.number == q.indicator && i.instrument == code)
        })
        .ok_or_else(|| bad(path, format!("not a question of {}", code.as_str())))
}

fn tally_scores(
    fw: &Framework,
    code: InstrumentCode,
    name: &str,
    t: &Tallies,
    scores: &mut BTreeMap<u8, (Exact, &'static str, Option<usize>)>,
) -> Result<(), ScoreError> {
    let mut fields: BTreeMap<(&str, usize), (i128, i128)> = BTreeMap::new();
    let mut respondents: BTreeMap<u8, usize> = BTreeMap::new();
    for (q_code, per_field) in &t.counts {
        let path = format!("{name}.tallies.counts.{q_code}");
        let q = survey_question(fw, code, q_code, &path)?;
        if per_field.len() > usize::from(q.fields) {
            return Err(bad(
                &path,
                format!(
                    "{} fields counted, the question has {}",
                    per_field.len(),
                    q.fields
                ),
            ));
        }
        let scale = fw
            .scales
            .get(&q.scale)
            .ok_or_else(|| bad(&path, "the question's scale is missing"))?;
        for (f, counts) in per_field.iter().enumerate() {
            if counts.len() > scale.values.len() {
                return Err(bad(
                    format!("{path}[{f}]"),
                    format!(
                        "{} levels counted, the scale has {}",
                        counts.len(),
                        scale.values.len()
                    ),
                ));
            }
            let (mut sum, mut n) = (0i128, 0i128);
            for (count, value) in counts.iter().zip(&scale.values) {
                sum += i128::from(*count) * i128::from(*value);
                n += i128::from(*count);
            }
            if n > 0 {
                fields.insert((q.code.as_str(), f), (sum, n));
            }
        }
        respondents.insert(
            q.indicator,
            usize::try_from(t.respondents).unwrap_or(usize::MAX),
        );
    }
    indicator_scores(fw, code, &fields, &respondents, scores);
    Ok(())
}

/// Indicator scores from the sum and count of answer values of each question field.
fn indicator_scores(
    fw: &Framework,
    code: InstrumentCode,
    fields: &BTreeMap<(&str, usize), (i128, i128)>,
    respondents: &BTreeMap<u8, usize>,
    scores: &mut BTreeMap<u8, (Exact, &'static str, Option<usize>)>,
) {
    for ind in fw.indicators.iter().filter(|i| i.instrument == code) {
        let question_scores = fw
            .questions
            .iter()
            .filter(|q| q.indicator == ind.number)
            .filter_map(|q| {
                Exact::mean((0..usize::from(q.fields)).filter_map(|f| {
                    fields
                        .get(&(q.code.as_str(), f))
                        .map(|(sum, n)| Exact::new(*sum, 100 * n))
                }))
            });
        if let Some(s) = Exact::mean(question_scores) {
            scores.insert(
                ind.number,
                (s, "answers", respondents.get(&ind.number).copied()),
            );
        }
    }
}

/// Scores the OIT from item verdicts; returns the items without a verdict.
fn oit_scores(
    fw: &Framework,
    items: &BTreeMap<String, bool>,
    scores: &mut BTreeMap<u8, (Exact, &'static str, Option<usize>)>,
    groups: &mut Vec<GroupResult>,
) -> Result<Vec<String>, ScoreError> {
    if let Some(unknown) = items
        .keys()
        .find(|k| !fw.oit_items.iter().any(|i| i.code == **k))
    {
        return Err(bad(
            format!("oit.items.{unknown}"),
            "not an item of this framework",
        ));
    }
    let not_given: Vec<String> = fw
        .oit_items
        .iter()
        .filter(|i| !items.contains_key(&i.code))
        .map(|i| i.code.clone())
        .collect();
    let mut group_scores: BTreeMap<u8, Vec<Option<Exact>>> = BTreeMap::new();
    for g in &fw.oit_groups {
        let verdicts: Vec<Option<bool>> = fw
            .oit_items
            .iter()
            .filter(|i| i.group == g.code)
            .map(|i| items.get(&i.code).copied())
            .collect();
        let complete = verdicts.iter().all(Option::is_some);
        let passed = verdicts.iter().filter(|v| **v == Some(true)).count();
        let s = complete.then(|| {
            Exact::new(
                100 * i128::try_from(passed).unwrap_or(0),
                i128::try_from(verdicts.len()).unwrap_or(1),
            )
        });
        group_scores.entry(g.indicator).or_default().push(s);
        groups.push(GroupResult {
            code: g.code.clone(),
            indicator: g.indicator,
            score: s.map(Exact::display),
            items_passed: passed,
            items: verdicts.len(),
        });
    }
    for (n, gs) in group_scores {
        if gs.iter().all(Option::is_some)
            && let Some(s) = Exact::mean(gs.into_iter().flatten())
        {
            scores.insert(n, (s, "items", None));
        }
    }
    Ok(not_given)
}

#[cfg(test)]
mod tests {
    use super::super::framework::built_in;
    use super::*;

    fn fw() -> Framework {
        built_in(2566).unwrap().unwrap()
    }

    fn input(json: &str) -> ScoreInput {
        serde_json::from_str(json).unwrap()
    }

    const GIVEN_ALL: &str = r#"{
        "iit": {"indicators": {"1": "91.35", "2": "78.60", "3": "82.10", "4": "76.45", "5": "80.90"}},
        "eit": {"indicators": {"6": 92.75, "7": 89.40, "8": 87.15}},
        "oit": {"indicators": {"9": "68.00", "10": "75"}}
    }"#;

    #[test]
    fn indicator_scores_give_points_total_grade_and_verdict_exactly() {
        let r = score(&fw(), &input(GIVEN_ALL)).unwrap();
        // IIT: 6 × (91.35 + 78.60 + 82.10 + 76.45 + 80.90) / 100 = 24.564
        // EIT: 10 × (92.75 + 89.40 + 87.15) / 100 = 26.93
        // OIT: 20 × (68 + 75) / 100 = 28.6          total 80.094 → 80.09
        assert_eq!(r.instruments[0].points, "24.56");
        assert_eq!(r.instruments[1].points, "26.93");
        assert_eq!(r.instruments[2].points, "28.60");
        assert_eq!(r.total, "80.09");
        assert_eq!(r.total_exact, "40047/500");
        assert!(!r.partial);
        assert_eq!(r.grade.as_deref(), Some("B"));
        assert_eq!(r.passes, Some(false));
        assert_eq!(r.indicators[0].points.as_deref(), Some("5.48"));
        assert!(!r.assumptions.is_empty());
    }

    #[test]
    fn the_total_is_rounded_once_from_the_exact_sum_not_from_rounded_parts() {
        // 6 × 50.01 / 100 = 3.0006 five times: parts round to 3.00, the sum 15.003 to 15.00;
        // with 33.33 each EIT indicator gives 3.333, three of them 9.999 → 10.00, not 9.99.
        let r = score(
            &fw(),
            &input(
                r#"{"eit": {"indicators": {"6": "33.33", "7": "33.33", "8": "33.33"}},
                    "iit": {"indicators": {"1": "0", "2": "0", "3": "0", "4": "0", "5": "0"}},
                    "oit": {"indicators": {"9": "0", "10": "0"}}}"#,
            ),
        )
        .unwrap();
        assert_eq!(r.total, "10.00");
        assert_eq!(r.grade.as_deref(), Some("F"));
    }

    #[test]
    fn a_missing_instrument_makes_the_total_partial_never_zero() {
        let r = score(
            &fw(),
            &input(r#"{"oit": {"indicators": {"9": "100", "10": "100"}}}"#),
        )
        .unwrap();
        assert!(r.partial);
        assert_eq!(r.total, "40.00");
        assert_eq!(r.grade, None);
        assert_eq!(r.passes, None);
        assert_eq!(r.instruments[0].missing, ["no input"]);
        assert_eq!(r.indicators[0].score, None);
        // One indicator short is partial too.
        let r = score(&fw(), &input(&GIVEN_ALL.replace(r#""3": "82.10", "#, ""))).unwrap();
        assert!(r.partial);
        assert_eq!(r.instruments[0].missing, ["indicator 3"]);
    }

    #[test]
    fn oit_items_score_groups_then_indicators_by_unweighted_means() {
        let f = fw();
        // Everything passes except O1 (group 9.1 has 10 items) and O43 (10.2 has 5).
        let items: BTreeMap<String, bool> = f
            .oit_items
            .iter()
            .map(|i| (i.code.clone(), i.code != "O1" && i.code != "O43"))
            .collect();
        let i = ScoreInput {
            oit: Some(OitInput {
                items: Some(items.clone()),
                indicators: None,
            }),
            ..ScoreInput::default()
        };
        let r = score(&f, &i).unwrap();
        let g91 = r.oit_groups.iter().find(|g| g.code == "9.1").unwrap();
        assert_eq!((g91.items_passed, g91.items), (9, 10));
        assert_eq!(g91.score.as_deref(), Some("90.00"));
        // Indicator 9 = mean(90, 100, 100, 100, 100) = 98; 10 = mean(100, 80) = 90.
        assert_eq!(r.indicators[8].score.as_deref(), Some("98.00"));
        assert_eq!(r.indicators[9].score.as_deref(), Some("90.00"));
        assert_eq!(r.instruments[2].points, "37.60");
        assert!(r.instruments[2].complete);
        // An item without a verdict leaves its group, its indicator and the OIT incomplete.
        let mut fewer = items;
        fewer.remove("O19");
        let r = score(
            &f,
            &ScoreInput {
                oit: Some(OitInput {
                    items: Some(fewer),
                    indicators: None,
                }),
                ..ScoreInput::default()
            },
        )
        .unwrap();
        assert_eq!(r.instruments[2].missing, ["O19", "indicator 9"]);
        assert_eq!(r.indicators[8].score, None);
        assert_eq!(r.indicators[9].score.as_deref(), Some("90.00"));
    }

    #[test]
    fn tallies_score_exactly_as_the_responses_they_count() {
        let f = fw();
        // Three respondents over the whole IIT, with levels that differ by field.
        let questions: Vec<_> = f
            .questions
            .iter()
            .filter(|q| q.code.starts_with('I'))
            .collect();
        let mut responses = Vec::new();
        let mut counts: BTreeMap<String, Vec<Vec<u64>>> = BTreeMap::new();
        for r in 0..3u32 {
            let mut one = BTreeMap::new();
            for (k, q) in questions.iter().enumerate() {
                let options = u32::try_from(f.scales[&q.scale].values.len()).unwrap();
                let levels: Vec<u32> = (0..u32::from(q.fields))
                    .map(|x| (r + x + u32::try_from(k).unwrap()) % options + 1)
                    .collect();
                let c = counts
                    .entry(q.code.clone())
                    .or_insert_with(|| vec![vec![0; options as usize]; usize::from(q.fields)]);
                for (x, l) in levels.iter().enumerate() {
                    c[x][(*l - 1) as usize] += 1;
                }
                one.insert(q.code.clone(), levels);
            }
            responses.push(one);
        }
        let by_responses = score(
            &f,
            &ScoreInput {
                iit: Some(SurveyInput {
                    responses: Some(responses),
                    ..SurveyInput::default()
                }),
                ..ScoreInput::default()
            },
        )
        .unwrap();
        let by_tallies = score(
            &f,
            &ScoreInput {
                iit: Some(SurveyInput {
                    tallies: Some(Tallies {
                        respondents: 3,
                        counts: counts.clone(),
                    }),
                    ..SurveyInput::default()
                }),
                ..ScoreInput::default()
            },
        )
        .unwrap();
        for (a, b) in by_responses.indicators.iter().zip(&by_tallies.indicators) {
            assert_eq!(a.score, b.score, "indicator {}", a.number);
            assert_eq!(a.respondents, b.respondents, "indicator {}", a.number);
        }
        assert_eq!(by_responses.total_exact, by_tallies.total_exact);
        // Counts for a level the scale does not have, or a field the question does not have.
        let mut wrong = counts.clone();
        wrong.get_mut("I4").unwrap()[0].push(1);
        let e = score(
            &f,
            &ScoreInput {
                iit: Some(SurveyInput {
                    tallies: Some(Tallies {
                        respondents: 3,
                        counts: wrong,
                    }),
                    ..SurveyInput::default()
                }),
                ..ScoreInput::default()
            },
        )
        .unwrap_err();
        assert_eq!(e.path, "iit.tallies.counts.I4[0]");
        let mut wrong = counts;
        wrong.get_mut("I2").unwrap().push(vec![1, 0, 0, 0]);
        let e = score(
            &f,
            &ScoreInput {
                iit: Some(SurveyInput {
                    tallies: Some(Tallies {
                        respondents: 3,
                        counts: wrong,
                    }),
                    ..SurveyInput::default()
                }),
                ..ScoreInput::default()
            },
        )
        .unwrap_err();
        assert_eq!(e.path, "iit.tallies.counts.I2");
    }

    #[test]
    fn answers_are_averaged_per_field_then_question_then_indicator() {
        // Two respondents on indicator 1 only (I1 has 2 fields, I2 one field), on the
        // four-level scale 0/33/67/100: I1 fields (100+67)/2 and (67+67)/2, I2 (33+100)/2.
        let r = score(
            &fw(),
            &input(
                r#"{"iit": {"responses": [
                    {"I1": [4, 3], "I2": [2]},
                    {"I1": [3, 3], "I2": [4]}
                ]}}"#,
            ),
        )
        .unwrap();
        // I1 = mean(83.5, 67) = 75.25; I2 = 66.5; indicator 1 = 70.875 → 70.88.
        assert_eq!(r.indicators[0].score.as_deref(), Some("70.88"));
        assert_eq!(r.indicators[0].respondents, Some(2));
        assert_eq!(r.indicators[0].from, "answers");
        assert_eq!(r.indicators[1].score, None, "nobody answered indicator 2");
        assert!(r.partial);
    }

    #[test]
    fn bad_input_names_where_it_is() {
        let f = fw();
        for (json, path, reason) in [
            (
                r#"{"iit": {"responses": [{"I31": [1]}]}}"#,
                "iit.responses[0].I31",
                "not a question of IIT",
            ),
            (
                r#"{"iit": {"responses": [{"E1": [1]}]}}"#,
                "iit.responses[0].E1",
                "not a question of IIT",
            ),
            (
                r#"{"iit": {"responses": [{"I1": [5]}]}}"#,
                "iit.responses[0].I1[0]",
                "level 5 is not 1–4",
            ),
            (
                r#"{"iit": {"responses": [{"I2": [1, 2]}]}}"#,
                "iit.responses[0].I2",
                "2 answers for 1 fields",
            ),
            (
                r#"{"eit": {"indicators": {"9": "50"}}}"#,
                "eit.indicators.9",
                "not an indicator of EIT",
            ),
            (
                r#"{"oit": {"indicators": {"9": "100.5"}}}"#,
                "oit.indicators.9",
                "0 to 100",
            ),
            (
                r#"{"oit": {"items": {"O44": true}}}"#,
                "oit.items.O44",
                "not an item",
            ),
            (r#"{"oit": {}}"#, "oit", "either"),
        ] {
            let e = score(&f, &input(json)).unwrap_err();
            assert_eq!(e.path, path, "{json}");
            assert!(e.reason.contains(reason), "{json}: {e}");
        }
    }

    #[test]
    fn exact_fractions_add_and_round_half_up() {
        let third = Exact::new(1, 3);
        assert_eq!(third + third + third, Exact::new(1, 1));
        assert_eq!(Exact::new(1, 200).to_hundredths(), 1, "0.005 → 0.01");
        assert_eq!(Exact::new(1, 201).to_hundredths(), 0);
        assert_eq!(Exact::mean([]), None);
    }
}
