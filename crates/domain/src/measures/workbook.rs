//! The measures plan as a workbook: the columns of its three sheets, the rows written for a
//! plan, and the rows read back, checked cell by cell, as plan content, with the differences
//! from the stored plan for the preview. The file format itself is the sheets crate's business.

use prongsai_thai::{Digits, FiscalYear, Period, PeriodError};

use super::model::{
    ActionFields, ActionStatus, MeasureFields, ReviewRow, StepRow, parse_oit_items,
};
use super::service::PlanView;
use super::store::{ActionContent, PlanContent};
use crate::platform::Division;

/// The sheet of measures and actions, one row per action.
pub const PLAN_SHEET: &str = "มาตรการ";
/// Last year's table.
pub const REVIEW_SHEET: &str = "ตารางปีที่ผ่านมา";
/// The steps-and-monitoring table.
pub const STEP_SHEET: &str = "ขั้นตอนและการติดตาม";

/// The columns of the plan sheet: header and width.
pub const PLAN_COLUMNS: [(&str, f64); 13] = [
    ("มาตรการที่", 8.0),
    ("ชื่อมาตรการ", 22.0),
    ("ตัวชี้วัด ITA", 10.0),
    ("ข้อ OIT", 10.0),
    ("แนวทางที่", 8.0),
    ("แนวทาง/กิจกรรม", 60.0),
    ("ผู้รับผิดชอบ", 24.0),
    ("ระยะเวลาดำเนินการ", 18.0),
    ("ข้อเสนอแนะ", 30.0),
    ("การติดตามผล", 24.0),
    ("ตัวชี้วัดความสำเร็จ (KPI)", 20.0),
    ("ค่าเป้าหมาย", 14.0),
    ("น้ำหนัก", 8.0),
];

pub const REVIEW_COLUMNS: [(&str, f64); 4] = [
    ("ตัวชี้วัด", 24.0),
    ("ประเด็นการประเมิน", 45.0),
    ("ขั้นตอนหรือวิธีการ/มาตรการ", 45.0),
    ("การดำเนินการ", 40.0),
];

pub const STEP_COLUMNS: [(&str, f64); 4] = [
    ("มาตรการ", 40.0),
    ("ขั้นตอนหรือวิธีการ", 50.0),
    ("ผู้รับผิดชอบ", 18.0),
    ("การกำกับติดตาม", 30.0),
];

/// The word for "every division" in the responsible column.
pub const ALL_DIVISIONS: &str = "ทุกส่วนราชการ";

/// The rows of the three sheets for a plan, in sheet order.
pub fn export_rows(view: &PlanView, divisions: &[Division]) -> [Vec<Vec<String>>; 3] {
    let name_of = |id| {
        divisions.iter().find(|d| d.id == id).map(|d| {
            d.fields
                .short_name
                .clone()
                .unwrap_or_else(|| d.fields.name.clone())
        })
    };
    let mut plan = Vec::new();
    for m in &view.measures {
        for a in view.actions_of(m.id) {
            let mut responsible: Vec<String> = Vec::new();
            if a.fields.all_divisions {
                responsible.push(ALL_DIVISIONS.to_owned());
            }
            responsible.extend(a.fields.divisions.iter().filter_map(|d| name_of(*d)));
            let opt = |v: &Option<String>| v.clone().unwrap_or_default();
            plan.push(vec![
                m.number.to_string(),
                m.fields.title.clone(),
                m.fields
                    .indicators
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                m.fields.oit_items.join(", "),
                view.action_number(a),
                a.fields.text.clone(),
                responsible.join(", "),
                a.fields
                    .period
                    .map(|p| p.format(Digits::Arabic))
                    .unwrap_or_default(),
                opt(&a.fields.recommendation),
                opt(&a.fields.monitoring),
                opt(&a.fields.kpi),
                opt(&a.fields.target),
                a.fields.weight.to_string(),
            ]);
        }
    }
    let reviews = view
        .reviews
        .iter()
        .map(|r| {
            vec![
                r.indicator.clone(),
                r.issues.clone(),
                r.methods.clone(),
                r.actions_taken.clone(),
            ]
        })
        .collect();
    let steps = view
        .steps
        .iter()
        .map(|r| {
            vec![
                r.measure.clone(),
                r.steps.clone(),
                r.responsible.clone(),
                r.monitoring.clone(),
            ]
        })
        .collect();
    [plan, reviews, steps]
}

