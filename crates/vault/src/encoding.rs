//! Small helpers for the binary formats.

use crate::Error;

/// Checks the kind and version bytes at the front of a blob.
pub(crate) fn check_header(
    blob: &[u8],
    kind: u8,
    version: u8,
    what: &'static str,
) -> Result<(), Error> {
    match blob {
        [k, v, ..] if *k == kind && *v == version => Ok(()),
        [k, v, ..] if *k == kind => Err(Error::UnsupportedVersion { what, version: *v }),
        _ => Err(Error::Malformed(what)),
    }
}

/// `N` bytes at `at`, or `Malformed`.
pub(crate) fn array<const N: usize>(
    blob: &[u8],
    at: usize,
    what: &'static str,
) -> Result<[u8; N], Error> {
    blob.get(at..at + N)
        .and_then(|s| s.try_into().ok())
        .ok_or(Error::Malformed(what))
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    s
}

/// Parses hex (either case); `None` on any other character or an odd length.
pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let bytes = s.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes
        .chunks_exact(2)
        .map(|p| Some(nibble(p[0])? << 4 | nibble(p[1])?))
        .collect()
}

/// HKDF-SHA256 to 32 bytes.
pub(crate) fn hkdf32(ikm: &[u8], info: &[&[u8]]) -> zeroize::Zeroizing<[u8; 32]> {
    let hk = hkdf::Hkdf::<sha2::Sha256>::new(None, ikm);
    let mut out = zeroize::Zeroizing::new([0u8; 32]);
    // 32 bytes is far below HKDF-SHA256's limit of 255 × 32.
    if hk.expand_multi_info(info, out.as_mut()).is_err() {
        unreachable!("HKDF-SHA256 can output 32 bytes");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_junk() {
        assert_eq!(hex(&[0, 0xab, 0x10]), "00ab10");
        assert_eq!(unhex("00AB10"), Some(vec![0, 0xab, 0x10]));
        assert_eq!(unhex("0"), None);
        assert_eq!(unhex("zz"), None);
        assert_eq!(unhex("ก"), None);
    }

    #[test]
    fn headers_are_checked() {
        assert_eq!(check_header(b"C\x01rest", b'C', 1, "x"), Ok(()));
        assert_eq!(
            check_header(b"C\x02", b'C', 1, "x"),
            Err(Error::UnsupportedVersion {
                what: "x",
                version: 2
            })
        );
        assert_eq!(
            check_header(b"S\x01", b'C', 1, "x"),
            Err(Error::Malformed("x"))
        );
        assert_eq!(check_header(b"", b'C', 1, "x"), Err(Error::Malformed("x")));
        assert_eq!(array::<2>(b"abc", 2, "x"), Err(Error::Malformed("x")));
        assert_eq!(array::<2>(b"abc", 1, "x"), Ok(*b"bc"));
    }
}
