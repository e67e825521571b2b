//! The ITA module as its users meet it: official results of past years entered from a CSV file.

use axum::http::StatusCode;
use prongsai_domain::ita::Score;

use crate::support::*;

const URL: &str = "/a/nonhan/admin/ita/results";
const IMPORT: &str = "/a/nonhan/admin/ita/results/import";

#[tokio::test]
async fn official_results_are_imported_from_csv_whole_or_not_at_all() {
    let app = TestApp::with_demo().await;
    let a = app.nonhan().await;
    let admin = app.demo_admin().await;
    let page = admin.get(URL).await;
    assert!(page.has(&format!(
        "form[action=\"{IMPORT}\"] input[type=file][name=file]"
    )));

    // A file with problems in three rows: each named by line and column; nothing is saved.
    let before = snapshot_agency(app.store_db(), a.id).await;
    let bad = "fiscal_year,total,grade,i1,i2,i3,i4,i5,i6,i7,i8,i9,i10,source\n\
               2563,79.10,B,,,,,,,,,,,ITAS\n\
               2562,๑๐๑,B,,,,,,,,,,,ITAS\n\
               2561,70.00,Z,,,,,,,,,,,ITAS\n\
               2560,70.00\n";
    let r = admin
        .post_multipart(IMPORT, &[], &[("file", "results.csv", bad.as_bytes())])
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        r.describe()
    );
    let errors = r.texts(".error-summary li");
    let th = |k: &str| app.th(k);
    let tr = app.tr(prongsai_web::i18n::Lang::Th);
    for (place, message) in [
        (
            tr.arg2("csv-cell", "line", 3, "column", "total"),
            tr.error(&prongsai_domain::ErrorCode::InvalidNumber),
        ),
        (
            tr.arg2("csv-cell", "line", 4, "column", "grade"),
            tr.error(&prongsai_domain::ErrorCode::InvalidChoice),
        ),
        (tr.arg("csv-line", "line", 5), th("err-wrong-csv-row")),
    ] {
        assert!(
            errors
                .iter()
                .any(|e| e.contains(&place) && e.contains(&message)),
            "{place}: {message} in {errors:?}"
        );
    }
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert_unchanged(
        &before,
        &snapshot_agency(app.store_db(), a.id).await,
        "a refused file",
    );

    // A file saved as plain "CSV" by Excel on a Thai Windows (TIS-620) is refused with advice.
    let r = admin
        .post_multipart(
            IMPORT,
            &[],
            &[(
                "file",
                "results.csv",
                b"fiscal_year,total,grade\n2565,80,\xbb\xd5\n",
            )],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.texts(".error-summary li")
            .concat()
            .contains(&th("err-not-utf8-csv"))
    );

    // A good file, with Excel's byte-order mark: every year saved, an existing year replaced.
    let good = "\u{feff}fiscal_year,total,grade,i1,i2,i3,i4,i5,i6,i7,i8,i9,i10,source\n\
                2565,80.70,B,91.35,78.60,82.10,76.45,80.90,92.75,89.40,87.15,68.00,75.00,ITAS (แก้ไข)\n\
                2563,79.10,B,,,,,,,,,,,ITAS\n";
    let r = admin
        .post_multipart(IMPORT, &[], &[("file", "results.csv", good.as_bytes())])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    let results = app.cx.store.official_results(a.id).await.unwrap();
    let y2565 = results.iter().find(|r| r.fiscal_year.be() == 2565).unwrap();
    assert_eq!(y2565.total, Score(8070));
    assert_eq!(y2565.source, "ITAS (แก้ไข)");
    assert_eq!(y2565.indicators[9], Some(Score(7500)));
    assert!(results.iter().any(|r| r.fiscal_year.be() == 2563));
    let listed = admin
        .get(URL)
        .await
        .texts("table.cards tbody td:first-child");
    assert!(listed.contains(&"2563".to_owned()), "{listed:?}");

    // A division officer may not import.
    let officer = app.signed_in(DEMO_OFFICER, DEMO_PASSWORD).await;
    let before = snapshot_agency(app.store_db(), a.id).await;
    let r = officer
        .post_multipart(IMPORT, &[], &[("file", "results.csv", good.as_bytes())])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.describe());
    assert_unchanged(
        &before,
        &snapshot_agency(app.store_db(), a.id).await,
        "an officer's import",
    );
}

