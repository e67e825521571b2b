//! The consistency checker. Before a plan is submitted, approved or its report generated, it
//! flags text that names another agency, years that do not fit the plan's fiscal year, actions
//! with no responsible division, and periods outside the fiscal year. A warning can be
//! overridden with a reason; the override holds while the flagged text stays the same.

use prongsai_thai::{FiscalYear, Segmenter};

use super::model::{Action, Measure, PlanTexts, ReviewRow, StepRow};

/// What a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckCode {
    /// The text names an agency other than this one ("เทศบาลตำบลโคกสูงสัมพันธ์").
    OtherAgency,
    /// A Buddhist-Era year that is neither the plan's fiscal year nor the year before.
    YearOutsidePlan,
    /// An action with no responsible division.
    NoResponsible,
    /// An action whose period is not inside the plan's fiscal year.
    PeriodOutsideYear,
}

impl CheckCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OtherAgency => "other-agency",
            Self::YearOutsidePlan => "year-outside-plan",
            Self::NoResponsible => "no-responsible",
            Self::PeriodOutsideYear => "period-outside-year",
        }
    }
}

/// Where in the plan a warning was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A plan text: "introduction", "review_intro", "announcement_preamble".
    PlanText(&'static str),
    Measure {
        number: i32,
    },
    Action {
        measure: i32,
        action: i32,
    },
    ReviewRow {
        row: usize,
    },
    StepRow {
        row: usize,
    },
}

impl Place {
    fn key(&self) -> String {
        match self {
            Self::PlanText(f) => format!("plan:{f}"),
            Self::Measure { number } => format!("measure:{number}"),
            Self::Action { measure, action } => format!("action:{measure}.{action}"),
            Self::ReviewRow { row } => format!("review:{row}"),
            Self::StepRow { row } => format!("steps:{row}"),
        }
    }
}

/// One warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub code: CheckCode,
    pub place: Place,
    /// The text that was flagged (a name, a year, a period).
    pub found: String,
}

impl Warning {
    /// The key an override is stored under: the same warning on the same text.
    pub fn subject(&self) -> String {
        format!("{}|{}", self.place.key(), self.found)
    }
}

/// Everything the checker reads.
pub struct PlanContent<'a> {
    pub agency_name: &'a str,
    pub fiscal_year: FiscalYear,
    pub texts: &'a PlanTexts,
    pub measures: &'a [Measure],
    pub actions: &'a [Action],
    pub reviews: &'a [ReviewRow],
    pub steps: &'a [StepRow],
}

/// The prefixes that start the name of a local government.
const KIND_PREFIXES: [&str; 7] = [
    "องค์การบริหารส่วนจังหวัด",
    "องค์การบริหารส่วนตำบล",
    "เทศบาลตำบล",
    "เทศบาลเมือง",
    "เทศบาลนคร",
    "อบต.",
    "อบจ.",
];

/// Words that end a name in running text.
const STOP_WORDS: [&str; 26] = [
    "ประจำ",
    "ปี",
    "ปีงบประมาณ",
    "งบประมาณ",
    "และ",
    "ของ",
    "ใน",
    "ที่",
    "เพื่อ",
    "โดย",
    "อำเภอ",
    "จังหวัด",
    "ได้",
    "มี",
    "ให้",
    "ต่อ",
    "ซึ่ง",
    "ว่า",
    "กับ",
    "จาก",
    "คือ",
    "เป็น",
    "หรือ",
    "แห่ง",
    "พ.ศ.",
    "พ.ศ",
];

/// The name of the agency without its kind: "โนนหัน" for "เทศบาลตำบลโนนหัน".
pub fn short_name(agency_name: &str) -> &str {
    KIND_PREFIXES
        .iter()
        .find_map(|p| agency_name.strip_prefix(p))
        .unwrap_or(agency_name)
        .trim()
}

/// Names of other agencies in `text`.
pub fn other_agencies(text: &str, own_name: &str, segmenter: &Segmenter) -> Vec<String> {
    let own = short_name(own_name);
    let mut found = Vec::new();
    let mut rest = text;
    while let Some((at, prefix)) = KIND_PREFIXES
        .iter()
        .filter_map(|p| rest.find(p).map(|i| (i, *p)))
        .min()
    {
        let after = &rest[at + prefix.len()..];
        let after_trim = after.trim_start();
        if !own.is_empty() && after_trim.starts_with(own) {
            rest = &after_trim[own.len()..];
            continue;
        }
        // A space ends a phrase in Thai, so the name ends there at the latest (the segmenter
        // leaves spaces out of its words).
        let phrase = after_trim.split(char::is_whitespace).next().unwrap_or("");
        let mut name = String::new();
        for word in segmenter.words(phrase).into_iter().take(6) {
            if STOP_WORDS.contains(&word)
                || !word.chars().all(|c| ('\u{0E00}'..='\u{0E7F}').contains(&c))
            {
                break;
            }
            name.push_str(word);
        }
        if !name.is_empty() {
            let full = format!("{prefix}{name}");
            if !found.contains(&full) {
                found.push(full);
            }
        }
        rest = after;
    }
    found
}

