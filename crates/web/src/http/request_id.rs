//! Request ids: a short random id per request, echoed in `X-Request-Id`, attached to every log line
//! of the request and shown on error pages.

use std::sync::Arc;

use axum::http::{HeaderValue, Request};
use prongsai_domain::Entropy;
use tower_http::request_id::{MakeRequestId, RequestId};

/// Makes 16-hex-digit request ids from the injected random source.
#[derive(Clone)]
pub struct MakeId(pub Arc<dyn Entropy>);

impl MakeRequestId for MakeId {
    fn make_request_id<B>(&mut self, _req: &Request<B>) -> Option<RequestId> {
        let id = format!("{:016x}", self.0.next_u64());
        HeaderValue::from_str(&id).ok().map(RequestId::new)
    }
}

/// The request id of a request, or "-".
pub fn of<B>(req: &Request<B>) -> String {
    req.extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or("-")
        .to_owned()
}
