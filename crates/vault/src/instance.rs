//! The installation's secret for keyed hashes (receipt lookup ids, proof-of-work challenges).

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::Random;

/// 256 secret bits of the installation, used for keyed hashes only (HMAC-SHA256 with a
/// different label per use). The caller keeps it (for example beside the CSRF instance key) and
/// gives the same one to every server of the installation.
///
/// It does not protect case contents: those are sealed to public keys. It makes receipt
/// lookup ids meaningless without it and proof-of-work challenges unforgeable.
#[derive(Clone)]
pub struct InstanceKey(Zeroizing<[u8; 32]>);

impl InstanceKey {
    /// From 32 stored bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// A new random key.
    pub fn generate(rng: &(impl Random + ?Sized)) -> Self {
        let mut k = Zeroizing::new([0u8; 32]);
        rng.fill(k.as_mut());
        Self(k)
    }

    /// The bytes, to store.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// HMAC-SHA256(key, label || parts...).
    pub(crate) fn mac(&self, label: &[u8], parts: &[&[u8]]) -> [u8; 32] {
        let Ok(mut m) = Hmac::<Sha256>::new_from_slice(self.0.as_ref()) else {
            unreachable!("HMAC takes keys of any length")
        };
        m.update(label);
        for p in parts {
            m.update(p);
        }
        m.finalize().into_bytes().into()
    }
}

impl std::fmt::Debug for InstanceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InstanceKey(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_separate_uses_and_debug_hides_the_key() {
        let k = InstanceKey::generate(&crate::test_rng::rng(1));
        assert_ne!(k.mac(b"a", &[b"x"]), k.mac(b"b", &[b"x"]));
        assert_eq!(
            k.mac(b"a", &[b"x"]),
            InstanceKey::from_bytes(*k.as_bytes()).mac(b"a", &[b"x"])
        );
        let shown = format!("{k:?}");
        assert_eq!(shown, "InstanceKey(…)");
    }
}
