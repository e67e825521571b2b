//! The OIT checklist of an agency's assessed year: the evidence attached to each item (a URL of
//! its own Prongsai portal or elsewhere, or a stored file, with the navigation path the agency
//! publishes), the pre-checks run on it, and each item's review.
//!
//! An item moves draft → submitted → passed or failed (by the assessor, a fail with a comment)
//! → clarified (by the agency, on failed items only) → final (the assessor's second and last
//! verdict). Evidence can be added or removed while the item is a draft or has failed. The
//! agency never reviews itself: [`Permission::ReviewOit`] belongs to the assessor alone.

use std::collections::BTreeMap;

use async_trait::async_trait;
use prongsai_thai::FiscalYear;
use time::Date;

use crate::ctx::{Ctx, Write};
use crate::error::{StoreError, StoreResult};
use crate::ids::{AgencyId, FileId, OitEvidenceId};
use crate::platform::Permission;
use crate::platform::audit::Audited;
use crate::platform::file::{BlobStore, FileKind};
use crate::platform::person::Person;
use crate::platform::service::{Member, PlatformError, Upload, store_upload};
use crate::validate::{ErrorCode, FieldErrors, field};

use super::framework::{self, Framework, OitItem};
use super::score::OitInput;

/// Where an item is in its review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ItemStatus {
    #[default]
    Draft,
    Submitted,
    Passed,
    Failed,
    Clarified,
    Final,
    /// Closed without ever being submitted: a final fail, and its draft evidence stays
    /// unpublished.
    Unsubmitted,
}

impl ItemStatus {
    pub const ALL: [Self; 7] = [
        Self::Draft,
        Self::Submitted,
        Self::Passed,
        Self::Failed,
        Self::Clarified,
        Self::Final,
        Self::Unsubmitted,
    ];

    /// The stored code, also the catalog key suffix (`oit-status-<code>`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Passed => "passed",
            Self::Failed => "failed",
            Self::Clarified => "clarified",
            Self::Final => "final",
            Self::Unsubmitted => "unsubmitted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether the agency may add or remove evidence.
    pub fn evidence_editable(self) -> bool {
        matches!(self, Self::Draft | Self::Failed)
    }

    /// Whether the assessor may give a verdict.
    pub fn reviewable(self) -> bool {
        matches!(self, Self::Submitted | Self::Clarified)
    }

    /// Whether the item and its evidence are on the public table.
    pub fn is_published(self) -> bool {
        !matches!(self, Self::Draft | Self::Unsubmitted)
    }

    /// Whether the year's review has closed on the item (see [`finalise`]).
    pub fn is_closed(self) -> bool {
        matches!(self, Self::Final | Self::Unsubmitted)
    }
}

/// The review state of one item of one year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemState {
    pub agency_id: AgencyId,
    pub fiscal_year: FiscalYear,
    pub code: String,
    pub status: ItemStatus,
    /// The assessor's latest verdict.
    pub verdict: Option<bool>,
    pub review_comment: Option<String>,
    pub clarification: Option<String>,
    pub final_comment: Option<String>,
    /// The name of the assessor who gave the latest verdict.
    pub reviewed_by: Option<String>,
    pub updated_at: i64,
}

impl ItemState {
    pub fn new(agency_id: AgencyId, fiscal_year: FiscalYear, code: &str, at: i64) -> Self {
        Self {
            agency_id,
            fiscal_year,
            code: code.to_owned(),
            status: ItemStatus::Draft,
            verdict: None,
            review_comment: None,
            clarification: None,
            final_comment: None,
            reviewed_by: None,
            updated_at: at,
        }
    }

    /// The verdict the scoring engine reads: the assessor's, once there is one. A clarified
    /// item keeps its fail until the second review.
    pub fn score_verdict(&self) -> Option<bool> {
        match self.status {
            ItemStatus::Draft | ItemStatus::Submitted => None,
            ItemStatus::Passed => Some(true),
            ItemStatus::Failed | ItemStatus::Clarified => Some(false),
            ItemStatus::Final => self.verdict,
            ItemStatus::Unsubmitted => Some(false),
        }
    }
}

impl Audited for ItemState {
    fn audit_fields(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("fiscal_year", Some(self.fiscal_year.be().to_string())),
            ("code", Some(self.code.clone())),
            ("status", Some(self.status.as_str().to_owned())),
            (
                "verdict",
                self.verdict
                    .map(|v| if v { "pass" } else { "fail" }.to_owned()),
            ),
            ("review_comment", self.review_comment.clone()),
            ("clarification", self.clarification.clone()),
            ("final_comment", self.final_comment.clone()),
        ]
    }
}

/// What a piece of evidence points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvidenceTarget {
    /// A path of this Prongsai ("/a/nonhan/") or an http(s) URL.
    Url(String),
    File {
        file_id: FileId,
        name: String,
    },
}

