//! The store error: the middle tier of the three error tiers.

/// What a store method can fail with. Domain services turn these into their own errors.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row does not exist, or it belongs to another agency.
    #[error("not found")]
    NotFound,
    /// A uniqueness or foreign-key rule refused the write.
    #[error("conflict with existing data")]
    Conflict,
    /// Anything else: the database is down, a bug, a full disk.
    #[error(transparent)]
    Other(Box<dyn std::error::Error + Send + Sync>),
}

impl StoreError {
    pub fn other(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::Other(e.into())
    }
}

pub type StoreResult<T> = Result<T, StoreError>;
