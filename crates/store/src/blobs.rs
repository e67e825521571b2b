//! File contents on the local filesystem, named by their SHA-256.

use std::path::{Path, PathBuf};

use prongsai_domain::platform::file::BlobStore;
use tokio::io::AsyncWriteExt;

/// Stores blobs under `root/ab/cd/abcd…`. Writes go to a temporary file that is synced and then
/// renamed, so a crash never leaves half a file under a real name.
#[derive(Debug, Clone)]
pub struct LocalBlobs {
    root: PathBuf,
}

impl LocalBlobs {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn path(&self, key: &str) -> std::io::Result<PathBuf> {
        let valid = key.len() == 64
            && key
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
        if !valid {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "blob keys are hex SHA-256",
            ));
        }
        Ok(self.root.join(&key[..2]).join(&key[2..4]).join(key))
    }
}

#[async_trait::async_trait]
impl BlobStore for LocalBlobs {
    async fn put(&self, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.path(key)?;
        if tokio::fs::try_exists(&path).await? {
            return Ok(());
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        tokio::fs::create_dir_all(dir).await?;
        let tmp = dir.join(format!(".{key}.tmp"));
        let mut f = tokio::fs::File::create(&tmp).await?;
        f.write_all(bytes).await?;
        f.sync_all().await?;
        drop(f);
        tokio::fs::rename(&tmp, &path).await?;
        if let Ok(d) = tokio::fs::File::open(dir).await {
            d.sync_all().await?;
        }
        Ok(())
    }

    async fn get(&self, key: &str) -> std::io::Result<Vec<u8>> {
        tokio::fs::read(self.path(key)?).await
    }
}