/// One piece of evidence of an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub id: OitEvidenceId,
    pub agency_id: AgencyId,
    pub fiscal_year: FiscalYear,
    pub code: String,
    pub target: EvidenceTarget,
    pub label: String,
    /// "หน้าแรก > ข้อมูลหน่วยงาน > โครงสร้าง"; may be empty for a stored file.
    pub nav_path: String,
    /// The date the evidence bears (a document's date, a page's publication date).
    pub dated_on: Option<Date>,
    pub created_at: i64,
}

impl Audited for Evidence {
    fn audit_fields(&self) -> Vec<(&'static str, Option<String>)> {
        let (url, file) = match &self.target {
            EvidenceTarget::Url(u) => (Some(u.clone()), None),
            EvidenceTarget::File { file_id, .. } => (None, Some(file_id.to_string())),
        };
        vec![
            ("fiscal_year", Some(self.fiscal_year.be().to_string())),
            ("code", Some(self.code.clone())),
            ("url", url),
            ("file", file),
            ("label", Some(self.label.clone())),
            ("nav_path", Some(self.nav_path.clone())),
            ("dated_on", self.dated_on.map(|d| d.to_string())),
        ]
    }
}

/// The evidence form as typed.
#[derive(Debug, Clone, Default)]
pub struct EvidenceInput {
    pub url: String,
    pub label: String,
    pub nav_path: String,
    pub dated_on: String,
}

/// The evidence form, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedEvidence {
    pub url: Option<String>,
    pub label: Option<String>,
    pub nav_path: String,
    pub dated_on: Option<Date>,
}

/// The longest URL or path accepted.
pub const MAX_URL: usize = 1000;

/// A URL of evidence: a path of this Prongsai ("/a/nonhan/measures/2567"), or an http(s) URL.
pub fn evidence_url(raw: &str) -> Result<Option<String>, ErrorCode> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v.chars().count() > MAX_URL {
        return Err(ErrorCode::TooLong { max: MAX_URL });
    }
    if v.starts_with('/') {
        let bad = v.starts_with("//")
            || v.starts_with("/\\")
            || v.chars().any(|c| {
                c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\')
            });
        return if bad {
            Err(ErrorCode::InvalidUrl)
        } else {
            Ok(Some(v.to_owned()))
        };
    }
    let rest = v
        .strip_prefix("https://")
        .or_else(|| v.strip_prefix("http://"))
        .ok_or(ErrorCode::InvalidUrl)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_ok = !host.is_empty()
        && (host.contains('.') || host.starts_with("localhost"))
        && !host.starts_with('.')
        && !host.contains('@');
    if !host_ok
        || v.chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>'))
    {
        return Err(ErrorCode::InvalidUrl);
    }
    Ok(Some(v.to_owned()))
}

impl EvidenceInput {
    /// Parses the form; `has_file` tells whether a file came with it (then the URL may be
    /// empty, and so may the navigation path).
    pub fn parse(&self, has_file: bool) -> Result<ParsedEvidence, FieldErrors> {
        let mut e = FieldErrors::new();
        let url = e.take("url", evidence_url(&self.url)).flatten();
        if url.is_none() && !has_file && e.get("url").is_none() {
            e.add("url", ErrorCode::Required);
        }
        let label = e.take("label", field::optional(&self.label, 300)).flatten();
        let nav_path = if url.is_some() {
            e.take("nav_path", field::required(&self.nav_path, 300))
        } else {
            e.take("nav_path", field::optional(&self.nav_path, 300))
                .map(Option::unwrap_or_default)
        };
        let dated_on = if self.dated_on.trim().is_empty() {
            None
        } else {
            e.take(
                "dated_on",
                prongsai_thai::parse_date(self.dated_on.trim()).map_err(|_| ErrorCode::InvalidDate),
            )
        };
        e.into_result(|| ParsedEvidence {
            url,
            label,
            nav_path: nav_path.unwrap_or_default(),
            dated_on,
        })
    }
}

/// The assessor's verdict as typed: `pass` or `fail`, and a comment (required for a fail).
#[derive(Debug, Clone, Default)]
pub struct ReviewInput {
    pub verdict: String,
    pub comment: String,
}

impl ReviewInput {
    pub fn parse(&self) -> Result<(bool, Option<String>), FieldErrors> {
        let mut e = FieldErrors::new();
        let verdict = match self.verdict.trim() {
            "pass" => Some(true),
            "fail" => Some(false),
            "" => {
                e.add("verdict", ErrorCode::Required);
                None
            }
            _ => {
                e.add("verdict", ErrorCode::InvalidChoice);
                None
            }
        };
        let comment = e
            .take("comment", field::optional_multiline(&self.comment, 2000))
            .flatten();
        if verdict == Some(false) && comment.is_none() && e.get("comment").is_none() {
            e.add("comment", ErrorCode::Required);
        }
        match verdict {
            Some(v) if e.is_empty() => Ok((v, comment)),
            _ => Err(e),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Pre-checks

/// How a pre-check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    Warn,
    Fail,
    NotChecked,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Warn => "warn",
            Self::Fail => "fail",
            Self::NotChecked => "not-checked",
        }
    }
}

