//! `S3Blobs` against a real S3-compatible server. Set `PRONGSAI_TEST_S3_ENDPOINT` (e.g.
//! `http://127.0.0.1:5000`, a `moto_server` as `.ci/run` starts it); without it every test here
//! prints a note and passes without checking anything. Each test makes a bucket of its own.

#![expect(
    clippy::unwrap_used,
    reason = "a test fails by panicking, and its helpers do the same"
)]

use std::collections::HashMap;
use std::io::ErrorKind;

use prongsai_domain::platform::file::BlobStore;
use prongsai_domain::platform::session::hex_sha256;
use prongsai_objects::{S3Blobs, S3Config, S3Error, local_keys, test_endpoint};

const SECRET: &str = "test-secret-never-shown";

fn config(endpoint: &str, bucket: &str) -> S3Config {
    S3Config {
        bucket: bucket.to_owned(),
        region: "us-east-1".into(),
        endpoint: Some(endpoint.to_owned()),
        virtual_hosted: false,
        access_key_id: "testing".into(),
        secret_access_key: SECRET.into(),
        prefix: String::new(),
    }
}

/// A fresh bucket with a name of its own (the server is shared by parallel tests).
async fn bucket(endpoint: &str, name: &str) -> String {
    let bucket = format!("{name}-{}", std::process::id());
    let _ = rustls::crypto::ring::default_provider().install_default();
    let r = reqwest::Client::new()
        .put(format!("{endpoint}/{bucket}"))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "create bucket: {}", r.status());
    bucket
}

