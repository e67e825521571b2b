//! The logo: only PNG is accepted, and its header is checked before any renderer sees it, so
//! that a broken upload becomes an error rather than a panic or a broken file.

use crate::DocumentError;

/// The size of a PNG image in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ImageInfo {
    pub width: u32,
    pub height: u32,
}

const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
/// Larger logos are refused: a page never needs them and they would only slow rendering.
const MAX_SIDE: u32 = 8_000;

/// Reads the size from a PNG's IHDR chunk.
pub(crate) fn png_info(bytes: &[u8]) -> Result<ImageInfo, DocumentError> {
    let header = bytes.get(..24).ok_or(DocumentError::InvalidLogo)?;
    if header[..8] != SIGNATURE || &header[12..16] != b"IHDR" {
        return Err(DocumentError::InvalidLogo);
    }
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    let (width, height) = (be(&header[16..20]), be(&header[20..24]));
    if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
        return Err(DocumentError::InvalidLogo);
    }
    Ok(ImageInfo { width, height })
}

/// The logo with its size, when there is one; an error when it is not a usable PNG.
pub(crate) fn logo(bytes: Option<&Vec<u8>>) -> Result<Option<(&[u8], ImageInfo)>, DocumentError> {
    bytes
        .map(|b| png_info(b).map(|info| (b.as_slice(), info)))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_png_headers_with_a_sensible_size_are_accepted() {
        let mut png = SIGNATURE.to_vec();
        png.extend_from_slice(&[0, 0, 0, 13]);
        png.extend_from_slice(b"IHDR");
        png.extend_from_slice(&64u32.to_be_bytes());
        png.extend_from_slice(&32u32.to_be_bytes());
        assert_eq!(
            png_info(&png).unwrap(),
            ImageInfo {
                width: 64,
                height: 32
            }
        );
        assert!(png_info(b"GIF89a").is_err());
        assert!(png_info(&png[..20]).is_err());
        let mut zero = png.clone();
        zero[16..20].copy_from_slice(&0u32.to_be_bytes());
        assert!(png_info(&zero).is_err());
    }
}
