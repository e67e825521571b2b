//! Stored files: logos, photos, evidence, attachments. The type is taken from the content, never
//! from the file name, and the stored name is made by the system.

use crate::ids::{AgencyId, FileId};

/// The file types Prongsai accepts, recognised by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Png,
    Jpeg,
    Gif,
    Webp,
    Pdf,
    Docx,
    Xlsx,
}

impl FileKind {
    pub const IMAGES: &'static [FileKind] = &[Self::Png, Self::Jpeg, Self::Gif, Self::Webp];

    /// Recognises a file from its content. Office files are ZIP archives; they are told apart by
    /// the name of their main part, which the ZIP directory stores in plain text.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Self::Gif)
        } else if bytes.len() >= 12
            && bytes.starts_with(b"RIFF")
            && bytes.get(8..12) == Some(b"WEBP")
        {
            Some(Self::Webp)
        } else if bytes.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else if bytes.starts_with(b"PK\x03\x04") {
            if contains(bytes, b"word/document.xml") {
                Some(Self::Docx)
            } else if contains(bytes, b"xl/workbook.xml") {
                Some(Self::Xlsx)
            } else {
                None
            }
        } else {
            None
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpeg => "jpeg",
            Self::Gif => "gif",
            Self::Webp => "webp",
            Self::Pdf => "pdf",
            Self::Docx => "docx",
            Self::Xlsx => "xlsx",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Png,
            Self::Jpeg,
            Self::Gif,
            Self::Webp,
            Self::Pdf,
            Self::Docx,
            Self::Xlsx,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            other => other.as_str(),
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
            Self::Pdf => "application/pdf",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    pub fn is_image(self) -> bool {
        Self::IMAGES.contains(&self)
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A user-supplied file name made safe to show and to offer as a download name: the last path
/// component only, no control characters, no leading dots, at most 120 characters.
pub fn clean_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*'))
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.').trim();
    let short: String = trimmed.chars().take(120).collect();
    if short.is_empty() {
        "file".to_owned()
    } else {
        short
    }
}

/// A stored file's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub id: FileId,
    pub agency_id: AgencyId,
    pub kind: FileKind,
    pub size: i64,
    /// Hex SHA-256 of the content; also its name in the blob store.
    pub sha256: String,
    pub original_name: String,
    pub created_at: i64,
}

/// Where file contents live: the local data folder by default.
#[async_trait::async_trait]
pub trait BlobStore: Send + Sync {
    /// Stores `bytes` under `key` (a hex SHA-256). Storing the same key twice is harmless.
    async fn put(&self, key: &str, bytes: &[u8]) -> std::io::Result<()>;
    /// Reads the content stored under `key`.
    async fn get(&self, key: &str) -> std::io::Result<Vec<u8>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_content_not_names() {
        let cases: &[(&[u8], Option<FileKind>)] = &[
            (b"\x89PNG\r\n\x1a\n....", Some(FileKind::Png)),
            (&[0xFF, 0xD8, 0xFF, 0xE0], Some(FileKind::Jpeg)),
            (b"GIF89a", Some(FileKind::Gif)),
            (b"RIFF\0\0\0\0WEBPVP8 ", Some(FileKind::Webp)),
            (b"%PDF-1.7", Some(FileKind::Pdf)),
            (b"PK\x03\x04....word/document.xml", Some(FileKind::Docx)),
            (b"PK\x03\x04....xl/workbook.xml", Some(FileKind::Xlsx)),
            (b"PK\x03\x04 plain zip", None),
            (b"<svg onload=alert(1)>", None),
            (b"MZ\x90\0", None),
            (b"", None),
        ];
        for (bytes, expected) in cases {
            assert_eq!(FileKind::sniff(bytes), *expected, "{bytes:?}");
        }
    }

    #[test]
    fn file_names_lose_paths_and_tricks() {
        let cases = [
            ("../../etc/passwd", "passwd"),
            ("C:\\Users\\x\\โลโก้.png", "โลโก้.png"),
            ("..hidden", "hidden"),
            ("a\u{0}b\nc.pdf", "abc.pdf"),
            ("", "file"),
            ("/", "file"),
            ("\"<x>\".pdf", "x.pdf"),
        ];
        for (raw, expected) in cases {
            assert_eq!(clean_file_name(raw), expected, "{raw:?}");
        }
        assert_eq!(clean_file_name(&"ก".repeat(300)).chars().count(), 120);
    }
}
