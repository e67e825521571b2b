//! The real `prongsai` binary, run as an operator would run it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use prongsai_domain::platform::account::verify_password;
use prongsai_domain::platform::{AccountStore, AgencyStore, PeopleStore};
use prongsai_store::{Backend, Db, DbOptions, MIGRATIONS};

use crate::support::*;

/// The binary with a clean environment: no `PRONGSAI_*` settings leak in from outside, and no
/// `prongsai.toml` is found in the working folder.
fn prongsai(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_prongsai"));
    for (k, _) in std::env::vars() {
        if k.starts_with("PRONGSAI_") {
            c.env_remove(k);
        }
    }
    c.current_dir(dir).env("PRONGSAI_LOG", "warn");
    c
}

/// Runs the binary on the test database with `args`.
fn run(dir: &Path, db: &TestDb, args: &[&str]) -> Output {
    prongsai(dir)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .arg("--database")
        .arg(&db.url)
        .args(args)
        .output()
        .expect("run prongsai")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status,
        stdout(o),
        stderr(o)
    );
    stdout(o)
}

#[tokio::test]
async fn migrate_applies_the_migrations_once() {
    let dir = TempDir::new();
    let data = dir.path().join("data");
    let first = prongsai(dir.path())
        .arg("--data-dir")
        .arg(&data)
        .arg("migrate")
        .output()
        .unwrap();
    let out = ok(&first);
    assert!(out.contains(&format!("{} new", MIGRATIONS.len())), "{out}");
    assert!(out.contains("sqlite"), "{out}");
    assert!(
        data.join("prongsai.db").exists(),
        "the database is made in the data folder"
    );
    let again = prongsai(dir.path())
        .arg("--data-dir")
        .arg(&data)
        .arg("migrate")
        .output()
        .unwrap();
    assert!(ok(&again).contains("0 new"));
    // On the database of the run too.
    let db = TestDb::new().await;
    let out = ok(&run(dir.path(), &db, &["migrate"]));
    assert!(out.contains(db.backend().name()), "{out}");
}

#[tokio::test]
async fn the_demo_is_loaded_once_and_reset_afresh() {
    let dir = TempDir::new();
    let db = TestDb::new().await;
    let out = ok(&run(dir.path(), &db, &["demo", "load"]));
    assert!(out.contains("loaded"), "{out}");
    for email in [DEMO_ADMIN, DEMO_OFFICER, DEMO_ASSESSOR, DEMO_OPERATOR] {
        assert!(
            out.contains(email),
            "the sign-in of {email} is printed: {out}"
        );
    }
    assert!(out.contains(DEMO_PASSWORD));
    let first = db.db.agency_by_slug("nonhan").await.unwrap().unwrap();
    assert!(
        dir.path().join("data/files").exists(),
        "the demo's images are stored"
    );
    let out = ok(&run(dir.path(), &db, &["demo", "load"]));
    assert!(out.contains("already"), "{out}");
    assert_eq!(db.db.list_agencies().await.unwrap().len(), 1);

    let out = ok(&run(dir.path(), &db, &["demo", "reset"]));
    assert!(out.contains("reset"), "{out}");
    let second = db.db.agency_by_slug("nonhan").await.unwrap().unwrap();
    assert_ne!(first.id, second.id, "a fresh agency");
    assert_eq!(db.db.list_agencies().await.unwrap().len(), 1);
    assert!(!db.db.list_divisions(second.id).await.unwrap().is_empty());
    let admin = db.db.account_by_email(DEMO_ADMIN).await.unwrap().unwrap();
    assert!(verify_password(&admin.password_hash, DEMO_PASSWORD));
}

#[tokio::test]
async fn user_create_prints_a_temporary_password_once() {
    let dir = TempDir::new();
    let db = TestDb::new().await;
    ok(&run(dir.path(), &db, &["demo", "load"]));
    let args = [
        "user",
        "create",
        "--agency",
        "nonhan",
        "--role",
        "executive",
        "--email",
        "x@y.th",
    ];
    let out = ok(&run(dir.path(), &db, &args));
    let line = out
        .lines()
        .find(|l| l.contains("Temporary password"))
        .unwrap_or_else(|| panic!("no temporary password: {out}"));
    let password = line.rsplit(' ').next().unwrap().trim();
    assert_eq!(password.len(), 19, "{line}");
    let account = db.db.account_by_email("x@y.th").await.unwrap().unwrap();
    assert!(verify_password(&account.password_hash, password));
    assert!(account.must_change_password);
    let agency = db.db.agency_by_slug("nonhan").await.unwrap().unwrap();
    let m = db
        .db
        .membership(agency.id, account.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.roles(), [prongsai_domain::platform::Role::Executive]);
    // The second time, the account exists: no password is made or shown.
    let out = ok(&run(dir.path(), &db, &args));
    assert!(!out.contains("Temporary password"), "{out}");
    assert!(out.contains("already"), "{out}");
    let out = ok(&run(
        dir.path(),
        &db,
        &[
            "user",
            "create",
            "--agency",
            "nonhan",
            "--role",
            "division-officer",
            "--email",
            "o@y.th",
            "--division",
            "กองคลัง",
        ],
    ));
    assert!(out.contains("Temporary password"), "{out}");
}

