//! Reference averages of the ITA (national data, on the platform audit chain).

use std::collections::BTreeMap;

use async_trait::async_trait;
use prongsai_domain::ctx::Write;
use prongsai_domain::error::StoreResult;
use prongsai_domain::ita::AverageStore;
use prongsai_domain::ita::averages::{Average, AverageSet, Of, Scope};
use prongsai_domain::ita::{Score, framework};
use prongsai_domain::platform::audit::{AuditEvent, Change};
use prongsai_thai::FiscalYear;

use crate::{Db, audit, map_err};

type Row = (i64, String, String, i64, i64, String);

/// The code as stored back to what it is of; the framework of the year already checked it.
fn of(code: &str) -> Of {
    if code == "total" {
        Of::Total
    } else if let Ok(n) = code.parse::<u8>() {
        Of::Indicator(n)
    } else {
        Of::Item(code.to_owned())
    }
}

#[async_trait]
impl AverageStore for Db {
    async fn average_sets(&self, fiscal_year: Option<FiscalYear>) -> StoreResult<Vec<AverageSet>> {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT fiscal_year, scope, code, value, imported_at, imported_by FROM ita_averages
             WHERE $1 = 0 OR fiscal_year = $1",
        )
        .bind(fiscal_year.map_or(0, |y| i64::from(y.be())))
        .fetch_all(self.pool())
        .await
        .map_err(map_err)?;
        let mut sets: BTreeMap<(std::cmp::Reverse<i64>, Scope), AverageSet> = BTreeMap::new();
        for (year, scope, code, value, at, by) in rows {
            let (Some(fy), Ok(value)) = (
                i32::try_from(year)
                    .ok()
                    .and_then(|y| FiscalYear::new(y).ok()),
                i32::try_from(value),
            ) else {
                continue;
            };
            let scope = Scope::parse(&scope).unwrap_or(Scope::National);
            let set = sets
                .entry((std::cmp::Reverse(year), scope.clone()))
                .or_insert_with(|| AverageSet {
                    fiscal_year: fy,
                    scope,
                    values: BTreeMap::new(),
                    imported_at: at,
                    imported_by: by.clone(),
                });
            set.values.insert(of(&code), Score(value));
        }
        Ok(sets.into_values().collect())
    }

    async fn replace_averages(&self, w: Write<'_>, averages: &[Average]) -> StoreResult<()> {
        let mut sets: BTreeMap<(i32, &Scope), Vec<&Average>> = BTreeMap::new();
        for a in averages {
            sets.entry((a.fiscal_year.be(), &a.scope))
                .or_default()
                .push(a);
        }
        let mut tx = self.begin().await.map_err(map_err)?;
        for ((year, scope), values) in sets {
            let old = sqlx::query("DELETE FROM ita_averages WHERE fiscal_year = $1 AND scope = $2")
                .bind(i64::from(year))
                .bind(scope.as_str())
                .execute(&mut *tx)
                .await
                .map_err(map_err)?
                .rows_affected();
            for a in &values {
                sqlx::query(
                    "INSERT INTO ita_averages (fiscal_year, scope, code, value, imported_at, imported_by)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(i64::from(year))
                .bind(scope.as_str())
                .bind(a.of.code())
                .bind(i64::from(a.value.0))
                .bind(w.at)
                .bind(&w.actor.label)
                .execute(&mut *tx)
                .await
                .map_err(map_err)?;
            }
            let total = values
                .iter()
                .find(|a| a.of == Of::Total)
                .map(|a| framework::format_hundredths(i64::from(a.value.0)));
            let changes = vec![
                Change {
                    field: "figures".into(),
                    old: (old > 0).then(|| old.to_string()),
                    new: Some(values.len().to_string()),
                },
                Change {
                    field: "total".into(),
                    old: None,
                    new: total,
                },
            ];
            let id = format!("{year}/{}", scope.as_str());
            audit::append(
                &mut tx,
                w,
                None,
                &AuditEvent::new("ita-averages", id.as_str(), "import", changes),
            )
            .await
            .map_err(map_err)?;
        }
        tx.commit().await.map_err(map_err)
    }
}
