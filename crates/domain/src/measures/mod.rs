//! The measures module: an agency's yearly plan of measures to promote integrity and
//! transparency (มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน, OIT O42), its numbered actions
//! with responsible divisions and periods, progress reports with evidence (O43), the
//! consistency checker, approval, and reminders.

pub mod check;
pub mod library;
pub mod model;
pub mod rollup;
pub mod service;
pub mod store;
pub mod workbook;

pub use model::{
    Action, ActionFields, ActionInput, ActionStatus, Evidence, Measure, MeasureFields,
    MeasureInput, Plan, PlanStatus, PlanTexts, PlanTextsInput, ProgressEntry, ProgressInput,
    ReviewRow, StepRow,
};
pub use store::{CheckOverride, MeasuresStore, NewOverride, PlanContent};
