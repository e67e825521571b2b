//! Views: the documents with every string made — cleaned text, numbers in the chosen digits,
//! fixed labels. The typst templates receive a view as JSON; the DOCX builder walks the same
//! view, so that the two forms print the same words.

use std::cmp::Ordering;

use prongsai_thai::Digits;
use serde::Serialize;

use crate::labels as l;
use crate::model::{Agency, Announcement, ItaAnalysis, MeasuresReport, Progress, Signer};
use crate::score::Score;
use crate::text::{clean_line, full_date, lines, num, paragraphs, percent};

/// A table cell: its paragraphs.
pub type Cell = Vec<String>;

fn digits_name(d: Digits) -> &'static str {
    match d {
        Digits::Thai => "thai",
        Digits::Arabic => "arabic",
    }
}

/// "อำเภอชุมแพ จังหวัดขอนแก่น", leaving out the empty parts.
fn place(agency: &Agency) -> String {
    let district = clean_line(&agency.district);
    let province = clean_line(&agency.province);
    let mut parts = Vec::new();
    if !district.is_empty() {
        parts.push(format!("{}{district}", l::DISTRICT));
    }
    if !province.is_empty() {
        parts.push(format!("{}{province}", l::PROVINCE));
    }
    parts.join(" ")
}

/// "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖", with a no-break space so that the year never leaves "พ.ศ.".
fn year_line(year: i32, digits: Digits) -> String {
    format!("{}\u{a0}{}", l::FISCAL_YEAR, num(year, digits))
}

#[derive(Debug, Serialize)]
pub struct ReportView {
    pub digits: &'static str,
    pub has_logo: bool,
    pub doc_title: String,
    pub cover_title: Vec<String>,
    pub cover_agency: Vec<String>,
    pub heading: Vec<String>,
    pub introduction: Vec<String>,
    pub measures_header: Vec<&'static str>,
    pub measures: Vec<MeasureView>,
    pub review: Option<ReviewView>,
    pub steps_header: Vec<&'static str>,
    pub steps: Vec<StepView>,
}

/// A row of the steps table. An empty monitoring cell continues the one above, as the merged
/// cell of the seed does: `monitoring_span` is the number of rows the row's monitoring cell
/// covers, 0 for a row whose cell is covered by a row above.
#[derive(Debug, Serialize)]
pub struct StepView {
    pub cells: Vec<Cell>,
    pub monitoring_span: usize,
}

#[derive(Debug, Serialize)]
pub struct MeasureView {
    pub title: String,
    pub percent: Option<String>,
    pub actions: Vec<ActionView>,
    pub responsible: Cell,
    pub period: Cell,
    pub recommendation: Cell,
}

#[derive(Debug, Serialize)]
pub struct ActionView {
    pub number: String,
    pub text: Cell,
    pub progress: Option<ProgressView>,
}

