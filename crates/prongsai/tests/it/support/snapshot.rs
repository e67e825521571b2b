//! What the database holds, as text, for "nothing changed" assertions, and the schema as the
//! backend describes it.

use std::collections::BTreeMap;

use prongsai_domain::ids::AgencyId;
use prongsai_store::{Backend, Db};

/// Every table's rows, each rendered as one line, sorted.
pub type Snapshot = BTreeMap<String, Vec<String>>;

/// The tables of the database (of the test's schema on PostgreSQL), sorted. SQLite's FTS5
/// tables (a virtual table and its shadow tables) are left out: they are an index, as the
/// pg_trgm GIN index is on PostgreSQL, and their rows mirror a real table's.
pub async fn tables(db: &Db) -> Vec<String> {
    let sql = match db.backend() {
        Backend::Sqlite => {
            "SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
             AND NOT EXISTS (SELECT 1 FROM sqlite_master v
                 WHERE v.type = 'table' AND v.sql LIKE 'CREATE VIRTUAL TABLE%'
                 AND (m.name = v.name OR substr(m.name, 1, length(v.name) + 1) = v.name || '_'))
             ORDER BY m.name"
        }
        Backend::Postgres => {
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
        }
    };
    sqlx::query_scalar(sql)
        .fetch_all(db.pool())
        .await
        .expect("list tables")
}

/// The column names of a table, in declaration order.
pub async fn columns(db: &Db, table: &str) -> Vec<String> {
    let sql = match db.backend() {
        Backend::Sqlite => "SELECT name FROM pragma_table_info($1) ORDER BY cid",
        Backend::Postgres => {
            "SELECT column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position"
        }
    };
    sqlx::query_scalar(sql)
        .bind(table)
        .fetch_all(db.pool())
        .await
        .expect("list columns")
}

/// The query that reads `table`'s rows matching `filter` (an SQL condition, or "" for all), one
/// line of text per row.
async fn rows_sql(db: &Db, table: &str, filter: &str) -> String {
    let cols = columns(db, table).await;
    let cast = |c: &str| match db.backend() {
        // quote() renders every value, blobs included, as an unambiguous SQL literal.
        Backend::Sqlite => format!("quote(\"{c}\")"),
        Backend::Postgres => format!("COALESCE(quote_nullable(\"{c}\"::text), 'NULL')"),
    };
    let line = cols
        .iter()
        .map(|c| format!("'{c}=' || {}", cast(c)))
        .collect::<Vec<_>>()
        .join(" || ' | ' || ");
    if filter.is_empty() {
        format!("SELECT {line} FROM \"{table}\"")
    } else {
        format!("SELECT {line} FROM \"{table}\" WHERE {filter}")
    }
}

/// The queries of a snapshot, prepared once, for tests that take many.
pub struct Snapshotter(Vec<(String, String)>);

impl Snapshotter {
    /// Every table but `exclude`.
    pub async fn all(db: &Db, exclude: &[&str]) -> Self {
        let mut q = Vec::new();
        for t in tables(db).await {
            if !exclude.contains(&t.as_str()) {
                let sql = rows_sql(db, &t, "").await;
                q.push((t, sql));
            }
        }
        Self(q)
    }

    /// Everything that belongs to one agency: its row, every row carrying its `agency_id`, the
    /// accounts of its members and their sessions, its audit chain, and the tables that belong to
    /// no agency at all (the search index aside). A new agency-owned table is covered as soon as
    /// it has an `agency_id` column.
    pub async fn agency(db: &Db, agency: AgencyId) -> Self {
        let a = agency.get();
        let members = format!("(SELECT account_id FROM memberships WHERE agency_id = {a})");
        let mut q = Vec::new();
        for t in tables(db).await {
            // The search index is derived, and a search may refresh it (scheduled news that has
            // gone public): reading it is not changing the agency's data.
            if t == "search_docs" {
                continue;
            }
            let cols = columns(db, &t).await;
            let filter = if cols.iter().any(|c| c == "agency_id") {
                format!("agency_id = {a}")
            } else {
                match t.as_str() {
                    "agencies" => format!("id = {a}"),
                    "accounts" => format!("id IN {members}"),
                    "sessions" => format!("account_id IN {members}"),
                    "audit_heads" => format!("chain = {a}"),
                    _ => String::new(),
                }
            };
            let sql = rows_sql(db, &t, &filter).await;
            q.push((t, sql));
        }
        Self(q)
    }

    pub async fn take(&self, db: &Db) -> Snapshot {
        let mut s = Snapshot::new();
        for (table, sql) in &self.0 {
            let mut rows: Vec<String> = sqlx::query_scalar(sql)
                .fetch_all(db.pool())
                .await
                .unwrap_or_else(|e| panic!("read {table}: {e}"));
            rows.sort();
            s.insert(table.clone(), rows);
        }
        s
    }
}

/// Every table but `exclude`.
pub async fn snapshot(db: &Db, exclude: &[&str]) -> Snapshot {
    Snapshotter::all(db, exclude).await.take(db).await
}

/// Every table, sessions excepted (reading a page may refresh a session).
pub async fn snapshot_all(db: &Db) -> Snapshot {
    snapshot(db, &["sessions"]).await
}

/// Everything that belongs to one agency (see [`Snapshotter::agency`]).
pub async fn snapshot_agency(db: &Db, agency: AgencyId) -> Snapshot {
    Snapshotter::agency(db, agency).await.take(db).await
}

/// Fails with the tables that differ.
#[track_caller]
pub fn assert_unchanged(before: &Snapshot, after: &Snapshot, context: &str) {
    if before == after {
        return;
    }
    let mut diff = String::new();
    for (t, rows) in after {
        let old = before.get(t).cloned().unwrap_or_default();
        if &old != rows {
            let gone: Vec<_> = old.iter().filter(|r| !rows.contains(r)).collect();
            let new: Vec<_> = rows.iter().filter(|r| !old.contains(r)).collect();
            diff.push_str(&format!("\n  table {t}:\n    - {gone:?}\n    + {new:?}"));
        }
    }
    panic!("{context}: the data changed{diff}");
}
