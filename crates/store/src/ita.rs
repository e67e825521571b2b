//! The ITA module's store: official results.

use std::collections::HashMap;

use async_trait::async_trait;
use prongsai_domain::ctx::Write;
use prongsai_domain::error::StoreResult;
use prongsai_domain::ids::AgencyId;
use prongsai_domain::ita::{ItaStore, OfficialResult, Score};
use prongsai_domain::platform::audit::{self as a, AuditEvent};
use prongsai_thai::FiscalYear;

use crate::{Db, audit, map_err};

#[async_trait]
impl ItaStore for Db {
    async fn official_results(&self, agency: AgencyId) -> StoreResult<Vec<OfficialResult>> {
        let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
            "SELECT fiscal_year, total, grade, source FROM ita_results WHERE agency_id = $1 ORDER BY fiscal_year DESC",
        )
        .bind(agency.get())
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        let scores: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT fiscal_year, indicator, score FROM ita_result_indicators WHERE agency_id = $1",
        )
        .bind(agency.get())
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        let mut by_year: HashMap<i64, [Option<Score>; 10]> = HashMap::new();
        for (y, i, s) in scores {
            if let (Ok(i), Ok(s)) = (usize::try_from(i), i32::try_from(s))
                && (1..=10).contains(&i)
            {
                by_year.entry(y).or_default()[i - 1] = Some(Score(s));
            }
        }
        Ok(rows
            .into_iter()
            .filter_map(|(y, total, grade, source)| {
                Some(OfficialResult {
                    agency_id: agency,
                    fiscal_year: FiscalYear::new(i32::try_from(y).ok()?).ok()?,
                    total: Score(i32::try_from(total).ok()?),
                    grade,
                    indicators: by_year.remove(&y).unwrap_or_default(),
                    source,
                })
            })
            .collect())
    }

    async fn year_official_results(
        &self,
        fiscal_year: i32,
    ) -> StoreResult<Vec<(AgencyId, Score, String)>> {
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT agency_id, total, grade FROM ita_results WHERE fiscal_year = $1",
        )
        .bind(i64::from(fiscal_year))
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        Ok(rows
            .into_iter()
            .filter_map(|(a, t, g)| Some((AgencyId::from_raw(a), Score(i32::try_from(t).ok()?), g)))
            .collect())
    }

    async fn put_official_result(&self, w: Write<'_>, r: &OfficialResult) -> StoreResult<()> {
        self.put_official_results(w, std::slice::from_ref(r)).await
    }

    async fn put_official_results(
        &self,
        w: Write<'_>,
        results: &[OfficialResult],
    ) -> StoreResult<()> {
        let mut tx = self.begin().await.map_err(map_err)?;
        for r in results {
            put_one(&mut tx, w, r).await?;
        }
        tx.commit().await.map_err(map_err)
    }
}

/// Creates or replaces one year's result, with its audit entry, inside a transaction.
async fn put_one(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    w: Write<'_>,
    r: &OfficialResult,
) -> StoreResult<()> {
    let agency = r.agency_id.get();
    let year = i64::from(r.fiscal_year.be());
    let existed: Option<i64> = sqlx::query_scalar(
        "SELECT total FROM ita_results WHERE agency_id = $1 AND fiscal_year = $2",
    )
    .bind(agency)
    .bind(year)
    .fetch_optional(&mut **tx)
    .await
    .map_err(map_err)?;
    sqlx::query(
            "INSERT INTO ita_results (agency_id, fiscal_year, total, grade, source, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (agency_id, fiscal_year) DO UPDATE SET total = excluded.total, grade = excluded.grade,
                source = excluded.source, updated_at = excluded.updated_at",
        )
        .bind(agency)
        .bind(year)
        .bind(i64::from(r.total.0))
        .bind(&r.grade)
        .bind(&r.source)
        .bind(w.at)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    sqlx::query("DELETE FROM ita_result_indicators WHERE agency_id = $1 AND fiscal_year = $2")
        .bind(agency)
        .bind(year)
        .execute(&mut **tx)
        .await
        .map_err(map_err)?;
    for (i, s) in r.indicators.iter().enumerate() {
        if let Some(s) = s {
            sqlx::query("INSERT INTO ita_result_indicators (agency_id, fiscal_year, indicator, score) VALUES ($1, $2, $3, $4)")
                    .bind(agency)
                    .bind(year)
                    .bind(i64::try_from(i + 1).unwrap_or(0))
                    .bind(i64::from(s.0))
                    .execute(&mut **tx)
                    .await
                    .map_err(map_err)?;
        }
    }
    let action = if existed.is_some() {
        "update"
    } else {
        "create"
    };
    audit::append(
        tx,
        w,
        Some(r.agency_id),
        &AuditEvent::new("ita-result", r.fiscal_year.be(), action, a::created(r)),
    )
    .await
    .map_err(map_err)?;
    Ok(())
}
