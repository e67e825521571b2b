//! Case keys, sealed to recipients, and the encryption of case contents.

use zeroize::Zeroizing;

use crate::encoding::{array, check_header, hkdf32};
use crate::{Error, PublicKey, Random, SecretKey, aead};

/// The random 256-bit key of one case (or of one generation of a case's key, after
/// [`CaseKey::rekey`]). It is never stored in clear: only sealed to recipients. Zeroed when
/// dropped; its `Debug` shows nothing.
#[derive(Clone)]
pub struct CaseKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for CaseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CaseKey(…)")
    }
}

const SEALED_KIND: u8 = b'S';
const CONTENT_KIND: u8 = b'C';
const VERSION: u8 = 1;
const SEAL_LABEL: &[u8] = b"prongsai-vault/v1/sealed-case-key";

impl CaseKey {
    /// A new random case key.
    pub fn generate(rng: &(impl Random + ?Sized)) -> Self {
        let mut k = Zeroizing::new([0u8; 32]);
        rng.fill(k.as_mut());
        Self(k)
    }

    /// Seals this key to one recipient's public key, as an anonymous box:
    ///
    /// 1. a fresh ephemeral X25519 key pair `(e, E)`;
    /// 2. `shared = X25519(e, recipient)`, refused if the recipient key is a low-order point;
    /// 3. `k = HKDF-SHA256(salt: none, ikm: shared, info: "prongsai-vault/v1/sealed-case-key"
    ///    || E || recipient)`;
    /// 4. XChaCha20-Poly1305 under `k`, random nonce, associated data
    ///    `'S', 1, E || context`.
    ///
    /// `context` binds the sealed copy to where it is kept (agency id, case id, key generation:
    /// build it with [`context`]); opening it elsewhere fails. Sealed copies are 106 bytes.
    pub fn seal_to(
        &self,
        recipient: &PublicKey,
        context: &[u8],
        rng: &(impl Random + ?Sized),
    ) -> Result<SealedKey, Error> {
        let ephemeral = SecretKey::generate(rng);
        let e = ephemeral.public_key();
        let shared = ephemeral.agree(recipient).ok_or(Error::WeakPublicKey)?;
        let k = hkdf32(
            shared.as_ref(),
            &[SEAL_LABEL, e.as_bytes(), recipient.as_bytes()],
        );
        let mut header = Vec::with_capacity(SealedKey::HEADER_LEN);
        header.extend_from_slice(&[SEALED_KIND, VERSION]);
        header.extend_from_slice(e.as_bytes());
        aead::seal(&k, &header, context, self.0.as_ref(), rng).map(SealedKey)
    }

    /// Seals this key to each recipient, in order: the handlers allowed on the case, the
    /// agency's recovery key, and the reporter's key from their receipt.
    pub fn seal_to_all(
        &self,
        recipients: &[PublicKey],
        context: &[u8],
        rng: &(impl Random + ?Sized),
    ) -> Result<Vec<SealedKey>, Error> {
        recipients
            .iter()
            .map(|r| self.seal_to(r, context, rng))
            .collect()
    }

    /// A new case key for the recipients who remain, sealed to each of them.
    ///
    /// Removing a recipient (recusal, reassignment) is deleting their sealed copy. That stops
    /// the server from giving them the key again, but whoever opened it once may have kept it:
    /// everything already encrypted under it stays readable to them. Records written after the
    /// removal are closed to them only if they are encrypted under a new key: call `rekey`,
    /// store the new sealed copies as the case's next key generation (include the generation in
    /// `context`), and encrypt new records under it. Old records stay under their own
    /// generation (re-encrypting them would not take back what was read).
    pub fn rekey(
        recipients: &[PublicKey],
        context: &[u8],
        rng: &(impl Random + ?Sized),
    ) -> Result<(Self, Vec<SealedKey>), Error> {
        let key = Self::generate(rng);
        let sealed = key.seal_to_all(recipients, context, rng)?;
        Ok((key, sealed))
    }

