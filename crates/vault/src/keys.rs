//! X25519 key pairs: handlers', the recovery key, a reporter's (derived from the receipt).

use subtle::ConstantTimeEq;
use x25519_dalek::StaticSecret;
use zeroize::Zeroizing;

use crate::encoding::{array, check_header, hex, hkdf32};
use crate::{Error, KdfParams, Random, aead};

/// An X25519 public key: what recipients are sealed to. Not secret.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey([u8; 32]);

impl PublicKey {
    /// From its 32 bytes. Low-order points are accepted here and refused when sealing.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// From a slice of exactly 32 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, Error> {
        bytes
            .try_into()
            .map(Self)
            .map_err(|_| Error::Malformed("public key"))
    }

    /// The 32 bytes, to store.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0
    }

    /// The 32 bytes, borrowed.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A short fingerprint to show people (the first 8 bytes of the key, in hex, grouped):
    /// enough to tell keys apart on a screen, not a security check.
    pub fn fingerprint(&self) -> String {
        let h = hex(&self.0[..8]);
        format!("{}-{}-{}-{}", &h[0..4], &h[4..8], &h[8..12], &h[12..16])
    }

    pub(crate) fn dalek(&self) -> x25519_dalek::PublicKey {
        x25519_dalek::PublicKey::from(self.0)
    }
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({})", hex(&self.0))
    }
}

/// An X25519 private key. Zeroed when dropped; its `Debug` shows only the public key.
///
/// Handlers' keys are stored only as a [`WrappedSecretKey`]; the recovery key only on paper
/// ([`RecoveryKey`](crate::RecoveryKey)); a reporter's key is derived from their receipt
/// each time ([`Receipt::unlock`](crate::Receipt::unlock)).
pub struct SecretKey {
    secret: StaticSecret,
    public: PublicKey,
}

impl SecretKey {
    /// A new random key pair.
    pub fn generate(rng: &(impl Random + ?Sized)) -> Self {
        let mut b = Zeroizing::new([0u8; 32]);
        rng.fill(b.as_mut());
        Self::from_secret_bytes(&b)
    }

    pub(crate) fn from_secret_bytes(b: &[u8; 32]) -> Self {
        let secret = StaticSecret::from(*b);
        let public = PublicKey(x25519_dalek::PublicKey::from(&secret).to_bytes());
        Self { secret, public }
    }

    /// The key pair of 32 opened secret bytes, checked against the public key stored with them.
    fn matching(secret: &[u8], public: &PublicKey, what: &'static str) -> Result<Self, Error> {
        let secret: Zeroizing<[u8; 32]> =
            Zeroizing::new(secret.try_into().map_err(|_| Error::Malformed(what))?);
        let sk = Self::from_secret_bytes(&secret);
        if bool::from(sk.public.0.ct_eq(&public.0)) {
            Ok(sk)
        } else {
            Err(Error::Malformed(what))
        }
    }

    pub(crate) fn secret_bytes(&self) -> &[u8; 32] {
        self.secret.as_bytes()
    }

    /// The public half.
    pub fn public_key(&self) -> PublicKey {
        self.public
    }

    /// The X25519 shared secret with `their`; `None` if `their` is a low-order point.
    pub(crate) fn agree(&self, their: &PublicKey) -> Option<Zeroizing<[u8; 32]>> {
        let shared = self.secret.diffie_hellman(&their.dalek());
        shared
            .was_contributory()
            .then(|| Zeroizing::new(shared.to_bytes()))
    }

