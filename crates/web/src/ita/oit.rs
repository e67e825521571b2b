//! The OIT checklist: in the back office, the items of a year with their evidence, pre-checks
//! and review (the agency attaches and submits, the assessor passes or fails, the agency
//! clarifies); on the portal, the table agencies publish (item, links, explanation), also as
//! XLSX.

use askama::Template;
use axum::Extension;
use axum::body::Body;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, Request, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use prongsai_domain::FieldErrors;
use prongsai_domain::ids::OitEvidenceId;
use prongsai_domain::ita::framework::PageCheck;
use prongsai_domain::ita::oit::{
    self, Check, Evidence, EvidenceInput, EvidenceTarget, ItemStatus, OitError, OitYear, Outcome,
    Place, ReviewInput,
};
use prongsai_domain::ita::score::{ScoreInput, score};
use prongsai_domain::platform::service::Upload;
use prongsai_domain::platform::{Agency, FileKind, Permission};
use prongsai_thai::{Digits, FiscalYear};
use tower::ServiceExt;

use crate::auth::{AgencyCtx, MemberCtx};
use crate::error::{WebError, WebResult};
use crate::forms::{FormFields, read_multipart};
use crate::http::cookies::CookieOut;
use crate::i18n::Tr;
use crate::pages::{Csrf, Flash, Layout, Page, redirect_flash, render, render_invalid};
use crate::platform::office_layout;
use crate::portal::home::{display_name, serve_cached};
use crate::state::AppState;

/// The most files one evidence form may carry.
const MAX_FILES: usize = 10;

fn year_of(raw: &str) -> WebResult<FiscalYear> {
    crate::measures::year_of(raw)
}

fn web_error(e: OitError) -> WebError {
    match e {
        OitError::Forbidden => WebError::Forbidden,
        OitError::NotFound => WebError::NotFound,
        OitError::Store(s) => s.into(),
        OitError::Invalid(_) => WebError::BadRequest,
    }
}

async fn load(state: &AppState, agency: &Agency, year: FiscalYear) -> WebResult<OitYear> {
    oit::oit_year(&state.cx, agency.id, year)
        .await
        .map_err(web_error)
}

fn status_label(tr: &Tr, code: &str, s: ItemStatus, y: &OitYear) -> String {
    match (s, y.states.get(code).and_then(|st| st.verdict)) {
        (ItemStatus::Final, Some(true)) => tr.get("oit-verdict-pass"),
        (ItemStatus::Final, Some(false)) => tr.get("oit-verdict-fail"),
        _ => tr.get(&format!("oit-status-{}", s.as_str())),
    }
}

/// Where a piece of evidence leads, for a link: a stored file under the back office or the
/// portal, or its URL.
fn href(slug: &str, e: &Evidence, public: bool) -> String {
    match &e.target {
        EvidenceTarget::Url(u) => u.clone(),
        EvidenceTarget::File { file_id, .. } if public => format!("/a/{slug}/files/{file_id}"),
        EvidenceTarget::File { file_id, .. } => format!("/a/{slug}/admin/files/{file_id}"),
    }
}

/// The standard page of the public site that carries an OIT item (the framework's
/// `portal_page`), as this agency has it.
pub struct StdLink {
    pub key: String,
    /// Its name in the site map (Thai: the OIT table is written in Thai).
    pub name: String,
    /// Where it is, when the agency has it.
    pub href: Option<String>,
    /// "หน้าแรก > ข้อมูลหน่วยงาน > โครงสร้าง".
    pub nav_path: String,
    /// While missing: whether the agency can write it as a page.
    pub writable: bool,
}

