//! The test harness: a fresh database per test, the application on it, a cookie-keeping client,
//! and snapshots of the data for "nothing changed" assertions.

pub mod app;
pub mod client;
pub mod db;
pub mod routes;
pub mod snapshot;

pub use app::{
    DEMO_ADMIN, DEMO_ASSESSOR, DEMO_MAYOR, DEMO_OFFICER, DEMO_OPERATOR, DEMO_PASSWORD,
    OTHER_PASSWORD, PNG, TestApp,
};
pub use client::{Client, Resp};
pub use db::{TempDir, TestDb};
pub use snapshot::{assert_unchanged, snapshot_agency, snapshot_all};
