//! Measures services: drafting a plan (from scratch, from last year's plan, or from the standard
//! measures of the weak ITA indicators), editing it, the consistency check, submission and the
//! executive's approval, progress reports with evidence, the overdue view and reminders.

use prongsai_thai::{FiscalYear, Period, YearMonth};
use serde::Deserialize;
use time::Date;

use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::ids::{
    AccountId, ActionId, AgencyId, DivisionId, FileId, MeasureId, NotificationId, PlanId,
    ProgressId,
};
use crate::platform::file::{BlobStore, FileKind};
use crate::platform::service::{Member, Upload, store_upload};
use crate::platform::{Actor, NewNotification, Permission, Role};
use crate::validate::{ErrorCode, FieldErrors, field};

use super::check::{self, PlanContent as CheckContent, Warning};
use super::library;
use super::model::{
    Action, ActionFields, ActionInput, ActionStatus, Evidence, Measure, MeasureInput, Plan,
    PlanStatus, PlanTexts, PlanTextsInput, ProgressEntry, ProgressInput, ReviewRow, StepRow,
};
use super::rollup;
use super::store::{CheckOverride, NewOverride, PlanContent};

/// What a measures service can fail with.
#[derive(Debug, thiserror::Error)]
pub enum MeasuresError {
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    /// The plan is submitted or approved; return it to draft to change it.
    #[error("the plan is not a draft")]
    Locked,
    /// Progress is reported on approved plans only.
    #[error("the plan is not approved")]
    NotApproved,
    /// The year already has a plan.
    #[error("the year already has a plan")]
    Exists,
    /// The consistency check has warnings nobody has fixed or accepted.
    #[error("the consistency check has {} open warning(s)", .0.len())]
    Unresolved(Vec<Warning>),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for MeasuresError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            other => Self::Store(other),
        }
    }
}

impl From<FieldErrors> for MeasuresError {
    fn from(e: FieldErrors) -> Self {
        Self::Invalid(e)
    }
}

type Result<T, E = MeasuresError> = std::result::Result<T, E>;

fn require(m: &Member, p: Permission) -> Result<()> {
    if m.membership.can(p) {
        Ok(())
    } else {
        Err(MeasuresError::Forbidden)
    }
}

// ---------------------------------------------------------------------------------------------
// Reading

/// Everything about one plan, for pages and documents.
#[derive(Debug, Clone)]
pub struct PlanView {
    pub plan: Plan,
    pub measures: Vec<Measure>,
    pub actions: Vec<Action>,
    /// Newest first.
    pub progress: Vec<ProgressEntry>,
    pub reviews: Vec<ReviewRow>,
    pub steps: Vec<StepRow>,
}

impl PlanView {
    pub fn actions_of(&self, measure: MeasureId) -> Vec<&Action> {
        self.actions
            .iter()
            .filter(|a| a.measure_id == measure)
            .collect()
    }

    pub fn measure_percent(&self, measure: MeasureId) -> Option<i32> {
        rollup::measure_percent(&self.actions_of(measure))
    }

    pub fn plan_percent(&self) -> Option<i32> {
        rollup::plan_percent(&self.measures, &self.actions)
    }

    /// The newest progress report of an action.
    pub fn latest_progress(&self, action: ActionId) -> Option<&ProgressEntry> {
        self.progress.iter().find(|p| p.action_id == action)
    }

    pub fn measure(&self, id: MeasureId) -> Option<&Measure> {
        self.measures.iter().find(|m| m.id == id)
    }

    /// "1.2" for action 2 of measure 1.
    pub fn action_number(&self, a: &Action) -> String {
        format!(
            "{}.{}",
            self.measure(a.measure_id).map_or(0, |m| m.number),
            a.number
        )
    }
}

/// Loads a plan with everything in it.
pub async fn plan_view(cx: &Ctx, agency: AgencyId, year: FiscalYear) -> Result<PlanView> {
    let plan = cx
        .store
        .plan(agency, year)
        .await?
        .ok_or(MeasuresError::NotFound)?;
    Ok(PlanView {
        measures: cx.store.measures(agency, plan.id).await?,
        actions: cx.store.actions(agency, plan.id).await?,
        progress: cx.store.progress(agency, plan.id).await?,
        reviews: cx.store.reviews(agency, plan.id).await?,
        steps: cx.store.steps(agency, plan.id).await?,
        plan,
    })
}

