//! The official ITA results of past years: a list, and a form to enter or correct one year.

use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::Response;
use prongsai_domain::ErrorCode;
use prongsai_domain::FieldErrors;
use prongsai_domain::ita::averages::{Benchmarks, Of};
use prongsai_domain::ita::results::{CsvProblem, csv_rows, parse_csv, to_csv};
use prongsai_domain::ita::{OfficialResult, OfficialResultInput, Score};
use prongsai_domain::platform::Permission;
use serde::Deserialize;

use crate::auth::MemberCtx;
use crate::error::{WebError, WebResult};
use crate::forms::FormFields;
use crate::http::cookies::CookieOut;
use crate::i18n::Tr;
use crate::pages::{Csrf, Flash, Layout, Page, redirect_flash, render, render_invalid};
use crate::platform::office_layout;
use crate::state::AppState;

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    year: String,
}

/// A published result, with what it leads to: the plan of the following fiscal year.
pub struct ResultRow {
    pub r: OfficialResult,
    /// The indicators below the pass mark.
    pub weak: Vec<u8>,
    /// The fiscal year whose measures answer this result.
    pub next_year: i32,
    /// Whether that year already has a plan.
    pub next_plan: bool,
    /// The year's national and provincial average totals, where imported.
    pub national: Option<Score>,
    pub province: Option<Score>,
}

#[derive(Template)]
#[template(path = "ita/results.html")]
struct ResultsPage {
    l: Layout,
    slug: String,
    results: Vec<ResultRow>,
    can_edit: bool,
    f: OfficialResultInput,
    /// (field name, label) of the ten indicators.
    indicator_fields: Vec<(String, String)>,
    e: FieldErrors,
    /// Problems of a refused CSV file: (place, message).
    csv_errors: Vec<(String, String)>,
    /// The fiscal years whose framework ships.
    framework_years: Vec<i32>,
    /// The totals across years, oldest first: (year, hundredths, "80.62", passes).
    trend: Vec<Bar>,
    /// The indicators of the newest result: (label, hundredths, text, passes).
    latest: Vec<Bar>,
    /// Where the pass mark's line goes, in hundredths.
    pass_at: i32,
    /// Recent years scored live, newest first.
    live: Vec<LiveYear>,
    /// Whether any official year has a national / provincial average.
    has_national: bool,
    has_province: bool,
    /// The newest official result's indicators beside the averages of its year, if imported.
    latest_compare: Vec<Compare>,
    /// The newest official result's weakest indicators below the pass mark, lowest first.
    latest_weakest: Vec<String>,
    /// The agency's province, as its profile names it.
    province: String,
}

/// One bar of the dashboard's charts.
pub struct Bar {
    pub label: String,
    pub value: i32,
    pub text: String,
    pub passes: bool,
}

