//! The standard site map as its users meet it: the public menu and its section pages, the OIT
//! table that links each item's page with its navigation path, the gaps on the checklist, and
//! how an agency closes them (writing the page, or pointing the standard page at one it has).

use crate::support::*;

const SLUG: &str = "nonhan";
/// The newest framework that ships, which the checklist opens on.
const YEAR: i32 = 2567;

fn path_of(href: &str) -> &str {
    href.split('#').next().unwrap_or(href)
}

#[tokio::test]
async fn the_menu_and_its_section_pages_come_from_the_standard_site_map() {
    let app = TestApp::with_demo().await;
    let visitor = app.client();
    let home = visitor.get(&format!("/a/{SLUG}/")).await;
    assert_eq!(home.status, 200);
    let nav = home.attrs("nav.portal-nav a", "href");
    for expected in [
        "/a/nonhan/",
        "/a/nonhan/s/about",
        "/a/nonhan/news",
        "/a/nonhan/s/integrity",
        "/a/nonhan/s/participation",
        "/a/nonhan/ita",
        "/a/nonhan/data",
    ] {
        assert!(nav.iter().any(|h| h == expected), "{expected} in {nav:?}");
    }
    assert!(
        home.texts("nav.portal-nav a")
            .contains(&"ข้อมูลหน่วยงาน".to_owned())
    );

    // Every menu entry and every page its sections list answers.
    for href in &nav {
        let page = visitor.get(href).await;
        let page = if page.status.is_redirection() {
            visitor.get(&page.location().unwrap()).await
        } else {
            page
        };
        assert_eq!(page.status, 200, "{href}: {}", page.describe());
        if href.contains("/s/") {
            assert_eq!(
                page.attrs("nav.portal-nav a[aria-current=page]", "href"),
                std::slice::from_ref(href),
                "the section is marked in the menu"
            );
            for link in page.attrs("ul.section-links a", "href") {
                let r = visitor.get(path_of(&link)).await;
                let r = if r.status.is_redirection() {
                    visitor.get(&r.location().unwrap()).await
                } else {
                    r
                };
                assert_eq!(r.status, 200, "{link} from {href}: {}", r.describe());
            }
        }
    }

    // The demo agency's profile gives the about section its generated pages; the pages it has
    // not written are not listed to the public.
    let about = visitor.get(&format!("/a/{SLUG}/s/about")).await;
    let links = about.attrs("ul.section-links a", "href");
    for expected in [
        "/a/nonhan/#structure",
        "/a/nonhan/#executives",
        "/a/nonhan/#contact",
    ] {
        assert!(
            links.iter().any(|h| h == expected),
            "{expected} in {links:?}"
        );
    }
    assert!(!links.iter().any(|h| h.ends_with("/p/laws")), "{links:?}");

    // A CMS page at a standard address is in its section of the menu.
    assert_eq!(
        visitor.get(&format!("/a/{SLUG}/s/weather")).await.status,
        404
    );
    assert_eq!(visitor.get("/a/nobody/s/about").await.status, 404);
}

