//! Argon2id parameters, stored beside what they protect so they can be raised later.

use argon2::{Algorithm, Argon2, Params, Version};
use zeroize::Zeroizing;

use crate::Error;

/// Argon2id cost: memory in KiB, passes, lanes. Stored in every wrapped key and receipt record,
/// so an installation can raise them and re-wrap at the next unlock
/// ([`WrappedSecretKey::needs_rewrap`](crate::WrappedSecretKey::needs_rewrap)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    memory_kib: u32,
    passes: u32,
    lanes: u32,
}

impl KdfParams {
    /// OWASP's minimum for Argon2id (19 MiB, 2 passes, 1 lane), the same as sign-in passwords.
    /// For handler private keys.
    pub const HANDLER: Self = Self {
        memory_kib: 19 * 1024,
        passes: 2,
        lanes: 1,
    };

    /// For receipts (4 MiB, 1 pass, 1 lane): a receipt is computed at every anonymous
    /// submission, and the issue asks for 200 submissions per second on two cores, so this is
    /// cheaper than [`KdfParams::HANDLER`]. A receipt carries 89 random bits instead of a chosen
    /// password, which is what makes the lower cost safe (see `docs/SECURITY.md`).
    pub const RECEIPT: Self = Self {
        memory_kib: 4 * 1024,
        passes: 1,
        lanes: 1,
    };

    /// The cheapest parameters Argon2 accepts (8 KiB, 1 pass). **Tests only**: they make a
    /// password or receipt guessable quickly.
    pub const fn insecure_for_tests() -> Self {
        Self {
            memory_kib: 8,
            passes: 1,
            lanes: 1,
        }
    }

    /// Parameters of your own. Accepted: 1–16 lanes, at least 8 KiB per lane and at most
    /// 1 GiB, 1–16 passes. Stored parameters outside this range are refused when read, so a
    /// changed blob cannot make an unlock take more than a gigabyte or run for minutes.
    pub fn new(memory_kib: u32, passes: u32, lanes: u32) -> Result<Self, Error> {
        let ok = (1..=16).contains(&lanes)
            && memory_kib >= 8 * lanes
            && memory_kib <= 1024 * 1024
            && (1..=16).contains(&passes);
        if ok {
            Ok(Self {
                memory_kib,
                passes,
                lanes,
            })
        } else {
            Err(Error::BadParams)
        }
    }

    /// Memory in KiB.
    pub fn memory_kib(&self) -> u32 {
        self.memory_kib
    }

    /// Passes over the memory (Argon2's `t`).
    pub fn passes(&self) -> u32 {
        self.passes
    }

    /// Lanes (Argon2's `p`); computed one after the other in this build.
    pub fn lanes(&self) -> u32 {
        self.lanes
    }

    /// Whether these parameters cost at least as much as `floor` in memory and in passes.
    pub fn at_least(&self, floor: KdfParams) -> bool {
        self.memory_kib >= floor.memory_kib && self.passes >= floor.passes
    }

    pub(crate) const ENCODED_LEN: usize = 12;

    pub(crate) fn encode(&self) -> [u8; Self::ENCODED_LEN] {
        let mut out = [0u8; Self::ENCODED_LEN];
        out[0..4].copy_from_slice(&self.memory_kib.to_be_bytes());
        out[4..8].copy_from_slice(&self.passes.to_be_bytes());
        out[8..12].copy_from_slice(&self.lanes.to_be_bytes());
        out
    }

    pub(crate) fn decode(b: [u8; Self::ENCODED_LEN]) -> Result<Self, Error> {
        let word = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        Self::new(word(0), word(4), word(8))
    }

    /// Argon2id of `secret` with `salt`, 32 bytes out.
    pub(crate) fn derive(&self, secret: &[u8], salt: &[u8]) -> Result<Zeroizing<[u8; 32]>, Error> {
        let params = Params::new(self.memory_kib, self.passes, self.lanes, Some(32))
            .map_err(|_| Error::BadParams)?;
        let mut out = Zeroizing::new([0u8; 32]);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(secret, salt, out.as_mut())
            .map_err(|_| Error::BadParams)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_meet_owasp_for_handlers() {
        assert!(KdfParams::HANDLER.at_least(KdfParams::new(19 * 1024, 2, 1).unwrap()));
        assert!(!KdfParams::RECEIPT.at_least(KdfParams::HANDLER));
        assert!(!KdfParams::insecure_for_tests().at_least(KdfParams::RECEIPT));
    }

    #[test]
    fn range_is_enforced() {
        assert_eq!(KdfParams::new(7, 1, 1), Err(Error::BadParams));
        assert_eq!(KdfParams::new(16, 1, 2).map(|p| p.lanes()), Ok(2));
        assert_eq!(KdfParams::new(15, 1, 2), Err(Error::BadParams));
        assert_eq!(KdfParams::new(1024, 0, 1), Err(Error::BadParams));
        assert_eq!(KdfParams::new(1024, 17, 1), Err(Error::BadParams));
        assert_eq!(KdfParams::new(1024 * 1024 + 1, 1, 1), Err(Error::BadParams));
        assert!(KdfParams::new(1024 * 1024, 16, 16).is_ok());
        assert_eq!(KdfParams::new(1024, 1, 0), Err(Error::BadParams));
        assert_eq!(KdfParams::new(u32::MAX, 1, 1), Err(Error::BadParams));
    }

    #[test]
    fn encoding_round_trips_and_rechecks() {
        let p = KdfParams::new(1234, 3, 2).unwrap();
        assert_eq!(KdfParams::decode(p.encode()), Ok(p));
        assert_eq!(KdfParams::decode([0; 12]), Err(Error::BadParams));
        assert_eq!((p.memory_kib(), p.passes(), p.lanes()), (1234, 3, 2));
    }

    #[test]
    fn derivation_depends_on_secret_salt_and_params() {
        let p = KdfParams::insecure_for_tests();
        let a = p.derive(b"secret", b"saltsaltsaltsalt").unwrap();
        assert_eq!(*a, *p.derive(b"secret", b"saltsaltsaltsalt").unwrap());
        assert_ne!(*a, *p.derive(b"secreT", b"saltsaltsaltsalt").unwrap());
        assert_ne!(*a, *p.derive(b"secret", b"saltsaltsaltsalT").unwrap());
        let q = KdfParams::new(16, 1, 1).unwrap();
        assert_ne!(*a, *q.derive(b"secret", b"saltsaltsaltsalt").unwrap());
    }
}