/// The standard page of each item of the year that has one, by item code.
async fn standard_links(
    state: &AppState,
    agency: &Agency,
    y: &OitYear,
) -> WebResult<std::collections::BTreeMap<String, StdLink>> {
    use prongsai_domain::portal::menu::{self, Place};
    let map = menu::standard();
    let facts = crate::portal::menu::facts(state, agency).await?;
    let slug = agency.slug.as_str();
    Ok(y.framework
        .oit_items
        .iter()
        .filter_map(|i| {
            let p = map.page(i.portal_page.as_deref()?)?;
            let place = menu::place(p, &facts, y.year.be());
            Some((
                i.code.clone(),
                StdLink {
                    key: p.key.clone(),
                    name: p.name_th.clone(),
                    href: place.path().map(|path| format!("/a/{slug}/{path}")),
                    nav_path: menu::nav_path(map, p, "หน้าแรก"),
                    writable: matches!(place, Place::Missing { write: Some(_) }),
                },
            ))
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------
// The back office: the list of items

pub struct ItemRow {
    pub code: String,
    pub name: String,
    pub status: String,
    pub status_code: &'static str,
    pub evidence: usize,
    /// The standard page of the site that carries it.
    pub page: Option<StdLink>,
}

pub struct GroupRow {
    pub code: String,
    pub name: String,
    pub items: Vec<ItemRow>,
}

#[derive(Template)]
#[template(path = "ita/oit.html")]
struct OitPage {
    l: Layout,
    slug: String,
    year: i32,
    years: Vec<i32>,
    groups: Vec<GroupRow>,
    counts: Vec<(String, usize)>,
    /// "OIT: 12.50 of 26.00 points", once every item has a verdict.
    score: Option<String>,
    /// "6 of the 8 items reviewed passed".
    passed: String,
    /// How many items the score is still missing.
    missing: usize,
    /// The assessor's closing of the year: shown to reviewers while an item is not final.
    close: Option<Closing>,
    /// How many items' standard pages the site does not have.
    page_gaps: usize,
    fe: FieldErrors,
}

/// What closing a year's review would do, for the assessor's confirmation.
pub struct Closing {
    /// Items that would become final with a pass, with a fail (failed, never clarified), and
    /// with a fail for never having been submitted.
    pub passed: usize,
    pub failed: usize,
    pub unsubmitted: usize,
    /// Items still awaiting a verdict: while any, the year cannot be closed.
    pub waiting: usize,
}

impl Closing {
    fn of(y: &OitYear) -> Option<Self> {
        let n = |s: ItemStatus| {
            y.framework
                .oit_items
                .iter()
                .filter(|i| y.status(&i.code) == s)
                .count()
        };
        let c = Self {
            passed: n(ItemStatus::Passed),
            failed: n(ItemStatus::Failed),
            unsubmitted: n(ItemStatus::Draft),
            waiting: n(ItemStatus::Submitted) + n(ItemStatus::Clarified),
        };
        (c.passed + c.failed + c.unsubmitted + c.waiting > 0).then_some(c)
    }
}

/// The OIT points once every item has a verdict (the engine gives none for an indicator with
/// items missing); until then how many of the items reviewed passed; and how many are missing.
fn oit_points(y: &OitYear, tr: &Tr) -> (Option<String>, String, usize) {
    let verdicts = y.verdicts();
    let missing = y.framework.oit_items.len() - verdicts.len();
    let passed = verdicts.values().filter(|v| **v).count();
    let so_far = tr.arg2(
        "oit-passed-so-far",
        "passed",
        passed,
        "reviewed",
        verdicts.len(),
    );
    let input = ScoreInput {
        oit: Some(prongsai_domain::ita::score::OitInput {
            items: Some(verdicts),
            indicators: None,
        }),
        ..ScoreInput::default()
    };
    let text = score(&y.framework, &input).ok().and_then(|r| {
        r.instruments
            .iter()
            .find(|i| i.code == "OIT" && i.complete)
            .map(|i| tr.arg2("oit-score", "points", &i.points, "max", &i.max_points))
    });
    (text, so_far, missing)
}

/// The current fiscal year when its framework ships, or else the newest that does.
pub(crate) fn default_year(state: &AppState) -> i32 {
    let now = FiscalYear::of(state.cx.clock.today()).be();
    let years: Vec<i32> = prongsai_domain::ita::framework::BUILT_IN
        .iter()
        .map(|(y, _)| *y)
        .collect();
    if years.contains(&now) {
        now
    } else {
        years.iter().copied().max().unwrap_or(now)
    }
}

/// `/a/{slug}/admin/ita/oit`: the checklist of the default year.
pub async fn current_year(State(state): State<AppState>, m: MemberCtx) -> WebResult<Response> {
    let year = default_year(&state);
    Ok(Redirect::to(&format!("/a/{}/admin/ita/oit/{year}", m.agency.slug)).into_response())
}

/// `/a/{slug}/ita`: the published table of the default year.
pub async fn public_current_year(
    State(state): State<AppState>,
    AgencyCtx(agency): AgencyCtx,
) -> WebResult<Response> {
    let year = default_year(&state);
    Ok(Redirect::to(&format!("/a/{}/ita/{year}", agency.slug)).into_response())
}

pub async fn list_items(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year)): Path<(String, String)>,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    render(&list_page(&state, &page, &csrf, &m, year, FieldErrors::default()).await?)
}

/// `POST …/oit/{year}/finalise`: the assessor closes the year's review.
pub async fn finalise(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year)): Path<(String, String)>,
    Extension(out): Extension<CookieOut>,
    _form: FormFields,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    match oit::finalise(&state.cx, &m.member, year).await {
        Ok(_) => Ok(redirect_flash(
            &out,
            &format!("/a/{}/admin/ita/oit/{}", m.agency.slug, year.be()),
            Flash::Saved,
        )),
        Err(OitError::Invalid(e)) => {
            render_invalid(&list_page(&state, &page, &csrf, &m, year, e).await?)
        }
        Err(other) => Err(web_error(other)),
    }
}