    /// Locks this key under `password` for storage: Argon2id(`password`, a new random salt,
    /// `params`) gives the key of an XChaCha20-Poly1305 box. Use [`KdfParams::HANDLER`] (OWASP's
    /// minimum) or more in production.
    ///
    /// The password is taken as bytes exactly as given; the caller decides its normalisation
    /// (the sign-in password, as typed).
    pub fn wrap(
        &self,
        password: &[u8],
        params: KdfParams,
        rng: &(impl Random + ?Sized),
    ) -> Result<WrappedSecretKey, Error> {
        let mut salt = [0u8; 16];
        rng.fill(&mut salt);
        let key = params.derive(password, &salt)?;
        let mut header = Vec::with_capacity(WrappedSecretKey::HEADER_LEN);
        header.extend_from_slice(&[WrappedSecretKey::KIND, WrappedSecretKey::VERSION]);
        header.extend_from_slice(&params.encode());
        header.extend_from_slice(&salt);
        header.extend_from_slice(self.public.as_bytes());
        let blob = aead::seal(&key, &header, b"", self.secret_bytes(), rng)?;
        Ok(WrappedSecretKey(blob))
    }

    /// Encrypts this key under a session secret (for example the session cookie's 256 random
    /// bits), so the session row can hold it while the database alone cannot open it:
    /// the server needs the cookie that comes with each request. No Argon2 (the secret is
    /// random). Format: `'K', 1, public key (32), nonce (24), encrypted key (32 + 16)`.
    pub fn wrap_for_session(
        &self,
        session_secret: &[u8],
        rng: &(impl Random + ?Sized),
    ) -> Result<Vec<u8>, Error> {
        let key = hkdf32(session_secret, &[SESSION_LABEL]);
        let mut header = vec![SESSION_KIND, 1];
        header.extend_from_slice(self.public.as_bytes());
        aead::seal(&key, &header, b"", self.secret_bytes(), rng)
    }

    /// Opens what [`SecretKey::wrap_for_session`] made, with the same session secret.
    pub fn unwrap_from_session(blob: &[u8], session_secret: &[u8]) -> Result<Self, Error> {
        const WHAT: &str = "session key";
        check_header(blob, SESSION_KIND, 1, WHAT)?;
        let public: [u8; 32] = array(blob, 2, WHAT)?;
        let key = hkdf32(session_secret, &[SESSION_LABEL]);
        let secret = aead::open(&key, blob, 2 + 32, b"", WHAT)?;
        Self::matching(&secret, &PublicKey(public), WHAT)
    }
}

const SESSION_KIND: u8 = b'K';
const SESSION_LABEL: &[u8] = b"prongsai-vault/v1/session-wrap";

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretKey {{ public: {:?}, secret: … }}", self.public)
    }
}

/// A handler's private key locked under their password, in a versioned binary form
/// (134 bytes): `'W', 1, memory KiB (u32 BE), passes (u32 BE), lanes (u32 BE), salt (16),
/// public key (32), nonce (24), encrypted key (32 + 16 tag)`. Everything before the nonce is
/// authenticated, so the parameters and the public key cannot be changed unnoticed.
#[derive(Clone, PartialEq, Eq)]
pub struct WrappedSecretKey(Vec<u8>);

impl WrappedSecretKey {
    const KIND: u8 = b'W';
    const VERSION: u8 = 1;
    const HEADER_LEN: usize = 2 + KdfParams::ENCODED_LEN + 16 + 32;
    const LEN: usize = Self::HEADER_LEN + aead::NONCE_LEN + 32 + aead::TAG_LEN;
    const WHAT: &'static str = "wrapped key";

