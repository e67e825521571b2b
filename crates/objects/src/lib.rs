//! File contents in S3-compatible object storage: AWS S3, or MinIO, Ceph, Wasabi, NIPA Cloud and
//! the like through their endpoint. [`S3Blobs`] implements the domain's [`BlobStore`]; the binary
//! chooses it instead of the local folder when `[files] store = "s3"`.
//!
//! Objects are named `{prefix}{sha256}` (the prefix may be empty). Errors come back as
//! `std::io::Error`: a missing object is `ErrorKind::NotFound`, as a missing local file is; every
//! message names the bucket and the endpoint and never carries the secret key.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path;
use object_store::{ClientOptions, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig};
use prongsai_domain::platform::file::BlobStore;
use prongsai_domain::platform::session::hex_sha256;

/// Where and how to reach the bucket.
#[derive(Clone, PartialEq, Eq)]
pub struct S3Config {
    pub bucket: String,
    /// `us-east-1` when the service does not care (MinIO, Ceph).
    pub region: String,
    /// `https://host[:port]` of an S3-compatible service; none for AWS itself.
    pub endpoint: Option<String>,
    /// Address the bucket as `https://bucket.host/key` instead of `https://host/bucket/key`.
    /// With an endpoint, the endpoint must then name the bucket's host.
    pub virtual_hosted: bool,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Put before every object name, e.g. `prongsai/`; empty for none.
    pub prefix: String,
}

impl fmt::Debug for S3Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Config")
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("virtual_hosted", &self.virtual_hosted)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"[redacted]")
            .field("prefix", &self.prefix)
            .finish()
    }
}

/// Why the bucket cannot be used. Messages name the bucket and the endpoint, never the secret.
#[derive(Debug, thiserror::Error)]
pub enum S3Error {
    #[error("[files] {setting}: {reason}")]
    Invalid {
        setting: &'static str,
        reason: String,
    },
    #[error("the S3 bucket {bucket:?} does not exist at {endpoint}")]
    NoBucket { bucket: String, endpoint: String },
    #[error(
        "the S3 service at {endpoint} refused the credentials for bucket {bucket:?} \
         (access key id {access_key_id:?}; check the access key and the secret): {detail}"
    )]
    Refused {
        bucket: String,
        endpoint: String,
        access_key_id: String,
        detail: String,
    },
    #[error("the S3 bucket {bucket:?} at {endpoint} does not answer: {detail}")]
    Unreachable {
        bucket: String,
        endpoint: String,
        detail: String,
    },
}

impl S3Config {
    /// Checks the settings without any network: a bucket name S3 accepts, an `http(s)://`
    /// endpoint with a host, both halves of the key, a prefix without `..` or empty segments.
    pub fn validate(&self) -> Result<(), S3Error> {
        let invalid = |setting, reason: &str| {
            Err(S3Error::Invalid {
                setting,
                reason: reason.to_owned(),
            })
        };
        let b = &self.bucket;
        if b.is_empty() {
            return invalid("bucket", "store = \"s3\" needs a bucket name");
        }
        let ok = (3..=63).contains(&b.len())
            && b.bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'.' || c == b'-')
            && b.starts_with(|c: char| c.is_ascii_alphanumeric())
            && b.ends_with(|c: char| c.is_ascii_alphanumeric());
        if !ok {
            return Err(S3Error::Invalid {
                setting: "bucket",
                reason: format!(
                    "{b:?} is not a bucket name (3 to 63 lower-case letters, digits, dots and hyphens)"
                ),
            });
        }
        if self.region.trim().is_empty() {
            return invalid("region", "must not be empty (use us-east-1 if unsure)");
        }
        if let Some(e) = &self.endpoint {
            let parsed = url::Url::parse(e);
            let ok = matches!(&parsed, Ok(u) if matches!(u.scheme(), "http" | "https")
                && u.host_str().is_some_and(|h| !h.is_empty())
                && u.username().is_empty()
                && u.password().is_none()
                && u.query().is_none());
            if !ok {
                return Err(S3Error::Invalid {
                    setting: "endpoint",
                    reason: format!(
                        "{e:?} is not an endpoint URL (expected http://host:port or https://host, without credentials)"
                    ),
                });
            }
        }
        if self.access_key_id.trim().is_empty() || self.secret_access_key.is_empty() {
            return invalid(
                "access_key_id / secret_access_key",
                "store = \"s3\" needs both (in the file, PRONGSAI_S3_ACCESS_KEY_ID and \
                 PRONGSAI_S3_SECRET_ACCESS_KEY, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)",
            );
        }
        let p = self.prefix.trim_matches('/');
        if !p.is_empty() && Path::parse(p).is_err() {
            return Err(S3Error::Invalid {
                setting: "prefix",
                reason: format!("{:?} is not a usable object name prefix", self.prefix),
            });
        }
        Ok(())
    }

    /// The endpoint as shown in messages.
    pub fn endpoint_name(&self) -> String {
        self.endpoint
            .clone()
            .unwrap_or_else(|| format!("AWS S3 ({})", self.region))
    }
}

