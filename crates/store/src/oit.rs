//! The ITA module's store: the OIT items' review state and their evidence.

use async_trait::async_trait;
use prongsai_domain::ctx::Write;
use prongsai_domain::error::{StoreError, StoreResult};
use prongsai_domain::ids::{AgencyId, FileId, OitEvidenceId};
use prongsai_domain::ita::oit::{Evidence, EvidenceTarget, ItemState, ItemStatus, OitStore};
use prongsai_domain::platform::audit::{self as a, AuditEvent};
use prongsai_thai::FiscalYear;
use sqlx::any::AnyRow;

use crate::row::RowExt;
use crate::{Db, audit, map_err};

fn item_of(agency: AgencyId, year: FiscalYear, r: &AnyRow) -> sqlx::Result<ItemState> {
    let status = r.text("status")?;
    Ok(ItemState {
        agency_id: agency,
        fiscal_year: year,
        code: r.text("code")?,
        status: ItemStatus::parse(&status).unwrap_or_default(),
        verdict: r.opt_int("verdict")?.map(|v| v != 0),
        review_comment: r.opt_text("review_comment")?,
        clarification: r.opt_text("clarification")?,
        final_comment: r.opt_text("final_comment")?,
        reviewed_by: r.opt_text("reviewed_by")?,
        updated_at: r.int("updated_at")?,
    })
}

fn evidence_of(agency: AgencyId, year: FiscalYear, r: &AnyRow) -> sqlx::Result<Option<Evidence>> {
    let target = match (r.opt_int("file_id")?, r.opt_text("url")?) {
        (Some(f), _) => EvidenceTarget::File {
            file_id: FileId::from_raw(f),
            name: r.opt_text("original_name")?.unwrap_or_default(),
        },
        (None, Some(url)) => EvidenceTarget::Url(url),
        (None, None) => return Ok(None),
    };
    Ok(Some(Evidence {
        id: OitEvidenceId::from_raw(r.int("id")?),
        agency_id: agency,
        fiscal_year: year,
        code: r.text("code")?,
        target,
        label: r.text("label")?,
        nav_path: r.text("nav_path")?,
        dated_on: r.opt_text("dated_on")?.and_then(|d| {
            time::Date::parse(&d, &time::format_description::well_known::Iso8601::DATE).ok()
        }),
        created_at: r.int("created_at")?,
    }))
}

fn entity_id(year: FiscalYear, code: &str) -> String {
    format!("{}/{code}", year.be())
}

