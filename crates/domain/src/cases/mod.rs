//! Cases: complaints, corruption reports and internal whistleblowing, with the reporter's
//! protection. `model` (what is clear and what is sealed), `store` (`CaseStore`), `service`
//! (intake, the reporter's receipt, handlers' keys, the back office, SLA clocks, retention),
//! `media` (attachments and their metadata), `stats` (the published statistics). The
//! cryptography is `prongsai_vault`; the threat model is in `docs/SECURITY.md`.

pub mod media;
pub mod model;
pub mod service;
pub mod stats;
pub mod store;

pub use model::*;
pub use service::{CaseError, CaseSecret, KeyState, Keyring, Problem, ReportInput};
pub use store::CaseStore;
