//! The audit log: appending inside a write's transaction, browsing, and reading chains.

use async_trait::async_trait;
use prongsai_domain::ctx::Write;
use prongsai_domain::error::StoreResult;
use prongsai_domain::ids::{AccountId, AgencyId};
use prongsai_domain::platform::AuditStore;
use prongsai_domain::platform::audit::{
    AuditEntry, AuditEvent, AuditFilter, ChainHead, GENESIS_HASH, PLATFORM_CHAIN,
};
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection};

use crate::row::RowExt;
use crate::{Db, map_err};

/// Appends `event` to the chain of `agency` (or the platform chain) inside the caller's
/// transaction. The head row is updated first, which takes its lock: concurrent appends to one
/// chain queue instead of forking it.
pub(crate) async fn append(
    conn: &mut AnyConnection,
    w: Write<'_>,
    agency: Option<AgencyId>,
    event: &AuditEvent,
) -> sqlx::Result<()> {
    let chain = agency.map_or(PLATFORM_CHAIN, AgencyId::get);
    sqlx::query("INSERT INTO audit_heads (chain, seq, hash) VALUES ($1, 0, $2) ON CONFLICT (chain) DO NOTHING")
        .bind(chain)
        .bind(GENESIS_HASH)
        .execute(&mut *conn)
        .await?;
    let (seq, prev_hash): (i64, String) =
        sqlx::query_as("UPDATE audit_heads SET seq = seq + 1 WHERE chain = $1 RETURNING seq, hash")
            .bind(chain)
            .fetch_one(&mut *conn)
            .await?;
    let e = AuditEntry::chain_after(chain, seq - 1, &prev_hash, agency, w.at, w.actor, event);
    sqlx::query(
        "INSERT INTO audit_log (chain, seq, agency_id, at, actor_account_id, actor_label, entity, entity_id, action, changes, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(e.chain)
    .bind(e.seq)
    .bind(e.agency_id.map(AgencyId::get))
    .bind(e.at)
    .bind(e.actor_account_id.map(AccountId::get))
    .bind(&e.actor_label)
    .bind(&e.entity)
    .bind(&e.entity_id)
    .bind(&e.action)
    .bind(&e.changes)
    .bind(&e.prev_hash)
    .bind(&e.hash)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE audit_heads SET hash = $2 WHERE chain = $1")
        .bind(chain)
        .bind(&e.hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

const COLS: &str = "chain, seq, agency_id, at, actor_account_id, actor_label, entity, entity_id, action, changes, prev_hash, hash";

fn entry(r: &AnyRow) -> sqlx::Result<AuditEntry> {
    Ok(AuditEntry {
        chain: r.int("chain")?,
        seq: r.int("seq")?,
        agency_id: r.opt_int("agency_id")?.map(AgencyId::from_raw),
        at: r.int("at")?,
        actor_account_id: r.opt_int("actor_account_id")?.map(AccountId::from_raw),
        actor_label: r.text("actor_label")?,
        entity: r.text("entity")?,
        entity_id: r.text("entity_id")?,
        action: r.text("action")?,
        changes: r.text("changes")?,
        prev_hash: r.text("prev_hash")?,
        hash: r.text("hash")?,
    })
}

#[async_trait]
impl AuditStore for Db {
    async fn record(
        &self,
        w: Write<'_>,
        agency: Option<AgencyId>,
        event: &AuditEvent,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        append(&mut tx, w, agency, event).await.map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn audit_page(&self, agency: AgencyId, f: &AuditFilter) -> StoreResult<Vec<AuditEntry>> {
        if [&f.entity, &f.action, &f.actor]
            .into_iter()
            .flatten()
            .any(|v| crate::has_nul(v))
        {
            return Ok(Vec::new());
        }
        // One statement for every filter combination: a NULL parameter switches its filter off.
        let sql = format!(
            "SELECT {COLS} FROM audit_log
             WHERE chain = $1
               AND ($2 IS NULL OR entity = $2)
               AND ($3 IS NULL OR action = $3)
               AND ($4 IS NULL OR actor_label = $4)
               AND ($5 IS NULL OR at >= $5)
               AND ($6 IS NULL OR at < $6)
               AND ($7 IS NULL OR seq < $7)
             ORDER BY seq DESC
             LIMIT $8"
        );
        let rows = sqlx::query::<Any>(&sql)
            .bind(agency.get())
            .bind(f.entity.clone())
            .bind(f.action.clone())
            .bind(f.actor.clone())
            .bind(f.from)
            .bind(f.until)
            .bind(f.before_seq)
            .bind(f.limit.clamp(1, 500))
            .fetch_all(self.pool())
            .await
            .map_err(map_err)?;
        rows.iter()
            .map(entry)
            .collect::<sqlx::Result<_>>()
            .map_err(map_err)
    }

    async fn audit_heads(&self) -> StoreResult<Vec<ChainHead>> {
        let rows: Vec<(i64, i64, String)> =
            sqlx::query_as("SELECT chain, seq, hash FROM audit_heads ORDER BY chain")
                .fetch_all(self.pool())
                .await
                .map_err(map_err)?;
        Ok(rows
            .into_iter()
            .map(|(chain, seq, hash)| ChainHead { chain, seq, hash })
            .collect())
    }

    async fn audit_chain(
        &self,
        chain: i64,
        after: i64,
        limit: i64,
    ) -> StoreResult<Vec<AuditEntry>> {
        let sql = format!(
            "SELECT {COLS} FROM audit_log WHERE chain = $1 AND seq > $2 ORDER BY seq LIMIT $3"
        );
        let rows = sqlx::query::<Any>(&sql)
            .bind(chain)
            .bind(after)
            .bind(limit)
            .fetch_all(self.pool())
            .await
            .map_err(map_err)?;
        rows.iter()
            .map(entry)
            .collect::<sqlx::Result<_>>()
            .map_err(map_err)
    }
}
