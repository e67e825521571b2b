//! XChaCha20-Poly1305 with a random nonce, the header of each blob authenticated.

use chacha20poly1305::XChaCha20Poly1305;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use zeroize::Zeroizing;

use crate::{Error, Random};

pub(crate) const NONCE_LEN: usize = 24;
pub(crate) const TAG_LEN: usize = 16;

fn cipher(key: &[u8; 32]) -> XChaCha20Poly1305 {
    // A 32-byte key is the only length this cipher takes, and it is always given one.
    match XChaCha20Poly1305::new_from_slice(key) {
        Ok(c) => c,
        Err(_) => unreachable!("XChaCha20-Poly1305 takes 32-byte keys"),
    }
}

/// `header || nonce || ciphertext+tag`, with `header || aad` as the associated data.
pub(crate) fn seal(
    key: &[u8; 32],
    header: &[u8],
    aad: &[u8],
    msg: &[u8],
    rng: &(impl Random + ?Sized),
) -> Result<Vec<u8>, Error> {
    let mut nonce = [0u8; NONCE_LEN];
    rng.fill(&mut nonce);
    let full_aad = [header, aad].concat();
    let ct = cipher(key)
        .encrypt(
            &nonce.into(),
            Payload {
                msg,
                aad: &full_aad,
            },
        )
        .map_err(|_| Error::TooLarge)?;
    let mut out = Vec::with_capacity(header.len() + NONCE_LEN + ct.len());
    out.extend_from_slice(header);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

/// Opens what [`seal`] made; `header_len` bytes at the front are the header.
pub(crate) fn open(
    key: &[u8; 32],
    blob: &[u8],
    header_len: usize,
    aad: &[u8],
    what: &'static str,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    if blob.len() < header_len + NONCE_LEN + TAG_LEN {
        return Err(Error::Malformed(what));
    }
    let (header, rest) = blob.split_at(header_len);
    let (nonce, ct) = rest.split_at(NONCE_LEN);
    let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| Error::Malformed(what))?;
    let full_aad = [header, aad].concat();
    cipher(key)
        .decrypt(
            &nonce.into(),
            Payload {
                msg: ct,
                aad: &full_aad,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| Error::Decrypt)
}
