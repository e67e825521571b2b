//! The ITA framework of a fiscal year as data: instruments and their points, indicators, answer
//! scales, survey questions, the OIT items in their groups, the grade bands and the pass mark.
//! The files live in `crates/domain/frameworks/` (one per year, compiled in) and any other file
//! can be loaded the same way. Every value carries a confidence tag; what is not confirmed is an
//! assumption that the screens and reports show as such.
//!
//! A file is validated when it is loaded: the instruments' points add up to 100, each
//! instrument's indicators add up to its points, every question and every OIT group belongs to
//! an indicator of the right instrument, every OIT item to exactly one group, and the grade
//! bands cover 0–100 with no gap and no overlap. An error names the file, the path inside it
//! and the reason.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

/// Points and scores are kept in hundredths: 6 points is 600, 33.33 is 3333.
pub type Hundredths = i64;

/// How sure a value is (see the header of the framework files).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Confidence {
    /// Stated by the NACC.
    V,
    /// Two or more secondary sources agree.
    S,
    /// Derived by arithmetic from a published table.
    D,
    /// Weak or conflicting.
    W,
    /// Unknown: an assumption.
    U,
}

impl Confidence {
    /// Whether a value with this tag must be shown as an assumption.
    pub fn is_assumption(self) -> bool {
        matches!(self, Self::W | Self::U)
    }
}

/// The three instruments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
pub enum InstrumentCode {
    IIT,
    EIT,
    OIT,
}

impl InstrumentCode {
    pub const ALL: [Self; 3] = [Self::IIT, Self::EIT, Self::OIT];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::IIT => "IIT",
            Self::EIT => "EIT",
            Self::OIT => "OIT",
        }
    }
}

/// A loaded and validated framework.
#[derive(Debug, Clone, PartialEq)]
pub struct Framework {
    pub id: String,
    pub fiscal_year: i32,
    pub name_th: String,
    pub name_en: String,
    pub source: String,
    /// The lowest passing total, in hundredths (8500).
    pub pass_mark: Hundredths,
    pub pass_confidence: Confidence,
    /// The national goal the pass mark serves ("at least 80% of agencies ≥ 85").
    pub national_target: String,
    /// That goal as a share of agencies passing, in hundredths of a percent (8000), if given.
    pub national_share: Option<Hundredths>,
    /// Highest band first.
    pub grades: Vec<GradeBand>,
    pub instruments: Vec<Instrument>,
    /// By number.
    pub indicators: Vec<Indicator>,
    pub scales: BTreeMap<String, Scale>,
    pub questions: Vec<Question>,
    pub oit_groups: Vec<OitGroup>,
    pub oit_items: Vec<OitItem>,
    /// The minimum sample of each survey (IIT, EIT), by instrument.
    pub samples: BTreeMap<InstrumentCode, SampleRule>,
}

/// How many answers a survey needs, from the size of its population: `percent` of it, but at
/// least `at_least` (everyone when the population is smaller) and at most `at_most` if set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleRule {
    pub percent: Hundredths,
    pub at_least: u32,
    pub at_most: Option<u32>,
    pub confidence: Confidence,
    pub note: String,
}

impl SampleRule {
    /// The minimum number of answers for a population of `population`.
    pub fn minimum(&self, population: u32) -> u32 {
        if population <= self.at_least {
            return population;
        }
        let share =
            (u64::from(population) * u64::try_from(self.percent).unwrap_or(0)).div_ceil(10_000);
        let n = u32::try_from(share)
            .unwrap_or(u32::MAX)
            .max(self.at_least)
            .min(population);
        self.at_most.map_or(n, |cap| n.min(cap.max(self.at_least)))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GradeBand {
    pub grade: String,
    pub min: Hundredths,
    pub max: Hundredths,
    pub confidence: Confidence,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instrument {
    pub code: InstrumentCode,
    pub name_th: String,
    pub name_en: String,
    pub points: Hundredths,
    pub confidence: Confidence,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    pub number: u8,
    pub name_th: String,
    pub instrument: InstrumentCode,
    /// Its share of the total, in hundredths of a point.
    pub points: Hundredths,
    pub confidence: Confidence,
    pub note: String,
}

/// An answer scale: the labels people choose from and the value of each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scale {
    pub labels: Vec<String>,
    pub values: Vec<Hundredths>,
    pub confidence: Confidence,
    pub note: String,
}

/// A survey question (IIT or EIT); a question with several fields asks about several points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub code: String,
    pub indicator: u8,
    pub scale: String,
    pub fields: u8,
    pub text_th: String,
    pub fields_th: Vec<String>,
    pub confidence: Confidence,
    pub note: String,
}

/// A sub-indicator of the OIT ("9.1 ข้อมูลพื้นฐาน").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OitGroup {
    pub code: String,
    pub indicator: u8,
    pub name_th: String,
    pub confidence: Confidence,
}

