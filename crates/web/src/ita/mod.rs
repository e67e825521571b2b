//! ITA pages. This first part: the official results of past years.

pub mod results;
