//! Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), as every
//! authenticator app speaks them.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

use crate::entropy::Entropy;

const STEP_SECS: i64 = 30;
const DIGITS: u32 = 6;

/// A new random 160-bit secret, base32 without padding, as authenticator apps expect.
pub fn new_secret(entropy: &dyn Entropy) -> String {
    let mut key = [0u8; 20];
    entropy.fill(&mut key);
    data_encoding::BASE32_NOPAD.encode(&key)
}

/// The `otpauth://` URI that an authenticator app scans as a QR code.
pub fn otpauth_uri(secret: &str, account_email: &str, issuer: &str) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'@') {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    format!(
        "otpauth://totp/{}:{}?secret={secret}&issuer={}&algorithm=SHA1&digits=6&period=30",
        enc(issuer),
        enc(account_email),
        enc(issuer)
    )
}

/// The code for a time step, or `None` if the secret is not valid base32.
pub fn code_at_step(secret: &str, step: i64) -> Option<u32> {
    let key = data_encoding::BASE32_NOPAD.decode(secret.as_bytes()).ok()?;
    let mut mac = Hmac::<Sha1>::new_from_slice(&key).ok()?;
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest.last()? & 0x0f);
    let slice: [u8; 4] = digest.get(offset..offset + 4)?.try_into().ok()?;
    let bin = u32::from_be_bytes(slice) & 0x7fff_ffff;
    Some(bin % 10u32.pow(DIGITS))
}

/// Checks a typed code at `unix` seconds, allowing one step of clock drift either way. Returns
/// the matched step, which must be greater than `last_step` (a code is accepted only once).
pub fn verify(secret: &str, code: &str, unix: i64, last_step: i64) -> Option<i64> {
    let typed = prongsai_thai::to_arabic_digits(code.trim()).replace([' ', '-'], "");
    if typed.len() != 6 || !typed.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let typed: u32 = typed.parse().ok()?;
    let now = unix.div_euclid(STEP_SECS);
    [now - 1, now, now + 1]
        .into_iter()
        .filter(|s| *s > last_step)
        .find(|s| code_at_step(secret, *s) == Some(typed))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 rows (8 digits there; the last 6 digits are what 6-digit
    /// authenticators show).
    #[test]
    fn rfc_6238_test_vectors() {
        let secret = data_encoding::BASE32_NOPAD.encode(b"12345678901234567890");
        let cases = [
            (59, 94_287_082u32),
            (1_111_111_109, 7_081_804),
            (1_111_111_111, 14_050_471),
            (1_234_567_890, 89_005_924),
            (2_000_000_000, 69_279_037),
        ];
        for (t, expected8) in cases {
            assert_eq!(
                code_at_step(&secret, t / 30),
                Some(expected8 % 1_000_000),
                "t={t}"
            );
        }
    }

    #[test]
    fn a_code_is_accepted_once_and_within_one_step() {
        let secret = data_encoding::BASE32_NOPAD.encode(b"12345678901234567890");
        let code = format!("{:06}", code_at_step(&secret, 1000).unwrap());
        assert_eq!(verify(&secret, &code, 1000 * 30 + 5, 0), Some(1000));
        assert_eq!(verify(&secret, &code, 1001 * 30 + 5, 0), Some(1000));
        assert_eq!(verify(&secret, &code, 1002 * 30 + 5, 0), None);
        assert_eq!(verify(&secret, &code, 1000 * 30 + 5, 1000), None, "replay");
        assert_eq!(verify(&secret, "12345", 30_000, 0), None);
        assert_eq!(verify(&secret, "abcdef", 30_000, 0), None);
    }

    #[test]
    fn thai_digits_are_accepted() {
        let secret = data_encoding::BASE32_NOPAD.encode(b"12345678901234567890");
        let code =
            prongsai_thai::to_thai_digits(&format!("{:06}", code_at_step(&secret, 7).unwrap()));
        assert_eq!(verify(&secret, &code, 7 * 30, 0), Some(7));
    }

    #[test]
    fn the_uri_escapes_the_issuer() {
        let uri = otpauth_uri("ABC", "a@b.th", "โปร่งใส");
        assert!(uri.starts_with("otpauth://totp/%E0%B9%82"));
        assert!(uri.contains(":a@b.th?secret=ABC&"));
    }
}