/// An item of the OIT checklist ("O1 โครงสร้าง").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OitItem {
    pub code: String,
    pub group: String,
    pub name_th: String,
    /// What the evidence must show.
    pub evidence_th: String,
    /// How sure that text is (U: a reading of the item's name).
    pub evidence_confidence: Confidence,
    /// What Prongsai checks when the evidence is one of its own pages.
    pub page_check: Option<PageCheck>,
    /// The key of the standard page of the public site that carries the item
    /// ([`crate::portal::menu`]).
    pub portal_page: Option<String>,
    pub confidence: Confidence,
    pub note: String,
}

/// A check of the parts a Prongsai page must show for an OIT item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageCheck {
    /// Every executive on the home page has a name, position, photo and contact.
    Executives,
}

impl PageCheck {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "executives" => Some(Self::Executives),
            _ => None,
        }
    }
}

/// Why a framework file was refused: the file, the path inside it and the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {path}: {reason}")]
pub struct FrameworkError {
    pub file: String,
    pub path: String,
    pub reason: String,
}

/// The frameworks that ship with Prongsai, by fiscal year.
pub const BUILT_IN: [(i32, &str); 2] = [
    (2566, include_str!("../../frameworks/ita-2566.toml")),
    (2567, include_str!("../../frameworks/ita-2567.toml")),
];

/// The framework of a fiscal year that ships with Prongsai.
pub fn built_in(fiscal_year: i32) -> Option<Result<Framework, FrameworkError>> {
    BUILT_IN
        .iter()
        .find(|(y, _)| *y == fiscal_year)
        .map(|(y, text)| parse(&format!("frameworks/ita-{y}.toml"), text))
}

