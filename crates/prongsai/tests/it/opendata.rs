//! Open data: the catalog page, CSV and JSON downloads, DCAT JSON-LD and the CKAN API subset.

use axum::http::StatusCode;
use serde_json::Value;

use crate::support::*;

fn json(r: &Resp) -> Value {
    serde_json::from_slice(&r.bytes).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.body))
}

#[tokio::test]
async fn the_catalog_lists_the_public_datasets_which_download_as_csv_and_json() {
    let app = TestApp::with_demo().await;
    let c = app.client();
    let page = c.get("/a/nonhan/data").await;
    assert_eq!(page.status, 200, "{}", page.describe());
    let ids = page.attrs("section.dataset", "id");
    // The demo's cases are filed today, in the current fiscal year.
    let fy = prongsai_thai::FiscalYear::of(app.cx.clock.today()).be();
    let stats = format!("complaint-stats-{fy}");
    assert_eq!(
        ids,
        [
            "news",
            "measures-2566",
            "oit-2567",
            stats.as_str(),
            "ita-results"
        ],
        "the FY2567 plan is a draft"
    );
    assert!(
        page.texts("nav a[aria-current=page]")
            .contains(&app.th("nav-data"))
    );

    let csv = c.get("/a/nonhan/data/measures-2566.csv").await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        csv.bytes.starts_with(b"\xef\xbb\xbf"),
        "a byte-order mark for Excel"
    );
    let mut reader = csv::Reader::from_reader(&csv.bytes[3..]);
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header[0], app.th("data-col-year"));
    assert_eq!(header[6], app.th("data-col-action"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(rows.len() >= 10, "{} rows", rows.len());
    assert!(rows.iter().all(|r| &r[0] == "2566"));

    let js = c.get("/a/nonhan/data/measures-2566.json").await;
    assert_eq!(js.status, 200);
    let v = json(&js);
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), rows.len());
    assert_eq!(
        arr[0][app.th("data-col-action").as_str()],
        Value::from(&rows[0][6])
    );

    // The OIT table: absolute links to the evidence.
    let oit = c.get("/a/nonhan/data/oit-2567.csv").await;
    assert_eq!(oit.status, 200);
    assert!(oit.body.contains("http"), "{}", oit.body);
    // The news: public items only (the demo schedules one for later), with absolute links.
    let news = json(&c.get("/a/nonhan/data/news.json").await);
    let items = news.as_array().unwrap();
    assert!(!items.is_empty());
    let link = app.th("data-col-url");
    for n in items {
        let url = n[link.as_str()].as_str().unwrap();
        let path = &url[url.find("/a/").unwrap()..];
        assert_eq!(c.get(path).await.status, 200, "{path}");
    }
    // The official results: one row per year.
    let results = json(&c.get("/a/nonhan/data/ita-results.json").await);
    assert_eq!(results.as_array().unwrap().len(), 3);

    // What is not published, or not a file, is 404; never a 500.
    for bad in [
        "/a/nonhan/data/measures-2567.csv",
        "/a/nonhan/data/measures-2566.xlsx",
        "/a/nonhan/data/measures-x.csv",
        "/a/nonhan/data/oit-2599.json",
        "/a/nonhan/data/nothing",
        "/a/nonhan/data/..%2F..%2Fetc%2Fpasswd",
        "/a/nobody/data",
    ] {
        assert_eq!(c.get(bad).await.status, StatusCode::NOT_FOUND, "{bad}");
    }
}

