//! The cryptography of the **cases** module (complaints and whistleblowing): everything that
//! makes case contents unreadable to whoever holds only the database.
//!
//! A pure library: no database, no web, no clock and no operating-system randomness. Every
//! function that needs random bytes takes a [`Random`]; every check that needs the time takes
//! it as a number.
//!
//! # The pieces
//!
//! | What | Type | Stored by the cases module |
//! |---|---|---|
//! | A handler's key pair, private half locked by their password (Argon2id) | [`SecretKey`], [`WrappedSecretKey`], [`PublicKey`] | `WrappedSecretKey::as_bytes` per handler |
//! | The random key of one case | [`CaseKey`] | never in clear |
//! | The case key sealed to one recipient (handler, recovery key, reporter) | [`SealedKey`] | one row per recipient |
//! | Case text, messages, attachments | [`CaseKey::encrypt`] / [`CaseKey::decrypt`] with a [`context`] | the ciphertext |
//! | The agency's recovery key, printed once | [`RecoveryKey`] | its [`PublicKey`] only |
//! | The reporter's receipt | [`Receipt`], [`ReceiptRecord`], [`LookupId`] | the lookup id and the record |
//! | Proof-of-work on anonymous submission | [`PowChallenge`], [`PowSolved`] | the seen ids until they expire |
//! | The installation's secret for keyed hashes | [`InstanceKey`] | outside the cases tables |
//!
//! # The flow
//!
//! *Submission.* Make a [`CaseKey`]; make the reporter a [`Receipt`] and [`Receipt::enroll`] it
//! (this gives the reporter's key pair, derived from the receipt); seal the case key to every
//! authorised handler, to the agency's recovery public key and to the reporter's public key
//! ([`CaseKey::seal_to_all`]); encrypt the report with [`CaseKey::encrypt`]; store the sealed
//! copies, the ciphertext, the receipt's [`LookupId`] and [`ReceiptRecord`]; drop the case key.
//!
//! *A handler's session.* At sign-in, [`WrappedSecretKey::unlock`] with the password (one
//! Argon2id run), then keep the [`SecretKey`] for the session — in memory, or in the session row
//! encrypted under the session cookie with [`SecretKey::wrap_for_session`], so that the database
//! alone never holds it. Listing cases is then one [`SealedKey::open`] (an X25519 exchange, no
//! Argon2) and one [`CaseKey::decrypt`] per case.
//!
//! *The reporter comes back.* [`Receipt::parse`] what they type, find the row by
//! [`Receipt::lookup_id`], [`Receipt::unlock`] against the stored record to get their secret key,
//! open their sealed copy of the case key, read the replies.
//!
//! *Recusal and removal.* Delete the recipient's sealed copy. They can still open anything they
//! copied before; for new writes to be closed to them, [`CaseKey::rekey`] and encrypt new records
//! under the new key (see its documentation).
//!
//! *Crypto-shredding.* Deleting every sealed copy of a case key (the handlers', the recovery
//! key's, the reporter's) makes the case's ciphertext unreadable for good, wherever a copy of
//! the ciphertext survives. Nothing more is needed from this crate: a [`CaseKey`] is zeroed when
//! dropped and exists nowhere else. The limit is backups: one that still holds a sealed copy
//! still opens with the recovery key (or a handler's key) until it is itself deleted, so
//! retention has to reach the backups too.
//!
//! # Example
//!
//! ```
//! use prongsai_vault::*;
//! # let state = std::cell::Cell::new(1u8);
//! # let entropy_fill = |b: &mut [u8]| for x in b { state.set(state.get().wrapping_mul(31).wrapping_add(7)); *x = state.get() };
//! // In the application: `let rng = |b: &mut [u8]| cx.entropy.fill(b);`
//! let rng = |b: &mut [u8]| entropy_fill(b);
//! # let cheap = KdfParams::insecure_for_tests();
//!
//! // Once: a handler's key pair, stored wrapped; the agency's recovery key, printed.
//! let handler = SecretKey::generate(&rng);
//! let stored = handler.wrap(b"the handler's password", cheap /* KdfParams::HANDLER */, &rng)?;
//! let recovery = RecoveryKey::generate(&rng);
//! let printed = recovery.to_text();
//!
//! // An anonymous submission.
//! let receipt = Receipt::generate(&rng);
//! let (record, _) = receipt.enroll(cheap /* KdfParams::RECEIPT */, &rng)?;
//! let case_key = CaseKey::generate(&rng);
//! let key_ctx = context(&[b"case-key", b"agency-id", b"case-id", b"generation-1"]);
//! let recipients = [stored.public_key(), recovery.public_key(), record.public_key()];
//! let sealed = case_key.seal_to_all(&recipients, &key_ctx, &rng)?;
//! let text_ctx = context(&[b"case-text", b"agency-id", b"case-id", b"text-id"]);
//! let report = case_key.encrypt(&text_ctx, "ร้องเรียน".as_bytes(), &rng)?;
//! drop(case_key);
//!
//! // The handler signs in and reads it.
//! let mine = stored.unlock(b"the handler's password")?;
//! let key = sealed[0].open(&mine, &key_ctx)?;
//! assert_eq!(key.decrypt(&text_ctx, &report)?, "ร้องเรียน".as_bytes());
//!
//! // The reporter comes back with the receipt as they typed it.
//! let typed = Receipt::parse(&receipt.to_text()).expect("a valid receipt");
//! let reporter = typed.unlock(&record)?;
//! assert!(sealed[2].open(&reporter, &key_ctx).is_ok());
//!
//! // The recovery key, typed back from paper, opens it too.
//! let back = RecoveryKey::parse(&printed).expect("typed correctly");
//! assert!(sealed[1].open(back.secret_key(), &key_ctx).is_ok());
//! # Ok::<(), Error>(())
//! ```
//!
//! # Formats
//!
//! Every stored blob starts with a kind byte and a version byte (`W`, `S`, `C`, `R`, `K`, `P`
//! and version 1), which are also authenticated, so a blob of one kind is never read as another
//! and a later format can be added beside this one.

