//! The platform module's store: one file per store trait.

mod accounts;
mod agencies;
pub(crate) mod audit;
mod files;
mod instance;
mod notifications;
mod people;
mod sessions;
