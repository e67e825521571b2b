//! Tenant isolation: every route of the router, walked by the admin of agency A against the data
//! of agency B. The walk comes from `route_list()`, so a route added later is walked too.

use axum::http::StatusCode;
use prongsai_web::route_list;

use crate::support::routes::{borrow, fill, id_kind, is_admin, plausible_fields, plausible_files};
use crate::support::snapshot::Snapshotter;
use crate::support::*;

/// Signs the browser in again if an earlier request (sign-out) ended its session.
async fn keep_signed_in(c: &Client, email: &str, password: &str) {
    if !c.is_signed_in().await {
        let r = c.sign_in(email, password).await;
        assert!(r.status.is_redirection(), "sign in again: {}", r.describe());
    }
}

/// Sends the route's method: a GET, or a POST both URL-encoded and multipart, each with a valid
/// token and a plausible body.
async fn send(
    c: &Client,
    email: &str,
    method: &str,
    path: &str,
    fields: &[(String, String)],
) -> Vec<(String, Resp)> {
    if method == "GET" {
        return vec![(format!("GET {path}"), c.get(path).await)];
    }
    keep_signed_in(c, email, DEMO_PASSWORD).await;
    assert_eq!(method, "POST", "a method the walk does not know: {method}");
    let form = c.post(path, &borrow(fields)).await;
    keep_signed_in(c, email, DEMO_PASSWORD).await;
    let multipart = c
        .post_multipart(path, &borrow(fields), &plausible_files())
        .await;
    // A sign-out among the routes must not turn the rest of the walk into anonymous requests.
    keep_signed_in(c, email, DEMO_PASSWORD).await;
    vec![
        (format!("POST {path} (form)"), form),
        (format!("POST {path} (multipart)"), multipart),
    ]
}

#[tokio::test]
async fn a_user_of_one_agency_cannot_reach_another_agencys_data_through_any_route() {
    let app = TestApp::with_demo().await;
    let a = app.demo().await;
    let b = app
        .other_agency("bueng", "องค์การบริหารส่วนตำบลบึง", "บึงกาฬ")
        .await;
    // B's admin is signed in: ending that session would be a change to B's data.
    let b_admin = app.signed_in(&b.admin_email, OTHER_PASSWORD).await;
    let admin = app.demo_admin().await;
    let db = app.store_db();
    let of_b = Snapshotter::agency(db, b.id).await;
    let before = of_b.take(db).await;
    let routes = route_list();
    assert!(routes.len() > 30, "the route list looks incomplete");
    let mut walked = 0;
    let mut seen = std::collections::BTreeSet::new();
    for route in &routes {
        // B's slug and B's ids; then A's slug with B's ids (in the path and in the form).
        let mut targets = vec![fill(route, &b, &b)];
        if route.path.contains("{slug}") {
            targets.push(fill(route, &a, &b));
        }
        for path in targets {
            if !seen.insert((route.method, path.clone())) {
                continue;
            }
            let ours = path.starts_with(&format!("/a/{}/", a.slug));
            let fields = plausible_fields(&b);
            let answers = send(&admin, DEMO_ADMIN, route.method, &path, &fields).await;
            // A form in the encoding a handler does not read is refused unread (400); the one
            // it reads must be refused for what it names (403 or 404).
            let refused =
                |r: &Resp| matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND);
            let unread = |r: &Resp| r.status == StatusCode::BAD_REQUEST;
            let must_refuse = (is_admin(route) && !ours) || (ours && id_kind(route.path).is_some());
            if must_refuse {
                assert!(
                    answers.iter().all(|(_, r)| refused(r) || unread(r))
                        && answers.iter().any(|(_, r)| refused(r)),
                    "{} {path}: B's data was reachable by A's admin: {:?}",
                    route.method,
                    answers
                        .iter()
                        .map(|(w, r)| format!("{w}: {}", r.describe()))
                        .collect::<Vec<_>>()
                );
            }
            for (what, r) in answers {
                walked += 1;
                assert!(
                    r.status.as_u16() < 500,
                    "{what} ({}): a server error: {}",
                    route.path,
                    r.describe()
                );
                if is_admin(route) {
                    assert!(
                        !r.body.contains(&b.admin_email),
                        "{what}: the page shows B's admin e-mail"
                    );
                }
                assert_unchanged(
                    &before,
                    &of_b.take(db).await,
                    &format!("{what} as A's admin"),
                );
            }
        }
    }
    assert!(walked > 60, "only {walked} requests were walked");
    assert!(
        b_admin.is_signed_in().await,
        "B's admin was signed out by A's requests"
    );
}