// ---------------------------------------------------------------------------------------------
// The file format.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileFormat {
    schema: u32,
    id: String,
    fiscal_year: i32,
    name_th: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    source: String,
    pass: PassFormat,
    #[serde(default)]
    grade: Vec<GradeFormat>,
    #[serde(default)]
    instrument: Vec<InstrumentFormat>,
    #[serde(default)]
    indicator: Vec<IndicatorFormat>,
    #[serde(default)]
    scale: BTreeMap<String, ScaleFormat>,
    #[serde(default)]
    question: Vec<QuestionFormat>,
    #[serde(default)]
    oit_group: Vec<OitGroupFormat>,
    #[serde(default)]
    oit_item: Vec<OitItemFormat>,
    #[serde(default)]
    sample: BTreeMap<String, SampleFormat>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SampleFormat {
    percent: String,
    at_least: u32,
    #[serde(default)]
    at_most: Option<u32>,
    confidence: Confidence,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PassFormat {
    min_total: String,
    confidence: Confidence,
    #[serde(default)]
    national_target: String,
    #[serde(default)]
    national_share: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GradeFormat {
    grade: String,
    min: String,
    max: String,
    confidence: Confidence,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InstrumentFormat {
    code: InstrumentCode,
    name_th: String,
    #[serde(default)]
    name_en: String,
    points: String,
    confidence: Confidence,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorFormat {
    number: u8,
    name_th: String,
    instrument: InstrumentCode,
    points: String,
    confidence: Confidence,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScaleFormat {
    labels: Vec<String>,
    values: Vec<String>,
    confidence: Confidence,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionFormat {
    code: String,
    indicator: u8,
    scale: String,
    fields: u8,
    #[serde(default)]
    text_th: String,
    #[serde(default)]
    fields_th: Vec<String>,
    confidence: Confidence,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OitGroupFormat {
    code: String,
    indicator: u8,
    name_th: String,
    confidence: Confidence,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OitItemFormat {
    code: String,
    group: String,
    name_th: String,
    #[serde(default)]
    evidence_th: String,
    #[serde(default)]
    evidence_confidence: Option<Confidence>,
    #[serde(default)]
    page_check: Option<String>,
    #[serde(default)]
    portal_page: Option<String>,
    confidence: Confidence,
    #[serde(default)]
    note: String,
}

/// Parses "85", "33.33", "6.5" (at most two decimals, not negative) into hundredths.
pub fn parse_hundredths(raw: &str) -> Option<Hundredths> {
    let s = raw.trim();
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty()
        || frac.len() > 2
        || !whole
            .chars()
            .chain(frac.chars())
            .all(|c| c.is_ascii_digit())
        || whole.len() > 12
    {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    whole.checked_mul(100)?.checked_add(frac)
}

/// Formats hundredths as "85.00".
pub fn format_hundredths(h: Hundredths) -> String {
    let sign = if h < 0 { "-" } else { "" };
    let a = h.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// Parses and validates a framework file. `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<Framework, FrameworkError> {
    let err = |path: &str, reason: String| FrameworkError {
        file: file.to_owned(),
        path: path.to_owned(),
        reason,
    };
    let f: FileFormat = toml::from_str(text).map_err(|e| {
        let path = e.span().map_or_else(
            || "(file)".to_owned(),
            |s| {
                let line = text
                    .get(..s.start)
                    .map_or(1, |t| t.matches('\n').count() + 1);
                format!("line {line}")
            },
        );
        err(&path, e.message().to_owned())
    })?;
    if f.schema != 1 {
        return Err(err(
            "schema",
            format!(
                "schema {} is not supported; this version reads schema 1",
                f.schema
            ),
        ));
    }
    if !(2500..=2700).contains(&f.fiscal_year) {
        return Err(err(
            "fiscal_year",
            format!("{} is not a Buddhist-Era fiscal year", f.fiscal_year),
        ));
    }
    let points = |path: &str, raw: &str| {
        parse_hundredths(raw).ok_or_else(|| {
            err(
                path,
                format!("{raw:?} is not a number with at most two decimals"),
            )
        })
    };

    let pass_mark = points("pass.min_total", &f.pass.min_total)?;
    if pass_mark > 10_000 {
        return Err(err("pass.min_total", "the pass mark is above 100".into()));
    }

    // Grade bands: highest first, contiguous from 100 down to 0.
    let mut grades = Vec::new();
    for (i, g) in f.grade.iter().enumerate() {
        let at = |field: &str| format!("grade[{i}].{field}");
        let min = points(&at("min"), &g.min)?;
        let max = points(&at("max"), &g.max)?;
        if min > max {
            return Err(err(&at("min"), format!("{} is above max {}", g.min, g.max)));
        }
        grades.push(GradeBand {
            grade: g.grade.trim().to_owned(),
            min,
            max,
            confidence: g.confidence,
            note: g.note.clone(),
        });
    }
    grades.sort_by_key(|g| std::cmp::Reverse(g.max));
    let mut expected_max = 10_000;
    for (i, g) in grades.iter().enumerate() {
        if g.max != expected_max {
            let what = if g.max > expected_max {
                "overlaps"
            } else {
                "leaves a gap above"
            };
            return Err(err(
                &format!("grade[{}]", grade_index(&f.grade, &g.grade)),
                format!(
                    "band {} ({}–{}) {what} the band above it, which ends at {}",
                    g.grade,
                    format_hundredths(g.min),
                    format_hundredths(g.max),
                    format_hundredths(expected_max + 1)
                ),
            ));
        }
        expected_max = g.min - 1;
        if i + 1 == grades.len() && g.min != 0 {
            return Err(err(
                &format!("grade[{}]", grade_index(&f.grade, &g.grade)),
                format!(
                    "the lowest band {} starts at {}, not 0",
                    g.grade,
                    format_hundredths(g.min)
                ),
            ));
        }
    }
    if grades.is_empty() {
        return Err(err("grade", "no grade bands".into()));
    }

    // Instruments: each once, 100 points in all.
    let mut instruments = Vec::new();
    for (i, ins) in f.instrument.iter().enumerate() {
        if instruments.iter().any(|x: &Instrument| x.code == ins.code) {
            return Err(err(
                &format!("instrument[{i}].code"),
                format!("{} appears twice", ins.code.as_str()),
            ));
        }
        instruments.push(Instrument {
            code: ins.code,
            name_th: ins.name_th.clone(),
            name_en: ins.name_en.clone(),
            points: points(&format!("instrument[{i}].points"), &ins.points)?,
            confidence: ins.confidence,
            note: ins.note.clone(),
        });
    }
    let sum: Hundredths = instruments.iter().map(|i| i.points).sum();
    if sum != 10_000 {
        return Err(err(
            "instrument[*].points",
            format!(
                "the instruments add up to {} points, not 100",
                format_hundredths(sum)
            ),
        ));
    }

    // Indicators: unique numbers, of a known instrument, adding up to its points.
    let mut indicators: Vec<Indicator> = Vec::new();
    for (i, ind) in f.indicator.iter().enumerate() {
        let at = |field: &str| format!("indicator[{i}].{field}");
        if indicators.iter().any(|x| x.number == ind.number) {
            return Err(err(
                &at("number"),
                format!("indicator {} appears twice", ind.number),
            ));
        }
        if !instruments.iter().any(|x| x.code == ind.instrument) {
            return Err(err(
                &at("instrument"),
                format!(
                    "{} is not an instrument of this file",
                    ind.instrument.as_str()
                ),
            ));
        }
        indicators.push(Indicator {
            number: ind.number,
            name_th: ind.name_th.clone(),
            instrument: ind.instrument,
            points: points(&at("points"), &ind.points)?,
            confidence: ind.confidence,
            note: ind.note.clone(),
        });
    }
    indicators.sort_by_key(|i| i.number);
    for ins in &instruments {
        let sum: Hundredths = indicators
            .iter()
            .filter(|i| i.instrument == ins.code)
            .map(|i| i.points)
            .sum();
        if sum != ins.points {
            return Err(err(
                "indicator[*].points",
                format!(
                    "the {} indicators add up to {} points, but the instrument has {}",
                    ins.code.as_str(),
                    format_hundredths(sum),
                    format_hundredths(ins.points)
                ),
            ));
        }
    }
    let instrument_of = |n: u8| {
        indicators
            .iter()
            .find(|i| i.number == n)
            .map(|i| i.instrument)
    };

    // Scales: as many values as labels, each 0–100.
    let mut scales = BTreeMap::new();
    for (name, s) in &f.scale {
        let at = |field: &str| format!("scale.{name}.{field}");
        if s.labels.is_empty() || s.labels.len() != s.values.len() {
            return Err(err(
                &at("values"),
                format!("{} values for {} labels", s.values.len(), s.labels.len()),
            ));
        }
        let mut values = Vec::new();
        for (k, v) in s.values.iter().enumerate() {
            let h = points(&format!("scale.{name}.values[{k}]"), v)?;
            if h > 10_000 {
                return Err(err(
                    &format!("scale.{name}.values[{k}]"),
                    format!("{v} is above 100"),
                ));
            }
            values.push(h);
        }
        scales.insert(
            name.clone(),
            Scale {
                labels: s.labels.clone(),
                values,
                confidence: s.confidence,
                note: s.note.clone(),
            },
        );
    }

    let national_share = match &f.pass.national_share {
        Some(raw) => {
            let h = points("pass.national_share", raw)?;
            if h > 10_000 {
                return Err(err(
                    "pass.national_share",
                    format!("{raw} is not a share between 0 and 100"),
                ));
            }
            Some(h)
        }
        None => None,
    };

    // Sample rules: only for the two surveys; a share of 0–100 %, at least one answer.
    let mut samples = BTreeMap::new();
    for (name, r) in &f.sample {
        let at = |field: &str| format!("sample.{name}.{field}");
        let instrument = match name.as_str() {
            "IIT" => InstrumentCode::IIT,
            "EIT" => InstrumentCode::EIT,
            _ => {
                return Err(err(
                    &format!("sample.{name}"),
                    "a minimum sample is set for IIT or EIT only".to_owned(),
                ));
            }
        };
        let percent = points(&at("percent"), &r.percent)?;
        if percent == 0 || percent > 10_000 {
            return Err(err(
                &at("percent"),
                format!("{} is not a share between 0 and 100", r.percent),
            ));
        }
        if r.at_least == 0 {
            return Err(err(&at("at_least"), "must be at least 1".to_owned()));
        }
        if r.at_most.is_some_and(|m| m < r.at_least) {
            return Err(err(&at("at_most"), "is below at_least".to_owned()));
        }
        samples.insert(
            instrument,
            SampleRule {
                percent,
                at_least: r.at_least,
                at_most: r.at_most,
                confidence: r.confidence,
                note: r.note.clone(),
            },
        );
    }

    // Questions: unique codes, each under one survey indicator, on a known scale.
    let mut questions: Vec<Question> = Vec::new();
    for (i, q) in f.question.iter().enumerate() {
        let at = |field: &str| format!("question[{i}].{field}");
        if questions.iter().any(|x| x.code == q.code) {
            return Err(err(
                &at("code"),
                format!("question {} appears twice", q.code),
            ));
        }
        match instrument_of(q.indicator) {
            Some(InstrumentCode::IIT | InstrumentCode::EIT) => {}
            Some(InstrumentCode::OIT) => {
                return Err(err(
                    &at("indicator"),
                    format!(
                        "indicator {} is scored by OIT items, not questions",
                        q.indicator
                    ),
                ));
            }
            None => {
                return Err(err(
                    &at("indicator"),
                    format!("there is no indicator {}", q.indicator),
                ));
            }
        }
        if !scales.contains_key(&q.scale) {
            return Err(err(
                &at("scale"),
                format!("there is no scale {:?}", q.scale),
            ));
        }
        if q.fields == 0 || (!q.fields_th.is_empty() && q.fields_th.len() != usize::from(q.fields))
        {
            return Err(err(
                &at("fields"),
                format!("{} fields with {} field texts", q.fields, q.fields_th.len()),
            ));
        }
        questions.push(Question {
            code: q.code.trim().to_owned(),
            indicator: q.indicator,
            scale: q.scale.clone(),
            fields: q.fields,
            text_th: q.text_th.clone(),
            fields_th: q.fields_th.clone(),
            confidence: q.confidence,
            note: q.note.clone(),
        });
    }
    for ind in indicators
        .iter()
        .filter(|i| i.instrument != InstrumentCode::OIT)
    {
        if !questions.iter().any(|q| q.indicator == ind.number) {
            return Err(err(
                "question",
                format!("indicator {} has no question", ind.number),
            ));
        }
    }

    // OIT groups under OIT indicators; each item in exactly one existing group.
    let mut oit_groups: Vec<OitGroup> = Vec::new();
    for (i, g) in f.oit_group.iter().enumerate() {
        let at = |field: &str| format!("oit_group[{i}].{field}");
        if oit_groups.iter().any(|x| x.code == g.code) {
            return Err(err(&at("code"), format!("group {} appears twice", g.code)));
        }
        if instrument_of(g.indicator) != Some(InstrumentCode::OIT) {
            return Err(err(
                &at("indicator"),
                format!("indicator {} is not an OIT indicator", g.indicator),
            ));
        }
        oit_groups.push(OitGroup {
            code: g.code.clone(),
            indicator: g.indicator,
            name_th: g.name_th.clone(),
            confidence: g.confidence,
        });
    }
    let mut oit_items: Vec<OitItem> = Vec::new();
    for (i, it) in f.oit_item.iter().enumerate() {
        let at = |field: &str| format!("oit_item[{i}].{field}");
        if oit_items.iter().any(|x| x.code == it.code) {
            return Err(err(
                &at("code"),
                format!(
                    "item {} appears twice: an item belongs to exactly one group",
                    it.code
                ),
            ));
        }
        if !oit_groups.iter().any(|g| g.code == it.group) {
            return Err(err(
                &at("group"),
                format!("there is no group {:?}", it.group),
            ));
        }
        oit_items.push(OitItem {
            code: it.code.trim().to_owned(),
            group: it.group.clone(),
            name_th: it.name_th.clone(),
            evidence_th: it.evidence_th.clone(),
            evidence_confidence: it.evidence_confidence.unwrap_or(Confidence::U),
            page_check: match it.page_check.as_deref() {
                None => None,
                Some(raw) => Some(PageCheck::parse(raw).ok_or_else(|| {
                    err(
                        &at("page_check"),
                        format!("{raw:?} is not a page check (known: \"executives\")"),
                    )
                })?),
            },
            portal_page: match it.portal_page.as_deref() {
                None => None,
                Some(key) if crate::portal::menu::standard().page(key).is_some() => {
                    Some(key.to_owned())
                }
                Some(key) => {
                    return Err(err(
                        &at("portal_page"),
                        format!("{key:?} is not a page of the standard site map"),
                    ));
                }
            },
            confidence: it.confidence,
            note: it.note.clone(),
        });
    }
    let used: BTreeSet<&str> = oit_items.iter().map(|i| i.group.as_str()).collect();
    if let Some((i, g)) = oit_groups
        .iter()
        .enumerate()
        .find(|(_, g)| !used.contains(g.code.as_str()))
    {
        return Err(err(
            &format!("oit_group[{i}]"),
            format!("group {} has no item", g.code),
        ));
    }
    for ind in indicators
        .iter()
        .filter(|i| i.instrument == InstrumentCode::OIT)
    {
        if !oit_groups.iter().any(|g| g.indicator == ind.number) {
            return Err(err(
                "oit_group",
                format!("OIT indicator {} has no group", ind.number),
            ));
        }
    }

    Ok(Framework {
        id: f.id,
        fiscal_year: f.fiscal_year,
        name_th: f.name_th,
        name_en: f.name_en,
        source: f.source,
        pass_mark,
        pass_confidence: f.pass.confidence,
        national_target: f.pass.national_target,
        national_share,
        grades,
        instruments,
        indicators,
        scales,
        questions,
        oit_groups,
        oit_items,
        samples,
    })
}

fn grade_index(grades: &[GradeFormat], grade: &str) -> usize {
    grades
        .iter()
        .position(|g| g.grade.trim() == grade)
        .unwrap_or(0)
}

impl Framework {
    /// The grade of a total (in hundredths).
    pub fn grade_of(&self, total: Hundredths) -> Option<&GradeBand> {
        self.grades
            .iter()
            .find(|g| g.min <= total && total <= g.max)
    }

    pub fn instrument(&self, code: InstrumentCode) -> Option<&Instrument> {
        self.instruments.iter().find(|i| i.code == code)
    }

    /// What this framework assumes: every value tagged W or U, as "path: note".
    pub fn assumptions(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut add = |c: Confidence, what: String, note: &str| {
            if c.is_assumption() {
                out.push(if note.is_empty() {
                    what
                } else {
                    format!("{what}: {note}")
                });
            }
        };
        for g in &self.grades {
            add(g.confidence, format!("grade {}", g.grade), &g.note);
        }
        for i in &self.instruments {
            add(i.confidence, format!("{} points", i.code.as_str()), &i.note);
        }
        for i in &self.indicators {
            add(
                i.confidence,
                format!("indicator {} points", i.number),
                &i.note,
            );
        }
        for (name, s) in &self.scales {
            add(s.confidence, format!("scale {name} values"), &s.note);
        }
        for (code, r) in &self.samples {
            add(
                r.confidence,
                format!("{} minimum sample", code.as_str()),
                &r.note,
            );
        }
        let unknown_questions: Vec<&str> = self
            .questions
            .iter()
            .filter(|q| q.confidence.is_assumption())
            .map(|q| q.code.as_str())
            .collect();
        if !unknown_questions.is_empty() {
            out.push(format!(
                "questions {}: wording or structure not confirmed",
                unknown_questions.join(", ")
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> String {
        BUILT_IN[0].1.to_owned()
    }

    fn refused(text: &str) -> FrameworkError {
        parse("test.toml", text).expect_err("the file is refused")
    }

    #[test]
    fn the_shipped_frameworks_load() {
        for (year, _) in BUILT_IN {
            let f = built_in(year).unwrap().unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(f.fiscal_year, year);
            assert_eq!(f.indicators.len(), 10);
            assert_eq!(f.oit_items.len(), 43);
            assert_eq!(
                f.questions
                    .iter()
                    .filter(|q| q.code.starts_with('I'))
                    .count(),
                30
            );
            assert_eq!(
                f.questions
                    .iter()
                    .filter(|q| q.code.starts_with('I'))
                    .map(|q| u32::from(q.fields))
                    .sum::<u32>(),
                51,
                "the 2564 form's 51 answer fields"
            );
            assert_eq!(f.pass_mark, 8500);
            assert_eq!(f.grade_of(8500).unwrap().grade, "A");
            assert_eq!(f.grade_of(8499).unwrap().grade, "B");
            assert_eq!(f.grade_of(10_000).unwrap().grade, "AA");
            assert_eq!(f.grade_of(0).unwrap().grade, "F");
            assert!(!f.assumptions().is_empty(), "the assumptions are listed");
        }
        assert!(built_in(2560).is_none());
    }

    #[test]
    fn each_broken_rule_names_the_file_the_path_and_the_reason() {
        let base = shipped();
        let cases: Vec<(String, &str, &str)> = vec![
            (
                base.replacen("points = \"40\"", "points = \"45\"", 1),
                "instrument[*].points",
                "add up to 105.00 points, not 100",
            ),
            (
                base.replacen("points = \"6\"", "points = \"7\"", 1),
                "indicator[*].points",
                "IIT indicators add up to 31.00 points",
            ),
            (
                base.replacen("min = \"85.00\"", "min = \"84.00\"", 1),
                "grade[",
                "overlaps",
            ),
            (
                base.replacen("max = \"84.99\"", "max = \"83.99\"", 1),
                "grade[",
                "gap",
            ),
            (
                base.replacen("group = \"9.2\"", "group = \"9.9\"", 1),
                "oit_item[10].group",
                "no group \"9.9\"",
            ),
            (
                base.replacen("code = \"O12\"", "code = \"O11\"", 1),
                "oit_item[11].code",
                "belongs to exactly one group",
            ),
            (
                base.replacen(
                    "code = \"I2\"\nindicator = 1",
                    "code = \"I2\"\nindicator = 12",
                    1,
                ),
                "question[1].indicator",
                "no indicator 12",
            ),
            (
                base.replacen(
                    "code = \"E1\"\nindicator = 6",
                    "code = \"E1\"\nindicator = 9",
                    1,
                ),
                "question[30].indicator",
                "scored by OIT items",
            ),
            (
                base.replacen(
                    "values = [\"0\", \"33\", \"67\", \"100\"]",
                    "values = [\"0\", \"33\", \"67\"]",
                    1,
                ),
                "scale.four_level.values",
                "3 values for 4 labels",
            ),
            (
                base.replacen("min_total = \"85.00\"", "min_total = \"eighty-five\"", 1),
                "pass.min_total",
                "not a number",
            ),
            (
                base.replacen("schema = 1", "schema = 1\nshema = 2", 1),
                "line 13",
                "unknown field",
            ),
            (
                base.replacen("portal_page = \"laws\"", "portal_page = \"weather\"", 1),
                "oit_item[5].portal_page",
                "not a page of the standard site map",
            ),
        ];
        for (text, path, reason) in cases {
            let e = refused(&text);
            assert_eq!(e.file, "test.toml");
            assert!(e.path.starts_with(path), "{path}: {e}");
            assert!(e.reason.contains(reason), "{reason}: {e}");
        }
    }
}