#[tokio::test]
async fn a_bad_role_agency_email_or_division_is_a_clear_error_and_a_failure() {
    let dir = TempDir::new();
    let db = TestDb::new().await;
    ok(&run(dir.path(), &db, &["demo", "load"]));
    let before = snapshot_all(&db.db).await;
    for (args, says) in [
        (
            vec!["--agency", "nonhan", "--role", "king", "--email", "x@y.th"],
            "unknown role",
        ),
        (
            vec![
                "--agency",
                "nowhere",
                "--role",
                "executive",
                "--email",
                "x@y.th",
            ],
            "no agency with slug \"nowhere\"",
        ),
        (
            vec![
                "--agency",
                "nonhan",
                "--role",
                "executive",
                "--email",
                "not an email",
            ],
            "e-mail is not valid",
        ),
        (
            vec![
                "--agency",
                "nonhan",
                "--role",
                "division-officer",
                "--email",
                "x@y.th",
            ],
            "needs --division",
        ),
        (
            vec![
                "--agency",
                "nonhan",
                "--role",
                "division-officer",
                "--email",
                "x@y.th",
                "--division",
                "กองไม่มี",
            ],
            "has no division",
        ),
    ] {
        let mut full = vec!["user", "create"];
        full.extend(&args);
        let o = run(dir.path(), &db, &full);
        assert!(!o.status.success(), "{args:?} succeeded");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
    }
    assert!(
        stderr(&run(
            dir.path(),
            &db,
            &[
                "user", "create", "--agency", "nonhan", "--role", "king", "--email", "x@y.th"
            ]
        ))
        .contains("assessor"),
        "the roles are listed"
    );
    assert_unchanged(&before, &snapshot_all(&db.db).await, "refused commands");
    let o = prongsai(dir.path())
        .arg("no-such-command")
        .output()
        .unwrap();
    assert!(!o.status.success());
}

