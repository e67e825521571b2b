//! ITA pages: the official results of past years, and the framework of a year.

pub mod framework;
pub mod results;
