//! The audit log of an agency, newest first, with filters.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use prongsai_domain::platform::Permission;
use prongsai_domain::platform::audit::{AuditEntry, AuditFilter, Change};
use serde::Deserialize;

use crate::auth::MemberCtx;
use crate::error::{WebError, WebResult};
use crate::pages::{Csrf, Layout, Page, percent_encode, render};
use crate::state::AppState;

const PAGE_SIZE: i64 = 50;

/// The entity kinds the filter offers.
const ENTITIES: &[&str] = &[
    "agency",
    "division",
    "person",
    "account",
    "membership",
    "file",
    "fiscal-year",
];

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    #[serde(default)]
    entity: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    before: String,
}

#[derive(Template)]
#[template(path = "platform/audit.html")]
struct AuditPage {
    l: Layout,
    slug: String,
    q: AuditQuery,
    entities: &'static [&'static str],
    rows: Vec<(AuditEntry, Vec<Change>)>,
    /// The query string of the next (older) page, if there may be one.
    older: Option<String>,
    bad_dates: bool,
}

/// Midnight in Bangkok at the start of a typed date, as Unix seconds.
fn day_start(raw: &str) -> Option<Option<i64>> {
    if raw.trim().is_empty() {
        return Some(None);
    }
    let date = prongsai_thai::parse_date(raw).ok()?;
    Some(Some(
        date.midnight()
            .assume_offset(prongsai_thai::BANGKOK)
            .unix_timestamp(),
    ))
}

pub async fn list_audit(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Query(q): Query<AuditQuery>,
) -> WebResult<Response> {
    m.member
        .require(Permission::ViewAudit)
        .map_err(WebError::from)?;
    let from = day_start(&q.from);
    let until = day_start(&q.until).map(|u| u.map(|t| t + 86_400));
    let bad_dates = from.is_none() || until.is_none();
    let some = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let filter = AuditFilter {
        entity: some(&q.entity),
        action: some(&q.action),
        actor: some(&q.actor).map(|a| a.to_lowercase()),
        from: from.flatten(),
        until: until.flatten(),
        before_seq: q.before.trim().parse().ok(),
        limit: PAGE_SIZE,
    };
    let entries = state.cx.store.audit_page(m.agency.id, &filter).await?;
    let older = (entries.len() as i64 == PAGE_SIZE).then(|| {
        let last = entries.last().map_or(0, |e| e.seq);
        format!(
            "entity={}&action={}&actor={}&from={}&until={}&before={last}",
            percent_encode(&q.entity),
            percent_encode(&q.action),
            percent_encode(&q.actor),
            percent_encode(&q.from),
            percent_encode(&q.until),
        )
    });
    let rows = entries
        .into_iter()
        .map(|e| {
            let changes = e.parsed_changes();
            (e, changes)
        })
        .collect();
    render(&AuditPage {
        l: super::office_layout(&page, &csrf, &m, page.tr.get("nav-audit"), "audit"),
        slug: m.agency.slug.to_string(),
        q,
        entities: ENTITIES,
        rows,
        older,
        bad_dates,
    })
}
