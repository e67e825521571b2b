//! The reporter's receipt: how they come back to their case without an account.

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::encoding::{array, check_header, hex, hkdf32};
use crate::{Error, InstanceKey, KdfParams, PublicKey, Random, SecretKey};

/// Digits in a receipt: 27 random digits and a check digit.
pub const RECEIPT_DIGITS: usize = 28;
/// Random bits in a receipt, rounded down: 27 random decimal digits are 27 × log₂10 ≈ 89.7
/// bits. (The 28th digit is a check digit and adds none.)
pub const RECEIPT_BITS: u32 = 89;
/// The leading digits that find the case ([`Receipt::lookup_id`]): about 39.9 bits.
const LOOKUP_DIGITS: usize = 12;
const GROUP: usize = 4;

const RECORD_KIND: u8 = b'R';
const VERSION: u8 = 1;
const LOOKUP_LABEL: &[u8] = b"prongsai-vault/v1/receipt-lookup";
const KEY_LABEL: &[u8] = b"prongsai-vault/v1/receipt-key";

/// A reporter's receipt: 28 decimal digits in 7 groups of 4, e.g.
/// `4821 0937 5562 1048 7730 2915 6604`.
///
/// **Design.** 27 digits are random (89.7 bits) and the last is a Damm check digit, which
/// catches every single mistyped digit and every swap of two neighbours before anything is
/// looked up, so a typo is told apart from a wrong receipt and costs no throttled attempt.
/// Digits only, because a reporter on a phone types them from the number pad in any keyboard
/// language, Thai digits included; a passphrase would need a word list in one script and a
/// keyboard switch. 28 digits is the length of two card numbers less four.
///
/// * **Finding the case.** The first 12 digits, under HMAC-SHA256 with the installation's
///   [`InstanceKey`], give the [`LookupId`] that the case row is found by. Without the instance
///   key the lookup ids say nothing about receipts.
/// * **Proving it.** The whole receipt goes through Argon2id ([`KdfParams::RECEIPT`], a random
///   salt per receipt); HKDF of the result is the private key of an X25519 key pair whose
///   public key is stored in the [`ReceiptRecord`]. [`Receipt::unlock`] recomputes it and
///   compares the public keys in constant time.
/// * **Reading replies.** The case key is sealed to that public key like to any handler's, so
///   the reporter (with the receipt) opens it, and the server holds no copy it can open alone.
///   Since sealing needs only the public key, a re-keyed case ([`CaseKey::rekey`]) is sealed to
///   the reporter again without the reporter being there.
///
/// Someone holding the database *and* the instance key can search the 12 lookup digits with
/// HMAC (fast), then must search the other 15 random digits (49.8 bits) with one Argon2id run
/// each: about 10¹⁵ runs per receipt.
///
/// [`CaseKey::rekey`]: crate::CaseKey::rekey
pub struct Receipt(Zeroizing<[u8; RECEIPT_DIGITS]>);

impl Receipt {
    /// A new random receipt.
    pub fn generate(rng: &(impl Random + ?Sized)) -> Self {
        let mut digits = Zeroizing::new([0u8; RECEIPT_DIGITS]);
        let mut filled = 0;
        let mut pool = Zeroizing::new([0u8; 32]);
        while filled < RECEIPT_DIGITS - 1 {
            rng.fill(pool.as_mut());
            // Bytes 250..=255 are dropped so that every digit is equally likely.
            for &b in pool.iter().filter(|&&b| b < 250) {
                if filled == RECEIPT_DIGITS - 1 {
                    break;
                }
                digits[filled] = b % 10;
                filled += 1;
            }
        }
        digits[RECEIPT_DIGITS - 1] = damm(&digits[..RECEIPT_DIGITS - 1]);
        Self(digits)
    }

