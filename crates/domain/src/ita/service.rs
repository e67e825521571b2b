//! ITA services: which framework a fiscal year uses, and the operator's copies of frameworks.
//!
//! Frameworks are national data: the edited copies belong to the platform, not to an agency,
//! and every change is audited on the platform chain. A year uses its edited copy when the
//! database has one, else the file that ships with Prongsai ([`framework::built_in`]).
//! Everything that reads a framework (scores, the simulator, the surveys, the OIT checklist)
//! asks [`framework`] for it.

use async_trait::async_trait;

use super::edit::{self, EditRefused};
use super::framework::{self, Framework, FrameworkError};
use crate::ctx::{Ctx, Write};
use crate::error::{StoreError, StoreResult};
use crate::ids::AgencyId;
use crate::platform::Actor;
use crate::platform::account::Account;
use crate::platform::audit::{AuditEntry, AuditFilter, Change, PLATFORM_CHAIN};

/// An edited framework as stored: the TOML text (the format of the shipped files) and who
/// saved it last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFramework {
    pub fiscal_year: i32,
    pub text: String,
    /// 1 for the first save, one more at every save.
    pub version: i64,
    /// The year whose framework it was copied from.
    pub based_on: i32,
    pub updated_at: i64,
    /// The label of the account that saved it last.
    pub updated_by: String,
}

#[async_trait]
pub trait FrameworkStore: Send + Sync {
    /// The edited framework of a year, if there is one.
    async fn stored_framework(&self, fiscal_year: i32) -> StoreResult<Option<StoredFramework>>;
    /// Every edited framework, oldest year first.
    async fn stored_frameworks(&self) -> StoreResult<Vec<StoredFramework>>;
    /// Saves the framework of a year if its stored version is still `expected` (0: none is
    /// stored yet), with the audit entry of `changes`; returns the new version.
    /// `StoreError::Conflict` if someone else saved it in between.
    async fn save_framework(
        &self,
        w: Write<'_>,
        fiscal_year: i32,
        expected: i64,
        text: &str,
        based_on: i32,
        changes: Vec<Change>,
    ) -> StoreResult<i64>;
}

/// Why a framework could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FrameworkLoadError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored or shipped file that no longer validates (a bug or a manual change).
    #[error(transparent)]
    Invalid(#[from] FrameworkError),
}

/// Where a year's framework comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The file that ships with Prongsai.
    Shipped,
    /// The operator's copy in the database.
    Edited {
        version: i64,
        based_on: i32,
        updated_at: i64,
        updated_by: String,
    },
}

/// A year's framework with its text and where it comes from.
#[derive(Debug, Clone)]
pub struct EffectiveFramework {
    pub framework: Framework,
    /// The TOML text, as `prongsai ita score --framework FILE` reads it.
    pub text: String,
    pub origin: Origin,
}

impl EffectiveFramework {
    /// The stored version, 0 for the shipped file.
    pub fn version(&self) -> i64 {
        match &self.origin {
            Origin::Shipped => 0,
            Origin::Edited { version, .. } => *version,
        }
    }

    /// The file name it is known by in messages and downloads.
    pub fn file_name(&self) -> String {
        file_name(self.framework.fiscal_year)
    }
}

fn file_name(year: i32) -> String {
    format!("ita-{year}.toml")
}

/// The framework a fiscal year (Buddhist Era) uses: the operator's edited copy if there is one,
/// else the file that ships with Prongsai; `None` if the year has neither.
pub async fn framework(
    cx: &Ctx,
    fiscal_year: i32,
) -> Result<Option<Framework>, FrameworkLoadError> {
    Ok(effective(cx, fiscal_year).await?.map(|e| e.framework))
}

/// Like [`framework`], with the text and where it comes from.
pub async fn effective(
    cx: &Ctx,
    fiscal_year: i32,
) -> Result<Option<EffectiveFramework>, FrameworkLoadError> {
    if let Some(s) = cx.store.stored_framework(fiscal_year).await? {
        let framework = parsed(fiscal_year, s.version, &s.text)?;
        return Ok(Some(EffectiveFramework {
            framework,
            text: s.text,
            origin: Origin::Edited {
                version: s.version,
                based_on: s.based_on,
                updated_at: s.updated_at,
                updated_by: s.updated_by,
            },
        }));
    }
    let Some((_, text)) = framework::BUILT_IN.iter().find(|(y, _)| *y == fiscal_year) else {
        return Ok(None);
    };
    Ok(Some(EffectiveFramework {
        framework: parsed(fiscal_year, 0, text)?,
        text: (*text).to_owned(),
        origin: Origin::Shipped,
    }))
}