#[tokio::test]
async fn the_framework_of_a_year_shows_every_oit_item_and_marks_what_is_assumed() {
    let app = TestApp::with_demo().await;
    // Read only, and open to every member: the assessor too.
    let assessor = app.signed_in(DEMO_ASSESSOR, DEMO_PASSWORD).await;
    let page = assessor.get("/a/nonhan/admin/ita/framework/2566").await;
    assert_eq!(page.status, 200, "{}", page.describe());
    let items = page.attrs(".oit-items > li", "id");
    assert_eq!(items.len(), 43);
    assert_eq!(items.first().map(String::as_str), Some("O1"));
    assert_eq!(items.last().map(String::as_str), Some("O43"));
    let o2 = page.texts("#O2").concat();
    assert!(
        o2.contains("ชื่อ-นามสกุล, ตำแหน่ง, รูปถ่าย"),
        "O2's requirements: {o2}"
    );
    // The indicator points inside IIT are an assumption, and say so; OIT's 20/20 is derived.
    let rows = page.texts("section[aria-labelledby=h-points] tbody tr");
    let assumed = app.th("ita-assumed");
    assert!(rows[0].contains(&assumed), "{}", rows[0]);
    assert!(!rows[8].contains(&assumed), "{}", rows[8]);
    assert!(!page.texts("#h-assumptions + p + ul li").is_empty());
    assert!(
        page.attrs("nav a", "href")
            .contains(&"/a/nonhan/admin/ita/framework/2567".to_owned())
    );
    let r = assessor.get("/a/nonhan/admin/ita/framework/2599").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app.client().get("/a/nonhan/admin/ita/framework/2566").await;
    assert_ne!(r.status, StatusCode::OK, "members only");
}

#[tokio::test]
async fn the_what_if_simulator_totals_a_scenario_and_shows_what_each_item_would_add() {
    let app = TestApp::with_demo().await;
    let admin = app.demo_admin().await;
    // By default the survey scores are the last published ones (the demo's FY2566).
    let page = admin.get("/a/nonhan/admin/ita/simulate").await;
    assert_eq!(page.status, 200, "{}", page.describe());
    assert_eq!(page.attrs("#f-i1", "value"), ["93.10"]);
    assert_eq!(page.attrs("#f-i8", "value"), ["88.40"]);

    // Every OIT item passes but O19 and O21 (both in 9.3, four items).
    let survey = "i1=91.35&i2=78.60&i3=82.10&i4=76.45&i5=80.90&i6=92.75&i7=89.40&i8=87.15";
    let all: Vec<String> = (1..=43).map(|n| format!("O{n}")).collect();
    let items = |skip: &[&str]| {
        all.iter()
            .filter(|c| !skip.contains(&c.as_str()))
            .map(|c| format!("oit={c}"))
            .collect::<Vec<_>>()
            .join("&")
    };
    let url = |skip: &[&str]| {
        format!(
            "/a/nonhan/admin/ita/simulate?go=1&fy=2566&{survey}&{}",
            items(skip)
        )
    };
    let without = admin.get(&url(&["O19", "O21"])).await;
    assert_eq!(without.status, 200, "{}", without.describe());
    // IIT 24.564 + EIT 26.93 + OIT 20 × (mean(100, 100, 50, 100, 100) + 100) / 100 = 89.494.
    let outcome = without.texts("#outcome .big").concat();
    assert!(outcome.contains("89.49"), "{outcome}");
    assert!(outcome.contains('A'), "grade A: {outcome}");
    // Passing O19 would lift 9.3 to 75: indicator 9 by 5, the total by 1.00.
    let label = without.texts("label[for=f-O19]").concat();
    assert!(label.contains("(+1.00)"), "{label}");
    assert!(without.attrs("#f-O20", "checked").len() == 1);
    let with = admin.get(&url(&[])).await;
    assert!(with.texts("#outcome .big").concat().contains("91.49"));
    assert!(with.texts("#outcome h3").is_empty(), "nothing left to gain");

    // A score that is not one: marked on its field, and the total says it is incomplete.
    let bad = admin
        .get(&url(&["O19"]).replace("i3=82.10", "i3=abc"))
        .await;
    assert_eq!(bad.attrs("#f-i3", "aria-invalid"), ["true"]);
    assert!(
        bad.texts("#outcome")
            .concat()
            .contains(&app.th("ita-simulate-partial-why")),
        "{}",
        bad.texts("#outcome").concat()
    );
}

