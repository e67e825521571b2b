//! A fresh database for each test: a new SQLite file in a temporary folder, or, when
//! `PRONGSAI_TEST_DATABASE_URL` names a PostgreSQL database, a new schema in it.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use prongsai_store::{Backend, Db, DbOptions};
use sqlx::Connection;

/// The variable that switches the suite to PostgreSQL.
pub const PG_ENV: &str = "PRONGSAI_TEST_DATABASE_URL";

/// A name nobody else uses: `prefix` and 16 random hex digits.
pub fn unique(prefix: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let mut h = RandomState::new().build_hasher();
    h.write_u64(N.fetch_add(1, Ordering::Relaxed));
    h.write_u32(std::process::id());
    format!("{prefix}{:016x}", h.finish())
}

/// A temporary folder, deleted on drop.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> Self {
        let p = std::env::temp_dir().join(unique("prongsai-it-"));
        std::fs::create_dir_all(&p).expect("create a temporary folder");
        Self(p)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The PostgreSQL URL of the run, if the suite runs on PostgreSQL. Anything else than a
/// `postgres://` URL in the variable is a mistake, and fails the test.
pub fn pg_base_url() -> Option<String> {
    let url = std::env::var(PG_ENV)
        .ok()
        .filter(|u| !u.trim().is_empty())?;
    assert!(
        Backend::of_url(&url) == Some(Backend::Postgres),
        "{PG_ENV} must be a postgres:// URL, not {url:?}"
    );
    Some(url)
}

enum Cleanup {
    Sqlite(TempDir),
    Postgres { base: String, schema: String },
}

/// A migrated, empty database of its own.
pub struct TestDb {
    pub db: Db,
    /// The URL to give the binary's `--database`.
    pub url: String,
    cleanup: Cleanup,
}

impl TestDb {
    /// A database on the backend of this run.
    pub async fn new() -> Self {
        match pg_base_url() {
            Some(base) => Self::postgres(&base).await,
            None => Self::sqlite().await,
        }
    }

    /// A SQLite database, whatever the backend of the run.
    pub async fn sqlite() -> Self {
        let dir = TempDir::new();
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let db = Db::connect(&url, &DbOptions::default())
            .await
            .expect("open the SQLite test database");
        db.migrate()
            .await
            .expect("migrate the SQLite test database");
        Self {
            db,
            url,
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    /// A new schema in the PostgreSQL database of the run. A database that cannot be reached is a
    /// failure, never a skip.
    async fn postgres(base: &str) -> Self {
        let schema = unique("t_");
        let mut conn = sqlx::PgConnection::connect(base)
            .await
            .unwrap_or_else(|e| panic!("{PG_ENV} is set but the database cannot be reached: {e}"));
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("cannot create the test schema {schema}: {e}"));
        let _ = conn.close().await;
        let sep = if base.contains('?') { '&' } else { '?' };
        // The application name marks the test's connections, so that they can be ended when the
        // test is over, even if a dropped transaction still holds a lock.
        let url =
            format!("{base}{sep}options=-c%20search_path%3D{schema}&application_name={schema}");
        let db = Db::connect(&url, &DbOptions::default())
            .await
            .unwrap_or_else(|e| panic!("cannot connect to the test schema {schema}: {e}"));
        db.migrate()
            .await
            .expect("migrate the PostgreSQL test schema");
        Self {
            db,
            url,
            cleanup: Cleanup::Postgres {
                base: base.to_owned(),
                schema,
            },
        }
    }

    pub fn backend(&self) -> Backend {
        self.db.backend()
    }

    /// The database file, on SQLite.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        match &self.cleanup {
            Cleanup::Sqlite(dir) => Some(dir.path().join("test.db")),
            Cleanup::Postgres { .. } => None,
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Cleanup::Postgres { base, schema } = &self.cleanup else {
            return;
        };
        // Best effort, on a thread of its own: Drop cannot await, and the test's runtime may be
        // the one this thread is running.
        let (base, schema) = (base.clone(), schema.clone());
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                if let Ok(mut conn) = sqlx::PgConnection::connect(&base).await {
                    let _ = sqlx::query(
                        "SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity WHERE application_name = $1",
                    )
                    .bind(&schema)
                    .fetch_all(&mut conn)
                    .await;
                    let _ = sqlx::query("SET lock_timeout = '5s'")
                        .execute(&mut conn)
                        .await;
                    let _ = sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                        .execute(&mut conn)
                        .await;
                    let _ = conn.close().await;
                }
            });
        })
        .join();
    }
}