/// Parses a framework text once per (year, version, text): surveys read the framework on every
/// answer, and a framework is a thousand lines of TOML. Version 0 is the shipped file.
fn parsed(fiscal_year: i32, version: i64, text: &str) -> Result<Framework, FrameworkError> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    type Cache = Mutex<HashMap<(i32, i64), (String, Framework)>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Cache::default);
    if let Some((t, f)) = cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&(fiscal_year, version))
        && t == text
    {
        return Ok(f.clone());
    }
    let name = if version == 0 {
        format!("frameworks/ita-{fiscal_year}.toml")
    } else {
        file_name(fiscal_year)
    };
    let f = framework::parse(&name, text)?;
    cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert((fiscal_year, version), (text.to_owned(), f.clone()));
    Ok(f)
}

/// The framework a year's own surveys use: the year's, or while it has none the newest one
/// before it (else the oldest there is). Returns it with the year it belongs to.
pub async fn framework_or_latest(
    cx: &Ctx,
    fiscal_year: i32,
) -> Result<Option<Framework>, FrameworkLoadError> {
    let years = framework_years(cx).await?;
    let Some(chosen) = years
        .iter()
        .copied()
        .filter(|y| *y <= fiscal_year)
        .max()
        .or_else(|| years.first().copied())
    else {
        return Ok(None);
    };
    framework(cx, chosen).await
}

/// The fiscal years that have a framework (shipped or edited), oldest first.
pub async fn framework_years(cx: &Ctx) -> Result<Vec<i32>, StoreError> {
    let mut years: Vec<i32> = framework::BUILT_IN.iter().map(|(y, _)| *y).collect();
    years.extend(
        cx.store
            .stored_frameworks()
            .await?
            .into_iter()
            .map(|s| s.fiscal_year),
    );
    years.sort_unstable();
    years.dedup();
    Ok(years)
}

