//! Attachments of a report: what is accepted (JPEG, PNG and PDF, told by their content) and the
//! removal of metadata on the reporter's request, before encryption.
//!
//! What removal does, honestly:
//! - **JPEG**: every APPn segment except APP0 (JFIF) and APP14 (Adobe colour transform) and
//!   every comment segment is dropped: EXIF (camera, time, GPS position), XMP, IPTC, ICC
//!   profiles, maker notes. The image data is copied unchanged.
//! - **PNG**: the text chunks (`tEXt`, `zTXt`, `iTXt`), `eXIf` and `tIME` are dropped.
//! - **PDF**: nothing is removed. The document information and XMP metadata of a PDF may name
//!   its author and the software and times of its making; rewriting a PDF safely needs a PDF
//!   library this build does not have. The form says so next to the choice.

use crate::platform::file::{FileKind, clean_file_name};

/// The most attachments one report carries.
pub const MAX_ATTACHMENTS: usize = 5;
/// The largest attachment, in bytes.
pub const MAX_ATTACHMENT_BYTES: usize = 8 * 1024 * 1024;

/// Why an attachment was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachmentProblem {
    TooLarge {
        name: String,
    },
    /// Not a JPEG, PNG or PDF by its content.
    NotAllowed {
        name: String,
    },
    /// The name says one type and the content is another.
    Disguised {
        name: String,
    },
    TooMany,
}

/// A checked attachment, ready to encrypt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub name: String,
    pub kind: FileKind,
    pub bytes: Vec<u8>,
    /// Whether metadata was removed.
    pub stripped: bool,
}

/// Checks one uploaded file and removes its metadata if asked.
pub fn accept(name: &str, bytes: Vec<u8>, strip: bool) -> Result<Attachment, AttachmentProblem> {
    let name = clean_file_name(name);
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(AttachmentProblem::TooLarge { name });
    }
    let Some(kind @ (FileKind::Jpeg | FileKind::Png | FileKind::Pdf)) = FileKind::sniff(&bytes)
    else {
        return Err(AttachmentProblem::NotAllowed { name });
    };
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let claimed = match ext.as_str() {
        "jpg" | "jpeg" => Some(FileKind::Jpeg),
        "png" => Some(FileKind::Png),
        "pdf" => Some(FileKind::Pdf),
        "" => None,
        _ => Some(FileKind::Docx), // any other known-looking extension disagrees
    };
    if claimed.is_some_and(|c| c != kind) {
        return Err(AttachmentProblem::Disguised { name });
    }
    let (bytes, stripped) = match (strip, kind) {
        (true, FileKind::Jpeg) => strip_jpeg(&bytes).map_or((bytes, false), |b| (b, true)),
        (true, FileKind::Png) => strip_png(&bytes).map_or((bytes, false), |b| (b, true)),
        _ => (bytes, false),
    };
    Ok(Attachment {
        name,
        kind,
        bytes,
        stripped,
    })
}

/// A JPEG without its metadata segments; `None` if the structure is not understood (the file
/// is then kept as it came, and the page says metadata was not removed).
pub fn strip_jpeg(b: &[u8]) -> Option<Vec<u8>> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut i = 2;
    loop {
        if *b.get(i)? != 0xFF {
            return None;
        }
        let marker = *b.get(i + 1)?;
        if marker == 0xFF {
            i += 1; // fill byte
            continue;
        }
        if marker == 0xD9 {
            out.extend_from_slice(&[0xFF, 0xD9]);
            return Some(out);
        }
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            out.extend_from_slice(&[0xFF, marker]);
            i += 2;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([*b.get(i + 2)?, *b.get(i + 3)?]));
        if len < 2 {
            return None;
        }
        let end = i.checked_add(2)?.checked_add(len)?;
        let segment = b.get(i..end)?;
        let metadata = matches!(marker, 0xE1..=0xED | 0xEF | 0xFE);
        if !metadata {
            out.extend_from_slice(segment);
        }
        i = end;
        if marker == 0xDA {
            // Start of scan: the rest is image data.
            out.extend_from_slice(b.get(i..)?);
            return Some(out);
        }
    }
}

