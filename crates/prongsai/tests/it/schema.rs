//! Schema rules, checked by asking the database in use what it holds, and the rule that both
//! backends get the same migrations.

use std::collections::{BTreeMap, BTreeSet};

use prongsai_store::{Backend, Db, MIGRATIONS, render_migration};

use crate::support::db::pg_base_url;
use crate::support::snapshot::{columns, tables};
use crate::support::*;

/// What the database says about a table's `agency_id`.
#[derive(Debug)]
struct AgencyColumn {
    not_null: bool,
    /// A foreign key of `agency_id` alone to `agencies (id)`; `Some(true)` when it cascades.
    fk_to_agencies: Option<bool>,
    /// Every foreign key of the table: (columns, referenced table).
    foreign_keys: Vec<(Vec<String>, String)>,
    /// The first column of each index (primary keys included).
    index_first_columns: Vec<String>,
}

async fn inspect(db: &Db, table: &str) -> AgencyColumn {
    match db.backend() {
        Backend::Sqlite => inspect_sqlite(db, table).await,
        Backend::Postgres => inspect_postgres(db, table).await,
    }
}

async fn inspect_sqlite(db: &Db, table: &str) -> AgencyColumn {
    let not_null: Option<i64> = sqlx::query_scalar(
        "SELECT \"notnull\" FROM pragma_table_info($1) WHERE name = 'agency_id'",
    )
    .bind(table)
    .fetch_optional(db.pool())
    .await
    .unwrap();
    let fks: Vec<(i64, i64, String, String, String, String)> = sqlx::query_as(
        "SELECT id, seq, \"table\", \"from\", COALESCE(\"to\", ''), on_delete FROM pragma_foreign_key_list($1) ORDER BY id, seq",
    )
    .bind(table)
    .fetch_all(db.pool())
    .await
    .unwrap();
    let mut by_id: BTreeMap<i64, (Vec<String>, String, Vec<String>, String)> = BTreeMap::new();
    for (id, _, parent, from, to, on_delete) in fks {
        let e = by_id
            .entry(id)
            .or_insert_with(|| (Vec::new(), parent, Vec::new(), on_delete));
        e.0.push(from);
        e.2.push(to);
    }
    let fk_to_agencies = by_id
        .values()
        .find(|(from, parent, to, _)| {
            from == &["agency_id"] && parent == "agencies" && (to == &["id"] || to == &[""])
        })
        .map(|(_, _, _, on_delete)| on_delete.eq_ignore_ascii_case("CASCADE"));
    let indexes: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_index_list($1)")
        .bind(table)
        .fetch_all(db.pool())
        .await
        .unwrap();
    let mut firsts = Vec::new();
    for i in indexes {
        let first: Option<Option<String>> =
            sqlx::query_scalar("SELECT name FROM pragma_index_info($1) WHERE seqno = 0")
                .bind(&i)
                .fetch_optional(db.pool())
                .await
                .unwrap();
        firsts.push(first.flatten().unwrap_or_default());
    }
    AgencyColumn {
        not_null: not_null == Some(1),
        fk_to_agencies,
        foreign_keys: by_id.into_values().map(|(f, p, _, _)| (f, p)).collect(),
        index_first_columns: firsts,
    }
}

async fn inspect_postgres(db: &Db, table: &str) -> AgencyColumn {
    let oid = "(SELECT c.oid FROM pg_class c WHERE c.relname = $1 AND c.relnamespace = current_schema()::regnamespace)";
    let not_null: Option<String> = sqlx::query_scalar(
        "SELECT is_nullable::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1 AND column_name = 'agency_id'",
    )
    .bind(table)
    .fetch_optional(db.pool())
    .await
    .unwrap();
    let fks: Vec<(String, String, String)> = sqlx::query_as(&format!(
        "SELECT
            (SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(num, ord)
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num),
            (SELECT t.relname::text FROM pg_class t WHERE t.oid = c.confrelid),
            c.confdeltype::text
         FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = {oid}"
    ))
    .bind(table)
    .fetch_all(db.pool())
    .await
    .unwrap();
    let fk_to_agencies = fks
        .iter()
        .find(|(cols, parent, _)| cols == "agency_id" && parent == "agencies")
        .map(|(_, _, del)| del == "c");
    let firsts: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT COALESCE((SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = x.indrelid AND a.attnum = x.indkey[0]), '')
         FROM pg_index x WHERE x.indrelid = {oid}"
    ))
    .bind(table)
    .fetch_all(db.pool())
    .await
    .unwrap();
    AgencyColumn {
        not_null: not_null.as_deref() == Some("NO"),
        fk_to_agencies,
        foreign_keys: fks
            .into_iter()
            .map(|(cols, parent, _)| (cols.split(',').map(str::to_owned).collect(), parent))
            .collect(),
        index_first_columns: firsts,
    }
}