/// Whether the member may report progress on an action: admins on any, division officers on the
/// actions their division is responsible for.
pub fn can_report(m: &Member, a: &Action) -> bool {
    m.membership.has_role(Role::AgencyAdmin)
        || (m.membership.can(Permission::ReportProgress)
            && m.membership
                .officer_divisions()
                .iter()
                .any(|d| a.is_responsible(*d)))
}

/// The warnings of a plan, each with the override that accepts it, if any.
pub async fn check_plan(
    cx: &Ctx,
    agency_name: &str,
    view: &PlanView,
) -> Result<Vec<(Warning, Option<CheckOverride>)>> {
    let overrides = cx
        .store
        .overrides(view.plan.agency_id, view.plan.id)
        .await?;
    let content = CheckContent {
        agency_name,
        fiscal_year: view.plan.fiscal_year,
        texts: &view.plan.texts,
        measures: &view.measures,
        actions: &view.actions,
        reviews: &view.reviews,
        steps: &view.steps,
    };
    Ok(check::check(&content)
        .into_iter()
        .map(|w| {
            let o = overrides
                .iter()
                .find(|o| o.code == w.code.as_str() && o.subject == w.subject())
                .cloned();
            (w, o)
        })
        .collect())
}

/// The warnings nobody has accepted.
pub async fn open_warnings(cx: &Ctx, agency_name: &str, view: &PlanView) -> Result<Vec<Warning>> {
    Ok(check_plan(cx, agency_name, view)
        .await?
        .into_iter()
        .filter(|(_, o)| o.is_none())
        .map(|(w, _)| w)
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Drafting

/// How a new plan starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drafting {
    /// Empty.
    Scratch,
    /// Last year's measures and actions, periods moved one year on, progress cleared; last
    /// year's table filled from last year's measures and their reported results.
    CopyPrevious,
    /// The standard measures of these (weak) ITA indicators.
    FromIndicators(Vec<u8>),
}

#[derive(Deserialize)]
struct Defaults {
    introduction: String,
    review_intro: String,
    announcement_preamble: String,
}

/// The default texts of a new plan.
pub fn default_texts(agency_name: &str, year: FiscalYear) -> PlanTexts {
    let defaults: Option<Defaults> =
        toml::from_str(include_str!("../../data/plan-defaults.toml")).ok();
    let fill = |s: &str| {
        s.replace("{agency}", agency_name)
            .replace("{year}", &year.be().to_string())
            .replace("{previous}", &(year.be() - 1).to_string())
    };
    match defaults {
        Some(d) => PlanTexts {
            introduction: fill(&d.introduction),
            review_intro: fill(&d.review_intro),
            announcement_preamble: fill(&d.announcement_preamble),
            ..PlanTexts::default()
        },
        None => PlanTexts::default(),
    }
}

fn next_year(p: Period) -> Option<Period> {
    let shift = |m: YearMonth| YearMonth::new(m.be_year() + 1, m.month()).ok();
    Period::new(shift(p.start())?, shift(p.end())?).ok()
}

/// Creates the plan of a fiscal year.
pub async fn create_plan(
    cx: &Ctx,
    m: &Member,
    agency_name: &str,
    year: FiscalYear,
    how: &Drafting,
) -> Result<Plan> {
    require(m, Permission::ManageMeasures)?;
    create_plan_as(cx, &m.actor, m.agency_id(), agency_name, year, how).await
}

/// Creates the plan of a fiscal year on behalf of `actor` (a member, or the system loading the
/// demo). Permissions are the caller's business.
pub async fn create_plan_as(
    cx: &Ctx,
    actor: &Actor,
    agency: AgencyId,
    agency_name: &str,
    year: FiscalYear,
    how: &Drafting,
) -> Result<Plan> {
    if cx.store.plan(agency, year).await?.is_some() {
        return Err(MeasuresError::Exists);
    }
    let content = match how {
        Drafting::Scratch => PlanContent::default(),
        Drafting::FromIndicators(indicators) => {
            if indicators.is_empty() {
                return Err(FieldErrors::single("indicators", ErrorCode::Required).into());
            }
            PlanContent {
                measures: library::measures_for(indicators)
                    .into_iter()
                    .map(|(mf, actions)| {
                        (
                            mf,
                            actions
                                .into_iter()
                                .map(|a| (a, ActionStatus::NotStarted, 0))
                                .collect(),
                        )
                    })
                    .collect(),
                ..PlanContent::default()
            }
        }
        Drafting::CopyPrevious => {
            let previous = year.previous().ok_or(MeasuresError::NotFound)?;
            let last = plan_view(cx, agency, previous).await?;
            copy_forward(&last)
        }
    };
    let id = PlanId::from_raw(cx.new_id());
    cx.store
        .create_plan(
            cx.write(actor),
            agency,
            id,
            year,
            &default_texts(agency_name, year),
        )
        .await
        .map_err(|e| match e {
            StoreError::Conflict => MeasuresError::Exists,
            other => other.into(),
        })?;
    let ids = cx.clone();
    cx.store
        .replace_content(cx.write(actor), agency, id, &content, &move || ids.new_id())
        .await?;
    cx.store
        .plan(agency, year)
        .await?
        .ok_or(MeasuresError::NotFound)
}

/// Next year's content from this year's plan.
fn copy_forward(last: &PlanView) -> PlanContent {
    let measures = last
        .measures
        .iter()
        .map(|m| {
            let actions = last
                .actions_of(m.id)
                .into_iter()
                .filter(|a| a.status != ActionStatus::Cancelled)
                .map(|a| {
                    let fields = ActionFields {
                        period: a.fields.period.and_then(next_year),
                        ..a.fields.clone()
                    };
                    (fields, ActionStatus::NotStarted, 0)
                })
                .collect();
            (m.fields.clone(), actions)
        })
        .collect();
    let reviews = last
        .measures
        .iter()
        .map(|m| {
            let actions = last.actions_of(m.id);
            let methods = actions
                .iter()
                .map(|a| format!("{} {}", last.action_number(a), a.fields.text))
                .collect::<Vec<_>>()
                .join("\n");
            let done = actions
                .iter()
                .filter_map(|a| {
                    last.latest_progress(a.id)
                        .map(|p| format!("{} {}", last.action_number(a), p.narrative))
                })
                .collect::<Vec<_>>()
                .join("\n");
            ReviewRow {
                indicator: format!("{}. {}", m.number, m.fields.title),
                issues: String::new(),
                methods,
                actions_taken: done,
            }
        })
        .collect();
    PlanContent {
        measures,
        reviews,
        steps: last.steps.clone(),
    }
}

async fn draft(cx: &Ctx, m: &Member, year: FiscalYear) -> Result<Plan> {
    require(m, Permission::ManageMeasures)?;
    let plan = cx
        .store
        .plan(m.agency_id(), year)
        .await?
        .ok_or(MeasuresError::NotFound)?;
    if plan.status != PlanStatus::Draft {
        return Err(MeasuresError::Locked);
    }
    Ok(plan)
}

pub async fn update_texts(
    cx: &Ctx,
    m: &Member,
    year: FiscalYear,
    input: &PlanTextsInput,
) -> Result<()> {
    let plan = draft(cx, m, year).await?;
    let texts = input.parse()?;
    cx.store
        .update_plan_texts(cx.write(&m.actor), m.agency_id(), plan.id, &texts)
        .await?;
    Ok(())
}

pub async fn add_measure(
    cx: &Ctx,
    m: &Member,
    year: FiscalYear,
    input: &MeasureInput,
) -> Result<MeasureId> {
    let plan = draft(cx, m, year).await?;
    let f = input.parse()?;
    let id = MeasureId::from_raw(cx.new_id());
    cx.store
        .create_measure(cx.write(&m.actor), m.agency_id(), plan.id, id, &f)
        .await?;
    Ok(id)
}

/// A measure of the plan, or NotFound.
async fn measure_in(cx: &Ctx, plan: &Plan, id: MeasureId) -> Result<Measure> {
    cx.store
        .measures(plan.agency_id, plan.id)
        .await?
        .into_iter()
        .find(|x| x.id == id)
        .ok_or(MeasuresError::NotFound)
}

pub async fn update_measure(
    cx: &Ctx,
    m: &Member,
    year: FiscalYear,
    id: MeasureId,
    input: &MeasureInput,
) -> Result<()> {
    let plan = draft(cx, m, year).await?;
    measure_in(cx, &plan, id).await?;
    let f = input.parse()?;
    cx.store
        .update_measure(cx.write(&m.actor), m.agency_id(), id, &f)
        .await?;
    Ok(())
}

pub async fn delete_measure(cx: &Ctx, m: &Member, year: FiscalYear, id: MeasureId) -> Result<()> {
    let plan = draft(cx, m, year).await?;
    measure_in(cx, &plan, id).await?;
    cx.store
        .delete_measure(cx.write(&m.actor), m.agency_id(), id)
        .await?;
    Ok(())
}

async fn parse_action(
    cx: &Ctx,
    m: &Member,
    year: FiscalYear,
    input: &ActionInput,
) -> Result<ActionFields> {
    let divisions = cx.store.list_divisions(m.agency_id()).await?;
    Ok(input.parse(|d| divisions.iter().any(|x| x.id == d), year)?)
}

pub async fn add_action(
    cx: &Ctx,
    m: &Member,
    year: FiscalYear,
    measure: MeasureId,
    input: &ActionInput,
) -> Result<ActionId> {
    let plan = draft(cx, m, year).await?;
    measure_in(cx, &plan, measure).await?;
    let f = parse_action(cx, m, year, input).await?;
    let id = ActionId::from_raw(cx.new_id());
    cx.store
        .create_action(cx.write(&m.actor), m.agency_id(), measure, id, &f)
        .await?;
    Ok(id)
}

/// An action of the plan, or NotFound.
async fn action_in(cx: &Ctx, plan: &Plan, id: ActionId) -> Result<Action> {
    let a = cx.store.action(plan.agency_id, id).await?;
    if cx.store.plan_of_action(plan.agency_id, id).await?.id != plan.id {
        return Err(MeasuresError::NotFound);
    }
    Ok(a)
}

pub async fn update_action(
    cx: &Ctx,
    m: &Member,
    year: FiscalYear,
    id: ActionId,
    input: &ActionInput,
) -> Result<()> {
    let plan = draft(cx, m, year).await?;
    action_in(cx, &plan, id).await?;
    let f = parse_action(cx, m, year, input).await?;
    cx.store
        .update_action(cx.write(&m.actor), m.agency_id(), id, &f)
        .await?;
    Ok(())
}

pub async fn delete_action(cx: &Ctx, m: &Member, year: FiscalYear, id: ActionId) -> Result<()> {
    let plan = draft(cx, m, year).await?;
    action_in(cx, &plan, id).await?;
    cx.store
        .delete_action(cx.write(&m.actor), m.agency_id(), id)
        .await?;
    Ok(())
}

/// Replaces last year's table. Empty rows are dropped.
pub async fn set_reviews(cx: &Ctx, m: &Member, year: FiscalYear, rows: &[ReviewRow]) -> Result<()> {
    let plan = draft(cx, m, year).await?;
    let rows = clean_rows(
        rows.iter()
            .map(|r| [&r.indicator, &r.issues, &r.methods, &r.actions_taken]),
    )?
    .into_iter()
    .map(|[indicator, issues, methods, actions_taken]| ReviewRow {
        indicator,
        issues,
        methods,
        actions_taken,
    })
    .collect::<Vec<_>>();
    cx.store
        .set_reviews(cx.write(&m.actor), m.agency_id(), plan.id, &rows)
        .await?;
    Ok(())
}

/// Replaces the steps table. Empty rows are dropped.
pub async fn set_steps(cx: &Ctx, m: &Member, year: FiscalYear, rows: &[StepRow]) -> Result<()> {
    let plan = draft(cx, m, year).await?;
    let rows = clean_rows(
        rows.iter()
            .map(|r| [&r.measure, &r.steps, &r.responsible, &r.monitoring]),
    )?
    .into_iter()
    .map(|[measure, steps, responsible, monitoring]| StepRow {
        measure,
        steps,
        responsible,
        monitoring,
    })
    .collect::<Vec<_>>();
    cx.store
        .set_steps(cx.write(&m.actor), m.agency_id(), plan.id, &rows)
        .await?;
    Ok(())
}

fn clean_rows<'a>(rows: impl Iterator<Item = [&'a String; 4]>) -> Result<Vec<[String; 4]>> {
    let mut out = Vec::new();
    for row in rows {
        let mut cleaned: [String; 4] = Default::default();
        for (i, cell) in row.iter().enumerate() {
            match field::optional_multiline(cell, 4000) {
                Ok(v) => cleaned[i] = v.unwrap_or_default(),
                Err(code) => return Err(FieldErrors::single("rows", code).into()),
            }
        }
        if cleaned.iter().any(|c| !c.is_empty()) {
            out.push(cleaned);
        }
    }
    if out.len() > 100 {
        return Err(FieldErrors::single("rows", ErrorCode::TooLong { max: 100 }).into());
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Approval

/// Accepts a warning, with the reason recorded.
pub async fn override_warning(
    cx: &Ctx,
    m: &Member,
    year: FiscalYear,
    code: &str,
    subject: &str,
    reason: &str,
) -> Result<()> {
    require(m, Permission::ManageMeasures)?;
    let plan = cx
        .store
        .plan(m.agency_id(), year)
        .await?
        .ok_or(MeasuresError::NotFound)?;
    let reason = field::required(reason, 1000).map_err(|c| FieldErrors::single("reason", c))?;
    // Both come back from the form as the checker wrote them; NUL never does (stored texts have
    // no control characters but line breaks), and PostgreSQL text cannot hold it.
    if code.len() > 40 || subject.len() > 2000 || code.contains('\0') || subject.contains('\0') {
        return Err(FieldErrors::single("reason", ErrorCode::InvalidChoice).into());
    }
    cx.store
        .add_override(
            cx.write(&m.actor),
            m.agency_id(),
            plan.id,
            &NewOverride {
                code,
                subject,
                reason: &reason,
                by: m.display_name(),
            },
        )
        .await?;
    Ok(())
}

/// Sends the draft to the executive. Refused while warnings are open or the plan is empty.
pub async fn submit(cx: &Ctx, m: &Member, agency_name: &str, year: FiscalYear) -> Result<()> {
    let plan = draft(cx, m, year).await?;
    let view = plan_view(cx, m.agency_id(), year).await?;
    if view.measures.is_empty() {
        return Err(FieldErrors::single("measures", ErrorCode::Required).into());
    }
    let open = open_warnings(cx, agency_name, &view).await?;
    if !open.is_empty() {
        return Err(MeasuresError::Unresolved(open));
    }
    cx.store
        .set_plan_status(
            cx.write(&m.actor),
            m.agency_id(),
            plan.id,
            PlanStatus::Submitted,
            None,
        )
        .await?;
    notify_role(
        cx,
        m.agency_id(),
        Role::Executive,
        "plan-submitted",
        year,
        "measures-notify-submitted",
    )
    .await?;
    Ok(())
}

/// The executive approves a submitted plan: it is published and divisions report progress on it.
pub async fn approve(cx: &Ctx, m: &Member, agency_name: &str, year: FiscalYear) -> Result<()> {
    require(m, Permission::ApprovePlans)?;
    let view = plan_view(cx, m.agency_id(), year).await?;
    if view.plan.status != PlanStatus::Submitted {
        return Err(MeasuresError::Locked);
    }
    let open = open_warnings(cx, agency_name, &view).await?;
    if !open.is_empty() {
        return Err(MeasuresError::Unresolved(open));
    }
    cx.store
        .set_plan_status(
            cx.write(&m.actor),
            m.agency_id(),
            view.plan.id,
            PlanStatus::Approved,
            Some(m.display_name()),
        )
        .await?;
    notify_role(
        cx,
        m.agency_id(),
        Role::AgencyAdmin,
        "plan-approved",
        year,
        "measures-notify-approved",
    )
    .await?;
    crate::search::feed::refresh_after_write(
        cx,
        m.agency_id(),
        crate::search::Source::Measures(year),
    )
    .await;
    Ok(())
}

/// Sends a submitted or approved plan back to draft (the coordinator, or the executive).
pub async fn return_to_draft(cx: &Ctx, m: &Member, year: FiscalYear) -> Result<()> {
    if !(m.membership.can(Permission::ManageMeasures) || m.membership.can(Permission::ApprovePlans))
    {
        return Err(MeasuresError::Forbidden);
    }
    let plan = cx
        .store
        .plan(m.agency_id(), year)
        .await?
        .ok_or(MeasuresError::NotFound)?;
    if plan.status == PlanStatus::Draft {
        return Ok(());
    }
    cx.store
        .set_plan_status(
            cx.write(&m.actor),
            m.agency_id(),
            plan.id,
            PlanStatus::Draft,
            None,
        )
        .await?;
    crate::search::feed::refresh_after_write(
        cx,
        m.agency_id(),
        crate::search::Source::Measures(year),
    )
    .await;
    Ok(())
}

async fn notify_role(
    cx: &Ctx,
    agency: AgencyId,
    role: Role,
    kind: &str,
    year: FiscalYear,
    message_key: &str,
) -> Result<()> {
    let rows: Vec<NewNotification> = cx
        .store
        .list_members(agency)
        .await?
        .into_iter()
        .filter(|r| r.membership.has_role(role) && !r.account.disabled)
        .map(|r| NewNotification {
            account_id: r.account.id,
            kind: kind.to_owned(),
            message_key: message_key.to_owned(),
            args: vec![("year".into(), year.be().to_string())],
            link: String::new(),
        })
        .collect();
    send(cx, agency, rows).await
}

async fn send(cx: &Ctx, agency: AgencyId, mut rows: Vec<NewNotification>) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    for r in &mut rows {
        if r.link.is_empty() {
            r.link = "measures".into();
        }
    }
    let ids: Vec<NotificationId> = rows
        .iter()
        .map(|_| NotificationId::from_raw(cx.new_id()))
        .collect();
    cx.store
        .notify(agency, &rows, &ids, cx.clock.unix())
        .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Progress

/// The kinds of evidence file accepted.
pub const EVIDENCE_KINDS: &[FileKind] = &[
    FileKind::Pdf,
    FileKind::Docx,
    FileKind::Xlsx,
    FileKind::Png,
    FileKind::Jpeg,
    FileKind::Gif,
    FileKind::Webp,
];

/// Reports progress on an action of the approved plan, with evidence files and links.
pub async fn report_progress(
    cx: &Ctx,
    blobs: &dyn BlobStore,
    m: &Member,
    year: FiscalYear,
    action: ActionId,
    input: &ProgressInput,
    files: &[Upload<'_>],
) -> Result<ProgressId> {
    let plan = cx
        .store
        .plan(m.agency_id(), year)
        .await?
        .ok_or(MeasuresError::NotFound)?;
    let a = action_in(cx, &plan, action).await?;
    if !can_report(m, &a) {
        return Err(MeasuresError::Forbidden);
    }
    if plan.status != PlanStatus::Approved {
        return Err(MeasuresError::NotApproved);
    }
    let parsed = input.parse(cx.clock.today())?;
    if files.len() > 10 {
        return Err(FieldErrors::single("files", ErrorCode::TooLong { max: 10 }).into());
    }
    // Check every file before storing any, so that a refused upload stores nothing.
    for f in files {
        if f.bytes.len() as u64 > f.max_bytes {
            return Err(FieldErrors::single(
                "files",
                ErrorCode::FileTooLarge {
                    max_bytes: f.max_bytes,
                },
            )
            .into());
        }
        if !FileKind::sniff(f.bytes).is_some_and(|k| EVIDENCE_KINDS.contains(&k)) {
            return Err(FieldErrors::single("files", ErrorCode::FileTypeNotAllowed).into());
        }
    }
    let mut evidence = Vec::new();
    for f in files {
        let stored = store_upload(cx, blobs, m, f, EVIDENCE_KINDS, "files")
            .await
            .map_err(|e| match e {
                crate::platform::service::PlatformError::Invalid(fe) => MeasuresError::Invalid(fe),
                crate::platform::service::PlatformError::Store(s) => MeasuresError::Store(s),
                _ => MeasuresError::Forbidden,
            })?;
        evidence.push(Evidence::File {
            file_id: stored.id,
            name: stored.original_name,
        });
    }
    evidence.extend(
        parsed
            .links
            .into_iter()
            .map(|(label, url)| Evidence::Link { url, label }),
    );
    let id = ProgressId::from_raw(cx.new_id());
    let entry = ProgressEntry {
        id,
        agency_id: m.agency_id(),
        action_id: action,
        reported_on: parsed.reported_on,
        status: parsed.status,
        percent: parsed.percent,
        narrative: parsed.narrative,
        author_account_id: Some(m.account.id),
        author_label: m.account.display_name.clone(),
        evidence,
        created_at: cx.clock.unix(),
    };
    cx.store
        .add_progress(cx.write(&m.actor), m.agency_id(), &entry)
        .await?;
    crate::search::feed::refresh_after_write(
        cx,
        m.agency_id(),
        crate::search::Source::Measures(year),
    )
    .await;
    Ok(id)
}

/// Whether a stored evidence file may be shown to the public: it belongs to an approved plan.
pub fn evidence_files(view: &PlanView) -> Vec<FileId> {
    view.progress
        .iter()
        .flat_map(|p| p.evidence.iter())
        .filter_map(|e| match e {
            Evidence::File { file_id, .. } => Some(*file_id),
            Evidence::Link { .. } => None,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Overdue and reminders

/// Open actions of the plan whose period has ended, optionally only one division's.
pub fn overdue(view: &PlanView, today: Date, division: Option<DivisionId>) -> Vec<&Action> {
    view.actions
        .iter()
        .filter(|a| a.status.is_open() && a.due().is_some_and(|d| d < today))
        .filter(|a| division.is_none_or(|d| a.is_responsible(d)))
        .collect()
}

/// How many days before the due date the first reminder goes out.
pub const REMIND_DAYS_BEFORE: i64 = 14;

/// A reminder to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    pub agency_id: AgencyId,
    pub action_id: ActionId,
    pub account_id: AccountId,
    pub email: String,
    /// `measure-due` or `measure-overdue`.
    pub kind: &'static str,
    pub action_number: String,
    pub action_text: String,
    pub due: Date,
}

/// Sends the reminders due today, in the app (and returns them so the caller can e-mail them):
/// once within [`REMIND_DAYS_BEFORE`] days of the due date, then once a week while overdue.
/// Officers of the responsible divisions are reminded; for overdue actions, the agency admins too.
pub async fn run_reminders(cx: &Ctx, today: Date) -> Result<Vec<Reminder>> {
    let year = FiscalYear::of(today);
    let mut out = Vec::new();
    for agency in cx.store.agencies_with_approved_plan(year).await? {
        let view = plan_view(cx, agency, year).await?;
        let members = cx.store.list_members(agency).await?;
        let mut rows = Vec::new();
        for a in view.actions.iter().filter(|a| a.status.is_open()) {
            let Some(due) = a.due() else { continue };
            let days = (due - today).whole_days();
            let (kind, key) = if (0..=REMIND_DAYS_BEFORE).contains(&days) {
                ("measure-due", due)
            } else if days < 0 {
                // One a week: keyed by the first day of the week of lateness.
                let weeks = (-days - 1) / 7;
                ("measure-overdue", due + time::Duration::days(1 + weeks * 7))
            } else {
                continue;
            };
            if !cx.store.mark_reminder(agency, a.id, kind, key).await? {
                continue;
            }
            let number = view.action_number(a);
            for r in members.iter().filter(|r| !r.account.disabled) {
                let officer = r
                    .membership
                    .officer_divisions()
                    .iter()
                    .any(|d| a.is_responsible(*d));
                let admin = kind == "measure-overdue" && r.membership.has_role(Role::AgencyAdmin);
                if !(officer || admin) {
                    continue;
                }
                rows.push(NewNotification {
                    account_id: r.account.id,
                    kind: kind.to_owned(),
                    message_key: format!("measures-notify-{}", kind.trim_start_matches("measure-")),
                    args: vec![
                        ("action".into(), number.clone()),
                        ("text".into(), a.fields.text.chars().take(120).collect()),
                        // As screens show dates: Buddhist Era ("30 เม.ย. 66").
                        (
                            "due".into(),
                            prongsai_thai::format_short(due, prongsai_thai::Digits::Arabic),
                        ),
                    ],
                    link: format!("measures/{}/actions/{}", year.be(), a.id),
                });
                out.push(Reminder {
                    agency_id: agency,
                    action_id: a.id,
                    account_id: r.account.id,
                    email: r.account.email.clone(),
                    kind,
                    action_number: number.clone(),
                    action_text: a.fields.text.clone(),
                    due,
                });
            }
        }
        send(cx, agency, rows).await?;
    }
    Ok(out)
}