/// A PNG without its text, EXIF and time chunks; `None` if the structure is not understood.
pub fn strip_png(b: &[u8]) -> Option<Vec<u8>> {
    const SIG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if !b.starts_with(SIG) {
        return None;
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(SIG);
    let mut i = SIG.len();
    while i < b.len() {
        let len = usize::try_from(u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?)).ok()?;
        let kind = b.get(i + 4..i + 8)?;
        let end = i.checked_add(12)?.checked_add(len)?;
        let chunk = b.get(i..end)?;
        if !matches!(kind, b"tEXt" | b"zTXt" | b"iTXt" | b"eXIf" | b"tIME") {
            out.extend_from_slice(chunk);
        }
        i = end;
        if kind == b"IEND" {
            return Some(out);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg_with_exif() -> Vec<u8> {
        let mut j = vec![0xFF, 0xD8];
        j.extend_from_slice(&[0xFF, 0xE0, 0, 4, b'J', b'F']);
        let exif = b"Exif\0\0GPS-MARKER-13.7563";
        j.extend_from_slice(&[0xFF, 0xE1, 0, u8::try_from(exif.len() + 2).unwrap()]);
        j.extend_from_slice(exif);
        j.extend_from_slice(&[0xFF, 0xFE, 0, 7, b'n', b'o', b't', b'e', b'!']);
        j.extend_from_slice(&[0xFF, 0xDA, 0, 2, 1, 2, 3, 0xFF, 0xD9]);
        j
    }

    #[test]
    fn exif_and_comments_leave_a_jpeg_and_the_image_stays() {
        let j = jpeg_with_exif();
        let s = strip_jpeg(&j).unwrap();
        let text = String::from_utf8_lossy(&s);
        assert!(!text.contains("GPS-MARKER"));
        assert!(!text.contains("note"));
        assert!(s.starts_with(&[0xFF, 0xD8, 0xFF, 0xE0]));
        assert!(s.ends_with(&[1, 2, 3, 0xFF, 0xD9]));
    }

    #[test]
    fn text_chunks_leave_a_png() {
        let mut p = b"\x89PNG\r\n\x1a\n".to_vec();
        for (kind, data) in [
            (&b"IHDR"[..], &b"0123456789abc"[..]),
            (b"tEXt", b"Author\0MARKER"),
            (b"IDAT", b"xx"),
            (b"IEND", b""),
        ] {
            p.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
            p.extend_from_slice(kind);
            p.extend_from_slice(data);
            p.extend_from_slice(&[0, 0, 0, 0]);
        }
        let s = strip_png(&p).unwrap();
        assert!(!String::from_utf8_lossy(&s).contains("MARKER"));
        assert!(String::from_utf8_lossy(&s).contains("IDAT"));
    }

    #[test]
    fn odd_inputs_are_refused_or_kept_never_a_panic() {
        for b in [
            &b""[..],
            b"\xFF\xD8",
            b"\xFF\xD8\xFF\xE1\xFF\xFF",
            b"\x89PNG\r\n\x1a\n\0\0",
        ] {
            let _ = strip_jpeg(b);
            let _ = strip_png(b);
        }
        assert_eq!(
            accept("a.exe", b"MZ".to_vec(), true),
            Err(AttachmentProblem::NotAllowed {
                name: "a.exe".into()
            })
        );
        assert!(matches!(
            accept("photo.jpg", b"%PDF-1.7".to_vec(), true),
            Err(AttachmentProblem::Disguised { .. })
        ));
        assert!(matches!(
            accept("x.pdf", vec![b'%'; MAX_ATTACHMENT_BYTES + 1], false),
            Err(AttachmentProblem::TooLarge { .. })
        ));
        let ok = accept("p.jpg", jpeg_with_exif(), true).unwrap();
        assert!(ok.stripped);
    }
}
