//! The member's notifications in an agency: reminders about actions, plans to approve.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;

use crate::auth::MemberCtx;
use crate::error::WebResult;
use crate::http::cookies::CookieOut;
use crate::pages::{Csrf, Flash, Layout, Page, redirect_flash, render};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "platform/notifications.html")]
struct NotificationsPage {
    l: Layout,
    slug: String,
    /// (when, message, link, unread).
    rows: Vec<(String, String, String, bool)>,
}

pub async fn list_notifications(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
) -> WebResult<Response> {
    let slug = m.agency.slug.to_string();
    let rows = state
        .cx
        .store
        .notifications(m.agency.id, m.user.account.id, 100)
        .await?
        .into_iter()
        .map(|n| {
            let args: Vec<(&str, &str)> = n
                .args
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let link = if n.link.is_empty() {
                format!("/a/{slug}/admin/")
            } else {
                format!("/a/{slug}/admin/{}", n.link)
            };
            (
                page.tr.datetime(n.created_at),
                page.tr.args(&n.message_key, &args),
                link,
                n.read_at.is_none(),
            )
        })
        .collect();
    render(&NotificationsPage {
        l: super::office_layout(
            &page,
            &csrf,
            &m,
            page.tr.get("nav-notifications"),
            "notifications",
        ),
        slug,
        rows,
    })
}

pub async fn mark_read(
    State(state): State<AppState>,
    m: MemberCtx,
    Extension(out): Extension<CookieOut>,
) -> WebResult<Response> {
    state
        .cx
        .store
        .mark_read(m.agency.id, m.user.account.id, state.cx.clock.unix())
        .await?;
    Ok(redirect_flash(
        &out,
        &format!("/a/{}/admin/notifications", m.agency.slug),
        Flash::Saved,
    ))
}
