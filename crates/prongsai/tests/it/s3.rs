//! Files in an S3 bucket, end to end: the configuration the binary reads, the start-up check,
//! an upload through the back office and its download from the public site, and the copy of a
//! local folder with `prongsai files migrate-to-s3`. Needs `PRONGSAI_TEST_S3_ENDPOINT` (a
//! `moto_server`, as `.ci/run` starts it); without it the tests print a note and check nothing.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::Arc;

use axum::http::StatusCode;
use prongsai::config::{Config, FileStore, Overrides};
use prongsai_domain::platform::PasswordParams;
use prongsai_domain::platform::file::BlobStore;
use prongsai_domain::platform::session::hex_sha256;
use prongsai_domain::{Ctx, OsEntropy, SystemClock};
use prongsai_objects::{S3Blobs, test_endpoint};
use prongsai_web::WebConfig;

use crate::support::*;

const SECRET: &str = "it-secret-not-for-messages";

/// Creates a bucket on the test server with a plain unsigned request (moto takes it).
fn create_bucket(endpoint: &str, name: &str) -> String {
    let bucket = format!("{name}-{}", std::process::id());
    let host = endpoint.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(host).unwrap();
    write!(
        s,
        "PUT /{bucket} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    bucket
}

/// The configuration as the binary loads it, from `PRONGSAI_*` variables only.
fn config(data_dir: &std::path::Path, vars: &[(&str, &str)]) -> Result<Config, String> {
    let mut map: HashMap<String, String> = [
        ("PRONGSAI_DATA_DIR", data_dir.to_str().unwrap()),
        ("PRONGSAI_FILES_STORE", "s3"),
        ("PRONGSAI_S3_ACCESS_KEY_ID", "testing"),
        ("PRONGSAI_S3_SECRET_ACCESS_KEY", SECRET),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    for (k, v) in vars {
        map.insert((*k).to_owned(), (*v).to_owned());
    }
    Config::load(&Overrides::default(), &|k| map.get(k).cloned()).map_err(|e| e.to_string())
}

#[tokio::test]
async fn a_logo_uploaded_with_the_s3_store_lives_in_the_bucket_only() {
    let Some(endpoint) = test_endpoint() else {
        return;
    };
    let bucket = create_bucket(&endpoint, "it-logo");
    let dir = TempDir::new();
    let data = dir.path().join("data");
    let config = config(
        &data,
        &[
            ("PRONGSAI_S3_BUCKET", &bucket),
            ("PRONGSAI_S3_ENDPOINT", &endpoint),
            ("PRONGSAI_S3_PREFIX", "files"),
        ],
    )
    .unwrap();
    let FileStore::S3(s3) = &config.files else {
        panic!("the s3 store is configured")
    };
    let blobs = prongsai::server::blob_store(&config).await.unwrap();
    let db = TestDb::new().await;
    let cx = Ctx {
        store: Arc::new(db.db.clone()),
        clock: Arc::new(SystemClock),
        entropy: Arc::new(OsEntropy),
        password: PasswordParams::fast_for_tests(),
    };
    prongsai::demo::load(&cx, blobs.as_ref()).await.unwrap();
    let state = prongsai_web::state(cx.clone(), blobs, WebConfig::default())
        .await
        .unwrap();
    let app = Client::new(prongsai_web::app(state));
    let r = app.sign_in(DEMO_ADMIN, DEMO_PASSWORD).await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    let logo: Vec<u8> = [PNG, b"s3 end to end"].concat();
    let r = app
        .post_multipart(
            "/a/nonhan/admin/profile/logo",
            &[],
            &[("logo", "logo.png", &logo)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    let agency = cx.store.agency_by_slug("nonhan").await.unwrap().unwrap();
    let id = agency.logo.unwrap();
    let r = app.get(&format!("/a/nonhan/files/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.describe());
    assert_eq!(r.bytes, logo);
    // The object is in the bucket under the prefix, and nothing was written locally.
    let direct = S3Blobs::new(s3).unwrap();
    let key = hex_sha256(&logo);
    assert_eq!(direct.object_name(&key), format!("files/{key}"));
    assert!(direct.contains(&key).await.unwrap());
    assert!(
        !data.join("files").exists(),
        "the local files folder stays empty"
    );
}

#[tokio::test]
async fn start_up_refuses_a_missing_bucket_or_bad_settings_with_their_names() {
    let Some(endpoint) = test_endpoint() else {
        return;
    };
    let dir = TempDir::new();
    let c = config(
        dir.path(),
        &[
            ("PRONGSAI_S3_BUCKET", "no-such-bucket-it"),
            ("PRONGSAI_S3_ENDPOINT", &endpoint),
        ],
    )
    .unwrap();
    let e = prongsai::server::blob_store(&c).await.err().unwrap();
    assert!(
        e.contains("no-such-bucket-it") && e.contains(&endpoint) && !e.contains(SECRET),
        "{e}"
    );
    let e = config(dir.path(), &[("PRONGSAI_S3_ENDPOINT", &endpoint)]).unwrap_err();
    assert!(e.contains("bucket"), "{e}");
    let e = config(
        dir.path(),
        &[
            ("PRONGSAI_S3_BUCKET", "b-it"),
            ("PRONGSAI_S3_ENDPOINT", "minio:9000"),
        ],
    )
    .unwrap_err();
    assert!(e.contains("endpoint") && e.contains("minio:9000"), "{e}");
    let e = config(dir.path(), &[("PRONGSAI_FILES_STORE", "ftp")]).unwrap_err();
    assert!(e.contains("files.store"), "{e}");
}

#[tokio::test]
async fn migrate_to_s3_copies_the_local_folder_once() {
    let Some(endpoint) = test_endpoint() else {
        return;
    };
    let bucket = create_bucket(&endpoint, "it-migrate");
    let dir = TempDir::new();
    let data = dir.path().join("data");
    let local = prongsai_store::LocalBlobs::new(data.join("files"));
    for body in [&b"one"[..], b"two", b"three"] {
        local.put(&hex_sha256(body), body).await.unwrap();
    }
    let run = || {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_prongsai"))
            .env_clear()
            .env("PRONGSAI_LOG", "warn")
            .env("PRONGSAI_DATA_DIR", &data)
            .env("PRONGSAI_FILES_STORE", "s3")
            .env("PRONGSAI_S3_BUCKET", &bucket)
            .env("PRONGSAI_S3_ENDPOINT", &endpoint)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", SECRET)
            .current_dir(dir.path())
            .args(["files", "migrate-to-s3"])
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{text}");
        assert!(!text.contains(SECRET), "{text}");
        text
    };
    let first = run();
    assert!(
        first.contains("3 copied") && first.contains("0 already there"),
        "{first}"
    );
    let second = run();
    assert!(
        second.contains("0 copied") && second.contains("3 already there"),
        "{second}"
    );
}