#[tokio::test]
async fn a_published_result_drafts_the_next_years_measures_from_its_weak_indicators() {
    let app = TestApp::with_demo().await;
    let admin = app.demo_admin().await;
    // FY2565's result leads to FY2566's plan, which the demo has: a link to it.
    let page = admin.get(URL).await;
    assert!(
        page.attrs("table.cards a", "href")
            .contains(&"/a/nonhan/admin/measures/2566".to_owned())
    );
    // A result of FY2567 (entered now) leads to FY2568, which has no plan yet: one button
    // drafts it from the indicators below 85.
    let r = admin
        .submit(
            URL,
            URL,
            &[
                ("fiscal_year", "2567"),
                ("total", "86.10"),
                ("grade", "A"),
                ("i1", "90"),
                ("i2", "84.99"),
                ("i9", "70"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    let page = admin.get(URL).await;
    let form = "form#draft-2568";
    assert_eq!(
        page.attrs(&format!("{form} input[name=indicators]"), "value"),
        ["2", "9"]
    );
    let fields: Vec<(String, String)> = ["year", "how", "csrf"]
        .iter()
        .map(|n| {
            (
                (*n).to_owned(),
                page.attrs(&format!("{form} input[name={n}]"), "value")
                    .pop()
                    .unwrap(),
            )
        })
        .chain([
            ("indicators".into(), "2".into()),
            ("indicators".into(), "9".into()),
        ])
        .collect();
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .filter(|(k, _)| *k != "csrf")
        .collect();
    let r = admin.submit(URL, "/a/nonhan/admin/measures", &pairs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    let a = app.nonhan().await;
    let v = prongsai_domain::measures::service::plan_view(
        &app.cx,
        a.id,
        prongsai_thai::FiscalYear::new(2568).unwrap(),
    )
    .await
    .unwrap();
    let standard = prongsai_domain::measures::library::measures_for(&[2, 9]);
    assert_eq!(v.measures.len(), standard.len());
    assert!(!v.measures.is_empty());
    // And the result now links to the new draft.
    let page = admin.get(URL).await;
    assert!(
        page.attrs("table.cards a", "href")
            .contains(&"/a/nonhan/admin/measures/2568".to_owned())
    );
}

#[tokio::test]
async fn the_results_page_charts_the_total_year_by_year_and_the_newest_indicators() {
    let app = TestApp::with_demo().await;
    let page = app.demo_admin().await.get(URL).await;
    let trend = "section[aria-labelledby=h-trend] .ita-chart";
    // The demo's FY2564–FY2566 totals, oldest first, as long as their scores.
    let labels = page.texts(&format!("{trend} .chart-label"));
    assert_eq!(labels[..3], ["2564", "2565", "2566"]);
    let widths = page.attrs(&format!("{trend} rect"), "width");
    assert_eq!(widths[..3], ["7241", "8062", "8410"]);
    assert_eq!(
        widths.len(),
        3 + 10,
        "three years, then the ten indicators of FY2566"
    );
    assert_eq!(
        page.attrs(&format!("{trend} line.mark"), "x1")
            .first()
            .map(String::as_str),
        Some("8500")
    );
}

#[tokio::test]
async fn results_download_as_csv_that_imports_back_unchanged_and_as_xlsx() {
    let app = TestApp::with_demo().await;
    let a = app.nonhan().await;
    let admin = app.demo_admin().await;
    let csv = admin.get("/a/nonhan/admin/ita/results.csv").await;
    assert_eq!(csv.status, 200, "{}", csv.describe());
    assert!(
        csv.header("content-disposition")
            .is_some_and(|d| d.contains(".csv")),
        "a download with its name"
    );
    assert!(
        csv.bytes
            .starts_with(b"\xef\xbb\xbffiscal_year,total,grade,i1,")
    );
    let before = app.cx.store.official_results(a.id).await.unwrap();
    let r = admin
        .post_multipart(IMPORT, &[], &[("file", "results.csv", &csv.bytes)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    assert_eq!(app.cx.store.official_results(a.id).await.unwrap(), before);

    let xlsx = admin.get("/a/nonhan/admin/ita/results.xlsx").await;
    assert_eq!(xlsx.status, 200);
    assert_eq!(
        prongsai_domain::platform::FileKind::sniff(&xlsx.bytes),
        Some(prongsai_domain::platform::FileKind::Xlsx)
    );
    // Members only.
    let r = app.client().get("/a/nonhan/admin/ita/results.csv").await;
    assert_ne!(r.status, StatusCode::OK);
}
