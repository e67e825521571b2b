//! ITA pages: the official results of past years, the framework of a year, the what-if
//! simulator, the framework editor, the agency's own IIT and EIT surveys and the pages where
//! people answer them, and the OIT checklist with its evidence, review and published table.

pub mod answer;
pub mod averages;
pub mod edit;
pub mod framework;
pub mod oit;
pub mod overview;
pub mod results;
pub mod simulate;
pub mod survey;
