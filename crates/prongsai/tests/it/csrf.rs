//! Cross-site request forgery: every POST route, listed from the router, refuses a request
//! without the right token, and writes nothing.

use axum::http::StatusCode;
use prongsai_web::route_list;

use crate::support::routes::{borrow, fill, plausible_fields, plausible_files};
use crate::support::*;

/// Whether the CSRF layer refused the request (not a handler's own 403).
fn csrf_refused(app: &TestApp, r: &Resp) -> bool {
    r.status == StatusCode::FORBIDDEN && r.body.contains(&app.th("error-csrf-title"))
}

async fn keep_signed_in(c: &Client) {
    if !c.is_signed_in().await {
        let r = c.sign_in(DEMO_ADMIN, DEMO_PASSWORD).await;
        assert!(r.status.is_redirection(), "sign in again: {}", r.describe());
    }
}

#[tokio::test]
async fn every_post_route_refuses_a_request_without_the_right_token_and_writes_nothing() {
    let app = TestApp::with_demo().await;
    let a = app.demo().await;
    let admin = app.demo_admin().await;
    let stranger = app.signed_in(DEMO_MAYOR, DEMO_PASSWORD).await;
    let db = app.store_db();
    let posts: Vec<_> = route_list()
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect();
    assert!(
        posts.len() >= 15,
        "the route list looks incomplete: {posts:?}"
    );
    for route in posts {
        let path = fill(&route, &a, &a);
        keep_signed_in(&admin).await;
        let fields = plausible_fields(&a);
        let with = |token: Option<&str>| {
            let mut f = fields.clone();
            if let Some(t) = token {
                f.push(("csrf".to_owned(), t.to_owned()));
            }
            crate::support::client::encode(&borrow(&f))
        };
        let before = snapshot_all(db).await;
        let good = admin.csrf().await;
        let others = stranger.csrf().await;
        let forged = "A".repeat(43);
        let attempts = vec![
            ("no token", admin.post_raw(&path, with(None)).await),
            (
                "an empty token",
                admin.post_raw(&path, with(Some(""))).await,
            ),
            (
                "a forged token",
                admin.post_raw(&path, with(Some(&forged))).await,
            ),
            (
                "another browser's token",
                admin.post_raw(&path, with(Some(&others))).await,
            ),
            (
                "a multipart form without token",
                admin
                    .post_multipart_with(&path, None, &borrow(&fields), &plausible_files())
                    .await,
            ),
            (
                "a multipart form with a forged token",
                admin
                    .post_multipart_with(&path, Some(&forged), &borrow(&fields), &plausible_files())
                    .await,
            ),
        ];
        for (what, r) in attempts {
            assert!(
                csrf_refused(&app, &r),
                "POST {path} with {what} was not refused by the CSRF check: {}",
                r.describe()
            );
        }
        assert_unchanged(
            &before,
            &snapshot_all(db).await,
            &format!("POST {path} without the right token"),
        );
        assert!(
            admin.is_signed_in().await,
            "a refused request signed the admin out"
        );
        // The same request with the right token passes the CSRF check (the handler decides).
        let r = admin.post_raw(&path, with(Some(&good))).await;
        assert!(
            !csrf_refused(&app, &r),
            "POST {path} with the right token was refused by the CSRF check"
        );
        keep_signed_in(&admin).await;
        let r = admin
            .post_multipart(&path, &borrow(&fields), &plausible_files())
            .await;
        assert!(
            !csrf_refused(&app, &r),
            "multipart POST {path} with the right token was refused by the CSRF check"
        );
    }
}

#[tokio::test]
async fn a_token_from_before_sign_in_is_useless_after_it() {
    let app = TestApp::with_demo().await;
    let c = app.client();
    let before_signin = c.get("/signin").await.csrf().unwrap();
    let r = c.sign_in(DEMO_ADMIN, DEMO_PASSWORD).await;
    assert!(r.status.is_redirection());
    let db = app.store_db();
    let before = snapshot_all(db).await;
    let r = c
        .post_with_token(
            "/a/nonhan/admin/fiscal-years",
            &before_signin,
            &[("year", "2570")],
        )
        .await;
    assert!(csrf_refused(&app, &r), "{}", r.describe());
    assert_unchanged(&before, &snapshot_all(db).await, "stale token");
    let r = c
        .post("/a/nonhan/admin/fiscal-years", &[("year", "2570")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
}

#[tokio::test]
async fn a_browser_without_its_csrf_cookie_is_refused() {
    let app = TestApp::with_demo().await;
    let c = app.demo_admin().await;
    let token = c.csrf().await;
    c.forget_cookie("prongsai_csrf");
    let r = c
        .post_with_token("/a/nonhan/admin/fiscal-years", &token, &[("year", "2570")])
        .await;
    assert!(csrf_refused(&app, &r), "{}", r.describe());
    assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
}

#[tokio::test]
async fn an_upload_carries_its_token_in_a_form_field() {
    let app = TestApp::with_demo().await;
    let a = app.demo().await;
    let c = app.demo_admin().await;
    let page = c.get("/a/nonhan/admin/profile").await;
    let token = page
        .attrs(
            "form[action=\"/a/nonhan/admin/profile/logo\"][enctype=\"multipart/form-data\"] input[name=csrf]",
            "value",
        )
        .pop()
        .expect("the logo form is multipart and carries the token");
    let db = app.store_db();
    let before = snapshot_all(db).await;
    let r = c
        .post_multipart_with(
            "/a/nonhan/admin/profile/logo",
            None,
            &[],
            &[("logo", "logo.png", PNG)],
        )
        .await;
    assert!(csrf_refused(&app, &r), "{}", r.describe());
    assert_unchanged(&before, &snapshot_all(db).await, "upload without token");
    let r = c
        .post_multipart_with(
            "/a/nonhan/admin/profile/logo",
            Some(&token),
            &[],
            &[("logo", "new-logo.png", PNG)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    let logo = app.cx.store.agency(a.id).await.unwrap().logo.unwrap();
    assert_ne!(logo, a.logo, "the new logo is in place");
    assert_eq!(
        app.client()
            .get(&format!("/a/nonhan/files/{logo}"))
            .await
            .bytes,
        PNG
    );
}