#[tokio::test]
async fn an_agencys_private_files_are_not_served_and_public_ones_only_under_their_own_slug() {
    let app = TestApp::with_demo().await;
    let a = app.demo().await;
    let b = app.other_agency("bueng", "อบต.บึง", "บึงกาฬ").await;
    let c = app.client();
    let url = |slug: &str, id: prongsai_domain::ids::FileId| format!("/a/{slug}/files/{id}");
    let ok = c.get(&url(&b.slug, b.photo)).await;
    assert_eq!(ok.status, 200, "B's staff photo is public");
    assert_eq!(ok.bytes, b"GIF89a-photo-of-staff");
    assert_eq!(ok.header("content-type").as_deref(), Some("image/gif"));
    assert_eq!(c.get(&url(&b.slug, b.logo)).await.status, 200);
    let private = b.private_file.unwrap();
    for path in [
        url(&b.slug, private),
        url(&a.slug, private),
        url(&a.slug, b.photo),
        url(&a.slug, b.logo),
        url(&b.slug, a.logo),
        url("nowhere", b.photo),
    ] {
        let r = c.get(&path).await;
        assert_eq!(r.status, 404, "{path}: {}", r.describe());
        assert!(
            !r.body.contains("PDF") && !r.body.contains("GIF89a"),
            "{path}"
        );
    }
    // Signed in as an admin of A changes nothing.
    let admin = app.demo_admin().await;
    assert_eq!(admin.get(&url(&a.slug, b.photo)).await.status, 404);
    assert_eq!(admin.get(&url(&b.slug, private)).await.status, 404);
}

#[tokio::test]
async fn a_form_of_one_agency_cannot_point_at_another_agencys_records() {
    let app = TestApp::with_demo().await;
    let a = app.demo().await;
    let b = app.other_agency("bueng", "อบต.บึง", "บึงกาฬ").await;
    let admin = app.demo_admin().await;
    let db = app.store_db();
    let before_b = snapshot_agency(db, b.id).await;
    let before = snapshot_all(db).await;
    let bd = b.division.to_string();
    let bp = b.person.to_string();
    let attempts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            format!("/a/{}/admin/people/new", a.slug),
            vec![
                ("name", "นายข้ามเขต"),
                ("position", "เจ้าหน้าที่"),
                ("division_id", bd.as_str()),
            ],
        ),
        (
            format!("/a/{}/admin/people/{}", a.slug, a.person),
            vec![
                ("name", "นายข้ามเขต"),
                ("position", "เจ้าหน้าที่"),
                ("division_id", bd.as_str()),
            ],
        ),
        (
            format!("/a/{}/admin/members/new", a.slug),
            vec![
                ("email", "new@nonhan.example"),
                ("display_name", "ใหม่"),
                ("roles", "executive"),
                ("person_id", bp.as_str()),
            ],
        ),
        (
            format!("/a/{}/admin/members/new", a.slug),
            vec![
                ("email", "new@nonhan.example"),
                ("display_name", "ใหม่"),
                ("roles", "division-officer"),
                ("division_id", bd.as_str()),
            ],
        ),
        (
            format!("/a/{}/admin/members/{}", a.slug, a.other_member),
            vec![("roles", "executive"), ("person_id", bp.as_str())],
        ),
    ];
    for (path, fields) in attempts {
        let r = admin.post(&path, &fields).await;
        assert_eq!(r.status, 422, "POST {path} {fields:?}: {}", r.describe());
        assert!(
            r.has(".error-summary"),
            "POST {path}: the page says what is wrong"
        );
    }
    assert_unchanged(&before_b, &snapshot_agency(db, b.id).await, "B");
    assert_unchanged(
        &before,
        &snapshot_all(db).await,
        "refused forms write nothing",
    );
}