/// Why a framework change was refused. Nothing is stored in any case.
#[derive(Debug, thiserror::Error)]
pub enum FrameworkEditError {
    /// Only the platform operator edits frameworks.
    #[error("only the platform operator edits frameworks")]
    Forbidden,
    /// The year to copy or edit has no framework.
    #[error("no framework for that year")]
    NotFound,
    /// The target year is not a Buddhist-Era fiscal year.
    #[error("not a fiscal year")]
    BadYear,
    /// The target year already has a framework; edit it instead.
    #[error("the year already has a framework")]
    Exists,
    /// Someone saved the framework after the form was opened.
    #[error("the framework was changed by someone else (now version {current})")]
    Stale { current: i64 },
    /// The form changed nothing.
    #[error("nothing changed")]
    Unchanged,
    #[error("the edit is refused")]
    Refused(EditRefused),
    #[error(transparent)]
    Load(#[from] FrameworkLoadError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn require_operator(account: &Account) -> Result<(), FrameworkEditError> {
    if account.is_platform_operator {
        Ok(())
    } else {
        Err(FrameworkEditError::Forbidden)
    }
}

/// Copies the framework of year `from` to year `to` as an edited copy (version 1), or starts an
/// edited copy of a shipped year when `to == from`. `to` must have no edited copy, and no
/// shipped file unless it is `from` itself.
pub async fn clone_framework(
    cx: &Ctx,
    actor: &Actor,
    operator: &Account,
    from: i32,
    to: i32,
) -> Result<(), FrameworkEditError> {
    require_operator(operator)?;
    if !(2500..=2700).contains(&to) {
        return Err(FrameworkEditError::BadYear);
    }
    let source = effective(cx, from)
        .await?
        .ok_or(FrameworkEditError::NotFound)?;
    if cx.store.stored_framework(to).await?.is_some()
        || (to != from && framework::BUILT_IN.iter().any(|(y, _)| *y == to))
    {
        return Err(FrameworkEditError::Exists);
    }
    let text = if to == from {
        source.text.clone()
    } else {
        edit::copy_to_year(&source.text, to).ok_or(FrameworkEditError::NotFound)?
    };
    // The copy must load as it is (it always does for a valid source).
    framework::parse(&file_name(to), &text).map_err(FrameworkLoadError::from)?;
    let changes = vec![
        Change {
            field: "copied_from".into(),
            old: None,
            new: Some(format!("{from} v{}", source.version())),
        },
        Change {
            field: "version".into(),
            old: None,
            new: Some("1".into()),
        },
    ];
    match cx
        .store
        .save_framework(cx.write(actor), to, 0, &text, from, changes)
        .await
    {
        Ok(_) => Ok(()),
        Err(StoreError::Conflict) => Err(FrameworkEditError::Exists),
        Err(e) => Err(e.into()),
    }
}

/// Applies the typed values of an edit form (field name → value, see [`edit::apply`]) to the
/// framework of a year, as seen at `version` (0 for the shipped file: the first save makes the
/// edited copy). Returns the changes saved and the new version.
pub async fn edit_framework(
    cx: &Ctx,
    actor: &Actor,
    operator: &Account,
    fiscal_year: i32,
    version: i64,
    fields: &[(String, String)],
) -> Result<(Vec<Change>, i64), FrameworkEditError> {
    require_operator(operator)?;
    let current = effective(cx, fiscal_year)
        .await?
        .ok_or(FrameworkEditError::NotFound)?;
    if current.version() != version {
        return Err(FrameworkEditError::Stale {
            current: current.version(),
        });
    }
    let edited = edit::apply(&current.file_name(), &current.text, fields)
        .map_err(FrameworkEditError::Refused)?;
    save_edited(cx, actor, &current, edited).await
}

/// Adds an OIT item to a group of a year's framework, as seen at `version` (see
/// [`edit_framework`]). The item is tagged U until it is confirmed.
pub async fn add_oit_item(
    cx: &Ctx,
    actor: &Actor,
    operator: &Account,
    fiscal_year: i32,
    version: i64,
    item: &edit::NewOitItem,
) -> Result<(Vec<Change>, i64), FrameworkEditError> {
    require_operator(operator)?;
    let current = effective(cx, fiscal_year)
        .await?
        .ok_or(FrameworkEditError::NotFound)?;
    if current.version() != version {
        return Err(FrameworkEditError::Stale {
            current: current.version(),
        });
    }
    let edited = edit::add_oit_item(&current.file_name(), &current.text, item)
        .map_err(FrameworkEditError::Refused)?;
    save_edited(cx, actor, &current, edited).await
}

/// Stores an edit of `current` if nobody saved in between, with its audit entry.
async fn save_edited(
    cx: &Ctx,
    actor: &Actor,
    current: &EffectiveFramework,
    edited: edit::Edited,
) -> Result<(Vec<Change>, i64), FrameworkEditError> {
    if edited.changes.is_empty() {
        return Err(FrameworkEditError::Unchanged);
    }
    let fiscal_year = current.framework.fiscal_year;
    let based_on = match &current.origin {
        Origin::Shipped => fiscal_year,
        Origin::Edited { based_on, .. } => *based_on,
    };
    match cx
        .store
        .save_framework(
            cx.write(actor),
            fiscal_year,
            current.version(),
            &edited.text,
            based_on,
            edited.changes.clone(),
        )
        .await
    {
        Ok(v) => Ok((edited.changes, v)),
        Err(StoreError::Conflict) => {
            let now = cx
                .store
                .stored_framework(fiscal_year)
                .await?
                .map_or(0, |s| s.version);
            Err(FrameworkEditError::Stale { current: now })
        }
        Err(e) => Err(e.into()),
    }
}

/// The latest changes to a year's framework, newest first: what the audit log holds for it on
/// the platform chain.
pub async fn framework_history(
    cx: &Ctx,
    operator: &Account,
    fiscal_year: i32,
    limit: usize,
) -> Result<Vec<AuditEntry>, FrameworkEditError> {
    require_operator(operator)?;
    let filter = AuditFilter {
        entity: Some("ita-framework".into()),
        limit: 500,
        ..AuditFilter::default()
    };
    // The platform chain is read like an agency's, by its chain number.
    let entries = cx
        .store
        .audit_page(AgencyId::from_raw(PLATFORM_CHAIN), &filter)
        .await?;
    let year = fiscal_year.to_string();
    Ok(entries
        .into_iter()
        .filter(|e| e.entity_id == year)
        .take(limit)
        .collect())
}
