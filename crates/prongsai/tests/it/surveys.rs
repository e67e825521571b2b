//! The ITA surveys as their users meet them: the coordinator sets up the IIT, prints codes, staff
//! answer on their phones, the public answers the EIT; and what the database keeps afterwards.

use axum::http::StatusCode;
use prongsai_domain::ids::AgencyId;
use prongsai_domain::ita::framework::{InstrumentCode, built_in};
use prongsai_domain::ita::survey::{field_name, questions};
use prongsai_store::Backend;
use time::{Date, Duration, OffsetDateTime};

use crate::support::*;

/// Today in Thailand on the test clock.
pub fn today(app: &TestApp) -> Date {
    prongsai_thai::local_date(OffsetDateTime::from_unix_timestamp(app.now()).unwrap())
}

/// The fiscal year of the test clock's today (the demo opens this year's surveys).
pub fn this_fiscal_year(app: &TestApp) -> i32 {
    prongsai_thai::FiscalYear::of(today(app)).be()
}

/// An unused code of the demo's IIT of `year`.
pub async fn unused_code(app: &TestApp, agency: AgencyId, year: i32) -> String {
    let s = app
        .cx
        .store
        .surveys(agency, year)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.instrument == InstrumentCode::IIT)
        .expect("the demo has an IIT this year");
    app.cx
        .store
        .unused_codes(agency, s.id)
        .await
        .unwrap()
        .pop()
        .expect("the demo leaves codes unused")
}

/// Every answer field of an instrument set to `level` (the yes/no question gets 2, "ไม่มี").
pub fn full_answers(instrument: InstrumentCode, level: &str) -> Vec<(String, String)> {
    let fw = built_in(2567).unwrap().unwrap();
    questions(&fw, instrument)
        .into_iter()
        .flat_map(|q| {
            let two = fw.scales[&q.scale].labels.len() == 2;
            (0..usize::from(q.fields)).map(move |k| {
                (
                    field_name(q, k),
                    if two {
                        "2".to_owned()
                    } else {
                        level.to_owned()
                    },
                )
            })
        })
        .collect()
}

/// Sets up next year's IIT, open from yesterday for a week, with `codes` codes; returns the
/// year and the codes.
async fn fresh_iit(app: &TestApp, admin: &Client, codes: usize) -> (i32, Vec<String>) {
    let year = this_fiscal_year(app) + 1;
    let t = today(app);
    let r = admin
        .post(
            &format!("/a/nonhan/admin/ita/surveys/{year}/iit"),
            &[
                ("population", "40"),
                ("opens_on", &(t - Duration::days(1)).to_string()),
                ("closes_on", &(t + Duration::days(7)).to_string()),
            ],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    let r = admin
        .post(
            &format!("/a/nonhan/admin/ita/surveys/{year}/iit/codes"),
            &[("count", &codes.to_string())],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    let a = app.nonhan().await.id;
    let s = app.cx.store.surveys(a, year).await.unwrap();
    let codes = app.cx.store.unused_codes(a, s[0].id).await.unwrap();
    (year, codes)
}

fn borrowed(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    routes::borrow(fields)
}

async fn audit_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(app.store_db().pool())
        .await
        .unwrap()
}

async fn response_count(app: &TestApp, year: i32, instrument: InstrumentCode) -> usize {
    let a = app.nonhan().await.id;
    let s = app
        .cx
        .store
        .surveys(a, year)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.instrument == instrument)
        .unwrap();
    app.cx.store.responses(a, s.id).await.unwrap().len()
}

