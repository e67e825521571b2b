//! The Prongsai domain: the types, rules and services of every module, and the store traits that
//! the storage crate implements.
//!
//! This crate knows nothing of HTTP or SQL. Each module of the product map is one folder:
//! [`platform`] (agencies, people, accounts, sessions, audit log) is the base that the others
//! build on.
//!
//! Two rules hold everywhere:
//! - Time and randomness come in as parameters ([`Clock`], [`Entropy`]); nothing here reads the
//!   system clock or the OS random source directly except the production implementations of those
//!   two traits.
//! - Every store method on agency-owned data takes the [`ids::AgencyId`] first.

pub mod cases;
pub mod clock;
pub mod ctx;
pub mod entropy;
pub mod error;
pub mod ids;
pub mod ita;
pub mod measures;
pub mod platform;
pub mod portal;
pub mod search;
pub mod validate;

pub use clock::{Clock, ManualClock, SystemClock};
pub use ctx::Ctx;
pub use entropy::{Entropy, OsEntropy, SeededEntropy};
pub use error::StoreError;
pub use validate::{ErrorCode, FieldError, FieldErrors};