#[derive(Debug, Serialize)]
pub struct ProgressView {
    pub label: &'static str,
    pub status: String,
    /// "(ณ ๑๕ มีนาคม ๒๕๖๖)", kept on one line.
    pub date: Option<String>,
    pub narrative: Cell,
    pub evidence: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ReviewView {
    pub heading: Vec<String>,
    pub introduction: Vec<String>,
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

impl ReportView {
    pub fn new(r: &MeasuresReport) -> Self {
        let d = r.digits;
        let name = clean_line(&r.agency.name);
        let year = year_line(r.fiscal_year, d);
        let place = place(&r.agency);
        let measures = r
            .measures
            .iter()
            .map(|m| MeasureView {
                title: format!("{}. {}", num(m.number, d), clean_line(&m.title)),
                percent: m
                    .percent
                    .map(|p| format!("{} {}", l::PROGRESS_OF_MEASURE, percent(p, d))),
                actions: m
                    .actions
                    .iter()
                    .map(|a| ActionView {
                        number: format!("{}.{}", num(m.number, d), num(a.number, d)),
                        text: paragraphs(&a.text),
                        progress: a.progress.as_ref().map(|p| progress(p, d)),
                    })
                    .collect(),
                responsible: lines(&m.responsible),
                period: paragraphs(&d.apply(&m.period)),
                recommendation: paragraphs(&m.recommendation),
            })
            .collect();
        let review = r.review.as_ref().map(|v| ReviewView {
            heading: vec![
                [format!("{}{name}", l::REVIEW_HEADING), place.clone()]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
                year_line(v.fiscal_year, d),
            ],
            introduction: paragraphs(&v.introduction),
            header: l::REVIEW_HEADER.to_vec(),
            rows: v
                .rows
                .iter()
                .map(|row| {
                    vec![
                        paragraphs(&row.indicator),
                        paragraphs(&row.issues),
                        paragraphs(&row.methods),
                        paragraphs(&row.actions_taken),
                    ]
                })
                .collect(),
        });
        let cells: Vec<Vec<Cell>> = r
            .steps
            .iter()
            .map(|s| {
                vec![
                    paragraphs(&s.measure),
                    paragraphs(&s.steps),
                    paragraphs(&s.responsible),
                    paragraphs(&s.monitoring),
                ]
            })
            .collect();
        let mut spans = vec![0; cells.len()];
        let mut start = 0;
        for (i, row) in cells.iter().enumerate() {
            if i == 0 || !row[3].is_empty() {
                start = i;
            }
            spans[start] += 1;
        }
        let steps = cells
            .into_iter()
            .zip(spans)
            .map(|(cells, monitoring_span)| StepView {
                cells,
                monitoring_span,
            })
            .collect();
        Self {
            digits: digits_name(d),
            has_logo: r.agency.logo.is_some(),
            doc_title: format!("{}ของ{name} {year}", l::REPORT_TITLE),
            cover_title: vec![
                l::REPORT_TITLE_LINES[0].to_owned(),
                format!("{}ของ{name}", l::REPORT_TITLE_LINES[1]),
                year.clone(),
            ],
            cover_agency: [name.clone(), place]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect(),
            heading: vec![format!("{}ของ{name}", l::REPORT_TITLE), year],
            introduction: paragraphs(&r.introduction),
            measures_header: l::MEASURES_HEADER.to_vec(),
            measures,
            review,
            steps_header: l::STEPS_HEADER.to_vec(),
            steps,
        }
    }
}

fn progress(p: &Progress, d: Digits) -> ProgressView {
    let mut status = clean_line(&p.status);
    if let Some(pc) = p.percent {
        if !status.is_empty() {
            status.push(' ');
        }
        status.push_str(&format!("{} {}", l::PERCENT_WORD, num(pc.min(100), d)));
    }
    let evidence = lines(&p.evidence);
    ProgressView {
        label: l::PROGRESS_LABEL,
        status,
        date: p
            .reported_on
            .map(|on| format!("({} {})", l::AS_OF, full_date(on, d))),
        narrative: paragraphs(&p.narrative),
        evidence: (!evidence.is_empty())
            .then(|| format!("{} {}", l::EVIDENCE_LABEL, evidence.join(", "))),
    }
}

#[derive(Debug, Serialize)]
pub struct AnnouncementView {
    pub digits: &'static str,
    pub has_logo: bool,
    pub doc_title: String,
    pub title: Vec<String>,
    pub preamble: Vec<String>,
    pub measures: Vec<AnnouncedMeasureView>,
    pub closing: Vec<String>,
    pub date_line: String,
    pub signer: SignerView,
}

#[derive(Debug, Serialize)]
pub struct AnnouncedMeasureView {
    pub title: String,
    pub actions: Vec<(String, Cell)>,
}

#[derive(Debug, Serialize)]
pub struct SignerView {
    pub name: String,
    pub position: Vec<String>,
}

impl SignerView {
    fn new(s: &Signer) -> Self {
        let name = clean_line(&s.name);
        Self {
            name: if name.is_empty() {
                String::new()
            } else {
                format!("({name})")
            },
            position: lines(&s.position),
        }
    }
}

impl AnnouncementView {
    pub fn new(a: &Announcement) -> Self {
        let d = a.digits;
        let name = clean_line(&a.agency.name);
        let mut title = vec![
            format!("{}{name}", l::ANNOUNCEMENT),
            l::ANNOUNCEMENT_SUBJECT.to_owned(),
        ];
        if let Some(y) = a.fiscal_year {
            title.push(year_line(y, d));
        }
        let closing = match paragraphs(&a.closing) {
            c if c.is_empty() => vec![l::ANNOUNCEMENT_CLOSING.to_owned()],
            c => c,
        };
        let date_line = match a.announced_on {
            Some(on) => format!(
                "{} {} {} {} {}",
                l::ANNOUNCED_ON,
                num(on.day(), d),
                prongsai_thai::month_full(on.month()),
                l::BE,
                num(on.year() + prongsai_thai::BE_OFFSET, d)
            ),
            None => l::ANNOUNCED_ON_BLANK.to_owned(),
        };
        Self {
            digits: digits_name(d),
            has_logo: a.agency.logo.is_some(),
            doc_title: title.join(" "),
            title,
            preamble: paragraphs(&a.preamble),
            measures: a
                .measures
                .iter()
                .map(|m| AnnouncedMeasureView {
                    title: format!("{}. {}", num(m.number, d), clean_line(&m.title)),
                    actions: m
                        .actions
                        .iter()
                        .map(|(n, t)| {
                            (format!("{}.{}", num(m.number, d), num(n, d)), paragraphs(t))
                        })
                        .collect(),
                })
                .collect(),
            closing,
            date_line,
            signer: SignerView::new(&a.signer),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ItaView {
    pub digits: &'static str,
    pub has_logo: bool,
    pub doc_title: String,
    pub title: Vec<String>,
    pub agency: Vec<String>,
    pub sections: [String; 5],
    pub facts: Vec<(String, String)>,
    pub passed: bool,
    pub summary: Vec<String>,
    pub table_header: Vec<String>,
    pub rows: Vec<IndicatorRow>,
    pub total_row: IndicatorRow,
    pub chart: ChartView,
    pub weakest_intro: String,
    pub weakest: Vec<String>,
    pub recommendations: Vec<(String, Cell)>,
}

#[derive(Debug, Serialize)]
pub struct IndicatorRow {
    pub label: String,
    pub score: String,
    pub previous: String,
    pub change: String,
    pub verdict: String,
    pub passes: bool,
}

#[derive(Debug, Serialize)]
pub struct ChartView {
    pub bars: Vec<Bar>,
    /// Grid lines: (hundredths, label).
    pub ticks: Vec<(u32, String)>,
    pub pass_at: u32,
    pub legend: Vec<(String, &'static str)>,
    pub has_previous: bool,
}

#[derive(Debug, Serialize)]
pub struct Bar {
    pub label: String,
    pub value: u32,
    pub text: String,
    pub previous: Option<u32>,
    pub passes: bool,
}

fn verdict(s: Score) -> String {
    if s.passes() { l::PASS } else { l::FAIL }.to_owned()
}

impl ItaView {
    pub fn new(a: &ItaAnalysis) -> Self {
        let d = a.digits;
        let name = clean_line(&a.agency.name);
        let year = num(a.fiscal_year, d);
        let prev_year = num(a.fiscal_year.saturating_sub(1), d);
        let pass = Score::PASS_MARK.format(d);
        let pass_whole = num(Score::PASS_MARK.hundredths() / 100, d);
        let has_previous = a.indicators.iter().any(|i| i.previous.is_some());
        let indicator_label = |number: u32, name: &str| {
            format!("{} {} {}", l::INDICATOR, num(number, d), clean_line(name))
        };
        let change = |now: Score, then: Option<Score>| {
            then.map(|t| now.change_from(t, d))
                .unwrap_or_else(|| "–".into())
        };
        let rows: Vec<IndicatorRow> = a
            .indicators
            .iter()
            .map(|i| IndicatorRow {
                label: format!("{}. {}", num(i.number, d), clean_line(&i.name)),
                score: i.score.format(d),
                previous: i
                    .previous
                    .map(|p| p.format(d))
                    .unwrap_or_else(|| "–".into()),
                change: change(i.score, i.previous),
                verdict: verdict(i.score),
                passes: i.score.passes(),
            })
            .collect();
        let total_row = IndicatorRow {
            label: l::TOTAL_SCORE.into(),
            score: a.total.format(d),
            previous: a
                .previous_total
                .map(|p| p.format(d))
                .unwrap_or_else(|| "–".into()),
            change: change(a.total, a.previous_total),
            verdict: verdict(a.total),
            passes: a.total.passes(),
        };

        let mut facts = vec![
            (
                l::TOTAL_SCORE.to_owned(),
                format!("{} {}", a.total.format(d), l::POINTS),
            ),
            (l::GRADE.to_owned(), clean_line(&a.grade)),
            (
                format!("{} ({pass} {})", l::AGAINST_PASS_MARK, l::POINTS),
                if a.total.passes() {
                    l::PASSED_LONG
                } else {
                    l::FAILED_LONG
                }
                .to_owned(),
            ),
        ];
        if let Some(prev) = a.previous_total {
            let label = format!(
                "{} {prev_year} ({} {})",
                l::COMPARED_WITH,
                prev.format(d),
                l::POINTS
            );
            let amount = a.total.change_from(prev, d);
            let amount = amount.trim_start_matches(['+', '-']);
            let value = match a.total.cmp(&prev) {
                Ordering::Greater => format!("{} {amount} {}", l::ROSE, l::POINTS),
                Ordering::Less => format!("{} {amount} {}", l::FELL, l::POINTS),
                Ordering::Equal => l::UNCHANGED.to_owned(),
            };
            facts.push((label, value));
        }

        let mut ranked: Vec<_> = a.indicators.iter().collect();
        ranked.sort_by_key(|i| (i.score, i.number));
        let below: Vec<_> = ranked
            .iter()
            .filter(|i| !i.score.passes())
            .copied()
            .collect();
        let weakest: Vec<_> = match a.weakest_count {
            0 if below.is_empty() => ranked.iter().take(3).copied().collect(),
            0 => below,
            n => ranked.iter().take(n).copied().collect(),
        };

        let chart = ChartView {
            bars: a
                .indicators
                .iter()
                .map(|i| Bar {
                    label: format!("{}. {}", num(i.number, d), clean_line(&i.name)),
                    value: i.score.hundredths(),
                    text: i.score.format(d),
                    previous: i.previous.map(Score::hundredths),
                    passes: i.score.passes(),
                })
                .collect(),
            ticks: (0..=5).map(|k| (k * 2000, num(k * 20, d))).collect(),
            pass_at: Score::PASS_MARK.hundredths(),
            legend: {
                let mut v = vec![
                    (format!("{} {year} {}", l::YEAR, l::LEGEND_PASS), "pass"),
                    (format!("{} {year} {}", l::YEAR, l::LEGEND_FAIL), "fail"),
                ];
                if has_previous {
                    v.push((format!("{} {prev_year}", l::YEAR), "previous"));
                }
                v.push((
                    format!("{} {pass_whole} {}", l::PASS_MARK, l::POINTS),
                    "mark",
                ));
                v
            },
            has_previous,
        };

        let section = |n: u32, s: &str| format!("{}. {s}", num(n, d));
        Self {
            digits: digits_name(d),
            has_logo: a.agency.logo.is_some(),
            doc_title: format!(
                "{}{} {}",
                l::ITA_TITLE[0],
                l::ITA_TITLE[1],
                year_line(a.fiscal_year, d)
            ),
            title: vec![
                l::ITA_TITLE[0].to_owned(),
                l::ITA_TITLE[1].to_owned(),
                year_line(a.fiscal_year, d),
            ],
            agency: vec![
                [name, place(&a.agency)]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
            ],
            sections: [
                section(1, l::ITA_SECTION_SUMMARY),
                section(2, l::ITA_SECTION_TABLE),
                section(3, l::ITA_SECTION_CHART),
                section(4, l::ITA_SECTION_WEAKEST),
                section(5, l::ITA_SECTION_RECOMMENDATIONS),
            ],
            facts,
            passed: a.total.passes(),
            summary: paragraphs(&a.summary),
            table_header: vec![
                l::INDICATOR_COLUMN.to_owned(),
                format!("{} {year}", l::YEAR),
                format!("{} {prev_year}", l::YEAR),
                l::CHANGE.to_owned(),
                l::AGAINST_PASS_MARK.to_owned(),
            ],
            rows,
            total_row,
            chart,
            weakest_intro: if weakest.iter().any(|i| !i.score.passes()) {
                format!(
                    "{} {pass_whole} {} {}",
                    l::WEAKEST_BELOW,
                    l::POINTS,
                    l::NAMELY
                )
            } else {
                l::WEAKEST_LOWEST.to_owned()
            },
            weakest: weakest
                .iter()
                .map(|i| {
                    format!(
                        "{} – {} {}",
                        indicator_label(i.number, &i.name),
                        i.score.format(d),
                        l::POINTS
                    )
                })
                .collect(),
            recommendations: a
                .recommendations
                .iter()
                .enumerate()
                .map(|(k, r)| {
                    let n = u32::try_from(k + 1).unwrap_or(u32::MAX);
                    (
                        format!("{}. {}", num(n, d), clean_line(&r.title)),
                        paragraphs(&r.text),
                    )
                })
                .collect(),
        }
    }
}
