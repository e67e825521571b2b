//! The agency profile: name, kind, place, contacts, security settings, and the logo.

use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, State};
use axum::response::Response;
use prongsai_domain::FieldErrors;
use prongsai_domain::platform::service::{self, PlatformError, Upload};
use prongsai_domain::platform::{AgencyKind, AgencyProfileInput, Permission};

use crate::auth::MemberCtx;
use crate::error::{WebError, WebResult};
use crate::forms::{FormFields, read_upload};
use crate::http::cookies::CookieOut;
use crate::pages::{Csrf, Flash, Layout, Page, redirect_flash, render, render_invalid};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "platform/profile.html")]
struct ProfilePage {
    l: Layout,
    slug: String,
    f: AgencyProfileInput,
    kinds: Vec<AgencyKind>,
    e: FieldErrors,
    logo: Option<String>,
    logo_errors: FieldErrors,
}

fn profile_page(
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    f: AgencyProfileInput,
    e: FieldErrors,
    logo_errors: FieldErrors,
) -> ProfilePage {
    ProfilePage {
        l: super::office_layout(page, csrf, m, page.tr.get("nav-profile"), "profile"),
        slug: m.agency.slug.to_string(),
        f,
        kinds: AgencyKind::ALL.to_vec(),
        e,
        logo: m
            .agency
            .logo
            .map(|id| format!("/a/{}/files/{id}", m.agency.slug)),
        logo_errors,
    }
}

pub async fn edit_profile(page: Page, csrf: Csrf, m: MemberCtx) -> WebResult<Response> {
    m.member
        .require(Permission::EditAgency)
        .map_err(WebError::from)?;
    let f = AgencyProfileInput::from_profile(&m.agency.profile);
    render(&profile_page(
        &page,
        &csrf,
        &m,
        f,
        FieldErrors::new(),
        FieldErrors::new(),
    ))
}

/// The profile form's fields.
fn input_of(form: &FormFields) -> AgencyProfileInput {
    AgencyProfileInput {
        name: form.get("name"),
        name_en: form.get("name_en"),
        kind: form.get("kind"),
        province: form.get("province"),
        district: form.get("district"),
        subdistrict: form.get("subdistrict"),
        address: form.get("address"),
        postcode: form.get("postcode"),
        phone: form.get("phone"),
        fax: form.get("fax"),
        email: form.get("email"),
        website: form.get("website"),
        facebook: form.get("facebook"),
        line_id: form.get("line_id"),
        office_hours: form.get("office_hours"),
        about: form.get("about"),
        require_totp: form.checked("require_totp"),
    }
}

pub async fn update_profile(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    let input = input_of(&form);
    match service::update_agency_profile(&state.cx, &m.member, &input).await {
        Ok(()) => Ok(redirect_flash(
            &out,
            &format!("/a/{}/admin/profile", m.agency.slug),
            Flash::Saved,
        )),
        Err(PlatformError::Invalid(e)) => render_invalid(&profile_page(
            &page,
            &csrf,
            &m,
            input,
            e,
            FieldErrors::new(),
        )),
        Err(other) => Err(other.into()),
    }
}

pub async fn update_logo(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Extension(out): Extension<CookieOut>,
    mp: Multipart,
) -> WebResult<Response> {
    m.member
        .require(Permission::EditAgency)
        .map_err(WebError::from)?;
    let file = read_upload(mp, "logo").await?;
    let upload = Upload {
        file_name: &file.file_name,
        bytes: &file.bytes,
        max_bytes: state.config.max_image_bytes,
    };
    match service::set_agency_logo(&state.cx, state.blobs.as_ref(), &m.member, &upload).await {
        Ok(()) => Ok(redirect_flash(
            &out,
            &format!("/a/{}/admin/profile", m.agency.slug),
            Flash::Saved,
        )),
        Err(PlatformError::Invalid(e)) => {
            let f = AgencyProfileInput::from_profile(&m.agency.profile);
            render_invalid(&profile_page(&page, &csrf, &m, f, FieldErrors::new(), e))
        }
        Err(other) => Err(other.into()),
    }
}