async fn list_page(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    year: FiscalYear,
    fe: FieldErrors,
) -> WebResult<OitPage> {
    let y = load(state, &m.agency, year).await?;
    let tr = &page.tr;
    let mut pages = standard_links(state, &m.agency, &y).await?;
    let page_gaps = pages.values().filter(|p| p.href.is_none()).count();
    let groups = y
        .framework
        .oit_groups
        .iter()
        .map(|g| GroupRow {
            code: g.code.clone(),
            name: g.name_th.clone(),
            items: y
                .framework
                .oit_items
                .iter()
                .filter(|i| i.group == g.code)
                .map(|i| {
                    let s = y.status(&i.code);
                    ItemRow {
                        code: i.code.clone(),
                        name: i.name_th.clone(),
                        status: status_label(tr, &i.code, s, &y),
                        status_code: s.as_str(),
                        evidence: y.evidence_of(&i.code).len(),
                        page: pages.remove(&i.code),
                    }
                })
                .collect(),
        })
        .collect();
    let counts = y
        .counts()
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| (tr.get(&format!("oit-status-{}", s.as_str())), n))
        .collect();
    let (score, passed, missing) = oit_points(&y, tr);
    let title = tr.arg("oit-title", "year", year.be());
    let close = if m.member.membership.can(Permission::ReviewOit) {
        Closing::of(&y)
    } else {
        None
    };
    Ok(OitPage {
        l: office_layout(page, csrf, m, title, "ita/oit"),
        slug: m.agency.slug.to_string(),
        year: year.be(),
        years: prongsai_domain::ita::framework::BUILT_IN
            .iter()
            .map(|(y, _)| *y)
            .collect(),
        groups,
        counts,
        score,
        passed,
        missing,
        close,
        page_gaps,
        fe,
    })
}

// ---------------------------------------------------------------------------------------------
// The back office: one item

pub struct CheckRow {
    pub outcome: &'static str,
    pub outcome_label: String,
    pub text: String,
}

pub struct EvidenceRow {
    pub id: OitEvidenceId,
    pub label: String,
    pub href: String,
    pub nav_path: String,
    pub dated: Option<String>,
    pub is_file: bool,
    pub checks: Vec<CheckRow>,
}

