//! Cases: the public intake at `/a/{slug}/complaints/new`, the reporter's status page with the
//! receipt, the published statistics, and the handlers' back office at `/a/{slug}/admin/cases`.
//!
//! Nothing on these routes logs, stores or counts a client address, user agent or referrer:
//! the throttles keep truncated hashes in memory (`http/throttle.rs`), and the metrics label
//! routes by their pattern. Every case route answers 404 to anyone who is not a handler of the
//! agency (the platform operator, admins, other staff, other agencies' members).

pub mod intake;
pub mod office;

use std::collections::HashMap;
use std::sync::Mutex;

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use prongsai_domain::cases::{CaseError, CaseSecret, Problem};
use prongsai_domain::platform::Permission;

use crate::auth::MemberCtx;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::state::AppState;

/// The cases module's share of the web state: the installation secret and the proof-of-work
/// challenges already used (until they expire).
pub struct CasesState {
    pub secret: CaseSecret,
    seen: Mutex<HashMap<[u8; 16], i64>>,
}

impl CasesState {
    pub fn new(secret: CaseSecret) -> Self {
        Self {
            secret,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Records a solved challenge's id; `false` if it was used already.
    pub fn first_use(&self, id: [u8; 16], expires_at: i64, now: i64) -> bool {
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if seen.len() > 50_000 {
            seen.retain(|_, e| *e > now);
        }
        seen.insert(id, expires_at).is_none()
    }
}

/// A handler of the path's agency; everyone else gets 404, never 403.
pub struct HandlerCtx(pub MemberCtx);

impl FromRequestParts<AppState> for HandlerCtx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match MemberCtx::from_request_parts(parts, state).await {
            Ok(m) if m.member.membership.can(Permission::HandleCases) => Ok(Self(m)),
            Ok(_) => Err(WebError::NotFound.into_response()),
            Err(r) if r.status() == StatusCode::FORBIDDEN => {
                Err(WebError::NotFound.into_response())
            }
            Err(r) => Err(r),
        }
    }
}

/// Reads a report form (the public one, or staff recording another channel): its text fields
/// and up to the allowed number of files (one more is read, so that "too many" is said).
pub async fn read_report(
    mp: axum::extract::Multipart,
) -> crate::error::WebResult<(
    crate::forms::FormFields,
    prongsai_domain::cases::ReportInput,
)> {
    let (form, files) = crate::forms::read_multipart(
        mp,
        "files",
        prongsai_domain::cases::media::MAX_ATTACHMENTS + 1,
    )
    .await?;
    let input = prongsai_domain::cases::ReportInput {
        kind: form.get("kind"),
        identity: form.get("identity"),
        subject: form.get("subject"),
        text: form.get("text"),
        name: form.get("name"),
        contact: form.get("contact"),
        strip: form.checked("strip"),
        files: files.into_iter().map(|f| (f.file_name, f.bytes)).collect(),
    };
    Ok((form, input))
}

/// Whether the agency's online channel is open: its recovery key is made.
pub async fn is_open(
    state: &AppState,
    agency: prongsai_domain::ids::AgencyId,
) -> crate::error::WebResult<bool> {
    Ok(state
        .cx
        .store
        .case_settings(agency)
        .await?
        .recovery_public
        .is_some())
}

/// The messages of refused fields, in the page's language.
pub fn messages(tr: &Tr, problems: &[Problem]) -> Vec<(String, String)> {
    problems
        .iter()
        .map(|p| {
            let text = match &p.arg {
                Some(a) => tr.arg(p.key, "arg", a),
                None => tr.get(p.key),
            };
            (p.field.to_owned(), text)
        })
        .collect()
}

/// Errors that are not answered with a page of their own.
pub fn web_error(e: CaseError) -> WebError {
    match e {
        CaseError::NotFound | CaseError::UnknownReceipt | CaseError::Receipt(_) => {
            WebError::NotFound
        }
        CaseError::Forbidden => WebError::Forbidden,
        CaseError::Invalid(_) | CaseError::WrongPassword => WebError::BadRequest,
        CaseError::Store(s) => WebError::from(s),
        other => WebError::Internal(Box::new(other)),
    }
}