#[tokio::test]
async fn dcat_and_the_ckan_api_describe_every_dataset_for_the_national_catalog() {
    let app = TestApp::with_demo().await;
    let c = app.client();
    let dcat = c.get("/a/nonhan/data/catalog.jsonld").await;
    assert_eq!(dcat.status, 200);
    assert!(
        dcat.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/ld+json")
    );
    let v = json(&dcat);
    assert_eq!(v["@type"], "dcat:Catalog");
    let sets = v["dcat:dataset"].as_array().unwrap();
    assert_eq!(sets.len(), 5);
    let first = &sets[1];
    assert_eq!(first["dct:identifier"], "nonhan-measures-2566");
    assert_eq!(first["dct:language"], "th");
    for d in first["dcat:distribution"].as_array().unwrap() {
        let url = d["dcat:downloadURL"].as_str().unwrap();
        assert!(url.starts_with("http"), "{url}");
        let path = &url[url.find("/a/").unwrap()..];
        assert_eq!(c.get(path).await.status, 200, "{path}");
    }

    let list = json(&c.get("/api/3/action/package_list").await);
    assert_eq!(list["success"], true);
    let names: Vec<&str> = list["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    let fy = prongsai_thai::FiscalYear::of(app.cx.clock.today()).be();
    let stats = format!("nonhan-complaint-stats-{fy}");
    assert_eq!(
        names,
        [
            "nonhan-news",
            "nonhan-measures-2566",
            "nonhan-oit-2567",
            stats.as_str(),
            "nonhan-ita-results"
        ]
    );

    let show = c
        .get("/api/3/action/package_show?id=nonhan-measures-2566")
        .await;
    assert_eq!(show.status, 200, "{}", show.body);
    let p = &json(&show)["result"];
    assert_eq!(p["name"], "nonhan-measures-2566");
    assert_eq!(p["owner_org"], "nonhan");
    assert_eq!(p["data_classification"], "เปิดเผย");
    assert_eq!(p["accessible_condition"], "ไม่มี");
    let updated = p["last_updated_date"].as_str().unwrap();
    assert!(
        updated.len() == 10 && updated.as_bytes()[4] == b'-' && updated.starts_with("20"),
        "an ISO date in the Christian Era: {updated}"
    );
    let resources = p["resources"].as_array().unwrap();
    assert_eq!(
        resources
            .iter()
            .map(|r| r["format"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["CSV", "JSON"]
    );

    // Unknown, empty, huge or odd ids: CKAN's not-found answer, never a 500.
    let long = "x".repeat(5000);
    for id in [
        "nonhan-measures-2567",
        "nobody-measures-2566",
        "",
        long.as_str(),
        "nonhan-%27%20OR%201%3D1",
        "%F0%9F%98%80",
    ] {
        let r = c.get(&format!("/api/3/action/package_show?id={id}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{id}: {}", r.body);
        assert_eq!(json(&r)["success"], false);
    }
    let r = c.get("/api/3/action/package_show").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn complaint_statistics_download_with_small_counts_suppressed_and_no_case_content() {
    let app = TestApp::with_demo().await;
    let c = app.client();
    let fy = prongsai_thai::FiscalYear::of(app.cx.clock.today()).be();
    let csv = c
        .get(&format!("/a/nonhan/data/complaint-stats-{fy}.csv"))
        .await;
    assert_eq!(csv.status, 200, "{}", csv.describe());
    let text = String::from_utf8_lossy(&csv.bytes).into_owned();
    let first = text.lines().next().unwrap_or_default();
    assert!(first.contains(&app.th("data-col-whole-year")), "{first}");
    // The demo's cases: a total of five or more is shown, every smaller group is "<5".
    let a = app.demo().await;
    let n = app.cx.store.case_heads(a.id).await.unwrap().len();
    assert!(n >= 5, "the demo has {n} cases");
    let total = text
        .lines()
        .find(|l| l.contains(&app.th("case-stats-total")))
        .expect("a total row");
    assert!(total.ends_with(&format!(",{n}")), "{total}");
    assert!(text.contains("<5"));
    for secret in ["คาราโอเกะ", "ลงเวลาปฏิบัติงานแทนกัน", "ไฟส่องสว่าง"]
    {
        assert!(
            !text.contains(secret),
            "case content in open data: {secret}"
        );
    }
    let json = c
        .get(&format!("/a/nonhan/data/complaint-stats-{fy}.json"))
        .await;
    assert_eq!(json.status, 200);
    // A year without cases has no such dataset.
    assert_eq!(
        c.get("/a/nonhan/data/complaint-stats-2560.csv")
            .await
            .status,
        404
    );
    assert_eq!(
        c.get("/a/nonhan/data/complaint-stats-abc.csv").await.status,
        404
    );
}
