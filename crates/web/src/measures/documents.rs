//! The documents of a plan: the consistency check before anything is generated, the report and
//! the announcement, and the Excel round trip (export, import with a preview of the
//! differences, confirm).

use askama::Template;
use axum::Extension;
use axum::extract::{Multipart, Path, State};
use axum::response::Response;
use prongsai_domain::measures::service::{self as ms, PlanView};
use prongsai_domain::measures::workbook::{
    self as wb, Difference, ImportError, ImportProblem, PLAN_COLUMNS, PLAN_SHEET, REVIEW_COLUMNS,
    REVIEW_SHEET, STEP_COLUMNS, STEP_SHEET,
};
use prongsai_domain::measures::{PlanContent, PlanStatus};
use prongsai_domain::platform::file::FileKind;
use prongsai_domain::platform::service::{Upload, store_upload};
use prongsai_domain::platform::session::hex_sha256;
use prongsai_domain::platform::{Division, Permission};
use prongsai_sheets::{CellProblem, Problem, SheetData, SheetSpec};
use prongsai_thai::FiscalYear;

use super::plans::{WarningRow, warning_rows};
use super::{web_error, year_of};
use crate::auth::MemberCtx;
use crate::error::{WebError, WebResult};
use crate::forms::{FormFields, read_multipart};
use crate::http::cookies::CookieOut;
use crate::i18n::Tr;
use crate::pages::{
    Csrf, Flash, Layout, Page, download, no_store, redirect_flash, render, render_invalid,
};
use crate::platform::office_layout;
use crate::state::AppState;

/// The most rows a plan sheet may have.
const MAX_ROWS: usize = 2000;

#[derive(Template)]
#[template(path = "measures/documents.html")]
struct DocumentsPage {
    l: Layout,
    slug: String,
    year: i32,
    warnings: Vec<WarningRow>,
    can_import: bool,
    /// (cell, message) of a refused import.
    import_errors: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "measures/import_preview.html")]
struct PreviewPage {
    l: Layout,
    slug: String,
    year: i32,
    file: String,
    stamp: String,
    differences: Vec<Difference>,
    measures: usize,
    actions: usize,
}

async fn documents_page(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    m: &MemberCtx,
    year: FiscalYear,
    import_errors: Vec<(String, String)>,
) -> WebResult<DocumentsPage> {
    let view = ms::plan_view(&state.cx, m.agency.id, year)
        .await
        .map_err(web_error)?;
    Ok(DocumentsPage {
        l: office_layout(
            page,
            csrf,
            m,
            page.tr.arg("measures-documents-title", "year", year.be()),
            "measures",
        ),
        slug: m.agency.slug.to_string(),
        year: year.be(),
        warnings: warning_rows(state, &page.tr, m, &view).await?,
        can_import: m.member.membership.can(Permission::ManageMeasures)
            && view.plan.status == PlanStatus::Draft,
        import_errors,
    })
}

pub async fn show_documents(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year)): Path<(String, String)>,
) -> WebResult<Response> {
    render(&documents_page(&state, &page, &csrf, &m, year_of(&year)?, Vec::new()).await?)
}

fn specs() -> [SheetSpec; 3] {
    let spec = |name: &str, cols: &[(&str, f64)]| SheetSpec {
        name: name.to_owned(),
        headers: cols.iter().map(|(h, _)| (*h).to_owned()).collect(),
        widths: cols.iter().map(|(_, w)| *w).collect(),
    };
    [
        spec(PLAN_SHEET, &PLAN_COLUMNS),
        spec(REVIEW_SHEET, &REVIEW_COLUMNS),
        spec(STEP_SHEET, &STEP_COLUMNS),
    ]
}

pub async fn export_xlsx(
    State(state): State<AppState>,
    m: MemberCtx,
    Path((_, year)): Path<(String, String)>,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    let view = ms::plan_view(&state.cx, m.agency.id, year)
        .await
        .map_err(web_error)?;
    let divisions = state.cx.store.list_divisions(m.agency.id).await?;
    let bytes = workbook(&view, &divisions, &m.agency.profile.name)?;
    Ok(no_store(download(
        bytes,
        FileKind::Xlsx.content_type(),
        &format!("มาตรการ-{}-{}.xlsx", m.agency.slug, year.be()),
    )))
}

