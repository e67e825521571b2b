//! The audit log: every write route leaves an entry, the hash chains find tampering, and admins
//! can browse and filter their agency's log.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use prongsai_domain::ids::AgencyId;
use prongsai_domain::ita::framework::InstrumentCode;
use prongsai_domain::platform::audit::{AuditEntry, AuditProblem};
use prongsai_domain::platform::service::verify_audit;
use prongsai_domain::platform::{AgencyProfileInput, Role};
use prongsai_store::{Backend, Db};
use prongsai_web::route_list;

use crate::support::*;

/// Every entry of every chain.
async fn all_entries(app: &TestApp) -> Vec<AuditEntry> {
    let mut out = Vec::new();
    for h in app.cx.store.audit_heads().await.unwrap() {
        out.extend(app.cx.store.audit_chain(h.chain, 0, 100_000).await.unwrap());
    }
    out
}

/// The entries a request added.
async fn new_entries(app: &TestApp, before: &[AuditEntry]) -> Vec<AuditEntry> {
    let old: BTreeSet<(i64, i64)> = before.iter().map(|e| (e.chain, e.seq)).collect();
    all_entries(app)
        .await
        .into_iter()
        .filter(|e| !old.contains(&(e.chain, e.seq)))
        .collect()
}

pub(crate) fn profile_fields(p: &AgencyProfileInput, name: &str) -> Vec<(String, String)> {
    let mut f = vec![
        ("name", name.to_owned()),
        ("name_en", p.name_en.clone()),
        ("kind", p.kind.clone()),
        ("province", p.province.clone()),
        ("district", p.district.clone()),
        ("subdistrict", p.subdistrict.clone()),
        ("address", p.address.clone()),
        ("postcode", p.postcode.clone()),
        ("phone", p.phone.clone()),
        ("fax", p.fax.clone()),
        ("email", p.email.clone()),
        ("website", p.website.clone()),
        ("facebook", p.facebook.clone()),
        ("line_id", p.line_id.clone()),
        ("office_hours", p.office_hours.clone()),
        ("about", p.about.clone()),
    ];
    if p.require_totp {
        f.push(("require_totp", "on".into()));
    }
    f.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

enum Body {
    Form(Vec<(String, String)>),
    Upload(&'static str),
    /// Text fields and files (field, name, content).
    Multipart(Vec<(String, String)>, Vec<(&'static str, String, Vec<u8>)>),
}

fn form(fields: &[(&str, &str)]) -> Body {
    Body::Form(
        fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    )
}

#[tokio::test]
async fn every_write_route_leaves_an_audit_entry_naming_actor_agency_entity_and_action() {
    let app = TestApp::with_demo().await;
    let a = app.demo().await;
    let store = &app.cx.store;
    let c = app.client();
    let op = app.client();
    let mayor = store
        .account_by_email(DEMO_MAYOR)
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut covered: BTreeSet<&str> = BTreeSet::new();

    // (route pattern, browser, actor, concrete path, body, expected (entity, action), agency)
    let mut run = async |pattern: &'static str,
                         who: &Client,
                         actor: &str,
                         path: String,
                         body: Body,
                         expect: &[(&str, &str)],
                         agency: Option<AgencyId>| {
        covered.insert(pattern);
        let before = all_entries(&app).await;
        let r = match body {
            Body::Form(f) => {
                let f: Vec<(&str, &str)> =
                    f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                if pattern == "/signin" {
                    who.submit("/signin", "/signin", &f).await
                } else {
                    who.post(&path, &f).await
                }
            }
            Body::Upload(field) => {
                who.post_multipart(&path, &[], &[(field, "p.png", PNG)])
                    .await
            }
            Body::Multipart(fields, files) => {
                let f: Vec<(&str, &str)> = fields
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                let files: Vec<(&str, &str, &[u8])> = files
                    .iter()
                    .map(|(k, n, b)| (*k, n.as_str(), b.as_slice()))
                    .collect();
                who.post_multipart(&path, &f, &files).await
            }
        };
        assert!(
            r.status.is_redirection() || r.status == StatusCode::OK,
            "POST {path}: {}",
            r.describe()
        );
        let added = new_entries(&app, &before).await;
        let account = store.account_by_email(actor).await.unwrap().map(|x| x.id);
        for (entity, action) in expect {
            let found = added
                .iter()
                .find(|e| e.entity == *entity && e.action == *action);
            let e = found.unwrap_or_else(|| {
                panic!("POST {path}: no {entity}/{action} entry; added {added:?}")
            });
            assert_eq!(e.actor_label, actor, "POST {path}: who");
            assert_eq!(e.actor_account_id, account, "POST {path}: which account");
            assert_eq!(e.agency_id, agency, "POST {path}: which agency");
            assert_eq!(e.at, app.now(), "POST {path}: when");
            assert!(!e.entity_id.is_empty());
        }
        r
    };

    let admin = DEMO_ADMIN;
    let s = &a.slug;
    run(
        "/signin",
        &c,
        admin,
        "/signin".into(),
        form(&[("email", admin), ("password", DEMO_PASSWORD)]),
        &[("account", "sign-in")],
        None,
    )
    .await;
    run(
        "/a/{slug}/admin/fiscal-years",
        &c,
        admin,
        format!("/a/{s}/admin/fiscal-years"),
        form(&[("year", "2568")]),
        &[("fiscal-year", "create")],
        Some(a.id),
    )
    .await;
    let current = AgencyProfileInput::from_profile(&store.agency(a.id).await.unwrap().profile);
    run(
        "/a/{slug}/admin/profile",
        &c,
        admin,
        format!("/a/{s}/admin/profile"),
        Body::Form(profile_fields(&current, "เทศบาลตำบลโนนหัน (แก้ไข)")),
        &[("agency", "update")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/profile/logo",
        &c,
        admin,
        format!("/a/{s}/admin/profile/logo"),
        Body::Upload("logo"),
        &[("file", "create"), ("agency", "update")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/divisions/new",
        &c,
        admin,
        format!("/a/{s}/admin/divisions/new"),
        form(&[("name", "กองใหม่")]),
        &[("division", "create")],
        Some(a.id),
    )
    .await;
    let d = store
        .list_divisions(a.id)
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.fields.name == "กองใหม่")
        .unwrap()
        .id;
    run(
        "/a/{slug}/admin/divisions/{id}",
        &c,
        admin,
        format!("/a/{s}/admin/divisions/{d}"),
        form(&[("name", "กองใหม่กว่า")]),
        &[("division", "update")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/people/new",
        &c,
        admin,
        format!("/a/{s}/admin/people/new"),
        form(&[
            ("name", "นายใหม่ ทดสอบ"),
            ("position", "ลูกจ้าง"),
            ("division_id", &d.to_string()),
        ]),
        &[("person", "create")],
        Some(a.id),
    )
    .await;
    let p = store
        .list_people(a.id)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.fields.name == "นายใหม่ ทดสอบ")
        .unwrap()
        .id;
    run(
        "/a/{slug}/admin/people/{id}",
        &c,
        admin,
        format!("/a/{s}/admin/people/{p}"),
        form(&[
            ("name", "นายใหม่ แก้ไข"),
            ("position", "ลูกจ้าง"),
            ("division_id", &d.to_string()),
        ]),
        &[("person", "update")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/people/{id}/photo",
        &c,
        admin,
        format!("/a/{s}/admin/people/{p}/photo"),
        Body::Upload("photo"),
        &[("file", "create"), ("person", "update")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/people/{id}/delete",
        &c,
        admin,
        format!("/a/{s}/admin/people/{p}/delete"),
        form(&[]),
        &[("person", "delete")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/divisions/{id}/delete",
        &c,
        admin,
        format!("/a/{s}/admin/divisions/{d}/delete"),
        form(&[]),
        &[("division", "delete")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/members/new",
        &c,
        admin,
        format!("/a/{s}/admin/members/new"),
        form(&[
            ("email", "new@nonhan.example"),
            ("display_name", "ใหม่"),
            ("roles", "assessor"),
        ]),
        &[("account", "create"), ("membership", "create")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/members/{id}",
        &c,
        admin,
        format!("/a/{s}/admin/members/{mayor}"),
        form(&[("roles", "executive"), ("roles", "complaint-handler")]),
        &[("membership", "update")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/members/{id}/reset-password",
        &c,
        admin,
        format!("/a/{s}/admin/members/{mayor}/reset-password"),
        form(&[]),
        &[("account", "password-reset")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/members/{id}/remove",
        &c,
        admin,
        format!("/a/{s}/admin/members/{mayor}/remove"),
        form(&[]),
        &[("membership", "delete")],
        Some(a.id),
    )
    .await;
    // Measures: a new plan, its texts and tables, a measure and an action made, changed and
    // deleted, a warning accepted, a workbook imported, the draft submitted, progress reported.
    run(
        "/a/{slug}/admin/measures",
        &c,
        admin,
        format!("/a/{s}/admin/measures"),
        form(&[("year", "2568"), ("how", "scratch")]),
        &[("plan", "create")],
        Some(a.id),
    )
    .await;
    let y = a.year;
    run(
        "/a/{slug}/admin/measures/{year}/texts",
        &c,
        admin,
        format!("/a/{s}/admin/measures/{y}/texts"),
        form(&[
            ("introduction", "บทนำใหม่"),
            ("signer_name", "นายวิชัย ศรีประเสริฐ"),
        ]),
        &[("plan", "update")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/measures/{year}/tables/{which}",
        &c,
        admin,
        format!("/a/{s}/admin/measures/{y}/tables/reviews"),
        form(&[
            ("indicator", "1"),
            ("issues", "ประเด็น"),
            ("methods", "วิธี"),
            ("actions_taken", "ทำแล้ว"),
        ]),
        &[("plan", "update-reviews")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/measures/{year}/measures/new",
        &c,
        admin,
        format!("/a/{s}/admin/measures/{y}/measures/new"),
        form(&[
            ("title", "มาตรการใหม่ทดสอบ"),
            ("indicators", "1"),
            ("weight", "1"),
        ]),
        &[("measure", "create")],
        Some(a.id),
    )
    .await;
    let plan = store
        .plan(a.id, prongsai_thai::FiscalYear::new(y).unwrap())
        .await
        .unwrap()
        .unwrap();
    let m = store
        .measures(a.id, plan.id)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.fields.title == "มาตรการใหม่ทดสอบ")
        .unwrap()
        .id;
    run(
        "/a/{slug}/admin/measures/{year}/measures/{id}",
        &c,
        admin,
        format!("/a/{s}/admin/measures/{y}/measures/{m}"),
        form(&[
            ("title", "มาตรการใหม่แก้ไข"),
            ("indicators", "1"),
            ("weight", "2"),
        ]),
        &[("measure", "update")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/measures/{year}/measures/{id}/actions/new",
        &c,
        admin,
        format!("/a/{s}/admin/measures/{y}/measures/{m}/actions/new"),
        form(&[
            ("text", "การดำเนินการใหม่"),
            ("divisions", &a.division.to_string()),
            ("weight", "1"),
        ]),
        &[("action", "create")],
        Some(a.id),
    )
    .await;
    let act = store
        .actions(a.id, plan.id)
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.fields.text == "การดำเนินการใหม่")
        .unwrap()
        .id;
    run(
        "/a/{slug}/admin/measures/{year}/actions/{id}/edit",
        &c,
        admin,
        format!("/a/{s}/admin/measures/{y}/actions/{act}/edit"),
        form(&[
            ("text", "การดำเนินการแก้ไข"),
            ("divisions", &a.division.to_string()),
            ("weight", "1"),
        ]),
        &[("action", "update")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/measures/{year}/actions/{id}/delete",
        &c,
        admin,
        format!("/a/{s}/admin/measures/{y}/actions/{act}/delete"),
        form(&[]),
        &[("action", "delete")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/measures/{year}/measures/{id}/delete",
        &c,
        admin,
        format!("/a/{s}/admin/measures/{y}/measures/{m}/delete"),
        form(&[]),
        &[("measure", "delete")],
        Some(a.id),
    )
    .await;
    let workbook = c.get(&format!("/a/{s}/admin/measures/{y}/plan.xlsx")).await;
    assert_eq!(workbook.status, 200, "{}", workbook.describe());
    let preview = run(
        "/a/{slug}/admin/measures/{year}/import",
        &c,
        admin,
        format!("/a/{s}/admin/measures/{y}/import"),
        Body::Multipart(
            vec![],
            vec![("file", "plan.xlsx".into(), workbook.bytes.clone())],
        ),
        &[("file", "create")],
        Some(a.id),
    )
    .await;
    let hidden = |name: &str| {
        preview
            .attrs(
                &format!("form[action$=\"/import/apply\"] input[name={name}]"),
                "value",
            )
            .pop()
            .unwrap_or_else(|| panic!("the preview has no {name}: {}", preview.describe()))
    };
    let (file, stamp) = (hidden("file"), hidden("stamp"));
    run(
        "/a/{slug}/admin/measures/{year}/import/apply",
        &c,
        admin,
        format!("/a/{s}/admin/measures/{y}/import/apply"),
        form(&[("file", &file), ("stamp", &stamp)]),
        &[("plan", "replace-content")],
        Some(a.id),
    )
    .await;
    // Accept every open warning, the first through the audited case, then submit.
    let plan_page = format!("/a/{s}/admin/measures/{y}");
    let warnings = |r: &Resp| -> Vec<(String, String)> {
        let codes = r.attrs(
            "form[action$=\"/accept-warning\"] input[name=code]",
            "value",
        );
        let subjects = r.attrs(
            "form[action$=\"/accept-warning\"] input[name=subject]",
            "value",
        );
        codes.into_iter().zip(subjects).collect()
    };
    let open = warnings(&c.get(&plan_page).await);
    let (code, subject) = open
        .first()
        .cloned()
        .unwrap_or_else(|| ("other-agency".into(), "ทดสอบ".into()));
    run(
        "/a/{slug}/admin/measures/{year}/accept-warning",
        &c,
        admin,
        format!("/a/{s}/admin/measures/{y}/accept-warning"),
        form(&[
            ("code", &code),
            ("subject", &subject),
            ("reason", "ตรวจแล้ว ถูกต้อง"),
        ]),
        &[("plan", "accept-warning")],
        Some(a.id),
    )
    .await;
    for (code, subject) in warnings(&c.get(&plan_page).await) {
        let r = c
            .post(
                &format!("/a/{s}/admin/measures/{y}/accept-warning"),
                &[
                    ("code", &code),
                    ("subject", &subject),
                    ("reason", "ตรวจแล้ว"),
                ],
            )
            .await;
        assert!(r.status.is_redirection(), "{}", r.describe());
    }
    run(
        "/a/{slug}/admin/measures/{year}/status/{step}",
        &c,
        admin,
        format!("/a/{s}/admin/measures/{y}/status/submit"),
        form(&[]),
        &[("plan", "submit")],
        Some(a.id),
    )
    .await;
    let approved = store
        .plan(a.id, prongsai_thai::FiscalYear::new(2566).unwrap())
        .await
        .unwrap()
        .unwrap();
    let done = store.actions(a.id, approved.id).await.unwrap()[0].id;
    run(
        "/a/{slug}/admin/measures/{year}/actions/{id}/progress",
        &c,
        admin,
        format!("/a/{s}/admin/measures/2566/actions/{done}/progress"),
        Body::Multipart(
            vec![
                ("reported_on".into(), "2026-01-15".into()),
                ("status".into(), "in-progress".into()),
                ("percent".into(), "60".into()),
                ("narrative".into(), "ดำเนินการแล้วบางส่วน".into()),
            ],
            vec![(
                "files",
                "evidence.pdf".into(),
                b"%PDF-1.7 evidence".to_vec(),
            )],
        ),
        &[("progress", "create"), ("file", "create")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/ita/results",
        &c,
        admin,
        format!("/a/{s}/admin/ita/results"),
        form(&[
            ("fiscal_year", "2563"),
            ("total", "79.50"),
            ("grade", "B"),
            ("i1", "90"),
            ("i9", "60.25"),
        ]),
        &[("ita-result", "create")],
        Some(a.id),
    )
    .await;
    // Importing results from CSV: the year entered above is updated, a new one created.
    run(
        "/a/{slug}/admin/ita/results/import",
        &c,
        admin,
        format!("/a/{s}/admin/ita/results/import"),
        Body::Multipart(
            vec![],
            vec![(
                "file",
                "results.csv".into(),
                b"fiscal_year,total,grade,i1,i2,i3,i4,i5,i6,i7,i8,i9,i10\n\
                  2563,79.60,B,,,,,,,,,,\n2562,75.00,B,,,,,,,,,,\n"
                    .to_vec(),
            )],
        ),
        &[("ita-result", "update"), ("ita-result", "create")],
        Some(a.id),
    )
    .await;
    // OIT: evidence on a draft item (O36 in the demo), removed and added again, then
    // submitted; the assessor fails it; the agency clarifies.
    let oit = format!("/a/{s}/admin/ita/oit/2567/items/O36");
    run(
        "/a/{slug}/admin/ita/oit/{year}/items/{code}/evidence",
        &c,
        admin,
        format!("{oit}/evidence"),
        Body::Multipart(
            vec![
                ("url".into(), "/a/nonhan/".into()),
                ("nav_path".into(), "หน้าแรก".into()),
            ],
            vec![("files", "plan.pdf".into(), b"%PDF-1.7 plan".to_vec())],
        ),
        &[("oit-evidence", "create"), ("file", "create")],
        Some(a.id),
    )
    .await;
    let evidence = store
        .oit_evidence(a.id, prongsai_thai::FiscalYear::new(2567).unwrap())
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.code == "O36")
        .unwrap()
        .id
        .to_string();
    run(
        "/a/{slug}/admin/ita/oit/{year}/items/{code}/evidence/remove",
        &c,
        admin,
        format!("{oit}/evidence/remove"),
        form(&[("evidence", &evidence)]),
        &[("oit-evidence", "delete")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/ita/oit/{year}/items/{code}/submit",
        &c,
        admin,
        format!("{oit}/submit"),
        form(&[]),
        &[("oit-item", "submit")],
        Some(a.id),
    )
    .await;
    let assessor = app.signed_in(DEMO_ASSESSOR, DEMO_PASSWORD).await;
    run(
        "/a/{slug}/admin/ita/oit/{year}/items/{code}/review",
        &assessor,
        DEMO_ASSESSOR,
        format!("{oit}/review"),
        form(&[("verdict", "fail"), ("comment", "ไม่ใช่แผนของปี 2567")]),
        &[("oit-item", "review")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/ita/oit/{year}/items/{code}/clarify",
        &c,
        admin,
        format!("{oit}/clarify"),
        form(&[("clarification", "แนบแผนปี 2567 แล้ว")]),
        &[("oit-item", "clarify")],
        Some(a.id),
    )
    .await;
    // The assessor closes FY2566, where the demo has no OIT review: every item becomes final.
    run(
        "/a/{slug}/admin/ita/oit/{year}/finalise",
        &assessor,
        DEMO_ASSESSOR,
        format!("/a/{s}/admin/ita/oit/2566/finalise"),
        form(&[]),
        &[("oit-item", "finalise")],
        Some(a.id),
    )
    .await;
    // Portal content: a page made, edited, published and restored; a news item; attachments.
    run(
        "/a/{slug}/admin/pages/new",
        &c,
        admin,
        format!("/a/{s}/admin/pages/new"),
        form(&[
            ("content_title", "ประวัติความเป็นมา"),
            ("page_slug", "history"),
            ("body", "เดิม"),
        ]),
        &[("portal-content", "create")],
        Some(a.id),
    )
    .await;
    let page = store
        .page_by_slug(a.id, "history")
        .await
        .unwrap()
        .unwrap()
        .id;
    let content = format!("/a/{s}/admin/content/{page}");
    run(
        "/a/{slug}/admin/pages/standard/{key}",
        &c,
        admin,
        format!("/a/{s}/admin/pages/standard/local-plan"),
        form(&[("page", &page.to_string())]),
        &[("portal-standard", "link")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/news/new",
        &c,
        admin,
        format!("/a/{s}/admin/news/new"),
        form(&[
            ("content_kind", "news"),
            ("content_title", "ข่าวกิจกรรม"),
            ("body", "ข้อความ"),
            ("category", "กิจกรรม"),
        ]),
        &[("portal-content", "create")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/content/{id}",
        &c,
        admin,
        content.clone(),
        form(&[
            ("content_title", "ประวัติความเป็นมา"),
            ("page_slug", "history"),
            ("body", "ใหม่"),
        ]),
        &[("portal-content", "update")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/content/{id}/status",
        &c,
        admin,
        format!("{content}/status"),
        form(&[("change", "publish")]),
        &[("portal-content", "publish")],
        Some(a.id),
    )
    .await;
    let first = store
        .versions(a.id, page)
        .await
        .unwrap()
        .last()
        .unwrap()
        .id
        .to_string();
    run(
        "/a/{slug}/admin/content/{id}/restore",
        &c,
        admin,
        format!("{content}/restore"),
        form(&[("version", &first)]),
        &[("portal-content", "restore")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/content/{id}/attachments",
        &c,
        admin,
        format!("{content}/attachments"),
        Body::Multipart(
            vec![],
            vec![(
                "attachments",
                "ประกาศ.pdf".into(),
                b"%PDF-1.7 notice".to_vec(),
            )],
        ),
        &[("file", "create"), ("portal-attachment", "create")],
        Some(a.id),
    )
    .await;
    let attachment = store.attachments(a.id, page).await.unwrap()[0]
        .id
        .to_string();
    run(
        "/a/{slug}/admin/content/{id}/attachments/remove",
        &c,
        admin,
        format!("{content}/attachments/remove"),
        form(&[("attachment", &attachment)]),
        &[("portal-attachment", "delete")],
        Some(a.id),
    )
    .await;
    // Participation: a public question and suggestion are recorded as received (by nobody in
    // particular, without their text); moderation and review name the member.
    let public = prongsai_domain::portal::participation::service::public_actor().label;
    run(
        "/a/{slug}/qa/ask",
        &app.client(),
        &public,
        format!("/a/{s}/qa/ask"),
        form(&[
            ("question", "ขอสอบถามเวลาทำการ"),
            ("contact", "081-000-0000"),
        ]),
        &[("qa-question", "ask")],
        Some(a.id),
    )
    .await;
    let asked = store
        .list_questions(a.id, None)
        .await
        .unwrap()
        .into_iter()
        .find(|q| q.question == "ขอสอบถามเวลาทำการ")
        .unwrap()
        .id;
    run(
        "/a/{slug}/admin/qa/{id}",
        &c,
        admin,
        format!("/a/{s}/admin/qa/{asked}"),
        form(&[("change", "publish"), ("answer", "เปิดทำการ 08.30 น.")]),
        &[("qa-question", "publish")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/suggestions/new",
        &app.client(),
        &public,
        format!("/a/{s}/suggestions/new"),
        form(&[("topic", "service"), ("suggestion", "ขอให้มีที่จอดรถเพิ่ม")]),
        &[("suggestion", "receive")],
        Some(a.id),
    )
    .await;
    let suggested = store
        .list_suggestions(a.id, None)
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.text == "ขอให้มีที่จอดรถเพิ่ม")
        .unwrap()
        .id;
    run(
        "/a/{slug}/admin/suggestions/{id}",
        &c,
        admin,
        format!("/a/{s}/admin/suggestions/{suggested}"),
        form(&[("status", "considering"), ("response", "อยู่ระหว่างสำรวจพื้นที่")]),
        &[("suggestion", "review")],
        Some(a.id),
    )
    .await;
    // Surveys: settings and codes are audited (codes by count, never the codes themselves).
    let this_year = crate::surveys::this_fiscal_year(&app);
    let next = this_year + 1;
    run(
        "/a/{slug}/admin/ita/surveys/{year}/{instrument}",
        &c,
        admin,
        format!("/a/{s}/admin/ita/surveys/{next}/iit"),
        form(&[
            ("population", "40"),
            ("opens_on", "2026-01-01"),
            ("closes_on", "2026-12-31"),
        ]),
        &[("ita-survey", "create")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/ita/surveys/{year}/{instrument}/codes",
        &c,
        admin,
        format!("/a/{s}/admin/ita/surveys/{next}/iit/codes"),
        form(&[("count", "3")]),
        &[("ita-survey", "codes-made")],
        Some(a.id),
    )
    .await;
    // Answers write nothing but the answer: an audit entry would put a time beside it.
    let code = crate::surveys::unused_code(&app, a.id, this_year).await;
    let answers = crate::surveys::full_answers(InstrumentCode::IIT, "2");
    let before_answer = all_entries(&app).await;
    run(
        "/s/{code}",
        &app.client(),
        admin,
        format!("/s/{code}"),
        form(&crate::support::routes::borrow(&answers)),
        &[],
        None,
    )
    .await;
    let answers = crate::surveys::full_answers(InstrumentCode::EIT, "3");
    run(
        "/a/{slug}/eit",
        &app.client(),
        admin,
        format!("/a/{s}/eit"),
        form(&crate::support::routes::borrow(&answers)),
        &[],
        None,
    )
    .await;
    assert_eq!(
        new_entries(&app, &before_answer).await,
        vec![],
        "answering a survey writes no audit entry"
    );
    // Marking one's own notifications read changes the member's read markers only.
    run(
        "/a/{slug}/admin/notifications",
        &c,
        admin,
        format!("/a/{s}/admin/notifications"),
        form(&[]),
        &[],
        Some(a.id),
    )
    .await;
    let new = "admin-new-password-1";
    run(
        "/account/password",
        &c,
        admin,
        "/account/password".into(),
        form(&[("current", DEMO_PASSWORD), ("new", new), ("confirm", new)]),
        &[("account", "password-change")],
        None,
    )
    .await;
    run(
        "/account/totp/begin",
        &c,
        admin,
        "/account/totp/begin".into(),
        form(&[]),
        &[("account", "totp-enrol")],
        None,
    )
    .await;
    let secret = c.get("/account").await.texts(".secret").pop().unwrap();
    let code = |app: &TestApp| {
        format!(
            "{:06}",
            prongsai_domain::platform::totp::code_at_step(&secret, app.now().div_euclid(30))
                .unwrap()
        )
    };
    run(
        "/account/totp/confirm",
        &c,
        admin,
        "/account/totp/confirm".into(),
        form(&[("code", &code(&app))]),
        &[("account", "totp-enable")],
        None,
    )
    .await;
    run(
        "/signout",
        &c,
        admin,
        "/signout".into(),
        form(&[]),
        &[("account", "sign-out")],
        None,
    )
    .await;
    app.advance(30);
    let r = c.sign_in(admin, new).await;
    assert!(r.location().unwrap().starts_with("/signin/totp"));
    run(
        "/signin/totp",
        &c,
        admin,
        "/signin/totp".into(),
        form(&[("code", &code(&app))]),
        &[("account", "sign-in")],
        None,
    )
    .await;
    run(
        "/account/totp/disable",
        &c,
        admin,
        "/account/totp/disable".into(),
        form(&[("password", new)]),
        &[("account", "totp-disable")],
        None,
    )
    .await;
    assert!(
        op.sign_in(DEMO_OPERATOR, DEMO_PASSWORD)
            .await
            .status
            .is_redirection()
    );
    run(
        "/platform/agencies",
        &op,
        DEMO_OPERATOR,
        "/platform/agencies".into(),
        form(&[
            ("slug", "bueng"),
            ("name", "อบต.บึง"),
            ("kind", "sao"),
            ("province", "บึงกาฬ"),
            ("district", "เมือง"),
            ("admin_email", "admin@bueng.example"),
        ]),
        &[("agency", "create")],
        None,
    )
    .await;
    let created = store
        .agency_by_slug("bueng")
        .await
        .unwrap()
        .expect("the agency exists");
    let first_admin = store.list_members(created.id).await.unwrap();
    assert!(first_admin[0].membership.has_role(Role::AgencyAdmin));
    // Reference averages: national data, on the platform chain.
    run(
        "/platform/ita/averages",
        &op,
        DEMO_OPERATOR,
        "/platform/ita/averages".into(),
        Body::Multipart(
            vec![],
            vec![(
                "file",
                "averages.csv".into(),
                b"fiscal_year,scope,code,value\n2566,national,total,88.84\n".to_vec(),
            )],
        ),
        &[("ita-averages", "import")],
        None,
    )
    .await;
    // ITA frameworks: national data, on the platform chain.
    run(
        "/platform/ita/frameworks",
        &op,
        DEMO_OPERATOR,
        "/platform/ita/frameworks".into(),
        form(&[("from", "2567"), ("to", "2568")]),
        &[("ita-framework", "create")],
        None,
    )
    .await;
    run(
        "/platform/ita/frameworks/{year}/edit/{section}",
        &op,
        DEMO_OPERATOR,
        "/platform/ita/frameworks/2568/edit/points".into(),
        form(&[
            ("version", "1"),
            ("indicator.1.points", "7"),
            ("indicator.2.points", "5"),
        ]),
        &[("ita-framework", "update")],
        None,
    )
    .await;
    run(
        "/platform/ita/frameworks/{year}/items",
        &op,
        DEMO_OPERATOR,
        "/platform/ita/frameworks/2568/items".into(),
        form(&[
            ("version", "2"),
            ("new_item.code", "O44"),
            ("new_item.group", "9.1"),
            ("new_item.name_th", "ข้อใหม่"),
        ]),
        &[("ita-framework", "update")],
        None,
    )
    .await;

    // Cases: the public intake, the reporter's page, the handlers' back office.
    let reporter = app.client();
    let page = reporter.get(&format!("/a/{s}/complaints/new")).await;
    let token = page.attrs("input[name=pow]", "value").pop().unwrap();
    let nonce = prongsai_domain::cases::service::solve_pow(&token)
        .unwrap()
        .to_string();
    let filed = run(
        "/a/{slug}/complaints/new",
        &reporter,
        "system:intake",
        format!("/a/{s}/complaints/new"),
        Body::Multipart(
            [
                ("pow", token.as_str()),
                ("pow_nonce", nonce.as_str()),
                ("kind", "corruption"),
                ("identity", "anonymous"),
                ("subject", "เรื่องทดสอบ"),
                ("text", "รายละเอียด"),
            ]
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
            vec![],
        ),
        &[("case", "receive")],
        Some(a.id),
    )
    .await;
    let receipt = filed.texts("#receipt strong").pop().unwrap();
    let before_view = all_entries(&app).await;
    run(
        "/a/{slug}/complaints/status",
        &reporter,
        "system:intake",
        format!("/a/{s}/complaints/status"),
        form(&[("receipt", &receipt)]),
        &[],
        None,
    )
    .await;
    assert_eq!(
        new_entries(&app, &before_view).await,
        vec![],
        "the reporter reading their case writes no entry"
    );
    run(
        "/a/{slug}/complaints/status/reply",
        &reporter,
        "system:reporter",
        format!("/a/{s}/complaints/status/reply"),
        form(&[("receipt", &receipt), ("message", "ข้อความ")]),
        &[("case", "add-record")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/complaints/status/disclose",
        &reporter,
        "system:reporter",
        format!("/a/{s}/complaints/status/disclose"),
        form(&[
            ("receipt", &receipt),
            ("name", "นายทดสอบ"),
            ("contact", "081"),
            ("confirm", "1"),
        ]),
        &[("case", "add-record")],
        Some(a.id),
    )
    .await;
    let handler_email = "complaints@nonhan.example";
    let h = app.signed_in(handler_email, DEMO_PASSWORD).await;
    run(
        "/a/{slug}/admin/cases/unlock",
        &h,
        handler_email,
        format!("/a/{s}/admin/cases/unlock"),
        form(&[("password", DEMO_PASSWORD)]),
        &[("case-handler-key", "unlock")],
        Some(a.id),
    )
    .await;
    let second = crate::cases::second_handler(&app).await;
    let h2 = app
        .signed_in("second@nonhan.example", "second-handler-pw")
        .await;
    run(
        "/a/{slug}/admin/cases/key",
        &h2,
        "second@nonhan.example",
        format!("/a/{s}/admin/cases/key"),
        form(&[("password", "second-handler-pw")]),
        &[
            ("case-handler-key", "create"),
            ("case-handler-key", "unlock"),
        ],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/cases/grant",
        &h,
        handler_email,
        format!("/a/{s}/admin/cases/grant"),
        form(&[]),
        &[("case", "grant")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/cases/record",
        &h,
        handler_email,
        format!("/a/{s}/admin/cases/record"),
        Body::Multipart(
            [
                ("channel", "phone"),
                ("kind", "complaint"),
                ("identity", "identified"),
                ("name", "นางสาวโทร"),
                ("subject", "โทรแจ้ง"),
                ("text", "รายละเอียดทางโทรศัพท์"),
            ]
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
            vec![],
        ),
        &[("case", "receive")],
        Some(a.id),
    )
    .await;
    let heads = store.case_heads(a.id).await.unwrap();
    let case = heads
        .iter()
        .find(|c| c.state == prongsai_domain::cases::State::Received)
        .unwrap()
        .id
        .get();
    let other_case = heads
        .iter()
        .map(|c| c.id.get())
        .find(|c| *c != case)
        .unwrap();
    for (pattern, suffix, fields, entry) in [
        (
            "/a/{slug}/admin/cases/{id}/state",
            "state",
            vec![("state", "acknowledged")],
            ("case", "update"),
        ),
        (
            "/a/{slug}/admin/cases/{id}/entry",
            "entry",
            vec![("entry", "note"), ("text", "บันทึก")],
            ("case", "add-record"),
        ),
        (
            "/a/{slug}/admin/cases/{id}/referral",
            "referral",
            vec![("body", "nacc"), ("reference", "ปช 1/2569")],
            ("case", "add-record"),
        ),
    ] {
        run(
            pattern,
            &h,
            handler_email,
            format!("/a/{s}/admin/cases/{case}/{suffix}"),
            form(&fields),
            &[entry],
            Some(a.id),
        )
        .await;
    }
    run(
        "/a/{slug}/admin/cases/{id}/recuse",
        &h,
        handler_email,
        format!("/a/{s}/admin/cases/{case}/recuse"),
        form(&[("account", &second.to_string())]),
        &[("case", "recuse")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/cases/{id}/merge",
        &h,
        handler_email,
        format!("/a/{s}/admin/cases/{case}/merge"),
        form(&[("into", &other_case.to_string())]),
        &[("case", "update")],
        Some(a.id),
    )
    .await;
    run(
        "/a/{slug}/admin/case-settings",
        &c,
        admin,
        format!("/a/{s}/admin/case-settings"),
        form(&[
            ("ack_days", "5"),
            ("result_days", "15"),
            ("retention_days", "1825"),
        ]),
        &[("case-settings", "update")],
        Some(a.id),
    )
    .await;
    // The recovery key is made once (the demo made it): a second request changes nothing.
    let before_recovery = all_entries(&app).await;
    run(
        "/a/{slug}/admin/case-settings/recovery",
        &c,
        admin,
        format!("/a/{s}/admin/case-settings/recovery"),
        form(&[]),
        &[],
        Some(a.id),
    )
    .await;
    assert_eq!(new_entries(&app, &before_recovery).await, vec![]);

    let posts: BTreeSet<&str> = route_list()
        .into_iter()
        .filter(|r| r.method == "POST")
        .map(|r| r.path)
        .collect();
    let missing: Vec<_> = posts.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "POST routes without an audit check (add them to this test): {missing:?}"
    );
    let (problems, _) = verify_audit(&app.cx).await.unwrap();
    assert_eq!(problems, vec![]);
}

/// Runs raw SQL on the log with its append-only triggers switched off, as an attacker with
/// database access would.
async fn tamper(db: &Db, sql: &str) {
    let off = match db.backend() {
        Backend::Sqlite => vec![
            "DROP TRIGGER IF EXISTS audit_log_no_update",
            "DROP TRIGGER IF EXISTS audit_log_no_delete",
        ],
        Backend::Postgres => vec!["ALTER TABLE audit_log DISABLE TRIGGER USER"],
    };
    for s in off.into_iter().chain([sql]) {
        sqlx::query(s)
            .execute(db.pool())
            .await
            .unwrap_or_else(|e| panic!("{s}: {e}"));
    }
}

/// An app whose agency chain has a few entries, and that chain's id and length.
async fn app_with_history() -> (TestApp, i64, i64) {
    let app = TestApp::with_demo().await;
    let a = app.demo().await;
    let c = app.demo_admin().await;
    for name in ["กองหนึ่ง", "กองสอง"] {
        let r = c
            .post("/a/nonhan/admin/divisions/new", &[("name", name)])
            .await;
        assert!(r.status.is_redirection());
    }
    let (problems, checked) = verify_audit(&app.cx).await.unwrap();
    assert_eq!(problems, vec![], "an intact log verifies");
    assert_eq!(
        usize::try_from(checked).unwrap(),
        all_entries(&app).await.len(),
        "every entry is checked"
    );
    let len = app
        .cx
        .store
        .audit_chain(a.id.get(), 0, 100_000)
        .await
        .unwrap()
        .len() as i64;
    assert!(len > 10);
    (app, a.id.get(), len)
}

#[tokio::test]
async fn a_changed_entry_is_found() {
    let (app, chain, _) = app_with_history().await;
    tamper(
        app.store_db(),
        &format!("UPDATE audit_log SET actor_label = 'someone-else@x.example' WHERE chain = {chain} AND seq = 3"),
    )
    .await;
    let (problems, _) = verify_audit(&app.cx).await.unwrap();
    assert_eq!(problems, vec![AuditProblem::Altered { chain, seq: 3 }]);
}

#[tokio::test]
async fn a_deleted_middle_entry_is_found() {
    let (app, chain, _) = app_with_history().await;
    tamper(
        app.store_db(),
        &format!("DELETE FROM audit_log WHERE chain = {chain} AND seq = 4"),
    )
    .await;
    let (problems, _) = verify_audit(&app.cx).await.unwrap();
    assert_eq!(
        problems,
        vec![AuditProblem::Missing {
            chain,
            from: 4,
            to: 4
        }]
    );
}

#[tokio::test]
async fn a_deleted_last_entry_is_found() {
    let (app, chain, len) = app_with_history().await;
    tamper(
        app.store_db(),
        &format!("DELETE FROM audit_log WHERE chain = {chain} AND seq = {len}"),
    )
    .await;
    let (problems, _) = verify_audit(&app.cx).await.unwrap();
    assert_eq!(
        problems,
        vec![AuditProblem::HeadMismatch {
            chain,
            head_seq: len,
            last_seq: len - 1
        }]
    );
}

#[tokio::test]
async fn a_changed_entry_with_a_recomputed_hash_is_found_by_the_next_link() {
    let (app, chain, _) = app_with_history().await;
    let mut e = app
        .cx
        .store
        .audit_chain(chain, 4, 1)
        .await
        .unwrap()
        .remove(0);
    e.actor_label = "someone-else@x.example".into();
    e.hash = e.compute_hash();
    tamper(
        app.store_db(),
        &format!(
            "UPDATE audit_log SET actor_label = '{}', hash = '{}' WHERE chain = {chain} AND seq = 5",
            e.actor_label, e.hash
        ),
    )
    .await;
    let (problems, _) = verify_audit(&app.cx).await.unwrap();
    assert_eq!(problems, vec![AuditProblem::BrokenLink { chain, seq: 6 }]);
}

#[tokio::test]
async fn the_audit_page_filters_by_entity_actor_and_date() {
    let app = TestApp::with_demo().await;
    let b = app.other_agency("bueng", "อบต.บึง", "บึงกาฬ").await;
    // 2026-01-15: the demo. 2026-01-17: the admin adds a division. 2026-01-20: the officer edits.
    app.advance(2 * 86_400);
    let admin = app.demo_admin().await;
    let r = admin
        .post("/a/nonhan/admin/divisions/new", &[("name", "กองวันที่สิบเจ็ด")])
        .await;
    assert!(r.status.is_redirection());
    app.advance(3 * 86_400);
    let officer = app.signed_in(DEMO_OFFICER, DEMO_PASSWORD).await;
    let a = app.demo().await;
    let mine = app
        .cx
        .store
        .list_people(a.id)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.fields.name.contains("รัตนา"));
    let mine = mine.expect("the officer's own person");
    let r = officer
        .post(
            &format!("/a/nonhan/admin/people/{}", mine.id),
            &[
                ("name", "นางสาวรัตนา วันที่ยี่สิบ"),
                ("position", &mine.fields.position),
                ("division_id", &mine.fields.division_id.unwrap().to_string()),
            ],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    let admin = app.demo_admin().await;

    let rows = |r: &Resp| -> Vec<(String, String)> {
        let html = r.html();
        let row = scraper::Selector::parse("tbody tr").unwrap();
        let cell = scraper::Selector::parse("td").unwrap();
        html.select(&row)
            .map(|tr| {
                let cells: Vec<String> = tr
                    .select(&cell)
                    .map(|td| td.text().collect::<Vec<_>>().join(" "))
                    .collect();
                (cells[2].trim().to_owned(), cells[3].clone())
            })
            .collect()
    };
    let all = admin.get("/a/nonhan/admin/audit").await;
    assert_eq!(all.status, 200);
    let everything = rows(&all);
    assert!(!everything.is_empty());
    assert!(
        everything[0].1.contains("รัตนา") || everything[0].0 == DEMO_OFFICER,
        "newest first"
    );
    assert!(
        !all.body.contains(&b.admin_email),
        "another agency's log is not shown"
    );

    let by_entity = rows(&admin.get("/a/nonhan/admin/audit?entity=division").await);
    let division = app
        .tr(prongsai_web::i18n::Lang::Th)
        .label("entity", "division");
    assert!(by_entity.len() >= 6);
    assert!(
        by_entity.iter().all(|(_, what)| what.contains(&division)),
        "{by_entity:?}"
    );

    let by_actor = rows(
        &admin
            .get(&format!("/a/nonhan/admin/audit?actor={DEMO_OFFICER}"))
            .await,
    );
    assert_eq!(by_actor.len(), 1, "{by_actor:?}");
    assert_eq!(by_actor[0].0, DEMO_OFFICER);
    let upper = rows(
        &admin
            .get("/a/nonhan/admin/audit?actor=FINANCE%40NONHAN.EXAMPLE")
            .await,
    );
    assert_eq!(upper, by_actor, "the actor filter ignores case");

    let day = rows(
        &admin
            .get("/a/nonhan/admin/audit?from=2026-01-17&until=2026-01-17")
            .await,
    );
    assert_eq!(day.len(), 1, "{day:?}");
    assert_eq!(day[0].0, DEMO_ADMIN);
    let since = rows(&admin.get("/a/nonhan/admin/audit?from=2026-01-16").await);
    assert_eq!(since.len(), 2, "{since:?}");
    let thai = rows(
        &admin
            .get("/a/nonhan/admin/audit?from=17%2F01%2F2569&until=17%2F01%2F2569")
            .await,
    );
    assert_eq!(thai, day, "a Buddhist-Era date works too");
    let none = admin
        .get("/a/nonhan/admin/audit?from=2026-01-18&until=2026-01-19")
        .await;
    assert!(rows(&none).is_empty());
    assert!(none.body.contains(&app.th("audit-empty")));

    let bad = admin.get("/a/nonhan/admin/audit?from=not-a-date").await;
    assert_eq!(bad.status, 200);
    assert!(bad.body.contains(&app.th("err-invalid-date")));
    let combined = rows(
        &admin
            .get(&format!(
                "/a/nonhan/admin/audit?entity=person&actor={DEMO_ADMIN}"
            ))
            .await,
    );
    assert!(
        combined.is_empty(),
        "the admin edited no person: {combined:?}"
    );
}
