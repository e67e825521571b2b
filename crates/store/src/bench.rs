//! Scratch data for the benchmarks of `prongsai bench`: bulk rows written straight into a
//! database that holds nothing else, and the plain SQL the benchmarks compare against. Never
//! used on a real installation's database.

use crate::Db;

/// One value of a bulk row.
pub enum Value {
    Int(i64),
    Text(String),
    Null,
}

pub type Row = Vec<Value>;

/// Multi-row INSERT: `rows` rows of `cols` placeholders.
fn insert_sql(table: &str, cols: &[&str], rows: usize) -> String {
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", cols.join(", "));
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..cols.len() {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("${}", r * cols.len() + c + 1));
        }
        sql.push(')');
    }
    sql
}

/// Inserts rows in batches inside one transaction.
pub async fn insert_all(db: &Db, table: &str, cols: &[&str], rows: &[Row]) -> Result<(), String> {
    let per = (3_000 / cols.len()).max(1);
    let mut tx = db.pool().begin().await.map_err(|e| e.to_string())?;
    for chunk in rows.chunks(per) {
        let sql = insert_sql(table, cols, chunk.len());
        let mut q = sqlx::query(&sql);
        for row in chunk {
            for v in row {
                q = match v {
                    Value::Int(i) => q.bind(*i),
                    Value::Text(t) => q.bind(t.clone()),
                    Value::Null => q.bind(None::<i64>),
                };
            }
        }
        q.execute(&mut *tx)
            .await
            .map_err(|e| format!("{table}: {e}"))?;
    }
    tx.commit().await.map_err(|e| e.to_string())
}

/// How many agencies the database holds.
pub async fn agency_count(db: &Db) -> Result<i64, String> {
    sqlx::query_scalar("SELECT COUNT(*) FROM agencies")
        .fetch_one(db.pool())
        .await
        .map_err(|e| e.to_string())
}

/// Refreshes the planner's statistics of a table after a bulk load (`ANALYZE`, as autovacuum or
/// SQLite's `optimize` would do in time); without them PostgreSQL may not choose the right index.
pub async fn analyze(db: &Db, table: &str) -> Result<(), String> {
    if !table.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        return Err(format!("not a table name: {table}"));
    }
    sqlx::query(&format!("ANALYZE {table}"))
        .execute(db.pool())
        .await
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// One plain `GROUP BY` over a year's answers and OIT verdicts (what a report in SQL alone would
/// do: count and sum, no scoring); returns the number of groups.
pub async fn group_by_year(db: &Db, year: i32) -> Result<usize, String> {
    let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT s.agency_id, s.instrument, COUNT(*), CAST(SUM(LENGTH(r.levels)) AS BIGINT)
         FROM ita_responses r JOIN ita_surveys s ON s.agency_id = r.agency_id AND s.id = r.survey_id
         WHERE s.fiscal_year = $1 GROUP BY s.agency_id, s.instrument",
    )
    .bind(i64::from(year))
    .fetch_all(db.pool())
    .await
    .map_err(|e| e.to_string())?;
    let oit: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT agency_id, CAST(SUM(verdict) AS BIGINT) FROM oit_items WHERE fiscal_year = $1 GROUP BY agency_id",
    )
    .bind(i64::from(year))
    .fetch_all(db.pool())
    .await
    .map_err(|e| e.to_string())?;
    Ok(rows.len() + oit.len())
}
