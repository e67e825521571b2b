//! Proof-of-work for anonymous submission: a stateless challenge and its check.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::encoding::{hex, unhex};
use crate::{InstanceKey, Random};

const KIND: u8 = b'P';
const VERSION: u8 = 1;
const LABEL: &[u8] = b"prongsai-vault/v1/pow";
/// kind, version, expiry (8), difficulty (1), id (16).
const BODY_LEN: usize = 2 + 8 + 1 + 16;
const TOKEN_LEN: usize = BODY_LEN + 16;

/// A proof-of-work challenge, issued with the submission form and checked when it comes back.
///
/// It is stateless: the token carries its expiry (Unix seconds), its difficulty and a random
/// 16-byte id, authenticated with HMAC-SHA256 under the [`InstanceKey`] (first 16 bytes), so
/// the server keeps nothing until the answer comes back. Then the caller keeps the id in a
/// seen set until the expiry ([`PowSolved`]), so a solved challenge is used once.
///
/// # The work (what the page's script computes)
///
/// The token is 86 lower-case hex characters: the 43 bytes
/// `0x50 ('P'), 0x01, expiry (i64 big-endian, 8 bytes), difficulty (1 byte), id (16 bytes),
/// MAC (16 bytes)`. The difficulty is byte 10 (hex characters 20–21).
///
/// Find a nonce `n`, an unsigned 64-bit integer, such that
/// `SHA-256(token bytes || n as 8 bytes big-endian)` starts with at least `difficulty` zero
/// bits (counting from the most significant bit of the first byte). Send `n` back in decimal.
/// In a browser: `crypto.subtle.digest("SHA-256", buf)` over a 51-byte buffer, writing `n`
/// with `DataView.setBigUint64(43, BigInt(n))` (big-endian by default); counting from 0 finds
/// one after about 2^difficulty tries. `crypto.subtle` needs HTTPS (or localhost).
#[derive(Clone, PartialEq, Eq)]
pub struct PowChallenge {
    token: [u8; TOKEN_LEN],
}

/// The most a challenge can ask: 2³² hashes is minutes in a browser.
pub const MAX_DIFFICULTY: u8 = 32;

/// A checked proof-of-work: keep `id` in the seen set until `expires_at`, and refuse the
/// submission if it is already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PowSolved {
    /// The challenge's random id.
    pub id: [u8; 16],
    /// Its expiry, in Unix seconds: the seen set may forget the id after it.
    pub expires_at: i64,
}

impl PowChallenge {
    /// Issues a challenge that expires at `expires_at` (Unix seconds, from the caller's clock)
    /// and asks for `difficulty` zero bits (capped at 32). 20 bits is about a second in a
    /// phone's browser.
    pub fn issue(
        key: &InstanceKey,
        expires_at: i64,
        difficulty: u8,
        rng: &(impl Random + ?Sized),
    ) -> Self {
        let mut token = [0u8; TOKEN_LEN];
        token[0] = KIND;
        token[1] = VERSION;
        token[2..10].copy_from_slice(&expires_at.to_be_bytes());
        token[10] = difficulty.min(MAX_DIFFICULTY);
        rng.fill(&mut token[11..BODY_LEN]);
        let mac = key.mac(LABEL, &[&token[..BODY_LEN]]);
        token[BODY_LEN..].copy_from_slice(&mac[..16]);
        Self { token }
    }

    /// The token to put in the form (86 hex characters).
    pub fn to_token(&self) -> String {
        hex(&self.token)
    }

    /// Reads a token sent back by a form. Checks only the shape; [`PowChallenge::verify`]
    /// checks the rest.
    pub fn parse(token: &str) -> Result<Self, PowError> {
        let bytes = unhex(token.trim()).ok_or(PowError::Malformed)?;
        let token: [u8; TOKEN_LEN] = bytes.try_into().map_err(|_| PowError::Malformed)?;
        if token[0] != KIND || token[1] != VERSION || token[10] > MAX_DIFFICULTY {
            return Err(PowError::Malformed);
        }
        Ok(Self { token })
    }