    /// Reads a stored wrapped key. Checks the kind, version, length and parameters; the
    /// password is checked by [`WrappedSecretKey::unlock`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        check_header(bytes, Self::KIND, Self::VERSION, Self::WHAT)?;
        if bytes.len() != Self::LEN {
            return Err(Error::Malformed(Self::WHAT));
        }
        KdfParams::decode(array(bytes, 2, Self::WHAT)?)?;
        Ok(Self(bytes.to_vec()))
    }

    /// The bytes, to store.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The Argon2id parameters it was locked with.
    pub fn params(&self) -> KdfParams {
        match array(&self.0, 2, Self::WHAT).and_then(KdfParams::decode) {
            Ok(p) => p,
            Err(_) => unreachable!("checked when made or read"),
        }
    }

    /// The public key of the pair, readable without the password.
    pub fn public_key(&self) -> PublicKey {
        match array(&self.0, 2 + KdfParams::ENCODED_LEN + 16, Self::WHAT) {
            Ok(b) => PublicKey(b),
            Err(_) => unreachable!("checked when made or read"),
        }
    }

    /// Whether it was locked with cheaper parameters than `floor`: if so, re-wrap it with
    /// [`WrappedSecretKey::change_password`] (same password twice) after the next unlock.
    pub fn needs_rewrap(&self, floor: KdfParams) -> bool {
        !self.params().at_least(floor)
    }

    /// Unlocks the private key with the password. One Argon2id run: do it once per session.
    /// A wrong password gives [`Error::WrongPassword`].
    pub fn unlock(&self, password: &[u8]) -> Result<SecretKey, Error> {
        let salt: [u8; 16] = array(&self.0, 2 + KdfParams::ENCODED_LEN, Self::WHAT)?;
        let key = self.params().derive(password, &salt)?;
        let secret =
            aead::open(&key, &self.0, Self::HEADER_LEN, b"", Self::WHAT).map_err(|e| match e {
                Error::Decrypt => Error::WrongPassword,
                other => other,
            })?;
        SecretKey::matching(&secret, &self.public_key(), Self::WHAT)
    }

    /// Unlocks with `old` and locks again under `new` with `params` and a new salt. The key
    /// pair is unchanged, so every sealed case key still opens. With `old == new` this raises
    /// the parameters.
    pub fn change_password(
        &self,
        old: &[u8],
        new: &[u8],
        params: KdfParams,
        rng: &(impl Random + ?Sized),
    ) -> Result<Self, Error> {
        self.unlock(old)?.wrap(new, params, rng)
    }
}

