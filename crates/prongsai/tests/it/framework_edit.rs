//! The ITA framework as the platform operator edits it: a year copied to the next, values
//! edited in forms, every change audited on the platform chain, bad input refused with nothing
//! stored, and every reader of a framework (the framework page, the simulator, the scoring
//! engine through the service) using the edited copy.

use axum::http::StatusCode;
use prongsai_domain::ita::framework as fw;
use prongsai_domain::ita::score::{self, ScoreInput};
use prongsai_domain::ita::service::{self, FrameworkEditError, Origin};
use prongsai_domain::platform::Actor;
use prongsai_domain::platform::audit::{AuditEntry, PLATFORM_CHAIN};

use crate::support::*;

const LIST: &str = "/platform/ita/frameworks";

fn edit_url(year: i32, section: &str) -> String {
    format!("/platform/ita/frameworks/{year}/edit/{section}")
}

/// The framework entries of the platform chain.
async fn framework_entries(app: &TestApp) -> Vec<AuditEntry> {
    app.cx
        .store
        .audit_chain(PLATFORM_CHAIN, 0, 100_000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.entity == "ita-framework")
        .collect()
}

async fn operator(app: &TestApp) -> Client {
    app.signed_in(DEMO_OPERATOR, DEMO_PASSWORD).await
}

/// The input of `name` in a page (names hold dots, so they are matched as attributes).
fn input(name: &str) -> String {
    format!("[name=\"{name}\"]")
}