    /// The expiry, Unix seconds.
    pub fn expires_at(&self) -> i64 {
        let mut b = [0u8; 8];
        b.copy_from_slice(&self.token[2..10]);
        i64::from_be_bytes(b)
    }

    /// The zero bits asked for.
    pub fn difficulty(&self) -> u8 {
        self.token[10]
    }

    /// Whether `nonce` solves this challenge (the hash only; no MAC or expiry check).
    pub fn is_solved_by(&self, nonce: u64) -> bool {
        let h = Sha256::new()
            .chain_update(self.token)
            .chain_update(nonce.to_be_bytes())
            .finalize();
        leading_zero_bits(&h) >= u32::from(self.difficulty())
    }

    /// Finds the smallest solving nonce, counting from 0. For tests and a fallback without
    /// JavaScript; the cost doubles with each bit of difficulty.
    pub fn solve(&self) -> u64 {
        (0..=u64::MAX)
            .find(|&n| self.is_solved_by(n))
            .unwrap_or(u64::MAX)
    }

    /// Checks a returned token and nonce: made by this installation (MAC, constant time), not
    /// expired at `now` (Unix seconds; a challenge is refused from its expiry second on),
    /// asking at least `min_difficulty` bits, and solved by `nonce`. Checking whether the id
    /// was already used is the caller's, with the returned [`PowSolved`].
    pub fn verify(
        key: &InstanceKey,
        token: &str,
        nonce: u64,
        now: i64,
        min_difficulty: u8,
    ) -> Result<PowSolved, PowError> {
        let c = Self::parse(token)?;
        let mac = key.mac(LABEL, &[&c.token[..BODY_LEN]]);
        if !bool::from(mac[..16].ct_eq(&c.token[BODY_LEN..])) {
            return Err(PowError::Forged);
        }
        if now >= c.expires_at() {
            return Err(PowError::Expired);
        }
        if c.difficulty() < min_difficulty {
            return Err(PowError::TooEasy);
        }
        if !c.is_solved_by(nonce) {
            return Err(PowError::WrongSolution);
        }
        let mut id = [0u8; 16];
        id.copy_from_slice(&c.token[11..BODY_LEN]);
        Ok(PowSolved {
            id,
            expires_at: c.expires_at(),
        })
    }
}

impl std::fmt::Debug for PowChallenge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PowChallenge")
            .field("expires_at", &self.expires_at())
            .field("difficulty", &self.difficulty())
            .finish_non_exhaustive()
    }
}

fn leading_zero_bits(h: &[u8]) -> u32 {
    let mut n = 0;
    for &b in h {
        n += b.leading_zeros();
        if b != 0 {
            break;
        }
    }
    n
}

