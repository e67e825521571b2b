//! The pages as a visitor and a back-office user meet them: content, language, errors, limits,
//! headers, operations endpoints, the page cache, and malformed input.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use prongsai_domain::Entropy;
use prongsai_domain::SeededEntropy;
use prongsai_web::WebConfig;
use prongsai_web::i18n::Lang;
use prongsai_web::route_list;

use crate::support::routes::{fill, plausible_fields};
use crate::support::*;

#[tokio::test]
async fn the_platform_home_lists_agencies_by_province_in_thai_order() {
    let app = TestApp::with_demo().await;
    app.other_agency("warin", "เทศบาลเมืองวารินชำราบ", "อุบลราชธานี")
        .await;
    app.other_agency("maerim", "เทศบาลตำบลแม่ริม", "เชียงใหม่")
        .await;
    app.other_agency("bangkhen", "องค์การบริหารส่วนตำบลบางเขน", "กรุงเทพมหานคร")
        .await;
    app.other_agency("kudkhao", "องค์การบริหารส่วนตำบลกุดเค้า", "ขอนแก่น")
        .await;
    app.other_agency("chumphae", "เทศบาลเมืองชุมแพ", "ขอนแก่น")
        .await;
    let r = app.client().get("/").await;
    assert_eq!(r.status, 200);
    let th = app.tr(Lang::Th);
    let expected: Vec<String> = ["กรุงเทพมหานคร", "ขอนแก่น", "เชียงใหม่", "อุบลราชธานี"]
        .iter()
        .map(|p| th.arg("home-province", "province", p))
        .collect();
    assert_eq!(
        r.texts("section.province h2"),
        expected,
        "provinces in Thai order"
    );
    let khon_kaen: Vec<String> = r
        .texts("section.province:nth-of-type(2) .agency-list strong")
        .into_iter()
        .collect();
    assert_eq!(
        khon_kaen,
        [
            "เทศบาลตำบลโนนหัน",
            "เทศบาลเมืองชุมแพ",
            "องค์การบริหารส่วนตำบลกุดเค้า"
        ],
        "agencies in Thai order within a province"
    );
    let links = r.attrs(".agency-list a", "href");
    assert!(links.contains(&"/a/nonhan/".to_owned()));
    assert_eq!(links.len(), 6);
    assert!(r.body.contains(&th.arg("home-count", "count", 6)));
}

