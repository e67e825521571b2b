//! The cases module's store. Ciphertexts go in and out as bytes; this file never sees a key.

use async_trait::async_trait;
use prongsai_domain::cases::{
    Case, CaseId, CaseSettings, CaseStore, CaseUpdate, Channel, Kind, NewCase, Recipient, Record,
    RecordId, RecordKind, Sealed, StatRow, State, StoredCase,
};
use prongsai_domain::ctx::Write;
use prongsai_domain::error::{StoreError, StoreResult};
use prongsai_domain::ids::{AccountId, AgencyId, DivisionId};
use prongsai_domain::platform::audit::{self as a, AuditEvent, Change};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::row::RowExt;
use crate::{Db, audit, map_err};

const CASE_COLS: &str = "id, agency_id, kind, channel, state, division_id, assignee_id, received_at, \
     acknowledged_at, resolved_at, closed_at, ack_due_at, result_due_at, merged_into, generation, \
     updated_at, receipt_record, body";

fn bad(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("unknown {what}").into())
}

fn case_of(r: &AnyRow) -> sqlx::Result<Case> {
    Ok(Case {
        agency_id: AgencyId::from_raw(r.int("agency_id")?),
        id: CaseId::from_raw(r.int("id")?),
        kind: Kind::parse(&r.text("kind")?).ok_or_else(|| bad("kind"))?,
        channel: Channel::parse(&r.text("channel")?).ok_or_else(|| bad("channel"))?,
        state: State::parse(&r.text("state")?).ok_or_else(|| bad("state"))?,
        division_id: r.opt_int("division_id")?.map(DivisionId::from_raw),
        assignee: r.opt_int("assignee_id")?.map(AccountId::from_raw),
        received_at: r.int("received_at")?,
        acknowledged_at: r.opt_int("acknowledged_at")?,
        resolved_at: r.opt_int("resolved_at")?,
        closed_at: r.opt_int("closed_at")?,
        ack_due_at: r.int("ack_due_at")?,
        result_due_at: r.int("result_due_at")?,
        merged_into: r.opt_int("merged_into")?.map(CaseId::from_raw),
        generation: r.int("generation")?,
        updated_at: r.int("updated_at")?,
    })
}

fn stored_of(r: &AnyRow) -> sqlx::Result<StoredCase> {
    Ok(StoredCase {
        case: case_of(r)?,
        body: r.try_get("body")?,
        receipt_record: r.try_get("receipt_record")?,
    })
}

fn sealed_of(r: &AnyRow) -> sqlx::Result<Sealed> {
    let account = r.int("account_id")?;
    let recipient = Recipient::from_parts(
        &r.text("recipient")?,
        (account != 0).then(|| AccountId::from_raw(account)),
    )
    .ok_or_else(|| bad("recipient"))?;
    Ok(Sealed {
        generation: r.int("generation")?,
        recipient,
        bytes: r.try_get("sealed")?,
    })
}

fn record_of(r: &AnyRow) -> sqlx::Result<Record> {
    Ok(Record {
        id: RecordId::from_raw(r.int("id")?),
        case_id: CaseId::from_raw(r.int("case_id")?),
        kind: RecordKind::parse(&r.text("kind")?).ok_or_else(|| bad("record kind"))?,
        generation: r.int("generation")?,
        author: r.opt_int("author_id")?.map(AccountId::from_raw),
        created_at: r.int("created_at")?,
        meta: r.try_get("meta")?,
        body: r.try_get("body")?,
    })
}

async fn insert_sealed(
    conn: &mut AnyConnection,
    agency: AgencyId,
    case: CaseId,
    s: &Sealed,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO case_keys (agency_id, case_id, generation, recipient, account_id, sealed)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(agency.get())
    .bind(case.get())
    .bind(s.generation)
    .bind(s.recipient.code())
    .bind(s.recipient.account().map_or(0, AccountId::get))
    .bind(s.bytes.clone())
    .execute(conn)
    .await?;
    Ok(())
}

async fn insert_record(conn: &mut AnyConnection, agency: AgencyId, r: &Record) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO case_records (id, agency_id, case_id, kind, generation, author_id, created_at, meta, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(r.id.get())
    .bind(agency.get())
    .bind(r.case_id.get())
    .bind(r.kind.as_str())
    .bind(r.generation)
    .bind(r.author.map(AccountId::get))
    .bind(r.created_at)
    .bind(r.meta.clone())
    .bind(r.body.clone())
    .execute(conn)
    .await?;
    Ok(())
}

fn change(field: &str, new: &dyn std::fmt::Display) -> Change {
    Change {
        field: field.to_owned(),
        old: None,
        new: Some(new.to_string()),
    }
}

