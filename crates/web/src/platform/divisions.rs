//! Divisions: list, create, edit, delete.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Response;
use prongsai_domain::FieldErrors;
use prongsai_domain::ids::DivisionId;
use prongsai_domain::platform::division::DivisionInput;
use prongsai_domain::platform::service::{self, PlatformError};
use prongsai_domain::platform::{Division, Permission, Person};

use crate::auth::MemberCtx;
use crate::error::{WebError, WebResult};
use crate::forms::FormFields;
use crate::http::cookies::CookieOut;
use crate::pages::{Csrf, Flash, Layout, Page, redirect_flash, render, render_invalid};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "platform/divisions.html")]
struct DivisionsPage {
    l: Layout,
    slug: String,
    rows: Vec<(Division, usize, Option<Person>)>,
    can_edit: bool,
}

#[derive(Template)]
#[template(path = "platform/division_form.html")]
struct DivisionFormPage {
    l: Layout,
    slug: String,
    /// `None` for a new division.
    id: Option<DivisionId>,
    f: DivisionInput,
    e: FieldErrors,
}

/// Parses `{id}`; anything else is a 404, never a 400, so ids can't be probed.
fn division_id(raw: &str) -> WebResult<DivisionId> {
    raw.parse().map_err(|_| WebError::NotFound)
}

fn input_of(form: &FormFields) -> DivisionInput {
    DivisionInput {
        name: form.get("name"),
        short_name: form.get("short_name"),
        name_en: form.get("name_en"),
        duties: form.get("duties"),
        phone: form.get("phone"),
        email: form.get("email"),
        sort_order: form.get("sort_order"),
    }
}

fn form_page(
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    id: Option<DivisionId>,
    f: DivisionInput,
    e: FieldErrors,
) -> DivisionFormPage {
    let title = page.tr.get(if id.is_some() {
        "division-edit"
    } else {
        "division-new"
    });
    DivisionFormPage {
        l: super::office_layout(page, csrf, m, title, "divisions"),
        slug: m.agency.slug.to_string(),
        id,
        f,
        e,
    }
}

fn back(m: &MemberCtx) -> String {
    format!("/a/{}/admin/divisions", m.agency.slug)
}

pub async fn list_divisions(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
) -> WebResult<Response> {
    let divisions = state.cx.store.list_divisions(m.agency.id).await?;
    let people = state.cx.store.list_people(m.agency.id).await?;
    let rows = divisions
        .into_iter()
        .map(|d| {
            let members = people
                .iter()
                .filter(|p| p.fields.division_id == Some(d.id))
                .count();
            let head = people
                .iter()
                .find(|p| p.fields.division_id == Some(d.id) && p.fields.is_division_head)
                .cloned();
            (d, members, head)
        })
        .collect();
    render(&DivisionsPage {
        l: super::office_layout(&page, &csrf, &m, page.tr.get("nav-divisions"), "divisions"),
        slug: m.agency.slug.to_string(),
        rows,
        can_edit: m.member.membership.can(Permission::ManageDivisions),
    })
}

pub async fn new_division(page: Page, csrf: Csrf, m: MemberCtx) -> WebResult<Response> {
    m.member
        .require(Permission::ManageDivisions)
        .map_err(WebError::from)?;
    render(&form_page(
        &page,
        &csrf,
        &m,
        None,
        DivisionInput::default(),
        FieldErrors::new(),
    ))
}

pub async fn create_division(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    let input = input_of(&form);
    match service::create_division(&state.cx, &m.member, &input).await {
        Ok(_) => Ok(redirect_flash(&out, &back(&m), Flash::Created)),
        Err(PlatformError::Invalid(e)) => {
            render_invalid(&form_page(&page, &csrf, &m, None, input, e))
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn edit_division(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Response> {
    m.member
        .require(Permission::ManageDivisions)
        .map_err(WebError::from)?;
    let d = state
        .cx
        .store
        .division(m.agency.id, division_id(&id)?)
        .await?;
    render(&form_page(
        &page,
        &csrf,
        &m,
        Some(d.id),
        DivisionInput::from_fields(&d.fields),
        FieldErrors::new(),
    ))
}

pub async fn update_division(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, id)): Path<(String, String)>,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    let id = division_id(&id)?;
    let input = input_of(&form);
    match service::update_division(&state.cx, &m.member, id, &input).await {
        Ok(()) => Ok(redirect_flash(&out, &back(&m), Flash::Saved)),
        Err(PlatformError::Invalid(e)) => {
            render_invalid(&form_page(&page, &csrf, &m, Some(id), input, e))
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn delete_division(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, id)): Path<(String, String)>,
    Extension(out): Extension<CookieOut>,
) -> WebResult<Response> {
    let id = division_id(&id)?;
    match service::delete_division(&state.cx, &m.member, id).await {
        Ok(()) => Ok(redirect_flash(&out, &back(&m), Flash::Deleted)),
        Err(PlatformError::Invalid(e)) => {
            let d = state.cx.store.division(m.agency.id, id).await?;
            render_invalid(&form_page(
                &page,
                &csrf,
                &m,
                Some(id),
                DivisionInput::from_fields(&d.fields),
                e,
            ))
        }
        Err(other) => Err(other.into()),
    }
}
