//! Public participation: the Q&A board (O8) and suggestions (O30). Anyone asks or suggests;
//! nothing is public until staff publish it; contacts never leave the back office; bots,
//! floods and bad input store nothing.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use prongsai_domain::portal::participation::QuestionStatus;
use prongsai_web::i18n::Lang;

use crate::support::*;

const ASK: &str = "/a/nonhan/qa/ask";
const SUGGEST: &str = "/a/nonhan/suggestions/new";

/// Asks through the form as a person does; the answer to the POST.
async fn ask(c: &Client, fields: &[(&str, &str)]) -> Resp {
    c.submit(ASK, ASK, fields).await
}

async fn question_id(app: &TestApp, text: &str) -> prongsai_domain::ids::QuestionId {
    let a = app.nonhan().await;
    app.cx
        .store
        .list_questions(a.id, None)
        .await
        .unwrap()
        .into_iter()
        .find(|q| q.question == text)
        .expect("the question is stored")
        .id
}

/// Every public page where a stored contact could leak: the lists, the items, search, the
/// sitemap, and every dataset of the open data.
async fn public_text(app: &TestApp, paths: &[String]) -> String {
    let c = app.client();
    let mut all = String::new();
    let mut paths: Vec<String> = paths.to_vec();
    paths.extend(
        [
            "/a/nonhan/qa",
            "/a/nonhan/suggestions",
            "/a/nonhan/sitemap.xml",
            "/a/nonhan/data",
            "/a/nonhan/data/catalog.jsonld",
        ]
        .map(String::from),
    );
    let catalog = c.get("/a/nonhan/data").await;
    paths.extend(
        catalog
            .attrs("a", "href")
            .into_iter()
            .filter(|h| h.starts_with("/a/nonhan/data/")),
    );
    for p in paths {
        let r = c.get(&p).await;
        assert!(r.status.as_u16() < 500, "{p}: {}", r.describe());
        all.push_str(&r.body);
    }
    all
}

