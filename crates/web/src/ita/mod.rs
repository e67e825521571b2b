//! ITA pages: the official results of past years, the framework of a year, the what-if
//! simulator, and the OIT checklist with its evidence, review and published table.

pub mod framework;
pub mod oit;
pub mod results;
pub mod simulate;