/// What the forms of the item page hold when it is shown again after a refusal.
#[derive(Default)]
struct Forms {
    f: EvidenceInput,
    e: FieldErrors,
    review: ReviewInput,
    re: FieldErrors,
    clarification: String,
    ce: FieldErrors,
    /// Refusals of the submit and remove buttons.
    se: FieldErrors,
}

#[derive(Template)]
#[template(path = "ita/oit_item.html")]
struct ItemPage {
    l: Layout,
    slug: String,
    year: i32,
    code: String,
    group: String,
    requirement: String,
    requirement_assumed: bool,
    status: String,
    status_code: &'static str,
    review_comment: Option<String>,
    clarification_text: Option<String>,
    final_comment: Option<String>,
    reviewed_by: Option<String>,
    evidence: Vec<EvidenceRow>,
    can_edit: bool,
    can_submit: bool,
    can_clarify: bool,
    can_review: bool,
    /// (path, label) of this agency's pages, offered in the URL field.
    own_pages: Vec<(String, String)>,
    /// The standard page of the site that carries the item, and whether it is already evidence.
    std_page: Option<StdLink>,
    std_used: bool,
    max_mb: u64,
    f: EvidenceInput,
    e: FieldErrors,
    review: ReviewInput,
    re: FieldErrors,
    clarification: String,
    ce: FieldErrors,
    se: FieldErrors,
}

