//! The storage of cases. Every method takes the agency first; a case of another agency is
//! `NotFound`. Writes take a [`Write`] and append their audit entry in the same transaction.

use async_trait::async_trait;

use super::model::{
    Case, CaseId, CaseSettings, CaseUpdate, NewCase, Record, RecordId, Sealed, StatRow, StoredCase,
};
use crate::ctx::Write;
use crate::error::StoreResult;
use crate::ids::{AccountId, AgencyId};

#[async_trait]
pub trait CaseStore: Send + Sync {
    /// The agency's settings (the defaults when never saved).
    async fn case_settings(&self, agency: AgencyId) -> StoreResult<CaseSettings>;
    /// Saves the SLA and retention settings (not the recovery key).
    async fn put_case_settings(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        s: &CaseSettings,
    ) -> StoreResult<()>;
    /// Stores the recovery key's public half, only if the agency has none: `false` if it had.
    async fn set_recovery_key(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        public: [u8; 32],
    ) -> StoreResult<bool>;

    /// A handler's wrapped private key (`vault::WrappedSecretKey`).
    async fn handler_key(
        &self,
        agency: AgencyId,
        account: AccountId,
    ) -> StoreResult<Option<Vec<u8>>>;
    /// Stores (or replaces) a handler's wrapped private key.
    async fn put_handler_key(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        account: AccountId,
        wrapped: &[u8],
    ) -> StoreResult<()>;
    /// Every handler key of the agency: (account, wrapped key).
    async fn handler_keys(&self, agency: AgencyId) -> StoreResult<Vec<(AccountId, Vec<u8>)>>;

    /// The handler's private key wrapped for one session (`SecretKey::wrap_for_session`).
    async fn session_case_key(
        &self,
        session_hash: &str,
        agency: AgencyId,
    ) -> StoreResult<Option<Vec<u8>>>;
    /// Keeps the session-wrapped key with the session (deleted with it).
    async fn put_session_case_key(
        &self,
        w: Write<'_>,
        session_hash: &str,
        agency: AgencyId,
        blob: &[u8],
    ) -> StoreResult<()>;

    /// Stores a new case, its sealed keys, its first records and its recusals, in one
    /// transaction. A lookup id already in use gives `Conflict`.
    async fn insert_case(&self, w: Write<'_>, new: &NewCase) -> StoreResult<()>;
    async fn case(&self, agency: AgencyId, id: CaseId) -> StoreResult<StoredCase>;
    /// The case a receipt's lookup id names, in this agency.
    async fn case_by_lookup(
        &self,
        agency: AgencyId,
        lookup: [u8; 16],
    ) -> StoreResult<Option<StoredCase>>;
    /// The cases of the agency, newest first, each with the sealed copies (every generation)
    /// that `account` holds; cases `account` is recused from are left out.
    async fn list_cases(
        &self,
        agency: AgencyId,
        account: AccountId,
    ) -> StoreResult<Vec<(StoredCase, Vec<Sealed>)>>;
    /// The clear part of every case (for SLA reminders and counts).
    async fn case_heads(&self, agency: AgencyId) -> StoreResult<Vec<Case>>;
    /// The sealed copies of one case.
    async fn sealed_keys(&self, agency: AgencyId, case: CaseId) -> StoreResult<Vec<Sealed>>;
    /// Adds sealed copies (access granted to a handler); audited as `grant`.
    async fn add_sealed_keys(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        case: CaseId,
        sealed: &[Sealed],
    ) -> StoreResult<()>;
    /// The accounts recused from a case.
    async fn recusals(&self, agency: AgencyId, case: CaseId) -> StoreResult<Vec<AccountId>>;
    /// Recuses `account`: deletes every sealed copy they hold, records the recusal, and stores
    /// the next key generation's copies (`sealed`), in one transaction.
    async fn recuse(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        case: CaseId,
        account: AccountId,
        sealed: &[Sealed],
    ) -> StoreResult<()>;

    async fn case_records(&self, agency: AgencyId, case: CaseId) -> StoreResult<Vec<Record>>;
    async fn case_record(
        &self,
        agency: AgencyId,
        case: CaseId,
        id: RecordId,
    ) -> StoreResult<Record>;
    /// Adds an encrypted record; the audit entry names its kind, never its content.
    async fn add_case_record(&self, w: Write<'_>, agency: AgencyId, r: &Record) -> StoreResult<()>;
    /// Changes the clear fields of a case (state, assignment, dates, merge).
    async fn update_case(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        case: CaseId,
        u: &CaseUpdate,
    ) -> StoreResult<Case>;

    /// The clear fields of the cases received in `[from, to)`.
    async fn case_stat_rows(
        &self,
        agency: AgencyId,
        from: i64,
        to: i64,
    ) -> StoreResult<Vec<StatRow>>;
    /// Records that the reminder `what` of a case was sent; `false` if it had been already.
    /// A system record, not audited (like notifications).
    async fn case_reminder_once(
        &self,
        agency: AgencyId,
        case: CaseId,
        what: &str,
        at: i64,
    ) -> StoreResult<bool>;
    /// Deletes closed cases closed before `closed_before` with every sealed copy and record;
    /// returns how many.
    async fn delete_closed_cases(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        closed_before: i64,
    ) -> StoreResult<u64>;
}