fn workbook(view: &PlanView, divisions: &[Division], agency_name: &str) -> WebResult<Vec<u8>> {
    let [plan, reviews, steps] = wb::export_rows(view, divisions);
    let [s1, s2, s3] = specs();
    let sheets = [
        SheetData {
            spec: s1,
            rows: plan,
        },
        SheetData {
            spec: s2,
            rows: reviews,
        },
        SheetData {
            spec: s3,
            rows: steps,
        },
    ];
    let title = format!(
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใส {agency_name} {}",
        view.plan.fiscal_year.be()
    );
    prongsai_sheets::write(&sheets, &title).map_err(|e| WebError::Internal(Box::new(e)))
}

/// A problem of the file, in the user's language.
fn sheet_problem(tr: &Tr, p: &CellProblem) -> (String, String) {
    let place = if p.cell.is_empty() {
        p.sheet.clone()
    } else {
        format!("{} {}", p.sheet, p.cell)
    };
    let message = match &p.problem {
        Problem::NotXlsx => tr.get("import-not-xlsx"),
        Problem::MissingSheet => tr.get("import-missing-sheet"),
        Problem::WrongHeader { expected, found } => {
            tr.arg2("import-wrong-header", "expected", expected, "found", found)
        }
        Problem::MergedCell => tr.get("import-merged-cell"),
        Problem::Formula => tr.get("import-formula"),
        Problem::DateValue => tr.get("import-date-value"),
        Problem::ErrorValue => tr.get("import-error-value"),
        Problem::TooManyRows { max } => tr.arg("import-too-many-rows", "max", max),
    };
    (place, message)
}

fn import_problem(tr: &Tr, e: &ImportError) -> (String, String) {
    let message = match &e.problem {
        ImportProblem::Required => tr.get("err-required"),
        ImportProblem::NotANumber => tr.get("err-invalid-number"),
        ImportProblem::BadIndicator => tr.get("import-bad-indicator"),
        ImportProblem::BadOitItem => tr.get("import-bad-oit"),
        ImportProblem::UnknownDivision { name } => tr.arg("import-unknown-division", "name", name),
        ImportProblem::ActionNumberMismatch => tr.get("import-action-number"),
        ImportProblem::TitleMismatch => tr.get("import-title-mismatch"),
        ImportProblem::ChristianEra { year } => {
            tr.arg2("import-christian-era", "year", year, "be", year + 543)
        }
        ImportProblem::EndBeforeStart => tr.get("import-end-before-start"),
        ImportProblem::BadPeriod => tr.get("err-invalid-period"),
        ImportProblem::TooLong { max } => tr.arg("err-too-long", "max", max),
    };
    (format!("{} {}", e.sheet, e.cell), message)
}

/// A fingerprint of the plan's content as an import would replace it: a preview is applied only
/// while the plan still holds what the preview compared against, so that an edit made on a
/// screen in between is never overwritten unseen.
fn content_stamp(view: &PlanView) -> String {
    hex_sha256(format!("{:?}", wb::content_of(view)).as_bytes())
}

/// Reads and checks a workbook; problems come back per cell, in the user's language.
fn parse(
    tr: &Tr,
    bytes: &[u8],
    divisions: &[Division],
    year: FiscalYear,
) -> Result<PlanContent, Vec<(String, String)>> {
    let sheets = prongsai_sheets::read(bytes, &specs(), MAX_ROWS).map_err(|problems| {
        problems
            .iter()
            .map(|p| sheet_problem(tr, p))
            .collect::<Vec<_>>()
    })?;
    let rows = |i: usize| -> Vec<wb::Row> {
        sheets
            .get(i)
            .map(|s| s.rows.iter().map(|r| (r.number, r.cells.clone())).collect())
            .unwrap_or_default()
    };
    wb::import_rows(&rows(0), &rows(1), &rows(2), divisions, year)
        .map_err(|errors| errors.iter().map(|e| import_problem(tr, e)).collect())
}

