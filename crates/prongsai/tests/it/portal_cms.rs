//! The portal CMS as its users meet it: staff write pages and news, every save is a version
//! that can be restored, news can be scheduled, files are attached after checks, division
//! officers write only their division's content, and the public sees sanitised pages at stable
//! addresses.

use crate::support::client::pct;
use prongsai_domain::ids::ContentId;
use prongsai_domain::portal::ContentKind;

use crate::support::*;

const SLUG: &str = "nonhan";

fn admin_path(rest: &str) -> String {
    format!("/a/{SLUG}/admin/{rest}")
}

/// Creates a page as `c` and returns its id.
async fn new_page(app: &TestApp, c: &Client, slug: &str, title: &str, body: &str) -> ContentId {
    let r = c
        .post(
            &admin_path("pages/new"),
            &[
                ("content_title", title),
                ("page_slug", slug),
                ("body", body),
            ],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    let a = app.demo().await;
    app.cx
        .store
        .page_by_slug(a.id, slug)
        .await
        .unwrap()
        .expect("the page was created")
        .id
}

async fn publish(c: &Client, id: ContentId) {
    let r = c
        .post(
            &admin_path(&format!("content/{id}/status")),
            &[("change", "publish")],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    assert_eq!(
        r.location().as_deref(),
        Some(admin_path(&format!("content/{id}")).as_str()),
        "published, not sent to sign in"
    );
}

#[tokio::test]
async fn a_page_is_drafted_published_edited_and_restored_at_a_stable_address() {
    let app = TestApp::with_demo().await;
    let admin = app.demo_admin().await;
    let visitor = app.client();
    let id = new_page(&app, &admin, "history", "ประวัติความเป็นมา", "ฉบับแรก").await;
    let public = format!("/a/{SLUG}/p/history");
    assert_eq!(
        visitor.get(&public).await.status,
        404,
        "a draft is not public"
    );

    publish(&admin, id).await;
    let p = visitor.get(&public).await;
    assert_eq!(p.status, 200, "{}", p.describe());
    assert_eq!(p.texts("h1"), ["ประวัติความเป็นมา"]);
    assert!(p.body.contains("ฉบับแรก"));
    // The home page lists the page.
    let home = visitor.get(&format!("/a/{SLUG}/")).await;
    assert!(home.has(&format!("#pages a[href=\"{public}\"]")));

    // An edit is a new version, and the public page changes at once.
    let edit = admin_path(&format!("content/{id}"));
    let r = admin
        .post(
            &edit,
            &[
                ("content_title", "ประวัติความเป็นมา"),
                ("page_slug", "history"),
                ("body", "ฉบับที่สอง"),
            ],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    assert!(visitor.get(&public).await.body.contains("ฉบับที่สอง"));
    let a = app.demo().await;
    let versions = app.cx.store.versions(a.id, id).await.unwrap();
    assert_eq!(
        versions.iter().map(|v| v.number).collect::<Vec<_>>(),
        [2, 1]
    );
    let history = admin
        .get(&admin_path(&format!("content/{id}/versions")))
        .await;
    assert_eq!(history.status, 200, "{}", history.describe());
    assert!(history.body.contains("ฉบับแรก") && history.body.contains("ฉบับที่สอง"));
    assert!(history.has(".diff ins") && history.has(".diff del"));

    // Restoring the first version is a third version with the first one's text.
    let first = versions[1].id.to_string();
    let r = admin
        .post(
            &admin_path(&format!("content/{id}/restore")),
            &[("version", &first)],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    let versions = app.cx.store.versions(a.id, id).await.unwrap();
    assert_eq!(versions.len(), 3);
    assert_eq!(
        (versions[0].body.as_str(), versions[0].action.as_str()),
        ("ฉบับแรก", "restore")
    );
    let p = visitor.get(&public).await;
    assert!(p.body.contains("ฉบับแรก") && !p.body.contains("ฉบับที่สอง"));
    let audit = app
        .cx
        .store
        .audit_chain(a.id.get(), 0, 100_000)
        .await
        .unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.entity == "portal-content" && e.action == "restore")
    );

    // Once published, the address is fixed: a changed one is refused and the typing kept.
    let r = admin
        .post(
            &edit,
            &[
                ("content_title", "ชื่อใหม่"),
                ("page_slug", "new-history"),
                ("body", "ข้อความที่พิมพ์"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.describe());
    assert!(r.body.contains(&app.th("err-page-slug-locked")));
    assert_eq!(r.texts("#f-body"), ["ข้อความที่พิมพ์"]);
    assert_eq!(visitor.get(&public).await.status, 200);

    // Unpublished, it is gone from the public site.
    let r = admin
        .post(
            &admin_path(&format!("content/{id}/status")),
            &[("change", "unpublish")],
        )
        .await;
    assert!(r.status.is_redirection());
    assert_eq!(visitor.get(&public).await.status, 404);
}

#[tokio::test]
async fn script_and_html_in_markdown_never_reach_the_public_page() {
    let app = TestApp::with_demo().await;
    let admin = app.demo_admin().await;
    let body = "ข้อความ **สำคัญ**\n\n<script>alert('x')</script>\n\n<img src=x onerror=alert(1)>\n\n[คลิก](javascript:alert(1)) [เว็บ](https://www.example.go.th)\n\n&lt;b&gt;ไม่ใช่แท็ก&lt;/b&gt;";
    let id = new_page(&app, &admin, "safe", "หน้าทดสอบ", body).await;
    publish(&admin, id).await;
    let p = app.client().get(&format!("/a/{SLUG}/p/safe")).await;
    assert_eq!(p.status, 200, "{}", p.describe());
    let prose = p.html();
    let sel = scraper::Selector::parse(".prose *").unwrap();
    let tags: Vec<String> = prose
        .select(&sel)
        .map(|e| e.value().name().to_owned())
        .collect();
    assert!(
        tags.iter()
            .all(|t| ["p", "strong", "a"].contains(&t.as_str())),
        "{tags:?}"
    );
    assert_eq!(p.texts(".prose strong"), ["สำคัญ"]);
    assert_eq!(p.attrs(".prose a", "href"), ["https://www.example.go.th"]);
    assert!(!p.body.contains("onerror") && !p.body.contains("javascript:"));
    assert!(p.body.contains("&lt;b&gt;ไม่ใช่แท็ก&lt;/b&gt;"));
    // The description for link previews is plain text.
    let description = p.attrs("meta[name=description]", "content");
    assert!(description[0].starts_with("ข้อความ สำคัญ"), "{description:?}");
    // Text typed as "&lt;b&gt;" is text, "<b>", and stays (escaped in the attribute).
    assert!(
        !description[0].contains("<script")
            && !description[0].contains("onerror")
            && !description[0].contains("**"),
        "{description:?}"
    );
    // The preview is the same renderer, before anything is saved.
    let r = admin
        .post(
            &admin_path("pages/new"),
            &[
                ("content_title", "ตัวอย่าง"),
                ("page_slug", "preview"),
                ("body", body),
                ("preview", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.describe());
    assert_eq!(r.texts(".preview .prose strong"), ["สำคัญ"]);
    assert!(!r.has(".preview script") && !r.has(".preview img"));
    let a = app.demo().await;
    assert!(
        app.cx
            .store
            .page_by_slug(a.id, "preview")
            .await
            .unwrap()
            .is_none(),
        "a preview saves nothing"
    );
}

#[tokio::test]
async fn a_scheduled_item_stays_hidden_until_its_time_even_on_cached_pages() {
    let app = TestApp::with_demo().await;
    let admin = app.demo_admin().await;
    let visitor = app.client();
    // 10:00:45 in Bangkok; the item is for 10:01.
    app.advance(45);
    let r = admin
        .post(
            &admin_path("news/new"),
            &[
                ("content_kind", "announcement"),
                ("content_title", "ประกาศตั้งเวลา"),
                ("body", "จะปรากฏเมื่อถึงเวลา"),
                ("category", "ประกาศ"),
                ("publish_at", "2026-01-15T10:01"),
            ],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    let a = app.demo().await;
    let item = app
        .cx
        .store
        .list_content(a.id, &ContentKind::NEWS_KINDS)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.fields.title == "ประกาศตั้งเวลา")
        .unwrap();
    publish(&admin, item.id).await;
    let listed = admin.get(&admin_path("news")).await;
    assert!(listed.body.contains(&app.th("cms-state-scheduled")));

    let list = format!("/a/{SLUG}/news");
    let page = format!("/a/{SLUG}/news/{}", item.id);
    let home = format!("/a/{SLUG}/");
    for _ in 0..2 {
        // The second round is served from the cache.
        assert!(!visitor.get(&list).await.body.contains("ประกาศตั้งเวลา"));
        assert!(!visitor.get(&home).await.body.contains("ประกาศตั้งเวลา"));
        assert_eq!(visitor.get(&page).await.status, 404);
    }
    // Sixteen seconds later: well inside the cache's lifetime, but past the schedule.
    app.advance(16);
    let l = visitor.get(&list).await;
    assert!(l.body.contains("ประกาศตั้งเวลา"), "{}", l.describe());
    assert!(visitor.get(&home).await.body.contains("ประกาศตั้งเวลา"));
    assert_eq!(visitor.get(&page).await.status, 200);
    let feed = visitor.get(&format!("/a/{SLUG}/news/feed.xml")).await;
    assert!(feed.body.contains("ประกาศตั้งเวลา"));
}

#[tokio::test]
async fn the_news_list_puts_pinned_items_first_filters_by_category_and_pages() {
    let app = TestApp::with_demo().await;
    let admin = app.demo_admin().await;
    for i in 1..=12 {
        let title = format!("ข่าวที่ {i}");
        let r = admin
            .post(
                &admin_path("news/new"),
                &[
                    ("content_kind", "news"),
                    ("content_title", &title),
                    ("body", "ข้อความ"),
                    ("category", "ทดสอบ"),
                ],
            )
            .await;
        assert!(r.status.is_redirection(), "{}", r.describe());
        let a = app.demo().await;
        let id = app
            .cx
            .store
            .list_content(a.id, &ContentKind::NEWS_KINDS)
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.fields.title == title)
            .unwrap()
            .id;
        publish(&admin, id).await;
        app.advance(60);
    }
    let visitor = app.client();
    let first = visitor.get(&format!("/a/{SLUG}/news")).await;
    assert_eq!(first.status, 200, "{}", first.describe());
    let titles = first.texts(".news-title a");
    assert_eq!(titles.len(), 10);
    // The demo's pinned announcement, then the newest.
    assert!(titles[0].contains("ภาษีที่ดิน"), "{titles:?}");
    assert_eq!(titles[1], "ข่าวที่ 12");
    assert!(first.has("link[rel=alternate][type=\"application/atom+xml\"]"));
    let cat = visitor
        .get(&format!("/a/{SLUG}/news?category={}", pct("ทดสอบ")))
        .await;
    assert_eq!(cat.texts(".news-title a").len(), 10);
    assert!(
        cat.texts(".news-title a")
            .iter()
            .all(|t| t.starts_with("ข่าวที่"))
    );
    let second = visitor
        .get(&format!("/a/{SLUG}/news?category={}&page=2", pct("ทดสอบ")))
        .await;
    assert_eq!(second.texts(".news-title a"), ["ข่าวที่ 2", "ข่าวที่ 1"]);
    assert_eq!(
        visitor.get(&format!("/a/{SLUG}/news?page=99")).await.status,
        404
    );
    // The feed is Atom with absolute, escaped addresses.
    let feed = visitor.get(&format!("/a/{SLUG}/news/feed.xml")).await;
    assert_eq!(feed.status, 200);
    assert!(
        feed.header("content-type")
            .unwrap()
            .starts_with("application/atom+xml")
    );
    assert!(feed.body.starts_with("<?xml"));
    assert!(
        feed.body
            .contains("<link rel=\"alternate\" type=\"text/html\" href=\"http://")
    );
    assert_eq!(
        feed.body.matches("<entry>").count(),
        feed.body.matches("</entry>").count()
    );
}

#[tokio::test]
async fn uploads_are_checked_by_content_size_and_name_before_anything_is_stored() {
    let app = TestApp::with_demo().await;
    let admin = app.demo_admin().await;
    let id = new_page(&app, &admin, "docs", "เอกสาร", "เอกสารประกอบ").await;
    let path = admin_path(&format!("content/{id}/attachments"));
    let a = app.demo().await;
    let big = {
        let mut b = b"%PDF-1.7\n".to_vec();
        b.resize(10 * 1024 * 1024 + 1, b'x');
        b
    };
    let cases: [(&str, &[u8], &str); 4] = [
        (
            "รายงาน.pdf",
            b"MZ\x90\0 not a pdf",
            "err-file-type-not-allowed",
        ),
        (
            "photo.png",
            b"<svg onload=alert(1)>",
            "err-file-type-not-allowed",
        ),
        ("big.pdf", &big, "err-file-too-large"),
        (
            "../../etc/passwd.pdf",
            b"%PDF-1.7 ok",
            "err-file-name-not-allowed",
        ),
    ];
    for (name, bytes, key) in cases {
        let before = snapshot_agency(app.store_db(), a.id).await;
        let r = admin
            .post_multipart(&path, &[], &[("attachments", name, bytes)])
            .await;
        assert_eq!(r.status, 422, "{name}: {}", r.describe());
        let message = app.th(key);
        let message = message.split('{').next().unwrap().trim();
        assert!(r.body.contains(message), "{name}: no {key}");
        assert_unchanged(&before, &snapshot_agency(app.store_db(), a.id).await, name);
    }
    // A real PDF is stored, listed with its type and size, and public once the page is.
    let r = admin
        .post_multipart(&path, &[], &[("attachments", "แผนผัง.pdf", b"%PDF-1.7 map")])
        .await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    let files = app.cx.store.attachments(a.id, id).await.unwrap();
    assert_eq!(files.len(), 1);
    let file_url = format!("/a/{SLUG}/files/{}", files[0].file.id);
    let visitor = app.client();
    assert_eq!(
        visitor.get(&file_url).await.status,
        404,
        "the page is a draft"
    );
    // The open data lists no document of a draft…
    let data = visitor.get(&format!("/a/{SLUG}/data")).await;
    assert!(
        !data
            .attrs("section.dataset", "id")
            .contains(&"documents".to_owned())
    );
    assert_eq!(
        visitor
            .get(&format!("/a/{SLUG}/data/documents.csv"))
            .await
            .status,
        404
    );
    publish(&admin, id).await;
    // …and lists it once the page is public, with its type, size and absolute link.
    let csv = visitor.get(&format!("/a/{SLUG}/data/documents.csv")).await;
    assert_eq!(csv.status, 200, "{}", csv.describe());
    assert!(
        csv.body.contains("แผนผัง.pdf") && csv.body.contains(",PDF,"),
        "{}",
        csv.body
    );
    assert!(csv.body.contains(&format!("{file_url},")), "{}", csv.body);
    let p = visitor.get(&format!("/a/{SLUG}/p/docs")).await;
    assert_eq!(p.attrs(".files a", "href"), std::slice::from_ref(&file_url));
    assert!(p.texts(".files li")[0].contains("PDF"));
    assert_eq!(visitor.get(&file_url).await.status, 200);
}

#[tokio::test]
async fn a_division_officer_edits_only_their_divisions_content() {
    let app = TestApp::with_demo().await;
    let a = app.demo().await;
    let officer = app.signed_in(DEMO_OFFICER, DEMO_PASSWORD).await;
    let store = &app.cx.store;
    let about = store.page_by_slug(a.id, "about").await.unwrap().unwrap();
    let tax = store.page_by_slug(a.id, "tax").await.unwrap().unwrap();
    // Another division's (here the agency's own) page: refused, and nothing changes.
    let before = snapshot_agency(app.store_db(), a.id).await;
    let edit = admin_path(&format!("content/{}", about.id));
    assert_eq!(officer.get(&edit).await.status, 403);
    let r = officer
        .post(
            &edit,
            &[
                ("content_title", "แก้โดยกองคลัง"),
                ("page_slug", "about"),
                ("body", "x"),
            ],
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.describe());
    for (path, fields) in [
        ("status", vec![("change", "unpublish")]),
        ("restore", vec![("version", "1")]),
    ] {
        let r = officer.post(&format!("{edit}/{path}"), &fields).await;
        assert_eq!(r.status, 403, "{path}: {}", r.describe());
    }
    assert_unchanged(
        &before,
        &snapshot_agency(app.store_db(), a.id).await,
        "the officer's attempts",
    );
    // Their own division's page: allowed.
    let edit = admin_path(&format!("content/{}", tax.id));
    let form = officer.get(&edit).await;
    assert_eq!(form.status, 200, "{}", form.describe());
    let division = tax.fields.division_id.unwrap().to_string();
    let r = officer
        .post(
            &edit,
            &[
                ("content_title", "การชำระภาษี"),
                ("page_slug", "tax"),
                ("body", "ปรับปรุงโดยกองคลัง"),
                ("division_id", &division),
            ],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    // A new page must be their division's: another one is refused with a message.
    let r = officer
        .post(
            &admin_path("pages/new"),
            &[
                ("content_title", "หน้าของกองอื่น"),
                ("page_slug", "other"),
                ("body", "ข้อความ"),
                ("division_id", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.describe());
    assert!(r.body.contains(&app.th("err-not-your-division")));
    // The list shows every item, with links only to what they may edit.
    let list = officer.get(&admin_path("pages")).await;
    assert_eq!(list.status, 200);
    let links = list.attrs("td a", "href");
    assert!(links.contains(&edit));
    assert!(!links.contains(&admin_path(&format!("content/{}", about.id))));
}

#[tokio::test]
async fn bad_input_is_refused_with_422_and_the_typed_text_kept() {
    let app = TestApp::with_demo().await;
    let admin = app.demo_admin().await;
    let a = app.demo().await;
    let before = snapshot_agency(app.store_db(), a.id).await;
    let r = admin
        .post(
            &admin_path("pages/new"),
            &[
                ("content_title", ""),
                ("page_slug", "ข้อมูลหน่วยงาน"),
                ("body", "เนื้อหาที่พิมพ์ไว้ยาว ๆ"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.describe());
    assert!(r.has(".error-summary"));
    assert!(r.body.contains(&app.th("err-page-slug-invalid")));
    assert_eq!(r.texts("#f-body"), ["เนื้อหาที่พิมพ์ไว้ยาว ๆ"]);
    assert_eq!(r.attrs("#f-page_slug", "value"), ["ข้อมูลหน่วยงาน"]);
    // A taken address, and a news time that is not a time.
    let r = admin
        .post(
            &admin_path("pages/new"),
            &[
                ("content_title", "ซ้ำ"),
                ("page_slug", "about"),
                ("body", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains(&app.th("err-page-slug-taken")));
    let r = admin
        .post(
            &admin_path("news/new"),
            &[
                ("content_kind", "news"),
                ("content_title", "ข่าว"),
                ("publish_at", "31/13/2569"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.attrs("#f-publish_at", "value"), ["31/13/2569"]);
    assert_unchanged(
        &before,
        &snapshot_agency(app.store_db(), a.id).await,
        "refused forms",
    );
}

#[tokio::test]
async fn the_demo_shows_pages_a_pinned_announcement_and_hides_the_scheduled_one() {
    let app = TestApp::with_demo().await;
    let visitor = app.client();
    let home = visitor.get(&format!("/a/{SLUG}/")).await;
    assert_eq!(home.status, 200);
    let news = home.texts("#news li");
    assert!(news[0].contains(&app.th("cms-pinned")), "{news:?}");
    assert!(!home.body.contains("พนักงานจ้างทั่วไป"), "scheduled");
    for page in ["about", "duties", "tax"] {
        let r = visitor.get(&format!("/a/{SLUG}/p/{page}")).await;
        assert_eq!(r.status, 200, "{page}");
    }
    assert!(
        home.attrs("nav.portal-nav a", "href")
            .contains(&format!("/a/{SLUG}/news"))
    );
    // The search index takes what the public sees: titles, text without markup, addresses.
    let a = app.demo().await;
    let index = prongsai_domain::portal::service::index_entries(&app.cx, a.id, app.now())
        .await
        .unwrap();
    assert_eq!(index.len(), 6, "three pages and three news items");
    let about = index.iter().find(|e| e.path == "p/about").unwrap();
    assert_eq!(about.title, "ข้อมูลหน่วยงาน");
    assert!(about.text.contains("โนนหันน่าอยู่") && !about.text.contains("##"));
    assert!(!index.iter().any(|e| e.title.contains("พนักงานจ้างทั่วไป")));
    // The dashboard counts them for those who write them.
    let admin = app.demo_admin().await;
    let dash = admin.get(&admin_path("")).await;
    assert!(dash.has(&format!("a.stat[href=\"{}\"]", admin_path("news"))));

    app.advance(73 * 3600);
    let home = visitor.get(&format!("/a/{SLUG}/news")).await;
    assert!(home.body.contains("พนักงานจ้างทั่วไป"));
}

#[tokio::test]
async fn a_draft_is_dated_when_it_is_first_published_and_keeps_that_date() {
    let app = TestApp::with_demo().await;
    let admin = app.demo_admin().await;
    let r = admin
        .post(
            &admin_path("news/new"),
            &[
                ("content_kind", "news"),
                ("content_title", "ร่างวันจันทร์"),
                ("body", "ข้อความ"),
            ],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    let a = app.demo().await;
    let find = async || {
        app.cx
            .store
            .list_content(a.id, &ContentKind::NEWS_KINDS)
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.fields.title == "ร่างวันจันทร์")
            .unwrap()
    };
    let written = app.now();
    assert_eq!(find().await.fields.publish_at, written);
    app.advance(2 * 86_400);
    // Two days on, the session has ended: sign in again.
    let admin = app.demo_admin().await;
    publish(&admin, find().await.id).await;
    let published = app.now();
    assert_eq!(find().await.fields.publish_at, published);
    // Withdrawn and published again, it keeps the date of its first publication.
    app.advance(3_600);
    let id = find().await.id;
    let r = admin
        .post(
            &admin_path(&format!("content/{id}/status")),
            &[("change", "unpublish")],
        )
        .await;
    assert!(r.status.is_redirection());
    publish(&admin, id).await;
    assert_eq!(find().await.fields.publish_at, published);
}

#[tokio::test]
async fn restoring_an_address_another_page_took_since_is_refused_on_the_versions_page() {
    let app = TestApp::with_demo().await;
    let admin = app.demo_admin().await;
    // A draft at "services", moved to "e-services" while still a draft; another page then
    // takes "services".
    let id = new_page(&app, &admin, "services", "บริการประชาชน", "ฉบับแรก").await;
    let r = admin
        .post(
            &admin_path(&format!("content/{id}")),
            &[
                ("content_title", "บริการประชาชน"),
                ("page_slug", "e-services"),
                ("body", "ฉบับที่สอง"),
            ],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    new_page(&app, &admin, "services", "บริการอื่น", "อีกหน้า").await;
    let a = app.demo().await;
    let first = app
        .cx
        .store
        .versions(a.id, id)
        .await
        .unwrap()
        .into_iter()
        .find(|v| v.number == 1)
        .unwrap()
        .id;
    let r = admin
        .post(
            &admin_path(&format!("content/{id}/restore")),
            &[("version", &first.to_string())],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.describe());
    let message = app.th("err-page-slug-taken");
    assert!(
        r.texts(".error-summary li")
            .iter()
            .any(|t| t.contains(&message)),
        "{:?}",
        r.texts(".error-summary li")
    );
    let c = app.cx.store.content(a.id, id).await.unwrap();
    assert_eq!(
        c.fields.slug.as_deref(),
        Some("e-services"),
        "nothing changed"
    );
    assert_eq!(c.fields.body, "ฉบับที่สอง");
}

#[tokio::test]
async fn a_draft_never_public_can_be_deleted_and_a_published_item_cannot() {
    let app = TestApp::with_demo().await;
    let admin = app.demo_admin().await;
    let a = app.demo().await;
    let draft = new_page(&app, &admin, "draft-page", "ร่างที่ไม่ใช้", "ข้อความ").await;
    let form = admin.get(&admin_path(&format!("content/{draft}"))).await;
    assert!(form.has("button.danger"), "a draft offers deletion");
    let r = admin
        .post(
            &admin_path(&format!("content/{draft}/status")),
            &[("change", "delete")],
        )
        .await;
    assert_eq!(r.location().as_deref(), Some(admin_path("pages").as_str()));
    assert!(app.cx.store.content(a.id, draft).await.is_err(), "gone");
    assert!(app.cx.store.versions(a.id, draft).await.unwrap().is_empty());

    // Published once, withdrawn since: its address may have been pasted anywhere.
    let once = new_page(&app, &admin, "once-public", "เคยเผยแพร่", "ข้อความ").await;
    publish(&admin, once).await;
    let r = admin
        .post(
            &admin_path(&format!("content/{once}/status")),
            &[("change", "unpublish")],
        )
        .await;
    assert!(r.status.is_redirection());
    let form = admin.get(&admin_path(&format!("content/{once}"))).await;
    assert!(
        !form.has("button.danger"),
        "no delete button once published"
    );
    let r = admin
        .post(
            &admin_path(&format!("content/{once}/status")),
            &[("change", "delete")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.describe());
    assert!(
        r.texts(".error-summary li")
            .iter()
            .any(|t| t.contains(&app.th("err-content-was-published")))
    );
    assert!(app.cx.store.content(a.id, once).await.is_ok(), "kept");
}