/// One pre-check of one piece of evidence: the outcome, the message (`oit-check-<key>`) and
/// its argument, and for a page's parts, what each person lacks (`name`, `position`, `photo`,
/// `contact`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub outcome: Outcome,
    pub key: &'static str,
    pub arg: String,
    pub gaps: Vec<(String, Vec<&'static str>)>,
    /// A date the message names (shown as the screen writes dates).
    pub date: Option<Date>,
}

impl Check {
    pub fn new(outcome: Outcome, key: &'static str) -> Self {
        Self::with(outcome, key, String::new())
    }

    pub fn with(outcome: Outcome, key: &'static str, arg: impl Into<String>) -> Self {
        Self {
            outcome,
            key,
            arg: arg.into(),
            gaps: Vec::new(),
            date: None,
        }
    }
}

/// Where a URL of evidence leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place<'a> {
    /// A page of this Prongsai, by its path.
    Own(&'a str),
    External(&'a str),
}

/// Tells a page of this Prongsai (a path, or a URL under the configured public URL) from an
/// external one.
pub fn classify<'a>(url: &'a str, public_url: Option<&str>) -> Place<'a> {
    if url.starts_with('/') {
        return Place::Own(url);
    }
    if let Some(base) = public_url.map(|b| b.trim_end_matches('/'))
        && !base.is_empty()
        && let Some(rest) = url.strip_prefix(base)
        && (rest.is_empty() || rest.starts_with('/'))
    {
        return Place::Own(if rest.is_empty() { "/" } else { rest });
    }
    Place::External(url)
}

/// The fiscal year a Prongsai path is about, where it names one: `/a/x/measures/2567`,
/// `/a/x/ita/2567`.
pub fn year_in_path(path: &str) -> Option<i32> {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let segments: Vec<&str> = path.split('/').collect();
    segments.windows(2).find_map(|w| {
        matches!(w[0], "measures" | "ita")
            .then(|| w[1].parse::<i32>().ok())
            .flatten()
            .filter(|y| (2500..=2700).contains(y))
    })
}

/// Whether the evidence is dated in the assessed fiscal year: by the date it bears, or else by
/// the year its Prongsai path names.
pub fn date_check(year: FiscalYear, dated_on: Option<Date>, own_path: Option<&str>) -> Check {
    let fy = year.be().to_string();
    match (dated_on, own_path.and_then(year_in_path)) {
        (Some(d), _) if year.contains(d) => Check::with(Outcome::Pass, "dated-in-year", fy),
        (Some(d), _) => Check {
            date: Some(d),
            ..Check::with(Outcome::Fail, "dated-outside-year", d.to_string())
        },
        (None, Some(y)) if y == year.be() => Check::with(Outcome::Pass, "page-of-year", fy),
        (None, Some(y)) => Check::with(Outcome::Fail, "page-of-other-year", y.to_string()),
        (None, None) => Check::new(Outcome::Warn, "undated"),
    }
}

/// Whether a path is the agency's home page, where the executives are shown.
pub fn is_home_path(path: &str, slug: &str) -> bool {
    let p = path.split(['?', '#']).next().unwrap_or("");
    p == format!("/a/{slug}") || p == format!("/a/{slug}/")
}