#[tokio::test]
async fn the_operator_copies_a_year_edits_a_question_and_every_change_is_audited() {
    let app = TestApp::with_demo().await;
    let op = operator(&app).await;

    let list = op.get(LIST).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.describe());
    let origin = list.texts("#year-2567").concat();
    assert!(origin.contains(&app.th("fw-origin-shipped")), "{origin}");

    // FY2567 → FY2568.
    let r = op
        .submit(LIST, LIST, &[("from", "2567"), ("to", "๒๕๖๘")])
        .await;
    assert!(
        r.status.is_redirection(),
        "{} {:?}",
        r.describe(),
        r.texts(".error-summary")
    );
    assert_eq!(
        r.location().as_deref(),
        Some(edit_url(2568, "points").as_str())
    );
    let e = service::effective(&app.cx, 2568).await.unwrap().unwrap();
    assert_eq!(e.framework.fiscal_year, 2568);
    assert_eq!(e.framework.id, "nacc-ita-2568");
    assert!(matches!(
        e.origin,
        Origin::Edited {
            version: 1,
            based_on: 2567,
            ..
        }
    ));
    let audit = framework_entries(&app).await;
    assert_eq!(audit.len(), 1);
    assert_eq!(
        (audit[0].action.as_str(), audit[0].entity_id.as_str()),
        ("create", "2568")
    );
    assert_eq!(audit[0].actor_label, DEMO_OPERATOR);
    assert_eq!(
        audit[0].agency_id, None,
        "national data: the platform chain"
    );
    // Copying onto a year that has a framework is refused.
    let again = op
        .submit(LIST, LIST, &[("from", "2566"), ("to", "2568")])
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again
            .texts(".error-summary")
            .concat()
            .contains(
                &app.tr(prongsai_web::i18n::Lang::Th)
                    .arg("fw-clone-exists", "year", 2568)
            )
    );

    // The question form: I5 has the wording drafted by Prongsai, tagged U.
    let drafted = prongsai_domain::ita::framework::built_in(2567)
        .unwrap()
        .unwrap()
        .questions
        .into_iter()
        .find(|q| q.code == "I5")
        .unwrap()
        .text_th;
    let url = edit_url(2568, "questions");
    let page = op.get(&url).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.describe());
    assert_eq!(
        page.texts(&input("question.I5.text_th")),
        [drafted.as_str()]
    );
    assert_eq!(page.attrs(&input("version"), "value"), ["1"]);
    let wording = "ผู้บังคับบัญชาของท่าน มอบหมายงานอย่างเป็นธรรม มากน้อยเพียงใด";
    let r = op
        .submit(
            &url,
            &url,
            &[
                ("version", "1"),
                ("question.I5.text_th", wording),
                ("question.I5.confidence", "S"),
                ("question.I5.note", "แบบ 2564 (S)"),
            ],
        )
        .await;
    assert!(
        r.status.is_redirection(),
        "{} {:?}",
        r.describe(),
        r.texts(".error-summary")
    );
    let e = service::effective(&app.cx, 2568).await.unwrap().unwrap();
    assert_eq!(e.version(), 2);
    let i5 = e
        .framework
        .questions
        .iter()
        .find(|q| q.code == "I5")
        .unwrap();
    assert_eq!(i5.text_th, wording);
    assert_eq!(i5.confidence, fw::Confidence::S);
    assert!(
        e.text.contains("# Every value carries a confidence tag:"),
        "the comments of the file survive"
    );
    let audit = framework_entries(&app).await;
    let last = audit.last().unwrap();
    assert_eq!(last.action, "update");
    assert_eq!(last.at, app.now());
    let changes = last.parsed_changes();
    let text = changes
        .iter()
        .find(|c| c.field == "question.I5.text_th")
        .expect("the diff names the field");
    assert_eq!(text.old.as_deref(), Some(drafted.as_str()));
    assert_eq!(text.new.as_deref(), Some(wording));
    assert!(changes.iter().any(|c| c.field == "question.I5.confidence"
        && c.old.as_deref() == Some("U")
        && c.new.as_deref() == Some("S")));
    assert_eq!(changes.len(), 3, "{changes:?}");
    // The editor shows the history of the year's framework.
    let history = op
        .get(&url)
        .await
        .texts("section[aria-labelledby=h-history] li")
        .concat();
    assert!(
        history.contains("question.I5.text_th") && history.contains(wording),
        "{history}"
    );

    // Agencies read the edited copy, read-only, with where it comes from.
    let admin = app.demo_admin().await;
    let page = admin.get("/a/nonhan/admin/ita/framework/2568").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.describe());
    assert!(page.body.contains(wording));
    let origin = page.texts("#fw-origin").concat();
    assert!(
        origin.contains(DEMO_OPERATOR) && origin.contains('2'),
        "{origin}"
    );
    assert!(!page.has("form[action^=\"/platform\"]"), "read-only");
    assert!(
        admin
            .get("/a/nonhan/admin/ita/results")
            .await
            .attrs("a", "href")
            .contains(&"/a/nonhan/admin/ita/framework/2568".to_owned())
    );
    // The TOML download is the edited file, as `prongsai ita score --framework FILE` reads it.
    let file = admin
        .get("/a/nonhan/admin/ita/framework/2568/download")
        .await;
    assert_eq!(file.status, StatusCode::OK);
    let f = fw::parse("download.toml", &file.body).unwrap();
    assert_eq!(f, e.framework);
    let shipped = admin
        .get("/a/nonhan/admin/ita/framework/2567/download")
        .await;
    assert_eq!(shipped.body, fw::BUILT_IN[1].1);

    // A form opened at version 1 and sent after version 2 is refused; nothing changes.
    let before = snapshot_all(app.store_db()).await;
    let r = op
        .post(
            &url,
            &[("version", "1"), ("question.I6.text_th", "ข้อความที่ทับ")],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        r.describe()
    );
    assert!(
        r.texts(".error-summary").concat().contains(
            &app.tr(prongsai_web::i18n::Lang::Th)
                .arg("fw-stale", "version", 2)
        )
    );
    assert_eq!(
        r.texts(&input("question.I6.text_th")),
        ["ข้อความที่ทับ"],
        "kept"
    );
    assert_eq!(r.attrs(&input("version"), "value"), ["1"], "still stale");
    assert_unchanged(&before, &snapshot_all(app.store_db()).await, "a stale form");
}

