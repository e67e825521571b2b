//! Error pages. Any 4xx or 5xx response that is not already a finished page — a handler's
//! [`WebError`](crate::error::WebError), the router's 404, an extractor's rejection, a caught
//! panic — becomes a page in the user's language (or JSON for API clients), with the request id
//! on server errors. No cause is ever shown.

use askama::Template;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{ErrorKind, Rendered};
use crate::http::headers::CspNonce;
use crate::i18n::Tr;
use crate::pages::{Layout, Page, lang_of};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    l: Layout,
    status: u16,
    body: String,
    request_id: Option<String>,
}

pub async fn middleware(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let lang = lang_of(req.extensions());
    let nonce = req
        .extensions()
        .get::<CspNonce>()
        .map(|n| n.0.clone())
        .unwrap_or_default();
    let request_id = super::request_id::of(&req);
    let wants_json = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.starts_with("application/json"));
    let here = req.uri().path().to_owned();
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error())
        || res.extensions().get::<Rendered>().is_some()
    {
        return res;
    }
    let kind = res
        .extensions()
        .get::<ErrorKind>()
        .copied()
        .unwrap_or_else(|| ErrorKind::of_status(status));
    let tr = state.tr(lang);
    let title = tr.get(&format!("error-{}-title", kind.stem()));
    let body = tr.get(&format!("error-{}-body", kind.stem()));
    let request_id = (kind == ErrorKind::Internal).then_some(request_id);
    let mut out = if wants_json {
        let json =
            serde_json::json!({ "error": kind.stem(), "message": title, "request_id": request_id });
        axum::Json(json).into_response()
    } else {
        let page = Page {
            tr: Tr::clone(&tr),
            nonce,
            flash: None,
            here,
        };
        let l = Layout::new(&page, title);
        let html = ErrorPage {
            l,
            status: status.as_u16(),
            body,
            request_id,
        }
        .render();
        match html {
            Ok(h) => axum::response::Html(h).into_response(),
            Err(_) => status
                .canonical_reason()
                .unwrap_or("error")
                .to_owned()
                .into_response(),
        }
    };
    *out.status_mut() = status;
    for name in [header::RETRY_AFTER, header::ALLOW] {
        if let Some(v) = res.headers().get(&name) {
            out.headers_mut().insert(name, v.clone());
        }
    }
    out.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    out.extensions_mut().insert(Rendered);
    out
}