/// What is wrong with an imported cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportProblem {
    Required,
    NotANumber,
    /// ITA indicators are 1–10.
    BadIndicator,
    BadOitItem,
    /// No division of the agency has this name.
    UnknownDivision {
        name: String,
    },
    /// The action number does not belong to the row's measure.
    ActionNumberMismatch,
    /// Another row of the same measure gives it a different title.
    TitleMismatch,
    /// The period is written in the Christian Era.
    ChristianEra {
        year: i32,
    },
    EndBeforeStart,
    BadPeriod,
    TooLong {
        max: usize,
    },
}

/// A problem at a cell of an imported sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub sheet: &'static str,
    pub cell: String,
    pub problem: ImportProblem,
}

/// One row as read: its row number (header = 1) and its cells.
pub type Row = (u32, Vec<String>);

fn cell(col: usize, row: u32) -> String {
    let letter = char::from(b'A' + u8::try_from(col).unwrap_or(0));
    format!("{letter}{row}")
}

fn clean(s: &str, max: usize) -> Result<String, ImportProblem> {
    let v = s.trim().replace("\r\n", "\n");
    if v.chars().count() > max {
        Err(ImportProblem::TooLong { max })
    } else {
        Ok(v)
    }
}

/// Checks the three sheets' rows and turns them into plan content. All problems come back.
pub fn import_rows(
    plan_rows: &[Row],
    review_rows: &[Row],
    step_rows: &[Row],
    divisions: &[Division],
    year: FiscalYear,
) -> Result<PlanContent, Vec<ImportError>> {
    let mut errors = Vec::new();
    let mut err = |sheet: &'static str, col: usize, row: u32, problem| {
        errors.push(ImportError {
            sheet,
            cell: cell(col, row),
            problem,
        });
    };
    let mut measures: Vec<(i64, MeasureFields, Vec<ActionContent>)> = Vec::new();
    for (row, c) in plan_rows {
        let get = |i: usize| c.get(i).map(String::as_str).unwrap_or("");
        let number = match prongsai_thai::to_arabic_digits(get(0).trim()).parse::<i64>() {
            Ok(n) if n >= 1 => n,
            _ => {
                err(
                    PLAN_SHEET,
                    0,
                    *row,
                    if get(0).trim().is_empty() {
                        ImportProblem::Required
                    } else {
                        ImportProblem::NotANumber
                    },
                );
                continue;
            }
        };
        let title = clean(get(1), 500).unwrap_or_else(|p| {
            err(PLAN_SHEET, 1, *row, p);
            String::new()
        });
        let mut indicators = Vec::new();
        for part in get(2)
            .split([',', ' ', ';'])
            .filter(|p| !p.trim().is_empty())
        {
            match prongsai_thai::to_arabic_digits(part.trim()).parse::<u8>() {
                Ok(n) if (1..=10).contains(&n) => indicators.push(n),
                _ => err(PLAN_SHEET, 2, *row, ImportProblem::BadIndicator),
            }
        }
        indicators.sort_unstable();
        indicators.dedup();
        let oit = parse_oit_items(get(3)).unwrap_or_else(|_| {
            err(PLAN_SHEET, 3, *row, ImportProblem::BadOitItem);
            Vec::new()
        });
        let action_no = prongsai_thai::to_arabic_digits(get(4).trim());
        if !action_no.is_empty() && action_no.split('.').next() != Some(number.to_string().as_str())
        {
            err(PLAN_SHEET, 4, *row, ImportProblem::ActionNumberMismatch);
        }
        let text = match clean(get(5), 4000) {
            Ok(t) if t.is_empty() => {
                err(PLAN_SHEET, 5, *row, ImportProblem::Required);
                t
            }
            Ok(t) => t,
            Err(p) => {
                err(PLAN_SHEET, 5, *row, p);
                String::new()
            }
        };
        let mut all_divisions = false;
        let mut responsible = Vec::new();
        for name in get(6)
            .split([',', '\n', '/'])
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            if name == ALL_DIVISIONS {
                all_divisions = true;
                continue;
            }
            let found = divisions
                .iter()
                .find(|d| d.fields.name == name || d.fields.short_name.as_deref() == Some(name));
            match found {
                Some(d) if !responsible.contains(&d.id) => responsible.push(d.id),
                Some(_) => {}
                None => err(
                    PLAN_SHEET,
                    6,
                    *row,
                    ImportProblem::UnknownDivision {
                        name: name.to_owned(),
                    },
                ),
            }
        }
        let period = match get(7).trim() {
            "" => None,
            raw => match Period::parse_in(raw, Some(year)) {
                Ok(p) => Some(p),
                Err(PeriodError::LooksLikeChristianEra { year }) => {
                    err(PLAN_SHEET, 7, *row, ImportProblem::ChristianEra { year });
                    None
                }
                Err(PeriodError::EndBeforeStart { .. }) => {
                    err(PLAN_SHEET, 7, *row, ImportProblem::EndBeforeStart);
                    None
                }
                Err(_) => {
                    err(PLAN_SHEET, 7, *row, ImportProblem::BadPeriod);
                    None
                }
            },
        };
        let mut optional = |col: usize, max: usize| match clean(get(col), max) {
            Ok(v) if v.is_empty() => None,
            Ok(v) => Some(v),
            Err(p) => {
                err(PLAN_SHEET, col, *row, p);
                None
            }
        };
        let recommendation = optional(8, 2000);
        let monitoring = optional(9, 2000);
        let kpi = optional(10, 500);
        let target = optional(11, 500);
        let weight = match prongsai_thai::to_arabic_digits(get(12).trim()).as_str() {
            "" => 1,
            raw => match raw.parse::<i32>() {
                Ok(w) if (1..=100).contains(&w) => w,
                _ => {
                    err(PLAN_SHEET, 12, *row, ImportProblem::NotANumber);
                    1
                }
            },
        };
        let action = ActionFields {
            text,
            all_divisions,
            divisions: responsible,
            period,
            recommendation,
            monitoring,
            kpi,
            target,
            weight,
        };
        match measures.iter_mut().find(|(n, _, _)| *n == number) {
            Some((_, fields, actions)) => {
                if !title.is_empty() && title != fields.title {
                    if fields.title.is_empty() {
                        fields.title = title;
                    } else {
                        err(PLAN_SHEET, 1, *row, ImportProblem::TitleMismatch);
                    }
                }
                actions.push((action, ActionStatus::NotStarted, 0));
            }
            None => {
                if title.is_empty() {
                    err(PLAN_SHEET, 1, *row, ImportProblem::Required);
                }
                let fields = MeasureFields {
                    title,
                    indicators,
                    oit_items: oit,
                    weight: 1,
                };
                measures.push((number, fields, vec![(action, ActionStatus::NotStarted, 0)]));
            }
        }
    }
    measures.sort_by_key(|(n, _, _)| *n);
    let mut table = |sheet: &'static str, rows: &[Row]| -> Vec<[String; 4]> {
        rows.iter()
            .map(|(row, c)| {
                let mut out: [String; 4] = Default::default();
                for (i, slot) in out.iter_mut().enumerate() {
                    match clean(c.get(i).map(String::as_str).unwrap_or(""), 4000) {
                        Ok(v) => *slot = v,
                        Err(p) => err(sheet, i, *row, p),
                    }
                }
                out
            })
            .collect()
    };
    let reviews = table(REVIEW_SHEET, review_rows)
        .into_iter()
        .map(|[indicator, issues, methods, actions_taken]| ReviewRow {
            indicator,
            issues,
            methods,
            actions_taken,
        })
        .collect();
    let steps = table(STEP_SHEET, step_rows)
        .into_iter()
        .map(|[measure, steps, responsible, monitoring]| StepRow {
            measure,
            steps,
            responsible,
            monitoring,
        })
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(PlanContent {
        measures: measures.into_iter().map(|(_, f, a)| (f, a)).collect(),
        reviews,
        steps,
    })
}

