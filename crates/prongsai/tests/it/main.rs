//! Prongsai's integration tests: one binary, a fresh database per test. Set
//! `PRONGSAI_TEST_DATABASE_URL=postgres://…` to run the whole suite on PostgreSQL (each test gets
//! a schema of its own; a database that cannot be reached fails the run).
//!
//! The tenancy, CSRF, audit, role and fuzz tests walk `prongsai_web::route_list()`, so a new
//! route is covered the day it is added. They fail until it is taught:
//! - a new `{param}`, or an `{id}` under a new path segment: `support/routes.rs`, and a record of
//!   that kind in `support::app::Fixture` (for both agencies);
//! - a new POST route: a case in `audit::every_write_route_…` naming the entry it writes;
//! - a back-office POST route a read-only role may use: the allowed lists in `auth.rs`.

#![expect(
    clippy::unwrap_used,
    reason = "the helpers of a test fail it by panicking, as the tests themselves do"
)]

mod support;

mod audit;
mod auth;
mod averages;
mod cases;
mod cli;
mod csrf;
mod discover;
mod framework_edit;
mod ita;
mod measures;
mod oit;
mod opendata;
mod pages;
mod participation;
mod portal_cms;
mod s3;
mod schema;
mod search;
mod standard_pages;
mod store;
mod surveys;
mod tenancy;
