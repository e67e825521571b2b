//! The storage interface of the measures module. Every method takes the agency first; plans,
//! measures and actions of another agency are not found.

use async_trait::async_trait;
use prongsai_thai::FiscalYear;
use time::Date;

use crate::ctx::Write;
use crate::error::StoreResult;
use crate::ids::{ActionId, AgencyId, MeasureId, PlanId};

use super::model::{
    Action, ActionFields, ActionStatus, Measure, MeasureFields, Plan, PlanStatus, PlanTexts,
    ProgressEntry, ReviewRow, StepRow,
};

/// An action as written in one go: its fields, status and percentage.
pub type ActionContent = (ActionFields, ActionStatus, i32);

/// A plan's measures and actions, written in one go (copying last year's plan, loading the demo,
/// applying a spreadsheet).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanContent {
    pub measures: Vec<(MeasureFields, Vec<ActionContent>)>,
    pub reviews: Vec<ReviewRow>,
    pub steps: Vec<StepRow>,
}

/// A warning that a person has decided to accept, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOverride {
    pub code: String,
    pub subject: String,
    pub reason: String,
    pub by: String,
    pub at: i64,
}

/// A warning accepted with its reason; `by` is the name shown beside it (the audit log keeps
/// the account).
#[derive(Debug, Clone, Copy)]
pub struct NewOverride<'a> {
    pub code: &'a str,
    pub subject: &'a str,
    pub reason: &'a str,
    pub by: &'a str,
}

#[async_trait]
pub trait MeasuresStore: Send + Sync {
    /// The fiscal years that have a plan, newest first, with their status.
    async fn plan_years(&self, agency: AgencyId) -> StoreResult<Vec<(FiscalYear, PlanStatus)>>;
    async fn plan(&self, agency: AgencyId, year: FiscalYear) -> StoreResult<Option<Plan>>;
    /// Creates an empty plan. Conflict: the year has one.
    async fn create_plan(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: PlanId,
        year: FiscalYear,
        texts: &PlanTexts,
    ) -> StoreResult<()>;
    async fn update_plan_texts(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        plan: PlanId,
        texts: &PlanTexts,
    ) -> StoreResult<()>;
    /// Moves a plan to `status`; `approved_by` is recorded when it becomes approved.
    async fn set_plan_status(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        plan: PlanId,
        status: PlanStatus,
        approved_by: Option<&str>,
    ) -> StoreResult<()>;
    /// Deletes a plan and everything in it.
    async fn delete_plan(&self, w: Write<'_>, agency: AgencyId, plan: PlanId) -> StoreResult<()>;

    /// The measures of a plan, by number.
    async fn measures(&self, agency: AgencyId, plan: PlanId) -> StoreResult<Vec<Measure>>;
    /// Adds a measure after the last one.
    async fn create_measure(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        plan: PlanId,
        id: MeasureId,
        f: &MeasureFields,
    ) -> StoreResult<()>;
    async fn update_measure(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: MeasureId,
        f: &MeasureFields,
    ) -> StoreResult<()>;
    /// Deletes a measure with its actions and renumbers the ones after it.
    async fn delete_measure(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: MeasureId,
    ) -> StoreResult<()>;

    /// Every action of a plan, by measure number then action number.
    async fn actions(&self, agency: AgencyId, plan: PlanId) -> StoreResult<Vec<Action>>;
    async fn action(&self, agency: AgencyId, id: ActionId) -> StoreResult<Action>;
    /// The plan an action belongs to.
    async fn plan_of_action(&self, agency: AgencyId, id: ActionId) -> StoreResult<Plan>;
    /// Adds an action after the last one of its measure.
    async fn create_action(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        measure: MeasureId,
        id: ActionId,
        f: &ActionFields,
    ) -> StoreResult<()>;
    async fn update_action(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: ActionId,
        f: &ActionFields,
    ) -> StoreResult<()>;
    /// Deletes an action with its progress and renumbers the ones after it.
    async fn delete_action(&self, w: Write<'_>, agency: AgencyId, id: ActionId) -> StoreResult<()>;

    /// Records a progress report and sets the action's status and percentage, in one transaction.
    async fn add_progress(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        entry: &ProgressEntry,
    ) -> StoreResult<()>;
    /// The progress reports of a plan, newest first.
    async fn progress(&self, agency: AgencyId, plan: PlanId) -> StoreResult<Vec<ProgressEntry>>;

    async fn reviews(&self, agency: AgencyId, plan: PlanId) -> StoreResult<Vec<ReviewRow>>;
    async fn set_reviews(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        plan: PlanId,
        rows: &[ReviewRow],
    ) -> StoreResult<()>;
    async fn steps(&self, agency: AgencyId, plan: PlanId) -> StoreResult<Vec<StepRow>>;
    async fn set_steps(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        plan: PlanId,
        rows: &[StepRow],
    ) -> StoreResult<()>;

    /// Replaces every measure, action, review row and step of a plan. Ids are made with
    /// `new_id`. Progress reports of replaced actions go with them.
    async fn replace_content(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        plan: PlanId,
        content: &PlanContent,
        new_id: &(dyn Fn() -> i64 + Send + Sync),
    ) -> StoreResult<()>;

    async fn overrides(&self, agency: AgencyId, plan: PlanId) -> StoreResult<Vec<CheckOverride>>;
    async fn add_override(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        plan: PlanId,
        o: &NewOverride<'_>,
    ) -> StoreResult<()>;

    /// Notes that a reminder of `kind` about `action` went out on `day`; false if it already had.
    async fn mark_reminder(
        &self,
        agency: AgencyId,
        action: ActionId,
        kind: &str,
        day: Date,
    ) -> StoreResult<bool>;
    /// The agencies with an approved plan for `year`, for the reminder sweep.
    async fn agencies_with_approved_plan(&self, year: FiscalYear) -> StoreResult<Vec<AgencyId>>;
}
