//! Prongsai storage: the domain's store traits implemented once, in SQL that runs on both SQLite
//! and PostgreSQL through sqlx's `Any` driver. See `docs/DATABASE.md` for how the two backends
//! are kept to one behaviour.
//!
//! Invariants:
//! - Every write runs in one transaction together with its audit entry ([`audit::append`]).
//! - Every query on agency-owned data filters on `agency_id`; composite foreign keys
//!   `(agency_id, x_id)` make cross-agency references impossible in the schema itself.
//! - On SQLite, write transactions start with `BEGIN IMMEDIATE`, so that they queue on the busy
//!   timeout instead of failing when two writers meet.

pub mod bench;
mod blobs;
mod cases;
mod ita;
mod ita_averages;
mod ita_frameworks;
mod ita_survey;
mod measures;
mod migrations;
mod oit;
mod platform;
mod portal;
mod row;
mod search;

use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{Any, AnyPool, Executor, Transaction};

pub use blobs::LocalBlobs;
pub use migrations::{MIGRATIONS, render_migration};
pub(crate) use platform::audit;

/// Which database a URL points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend of a connection URL, or `None` for an unsupported scheme.
    pub fn of_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Self::Postgres)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// Why the database could not be opened, migrated or backed up.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL (use sqlite://PATH or postgres://…)")]
    UnsupportedUrl,
    #[error("cannot connect to the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("cannot apply migrations: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
    #[error(
        "the database has migration {0} which this version of Prongsai does not know; upgrade Prongsai"
    )]
    UnknownMigration(i64),
    #[error("online backup is for SQLite; for PostgreSQL use pg_dump")]
    BackupNeedsPgDump,
    #[error("backup failed: {0}")]
    Backup(#[source] sqlx::Error),
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
}

/// Pool settings.
#[derive(Debug, Clone)]
pub struct DbOptions {
    pub max_connections: u32,
    /// How long a SQLite writer waits for the write lock.
    pub busy_timeout: Duration,
}

impl Default for DbOptions {
    fn default() -> Self {
        Self {
            max_connections: 8,
            busy_timeout: Duration::from_secs(5),
        }
    }
}

/// The database: a pool and its backend. Cheap to clone. Implements every store trait.
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// The survey answers' group-commit writer, started on first use (SQLite only).
    answers: std::sync::Arc<std::sync::OnceLock<ita_survey::AnswerQueue>>,
}

impl Db {
    /// Opens a pool. SQLite files are created if missing, in WAL mode with foreign keys on, a
    /// busy timeout and `synchronous=FULL`, so that an acknowledged commit survives power loss,
    /// and `secure_delete`, so that deleted rows do not linger in the file.
    pub async fn connect(url: &str, opts: &DbOptions) -> Result<Self, DbError> {
        install_default_drivers();
        let backend = Backend::of_url(url).ok_or(DbError::UnsupportedUrl)?;
        let busy_ms = opts.busy_timeout.as_millis();
        let mut pool = AnyPoolOptions::new()
            .max_connections(opts.max_connections)
            .min_connections(0)
            .acquire_timeout(Duration::from_secs(10));
        let url = match backend {
            Backend::Sqlite => {
                pool = pool.after_connect(move |conn, _| {
                    Box::pin(async move {
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        // Deleted rows are overwritten, not left in free pages: a used survey
                        // code (and, later, a purged case) must not survive in the file.
                        conn.execute("PRAGMA secure_delete = ON").await?;
                        conn.execute(format!("PRAGMA busy_timeout = {busy_ms}").as_str())
                            .await?;
                        Ok(())
                    })
                });
                if url.contains('?') {
                    url.to_owned()
                } else {
                    format!("{url}?mode=rwc")
                }
            }
            Backend::Postgres => url.to_owned(),
        };
        let pool = pool.connect(&url).await.map_err(DbError::Connect)?;
        Ok(Self {
            pool,
            backend,
            answers: std::sync::Arc::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Applies the migrations that are not applied yet.
    pub async fn migrate(&self) -> Result<(), DbError> {
        migrations::migrator(self.backend)
            .run(&self.pool)
            .await
            .map_err(|e| match e {
                sqlx::migrate::MigrateError::VersionMissing(v) => DbError::UnknownMigration(v),
                other => DbError::Migrate(other),
            })
    }

    /// The versions of the known migrations not yet applied.
    pub async fn pending_migrations(&self) -> Result<Vec<i64>, DbError> {
        let exists: Option<i64> = match self.backend {
            Backend::Sqlite => sqlx::query_scalar(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
            )
            .fetch_optional(&self.pool)
            .await?,
            Backend::Postgres => sqlx::query_scalar(
                "SELECT 1::BIGINT FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '_sqlx_migrations'",
            )
            .fetch_optional(&self.pool)
            .await?,
        };
        let applied: Vec<i64> = if exists.is_some() {
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success = TRUE")
                .fetch_all(&self.pool)
                .await?
        } else {
            Vec::new()
        };
        Ok(MIGRATIONS
            .iter()
            .map(|m| m.0)
            .filter(|v| !applied.contains(v))
            .collect())
    }

    /// Writes a consistent copy of a live SQLite database to `path` (`VACUUM INTO`), while the
    /// server keeps serving. PostgreSQL has `pg_dump` for this.
    pub async fn backup_to(&self, path: &std::path::Path) -> Result<(), DbError> {
        if self.backend != Backend::Sqlite {
            return Err(DbError::BackupNeedsPgDump);
        }
        sqlx::query("VACUUM INTO $1")
            .bind(path.to_string_lossy().into_owned())
            .execute(&self.pool)
            .await
            .map_err(DbError::Backup)?;
        Ok(())
    }

    /// Closes the pool, waiting for connections in use.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Starts a write transaction (`BEGIN IMMEDIATE` on SQLite).
    pub(crate) async fn begin(&self) -> sqlx::Result<Transaction<'static, Any>> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }
}

/// Whether a text a caller looks rows up by contains NUL. PostgreSQL text cannot hold it (the
/// query fails) and no stored value has it (the field parsers remove control characters), so
/// such a lookup finds nothing, on both backends, without asking the database.
pub(crate) fn has_nul(s: &str) -> bool {
    s.contains('\0')
}

/// Turns a sqlx error into the domain's store error, by the portable error kind.
pub(crate) fn map_err(e: sqlx::Error) -> prongsai_domain::StoreError {
    use prongsai_domain::StoreError;
    use sqlx::error::ErrorKind;
    match &e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(d)
            if matches!(
                d.kind(),
                ErrorKind::UniqueViolation | ErrorKind::ForeignKeyViolation
            ) =>
        {
            StoreError::Conflict
        }
        _ => StoreError::other(e),
    }
}
