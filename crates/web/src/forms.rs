//! Form bodies. Forms are read as plain name/value pairs, so a missing or unexpected field never
//! becomes a deserialisation error: the domain's parsers decide what is wrong, and say it in the
//! user's language.

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header;

use crate::error::WebError;
use crate::state::AppState;

/// A URL-encoded form body.
#[derive(Debug, Clone, Default)]
pub struct FormFields(Vec<(String, String)>);

impl FormFields {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Self(pairs)
    }

    /// Every name/value pair, in the order sent.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Every value of `name` (ticked checkboxes of one group).
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// Whether a checkbox was ticked.
    pub fn checked(&self, name: &str) -> bool {
        prongsai_domain::validate::field::checkbox(
            self.0
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str()),
        )
    }
}

impl FromRequest<AppState> for FormFields {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, WebError> {
        let ctype = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !ctype.starts_with("application/x-www-form-urlencoded") {
            return Err(WebError::BadRequest);
        }
        let bytes = axum::body::to_bytes(req.into_body(), state.config.max_body_bytes)
            .await
            .map_err(|_| WebError::PayloadTooLarge)?;
        Ok(Self(form_urlencoded::parse(&bytes).into_owned().collect()))
    }
}

/// One uploaded file of a multipart form.
#[derive(Debug, Clone, Default)]
pub struct UploadedFile {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// Reads the file field `name` from a multipart form. Other fields are ignored. A form without
/// the field gives an empty upload, which the domain refuses as "required".
pub async fn read_upload(mut mp: Multipart, name: &str) -> Result<UploadedFile, WebError> {
    while let Some(field) = mp.next_field().await.map_err(|_| WebError::BadRequest)? {
        if field.name() == Some(name) {
            let file_name = field.file_name().unwrap_or("").to_owned();
            let bytes = field.bytes().await.map_err(|_| WebError::PayloadTooLarge)?;
            return Ok(UploadedFile {
                file_name,
                bytes: bytes.to_vec(),
            });
        }
    }
    Ok(UploadedFile::default())
}

/// Reads a whole multipart form: its text fields, and the files of the field `files_field`
/// (empty file inputs are skipped). At most `max_files` files are read.
pub async fn read_multipart(
    mut mp: Multipart,
    files_field: &str,
    max_files: usize,
) -> Result<(FormFields, Vec<UploadedFile>), WebError> {
    let mut fields = Vec::new();
    let mut files = Vec::new();
    while let Some(field) = mp.next_field().await.map_err(|_| WebError::BadRequest)? {
        let name = field.name().unwrap_or("").to_owned();
        match field.file_name().map(str::to_owned) {
            Some(file_name) if name == files_field => {
                let bytes = field.bytes().await.map_err(|_| WebError::PayloadTooLarge)?;
                if !bytes.is_empty() || !file_name.is_empty() {
                    if files.len() >= max_files {
                        return Err(WebError::PayloadTooLarge);
                    }
                    if !bytes.is_empty() {
                        files.push(UploadedFile {
                            file_name,
                            bytes: bytes.to_vec(),
                        });
                    }
                }
            }
            Some(_) => {
                // A file in a field that takes none: read and drop it.
                let _ = field.bytes().await;
            }
            None => {
                let text = field.text().await.map_err(|_| WebError::BadRequest)?;
                fields.push((name, text));
            }
        }
    }
    Ok((FormFields::from_pairs(fields), files))
}