/// Why a proof-of-work was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PowError {
    /// Not a token of this format.
    #[error("the form's challenge is malformed")]
    Malformed,
    /// Not made by this installation, or changed (the MAC does not match).
    #[error("the form's challenge was not issued here")]
    Forged,
    /// Past its expiry: reload the form.
    #[error("the form's challenge has expired")]
    Expired,
    /// Issued with fewer bits than are now required.
    #[error("the form's challenge is easier than required")]
    TooEasy,
    /// The nonce does not solve it.
    #[error("the proof-of-work is wrong")]
    WrongSolution,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::rng;

    const NOW: i64 = 1_767_225_600; // 2026-01-01

    fn key() -> InstanceKey {
        InstanceKey::from_bytes([9u8; 32])
    }

    #[test]
    fn issue_solve_verify() {
        let r = rng(40);
        let c = PowChallenge::issue(&key(), NOW + 600, 12, &r);
        let token = c.to_token();
        assert_eq!(token.len(), 86);
        assert_eq!(&token[20..22], "0c");
        assert_eq!(PowChallenge::parse(&token).unwrap(), c);
        let n = c.solve();
        assert!(c.is_solved_by(n));
        let ok = PowChallenge::verify(&key(), &token, n, NOW, 12).unwrap();
        assert_eq!(ok.expires_at, NOW + 600);
        assert_eq!(&ok.id[..], &c.token[11..27]);
        // Upper-case hex and surrounding spaces from a form are fine.
        let upper = format!(" {} ", token.to_uppercase());
        assert_eq!(PowChallenge::verify(&key(), &upper, n, NOW, 12), Ok(ok));
        // Two challenges have different ids.
        let d = PowChallenge::issue(&key(), NOW + 600, 12, &r);
        assert_ne!(c.token[11..27], d.token[11..27]);
    }

    #[test]
    fn expired_forged_too_easy_and_wrong_are_refused() {
        let r = rng(41);
        let c = PowChallenge::issue(&key(), NOW + 60, 8, &r);
        let n = c.solve();
        let t = c.to_token();
        assert_eq!(
            PowChallenge::verify(&key(), &t, n, NOW + 60, 8),
            Err(PowError::Expired)
        );
        assert_eq!(
            PowChallenge::verify(&key(), &t, n, NOW + 61, 8),
            Err(PowError::Expired)
        );
        assert!(PowChallenge::verify(&key(), &t, n, NOW + 59, 8).is_ok());
        // Another installation's key.
        let other = InstanceKey::from_bytes([1u8; 32]);
        assert_eq!(
            PowChallenge::verify(&other, &t, n, NOW, 8),
            Err(PowError::Forged)
        );
        // A later expiry or a lower difficulty written into the token.
        let mut longer = c.clone();
        longer.token[9] ^= 0x10;
        assert_eq!(
            PowChallenge::verify(&key(), &longer.to_token(), n, NOW, 8),
            Err(PowError::Forged)
        );
        let mut easier = c.clone();
        easier.token[10] = 0;
        assert_eq!(
            PowChallenge::verify(&key(), &easier.to_token(), 0, NOW, 0),
            Err(PowError::Forged)
        );
        // Issued with fewer bits than now required.
        assert_eq!(
            PowChallenge::verify(&key(), &t, n, NOW, 9),
            Err(PowError::TooEasy)
        );
        // A nonce that does not solve it.
        let wrong = (0..).find(|&m| !c.is_solved_by(m)).unwrap();
        assert_eq!(
            PowChallenge::verify(&key(), &t, wrong, NOW, 8),
            Err(PowError::WrongSolution)
        );
    }

    #[test]
    fn malformed_tokens_are_refused() {
        let c = PowChallenge::issue(&key(), NOW, 4, &rng(42));
        let t = c.to_token();
        for bad in [
            String::new(),
            "zz".repeat(43),
            t[..84].to_string(),
            format!("{t}00"),
            format!("51{}", &t[2..]),
            format!("{}21{}", &t[..20], &t[22..]), // difficulty 33
            "ก".repeat(43),
        ] {
            assert_eq!(
                PowChallenge::parse(&bad).unwrap_err(),
                PowError::Malformed,
                "{bad}"
            );
        }
    }

    #[test]
    fn difficulty_is_capped_and_counted_in_bits() {
        let c = PowChallenge::issue(&key(), NOW, 200, &rng(43));
        assert_eq!(c.difficulty(), MAX_DIFFICULTY);
        assert_eq!(leading_zero_bits(&[0, 0x0f, 0xff]), 12);
        assert_eq!(leading_zero_bits(&[0x80]), 0);
        assert_eq!(leading_zero_bits(&[0, 0]), 16);
        // A zero-difficulty challenge is solved by any nonce.
        let easy = PowChallenge::issue(&key(), NOW + 1, 0, &rng(44));
        assert_eq!(easy.solve(), 0);
    }

    #[test]
    fn known_answer_for_the_page_script() {
        // A fixed token and its first solution, for the JavaScript solver's test to match.
        let c = PowChallenge::issue(&key(), 1_767_225_600, 8, &|b: &mut [u8]| b.fill(0xab));
        let token = c.to_token();
        assert!(token.starts_with("5001000000006955b90008abababab"));
        let n = c.solve();
        let h = Sha256::new()
            .chain_update(c.token)
            .chain_update(n.to_be_bytes())
            .finalize();
        assert_eq!(h[0], 0);
        assert!((0..n).all(|m| !c.is_solved_by(m)));
    }
}
