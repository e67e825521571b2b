//! Reference averages: the operator imports the NACC's national and provincial figures, and an
//! agency's results page sets its own scores beside them.

use axum::http::StatusCode;
use prongsai_domain::ita::Score;
use prongsai_domain::ita::averages::{Of, Scope};

use crate::support::*;

const PAGE: &str = "/platform/ita/averages";

fn csv(rows: &[&str]) -> Vec<u8> {
    let mut s = String::from("fiscal_year,scope,code,value\n");
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s.into_bytes()
}

#[tokio::test]
async fn the_operator_imports_averages_and_a_bad_file_changes_nothing() {
    let app = TestApp::with_demo().await;
    let op = app.signed_in(DEMO_OPERATOR, DEMO_PASSWORD).await;
    let admin = app.demo_admin().await;
    let th = |k: &str| app.th(k);

    let page = op.get(PAGE).await;
    assert_eq!(page.status, 200, "{}", page.describe());
    assert_eq!(page.texts(".muted"), [th("avg-none")]);
    // Only the operator.
    assert_eq!(admin.get(PAGE).await.status, StatusCode::FORBIDDEN);
    let r = admin
        .post_multipart(
            PAGE,
            &[],
            &[("file", "a.csv", &csv(&["2566,national,total,80"]))],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // A file with problems: every one listed by line and column, nothing stored.
    let before = app.cx.store.audit_heads().await.unwrap();
    let bad = csv(&[
        "2566,national,total,88.84",
        "2566,national,total,101",
        "2566,national,11,80",
        "2566,,1,80",
        "2599,national,total,80",
    ]);
    let r = op
        .post_multipart(PAGE, &[], &[("file", "a.csv", &bad)])
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        r.describe()
    );
    let tr = app.tr(prongsai_web::i18n::Lang::Th);
    let items = r.texts(".error-summary li");
    assert_eq!(items.len(), 4, "{items:?}");
    assert!(items[0].starts_with(&tr.arg2("csv-cell", "line", 3, "column", "value")));
    assert!(items[3].starts_with(&tr.arg2("csv-cell", "line", 6, "column", "fiscal_year")));
    assert!(app.cx.store.average_sets(None).await.unwrap().is_empty());
    assert_eq!(app.cx.store.audit_heads().await.unwrap(), before);
    for (name, bytes, msg) in [
        ("none", Vec::new(), th("err-required")),
        (
            "tis.csv",
            b"fiscal_year,scope,code,value\n2566,\xbe,total,80\n".to_vec(),
            th("err-not-utf8-csv"),
        ),
        (
            "h.csv",
            b"year,total\n2566,80\n".to_vec(),
            th("err-wrong-csv-header"),
        ),
    ] {
        let files: Vec<(&str, &str, &[u8])> = if bytes.is_empty() {
            vec![]
        } else {
            vec![("file", name, &bytes)]
        };
        let r = op.post_multipart(PAGE, &[], &files).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert!(
            r.texts(".error-summary li")[0].ends_with(&msg),
            "{name}: {:?}",
            r.texts(".error-summary li")
        );
    }

    // A good file: Thai digits and "จังหวัด" are read; each (year, scope) is one set.
    let good = csv(&[
        "2566,national,total,88.84",
        "2566,national,1,91.20",
        "2566,ทั้งประเทศ,10,๗๐.๕๐",
        "2566,จังหวัดขอนแก่น,total,86.10",
        "2566,ขอนแก่น,1,89.00",
        "2567,national,total,89.50",
        "2567,national,O2,72.50",
        "2567,ขอนแก่น,O2,65",
        "2567,อุดรธานี,total,90",
    ]);
    let r = op
        .post_multipart(PAGE, &[], &[("file", "a.csv", &good)])
        .await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    let sets = app.cx.store.average_sets(None).await.unwrap();
    let scopes: Vec<(i32, &Scope, usize)> = sets
        .iter()
        .map(|s| (s.fiscal_year.be(), &s.scope, s.values.len()))
        .collect();
    let kk = Scope::Province("ขอนแก่น".into());
    let ud = Scope::Province("อุดรธานี".into());
    assert_eq!(
        scopes,
        [
            (2567, &Scope::National, 2),
            (2567, &kk, 1),
            (2567, &ud, 1),
            (2566, &Scope::National, 3),
            (2566, &kk, 2),
        ]
    );
    assert_eq!(sets[3].values.get(&Of::Indicator(10)), Some(&Score(7050)));
    assert_eq!(op.get(PAGE).await.texts(".avg-sets tbody tr").len(), 5);

    // A file replaces the sets it names, whole, and leaves the others.
    let r = op
        .post_multipart(
            PAGE,
            &[],
            &[("file", "a.csv", &csv(&["2566,national,total,89"]))],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    let sets = app.cx.store.average_sets(None).await.unwrap();
    assert_eq!(sets.len(), 5);
    let national_2566 = sets
        .iter()
        .find(|s| s.fiscal_year.be() == 2566 && s.scope == Scope::National)
        .unwrap();
    assert_eq!(national_2566.values.len(), 1);
    assert_eq!(national_2566.values.get(&Of::Total), Some(&Score(8900)));
}

#[tokio::test]
async fn the_results_page_sets_the_agency_beside_the_national_and_its_provincial_averages() {
    let app = TestApp::with_demo().await;
    let op = app.signed_in(DEMO_OPERATOR, DEMO_PASSWORD).await;
    let admin = app.demo_admin().await;
    let results = "/a/nonhan/admin/ita/results";
    // Before any import: no average columns at all.
    let before = admin.get(results).await;
    assert!(before.texts(".avg-national").is_empty());
    assert!(before.texts(".latest-compare").is_empty());

    // The demo agency is in Khon Kaen: Udon Thani's figures are never shown to it.
    let file = csv(&[
        "2566,national,total,88.84",
        "2566,national,1,91.20",
        "2566,ขอนแก่น,total,86.10",
        "2566,ขอนแก่น,1,89.00",
        "2566,อุดรธานี,total,99.99",
        "2567,national,total,89.50",
        "2567,national,1,90.10",
        "2567,national,O2,72.50",
        "2567,ขอนแก่น,O2,65",
    ]);
    let r = op
        .post_multipart(PAGE, &[], &[("file", "a.csv", &file)])
        .await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    let page = admin.get(results).await;
    assert_eq!(page.status, 200, "{}", page.describe());
    assert!(!page.body.contains("99.99"), "another province's average");
    // The official results: FY2566 (84.10) beside 88.84 and 86.10; older years have none.
    assert_eq!(
        page.texts("table:not(.compare):not(.compare-items) .avg-national"),
        ["88.84", "–", "–"]
    );
    assert_eq!(
        page.texts("table:not(.compare):not(.compare-items) .avg-province"),
        ["86.10", "–", "–"]
    );
    // The newest official result's indicators beside the averages of its year.
    let latest = page.texts(".latest-compare .avg-national");
    assert_eq!(latest.len(), 10);
    assert_eq!(latest[0], "91.20");
    assert_eq!(page.texts(".latest-compare .avg-province")[0], "89.00");
    // The live FY2567: the indicator table and the failed item O2 beside the averages.
    let live = "#live-2567";
    assert_eq!(
        page.texts(&format!("{live} .compare .avg-national"))[0],
        "90.10"
    );
    assert_eq!(
        page.texts(&format!("{live} .avg-total")),
        [app.tr(prongsai_web::i18n::Lang::Th)
            .arg("ita-avg-national-total", "total", "89.50")]
    );
    let items = page.texts(&format!("{live} .compare-items tbody tr"));
    let o2 = items.iter().find(|t| t.starts_with("O2")).unwrap();
    assert!(o2.contains("72.50%") && o2.contains("65.00%"), "{o2}");
    // Every item of the year is compared, the ones failed this year first (O2 and O20).
    assert_eq!(items.len(), 43);
    assert!(
        items[0].starts_with("O2") && items[1].starts_with("O20"),
        "{:?}",
        &items[..2]
    );
    // The weakest indicators, lowest first: FY2566's official 76.00, 80.00, 82.75.
    let weakest = page.texts("#h-trend ~ .weakest .nowrap");
    assert_eq!(weakest.len(), 3, "{weakest:?}");
    assert!(weakest[0].ends_with("76.00") && weakest[1].ends_with("80.00"));
    assert!(weakest[2].ends_with("82.75"));
    assert_eq!(page.texts(&format!("{live} .weakest .nowrap")).len(), 3);
}