    /// Reads what a person typed. Accepts ASCII digits and Thai digits (๐–๙); ignores spaces
    /// (including no-break spaces), line breaks, dashes and dots. Refuses any other character,
    /// the wrong number of digits, and a failed check digit, each with its own error.
    pub fn parse(text: &str) -> Result<Self, ReceiptError> {
        let mut digits = Zeroizing::new([0u8; RECEIPT_DIGITS]);
        let mut found = 0usize;
        for (position, ch) in text.chars().enumerate() {
            if ch.is_whitespace() || matches!(ch, '-' | '.' | '–' | '—' | '−' | '_') {
                continue;
            }
            let d = digit(ch).ok_or(ReceiptError::BadCharacter {
                ch,
                position: position + 1,
            })?;
            if let Some(slot) = digits.get_mut(found) {
                *slot = d;
            }
            found += 1;
        }
        if found == 0 {
            return Err(ReceiptError::Empty);
        }
        if found != RECEIPT_DIGITS {
            return Err(ReceiptError::WrongLength {
                found,
                expected: RECEIPT_DIGITS,
            });
        }
        if damm(&digits[..]) != 0 {
            return Err(ReceiptError::CheckDigit);
        }
        Ok(Self(digits))
    }

    /// The receipt to show and print: 7 groups of 4 ASCII digits separated by spaces.
    /// Zeroed when dropped.
    pub fn to_text(&self) -> Zeroizing<String> {
        let mut s = Zeroizing::new(String::with_capacity(
            RECEIPT_DIGITS + RECEIPT_DIGITS / GROUP,
        ));
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 && i % GROUP == 0 {
                s.push(' ');
            }
            s.push(char::from(b'0' + d));
        }
        s
    }

    fn ascii(&self) -> Zeroizing<[u8; RECEIPT_DIGITS]> {
        let mut a = Zeroizing::new([0u8; RECEIPT_DIGITS]);
        for (o, d) in a.iter_mut().zip(self.0.iter()) {
            *o = b'0' + d;
        }
        a
    }

    /// The id the case is found by: HMAC-SHA256(instance key, label || the first 12 digits),
    /// first 16 bytes. Store it in a unique index. Two receipts share a lookup id with odds of
    /// about one in 10¹² per pair: on a clash when storing, make a new receipt.
    pub fn lookup_id(&self, key: &InstanceKey) -> LookupId {
        let mac = key.mac(LOOKUP_LABEL, &[&self.ascii()[..LOOKUP_DIGITS]]);
        let mut id = [0u8; 16];
        id.copy_from_slice(&mac[..16]);
        LookupId(id)
    }

    /// Registers the receipt: Argon2id with `params` ([`KdfParams::RECEIPT`] in production)
    /// and a new salt gives the reporter's key pair. Store the record; seal the case key to
    /// the returned key's public key; drop the key.
    pub fn enroll(
        &self,
        params: KdfParams,
        rng: &(impl Random + ?Sized),
    ) -> Result<(ReceiptRecord, SecretKey), Error> {
        let mut salt = [0u8; 16];
        rng.fill(&mut salt);
        let key = self.derive(params, &salt)?;
        let mut record = Vec::with_capacity(ReceiptRecord::LEN);
        record.extend_from_slice(&[RECORD_KIND, VERSION]);
        record.extend_from_slice(&params.encode());
        record.extend_from_slice(&salt);
        record.extend_from_slice(key.public_key().as_bytes());
        Ok((ReceiptRecord(record), key))
    }

    /// Checks the receipt against the stored record and gives the reporter's private key,
    /// which opens their sealed copy of the case key. One Argon2id run; the public keys are
    /// compared in constant time. A receipt of another case gives [`Error::WrongReceipt`].
    ///
    /// When no record has the lookup id, unlock against [`ReceiptRecord::decoy`] so that the
    /// answer takes as long as for a wrong receipt of an existing case.
    pub fn unlock(&self, record: &ReceiptRecord) -> Result<SecretKey, Error> {
        let key = self.derive(record.params(), &record.salt())?;
        if bool::from(
            key.public_key()
                .as_bytes()
                .ct_eq(record.public_key().as_bytes()),
        ) {
            Ok(key)
        } else {
            Err(Error::WrongReceipt)
        }
    }

    fn derive(&self, params: KdfParams, salt: &[u8; 16]) -> Result<SecretKey, Error> {
        let stretched = params.derive(&self.ascii()[..], salt)?;
        let secret = hkdf32(stretched.as_ref(), &[KEY_LABEL]);
        Ok(SecretKey::from_secret_bytes(&secret))
    }
}

impl std::fmt::Debug for Receipt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Receipt(…)")
    }
}