#[tokio::test]
async fn every_agency_owned_table_has_a_not_null_agency_id_with_a_foreign_key_and_an_index() {
    let t = TestDb::new().await;
    let mut checked = Vec::new();
    let mut problems = Vec::new();
    for table in tables(&t.db).await {
        if !columns(&t.db, &table)
            .await
            .iter()
            .any(|c| c == "agency_id")
        {
            continue;
        }
        let c = inspect(&t.db, &table).await;
        if table == "audit_log" {
            // The history outlives the agency: nullable (platform events) and no foreign key.
            assert!(
                !c.not_null,
                "audit_log.agency_id is NULL for platform events"
            );
            assert!(
                c.foreign_keys.is_empty(),
                "audit_log must have no foreign key, or deleting an agency would touch its history: {:?}",
                c.foreign_keys
            );
            assert!(c.index_first_columns.iter().any(|f| f == "agency_id"));
            continue;
        }
        checked.push(table.clone());
        if !c.not_null {
            problems.push(format!("{table}.agency_id is nullable"));
        }
        match c.fk_to_agencies {
            None => problems.push(format!("{table}.agency_id has no foreign key to agencies")),
            Some(false) => problems.push(format!(
                "{table}.agency_id does not cascade: deleting an agency (demo reset) would fail or leave orphans"
            )),
            Some(true) => {}
        }
        if !c.index_first_columns.iter().any(|f| f == "agency_id") {
            problems.push(format!(
                "{table} has no index starting with agency_id (has {:?})",
                c.index_first_columns
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "schema rule broken:\n{}",
        problems.join("\n")
    );
    for t in [
        "files",
        "divisions",
        "people",
        "memberships",
        "role_grants",
        "fiscal_years",
    ] {
        assert!(
            checked.iter().any(|c| c == t),
            "{t} was not checked: {checked:?}"
        );
    }
}

/// The tables and their columns as a migration's SQL declares them.
fn declared(sql: &str) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in sql.lines() {
        let l = line.trim();
        let upper = l.to_ascii_uppercase();
        if let Some(rest) = upper.strip_prefix("CREATE TABLE ") {
            let name = rest
                .trim_start_matches("IF NOT EXISTS ")
                .split([' ', '('])
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            out.entry(name.clone()).or_default();
            current = Some(name);
        } else if l.starts_with(')') {
            // ");" or ") WITHOUT ROWID;"
            current = None;
        } else if let Some(t) = &current {
            let first = upper.split_whitespace().next().unwrap_or("");
            let constraint = ["PRIMARY", "FOREIGN", "UNIQUE", "CHECK", "CONSTRAINT", "--"]
                .iter()
                .any(|k| first.starts_with(k));
            if !first.is_empty() && !constraint {
                let col = l
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                out.entry(t.clone()).or_default().insert(col);
            }
        } else if upper.starts_with("ALTER TABLE ") && upper.contains(" ADD COLUMN ") {
            let table = l
                .split_whitespace()
                .nth(2)
                .unwrap_or("")
                .to_ascii_lowercase();
            let col = upper
                .split(" ADD COLUMN ")
                .nth(1)
                .and_then(|r| r.split_whitespace().next())
                .unwrap_or("")
                .to_ascii_lowercase();
            out.entry(table).or_default().insert(col);
        }
    }
    out
}

fn index_names(sql: &str) -> BTreeSet<String> {
    sql.lines()
        .filter_map(|l| {
            let u = l.trim().to_ascii_uppercase();
            let rest = u
                .strip_prefix("CREATE UNIQUE INDEX ")
                .or_else(|| u.strip_prefix("CREATE INDEX "))?;
            Some(rest.split_whitespace().next()?.to_ascii_lowercase())
        })
        .collect()
}

#[tokio::test]
async fn both_backends_get_the_same_migrations_with_the_same_tables_columns_and_indexes() {
    let mut versions = BTreeSet::new();
    for (version, name, source) in MIGRATIONS {
        assert!(
            versions.insert(*version),
            "migration {version} listed twice"
        );
        assert!(!name.is_empty());
        let lite = render_migration(source, Backend::Sqlite);
        let pg = render_migration(source, Backend::Postgres);
        for sql in [&lite, &pg] {
            assert!(
                !sql.lines().any(|l| l.trim().starts_with("-- @")),
                "migration {version}: a dialect marker leaked"
            );
        }
        assert_eq!(
            declared(&lite),
            declared(&pg),
            "migration {version} ({name}): the two dialects declare different tables or columns"
        );
        assert_eq!(
            index_names(&lite),
            index_names(&pg),
            "migration {version} ({name}): the two dialects declare different indexes"
        );
    }
    // The database in use applied exactly that list, under the same versions and names.
    let t = TestDb::new().await;
    let applied: Vec<(i64, String)> =
        sqlx::query_as("SELECT version, description FROM _sqlx_migrations ORDER BY version")
            .fetch_all(t.db.pool())
            .await
            .unwrap();
    let expected: Vec<(i64, String)> = MIGRATIONS
        .iter()
        .map(|(v, n, _)| (*v, (*n).to_owned()))
        .collect();
    assert_eq!(applied, expected);
    assert!(t.db.pending_migrations().await.unwrap().is_empty());
    t.db.migrate().await.expect("migrating twice is harmless");
}

/// Tables and column names as the database reports them.
async fn shape(db: &Db) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for t in tables(db).await {
        let cols = columns(db, &t).await.into_iter().collect();
        out.insert(t, cols);
    }
    out
}

#[tokio::test]
async fn the_migrated_schema_matches_the_other_backend() {
    let sqlite = TestDb::sqlite().await;
    let lite = shape(&sqlite.db).await;
    // Against the PostgreSQL dialect's declarations always…
    let mut declared_pg: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (_, _, source) in MIGRATIONS {
        for (t, cols) in declared(&render_migration(source, Backend::Postgres)) {
            declared_pg.entry(t).or_default().extend(cols);
        }
    }
    let mut lite_app = lite.clone();
    lite_app.remove("_sqlx_migrations");
    assert_eq!(
        lite_app, declared_pg,
        "SQLite's migrated schema differs from what the PostgreSQL dialect declares"
    );
    // …and against a real PostgreSQL database when the run has one.
    if pg_base_url().is_some() {
        let pg = TestDb::new().await;
        assert_eq!(pg.backend(), Backend::Postgres);
        assert_eq!(
            shape(&pg.db).await,
            lite,
            "the two backends have drifted: tables or columns differ"
        );
        let versions = |db: &Db| {
            let pool = db.pool().clone();
            async move {
                sqlx::query_as::<_, (i64, String)>(
                    "SELECT version, description FROM _sqlx_migrations ORDER BY version",
                )
                .fetch_all(&pool)
                .await
                .unwrap()
            }
        };
        assert_eq!(versions(&pg.db).await, versions(&sqlite.db).await);
    }
}

#[tokio::test]
async fn the_audit_log_refuses_update_delete_and_truncate() {
    let app = TestApp::with_demo().await;
    let db = app.store_db();
    let before = snapshot_all(db).await;
    assert!(!before["audit_log"].is_empty());
    let mut attempts = vec![
        "UPDATE audit_log SET action = 'forged'",
        "UPDATE audit_log SET changes = '[]' WHERE seq = 1",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE seq = 2",
    ];
    if db.backend() == Backend::Postgres {
        attempts.push("TRUNCATE audit_log");
    }
    for sql in attempts {
        let r = sqlx::query(sql).execute(db.pool()).await;
        let err = r.expect_err(&format!("{sql} must be refused"));
        assert!(
            err.to_string().contains("append-only"),
            "{sql}: refused for the wrong reason: {err}"
        );
    }
    assert_unchanged(&before, &snapshot_all(db).await, "after refused tampering");
}
