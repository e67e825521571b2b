//! Public files of an agency: its logo and the photos of its staff directory.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use prongsai_domain::ids::FileId;

use crate::error::{WebError, WebResult};
use crate::state::AppState;

pub async fn show_file(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> WebResult<Response> {
    let id: FileId = id.parse().map_err(|_| WebError::NotFound)?;
    let agency = state
        .cx
        .store
        .agency_by_slug(&slug)
        .await?
        .ok_or(WebError::NotFound)?;
    if !state.cx.store.file_is_public(agency.id, id).await? {
        return Err(WebError::NotFound);
    }
    let file = state.cx.store.file(agency.id, id).await?;
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
        .map_err(|e| WebError::Internal(Box::new(e)))?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.kind.content_type()),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline"),
    );
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    Ok(res)
}