#[async_trait]
impl OitStore for Db {
    async fn oit_items(&self, agency: AgencyId, year: FiscalYear) -> StoreResult<Vec<ItemState>> {
        let rows = sqlx::query(
            "SELECT code, status, verdict, review_comment, clarification, final_comment, reviewed_by, updated_at
             FROM oit_items WHERE agency_id = $1 AND fiscal_year = $2",
        )
        .bind(agency.get())
        .bind(i64::from(year.be()))
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| item_of(agency, year, r).map_err(map_err))
            .collect()
    }

    async fn year_verdicts(&self, year: FiscalYear) -> StoreResult<Vec<(AgencyId, String, bool)>> {
        // One row per agency: "code:status:verdict" joined by commas (codes and statuses
        // never contain either separator).
        let joined = match self.backend() {
            crate::Backend::Sqlite => {
                "group_concat(code || ':' || status || ':' || coalesce(verdict, ''), ',')"
            }
            crate::Backend::Postgres => {
                "string_agg(code || ':' || status || ':' || coalesce(verdict::text, ''), ',')"
            }
        };
        let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
            "SELECT agency_id, {joined} FROM oit_items WHERE fiscal_year = $1 GROUP BY agency_id"
        ))
        .bind(i64::from(year.be()))
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        let mut out = Vec::new();
        for (agency, all) in rows {
            let agency = AgencyId::from_raw(agency);
            for item in all.split(',') {
                let mut parts = item.split(':');
                let (Some(code), Some(status), Some(verdict)) =
                    (parts.next(), parts.next(), parts.next())
                else {
                    continue;
                };
                let Some(status) = ItemStatus::parse(status) else {
                    continue;
                };
                let state = ItemState {
                    status,
                    verdict: (!verdict.is_empty()).then_some(verdict == "1"),
                    ..ItemState::new(agency, year, code, 0)
                };
                if let Some(passed) = state.score_verdict() {
                    out.push((agency, code.to_owned(), passed));
                }
            }
        }
        Ok(out)
    }

    async fn oit_evidence(&self, agency: AgencyId, year: FiscalYear) -> StoreResult<Vec<Evidence>> {
        let rows = sqlx::query(
            "SELECT e.id, e.code, e.url, e.file_id, e.label, e.nav_path, e.dated_on, e.created_at, f.original_name
             FROM oit_evidence e
             LEFT JOIN files f ON f.agency_id = e.agency_id AND f.id = e.file_id
             WHERE e.agency_id = $1 AND e.fiscal_year = $2 ORDER BY e.created_at, e.id",
        )
        .bind(agency.get())
        .bind(i64::from(year.be()))
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        let mut out = Vec::new();
        for r in &rows {
            if let Some(e) = evidence_of(agency, year, r).map_err(map_err)? {
                out.push(e);
            }
        }
        Ok(out)
    }

    async fn add_oit_evidence(&self, w: Write<'_>, e: &Evidence) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let agency = e.agency_id.get();
        let year = i64::from(e.fiscal_year.be());
        let exists: Option<String> = sqlx::query_scalar(
            "SELECT status FROM oit_items WHERE agency_id = $1 AND fiscal_year = $2 AND code = $3",
        )
        .bind(agency)
        .bind(year)
        .bind(&e.code)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?;
        match exists.as_deref().map(ItemStatus::parse) {
            None => {
                sqlx::query(
                    "INSERT INTO oit_items (agency_id, fiscal_year, code, status, updated_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(agency)
                .bind(year)
                .bind(&e.code)
                .bind(ItemStatus::Draft.as_str())
                .bind(w.at)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            }
            // Evidence changes only while the item is a draft or has failed.
            Some(Some(s)) if s.evidence_editable() => {}
            Some(_) => return Err(StoreError::Conflict),
        }
        let (url, file) = match &e.target {
            EvidenceTarget::Url(u) => (Some(u.as_str()), None),
            EvidenceTarget::File { file_id, .. } => (None, Some(file_id.get())),
        };
        sqlx::query(
            "INSERT INTO oit_evidence (id, agency_id, fiscal_year, code, url, file_id, label, nav_path, dated_on, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(e.id.get())
        .bind(agency)
        .bind(year)
        .bind(&e.code)
        .bind(url)
        .bind(file)
        .bind(&e.label)
        .bind(&e.nav_path)
        .bind(e.dated_on.map(|d| d.to_string()))
        .bind(e.created_at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        sqlx::query(
            "UPDATE oit_items SET updated_at = $4 WHERE agency_id = $1 AND fiscal_year = $2 AND code = $3",
        )
        .bind(agency)
        .bind(year)
        .bind(&e.code)
        .bind(w.at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        audit::append(
            &mut tx,
            w,
            Some(e.agency_id),
            &AuditEvent::new("oit-evidence", e.id, "create", a::created(e)),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn remove_oit_evidence(
        &self,
        w: Write<'_>,
        agency: AgencyId,
        year: FiscalYear,
        code: &str,
        id: OitEvidenceId,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        let row = sqlx::query(
            "SELECT e.id, e.code, e.url, e.file_id, e.label, e.nav_path, e.dated_on, e.created_at, f.original_name
             FROM oit_evidence e
             LEFT JOIN files f ON f.agency_id = e.agency_id AND f.id = e.file_id
             WHERE e.agency_id = $1 AND e.fiscal_year = $2 AND e.code = $3 AND e.id = $4",
        )
        .bind(agency.get())
        .bind(i64::from(year.be()))
        .bind(code)
        .bind(id.get())
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?
        .ok_or(StoreError::NotFound)?;
        let old = evidence_of(agency, year, &row)
            .map_err(map_err)?
            .ok_or(StoreError::NotFound)?;
        let status: Option<String> = sqlx::query_scalar(
            "SELECT status FROM oit_items WHERE agency_id = $1 AND fiscal_year = $2 AND code = $3",
        )
        .bind(agency.get())
        .bind(i64::from(year.be()))
        .bind(code)
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?;
        if !status
            .as_deref()
            .and_then(ItemStatus::parse)
            .is_some_and(ItemStatus::evidence_editable)
        {
            return Err(StoreError::Conflict);
        }
        sqlx::query("DELETE FROM oit_evidence WHERE agency_id = $1 AND id = $2")
            .bind(agency.get())
            .bind(id.get())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        audit::append(
            &mut tx,
            w,
            Some(agency),
            &AuditEvent::new("oit-evidence", id, "delete", a::deleted(&old)),
        )
        .await
        .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn set_oit_items(
        &self,
        w: Write<'_>,
        moves: &[(ItemState, ItemStatus)],
        action: &'static str,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        for (item, from) in moves {
            move_item(&mut tx, w, item, *from, action).await?;
        }
        tx.commit().await.map_err(map_err)
    }
}

/// Moves one item within a transaction; `Conflict` when it is no longer in `from`.
async fn move_item(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    w: Write<'_>,
    item: &ItemState,
    from: ItemStatus,
    action: &'static str,
) -> StoreResult<()> {
    let agency = item.agency_id;
    let year = item.fiscal_year;
    let row = sqlx::query(
        "SELECT code, status, verdict, review_comment, clarification, final_comment, reviewed_by, updated_at
         FROM oit_items WHERE agency_id = $1 AND fiscal_year = $2 AND code = $3",
    )
    .bind(agency.get())
    .bind(i64::from(year.be()))
    .bind(&item.code)
    .fetch_optional(&mut **tx)
    .await
    .map_err(map_err)?;
    let old = match &row {
        Some(r) => item_of(agency, year, r).map_err(map_err)?,
        None => ItemState::new(agency, year, &item.code, w.at),
    };
    if old.status != from {
        return Err(StoreError::Conflict);
    }
    sqlx::query(
        "INSERT INTO oit_items (agency_id, fiscal_year, code, status, verdict, review_comment, clarification, final_comment, reviewed_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (agency_id, fiscal_year, code) DO UPDATE SET status = excluded.status,
            verdict = excluded.verdict, review_comment = excluded.review_comment,
            clarification = excluded.clarification, final_comment = excluded.final_comment,
            reviewed_by = excluded.reviewed_by, updated_at = excluded.updated_at",
    )
    .bind(agency.get())
    .bind(i64::from(year.be()))
    .bind(&item.code)
    .bind(item.status.as_str())
    .bind(item.verdict.map(i64::from))
    .bind(item.review_comment.as_deref())
    .bind(item.clarification.as_deref())
    .bind(item.final_comment.as_deref())
    .bind(item.reviewed_by.as_deref())
    .bind(w.at)
    .execute(&mut **tx)
    .await
    .map_err(map_err)?;
    let id = entity_id(year, &item.code);
    audit::append(
        tx,
        w,
        Some(agency),
        &AuditEvent::new("oit-item", id.as_str(), action, a::diff(&old, item)),
    )
    .await
    .map_err(map_err)?;
    Ok(())
}
