//! The agency's recovery key, written out once as text to print and type back.

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::{PublicKey, Random, SecretKey};

/// Crockford's base32 alphabet: no I, L, O or U.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// 32 secret bytes and 3 checksum bytes: 280 bits, exactly 56 characters.
const PAYLOAD: usize = 35;
const CHARS: usize = 56;
const GROUP: usize = 4;
const CHECK_LABEL: &[u8] = b"prongsai-vault/v1/recovery-check";

/// The agency's recovery key pair. Every case key is also sealed to its public key, so the
/// agency can read its cases if every handler's key is lost.
///
/// Its secret exists only as the text of [`RecoveryKey::to_text`], shown once to the agency
/// to print and keep offline (a safe, two people). The server stores the [`PublicKey`] alone.
/// Typed back in, [`RecoveryKey::parse`] gives the key pair, whose [`SecretKey`] opens any
/// sealed copy made for it.
///
/// The text is 56 characters of Crockford base32 in 14 groups of 4: 256 bits of key and a
/// 24-bit checksum (the first 3 bytes of SHA-256 of a label and the key), so a typo is caught
/// with a probability of 1 − 2⁻²⁴ instead of giving a wrong key.
pub struct RecoveryKey(SecretKey);

impl RecoveryKey {
    /// A new random recovery key.
    pub fn generate(rng: &(impl Random + ?Sized)) -> Self {
        Self(SecretKey::generate(rng))
    }

    /// The public key to seal every case key to.
    pub fn public_key(&self) -> PublicKey {
        self.0.public_key()
    }

    /// The private key, to open sealed copies.
    pub fn secret_key(&self) -> &SecretKey {
        &self.0
    }

    /// The text to print: 14 groups of 4 characters separated by spaces, e.g.
    /// `"7K3M 0QXD …"`. Show it once; the caller decides how to lay it out (two lines of 7
    /// groups print well). Zeroed when dropped.
    pub fn to_text(&self) -> Zeroizing<String> {
        let mut payload = Zeroizing::new([0u8; PAYLOAD]);
        payload[..32].copy_from_slice(self.0.secret_bytes());
        payload[32..].copy_from_slice(&checksum(self.0.secret_bytes()));
        let mut out = Zeroizing::new(String::with_capacity(CHARS + CHARS / GROUP));
        for i in 0..CHARS {
            if i > 0 && i % GROUP == 0 {
                out.push(' ');
            }
            // 5 bits starting at bit 5*i, most significant first.
            let bit = 5 * i;
            let byte = bit / 8;
            let pair = u16::from(payload[byte]) << 8
                | u16::from(payload.get(byte + 1).copied().unwrap_or(0));
            let v = (pair >> (11 - bit % 8)) & 31;
            out.push(char::from(ALPHABET[usize::from(v)]));
        }
        out
    }

    /// Reads typed recovery text. Spaces, dashes, dots, underscores and line breaks are
    /// ignored; letters may be in either case; `O` is read as `0` and `I` or `L` as `1`, as
    /// Crockford's base32 specifies. A wrong character, a wrong count or a checksum mismatch
    /// is an error saying which.
    pub fn parse(text: &str) -> Result<Self, RecoveryTextError> {
        let mut values = Zeroizing::new(Vec::with_capacity(CHARS));
        for (position, ch) in text.chars().enumerate() {
            if ch.is_whitespace() || matches!(ch, '-' | '.' | '_' | '–' | '—') {
                continue;
            }
            let v = decode_char(ch).ok_or(RecoveryTextError::BadCharacter {
                ch,
                position: position + 1,
            })?;
            values.push(v);
            if values.len() > CHARS {
                break;
            }
        }
        if values.len() != CHARS {
            return Err(RecoveryTextError::WrongLength {
                found: if values.len() > CHARS {
                    count_significant(text)
                } else {
                    values.len()
                },
                expected: CHARS,
            });
        }
        let mut payload = Zeroizing::new([0u8; PAYLOAD]);
        for (i, v) in values.iter().enumerate() {
            let bit = 5 * i;
            let byte = bit / 8;
            let shift = 11 - bit % 8;
            let [high, low] = (u16::from(*v) << shift).to_be_bytes();
            payload[byte] |= high;
            if let Some(next) = payload.get_mut(byte + 1) {
                *next |= low;
            }
        }
        let mut secret = Zeroizing::new([0u8; 32]);
        secret.copy_from_slice(&payload[..32]);
        if payload[32..] != checksum(&secret) {
            return Err(RecoveryTextError::Checksum);
        }
        Ok(Self(SecretKey::from_secret_bytes(&secret)))
    }
}

impl std::fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "RecoveryKey {{ public: {:?}, secret: … }}",
            self.public_key()
        )
    }
}

fn checksum(secret: &[u8; 32]) -> [u8; 3] {
    let h = Sha256::new()
        .chain_update(CHECK_LABEL)
        .chain_update(secret)
        .finalize();
    [h[0], h[1], h[2]]
}

fn decode_char(ch: char) -> Option<u8> {
    let up = match ch.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        c => c,
    };
    let b = u8::try_from(up).ok()?;
    ALPHABET
        .iter()
        .position(|&a| a == b)
        .and_then(|p| u8::try_from(p).ok())
}