#[tokio::test]
async fn a_missing_page_is_a_gap_on_the_checklist_until_the_agency_writes_or_points_it() {
    let app = TestApp::with_demo().await;
    let admin = app.demo_admin().await;
    let visitor = app.client();
    let checklist = format!("/a/{SLUG}/admin/ita/oit/{YEAR}");
    let list = admin.get(&checklist).await;
    assert_eq!(list.status, 200, "{}", list.describe());
    // O1 (structure) is generated from the profile; O3 (powers and duties) and O6 (laws) are
    // pages the agency writes, not yet there.
    assert_eq!(
        list.attrs("tr#O1 td.oit-page a", "href"),
        ["/a/nonhan/#structure"]
    );
    assert_eq!(
        list.attrs("tr#O6 td.oit-page a", "href"),
        ["/a/nonhan/admin/pages/new?standard=laws"]
    );
    assert!(list.has("tr#O6 td.oit-page .status-failed"));
    let gaps_before = list.texts("p.oit-page-gaps strong");
    assert_eq!(gaps_before.len(), 1, "the count of gaps is shown");

    // The public table: every item has a row; O1 links its page with the menu's path, and
    // every link of the table leads to a live page.
    let table_url = format!("/a/{SLUG}/ita/{YEAR}");
    let table = visitor.get(&table_url).await;
    assert_eq!(table.status, 200);
    assert_eq!(table.texts("tbody tr").len(), 43);
    assert_eq!(
        table.attrs("tr#O10 td.links a", "href"),
        ["/a/nonhan/privacy"]
    );
    assert_eq!(
        table.texts("tr#O10 td.explanation"),
        ["หน้าแรก > การมีส่วนร่วม > นโยบายคุ้มครองข้อมูลส่วนบุคคล"]
    );
    // The agency's own evidence for a page keeps its label and path, without a second link.
    assert_eq!(
        table.attrs("tr#O1 td.links a", "href"),
        ["/a/nonhan/#structure"]
    );
    assert_eq!(
        table.attrs("tr#O6 td.links a", "href"),
        Vec::<String>::new()
    );
    for href in table.attrs("td.links a", "href") {
        if href.starts_with('/') {
            let r = visitor.get(path_of(&href)).await;
            let r = if r.status.is_redirection() {
                visitor.get(&r.location().unwrap()).await
            } else {
                r
            };
            assert_eq!(r.status, 200, "{href}: {}", r.describe());
        }
    }

    // Writing the missing page from the gap: the form comes filled with the standard address
    // and name.
    let form = admin
        .get(&format!("/a/{SLUG}/admin/pages/new?standard=laws"))
        .await;
    assert_eq!(form.status, 200);
    assert_eq!(form.attrs("input[name=page_slug]", "value"), ["laws"]);
    assert_eq!(
        form.attrs("input[name=content_title]", "value"),
        ["กฎหมายที่เกี่ยวข้อง"]
    );
    let r = admin
        .post(
            &format!("/a/{SLUG}/admin/pages/new"),
            &[
                ("content_title", "กฎหมายที่เกี่ยวข้อง"),
                ("page_slug", "laws"),
                ("body", "- พระราชบัญญัติเทศบาล พ.ศ. ๒๔๙๖"),
            ],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    let id = r.location().unwrap().rsplit('/').next().unwrap().to_owned();
    // A draft closes nothing.
    let table = visitor.get(&table_url).await;
    assert_eq!(
        table.attrs("tr#O6 td.links a", "href"),
        Vec::<String>::new()
    );
    let r = admin
        .post(
            &format!("/a/{SLUG}/admin/content/{id}/status"),
            &[("change", "publish")],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    let table = visitor.get(&table_url).await;
    assert_eq!(
        table.attrs("tr#O6 td.links a", "href"),
        ["/a/nonhan/p/laws"]
    );
    assert_eq!(
        table.texts("tr#O6 td.explanation"),
        ["หน้าแรก > ข้อมูลหน่วยงาน > กฎหมายที่เกี่ยวข้อง"]
    );
    let list = admin.get(&checklist).await;
    assert_eq!(
        list.attrs("tr#O6 td.oit-page a", "href"),
        ["/a/nonhan/p/laws"]
    );
    assert_ne!(list.texts("p.oit-page-gaps strong"), gaps_before);
    // The page is in its section of the menu, which is marked on it.
    let laws = visitor.get("/a/nonhan/p/laws").await;
    assert_eq!(
        laws.attrs("nav.portal-nav a[aria-current=page]", "href"),
        ["/a/nonhan/s/about"]
    );
    let about = visitor.get("/a/nonhan/s/about").await;
    assert!(
        about
            .attrs("ul.section-links a", "href")
            .contains(&"/a/nonhan/p/laws".to_owned())
    );

    // Pointing a standard page at a page the agency already has: the demo's "duties" page
    // stands for "authority" (O3).
    let a = app.demo().await;
    let duties = app
        .cx
        .store
        .page_by_slug(a.id, "duties")
        .await
        .unwrap()
        .unwrap()
        .id;
    let standard = format!("/a/{SLUG}/admin/pages/standard");
    let std_page = admin.get(&standard).await;
    assert_eq!(std_page.status, 200);
    assert_eq!(
        std_page.attrs("tr#std-authority", "data-state"),
        ["missing"]
    );
    let action = format!("{standard}/authority");
    let r = admin
        .submit(&standard, &action, &[("page", &duties.to_string())])
        .await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    let std_page = admin.get(&standard).await;
    assert_eq!(
        std_page.attrs("tr#std-authority", "data-state"),
        ["present"]
    );
    let table = visitor.get(&table_url).await;
    assert!(
        table
            .attrs("tr#O3 td.links a", "href")
            .contains(&"/a/nonhan/p/duties".to_owned())
    );
    // And back to the standard address, where there is no page: a gap again.
    let r = admin.submit(&standard, &action, &[("page", "")]).await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    let table = visitor.get(&table_url).await;
    assert!(
        !table
            .attrs("tr#O3 td.links a", "href")
            .contains(&"/a/nonhan/p/duties".to_owned())
    );

    // The item page offers the standard page as evidence in one step, unless it already is.
    let p = admin.get(&format!("{checklist}/items/O10")).await;
    assert_eq!(
        p.attrs("#standard-page input[name=url]", "value"),
        ["/a/nonhan/privacy"]
    );
    let p = admin.get(&format!("{checklist}/items/O1")).await;
    assert!(p.has("#standard-page a[href=\"/a/nonhan/#structure\"]"));
    assert!(!p.has("#standard-page form"));
}

#[tokio::test]
async fn pointing_a_standard_page_refuses_what_it_cannot_use_and_changes_nothing() {
    let app = TestApp::with_demo().await;
    let admin = app.demo_admin().await;
    let a = app.demo().await;
    let standard = format!("/a/{SLUG}/admin/pages/standard");
    let links = || async { app.cx.store.standard_links(a.id).await.unwrap() };
    let before = links().await;

    // A standard page that does not exist, or one only ever generated: nothing to point.
    for key in ["weather", "news", "structure"] {
        let r = admin
            .post(&format!("{standard}/{key}"), &[("page", "")])
            .await;
        assert_eq!(r.status, 404, "{key}: {}", r.describe());
    }
    // Not a page id, or a news item: refused with the reason, in Thai.
    let news = app
        .cx
        .store
        .list_content(a.id, &[prongsai_domain::portal::ContentKind::News])
        .await
        .unwrap()[0]
        .id;
    for bad in ["abc", "1.5", &news.to_string()] {
        let r = admin
            .post(&format!("{standard}/laws"), &[("page", bad)])
            .await;
        assert_eq!(r.status, 422, "{bad}: {}", r.describe());
        assert!(r.has(".error-summary"), "{bad}");
    }
    // Another agency's page: not found.
    let b = app.other_agency("bueng", "อบต.บึง", "บึงกาฬ").await;
    let r = admin
        .post(
            &format!("{standard}/laws"),
            &[("page", &b.page.to_string())],
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.describe());
    // A division officer writes their division's pages, not the agency's site map.
    let officer = app
        .signed_in("finance@nonhan.example", "nonhan-demo-2566")
        .await;
    let r = officer
        .post(&format!("{standard}/laws"), &[("page", "")])
        .await;
    assert_eq!(r.status, 403, "{}", r.describe());
    assert_eq!(links().await, before);
}
