//! The web error: the outer tier of the three error tiers. A handler returns it; the error-page
//! middleware turns it into a page in the user's language (or JSON), with the request id for
//! server errors and never the cause.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use prongsai_domain::StoreError;
use prongsai_domain::platform::service::PlatformError;

/// What went wrong, as far as the user needs to know.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("bad request")]
    BadRequest,
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("the form's security token is missing or stale")]
    CsrfRejected,
    #[error("too many requests; retry after {0} s")]
    TooManyRequests(i64),
    #[error("internal error: {0}")]
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

/// Marks a response whose body is already a finished page, so the error-page middleware leaves
/// it alone.
#[derive(Debug, Clone, Copy)]
pub struct Rendered;

/// The kind of error behind an empty error response, for the error-page middleware.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    NotFound,
    Forbidden,
    BadRequest,
    PayloadTooLarge,
    CsrfRejected,
    TooManyRequests,
    Internal,
}

impl ErrorKind {
    /// The catalog key stem: `error-<stem>-title` / `error-<stem>-body`.
    pub fn stem(self) -> &'static str {
        match self {
            Self::NotFound => "not-found",
            Self::Forbidden => "forbidden",
            Self::BadRequest => "bad-request",
            Self::PayloadTooLarge => "too-large",
            Self::CsrfRejected => "csrf",
            Self::TooManyRequests => "too-many",
            Self::Internal => "internal",
        }
    }

    /// The kind of a bare status from elsewhere (a router 404, an extractor's 400/415/422).
    pub fn of_status(status: StatusCode) -> Self {
        match status.as_u16() {
            404 | 405 => Self::NotFound,
            401 | 403 => Self::Forbidden,
            413 => Self::PayloadTooLarge,
            429 => Self::TooManyRequests,
            400..=499 => Self::BadRequest,
            _ => Self::Internal,
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, kind) = match &self {
            Self::NotFound => (StatusCode::NOT_FOUND, ErrorKind::NotFound),
            Self::Forbidden => (StatusCode::FORBIDDEN, ErrorKind::Forbidden),
            Self::BadRequest => (StatusCode::BAD_REQUEST, ErrorKind::BadRequest),
            Self::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, ErrorKind::PayloadTooLarge),
            Self::CsrfRejected => (StatusCode::FORBIDDEN, ErrorKind::CsrfRejected),
            Self::TooManyRequests(_) => (StatusCode::TOO_MANY_REQUESTS, ErrorKind::TooManyRequests),
            Self::Internal(cause) => {
                // Logged once, here, inside the request's span (which carries the request id).
                tracing::error!(error = %cause, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, ErrorKind::Internal)
            }
        };
        let mut res = status.into_response();
        res.extensions_mut().insert(kind);
        if let Self::TooManyRequests(secs) = self
            && let Ok(v) = HeaderValue::from_str(&secs.max(1).to_string())
        {
            res.headers_mut().insert("retry-after", v);
        }
        res
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            other => Self::Internal(Box::new(other)),
        }
    }
}

impl From<PlatformError> for WebError {
    fn from(e: PlatformError) -> Self {
        match e {
            PlatformError::Forbidden => Self::Forbidden,
            PlatformError::NotFound => Self::NotFound,
            PlatformError::Invalid(_) => Self::BadRequest,
            PlatformError::Store(s) => s.into(),
        }
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        Self::Internal(Box::new(e))
    }
}

pub type WebResult<T> = Result<T, WebError>;

/// A stored file's content that cannot be read: gone from the store (a folder restored without
/// it, an object deleted from the bucket) answers 404 like a file that never was, with a warning
/// in the log for the operator; any other failure is an internal error.
pub fn blob_error(e: std::io::Error) -> WebError {
    if e.kind() == std::io::ErrorKind::NotFound {
        tracing::warn!(error = %e, "a stored file's content is missing from the file store");
        WebError::NotFound
    } else {
        WebError::Internal(Box::new(e))
    }
}
