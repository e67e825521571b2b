//! The ITA module. This first part keeps the official results of past assessments (indicator
//! scores, total and grade, as the NACC published them), which the analysis report and the
//! drafting of next year's measures read. The framework, surveys, OIT evidence and scoring
//! build on it.

pub mod edit;
pub mod framework;
pub mod national;
pub mod results;
pub mod score;
pub mod service;
pub mod survey;
pub mod survey_service;

pub use results::{ItaStore, OfficialResult, OfficialResultInput, Score};
pub use service::FrameworkStore;
pub use survey::SurveyStore;