#[tokio::test]
async fn the_public_agency_home_shows_both_sides_with_name_position_photo_and_contact() {
    let app = TestApp::with_demo().await;
    let c = app.client();
    let r = c.get("/a/nonhan/").await;
    assert_eq!(r.status, 200, "{}", r.describe());
    assert_eq!(r.attrs("html", "lang"), ["th"]);
    assert_eq!(r.texts("main h1"), ["เทศบาลตำบลโนนหัน"]);
    assert_eq!(
        r.texts("#executives h3.side-title"),
        [app.th("side-political"), app.th("side-permanent")]
    );
    let side = |n: usize| format!("#executives .grid > div:nth-of-type({n}) li.person");
    let political = r.texts(&format!("{} .name", side(1)));
    let permanent = r.texts(&format!("{} .name", side(2)));
    assert!(
        political.contains(&"นายวิชัย ศรีประเสริฐ".to_owned()),
        "{political:?}"
    );
    assert!(
        permanent.contains(&"นางพรทิพย์ สุขสวัสดิ์".to_owned()),
        "{permanent:?}"
    );
    assert!(!political.iter().any(|p| permanent.contains(p)));
    let mayor = r
        .texts(&side(1))
        .into_iter()
        .find(|t| t.contains("นายวิชัย"))
        .unwrap();
    assert!(mayor.contains("นายกเทศมนตรีตำบลโนนหัน"), "position: {mayor}");
    assert!(mayor.contains("043-000-100 ต่อ 11"), "phone: {mayor}");
    assert!(mayor.contains("mayor@nonhan.example"), "e-mail: {mayor}");
    assert!(
        r.attrs(&format!("{} a", side(1)), "href")
            .iter()
            .any(|h| h.starts_with("tel:")),
        "phone numbers are links"
    );
    let photos = r.attrs(&format!("{} img", side(1)), "src");
    assert_eq!(
        photos.len(),
        political.len(),
        "every political executive has a photo"
    );
    for src in photos.iter().chain(r.attrs(".brand-logo", "src").iter()) {
        assert!(src.starts_with("/a/nonhan/files/"), "{src}");
        let img = c.get(src).await;
        assert_eq!(img.status, 200, "{src}");
        assert_eq!(img.header("content-type").as_deref(), Some("image/png"));
        assert_eq!(
            img.header("x-content-type-options").as_deref(),
            Some("nosniff")
        );
    }
    assert_eq!(
        r.attrs(&format!("{} img", side(1)), "alt")[0],
        "นายวิชัย ศรีประเสริฐ"
    );
    // The structure and the contacts.
    let divisions = r.texts("#structure .division h3");
    assert!(divisions.contains(&"กองคลัง".to_owned()), "{divisions:?}");
    let contact = r.texts("#contact").join(" ");
    for v in [
        "043-000-100",
        "saraban@nonhan.example",
        "40290",
        "https://nonhan.example",
    ] {
        assert!(contact.contains(v), "contact lacks {v}: {contact}");
    }
    assert!(
        r.has("main#main") && r.has("nav[aria-label]") && r.has("footer"),
        "landmarks"
    );
    // /a/nonhan without the slash goes to the page.
    let r = c.get("/a/nonhan").await;
    assert_eq!(r.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(r.location().as_deref(), Some("/a/nonhan/"));
}

#[tokio::test]
async fn the_english_switch_changes_the_language_of_the_page() {
    let app = TestApp::with_demo().await;
    let c = app.client();
    assert_eq!(c.get("/a/nonhan/").await.attrs("html", "lang"), ["th"]);
    let switch = c
        .get("/a/nonhan/")
        .await
        .attrs("a.lang-switch", "href")
        .pop()
        .unwrap();
    assert_eq!(switch, "/lang/en?next=/a/nonhan/");
    let r = c.get(&switch).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location().as_deref(), Some("/a/nonhan/"));
    let en = c.get("/a/nonhan/").await;
    assert_eq!(en.attrs("html", "lang"), ["en"]);
    let tr = app.tr(Lang::En);
    assert!(
        en.texts("#executives h2")
            .contains(&tr.get("portal-executives"))
    );
    assert!(
        en.texts("#executives h3")
            .contains(&tr.get("side-political"))
    );
    // Another visitor still gets Thai (the cache keeps the languages apart).
    assert_eq!(
        app.client().get("/a/nonhan/").await.attrs("html", "lang"),
        ["th"]
    );
    assert_eq!(c.get("/signin").await.attrs("html", "lang"), ["en"]);
    c.get("/lang/th?next=/").await;
    assert_eq!(c.get("/a/nonhan/").await.attrs("html", "lang"), ["th"]);
    assert_eq!(c.get("/lang/fr").await.status, 404);
    for next in ["//evil.example/", "https://evil.example/"] {
        let r = c
            .get(&format!(
                "/lang/en?next={}",
                crate::support::client::pct(next)
            ))
            .await;
        assert_eq!(r.location().as_deref(), Some("/"), "next={next}");
    }
}