async fn draft_for_import(
    state: &AppState,
    m: &MemberCtx,
    year: FiscalYear,
) -> WebResult<PlanView> {
    m.member
        .require(Permission::ManageMeasures)
        .map_err(WebError::from)?;
    let view = ms::plan_view(&state.cx, m.agency.id, year)
        .await
        .map_err(web_error)?;
    if view.plan.status != PlanStatus::Draft {
        return Err(WebError::Forbidden);
    }
    Ok(view)
}

/// Reads an uploaded workbook and shows what it would change. Nothing is applied yet.
pub async fn preview_import(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year)): Path<(String, String)>,
    mp: Multipart,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    let view = draft_for_import(&state, &m, year).await?;
    let (_, files) = read_multipart(mp, "file", 1).await?;
    let again = |errors: Vec<(String, String)>| async {
        render_invalid(&documents_page(&state, &page, &csrf, &m, year, errors).await?)
    };
    let Some(file) = files.into_iter().next() else {
        return again(vec![(String::new(), page.tr.get("err-required"))]).await;
    };
    let max = state.config.max_image_bytes.max(10 * 1024 * 1024);
    if file.bytes.len() as u64 > max || FileKind::sniff(&file.bytes) != Some(FileKind::Xlsx) {
        return again(vec![(
            file.file_name.clone(),
            page.tr.get("import-not-xlsx"),
        )])
        .await;
    }
    let divisions = state.cx.store.list_divisions(m.agency.id).await?;
    let content = match parse(&page.tr, &file.bytes, &divisions, year) {
        Ok(c) => c,
        Err(errors) => return again(errors).await,
    };
    let upload = Upload {
        file_name: &file.file_name,
        bytes: &file.bytes,
        max_bytes: max,
    };
    let stored = store_upload(
        &state.cx,
        state.blobs.as_ref(),
        &m.member,
        &upload,
        &[FileKind::Xlsx],
        "file",
    )
    .await?;
    let differences = wb::differences(&wb::content_of(&view), &content, &divisions);
    Ok(no_store(render(&PreviewPage {
        l: office_layout(
            &page,
            &csrf,
            &m,
            page.tr.get("import-preview-title"),
            "measures",
        ),
        slug: m.agency.slug.to_string(),
        year: year.be(),
        file: stored.id.to_string(),
        stamp: content_stamp(&view),
        measures: content.measures.len(),
        actions: content.measures.iter().map(|(_, a)| a.len()).sum(),
        differences,
    })?))
}

/// Applies a previewed workbook, if the plan has not changed since the preview.
pub async fn apply_import(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    m: MemberCtx,
    Path((_, year)): Path<(String, String)>,
    Extension(out): Extension<CookieOut>,
    form: FormFields,
) -> WebResult<Response> {
    let year = year_of(&year)?;
    let view = draft_for_import(&state, &m, year).await?;
    let file_id = form.get("file").parse().map_err(|_| WebError::BadRequest)?;
    if form.get("stamp") != content_stamp(&view) {
        let errors = vec![(String::new(), page.tr.get("import-plan-changed"))];
        return render_invalid(&documents_page(&state, &page, &csrf, &m, year, errors).await?);
    }
    let file = state.cx.store.file(m.agency.id, file_id).await?;
    let bytes = state
        .blobs
        .get(&file.sha256)
        .await
        .map_err(crate::error::blob_error)?;
    let divisions = state.cx.store.list_divisions(m.agency.id).await?;
    let content = match parse(&page.tr, &bytes, &divisions, year) {
        Ok(c) => c,
        Err(errors) => {
            return render_invalid(&documents_page(&state, &page, &csrf, &m, year, errors).await?);
        }
    };
    let cx = state.cx.clone();
    state
        .cx
        .store
        .replace_content(
            state.cx.write(&m.member.actor),
            m.agency.id,
            view.plan.id,
            &content,
            &move || cx.new_id(),
        )
        .await?;
    Ok(redirect_flash(
        &out,
        &format!("/a/{}/admin/measures/{}", m.agency.slug, year.be()),
        Flash::Saved,
    ))
}
