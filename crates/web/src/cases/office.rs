//! The handlers' back office: their key (made, then unlocked once per session), the list of
//! decrypted cases, a case with its messages, notes, referrals and attachments, and the
//! actions on it. Every route answers 404 to non-handlers ([`super::HandlerCtx`]); every read of
//! a case writes an audit entry (in the domain service).

use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use prongsai_domain::cases::service::{self as cs, CaseView, Keyring, ListRow};
use prongsai_domain::cases::{
    CaseError, CaseId, Channel, Identity, KeyState, Kind, RecordId, RecordKind, ReferralBody,
    State as CaseState,
};
use prongsai_domain::ids::AccountId;
use prongsai_domain::platform::Permission;
use serde::Deserialize;

use super::{HandlerCtx, messages, web_error};
use crate::auth::MemberCtx;
use crate::error::{WebError, WebResult};
use crate::forms::FormFields;
use crate::http::cookies::CookieOut;
use crate::pages::{
    Csrf, Flash, Layout, Page, download, no_store, redirect_flash, render, render_invalid,
};
use crate::state::AppState;

fn base(m: &MemberCtx) -> String {
    format!("/a/{}/admin/cases", m.agency.slug)
}

fn layout(page: &Page, csrf: &Csrf, m: &MemberCtx, title: String) -> Layout {
    crate::platform::office_layout(page, csrf, m, title, "cases")
}

fn case_id(raw: &str) -> WebResult<CaseId> {
    raw.parse().map_err(|_| WebError::NotFound)
}

/// The unlocked key, or a redirect to the page that asks for the password.
async fn keyring(state: &AppState, m: &MemberCtx) -> Result<Keyring, Response> {
    match cs::keyring(&state.cx, &m.member, &m.user.token).await {
        Ok(k) => Ok(k),
        Err(CaseError::Locked | CaseError::NoKey) => Err(Redirect::to(&base(m)).into_response()),
        Err(e) => Err(web_error(e).into_response()),
    }
}

// ---------------------------------------------------------------------------------------------
// The list, and the key forms