/// The Damm quasigroup of order 10.
const DAMM: [[u8; 10]; 10] = [
    [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
    [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
    [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
    [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
    [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
    [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
    [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
    [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
    [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
    [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

/// The Damm check digit of `digits` (0 when a full receipt, check digit included, is valid).
fn damm(digits: &[u8]) -> u8 {
    digits.iter().fold(0u8, |interim, &d| {
        DAMM[usize::from(interim)][usize::from(d % 10)]
    })
}

/// An ASCII or Thai digit's value.
fn digit(ch: char) -> Option<u8> {
    let v = match ch {
        '0'..='9' => u32::from(ch) - u32::from('0'),
        '๐'..='๙' => u32::from(ch) - u32::from('๐'),
        _ => return None,
    };
    u8::try_from(v).ok()
}

/// The non-secret index a receipt's case is found by (16 bytes).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct LookupId([u8; 16]);

impl LookupId {
    /// From 16 stored bytes.
    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// The 16 bytes, to store and index.
    pub fn to_bytes(&self) -> [u8; 16] {
        self.0
    }
}

impl std::fmt::Debug for LookupId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LookupId({})", hex(&self.0))
    }
}

/// What is stored for a receipt (62 bytes): `'R', 1, Argon2id parameters (12), salt (16),
/// the reporter's public key (32)`. Holds nothing that opens the case.
#[derive(Clone, PartialEq, Eq)]
pub struct ReceiptRecord(Vec<u8>);

impl ReceiptRecord {
    const LEN: usize = 2 + KdfParams::ENCODED_LEN + 16 + 32;
    const WHAT: &'static str = "receipt record";

    /// Reads a stored record (kind, version, length and parameters are checked).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        check_header(bytes, RECORD_KIND, VERSION, Self::WHAT)?;
        if bytes.len() != Self::LEN {
            return Err(Error::Malformed(Self::WHAT));
        }
        KdfParams::decode(array(bytes, 2, Self::WHAT)?)?;
        Ok(Self(bytes.to_vec()))
    }

    /// A record no receipt unlocks, costing the same work: unlock against it when the lookup
    /// id is unknown, so that timing does not tell "no such case" from "wrong receipt".
    pub fn decoy(params: KdfParams) -> Self {
        let mut record = Vec::with_capacity(Self::LEN);
        record.extend_from_slice(&[RECORD_KIND, VERSION]);
        record.extend_from_slice(&params.encode());
        record.extend_from_slice(&[0u8; 16]);
        // The all-zero point is never the public key of a clamped X25519 secret.
        record.extend_from_slice(&[0u8; 32]);
        Self(record)
    }

    /// The bytes, to store.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The reporter's public key: seal the case key (and every later generation) to it.
    pub fn public_key(&self) -> PublicKey {
        match array(&self.0, 2 + KdfParams::ENCODED_LEN + 16, Self::WHAT) {
            Ok(b) => PublicKey::from_bytes(b),
            Err(_) => unreachable!("checked when made or read"),
        }
    }

    /// The Argon2id parameters of this receipt.
    pub fn params(&self) -> KdfParams {
        match array(&self.0, 2, Self::WHAT).and_then(KdfParams::decode) {
            Ok(p) => p,
            Err(_) => unreachable!("checked when made or read"),
        }
    }

    fn salt(&self) -> [u8; 16] {
        match array(&self.0, 2 + KdfParams::ENCODED_LEN, Self::WHAT) {
            Ok(s) => s,
            Err(_) => unreachable!("checked when made or read"),
        }
    }
}

impl std::fmt::Debug for ReceiptRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReceiptRecord")
            .field("params", &self.params())
            .field("public", &self.public_key())
            .finish_non_exhaustive()
    }
}

/// Why a typed receipt was refused. The web layer shows each as its own message; none of them
/// should count as a guess, since none reached the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    /// Nothing but separators was typed.
    #[error("no receipt was entered")]
    Empty,
    /// A character that is not a digit or a separator, at a position counted from 1.
    #[error("character {position} ('{ch}') is not a digit")]
    BadCharacter {
        /// The character typed.
        ch: char,
        /// Its position in the text, from 1.
        position: usize,
    },
    /// Too few or too many digits.
    #[error("a receipt has {expected} digits; this has {found}")]
    WrongLength {
        /// Digits found.
        found: usize,
        /// Digits expected (28).
        expected: usize,
    },
    /// The check digit does not match: a digit is mistyped or two are swapped.
    #[error("the receipt has a typo: a digit is wrong or two are swapped")]
    CheckDigit,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CaseKey;
    use crate::test_rng::rng;

    fn cheap() -> KdfParams {
        KdfParams::insecure_for_tests()
    }

    #[test]
    fn damm_table_is_a_weakly_totally_antisymmetric_quasigroup() {
        // Rows and columns are permutations, the diagonal is zero, and
        // T[T[c][a]][b] != T[T[c][b]][a] for a != b: what makes every neighbour swap detectable.
        for a in 0..10 {
            let mut row = [false; 10];
            let mut col = [false; 10];
            for b in 0..10 {
                row[usize::from(DAMM[a][b])] = true;
                col[usize::from(DAMM[b][a])] = true;
            }
            assert!(row.iter().all(|x| *x) && col.iter().all(|x| *x), "{a}");
            assert_eq!(DAMM[a][a], 0);
        }
        for row in &DAMM {
            for a in 0..10u8 {
                for b in 0..10u8 {
                    let ta = usize::from(row[usize::from(a)]);
                    let tb = usize::from(row[usize::from(b)]);
                    if a != b {
                        assert_ne!(DAMM[ta][usize::from(b)], DAMM[tb][usize::from(a)]);
                    }
                }
            }
        }
    }

    #[test]
    fn generated_receipts_parse_back_in_every_typing() {
        let r = rng(30);
        for _ in 0..50 {
            let receipt = Receipt::generate(&r);
            let text = receipt.to_text().to_string();
            assert_eq!(text.len(), 28 + 6);
            assert_eq!(text.split(' ').count(), 7);
            let thai: String = text
                .chars()
                .map(|c| match c.to_digit(10) {
                    Some(d) => char::from_u32(u32::from('๐') + d).unwrap(),
                    None => c,
                })
                .collect();
            let compact: String = text.chars().filter(|c| *c != ' ').collect();
            for typed in [
                text.clone(),
                text.replace(' ', "-"),
                compact.clone(),
                thai,
                format!(" {}\u{a0}{}\n", &compact[..14], &compact[14..]),
                format!("{}.{}", &compact[..4], &compact[4..]),
            ] {
                let back = Receipt::parse(&typed).unwrap();
                assert_eq!(*back.0, *receipt.0, "{typed}");
            }
        }
    }

    #[test]
    fn every_single_typo_and_swap_is_caught() {
        let receipt = Receipt::generate(&rng(31));
        let compact: Vec<u8> = receipt.to_text().bytes().filter(|b| *b != b' ').collect();
        for i in 0..compact.len() {
            for d in b'0'..=b'9' {
                if d == compact[i] {
                    continue;
                }
                let mut t = compact.clone();
                t[i] = d;
                let s = String::from_utf8(t).unwrap();
                assert_eq!(Receipt::parse(&s).unwrap_err(), ReceiptError::CheckDigit);
            }
            if i + 1 < compact.len() && compact[i] != compact[i + 1] {
                let mut t = compact.clone();
                t.swap(i, i + 1);
                let s = String::from_utf8(t).unwrap();
                assert_eq!(Receipt::parse(&s).unwrap_err(), ReceiptError::CheckDigit);
            }
        }
    }

    #[test]
    fn malformed_receipts_get_their_own_errors() {
        assert_eq!(Receipt::parse("").unwrap_err(), ReceiptError::Empty);
        assert_eq!(Receipt::parse(" - ").unwrap_err(), ReceiptError::Empty);
        assert_eq!(
            Receipt::parse("1234 5678").unwrap_err(),
            ReceiptError::WrongLength {
                found: 8,
                expected: 28
            }
        );
        assert_eq!(
            Receipt::parse(&"1".repeat(29)).unwrap_err(),
            ReceiptError::WrongLength {
                found: 29,
                expected: 28
            }
        );
        assert_eq!(
            Receipt::parse("12a4").unwrap_err(),
            ReceiptError::BadCharacter {
                ch: 'a',
                position: 3
            }
        );
        assert_eq!(
            Receipt::parse("๑๒ก").unwrap_err(),
            ReceiptError::BadCharacter {
                ch: 'ก',
                position: 3
            }
        );
        // Other scripts' digits are not accepted (only ASCII and Thai).
        assert_eq!(
            Receipt::parse("١").unwrap_err(),
            ReceiptError::BadCharacter {
                ch: '١',
                position: 1
            }
        );
    }

    #[test]
    fn enroll_unlock_and_open_the_case_key() {
        let r = rng(32);
        let receipt = Receipt::generate(&r);
        let (record, reporter) = receipt.enroll(cheap(), &r).unwrap();
        assert_eq!(record.as_bytes().len(), 62);
        assert_eq!(record.public_key(), reporter.public_key());
        assert_eq!(record.params(), cheap());
        assert_eq!(
            ReceiptRecord::decoy(KdfParams::RECEIPT).params(),
            KdfParams::RECEIPT
        );
        let stored = ReceiptRecord::from_bytes(record.as_bytes()).unwrap();
        // The case key sealed to the reporter at submission...
        let case = CaseKey::generate(&r);
        let sealed = case.seal_to(&record.public_key(), b"case-1", &r).unwrap();
        let reply = case
            .encrypt(b"reply-1", "ได้รับเรื่องแล้ว".as_bytes(), &r)
            .unwrap();
        // ... opens when the reporter comes back with the typed receipt.
        let typed = Receipt::parse(&receipt.to_text()).unwrap();
        let key = typed.unlock(&stored).unwrap();
        let opened = sealed.open(&key, b"case-1").unwrap();
        assert_eq!(
            opened.decrypt(b"reply-1", &reply).unwrap(),
            "ได้รับเรื่องแล้ว".as_bytes()
        );
    }

    #[test]
    fn a_receipt_of_another_case_does_not_unlock() {
        let r = rng(33);
        let a = Receipt::generate(&r);
        let b = Receipt::generate(&r);
        let (rec_a, _) = a.enroll(cheap(), &r).unwrap();
        let (rec_b, _) = b.enroll(cheap(), &r).unwrap();
        assert_eq!(a.unlock(&rec_b).unwrap_err(), Error::WrongReceipt);
        assert_eq!(b.unlock(&rec_a).unwrap_err(), Error::WrongReceipt);
        assert!(a.unlock(&rec_a).is_ok());
        assert_eq!(
            a.unlock(&ReceiptRecord::decoy(cheap())).unwrap_err(),
            Error::WrongReceipt
        );
        // The same receipt enrolled twice gets different salts, so different keys.
        let (rec_a2, _) = a.enroll(cheap(), &r).unwrap();
        assert_ne!(rec_a.public_key(), rec_a2.public_key());
    }

    #[test]
    fn lookup_ids_depend_on_the_instance_key_and_the_leading_digits() {
        let r = rng(34);
        let k1 = InstanceKey::generate(&r);
        let k2 = InstanceKey::generate(&r);
        let a = Receipt::generate(&r);
        let b = Receipt::generate(&r);
        assert_eq!(
            a.lookup_id(&k1),
            Receipt::parse(&a.to_text()).unwrap().lookup_id(&k1)
        );
        assert_ne!(a.lookup_id(&k1), a.lookup_id(&k2));
        assert_ne!(a.lookup_id(&k1), b.lookup_id(&k1));
        let id = a.lookup_id(&k1);
        assert_eq!(LookupId::from_bytes(id.to_bytes()), id);
        // Only the first 12 digits count.
        let mut c = Receipt(a.0);
        c.0[20] = (c.0[20] + 1) % 10;
        assert_eq!(c.lookup_id(&k1), id);
    }

    #[test]
    fn stored_records_are_checked() {
        let r = rng(35);
        let (record, _) = Receipt::generate(&r).enroll(cheap(), &r).unwrap();
        let b = record.as_bytes();
        assert_eq!(
            ReceiptRecord::from_bytes(&b[..61]).unwrap_err(),
            Error::Malformed("receipt record")
        );
        let mut v = b.to_vec();
        v[1] = 9;
        assert_eq!(
            ReceiptRecord::from_bytes(&v).unwrap_err(),
            Error::UnsupportedVersion {
                what: "receipt record",
                version: 9
            }
        );
        let mut p = b.to_vec();
        p[6..10].copy_from_slice(&0u32.to_be_bytes());
        assert_eq!(ReceiptRecord::from_bytes(&p).unwrap_err(), Error::BadParams);
    }

    #[test]
    fn debug_hides_the_receipt() {
        let receipt = Receipt::generate(&rng(36));
        assert_eq!(format!("{receipt:?}"), "Receipt(…)");
        const { assert!(RECEIPT_BITS >= 80) };
        assert_eq!(f64::from(RECEIPT_BITS), (27.0 * 10f64.log2()).floor());
    }
}
