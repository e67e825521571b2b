//! Files of an agency: on the public site, its logo, the photos of its staff directory and the
//! evidence of its published measures and of its submitted OIT items; in the back office, any of
//! its files, for its members.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use prongsai_domain::ids::{AgencyId, FileId};

use crate::auth::{AgencyCtx, MemberCtx};
use crate::error::{WebError, WebResult};
use crate::state::AppState;

fn file_id(raw: &str) -> WebResult<FileId> {
    raw.parse().map_err(|_| WebError::NotFound)
}

pub async fn show_file(
    State(state): State<AppState>,
    AgencyCtx(agency): AgencyCtx,
    Path((_, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> WebResult<Response> {
    let id = file_id(&id)?;
    let now = state.cx.clock.unix();
    if !state.cx.store.file_is_public(agency.id, id).await?
        && !state
            .cx
            .store
            .portal_file_is_public(agency.id, id, now)
            .await?
    {
        return Err(WebError::NotFound);
    }
    serve(&state, agency.id, id, &headers, "public, max-age=86400").await
}

/// Any file of the agency, for its members (evidence of plans not yet published, say).
pub async fn show_member_file(
    State(state): State<AppState>,
    m: MemberCtx,
    Path((_, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> WebResult<Response> {
    serve(
        &state,
        m.agency.id,
        file_id(&id)?,
        &headers,
        "private, no-store",
    )
    .await
}

async fn serve(
    state: &AppState,
    agency: AgencyId,
    id: FileId,
    headers: &HeaderMap,
    cache: &'static str,
) -> WebResult<Response> {
    let file = state.cx.store.file(agency, id).await?;
    let etag = format!("\"{}\"", &file.sha256[..32.min(file.sha256.len())]);
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return Ok(StatusCode::NOT_MODIFIED.into_response());
    }
    let bytes = state
        .blobs
        .get(&file.sha256)
        .await
        .map_err(crate::error::blob_error)?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.kind.content_type()),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    // Images open in the browser; documents download under their (cleaned) name.
    let disposition = if file.kind.is_image() {
        "inline".to_owned()
    } else {
        format!(
            "attachment; filename*=UTF-8''{}",
            crate::pages::percent_encode(&file.original_name)
        )
    };
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    Ok(res)
}