fn page_of(
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    results: Vec<OfficialResult>,
    plan_years: &[i32],
    f: OfficialResultInput,
    e: FieldErrors,
) -> ResultsPage {
    let trend = results
        .iter()
        .rev()
        .map(|r| Bar {
            label: r.fiscal_year.be().to_string(),
            value: r.total.0,
            text: r.total.to_string(),
            passes: r.total.passes(),
        })
        .collect();
    let latest = results
        .first()
        .map(|r| {
            (1..=10u8)
                .filter_map(|n| {
                    let s = r.indicators[usize::from(n) - 1]?;
                    Some(Bar {
                        label: page.tr.indicator(&n),
                        value: s.0,
                        text: s.to_string(),
                        passes: s.passes(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let results = results
        .into_iter()
        .map(|r| {
            let next_year = r.fiscal_year.be() + 1;
            ResultRow {
                weak: (1..=10u8)
                    .filter(|n| r.indicators[usize::from(*n) - 1].is_some_and(|s| !s.passes()))
                    .collect(),
                next_year,
                next_plan: plan_years.contains(&next_year),
                national: None,
                province: None,
                r,
            }
        })
        .collect();
    ResultsPage {
        l: office_layout(page, csrf, m, page.tr.get("ita-results-title"), "measures"),
        slug: m.agency.slug.to_string(),
        results,
        can_edit: m.member.membership.can(Permission::ManageMeasures),
        f,
        indicator_fields: (1..=10u8)
            .map(|i| (format!("i{i}"), page.tr.indicator(&i)))
            .collect(),
        e,
        csv_errors: Vec::new(),
        trend,
        latest,
        pass_at: Score::PASS.0,
        live: Vec::new(),
        framework_years: Vec::new(),
        has_national: false,
        has_province: false,
        latest_compare: Vec::new(),
        latest_weakest: Vec::new(),
        province: m.agency.profile.province.clone(),
    }
}

/// The page with the years that have a framework (shipped or edited).
async fn with_frameworks(state: &AppState, mut p: ResultsPage) -> WebResult<ResultsPage> {
    use prongsai_domain::ita::{national, service as its};
    p.framework_years = its::framework_years(&state.cx).await?;
    let agency = state
        .cx
        .store
        .agency_by_slug(&p.slug)
        .await?
        .ok_or(WebError::NotFound)?;
    let province = agency.profile.province.clone();
    // Every imported average, read once for the years below.
    let sets = state.cx.store.average_sets(None).await?;
    // The official results beside the averages of their years.
    for (k, row) in p.results.iter_mut().enumerate() {
        let b = Benchmarks::pick(&sets, row.r.fiscal_year, &province);
        (row.national, row.province) = b.of(&Of::Total);
        if k == 0 && !b.is_empty() {
            p.latest_compare = (1..=10u8)
                .map(|n| {
                    let ours = row.r.indicators[usize::from(n) - 1];
                    let (national, province) = b.of(&Of::Indicator(n));
                    Compare {
                        label: p.l.t.indicator(&n),
                        now: ours.map(|s| s.to_string()),
                        weak: ours.is_some_and(|s| !s.passes()),
                        national: national.map(|s| s.to_string()),
                        province: province.map(|s| s.to_string()),
                        ..Compare::default()
                    }
                })
                .collect();
        }
    }
    if let Some(row) = p.results.first() {
        p.latest_weakest = weakest(
            (1..=10u8).filter_map(|n| {
                let s = row.r.indicators[usize::from(n) - 1]?;
                Some((p.l.t.indicator(&n), i64::from(s.0), s.to_string()))
            }),
            i64::from(Score::PASS.0),
        );
    }
    p.has_national = p.results.iter().any(|r| r.national.is_some());
    p.has_province = p.results.iter().any(|r| r.province.is_some());
    let current =
        prongsai_thai::FiscalYear::of(prongsai_domain::ita::survey_service::today(&state.cx));
    // This year, and every year with a framework, newest first; the three newest with data.
    let mut years: Vec<prongsai_thai::FiscalYear> = p
        .framework_years
        .iter()
        .filter_map(|y| prongsai_thai::FiscalYear::new(*y).ok())
        .collect();
    if !years.contains(&current) {
        years.push(current);
    }
    years.sort_unstable_by_key(|y| std::cmp::Reverse(y.be()));
    for fy in years {
        if p.live.len() == 3 {
            break;
        }
        let Some(fw) = its::framework_or_latest(&state.cx, fy.be())
            .await
            .map_err(|e| WebError::Internal(Box::new(e)))?
        else {
            continue;
        };
        if fw.fiscal_year != fy.be() && fy != current {
            continue;
        }
        if let Some(report) = national::score_agency(&state.cx, &fw, agency.id, fy).await? {
            let bench = Benchmarks::pick(&sets, fy, &province);
            let text = |s: Option<Score>| s.map(|s| s.to_string());
            let bars = report
                .indicators
                .iter()
                .filter_map(|i| {
                    let text = i.score.clone()?;
                    let value = prongsai_domain::ita::framework::parse_hundredths(&text)?;
                    Some(Bar {
                        label: format!("{}. {}", i.number, i.name_th),
                        value: i32::try_from(value).unwrap_or(0),
                        passes: value >= fw.pass_mark,
                        text,
                    })
                })
                .collect();
            // Against the year before: its official result, else its live score.
            let before = fy.previous();
            let official = before.and_then(|b| p.results.iter().find(|r| r.r.fiscal_year == b));
            let before_live = match (before, official) {
                (Some(b), None) => {
                    let fw_b = its::framework_or_latest(&state.cx, b.be())
                        .await
                        .map_err(|e| WebError::Internal(Box::new(e)))?;
                    match fw_b {
                        Some(f) if f.fiscal_year == b.be() => {
                            national::score_agency(&state.cx, &f, agency.id, b).await?
                        }
                        _ => None,
                    }
                }
                _ => None,
            };
            let compare = report
                .indicators
                .iter()
                .map(|i| {
                    let now = i
                        .score
                        .as_deref()
                        .and_then(prongsai_domain::ita::framework::parse_hundredths);
                    let last = official
                        .and_then(|o| {
                            o.r.indicators
                                .get(usize::from(i.number).saturating_sub(1))
                                .copied()
                                .flatten()
                        })
                        .map(|s| i64::from(s.0))
                        .or_else(|| {
                            before_live.as_ref().and_then(|r| {
                                r.indicators
                                    .iter()
                                    .find(|x| x.number == i.number)
                                    .and_then(|x| x.score.as_deref())
                                    .and_then(prongsai_domain::ita::framework::parse_hundredths)
                            })
                        });
                    let (national, province) = bench.of(&Of::Indicator(i.number));
                    Compare {
                        label: format!("{}. {}", i.number, i.name_th),
                        national: text(national),
                        province: text(province),
                        now: i.score.clone(),
                        last: last.map(prongsai_domain::ita::framework::format_hundredths),
                        change: now.zip(last).map(|(n, l)| {
                            let d = n - l;
                            let sign = if d > 0 { "+" } else { "" };
                            format!(
                                "{sign}{}",
                                prongsai_domain::ita::framework::format_hundredths(d)
                            )
                        }),
                        weak: now.is_some_and(|n| n < fw.pass_mark),
                    }
                })
                .collect();
            // OIT items that fail this year or failed the year before, side by side.
            let now_items = national::item_verdicts(&state.cx, &fw, agency.id, fy).await?;
            let last_items = match before {
                Some(b) => national::item_verdicts(&state.cx, &fw, agency.id, b).await?,
                None => Default::default(),
            };
            // Every item, those failed this year first, then those failed the year before.
            let mut items: Vec<ItemCompare> = fw
                .oit_items
                .iter()
                .map(|i| {
                    let (national, province) = bench.of(&Of::Item(i.code.clone()));
                    ItemCompare {
                        code: i.code.clone(),
                        name: i.name_th.clone(),
                        now: now_items.get(&i.code).copied(),
                        last: last_items.get(&i.code).copied(),
                        national: text(national),
                        province: text(province),
                    }
                })
                .collect();
            items.sort_by_key(|i| (i.now != Some(false), i.last != Some(false)));
            let failed_now = items.iter().filter(|i| i.now == Some(false)).count();
            let items_summary = p.l.t.args(
                "ita-live-items-summary",
                &[
                    ("year", &fy.be().to_string()),
                    (
                        "last",
                        &before.map(|b| b.be().to_string()).unwrap_or_default(),
                    ),
                    ("failed", &failed_now.to_string()),
                ],
            );
            let (total_national, total_province) = bench.of(&Of::Total);
            let weakest = weakest(
                report.indicators.iter().filter_map(|i| {
                    let text = i.score.clone()?;
                    let v = prongsai_domain::ita::framework::parse_hundredths(&text)?;
                    Some((format!("{}. {}", i.number, i.name_th), v, text))
                }),
                fw.pass_mark,
            );
            p.live.push(LiveYear {
                items_summary,
                weakest,
                mark: prongsai_domain::ita::framework::format_hundredths(fw.pass_mark),
                has_national: bench.national.is_some(),
                has_province: bench.province.is_some(),
                total_national: text(total_national),
                total_province: text(total_province),
                year: fy.be(),
                last_year: before.map(|b| b.be()),
                report,
                bars,
                compare,
                items,
            });
        }
    }
    Ok(p)
}

/// The three weakest of (label, hundredths, text) below `mark`, lowest first, as
/// "label text".
fn weakest(scores: impl Iterator<Item = (String, i64, String)>, mark: i64) -> Vec<String> {
    let mut below: Vec<(String, i64, String)> = scores.filter(|(_, v, _)| *v < mark).collect();
    below.sort_by_key(|(_, v, _)| *v);
    below
        .into_iter()
        .take(3)
        .map(|(label, _, text)| format!("{label} {text}"))
        .collect()
}

impl ResultsPage {
    /// The catalog key of an item verdict.
    fn verdict_key(&self, v: &Option<bool>) -> &'static str {
        match v {
            Some(true) => "ita-live-item-passed",
            Some(false) => "ita-live-item-failed",
            None => "ita-live-item-none",
        }
    }

    /// What a partial result is missing, in the reader's language: item codes as they are,
    /// the engine's "indicator N" as the catalog words it.
    fn missing_text(&self, missing: &[String]) -> String {
        missing
            .iter()
            .map(|m| match m.strip_prefix("indicator ") {
                Some(n) => self.l.t.arg("ita-live-indicator", "number", n),
                None => m.clone(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The engine's word for an instrument with no input at all.
    fn no_input(&self, missing: &[String]) -> bool {
        missing.iter().any(|m| m == "no input")
    }
}

/// A year scored from the data in Prongsai (answers, reviewed OIT items), not yet official.
pub struct LiveYear {
    pub year: i32,
    pub last_year: Option<i32>,
    pub report: prongsai_domain::ita::score::ScoreReport,
    pub bars: Vec<Bar>,
    /// Each indicator against the year before.
    pub compare: Vec<Compare>,
    /// Every OIT item, those failed this year first, then those failed the year before.
    pub items: Vec<ItemCompare>,
    /// "Every OIT item of 2567 against 2566: 2 failed in 2567".
    pub items_summary: String,
    /// The pass mark of the year's framework ("85.00").
    pub mark: String,
    /// The weakest indicators below the pass mark, lowest first: "3. การใช้อำนาจ 75.91".
    pub weakest: Vec<String>,
    /// Whether the year has national / provincial averages, and their totals.
    pub has_national: bool,
    pub has_province: bool,
    pub total_national: Option<String>,
    pub total_province: Option<String>,
}

/// An OIT item's verdict this year and the year before (`None`: not reviewed).
pub struct ItemCompare {
    pub code: String,
    pub name: String,
    pub now: Option<bool>,
    pub last: Option<bool>,
    /// The share of agencies passing it, nationally and in the province, where imported.
    pub national: Option<String>,
    pub province: Option<String>,
}

/// One indicator: this year, the year before, the change, and the averages of this year.
#[derive(Default)]
pub struct Compare {
    pub label: String,
    pub now: Option<String>,
    pub last: Option<String>,
    pub change: Option<String>,
    /// Below the pass mark this year.
    pub weak: bool,
    pub national: Option<String>,
    pub province: Option<String>,
}

/// The fiscal years that have a measures plan.
async fn plan_years(state: &AppState, m: &MemberCtx) -> WebResult<Vec<i32>> {
    Ok(state
        .cx
        .store
        .plan_years(m.agency.id)
        .await?
        .into_iter()
        .map(|(y, _)| y.be())
        .collect())
}

pub async fn list_results(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Query(q): Query<YearQuery>,
) -> WebResult<Response> {
    let results = state.cx.store.official_results(m.agency.id).await?;
    let f = results
        .iter()
        .find(|r| r.fiscal_year.be().to_string() == q.year)
        .map(OfficialResultInput::from_result)
        .unwrap_or_default();
    let plans = plan_years(&state, &m).await?;
    let p = page_of(&page, &csrf, &m, results, &plans, f, FieldErrors::new());
    render(&with_frameworks(&state, p).await?)
}

pub async fn save_result(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    m.member
        .require(Permission::ManageMeasures)
        .map_err(WebError::from)?;
    let input = OfficialResultInput {
        fiscal_year: form.get("fiscal_year"),
        total: form.get("total"),
        grade: form.get("grade"),
        indicators: std::array::from_fn(|i| form.get(&format!("i{}", i + 1))),
        source: form.get("source"),
    };
    match input.parse(m.agency.id) {
        Ok(result) => {
            state
                .cx
                .store
                .put_official_result(state.cx.write(&m.member.actor), &result)
                .await?;
            Ok(redirect_flash(
                &out,
                &format!("/a/{}/admin/ita/results", m.agency.slug),
                Flash::Saved,
            ))
        }
        Err(e) => {
            let results = state.cx.store.official_results(m.agency.id).await?;
            let plans = plan_years(&state, &m).await?;
            let p = page_of(&page, &csrf, &m, results, &plans, input, e);
            render_invalid(&with_frameworks(&state, p).await?)
        }
    }
}

/// The largest results file read: a few hundred short rows fit in far less.
const MAX_CSV_BYTES: usize = 256 * 1024;

/// Imports official results from a CSV file: every year of it, or nothing.
/// The one CSV file of an import form (field `file`), or why there is none to read: (place,
/// message) pairs in the reader's language.
pub async fn uploaded_csv(
    mp: axum::extract::Multipart,
    tr: &Tr,
) -> WebResult<Result<Vec<u8>, Vec<(String, String)>>> {
    let (_, files) = crate::forms::read_multipart(mp, "file", 1).await?;
    Ok(match files.into_iter().next() {
        None => Err(vec![(String::new(), tr.error(&ErrorCode::Required))]),
        Some(f) if f.bytes.len() > MAX_CSV_BYTES => Err(vec![(
            f.file_name,
            tr.error(&ErrorCode::FileTooLarge {
                max_bytes: MAX_CSV_BYTES as u64,
            }),
        )]),
        Some(f) => Ok(f.bytes),
    })
}

/// The problems of a CSV file as (place, message) pairs: "line 3, column value" and why.
pub fn problem_texts(tr: &Tr, problems: &[CsvProblem]) -> Vec<(String, String)> {
    problems
        .iter()
        .map(|p| {
            let place = if p.column.is_empty() {
                tr.arg("csv-line", "line", p.line)
            } else {
                tr.arg2("csv-cell", "line", p.line, "column", &p.column)
            };
            (place, tr.error(&p.code))
        })
        .collect()
}

pub async fn import_results(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Extension(out): Extension<CookieOut>,
    mp: axum::extract::Multipart,
) -> WebResult<Response> {
    m.member
        .require(Permission::ManageMeasures)
        .map_err(WebError::from)?;
    let tr = &page.tr;
    let problems = match uploaded_csv(mp, tr).await? {
        Err(problems) => problems,
        Ok(bytes) => match parse_csv(&bytes, m.agency.id) {
            Ok(results) => {
                state
                    .cx
                    .store
                    .put_official_results(state.cx.write(&m.member.actor), &results)
                    .await?;
                return Ok(redirect_flash(
                    &out,
                    &format!("/a/{}/admin/ita/results", m.agency.slug),
                    Flash::Saved,
                ));
            }
            Err(problems) => problem_texts(tr, &problems),
        },
    };
    let results = state.cx.store.official_results(m.agency.id).await?;
    let plans = plan_years(&state, &m).await?;
    let mut p = page_of(
        &page,
        &csrf,
        &m,
        results,
        &plans,
        OfficialResultInput::default(),
        FieldErrors::new(),
    );
    p.csv_errors = problems;
    render_invalid(&with_frameworks(&state, p).await?)
}

/// The official results as a file: `csv` (the format the import reads) or `xlsx`.
async fn export(
    state: &AppState,
    m: &MemberCtx,
    tr: &crate::i18n::Tr,
    xlsx: bool,
) -> WebResult<Response> {
    let results = state.cx.store.official_results(m.agency.id).await?;
    let name = format!("{}-{}", tr.get("file-ita-results"), m.agency.slug);
    if !xlsx {
        return Ok(crate::pages::no_store(crate::pages::download(
            to_csv(&results),
            "text/csv; charset=utf-8",
            &format!("{name}.csv"),
        )));
    }
    let mut rows = csv_rows(&results);
    let headers = rows.remove(0);
    let widths = headers
        .iter()
        .map(|h| if h == "source" { 24.0 } else { 10.0 })
        .collect();
    let sheet = prongsai_sheets::SheetData {
        spec: prongsai_sheets::SheetSpec {
            name: "ITA".into(),
            headers,
            widths,
        },
        rows,
    };
    let bytes = prongsai_sheets::write(&[sheet], &tr.get("ita-results-title"))
        .map_err(|e| WebError::Internal(Box::new(e)))?;
    Ok(crate::pages::no_store(crate::pages::download(
        bytes,
        prongsai_domain::platform::FileKind::Xlsx.content_type(),
        &format!("{name}.xlsx"),
    )))
}

pub async fn export_csv(
    State(state): State<AppState>,
    page: Page,
    m: MemberCtx,
) -> WebResult<Response> {
    export(&state, &m, &page.tr, false).await
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    page: Page,
    m: MemberCtx,
) -> WebResult<Response> {
    export(&state, &m, &page.tr, true).await
}
