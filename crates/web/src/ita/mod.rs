//! ITA pages: the official results of past years, the framework of a year, the what-if
//! simulator, the agency's own IIT and EIT surveys, and the pages where people answer them.

pub mod answer;
pub mod edit;
pub mod framework;
pub mod results;
pub mod simulate;
pub mod survey;