/// The blob store on an S3 bucket.
pub struct S3Blobs {
    store: Arc<AmazonS3>,
    prefix: String,
    bucket: String,
    endpoint: String,
    access_key_id: String,
    secret: String,
}

impl fmt::Debug for S3Blobs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Blobs")
            .field("bucket", &self.bucket)
            .field("endpoint", &self.endpoint)
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl S3Blobs {
    /// Builds the client; nothing is sent yet (see [`S3Blobs::check`]). Credentials come only
    /// from the configuration: the client never asks an instance-metadata service or reads
    /// `AWS_*` variables by itself.
    pub fn new(config: &S3Config) -> Result<Self, S3Error> {
        config.validate()?;
        // reqwest is built without a crypto provider of its own; ring is the one the binary
        // already carries. Installing it twice is harmless (the second call is refused).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut b = AmazonS3Builder::new()
            .with_bucket_name(&config.bucket)
            .with_region(config.region.trim())
            .with_access_key_id(config.access_key_id.trim())
            .with_secret_access_key(&config.secret_access_key)
            .with_virtual_hosted_style_request(config.virtual_hosted)
            .with_client_options(
                ClientOptions::new()
                    .with_connect_timeout(Duration::from_secs(5))
                    .with_timeout(Duration::from_secs(60)),
            )
            .with_retry(RetryConfig {
                max_retries: 3,
                retry_timeout: Duration::from_secs(30),
                ..RetryConfig::default()
            });
        if let Some(e) = &config.endpoint {
            b = b
                .with_endpoint(e.trim_end_matches('/'))
                .with_allow_http(e.starts_with("http://"));
        }
        let endpoint = config.endpoint_name();
        let store = b.build().map_err(|e| S3Error::Invalid {
            setting: "endpoint",
            reason: scrub(&e.to_string(), &config.secret_access_key),
        })?;
        let p = config.prefix.trim_matches('/');
        Ok(Self {
            store: Arc::new(store),
            prefix: if p.is_empty() {
                String::new()
            } else {
                format!("{p}/")
            },
            bucket: config.bucket.clone(),
            endpoint,
            access_key_id: config.access_key_id.trim().to_owned(),
            secret: config.secret_access_key.clone(),
        })
    }

    /// Asks the bucket for one object name under the prefix: it proves the endpoint answers,
    /// the bucket exists and the credentials are accepted. Run at start-up.
    pub async fn check(&self) -> Result<(), S3Error> {
        let prefix = self.prefix_path();
        let mut list = self.store.list(prefix.as_ref());
        match list.next().await {
            None | Some(Ok(_)) => Ok(()),
            Some(Err(e)) => Err(self.classify(&e)),
        }
    }

    /// Whether an object is stored under `key`.
    pub async fn contains(&self, key: &str) -> std::io::Result<bool> {
        let path = self.path(key)?;
        match self.store.head(&path).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(self.io_error("head", &e)),
        }
    }

    /// Copies every key of `source` that the bucket does not hold yet, checking that each
    /// content still hashes to its name. Safe to run again: what is already there is counted,
    /// not sent.
    pub async fn copy_from(&self, source: &dyn BlobStore, keys: &[String]) -> CopyReport {
        let mut report = CopyReport::default();
        for key in keys {
            match self.copy_one(source, key).await {
                Ok(true) => report.copied += 1,
                Ok(false) => report.present += 1,
                Err(e) => report.failed.push((key.clone(), e.to_string())),
            }
        }
        report
    }

    async fn copy_one(&self, source: &dyn BlobStore, key: &str) -> std::io::Result<bool> {
        if self.contains(key).await? {
            return Ok(false);
        }
        let bytes = source.get(key).await?;
        if hex_sha256(&bytes) != key {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "the content does not match its name (SHA-256); not copied",
            ));
        }
        self.upload(key, bytes).await?;
        Ok(true)
    }

    async fn upload(&self, key: &str, bytes: Vec<u8>) -> std::io::Result<()> {
        let path = self.path(key)?;
        self.store
            .put(&path, PutPayload::from(bytes))
            .await
            .map(|_| ())
            .map_err(|e| self.io_error("put", &e))
    }

    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The object name of `key`, with the prefix.
    pub fn object_name(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    fn prefix_path(&self) -> Option<Path> {
        let p = self.prefix.trim_end_matches('/');
        (!p.is_empty()).then(|| Path::from(p))
    }

    fn path(&self, key: &str) -> std::io::Result<Path> {
        if !is_key(key) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "blob keys are hex SHA-256",
            ));
        }
        Path::parse(self.object_name(key))
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string()))
    }

    fn classify(&self, e: &object_store::Error) -> S3Error {
        let detail = scrub(&e.to_string(), &self.secret);
        let refused = matches!(
            e,
            object_store::Error::PermissionDenied { .. }
                | object_store::Error::Unauthenticated { .. }
        ) || [
            "SignatureDoesNotMatch",
            "InvalidAccessKeyId",
            "AccessDenied",
            "403 Forbidden",
        ]
        .iter()
        .any(|code| detail.contains(code));
        if refused {
            S3Error::Refused {
                bucket: self.bucket.clone(),
                endpoint: self.endpoint.clone(),
                access_key_id: self.access_key_id.clone(),
                detail,
            }
        } else if matches!(e, object_store::Error::NotFound { .. })
            || detail.contains("NoSuchBucket")
        {
            S3Error::NoBucket {
                bucket: self.bucket.clone(),
                endpoint: self.endpoint.clone(),
            }
        } else {
            S3Error::Unreachable {
                bucket: self.bucket.clone(),
                endpoint: self.endpoint.clone(),
                detail,
            }
        }
    }

    fn io_error(&self, op: &str, e: &object_store::Error) -> std::io::Error {
        use std::io::ErrorKind;
        let kind = match e {
            object_store::Error::NotFound { .. } => ErrorKind::NotFound,
            object_store::Error::PermissionDenied { .. }
            | object_store::Error::Unauthenticated { .. } => ErrorKind::PermissionDenied,
            _ => ErrorKind::Other,
        };
        std::io::Error::new(
            kind,
            format!(
                "S3 {op} in bucket {:?} at {}: {}",
                self.bucket,
                self.endpoint,
                scrub(&e.to_string(), &self.secret)
            ),
        )
    }
}

