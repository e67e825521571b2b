//! The platform operator's page: every agency, and a form to create one with its first admin.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use prongsai_domain::FieldErrors;
use prongsai_domain::platform::service::{self, PlatformError};
use prongsai_domain::platform::{AgencyKind, AgencyProfileInput, AgencySummary};

use crate::auth::SignedIn;
use crate::error::{WebError, WebResult};
use crate::forms::FormFields;
use crate::pages::{Csrf, Layout, Page, UserNav, no_store, render, render_invalid};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "platform/operator.html")]
struct OperatorPage {
    l: Layout,
    agencies: Vec<AgencySummary>,
    kinds: Vec<AgencyKind>,
    f: NewAgencyForm,
    e: FieldErrors,
    /// After creating an agency with a new admin: (slug, admin e-mail, temporary password).
    created: Option<(String, String, Option<String>)>,
}

#[derive(Default)]
struct NewAgencyForm {
    slug: String,
    name: String,
    kind: String,
    province: String,
    district: String,
    admin_email: String,
}

async fn page_of(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    u: &crate::auth::CurrentUser,
) -> WebResult<OperatorPage> {
    let mut l = Layout::new(page, page.tr.get("operator-title")).csrf(csrf);
    l.user = Some(UserNav {
        name: u.account.display_name.clone(),
        is_operator: true,
    });
    Ok(OperatorPage {
        l,
        agencies: state.cx.store.list_agencies().await?,
        kinds: AgencyKind::ALL.to_vec(),
        f: NewAgencyForm {
            kind: AgencyKind::SubdistrictMunicipality.as_str().to_owned(),
            ..Default::default()
        },
        e: FieldErrors::new(),
        created: None,
    })
}

pub async fn list_agencies(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    SignedIn(u): SignedIn,
) -> WebResult<Response> {
    if !u.account.is_platform_operator {
        return Err(WebError::Forbidden);
    }
    render(&page_of(&state, &page, &csrf, &u).await?)
}

pub async fn create_agency(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    SignedIn(u): SignedIn,
    form: FormFields,
) -> WebResult<Response> {
    if !u.account.is_platform_operator {
        return Err(WebError::Forbidden);
    }
    let f = NewAgencyForm {
        slug: form.get("slug"),
        name: form.get("name"),
        kind: form.get("kind"),
        province: form.get("province"),
        district: form.get("district"),
        admin_email: form.get("admin_email"),
    };
    let profile = AgencyProfileInput {
        name: f.name.clone(),
        kind: f.kind.clone(),
        province: f.province.clone(),
        district: f.district.clone(),
        ..Default::default()
    };
    let actor = prongsai_domain::platform::Actor::account(u.account.id, &u.account.email);
    match service::create_agency(
        &state.cx,
        &actor,
        &u.account,
        &f.slug,
        &profile,
        &f.admin_email,
    )
    .await
    {
        Ok((_, temp)) => {
            let mut p = page_of(&state, &page, &csrf, &u).await?;
            p.created = Some((
                f.slug.trim().to_lowercase(),
                f.admin_email.trim().to_lowercase(),
                temp,
            ));
            Ok(no_store(render(&p)?))
        }
        Err(PlatformError::Invalid(e)) => {
            let mut p = page_of(&state, &page, &csrf, &u).await?;
            p.f = f;
            p.e = e;
            render_invalid(&p)
        }
        Err(other) => Err(other.into()),
    }
}
