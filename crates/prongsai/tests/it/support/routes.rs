//! Turning the declared route patterns into requests: which id a `{id}` stands for, and a
//! plausible body for every form.

use prongsai_web::RouteInfo;

use super::app::{Fixture, PNG};

/// What the `{id}` of a route names, from the path segment before it. A route with an `{id}` of
/// an unknown kind fails the test, so that a new route is never walked with a meaningless id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Division,
    Person,
    Account,
    File,
    Measure,
    Action,
    /// A page or news item, in the back office.
    Content,
    /// A news item, on the public site.
    News,
    /// A question of the Q&A board.
    Question,
    /// A suggestion from the public.
    Suggestion,
    /// A case of the cases module.
    Case,
}

pub fn id_kind(path: &str) -> Option<IdKind> {
    let (before, _) = path.split_once("/{id}")?;
    let segment = before.rsplit('/').next().unwrap_or("");
    Some(match segment {
        "divisions" => IdKind::Division,
        "people" => IdKind::Person,
        "members" => IdKind::Account,
        "files" => IdKind::File,
        "measures" => IdKind::Measure,
        "actions" => IdKind::Action,
        "content" => IdKind::Content,
        "news" => IdKind::News,
        "qa" => IdKind::Question,
        "suggestions" => IdKind::Suggestion,
        "cases" => IdKind::Case,
        other => panic!(
            "route {path}: the tests do not know what an id under {other:?} names; teach support/routes.rs"
        ),
    })
}

/// The raw id of `kind` in a fixture.
pub fn id_of(f: &Fixture, kind: IdKind) -> String {
    match kind {
        IdKind::Division => f.division.to_string(),
        IdKind::Person => f.person.to_string(),
        IdKind::Account => f.other_member.to_string(),
        IdKind::File => f.private_file.unwrap_or(f.photo).to_string(),
        IdKind::Measure => f.measure.to_string(),
        IdKind::Action => f.action.to_string(),
        IdKind::Content => f.page.to_string(),
        IdKind::News => f.news.to_string(),
        IdKind::Question => f.question.to_string(),
        IdKind::Suggestion => f.suggestion.to_string(),
        IdKind::Case => f.case.to_string(),
    }
}

/// A concrete path for a route: `{slug}` from `slug_of`, `{id}` from `ids_of`.
pub fn fill(route: &RouteInfo, slug_of: &Fixture, ids_of: &Fixture) -> String {
    let mut p = route.path.replace("{slug}", &slug_of.slug);
    if let Some(kind) = id_kind(route.path) {
        p = p.replace("{id}", &id_of(ids_of, kind));
    }
    // Parameters that name no record: a fiscal year, a plan step, a table.
    // A file of the measures documents, or a static asset.
    let file = if route.path.contains("/measures/{year}/{file}") {
        "report.pdf"
    } else if route.path.ends_with("/data/{file}") {
        "catalog.jsonld"
    } else {
        "app.css"
    };
    // A section of the public menu; a standard page of the site.
    if route.path.contains("/s/{section}") {
        p = p.replace("{section}", "about");
    }
    // An encrypted record of a case that names none.
    p = p.replace("{record}", "1");
    p = p
        .replace("{file}", file)
        .replace("{key}", "laws")
        .replace("{lang}", "en")
        .replace("{year}", &ids_of.year.to_string())
        .replace("{step}", "submit")
        .replace("{which}", "reviews")
        .replace("{instrument}", "iit")
        .replace("{section}", "points")
        .replace("{page}", &ids_of.page_slug);
    // `{code}`: a survey code that was never made under /s/, else an OIT item.
    p = if route.path.starts_with("/s/") {
        p.replace("{code}", "0000-0000-0000")
    } else {
        p.replace("{code}", "O1")
    };
    assert!(
        !p.contains('{'),
        "route {}: a path parameter the tests cannot fill; teach support/routes.rs",
        route.path
    );
    p
}

/// The routes of the agency back office.
pub fn is_admin(route: &RouteInfo) -> bool {
    route.path.starts_with("/a/{slug}/admin")
}

