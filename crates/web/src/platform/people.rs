//! The staff directory: list, create, edit, photo, delete. Division officers edit only the
//! people of their own division.

use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use prongsai_domain::FieldErrors;
use prongsai_domain::ids::PersonId;
use prongsai_domain::platform::person::PersonInput;
use prongsai_domain::platform::service::{self, PlatformError, Upload};
use prongsai_domain::platform::{Division, Permission, Person};

use crate::auth::MemberCtx;
use crate::error::{WebError, WebResult};
use crate::forms::{FormFields, read_upload};
use crate::http::cookies::CookieOut;
use crate::pages::{Csrf, Flash, Layout, Page, redirect_flash, render, render_invalid};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "platform/people.html")]
struct PeoplePage {
    l: Layout,
    slug: String,
    /// Each person, their division's name, and whether this member may edit them.
    rows: Vec<(Person, Option<String>, bool)>,
    can_create: bool,
}

#[derive(Template)]
#[template(path = "platform/person_form.html")]
struct PersonFormPage {
    l: Layout,
    slug: String,
    id: Option<PersonId>,
    photo: Option<String>,
    divisions: Vec<Division>,
    /// Whether "no division" may be chosen (admins only).
    allow_no_division: bool,
    f: PersonInput,
    e: FieldErrors,
    photo_errors: FieldErrors,
}

fn person_id(raw: &str) -> WebResult<PersonId> {
    raw.parse().map_err(|_| WebError::NotFound)
}

fn input_of(form: &FormFields) -> PersonInput {
    PersonInput {
        name: form.get("name"),
        position: form.get("position"),
        division_id: form.get("division_id"),
        executive: form.get("executive"),
        is_division_head: form.checked("is_division_head"),
        phone: form.get("phone"),
        email: form.get("email"),
        sort_order: form.get("sort_order"),
    }
}

struct FormArgs {
    id: Option<PersonId>,
    photo: Option<String>,
    f: PersonInput,
    e: FieldErrors,
    photo_errors: FieldErrors,
}

async fn form_page(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    a: FormArgs,
) -> WebResult<PersonFormPage> {
    let all = state.cx.store.list_divisions(m.agency.id).await?;
    let divisions = all
        .into_iter()
        .filter(|d| m.member.membership.can_edit_person_in(Some(d.id)))
        .collect();
    let title = page.tr.get(if a.id.is_some() {
        "person-edit"
    } else {
        "person-new"
    });
    Ok(PersonFormPage {
        l: super::office_layout(page, csrf, m, title, "people"),
        slug: m.agency.slug.to_string(),
        id: a.id,
        photo: a.photo,
        divisions,
        allow_no_division: m.member.membership.can_edit_person_in(None),
        f: a.f,
        e: a.e,
        photo_errors: a.photo_errors,
    })
}

fn photo_url(m: &MemberCtx, p: &Person) -> Option<String> {
    p.photo.map(|f| format!("/a/{}/files/{f}", m.agency.slug))
}

fn back(m: &MemberCtx) -> String {
    format!("/a/{}/admin/people", m.agency.slug)
}

pub async fn list_people(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
) -> WebResult<Response> {
    let divisions = state.cx.store.list_divisions(m.agency.id).await?;
    let people = state.cx.store.list_people(m.agency.id).await?;
    let can_manage = m.member.membership.can(Permission::ManagePeople);
    let rows = people
        .into_iter()
        .map(|p| {
            let dname = p
                .fields
                .division_id
                .and_then(|d| divisions.iter().find(|x| x.id == d))
                .map(|d| d.fields.name.clone());
            let editable =
                can_manage && m.member.membership.can_edit_person_in(p.fields.division_id);
            (p, dname, editable)
        })
        .collect();
    render(&PeoplePage {
        l: super::office_layout(&page, &csrf, &m, page.tr.get("nav-people"), "people"),
        slug: m.agency.slug.to_string(),
        rows,
        can_create: can_manage,
    })
}

pub async fn new_person(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
) -> WebResult<Response> {
    m.member
        .require(Permission::ManagePeople)
        .map_err(WebError::from)?;
    let a = FormArgs {
        id: None,
        photo: None,
        f: PersonInput::default(),
        e: FieldErrors::new(),
        photo_errors: FieldErrors::new(),
    };
    render(&form_page(&state, &page, &csrf, &m, a).await?)
}

pub async fn create_person(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    let input = input_of(&form);
    match service::create_person(&state.cx, &m.member, &input).await {
        Ok(id) => Ok(redirect_flash(
            &out,
            &format!("{}/{id}", back(&m)),
            Flash::Created,
        )),
        Err(PlatformError::Invalid(e)) => {
            let a = FormArgs {
                id: None,
                photo: None,
                f: input,
                e,
                photo_errors: FieldErrors::new(),
            };
            render_invalid(&form_page(&state, &page, &csrf, &m, a).await?)
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn edit_person(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Response> {
    let p = service::editable_person(&state.cx, &m.member, person_id(&id)?).await?;
    let a = FormArgs {
        id: Some(p.id),
        photo: photo_url(&m, &p),
        f: PersonInput::from_fields(&p.fields),
        e: FieldErrors::new(),
        photo_errors: FieldErrors::new(),
    };
    render(&form_page(&state, &page, &csrf, &m, a).await?)
}

pub async fn update_person(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, id)): Path<(String, String)>,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    let id = person_id(&id)?;
    let input = input_of(&form);
    match service::update_person(&state.cx, &m.member, id, &input).await {
        Ok(()) => Ok(redirect_flash(&out, &back(&m), Flash::Saved)),
        Err(PlatformError::Invalid(e)) => {
            let p = state.cx.store.person(m.agency.id, id).await?;
            let a = FormArgs {
                id: Some(id),
                photo: photo_url(&m, &p),
                f: input,
                e,
                photo_errors: FieldErrors::new(),
            };
            render_invalid(&form_page(&state, &page, &csrf, &m, a).await?)
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn update_photo(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, id)): Path<(String, String)>,
    Extension(out): Extension<CookieOut>,
    mp: Multipart,
) -> WebResult<Response> {
    let id = person_id(&id)?;
    let p = service::editable_person(&state.cx, &m.member, id).await?;
    let file = read_upload(mp, "photo").await?;
    let upload = Upload {
        file_name: &file.file_name,
        bytes: &file.bytes,
        max_bytes: state.config.max_image_bytes,
    };
    match service::set_person_photo(&state.cx, state.blobs.as_ref(), &m.member, id, &upload).await {
        Ok(()) => Ok(redirect_flash(
            &out,
            &format!("{}/{id}", back(&m)),
            Flash::Saved,
        )),
        Err(PlatformError::Invalid(e)) => {
            let a = FormArgs {
                id: Some(id),
                photo: photo_url(&m, &p),
                f: PersonInput::from_fields(&p.fields),
                e: FieldErrors::new(),
                photo_errors: e,
            };
            render_invalid(&form_page(&state, &page, &csrf, &m, a).await?)
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn delete_person(
    State(state): State<AppState>,
    m: MemberCtx,
    Path((_, id)): Path<(String, String)>,
    Extension(out): Extension<CookieOut>,
) -> WebResult<Response> {
    service::delete_person(&state.cx, &m.member, person_id(&id)?).await?;
    Ok(redirect_flash(&out, &back(&m), Flash::Deleted))
}