#![warn(missing_docs)]

mod aead;
mod case;
mod encoding;
mod instance;
mod kdf;
mod keys;
mod pow;
mod receipt;
mod recovery;

pub use case::{CaseKey, SealedKey, context};
pub use instance::InstanceKey;
pub use kdf::KdfParams;
pub use keys::{PublicKey, SecretKey, WrappedSecretKey};
pub use pow::{MAX_DIFFICULTY, PowChallenge, PowError, PowSolved};
pub use receipt::{LookupId, RECEIPT_BITS, RECEIPT_DIGITS, Receipt, ReceiptError, ReceiptRecord};
pub use recovery::{RecoveryKey, RecoveryTextError};

/// A source of random bytes, passed in by the caller.
///
/// It has the shape of the domain crate's `Entropy`, so a closure adapts one:
/// `let rng = |buf: &mut [u8]| entropy.fill(buf);` and pass `&rng`. Any
/// `Fn(&mut [u8])` is a `Random`.
///
/// It must be a cryptographically secure generator in production: every key, nonce, salt and
/// receipt comes from it.
pub trait Random {
    /// Fills `buf` with random bytes.
    fn fill(&self, buf: &mut [u8]);
}

impl<F: Fn(&mut [u8]) + ?Sized> Random for F {
    fn fill(&self, buf: &mut [u8]) {
        self(buf);
    }
}

/// What can go wrong when keys and ciphertexts are used. Messages never contain secret data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A wrapped private key did not open: the password is wrong (or the stored bytes were
    /// changed, which cannot be told apart).
    #[error("the password is wrong")]
    WrongPassword,
    /// A receipt did not unlock its record: it belongs to another case, or is mistyped.
    #[error("the receipt does not match")]
    WrongReceipt,
    /// A ciphertext or sealed key did not open: wrong key, wrong recipient, wrong context
    /// (moved to another case or record), or changed bytes.
    #[error("the data does not open with this key in this context")]
    Decrypt,
    /// The bytes are not a blob of the expected kind (too short, wrong kind byte, bad length).
    #[error("malformed {0}")]
    Malformed(&'static str),
    /// The blob has a format version this build does not read.
    #[error("{what} has format version {version}, which this build does not read")]
    UnsupportedVersion {
        /// Which kind of blob.
        what: &'static str,
        /// The version byte found.
        version: u8,
    },
    /// Argon2 parameters out of the accepted range (see [`KdfParams::new`]).
    #[error("key-derivation parameters out of range")]
    BadParams,
    /// The public key is a low-order point: sealing to it would give a predictable key.
    #[error("the public key is not usable")]
    WeakPublicKey,
    /// The plaintext is too large for one XChaCha20-Poly1305 message (256 GiB).
    #[error("the plaintext is too large")]
    TooLarge,
}

#[cfg(test)]
mod test_rng;