/// A body that every form of the application would accept as plausible input: valid values for
/// every field name any form uses, with the ids of `ids` (another agency's, when probing).
pub fn plausible_fields(ids: &Fixture) -> Vec<(String, String)> {
    let division = ids.division.to_string();
    let person = ids.person.to_string();
    let file = ids.private_file.unwrap_or(ids.photo).to_string();
    [
        ("name", "ชื่อที่ส่งมา"),
        ("name_en", "Submitted"),
        ("kind", "sao"),
        ("province", "ขอนแก่น"),
        ("district", "ชุมแพ"),
        ("phone", "043-000-999"),
        ("email", "probe@probe.example"),
        ("display_name", "Probe"),
        ("position", "ผู้ทดสอบ"),
        ("division_id", division.as_str()),
        ("person_id", person.as_str()),
        ("roles", "agency-admin"),
        ("executive", "political"),
        ("sort_order", "5"),
        ("duties", "งานทดสอบ"),
        ("year", "2570"),
        ("slug", "probe-agency"),
        ("admin_email", "probe-admin@probe.example"),
        ("current", "wrong-password-1"),
        ("new", "a-new-password-1"),
        ("confirm", "a-new-password-1"),
        ("password", "wrong-password-1"),
        ("code", "123456"),
        ("next", "/"),
        // Measures: plans, measures, actions, progress, overrides, tables, imports.
        ("how", "scratch"),
        ("title", "มาตรการที่ส่งมา"),
        ("indicators", "1"),
        ("oit_items", "O1"),
        ("weight", "1"),
        ("text", "การดำเนินการที่ส่งมา"),
        ("divisions", division.as_str()),
        ("reported_on", "2026-01-15"),
        ("status", "in-progress"),
        ("percent", "50"),
        ("narrative", "รายงานที่ส่งมา"),
        ("subject", "ข้อความ"),
        ("reason", "เหตุผลที่ส่งมา"),
        ("introduction", "บทนำที่ส่งมา"),
        ("indicator", "1"),
        ("issues", "ประเด็น"),
        ("file", file.as_str()),
        ("stamp", "0"),
        // Surveys: settings, codes, answers.
        ("population", "40"),
        ("opens_on", "2026-01-01"),
        ("closes_on", "2026-12-31"),
        ("count", "3"),
        // OIT: evidence, review, clarification.
        ("url", "/a/probe/"),
        ("nav_path", "หน้าแรก > ที่ส่งมา"),
        ("dated_on", "2024-01-15"),
        ("verdict", "fail"),
        ("comment", "ความเห็นที่ส่งมา"),
        ("clarification", "คำชี้แจงที่ส่งมา"),
        // Portal content: pages, news, status, versions, attachments.
        ("content_kind", "news"),
        ("content_title", "หัวเรื่องที่ส่งมา"),
        ("page_slug", "probe-page"),
        ("body", "เนื้อหาที่ส่งมา <script>alert(1)</script>"),
        ("category", "ข่าวที่ส่งมา"),
        ("publish_at", ""),
        ("change", "publish"),
        ("version", "1"),
        ("attachment", "1"),
        // Cases: the reporter's page, the handler's actions, the settings.
        ("receipt", "1234 5678 9012 3456 7890 1234 5670"),
        ("message", "ข้อความที่ส่งมา"),
        ("identity", "anonymous"),
        ("entry", "note"),
        ("state", "acknowledged"),
        ("reference", "ที่ อ 123/2567"),
        ("into", "1"),
        ("ack_days", "3"),
        ("result_days", "15"),
        ("retention_days", "1825"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

/// The files a multipart form may carry.
pub fn plausible_files() -> Vec<(&'static str, &'static str, &'static [u8])> {
    vec![
        ("logo", "logo.png", PNG),
        ("photo", "photo.png", PNG),
        ("files", "evidence.pdf", b"%PDF-1.7 evidence"),
        ("file", "plan.xlsx", b"PK\x03\x04 xl/workbook.xml"),
        ("attachments", "notice.pdf", b"%PDF-1.7 notice"),
    ]
}

/// Borrowed view of owned fields.
pub fn borrow(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}