impl std::fmt::Debug for WrappedSecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WrappedSecretKey")
            .field("public", &self.public_key())
            .field("params", &self.params())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::rng;

    fn cheap() -> KdfParams {
        KdfParams::insecure_for_tests()
    }

    #[test]
    fn wrap_and_unlock() {
        let r = rng(10);
        let sk = SecretKey::generate(&r);
        let w = sk.wrap("รหัสผ่านยาวพอ 123".as_bytes(), cheap(), &r).unwrap();
        assert_eq!(w.as_bytes().len(), 134);
        assert_eq!(w.public_key(), sk.public_key());
        assert_eq!(w.params(), cheap());
        let back = w.unlock("รหัสผ่านยาวพอ 123".as_bytes()).unwrap();
        assert_eq!(back.public_key(), sk.public_key());
        assert_eq!(back.secret_bytes(), sk.secret_bytes());
    }

    #[test]
    fn wrong_password_is_a_clean_error() {
        let r = rng(11);
        let w = SecretKey::generate(&r)
            .wrap(b"correct horse", cheap(), &r)
            .unwrap();
        assert_eq!(w.unlock(b"correct hors").unwrap_err(), Error::WrongPassword);
        assert_eq!(w.unlock(b"").unwrap_err(), Error::WrongPassword);
    }

    #[test]
    fn tampered_wrapped_key_does_not_unlock() {
        let r = rng(12);
        let w = SecretKey::generate(&r).wrap(b"pw", cheap(), &r).unwrap();
        // Every byte after the parameters (changing them may make Argon2 refuse or cost more;
        // they are covered below).
        for i in 14..w.as_bytes().len() {
            let mut b = w.as_bytes().to_vec();
            b[i] ^= 0x01;
            let t = WrappedSecretKey::from_bytes(&b).unwrap();
            assert!(t.unlock(b"pw").is_err(), "byte {i}");
        }
        // Raised parameters (a changed header) do not unlock either.
        let mut b = w.as_bytes().to_vec();
        b[5] = 16; // memory 8 KiB -> 16 KiB
        let t = WrappedSecretKey::from_bytes(&b).unwrap();
        assert_eq!(t.unlock(b"pw").unwrap_err(), Error::WrongPassword);
        // Absurd parameters are refused when read, before any work.
        let mut b = w.as_bytes().to_vec();
        b[2..6].copy_from_slice(&u32::MAX.to_be_bytes());
        assert_eq!(
            WrappedSecretKey::from_bytes(&b).unwrap_err(),
            Error::BadParams
        );
        assert_eq!(
            WrappedSecretKey::from_bytes(&w.as_bytes()[..133]).unwrap_err(),
            Error::Malformed("wrapped key")
        );
        assert_eq!(
            WrappedSecretKey::from_bytes(b"S\x01").unwrap_err(),
            Error::Malformed("wrapped key")
        );
    }

    #[test]
    fn change_password_keeps_the_key_pair_and_can_raise_params() {
        let r = rng(13);
        let sk = SecretKey::generate(&r);
        let w = sk.wrap(b"old password", cheap(), &r).unwrap();
        let higher = KdfParams::new(64, 2, 1).unwrap();
        assert!(w.needs_rewrap(higher));
        assert_eq!(
            w.change_password(b"wrong", b"new", higher, &r).unwrap_err(),
            Error::WrongPassword
        );
        let w2 = w
            .change_password(b"old password", b"new password", higher, &r)
            .unwrap();
        assert!(!w2.needs_rewrap(higher));
        assert_eq!(w2.public_key(), sk.public_key());
        assert_eq!(
            w2.unlock(b"old password").unwrap_err(),
            Error::WrongPassword
        );
        assert_eq!(
            w2.unlock(b"new password").unwrap().public_key(),
            sk.public_key()
        );
        assert_eq!(WrappedSecretKey::from_bytes(w2.as_bytes()).unwrap(), w2);
    }

    #[test]
    fn session_wrap_needs_the_session_secret() {
        let r = rng(14);
        let sk = SecretKey::generate(&r);
        let cookie = [7u8; 32];
        let blob = sk.wrap_for_session(&cookie, &r).unwrap();
        let back = SecretKey::unwrap_from_session(&blob, &cookie).unwrap();
        assert_eq!(back.public_key(), sk.public_key());
        assert_eq!(
            SecretKey::unwrap_from_session(&blob, &[8u8; 32]).unwrap_err(),
            Error::Decrypt
        );
        let mut t = blob.clone();
        t[5] ^= 1; // the stored public key is authenticated
        assert_eq!(
            SecretKey::unwrap_from_session(&t, &cookie).unwrap_err(),
            Error::Decrypt
        );
        assert!(SecretKey::unwrap_from_session(&blob[..20], &cookie).is_err());
    }

    #[test]
    fn public_key_forms() {
        let r = rng(15);
        let pk = SecretKey::generate(&r).public_key();
        assert_eq!(PublicKey::from_slice(pk.as_bytes()).unwrap(), pk);
        assert_eq!(PublicKey::from_bytes(pk.to_bytes()), pk);
        assert_eq!(
            PublicKey::from_slice(&[1, 2, 3]).unwrap_err(),
            Error::Malformed("public key")
        );
        let fp = pk.fingerprint();
        assert_eq!(fp.len(), 19);
        assert!(format!("{pk:?}").starts_with("PublicKey("));
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let r = rng(16);
        let sk = SecretKey::generate(&r);
        let secret_hex = hex(sk.secret_bytes());
        let shown = format!("{sk:?}");
        assert!(!shown.contains(&secret_hex));
        assert!(!shown.contains(&format!("{:?}", sk.secret_bytes())));
        let w = sk.wrap(b"pw", cheap(), &r).unwrap();
        let shown = format!("{w:?}");
        assert!(!shown.contains(&hex(&w.as_bytes()[62..])));
    }
}