#[tokio::test]
async fn an_unknown_agency_gets_a_not_found_page_in_thai() {
    let app = TestApp::with_demo().await;
    let admin = app.demo_admin().await;
    for (c, path) in [
        (app.client(), "/a/nowhere/"),
        (app.client(), "/a/nowhere/files/1"),
        (app.client(), "/no/such/page"),
        (admin.clone(), "/a/nowhere/admin/"),
        (admin.clone(), "/a/nowhere/admin/people/1"),
    ] {
        let r = c.get(path).await;
        assert_eq!(r.status, 404, "{path}: {}", r.describe());
        assert_eq!(r.attrs("html", "lang"), ["th"], "{path}");
        assert!(
            r.texts("h1").contains(&app.th("error-not-found-title")),
            "{path}"
        );
        assert_eq!(r.header("cache-control").as_deref(), Some("no-store"));
        assert!(r.body.contains(&app.th("error-go-home")));
    }
    let json = app
        .client()
        .send(
            Request::builder()
                .uri("/a/nowhere/")
                .header(header::ACCEPT, "application/json")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(json.status, 404);
    assert!(
        json.body.contains("\"error\":\"not-found\""),
        "{}",
        json.body
    );
}

#[tokio::test]
async fn a_body_over_the_limit_gets_413_and_writes_nothing() {
    let app = TestApp::with_config(WebConfig {
        max_body_bytes: 64 * 1024,
        ..WebConfig::default()
    })
    .await;
    app.load_demo().await;
    let c = app.demo_admin().await;
    let token = c.csrf().await;
    let db = app.store_db();
    let before = snapshot_all(db).await;
    let big = "ก".repeat(40 * 1024);
    let body = crate::support::client::encode(&[("csrf", &token), ("name", &big)]);
    // With a declared length…
    let declared = c
        .send(
            Request::builder()
                .method(Method::POST)
                .uri("/a/nonhan/admin/divisions/new")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::CONTENT_LENGTH, body.len())
                .body(Body::from(body.clone()))
                .unwrap(),
        )
        .await;
    // …and without one.
    let streamed = c.post_raw("/a/nonhan/admin/divisions/new", body).await;
    let upload = c
        .post_multipart(
            "/a/nonhan/admin/profile/logo",
            &[],
            &[("logo", "big.png", &[PNG, &vec![0u8; 100 * 1024]].concat())],
        )
        .await;
    for r in [declared, streamed, upload] {
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.describe());
        assert!(r.texts("h1").contains(&app.th("error-too-large-title")));
    }
    assert_unchanged(&before, &snapshot_all(db).await, "refused bodies");
}

