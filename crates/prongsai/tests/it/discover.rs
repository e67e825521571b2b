//! How the public pages are found and shared: robots.txt, sitemaps, OpenGraph and canonical
//! URLs, agencies on their own domain, and the public URLs that must never move.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use prongsai_web::WebConfig;

use crate::support::*;

async fn demo_with(config: WebConfig) -> TestApp {
    let app = TestApp::with_config(config).await;
    app.load_demo().await;
    app
}

fn with_host(path: &str, host: &str) -> Request<Body> {
    Request::builder()
        .method(Method::GET)
        .uri(path)
        .header("host", host)
        .body(Body::empty())
        .expect("a request")
}

#[tokio::test]
async fn robots_and_sitemaps_list_the_public_pages_and_keep_crawlers_out_of_the_office() {
    let app = demo_with(WebConfig {
        public_url: Some("https://prongsai.example.go.th/".into()),
        ..WebConfig::default()
    })
    .await;
    let c = app.client();
    let robots = c.get("/robots.txt").await;
    assert_eq!(robots.status, 200);
    assert!(
        robots.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    for line in [
        "Disallow: /a/*/admin/",
        "Disallow: /platform/",
        "Disallow: /s/",
        "Sitemap: https://prongsai.example.go.th/sitemap.xml",
    ] {
        assert!(
            robots.body.lines().any(|l| l == line),
            "{line}\n{}",
            robots.body
        );
    }
    let index = c.get("/sitemap.xml").await;
    assert_eq!(index.status, 200);
    assert!(
        index
            .body
            .contains("<loc>https://prongsai.example.go.th/a/nonhan/sitemap.xml</loc>")
    );
    let map = c.get("/a/nonhan/sitemap.xml").await;
    assert_eq!(map.status, 200);
    assert!(
        map.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/xml")
    );
    let locs: Vec<&str> = map
        .body
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .collect();
    let base = "https://prongsai.example.go.th/a/nonhan/";
    for want in ["", "measures", "measures/2566", "ita/2567", "data"] {
        assert!(
            locs.contains(&format!("{base}{want}").as_str()),
            "{want}: {locs:?}"
        );
    }
    // Every listed page is public.
    for loc in &locs {
        let path = loc.trim_start_matches("https://prongsai.example.go.th");
        assert_eq!(app.client().get(path).await.status, 200, "{path}");
    }
    // A draft plan (FY2567 in the demo) is not listed.
    assert!(!locs.iter().any(|l| l.ends_with("measures/2567")));
    assert!(map.body.contains("<lastmod>"));
    assert_eq!(c.get("/a/nobody/sitemap.xml").await.status, 404);
}

#[tokio::test]
async fn public_pages_carry_opengraph_tags_and_a_canonical_url() {
    let app = demo_with(WebConfig {
        public_url: Some("https://prongsai.example.go.th".into()),
        ..WebConfig::default()
    })
    .await;
    let home = app.client().get("/a/nonhan/").await;
    let meta = |p: &str| home.attrs(&format!("meta[property=\"{p}\"]"), "content");
    assert_eq!(meta("og:site_name"), ["เทศบาลตำบลโนนหัน"]);
    assert_eq!(meta("og:locale"), ["th_TH"]);
    assert_eq!(meta("og:url"), ["https://prongsai.example.go.th/a/nonhan/"]);
    assert_eq!(
        home.attrs("link[rel=canonical]", "href"),
        ["https://prongsai.example.go.th/a/nonhan/"]
    );
    let image = meta("og:image");
    assert!(
        image.len() == 1 && image[0].starts_with("https://prongsai.example.go.th/a/nonhan/files/"),
        "{image:?}"
    );
    let description = meta("og:description");
    assert_eq!(description.len(), 1);
    assert!(description[0].chars().count() <= 161, "{description:?}");
    // A page of a module has its own title and canonical URL.
    let measures = app.client().get("/a/nonhan/measures/2566").await;
    assert_eq!(
        measures.attrs("link[rel=canonical]", "href"),
        ["https://prongsai.example.go.th/a/nonhan/measures/2566"]
    );
    assert_eq!(
        measures.attrs("meta[property=\"og:title\"]", "content"),
        [measures.texts("title")[0]
            .split(" · ")
            .next()
            .unwrap()
            .to_owned()]
    );
}

#[tokio::test]
async fn an_agency_on_its_own_domain_is_served_at_its_root() {
    let app = demo_with(WebConfig {
        public_url: Some("https://prongsai.example.go.th".into()),
        domains: [("nonhan.go.th".to_owned(), "nonhan".to_owned())].into(),
        ..WebConfig::default()
    })
    .await;
    let c = app.client();
    // Its domain's root is its home page, with the canonical URL on its domain.
    let home = c.send(with_host("/", "nonhan.go.th")).await;
    assert_eq!(home.status, 200, "{}", home.describe());
    assert_eq!(home.texts("h1")[0], "เทศบาลตำบลโนนหัน");
    assert_eq!(
        home.attrs("link[rel=canonical]", "href"),
        ["https://nonhan.go.th/a/nonhan/"]
    );
    // Upper case and a port make no difference; published /a/nonhan/ URLs still work there.
    let again = c.send(with_host("/", "NonHan.go.th:443")).await;
    assert_eq!(again.texts("h1")[0], "เทศบาลตำบลโนนหัน");
    let page = c
        .send(with_host("/a/nonhan/measures/2566", "nonhan.go.th"))
        .await;
    assert_eq!(page.status, 200);
    let map = c.send(with_host("/sitemap.xml", "nonhan.go.th")).await;
    assert!(
        map.body.contains("<urlset"),
        "its own sitemap: {}",
        map.body
    );
    assert!(
        map.body
            .contains("<loc>https://nonhan.go.th/a/nonhan/</loc>")
    );
    let robots = c.send(with_host("/robots.txt", "nonhan.go.th")).await;
    assert!(
        robots
            .body
            .contains("Sitemap: https://nonhan.go.th/sitemap.xml")
    );
    // Any other host still gets the platform home.
    let platform = c.send(with_host("/", "prongsai.example.go.th")).await;
    assert_eq!(platform.status, 200);
    assert_ne!(platform.texts("h1")[0], "เทศบาลตำบลโนนหัน");
}

/// The public URL patterns agencies have published (pasted into ITAS, printed on QR codes).
/// Removing or renaming one breaks those links: keep the route, or answer it with a redirect.
const PUBLISHED: &[&str] = &[
    "/",
    "/a/{slug}/",
    "/a/{slug}/files/{id}",
    "/a/{slug}/measures",
    "/a/{slug}/measures/{year}",
    "/a/{slug}/measures/{year}/{file}",
    "/a/{slug}/ita",
    "/a/{slug}/ita/{year}",
    "/a/{slug}/ita/{year}/oit.xlsx",
    "/a/{slug}/eit",
    "/a/{slug}/sitemap.xml",
    "/a/{slug}/social",
    "/a/{slug}/privacy",
    "/a/{slug}/data",
    "/a/{slug}/data/{file}",
    "/api/3/action/package_list",
    "/api/3/action/package_show",
    "/a/{slug}/qa",
    "/a/{slug}/qa/{id}",
    "/a/{slug}/suggestions",
    "/a/{slug}/suggestions/{id}",
    "/s",
    "/s/{code}",
    "/robots.txt",
    "/sitemap.xml",
];

#[tokio::test]
async fn published_public_urls_never_move() {
    let routes = prongsai_web::route_list();
    for p in PUBLISHED {
        assert!(
            routes.iter().any(|r| r.path == *p && r.method == "GET"),
            "the published URL {p} is no longer served"
        );
    }
    // And the demo's concrete ones answer.
    let app = TestApp::with_demo().await;
    for path in [
        "/a/nonhan/",
        "/a/nonhan/measures",
        "/a/nonhan/measures/2566",
        "/a/nonhan/measures/2566/report.pdf",
        "/a/nonhan/ita/2567",
        "/a/nonhan/ita/2567/oit.xlsx",
        "/a/nonhan/eit",
    ] {
        let r = app.client().get(path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.describe());
    }
}

#[tokio::test]
async fn the_social_and_privacy_pages_are_written_from_the_profile() {
    let app = TestApp::with_demo().await;
    let c = app.client();
    let a = app.nonhan().await;
    let p = &a.profile;
    // Linked from the footer of every public page.
    let home = c.get("/a/nonhan/").await;
    let footer = home.attrs("footer a", "href");
    assert!(
        footer.contains(&"/a/nonhan/social".to_owned()),
        "{footer:?}"
    );
    assert!(
        footer.contains(&"/a/nonhan/privacy".to_owned()),
        "{footer:?}"
    );

    let social = c.get("/a/nonhan/social").await;
    assert_eq!(social.status, 200, "{}", social.describe());
    assert_eq!(social.texts("h1"), [app.th("social-title")]);
    let links = social.attrs(".social-channels a", "href");
    if let Some(fb) = &p.facebook {
        assert!(links.contains(fb), "{links:?}");
    }
    if let Some(email) = &p.email {
        assert!(links.contains(&format!("mailto:{email}")), "{links:?}");
    }
    assert!(!links.is_empty());

    let privacy = c.get("/a/nonhan/privacy").await;
    assert_eq!(privacy.status, 200, "{}", privacy.describe());
    let text = privacy.texts("main").concat();
    assert!(text.contains("เทศบาลตำบลโนนหัน"), "the agency's name");
    assert!(
        text.contains(&p.province) && text.contains(&p.district),
        "its address"
    );
    assert!(text.contains("พระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล"));
    // An edit of the profile shows at once, though the pages are cached.
    let admin = app.demo_admin().await;
    let mut input = prongsai_domain::platform::AgencyProfileInput::from_profile(p);
    input.facebook = "https://www.facebook.com/nonhan.changed".into();
    let fields = crate::audit::profile_fields(&input, &p.name);
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = admin
        .submit(
            "/a/nonhan/admin/profile",
            "/a/nonhan/admin/profile",
            &fields,
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    let social = c.get("/a/nonhan/social").await;
    assert!(
        social
            .attrs(".social-channels a", "href")
            .contains(&"https://www.facebook.com/nonhan.changed".to_owned())
    );
    assert_eq!(
        c.get("/a/nobody/privacy").await.status,
        StatusCode::NOT_FOUND
    );
}