#[async_trait::async_trait]
impl BlobStore for S3Blobs {
    /// Content-addressed, so an object already there is the same content: it is not sent again.
    async fn put(&self, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        if self.contains(key).await? {
            return Ok(());
        }
        self.upload(key, bytes.to_vec()).await
    }

    async fn get(&self, key: &str) -> std::io::Result<Vec<u8>> {
        let path = self.path(key)?;
        let got = self
            .store
            .get(&path)
            .await
            .map_err(|e| self.io_error("get", &e))?;
        let bytes = got.bytes().await.map_err(|e| self.io_error("get", &e))?;
        Ok(bytes.to_vec())
    }
}

/// What [`S3Blobs::copy_from`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CopyReport {
    /// Sent to the bucket.
    pub copied: usize,
    /// Already in the bucket, left alone.
    pub present: usize,
    /// Not copied, with the reason.
    pub failed: Vec<(String, String)>,
}

/// Whether `key` is a blob name: 64 lower-case hex digits.
pub fn is_key(key: &str) -> bool {
    key.len() == 64
        && key
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The blob names found under a local files folder (`LocalBlobs`' layout, `ab/cd/abcd…`, or any
/// depth): file names that are blob keys, sorted. Temporary files and anything else are left
/// out. A folder that does not exist holds none.
pub fn local_keys(root: &std::path::Path) -> std::io::Result<Vec<String>> {
    let mut keys = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && dir == root => break,
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                dirs.push(entry.path());
            } else if kind.is_file()
                && let Some(name) = entry.file_name().to_str()
                && is_key(name)
            {
                keys.push(name.to_owned());
            }
        }
    }
    keys.sort();
    keys.dedup();
    Ok(keys)
}