/// What is missing of each executive on the home page (name, position, photo, contact).
pub fn executives_check(people: &[Person]) -> Check {
    let executives: Vec<&Person> = people
        .iter()
        .filter(|p| p.fields.executive.is_some())
        .collect();
    if executives.is_empty() {
        return Check::new(Outcome::Fail, "no-executives");
    }
    let gaps: Vec<(String, Vec<&'static str>)> = executives
        .iter()
        .filter_map(|p| {
            let mut missing = Vec::new();
            if p.fields.name.trim().is_empty() {
                missing.push("name");
            }
            if p.fields.position.trim().is_empty() {
                missing.push("position");
            }
            if p.photo.is_none() {
                missing.push("photo");
            }
            if p.fields.phone.is_none() && p.fields.email.is_none() {
                missing.push("contact");
            }
            (!missing.is_empty()).then(|| (p.fields.name.clone(), missing))
        })
        .collect();
    if gaps.is_empty() {
        Check::with(
            Outcome::Pass,
            "executives-complete",
            executives.len().to_string(),
        )
    } else {
        Check {
            gaps,
            ..Check::new(Outcome::Fail, "executives-incomplete")
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The store

#[async_trait]
pub trait OitStore: Send + Sync {
    /// The items of a year that have a state (items never touched are drafts).
    async fn oit_items(&self, agency: AgencyId, year: FiscalYear) -> StoreResult<Vec<ItemState>>;
    /// The scoring verdict of every reviewed item of every agency in a year:
    /// (agency, item code, passed), in one pass (see [`ItemState::score_verdict`]).
    async fn year_verdicts(&self, year: FiscalYear) -> StoreResult<Vec<(AgencyId, String, bool)>>;
    /// The evidence of a year, oldest first, with the names of stored files.
    async fn oit_evidence(&self, agency: AgencyId, year: FiscalYear) -> StoreResult<Vec<Evidence>>;
    /// Adds evidence; the item's row is created as a draft if it has none.
    async fn add_oit_evidence(&self, w: Write<'_>, e: &Evidence) -> StoreResult<()>;
    /// Removes one piece of evidence of an item; `NotFound` if the item has no such evidence.
    async fn remove_oit_evidence(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        year: FiscalYear,
        code: &str,
        id: OitEvidenceId,
    ) -> StoreResult<()>;
    /// Moves items, each from its status `from` to the given state, in one transaction;
    /// `Conflict` (and nothing moved) when one is no longer in its `from` (someone else moved it
    /// first). `action` names the step in the audit log, one entry per item.
    async fn set_oit_items(
        &self,
        w: Write<'_>,
        moves: &[(ItemState, ItemStatus)],
        action: &'static str,
    ) -> StoreResult<()>;
}

// ---------------------------------------------------------------------------------------------
// Services

/// What an OIT service can fail with.
#[derive(Debug, thiserror::Error)]
pub enum OitError {
    #[error("not allowed")]
    Forbidden,
    /// No framework for the year, no such item, no such evidence.
    #[error("not found")]
    NotFound,
    /// The input, or the step, was refused; nothing was written.
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for OitError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            other => Self::Store(other),
        }
    }
}

impl From<FieldErrors> for OitError {
    fn from(e: FieldErrors) -> Self {
        Self::Invalid(e)
    }
}

impl From<PlatformError> for OitError {
    fn from(e: PlatformError) -> Self {
        match e {
            PlatformError::Forbidden => Self::Forbidden,
            PlatformError::NotFound => Self::NotFound,
            PlatformError::Invalid(f) => Self::Invalid(f),
            PlatformError::Store(s) => Self::Store(s),
        }
    }
}

type Result<T, E = OitError> = std::result::Result<T, E>;

fn require(m: &Member, p: Permission) -> Result<()> {
    m.require(p).map_err(OitError::from)
}

/// The kinds of evidence file accepted.
pub const EVIDENCE_KINDS: &[FileKind] = crate::measures::service::EVIDENCE_KINDS;

/// The most evidence one item may have.
pub const MAX_EVIDENCE: usize = 20;

/// An agency's OIT checklist of one year: the framework's items with their state and evidence.
#[derive(Debug, Clone)]
pub struct OitYear {
    pub framework: Framework,
    pub year: FiscalYear,
    pub states: BTreeMap<String, ItemState>,
    pub evidence: Vec<Evidence>,
}

impl OitYear {
    pub fn item(&self, code: &str) -> Option<&OitItem> {
        self.framework.oit_items.iter().find(|i| i.code == code)
    }

    pub fn status(&self, code: &str) -> ItemStatus {
        self.states.get(code).map(|s| s.status).unwrap_or_default()
    }

    pub fn evidence_of(&self, code: &str) -> Vec<&Evidence> {
        self.evidence.iter().filter(|e| e.code == code).collect()
    }

    /// The verdicts, in the scoring engine's shape: item code → passed, for the items the
    /// assessor has reviewed.
    pub fn verdicts(&self) -> BTreeMap<String, bool> {
        self.framework
            .oit_items
            .iter()
            .filter_map(|i| {
                self.states
                    .get(&i.code)
                    .and_then(ItemState::score_verdict)
                    .map(|v| (i.code.clone(), v))
            })
            .collect()
    }

    /// How many items are in each status, in [`ItemStatus::ALL`] order.
    pub fn counts(&self) -> Vec<(ItemStatus, usize)> {
        ItemStatus::ALL
            .iter()
            .map(|s| {
                (
                    *s,
                    self.framework
                        .oit_items
                        .iter()
                        .filter(|i| self.status(&i.code) == *s)
                        .count(),
                )
            })
            .collect()
    }
}

/// The checklist of a year; `NotFound` when no framework ships for it.
pub async fn oit_year(cx: &Ctx, agency: AgencyId, year: FiscalYear) -> Result<OitYear> {
    let framework = framework::built_in(year.be())
        .ok_or(OitError::NotFound)?
        .map_err(|e| OitError::Store(StoreError::other(e)))?;
    let states = cx
        .store
        .oit_items(agency, year)
        .await?
        .into_iter()
        .map(|s| (s.code.clone(), s))
        .collect();
    let evidence = cx.store.oit_evidence(agency, year).await?;
    Ok(OitYear {
        framework,
        year,
        states,
        evidence,
    })
}

/// The OIT input of the scoring engine from the live verdicts of an agency's year: the items
/// reviewed so far; those not reviewed are missing, so the engine labels the result partial.
pub async fn score_input(cx: &Ctx, agency: AgencyId, year: FiscalYear) -> Result<OitInput> {
    let y = oit_year(cx, agency, year).await?;
    Ok(OitInput {
        items: Some(y.verdicts()),
        indicators: None,
    })
}

async fn item_state(
    cx: &Ctx,
    m: &Member,
    year: FiscalYear,
    code: &str,
) -> Result<(OitYear, ItemState)> {
    let y = oit_year(cx, m.agency_id(), year).await?;
    if y.item(code).is_none() {
        return Err(OitError::NotFound);
    }
    let state = y
        .states
        .get(code)
        .cloned()
        .unwrap_or_else(|| ItemState::new(m.agency_id(), year, code, cx.clock.unix()));
    Ok((y, state))
}

/// Attaches evidence to an item: a URL, or files (each checked for size and type from its
/// content before any is stored), or both.
pub async fn add_evidence(
    cx: &Ctx,
    blobs: &dyn BlobStore,
    m: &Member,
    year: FiscalYear,
    code: &str,
    input: &EvidenceInput,
    files: &[Upload<'_>],
) -> Result<()> {
    require(m, Permission::ManageOit)?;
    let (y, state) = item_state(cx, m, year, code).await?;
    if !state.status.evidence_editable() {
        return Err(FieldErrors::single("url", ErrorCode::OitLocked).into());
    }
    let files: Vec<&Upload<'_>> = files.iter().filter(|f| !f.bytes.is_empty()).collect();
    let parsed = input.parse(!files.is_empty())?;
    let count = usize::from(parsed.url.is_some()) + files.len();
    if y.evidence_of(code).len() + count > MAX_EVIDENCE {
        return Err(FieldErrors::single("url", ErrorCode::TooLong { max: MAX_EVIDENCE }).into());
    }
    for f in &files {
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
    let now = cx.clock.unix();
    let name = y.item(code).map(|i| i.name_th.clone()).unwrap_or_default();
    let mut new = Vec::new();
    if let Some(url) = &parsed.url {
        new.push((
            EvidenceTarget::Url(url.clone()),
            parsed.label.clone().unwrap_or_else(|| name.clone()),
        ));
    }
    for f in files {
        let stored = store_upload(cx, blobs, m, f, EVIDENCE_KINDS, "files").await?;
        let label = parsed
            .label
            .clone()
            .unwrap_or_else(|| stored.original_name.clone());
        new.push((
            EvidenceTarget::File {
                file_id: stored.id,
                name: stored.original_name,
            },
            label,
        ));
    }
    for (target, label) in new {
        let e = Evidence {
            id: OitEvidenceId::from_raw(cx.new_id()),
            agency_id: m.agency_id(),
            fiscal_year: year,
            code: code.to_owned(),
            target,
            label,
            nav_path: parsed.nav_path.clone(),
            dated_on: parsed.dated_on,
            created_at: now,
        };
        // The item was submitted meanwhile: refused like any change to locked evidence.
        match cx.store.add_oit_evidence(cx.write(&m.actor), &e).await {
            Err(StoreError::Conflict) => {
                return Err(FieldErrors::single("url", ErrorCode::OitLocked).into());
            }
            other => other?,
        }
    }
    let source = crate::search::Source::Oit(year);
    crate::search::feed::refresh_after_write(cx, m.agency_id(), source).await;
    Ok(())
}

/// Removes a piece of evidence from an item that is a draft or has failed.
pub async fn remove_evidence(
    cx: &Ctx,
    m: &Member,
    year: FiscalYear,
    code: &str,
    id: OitEvidenceId,
) -> Result<()> {
    require(m, Permission::ManageOit)?;
    let (_, state) = item_state(cx, m, year, code).await?;
    if !state.status.evidence_editable() {
        return Err(FieldErrors::single("evidence", ErrorCode::OitLocked).into());
    }
    match cx
        .store
        .remove_oit_evidence(cx.write(&m.actor), m.agency_id(), year, code, id)
        .await
    {
        Err(StoreError::Conflict) => {
            Err(FieldErrors::single("evidence", ErrorCode::OitLocked).into())
        }
        other => {
            other?;
            let source = crate::search::Source::Oit(year);
            crate::search::feed::refresh_after_write(cx, m.agency_id(), source).await;
            Ok(())
        }
    }
}

/// Moves an item one step; when someone else moved it first, the step is refused with `refused`
/// on `field`, as if it had been seen in its new state.
async fn step(
    cx: &Ctx,
    m: &Member,
    next: &ItemState,
    from: ItemStatus,
    action: &'static str,
    (field, refused): (&'static str, ErrorCode),
) -> Result<()> {
    match cx
        .store
        .set_oit_items(cx.write(&m.actor), &[(next.clone(), from)], action)
        .await
    {
        Err(StoreError::Conflict) => Err(FieldErrors::single(field, refused).into()),
        other => {
            other?;
            let source = crate::search::Source::Oit(next.fiscal_year);
            crate::search::feed::refresh_after_write(cx, next.agency_id, source).await;
            Ok(())
        }
    }
}

/// Submits a draft item, with at least one piece of evidence, for review.
pub async fn submit(cx: &Ctx, m: &Member, year: FiscalYear, code: &str) -> Result<()> {
    require(m, Permission::ManageOit)?;
    let (y, state) = item_state(cx, m, year, code).await?;
    if state.status != ItemStatus::Draft {
        return Err(FieldErrors::single("status", ErrorCode::OitLocked).into());
    }
    if y.evidence_of(code).is_empty() {
        return Err(FieldErrors::single("status", ErrorCode::OitNoEvidence).into());
    }
    let next = ItemState {
        status: ItemStatus::Submitted,
        updated_at: cx.clock.unix(),
        ..state
    };
    step(
        cx,
        m,
        &next,
        ItemStatus::Draft,
        "submit",
        ("status", ErrorCode::OitLocked),
    )
    .await
}

/// The assessor's verdict on a submitted item (→ passed or failed), or on a clarified one
/// (→ final). A fail needs a comment.
pub async fn review(
    cx: &Ctx,
    m: &Member,
    year: FiscalYear,
    code: &str,
    input: &ReviewInput,
) -> Result<()> {
    require(m, Permission::ReviewOit)?;
    let (_, state) = item_state(cx, m, year, code).await?;
    let (verdict, comment) = input.parse()?;
    if !state.status.reviewable() {
        return Err(FieldErrors::single("verdict", ErrorCode::OitNotSubmitted).into());
    }
    let from = state.status;
    let mut next = ItemState {
        verdict: Some(verdict),
        reviewed_by: Some(m.display_name().to_owned()),
        updated_at: cx.clock.unix(),
        ..state
    };
    if from == ItemStatus::Clarified {
        next.status = ItemStatus::Final;
        next.final_comment = comment;
    } else {
        next.status = if verdict {
            ItemStatus::Passed
        } else {
            ItemStatus::Failed
        };
        next.review_comment = comment;
    }
    step(
        cx,
        m,
        &next,
        from,
        "review",
        ("verdict", ErrorCode::OitNotSubmitted),
    )
    .await
}

/// The agency's clarification of a failed item (more evidence may be added first); the item goes
/// back to the assessor for the final verdict.
pub async fn clarify(cx: &Ctx, m: &Member, year: FiscalYear, code: &str, text: &str) -> Result<()> {
    require(m, Permission::ManageOit)?;
    let (_, state) = item_state(cx, m, year, code).await?;
    let text = field::optional_multiline(text, 2000)
        .map_err(|c| FieldErrors::single("clarification", c))?
        .ok_or_else(|| FieldErrors::single("clarification", ErrorCode::Required))?;
    if state.status != ItemStatus::Failed {
        return Err(FieldErrors::single("clarification", ErrorCode::OitNotFailed).into());
    }
    let next = ItemState {
        status: ItemStatus::Clarified,
        clarification: Some(text),
        updated_at: cx.clock.unix(),
        ..state
    };
    step(
        cx,
        m,
        &next,
        ItemStatus::Failed,
        "clarify",
        ("clarification", ErrorCode::OitNotFailed),
    )
    .await
}

/// Closes the review of a year (the assessor, once the clarification period is over): every
/// passed item becomes final with its pass, every failed one final with its fail, and every item
/// never submitted [`ItemStatus::Unsubmitted`] (a fail, its draft evidence unpublished). Refused while an item still awaits a verdict (submitted or
/// clarified). All items move in one transaction; returns how many moved.
pub async fn finalise(cx: &Ctx, m: &Member, year: FiscalYear) -> Result<usize> {
    require(m, Permission::ReviewOit)?;
    let y = oit_year(cx, m.agency_id(), year).await?;
    let waiting = y
        .framework
        .oit_items
        .iter()
        .filter(|i| y.status(&i.code).reviewable())
        .count();
    if waiting > 0 {
        return Err(FieldErrors::single(
            "finalise",
            ErrorCode::OitAwaitingVerdict { count: waiting },
        )
        .into());
    }
    let at = cx.clock.unix();
    let moves: Vec<(ItemState, ItemStatus)> = y
        .framework
        .oit_items
        .iter()
        .filter_map(|i| {
            let state = y
                .states
                .get(&i.code)
                .cloned()
                .unwrap_or_else(|| ItemState::new(m.agency_id(), year, &i.code, at));
            let from = state.status;
            let (status, verdict) = match from {
                _ if from.is_closed() => return None,
                ItemStatus::Draft => (ItemStatus::Unsubmitted, false),
                ItemStatus::Passed => (ItemStatus::Final, true),
                _ => (ItemStatus::Final, false),
            };
            let next = ItemState {
                status,
                verdict: Some(verdict),
                reviewed_by: Some(m.display_name().to_owned()),
                updated_at: at,
                ..state
            };
            Some((next, from))
        })
        .collect();
    if moves.is_empty() {
        return Ok(0);
    }
    match cx
        .store
        .set_oit_items(cx.write(&m.actor), &moves, "finalise")
        .await
    {
        Err(StoreError::Conflict) => {
            Err(FieldErrors::single("finalise", ErrorCode::OitAwaitingVerdict { count: 1 }).into())
        }
        other => {
            other?;
            Ok(moves.len())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::PersonId;
    use crate::platform::ExecutiveSide;
    use crate::platform::person::PersonFields;
    use time::macros::date;

    #[test]
    fn evidence_urls_are_own_paths_or_http_urls() {
        let cases: &[(&str, Result<Option<&str>, ErrorCode>)] = &[
            ("", Ok(None)),
            ("  ", Ok(None)),
            ("/a/nonhan/", Ok(Some("/a/nonhan/"))),
            (
                " /a/nonhan/measures/2567 ",
                Ok(Some("/a/nonhan/measures/2567")),
            ),
            (
                "https://www.nonhan.go.th/ita",
                Ok(Some("https://www.nonhan.go.th/ita")),
            ),
            ("http://nonhan.go.th", Ok(Some("http://nonhan.go.th"))),
            ("//evil.example/x", Err(ErrorCode::InvalidUrl)),
            ("/a/x y", Err(ErrorCode::InvalidUrl)),
            ("javascript:alert(1)", Err(ErrorCode::InvalidUrl)),
            ("www.nonhan.go.th", Err(ErrorCode::InvalidUrl)),
            ("https://", Err(ErrorCode::InvalidUrl)),
            ("https://user@evil.example", Err(ErrorCode::InvalidUrl)),
            (
                "https://nonhan.go.th/\"><script>",
                Err(ErrorCode::InvalidUrl),
            ),
        ];
        for (raw, expected) in cases {
            assert_eq!(
                evidence_url(raw),
                expected.clone().map(|o| o.map(str::to_owned)),
                "{raw:?}"
            );
        }
        assert_eq!(
            evidence_url(&format!("/{}", "a".repeat(MAX_URL))),
            Err(ErrorCode::TooLong { max: MAX_URL })
        );
    }

    #[test]
    fn the_evidence_form_needs_a_url_or_a_file_and_a_path_for_a_url() {
        let codes = |i: &EvidenceInput, file: bool| -> Vec<(&'static str, ErrorCode)> {
            i.parse(file)
                .err()
                .map(|e| e.0.into_iter().map(|f| (f.field, f.code)).collect())
                .unwrap_or_default()
        };
        let empty = EvidenceInput::default();
        assert_eq!(codes(&empty, false), [("url", ErrorCode::Required)]);
        assert!(codes(&empty, true).is_empty(), "a file alone is enough");
        let no_path = EvidenceInput {
            url: "/a/nonhan/".into(),
            ..EvidenceInput::default()
        };
        assert_eq!(codes(&no_path, false), [("nav_path", ErrorCode::Required)]);
        let bad = EvidenceInput {
            url: "nonhan".into(),
            nav_path: "หน้าแรก".into(),
            dated_on: "32/13/2566".into(),
            ..EvidenceInput::default()
        };
        assert_eq!(
            codes(&bad, false),
            [
                ("url", ErrorCode::InvalidUrl),
                ("dated_on", ErrorCode::InvalidDate)
            ]
        );
        let good = EvidenceInput {
            url: "/a/nonhan/".into(),
            nav_path: " หน้าแรก  >  ผู้บริหาร ".into(),
            dated_on: "1 ต.ค. 2566".into(),
            label: String::new(),
        };
        let p = good.parse(false).unwrap();
        assert_eq!(p.nav_path, "หน้าแรก > ผู้บริหาร");
        assert_eq!(p.dated_on, Some(date!(2023 - 10 - 01)));
        assert_eq!(p.label, None);
    }

    #[test]
    fn a_fail_needs_a_comment_and_a_verdict_is_pass_or_fail() {
        let r = |v: &str, c: &str| {
            ReviewInput {
                verdict: v.into(),
                comment: c.into(),
            }
            .parse()
            .map_err(|e| {
                e.0.into_iter()
                    .map(|f| (f.field, f.code))
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(r("pass", ""), Ok((true, None)));
        assert_eq!(
            r("fail", " ไม่มีรูปถ่าย "),
            Ok((false, Some("ไม่มีรูปถ่าย".into())))
        );
        assert_eq!(r("fail", "  "), Err(vec![("comment", ErrorCode::Required)]));
        assert_eq!(r("", ""), Err(vec![("verdict", ErrorCode::Required)]));
        assert_eq!(
            r("maybe", ""),
            Err(vec![("verdict", ErrorCode::InvalidChoice)])
        );
    }

    #[test]
    fn evidence_is_dated_in_the_assessed_fiscal_year() {
        let fy = FiscalYear::new(2566).unwrap();
        let check = |d: Option<Date>, p: Option<&str>| {
            let c = date_check(fy, d, p);
            (c.outcome, c.key)
        };
        assert_eq!(
            check(Some(date!(2022 - 10 - 01)), None),
            (Outcome::Pass, "dated-in-year")
        );
        assert_eq!(
            check(Some(date!(2023 - 09 - 30)), None),
            (Outcome::Pass, "dated-in-year")
        );
        assert_eq!(
            check(Some(date!(2022 - 09 - 30)), None),
            (Outcome::Fail, "dated-outside-year")
        );
        assert_eq!(
            check(Some(date!(2023 - 10 - 01)), None),
            (Outcome::Fail, "dated-outside-year")
        );
        assert_eq!(
            check(None, Some("/a/nonhan/measures/2566")),
            (Outcome::Pass, "page-of-year")
        );
        assert_eq!(
            check(None, Some("/a/nonhan/ita/2565?x")),
            (Outcome::Fail, "page-of-other-year")
        );
        assert_eq!(check(None, Some("/a/nonhan/")), (Outcome::Warn, "undated"));
        assert_eq!(check(None, None), (Outcome::Warn, "undated"));
        // A date given wins over the year of the path.
        assert_eq!(
            check(Some(date!(2023 - 01 - 05)), Some("/a/nonhan/measures/2565")),
            (Outcome::Pass, "dated-in-year")
        );
    }

    #[test]
    fn own_pages_are_paths_or_under_the_public_url() {
        let base = Some("https://ita.example.go.th/");
        assert_eq!(classify("/a/x/", base), Place::Own("/a/x/"));
        assert_eq!(
            classify("https://ita.example.go.th/a/x/", base),
            Place::Own("/a/x/")
        );
        assert_eq!(classify("https://ita.example.go.th", base), Place::Own("/"));
        assert_eq!(
            classify("https://ita.example.go.th.evil.example/a/x/", base),
            Place::External("https://ita.example.go.th.evil.example/a/x/")
        );
        assert_eq!(
            classify("https://x.go.th/", None),
            Place::External("https://x.go.th/")
        );
        assert!(is_home_path("/a/nonhan/", "nonhan") && is_home_path("/a/nonhan", "nonhan"));
        assert!(!is_home_path("/a/nonhan/measures", "nonhan"));
    }

    #[test]
    fn every_executive_needs_a_name_position_photo_and_contact() {
        let person =
            |name: &str, exec: Option<ExecutiveSide>, photo: bool, phone: Option<&str>| Person {
                id: PersonId::from_raw(1),
                agency_id: AgencyId::from_raw(1),
                fields: PersonFields {
                    name: name.into(),
                    position: "นายก".into(),
                    division_id: None,
                    executive: exec,
                    is_division_head: false,
                    phone: phone.map(str::to_owned),
                    email: None,
                    sort_order: 0,
                },
                photo: photo.then(|| FileId::from_raw(9)),
            };
        let staff = person("นายพนักงาน", None, false, None);
        assert_eq!(
            executives_check(std::slice::from_ref(&staff)).key,
            "no-executives"
        );
        let full = person("นายก", Some(ExecutiveSide::Political), true, Some("043"));
        let c = executives_check(&[full.clone(), staff.clone()]);
        assert_eq!(
            (c.outcome, c.key, c.arg.as_str()),
            (Outcome::Pass, "executives-complete", "1")
        );
        let gap = person("ปลัด", Some(ExecutiveSide::Permanent), false, None);
        let c = executives_check(&[full, gap, staff]);
        assert_eq!(c.outcome, Outcome::Fail);
        assert_eq!(c.gaps, [("ปลัด".to_owned(), vec!["photo", "contact"])]);
    }

    #[test]
    fn verdicts_follow_the_review() {
        let fy = FiscalYear::new(2567).unwrap();
        let a = AgencyId::from_raw(1);
        let at = |s: ItemStatus, v: Option<bool>| ItemState {
            status: s,
            verdict: v,
            ..ItemState::new(a, fy, "O1", 0)
        };
        assert_eq!(at(ItemStatus::Draft, None).score_verdict(), None);
        assert_eq!(at(ItemStatus::Submitted, None).score_verdict(), None);
        assert_eq!(
            at(ItemStatus::Passed, Some(true)).score_verdict(),
            Some(true)
        );
        assert_eq!(
            at(ItemStatus::Failed, Some(false)).score_verdict(),
            Some(false)
        );
        assert_eq!(
            at(ItemStatus::Clarified, Some(false)).score_verdict(),
            Some(false)
        );
        assert_eq!(
            at(ItemStatus::Final, Some(true)).score_verdict(),
            Some(true)
        );
        assert!(ItemStatus::Draft.evidence_editable() && ItemStatus::Failed.evidence_editable());
        assert!(
            !ItemStatus::Submitted.evidence_editable() && !ItemStatus::Final.evidence_editable()
        );
        assert!(ItemStatus::Submitted.reviewable() && ItemStatus::Clarified.reviewable());
        assert!(!ItemStatus::Passed.reviewable() && !ItemStatus::Failed.reviewable());
        for s in ItemStatus::ALL {
            assert_eq!(ItemStatus::parse(s.as_str()), Some(s));
        }
    }
}