fn count_significant(text: &str) -> usize {
    text.chars()
        .filter(|c| !(c.is_whitespace() || matches!(c, '-' | '.' | '_' | '–' | '—')))
        .count()
}

/// Why typed recovery text was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RecoveryTextError {
    /// A character that is not in the alphabet (`U`, a Thai letter, a symbol), at a position
    /// counted in characters from 1.
    #[error("character {position} ('{ch}') is not part of a recovery key")]
    BadCharacter {
        /// The character typed.
        ch: char,
        /// Its position in the text, from 1.
        position: usize,
    },
    /// Too few or too many characters (separators not counted).
    #[error("a recovery key has {expected} characters; this has {found}")]
    WrongLength {
        /// Characters found.
        found: usize,
        /// Characters expected (56).
        expected: usize,
    },
    /// Every character is valid but the checksum does not match: one is mistyped.
    #[error("the recovery key has a typo: check each group against the printed copy")]
    Checksum,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CaseKey;
    use crate::test_rng::rng;

    #[test]
    fn text_round_trips_and_opens_sealed_keys() {
        let r = rng(20);
        let rk = RecoveryKey::generate(&r);
        let text = rk.to_text();
        assert_eq!(text.len(), 56 + 13);
        assert_eq!(text.split(' ').count(), 14);
        assert!(text.split(' ').all(|g| g.len() == 4));
        let back = RecoveryKey::parse(&text).unwrap();
        assert_eq!(back.public_key(), rk.public_key());
        let key = CaseKey::generate(&r);
        let sealed = key.seal_to(&rk.public_key(), b"ctx", &r).unwrap();
        let opened = sealed.open(back.secret_key(), b"ctx").unwrap();
        let ct = key.encrypt(b"a", b"text", &r).unwrap();
        assert_eq!(opened.decrypt(b"a", &ct).unwrap(), b"text");
    }

    #[test]
    fn typing_variants_are_accepted() {
        let r = rng(21);
        let rk = RecoveryKey::generate(&r);
        let text = rk.to_text().to_string();
        let compact: String = text.chars().filter(|c| *c != ' ').collect();
        let variants = [
            text.to_lowercase(),
            text.replace(' ', "-"),
            compact.clone(),
            format!("  {}\n{}  ", &text[..34], &text[35..]),
            compact.replace('0', "o").replace('1', "l"),
            compact.replace('1', "I"),
        ];
        for v in variants {
            assert_eq!(
                RecoveryKey::parse(&v).unwrap().public_key(),
                rk.public_key(),
                "{v}"
            );
        }
    }

    #[test]
    fn every_single_typo_is_caught() {
        let r = rng(22);
        let rk = RecoveryKey::generate(&r);
        let compact: Vec<u8> = rk.to_text().bytes().filter(|b| *b != b' ').collect();
        for i in 0..compact.len() {
            for &sub in ALPHABET {
                if sub == compact[i] {
                    continue;
                }
                let mut t = compact.clone();
                t[i] = sub;
                let s = String::from_utf8(t).unwrap();
                assert_eq!(
                    RecoveryKey::parse(&s).unwrap_err(),
                    RecoveryTextError::Checksum
                );
            }
        }
        // Two neighbours swapped.
        for i in 0..compact.len() - 1 {
            if compact[i] == compact[i + 1] {
                continue;
            }
            let mut t = compact.clone();
            t.swap(i, i + 1);
            let s = String::from_utf8(t).unwrap();
            assert_eq!(
                RecoveryKey::parse(&s).unwrap_err(),
                RecoveryTextError::Checksum
            );
        }
    }

    #[test]
    fn bad_characters_and_lengths_say_what_is_wrong() {
        let r = rng(23);
        let text = RecoveryKey::generate(&r).to_text().to_string();
        let with_u = format!("U{}", &text[1..]);
        assert_eq!(
            RecoveryKey::parse(&with_u).unwrap_err(),
            RecoveryTextError::BadCharacter {
                ch: 'U',
                position: 1
            }
        );
        let with_thai = format!("{}ก", &text[..10]);
        assert_eq!(
            RecoveryKey::parse(&with_thai).unwrap_err(),
            RecoveryTextError::BadCharacter {
                ch: 'ก',
                position: 11
            }
        );
        assert_eq!(
            RecoveryKey::parse(&text[..text.len() - 1]).unwrap_err(),
            RecoveryTextError::WrongLength {
                found: 55,
                expected: 56
            }
        );
        assert_eq!(
            RecoveryKey::parse(&format!("{text}AA")).unwrap_err(),
            RecoveryTextError::WrongLength {
                found: 58,
                expected: 56
            }
        );
        assert_eq!(
            RecoveryKey::parse("").unwrap_err(),
            RecoveryTextError::WrongLength {
                found: 0,
                expected: 56
            }
        );
    }

    #[test]
    fn debug_hides_the_secret() {
        let r = rng(24);
        let rk = RecoveryKey::generate(&r);
        let text = rk.to_text();
        let shown = format!("{rk:?}");
        assert!(!shown.contains(&text[..9]));
        assert!(shown.contains("RecoveryKey"));
    }
}
