//! The platform operator's framework editor: the frameworks of every year (shipped or edited),
//! copying a year to another, and forms that edit a year's values section by section. Every
//! save goes through `ita::service::edit_framework`, which checks the operator, re-validates the
//! whole framework and audits the change on the platform chain.

use std::collections::BTreeMap;

use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use prongsai_domain::ita::edit::{EditRefused, FieldProblem, NewOitItem};
use prongsai_domain::ita::framework::{self as fw, Framework};
use prongsai_domain::ita::service::{
    self, EffectiveFramework, FrameworkEditError, FrameworkLoadError, Origin,
};
use prongsai_domain::platform::Change;
use prongsai_domain::platform::account::Account;

use crate::auth::{CurrentUser, SignedIn};
use crate::error::{WebError, WebResult};
use crate::forms::FormFields;
use crate::http::cookies::CookieOut;
use crate::i18n::Tr;
use crate::pages::{
    Csrf, Flash, Layout, NavLink, Page, UserNav, download, redirect_flash, render, render_invalid,
};
use crate::state::AppState;

impl From<FrameworkLoadError> for WebError {
    fn from(e: FrameworkLoadError) -> Self {
        match e {
            FrameworkLoadError::Store(s) => s.into(),
            FrameworkLoadError::Invalid(f) => Self::Internal(Box::new(f)),
        }
    }
}

/// The sections of the editor: (path segment, catalog key).
const SECTIONS: [(&str, &str); 4] = [
    ("points", "fw-section-points"),
    ("scales", "fw-section-scales"),
    ("questions", "fw-section-questions"),
    ("oit", "fw-section-oit"),
];

/// The confidence tags, in order.
const TAGS: [&str; 5] = ["V", "S", "D", "W", "U"];

/// Where a year's framework comes from, in words: "shipped file" or "edited copy, version 3,
/// saved by … on …".
pub fn origin_text(tr: &Tr, e: &EffectiveFramework) -> String {
    match &e.origin {
        Origin::Shipped => tr.get("fw-origin-shipped"),
        Origin::Edited {
            version,
            based_on,
            updated_at,
            updated_by,
        } => tr.args(
            "fw-origin-edited",
            &[
                ("version", &version.to_string()),
                ("based_on", &based_on.to_string()),
                ("by", updated_by),
                ("at", &tr.datetime(updated_at)),
            ],
        ),
    }
}

/// The operator's pages share this header: the agencies, the national ITA overview, the
/// frameworks and the reference averages; `current` is the href of the page shown.
pub(crate) fn operator_layout(
    page: &Page,
    csrf: &Csrf,
    u: &CurrentUser,
    title: String,
    current: &str,
) -> Layout {
    let mut l = Layout::new(page, title).csrf(csrf);
    l.user = Some(UserNav {
        name: u.account.display_name.clone(),
        is_operator: true,
    });
    l.nav = [
        ("/platform/agencies", "operator-title"),
        ("/platform/ita", "overview-nav"),
        ("/platform/ita/frameworks", "fw-list-title"),
        ("/platform/ita/averages", "avg-title"),
    ]
    .into_iter()
    .map(|(href, key)| NavLink {
        href: href.into(),
        label: page.tr.get(key),
        current: href == current,
    })
    .collect();
    l
}

