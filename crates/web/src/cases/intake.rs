//! The public side: the channel page, the report form, the receipt, the reporter's status page
//! and the published statistics. No page here sets anything but the CSRF cookie, and none is
//! cached.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use prongsai_domain::cases::service::{self as cs, Filed, ReporterView};
use prongsai_domain::cases::stats::{self, Cell};
use prongsai_domain::cases::{CaseError, Channel, Identity, Kind};
use prongsai_domain::platform::Agency;
use prongsai_domain::platform::audit::Actor;
use prongsai_thai::FiscalYear;

use super::{messages, web_error};
use crate::auth::AgencyCtx;
use crate::error::{WebError, WebResult};
use crate::forms::FormFields;
use crate::http::Client;
use crate::pages::{Csrf, Layout, Page, no_store, render};
use crate::state::AppState;

/// Reports one client address may file per hour.
const REPORTS_PER_CLIENT_PER_HOUR: u32 = 10;
/// Receipts one client address may try per quarter of an hour, and all clients together.
const RECEIPTS_PER_CLIENT: u32 = 10;
const RECEIPTS_ALL_CLIENTS: u32 = 600;
const RECEIPT_WINDOW: i64 = 900;

fn throttle(state: &AppState, key: &str, limit: u32, window: i64) -> WebResult<()> {
    let now = state.cx.clock.unix();
    state
        .throttle
        .check(key, limit, window, now)
        .map_err(|w| WebError::TooManyRequests(w.0))?;
    state.throttle.hit(key, window, now);
    Ok(())
}

fn layout(
    state: &AppState,
    page: &Page,
    agency: &Agency,
    key: &str,
    csrf: Option<&Csrf>,
) -> Layout {
    // In the menu, these pages are the complaint channel of the integrity section.
    let mut l = crate::portal::layout(page, agency, page.tr.get(key), state, "", "complaints");
    // The form's address says nothing of what is filed, and no page here is indexed.
    l.canonical = None;
    if let Some(c) = csrf {
        l = l.csrf(c);
    }
    l
}

// ---------------------------------------------------------------------------------------------
// The channel page

#[derive(Template)]
#[template(path = "cases/channel.html")]
struct ChannelPage {
    l: Layout,
    slug: String,
    open: bool,
    year: i32,
    phone: String,
}

/// `/a/{slug}/complaints`: how to file, follow and read the statistics (OIT O28).
pub async fn channel(
    State(state): State<AppState>,
    page: Page,
    AgencyCtx(agency): AgencyCtx,
) -> WebResult<Response> {
    let open = super::is_open(&state, agency.id).await?;
    let year = FiscalYear::of(cs_today(&state)).be();
    Ok(no_store(render(&ChannelPage {
        l: layout(&state, &page, &agency, "case-channel-title", None),
        slug: agency.slug.to_string(),
        open,
        year,
        phone: agency.profile.phone.clone().unwrap_or_default(),
    })?))
}

fn cs_today(state: &AppState) -> time::Date {
    prongsai_thai::local_date(state.cx.clock.now())
}

// ---------------------------------------------------------------------------------------------
// The report form

