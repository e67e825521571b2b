//! Signing in and staying signed in: passwords, throttling, two-factor codes, session expiry,
//! password changes and resets, cookies, and what each role may do.

use axum::http::StatusCode;
use prongsai_domain::platform::totp::code_at_step;
use prongsai_domain::platform::{AuditFilter, Role};
use prongsai_web::route_list;
use prongsai_web::{SecureCookies, WebConfig};

use crate::support::routes::{borrow, fill, is_admin, plausible_fields, plausible_files};
use crate::support::*;

async fn sessions(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(app.store_db().pool())
        .await
        .unwrap()
}

/// The current TOTP code of a secret, as an authenticator app shows it.
fn code(app: &TestApp, secret: &str) -> String {
    format!(
        "{:06}",
        code_at_step(secret, app.now().div_euclid(30)).unwrap()
    )
}

/// Enrols the signed-in browser's account in TOTP through the account page; returns the secret.
async fn enrol_totp(app: &TestApp, c: &Client) -> String {
    let r = c.submit("/account", "/account/totp/begin", &[]).await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    let page = c.get("/account").await;
    let secret = page
        .texts(".secret")
        .pop()
        .expect("the page shows the secret");
    assert!(page.has(".qr svg"), "and a QR code");
    let r = c
        .submit(
            "/account",
            "/account/totp/confirm",
            &[("code", &code(app, &secret))],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    assert!(
        c.get("/account")
            .await
            .body
            .contains(&app.th("account-totp-on"))
    );
    secret
}

#[tokio::test]
async fn the_demo_admin_signs_in_and_lands_in_the_back_office() {
    let app = TestApp::with_demo().await;
    let c = app.client();
    let r = c.sign_in(DEMO_ADMIN, DEMO_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location().as_deref(), Some("/a/nonhan/admin/"));
    assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
    let page = c.get("/a/nonhan/admin/").await;
    assert_eq!(page.status, 200);
    assert!(page.texts("h1, header").join(" ").contains("โนนหัน"));
    let signins = app
        .cx
        .store
        .audit_chain(0, 0, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "sign-in" && e.actor_label == DEMO_ADMIN)
        .count();
    assert_eq!(signins, 1, "the sign-in is in the audit log");
    // E-mail case and spaces do not matter.
    let c2 = app.client();
    let r = c2.sign_in("  Admin@NonHan.example ", DEMO_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
}

#[tokio::test]
async fn a_wrong_password_or_unknown_email_is_refused_with_one_message_and_no_session() {
    let app = TestApp::with_demo().await;
    let n = sessions(&app).await;
    for (email, pw) in [
        (DEMO_ADMIN, "not-the-password"),
        ("nobody@nonhan.example", DEMO_PASSWORD),
        (DEMO_ADMIN, ""),
        ("", ""),
    ] {
        let c = app.client();
        let r = c.sign_in(email, pw).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{email}/{pw}");
        assert!(c.cookie("prongsai_session").is_none());
        assert!(!c.is_signed_in().await);
        if !email.is_empty() && !pw.is_empty() {
            assert!(
                r.texts("[role=alert]")
                    .join(" ")
                    .contains(&app.th("signin-bad-credentials")),
                "the page says the e-mail or password is wrong: {}",
                r.body
            );
        }
        assert_eq!(
            r.attrs("input[name=email]", "value")
                .pop()
                .unwrap_or_default(),
            email.trim().to_lowercase()
        );
    }
    assert_eq!(sessions(&app).await, n);
}

#[tokio::test]
async fn an_account_is_throttled_after_five_failures_until_the_window_passes() {
    let app = TestApp::with_demo().await;
    let c = app.client().at_addr("203.0.113.7:40000");
    for _ in 0..5 {
        assert_eq!(c.sign_in(DEMO_ADMIN, "wrong-password").await.status, 422);
    }
    let r = c.sign_in(DEMO_ADMIN, DEMO_PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.describe());
    assert!(r.body.contains(&app.tr(prongsai_web::i18n::Lang::Th).arg(
        "signin-throttled",
        "minutes",
        15
    )));
    assert!(!c.is_signed_in().await);
    // From another place too: the limit is the account's.
    let elsewhere = app.client().at_addr("198.51.100.9:40000");
    assert_eq!(
        elsewhere.sign_in(DEMO_ADMIN, DEMO_PASSWORD).await.status,
        429
    );
    // Other accounts are not affected.
    assert!(
        app.client()
            .sign_in(DEMO_MAYOR, DEMO_PASSWORD)
            .await
            .status
            .is_redirection()
    );
    app.advance(15 * 60 - 1);
    assert_eq!(c.sign_in(DEMO_ADMIN, DEMO_PASSWORD).await.status, 429);
    app.advance(1);
    let r = c.sign_in(DEMO_ADMIN, DEMO_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    assert!(c.is_signed_in().await);
}

#[tokio::test]
async fn a_client_is_throttled_after_too_many_attempts_across_accounts() {
    let app = TestApp::with_demo().await;
    let limit = WebConfig::default().signin_per_client;
    let c = app.client().at_addr("203.0.113.7:40000");
    for i in 0..limit {
        let r = c
            .sign_in(&format!("guess{i}@nonhan.example"), "wrong-password")
            .await;
        assert_eq!(r.status, 422, "attempt {i}");
    }
    let r = c.sign_in(DEMO_ADMIN, DEMO_PASSWORD).await;
    assert_eq!(r.status, 429, "{}", r.describe());
    let other = app.client().at_addr("198.51.100.9:40000");
    assert!(
        other
            .sign_in(DEMO_ADMIN, DEMO_PASSWORD)
            .await
            .status
            .is_redirection()
    );
    app.advance(WebConfig::default().throttle_window_secs);
    assert!(
        c.sign_in(DEMO_ADMIN, DEMO_PASSWORD)
            .await
            .status
            .is_redirection()
    );
}

#[tokio::test]
async fn two_factor_sign_in_needs_a_fresh_code_and_refuses_a_replayed_one() {
    let app = TestApp::with_demo().await;
    let c = app.demo_admin().await;
    let secret = enrol_totp(&app, &c).await;
    c.sign_out().await;
    assert!(!c.is_signed_in().await);

    app.advance(30);
    let r = c.sign_in(DEMO_ADMIN, DEMO_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.location().unwrap().starts_with("/signin/totp"),
        "{}",
        r.describe()
    );
    // The password alone opens nothing.
    let r = c.get("/a/nonhan/admin/").await;
    assert_eq!(
        r.location().as_deref(),
        Some("/signin/totp"),
        "{}",
        r.describe()
    );
    assert_eq!(
        c.get("/account").await.location().as_deref(),
        Some("/signin/totp")
    );
    let r = c
        .submit("/signin/totp", "/signin/totp", &[("code", "000000")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains(&app.th("err-invalid-totp-code")));
    let used = code(&app, &secret);
    let r = c
        .submit("/signin/totp", "/signin/totp", &[("code", &used)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    assert_eq!(r.location().as_deref(), Some("/a/nonhan/admin/"));
    assert!(c.is_signed_in().await);

    // The same code again, within its time step, from another browser: refused.
    let thief = app.client();
    assert!(
        thief
            .sign_in(DEMO_ADMIN, DEMO_PASSWORD)
            .await
            .status
            .is_redirection()
    );
    let r = thief
        .submit("/signin/totp", "/signin/totp", &[("code", &used)])
        .await;
    assert_eq!(r.status, 422, "a replayed code: {}", r.describe());
    assert!(!thief.is_signed_in().await);
    app.advance(30);
    let r = thief
        .submit(
            "/signin/totp",
            "/signin/totp",
            &[("code", &code(&app, &secret))],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());

    // A pending second step expires.
    let slow = app.client();
    assert!(
        slow.sign_in(DEMO_ADMIN, DEMO_PASSWORD)
            .await
            .status
            .is_redirection()
    );
    assert_eq!(slow.get("/signin/totp").await.status, 200);
    app.advance(5 * 60);
    let r = slow.get("/signin/totp").await;
    assert_eq!(
        r.location().as_deref(),
        Some("/signin"),
        "expired: {}",
        r.describe()
    );
}

#[tokio::test]
async fn an_agency_that_requires_two_factor_sends_members_without_it_to_their_account() {
    let app = TestApp::with_demo().await;
    let a = app.demo().await;
    let admin = app.demo_admin().await;
    let mut p = app.cx.store.agency(a.id).await.unwrap().profile;
    p.require_totp = true;
    app.cx
        .store
        .update_agency_profile(
            app.cx
                .write(&prongsai_domain::platform::Actor::system("test")),
            a.id,
            &p,
        )
        .await
        .unwrap();
    for c in [&admin, &app.signed_in(DEMO_OFFICER, DEMO_PASSWORD).await] {
        let r = c.get("/a/nonhan/admin/people").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
        assert_eq!(r.location().as_deref(), Some("/account"));
        let page = c.get("/account").await;
        assert!(page.body.contains(&app.th("flash-totp-required")));
        assert!(page.body.contains(&app.th("account-totp-required")));
    }
    let db = app.store_db();
    let before = snapshot_all(db).await;
    let r = admin
        .post("/a/nonhan/admin/fiscal-years", &[("year", "2570")])
        .await;
    assert_eq!(
        r.location().as_deref(),
        Some("/account"),
        "{}",
        r.describe()
    );
    assert_unchanged(&before, &snapshot_all(db).await, "a write before enrolling");
    let secret = enrol_totp(&app, &admin).await;
    assert_eq!(admin.get("/a/nonhan/admin/people").await.status, 200);
    // It cannot be turned off while the agency requires it.
    let r = admin
        .post("/account/totp/disable", &[("password", DEMO_PASSWORD)])
        .await;
    assert_eq!(r.status, 422, "{}", r.describe());
    assert!(app.cx.store.account(a.admin).await.unwrap().totp_enabled);
    assert!(!secret.is_empty());
}

#[tokio::test]
async fn a_session_ends_after_two_idle_hours() {
    let app = TestApp::with_demo().await;
    let c = app.demo_admin().await;
    let idle = WebConfig::default().session.idle_secs;
    app.advance(idle - 1);
    assert!(c.is_signed_in().await, "still within the idle time");
    app.advance(idle - 1);
    assert!(
        c.is_signed_in().await,
        "the last request counts, not the sign-in"
    );
    app.advance(idle);
    let r = c.get("/a/nonhan/admin/").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        r.location().unwrap().starts_with("/signin?next="),
        "{}",
        r.describe()
    );
    assert!(
        c.cookie("prongsai_session").is_none(),
        "the dead cookie is removed"
    );
    assert_eq!(sessions(&app).await, 0, "and the session row");
}

#[tokio::test]
async fn a_busy_session_still_ends_twelve_hours_after_sign_in() {
    let app = TestApp::with_demo().await;
    let c = app.demo_admin().await;
    let absolute = WebConfig::default().session.absolute_secs;
    let mut elapsed = 0;
    while elapsed + 3600 < absolute {
        app.advance(3600);
        elapsed += 3600;
        assert!(c.is_signed_in().await, "after {elapsed} s");
    }
    app.advance(absolute - elapsed);
    assert!(!c.is_signed_in().await, "the absolute limit passed");
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = TestApp::with_demo().await;
    let c = app.demo_admin().await;
    let cookie = c.cookie("prongsai_session").unwrap();
    let r = c.sign_out().await;
    assert_eq!(r.location().as_deref(), Some("/"));
    assert!(c.cookie("prongsai_session").is_none());
    let replay = app.client();
    replay.set_cookie("prongsai_session", &cookie);
    assert!(!replay.is_signed_in().await, "the old cookie opens nothing");
}

#[tokio::test]
async fn changing_the_password_ends_the_other_sessions() {
    let app = TestApp::with_demo().await;
    let a = app.demo().await;
    let here = app.demo_admin().await;
    let there = app.demo_admin().await;
    let new = "a-much-better-password";
    let r = here
        .submit(
            "/account",
            "/account/password",
            &[
                ("current", "wrong-password"),
                ("new", new),
                ("confirm", new),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains(&app.th("err-wrong-password")));
    let r = here
        .submit(
            "/account",
            "/account/password",
            &[
                ("current", DEMO_PASSWORD),
                ("new", "short"),
                ("confirm", "short"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(there.is_signed_in().await, "a refused change ends nothing");
    let r = here
        .submit(
            "/account",
            "/account/password",
            &[("current", DEMO_PASSWORD), ("new", new), ("confirm", new)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    assert!(here.is_signed_in().await, "this session goes on");
    assert!(!there.is_signed_in().await, "the other session ended");
    assert_eq!(
        app.client().sign_in(DEMO_ADMIN, DEMO_PASSWORD).await.status,
        422
    );
    assert!(
        app.client()
            .sign_in(DEMO_ADMIN, new)
            .await
            .status
            .is_redirection()
    );
    let hash = app.cx.store.account(a.admin).await.unwrap().password_hash;
    let entries = app.cx.store.audit_chain(0, 0, 1000).await.unwrap();
    let change = entries
        .iter()
        .find(|e| e.action == "password-change")
        .expect("the change is audited");
    assert_eq!(change.actor_label, DEMO_ADMIN);
    assert!(
        !entries
            .iter()
            .any(|e| e.changes.contains(&hash) || e.changes.contains(new))
    );
}

#[tokio::test]
async fn an_admin_reset_gives_a_temporary_password_that_must_be_changed() {
    let app = TestApp::with_demo().await;
    let admin = app.demo_admin().await;
    let mayor_now = app.signed_in(DEMO_MAYOR, DEMO_PASSWORD).await;
    let mayor = app
        .cx
        .store
        .account_by_email(DEMO_MAYOR)
        .await
        .unwrap()
        .unwrap();
    let path = format!("/a/nonhan/admin/members/{}/reset-password", mayor.id);
    let r = admin
        .submit(&format!("/a/nonhan/admin/members/{}", mayor.id), &path, &[])
        .await;
    assert_eq!(r.status, 200, "{}", r.describe());
    assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
    let temp = r
        .texts(".secret")
        .pop()
        .expect("the temporary password is shown");
    assert_eq!(temp.len(), 19);
    assert!(
        !mayor_now.is_signed_in().await,
        "the reset ends the member's sessions"
    );
    assert_eq!(
        app.client().sign_in(DEMO_MAYOR, DEMO_PASSWORD).await.status,
        422
    );

    let c = app.client();
    let r = c.sign_in(DEMO_MAYOR, &temp).await;
    assert!(r.status.is_redirection());
    let r = c.get("/a/nonhan/admin/").await;
    assert_eq!(
        r.location().as_deref(),
        Some("/account"),
        "must change first: {}",
        r.describe()
    );
    let page = c.get("/account").await;
    assert!(page.body.contains(&app.th("flash-must-change-password")));
    assert!(page.body.contains(&app.th("account-must-change")));
    let new = "mayor-own-password-1";
    let r = c
        .submit(
            "/account",
            "/account/password",
            &[("current", &temp), ("new", new), ("confirm", new)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    assert_eq!(c.get("/a/nonhan/admin/").await.status, 200);
    let reset = app
        .cx
        .store
        .audit_page(
            app.demo().await.id,
            &AuditFilter {
                action: Some("password-reset".into()),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(reset.len(), 1);
    assert_eq!(reset[0].actor_label, DEMO_ADMIN);
    assert!(!reset[0].changes.contains(&temp));
}

#[tokio::test]
async fn an_admin_cannot_reset_an_account_that_also_belongs_to_another_agency() {
    let app = TestApp::with_demo().await;
    let b = app.other_agency("bueng", "อบต.บึง", "บึงกาฬ").await;
    let b_admin = app.signed_in(&b.admin_email, OTHER_PASSWORD).await;
    let admin = app.demo_admin().await;
    // A's admin adds B's admin to A, which A may do…
    let r = admin
        .submit(
            "/a/nonhan/admin/members/new",
            "/a/nonhan/admin/members/new",
            &[
                ("email", &b.admin_email),
                ("display_name", "ผู้ประเมินจากบึง"),
                ("roles", "executive"),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "an existing account just joins: {}",
        r.describe()
    );
    // …but may not take the account over.
    let db = app.store_db();
    let before = snapshot_agency(db, b.id).await;
    let path = format!("/a/nonhan/admin/members/{}/reset-password", b.admin);
    let r = admin.post(&path, &[]).await;
    assert_eq!(r.status, 422, "{}", r.describe());
    assert!(r.body.contains(&app.th("err-account-shared")));
    assert!(r.texts(".secret").is_empty());
    assert_unchanged(&before, &snapshot_agency(db, b.id).await, "refused reset");
    assert!(b_admin.is_signed_in().await);
    assert!(
        app.client()
            .sign_in(&b.admin_email, OTHER_PASSWORD)
            .await
            .status
            .is_redirection()
    );
    // Nor the platform operator's, nor anyone outside the agency.
    let op = app
        .cx
        .store
        .account_by_email(DEMO_OPERATOR)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        admin
            .post(
                &format!("/a/nonhan/admin/members/{}/reset-password", op.id),
                &[]
            )
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn a_disabled_account_cannot_sign_in_and_its_sessions_end() {
    let app = TestApp::with_demo().await;
    let c = app.signed_in(DEMO_MAYOR, DEMO_PASSWORD).await;
    let mayor = app
        .cx
        .store
        .account_by_email(DEMO_MAYOR)
        .await
        .unwrap()
        .unwrap();
    app.cx
        .store
        .set_account_disabled(
            app.cx
                .write(&prongsai_domain::platform::Actor::system("test")),
            None,
            mayor.id,
            true,
        )
        .await
        .unwrap();
    assert!(!c.is_signed_in().await);
    let r = app.client().sign_in(DEMO_MAYOR, DEMO_PASSWORD).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains(&app.th("signin-disabled")));
}

fn cookie_named<'a>(set: &'a [String], name: &str) -> &'a str {
    set.iter()
        .find(|c| c.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie in {set:?}"))
}

#[tokio::test]
async fn cookies_are_http_only_and_same_site_and_secure_behind_tls() {
    let app = TestApp::with_demo().await;
    let c = app.client();
    let page = c.get("/signin").await;
    let csrf = cookie_named(&page.set_cookies(), "prongsai_csrf").to_owned();
    let r = c.sign_in(DEMO_ADMIN, DEMO_PASSWORD).await;
    let set = r.set_cookies();
    let session = cookie_named(&set, "prongsai_session");
    for cookie in [session, csrf.as_str()] {
        assert!(cookie.contains("; HttpOnly"), "{cookie}");
        assert!(cookie.contains("; SameSite=Lax"), "{cookie}");
        assert!(cookie.contains("; Path=/"), "{cookie}");
        assert!(
            !cookie.contains("Secure"),
            "plain HTTP in Auto mode: {cookie}"
        );
    }
    assert!(!session.contains("Max-Age"), "a browser-session cookie");

    for config in [
        WebConfig {
            secure_cookies: SecureCookies::Always,
            ..WebConfig::default()
        },
        WebConfig {
            public_url: Some("https://prongsai.example.go.th".into()),
            ..WebConfig::default()
        },
    ] {
        let app = TestApp::with_config(config).await;
        app.load_demo().await;
        let c = app.client();
        let page = c.get("/signin").await;
        assert!(cookie_named(&page.set_cookies(), "prongsai_csrf").contains("; Secure"));
        let r = c.sign_in(DEMO_ADMIN, DEMO_PASSWORD).await;
        let set = r.set_cookies();
        let s = cookie_named(&set, "prongsai_session");
        assert!(
            s.contains("; Secure") && s.contains("; HttpOnly") && s.contains("; SameSite=Lax"),
            "{s}"
        );
        assert!(r.header("strict-transport-security").is_some());
    }
    let never = TestApp::with_config(WebConfig {
        secure_cookies: SecureCookies::Never,
        public_url: Some("https://prongsai.example.go.th".into()),
        ..WebConfig::default()
    })
    .await;
    let page = never.client().get("/signin").await;
    assert!(!cookie_named(&page.set_cookies(), "prongsai_csrf").contains("Secure"));
}

#[tokio::test]
async fn a_sign_in_goes_back_only_to_a_local_page() {
    let app = TestApp::with_demo().await;
    for (next, expected) in [
        ("/a/nonhan/admin/people", "/a/nonhan/admin/people"),
        ("//evil.example/", "/a/nonhan/admin/"),
        ("https://evil.example/", "/a/nonhan/admin/"),
        ("/\\evil.example", "/a/nonhan/admin/"),
        ("/a/\u{0}nonhan/", "/a/nonhan/admin/"),
        ("/a/\tnonhan/\u{7f}", "/a/nonhan/admin/"),
    ] {
        let c = app.client();
        let r = c
            .submit(
                "/signin",
                "/signin",
                &[
                    ("email", DEMO_ADMIN),
                    ("password", DEMO_PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(r.location().as_deref(), Some(expected), "next={next}");
    }
    let r = app.client().get("/a/nonhan/admin/people?x=1").await;
    assert_eq!(
        r.location().as_deref(),
        Some("/signin?next=/a/nonhan/admin/people%3Fx%3D1")
    );
}

#[tokio::test]
async fn a_division_officer_edits_people_of_their_own_division_only() {
    let app = TestApp::with_demo().await;
    let a = app.demo().await;
    let officer = app.signed_in(DEMO_OFFICER, DEMO_PASSWORD).await;
    let me = app
        .cx
        .store
        .account_by_email(DEMO_OFFICER)
        .await
        .unwrap()
        .unwrap();
    let mine = app
        .cx
        .store
        .membership(a.id, me.id)
        .await
        .unwrap()
        .unwrap()
        .officer_divisions()[0];
    let people = app.cx.store.list_people(a.id).await.unwrap();
    let ours = people
        .iter()
        .find(|p| p.fields.division_id == Some(mine))
        .unwrap();
    let theirs = people
        .iter()
        .find(|p| p.fields.division_id.is_some_and(|d| d != mine))
        .unwrap();
    let other_division = theirs.fields.division_id.unwrap();
    let db = app.store_db();

    assert_eq!(
        officer
            .get(&format!("/a/nonhan/admin/people/{}", ours.id))
            .await
            .status,
        200
    );
    let r = officer
        .submit(
            &format!("/a/nonhan/admin/people/{}", ours.id),
            &format!("/a/nonhan/admin/people/{}", ours.id),
            &[
                ("name", "นางสาวรัตนา แก้ไขแล้ว"),
                ("position", &ours.fields.position),
                ("division_id", &mine.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    assert_eq!(
        app.cx
            .store
            .person(a.id, ours.id)
            .await
            .unwrap()
            .fields
            .name,
        "นางสาวรัตนา แก้ไขแล้ว"
    );

    let before = snapshot_all(db).await;
    let theirs_path = format!("/a/nonhan/admin/people/{}", theirs.id);
    assert_eq!(officer.get(&theirs_path).await.status, 403);
    for (path, fields) in [
        (
            theirs_path.clone(),
            vec![("name", "x"), ("position", "y"), ("division_id", "")],
        ),
        (format!("{theirs_path}/delete"), vec![]),
        (format!("/a/nonhan/admin/divisions/{mine}/delete"), vec![]),
        (
            "/a/nonhan/admin/fiscal-years".to_owned(),
            vec![("year", "2570")],
        ),
    ] {
        let r = officer.post(&path, &fields).await;
        assert_eq!(r.status, 403, "POST {path}: {}", r.describe());
    }
    let r = officer
        .post_multipart(
            &format!("{theirs_path}/photo"),
            &[],
            &[("photo", "p.png", PNG)],
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.describe());
    // Moving someone out of the division, or adding someone to another, is refused too.
    for (path, division) in [
        (
            format!("/a/nonhan/admin/people/{}", ours.id),
            other_division.to_string(),
        ),
        (
            "/a/nonhan/admin/people/new".to_owned(),
            other_division.to_string(),
        ),
        ("/a/nonhan/admin/people/new".to_owned(), String::new()),
    ] {
        let r = officer
            .post(
                &path,
                &[
                    ("name", "นายใหม่"),
                    ("position", "ลูกจ้าง"),
                    ("division_id", &division),
                ],
            )
            .await;
        assert_eq!(
            r.status,
            422,
            "POST {path} to division {division:?}: {}",
            r.describe()
        );
    }
    assert_unchanged(
        &before,
        &snapshot_all(db).await,
        "the officer's refused writes",
    );
    let r = officer
        .post(
            "/a/nonhan/admin/people/new",
            &[
                ("name", "นายใหม่"),
                ("position", "ลูกจ้าง"),
                ("division_id", &mine.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
}

/// Back-office POST routes that change nothing of the agency's but the member's own state (their
/// notifications read): every member may use them.
const PERSONAL: &[&str] = &["/a/{slug}/admin/notifications"];

/// Every write route of the back office, as a member who may not use it, with real ids: 403
/// and nothing written.
async fn cannot_write(app: &TestApp, email: &str, allowed: &[&str]) {
    let a = app.demo().await;
    let c = app.signed_in(email, DEMO_PASSWORD).await;
    let db = app.store_db();
    let before = snapshot_all(db).await;
    let mut tried = 0;
    for route in route_list()
        .into_iter()
        .filter(|r| r.method == "POST" && is_admin(r))
    {
        if allowed.contains(&route.path) || PERSONAL.contains(&route.path) {
            continue;
        }
        let path = fill(&route, &a, &a);
        let fields = plausible_fields(&a);
        let form = c.post(&path, &borrow(&fields)).await;
        let multipart = c
            .post_multipart(&path, &borrow(&fields), &plausible_files())
            .await;
        for r in [form, multipart] {
            // Case routes answer 404 to whoever is not a handler, never 403.
            let hidden = r.status == StatusCode::NOT_FOUND && route.path.contains("/admin/cases");
            assert!(
                r.status == StatusCode::FORBIDDEN || r.status == StatusCode::BAD_REQUEST || hidden,
                "{email}: POST {path}: {}",
                r.describe()
            );
        }
        tried += 1;
    }
    assert!(tried >= 10);
    assert_unchanged(
        &before,
        &snapshot_all(db).await,
        &format!("{email}'s attempts"),
    );
}

#[tokio::test]
async fn an_assessor_only_gives_oit_verdicts_and_an_executive_only_decides_on_plans() {
    let app = TestApp::with_demo().await;
    let assessor = app
        .cx
        .store
        .account_by_email(DEMO_ASSESSOR)
        .await
        .unwrap()
        .unwrap();
    let a = app.demo().await;
    let m = app
        .cx
        .store
        .membership(a.id, assessor.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.roles(), [Role::Assessor]);
    // The assessor's writes: the verdict on an OIT item, and closing a year's review.
    cannot_write(
        &app,
        DEMO_ASSESSOR,
        &[
            "/a/{slug}/admin/ita/oit/{year}/items/{code}/review",
            "/a/{slug}/admin/ita/oit/{year}/finalise",
        ],
    )
    .await;
    cannot_write(
        &app,
        DEMO_MAYOR,
        &["/a/{slug}/admin/measures/{year}/status/{step}"],
    )
    .await;
    // But they may read the back office.
    let c = app.signed_in(DEMO_ASSESSOR, DEMO_PASSWORD).await;
    assert_eq!(c.get("/a/nonhan/admin/people").await.status, 200);
    assert_eq!(c.get("/a/nonhan/admin/members").await.status, 403);
    assert_eq!(c.get("/a/nonhan/admin/audit").await.status, 403);
}

#[tokio::test]
async fn a_division_officer_cannot_write_outside_the_staff_directory_and_progress_reports() {
    let app = TestApp::with_demo().await;
    cannot_write(
        &app,
        DEMO_OFFICER,
        &[
            "/a/{slug}/admin/people/new",
            "/a/{slug}/admin/people/{id}",
            "/a/{slug}/admin/people/{id}/photo",
            "/a/{slug}/admin/people/{id}/delete",
            // Progress on the actions of their division.
            "/a/{slug}/admin/measures/{year}/actions/{id}/progress",
            // Pages and news of their division (the fixture's are the agency's own: refused).
            "/a/{slug}/admin/pages/new",
            "/a/{slug}/admin/news/new",
        ],
    )
    .await;
}

#[tokio::test]
async fn the_sign_in_form_shown_after_a_session_expired_is_accepted() {
    let app = TestApp::with_demo().await;
    let c = app.demo_admin().await;
    app.advance(WebConfig::default().session.idle_secs);
    // The browser still holds the dead session's cookie when it opens the sign-in page.
    assert!(c.cookie("prongsai_session").is_some());
    let r = c.sign_in(DEMO_ADMIN, DEMO_PASSWORD).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    assert!(c.is_signed_in().await);
}
