//! The ITA module. This first part keeps the official results of past assessments (indicator
//! scores, total and grade, as the NACC published them), which the analysis report and the
//! drafting of next year's measures read; the framework of each year and the scoring engine;
//! and the OIT checklist with its evidence and review (`oit.rs`).

pub mod averages;
pub mod edit;
pub mod framework;
pub mod national;
pub mod oit;
pub mod results;
pub mod score;
pub mod service;
pub mod survey;
pub mod survey_service;

pub use averages::AverageStore;
pub use oit::OitStore;
pub use results::{ItaStore, OfficialResult, OfficialResultInput, Score};
pub use service::FrameworkStore;
pub use survey::SurveyStore;