#[tokio::test]
async fn contents_go_in_and_come_back_and_twice_is_harmless() {
    let Some(endpoint) = test_endpoint() else {
        return;
    };
    let b = bucket(&endpoint, "roundtrip").await;
    let blobs = S3Blobs::new(&config(&endpoint, &b)).unwrap();
    blobs.check().await.unwrap();
    let bytes = b"%PDF-1.7 the plan of 2567".to_vec();
    let key = hex_sha256(&bytes);
    assert!(!blobs.contains(&key).await.unwrap());
    blobs.put(&key, &bytes).await.unwrap();
    blobs.put(&key, &bytes).await.unwrap();
    assert!(blobs.contains(&key).await.unwrap());
    assert_eq!(blobs.get(&key).await.unwrap(), bytes);
    // A 20 MB file passes whole.
    let big: Vec<u8> = (0..20 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
    let big_key = hex_sha256(&big);
    blobs.put(&big_key, &big).await.unwrap();
    assert!(blobs.get(&big_key).await.unwrap() == big);
}

#[tokio::test]
async fn a_missing_object_is_not_found_and_bad_keys_are_refused() {
    let Some(endpoint) = test_endpoint() else {
        return;
    };
    let b = bucket(&endpoint, "missing").await;
    let blobs = S3Blobs::new(&config(&endpoint, &b)).unwrap();
    let e = blobs.get(&"0".repeat(64)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound, "{e}");
    assert!(e.to_string().contains(&b), "{e}");
    assert!(!e.to_string().contains(SECRET), "{e}");
    for bad in ["../x", "ABC", &"A".repeat(64)] {
        let e = blobs.put(bad, b"x").await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{bad}: {e}");
    }
}

#[tokio::test]
async fn the_prefix_is_put_before_every_object_name() {
    let Some(endpoint) = test_endpoint() else {
        return;
    };
    let b = bucket(&endpoint, "prefix").await;
    let mut c = config(&endpoint, &b);
    c.prefix = "prongsai/files/".into();
    let blobs = S3Blobs::new(&c).unwrap();
    blobs.check().await.unwrap();
    let key = hex_sha256(b"logo");
    blobs.put(&key, b"logo").await.unwrap();
    let listing = reqwest::Client::new()
        .get(format!("{endpoint}/{b}?list-type=2"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        listing.contains(&format!("<Key>prongsai/files/{key}</Key>")),
        "{listing}"
    );
    // Without the prefix the same key is not there.
    let plain = S3Blobs::new(&config(&endpoint, &b)).unwrap();
    assert!(!plain.contains(&key).await.unwrap());
}

#[tokio::test]
async fn start_up_checks_name_the_bucket_and_the_endpoint_never_the_secret() {
    let Some(endpoint) = test_endpoint() else {
        return;
    };
    let e = S3Blobs::new(&config(&endpoint, "no-such-bucket-here"))
        .unwrap()
        .check()
        .await
        .unwrap_err();
    assert!(matches!(e, S3Error::NoBucket { .. }), "{e:?}");
    let msg = e.to_string();
    assert!(
        msg.contains("no-such-bucket-here") && msg.contains(&endpoint),
        "{msg}"
    );
    // Nothing listens on port 9 of this machine.
    let e = S3Blobs::new(&config("http://127.0.0.1:9", "some-bucket"))
        .unwrap()
        .check()
        .await
        .unwrap_err();
    assert!(matches!(e, S3Error::Unreachable { .. }), "{e:?}");
    let msg = e.to_string();
    assert!(
        msg.contains("some-bucket") && msg.contains("127.0.0.1:9"),
        "{msg}"
    );
    assert!(!msg.contains(SECRET), "{msg}");
    let e = S3Blobs::new(&config("not a url", "some-bucket")).unwrap_err();
    assert!(e.to_string().contains("endpoint"), "{e}");
}

/// A source of blobs in memory, as the local folder would give them.
struct Memory(HashMap<String, Vec<u8>>);

#[async_trait::async_trait]
impl BlobStore for Memory {
    async fn put(&self, _key: &str, _bytes: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
    async fn get(&self, key: &str) -> std::io::Result<Vec<u8>> {
        self.0
            .get(key)
            .cloned()
            .ok_or_else(|| std::io::Error::from(ErrorKind::NotFound))
    }
}

#[tokio::test]
async fn copying_local_files_is_counted_checked_and_safe_to_repeat() {
    let Some(endpoint) = test_endpoint() else {
        return;
    };
    let b = bucket(&endpoint, "migrate").await;
    let blobs = S3Blobs::new(&config(&endpoint, &b)).unwrap();
    let mut files = HashMap::new();
    for i in 0..5 {
        let bytes = format!("file {i}").into_bytes();
        files.insert(hex_sha256(&bytes), bytes);
    }
    // One file whose content no longer matches its name.
    let corrupt = hex_sha256(b"original");
    files.insert(corrupt.clone(), b"changed on disk".to_vec());
    let mut keys: Vec<String> = files.keys().cloned().collect();
    keys.sort();
    let source = Memory(files);
    let first = blobs.copy_from(&source, &keys).await;
    assert_eq!((first.copied, first.present), (5, 0), "{first:?}");
    assert_eq!(first.failed.len(), 1);
    assert_eq!(first.failed[0].0, corrupt);
    assert!(!blobs.contains(&corrupt).await.unwrap());
    let again = blobs.copy_from(&source, &keys).await;
    assert_eq!((again.copied, again.present), (0, 5), "{again:?}");
}

#[test]
fn local_keys_are_the_blob_names_under_the_folder() {
    let root = std::env::temp_dir().join(format!("prongsai-objects-{}", std::process::id()));
    let key = hex_sha256(b"x");
    let dir = root.join(&key[..2]).join(&key[2..4]);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(&key), b"x").unwrap();
    std::fs::write(dir.join(format!(".{key}.tmp")), b"half").unwrap();
    std::fs::write(root.join("README"), b"not a blob").unwrap();
    assert_eq!(local_keys(&root).unwrap(), vec![key]);
    assert!(local_keys(&root.join("absent")).unwrap().is_empty());
    std::fs::remove_dir_all(&root).unwrap();
}