#[tokio::test]
async fn answer_values_and_weights_change_the_score_and_the_simulator() {
    let app = TestApp::with_demo().await;
    let op = operator(&app).await;
    // One respondent answers I2 (indicator 1) with the second level, "น้อย".
    let answers: ScoreInput =
        serde_json::from_str(r#"{ "iit": { "responses": [ { "I2": [2] } ] } }"#).unwrap();
    let score_of = async |app: &TestApp| {
        let f = service::framework(&app.cx, 2566).await.unwrap().unwrap();
        score::score(&f, &answers).unwrap().indicators[0]
            .score
            .clone()
    };
    assert_eq!(score_of(&app).await.as_deref(), Some("33.00"));

    // A shipped year is edited directly: the first save makes the edited copy.
    let url = edit_url(2566, "scales");
    let page = op.get(&url).await;
    assert_eq!(page.attrs(&input("version"), "value"), ["0"]);
    assert_eq!(
        page.attrs(&input("scale.four_level.values.1"), "value"),
        ["33.00"]
    );
    let r = op
        .submit(
            &url,
            &url,
            &[
                ("version", "0"),
                ("scale.four_level.values.1", "35"),
                ("scale.four_level.values.2", "70"),
            ],
        )
        .await;
    assert!(
        r.status.is_redirection(),
        "{} {:?}",
        r.describe(),
        r.texts(".error-summary")
    );
    assert_eq!(score_of(&app).await.as_deref(), Some("35.00"));

    // Weights: one point moves from indicator 2 to indicator 1; the simulator's total follows.
    let sim = "/a/nonhan/admin/ita/simulate?go=1&fy=2566&i1=91.35&i2=78.60&i3=82.10&i4=76.45&i5=80.90&i6=92.75&i7=89.40&i8=87.15";
    let all: String = (1..=43).map(|n| format!("&oit=O{n}")).collect();
    let admin = app.demo_admin().await;
    let total = async |admin: &Client| {
        admin
            .get(&format!("{sim}{all}"))
            .await
            .texts("#outcome .big")
            .concat()
    };
    assert!(total(&admin).await.contains("91.49"));
    let url = edit_url(2566, "points");
    let r = op
        .submit(
            &url,
            &url,
            &[
                ("version", "1"),
                ("indicator.1.points", "7"),
                ("indicator.2.points", "5"),
            ],
        )
        .await;
    assert!(
        r.status.is_redirection(),
        "{} {:?}",
        r.describe(),
        r.texts(".error-summary")
    );
    // + 91.35 × 1% − 78.60 × 1% = +0.1275.
    let after = total(&admin).await;
    assert!(after.contains("91.62"), "{after}");
    let audit = framework_entries(&app).await;
    assert_eq!(
        audit.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["create", "update"],
        "the first save of a shipped year creates the copy"
    );
}

/// A refused edit: (section, fields, the field marked or "", the message expected).
type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str, String);

#[tokio::test]
async fn bad_input_is_refused_by_field_in_the_users_language_and_nothing_is_stored() {
    let app = TestApp::with_demo().await;
    let op = operator(&app).await;
    let th = app.tr(prongsai_web::i18n::Lang::Th);
    let before = snapshot_all(app.store_db()).await;
    let cases: Vec<Case<'_>> = vec![
        (
            "scales",
            vec![("scale.four_level.values.1", "สามสิบ")],
            "scale.four_level.values.1",
            th.get("fw-problem-not-a-number"),
        ),
        (
            "points",
            vec![("instrument.EIT.points", "35")],
            "",
            th.arg(
                "fw-rule-instrument-total",
                "detail",
                "instrument[*].points: the instruments add up to 105.00 points, not 100",
            ),
        ),
        (
            "points",
            vec![("grade.B.min", "76")],
            "",
            th.get("fw-rule-grade-bands")
                .split(" (")
                .next()
                .unwrap()
                .to_owned(),
        ),
        (
            "questions",
            vec![("question.I1.text_th", "")],
            "question.I1.text_th",
            th.get("fw-problem-text-required"),
        ),
        (
            "oit",
            vec![("oit_item.O1.confidence", "X")],
            "oit_item.O1.confidence",
            th.get("fw-problem-unknown-tag"),
        ),
    ];
    for (section, fields, marked, message) in cases {
        let url = edit_url(2567, section);
        let mut body = vec![("version", "0")];
        body.extend(fields.iter().copied());
        let r = op.post(&url, &body).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{fields:?}: {}",
            r.describe()
        );
        let summary = r.texts(".error-summary").concat();
        assert!(summary.contains(&message), "{fields:?}: {summary}");
        if !marked.is_empty() {
            assert_eq!(
                r.attrs(&input(marked), "aria-invalid"),
                ["true"],
                "{marked}"
            );
            let kept = fields[0].1;
            let shown = if r.has(&format!("select{}", input(marked))) {
                r.attrs(&format!("{} option[selected]", input(marked)), "value")
            } else if r.has(&format!("textarea{}", input(marked))) {
                r.texts(&input(marked))
            } else {
                r.attrs(&input(marked), "value")
            };
            assert_eq!(shown, [kept], "what was typed is kept");
        }
    }
    // In English for an English reader.
    op.get("/lang/en?next=/").await;
    let r = op
        .post(
            &edit_url(2567, "scales"),
            &[("version", "0"), ("scale.four_level.values.1", "lots")],
        )
        .await;
    let en = app.tr(prongsai_web::i18n::Lang::En);
    assert!(
        r.texts(".error-summary")
            .concat()
            .contains(&en.get("fw-problem-not-a-number"))
    );
    assert_unchanged(
        &before,
        &snapshot_all(app.store_db()).await,
        "refused edits",
    );
    assert!(framework_entries(&app).await.is_empty());
}