#[test]
fn config_check_never_prints_the_database_password() {
    let dir = TempDir::new();
    // The checks wait for an unreachable database; they run side by side.
    let children: Vec<_> = [
        ("flag", "postgres://app:s3cret-pw@127.0.0.1:1/prongsai"),
        (
            "flag",
            "postgres://app@127.0.0.1:1/prongsai?password=s3cret-pw",
        ),
        (
            "environment",
            "postgres://app:s3cret-pw@127.0.0.1:1/prongsai",
        ),
    ]
    .into_iter()
    .map(|(how, url)| {
        let mut c = prongsai(dir.path());
        c.arg("--data-dir").arg(dir.path().join("data"));
        if how == "flag" {
            c.arg("--database").arg(url);
        } else {
            c.env("PRONGSAI_DATABASE_URL", url);
        }
        let child = c
            .args(["config", "check"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        (how, url, child)
    })
    .collect();
    for (how, url, child) in children {
        let o = child.wait_with_output().unwrap();
        let all = format!("{}{}", stdout(&o), stderr(&o));
        assert!(
            !all.contains("s3cret"),
            "{how} {url}: the password printed:\n{all}"
        );
        assert!(all.contains("database_url"), "{all}");
        assert!(
            all.contains("127.0.0.1:1/prongsai"),
            "the rest of the URL is shown: {all}"
        );
        assert!(
            !o.status.success(),
            "an unreachable database fails the check"
        );
        let source = if how == "flag" {
            "command line"
        } else {
            "environment"
        };
        assert!(
            all.lines()
                .any(|l| l.contains("database_url") && l.contains(source)),
            "{all}"
        );
    }
    let o = prongsai(dir.path())
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .args(["config", "check"])
        .output()
        .unwrap();
    let out = ok(&o);
    assert!(out.contains("sqlite://"), "{out}");
    assert!(out.contains("ok    database answers"), "{out}");
}

#[tokio::test]
async fn audit_verify_passes_and_then_finds_tampering() {
    let dir = TempDir::new();
    let db = TestDb::new().await;
    ok(&run(dir.path(), &db, &["demo", "load"]));
    let out = ok(&run(dir.path(), &db, &["audit", "verify"]));
    assert!(out.contains("intact"), "{out}");
    let off = match db.backend() {
        Backend::Sqlite => "DROP TRIGGER audit_log_no_update",
        Backend::Postgres => "ALTER TABLE audit_log DISABLE TRIGGER USER",
    };
    sqlx::query(off).execute(db.db.pool()).await.unwrap();
    let agency = db
        .db
        .agency_by_slug("nonhan")
        .await
        .unwrap()
        .unwrap()
        .id
        .get();
    sqlx::query(&format!(
        "UPDATE audit_log SET changes = '[]' WHERE chain = {agency} AND seq = 2"
    ))
    .execute(db.db.pool())
    .await
    .unwrap();
    let o = run(dir.path(), &db, &["audit", "verify"]);
    assert!(!o.status.success(), "tampering must fail the check");
    let out = stdout(&o);
    assert!(out.contains("tampered"), "{out}");
    assert!(
        out.contains(&format!("chain {agency}: entry 2 was changed")),
        "{out}"
    );
}

async fn agencies_in_sqlite_file(path: &Path) -> Vec<String> {
    let copy = Db::connect(
        &format!("sqlite://{}", path.display()),
        &DbOptions::default(),
    )
    .await
    .expect("the backup opens");
    let names = copy
        .list_agencies()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.slug.to_string())
        .collect();
    copy.close().await;
    names
}

#[tokio::test]
async fn backup_writes_a_sqlite_copy_or_says_to_use_pg_dump() {
    let dir = TempDir::new();
    let db = TestDb::new().await;
    ok(&run(dir.path(), &db, &["demo", "load"]));
    let file = dir.path().join("copy.db");
    let o = run(dir.path(), &db, &["backup", file.to_str().unwrap()]);
    match db.backend() {
        Backend::Sqlite => {
            assert!(ok(&o).contains("Backup written"));
            assert_eq!(agencies_in_sqlite_file(&file).await, ["nonhan"]);
            let again = run(dir.path(), &db, &["backup", file.to_str().unwrap()]);
            assert!(
                !again.status.success(),
                "an existing file is never overwritten"
            );
            assert!(stderr(&again).contains("exists"));
        }
        Backend::Postgres => {
            assert!(!o.status.success(), "backup on PostgreSQL must fail");
            assert!(stderr(&o).contains("pg_dump"), "{}", stderr(&o));
            assert!(!file.exists());
        }
    }
}

fn http_get(addr: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("connect to the server");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = String::new();
    s.read_to_string(&mut buf).unwrap();
    let status = buf
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = buf.split("\r\n\r\n").nth(1).unwrap_or("").to_owned();
    (status, body)
}

#[tokio::test]
async fn serve_answers_backs_up_while_serving_and_stops_cleanly_on_sigterm() {
    let dir = TempDir::new();
    let db = TestDb::new().await;
    let log = std::fs::File::create(dir.path().join("serve.log")).unwrap();
    let mut child = prongsai(dir.path())
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .arg("--database")
        .arg(&db.url)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::from(log))
        .spawn()
        .expect("start the server");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut printed = String::new();
    let url = loop {
        let mut line = String::new();
        let n = out.read_line(&mut line).unwrap();
        assert!(
            n > 0,
            "the server stopped before serving: {printed}\n{}",
            std::fs::read_to_string(dir.path().join("serve.log")).unwrap_or_default()
        );
        printed.push_str(&line);
        if let Some(rest) = line.split("serving at ").nth(1) {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    assert!(
        addr.starts_with("127.0.0.1:") && !addr.ends_with(":0"),
        "{url}"
    );
    // The first start of an empty platform loads the demo and prints its sign-ins.
    let mut rest = String::new();
    for _ in 0..3 {
        out.read_line(&mut rest).unwrap();
    }
    assert!(
        rest.contains("/a/nonhan/") && rest.contains(DEMO_ADMIN),
        "{rest}"
    );

    assert_eq!(http_get(&addr, "/healthz"), (200, "ok".to_owned()));
    assert_eq!(http_get(&addr, "/readyz").0, 200);
    let (status, home) = http_get(&addr, "/a/nonhan/");
    assert_eq!(status, 200);
    assert!(home.contains("เทศบาลตำบลโนนหัน"));

    let file = dir.path().join("live-copy.db");
    let o = run(dir.path(), &db, &["backup", file.to_str().unwrap()]);
    if db.backend() == Backend::Sqlite {
        ok(&o);
        assert_eq!(agencies_in_sqlite_file(&file).await, ["nonhan"]);
        assert_eq!(
            http_get(&addr, "/healthz").0,
            200,
            "still serving after the backup"
        );
    } else {
        assert!(!o.status.success() && stderr(&o).contains("pg_dump"));
    }

    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    assert!(
        status.success(),
        "graceful shutdown exits 0, got {status:?}\n{}",
        std::fs::read_to_string(dir.path().join("serve.log")).unwrap_or_default()
    );
    assert!(
        TcpStream::connect(&addr).is_err(),
        "nothing listens any more"
    );
}

#[test]
fn ita_score_prints_every_level_as_json_and_names_the_place_of_bad_input() {
    let dir = TempDir::new();
    let input = dir.path().join("fy2566.json");
    std::fs::write(
        &input,
        r#"{
            "iit": {"indicators": {"1": "91.35", "2": "78.60", "3": "82.10", "4": "76.45", "5": "80.90"}},
            "eit": {"indicators": {"6": 92.75, "7": 89.40, "8": 87.15}},
            "oit": {"indicators": {"9": "68.00", "10": "75"}}
        }"#,
    )
    .unwrap();
    let out = prongsai(dir.path())
        .args(["ita", "score", "--framework", "2566", "--input"])
        .arg(&input)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(&ok(&out)).unwrap();
    assert_eq!(json["total"], "80.09");
    assert_eq!(json["grade"], "B");
    assert_eq!(json["passes"], false);
    assert_eq!(json["partial"], false);
    assert_eq!(json["instruments"][2]["points"], "28.60");
    assert!(
        json["assumptions"]
            .as_array()
            .is_some_and(|a| !a.is_empty()),
        "the unconfirmed values it rests on are listed"
    );

    // A framework file with indicators that do not add up: the file, the path, the reason.
    let framework = dir.path().join("mine.toml");
    std::fs::write(
        &framework,
        include_str!("../../../domain/frameworks/ita-2566.toml").replacen(
            "points = \"6\"",
            "points = \"8\"",
            1,
        ),
    )
    .unwrap();
    let out = prongsai(dir.path())
        .args(["ita", "score", "--framework"])
        .arg(&framework)
        .arg("--input")
        .arg(&input)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("mine.toml: indicator[*].points: the IIT indicators add up to 32.00 points"),
        "{err}"
    );

    // Bad input: where it is.
    std::fs::write(&input, r#"{"oit": {"items": {"O99": true}}}"#).unwrap();
    let out = prongsai(dir.path())
        .args(["ita", "score", "--framework", "2567", "--input"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("oit.items.O99: not an item of this framework"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty(), "nothing half-printed");
}

#[tokio::test]
async fn ita_score_all_prints_every_agencys_live_result_and_refuses_a_year_it_cannot_be() {
    let dir = TempDir::new();
    let db = TestDb::new().await;
    ok(&run(dir.path(), &db, &["demo", "load"]));
    let out = ok(&run(
        dir.path(),
        &db,
        &["ita", "score-all", "--year", "2567"],
    ));
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["fiscal_year"], 2567);
    assert_eq!(
        v["agencies"], 1,
        "the demo agency has answers and verdicts: {out}"
    );
    let r = &v["results"][0];
    assert_eq!(r["agency"], "nonhan");
    assert_eq!(r["partial"], true, "only some OIT items are reviewed");
    assert_eq!(v["grades"]["partial"], 1);
    let bad = run(dir.path(), &db, &["ita", "score-all", "--year", "1999"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("1999"), "{}", stderr(&bad));
}

#[test]
fn a_reader_that_stops_early_is_not_a_panic() {
    // `prongsai ita score … | head`: the pipe is closed before the result is written.
    let dir = TempDir::new();
    let input = dir.path().join("in.json");
    std::fs::write(
        &input,
        r#"{"oit": {"indicators": {"9": "90", "10": "80"}}}"#,
    )
    .unwrap();
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = prongsai(dir.path())
        .args(["ita", "score", "--framework", "2567", "--input"])
        .arg(&input)
        .stdout(writer)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}
