//! The storage interface of the platform module. The storage crate implements it for SQLite and
//! PostgreSQL; one conformance suite tests both.
//!
//! Every method on agency-owned data takes the [`AgencyId`] first, and finds nothing that belongs
//! to another agency: a row of agency B asked for under agency A is [`StoreError::NotFound`].
//! Every method that changes data takes a [`Write`] and appends its audit entry in the same
//! transaction.
//!
//! [`StoreError::NotFound`]: crate::StoreError::NotFound

use async_trait::async_trait;

use crate::ctx::Write;
use crate::error::StoreResult;
use crate::ids::{AccountId, AgencyId, DivisionId, FileId, PersonId};

use super::account::{Account, MemberRow, Membership, NewAccount};
use super::agency::{Agency, AgencyProfile, AgencySummary, NewAgency};
use super::audit::{AuditEntry, AuditEvent, AuditFilter, ChainHead};
use super::division::{Division, DivisionFields};
use super::file::StoredFile;
use super::notification::NotificationStore;
use super::person::{Person, PersonFields};
use super::session::Session;

/// All of the platform's storage.
pub trait PlatformStore:
    InstanceStore
    + AgencyStore
    + PeopleStore
    + AccountStore
    + SessionStore
    + FileStore
    + AuditStore
    + NotificationStore
{
}

impl<T> PlatformStore for T where
    T: InstanceStore
        + AgencyStore
        + PeopleStore
        + AccountStore
        + SessionStore
        + FileStore
        + AuditStore
        + NotificationStore
{
}

#[async_trait]
pub trait InstanceStore: Send + Sync {
    // ---- instance ----

    /// The instance-wide secret named `name`, created from `init` the first time it is asked
    /// for. Every server sharing the database gets the same value.
    async fn instance_key(&self, name: &str, init: &[u8]) -> StoreResult<Vec<u8>>;

    /// A cheap query that proves the database answers.
    async fn ping(&self) -> StoreResult<()>;
}

#[async_trait]
pub trait AgencyStore: Send + Sync {
    // ---- agencies ----