#[tokio::test]
async fn a_question_is_public_only_once_answered_and_published_and_its_contact_never() {
    let app = TestApp::with_demo().await;
    let anon = app.client();
    let text = "ขอสอบถามขั้นตอนขออนุญาตก่อสร้างอาคารพาณิชย์";
    let r = ask(
        &anon,
        &[
            ("question", text),
            ("asker_name", "คุณสมหญิง"),
            ("contact", "somying@example.com"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    assert_eq!(r.location().as_deref(), Some("/a/nonhan/qa/sent"));
    let sent = anon.get("/a/nonhan/qa/sent").await;
    assert!(
        sent.body.contains(&app.th("qa-sent-text")),
        "a Thai confirmation"
    );
    let id = question_id(&app, text).await;
    let item = format!("/a/nonhan/qa/{id}");

    // Waiting: not on the board, not at its address, not in search.
    assert!(!anon.get("/a/nonhan/qa").await.body.contains(text));
    assert_eq!(anon.get(&item).await.status, StatusCode::NOT_FOUND);
    let found = anon.get("/a/nonhan/search?q=อาคารพาณิชย์").await;
    assert!(!found.body.contains(&item));

    // Staff see it in the queue, with the contact.
    let admin = app.demo_admin().await;
    let queue = admin.get("/a/nonhan/admin/qa").await;
    assert_eq!(queue.status, 200);
    assert!(queue.body.contains("ขอสอบถามขั้นตอน"));
    let staff = admin.get(&format!("/a/nonhan/admin/qa/{id}")).await;
    assert_eq!(staff.texts(".contact"), ["somying@example.com"]);

    // Publishing needs an answer.
    let path = format!("/a/nonhan/admin/qa/{id}");
    let r = admin
        .post(&path, &[("change", "publish"), ("answer", "  ")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(&app.th("err-required")));
    let answer = "ยื่นคำขอที่กองช่าง พร้อมแบบแปลนและสำเนาโฉนดที่ดิน";
    let r = admin
        .post(&path, &[("change", "publish"), ("answer", answer)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());

    // Public at once (the cached board is renewed), searchable, in the sitemap.
    let board = anon.get("/a/nonhan/qa").await;
    assert!(board.body.contains(text) && board.body.contains(answer));
    let page = anon.get(&item).await;
    assert_eq!(page.status, 200, "{}", page.describe());
    assert!(page.body.contains("คุณสมหญิง") && page.body.contains(answer));
    let found = anon.get("/a/nonhan/search?q=อาคารพาณิชย์").await;
    assert!(found.attrs("a", "href").contains(&item), "{}", found.body);
    assert!(anon.get("/a/nonhan/sitemap.xml").await.body.contains(&item));
    let public = public_text(&app, &[item.clone(), "/a/nonhan/search?q=สอบถาม".into()]).await;
    assert!(
        !public.contains("somying@example.com"),
        "the contact leaked"
    );

    // Publishing twice says so and changes nothing.
    let before = snapshot_all(app.store_db()).await;
    let r = admin
        .post(&path, &[("change", "publish"), ("answer", answer)])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(&app.th("err-already-done")));
    assert_unchanged(&before, &snapshot_all(app.store_db()).await, "repeat");

    // The answer is edited later; the address stays.
    let r = admin
        .post(&path, &[("change", "answer"), ("answer", "คำตอบที่แก้ไขแล้ว")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    assert!(anon.get(&item).await.body.contains("คำตอบที่แก้ไขแล้ว"));

    // Hidden: gone from the board, its address and search; published again at the same address.
    let r = admin.post(&path, &[("change", "hide")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(anon.get(&item).await.status, StatusCode::NOT_FOUND);
    assert!(!anon.get("/a/nonhan/qa").await.body.contains(text));
    let found = anon.get("/a/nonhan/search?q=อาคารพาณิชย์").await;
    assert!(!found.body.contains(&item));
    let r = admin.post(&path, &[("change", "hide")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = admin
        .post(&path, &[("change", "publish"), ("answer", "คำตอบที่แก้ไขแล้ว")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(anon.get(&item).await.status, 200);
}

#[tokio::test]
async fn a_rejected_question_is_never_public() {
    let app = TestApp::with_demo().await;
    let anon = app.client();
    let text = "ซื้อยาลดน้ำหนักราคาถูก คลิกลิงก์นี้";
    assert_eq!(ask(&anon, &[("question", text)]).await.status, 303);
    let id = question_id(&app, text).await;
    let admin = app.demo_admin().await;
    let path = format!("/a/nonhan/admin/qa/{id}");
    assert_eq!(admin.post(&path, &[("change", "reject")]).await.status, 303);
    let q = app
        .cx
        .store
        .question(app.nonhan().await.id, id)
        .await
        .unwrap();
    assert_eq!(q.status, QuestionStatus::Rejected);
    for (change, code) in [
        ("reject", "err-already-done"),
        ("publish", "err-wrong-state"),
    ] {
        let r = admin
            .post(&path, &[("change", change), ("answer", "ตอบ")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{change}");
        assert!(r.body.contains(&app.th(code)), "{change}: {}", r.body);
    }
    assert_eq!(
        anon.get(&format!("/a/nonhan/qa/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(!public_text(&app, &[]).await.contains("ยาลดน้ำหนัก"));
    // An unknown action is a message too, never an error page.
    let r = admin.post(&path, &[("change", "delete")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn bad_input_gets_a_message_in_the_users_language_and_stores_nothing() {
    let app = TestApp::with_demo().await;
    let db = app.store_db();
    let before = snapshot_all(db).await;
    let long = "ก".repeat(2001);
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("question", "   ")], "err-required"),
        (&[("question", &long)], "err-too-long"),
        (
            &[("question", "คำถาม"), ("contact", "บ้านเลขที่ 5")],
            "err-contact-invalid",
        ),
    ];
    for lang in [Lang::Th, Lang::En] {
        let c = app.client();
        c.set_cookie("prongsai_lang", lang.code());
        let tr = app.tr(lang);
        for (fields, key) in cases {
            let r = ask(&c, fields).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{key}");
            let message = if *key == "err-too-long" {
                tr.arg(key, "max", 2000)
            } else {
                tr.get(key)
            };
            assert!(r.has(".error-summary"), "{key}");
            assert!(r.body.contains(&message), "{lang:?} {key}: {}", r.body);
        }
        let r = c
            .submit(SUGGEST, SUGGEST, &[("topic", "roads"), ("suggestion", "")])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains(&tr.get("err-invalid-choice")));
        assert!(r.body.contains(&tr.get("err-required")));
    }
    assert_unchanged(&before, &snapshot_all(db).await, "refused forms");
}

#[tokio::test]
async fn a_bot_or_a_flood_gets_a_thai_message_and_nothing_is_stored() {
    let app = TestApp::with_demo().await;
    let db = app.store_db();
    let bot = app.client().at_addr("198.51.100.7:5000");
    let before = snapshot_all(db).await;
    let r = ask(
        &bot,
        &[("question", "สวัสดี"), ("homepage", "http://spam.example")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(&app.th("pt-bot-text")));
    let r = bot
        .submit(
            SUGGEST,
            SUGGEST,
            &[
                ("topic", "other"),
                ("suggestion", "สวัสดี"),
                ("homepage", "x"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_unchanged(&before, &snapshot_all(db).await, "a bot's submissions");

    let person = app.client().at_addr("203.0.113.20:4000");
    for n in 0..prongsai_web::portal::qa::PER_CLIENT_PER_HOUR {
        let r = ask(&person, &[("question", &format!("คำถามข้อที่ {n}"))]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{n}: {}", r.describe());
    }
    let before = snapshot_all(db).await;
    let r = ask(&person, &[("question", "คำถามที่เกินกำหนด")]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        r.body.contains("ลองใหม่อีกครั้งในอีกประมาณ 60 นาที"),
        "{}",
        r.body
    );
    assert!(r.body.contains("คำถามที่เกินกำหนด"), "the typed text is kept");
    assert_unchanged(&before, &snapshot_all(db).await, "a throttled question");
    // Another client, and suggestions, are counted apart.
    let other = app.client().at_addr("203.0.113.21:4000");
    assert_eq!(ask(&other, &[("question", "คำถามอื่น")]).await.status, 303);
    let r = person
        .submit(
            SUGGEST,
            SUGGEST,
            &[("topic", "other"), ("suggestion", "ข้อเสนอ")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    app.advance(3600);
    assert_eq!(ask(&person, &[("question", "ชั่วโมงถัดไป")]).await.status, 303);
}

#[tokio::test]
async fn nothing_about_the_sender_is_stored() {
    let app = TestApp::with_demo().await;
    let c = app.client().at_addr("203.0.113.99:41234");
    let page = c.get(ASK).await;
    let token = page.csrf().unwrap();
    let body =
        format!("csrf={token}&question=%E0%B8%AA%E0%B8%A7%E0%B8%B1%E0%B8%AA%E0%B8%94%E0%B8%B5");
    let r = c
        .send(
            Request::builder()
                .method("POST")
                .uri(ASK)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("user-agent", "TestBrowser/9.9 (UniqueAgentMarker)")
                .header("referer", "https://referrer-marker.example/page")
                .header("x-forwarded-for", "192.0.2.77")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    let all: String = snapshot_all(app.store_db())
        .await
        .into_values()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n");
    assert!(all.contains("สวัสดี"), "the question is stored");
    for trace in [
        "203.0.113.99",
        "192.0.2.77",
        "UniqueAgentMarker",
        "referrer-marker",
    ] {
        assert!(!all.contains(trace), "{trace} is in the database");
    }
}

#[tokio::test]
async fn only_admins_moderate_and_another_agencys_ids_are_not_found() {
    let app = TestApp::with_demo().await;
    let a = app.demo().await;
    let b = app.other_agency("bueng", "อบต.บึง", "บึงกาฬ").await;
    let db = app.store_db();
    let mut staff = Vec::new();
    for email in [DEMO_OFFICER, DEMO_MAYOR, DEMO_ASSESSOR] {
        staff.push((email, app.signed_in(email, DEMO_PASSWORD).await));
    }
    let admin = app.demo_admin().await;
    let before = snapshot_all(db).await;
    for (email, c) in &staff {
        for path in [
            "/a/nonhan/admin/qa".to_owned(),
            "/a/nonhan/admin/suggestions".to_owned(),
            format!("/a/nonhan/admin/qa/{}", a.question),
            format!("/a/nonhan/admin/suggestions/{}", a.suggestion),
        ] {
            assert_eq!(
                c.get(&path).await.status,
                StatusCode::FORBIDDEN,
                "{email} {path}"
            );
        }
        let r = c
            .post(
                &format!("/a/nonhan/admin/qa/{}", a.question),
                &[("change", "hide")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{email}");
    }
    let anon = app.client();
    for bad in [
        b.question.to_string(),
        "999".into(),
        "abc".into(),
        "-1".into(),
    ] {
        for path in [
            format!("/a/nonhan/qa/{bad}"),
            format!("/a/nonhan/suggestions/{bad}"),
        ] {
            assert_eq!(
                anon.get(&path).await.status,
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        for path in [
            format!("/a/nonhan/admin/qa/{bad}"),
            format!("/a/nonhan/admin/suggestions/{bad}"),
        ] {
            assert_eq!(
                admin.get(&path).await.status,
                StatusCode::NOT_FOUND,
                "{path}"
            );
            let r = admin
                .post(
                    &path,
                    &[
                        ("change", "hide"),
                        ("status", "acted-on"),
                        ("response", "x"),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "POST {path}");
        }
    }
    let theirs = format!("/a/nonhan/suggestions/{}", b.suggestion);
    assert_eq!(anon.get(&theirs).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        anon.get(&format!("/a/bueng/suggestions/{}", b.suggestion))
            .await
            .status,
        200
    );
    assert_unchanged(&before, &snapshot_all(db).await, "refused moderation");
}

#[tokio::test]
async fn a_suggestion_gets_a_reference_is_counted_and_published_with_the_response() {
    let app = TestApp::with_demo().await;
    let anon = app.client();
    let counted = |body: &str| -> i64 {
        let html = scraper::Html::parse_document(body);
        let sel = scraper::Selector::parse(".suggestion-stats tfoot td").unwrap();
        html.select(&sel)
            .next()
            .unwrap()
            .text()
            .collect::<String>()
            .trim()
            .parse()
            .unwrap()
    };
    let before = counted(&anon.get("/a/nonhan/suggestions").await.body);
    let text = "ขอให้ติดตั้งกล้องวงจรปิดที่สี่แยกหน้าตลาดสดโนนหัน";
    let r = anon
        .submit(
            SUGGEST,
            SUGGEST,
            &[
                ("topic", "infrastructure"),
                ("suggestion", text),
                ("asker_name", "นายเสนอ แนะนำ"),
                ("contact", "089-999-8888"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    let to = r.location().unwrap();
    assert!(
        to.starts_with("/a/nonhan/suggestions/sent?ref=2569-"),
        "{to}"
    );
    let reference = to.rsplit('=').next().unwrap().to_owned();
    let sent = anon.get(&to).await;
    assert_eq!(sent.texts(".reference"), std::slice::from_ref(&reference));
    assert!(sent.body.contains(&app.th("sg-sent-text")));
    // A forged reference is not echoed.
    let forged = anon
        .get("/a/nonhan/suggestions/sent?ref=%3Cb%3Ehi%3C/b%3E")
        .await;
    assert!(forged.texts(".reference").is_empty());

    let page = anon.get("/a/nonhan/suggestions").await;
    assert_eq!(counted(&page.body), before + 1, "counted this fiscal year");
    assert!(!page.body.contains(text), "not published yet");

    let a = app.nonhan().await;
    let s = app
        .cx
        .store
        .list_suggestions(a.id, None)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.text == text)
        .unwrap();
    assert_eq!(s.reference(), reference);
    let admin = app.demo_admin().await;
    let path = format!("/a/nonhan/admin/suggestions/{}", s.id);
    let staff = admin.get(&path).await;
    assert_eq!(staff.texts(".contact"), ["089-999-8888"]);
    assert!(
        admin
            .get("/a/nonhan/admin/suggestions")
            .await
            .body
            .contains(&reference)
    );
    // A decision, or publishing, needs a response.
    for fields in [
        vec![("status", "acted-on"), ("response", "")],
        vec![
            ("status", "considering"),
            ("response", ""),
            ("publish", "on"),
        ],
    ] {
        let r = admin.post(&path, &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        assert!(r.body.contains(&app.th("err-required")));
    }
    let response = "กองช่างสำรวจจุดติดตั้งแล้ว และบรรจุในแผนปีงบประมาณหน้า";
    let fields = [
        ("status", "acted-on"),
        ("response", response),
        ("publish", "on"),
    ];
    let r = admin.post(&path, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    // The same again changes nothing and says so.
    let r = admin.post(&path, &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(&app.th("err-already-done")));
    // Back to "received" is refused.
    let r = admin
        .post(&path, &[("status", "received"), ("response", response)])
        .await;
    assert!(r.body.contains(&app.th("err-wrong-state")));

    let page = anon.get("/a/nonhan/suggestions").await;
    assert!(page.body.contains(text) && page.body.contains(response));
    let item = format!("/a/nonhan/suggestions/{}", s.id);
    assert_eq!(anon.get(&item).await.status, 200);
    let found = anon.get("/a/nonhan/search?q=กล้องวงจรปิด").await;
    assert!(found.attrs("a", "href").contains(&item), "{}", found.body);
    let public = public_text(&app, std::slice::from_ref(&item)).await;
    assert!(!public.contains("089-999-8888") && !public.contains("นายเสนอ"));
    // Unpublished again: gone.
    let r = admin
        .post(&path, &[("status", "acted-on"), ("response", response)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(anon.get(&item).await.status, StatusCode::NOT_FOUND);
    let found = anon.get("/a/nonhan/search?q=กล้องวงจรปิด").await;
    assert!(!found.body.contains(&item));
}

#[tokio::test]
async fn the_demo_has_answered_questions_one_waiting_and_published_suggestions() {
    let app = TestApp::with_demo().await;
    let c = app.client();
    let board = c.get("/a/nonhan/qa").await;
    assert_eq!(board.status, 200);
    assert_eq!(board.texts(".qa-list > li").len(), 3);
    assert!(!board.body.contains("081-234-5678"));
    let home = c.get("/a/nonhan/").await;
    let footer = home.attrs("footer a", "href");
    assert!(footer.contains(&"/a/nonhan/qa".to_owned()), "{footer:?}");
    assert!(footer.contains(&"/a/nonhan/suggestions".to_owned()));
    let admin = app.demo_admin().await;
    let queue = admin.get("/a/nonhan/admin/qa").await;
    assert_eq!(queue.texts("tbody tr").len(), 1, "one question waits");
    let s = c.get("/a/nonhan/suggestions").await;
    assert_eq!(s.texts(".suggestion-list > li").len(), 3);
    assert!(!s.body.contains("somsak@example.com"));
    assert!(
        admin
            .get("/a/nonhan/admin/")
            .await
            .attrs("nav a", "href")
            .contains(&"/a/nonhan/admin/qa".to_owned())
    );
}
