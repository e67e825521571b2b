//! Instance-wide keys and the health check.

use async_trait::async_trait;
use prongsai_domain::error::StoreResult;
use prongsai_domain::platform::InstanceStore;

use crate::{Db, map_err};

#[async_trait]
impl InstanceStore for Db {
    async fn instance_key(&self, name: &str, init: &[u8]) -> StoreResult<Vec<u8>> {
        sqlx::query(
            "INSERT INTO instance_keys (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(init.to_vec())
        .execute(self.pool())
        .await
        .map_err(map_err)?;
        sqlx::query_scalar("SELECT value FROM instance_keys WHERE name = $1")
            .bind(name)
            .fetch_one(self.pool())
            .await
            .map_err(map_err)
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1")
            .execute(self.pool())
            .await
            .map_err(map_err)?;
        Ok(())
    }
}
