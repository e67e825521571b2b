//! The `prongsai` binary as a library: configuration, start-up, the demo agency and the
//! commands, so that integration tests can start the same application the binary starts.

pub mod bench;
pub mod cli;
pub mod config;
pub mod demo;
pub mod mail;
pub mod reminders;
pub mod server;