    /// Encrypts one record (case text, a message, an attachment) with XChaCha20-Poly1305 and a
    /// random 24-byte nonce. The output is `'C', 1, nonce (24), ciphertext, tag (16)`: 42 bytes
    /// more than the plaintext.
    ///
    /// `aad` is the record's place, authenticated but not stored: build it with [`context`]
    /// from the agency id, case id, record kind and record id. A ciphertext copied to another
    /// record, case or agency then fails to decrypt.
    ///
    /// One message holds up to 256 GiB, far above any attachment limit; it is encrypted in
    /// memory, in one piece.
    pub fn encrypt(
        &self,
        aad: &[u8],
        plaintext: &[u8],
        rng: &(impl Random + ?Sized),
    ) -> Result<Vec<u8>, Error> {
        aead::seal(&self.0, &[CONTENT_KIND, VERSION], aad, plaintext, rng)
    }

    /// Decrypts what [`CaseKey::encrypt`] made, with the same `aad`. A wrong key, a different
    /// `aad` or any changed byte gives [`Error::Decrypt`].
    pub fn decrypt(&self, aad: &[u8], ciphertext: &[u8]) -> Result<Vec<u8>, Error> {
        const WHAT: &str = "ciphertext";
        check_header(ciphertext, CONTENT_KIND, VERSION, WHAT)?;
        let mut plain = aead::open(&self.0, ciphertext, 2, aad, WHAT)?;
        Ok(std::mem::take(&mut *plain))
    }
}

/// A case key sealed to one recipient ([`CaseKey::seal_to`]): 106 bytes,
/// `'S', 1, ephemeral public key (32), nonce (24), encrypted case key (32 + 16)`.
#[derive(Clone, PartialEq, Eq)]
pub struct SealedKey(Vec<u8>);

impl SealedKey {
    const HEADER_LEN: usize = 2 + 32;
    const LEN: usize = Self::HEADER_LEN + aead::NONCE_LEN + 32 + aead::TAG_LEN;
    const WHAT: &'static str = "sealed key";

    /// Reads a stored sealed key (kind, version and length are checked).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        check_header(bytes, SEALED_KIND, VERSION, Self::WHAT)?;
        if bytes.len() != Self::LEN {
            return Err(Error::Malformed(Self::WHAT));
        }
        Ok(Self(bytes.to_vec()))
    }

    /// The bytes, to store.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Opens the case key with the recipient's private key and the `context` it was sealed
    /// with. Another recipient's key, another context or a changed byte gives
    /// [`Error::Decrypt`]. Costs one X25519 exchange: no Argon2.
    pub fn open(&self, recipient: &SecretKey, context: &[u8]) -> Result<CaseKey, Error> {
        let e = PublicKey::from_bytes(array(&self.0, 2, Self::WHAT)?);
        let shared = recipient.agree(&e).ok_or(Error::Decrypt)?;
        let k = hkdf32(
            shared.as_ref(),
            &[SEAL_LABEL, e.as_bytes(), recipient.public_key().as_bytes()],
        );
        let key = aead::open(&k, &self.0, Self::HEADER_LEN, context, Self::WHAT)?;
        let key: [u8; 32] = key.as_slice().try_into().map_err(|_| Error::Decrypt)?;
        Ok(CaseKey(Zeroizing::new(key)))
    }
}

impl std::fmt::Debug for SealedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealedKey(…)")
    }
}