fn check_row(tr: &Tr, c: &Check) -> CheckRow {
    let arg = if let Some(d) = c.date {
        prongsai_thai::format_short(d, Digits::Arabic)
    } else if c.gaps.is_empty() {
        c.arg.clone()
    } else {
        c.gaps
            .iter()
            .map(|(name, parts)| {
                let parts: Vec<String> = parts
                    .iter()
                    .map(|p| tr.get(&format!("oit-part-{p}")))
                    .collect();
                format!("{name} ({})", parts.join(", "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    CheckRow {
        outcome: c.outcome.as_str(),
        outcome_label: tr.get(&format!("oit-outcome-{}", c.outcome.as_str())),
        text: tr.arg(&format!("oit-check-{}", c.key), "arg", arg),
    }
}

/// Whether this installation's page at `path` exists and is public: a GET through the
/// application itself, with no session and no network, following redirects within the site.
async fn own_page_check(state: &AppState, path: &str) -> Check {
    let mut path = path.to_owned();
    for _ in 0..3 {
        let Ok(req) = Request::get(path.as_str()).body(Body::empty()) else {
            return Check::new(Outcome::Fail, "page-missing");
        };
        let res = match crate::app(state.clone()).oneshot(req).await {
            Ok(r) => r,
            Err(never) => match never {},
        };
        let status = res.status();
        if status.is_redirection() {
            let to = res
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_owned();
            if to.starts_with("/signin") {
                return Check::new(Outcome::Fail, "page-private");
            }
            if crate::pages::safe_next(&to).is_none() {
                return Check::with(Outcome::Warn, "page-status", status.as_u16().to_string());
            }
            path = to;
            continue;
        }
        return match status {
            StatusCode::OK => Check::new(Outcome::Pass, "page-public"),
            StatusCode::NOT_FOUND => Check::new(Outcome::Fail, "page-missing"),
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
                Check::new(Outcome::Fail, "page-private")
            }
            other => Check::with(Outcome::Warn, "page-status", other.as_u16().to_string()),
        };
    }
    Check::with(Outcome::Warn, "page-status", "3xx")
}

/// Whether an external site answers: a TCP connection to its host, only when the configuration
/// allows network access; never a failure.
async fn external_check(state: &AppState, url: &str) -> Check {
    if !state.config.check_external_links {
        return Check::new(Outcome::NotChecked, "external-not-checked");
    }
    let (rest, port) = match url.strip_prefix("https://") {
        Some(r) => (r, 443),
        None => (url.strip_prefix("http://").unwrap_or(url), 80),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    // Only the web ports: an evidence link must not become a way to probe other services.
    let target = match authority.rsplit_once(':') {
        _ if authority.starts_with('[') => {
            return Check::new(Outcome::NotChecked, "external-not-checked");
        }
        Some((host, p)) if p == "80" || p == "443" => format!("{host}:{p}"),
        Some(_) => return Check::new(Outcome::NotChecked, "external-not-checked"),
        None => format!("{authority}:{port}"),
    };
    let connect = tokio::net::TcpStream::connect(target);
    match tokio::time::timeout(std::time::Duration::from_secs(3), connect).await {
        Ok(Ok(_)) => Check::new(Outcome::Pass, "external-reachable"),
        _ => Check::new(Outcome::Warn, "external-unreachable"),
    }
}

/// The pre-checks of one piece of evidence.
async fn prechecks(
    state: &AppState,
    agency: &Agency,
    y: &OitYear,
    page_check: Option<PageCheck>,
    e: &Evidence,
) -> WebResult<Vec<Check>> {
    let mut out = Vec::new();
    match &e.target {
        EvidenceTarget::File { file_id, .. } => {
            let kind = state
                .cx
                .store
                .file(agency.id, *file_id)
                .await
                .map(|f| f.kind.extension().to_uppercase())
                .unwrap_or_default();
            out.push(Check::with(Outcome::Pass, "file-stored", kind));
            out.push(oit::date_check(y.year, e.dated_on, None));
        }
        EvidenceTarget::Url(url) => match oit::classify(url, state.config.public_url.as_deref()) {
            Place::Own(path) => {
                out.push(own_page_check(state, path).await);
                out.push(oit::date_check(y.year, e.dated_on, Some(path)));
                if page_check == Some(PageCheck::Executives)
                    && oit::is_home_path(path, agency.slug.as_str())
                {
                    let people = state.cx.store.list_people(agency.id).await?;
                    out.push(oit::executives_check(&people));
                }
            }
            Place::External(u) => {
                out.push(external_check(state, u).await);
                out.push(oit::date_check(y.year, e.dated_on, None));
            }
        },
    }
    Ok(out)
}

async fn item_page(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    year: FiscalYear,
    code: &str,
    forms: Forms,
) -> WebResult<ItemPage> {
    let y = load(state, &m.agency, year).await?;
    let item = y.item(code).ok_or(WebError::NotFound)?.clone();
    let group = y
        .framework
        .oit_groups
        .iter()
        .find(|g| g.code == item.group)
        .map(|g| format!("{} {}", g.code, g.name_th))
        .unwrap_or_default();
    let tr = &page.tr;
    let slug = m.agency.slug.to_string();
    let mut evidence = Vec::new();
    for e in y.evidence_of(code) {
        let checks = prechecks(state, &m.agency, &y, item.page_check, e).await?;
        evidence.push(EvidenceRow {
            id: e.id,
            label: e.label.clone(),
            href: href(&slug, e, false),
            nav_path: e.nav_path.clone(),
            dated: e
                .dated_on
                .map(|d| prongsai_thai::format_short(d, Digits::Arabic)),
            is_file: matches!(e.target, EvidenceTarget::File { .. }),
            checks: checks.iter().map(|c| check_row(tr, c)).collect(),
        });
    }
    let std_page = standard_links(state, &m.agency, &y).await?.remove(code);
    let std_used = std_page
        .as_ref()
        .and_then(|p| p.href.as_deref())
        .is_some_and(|h| evidence.iter().any(|e| e.href == h));
    let status = y.status(code);
    let st = y.states.get(code);
    let manage = m.member.membership.can(Permission::ManageOit);
    let reviewer = m.member.membership.can(Permission::ReviewOit);
    let be = year.be();
    let own_pages = vec![
        (format!("/a/{slug}/"), tr.get("oit-own-home")),
        (
            format!("/a/{slug}/measures/{be}"),
            tr.get("oit-own-measures"),
        ),
        (
            format!("/a/{slug}/measures/{be}/announcement"),
            tr.get("oit-own-announcement"),
        ),
        (
            format!("/a/{slug}/measures/{be}/analysis"),
            tr.get("oit-own-analysis"),
        ),
        (format!("/a/{slug}/ita/{be}"), tr.get("oit-own-public")),
    ];
    let title = format!("{} {}", item.code, item.name_th);
    Ok(ItemPage {
        l: office_layout(page, csrf, m, title, "ita/oit"),
        slug,
        year: be,
        code: item.code.clone(),
        group,
        requirement: item.evidence_th.clone(),
        requirement_assumed: item.evidence_confidence.is_assumption(),
        status: status_label(tr, code, status, &y),
        status_code: status.as_str(),
        review_comment: st.and_then(|s| s.review_comment.clone()),
        clarification_text: st.and_then(|s| s.clarification.clone()),
        final_comment: st.and_then(|s| s.final_comment.clone()),
        reviewed_by: st.and_then(|s| s.reviewed_by.clone()),
        evidence,
        can_edit: manage && status.evidence_editable(),
        can_submit: manage && status == ItemStatus::Draft,
        can_clarify: manage && status == ItemStatus::Failed,
        can_review: reviewer && status.reviewable(),
        own_pages,
        std_page,
        std_used,
        max_mb: max_bytes(state) / (1024 * 1024),
        f: forms.f,
        e: forms.e,
        review: forms.review,
        re: forms.re,
        clarification: forms.clarification,
        ce: forms.ce,
        se: forms.se,
    })
}

fn max_bytes(state: &AppState) -> u64 {
    state.config.max_image_bytes.max(10 * 1024 * 1024)
}

fn item_url(m: &MemberCtx, year: FiscalYear, code: &str) -> String {
    format!(
        "/a/{}/admin/ita/oit/{}/items/{code}",
        m.agency.slug,
        year.be()
    )
}

pub async fn show_item(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year, code)): Path<(String, String, String)>,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    render(&item_page(&state, &page, &csrf, &m, year, &code, Forms::default()).await?)
}

/// Answers a step: back to the item with a flash, or the item page again with the refusal in
/// the form it belongs to.
#[expect(
    clippy::too_many_arguments,
    reason = "a step and the page it re-renders"
)]
async fn answer(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    out: &CookieOut,
    year: FiscalYear,
    code: &str,
    result: Result<(), OitError>,
    place: impl FnOnce(FieldErrors) -> Forms,
) -> WebResult<Response> {
    match result {
        Ok(()) => Ok(redirect_flash(out, &item_url(m, year, code), Flash::Saved)),
        Err(OitError::Invalid(e)) => {
            render_invalid(&item_page(state, page, csrf, m, year, code, place(e)).await?)
        }
        Err(other) => Err(web_error(other)),
    }
}

pub async fn add_evidence(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year, code)): Path<(String, String, String)>,
    Extension(out): Extension<CookieOut>,
    mp: Multipart,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    let (form, files) = read_multipart(mp, "files", MAX_FILES).await?;
    let input = EvidenceInput {
        url: form.get("url"),
        label: form.get("label"),
        nav_path: form.get("nav_path"),
        dated_on: form.get("dated_on"),
    };
    let max = max_bytes(&state);
    let uploads: Vec<Upload<'_>> = files
        .iter()
        .map(|f| Upload {
            file_name: &f.file_name,
            bytes: &f.bytes,
            max_bytes: max,
        })
        .collect();
    let r = oit::add_evidence(
        &state.cx,
        state.blobs.as_ref(),
        &m.member,
        year,
        &code,
        &input,
        &uploads,
    )
    .await;
    answer(&state, &page, &csrf, &m, &out, year, &code, r, |e| Forms {
        f: input.clone(),
        e,
        ..Forms::default()
    })
    .await
}