#[tokio::test]
async fn only_the_platform_operator_copies_or_edits_a_framework() {
    let app = TestApp::with_demo().await;
    let admin = app.demo_admin().await;
    let before = snapshot_all(app.store_db()).await;
    for r in [
        admin.get(LIST).await,
        admin.get(&edit_url(2567, "points")).await,
        admin.get("/platform/ita/frameworks/2567/download").await,
        admin.post(LIST, &[("from", "2567"), ("to", "2568")]).await,
        admin
            .post(
                &edit_url(2567, "questions"),
                &[("version", "0"), ("question.I5.text_th", "x")],
            )
            .await,
    ] {
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.describe());
    }
    let anonymous = app.client().get(LIST).await;
    assert_ne!(anonymous.status, StatusCode::OK);
    assert_unchanged(&before, &snapshot_all(app.store_db()).await, "refused");

    // The services check it too, whatever the page does.
    let account = app
        .cx
        .store
        .account_by_email(DEMO_ADMIN)
        .await
        .unwrap()
        .unwrap();
    let actor = Actor::account(account.id, &account.email);
    let fields = vec![("question.I5.text_th".to_owned(), "x".to_owned())];
    assert!(matches!(
        service::edit_framework(&app.cx, &actor, &account, 2567, 0, &fields).await,
        Err(FrameworkEditError::Forbidden)
    ));
    assert!(matches!(
        service::clone_framework(&app.cx, &actor, &account, 2567, 2568).await,
        Err(FrameworkEditError::Forbidden)
    ));
    assert!(framework_entries(&app).await.is_empty());
}

