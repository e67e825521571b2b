//! The agency's accounts: who can sign in, with which roles, linked to which person.

use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Response;
use prongsai_domain::FieldErrors;
use prongsai_domain::ids::AccountId;
use prongsai_domain::platform::service::{self, MemberInput, PlatformError};
use prongsai_domain::platform::{Division, MemberRow, Permission, Person, Role};

use crate::auth::MemberCtx;
use crate::error::{WebError, WebResult};
use crate::forms::FormFields;
use crate::http::cookies::CookieOut;
use crate::pages::{Csrf, Flash, Layout, Page, no_store, redirect_flash, render, render_invalid};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "platform/members.html")]
struct MembersPage {
    l: Layout,
    slug: String,
    rows: Vec<MemberRow>,
    divisions: Vec<Division>,
}

#[derive(Template)]
#[template(path = "platform/member_form.html")]
struct MemberFormPage {
    l: Layout,
    slug: String,
    /// The account being edited, with its e-mail; `None` for a new member.
    editing: Option<(AccountId, String)>,
    f: MemberInput,
    roles: Vec<Role>,
    people: Vec<Person>,
    divisions: Vec<Division>,
    e: FieldErrors,
}

#[derive(Template)]
#[template(path = "platform/member_password.html")]
struct PasswordShownPage {
    l: Layout,
    slug: String,
    email: String,
    password: String,
}

fn account_id(raw: &str) -> WebResult<AccountId> {
    raw.parse().map_err(|_| WebError::NotFound)
}

fn input_of(form: &FormFields) -> MemberInput {
    MemberInput {
        email: form.get("email"),
        display_name: form.get("display_name"),
        person_id: form.get("person_id"),
        roles: form.all("roles"),
        division_id: form.get("division_id"),
    }
}

async fn form_page(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    editing: Option<(AccountId, String)>,
    f: MemberInput,
    e: FieldErrors,
) -> WebResult<MemberFormPage> {
    let title = page.tr.get(if editing.is_some() {
        "member-edit"
    } else {
        "member-new"
    });
    Ok(MemberFormPage {
        l: super::office_layout(page, csrf, m, title, "members"),
        slug: m.agency.slug.to_string(),
        editing,
        f,
        roles: Role::ALL.to_vec(),
        people: state.cx.store.list_people(m.agency.id).await?,
        divisions: state.cx.store.list_divisions(m.agency.id).await?,
        e,
    })
}

/// The form of a stored member, with errors from an action on it.
async fn stored_form(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    id: AccountId,
    e: FieldErrors,
) -> WebResult<MemberFormPage> {
    let account = state.cx.store.account(id).await?;
    let row = state
        .cx
        .store
        .membership(m.agency.id, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let f = MemberInput {
        email: account.email.clone(),
        display_name: account.display_name.clone(),
        roles: row.roles().iter().map(|r| r.as_str().to_owned()).collect(),
        person_id: row.person_id.map(|p| p.to_string()).unwrap_or_default(),
        division_id: row
            .officer_divisions()
            .first()
            .map(ToString::to_string)
            .unwrap_or_default(),
    };
    form_page(state, page, csrf, m, Some((id, account.email)), f, e).await
}

fn back(m: &MemberCtx) -> String {
    format!("/a/{}/admin/members", m.agency.slug)
}

fn require(m: &MemberCtx) -> WebResult<()> {
    m.member
        .require(Permission::ManageAccounts)
        .map_err(WebError::from)
}

pub async fn list_members(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
) -> WebResult<Response> {
    require(&m)?;
    render(&MembersPage {
        l: super::office_layout(&page, &csrf, &m, page.tr.get("nav-members"), "members"),
        slug: m.agency.slug.to_string(),
        rows: state.cx.store.list_members(m.agency.id).await?,
        divisions: state.cx.store.list_divisions(m.agency.id).await?,
    })
}

pub async fn new_member(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
) -> WebResult<Response> {
    require(&m)?;
    render(
        &form_page(
            &state,
            &page,
            &csrf,
            &m,
            None,
            MemberInput::default(),
            FieldErrors::new(),
        )
        .await?,
    )
}

pub async fn create_member(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    let input = input_of(&form);
    match service::add_member(&state.cx, &m.member, &input).await {
        Ok((_, Some(password))) => Ok(no_store(render(&PasswordShownPage {
            l: super::office_layout(
                &page,
                &csrf,
                &m,
                page.tr.get("member-created-title"),
                "members",
            ),
            slug: m.agency.slug.to_string(),
            email: input.email.trim().to_lowercase(),
            password,
        })?)),
        Ok((_, None)) => Ok(redirect_flash(&out, &back(&m), Flash::Created)),
        Err(PlatformError::Invalid(e)) => {
            render_invalid(&form_page(&state, &page, &csrf, &m, None, input, e).await?)
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn edit_member(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Response> {
    require(&m)?;
    render(
        &stored_form(
            &state,
            &page,
            &csrf,
            &m,
            account_id(&id)?,
            FieldErrors::new(),
        )
        .await?,
    )
}

pub async fn update_member(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, id)): Path<(String, String)>,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    let id = account_id(&id)?;
    let input = input_of(&form);
    match service::update_member(&state.cx, &m.member, id, &input).await {
        Ok(()) => Ok(redirect_flash(&out, &back(&m), Flash::Saved)),
        Err(PlatformError::Invalid(e)) => {
            let email = state.cx.store.account(id).await?.email;
            render_invalid(&form_page(&state, &page, &csrf, &m, Some((id, email)), input, e).await?)
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn reset_password(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Response> {
    let id = account_id(&id)?;
    match service::reset_member_password(&state.cx, &m.member, id).await {
        Ok(password) => {
            let email = state.cx.store.account(id).await?.email;
            Ok(no_store(render(&PasswordShownPage {
                l: super::office_layout(
                    &page,
                    &csrf,
                    &m,
                    page.tr.get("member-reset-title"),
                    "members",
                ),
                slug: m.agency.slug.to_string(),
                email,
                password,
            })?))
        }
        Err(PlatformError::Invalid(e)) => {
            render_invalid(&stored_form(&state, &page, &csrf, &m, id, e).await?)
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn remove_member(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, id)): Path<(String, String)>,
    Extension(out): Extension<CookieOut>,
) -> WebResult<Response> {
    let id = account_id(&id)?;
    match service::remove_member(&state.cx, &m.member, id).await {
        Ok(()) => Ok(redirect_flash(&out, &back(&m), Flash::Deleted)),
        Err(PlatformError::Invalid(e)) => {
            render_invalid(&stored_form(&state, &page, &csrf, &m, id, e).await?)
        }
        Err(other) => Err(other.into()),
    }
}
