//! The back-office home of an agency.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use prongsai_domain::platform::audit::{AuditEntry, AuditFilter};
use prongsai_domain::platform::{Actor, Permission};
use prongsai_domain::{ErrorCode, FieldErrors};
use prongsai_thai::FiscalYear;

use crate::auth::MemberCtx;
use crate::error::{WebError, WebResult};
use crate::forms::FormFields;
use crate::http::cookies::CookieOut;
use crate::pages::{Csrf, Flash, Layout, Page, redirect_flash, render, render_invalid};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "platform/dashboard.html")]
struct DashboardPage {
    l: Layout,
    slug: String,
    divisions: usize,
    people: usize,
    executives: usize,
    members: Option<usize>,
    /// Pages and news items, for those who write them.
    content: Option<(usize, usize)>,
    years: Vec<i32>,
    current_year: i32,
    can_manage: bool,
    recent: Vec<AuditEntry>,
    e: FieldErrors,
}

async fn dashboard(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    e: FieldErrors,
) -> WebResult<DashboardPage> {
    let agency = m.agency.id;
    let store = &state.cx.store;
    let people = store.list_people(agency).await?;
    let can_audit = m.member.membership.can(Permission::ViewAudit);
    let recent = if can_audit {
        store
            .audit_page(
                agency,
                &AuditFilter {
                    limit: 5,
                    ..Default::default()
                },
            )
            .await?
    } else {
        Vec::new()
    };
    let content = if m.member.membership.can(Permission::EditPortal) {
        use prongsai_domain::portal::ContentKind;
        let all = store
            .list_content(
                agency,
                &[
                    ContentKind::Page,
                    ContentKind::News,
                    ContentKind::Announcement,
                ],
            )
            .await?;
        let pages = all.iter().filter(|c| c.fields.kind.is_page()).count();
        Some((pages, all.len() - pages))
    } else {
        None
    };
    let members = if m.member.membership.can(Permission::ManageAccounts) {
        Some(store.list_members(agency).await?.len())
    } else {
        None
    };
    Ok(DashboardPage {
        l: super::office_layout(page, csrf, m, page.tr.get("nav-dashboard"), ""),
        slug: m.agency.slug.to_string(),
        divisions: store.list_divisions(agency).await?.len(),
        executives: people
            .iter()
            .filter(|p| p.fields.executive.is_some())
            .count(),
        people: people.len(),
        members,
        content,
        years: store.list_fiscal_years(agency).await?,
        current_year: FiscalYear::of(state.cx.clock.today()).be(),
        can_manage: m.member.membership.can(Permission::EditAgency),
        recent,
        e,
    })
}

pub async fn show_dashboard(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
) -> WebResult<Response> {
    render(&dashboard(&state, &page, &csrf, &m, FieldErrors::new()).await?)
}

pub async fn open_fiscal_year(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    m.member
        .require(Permission::EditAgency)
        .map_err(WebError::from)?;
    let raw = form.get("year");
    let year = raw
        .parse::<FiscalYear>()
        .ok()
        .filter(|y| (2550..=2600).contains(&y.be()));
    let Some(year) = year else {
        let e = FieldErrors::single("year", ErrorCode::InvalidNumber);
        return render_invalid(&dashboard(&state, &page, &csrf, &m, e).await?);
    };
    let actor: &Actor = &m.member.actor;
    state
        .cx
        .store
        .open_fiscal_year(state.cx.write(actor), m.agency.id, year.be())
        .await?;
    Ok(redirect_flash(
        &out,
        &format!("/a/{}/admin/", m.agency.slug),
        Flash::Saved,
    ))
}