/// Builds associated data from parts, each prefixed by its length (u32 big-endian), so that
/// `["ab", "c"]` and `["a", "bc"]` differ. Start with a label naming the record kind, then
/// the ids from the widest to the narrowest:
/// `context(&[b"case-message", agency_id, case_id, message_id])`.
pub fn context(parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::with_capacity(parts.iter().map(|p| p.len() + 4).sum());
    for p in parts {
        // A part over 4 GiB is not an id; its length is cut, which still differs from others.
        let len = u32::try_from(p.len()).unwrap_or(u32::MAX);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::rng;

    fn ctx(case: &[u8]) -> Vec<u8> {
        context(&[b"case-key", b"agency-1", case, b"gen-1"])
    }

    #[test]
    fn sealed_to_three_each_opens_and_others_do_not() {
        let r = rng(1);
        let handlers: Vec<SecretKey> = (0..3).map(|_| SecretKey::generate(&r)).collect();
        let stranger = SecretKey::generate(&r);
        let publics: Vec<PublicKey> = handlers.iter().map(SecretKey::public_key).collect();
        let key = CaseKey::generate(&r);
        let sealed = key.seal_to_all(&publics, &ctx(b"c1"), &r).unwrap();
        assert_eq!(sealed.len(), 3);
        for (s, h) in sealed.iter().zip(&handlers) {
            assert_eq!(s.as_bytes().len(), 106);
            assert_eq!(*s.open(h, &ctx(b"c1")).unwrap().0, *key.0);
            assert_eq!(s.open(&stranger, &ctx(b"c1")).unwrap_err(), Error::Decrypt);
        }
        // Another recipient's copy does not open with this handler's key.
        assert_eq!(
            sealed[1].open(&handlers[0], &ctx(b"c1")).unwrap_err(),
            Error::Decrypt
        );
    }

    #[test]
    fn sealed_key_is_bound_to_its_context() {
        let r = rng(2);
        let h = SecretKey::generate(&r);
        let key = CaseKey::generate(&r);
        let s = key.seal_to(&h.public_key(), &ctx(b"c1"), &r).unwrap();
        assert_eq!(s.open(&h, &ctx(b"c2")).unwrap_err(), Error::Decrypt);
    }

    #[test]
    fn tampered_sealed_key_fails_cleanly() {
        let r = rng(3);
        let h = SecretKey::generate(&r);
        let s = CaseKey::generate(&r)
            .seal_to(&h.public_key(), b"x", &r)
            .unwrap();
        for i in 2..s.as_bytes().len() {
            let mut b = s.as_bytes().to_vec();
            b[i] ^= 0x01;
            let t = SealedKey::from_bytes(&b).unwrap();
            assert!(t.open(&h, b"x").is_err(), "byte {i}");
        }
        assert_eq!(
            SealedKey::from_bytes(&s.as_bytes()[..105]).unwrap_err(),
            Error::Malformed("sealed key")
        );
        let mut v2 = s.as_bytes().to_vec();
        v2[1] = 2;
        assert_eq!(
            SealedKey::from_bytes(&v2).unwrap_err(),
            Error::UnsupportedVersion {
                what: "sealed key",
                version: 2
            }
        );
        assert_eq!(SealedKey::from_bytes(s.as_bytes()).unwrap(), s);
    }

    #[test]
    fn low_order_public_keys_are_refused() {
        let r = rng(4);
        let key = CaseKey::generate(&r);
        for bad in [[0u8; 32], {
            let mut one = [0u8; 32];
            one[0] = 1;
            one
        }] {
            assert_eq!(
                key.seal_to(&PublicKey::from_bytes(bad), b"", &r)
                    .unwrap_err(),
                Error::WeakPublicKey
            );
        }
        // An all-zero ephemeral key in a stored copy does not open (and does not panic).
        let h = SecretKey::generate(&r);
        let mut b = key
            .seal_to(&h.public_key(), b"", &r)
            .unwrap()
            .as_bytes()
            .to_vec();
        b[2..34].fill(0);
        let s = SealedKey::from_bytes(&b).unwrap();
        assert_eq!(s.open(&h, b"").unwrap_err(), Error::Decrypt);
    }

    #[test]
    fn removed_recipient_cannot_open_keys_made_after_rekey() {
        let r = rng(5);
        let (a, b, recovery) = (
            SecretKey::generate(&r),
            SecretKey::generate(&r),
            SecretKey::generate(&r),
        );
        let all = [a.public_key(), b.public_key(), recovery.public_key()];
        let first = CaseKey::generate(&r);
        let gen1 = first.seal_to_all(&all, &ctx(b"gen1"), &r).unwrap();
        let old_note = first.encrypt(b"note-1", b"before recusal", &r).unwrap();
        // b is recused: generation 2 is sealed to a and the recovery key only.
        let remaining = [a.public_key(), recovery.public_key()];
        let (second, gen2) = CaseKey::rekey(&remaining, &ctx(b"gen2"), &r).unwrap();
        let new_note = second.encrypt(b"note-2", b"after recusal", &r).unwrap();
        // b's old copy still opens the old key (what they saw, they saw) ...
        let b_old = gen1[1].open(&b, &ctx(b"gen1")).unwrap();
        assert_eq!(
            b_old.decrypt(b"note-1", &old_note).unwrap(),
            b"before recusal"
        );
        // ... but not the new note, and no generation-2 copy opens with b's key.
        assert_eq!(
            b_old.decrypt(b"note-2", &new_note).unwrap_err(),
            Error::Decrypt
        );
        for s in &gen2 {
            assert_eq!(s.open(&b, &ctx(b"gen2")).unwrap_err(), Error::Decrypt);
        }
        let a_new = gen2[0].open(&a, &ctx(b"gen2")).unwrap();
        assert_eq!(
            a_new.decrypt(b"note-2", &new_note).unwrap(),
            b"after recusal"
        );
        let rec_new = gen2[1].open(&recovery, &ctx(b"gen2")).unwrap();
        assert_eq!(
            rec_new.decrypt(b"note-2", &new_note).unwrap(),
            b"after recusal"
        );
    }

    #[test]
    fn content_round_trips_and_is_bound_to_its_place() {
        let r = rng(6);
        let key = CaseKey::generate(&r);
        let here = context(&[b"case-text", b"agency-1", b"case-1", b"text-1"]);
        let text = "ร้องเรียนการจัดซื้อจัดจ้าง".as_bytes();
        let ct = key.encrypt(&here, text, &r).unwrap();
        assert_eq!(ct.len(), text.len() + 42);
        assert_eq!((ct[0], ct[1]), (b'C', 1));
        assert_eq!(key.decrypt(&here, &ct).unwrap(), text);
        // Moved to another case, another record, another agency, another kind.
        for elsewhere in [
            context(&[b"case-text", b"agency-1", b"case-2", b"text-1"]),
            context(&[b"case-text", b"agency-1", b"case-1", b"text-2"]),
            context(&[b"case-text", b"agency-2", b"case-1", b"text-1"]),
            context(&[b"case-message", b"agency-1", b"case-1", b"text-1"]),
        ] {
            assert_eq!(key.decrypt(&elsewhere, &ct).unwrap_err(), Error::Decrypt);
        }
        // Another case's key.
        let other = CaseKey::generate(&r);
        assert_eq!(other.decrypt(&here, &ct).unwrap_err(), Error::Decrypt);
        // Every changed byte, and truncations.
        for i in 0..ct.len() {
            let mut t = ct.clone();
            t[i] ^= 0x80;
            assert!(key.decrypt(&here, &t).is_err(), "byte {i}");
        }
        for n in 0..ct.len() {
            assert!(key.decrypt(&here, &ct[..n]).is_err());
        }
        // An empty record is fine.
        let empty = key.encrypt(&here, b"", &r).unwrap();
        assert_eq!(key.decrypt(&here, &empty).unwrap(), b"");
    }

    #[test]
    fn nonces_are_fresh() {
        let r = rng(7);
        let key = CaseKey::generate(&r);
        let a = key.encrypt(b"", b"same", &r).unwrap();
        let b = key.encrypt(b"", b"same", &r).unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn context_is_unambiguous() {
        assert_ne!(context(&[b"ab", b"c"]), context(&[b"a", b"bc"]));
        assert_ne!(context(&[b"a"]), context(&[b"a", b""]));
        assert_eq!(context(&[b"ab"]), b"\0\0\0\x02ab");
    }

    #[test]
    fn debug_never_shows_key_bytes() {
        let r = rng(8);
        let key = CaseKey::generate(&r);
        assert_eq!(format!("{key:?}"), "CaseKey(…)");
        let h = SecretKey::generate(&r);
        let s = key.seal_to(&h.public_key(), b"", &r).unwrap();
        assert_eq!(format!("{s:?}"), "SealedKey(…)");
    }
}