#[derive(Template)]
#[template(path = "cases/new.html")]
struct NewPage {
    l: Layout,
    action: String,
    open: bool,
    challenge: String,
    kinds: Vec<(&'static str, bool)>,
    identities: Vec<(&'static str, bool)>,
    f: Kept,
    errors: Vec<(String, String)>,
}

/// What the form shows again after a refusal (never the files).
#[derive(Default)]
struct Kept {
    kind: String,
    identity: String,
    subject: String,
    text: String,
    name: String,
    contact: String,
    strip: bool,
}

impl NewPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

async fn new_page(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    agency: &Agency,
    f: Kept,
    errors: Vec<(String, String)>,
) -> WebResult<NewPage> {
    let open = super::is_open(state, agency.id).await?;
    Ok(NewPage {
        l: layout(state, page, agency, "case-new-title", Some(csrf)),
        action: format!("/a/{}/complaints/new", agency.slug),
        open,
        challenge: state.cases.secret.challenge(&state.cx),
        kinds: Kind::ALL
            .iter()
            .map(|k| (k.as_str(), f.kind == k.as_str()))
            .collect(),
        identities: Identity::ALL
            .iter()
            .map(|i| {
                (
                    i.as_str(),
                    f.identity == i.as_str()
                        || (f.identity.is_empty() && *i == Identity::Anonymous),
                )
            })
            .collect(),
        f,
        errors,
    })
}

pub async fn show_new(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    AgencyCtx(agency): AgencyCtx,
) -> WebResult<Response> {
    let p = new_page(&state, &page, &csrf, &agency, Kept::default(), Vec::new()).await?;
    Ok(no_store(render(&p)?))
}

#[derive(Template)]
#[template(path = "cases/receipt.html")]
struct ReceiptPage {
    l: Layout,
    receipt: String,
    status: String,
}

/// `POST /a/{slug}/complaints/new`: checks proof-of-work and throttle, then files the report
/// (encrypted before its one write) and shows the receipt once.
pub async fn submit(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    AgencyCtx(agency): AgencyCtx,
    Client(client): Client,
    mp: Multipart,
) -> WebResult<Response> {
    let (form, input) = super::read_report(mp).await?;
    let kept = Kept {
        kind: input.kind.clone(),
        identity: input.identity.clone(),
        subject: input.subject.clone(),
        text: input.text.clone(),
        name: input.name.clone(),
        contact: input.contact.clone(),
        strip: input.strip,
    };
    let refuse = async |kept: Kept, errors: Vec<(String, String)>| -> WebResult<Response> {
        let p = new_page(&state, &page, &csrf, &agency, kept, errors).await?;
        let mut res = render(&p)?;
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        Ok(no_store(res))
    };
    let now = state.cx.clock.unix();
    let pow = state
        .cases
        .secret
        .check_pow(&state.cx, &form.get("pow"), &form.get("pow_nonce"));
    let Some((id, expires)) = pow else {
        return refuse(kept, vec![("pow".into(), page.tr.get("case-err-pow"))]).await;
    };
    throttle(
        &state,
        &format!("case-report:{client}"),
        REPORTS_PER_CLIENT_PER_HOUR,
        3600,
    )?;
    let channel = if form.get("via") == "qr" {
        Channel::Qr
    } else {
        Channel::Web
    };
    if let Err(p) = input.clone().parse() {
        return refuse(kept, messages(&page.tr, &p)).await;
    }
    if !state.cases.first_use(id, expires, now) {
        return refuse(kept, vec![("pow".into(), page.tr.get("case-err-pow"))]).await;
    }
    let actor = Actor::system("intake");
    match cs::file_report(
        &state.cx,
        &state.cases.secret,
        agency.id,
        channel,
        input,
        &actor,
    )
    .await
    {
        Ok(Filed { receipt, .. }) => Ok(no_store(render(&ReceiptPage {
            l: layout(&state, &page, &agency, "case-receipt-title", None),
            receipt: receipt.to_string(),
            status: format!("/a/{}/complaints/status", agency.slug),
        })?)),
        Err(CaseError::Invalid(p)) => refuse(kept, messages(&page.tr, &p)).await,
        Err(CaseError::NotOpen) => {
            refuse(kept, vec![("form".into(), page.tr.get("case-not-open"))]).await
        }
        Err(e) => Err(web_error(e)),
    }
}

// ---------------------------------------------------------------------------------------------
// The reporter's status page

#[derive(Template)]
#[template(path = "cases/status.html")]
struct StatusPage {
    l: Layout,
    action: String,
    /// The receipt as typed, kept in the forms of the page (never in the address).
    typed: String,
    error: Option<String>,
    view: Option<ReporterView>,
    errors: Vec<(String, String)>,
}

fn status_page(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    agency: &Agency,
    typed: String,
    error: Option<String>,
    view: Option<ReporterView>,
) -> StatusPage {
    StatusPage {
        l: layout(state, page, agency, "case-status-title", Some(csrf)),
        action: format!("/a/{}/complaints/status", agency.slug),
        typed,
        error,
        view,
        errors: Vec::new(),
    }
}

pub async fn show_status(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    AgencyCtx(agency): AgencyCtx,
) -> WebResult<Response> {
    Ok(no_store(render(&status_page(
        &state,
        &page,
        &csrf,
        &agency,
        String::new(),
        None,
        None,
    ))?))
}

/// The message for a receipt that was refused before any lookup.
fn malformed(page: &Page, e: cs::ReceiptProblem) -> String {
    use cs::ReceiptProblem as R;
    match e {
        R::Empty => page.tr.get("case-receipt-empty"),
        R::BadCharacter { ch, position } => {
            page.tr
                .arg2("case-receipt-char", "ch", ch, "position", position)
        }
        R::WrongLength { found, expected } => {
            page.tr
                .arg2("case-receipt-length", "found", found, "expected", expected)
        }
        R::CheckDigit => page.tr.get("case-receipt-typo"),
    }
}

/// Why a receipt-bearing action was refused: the status, a message for the whole form, and
/// messages per field.
type Refusal = (StatusCode, String, Vec<(String, String)>);

/// Runs one receipt-bearing action: throttled per client and globally, a malformed receipt
/// refused with its own message (and not counted), an unknown one like a wrong one.
async fn with_receipt<T>(
    state: &AppState,
    page: &Page,
    client: &str,
    typed: &str,
    run: impl AsyncFnOnce() -> Result<T, CaseError>,
) -> WebResult<Result<T, Refusal>> {
    if let Err(e) = cs::check_receipt_shape(typed) {
        return Ok(Err((
            StatusCode::UNPROCESSABLE_ENTITY,
            malformed(page, e),
            vec![],
        )));
    }
    throttle(
        state,
        &format!("case-receipt:{client}"),
        RECEIPTS_PER_CLIENT,
        RECEIPT_WINDOW,
    )?;
    throttle(
        state,
        "case-receipt:all",
        RECEIPTS_ALL_CLIENTS,
        RECEIPT_WINDOW,
    )?;
    match run().await {
        Ok(v) => Ok(Ok(v)),
        Err(CaseError::UnknownReceipt | CaseError::NotFound) => Ok(Err((
            StatusCode::NOT_FOUND,
            page.tr.get("case-receipt-unknown"),
            vec![],
        ))),
        Err(CaseError::Invalid(p)) => Ok(Err((
            StatusCode::UNPROCESSABLE_ENTITY,
            String::new(),
            messages(&page.tr, &p),
        ))),
        Err(e) => Err(web_error(e)),
    }
}

async fn answer(
    state: &AppState,
    page: &Page,
    csrf: &Csrf,
    agency: &Agency,
    client: &str,
    typed: String,
    outcome: Result<(), Refusal>,
) -> WebResult<Response> {
    let (status, error, errors) = match outcome {
        Ok(()) => (StatusCode::OK, None, Vec::new()),
        Err((s, _, errs)) if s == StatusCode::UNPROCESSABLE_ENTITY && !errs.is_empty() => {
            (s, None, errs)
        }
        Err((s, e, _)) => {
            let mut res = render(&status_page(
                state,
                page,
                csrf,
                agency,
                typed,
                Some(e),
                None,
            ))?;
            *res.status_mut() = s;
            return Ok(no_store(res));
        }
    };
    let _ = client;
    let view = cs::reporter_view(&state.cx, &state.cases.secret, agency.id, &typed)
        .await
        .map_err(web_error)?;
    let mut p = status_page(state, page, csrf, agency, typed, error, Some(view));
    p.errors = errors;
    let mut res = render(&p)?;
    *res.status_mut() = status;
    Ok(no_store(res))
}

pub async fn status(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    AgencyCtx(agency): AgencyCtx,
    Client(client): Client,
    form: FormFields,
) -> WebResult<Response> {
    let typed = form.get("receipt");
    let outcome = with_receipt(&state, &page, &client, &typed, async || {
        cs::reporter_view(&state.cx, &state.cases.secret, agency.id, &typed).await
    })
    .await?;
    match outcome {
        Ok(view) => Ok(no_store(render(&status_page(
            &state,
            &page,
            &csrf,
            &agency,
            typed,
            None,
            Some(view),
        ))?)),
        Err((s, e, _)) => {
            let mut res = render(&status_page(
                &state,
                &page,
                &csrf,
                &agency,
                typed,
                Some(e),
                None,
            ))?;
            *res.status_mut() = s;
            Ok(no_store(res))
        }
    }
}

pub async fn reply(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    AgencyCtx(agency): AgencyCtx,
    Client(client): Client,
    form: FormFields,
) -> WebResult<Response> {
    let typed = form.get("receipt");
    let text = form.get("message");
    let outcome = with_receipt(&state, &page, &client, &typed, async || {
        cs::reporter_message(&state.cx, &state.cases.secret, agency.id, &typed, &text).await
    })
    .await?;
    answer(&state, &page, &csrf, &agency, &client, typed, outcome).await
}

pub async fn disclose(
    State(state): State<AppState>,
    page: Page,
    csrf: Csrf,
    AgencyCtx(agency): AgencyCtx,
    Client(client): Client,
    form: FormFields,
) -> WebResult<Response> {
    let typed = form.get("receipt");
    let (name, contact) = (form.get("name"), form.get("contact"));
    let confirmed = form.checked("confirm");
    let outcome = with_receipt(&state, &page, &client, &typed, async || {
        if !confirmed {
            return Err(CaseError::Invalid(vec![prongsai_domain::cases::Problem {
                field: "confirm",
                key: "case-err-confirm",
                arg: None,
            }]));
        }
        cs::reporter_disclose(
            &state.cx,
            &state.cases.secret,
            agency.id,
            &typed,
            &name,
            &contact,
        )
        .await
    })
    .await?;
    answer(&state, &page, &csrf, &agency, &client, typed, outcome).await
}

// ---------------------------------------------------------------------------------------------
// Statistics

/// One row of the statistics as shown: its label's code and 17 cells (12 months, 4
/// quarters, the year).
struct LineView {
    code: &'static str,
    cells: Vec<String>,
}

pub(crate) fn cell(c: Cell) -> String {
    match c {
        Cell::Count(n) => n.to_string(),
        Cell::Suppressed => "<5".to_owned(),
    }
}

fn line_view(l: &stats::Line) -> LineView {
    LineView {
        code: l.code,
        cells: l
            .months
            .iter()
            .chain(l.quarters.iter())
            .chain(std::iter::once(&l.year))
            .map(|c| cell(*c))
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "cases/stats.html")]
struct StatsPage {
    l: Layout,
    sections: Vec<(&'static str, Vec<LineView>)>,
    total: LineView,
    resolved: String,
    median_days: Option<u64>,
    mean_days: Option<u64>,
    months: Vec<String>,
    slug: String,
}

/// `/a/{slug}/complaints/stats/{year}`: counts only, cells under five suppressed (OIT O29).
pub async fn show_stats(
    State(state): State<AppState>,
    page: Page,
    AgencyCtx(agency): AgencyCtx,
    Path((_, year)): Path<(String, String)>,
) -> WebResult<Response> {
    let year = year
        .parse::<i32>()
        .ok()
        .and_then(|y| FiscalYear::new(y).ok())
        .ok_or(WebError::NotFound)?;
    let s = stats::of_year(&state.cx, agency.id, year).await?;
    let mut l = crate::portal::layout(
        &page,
        &agency,
        page.tr.arg("case-stats-title", "year", year.be()),
        &state,
        "",
        "complaints",
    );
    l.canonical = None;
    let lines = |v: &[stats::Line]| v.iter().map(line_view).collect::<Vec<_>>();
    Ok(no_store(render(&StatsPage {
        l,
        sections: vec![
            ("case-stats-by-kind", lines(&s.kinds)),
            ("case-stats-by-channel", lines(&s.channels)),
            ("case-stats-by-state", lines(&s.states)),
        ],
        total: line_view(&s.total),
        resolved: cell(s.resolved),
        median_days: s.median_days,
        mean_days: s.mean_days,
        months: stats::months()
            .iter()
            .map(|m| prongsai_thai::month_short(*m).to_owned())
            .collect(),
        slug: agency.slug.to_string(),
    })?))
}
