//! The platform operator's reference averages: the national and provincial figures the NACC
//! publishes, imported from CSV so that every agency's results page can compare with them.

use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, State};
use axum::response::Response;
use prongsai_domain::ita::averages::{self, ImportError, Of, Scope};
use prongsai_domain::ita::framework::format_hundredths;
use prongsai_domain::platform::Actor;

use crate::auth::{CurrentUser, SignedIn};
use crate::error::{WebError, WebResult};
use crate::http::cookies::CookieOut;
use crate::ita::edit::{operator, operator_layout};
use crate::ita::results::{problem_texts, uploaded_csv};
use crate::pages::{Csrf, Flash, Layout, Page, redirect_flash, render, render_invalid};
use crate::state::AppState;

const HREF: &str = "/platform/ita/averages";

/// One imported set in the list.
pub struct SetRow {
    pub year: i32,
    pub scope: String,
    pub figures: usize,
    pub total: String,
    pub imported: String,
}

#[derive(Template)]
#[template(path = "ita/averages.html")]
struct AveragesPage {
    l: Layout,
    rows: Vec<SetRow>,
    /// (place, message) of a refused file.
    csv_errors: Vec<(String, String)>,
}

async fn page_of(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    u: &CurrentUser,
    csv_errors: Vec<(String, String)>,
) -> WebResult<AveragesPage> {
    let tr = &page.tr;
    let rows = state
        .cx
        .store
        .average_sets(None)
        .await?
        .into_iter()
        .map(|s| SetRow {
            year: s.fiscal_year.be(),
            scope: match &s.scope {
                Scope::National => tr.get("avg-national"),
                Scope::Province(p) => tr.arg("avg-province", "name", p),
            },
            figures: s.values.len(),
            total: s
                .values
                .get(&Of::Total)
                .map_or_else(|| "–".into(), |v| format_hundredths(i64::from(v.0))),
            imported: tr.arg2(
                "avg-imported",
                "at",
                tr.datetime(s.imported_at),
                "by",
                &s.imported_by,
            ),
        })
        .collect();
    Ok(AveragesPage {
        l: operator_layout(page, csrf, u, tr.get("avg-title"), HREF),
        rows,
        csv_errors,
    })
}

/// `GET /platform/ita/averages`.
pub async fn show(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    SignedIn(u): SignedIn,
) -> WebResult<Response> {
    operator(&u)?;
    render(&page_of(&state, &page, &csrf, &u, Vec::new()).await?)
}

/// `POST /platform/ita/averages`: imports a CSV file; a file with any problem changes nothing.
pub async fn import(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    SignedIn(u): SignedIn,
    Extension(out): Extension<CookieOut>,
    mp: Multipart,
) -> WebResult<Response> {
    operator(&u)?;
    let tr = &page.tr;
    let problems = match uploaded_csv(mp, tr).await? {
        Err(problems) => problems,
        Ok(bytes) => {
            let actor = Actor::account(u.account.id, &u.account.email);
            match averages::import(&state.cx, &actor, &u.account, &bytes).await {
                Ok(_) => return Ok(redirect_flash(&out, HREF, Flash::Saved)),
                Err(ImportError::Invalid(p)) => problem_texts(tr, &p),
                Err(ImportError::Forbidden) => return Err(WebError::Forbidden),
                Err(ImportError::Store(e)) => return Err(e.into()),
                Err(ImportError::Load(e)) => return Err(e.into()),
            }
        }
    };
    render_invalid(&page_of(&state, &page, &csrf, &u, problems).await?)
}
