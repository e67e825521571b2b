//! Server-side sessions, stored by the hash of their token.

use async_trait::async_trait;
use prongsai_domain::error::StoreResult;
use prongsai_domain::ids::AccountId;
use prongsai_domain::platform::{Session, SessionStore};

use crate::row::{RowExt, flag};
use crate::{Db, map_err};

#[async_trait]
impl SessionStore for Db {
    async fn create_session(&self, s: &Session) -> StoreResult<()> {
        sqlx::query("INSERT INTO sessions (id_hash, account_id, created_at, last_seen_at, mfa_pending) VALUES ($1, $2, $3, $4, $5)")
            .bind(&s.id_hash)
            .bind(s.account_id.get())
            .bind(s.created_at)
            .bind(s.last_seen_at)
            .bind(flag(s.mfa_pending))
            .execute(self.pool())
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn session(&self, id_hash: &str) -> StoreResult<Option<Session>> {
        let r = sqlx::query("SELECT id_hash, account_id, created_at, last_seen_at, mfa_pending FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .fetch_optional(self.pool())
            .await
            .map_err(map_err)?;
        r.map(|r| {
            Ok(Session {
                id_hash: r.text("id_hash")?,
                account_id: AccountId::from_raw(r.int("account_id")?),
                created_at: r.int("created_at")?,
                last_seen_at: r.int("last_seen_at")?,
                mfa_pending: r.flag("mfa_pending")?,
            })
        })
        .transpose()
        .map_err(map_err)
    }

    async fn touch_session(&self, id_hash: &str, at: i64) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1")
            .bind(id_hash)
            .bind(at)
            .execute(self.pool())
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn complete_mfa(&self, id_hash: &str, at: i64) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET mfa_pending = 0, created_at = $2, last_seen_at = $2 WHERE id_hash = $1")
            .bind(id_hash)
            .bind(at)
            .execute(self.pool())
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(self.pool())
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn delete_sessions_of(&self, account: AccountId, keep: Option<&str>) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND ($2 IS NULL OR id_hash <> $2)")
            .bind(account.get())
            .bind(keep.map(str::to_owned))
            .execute(self.pool())
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn purge_sessions(&self, idle_before: i64, created_before: i64) -> StoreResult<u64> {
        let r = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
            .bind(idle_before)
            .bind(created_before)
            .execute(self.pool())
            .await
            .map_err(map_err)?;
        Ok(r.rows_affected())
    }
}
