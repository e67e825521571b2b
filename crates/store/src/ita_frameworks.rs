//! The operator's edited ITA frameworks (national data, on the platform audit chain).

use async_trait::async_trait;
use prongsai_domain::ctx::Write;
use prongsai_domain::error::{StoreError, StoreResult};
use prongsai_domain::ita::FrameworkStore;
use prongsai_domain::ita::service::StoredFramework;
use prongsai_domain::platform::audit::{AuditEvent, Change};

use crate::{Db, audit, map_err};

type Row = (i64, String, i64, i64, i64, String);

const COLS: &str = "fiscal_year, body, version, based_on, updated_at, updated_by";

fn stored(r: Row) -> Option<StoredFramework> {
    let (year, text, version, based_on, updated_at, updated_by) = r;
    Some(StoredFramework {
        fiscal_year: i32::try_from(year).ok()?,
        text,
        version,
        based_on: i32::try_from(based_on).ok()?,
        updated_at,
        updated_by,
    })
}

#[async_trait]
impl FrameworkStore for Db {
    async fn stored_framework(&self, fiscal_year: i32) -> StoreResult<Option<StoredFramework>> {
        let row: Option<Row> = sqlx::query_as(&format!(
            "SELECT {COLS} FROM ita_frameworks WHERE fiscal_year = $1"
        ))
        .bind(i64::from(fiscal_year))
        .fetch_optional(self.pool())
        .await
        .map_err(map_err)?;
        Ok(row.and_then(stored))
    }

    async fn stored_frameworks(&self) -> StoreResult<Vec<StoredFramework>> {
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT {COLS} FROM ita_frameworks ORDER BY fiscal_year"
        ))
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        Ok(rows.into_iter().filter_map(stored).collect())
    }

    async fn save_framework(
        &self,
        w: Write<'_>,
        fiscal_year: i32,
        expected: i64,
        text: &str,
        based_on: i32,
        changes: Vec<Change>,
    ) -> StoreResult<i64> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let year = i64::from(fiscal_year);
        let version = expected + 1;
        let (action, done) = if expected == 0 {
            let r = sqlx::query(
                "INSERT INTO ita_frameworks (fiscal_year, body, version, based_on, updated_at, updated_by)
                 VALUES ($1, $2, 1, $3, $4, $5)",
            )
            .bind(year)
            .bind(text)
            .bind(i64::from(based_on))
            .bind(w.at)
            .bind(&w.actor.label)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            ("create", r.rows_affected())
        } else {
            let r = sqlx::query(
                "UPDATE ita_frameworks SET body = $3, version = $4, updated_at = $5, updated_by = $6
                 WHERE fiscal_year = $1 AND version = $2",
            )
            .bind(year)
            .bind(expected)
            .bind(text)
            .bind(version)
            .bind(w.at)
            .bind(&w.actor.label)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
            ("update", r.rows_affected())
        };
        if done != 1 {
            return Err(StoreError::Conflict);
        }
        audit::append(
            &mut tx,
            w,
            None,
            &AuditEvent::new("ita-framework", fiscal_year, action, changes),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(version)
    }
}