pub async fn remove_evidence(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year, code)): Path<(String, String, String)>,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    // An id that does not parse names no evidence: the service still checks the permission
    // first, then finds nothing (404).
    let id: OitEvidenceId = form
        .get("evidence")
        .parse()
        .unwrap_or(OitEvidenceId::from_raw(0));
    let r = oit::remove_evidence(&state.cx, &m.member, year, &code, id).await;
    answer(&state, &page, &csrf, &m, &out, year, &code, r, |se| Forms {
        se,
        ..Forms::default()
    })
    .await
}

pub async fn submit_item(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year, code)): Path<(String, String, String)>,
    Extension(out): Extension<CookieOut>,
    _form: FormFields,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    let r = oit::submit(&state.cx, &m.member, year, &code).await;
    answer(&state, &page, &csrf, &m, &out, year, &code, r, |se| Forms {
        se,
        ..Forms::default()
    })
    .await
}

pub async fn review_item(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year, code)): Path<(String, String, String)>,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    let input = ReviewInput {
        verdict: form.get("verdict"),
        comment: form.get("comment"),
    };
    let r = oit::review(&state.cx, &m.member, year, &code, &input).await;
    answer(&state, &page, &csrf, &m, &out, year, &code, r, |re| Forms {
        review: input.clone(),
        re,
        ..Forms::default()
    })
    .await
}

