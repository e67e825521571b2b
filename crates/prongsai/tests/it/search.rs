//! Search over an agency's public content, as a citizen meets it at `/a/{slug}/search`: Thai
//! substrings found, results ranked with their hits marked, odd queries answered with a page,
//! and only the agency's own published content shown, kept current by the writes that change it.

use axum::http::StatusCode;
use prongsai_domain::measures::MeasureInput;
use prongsai_domain::measures::service::{self as ms, Drafting};
use prongsai_domain::platform::AgencyProfileInput;
use prongsai_domain::platform::service as ps;
use prongsai_domain::platform::service::Member;
use prongsai_thai::FiscalYear;

use crate::support::client::pct;
use crate::support::*;

async fn search(c: &Client, slug: &str, q: &str) -> Resp {
    let r = c.get(&format!("/a/{slug}/search?q={}", pct(q))).await;
    assert_eq!(r.status, StatusCode::OK, "search {q:?}: {}", r.describe());
    r
}

/// The result links, in order.
fn links(r: &Resp) -> Vec<String> {
    r.attrs(".search-hit h2 a", "href")
}

/// Text without the spaces that joining a title's parts (text and marks) puts between them.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whether any result shows `phrase`.
fn shows(r: &Resp, phrase: &str) -> bool {
    r.texts(".search-hit")
        .iter()
        .any(|t| squeeze(t).contains(&squeeze(phrase)))
}

async fn member(app: &TestApp, email: &str) -> Member {
    let a = app.nonhan().await;
    let account = app.cx.store.account_by_email(email).await.unwrap().unwrap();
    let membership = app
        .cx
        .store
        .membership(a.id, account.id)
        .await
        .unwrap()
        .unwrap();
    Member::new(account, membership)
}

#[tokio::test]
async fn thai_substrings_are_found_where_words_would_miss_them() {
    let app = TestApp::with_demo().await;
    let c = app.client();
    // "ความโปร่งใส" inside "มาตรการส่งเสริมคุณธรรมและความโปร่งใส".
    let r = search(&c, "nonhan", "ความโปร่งใส").await;
    let found = links(&r);
    assert!(
        found.iter().any(|l| l == "/a/nonhan/measures/2566"),
        "{found:?}"
    );
    let titles = r.texts(".search-hit h2");
    assert!(
        titles
            .iter()
            .any(|t| squeeze(t).contains("มาตรการส่งเสริมคุณธรรมและความโปร่งใส")),
        "{titles:?}"
    );
    // "เทศบาล" inside "เทศบาลตำบลโนนหัน", which the segmenter may keep whole.
    let r = search(&c, "nonhan", "เทศบาล").await;
    let found = links(&r);
    assert!(found.iter().any(|l| l == "/a/nonhan/"), "{found:?}");
    assert!(
        r.texts(".search-hit")
            .iter()
            .any(|t| squeeze(t).contains("เทศบาลตำบล")),
        "no result shows เทศบาลตำบล"
    );
    // A count in the page's words (of every result, over the pages), and the kind of each.
    assert!(
        r.texts("[role=status]")
            .iter()
            .any(|t| t.chars().any(|c| c.is_ascii_digit())),
        "{:?}",
        r.texts("[role=status]")
    );
    assert!(r.has(".search-hit .tag"));
}

#[tokio::test]
async fn the_whole_phrase_in_a_title_ranks_first_and_hits_are_marked() {
    let app = TestApp::with_demo().await;
    let c = app.client();
    let r = search(&c, "nonhan", "ความโปร่งใส").await;
    let found = links(&r);
    assert_eq!(
        found.first().map(String::as_str),
        Some("/a/nonhan/measures/2566"),
        "{found:?}"
    );
    let marks = r.texts(".search-hit mark");
    assert!(!marks.is_empty());
    assert!(marks.iter().all(|m| m == "ความโปร่งใส"), "{marks:?}");
    // A snippet is a window of the text: it is shorter than the plan's introduction.
    let snippets = r.texts(".search-snippet");
    assert!(
        snippets.iter().all(|s| s.chars().count() <= 200),
        "{snippets:?}"
    );
    assert!(snippets.iter().any(|s| s.contains('…')), "{snippets:?}");
}