#[tokio::test]
async fn an_oit_item_is_added_to_a_group_and_every_reader_sees_it() {
    let app = TestApp::with_demo().await;
    let op = operator(&app).await;
    let url = "/platform/ita/frameworks/2567/items";
    let before = snapshot_all(app.store_db()).await;
    let r = op
        .post(
            url,
            &[
                ("version", "0"),
                ("new_item.code", "O12"),
                ("new_item.group", "9.2"),
                ("new_item.name_th", "ข้อซ้ำ"),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        r.describe()
    );
    assert_eq!(r.attrs(&input("new_item.code"), "aria-invalid"), ["true"]);
    assert_eq!(r.attrs(&input("new_item.code"), "value"), ["O12"]);
    assert_eq!(r.attrs(&input("new_item.name_th"), "value"), ["ข้อซ้ำ"]);
    assert!(
        r.texts(".error-summary")
            .concat()
            .contains(&app.th("fw-problem-item-code-taken"))
    );
    assert_unchanged(&before, &snapshot_all(app.store_db()).await, "a taken code");

    let r = op
        .submit(
            &edit_url(2567, "oit"),
            url,
            &[
                ("version", "0"),
                ("new_item.code", "o44"),
                ("new_item.group", "9.2"),
                ("new_item.name_th", "รายงานทดลอง"),
            ],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    let f = service::framework(&app.cx, 2567).await.unwrap().unwrap();
    assert_eq!(f.oit_items.len(), 44);
    let o44 = f.oit_items.iter().find(|i| i.code == "O44").unwrap();
    assert_eq!(o44.group, "9.2");
    assert_eq!(
        o44.confidence,
        fw::Confidence::U,
        "an assumption until confirmed"
    );
    let changes = framework_entries(&app)
        .await
        .pop()
        .unwrap()
        .parsed_changes();
    assert!(
        changes
            .iter()
            .any(|c| c.field == "oit_item.O44.name_th" && c.new.as_deref() == Some("รายงานทดลอง"))
    );

    // The framework page lists it in its group; the simulator offers it.
    let admin = app.demo_admin().await;
    let page = admin.get("/a/nonhan/admin/ita/framework/2567").await;
    let items = page.attrs(".oit-items > li", "id");
    assert_eq!(items.len(), 44);
    let at = items.iter().position(|c| c == "O44").unwrap();
    assert_eq!(items[at - 1], "O18", "after the last item of 9.2");
    let sim = admin.get("/a/nonhan/admin/ita/simulate?fy=2567").await;
    assert!(sim.has("#f-O44"), "{}", sim.describe());
}

#[tokio::test]
async fn the_pass_mark_sample_rules_and_names_are_edited_and_read_everywhere() {
    let app = TestApp::with_demo().await;
    let op = operator(&app).await;
    let url = edit_url(2567, "points");
    let page = op.get(&url).await;
    assert_eq!(
        page.attrs(&input("pass.mark.min_total"), "value"),
        ["85.00"]
    );
    assert_eq!(page.attrs(&input("sample.IIT.at_least"), "value"), ["30"]);
    assert_eq!(page.attrs(&input("sample.EIT.at_most"), "value"), ["400"]);
    let r = op
        .submit(
            &url,
            &url,
            &[
                ("version", "0"),
                ("pass.mark.min_total", "86"),
                ("sample.IIT.percent", "20"),
                ("sample.IIT.at_least", "๔๐"),
                ("indicator.1.name_th", "การปฏิบัติหน้าที่ (ทดสอบ)"),
            ],
        )
        .await;
    assert!(
        r.status.is_redirection(),
        "{} {:?}",
        r.describe(),
        r.texts(".error-summary")
    );
    let url = edit_url(2567, "oit");
    let r = op
        .submit(
            &url,
            &url,
            &[
                ("version", "1"),
                ("oit_group.9.1.name_th", "ข้อมูลพื้นฐาน (ทดสอบ)"),
            ],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.describe());
    let f = service::framework(&app.cx, 2567).await.unwrap().unwrap();
    assert_eq!(f.pass_mark, 8_600);
    let iit = &f.samples[&fw::InstrumentCode::IIT];
    assert_eq!(iit.minimum(100), 40, "20 % of 100 is under the floor of 40");
    assert_eq!(iit.minimum(1000), 200);
    assert_eq!(f.grade_of(8_550).map(|g| g.grade.as_str()), Some("A"));
    // The agency's framework page shows the new names.
    let admin = app.demo_admin().await;
    let page = admin.get("/a/nonhan/admin/ita/framework/2567").await;
    assert!(page.body.contains("การปฏิบัติหน้าที่ (ทดสอบ)"));
    assert!(page.body.contains("ข้อมูลพื้นฐาน (ทดสอบ)"));
    // Every change is in the audit log, by field.
    let audit = framework_entries(&app).await;
    let fields: String = audit.iter().map(|e| e.changes.as_str()).collect();
    for f in [
        "pass.mark.min_total",
        "sample.IIT.percent",
        "sample.IIT.at_least",
        "indicator.1.name_th",
        "oit_group.9.1.name_th",
    ] {
        assert!(fields.contains(f), "{f}: {fields}");
    }
    // A count that is not a whole number is refused by its field, in Thai.
    let url = edit_url(2567, "points");
    let r = op
        .submit(
            &url,
            &url,
            &[("version", "2"), ("sample.EIT.at_least", "สามสิบ")],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        r.describe()
    );
    assert!(r.body.contains(&app.th("fw-problem-not-a-count")));
}