#[tokio::test]
async fn malformed_form_input_is_shown_again_with_messages_and_writes_nothing() {
    let app = TestApp::with_demo().await;
    let a = app.demo().await;
    let c = app.demo_admin().await;
    let db = app.store_db();
    let before = snapshot_all(db).await;
    let person = format!("/a/nonhan/admin/people/{}", a.person);
    // (path, fields, the fields that must be named as wrong)
    type Case<'a> = (String, Vec<(&'a str, &'a str)>, Vec<&'a str>);
    let cases: Vec<Case<'_>> = vec![
        (
            "/a/nonhan/admin/divisions/new".into(),
            vec![("name", "  "), ("sort_order", "abc"), ("email", "nope")],
            vec!["name", "sort_order", "email"],
        ),
        (
            "/a/nonhan/admin/profile".into(),
            vec![
                ("name", "เทศบาล"),
                ("kind", "castle"),
                ("province", ""),
                ("district", "ชุมแพ"),
                ("website", "javascript:alert(1)"),
                ("postcode", "1234"),
            ],
            vec!["kind", "province", "website", "postcode"],
        ),
        (
            person.clone(),
            vec![
                ("name", ""),
                ("position", "x"),
                ("executive", "royal"),
                ("phone", "call me"),
            ],
            vec!["name", "executive", "phone"],
        ),
        (
            "/a/nonhan/admin/members/new".into(),
            vec![
                ("email", "not-an-email"),
                ("display_name", ""),
                ("roles", "emperor"),
            ],
            vec!["email", "display_name", "roles"],
        ),
        (
            "/a/nonhan/admin/fiscal-years".into(),
            vec![("year", "๒๕๖๙๙")],
            vec!["year"],
        ),
    ];
    for (path, fields, bad) in &cases {
        let r = c.post(path, fields).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "POST {path}: {}",
            r.describe()
        );
        for f in bad {
            assert!(
                r.has(&format!("#f-{f}[aria-invalid=true]"))
                    || r.has(&format!("#e-{f}"))
                    || r.has(&format!(".error-summary a[href=\"#f-{f}\"]")),
                "POST {path}: no message for {f}:\n{}",
                r.texts("main").join(" ")
            );
        }
    }
    // Typed values come back, escaped.
    let r = c
        .post(
            "/a/nonhan/admin/divisions/new",
            &[("name", "<script>alert(1)</script>"), ("sort_order", "-5")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(!r.body.contains("<script>alert(1)"));
    assert_eq!(r.attrs("#f-name", "value"), ["<script>alert(1)</script>"]);
    // The messages follow the user's language.
    c.get("/lang/en?next=/").await;
    let r = c
        .post("/a/nonhan/admin/divisions/new", &[("name", "")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains(&app.tr(Lang::En).get("form-has-errors")));
    assert_unchanged(&before, &snapshot_all(db).await, "refused forms");
}

#[tokio::test]
async fn an_upload_that_is_not_an_image_is_refused_with_a_clear_message() {
    let app = TestApp::with_demo().await;
    let a = app.demo().await;
    let c = app.demo_admin().await;
    let db = app.store_db();
    let before = snapshot_all(db).await;
    let too_big = [PNG, &vec![0u8; 6 * 1024 * 1024]].concat();
    let cases: Vec<(String, &str, &str, &[u8], String)> = vec![
        (
            "/a/nonhan/admin/profile/logo".into(),
            "logo",
            "logo.png",
            b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
            app.th("err-file-type-not-allowed"),
        ),
        (
            format!("/a/nonhan/admin/people/{}/photo", a.person),
            "photo",
            "photo.png",
            b"MZ\x90\0 this is a program",
            app.th("err-file-type-not-allowed"),
        ),
        (
            format!("/a/nonhan/admin/people/{}/photo", a.person),
            "photo",
            "report.png",
            b"%PDF-1.7 a document, not an image",
            app.th("err-file-type-not-allowed"),
        ),
        (
            "/a/nonhan/admin/profile/logo".into(),
            "logo",
            "empty.png",
            b"",
            app.th("err-required"),
        ),
        (
            "/a/nonhan/admin/profile/logo".into(),
            "logo",
            "huge.png",
            &too_big,
            app.tr(Lang::Th).arg("err-file-too-large", "mb", 5),
        ),
    ];
    for (path, field, name, bytes, message) in cases {
        let r = c.post_multipart(&path, &[], &[(field, name, bytes)]).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: {}",
            r.describe()
        );
        assert!(
            r.body.contains(&message),
            "{name}: the page says {message:?}"
        );
    }
    assert_unchanged(&before, &snapshot_all(db).await, "refused uploads");
}

#[tokio::test]
async fn an_image_under_the_image_limit_is_accepted_whatever_its_size() {
    let app = TestApp::with_demo().await;
    let a = app.demo().await;
    let c = app.demo_admin().await;
    let photo = [PNG, &vec![7u8; 3 * 1024 * 1024]].concat();
    let r = c
        .post_multipart(
            &format!("/a/nonhan/admin/people/{}/photo", a.person),
            &[],
            &[("photo", "big-photo.png", &photo)],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "a 3 MB photo (limit 5 MB): {}",
        r.describe()
    );
    let p = app.cx.store.person(a.id, a.person).await.unwrap();
    let got = app
        .client()
        .get(&format!("/a/nonhan/files/{}", p.photo.unwrap()))
        .await;
    assert_eq!(got.bytes.len(), photo.len());
}

fn nonce_of(csp: &str) -> String {
    let start = csp.find("'nonce-").expect("a nonce in the CSP") + 7;
    csp[start..].split('\'').next().unwrap().to_owned()
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::with_demo().await;
    let admin = app.demo_admin().await;
    let anon = app.client();
    let mut nonces = std::collections::BTreeSet::new();
    for (c, path) in [
        (&anon, "/"),
        (&anon, "/a/nonhan/"),
        (&anon, "/signin"),
        (&anon, "/a/nowhere/"),
        (&anon, "/static/app.css"),
        (&anon, "/healthz"),
        (&anon, "/metrics"),
        (&admin, "/a/nonhan/admin/"),
        (&admin, "/a/nonhan/admin/profile"),
        (&admin, "/account"),
    ] {
        let r = c.get(path).await;
        let csp = r
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("{path}: no CSP"));
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(csp.contains("object-src 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        let nonce = nonce_of(&csp);
        assert!(nonce.len() >= 16, "{path}: a real nonce");
        assert!(
            nonces.insert(nonce.clone()),
            "{path}: the nonce is new for each response"
        );
        assert_eq!(
            r.header("x-content-type-options").as_deref(),
            Some("nosniff"),
            "{path}"
        );
        assert!(r.header("referrer-policy").is_some(), "{path}");
        // Inline scripts and styles carry the response's nonce.
        for tag in ["script:not([src])", "style"] {
            for n in r.attrs(tag, "nonce") {
                assert_eq!(n, nonce, "{path}: {tag}");
            }
            assert_eq!(
                r.attrs(tag, "nonce").len(),
                r.texts(tag).len(),
                "{path}: every {tag} has a nonce"
            );
        }
    }
    // Also on refusals made before any handler.
    let r = admin
        .post_without_token("/a/nonhan/admin/fiscal-years", &[])
        .await;
    assert_eq!(r.status, 403);
    assert!(r.header("content-security-policy").is_some());
    assert!(r.header("x-request-id").is_some());
}

#[tokio::test]
async fn health_and_readiness_answer_and_readiness_follows_the_database() {
    let app = TestApp::new().await;
    let c = app.client();
    let r = c.get("/healthz").await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ok"));
    let r = c.get("/readyz").await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ready"));
    app.store_db().close().await;
    let r = c.get("/readyz").await;
    assert_eq!(
        r.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        r.describe()
    );
    assert_eq!(
        c.get("/healthz").await.status,
        200,
        "the process still lives"
    );
    // With the database gone, pages fail cleanly: a 500 page with a request id, never a cause.
    let r = c.get("/").await;
    assert_eq!(r.status, 500);
    assert!(r.body.contains(&r.header("x-request-id").unwrap()));
    assert!(
        !r.body.to_lowercase().contains("pool"),
        "no cause on the page: {}",
        r.body
    );
}

#[tokio::test]
async fn metrics_are_counted_by_route_pattern_and_hold_no_personal_data() {
    let app = TestApp::with_demo().await;
    let a = app.demo().await;
    let admin = app.demo_admin().await;
    let visitor = app.client().at_addr("203.0.113.99:41000");
    visitor.get("/a/nonhan/?ref=someone@example.com").await;
    visitor.get("/a/nonhan/files/1").await;
    visitor.get("/a/secret-slug-x/").await;
    visitor
        .get("/victim@example.com/profile?email=victim@example.com")
        .await;
    visitor
        .sign_in("victim@example.com", "wrong-password")
        .await;
    admin
        .get(&format!("/a/nonhan/admin/people/{}", a.person))
        .await;
    admin
        .get(&format!("/a/nonhan/admin/audit?actor={DEMO_ADMIN}"))
        .await;
    let r = app.client().get("/metrics").await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    let text = r.body;
    for label in [
        "route=\"/a/{slug}/\"",
        "route=\"/a/{slug}/admin/people/{id}\"",
        "route=\"/a/{slug}/files/{id}\"",
        "route=\"/signin\"",
        "route=\"unmatched\"",
        "status=\"4xx\"",
        "method=\"POST\"",
    ] {
        assert!(text.contains(label), "metrics lack {label}:\n{text}");
    }
    for leak in [
        "@",
        "nonhan",
        "secret-slug-x",
        "victim",
        "?",
        "203.0.113.99",
        &a.person.to_string(),
    ] {
        assert!(!text.contains(leak), "metrics contain {leak:?}:\n{text}");
    }
    let off = TestApp::with_config(WebConfig {
        metrics: false,
        ..WebConfig::default()
    })
    .await;
    assert_eq!(off.client().get("/metrics").await.status, 404);
}

#[tokio::test]
async fn an_edit_in_the_back_office_shows_on_the_public_page_at_once() {
    let app = TestApp::with_demo().await;
    let a = app.demo().await;
    let visitor = app.client();
    let first = visitor.get("/a/nonhan/").await;
    let etag = first.header("etag").expect("an ETag");
    let again = visitor
        .send(
            Request::builder()
                .uri("/a/nonhan/")
                .header(header::IF_NONE_MATCH, &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let admin = app.demo_admin().await;
    let profile = admin.get("/a/nonhan/admin/profile").await;
    let mut fields: Vec<(String, String)> = Vec::new();
    for name in [
        "name",
        "name_en",
        "province",
        "district",
        "subdistrict",
        "postcode",
        "phone",
        "fax",
        "email",
        "website",
        "facebook",
        "line_id",
        "office_hours",
    ] {
        let v = profile
            .attrs(&format!("#f-{name}"), "value")
            .pop()
            .unwrap_or_default();
        fields.push((name.to_owned(), v));
    }
    fields.push((
        "kind".into(),
        profile
            .attrs("#f-kind option[selected]", "value")
            .pop()
            .unwrap(),
    ));
    for name in ["address", "about"] {
        fields.push((
            name.to_owned(),
            profile
                .texts(&format!("#f-{name}"))
                .pop()
                .unwrap_or_default(),
        ));
    }
    for (k, v) in &mut fields {
        if k == "name" {
            *v = "เทศบาลตำบลโนนหันใหม่".into();
        }
        if k == "phone" {
            *v = "043-999-999".into();
        }
    }
    let f: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = admin
        .submit("/a/nonhan/admin/profile", "/a/nonhan/admin/profile", &f)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    let after = visitor.get("/a/nonhan/").await;
    assert_eq!(
        after.texts("main h1"),
        ["เทศบาลตำบลโนนหันใหม่"],
        "no clock moved"
    );
    assert!(after.texts("#contact").join(" ").contains("043-999-999"));
    assert_ne!(after.header("etag").unwrap(), etag);
    // A person's edit too.
    let r = admin
        .post(
            &format!("/a/nonhan/admin/people/{}", a.person),
            &[
                ("name", "นางสาวคนใหม่ ทดสอบ"),
                ("position", "ตำแหน่งใหม่"),
                ("division_id", &a.division.to_string()),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    let after = visitor.get("/a/nonhan/").await;
    assert!(after.body.contains("นางสาวคนใหม่ ทดสอบ"));
}

/// Signs the admin in again after a sign-out among the fuzzed requests. The fuzzing also posts to
/// the sign-in form, so the client may be throttled: the clock first moves past the window.
async fn stay_signed_in(app: &TestApp, admin: &Client) {
    if !admin.is_signed_in().await {
        app.advance(WebConfig::default().throttle_window_secs);
        let r = admin.sign_in(DEMO_ADMIN, DEMO_PASSWORD).await;
        assert!(r.status.is_redirection(), "{}", r.describe());
    }
}

/// Paths with ids and values no route expects.
fn bad_ids() -> Vec<&'static str> {
    vec![
        "-1",
        "abc",
        "99999999999999999999",
        "%00",
        "%FF%FE",
        "..%2F..%2Fetc%2Fpasswd",
        "1%3BDROP%20TABLE%20agencies",
    ]
}

#[tokio::test]
async fn no_page_answers_500_to_malformed_input() {
    let app = TestApp::with_demo().await;
    let a = app.demo().await;
    let admin = app.demo_admin().await;
    let anon = app.client();
    let rng = SeededEntropy::new(2566);
    let random = |n: usize| {
        let mut b = vec![0u8; n];
        rng.fill(&mut b);
        b
    };
    let mut tried = 0;
    let check = |what: String, r: Resp| {
        assert!(r.status.as_u16() < 500, "{what}: {}", r.describe());
        1
    };
    for route in route_list() {
        stay_signed_in(&app, &admin).await;
        // Bad ids and slugs in the path.
        let mut paths = Vec::new();
        for bad in bad_ids() {
            let p = route.path.replace("{slug}", &a.slug).replace("{id}", bad);
            paths.push(p.replace("{file}", bad).replace("{lang}", bad));
            if route.path.contains("{slug}") {
                let p = route.path.replace("{slug}", bad);
                paths.push(fill(
                    &prongsai_web::RouteInfo {
                        method: route.method,
                        path: Box::leak(p.into_boxed_str()),
                    },
                    &a,
                    &a,
                ));
            }
        }
        paths.push(format!("{}?{}", fill(&route, &a, &a), "x=%FF&y=%00&z="));
        for path in paths {
            for c in [&admin, &anon] {
                let r = if route.method == "GET" {
                    c.get(&path).await
                } else {
                    c.post(&path, &[("name", "x")]).await
                };
                tried += check(format!("{} {path}", route.method), r);
            }
        }
        if route.method != "POST" {
            continue;
        }
        let path = fill(&route, &a, &a);
        // Random bytes as the body, with a valid token in front so that the handler sees them.
        for n in [1, 64, 4096] {
            let token = admin.csrf().await;
            let mut body = format!("csrf={token}&").into_bytes();
            body.extend(random(n));
            tried += check(
                format!("POST {path} with {n} random bytes"),
                admin.post_raw(&path, body).await,
            );
        }
        // Every plausible field made huge, or full of control characters and NULs.
        let huge = "ก".repeat(5_000);
        let nasty = "a\u{0}b\u{1}\u{7f}\r\n\t\u{202e}\u{feff}%00'\"<>;--";
        for value in [huge.as_str(), nasty, "", "-1", "99999999999999999999"] {
            let fields: Vec<(String, String)> = plausible_fields(&a)
                .into_iter()
                .map(|(k, _)| (k, value.to_owned()))
                .collect();
            let f: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            tried += check(
                format!("POST {path} with every field {value:.20?}"),
                admin.post(&path, &f).await,
            );
        }
        stay_signed_in(&app, &admin).await;
        // A multipart body that is cut off, and one with a wrong boundary.
        let token = admin.csrf().await;
        for body in [
            format!(
                "--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n--b\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"x.png\"\r\n\r\n\u{89}PNG"
            ),
            "garbage without any boundary".to_owned(),
        ] {
            let r = admin
                .send(
                    Request::builder()
                        .method(Method::POST)
                        .uri(&path)
                        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=b")
                        .header("x-csrf-token", &token)
                        .body(Body::from(body))
                        .unwrap(),
                )
                .await;
            tried += check(format!("POST {path} with a broken multipart body"), r);
        }
    }
    // Filters and queries with NULs, bad dates and bad numbers.
    for path in [
        "/a/nonhan/admin/audit?entity=%00&action=a%00b&actor=x%00%40y&from=%00&until=2026-13-45&before=%00",
        "/a/nonhan/admin/audit?before=99999999999999999999&from=31%2F02%2F2569",
        "/a/%00/admin/audit",
        "/signin?next=%00",
        "/signin?next=%2F%00",
        "/lang/en?next=%2F%00",
    ] {
        for c in [&admin, &anon] {
            tried += check(format!("GET {path}"), c.get(path).await);
        }
    }
    // Sign-in and TOTP forms with NULs and odd e-mails.
    for email in [
        "a\u{0}b@x.example",
        "%00",
        "ผู้ใช้@ตัวอย่าง.ไทย",
        &"x".repeat(5000),
    ] {
        tried += check(
            format!("sign in as {email:.20?}"),
            anon.sign_in(email, "pw\u{0}").await,
        );
    }
    // Cookies that are not ours.
    let odd = app.client();
    odd.set_cookie("prongsai_session", "%00garbage");
    odd.set_cookie("prongsai_csrf", "'; DROP TABLE sessions; --");
    odd.set_cookie("prongsai_lang", "xx");
    odd.set_cookie("prongsai_flash", "<script>");
    for path in ["/", "/a/nonhan/", "/account", "/signin", "/a/nonhan/admin/"] {
        tried += check(format!("GET {path} with odd cookies"), odd.get(path).await);
    }
    assert!(tried > 500, "only {tried} requests tried");
}

#[tokio::test]
async fn a_cached_public_page_never_carries_one_visitors_message_to_another() {
    let app = TestApp::with_demo().await;
    let first = app.client();
    // A visitor arrives with a one-off message still pending (say, just signed out).
    first.set_cookie("prongsai_flash", "flash-signed-out");
    let r = first
        .get("/a/nonhan/?ref=first-visitor%40example.com")
        .await;
    assert_eq!(r.status, 200);
    let second = app.client().get("/a/nonhan/").await;
    assert!(
        !second.body.contains(&app.th("flash-signed-out")),
        "another visitor got the first visitor's message from the cache"
    );
    assert!(!second.has(".flash"));
    assert!(
        !second.body.contains("first-visitor"),
        "another visitor's query string is in the cached page"
    );
    assert_eq!(
        second.attrs("a.lang-switch", "href"),
        ["/lang/en?next=/a/nonhan/"]
    );
}