/// For tests: the S3-compatible endpoint named by `PRONGSAI_TEST_S3_ENDPOINT`, or `None` after
/// printing (past the test harness's capture) that the calling test is skipped.
pub fn test_endpoint() -> Option<String> {
    use std::io::Write;
    match std::env::var("PRONGSAI_TEST_S3_ENDPOINT") {
        Ok(e) if !e.is_empty() => Some(e.trim_end_matches('/').to_owned()),
        _ => {
            let _ = writeln!(
                std::io::stderr(),
                "note: PRONGSAI_TEST_S3_ENDPOINT is not set; S3 test skipped \
                 (.ci/run starts moto_server for it)"
            );
            None
        }
    }
}

/// `text` with every occurrence of `secret` replaced.
fn scrub(text: &str, secret: &str) -> String {
    if secret.is_empty() {
        text.to_owned()
    } else {
        text.replace(secret, "***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> S3Config {
        S3Config {
            bucket: "prongsai-files".into(),
            region: "us-east-1".into(),
            endpoint: Some("http://127.0.0.1:9000".into()),
            virtual_hosted: false,
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG".into(),
            prefix: String::new(),
        }
    }

    #[test]
    fn settings_are_checked_before_any_request() {
        assert!(config().validate().is_ok());
        type Change = dyn Fn(&mut S3Config);
        let cases: &[(&Change, &str)] = &[
            (&|c| c.bucket = String::new(), "bucket"),
            (&|c| c.bucket = "Bad_Bucket".into(), "bucket"),
            (&|c| c.endpoint = Some("localhost:9000".into()), "endpoint"),
            (&|c| c.endpoint = Some("ftp://host".into()), "endpoint"),
            (&|c| c.endpoint = Some("http://u:p@host".into()), "endpoint"),
            (
                &|c| c.secret_access_key = String::new(),
                "secret_access_key",
            ),
            (&|c| c.region = " ".into(), "region"),
            (&|c| c.prefix = "a/../b".into(), "prefix"),
        ];
        for (change, setting) in cases {
            let mut c = config();
            change(&mut c);
            let e = c.validate().expect_err(setting).to_string();
            assert!(e.contains(setting), "{e}");
            assert!(!e.contains("wJalrXUtnFEMI"), "{e}");
        }
    }

    #[test]
    fn the_secret_never_prints() {
        let c = config();
        assert!(!format!("{c:?}").contains("wJalrXUtnFEMI"));
        let b = S3Blobs::new(&c).unwrap();
        assert!(!format!("{b:?}").contains("wJalrXUtnFEMI"));
        assert_eq!(
            scrub("sig wJalrXUtnFEMI/K7MDENG end", &c.secret_access_key),
            "sig *** end"
        );
    }

    #[test]
    fn objects_are_named_by_prefix_and_key() {
        let key = "ab".repeat(32);
        let mut c = config();
        c.prefix = "/prongsai/files/".into();
        let b = S3Blobs::new(&c).unwrap();
        assert_eq!(b.object_name(&key), format!("prongsai/files/{key}"));
        assert!(b.path("../etc/passwd").is_err());
        assert!(b.path(&key.to_uppercase()).is_err());
    }
}