    async fn list_agencies(&self) -> StoreResult<Vec<AgencySummary>>;
    async fn agency_by_slug(&self, slug: &str) -> StoreResult<Option<Agency>>;
    async fn agency(&self, id: AgencyId) -> StoreResult<Agency>;
    /// Creates an agency. Conflict: the slug is taken.
    async fn create_agency(&self, w: Write<'_>, new: &NewAgency) -> StoreResult<()>;
    async fn update_agency_profile(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        profile: &AgencyProfile,
    ) -> StoreResult<()>;
    async fn set_agency_logo(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        logo: Option<FileId>,
    ) -> StoreResult<()>;
    /// Deletes an agency and everything it owns (used to reset the demo). Its audit chain stays.
    async fn delete_agency(&self, w: Write<'_>, agency: AgencyId) -> StoreResult<()>;
    /// The fiscal years (BE) the agency works on, newest first.
    async fn list_fiscal_years(&self, agency: AgencyId) -> StoreResult<Vec<i32>>;
    /// Opens a fiscal year for the agency's modules. Opening an open year changes nothing.
    async fn open_fiscal_year(&self, w: Write<'_>, agency: AgencyId, year: i32) -> StoreResult<()>;
}

#[async_trait]
pub trait PeopleStore: Send + Sync {
    // ---- divisions ----

    /// Divisions in display order.
    async fn list_divisions(&self, agency: AgencyId) -> StoreResult<Vec<Division>>;
    async fn division(&self, agency: AgencyId, id: DivisionId) -> StoreResult<Division>;
    async fn create_division(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: DivisionId,
        f: &DivisionFields,
    ) -> StoreResult<()>;
    async fn update_division(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: DivisionId,
        f: &DivisionFields,
    ) -> StoreResult<()>;
    /// Deletes a division. Conflict: people or role grants still refer to it.
    async fn delete_division(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: DivisionId,
    ) -> StoreResult<()>;

    // ---- people ----

    /// The staff directory in display order.
    async fn list_people(&self, agency: AgencyId) -> StoreResult<Vec<Person>>;
    async fn person(&self, agency: AgencyId, id: PersonId) -> StoreResult<Person>;
    async fn create_person(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: PersonId,
        f: &PersonFields,
    ) -> StoreResult<()>;
    async fn update_person(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: PersonId,
        f: &PersonFields,
    ) -> StoreResult<()>;
    async fn set_person_photo(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        id: PersonId,
        photo: Option<FileId>,
    ) -> StoreResult<()>;
    /// Deletes a person; accounts linked to them are unlinked.
    async fn delete_person(&self, w: Write<'_>, agency: AgencyId, id: PersonId) -> StoreResult<()>;
}

#[async_trait]
pub trait AccountStore: Send + Sync {
    // ---- accounts ----

    async fn account(&self, id: AccountId) -> StoreResult<Account>;
    async fn account_by_email(&self, email: &str) -> StoreResult<Option<Account>>;
    /// Creates an account, audited on the chain of `agency` (or the platform chain).
    /// Conflict: the e-mail is taken.
    async fn create_account(
        &self,
        w: Write<'_>,
        agency: Option<AgencyId>,
        new: &NewAccount,
    ) -> StoreResult<()>;
    /// Replaces the password hash, audited on the chain of `agency` (or the platform chain).
    async fn set_password(
        &self,
        w: Write<'_>,
        agency: Option<AgencyId>,
        account: AccountId,
        hash: &str,
        must_change: bool,
    ) -> StoreResult<()>;
    /// Sets the TOTP secret and whether it is enforced at sign-in.
    async fn set_totp(
        &self,
        w: Write<'_>,
        account: AccountId,
        secret: Option<&str>,
        enabled: bool,
    ) -> StoreResult<()>;
    /// Records an accepted TOTP step if it is newer than the last one; false means a replay.
    async fn advance_totp_step(&self, account: AccountId, step: i64) -> StoreResult<bool>;
    /// Deletes an account that belongs to no agency (used to reset the demo).
    /// Conflict: it is still a member somewhere.
    async fn delete_account(&self, w: Write<'_>, account: AccountId) -> StoreResult<()>;
    async fn set_account_disabled(
        &self,
        w: Write<'_>,
        agency: Option<AgencyId>,
        account: AccountId,
        disabled: bool,
    ) -> StoreResult<()>;

    // ---- memberships ----

    /// Every agency the account belongs to, with its roles there.
    async fn memberships_of(
        &self,
        account: AccountId,
    ) -> StoreResult<Vec<(AgencySummary, Membership)>>;
    async fn membership(
        &self,
        agency: AgencyId,
        account: AccountId,
    ) -> StoreResult<Option<Membership>>;
    async fn list_members(&self, agency: AgencyId) -> StoreResult<Vec<MemberRow>>;
    /// Creates or replaces a membership and its role grants.
    async fn put_membership(&self, w: Write<'_>, m: &Membership) -> StoreResult<()>;
    async fn remove_membership(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        account: AccountId,
    ) -> StoreResult<()>;
}

#[async_trait]
pub trait SessionStore: Send + Sync {
    // ---- sessions (sign-in events are audited by the services through `record`) ----

    async fn create_session(&self, s: &Session) -> StoreResult<()>;
    async fn session(&self, id_hash: &str) -> StoreResult<Option<Session>>;
    async fn touch_session(&self, id_hash: &str, at: i64) -> StoreResult<()>;
    async fn complete_mfa(&self, id_hash: &str, at: i64) -> StoreResult<()>;
    async fn delete_session(&self, id_hash: &str) -> StoreResult<()>;
    /// Ends every session of an account except `keep`.
    async fn delete_sessions_of(&self, account: AccountId, keep: Option<&str>) -> StoreResult<()>;
    /// Deletes sessions last seen before `idle_before` or created before `created_before`.
    async fn purge_sessions(&self, idle_before: i64, created_before: i64) -> StoreResult<u64>;
}

#[async_trait]
pub trait FileStore: Send + Sync {
    // ---- files ----

    async fn insert_file(&self, w: Write<'_>, f: &StoredFile) -> StoreResult<()>;
    async fn file(&self, agency: AgencyId, id: FileId) -> StoreResult<StoredFile>;
    /// Whether the file is shown on the public site: a logo, a photo, evidence of an approved
    /// measures plan, or evidence of an OIT item the agency has submitted.
    async fn file_is_public(&self, agency: AgencyId, id: FileId) -> StoreResult<bool>;
}

#[async_trait]
pub trait AuditStore: Send + Sync {
    // ---- audit ----

    /// Appends one event that is not part of another write (sign-in, password change, …).
    async fn record(
        &self,
        w: Write<'_>,
        agency: Option<AgencyId>,
        event: &AuditEvent,
    ) -> StoreResult<()>;
    /// One page of an agency's log, newest first.
    async fn audit_page(
        &self,
        agency: AgencyId,
        filter: &AuditFilter,
    ) -> StoreResult<Vec<AuditEntry>>;
    /// The head of every chain.
    async fn audit_heads(&self) -> StoreResult<Vec<ChainHead>>;
    /// Entries of one chain with `seq > after`, oldest first, at most `limit`.
    async fn audit_chain(&self, chain: i64, after: i64, limit: i64)
    -> StoreResult<Vec<AuditEntry>>;
}