#[tokio::test]
async fn the_coordinator_sets_up_the_iit_and_prints_codes_refusing_bad_settings_whole() {
    let app = TestApp::with_demo().await;
    let a = app.nonhan().await.id;
    let admin = app.demo_admin().await;
    let this = this_fiscal_year(&app);

    // The menu entry lands on this fiscal year, where the demo's surveys are open.
    let r = admin.get("/a/nonhan/admin/ita/surveys").await;
    assert_eq!(
        r.location().as_deref(),
        Some(format!("/a/nonhan/admin/ita/surveys/{this}").as_str())
    );
    let page = admin
        .get(&format!("/a/nonhan/admin/ita/surveys/{this}"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.describe());
    assert!(page.has("#iit progress") && page.has("#eit progress"));
    assert!(page.has("#eit .qr svg"), "the EIT's public QR code");
    assert!(
        page.texts("#eit a")
            .iter()
            .any(|t| t.ends_with("/a/nonhan/eit")),
        "the EIT's public link"
    );

    // Bad settings: every problem named, what was typed kept, nothing stored.
    let next = this + 1;
    let before = snapshot_agency(app.store_db(), a).await;
    let r = admin
        .post(
            &format!("/a/nonhan/admin/ita/surveys/{next}/iit"),
            &[
                ("population", "สี่สิบ"),
                ("opens_on", "2026-06-30"),
                ("closes_on", "2026-06-01"),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        r.describe()
    );
    assert!(r.has("#iit #e-population") && r.has("#iit #e-closes_on"));
    assert_eq!(r.attrs("#iit input[name=population]", "value"), ["สี่สิบ"]);
    assert_eq!(
        r.attrs("#iit input[name=opens_on]", "value"),
        ["2026-06-30"]
    );
    assert_unchanged(
        &before,
        &snapshot_agency(app.store_db(), a).await,
        "bad survey settings",
    );

    // Good settings: the minimum sample comes from the framework (10 %, at least 30).
    let (year, codes) = fresh_iit(&app, &admin, 5).await;
    assert_eq!(codes.len(), 5);
    let page = admin
        .get(&format!("/a/nonhan/admin/ita/surveys/{year}"))
        .await;
    let stat = page.texts("#iit .stat").join(" ");
    assert!(
        stat.contains("30"),
        "minimum sample 30 for 40 staff: {stat}"
    );

    // A count of codes that is not 1–2,000 is refused and makes none.
    for bad in ["0", "2001", "ห้า", ""] {
        let r = admin
            .post(
                &format!("/a/nonhan/admin/ita/surveys/{year}/iit/codes"),
                &[("count", bad)],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "count {bad:?}");
        assert!(
            r.has("#iit #e-count"),
            "count {bad:?}: the message is by the field"
        );
    }
    let s = app.cx.store.surveys(a, year).await.unwrap();
    assert_eq!(
        app.cx.store.unused_codes(a, s[0].id).await.unwrap().len(),
        5
    );

    // The slips: one per code, with its link, in a real PDF.
    let pdf = admin
        .get(&format!("/a/nonhan/admin/ita/surveys/{year}/iit/slips.pdf"))
        .await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.describe());
    assert_eq!(
        pdf.header("content-type").as_deref(),
        Some("application/pdf")
    );
    let text = crate::measures::reading::pdf_text(&pdf.bytes, false);
    let flat: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    for c in &codes {
        assert!(flat.contains(c.as_str()), "slip of {c}");
        assert!(flat.contains(&format!("/s/{c}")), "link of {c}");
    }
    assert!(flat.contains("เทศบาลตำบลโนนหัน"));
    // And as links.
    let links = admin
        .get(&format!("/a/nonhan/admin/ita/surveys/{year}/iit/links"))
        .await;
    let hrefs = links.attrs("ol.links a", "href");
    assert_eq!(hrefs.len(), 5);
    assert!(
        codes
            .iter()
            .all(|c| hrefs.iter().any(|h| h.ends_with(&format!("/s/{c}"))))
    );

    // Staff who are not coordinators see the page but cannot change it.
    let finance = app.signed_in(DEMO_OFFICER, DEMO_PASSWORD).await;
    let page = finance
        .get(&format!("/a/nonhan/admin/ita/surveys/{year}"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.has("form[action$='/codes']"));
    let r = finance
        .post(
            &format!("/a/nonhan/admin/ita/surveys/{year}/iit/codes"),
            &[("count", "5")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = finance
        .get(&format!("/a/nonhan/admin/ita/surveys/{year}/iit/slips.pdf"))
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "codes are the coordinator's"
    );
}

#[tokio::test]
async fn a_code_answers_once_and_a_partly_filled_form_keeps_what_was_chosen() {
    let app = TestApp::with_demo().await;
    let admin = app.demo_admin().await;
    let (year, codes) = fresh_iit(&app, &admin, 2).await;
    let code = &codes[0];
    let phone = app.client();

    let form = phone.get(&format!("/s/{code}")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.describe());
    assert!(form.has("input[type=radio][name='I1.1'][value='4']"));
    assert!(form.has("input[type=radio][name='I4.3'][value='2']"));
    assert!(
        form.has("select[name=division]"),
        "staff may say their division"
    );
    assert_eq!(form.header("cache-control").as_deref(), Some("no-store"));

    // Half the form: refused, choices kept, the missing ones named, nothing stored, code kept.
    let all = full_answers(InstrumentCode::IIT, "3");
    let half: Vec<(String, String)> = all
        .iter()
        .filter(|(name, _)| !name.starts_with("I3") && name != "I25")
        .cloned()
        .collect();
    let r = phone.post(&format!("/s/{code}"), &borrowed(&half)).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        r.describe()
    );
    assert!(
        r.has("input[name='I1.1'][value='3'][checked]"),
        "a choice is kept"
    );
    assert!(r.has("#missing a[href='#q-I25']"));
    assert!(r.has("#q-I3\\.1.invalid") || r.has("fieldset[id='q-I3.1'].invalid"));
    assert!(!r.has("input[name='I25'][checked]"));
    assert_eq!(response_count(&app, year, InstrumentCode::IIT).await, 0);

    // The whole form: taken; the code is gone.
    let r = phone.post(&format!("/s/{code}"), &borrowed(&all)).await;
    assert_eq!(
        r.location().as_deref(),
        Some("/a/nonhan/survey/thanks"),
        "{}",
        r.describe()
    );
    assert_eq!(
        phone.get("/a/nonhan/survey/thanks").await.status,
        StatusCode::OK
    );
    assert_eq!(response_count(&app, year, InstrumentCode::IIT).await, 1);

    // The same code again, on the same phone or another: a clear page, no second answer.
    for who in [&phone, &app.client()] {
        let r = who.get(&format!("/s/{code}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(r.body.contains(&app.th("survey-code-gone-heading")));
        assert!(
            r.has("form[action='/s'] input[name=code]"),
            "a box to type another code"
        );
    }
    let r = app
        .client()
        .post(&format!("/s/{code}"), &borrowed(&all))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(response_count(&app, year, InstrumentCode::IIT).await, 1);

    // A code typed in lower case without dashes still opens the survey; a malformed one is
    // named as such; an unknown one is "not usable".
    let typed = codes[1].to_lowercase().replace('-', "");
    let r = phone.get(&format!("/s?code={typed}")).await;
    assert_eq!(
        r.location().as_deref(),
        Some(format!("/s/{}", codes[1]).as_str())
    );
    let r = phone.get("/s?code=12%3Cscript%3E").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(&app.th("survey-code-malformed")));
    assert!(!r.body.contains("<script>"));
    let r = phone.get("/s/ZZZZ-ZZZZ-ZZZZ").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_survey_outside_its_window_says_so_and_takes_nothing() {
    let app = TestApp::with_demo().await;
    let admin = app.demo_admin().await;
    let (year, codes) = fresh_iit(&app, &admin, 1).await;
    let all = full_answers(InstrumentCode::IIT, "4");
    app.advance(10 * 86_400);
    let r = app.client().get(&format!("/s/{}", codes[0])).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.body.contains(&app.th("survey-closed-heading")),
        "{}",
        r.describe()
    );
    let r = app
        .client()
        .post(&format!("/s/{}", codes[0]), &borrowed(&all))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(response_count(&app, year, InstrumentCode::IIT).await, 0);
    // The code was not used up by the refusal.
    let a = app.nonhan().await.id;
    let s = app.cx.store.surveys(a, year).await.unwrap();
    assert_eq!(app.cx.store.unused_codes(a, s[0].id).await.unwrap(), codes);
}

#[tokio::test]
async fn answers_cannot_be_linked_to_their_codes_by_columns_ids_order_or_bytes() {
    let app = TestApp::with_demo().await;
    let a = app.nonhan().await.id;
    let admin = app.demo_admin().await;
    let (year, codes) = fresh_iit(&app, &admin, 13).await;
    let (used, spare) = codes.split_at(12);
    let audit_before = audit_count(&app).await;

    // The k-th code answers with a pattern that says k: the first fields spell k in base 4.
    let all = full_answers(InstrumentCode::IIT, "1");
    for (k, code) in used.iter().enumerate() {
        let mut answers = all.clone();
        for (digit, field) in answers.iter_mut().skip(1).take(3).enumerate() {
            field.1 = ((k / 4usize.pow(u32::try_from(digit).unwrap())) % 4 + 1).to_string();
        }
        let r = app
            .client()
            .post(&format!("/s/{code}"), &borrowed(&answers))
            .await;
        assert!(r.status.is_redirection(), "{}", r.describe());
        // Time passes between answers, as it does: time-ordered ids would show the order.
        app.advance(1);
    }
    let order_of = |levels: &str| -> usize {
        let b = levels.as_bytes();
        (0..3)
            .map(|d| usize::from(b[1 + d] - b'1') * 4usize.pow(u32::try_from(d).unwrap()))
            .sum()
    };

    let db = app.store_db();
    let s = app.cx.store.surveys(a, year).await.unwrap().remove(0);
    // 1. The response holds the answers, the division and the date: no code, account,
    //    address, agent or time column.
    let cols = snapshot::columns(db, "ita_responses").await;
    assert_eq!(
        cols,
        [
            "agency_id",
            "survey_id",
            "id",
            "answered_on",
            "division_id",
            "levels"
        ],
        "a new column in ita_responses must be justified here"
    );
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, answered_on, levels FROM ita_responses WHERE survey_id = $1")
            .bind(s.id)
            .fetch_all(db.pool())
            .await
            .unwrap();
    assert_eq!(rows.len(), 12);
    for (_, on, _) in &rows {
        assert_eq!(on, &today(&app).to_string(), "the date only");
    }
    // 2. Neither the ids nor the order the database returns rows in follow the order of
    //    answering (12! orders: chance of a false alarm about 2e-9). PostgreSQL returns a heap
    //    in insertion order, which is why the code must be gone: see 3.
    let mut by_id = rows.clone();
    by_id.sort_by_key(|r| r.0);
    let id_order: Vec<usize> = by_id.iter().map(|r| order_of(&r.2)).collect();
    assert_ne!(
        id_order,
        (0..12).collect::<Vec<_>>(),
        "ids follow the answering order"
    );
    if app.db.backend() == Backend::Sqlite {
        let natural: Vec<usize> = rows.iter().map(|r| order_of(&r.2)).collect();
        assert_ne!(
            natural,
            (0..12).collect::<Vec<_>>(),
            "rows are stored in answering order"
        );
    }
    // 3. The used codes are nowhere: not in any table, and not in the database file's bytes
    //    (SQLite deletes securely). The unused one is, so the search does find codes.
    let everything = format!("{:?}", snapshot_all(db).await);
    for c in used {
        assert!(
            !everything.contains(c.as_str()),
            "used code {c} is still stored"
        );
    }
    assert!(everything.contains(spare[0].as_str()));
    if let Some(path) = app.db.sqlite_path() {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(db.pool())
            .await
            .unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        if let Ok(wal) = std::fs::read(format!("{}-wal", path.display())) {
            bytes.extend(wal);
        }
        let hay = String::from_utf8_lossy(&bytes);
        for c in used {
            assert!(
                !hay.contains(c.as_str()),
                "used code {c} survives in the file"
            );
        }
        assert!(hay.contains(spare[0].as_str()));
    }
    // 4. Answering wrote no audit entry, whose time would sit beside the answer.
    assert_eq!(audit_count(&app).await, audit_before);
}

#[tokio::test]
async fn the_public_answers_the_eit_at_its_link_within_a_per_client_limit() {
    let app = TestApp::with_demo().await;
    let this = this_fiscal_year(&app);
    let before = response_count(&app, this, InstrumentCode::EIT).await;
    let citizen = app.client().at_addr("203.0.113.7:5555");
    let page = citizen.get("/a/nonhan/eit").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.describe());
    assert!(page.has("input[type=radio][name=E15]"));
    assert!(
        !page.has("select[name=division]"),
        "the public has no division"
    );
    let all = full_answers(InstrumentCode::EIT, "4");
    let r = citizen.post("/a/nonhan/eit", &borrowed(&all)).await;
    assert_eq!(r.location().as_deref(), Some("/a/nonhan/survey/thanks"));
    assert_eq!(
        response_count(&app, this, InstrumentCode::EIT).await,
        before + 1
    );

    // Missing answers: refused with the form kept; not counted against the limit.
    let r = citizen.post("/a/nonhan/eit", &borrowed(&all[..5])).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.has("input[name=E1][value='4'][checked]"));

    // One address may answer 30 times an hour; the 31st waits. Another address is not held up.
    for _ in 1..30 {
        let r = citizen.post("/a/nonhan/eit", &borrowed(&all)).await;
        assert!(r.status.is_redirection(), "{}", r.describe());
    }
    let r = citizen.post("/a/nonhan/eit", &borrowed(&all)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        response_count(&app, this, InstrumentCode::EIT).await,
        before + 30
    );
    let other = app.client().at_addr("198.51.100.9:4444");
    let r = other.post("/a/nonhan/eit", &borrowed(&all)).await;
    assert!(r.status.is_redirection(), "{}", r.describe());

    // With codes required, the link asks for a code, and a bare answer is refused.
    let admin = app.demo_admin().await;
    let t = today(&app);
    let r = admin
        .post(
            &format!("/a/nonhan/admin/ita/surveys/{this}/eit"),
            &[
                ("population", "2400"),
                ("opens_on", &(t - Duration::days(10)).to_string()),
                ("closes_on", &(t + Duration::days(50)).to_string()),
                ("codes_required", "on"),
            ],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    let page = app.client().get("/a/nonhan/eit").await;
    assert!(page.has("form[action='/s'] input[name=code]"));
    let n = response_count(&app, this, InstrumentCode::EIT).await;
    let r = app
        .client()
        .at_addr("192.0.2.1:1")
        .post("/a/nonhan/eit", &borrowed(&all))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(response_count(&app, this, InstrumentCode::EIT).await, n);
}

#[tokio::test]
async fn answers_by_division_are_shown_only_for_groups_of_five_or_more() {
    let app = TestApp::with_demo().await;
    let a = app.nonhan().await.id;
    let admin = app.demo_admin().await;
    let (year, codes) = fresh_iit(&app, &admin, 7).await;
    let divisions = app.cx.store.list_divisions(a).await.unwrap();
    let (big, small) = (&divisions[0], &divisions[1]);
    let all = full_answers(InstrumentCode::IIT, "3");
    for (k, code) in codes.iter().enumerate() {
        let d = if k < 5 { big.id } else { small.id }.to_string();
        let mut answers = all.clone();
        answers.push(("division".into(), d));
        let r = app
            .client()
            .post(&format!("/s/{code}"), &borrowed(&answers))
            .await;
        assert!(r.status.is_redirection(), "{}", r.describe());
    }
    let page = admin
        .get(&format!("/a/nonhan/admin/ita/surveys/{year}"))
        .await;
    let groups = page.texts("#iit .plain-list li").join("\n");
    assert!(
        groups.contains(&format!("{}: 5", big.fields.name)),
        "{groups}"
    );
    assert!(
        !groups.contains(&small.fields.name),
        "a group of two is not shown: {groups}"
    );
    assert!(
        groups.contains('2'),
        "the two are counted together: {groups}"
    );
    // The scores from the answers: level 3 everywhere.
    assert!(
        page.has("#iit h3 + p.hint"),
        "scores are labelled as computed with assumptions"
    );
}

#[tokio::test]
async fn the_overview_shows_each_agency_live_or_official_to_the_operator_and_assessors_only() {
    let app = TestApp::with_demo().await;
    let a = app.nonhan().await.id;
    // FY2565: the demo's imported official result (80.62, B).
    let op = app.signed_in(DEMO_OPERATOR, DEMO_PASSWORD).await;
    let page = op.get("/platform/ita/2565").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.describe());
    let row = page
        .texts("section[aria-labelledby=h-list] tbody tr")
        .join(" ");
    assert!(row.contains("80.62") && row.contains('B'), "{row}");
    assert!(row.contains(&app.th("overview-source-official")), "{row}");

    // FY2567: answers for both surveys, but only some OIT items reviewed: incomplete, no grade.
    let page = op.get("/platform/ita/2567").await;
    let row = page
        .texts("section[aria-labelledby=h-list] tbody tr")
        .join(" ");
    assert!(row.contains(&app.th("overview-source-partial")), "{row}");
    // Every item reviewed: the agency is scored live, graded, and counted in its province.
    let fw = built_in(2567).unwrap().unwrap();
    for item in &fw.oit_items {
        for sql in [
            "DELETE FROM oit_evidence WHERE agency_id = $1 AND fiscal_year = 2567 AND code = $2",
            "DELETE FROM oit_items WHERE agency_id = $1 AND fiscal_year = 2567 AND code = $2",
            "INSERT INTO oit_items (agency_id, fiscal_year, code, status, verdict, updated_at) VALUES ($1, 2567, $2, 'passed', 1, 0)",
        ] {
            sqlx::query(sql)
                .bind(a.get())
                .bind(&item.code)
                .execute(app.store_db().pool())
                .await
                .unwrap();
        }
    }
    let page = op.get("/platform/ita/2567").await;
    let row = page
        .texts("section[aria-labelledby=h-list] tbody tr")
        .join(" ");
    assert!(row.contains(&app.th("overview-source-live")), "{row}");
    let scored = prongsai_domain::ita::national::score_year(
        &app.cx,
        &fw,
        prongsai_thai::FiscalYear::new(2567).unwrap(),
    )
    .await
    .unwrap();
    let ours = scored.iter().find(|s| s.agency_id == a).unwrap();
    assert!(!ours.report.partial);
    assert!(row.contains(&ours.report.total), "{row}");
    let groups = page
        .texts("section[aria-labelledby=h-groups] tbody tr")
        .join(" ");
    assert!(groups.contains("ขอนแก่น"), "{groups}");

    // The demo assessor sees the agencies they assess; an agency admin and the public do not.
    let assessor = app.signed_in(DEMO_ASSESSOR, DEMO_PASSWORD).await;
    assert_eq!(
        assessor.get("/platform/ita/2567").await.status,
        StatusCode::OK
    );
    let admin = app.demo_admin().await;
    assert_eq!(
        admin.get("/platform/ita/2567").await.status,
        StatusCode::FORBIDDEN
    );
    let r = app.client().get("/platform/ita/2567").await;
    assert!(r.status.is_redirection(), "{}", r.describe());
}

#[tokio::test]
async fn scoring_a_whole_year_from_the_database_matches_scoring_each_answer() {
    use prongsai_domain::ita::score::{ScoreInput, SurveyInput, score};
    use prongsai_domain::ita::survey::engine_responses;
    let app = TestApp::with_demo().await;
    let a = app.nonhan().await.id;
    let fw = built_in(2567).unwrap().unwrap();
    let national = prongsai_domain::ita::national::score_year(
        &app.cx,
        &fw,
        prongsai_thai::FiscalYear::new(2567).unwrap(),
    )
    .await
    .unwrap();
    let ours = &national.iter().find(|s| s.agency_id == a).unwrap().report;
    let surveys = app.cx.store.surveys(a, 2567).await.unwrap();
    let mut input = ScoreInput::default();
    for s in &surveys {
        let responses = app.cx.store.responses(a, s.id).await.unwrap();
        let one = Some(SurveyInput {
            responses: Some(engine_responses(&fw, s.instrument, &responses)),
            ..SurveyInput::default()
        });
        match s.instrument {
            InstrumentCode::IIT => input.iit = one,
            _ => input.eit = one,
        }
    }
    let each = score(&fw, &input).unwrap();
    for (x, y) in ours.indicators.iter().zip(&each.indicators).take(8) {
        assert!(x.score.is_some(), "indicator {} has answers", x.number);
        assert_eq!(x.score, y.score, "indicator {}", x.number);
        assert_eq!(x.respondents, y.respondents, "indicator {}", x.number);
    }
}

#[tokio::test]
async fn the_results_page_scores_the_years_in_progress_from_the_data_here() {
    let app = TestApp::with_demo().await;
    let admin = app.demo_admin().await;
    let this = this_fiscal_year(&app);
    let page = admin.get("/a/nonhan/admin/ita/results").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.describe());
    // This year's surveys have answers, but no OIT item is reviewed: partial, the OIT named.
    let live = page.texts(&format!("#live-{this}")).join(" ");
    assert!(!live.is_empty(), "a section for {this}");
    assert!(live.contains("OIT"), "{live}");
    assert!(
        page.has(&format!("#live-{this} .chart-row")),
        "indicator bars from the answers"
    );
    // FY2567 is scored the same way, each indicator against FY2566's official result.
    let compare = page.texts("#live-2567 table.compare tbody tr").join(" | ");
    assert!(compare.contains("93.10"), "FY2566's indicator 1: {compare}");
    assert!(
        compare.contains(&app.tr(prongsai_web::i18n::Lang::Th).arg(
            "ita-live-below",
            "mark",
            "85.00"
        )),
        "weak indicators flagged: {compare}"
    );
    assert!(
        page.has("table.cards tbody tr"),
        "the official years keep their table"
    );
}
