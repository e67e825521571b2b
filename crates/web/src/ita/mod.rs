//! ITA pages: the official results of past years, the framework of a year, and the what-if
//! simulator.

pub mod edit;
pub mod framework;
pub mod results;
pub mod simulate;