pub(crate) fn operator(u: &CurrentUser) -> WebResult<()> {
    if u.account.is_platform_operator {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

fn year_of(raw: &str) -> WebResult<i32> {
    raw.parse::<i32>().map_err(|_| WebError::NotFound)
}

// ---------------------------------------------------------------------------------------------
// The list of years, and copying one.

/// A year in the operator's list.
pub struct YearRow {
    pub year: i32,
    pub origin: String,
    pub edited: bool,
    pub assumptions: usize,
}

#[derive(Template)]
#[template(path = "ita/frameworks.html")]
struct ListPage {
    l: Layout,
    rows: Vec<YearRow>,
    years: Vec<i32>,
    from: String,
    to: String,
    /// Why the copy was refused, in the user's language.
    error: Option<String>,
}

async fn list_page(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    u: &CurrentUser,
) -> WebResult<ListPage> {
    let years = service::framework_years(&state.cx).await?;
    let mut rows = Vec::new();
    for y in &years {
        if let Some(e) = service::effective(&state.cx, *y).await? {
            rows.push(YearRow {
                year: *y,
                origin: origin_text(&page.tr, &e),
                edited: e.version() > 0,
                assumptions: e.framework.assumptions().len(),
            });
        }
    }
    Ok(ListPage {
        l: operator_layout(
            page,
            csrf,
            u,
            page.tr.get("fw-list-title"),
            "/platform/ita/frameworks",
        ),
        rows,
        from: years.last().map(ToString::to_string).unwrap_or_default(),
        to: years
            .last()
            .map(|y| (y + 1).to_string())
            .unwrap_or_default(),
        years,
        error: None,
    })
}

pub async fn list_frameworks(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    SignedIn(u): SignedIn,
) -> WebResult<Response> {
    operator(&u)?;
    render(&list_page(&state, &page, &csrf, &u).await?)
}

pub async fn clone_framework(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    SignedIn(u): SignedIn,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    operator(&u)?;
    let from = form.get("from");
    let to = prongsai_thai::to_arabic_digits(form.get("to").trim());
    let actor = prongsai_domain::platform::Actor::account(u.account.id, &u.account.email);
    let error = match (from.trim().parse::<i32>(), to.parse::<i32>()) {
        (Ok(f), Ok(t)) => {
            match service::clone_framework(&state.cx, &actor, &u.account, f, t).await {
                Ok(()) => {
                    return Ok(redirect_flash(
                        &out,
                        &format!("/platform/ita/frameworks/{t}/edit/points"),
                        Flash::Created,
                    ));
                }
                Err(FrameworkEditError::Forbidden) => return Err(WebError::Forbidden),
                Err(FrameworkEditError::NotFound) => page.tr.arg("fw-clone-no-source", "year", f),
                Err(FrameworkEditError::BadYear) => page.tr.get("fw-clone-bad-year"),
                Err(FrameworkEditError::Exists) => page.tr.arg("fw-clone-exists", "year", t),
                Err(FrameworkEditError::Load(e)) => return Err(e.into()),
                Err(FrameworkEditError::Store(e)) => return Err(e.into()),
                Err(other) => return Err(WebError::Internal(Box::new(other))),
            }
        }
        (Err(_), _) => page.tr.get("fw-clone-no-source-year"),
        (_, Err(_)) => page.tr.get("fw-clone-bad-year"),
    };
    let mut p = list_page(&state, &page, &csrf, &u).await?;
    p.from = from;
    p.to = to;
    p.error = Some(error);
    render_invalid(&p)
}

pub async fn download_operator(
    State(state): State<AppState>,
    SignedIn(u): SignedIn,
    Path(year): Path<String>,
) -> WebResult<Response> {
    operator(&u)?;
    toml_download(&state, year_of(&year)?).await
}

/// The TOML text of a year's framework, as `prongsai ita score --framework FILE` reads it.
pub async fn toml_download(state: &AppState, year: i32) -> WebResult<Response> {
    let e = service::effective(&state.cx, year)
        .await?
        .ok_or(WebError::NotFound)?;
    let name = match e.version() {
        0 => e.file_name(),
        v => format!("ita-{year}-v{v}.toml"),
    };
    Ok(download(
        e.text.into_bytes(),
        "application/toml; charset=utf-8",
        &name,
    ))
}

// ---------------------------------------------------------------------------------------------
// The editor.

/// One input of the editor.
pub struct Input {
    /// The form field name (`question.I5.text_th`), also the name in the audit log.
    pub name: String,
    pub label: String,
    pub value: String,
    /// `number`, `text`, `textarea`, `tag` or `group`.
    pub kind: &'static str,
    pub error: Option<String>,
}

/// An entry of the framework in the editor (an indicator, a scale, a question, an item).
pub struct Entry {
    pub id: String,
    pub title: String,
    pub assumed: bool,
    pub inputs: Vec<Input>,
}

#[derive(Template)]
#[template(path = "ita/framework_edit.html")]
struct EditPage {
    l: Layout,
    year: i32,
    section: &'static str,
    /// (path segment, label) of every section.
    sections: Vec<(&'static str, String)>,
    version: i64,
    origin: String,
    entries: Vec<Entry>,
    /// (field name or "" for a rule of the whole framework, where it is in words, message) for
    /// the summary at the top.
    problems: Vec<(String, String, String)>,
    /// (tag, label) for the confidence selects.
    tags: Vec<(&'static str, String)>,
    /// (code, "9.1 ข้อมูลพื้นฐาน") for the OIT group selects.
    groups: Vec<(String, String)>,
    /// What the framework assumes (as on the framework page): (what, note).
    assumptions: Vec<(String, String)>,
    /// The latest changes: (when, who, the changes).
    history: Vec<(String, String, Vec<Change>)>,
    /// The form that adds an OIT item (on the OIT section): its inputs.
    new_item: Vec<Input>,
}

/// The values of the form: what was typed, else the framework's.
struct Values<'a> {
    typed: &'a BTreeMap<String, String>,
    errors: &'a BTreeMap<String, String>,
}

impl Values<'_> {
    fn input(&self, name: String, label: String, current: String, kind: &'static str) -> Input {
        Input {
            value: self.typed.get(&name).cloned().unwrap_or(current),
            error: self.errors.get(&name).cloned(),
            name,
            label,
            kind,
        }
    }

    /// An instrument's or indicator's inputs: its name, its points, its tag and note.
    fn share(
        &self,
        tr: &Tr,
        prefix: &str,
        name: &str,
        points: fw::Hundredths,
        c: fw::Confidence,
        note: &str,
    ) -> Vec<Input> {
        let mut inputs = vec![
            self.input(
                format!("{prefix}.name_th"),
                tr.get("fw-field-name"),
                name.to_owned(),
                "text",
            ),
            self.input(
                format!("{prefix}.points"),
                tr.get("fw-field-points"),
                fw::format_hundredths(points),
                "number",
            ),
        ];
        inputs.extend(self.tag_and_note(tr, prefix, c, note));
        inputs
    }

    /// The confidence tag and the note of an entry.
    fn tag_and_note(&self, tr: &Tr, prefix: &str, c: fw::Confidence, note: &str) -> [Input; 2] {
        [
            self.input(
                format!("{prefix}.confidence"),
                tr.get("fw-field-tag"),
                format!("{c:?}"),
                "tag",
            ),
            self.input(
                format!("{prefix}.note"),
                tr.get("fw-field-note"),
                note.to_owned(),
                "text",
            ),
        ]
    }
}

fn entries(tr: &Tr, f: &Framework, section: &str, v: &Values<'_>) -> Vec<Entry> {
    let pts = |h: i64| fw::format_hundredths(h);
    let mut out = Vec::new();
    match section {
        "points" => {
            let p = format!("pass.{}", prongsai_domain::ita::edit::PASS_KEY);
            out.push(Entry {
                id: p.clone(),
                title: tr.get("fw-pass"),
                assumed: f.pass_confidence.is_assumption(),
                inputs: vec![
                    v.input(
                        format!("{p}.min_total"),
                        tr.get("fw-field-pass-mark"),
                        pts(f.pass_mark),
                        "number",
                    ),
                    v.input(
                        format!("{p}.national_share"),
                        tr.get("fw-field-national-share"),
                        f.national_share.map(pts).unwrap_or_default(),
                        "number",
                    ),
                    v.input(
                        format!("{p}.national_target"),
                        tr.get("fw-field-national-target"),
                        f.national_target.clone(),
                        "text",
                    ),
                    v.input(
                        format!("{p}.confidence"),
                        tr.get("fw-field-tag"),
                        format!("{:?}", f.pass_confidence),
                        "tag",
                    ),
                ],
            });
            for i in &f.instruments {
                let p = format!("instrument.{}", i.code.as_str());
                let inputs = v.share(tr, &p, &i.name_th, i.points, i.confidence, &i.note);
                out.push(Entry {
                    id: p.clone(),
                    title: format!("{} {}", i.code.as_str(), i.name_th),
                    assumed: i.confidence.is_assumption(),
                    inputs,
                });
            }
            for i in &f.indicators {
                let p = format!("indicator.{}", i.number);
                let inputs = v.share(tr, &p, &i.name_th, i.points, i.confidence, &i.note);
                out.push(Entry {
                    id: p.clone(),
                    title: format!("{}. {} ({})", i.number, i.name_th, i.instrument.as_str()),
                    assumed: i.confidence.is_assumption(),
                    inputs,
                });
            }
            for g in &f.grades {
                let p = format!("grade.{}", g.grade);
                let mut inputs = vec![
                    v.input(
                        format!("{p}.min"),
                        tr.get("fw-field-min"),
                        pts(g.min),
                        "number",
                    ),
                    v.input(
                        format!("{p}.max"),
                        tr.get("fw-field-max"),
                        pts(g.max),
                        "number",
                    ),
                ];
                inputs.extend(v.tag_and_note(tr, &p, g.confidence, &g.note));
                out.push(Entry {
                    id: p.clone(),
                    title: tr.arg("fw-grade", "grade", &g.grade),
                    assumed: g.confidence.is_assumption(),
                    inputs,
                });
            }
            for (code, r) in &f.samples {
                let p = format!("sample.{}", code.as_str());
                let mut inputs = vec![
                    v.input(
                        format!("{p}.percent"),
                        tr.get("fw-field-sample-percent"),
                        pts(r.percent),
                        "number",
                    ),
                    v.input(
                        format!("{p}.at_least"),
                        tr.get("fw-field-sample-at-least"),
                        r.at_least.to_string(),
                        "number",
                    ),
                    v.input(
                        format!("{p}.at_most"),
                        tr.get("fw-field-sample-at-most"),
                        r.at_most.map(|n| n.to_string()).unwrap_or_default(),
                        "number",
                    ),
                ];
                inputs.extend(v.tag_and_note(tr, &p, r.confidence, &r.note));
                out.push(Entry {
                    id: p.clone(),
                    title: tr.arg("fw-sample", "instrument", code.as_str()),
                    assumed: r.confidence.is_assumption(),
                    inputs,
                });
            }
        }
        "scales" => {
            for (name, s) in &f.scales {
                let p = format!("scale.{name}");
                let mut inputs: Vec<Input> = s
                    .labels
                    .iter()
                    .zip(&s.values)
                    .enumerate()
                    .map(|(k, (label, value))| {
                        v.input(
                            format!("{p}.values.{k}"),
                            tr.arg("fw-field-value", "label", label),
                            pts(*value),
                            "number",
                        )
                    })
                    .collect();
                inputs.extend(v.tag_and_note(tr, &p, s.confidence, &s.note));
                out.push(Entry {
                    id: p.clone(),
                    title: s.labels.join(" / "),
                    assumed: s.confidence.is_assumption(),
                    inputs,
                });
            }
        }
        "questions" => {
            for q in &f.questions {
                let p = format!("question.{}", q.code);
                let mut inputs = vec![v.input(
                    format!("{p}.text_th"),
                    tr.get("fw-field-text"),
                    q.text_th.clone(),
                    "textarea",
                )];
                // A question of one field is answered as a whole: its text is enough.
                let subs = if q.fields > 1 {
                    usize::from(q.fields)
                } else {
                    0
                };
                for k in 0..subs {
                    inputs.push(v.input(
                        format!("{p}.fields_th.{k}"),
                        tr.arg("fw-field-sub", "n", k + 1),
                        q.fields_th.get(k).cloned().unwrap_or_default(),
                        "text",
                    ));
                }
                inputs.extend(v.tag_and_note(tr, &p, q.confidence, &q.note));
                out.push(Entry {
                    id: p.clone(),
                    title: tr.args(
                        "fw-question",
                        &[
                            ("code", &q.code),
                            ("indicator", &q.indicator.to_string()),
                            ("scale", &q.scale),
                        ],
                    ),
                    assumed: q.confidence.is_assumption(),
                    inputs,
                });
            }
        }
        _ => {
            for g in &f.oit_groups {
                let p = format!("oit_group.{}", g.code);
                out.push(Entry {
                    id: p.clone(),
                    title: tr.args(
                        "fw-oit-group",
                        &[("code", &g.code), ("indicator", &g.indicator.to_string())],
                    ),
                    assumed: g.confidence.is_assumption(),
                    inputs: vec![
                        v.input(
                            format!("{p}.name_th"),
                            tr.get("fw-field-name"),
                            g.name_th.clone(),
                            "text",
                        ),
                        v.input(
                            format!("{p}.confidence"),
                            tr.get("fw-field-tag"),
                            format!("{:?}", g.confidence),
                            "tag",
                        ),
                    ],
                });
            }
            for it in &f.oit_items {
                let p = format!("oit_item.{}", it.code);
                let mut inputs = vec![
                    v.input(
                        format!("{p}.name_th"),
                        tr.get("fw-field-name"),
                        it.name_th.clone(),
                        "text",
                    ),
                    v.input(
                        format!("{p}.group"),
                        tr.get("fw-field-group"),
                        it.group.clone(),
                        "group",
                    ),
                    v.input(
                        format!("{p}.evidence_th"),
                        tr.get("fw-field-evidence"),
                        it.evidence_th.clone(),
                        "textarea",
                    ),
                ];
                inputs.extend(v.tag_and_note(tr, &p, it.confidence, &it.note));
                out.push(Entry {
                    id: p.clone(),
                    title: format!("{} {}", it.code, it.name_th),
                    assumed: it.confidence.is_assumption(),
                    inputs,
                });
            }
        }
    }
    out
}

fn section_of(raw: &str) -> WebResult<&'static str> {
    SECTIONS
        .iter()
        .find(|(s, _)| *s == raw)
        .map(|(s, _)| *s)
        .ok_or(WebError::NotFound)
}

/// A submitted form: the version it was opened at, what was typed, and the problems found.
#[derive(Default)]
struct Submitted {
    /// The latest changes to the framework, for the history at the bottom.
    history: Vec<(String, String, Vec<Change>)>,
    /// The OIT item being added, as typed.
    new_item: NewOitItem,
    version: Option<i64>,
    typed: BTreeMap<String, String>,
    field_errors: BTreeMap<String, String>,
    problems: Vec<(String, String)>,
}

/// The editor page of a section.
fn edit_page(
    page: &Page,
    csrf: &Csrf,
    u: &CurrentUser,
    e: &EffectiveFramework,
    section: &'static str,
    s: Submitted,
) -> EditPage {
    let f = &e.framework;
    let tr = &page.tr;
    let values = Values {
        typed: &s.typed,
        errors: &s.field_errors,
    };
    let entries = entries(tr, f, section, &values);
    let new_item = vec![
        values.input(
            NewOitItem::CODE.into(),
            tr.get("fw-new-item-code"),
            s.new_item.code.clone(),
            "text",
        ),
        values.input(
            NewOitItem::GROUP.into(),
            tr.get("fw-field-group"),
            s.new_item.group.clone(),
            "group",
        ),
        values.input(
            NewOitItem::NAME.into(),
            tr.get("fw-field-name"),
            s.new_item.name_th.clone(),
            "text",
        ),
    ];
    // Each refused field named as the form shows it: "I1 … · ข้อความคำถาม".
    let problems = s
        .problems
        .into_iter()
        .map(|(field, message)| {
            let place = entries
                .iter()
                .find_map(|en| {
                    en.inputs
                        .iter()
                        .find(|i| i.name == field)
                        .map(|i| format!("{} · {}", en.title, i.label))
                })
                .or_else(|| {
                    new_item
                        .iter()
                        .find(|i| i.name == field)
                        .map(|i| format!("{} · {}", tr.get("fw-new-item"), i.label))
                })
                .unwrap_or_else(|| field.clone());
            (field, place, message)
        })
        .collect();
    EditPage {
        l: operator_layout(
            page,
            csrf,
            u,
            tr.arg("fw-edit-title", "year", f.fiscal_year),
            "/platform/ita/frameworks",
        ),
        year: f.fiscal_year,
        section,
        sections: SECTIONS.iter().map(|(s, k)| (*s, tr.get(k))).collect(),
        version: s.version.unwrap_or_else(|| e.version()),
        origin: origin_text(tr, e),
        entries,
        problems,
        tags: TAGS
            .iter()
            .map(|t| (*t, tr.get(&format!("fw-tag-{}", t.to_lowercase()))))
            .collect(),
        groups: f
            .oit_groups
            .iter()
            .map(|g| (g.code.clone(), format!("{} {}", g.code, g.name_th)))
            .collect(),
        assumptions: super::framework::assumptions(tr, f),
        history: s.history,
        new_item,
    }
}

/// The latest changes to a year's framework, for the editor page.
async fn history(
    state: &AppState,
    tr: &Tr,
    operator: &Account,
    year: i32,
) -> WebResult<Vec<(String, String, Vec<Change>)>> {
    let entries = match service::framework_history(&state.cx, operator, year, 20).await {
        Ok(e) => e,
        Err(FrameworkEditError::Forbidden) => return Err(WebError::Forbidden),
        Err(FrameworkEditError::Store(e)) => return Err(e.into()),
        Err(other) => return Err(WebError::Internal(Box::new(other))),
    };
    Ok(entries
        .into_iter()
        .map(|e| (tr.datetime(e.at), e.actor_label.clone(), e.parsed_changes()))
        .collect())
}

pub async fn show_edit(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    SignedIn(u): SignedIn,
    Path((year, section)): Path<(String, String)>,
) -> WebResult<Response> {
    operator(&u)?;
    let section = section_of(&section)?;
    let e = service::effective(&state.cx, year_of(&year)?)
        .await?
        .ok_or(WebError::NotFound)?;
    let history = history(&state, &page.tr, &u.account, e.framework.fiscal_year).await?;
    render(&edit_page(
        &page,
        &csrf,
        &u,
        &e,
        section,
        Submitted {
            history,
            ..Submitted::default()
        },
    ))
}

fn problem_message(tr: &Tr, p: &FieldProblem) -> String {
    tr.get(&format!("fw-problem-{}", p.problem.code()))
}

/// Problems by field, and the summary.
type Problems = (BTreeMap<String, String>, Vec<(String, String)>);

/// What a refused edit shows: the message of each refused field, and the summary (a rule of
/// the whole framework or a stale form has no field). Other errors are not the form's.
fn refusal(tr: &Tr, e: FrameworkEditError) -> WebResult<Problems> {
    Ok(match e {
        FrameworkEditError::Refused(EditRefused::Fields(list)) => (
            list.iter()
                .map(|p| (p.field.clone(), problem_message(tr, p)))
                .collect(),
            list.iter()
                .map(|p| (p.field.clone(), problem_message(tr, p)))
                .collect(),
        ),
        FrameworkEditError::Refused(EditRefused::Rule(rule, e)) => (
            BTreeMap::new(),
            vec![(
                String::new(),
                tr.arg(
                    &format!("fw-rule-{}", rule.code()),
                    "detail",
                    format!("{}: {}", e.path, e.reason),
                ),
            )],
        ),
        FrameworkEditError::Stale { current } => (
            BTreeMap::new(),
            vec![(String::new(), tr.arg("fw-stale", "version", current))],
        ),
        FrameworkEditError::Forbidden => return Err(WebError::Forbidden),
        FrameworkEditError::NotFound => return Err(WebError::NotFound),
        FrameworkEditError::Load(e) => return Err(e.into()),
        FrameworkEditError::Store(e) => return Err(e.into()),
        other => return Err(WebError::Internal(Box::new(other))),
    })
}

pub async fn save_edit(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    SignedIn(u): SignedIn,
    Extension(out): Extension<CookieOut>,
    Path((year, section)): Path<(String, String)>,
    form: FormFields,
) -> WebResult<Response> {
    operator(&u)?;
    let section = section_of(&section)?;
    let year = year_of(&year)?;
    let version: i64 = form.get("version").trim().parse().unwrap_or(-1);
    let fields: Vec<(String, String)> = form
        .pairs()
        .iter()
        .filter(|(k, _)| k.contains('.'))
        .cloned()
        .collect();
    let actor = prongsai_domain::platform::Actor::account(u.account.id, &u.account.email);
    let here = format!("/platform/ita/frameworks/{year}/edit/{section}");
    let (field_errors, problems) = match service::edit_framework(
        &state.cx, &actor, &u.account, year, version, &fields,
    )
    .await
    {
        Ok(_) => return Ok(redirect_flash(&out, &here, Flash::Saved)),
        Err(FrameworkEditError::Unchanged) => {
            return Ok(axum::response::Redirect::to(&here).into_response());
        }
        Err(e) => refusal(&page.tr, e)?,
    };
    let e = service::effective(&state.cx, year)
        .await?
        .ok_or(WebError::NotFound)?;
    let typed: BTreeMap<String, String> = fields.into_iter().collect();
    // The version the form was opened at stays in the form: a stale form stays refused until
    // the page is opened again and the other change is seen.
    render_invalid(&edit_page(
        &page,
        &csrf,
        &u,
        &e,
        section,
        Submitted {
            history: history(&state, &page.tr, &u.account, year).await?,
            version: Some(version),
            typed,
            field_errors,
            problems,
            ..Submitted::default()
        },
    ))
}

impl EditPage {
    /// Whether a typed tag is one of the five (else it is shown as typed, to be corrected).
    fn known_tag(&self, v: &str) -> bool {
        TAGS.contains(&v)
    }
}

/// Adds an OIT item (the form under the OIT section).
pub async fn add_item(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    SignedIn(u): SignedIn,
    Extension(out): Extension<CookieOut>,
    Path(year): Path<String>,
    form: FormFields,
) -> WebResult<Response> {
    operator(&u)?;
    let year = year_of(&year)?;
    let version: i64 = form.get("version").trim().parse().unwrap_or(-1);
    let item = NewOitItem {
        code: form.get(NewOitItem::CODE),
        group: form.get(NewOitItem::GROUP),
        name_th: form.get(NewOitItem::NAME),
    };
    let actor = prongsai_domain::platform::Actor::account(u.account.id, &u.account.email);
    let (field_errors, problems) =
        match service::add_oit_item(&state.cx, &actor, &u.account, year, version, &item).await {
            Ok(_) => {
                return Ok(redirect_flash(
                    &out,
                    &format!("/platform/ita/frameworks/{year}/edit/oit"),
                    Flash::Created,
                ));
            }
            Err(e) => refusal(&page.tr, e)?,
        };
    let e = service::effective(&state.cx, year)
        .await?
        .ok_or(WebError::NotFound)?;
    render_invalid(&edit_page(
        &page,
        &csrf,
        &u,
        &e,
        "oit",
        Submitted {
            history: history(&state, &page.tr, &u.account, year).await?,
            version: Some(version),
            new_item: item,
            field_errors,
            problems,
            ..Submitted::default()
        },
    ))
}