#[async_trait]
impl CaseStore for Db {
    async fn case_settings(&self, agency: AgencyId) -> StoreResult<CaseSettings> {
        let row = sqlx::query(
            "SELECT recovery_public, ack_days, result_days, retention_days FROM case_settings WHERE agency_id = $1",
        )
        .bind(agency.get())
        .fetch_optional(self.pool())
        .await
        .map_err(map_err)?;
        let Some(r) = row else {
            return Ok(CaseSettings::default());
        };
        let public: Option<Vec<u8>> = r.try_get("recovery_public").map_err(map_err)?;
        Ok(CaseSettings {
            recovery_public: public.and_then(|p| p.try_into().ok()),
            ack_days: r.int("ack_days").map_err(map_err)?,
            result_days: r.int("result_days").map_err(map_err)?,
            retention_days: r.int("retention_days").map_err(map_err)?,
        })
    }

    async fn put_case_settings(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        s: &CaseSettings,
    ) -> StoreResult<()> {
        let old = self.case_settings(agency).await?;
        let mut tx = self.begin().await.map_err(map_err)?;
        sqlx::query(
            "INSERT INTO case_settings (agency_id, recovery_public, ack_days, result_days, retention_days, updated_at)
             VALUES ($1, NULL, $2, $3, $4, $5)
             ON CONFLICT (agency_id) DO UPDATE SET ack_days = $2, result_days = $3, retention_days = $4, updated_at = $5",
        )
        .bind(agency.get())
        .bind(s.ack_days)
        .bind(s.result_days)
        .bind(s.retention_days)
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let new = CaseSettings {
            recovery_public: old.recovery_public,
            ..s.clone()
        };
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("case-settings", agency, "update", a::diff(&old, &new)),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn set_recovery_key(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        public: [u8; 32],
    ) -> StoreResult<bool> {
        let d = CaseSettings::default();
        let mut tx = self.begin().await.map_err(map_err)?;
        sqlx::query(
            "INSERT INTO case_settings (agency_id, recovery_public, ack_days, result_days, retention_days, updated_at)
             VALUES ($1, NULL, $2, $3, $4, $5) ON CONFLICT (agency_id) DO NOTHING",
        )
        .bind(agency.get())
        .bind(d.ack_days)
        .bind(d.result_days)
        .bind(d.retention_days)
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let done = sqlx::query(
            "UPDATE case_settings SET recovery_public = $2, updated_at = $3
             WHERE agency_id = $1 AND recovery_public IS NULL",
        )
        .bind(agency.get())
        .bind(public.to_vec())
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?
        .rows_affected()
            == 1;
        if !done {
            return Ok(false);
        }
        let fp = prongsai_domain::cases::CaseSettings {
            recovery_public: Some(public),
            ..d
        };
        let fingerprint = a::created(&fp)
            .into_iter()
            .filter(|c| c.field == "recovery_key")
            .collect();
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("case-settings", agency, "recovery-key", fingerprint),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(true)
    }

    async fn handler_key(
        &self,
        agency: AgencyId,
        account: AccountId,
    ) -> StoreResult<Option<Vec<u8>>> {
        sqlx::query_scalar(
            "SELECT wrapped FROM case_handler_keys WHERE agency_id = $1 AND account_id = $2",
        )
        .bind(agency.get())
        .bind(account.get())
        .fetch_optional(self.pool())
        .await
        .map_err(map_err)
    }

    async fn put_handler_key(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        account: AccountId,
        wrapped: &[u8],
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        sqlx::query(
            "INSERT INTO case_handler_keys (agency_id, account_id, wrapped, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (agency_id, account_id) DO UPDATE SET wrapped = $3, created_at = $4",
        )
        .bind(agency.get())
        .bind(account.get())
        .bind(wrapped.to_vec())
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("case-handler-key", account, "create", vec![]),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn handler_keys(&self, agency: AgencyId) -> StoreResult<Vec<(AccountId, Vec<u8>)>> {
        let rows: Vec<(i64, Vec<u8>)> = sqlx::query_as(
            "SELECT account_id, wrapped FROM case_handler_keys WHERE agency_id = $1 ORDER BY account_id",
        )
        .bind(agency.get())
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        Ok(rows
            .into_iter()
            .map(|(a, w)| (AccountId::from_raw(a), w))
            .collect())
    }

    async fn session_case_key(
        &self,
        session_hash: &str,
        agency: AgencyId,
    ) -> StoreResult<Option<Vec<u8>>> {
        sqlx::query_scalar(
            "SELECT blob FROM case_session_keys WHERE session_hash = $1 AND agency_id = $2",
        )
        .bind(session_hash)
        .bind(agency.get())
        .fetch_optional(self.pool())
        .await
        .map_err(map_err)
    }

    async fn put_session_case_key(
        &self,
        w: Write<'_>,
        session_hash: &str,
        agency: AgencyId,
        blob: &[u8],
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        sqlx::query(
            "INSERT INTO case_session_keys (session_hash, agency_id, blob) VALUES ($1, $2, $3)
             ON CONFLICT (session_hash, agency_id) DO UPDATE SET blob = $3",
        )
        .bind(session_hash)
        .bind(agency.get())
        .bind(blob.to_vec())
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let account = w.actor.account_id.map_or(0, AccountId::get);
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("case-handler-key", account, "unlock", vec![]),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn insert_case(&self, w: Write<'_>, new: &NewCase) -> StoreResult<()> {
        let c = &new.stored.case;
        let agency = c.agency_id;
        let mut tx = self.begin().await.map_err(map_err)?;
        sqlx::query(&format!(
            "INSERT INTO cases ({CASE_COLS}, lookup_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)"
        ))
        .bind(c.id.get())
        .bind(agency.get())
        .bind(c.kind.as_str())
        .bind(c.channel.as_str())
        .bind(c.state.as_str())
        .bind(c.division_id.map(DivisionId::get))
        .bind(c.assignee.map(AccountId::get))
        .bind(c.received_at)
        .bind(c.acknowledged_at)
        .bind(c.resolved_at)
        .bind(c.closed_at)
        .bind(c.ack_due_at)
        .bind(c.result_due_at)
        .bind(c.merged_into.map(CaseId::get))
        .bind(c.generation)
        .bind(c.updated_at)
        .bind(new.stored.receipt_record.clone())
        .bind(new.stored.body.clone())
        .bind(new.lookup_id.to_vec())
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        for s in &new.sealed {
            insert_sealed(&mut tx, agency, c.id, s)
                .await
                .map_err(map_err)?;
        }
        for r in &new.records {
            insert_record(&mut tx, agency, r).await.map_err(map_err)?;
        }
        for account in &new.recused {
            sqlx::query(
                "INSERT INTO case_recusals (agency_id, case_id, account_id, at) VALUES ($1, $2, $3, $4)",
            )
            .bind(agency.get())
            .bind(c.id.get())
            .bind(account.get())
            .bind(w.at)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        }
        let mut changes = vec![
            change("kind", &c.kind.as_str()),
            change("channel", &c.channel.as_str()),
            change("attachments", &new.records.len()),
        ];
        if !new.recused.is_empty() {
            changes.push(change("recused", &new.recused.len()));
        }
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("case", c.id, "receive", changes),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn case(&self, agency: AgencyId, id: CaseId) -> StoreResult<StoredCase> {
        let r = sqlx::query(&format!(
            "SELECT {CASE_COLS} FROM cases WHERE agency_id = $1 AND id = $2"
        ))
        .bind(agency.get())
        .bind(id.get())
        .fetch_optional(self.pool())
        .await
        .map_err(map_err)?
        .ok_or(StoreError::NotFound)?;
        stored_of(&r).map_err(map_err)
    }

    async fn case_by_lookup(
        &self,
        agency: AgencyId,
        lookup: [u8; 16],
    ) -> StoreResult<Option<StoredCase>> {
        let r = sqlx::query(&format!(
            "SELECT {CASE_COLS} FROM cases WHERE agency_id = $1 AND lookup_id = $2"
        ))
        .bind(agency.get())
        .bind(lookup.to_vec())
        .fetch_optional(self.pool())
        .await
        .map_err(map_err)?;
        r.as_ref().map(stored_of).transpose().map_err(map_err)
    }

    async fn list_cases(
        &self,
        agency: AgencyId,
        account: AccountId,
    ) -> StoreResult<Vec<(StoredCase, Vec<Sealed>)>> {
        let cols: String = CASE_COLS
            .split(", ")
            .map(|c| format!("c.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(&format!(
            "SELECT {cols}, k.generation AS k_generation, k.sealed AS k_sealed
             FROM cases c
             LEFT JOIN case_keys k ON k.agency_id = c.agency_id AND k.case_id = c.id
                  AND k.recipient = 'handler' AND k.account_id = $2 AND k.generation = 1
             WHERE c.agency_id = $1 AND NOT EXISTS (
                 SELECT 1 FROM case_recusals r WHERE r.agency_id = c.agency_id AND r.case_id = c.id AND r.account_id = $2)
             ORDER BY c.received_at DESC, c.id DESC"
        ))
        .bind(agency.get())
        .bind(account.get())
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let stored = stored_of(r).map_err(map_err)?;
            let generation: Option<i64> = r.try_get("k_generation").map_err(map_err)?;
            let sealed: Option<Vec<u8>> = r.try_get("k_sealed").map_err(map_err)?;
            let keys = match (generation, sealed) {
                (Some(g), Some(bytes)) => vec![Sealed {
                    generation: g,
                    recipient: Recipient::Handler(account),
                    bytes,
                }],
                _ => Vec::new(),
            };
            out.push((stored, keys));
        }
        Ok(out)
    }

    async fn case_heads(&self, agency: AgencyId) -> StoreResult<Vec<Case>> {
        let rows = sqlx::query(&format!(
            "SELECT {CASE_COLS} FROM cases WHERE agency_id = $1 ORDER BY received_at, id"
        ))
        .bind(agency.get())
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        rows.iter().map(|r| case_of(r).map_err(map_err)).collect()
    }

    async fn sealed_keys(&self, agency: AgencyId, case: CaseId) -> StoreResult<Vec<Sealed>> {
        let rows = sqlx::query(
            "SELECT generation, recipient, account_id, sealed FROM case_keys
             WHERE agency_id = $1 AND case_id = $2 ORDER BY generation",
        )
        .bind(agency.get())
        .bind(case.get())
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        rows.iter().map(|r| sealed_of(r).map_err(map_err)).collect()
    }

    async fn add_sealed_keys(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        case: CaseId,
        sealed: &[Sealed],
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let mut to: Vec<String> = Vec::new();
        for s in sealed {
            insert_sealed(&mut tx, agency, case, s)
                .await
                .map_err(map_err)?;
            if let Some(a) = s.recipient.account() {
                to.push(a.to_string());
            }
        }
        to.sort();
        to.dedup();
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("case", case, "grant", vec![change("to", &to.join(","))]),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn recusals(&self, agency: AgencyId, case: CaseId) -> StoreResult<Vec<AccountId>> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT account_id FROM case_recusals WHERE agency_id = $1 AND case_id = $2",
        )
        .bind(agency.get())
        .bind(case.get())
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        Ok(rows
            .into_iter()
            .map(|(a,)| AccountId::from_raw(a))
            .collect())
    }

    async fn recuse(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        case: CaseId,
        account: AccountId,
        sealed: &[Sealed],
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        sqlx::query(
            "DELETE FROM case_keys WHERE agency_id = $1 AND case_id = $2 AND recipient = 'handler' AND account_id = $3",
        )
        .bind(agency.get())
        .bind(case.get())
        .bind(account.get())
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        sqlx::query(
            "INSERT INTO case_recusals (agency_id, case_id, account_id, at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (agency_id, case_id, account_id) DO NOTHING",
        )
        .bind(agency.get())
        .bind(case.get())
        .bind(account.get())
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let generation = sealed.first().map(|s| s.generation);
        for s in sealed {
            insert_sealed(&mut tx, agency, case, s)
                .await
                .map_err(map_err)?;
        }
        if let Some(g) = generation {
            sqlx::query("UPDATE cases SET generation = $3, updated_at = $4 WHERE agency_id = $1 AND id = $2")
                .bind(agency.get())
                .bind(case.get())
                .bind(g)
                .bind(w.at)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
        }
        sqlx::query(
            "UPDATE cases SET assignee_id = NULL WHERE agency_id = $1 AND id = $2 AND assignee_id = $3",
        )
        .bind(agency.get())
        .bind(case.get())
        .bind(account.get())
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        let mut changes = vec![change("account", &account)];
        if let Some(g) = generation {
            changes.push(change("generation", &g));
        }
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("case", case, "recuse", changes),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn case_records(&self, agency: AgencyId, case: CaseId) -> StoreResult<Vec<Record>> {
        let rows = sqlx::query(
            "SELECT id, case_id, kind, generation, author_id, created_at, meta, body FROM case_records
             WHERE agency_id = $1 AND case_id = $2 ORDER BY created_at, id",
        )
        .bind(agency.get())
        .bind(case.get())
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        rows.iter().map(|r| record_of(r).map_err(map_err)).collect()
    }

    async fn case_record(
        &self,
        agency: AgencyId,
        case: CaseId,
        id: RecordId,
    ) -> StoreResult<Record> {
        let r = sqlx::query(
            "SELECT id, case_id, kind, generation, author_id, created_at, meta, body FROM case_records
             WHERE agency_id = $1 AND case_id = $2 AND id = $3",
        )
        .bind(agency.get())
        .bind(case.get())
        .bind(id.get())
        .fetch_optional(self.pool())
        .await
        .map_err(map_err)?
        .ok_or(StoreError::NotFound)?;
        record_of(&r).map_err(map_err)
    }

    async fn add_case_record(&self, w: Write<'_>, agency: AgencyId, r: &Record) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        insert_record(&mut tx, agency, r).await.map_err(map_err)?;
        sqlx::query("UPDATE cases SET updated_at = $3 WHERE agency_id = $1 AND id = $2")
            .bind(agency.get())
            .bind(r.case_id.get())
            .bind(w.at)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new(
                "case",
                r.case_id,
                "add-record",
                vec![change("kind", &r.kind.as_str()), change("record", &r.id)],
            ),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn update_case(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        case: CaseId,
        u: &CaseUpdate,
    ) -> StoreResult<Case> {
        let old = self.case(agency, case).await?.case;
        let mut tx = self.begin().await.map_err(map_err)?;
        let n = sqlx::query(
            "UPDATE cases SET state = $3, division_id = $4, assignee_id = $5, acknowledged_at = $6,
                 resolved_at = $7, closed_at = $8, merged_into = $9, updated_at = $10
             WHERE agency_id = $1 AND id = $2",
        )
        .bind(agency.get())
        .bind(case.get())
        .bind(u.state.as_str())
        .bind(u.division_id.map(DivisionId::get))
        .bind(u.assignee.map(AccountId::get))
        .bind(u.acknowledged_at)
        .bind(u.resolved_at)
        .bind(u.closed_at)
        .bind(u.merged_into.map(CaseId::get))
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        let new = Case {
            state: u.state,
            division_id: u.division_id,
            assignee: u.assignee,
            acknowledged_at: u.acknowledged_at,
            resolved_at: u.resolved_at,
            closed_at: u.closed_at,
            merged_into: u.merged_into,
            updated_at: w.at,
            ..old.clone()
        };
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("case", case, "update", a::diff(&old, &new)),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(new)
    }

    async fn case_stat_rows(
        &self,
        agency: AgencyId,
        from: i64,
        to: i64,
    ) -> StoreResult<Vec<StatRow>> {
        let rows: Vec<(String, String, String, i64, Option<i64>)> = sqlx::query_as(
            "SELECT kind, channel, state, received_at, resolved_at FROM cases
             WHERE agency_id = $1 AND received_at >= $2 AND received_at < $3 AND merged_into IS NULL",
        )
        .bind(agency.get())
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        Ok(rows
            .into_iter()
            .filter_map(|(k, c, s, received_at, resolved_at)| {
                Some(StatRow {
                    kind: Kind::parse(&k)?,
                    channel: Channel::parse(&c)?,
                    state: State::parse(&s)?,
                    received_at,
                    resolved_at,
                })
            })
            .collect())
    }

    async fn case_reminder_once(
        &self,
        agency: AgencyId,
        case: CaseId,
        what: &str,
        at: i64,
    ) -> StoreResult<bool> {
        let n = sqlx::query(
            "INSERT INTO case_reminders (agency_id, case_id, what, at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (agency_id, case_id, what) DO NOTHING",
        )
        .bind(agency.get())
        .bind(case.get())
        .bind(what)
        .bind(at)
        .execute(self.pool())
        .await
        .map_err(map_err)?
        .rows_affected();
        Ok(n == 1)
    }

    async fn delete_closed_cases(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        closed_before: i64,
    ) -> StoreResult<u64> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let ids: Vec<(i64,)> = sqlx::query_as(
            "SELECT id FROM cases WHERE agency_id = $1 AND state = 'closed' AND closed_at < $2",
        )
        .bind(agency.get())
        .bind(closed_before)
        .fetch_all(&mut *tx)
        .await
        .map_err(map_err)?;
        for (id,) in &ids {
            for table in [
                "case_keys",
                "case_records",
                "case_recusals",
                "case_reminders",
            ] {
                sqlx::query(&format!(
                    "DELETE FROM {table} WHERE agency_id = $1 AND case_id = $2"
                ))
                .bind(agency.get())
                .bind(*id)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            }
            sqlx::query("DELETE FROM cases WHERE agency_id = $1 AND id = $2")
                .bind(agency.get())
                .bind(*id)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            audit::append(
                &mut tx,
                w,
                Some(agency),
                &AuditEvent::new("case", *id, "delete", vec![]),
            )
            .await
            .map_err(map_err)?;
        }
        tx.commit().await.map_err(map_err)?;
        Ok(ids.len() as u64)
    }
}