/// Buddhist-Era years written in `text` (four digits, Thai or Arabic, 2400–2700).
pub fn be_years(text: &str) -> Vec<i32> {
    let arabic = prongsai_thai::to_arabic_digits(text);
    let mut out = Vec::new();
    let mut run = String::new();
    for c in arabic.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            run.push(c);
            continue;
        }
        if run.len() == 4
            && let Ok(y) = run.parse::<i32>()
            && (2400..=2700).contains(&y)
            && !out.contains(&y)
        {
            out.push(y);
        }
        run.clear();
    }
    out
}

/// Runs every check.
pub fn check(c: &PlanContent<'_>) -> Vec<Warning> {
    let segmenter = Segmenter::new();
    let fy = c.fiscal_year.be();
    let mut out = Vec::new();
    let mut scan = |place: Place, text: &str| {
        for name in other_agencies(text, c.agency_name, &segmenter) {
            out.push(Warning {
                code: CheckCode::OtherAgency,
                place: place.clone(),
                found: name,
            });
        }
        for y in be_years(text) {
            if y != fy && y != fy - 1 {
                out.push(Warning {
                    code: CheckCode::YearOutsidePlan,
                    place: place.clone(),
                    found: y.to_string(),
                });
            }
        }
    };
    scan(Place::PlanText("introduction"), &c.texts.introduction);
    scan(Place::PlanText("review_intro"), &c.texts.review_intro);
    scan(
        Place::PlanText("announcement_preamble"),
        &c.texts.announcement_preamble,
    );
    for m in c.measures {
        scan(Place::Measure { number: m.number }, &m.fields.title);
    }
    let measure_no = |id| {
        c.measures
            .iter()
            .find(|m| m.id == id)
            .map_or(0, |m| m.number)
    };
    for a in c.actions {
        let place = Place::Action {
            measure: measure_no(a.measure_id),
            action: a.number,
        };
        let f = &a.fields;
        for text in [
            Some(&f.text),
            f.recommendation.as_ref(),
            f.monitoring.as_ref(),
            f.kpi.as_ref(),
            f.target.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            scan(place.clone(), text);
        }
    }
    for (i, r) in c.reviews.iter().enumerate() {
        for text in [&r.indicator, &r.issues, &r.methods, &r.actions_taken] {
            scan(Place::ReviewRow { row: i + 1 }, text);
        }
    }
    for (i, r) in c.steps.iter().enumerate() {
        for text in [&r.measure, &r.steps, &r.responsible, &r.monitoring] {
            scan(Place::StepRow { row: i + 1 }, text);
        }
    }
    for a in c.actions {
        let place = Place::Action {
            measure: measure_no(a.measure_id),
            action: a.number,
        };
        if !a.fields.all_divisions && a.fields.divisions.is_empty() {
            out.push(Warning {
                code: CheckCode::NoResponsible,
                place: place.clone(),
                found: String::new(),
            });
        }
        if let Some(p) = a.fields.period
            && !p.within(c.fiscal_year)
        {
            let found = p.format(prongsai_thai::Digits::Arabic);
            out.push(Warning {
                code: CheckCode::PeriodOutsideYear,
                place,
                found,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_names_another_municipality() {
        let s = Segmenter::new();
        let text = "จัดทำแผนการขับเคลื่อนการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐของเทศบาลตำบลโคกสูงสัมพันธ์ประจำปีงบประมาณ พ.ศ.๒๕๖๖";
        assert_eq!(
            other_agencies(text, "เทศบาลตำบลโนนหัน", &s),
            ["เทศบาลตำบลโคกสูงสัมพันธ์"]
        );
    }

    #[test]
    fn the_agencys_own_name_is_not_flagged() {
        let s = Segmenter::new();
        let text = "มาตรการของเทศบาลตำบลโนนหัน อำเภอชุมแพ และ เทศบาลตำบล โนนหัน";
        assert!(other_agencies(text, "เทศบาลตำบลโนนหัน", &s).is_empty());
        let other = other_agencies("อบต.บ้านใหม่ส่งหนังสือ", "เทศบาลตำบลโนนหัน", &s);
        assert!(
            other.len() == 1 && other[0].starts_with("อบต.บ้านใหม่"),
            "{other:?}"
        );
    }

    #[test]
    fn years_are_read_in_both_digit_systems() {
        assert_eq!(
            be_years("ประจำปีงบประมาณ พ.ศ.๒๕๖๕ และ 2566 ราคา 12345 บาท ปี 2023"),
            [2565, 2566]
        );
        assert_eq!(short_name("เทศบาลตำบลโนนหัน"), "โนนหัน");
    }
}