/// One difference between the stored plan and an imported one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// "มาตรการที่ 2", "แนวทาง 2.1", "ตารางปีที่ผ่านมา แถว 3" (in the workbook's own terms).
    pub item: String,
    /// `added`, `removed` or `changed`.
    pub kind: &'static str,
    /// The field that changed, for `changed`.
    pub field: Option<&'static str>,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// The stored plan's content, in the same shape as an import.
pub fn content_of(view: &PlanView) -> PlanContent {
    PlanContent {
        measures: view
            .measures
            .iter()
            .map(|m| {
                let actions = view
                    .actions_of(m.id)
                    .into_iter()
                    .map(|a| (a.fields.clone(), a.status, a.percent))
                    .collect();
                (m.fields.clone(), actions)
            })
            .collect(),
        reviews: view.reviews.clone(),
        steps: view.steps.clone(),
    }
}

/// What an import would change.
pub fn differences(
    old: &PlanContent,
    new: &PlanContent,
    divisions: &[Division],
) -> Vec<Difference> {
    let mut out = Vec::new();
    let who = |a: &ActionFields| {
        let mut v: Vec<String> = Vec::new();
        if a.all_divisions {
            v.push(ALL_DIVISIONS.into());
        }
        v.extend(
            a.divisions
                .iter()
                .filter_map(|d| divisions.iter().find(|x| x.id == *d))
                .map(|d| d.fields.name.clone()),
        );
        v.join(", ")
    };
    let n = old.measures.len().max(new.measures.len());
    for i in 0..n {
        let label = format!("มาตรการที่ {}", i + 1);
        match (old.measures.get(i), new.measures.get(i)) {
            (Some((om, _)), None) => out.push(Difference {
                item: label,
                kind: "removed",
                field: None,
                old: Some(om.title.clone()),
                new: None,
            }),
            (None, Some((nm, _))) => out.push(Difference {
                item: label,
                kind: "added",
                field: None,
                old: None,
                new: Some(nm.title.clone()),
            }),
            (Some((om, oa)), Some((nm, na))) => {
                let fields: [(&'static str, String, String); 3] = [
                    ("title", om.title.clone(), nm.title.clone()),
                    (
                        "indicators",
                        format!("{:?}", om.indicators),
                        format!("{:?}", nm.indicators),
                    ),
                    (
                        "oit_items",
                        om.oit_items.join(", "),
                        nm.oit_items.join(", "),
                    ),
                ];
                for (f, o, nv) in fields {
                    if o != nv {
                        out.push(Difference {
                            item: label.clone(),
                            kind: "changed",
                            field: Some(f),
                            old: Some(o),
                            new: Some(nv),
                        });
                    }
                }
                for j in 0..oa.len().max(na.len()) {
                    let item = format!("แนวทาง {}.{}", i + 1, j + 1);
                    match (oa.get(j), na.get(j)) {
                        (Some((o, ..)), None) => out.push(Difference {
                            item,
                            kind: "removed",
                            field: None,
                            old: Some(o.text.clone()),
                            new: None,
                        }),
                        (None, Some((nv, ..))) => out.push(Difference {
                            item,
                            kind: "added",
                            field: None,
                            old: None,
                            new: Some(nv.text.clone()),
                        }),
                        (Some((o, ..)), Some((nv, ..))) => {
                            let opt = |v: &Option<String>| v.clone().unwrap_or_default();
                            let period = |a: &ActionFields| {
                                a.period
                                    .map(|p| p.format(Digits::Arabic))
                                    .unwrap_or_default()
                            };
                            let pairs: [(&'static str, String, String); 8] = [
                                ("text", o.text.clone(), nv.text.clone()),
                                ("divisions", who(o), who(nv)),
                                ("period", period(o), period(nv)),
                                (
                                    "recommendation",
                                    opt(&o.recommendation),
                                    opt(&nv.recommendation),
                                ),
                                ("monitoring", opt(&o.monitoring), opt(&nv.monitoring)),
                                ("kpi", opt(&o.kpi), opt(&nv.kpi)),
                                ("target", opt(&o.target), opt(&nv.target)),
                                ("weight", o.weight.to_string(), nv.weight.to_string()),
                            ];
                            for (f, ov, nvv) in pairs {
                                if ov != nvv {
                                    out.push(Difference {
                                        item: item.clone(),
                                        kind: "changed",
                                        field: Some(f),
                                        old: Some(ov),
                                        new: Some(nvv),
                                    });
                                }
                            }
                        }
                        (None, None) => {}
                    }
                }
            }
            (None, None) => {}
        }
    }
    let rows = |sheet: &str, old: Vec<String>, new: Vec<String>, out: &mut Vec<Difference>| {
        for i in 0..old.len().max(new.len()) {
            let item = format!("{sheet} แถว {}", i + 1);
            match (old.get(i), new.get(i)) {
                (Some(o), None) => out.push(Difference {
                    item,
                    kind: "removed",
                    field: None,
                    old: Some(o.clone()),
                    new: None,
                }),
                (None, Some(n)) => out.push(Difference {
                    item,
                    kind: "added",
                    field: None,
                    old: None,
                    new: Some(n.clone()),
                }),
                (Some(o), Some(n)) if o != n => {
                    out.push(Difference {
                        item,
                        kind: "changed",
                        field: None,
                        old: Some(o.clone()),
                        new: Some(n.clone()),
                    });
                }
                _ => {}
            }
        }
    };
    let review_text = |r: &ReviewRow| {
        format!(
            "{} | {} | {} | {}",
            r.indicator, r.issues, r.methods, r.actions_taken
        )
    };
    let step_text = |r: &StepRow| {
        format!(
            "{} | {} | {} | {}",
            r.measure, r.steps, r.responsible, r.monitoring
        )
    };
    rows(
        REVIEW_SHEET,
        old.reviews.iter().map(review_text).collect(),
        new.reviews.iter().map(review_text).collect(),
        &mut out,
    );
    rows(
        STEP_SHEET,
        old.steps.iter().map(step_text).collect(),
        new.steps.iter().map(step_text).collect(),
        &mut out,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{AgencyId, DivisionId};
    use crate::platform::division::DivisionFields;

    fn divisions() -> Vec<Division> {
        let d = |id: i64, name: &str, short: &str| Division {
            id: DivisionId::from_raw(id),
            agency_id: AgencyId::from_raw(1),
            fields: DivisionFields {
                name: name.into(),
                short_name: Some(short.into()),
                name_en: None,
                duties: None,
                phone: None,
                email: None,
                sort_order: 1,
            },
        };
        vec![d(1, "สำนักปลัดเทศบาล", "สำนักปลัดฯ"), d(2, "กองคลัง", "กองคลัง")]
    }

    fn row(n: u32, cells: &[&str]) -> Row {
        let mut v: Vec<String> = cells.iter().map(|c| (*c).to_owned()).collect();
        v.resize(13, String::new());
        (n, v)
    }

    #[test]
    fn rows_become_measures_with_their_actions() {
        let fy = FiscalYear::new(2566).unwrap();
        let rows = [
            row(
                2,
                &[
                    "1",
                    "การปฏิบัติหน้าที่",
                    "1",
                    "O42",
                    "1.1",
                    "เปิดเผยขั้นตอน",
                    "ทุกส่วนราชการ, สำนักปลัดฯ",
                    "ม.ค. 66 - เม.ย. 66",
                ],
            ),
            row(
                3,
                &["1", "", "", "", "1.2", "ประเมินความพึงพอใจ", "กองคลัง", ""],
            ),
            row(
                4,
                &[
                    "๒",
                    "การใช้งบประมาณ",
                    "๒",
                    "",
                    "",
                    "เผยแพร่รายงาน",
                    "กองคลัง",
                    "ต.ค. ๖๕ - ก.ย. ๖๖",
                    "",
                    "",
                    "",
                    "",
                    "3",
                ],
            ),
        ];
        let c = import_rows(&rows, &[], &[], &divisions(), fy).unwrap();
        assert_eq!(c.measures.len(), 2);
        let (m1, a1) = &c.measures[0];
        assert_eq!(
            (m1.title.as_str(), m1.indicators.as_slice()),
            ("การปฏิบัติหน้าที่", &[1u8][..])
        );
        assert_eq!(a1.len(), 2);
        assert!(a1[0].0.all_divisions);
        assert_eq!(a1[0].0.divisions, vec![DivisionId::from_raw(1)]);
        assert_eq!(c.measures[1].1[0].0.weight, 3);
    }

    #[test]
    fn each_bad_cell_is_named() {
        let fy = FiscalYear::new(2566).unwrap();
        let rows = [
            row(2, &["x", "ชื่อ", "", "", "", "ข้อความ"]),
            row(
                3,
                &[
                    "1",
                    "ชื่อ",
                    "11",
                    "Q1",
                    "2.1",
                    "",
                    "กองใหม่",
                    "ม.ค. 2023 - เม.ย. 2023",
                ],
            ),
            row(
                4,
                &[
                    "1",
                    "ชื่ออื่น",
                    "",
                    "",
                    "",
                    "ข้อความ",
                    "",
                    "เม.ย. 66 - ม.ค. 66",
                    "",
                    "",
                    "",
                    "",
                    "0",
                ],
            ),
        ];
        let errors = import_rows(&rows, &[], &[], &divisions(), fy).unwrap_err();
        let found: Vec<(String, ImportProblem)> =
            errors.into_iter().map(|e| (e.cell, e.problem)).collect();
        let expect = [
            ("A2", ImportProblem::NotANumber),
            ("C3", ImportProblem::BadIndicator),
            ("D3", ImportProblem::BadOitItem),
            ("E3", ImportProblem::ActionNumberMismatch),
            ("F3", ImportProblem::Required),
            (
                "G3",
                ImportProblem::UnknownDivision {
                    name: "กองใหม่".into(),
                },
            ),
            ("H3", ImportProblem::ChristianEra { year: 2023 }),
            ("H4", ImportProblem::EndBeforeStart),
            ("M4", ImportProblem::NotANumber),
            ("B4", ImportProblem::TitleMismatch),
        ];
        for (cell, problem) in expect {
            assert!(
                found.contains(&(cell.to_owned(), problem.clone())),
                "{cell} {problem:?} not in {found:?}"
            );
        }
    }

    #[test]
    fn differences_name_what_changes() {
        let fy = FiscalYear::new(2566).unwrap();
        let old = import_rows(
            &[row(2, &["1", "ก", "1", "", "", "เดิม", "กองคลัง"])],
            &[],
            &[],
            &divisions(),
            fy,
        )
        .unwrap();
        let new = import_rows(
            &[
                row(2, &["1", "ก", "1", "", "", "ใหม่", "กองคลัง"]),
                row(3, &["2", "ข", "", "", "", "เพิ่ม"]),
            ],
            &[],
            &[],
            &divisions(),
            fy,
        )
        .unwrap();
        let d = differences(&old, &new, &divisions());
        assert!(d.iter().any(|x| x.item == "แนวทาง 1.1"
            && x.field == Some("text")
            && x.new.as_deref() == Some("ใหม่")));
        assert!(
            d.iter()
                .any(|x| x.item == "มาตรการที่ 2" && x.kind == "added")
        );
        assert!(differences(&old, &old, &divisions()).is_empty());
    }
}