#[tokio::test]
async fn odd_empty_and_long_queries_give_a_sensible_page() {
    let app = TestApp::with_demo().await;
    let c = app.client();
    let long = "ก".repeat(5000);
    for q in [
        "",
        "   ",
        "\"",
        "*",
        "' OR 1=1 --",
        "%",
        "_",
        "\"เทศบาล\" OR *",
        "NEAR(a b)",
        "(เทศบาล",
        "🙂",
        "🙂🙂🙂",
        "a\u{0}b",
        "\u{200B}",
        "<script>alert(1)</script>",
        long.as_str(),
    ] {
        let r = search(&c, "nonhan", q).await;
        assert!(r.has("form.search-form input[name=q]"), "{q:?}");
        assert!(
            !r.body.contains("<script>alert"),
            "{q:?} is echoed unescaped"
        );
    }
    // Empty: the form and its help, no count, no "nothing found".
    let r = search(&c, "nonhan", "   ").await;
    assert!(!r.has(".search-none") && !r.has(".search-results"));
    // Nothing found: say so, with help.
    let r = search(&c, "nonhan", "' OR 1=1 --").await;
    assert!(r.has(".search-none"), "{}", r.describe());
    let r = search(&c, "nonhan", "%").await;
    assert!(links(&r).is_empty(), "% is a character, not a wildcard");
    // Too long: cut, and the page says so.
    let r = search(&c, "nonhan", &long).await;
    let tr = app.tr(prongsai_web::i18n::Lang::Th);
    assert!(
        r.texts(".notice")
            .iter()
            .any(|t| t == &tr.arg("search-truncated", "max", 200)),
        "{}",
        r.describe()
    );
    assert_eq!(
        r.attrs("#q", "value").first().map(|v| v.chars().count()),
        Some(200)
    );
    // A page beyond the last, or not a number: the last page, or the first.
    for p in ["999", "-1", "x", "99999999999999999999999"] {
        let r = c
            .get(&format!("/a/nonhan/search?q={}&page={p}", pct("เทศบาล")))
            .await;
        assert_eq!(r.status, StatusCode::OK, "page={p}");
        assert!(!links(&r).is_empty(), "page={p}");
    }
    // Malformed percent-encoding is read as text.
    let r = c.get("/a/nonhan/search?q=%E0%B8&page=%ZZ").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.describe());
    // An unknown agency is 404, as for every public page.
    let r = c.get("/a/nowhere/search?q=x").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn short_queries_are_found_without_trigrams() {
    let app = TestApp::with_demo().await;
    let c = app.client();
    // Two characters: below the trigram index, found by a scan of the agency's documents.
    let r = search(&c, "nonhan", "O1").await;
    let found = links(&r);
    assert!(found.iter().any(|l| l.ends_with("#O1")), "{found:?}");
    assert!(
        r.texts(".search-hit mark")
            .iter()
            .all(|m| m.eq_ignore_ascii_case("o1"))
    );
}

#[tokio::test]
async fn another_agencys_content_never_appears() {
    let app = TestApp::with_demo().await;
    let other = app
        .other_agency("other", "เทศบาลตำบลหนองบัวแดง", "ชัยภูมิ")
        .await;
    prongsai_domain::search::reindex(&app.cx, other.id)
        .await
        .unwrap();
    let c = app.client();
    let r = search(&c, "other", "หนองบัวแดง").await;
    let found = links(&r);
    assert!(found.contains(&"/a/other/".to_owned()), "{found:?}");
    assert!(
        found.iter().all(|l| l.starts_with("/a/other/")),
        "{found:?}"
    );
    let r = search(&c, "nonhan", "หนองบัวแดง").await;
    assert!(links(&r).is_empty(), "{:?}", links(&r));
    let r = search(&c, "other", "โนนหัน").await;
    assert!(links(&r).is_empty(), "{:?}", links(&r));
    // The same short scan is also per agency.
    let r = search(&c, "other", "O1").await;
    assert!(links(&r).iter().all(|l| l.starts_with("/a/other/")));
}

