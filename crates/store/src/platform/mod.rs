//! The platform module's store: one file per store trait.

mod accounts;
mod agencies;
pub(crate) mod audit;
mod files;
mod instance;
mod people;
mod sessions;
