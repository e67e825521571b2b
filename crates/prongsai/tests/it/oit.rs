//! The OIT checklist as its users meet it: the agency attaches evidence and submits, the
//! assessor passes or fails, the agency clarifies a failed item, the public sees the table.

use axum::http::StatusCode;
use prongsai_domain::ita::oit::{self, ItemStatus};
use prongsai_thai::FiscalYear;

use crate::support::*;

const YEAR: i32 = 2567;

fn item(code: &str) -> String {
    format!("/a/nonhan/admin/ita/oit/{YEAR}/items/{code}")
}

fn fy() -> FiscalYear {
    FiscalYear::new(YEAR).unwrap()
}

async fn status_of(app: &TestApp, code: &str) -> ItemStatus {
    let a = app.demo().await;
    let y = oit::oit_year(&app.cx, a.id, fy()).await.unwrap();
    y.status(code)
}

#[tokio::test]
async fn evidence_is_attached_submitted_failed_clarified_and_given_a_final_verdict() {
    let app = TestApp::with_demo().await;
    let a = app.demo().await;
    let admin = app.demo_admin().await;
    let assessor = app.signed_in(DEMO_ASSESSOR, DEMO_PASSWORD).await;

    // A draft item shows its requirement and the evidence form; not the review form.
    let page = admin.get(&item("O36")).await;
    assert_eq!(page.status, 200, "{}", page.describe());
    assert!(page.has(".requirement"));
    assert!(page.has(&format!(
        "form[action=\"{}/evidence\"][enctype=\"multipart/form-data\"]",
        item("O36")
    )));
    assert!(!page.has("#review"));
    assert_eq!(page.attrs("#oit-status", "data-status"), ["draft"]);

    // A page of the portal, with its navigation path and date, and a PDF file.
    let r = admin
        .post_multipart(
            &format!("{}/evidence", item("O36")),
            &[
                ("url", "/a/nonhan/measures/2566"),
                ("nav_path", "หน้าแรก > มาตรการ > ปี 2566"),
                ("label", "แผนปฏิบัติการ ปี 2567 (ลงนามแล้ว)"),
                ("dated_on", "15/01/2567"),
            ],
            &[("files", "แผน.pdf", b"%PDF-1.7 plan")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    let page = admin.get(&item("O36")).await;
    let labels = page.texts(".evidence > p > a");
    assert_eq!(
        labels
            .iter()
            .filter(|l| *l == "แผนปฏิบัติการ ปี 2567 (ลงนามแล้ว)")
            .count(),
        2,
        "the URL and the file, each under the label given: {labels:?}"
    );
    assert!(
        page.texts(".nav-path")
            .contains(&"หน้าแรก > มาตรการ > ปี 2566".to_owned())
    );
    // The pre-checks: the portal page exists and is public; dated in the year.
    let checks = page.texts(".check");
    let tr = app.tr(prongsai_web::i18n::Lang::Th);
    assert!(
        checks
            .iter()
            .any(|c| c.contains(&app.th("oit-check-page-public"))),
        "{checks:?}"
    );
    assert!(
        checks
            .iter()
            .any(|c| c.contains(&tr.arg("oit-check-dated-in-year", "arg", "2567"))),
        "{checks:?}"
    );

    // Submitted: the evidence is locked, the assessor sees the review form.
    let r = admin.post(&format!("{}/submit", item("O36")), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    assert_eq!(status_of(&app, "O36").await, ItemStatus::Submitted);
    let page = admin.get(&item("O36")).await;
    assert!(!page.has("#add") && !page.has("#review"));
    let page = assessor.get(&item("O36")).await;
    assert!(page.has("#review form"), "{}", page.describe());

    // The assessor fails it with a comment; the agency sees the comment and may clarify.
    let r = assessor
        .post(
            &format!("{}/review", item("O36")),
            &[("verdict", "fail"), ("comment", "แผนไม่ได้ลงนามโดยผู้บริหาร")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    assert_eq!(status_of(&app, "O36").await, ItemStatus::Failed);
    let page = admin.get(&item("O36")).await;
    assert_eq!(page.texts(".review-comment"), ["แผนไม่ได้ลงนามโดยผู้บริหาร"]);
    assert!(page.has("#clarify form") && page.has("#add form"));

    // More evidence, then the clarification; the assessor's second verdict is final.
    let r = admin
        .post_multipart(
            &format!("{}/evidence", item("O36")),
            &[
                ("url", "https://nonhan.example/plan-signed.pdf"),
                ("nav_path", "หน้าแรก > แผนป้องกันการทุจริต"),
            ],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    let r = admin
        .post(
            &format!("{}/clarify", item("O36")),
            &[("clarification", "แนบแผนที่ลงนามแล้ว")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    assert_eq!(status_of(&app, "O36").await, ItemStatus::Clarified);
    let r = assessor
        .post(&format!("{}/review", item("O36")), &[("verdict", "pass")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    assert_eq!(status_of(&app, "O36").await, ItemStatus::Final);
    let page = admin.get(&item("O36")).await;
    assert_eq!(page.texts("#oit-status"), [app.th("oit-verdict-pass")]);
    assert!(!page.has("#add") && !page.has("#clarify") && !page.has("form[action$=\"/submit\"]"));

    // The audit log names every step in words, with the assessor as the actor of the verdicts.
    let log = admin.get("/a/nonhan/admin/audit").await;
    let body = log.texts("tbody tr").join("\n");
    for key in [
        "entity-oit-item",
        "entity-oit-evidence",
        "action-review",
        "action-clarify",
    ] {
        assert!(body.contains(&app.th(key)), "{key} in the audit log");
    }
    assert!(body.contains(DEMO_ASSESSOR));

    // The verdicts feed the scoring engine: O36 now passes.
    let input = oit::score_input(&app.cx, a.id, fy()).await.unwrap();
    let items = input.items.clone().unwrap();
    assert_eq!(items.get("O36"), Some(&true));
    assert_eq!(items.get("O2"), Some(&false), "the demo's failed item");
    assert_eq!(items.get("O3"), None, "submitted, not reviewed: missing");
    let fw = prongsai_domain::ita::framework::built_in(YEAR)
        .unwrap()
        .unwrap();
    let report = prongsai_domain::ita::score::score(
        &fw,
        &prongsai_domain::ita::score::ScoreInput {
            oit: Some(input),
            ..Default::default()
        },
    )
    .unwrap();
    let oit = report.instruments.iter().find(|i| i.code == "OIT").unwrap();
    assert!(!oit.complete, "items still missing make it partial");
    assert!(report.partial && report.grade.is_none());
    // The list page: no points while items are missing (never a silent zero), the count so far.
    let list = admin.get(&format!("/a/nonhan/admin/ita/oit/{YEAR}")).await;
    assert_eq!(list.status, 200);
    assert!(list.texts(".oit-score").is_empty(), "partial: no points");
    assert_eq!(
        list.texts(".oit-passed"),
        [tr.arg2("oit-passed-so-far", "passed", 6, "reviewed", 8)]
    );
    assert_eq!(list.attrs("tr#O36", "data-status"), ["final"]);
    // Once every item has a verdict, the list shows the OIT points the engine gives.
    let actor = prongsai_domain::platform::Actor::system("test");
    let y = oit::oit_year(&app.cx, a.id, fy()).await.unwrap();
    for i in &fw.oit_items {
        let from = y.status(&i.code);
        if matches!(from, ItemStatus::Draft | ItemStatus::Submitted) {
            let passed = oit::ItemState {
                status: ItemStatus::Passed,
                verdict: Some(true),
                ..oit::ItemState::new(a.id, fy(), &i.code, app.now())
            };
            app.cx
                .store
                .set_oit_items(app.cx.write(&actor), &[(passed, from)], "review")
                .await
                .unwrap();
        }
    }
    let input = oit::score_input(&app.cx, a.id, fy()).await.unwrap();
    assert_eq!(input.items.as_ref().unwrap().len(), 43);
    let report = prongsai_domain::ita::score::score(
        &fw,
        &prongsai_domain::ita::score::ScoreInput {
            oit: Some(input),
            ..Default::default()
        },
    )
    .unwrap();
    let oit = report.instruments.iter().find(|i| i.code == "OIT").unwrap();
    assert!(oit.complete);
    assert_ne!(oit.points, oit.max_points, "O2 and O20 failed");
    let list = admin.get(&format!("/a/nonhan/admin/ita/oit/{YEAR}")).await;
    assert_eq!(
        list.texts(".oit-score"),
        [tr.arg2("oit-score", "points", &oit.points, "max", &oit.max_points)]
    );
    // The what-if simulator starts from the items passed so far.
    let sim = admin
        .get(&format!("/a/nonhan/admin/ita/simulate?fy={YEAR}"))
        .await;
    assert_eq!(sim.status, 200, "{}", sim.describe());
    assert_eq!(sim.attrs("#f-O36", "checked").len(), 1);
    assert_eq!(sim.attrs("#f-O1", "checked").len(), 1);
    assert!(sim.attrs("#f-O2", "checked").is_empty(), "failed");
    assert!(sim.attrs("#f-O20", "checked").is_empty(), "failed");
}

#[tokio::test]
async fn bad_evidence_and_out_of_turn_steps_are_refused_with_a_message_and_change_nothing() {
    let app = TestApp::with_demo().await;
    let a = app.demo().await;
    let admin = app.demo_admin().await;
    let assessor = app.signed_in(DEMO_ASSESSOR, DEMO_PASSWORD).await;
    let mayor = app.signed_in(DEMO_MAYOR, DEMO_PASSWORD).await;
    let db = app.store_db();
    let before = snapshot_agency(db, a.id).await;
    let evidence = format!("{}/evidence", item("O36"));
    let th = |k: &str| app.th(k);
    let tr = app.tr(prongsai_web::i18n::Lang::Th);
    let max = 10 * 1024 * 1024;
    let big = {
        let mut b = b"%PDF-1.7 ".to_vec();
        b.resize(max + 1, b'x');
        b
    };
    // (what, fields, files, the message expected)
    type Case<'a> = (
        &'a str,
        Vec<(&'a str, &'a str)>,
        Vec<(&'a str, &'a str, &'a [u8])>,
        String,
    );
    let cases: Vec<Case<'_>> = vec![
        (
            "no URL and no file",
            vec![("nav_path", "หน้าแรก > แผน"), ("label", "แผนที่พิมพ์ไว้")],
            vec![],
            th("err-required"),
        ),
        (
            "a malformed URL",
            vec![("url", "www.nonhan"), ("nav_path", "หน้าแรก > แผน")],
            vec![],
            th("err-invalid-url"),
        ),
        (
            "a URL without its navigation path",
            vec![("url", "/a/nonhan/"), ("label", "แผนที่พิมพ์ไว้")],
            vec![],
            th("err-required"),
        ),
        (
            "a program named .pdf",
            vec![("label", "แผนที่พิมพ์ไว้")],
            vec![("files", "plan.pdf", b"MZ\x90\0 not a pdf")],
            th("err-file-type-not-allowed"),
        ),
        (
            "a file too large",
            vec![("label", "แผนที่พิมพ์ไว้")],
            vec![("files", "plan.pdf", &big)],
            tr.error(&prongsai_domain::ErrorCode::FileTooLarge {
                max_bytes: max as u64,
            }),
        ),
    ];
    for (what, fields, files, message) in cases {
        let r = admin.post_multipart(&evidence, &fields, &files).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{what}: {}",
            r.describe()
        );
        let errors = r.texts(".error-summary li");
        assert!(
            errors.iter().any(|e| e.contains(&message)),
            "{what}: {message} in {errors:?}"
        );
        // What was typed is kept.
        for (name, value) in &fields {
            let kept = r.attrs(&format!("#add input[name={name}]"), "value");
            assert_eq!(kept, [value.to_string()], "{what}: {name} kept");
        }
        assert_unchanged(&before, &snapshot_agency(db, a.id).await, what);
    }

    // Steps out of turn.
    let refused = |r: &Resp, code: &str, what: &str| {
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{what}: {}",
            r.describe()
        );
        let errors = r.texts(".error-summary li");
        assert!(
            errors.iter().any(|e| e.contains(&th(code))),
            "{what}: {code} in {errors:?}"
        );
    };
    let r = assessor
        .post(&format!("{}/review", item("O36")), &[("verdict", "pass")])
        .await;
    refused(&r, "err-oit-not-submitted", "reviewing a draft");
    let r = assessor
        .post(
            &format!("{}/review", item("O1")),
            &[("verdict", "fail"), ("comment", "x")],
        )
        .await;
    refused(&r, "err-oit-not-submitted", "reviewing a passed item again");
    let r = admin
        .post(
            &format!("{}/clarify", item("O1")),
            &[("clarification", "ชี้แจง")],
        )
        .await;
    refused(&r, "err-oit-not-failed", "clarifying a passed item");
    let r = admin
        .post(
            &format!("{}/clarify", item("O2")),
            &[("clarification", " ")],
        )
        .await;
    refused(&r, "err-required", "an empty clarification");
    let r = assessor
        .post(
            &format!("{}/review", item("O3")),
            &[("verdict", "fail"), ("comment", "  ")],
        )
        .await;
    refused(&r, "err-required", "a fail without a comment");
    assert_eq!(
        r.attrs("#review input[value=fail][checked]", "value"),
        ["fail"],
        "the verdict chosen is kept"
    );
    let r = admin.post(&format!("{}/submit", item("O4")), &[]).await;
    refused(&r, "err-oit-no-evidence", "submitting without evidence");
    let r = admin
        .post_multipart(
            &format!("{}/evidence", item("O3")),
            &[("url", "/a/nonhan/"), ("nav_path", "หน้าแรก")],
            &[],
        )
        .await;
    refused(&r, "err-oit-locked", "evidence on a submitted item");
    let removed = admin
        .post(
            &format!("{}/evidence/remove", item("O1")),
            &[("evidence", "123")],
        )
        .await;
    refused(
        &removed,
        "err-oit-locked",
        "removing evidence of a passed item",
    );

    // Who may do what: the agency never reviews itself; the assessor attaches nothing.
    let r = admin
        .post(&format!("{}/review", item("O3")), &[("verdict", "pass")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = assessor
        .post_multipart(
            &evidence,
            &[("url", "/a/nonhan/"), ("nav_path", "หน้าแรก")],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        mayor
            .post(&format!("{}/submit", item("O36")), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Items and years that do not exist.
    assert_eq!(admin.get(&item("O99")).await.status, 404);
    assert_eq!(
        admin
            .get("/a/nonhan/admin/ita/oit/2550/items/O1")
            .await
            .status,
        404
    );
    assert_unchanged(&before, &snapshot_agency(db, a.id).await, "refused steps");
}

#[tokio::test]
async fn pre_checks_find_missing_and_private_pages_other_years_and_incomplete_executives() {
    let app = TestApp::with_demo().await;
    let admin = app.demo_admin().await;
    let tr = app.tr(prongsai_web::i18n::Lang::Th);
    let add = |url: &'static str, dated: &'static str| {
        let admin = &admin;
        async move {
            let r = admin
                .post_multipart(
                    &format!("{}/evidence", item("O42")),
                    &[("url", url), ("nav_path", "หน้าแรก"), ("dated_on", dated)],
                    &[],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{url}: {}", r.describe());
        }
    };
    add("/a/nonhan/no-such-page", "").await;
    add("/a/nonhan/admin/people", "").await;
    add("/a/nonhan/measures/2566", "").await;
    add("https://nonhan.example/ita", "2023-05-01").await;
    let page = admin.get(&item("O42")).await;
    let checks = page.texts(".check");
    // The demo's own link: the FY2567 plan is a draft, so its page is not public yet.
    for expected in [
        app.th("oit-check-page-missing"),
        app.th("oit-check-page-private"),
        app.th("oit-check-page-public"),
        tr.arg("oit-check-page-of-other-year", "arg", "2566"),
        app.th("oit-check-external-not-checked"),
        tr.arg(
            "oit-check-dated-outside-year",
            "arg",
            prongsai_thai::format_short(
                time::macros::date!(2023 - 05 - 01),
                prongsai_thai::Digits::Arabic,
            ),
        ),
    ] {
        assert!(
            checks.iter().any(|c| c.contains(&expected)),
            "{expected} in {checks:?}"
        );
    }
    assert!(page.has(".check-fail") && page.has(".check-not-checked"));

    // O2 on the home page: two executives of the demo have no photo.
    let page = admin.get(&item("O2")).await;
    let fails: Vec<String> = page.texts(".check-fail");
    assert!(
        fails
            .iter()
            .any(|c| c.contains(&format!("นางวันเพ็ญ ศรีสมบัติ ({})", app.th("oit-part-photo")))),
        "{fails:?}"
    );
}

#[tokio::test]
async fn the_public_table_lists_submitted_evidence_is_cacheable_and_exports_as_xlsx() {
    let app = TestApp::with_demo().await;
    let a = app.demo().await;
    let admin = app.demo_admin().await;
    // A file on a draft item is not public; once submitted, it is.
    let r = admin
        .post_multipart(
            &format!("{}/evidence", item("O36")),
            &[("label", "แผนปฏิบัติการ (PDF)")],
            &[("files", "plan.pdf", b"%PDF-1.7 plan")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    let y = oit::oit_year(&app.cx, a.id, fy()).await.unwrap();
    let file = y
        .evidence_of("O36")
        .iter()
        .find_map(|e| match &e.target {
            oit::EvidenceTarget::File { file_id, .. } => Some(*file_id),
            oit::EvidenceTarget::Url(_) => None,
        })
        .unwrap();
    let anon = app.client();
    let file_url = format!("/a/nonhan/files/{file}");
    assert_eq!(anon.get(&file_url).await.status, 404);

    let url = format!("/a/nonhan/ita/{YEAR}");
    let page = anon.get(&url).await;
    assert_eq!(page.status, 200, "{}", page.describe());
    assert!(
        page.set_cookies().is_empty(),
        "a public page sets no cookie"
    );
    assert!(
        page.header("cache-control")
            .is_some_and(|c| c.contains("public")),
        "{:?}",
        page.header("cache-control")
    );
    let etag = page.header("etag").unwrap();
    assert_eq!(page.texts("tr#O1 td.links a"), ["โครงสร้างเทศบาลตำบลโนนหัน"]);
    assert_eq!(page.texts("tr#O1 td.explanation"), ["หน้าแรก > โครงสร้าง"]);
    assert_eq!(
        page.attrs("tr#O2 td.links a", "href"),
        ["/a/nonhan/#executives"]
    );
    // Drafts are not published.
    assert_eq!(page.texts("tr#O36 td.links a"), Vec::<String>::new());
    assert_eq!(page.texts("tr#O42 td.links a"), Vec::<String>::new());
    assert_eq!(page.texts("tbody tr").len(), 43);

    // Submitting changes the page at once (the cache is emptied by the write).
    let r = admin.post(&format!("{}/submit", item("O36")), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    let page = anon.get(&url).await;
    assert_ne!(page.header("etag").unwrap(), etag);
    let links = page.attrs("tr#O36 td.links a", "href");
    assert!(links.contains(&file_url), "{links:?}");
    assert_eq!(anon.get(&file_url).await.status, 200);

    // The same table as XLSX: a row per item, links and explanations in their cells.
    let x = anon.get(&format!("{url}/oit.xlsx")).await;
    assert_eq!(x.status, 200, "{}", x.describe());
    assert!(x.set_cookies().is_empty());
    let th = |k: &str| app.th(k);
    let spec = prongsai_sheets::SheetSpec {
        name: format!("OIT {YEAR}"),
        headers: vec![
            th("oit-col-code"),
            th("oit-col-item"),
            th("oit-col-links"),
            th("oit-col-explanation"),
        ],
        widths: vec![],
    };
    let sheets = prongsai_sheets::read(&x.bytes, &[spec], 100).unwrap();
    let rows = &sheets[0].rows;
    assert_eq!(rows.len(), 43);
    let o1 = rows.iter().find(|r| r.cells[0] == "O1").unwrap();
    assert_eq!(o1.cells[1], "โครงสร้าง");
    assert_eq!(o1.cells[2], "/a/nonhan/#structure");
    assert_eq!(o1.cells[3], "หน้าแรก > โครงสร้าง");
    let o36 = rows.iter().find(|r| r.cells[0] == "O36").unwrap();
    assert!(o36.cells[2].contains(&file_url), "{o36:?}");

    // Another agency's slug with this year: its own (empty) table, never Non Han's evidence.
    let b = app.other_agency("bueng", "อบต.บึง", "บึงกาฬ").await;
    let other = anon.get(&format!("/a/{}/ita/{YEAR}", b.slug)).await;
    assert_eq!(other.status, 200);
    assert!(!other.body.contains("nonhan"));
    assert_eq!(anon.get("/a/nonhan/ita/2550").await.status, 404);
    // The portal's menu leads to the table of the year.
    let home = anon.get("/a/nonhan/").await;
    assert_eq!(home.attrs("a[href=\"/a/nonhan/ita\"]", "href").len(), 1);
    let r = anon.get("/a/nonhan/ita").await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    assert!(r.location().unwrap().starts_with("/a/nonhan/ita/25"));
    assert_eq!(anon.get("/a/nowhere/ita").await.status, 404);
}

#[tokio::test]
async fn external_links_are_checked_only_when_allowed_and_never_fail() {
    let app = TestApp::with_config(prongsai_web::WebConfig {
        check_external_links: true,
        ..prongsai_web::WebConfig::default()
    })
    .await;
    app.load_demo().await;
    let admin = app.demo_admin().await;
    for url in ["http://127.0.0.1:6379/", "http://127.0.0.1/oit"] {
        let r = admin
            .post_multipart(
                &format!("{}/evidence", item("O42")),
                &[("url", url), ("nav_path", "หน้าแรก")],
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{url}: {}", r.describe());
    }
    let page = admin.get(&item("O42")).await;
    let checks = page.texts(".check");
    let external: Vec<&String> = checks
        .iter()
        .filter(|c| {
            [
                "oit-check-external-not-checked",
                "oit-check-external-reachable",
                "oit-check-external-unreachable",
            ]
            .iter()
            .any(|k| c.contains(&app.th(k)))
        })
        .collect();
    assert_eq!(external.len(), 2, "{checks:?}");
    // Another port than the web's is never contacted; the web port is tried, and whatever the
    // network says, it is advice, not a failure.
    let not_checked = external
        .iter()
        .filter(|c| c.contains(&app.th("oit-check-external-not-checked")))
        .count();
    assert_eq!(not_checked, 1, "{external:?}");
    let failing = page.texts(".check-fail");
    assert!(
        !failing
            .iter()
            .any(|c| c.contains(&app.th("oit-check-external-unreachable"))),
        "{failing:?}"
    );
}

#[tokio::test]
async fn a_step_someone_else_took_first_is_refused_not_overwritten() {
    let app = TestApp::with_demo().await;
    let a = app.demo().await;
    let actor = prongsai_domain::platform::Actor::system("test");
    let store = &app.cx.store;
    // O3 is submitted in the demo: a verdict made as if it were still a draft is a conflict.
    let passed = oit::ItemState {
        status: ItemStatus::Passed,
        verdict: Some(true),
        ..oit::ItemState::new(a.id, fy(), "O3", app.now())
    };
    let before = snapshot_agency(app.store_db(), a.id).await;
    let r = store
        .set_oit_items(
            app.cx.write(&actor),
            &[(passed, ItemStatus::Draft)],
            "review",
        )
        .await;
    assert!(
        matches!(r, Err(prongsai_domain::StoreError::Conflict)),
        "{r:?}"
    );
    // Evidence cannot be slipped into a submitted item underneath the service either.
    let e = oit::Evidence {
        id: prongsai_domain::ids::OitEvidenceId::from_raw(app.cx.new_id()),
        agency_id: a.id,
        fiscal_year: fy(),
        code: "O3".into(),
        target: oit::EvidenceTarget::Url("/a/nonhan/".into()),
        label: "x".into(),
        nav_path: "x".into(),
        dated_on: None,
        created_at: app.now(),
    };
    let r = store.add_oit_evidence(app.cx.write(&actor), &e).await;
    assert!(
        matches!(r, Err(prongsai_domain::StoreError::Conflict)),
        "{r:?}"
    );
    assert_unchanged(
        &before,
        &snapshot_agency(app.store_db(), a.id).await,
        "conflicting steps",
    );
}

#[tokio::test]
async fn closing_the_review_makes_every_verdict_final_and_locks_the_year() {
    let app = TestApp::with_demo().await;
    let a = app.demo().await;
    let admin = app.demo_admin().await;
    let assessor = app.signed_in(DEMO_ASSESSOR, DEMO_PASSWORD).await;
    let tr = app.tr(prongsai_web::i18n::Lang::Th);
    let list = format!("/a/nonhan/admin/ita/oit/{YEAR}");
    let close = format!("{list}/finalise");
    let y = oit::oit_year(&app.cx, a.id, fy()).await.unwrap();
    let waiting: Vec<String> = y
        .framework
        .oit_items
        .iter()
        .filter(|i| y.status(&i.code).reviewable())
        .map(|i| i.code.clone())
        .collect();
    assert!(!waiting.is_empty(), "the demo has a submitted item (O3)");

    // The agency neither sees the closing nor may close.
    assert!(admin.get(&list).await.texts("#h-close").is_empty());
    let before = snapshot_agency(app.store_db(), a.id).await;
    let r = admin.post(&close, &[]).await;
    assert!(r.status.is_client_error(), "{}", r.describe());
    // The assessor sees what closing would do; with items awaiting a verdict it is refused.
    let page = assessor.get(&list).await;
    assert_eq!(page.texts("#h-close").len(), 1);
    let msg = tr.arg("err-oit-awaiting-verdict", "count", waiting.len());
    assert_eq!(page.texts("#f-finalise"), std::slice::from_ref(&msg));
    let r = assessor.post(&close, &[]).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        r.describe()
    );
    assert_eq!(r.texts("#f-finalise"), [msg]);
    assert_eq!(snapshot_agency(app.store_db(), a.id).await, before);

    // Once every submitted item has a verdict, closing makes every verdict final.
    for code in &waiting {
        let r = assessor
            .post(&format!("{}/review", item(code)), &[("verdict", "pass")])
            .await;
        assert!(r.status.is_redirection(), "{}", r.describe());
    }
    // Evidence the agency attached but never submitted stays unpublished after the close.
    let r = admin
        .post_multipart(
            &format!("{}/evidence", item("O36")),
            &[("url", "/a/nonhan/"), ("nav_path", "หน้าแรก > ร่าง")],
            &[],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    let r = assessor.post(&close, &[]).await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    let public = app.client().get(&format!("/a/nonhan/ita/{YEAR}")).await;
    assert!(
        public.texts("tr#O36 .links a").is_empty(),
        "never submitted"
    );
    assert!(!public.texts("tr#O1 .links a").is_empty());
    let y = oit::oit_year(&app.cx, a.id, fy()).await.unwrap();
    for i in &y.framework.oit_items {
        assert!(y.status(&i.code).is_closed(), "{}", i.code);
    }
    assert_eq!(status_of(&app, "O36").await, ItemStatus::Unsubmitted);
    assert_eq!(status_of(&app, "O2").await, ItemStatus::Final);
    let verdicts = y.verdicts();
    assert_eq!(
        verdicts.len(),
        y.framework.oit_items.len(),
        "a verdict for every item"
    );
    assert_eq!(verdicts.get("O1"), Some(&true), "passed stays passed");
    assert_eq!(verdicts.get("O2"), Some(&false), "failed, never clarified");
    assert_eq!(verdicts.get("O36"), Some(&false), "never submitted");
    for code in &waiting {
        assert_eq!(verdicts.get(code), Some(&true));
    }
    let page = assessor.get(&list).await;
    assert!(page.texts("#h-close").is_empty(), "nothing left to close");
    assert!(
        page.texts(".oit-score").len() == 1,
        "the OIT points are complete"
    );

    // A closed year is locked: no evidence, no clarification, no second verdict.
    let before = snapshot_agency(app.store_db(), a.id).await;
    let r = admin
        .post_multipart(
            &format!("{}/evidence", item("O36")),
            &[("url", "/a/nonhan/"), ("nav_path", "หน้าแรก")],
            &[],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        r.describe()
    );
    let r = admin
        .post(
            &format!("{}/clarify", item("O2")),
            &[("clarification", "แนบเพิ่มแล้ว")],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        r.describe()
    );
    let r = assessor
        .post(&format!("{}/review", item("O2")), &[("verdict", "pass")])
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        r.describe()
    );
    // Closing again changes nothing.
    let r = assessor.post(&close, &[]).await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    assert_eq!(snapshot_agency(app.store_db(), a.id).await, before);
}