pub async fn clarify_item(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year, code)): Path<(String, String, String)>,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    let text = form.get("clarification");
    let r = oit::clarify(&state.cx, &m.member, year, &code, &text).await;
    answer(&state, &page, &csrf, &m, &out, year, &code, r, |ce| Forms {
        clarification: text.clone(),
        ce,
        ..Forms::default()
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// The published table: HTML and XLSX

/// One row of the published table.
pub struct PublicRow {
    pub code: String,
    pub name: String,
    pub group: String,
    /// (label, href).
    pub links: Vec<(String, String)>,
    /// The navigation paths, one per piece of evidence that has one.
    pub paths: Vec<String>,
}

#[derive(Template)]
#[template(path = "ita/oit_public.html")]
struct PublicPage {
    l: Layout,
    slug: String,
    year: i32,
    agency_name: String,
    rows: Vec<PublicRow>,
}

/// The published rows: every item, with the standard page of the site that carries it (while
/// the agency has it) and the evidence of the items the agency has submitted.
fn public_rows(
    y: &OitYear,
    slug: &str,
    std: &std::collections::BTreeMap<String, StdLink>,
) -> Vec<PublicRow> {
    y.framework
        .oit_items
        .iter()
        .map(|i| {
            let published: Vec<&Evidence> = if y.status(&i.code).is_published() {
                y.evidence_of(&i.code)
            } else {
                Vec::new()
            };
            let mut links: Vec<(String, String)> = Vec::new();
            let mut paths: Vec<String> = Vec::new();
            for e in &published {
                links.push((e.label.clone(), href(slug, e, true)));
                if !e.nav_path.is_empty() && !paths.contains(&e.nav_path) {
                    paths.push(e.nav_path.clone());
                }
            }
            // The standard page, unless the agency's evidence already links it (by its own
            // label, maybe as a full URL).
            if let Some((p, h)) = std.get(&i.code).and_then(|p| Some((p, p.href.clone()?)))
                && !links.iter().any(|(_, l)| l.ends_with(h.as_str()))
            {
                links.push((p.name.clone(), h));
                if !paths.contains(&p.nav_path) {
                    paths.push(p.nav_path.clone());
                }
            }
            PublicRow {
                code: i.code.clone(),
                name: i.name_th.clone(),
                group: i.group.clone(),
                links,
                paths,
            }
        })
        .collect()
}

/// The published OIT table of an agency's year, for the open data.
pub(crate) async fn published_rows(
    state: &AppState,
    agency: &Agency,
    year: FiscalYear,
) -> WebResult<Vec<PublicRow>> {
    let y = load(state, agency, year).await?;
    let std = standard_links(state, agency, &y).await?;
    Ok(public_rows(&y, agency.slug.as_str(), &std))
}

async fn agency_and_year(state: &AppState, slug: &str, year: &str) -> WebResult<(Agency, OitYear)> {
    let year = year_of(year)?;
    let agency = state
        .cx
        .store
        .agency_by_slug(slug)
        .await?
        .ok_or(WebError::NotFound)?;
    let y = load(state, &agency, year).await?;
    Ok((agency, y))
}

/// `/a/{slug}/ita/{year}`: the OIT table as agencies publish it; cached like the home page.
pub async fn public_table(
    State(state): State<AppState>,
    AgencyCtx(agency): AgencyCtx,
    Path((_, year)): Path<(String, String)>,
    page: Page,
    headers: HeaderMap,
) -> WebResult<Response> {
    let slug = agency.slug.to_string();
    let fy = year_of(&year)?;
    let path = format!("/ita/{}", fy.be());
    let render = async {
        let (agency, y) = agency_and_year(&state, &slug, &year).await?;
        let std = standard_links(&state, &agency, &y).await?;
        let title = page.tr.arg("oit-public-title", "year", fy.be());
        let l = crate::portal::layout(
            &page,
            &agency,
            title,
            &state,
            &format!("ita/{}", fy.be()),
            "ita",
        );
        Ok(PublicPage {
            l,
            rows: public_rows(&y, &slug, &std),
            agency_name: display_name(&page, &agency),
            slug: slug.clone(),
            year: fy.be(),
        }
        .render()?)
    };
    serve_cached(&state, &slug, &path, &page, &headers, render).await
}

/// `/a/{slug}/ita/{year}/oit.xlsx`: the same table as a spreadsheet, links written in full
/// when the public URL is configured.
pub async fn public_xlsx(
    State(state): State<AppState>,
    AgencyCtx(agency): AgencyCtx,
    Path((_, year)): Path<(String, String)>,
    page: Page,
) -> WebResult<Response> {
    let slug = agency.slug.to_string();
    let (agency, y) = agency_and_year(&state, &slug, &year).await?;
    let std = standard_links(&state, &agency, &y).await?;
    let tr = &page.tr;
    let base = state
        .config
        .public_url
        .as_deref()
        .map(|u| u.trim_end_matches('/').to_owned())
        .unwrap_or_default();
    let full = |h: &str| {
        if h.starts_with('/') {
            format!("{base}{h}")
        } else {
            h.to_owned()
        }
    };
    let rows = public_rows(&y, &slug, &std)
        .into_iter()
        .map(|r| {
            vec![
                r.code,
                r.name,
                r.links
                    .iter()
                    .map(|(_, h)| full(h))
                    .collect::<Vec<_>>()
                    .join("\n"),
                r.paths.join("\n"),
            ]
        })
        .collect();
    let sheet = prongsai_sheets::SheetData {
        spec: prongsai_sheets::SheetSpec {
            name: format!("OIT {}", y.year.be()),
            headers: vec![
                tr.get("oit-col-code"),
                tr.get("oit-col-item"),
                tr.get("oit-col-links"),
                tr.get("oit-col-explanation"),
            ],
            widths: vec![6.0, 48.0, 60.0, 48.0],
        },
        rows,
    };
    let title = format!(
        "{} — {}",
        tr.arg("oit-public-title", "year", y.year.be()),
        agency.profile.name
    );
    let bytes =
        prongsai_sheets::write(&[sheet], &title).map_err(|e| WebError::Internal(Box::new(e)))?;
    let mut res = crate::pages::download(
        bytes,
        FileKind::Xlsx.content_type(),
        &format!("{}-{slug}-{}.xlsx", tr.get("file-oit"), y.year.be()),
    );
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("public, max-age=0, must-revalidate"),
    );
    Ok(res)
}