#[derive(Template)]
#[template(path = "cases/list.html")]
struct ListPage {
    l: Layout,
    base: String,
    /// "none" (make a key), "locked" (unlock), "open" (the list).
    key: &'static str,
    error: Option<String>,
    /// Each case with its SLA mark: "ack", "result" (overdue) or "" .
    rows: Vec<(ListRow, &'static str)>,
    overdue_only: bool,
    missing_access: usize,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    overdue: String,
}

async fn list_page(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    overdue_only: bool,
    error: Option<String>,
) -> WebResult<ListPage> {
    let ks = cs::key_state(&state.cx, &m.member, &m.user.token)
        .await
        .map_err(web_error)?;
    let (key, rows) = match ks {
        KeyState::NoKey => ("none", Vec::new()),
        KeyState::Locked => ("locked", Vec::new()),
        KeyState::Unlocked(k) => (
            "open",
            cs::list(&state.cx, &m.member, &k)
                .await
                .map_err(web_error)?,
        ),
    };
    let now = state.cx.clock.unix();
    let missing_access = rows.iter().filter(|r| r.subject.is_none()).count();
    let rows = rows
        .into_iter()
        .filter(|r| !overdue_only || r.case.overdue(now))
        .map(|r| {
            let mark = if r.case.ack_overdue(now) {
                "ack"
            } else if r.case.result_overdue(now) {
                "result"
            } else {
                ""
            };
            (r, mark)
        })
        .collect();
    Ok(ListPage {
        l: layout(page, csrf, m, page.tr.get("nav-cases")),
        base: base(m),
        key,
        error,
        rows,
        overdue_only,
        missing_access,
    })
}

pub async fn list(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    HandlerCtx(m): HandlerCtx,
    Query(q): Query<ListQuery>,
) -> WebResult<Response> {
    let p = list_page(&state, &page, &csrf, &m, !q.overdue.is_empty(), None).await?;
    Ok(no_store(render(&p)?))
}

async fn key_action(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    r: Result<(), CaseError>,
) -> WebResult<Response> {
    match r {
        Ok(()) | Err(CaseError::AlreadyMade) => Ok(Redirect::to(&base(m)).into_response()),
        Err(CaseError::WrongPassword) => {
            let p = list_page(
                state,
                page,
                csrf,
                m,
                false,
                Some(page.tr.get("case-wrong-password")),
            )
            .await?;
            render_invalid(&p)
        }
        Err(e) => Err(web_error(e)),
    }
}

/// Makes the handler's key pair, locked by their password.
pub async fn create_key(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    HandlerCtx(m): HandlerCtx,
    form: FormFields,
) -> WebResult<Response> {
    let r = cs::create_key(&state.cx, &m.member, &m.user.token, &form.get("password")).await;
    key_action(&state, &page, &csrf, &m, r).await
}

/// Unlocks the handler's key for this session.
pub async fn unlock(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    HandlerCtx(m): HandlerCtx,
    form: FormFields,
) -> WebResult<Response> {
    let r = cs::unlock(&state.cx, &m.member, &m.user.token, &form.get("password")).await;
    key_action(&state, &page, &csrf, &m, r).await
}

/// Seals the cases this handler can open to handlers who lack a copy.
pub async fn grant(
    State(state): State<AppState>,
    HandlerCtx(m): HandlerCtx,
    Extension(out): Extension<CookieOut>,
) -> WebResult<Response> {
    let k = match keyring(&state, &m).await {
        Ok(k) => k,
        Err(r) => return Ok(r),
    };
    cs::grant_access(&state.cx, &m.member, &k)
        .await
        .map_err(web_error)?;
    Ok(redirect_flash(&out, &base(&m), Flash::Saved))
}

// ---------------------------------------------------------------------------------------------
// One case

#[derive(Template)]
#[template(path = "cases/case.html")]
struct CasePage {
    l: Layout,
    base: String,
    v: CaseView,
    next: Vec<&'static str>,
    divisions: Vec<(i64, String)>,
    handlers: Vec<(AccountId, String)>,
    referral_bodies: Vec<&'static str>,
    templates: Vec<(&'static str, String)>,
    errors: Vec<(String, String)>,
    ack_late: bool,
    result_late: bool,
    assignee_name: String,
    /// The reporter's later disclosure: name and contact.
    disclosed: String,
    /// Kind, channel, state and identity, translated.
    labels: (String, String, String, String),
    /// Handlers who may be assigned or recused (not recused already).
    eligible: Vec<(AccountId, String)>,
}

impl CasePage {
    fn handler_name(&self, a: &Option<AccountId>) -> String {
        a.and_then(|a| self.handlers.iter().find(|h| h.0 == a).map(|h| h.1.clone()))
            .unwrap_or_default()
    }
    fn division_name(&self) -> String {
        self.v
            .case
            .division_id
            .and_then(|d| {
                self.divisions
                    .iter()
                    .find(|x| x.0 == d.get())
                    .map(|x| x.1.clone())
            })
            .unwrap_or_default()
    }
    fn named(&self) -> bool {
        self.v.report.identity != Identity::Anonymous
    }
}

const TEMPLATES: &[&str] = &[
    "case-reply-ack",
    "case-reply-progress",
    "case-reply-more",
    "case-reply-result",
    "case-reply-referred",
];

async fn case_page(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    k: &Keyring,
    id: CaseId,
    errors: Vec<(String, String)>,
) -> WebResult<Response> {
    let v = match cs::open(&state.cx, &m.member, k, id).await {
        Ok(v) => v,
        Err(CaseError::NoAccess) => {
            return Ok(no_store(render(&NoAccessPage {
                l: layout(page, csrf, m, page.tr.get("case-no-access-title")),
                base: base(m),
            })?));
        }
        Err(e) => return Err(web_error(e)),
    };
    let divisions = state
        .cx
        .store
        .list_divisions(m.agency.id)
        .await?
        .into_iter()
        .map(|d| (d.id.get(), d.fields.name))
        .collect();
    let handlers = cs::handler_list(&state.cx, &m.member)
        .await
        .map_err(web_error)?;
    let now = state.cx.clock.unix();
    let handlers: Vec<(AccountId, String)> = handlers;
    let eligible = handlers
        .iter()
        .filter(|h| !v.recused.contains(&h.0))
        .cloned()
        .collect();
    let assignee_name = v
        .case
        .assignee
        .and_then(|a| handlers.iter().find(|h| h.0 == a).map(|h| h.1.clone()))
        .unwrap_or_default();
    let p = CasePage {
        ack_late: v.case.ack_overdue(now),
        result_late: v.case.result_overdue(now),
        assignee_name,
        eligible,
        labels: (
            page.tr.get(&format!("case-kind-{}", v.case.kind.as_str())),
            page.tr
                .get(&format!("case-channel-{}", v.case.channel.as_str())),
            page.tr
                .get(&format!("case-state-{}", v.case.state.as_str())),
            page.tr
                .get(&format!("case-identity-{}", v.report.identity.as_str())),
        ),
        disclosed: v
            .disclosure
            .as_ref()
            .map(|(n, c)| format!("{n} {c}"))
            .unwrap_or_default(),
        l: layout(page, csrf, m, page.tr.arg("case-title", "id", v.case.id)),
        base: base(m),
        next: v.case.state.next().iter().map(|s| s.as_str()).collect(),
        divisions,
        handlers,
        referral_bodies: ReferralBody::ALL.iter().map(|b| b.as_str()).collect(),
        templates: TEMPLATES.iter().map(|k| (*k, page.tr.get(k))).collect(),
        v,
        errors: errors.clone(),
    };
    let mut res = render(&p)?;
    if !errors.is_empty() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(no_store(res))
}

#[derive(Template)]
#[template(path = "cases/no_access.html")]
struct NoAccessPage {
    l: Layout,
    base: String,
}

pub async fn show(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    HandlerCtx(m): HandlerCtx,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Response> {
    let id = case_id(&id)?;
    cs::may_see(&state.cx, &m.member, id)
        .await
        .map_err(web_error)?;
    let k = match keyring(&state, &m).await {
        Ok(k) => k,
        Err(r) => return Ok(r),
    };
    case_page(&state, &page, &csrf, &m, &k, id, Vec::new()).await
}

/// Runs one action on a case: 404 before anything for whoever may not see it, the key asked
/// for when locked, refused input shown on the case page.
async fn act(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    out: &CookieOut,
    raw_id: &str,
    run: impl AsyncFnOnce(&Keyring, CaseId) -> Result<(), CaseError>,
) -> WebResult<Response> {
    let id = case_id(raw_id)?;
    cs::may_see(&state.cx, &m.member, id)
        .await
        .map_err(web_error)?;
    let k = match keyring(state, m).await {
        Ok(k) => k,
        Err(r) => return Ok(r),
    };
    match run(&k, id).await {
        Ok(()) => Ok(redirect_flash(
            out,
            &format!("{}/{id}", base(m)),
            Flash::Saved,
        )),
        Err(CaseError::Invalid(p)) => {
            case_page(state, page, csrf, m, &k, id, messages(&page.tr, &p)).await
        }
        Err(e) => Err(web_error(e)),
    }
}

pub async fn change_state(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    HandlerCtx(m): HandlerCtx,
    Extension(out): Extension<CookieOut>,
    Path((_, id)): Path<(String, String)>,
    form: FormFields,
) -> WebResult<Response> {
    act(&state, &page, &csrf, &m, &out, &id, async |k, id| {
        cs::change_state(
            &state.cx,
            &m.member,
            k,
            id,
            &form.get("state"),
            &form.get("division_id"),
            &form.get("assignee"),
        )
        .await
        .map(|_| ())
    })
    .await
}

pub async fn write_entry(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    HandlerCtx(m): HandlerCtx,
    Extension(out): Extension<CookieOut>,
    Path((_, id)): Path<(String, String)>,
    form: FormFields,
) -> WebResult<Response> {
    let kind = if form.get("entry") == "note" {
        RecordKind::Note
    } else {
        RecordKind::ToReporter
    };
    let mut text = form.get("text");
    let template = form.get("template");
    if text.trim().is_empty() && TEMPLATES.contains(&template.as_str()) {
        text = page.tr.get(&template);
    }
    act(&state, &page, &csrf, &m, &out, &id, async |k, id| {
        cs::write_entry(&state.cx, &m.member, k, id, kind, &text).await
    })
    .await
}

pub async fn refer(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    HandlerCtx(m): HandlerCtx,
    Extension(out): Extension<CookieOut>,
    Path((_, id)): Path<(String, String)>,
    form: FormFields,
) -> WebResult<Response> {
    act(&state, &page, &csrf, &m, &out, &id, async |k, id| {
        cs::refer(
            &state.cx,
            &m.member,
            k,
            id,
            &form.get("body"),
            &form.get("reference"),
        )
        .await
    })
    .await
}

pub async fn recuse(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    HandlerCtx(m): HandlerCtx,
    Extension(out): Extension<CookieOut>,
    Path((_, id)): Path<(String, String)>,
    form: FormFields,
) -> WebResult<Response> {
    let who = form.get("account");
    let myself = who.trim() == m.member.account.id.to_string();
    let r = act(&state, &page, &csrf, &m, &out, &id, async |k, id| {
        cs::recuse(&state.cx, &m.member, k, id, &who).await
    })
    .await?;
    // Who recused themselves can no longer see the case: back to the list.
    if myself && r.status().is_redirection() {
        return Ok(redirect_flash(&out, &base(&m), Flash::Saved));
    }
    Ok(r)
}

pub async fn merge(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    HandlerCtx(m): HandlerCtx,
    Extension(out): Extension<CookieOut>,
    Path((_, id)): Path<(String, String)>,
    form: FormFields,
) -> WebResult<Response> {
    act(&state, &page, &csrf, &m, &out, &id, async |k, id| {
        cs::merge(&state.cx, &m.member, k, id, &form.get("into"))
            .await
            .map(|_| ())
    })
    .await
}

pub async fn attachment(
    State(state): State<AppState>,
    HandlerCtx(m): HandlerCtx,
    Path((_, id, record)): Path<(String, String, String)>,
) -> WebResult<Response> {
    let id = case_id(&id)?;
    let record: RecordId = record.parse().map_err(|_| WebError::NotFound)?;
    cs::may_see(&state.cx, &m.member, id)
        .await
        .map_err(web_error)?;
    let k = match keyring(&state, &m).await {
        Ok(k) => k,
        Err(r) => return Ok(r),
    };
    let (info, bytes) = cs::attachment(&state.cx, &m.member, &k, id, record)
        .await
        .map_err(web_error)?;
    Ok(no_store(download(
        bytes,
        info.kind.content_type(),
        &info.name,
    )))
}

// ---------------------------------------------------------------------------------------------
// A case from another channel, recorded by staff

#[derive(Template)]
#[template(path = "cases/record.html")]
struct RecordPage {
    l: Layout,
    base: String,
    channels: Vec<&'static str>,
    kinds: Vec<&'static str>,
    identities: Vec<&'static str>,
    errors: Vec<(String, String)>,
    receipt: Option<String>,
}

fn record_page(page: &Page, csrf: &Csrf, m: &MemberCtx) -> RecordPage {
    RecordPage {
        l: layout(page, csrf, m, page.tr.get("case-record-title")),
        base: base(m),
        channels: Channel::ALL
            .iter()
            .filter(|c| **c != Channel::Web)
            .map(|c| c.as_str())
            .collect(),
        kinds: Kind::ALL.iter().map(|k| k.as_str()).collect(),
        identities: Identity::ALL.iter().map(|i| i.as_str()).collect(),
        errors: Vec::new(),
        receipt: None,
    }
}

pub async fn show_record(page: Page, csrf: Csrf, HandlerCtx(m): HandlerCtx) -> WebResult<Response> {
    Ok(no_store(render(&record_page(&page, &csrf, &m))?))
}

pub async fn record(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    HandlerCtx(m): HandlerCtx,
    mp: Multipart,
) -> WebResult<Response> {
    let (form, input) = super::read_report(mp).await?;
    let mut p = record_page(&page, &csrf, &m);
    match cs::record_offline(
        &state.cx,
        &state.cases.secret,
        &m.member,
        &form.get("channel"),
        input,
    )
    .await
    {
        Ok(filed) => {
            p.receipt = Some(filed.receipt.to_string());
            Ok(no_store(render(&p)?))
        }
        Err(CaseError::Invalid(problems)) => {
            p.errors = messages(&page.tr, &problems);
            render_invalid(&p)
        }
        Err(CaseError::NotOpen) => {
            p.errors = vec![("form".into(), page.tr.get("case-not-open"))];
            render_invalid(&p)
        }
        Err(e) => Err(web_error(e)),
    }
}

// ---------------------------------------------------------------------------------------------
// The agency admin's settings: the recovery key and the periods

#[derive(Template)]
#[template(path = "cases/settings.html")]
struct SettingsPage {
    l: Layout,
    action: String,
    has_recovery: bool,
    ack_days: String,
    result_days: String,
    retention_days: String,
    errors: Vec<(String, String)>,
    /// The recovery key, on the one page that shows it.
    recovery_text: Option<String>,
}

async fn settings_page(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
) -> WebResult<SettingsPage> {
    if !m.member.membership.can(Permission::ManageCaseSettings) {
        return Err(WebError::Forbidden);
    }
    let s = state.cx.store.case_settings(m.agency.id).await?;
    Ok(SettingsPage {
        l: crate::platform::office_layout(
            page,
            csrf,
            m,
            page.tr.get("nav-case-settings"),
            "case-settings",
        ),
        action: format!("/a/{}/admin/case-settings", m.agency.slug),
        has_recovery: s.recovery_public.is_some(),
        ack_days: s.ack_days.to_string(),
        result_days: s.result_days.to_string(),
        retention_days: s.retention_days.to_string(),
        errors: Vec::new(),
        recovery_text: None,
    })
}

pub async fn show_settings(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
) -> WebResult<Response> {
    Ok(no_store(render(
        &settings_page(&state, &page, &csrf, &m).await?,
    )?))
}

pub async fn save_settings(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    let mut p = settings_page(&state, &page, &csrf, &m).await?;
    let (a, r, k) = (
        form.get("ack_days"),
        form.get("result_days"),
        form.get("retention_days"),
    );
    match cs::save_settings(&state.cx, &m.member, &a, &r, &k).await {
        Ok(_) => Ok(redirect_flash(&out, &p.action, Flash::Saved)),
        Err(CaseError::Invalid(problems)) => {
            p.errors = messages(&page.tr, &problems);
            p.ack_days = a;
            p.result_days = r;
            p.retention_days = k;
            render_invalid(&p)
        }
        Err(e) => Err(web_error(e)),
    }
}

/// Makes the recovery key and shows it, this once.
pub async fn make_recovery(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Extension(out): Extension<CookieOut>,
) -> WebResult<Response> {
    let mut p = settings_page(&state, &page, &csrf, &m).await?;
    match cs::make_recovery_key(&state.cx, &m.member).await {
        Ok(text) => {
            p.has_recovery = true;
            p.recovery_text = Some(text.to_string());
            Ok(no_store(render(&p)?))
        }
        Err(CaseError::AlreadyMade) => Ok(redirect_flash(&out, &p.action, Flash::Saved)),
        Err(e) => Err(web_error(e)),
    }
}

/// For templates: the catalog key of a state.
pub fn state_key(s: CaseState) -> String {
    format!("case-state-{}", s.as_str())
}