#[tokio::test]
async fn unpublished_content_never_appears_and_leaves_when_unpublished() {
    let app = TestApp::with_demo().await;
    let c = app.client();
    let a = app.nonhan().await;
    let admin = member(&app, DEMO_ADMIN).await;

    // A draft plan with a measure of its own words.
    let year = FiscalYear::new(2569).unwrap();
    ms::create_plan(&app.cx, &admin, &a.profile.name, year, &Drafting::Scratch)
        .await
        .unwrap();
    ms::add_measure(
        &app.cx,
        &admin,
        year,
        &MeasureInput {
            title: "มาตรการฉบับร่างที่ยังไม่เผยแพร่".to_owned(),
            indicators: vec!["1".to_owned()],
            oit_items: String::new(),
            weight: "1".to_owned(),
        },
    )
    .await
    .unwrap();
    prongsai_domain::search::reindex(&app.cx, a.id)
        .await
        .unwrap();
    let r = search(&c, "nonhan", "ฉบับร่างที่ยังไม่เผยแพร่").await;
    assert!(!shows(&r, "ฉบับร่างที่ยังไม่เผยแพร่"));
    assert!(
        !links(&r).iter().any(|l| l.contains("/2569")),
        "{:?}",
        links(&r)
    );

    // A draft OIT item (O36 in the demo) is not public; submitted, it is.
    let r = search(&c, "nonhan", "O36").await;
    assert!(
        !links(&r).iter().any(|l| l.ends_with("#O36")),
        "{:?}",
        links(&r)
    );
    let browser = app.demo_admin().await;
    let r = browser
        .post("/a/nonhan/admin/ita/oit/2567/items/O36/submit", &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    let r = search(&c, "nonhan", "O36").await;
    assert!(
        links(&r).iter().any(|l| l.ends_with("#O36")),
        "{:?}",
        links(&r)
    );

    // The approved plan of 2566, sent back to draft, leaves the index.
    let y2566 = FiscalYear::new(2566).unwrap();
    let before = search(&c, "nonhan", "ความโปร่งใส").await;
    assert!(
        links(&before)
            .iter()
            .any(|l| l.starts_with("/a/nonhan/measures/2566"))
    );
    ms::return_to_draft(&app.cx, &admin, y2566).await.unwrap();
    let after = search(&c, "nonhan", "ความโปร่งใส").await;
    assert!(
        !links(&after)
            .iter()
            .any(|l| l.starts_with("/a/nonhan/measures/2566")),
        "{:?}",
        links(&after)
    );
}

#[tokio::test]
async fn an_edit_updates_the_index_and_its_text_is_escaped() {
    let app = TestApp::with_demo().await;
    let c = app.client();
    let a = app.nonhan().await;
    let r = search(&c, "nonhan", "สวนสาธารณะริมบึงโนนหัน").await;
    assert!(!shows(&r, "สวนสาธารณะริมบึงโนนหัน"));

    let admin = member(&app, DEMO_ADMIN).await;
    let mut input = AgencyProfileInput::from_profile(&a.profile);
    input.about = "ดูแล <b>สวนสาธารณะริมบึงโนนหัน</b> & ตลาดชุมชน".to_owned();
    ps::update_agency_profile(&app.cx, &admin, &input)
        .await
        .unwrap();

    let r = search(&c, "nonhan", "สวนสาธารณะริมบึงโนนหัน").await;
    assert_eq!(links(&r), ["/a/nonhan/"]);
    assert_eq!(r.texts(".search-snippet mark"), ["สวนสาธารณะริมบึงโนนหัน"]);
    // The stored markup is shown as text, never as markup.
    assert!(!r.body.contains("<b>สวน"));
    assert!(
        r.texts(".search-snippet")
            .iter()
            .any(|t| t.contains("<b>") && t.contains('&')),
        "{:?}",
        r.texts(".search-snippet")
    );
    // The old text is gone from the index with it.
    let old = a.profile.about.clone().unwrap_or_default();
    let old_words: String = old.chars().take(30).collect();
    if !old_words.is_empty() {
        let r = search(&c, "nonhan", &old_words).await;
        assert!(!shows(&r, &old_words), "{old_words}: {:?}", links(&r));
    }
    // `prongsai search reindex` rebuilds the same documents.
    let before = app.cx.store.search_count(a.id).await.unwrap();
    let after = prongsai_domain::search::reindex(&app.cx, a.id)
        .await
        .unwrap();
    assert_eq!(before, after);
}

#[tokio::test]
async fn every_public_page_has_the_search_box_and_the_search_page_its_own() {
    let app = TestApp::with_demo().await;
    let c = app.client();
    for path in [
        "/a/nonhan/",
        "/a/nonhan/measures/2566",
        "/a/nonhan/ita/2567",
    ] {
        let r = c.get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(
            r.attrs("header form[role=search]", "action"),
            ["/a/nonhan/search"],
            "{path}"
        );
        assert!(
            r.has("header form[role=search] label[for=portal-q]"),
            "{path}"
        );
    }
    let r = search(&c, "nonhan", "เทศบาล").await;
    assert!(!r.has("header form[role=search]"));
    assert_eq!(
        r.attrs("main form[role=search] input[name=q]", "value"),
        ["เทศบาล"]
    );
    // Results lead to public pages that exist.
    for l in links(&r) {
        let path = l.split('#').next().unwrap_or_default();
        let page = c.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{l}");
    }
}

#[tokio::test]
async fn pages_and_news_are_found_and_scheduled_news_only_once_it_is_public() {
    let app = TestApp::with_demo().await;
    let c = app.client();
    // A page and a news item of the demo, by words of their text.
    let r = search(&c, "nonhan", "อำนาจหน้าที่").await;
    assert!(
        links(&r).iter().any(|l| l.starts_with("/a/nonhan/p/")),
        "{:?}",
        links(&r)
    );
    let r = search(&c, "nonhan", "คัดแยกขยะ").await;
    assert!(
        links(&r).iter().any(|l| l.starts_with("/a/nonhan/news/")),
        "{:?}",
        links(&r)
    );
    assert!(
        r.texts(".search-hit .tag")
            .contains(&app.th("search-kind-news"))
    );
    // The announcement scheduled 72 hours ahead is not found before its time…
    let r = search(&c, "nonhan", "พนักงานจ้างทั่วไป").await;
    assert!(!shows(&r, "ประกาศรับสมัครบุคคล"), "scheduled: {:?}", links(&r));
    // …and is found once it is public, with no write in between.
    app.advance(73 * 3600);
    let r = search(&c, "nonhan", "พนักงานจ้างทั่วไป").await;
    assert!(shows(&r, "ประกาศรับสมัครบุคคล"), "{:?}", links(&r));
    // Unpublishing takes it out at once.
    let admin = app.demo_admin().await;
    let id = links(&r)
        .into_iter()
        .find(|l| l.starts_with("/a/nonhan/news/"))
        .and_then(|l| l.rsplit('/').next().map(str::to_owned))
        .unwrap();
    let page = format!("/a/nonhan/admin/content/{id}");
    let r = admin
        .submit(&page, &format!("{page}/status"), &[("change", "unpublish")])
        .await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    let r = search(&c, "nonhan", "พนักงานจ้างทั่วไป").await;
    assert!(
        !shows(&r, "ประกาศรับสมัครบุคคล"),
        "unpublished: {:?}",
        links(&r)
    );
}
