//! The demo agency, เทศบาลตำบลโนนหัน, loaded from `demo/nonhan/` (compiled into the binary).

use std::collections::HashMap;

use prongsai_domain::Ctx;
use prongsai_domain::StoreError;
use prongsai_domain::ids::{AccountId, AgencyId, DivisionId, FileId, PersonId};
use prongsai_domain::platform::account::{self, NewAccount};
use prongsai_domain::platform::division::DivisionInput;
use prongsai_domain::platform::file::{BlobStore, FileKind, StoredFile};
use prongsai_domain::platform::person::PersonInput;
use prongsai_domain::platform::session::hex_sha256;
use prongsai_domain::platform::{
    Actor, AgencyProfileInput, Membership, NewAgency, Role, RoleGrant, Slug,
};
use serde::Deserialize;

const AGENCY_TOML: &str = include_str!("../demo/nonhan/agency.toml");
const MEASURES_2566_TOML: &str = include_str!("../demo/nonhan/measures-2566.toml");
const ITA_RESULTS_TOML: &str = include_str!("../demo/nonhan/ita-results.toml");
const OIT_2567_TOML: &str = include_str!("../demo/nonhan/oit-2567.toml");
const PORTAL_TOML: &str = include_str!("../demo/nonhan/portal.toml");
const PARTICIPATION_TOML: &str = include_str!("../demo/nonhan/participation.toml");
const LOGO: &[u8] = include_bytes!("../demo/nonhan/logo.png");
const PHOTOS: &[(&str, &[u8])] = &[
    (
        "person-1.png",
        include_bytes!("../demo/nonhan/photos/person-1.png"),
    ),
    (
        "person-2.png",
        include_bytes!("../demo/nonhan/photos/person-2.png"),
    ),
    (
        "person-3.png",
        include_bytes!("../demo/nonhan/photos/person-3.png"),
    ),
    (
        "person-4.png",
        include_bytes!("../demo/nonhan/photos/person-4.png"),
    ),
    (
        "person-5.png",
        include_bytes!("../demo/nonhan/photos/person-5.png"),
    ),
    (
        "person-6.png",
        include_bytes!("../demo/nonhan/photos/person-6.png"),
    ),
    (
        "person-7.png",
        include_bytes!("../demo/nonhan/photos/person-7.png"),
    ),
    (
        "person-8.png",
        include_bytes!("../demo/nonhan/photos/person-8.png"),
    ),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoFile {
    slug: String,
    fiscal_years: Vec<i32>,
    password: String,
    profile: DemoProfile,
    divisions: Vec<DemoDivision>,
    people: Vec<DemoPerson>,
    accounts: Vec<DemoAccount>,
    operator: DemoOperator,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct DemoProfile {
    name: String,
    name_en: String,
    kind: String,
    province: String,
    district: String,
    subdistrict: String,
    address: String,
    postcode: String,
    phone: String,
    fax: String,
    email: String,
    website: String,
    facebook: String,
    line_id: String,
    office_hours: String,
    about: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoDivision {
    key: String,
    name: String,
    #[serde(default)]
    short_name: String,
    #[serde(default)]
    duties: String,
    #[serde(default)]
    phone: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoPerson {
    #[serde(default)]
    key: String,
    name: String,
    position: String,
    #[serde(default)]
    division: String,
    #[serde(default)]
    head: bool,
    #[serde(default)]
    executive: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    photo: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoAccount {
    email: String,
    name: String,
    role: String,
    #[serde(default)]
    division: String,
    #[serde(default)]
    person: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoOperator {
    email: String,
    name: String,
}

/// Why the demo could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("the demo data file is invalid: {0}")]
    File(String),
    #[error("the demo agency is already loaded")]
    AlreadyLoaded,
    #[error("an agency named {0:?} exists and is not the demo; refusing to touch it")]
    NotDemo(String),
    #[error("cannot store a demo file: {0}")]
    Blob(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A sign-in to print for the demo.
#[derive(Debug, Clone)]
pub struct DemoSignIn {
    pub email: String,
    pub role: String,
    pub password: String,
}

fn parse() -> Result<DemoFile, DemoError> {
    toml::from_str(AGENCY_TOML).map_err(|e| DemoError::File(e.to_string()))
}

/// The demo's sign-ins, if the demo agency is present in the database.
pub async fn sign_ins(cx: &Ctx) -> Result<Vec<DemoSignIn>, DemoError> {
    let demo = parse()?;
    match cx.store.agency_by_slug(&demo.slug).await? {
        Some(a) if a.is_demo => {}
        _ => return Ok(Vec::new()),
    }
    let mut out: Vec<DemoSignIn> = demo
        .accounts
        .iter()
        .map(|a| DemoSignIn {
            email: a.email.clone(),
            role: a.role.clone(),
            password: demo.password.clone(),
        })
        .collect();
    out.push(DemoSignIn {
        email: demo.operator.email,
        role: "platform-operator".into(),
        password: demo.password,
    });
    Ok(out)
}

/// Whether any agency exists (the first start loads the demo only into an empty platform).
pub async fn platform_is_empty(cx: &Ctx) -> Result<bool, StoreError> {
    Ok(cx.store.list_agencies().await?.is_empty())
}

async fn put_image(
    cx: &Ctx,
    blobs: &dyn BlobStore,
    actor: &Actor,
    agency: AgencyId,
    name: &str,
    bytes: &[u8],
) -> Result<FileId, DemoError> {
    let sha256 = hex_sha256(bytes);
    blobs.put(&sha256, bytes).await?;
    let file = StoredFile {
        id: FileId::from_raw(cx.new_id()),
        agency_id: agency,
        kind: FileKind::sniff(bytes)
            .ok_or_else(|| DemoError::File(format!("{name} is not an image")))?,
        size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
        sha256,
        original_name: name.to_owned(),
        created_at: cx.clock.unix(),
    };
    cx.store.insert_file(cx.write(actor), &file).await?;
    Ok(file.id)
}

/// Loads the demo agency, its divisions, people, fiscal years and accounts.
pub async fn load(cx: &Ctx, blobs: &dyn BlobStore) -> Result<AgencyId, DemoError> {
    let demo = parse()?;
    if let Some(a) = cx.store.agency_by_slug(&demo.slug).await? {
        return Err(if a.is_demo {
            DemoError::AlreadyLoaded
        } else {
            DemoError::NotDemo(demo.slug)
        });
    }
    let actor = Actor::system("demo");
    let bad = |what: &str, e: &dyn std::fmt::Display| DemoError::File(format!("{what}: {e}"));
    let p = &demo.profile;
    let profile = AgencyProfileInput {
        name: p.name.clone(),
        name_en: p.name_en.clone(),
        kind: p.kind.clone(),
        province: p.province.clone(),
        district: p.district.clone(),
        subdistrict: p.subdistrict.clone(),
        address: p.address.clone(),
        postcode: p.postcode.clone(),
        phone: p.phone.clone(),
        fax: p.fax.clone(),
        email: p.email.clone(),
        website: p.website.clone(),
        facebook: p.facebook.clone(),
        line_id: p.line_id.clone(),
        office_hours: p.office_hours.clone(),
        about: p.about.clone(),
        require_totp: false,
    }
    .parse()
    .map_err(|e| bad("profile", &e))?;
    let id = AgencyId::from_raw(cx.new_id());
    let slug = Slug::parse(&demo.slug).map_err(|e| bad("slug", &e.code()))?;
    cx.store
        .create_agency(
            cx.write(&actor),
            &NewAgency {
                id,
                slug,
                profile,
                is_demo: true,
            },
        )
        .await?;
    let logo = put_image(cx, blobs, &actor, id, "logo.png", LOGO).await?;
    cx.store
        .set_agency_logo(cx.write(&actor), id, Some(logo))
        .await?;
    for year in &demo.fiscal_years {
        cx.store
            .open_fiscal_year(cx.write(&actor), id, *year)
            .await?;
    }

    let mut divisions: HashMap<String, DivisionId> = HashMap::new();
    for (i, d) in demo.divisions.iter().enumerate() {
        let fields = DivisionInput {
            name: d.name.clone(),
            short_name: d.short_name.clone(),
            duties: d.duties.clone(),
            phone: d.phone.clone(),
            sort_order: ((i + 1) * 10).to_string(),
            ..Default::default()
        }
        .parse()
        .map_err(|e| bad(&d.name, &e))?;
        let did = DivisionId::from_raw(cx.new_id());
        cx.store
            .create_division(cx.write(&actor), id, did, &fields)
            .await?;
        divisions.insert(d.key.clone(), did);
    }

    let mut people: HashMap<String, PersonId> = HashMap::new();
    for (i, p) in demo.people.iter().enumerate() {
        let division_id = match p.division.as_str() {
            "" => String::new(),
            key => divisions
                .get(key)
                .ok_or_else(|| bad(&p.name, &"unknown division"))?
                .to_string(),
        };
        let fields = PersonInput {
            name: p.name.clone(),
            position: p.position.clone(),
            division_id,
            executive: p.executive.clone(),
            is_division_head: p.head,
            phone: p.phone.clone(),
            email: p.email.clone(),
            sort_order: ((i + 1) * 10).to_string(),
        }
        .parse(|d| divisions.values().any(|x| *x == d))
        .map_err(|e| bad(&p.name, &e))?;
        let pid = PersonId::from_raw(cx.new_id());
        cx.store
            .create_person(cx.write(&actor), id, pid, &fields)
            .await?;
        if !p.photo.is_empty() {
            let bytes = PHOTOS
                .iter()
                .find(|(n, _)| *n == p.photo)
                .ok_or_else(|| bad(&p.photo, &"missing photo"))?
                .1;
            let photo = put_image(cx, blobs, &actor, id, &p.photo, bytes).await?;
            cx.store
                .set_person_photo(cx.write(&actor), id, pid, Some(photo))
                .await?;
        }
        if !p.key.is_empty() {
            people.insert(p.key.clone(), pid);
        }
    }

    let hash = account::hash_password(cx.password, &demo.password, cx.entropy.as_ref());
    for a in &demo.accounts {
        let role = Role::parse(&a.role).ok_or_else(|| bad(&a.email, &"unknown role"))?;
        let account_id =
            ensure_account(cx, &actor, Some(id), &a.email, &a.name, &hash, false).await?;
        let division_id = match a.division.as_str() {
            "" => None,
            key => Some(
                *divisions
                    .get(key)
                    .ok_or_else(|| bad(&a.email, &"unknown division"))?,
            ),
        };
        let person_id = match a.person.as_str() {
            "" => None,
            key => Some(
                *people
                    .get(key)
                    .ok_or_else(|| bad(&a.email, &"unknown person"))?,
            ),
        };
        let m = Membership {
            agency_id: id,
            account_id,
            person_id,
            grants: vec![RoleGrant { role, division_id }],
        };
        cx.store.put_membership(cx.write(&actor), &m).await?;
    }
    ensure_account(
        cx,
        &actor,
        None,
        &demo.operator.email,
        &demo.operator.name,
        &hash,
        true,
    )
    .await?;
    load_ita_results(cx, &actor, id).await?;
    load_ita_surveys(cx, &actor, id, &divisions).await?;
    load_oit(cx, &actor, id).await?;
    load_portal(cx, &actor, id, &divisions).await?;
    load_participation(cx, &actor, id).await?;
    load_measures(cx, &actor, id, &demo.profile.name, &divisions, &people).await?;
    load_cases(cx, &actor, id, &demo.password).await?;
    prongsai_domain::search::reindex(cx, id).await?;
    Ok(id)
}

/// The demo's cases: the recovery key (its text is not kept: the demo never needs it), the
/// complaint handler's key pair, and a few cases in several states, filed and handled through
/// the same encrypted path as real ones.
async fn load_cases(
    cx: &Ctx,
    actor: &Actor,
    agency: AgencyId,
    password: &str,
) -> Result<(), DemoError> {
    use prongsai_domain::cases::service as cs;
    use prongsai_domain::cases::{CaseSecret, Channel, RecordKind, ReportInput};
    let bad = |e: &dyn std::fmt::Display| DemoError::File(format!("cases: {e}"));
    let Some(handler) = cx
        .store
        .account_by_email("complaints@nonhan.example")
        .await?
    else {
        return Ok(());
    };
    let Some(membership) = cx.store.membership(agency, handler.id).await? else {
        return Ok(());
    };
    cs::provision(cx, actor, agency, &[(handler.id, password)])
        .await
        .map_err(|e| bad(&e))?;
    let secret = CaseSecret::load(cx).await?;
    let member = prongsai_domain::platform::service::Member::new(handler.clone(), membership);
    let key = cs::keyring_with_password(cx, agency, handler.id, password)
        .await
        .map_err(|e| bad(&e))?;
    let reports = [
        (
            "complaint",
            Channel::Web,
            "ถนนหน้าตลาดสดชำรุดเป็นหลุมลึก",
            "ถนนหน้าตลาดสดเทศบาลมีหลุมลึกหลายจุด รถจักรยานยนต์ล้มแล้วสองครั้งในสัปดาห์นี้",
            &["acknowledged", "assigned", "investigating", "resolved"][..],
        ),
        (
            "corruption",
            Channel::Web,
            "การจัดซื้อวัสดุก่อสร้างราคาสูงผิดปกติ",
            "ราคาหินคลุกในใบสั่งซื้อสูงกว่าราคาตลาดเกือบเท่าตัว และผู้ขายรายเดิมได้งานทุกครั้ง",
            &["acknowledged", "assigned", "investigating"][..],
        ),
        (
            "complaint",
            Channel::Phone,
            "เสียงดังจากร้านคาราโอเกะยามดึก",
            "ร้านคาราโอเกะในหมู่ 3 เปิดเสียงดังเกินเที่ยงคืนเกือบทุกคืน",
            &["acknowledged"][..],
        ),
        (
            "whistleblowing",
            Channel::Web,
            "การลงเวลาปฏิบัติงานแทนกัน",
            "มีการลงเวลาปฏิบัติงานแทนกันในกองหนึ่งเป็นประจำ",
            &[][..],
        ),
        (
            "complaint",
            Channel::Letter,
            "ขอให้ติดตั้งไฟส่องสว่างซอย 5",
            "ซอย 5 มืดมากในเวลากลางคืน ขอให้ติดตั้งไฟส่องสว่างเพิ่ม",
            &[][..],
        ),
    ];
    for (kind, channel, subject, text, states) in reports {
        let input = ReportInput {
            kind: kind.to_owned(),
            identity: "anonymous".to_owned(),
            subject: subject.to_owned(),
            text: text.to_owned(),
            ..ReportInput::default()
        };
        let filed = cs::file_report(cx, &secret, agency, channel, input, actor)
            .await
            .map_err(|e| bad(&e))?;
        for state in states {
            let assignee = if *state == "assigned" {
                handler.id.to_string()
            } else {
                String::new()
            };
            cs::change_state(cx, &member, &key, filed.id, state, "", &assignee)
                .await
                .map_err(|e| bad(&e))?;
            if *state == "acknowledged" {
                cs::write_entry(
                    cx,
                    &member,
                    &key,
                    filed.id,
                    RecordKind::ToReporter,
                    "เทศบาลได้รับเรื่องของท่านแล้ว และจะดำเนินการตรวจสอบโดยเร็ว",
                )
                .await
                .map_err(|e| bad(&e))?;
            }
        }
    }
    Ok(())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoPortal {
    page: Vec<DemoContent>,
    news: Vec<DemoContent>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoContent {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    category: String,
    title: String,
    #[serde(default)]
    division: String,
    /// Hours from now of the publication; positive: scheduled.
    #[serde(default)]
    hours: i64,
    #[serde(default)]
    pinned: bool,
    body: String,
}

/// The portal's pages and news, all published (one scheduled), each with its first version.
async fn load_portal(
    cx: &Ctx,
    actor: &Actor,
    agency: AgencyId,
    divisions: &HashMap<String, DivisionId>,
) -> Result<(), DemoError> {
    use prongsai_domain::ids::{ContentId, ContentVersionId};
    use prongsai_domain::portal::{Content, ContentFields, ContentKind, NewVersion};
    let file: DemoPortal =
        toml::from_str(PORTAL_TOML).map_err(|e| DemoError::File(format!("portal.toml: {e}")))?;
    let bad = |what: String| DemoError::File(format!("portal.toml: {what}"));
    let now = cx.clock.unix();
    let items = file
        .page
        .iter()
        .map(|p| (ContentKind::Page, p))
        .chain(file.news.iter().map(|n| (ContentKind::News, n)));
    for (default_kind, c) in items {
        let kind = if default_kind.is_page() {
            default_kind
        } else {
            ContentKind::parse(&c.kind).ok_or_else(|| bad(format!("kind {:?}", c.kind)))?
        };
        let division_id = match c.division.as_str() {
            "" => None,
            key => Some(
                *divisions
                    .get(key)
                    .ok_or_else(|| bad(format!("unknown division {key:?}")))?,
            ),
        };
        let content = Content {
            id: ContentId::from_raw(cx.new_id()),
            agency_id: agency,
            fields: ContentFields {
                kind,
                slug: kind.is_page().then(|| c.slug.clone()),
                title: c.title.clone(),
                body: c.body.trim().to_owned(),
                category: Some(c.category.clone()).filter(|s| !s.is_empty()),
                division_id,
                publish_at: now + c.hours * 3600,
                pinned: c.pinned,
            },
            published: false,
            first_published_at: None,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        let v = NewVersion {
            id: ContentVersionId::from_raw(cx.new_id()),
            by: "Prongsai demo",
            action: "create",
        };
        cx.store
            .create_content(cx.write(actor), &content, v)
            .await?;
        cx.store
            .set_published(cx.write(actor), agency, content.id, true, None)
            .await?;
    }
    Ok(())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoParticipation {
    question: Vec<DemoQuestion>,
    suggestion: Vec<DemoSuggestion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoQuestion {
    days: i64,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    contact: Option<String>,
    question: String,
    #[serde(default)]
    answer: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoSuggestion {
    days: i64,
    topic: String,
    text: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    contact: Option<String>,
    status: String,
    #[serde(default)]
    response: Option<String>,
    #[serde(default)]
    published: bool,
}

/// The Q&A board and the suggestions: answered questions published a day after they were
/// asked, one waiting; suggestions with the agency's decisions, some published.
async fn load_participation(cx: &Ctx, actor: &Actor, agency: AgencyId) -> Result<(), DemoError> {
    use prongsai_domain::ids::{QuestionId, SuggestionId};
    use prongsai_domain::portal::participation::{
        Moderation, Question, QuestionStatus, Review, Suggestion, SuggestionStatus, Topic,
    };
    let file: DemoParticipation = toml::from_str(PARTICIPATION_TOML)
        .map_err(|e| DemoError::File(format!("participation.toml: {e}")))?;
    let bad = |what: String| DemoError::File(format!("participation.toml: {what}"));
    let now = cx.clock.unix();
    let at = |days: i64| prongsai_domain::ctx::Write {
        actor,
        at: now - days * 86_400,
    };
    for q in &file.question {
        let asked = now - q.days * 86_400;
        let question = Question {
            id: QuestionId::from_raw(cx.new_id()),
            agency_id: agency,
            question: q.question.trim().to_owned(),
            asker_name: q.name.clone(),
            contact: q.contact.clone(),
            status: QuestionStatus::Pending,
            answer: None,
            answered_by: None,
            asked_at: asked,
            published_at: None,
            updated_at: asked,
        };
        cx.store.create_question(at(q.days), &question).await?;
        if let Some(answer) = &q.answer {
            let to = Moderation {
                status: QuestionStatus::Published,
                answer: Some(answer.trim().to_owned()),
                answered_by: Some("Prongsai demo".into()),
            };
            cx.store
                .moderate_question(
                    at(q.days - 1),
                    agency,
                    question.id,
                    QuestionStatus::Pending,
                    &to,
                    "publish",
                )
                .await?;
        }
    }
    for s in &file.suggestion {
        let received = now - s.days * 86_400;
        let topic = Topic::parse(&s.topic).ok_or_else(|| bad(format!("topic {:?}", s.topic)))?;
        let status = SuggestionStatus::parse(&s.status)
            .ok_or_else(|| bad(format!("status {:?}", s.status)))?;
        let fresh = Review {
            status: SuggestionStatus::Received,
            response: None,
            published: false,
            responded_by: None,
        };
        let suggestion = Suggestion {
            id: SuggestionId::from_raw(cx.new_id()),
            agency_id: agency,
            fiscal_year: prongsai_thai::FiscalYear::of(prongsai_thai::local_date(
                prongsai_domain::clock::from_unix(received),
            ))
            .be(),
            number: 0,
            topic,
            text: s.text.trim().to_owned(),
            sender_name: s.name.clone(),
            contact: s.contact.clone(),
            review: fresh.clone(),
            received_at: received,
            updated_at: received,
        };
        cx.store.create_suggestion(at(s.days), &suggestion).await?;
        let to = Review {
            status,
            response: s.response.clone(),
            published: s.published,
            responded_by: s.response.as_ref().map(|_| "Prongsai demo".to_owned()),
        };
        if to != fresh {
            cx.store
                .review_suggestion(at(s.days - 1), agency, suggestion.id, &fresh, &to)
                .await?;
        }
    }
    Ok(())
}

async fn ensure_account(
    cx: &Ctx,
    actor: &Actor,
    agency: Option<AgencyId>,
    email: &str,
    name: &str,
    hash: &str,
    operator: bool,
) -> Result<AccountId, DemoError> {
    if let Some(a) = cx.store.account_by_email(email).await? {
        return Ok(a.id);
    }
    let id = AccountId::from_raw(cx.new_id());
    let new = NewAccount {
        id,
        email: email.to_owned(),
        display_name: name.to_owned(),
        password_hash: hash.to_owned(),
        is_platform_operator: operator,
        must_change_password: false,
    };
    cx.store
        .create_account(cx.write(actor), agency, &new)
        .await?;
    Ok(id)
}

/// Deletes the demo agency and the demo's accounts, then loads it afresh.
pub async fn reset(cx: &Ctx, blobs: &dyn BlobStore) -> Result<AgencyId, DemoError> {
    let demo = parse()?;
    let actor = Actor::system("demo");
    if let Some(a) = cx.store.agency_by_slug(&demo.slug).await? {
        if !a.is_demo {
            return Err(DemoError::NotDemo(demo.slug));
        }
        cx.store.delete_agency(cx.write(&actor), a.id).await?;
    }
    let emails = demo
        .accounts
        .iter()
        .map(|a| a.email.as_str())
        .chain([demo.operator.email.as_str()]);
    for email in emails {
        if let Some(a) = cx.store.account_by_email(email).await? {
            match cx.store.delete_account(cx.write(&actor), a.id).await {
                // Still a member of a real agency: leave it.
                Ok(()) | Err(StoreError::Conflict) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    load(cx, blobs).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoPlan {
    year: i32,
    status: String,
    /// The e-mail of the executive who approved the plan.
    approved_by: String,
    /// The e-mail of the coordinator who accepted the checker's warnings, and why.
    accepted_by: String,
    accepted_reason: String,
    announced_on: String,
    signer_name: String,
    signer_position: String,
    introduction: String,
    review_intro: String,
    announcement_preamble: String,
    defaults: DemoActionDefaults,
    measure: Vec<DemoMeasure>,
    review: Vec<DemoReview>,
    step: Vec<DemoStep>,
    progress: Vec<DemoProgress>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoActionDefaults {
    all_divisions: bool,
    divisions: Vec<String>,
    period: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoMeasure {
    title: String,
    indicators: Vec<u8>,
    oit: Vec<String>,
    #[serde(default)]
    recommendation: String,
    actions: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoReview {
    indicator: String,
    issues: String,
    methods: String,
    actions_taken: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoStep {
    measure: String,
    steps: String,
    responsible: String,
    #[serde(default)]
    monitoring: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoProgress {
    action: String,
    date: String,
    status: String,
    #[serde(default)]
    percent: Option<i32>,
    narrative: String,
    #[serde(default)]
    link: Vec<String>,
    by: String,
}

fn parse_plan() -> Result<DemoPlan, DemoError> {
    toml::from_str(MEASURES_2566_TOML)
        .map_err(|e| DemoError::File(format!("measures-2566.toml: {e}")))
}

/// The FY2566 plan of the seed report (approved, with demo progress), and a FY2567 draft copied
/// from it.
async fn load_measures(
    cx: &Ctx,
    actor: &Actor,
    agency: AgencyId,
    agency_name: &str,
    divisions: &HashMap<String, DivisionId>,
    people: &HashMap<String, PersonId>,
) -> Result<(), DemoError> {
    use prongsai_domain::measures::service::{self as ms, Drafting};
    use prongsai_domain::measures::{
        ActionFields, ActionStatus, Evidence, MeasureFields, NewOverride, PlanContent, PlanStatus,
        PlanTexts, ProgressEntry, ReviewRow, StepRow,
    };
    use prongsai_thai::{FiscalYear, Period};

    let bad = |what: &str, e: &dyn std::fmt::Display| DemoError::File(format!("{what}: {e}"));
    let p = parse_plan()?;
    let year = FiscalYear::new(p.year).map_err(|e| bad("year", &e))?;
    let period = Period::parse_in(&p.defaults.period, Some(year)).map_err(|e| bad("period", &e))?;
    let division_ids = p
        .defaults
        .divisions
        .iter()
        .map(|k| {
            divisions
                .get(k)
                .copied()
                .ok_or_else(|| bad(k, &"unknown division"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let measures = p
        .measure
        .iter()
        .map(|m| {
            let actions = m
                .actions
                .iter()
                .enumerate()
                .map(|(i, text)| {
                    let fields = ActionFields {
                        text: text.clone(),
                        all_divisions: p.defaults.all_divisions,
                        divisions: division_ids.clone(),
                        period: Some(period),
                        // The report gives one recommendation per measure: it is kept on the
                        // measure's first action.
                        recommendation: (i == 0 && !m.recommendation.is_empty())
                            .then(|| m.recommendation.clone()),
                        weight: 1,
                        ..ActionFields::default()
                    };
                    (fields, ActionStatus::NotStarted, 0)
                })
                .collect();
            let fields = MeasureFields {
                title: m.title.clone(),
                indicators: m.indicators.clone(),
                oit_items: m.oit.clone(),
                weight: 1,
            };
            (fields, actions)
        })
        .collect();
    let content = PlanContent {
        measures,
        reviews: p
            .review
            .iter()
            .map(|r| ReviewRow {
                indicator: r.indicator.clone(),
                issues: r.issues.trim().to_owned(),
                methods: r.methods.trim().to_owned(),
                actions_taken: r.actions_taken.trim().to_owned(),
            })
            .collect(),
        steps: p
            .step
            .iter()
            .map(|s| StepRow {
                measure: s.measure.clone(),
                steps: s.steps.trim().to_owned(),
                responsible: s.responsible.clone(),
                monitoring: s.monitoring.clone(),
            })
            .collect(),
    };
    let plan = ms::create_plan_as(cx, actor, agency, agency_name, year, &Drafting::Scratch)
        .await
        .map_err(|e| bad("plan", &e))?;
    let texts = PlanTexts {
        introduction: p.introduction.clone(),
        review_intro: p.review_intro.clone(),
        announcement_preamble: p.announcement_preamble.clone(),
        announced_on: Some(
            prongsai_thai::parse_date(&p.announced_on).map_err(|e| bad("announced_on", &e))?,
        ),
        signer_name: Some(p.signer_name.clone()),
        signer_position: Some(p.signer_position.clone()),
    };
    cx.store
        .update_plan_texts(cx.write(actor), agency, plan.id, &texts)
        .await?;
    let ids = cx.clone();
    cx.store
        .replace_content(cx.write(actor), agency, plan.id, &content, &move || {
            ids.new_id()
        })
        .await?;

    // Progress, as the division officers reported it.
    let view = ms::plan_view(cx, agency, year)
        .await
        .map_err(|e| bad("plan", &e))?;
    let members = cx.store.list_members(agency).await?;
    for (i, pr) in p.progress.iter().enumerate() {
        let action = view
            .actions
            .iter()
            .find(|a| view.action_number(a) == pr.action)
            .ok_or_else(|| bad(&pr.action, &"unknown action"))?;
        let status =
            ActionStatus::parse(&pr.status).ok_or_else(|| bad(&pr.action, &"unknown status"))?;
        let person = people.get(&pr.by).copied();
        let author = members
            .iter()
            .find(|m| person.is_some() && m.membership.person_id == person);
        let evidence = match pr.link.as_slice() {
            [label, url] => vec![Evidence::Link {
                url: url.clone(),
                label: label.clone(),
            }],
            _ => Vec::new(),
        };
        let entry = ProgressEntry {
            id: prongsai_domain::ids::ProgressId::from_raw(cx.new_id()),
            agency_id: agency,
            action_id: action.id,
            reported_on: prongsai_thai::parse_date(&pr.date).map_err(|e| bad(&pr.date, &e))?,
            status,
            percent: pr.percent.unwrap_or_else(|| status.default_percent()),
            narrative: pr.narrative.clone(),
            author_account_id: author.map(|a| a.account.id),
            author_label: author
                .map_or_else(|| actor.label.clone(), |a| a.account.display_name.clone()),
            evidence,
            created_at: cx.clock.unix() + i64::try_from(i).unwrap_or(0),
        };
        cx.store
            .add_progress(cx.write(actor), agency, &entry)
            .await?;
    }
    if p.status == "approved" {
        let name_of = |email: &str| {
            members
                .iter()
                .find(|m| m.account.email == email)
                .map(|m| m.account.display_name.clone())
                .ok_or_else(|| bad(email, &"not a member of the demo agency"))
        };
        let view = ms::plan_view(cx, agency, year)
            .await
            .map_err(|e| bad("plan", &e))?;
        let by = name_of(&p.accepted_by)?;
        for w in ms::open_warnings(cx, agency_name, &view)
            .await
            .map_err(|e| bad("plan", &e))?
        {
            let o = NewOverride {
                code: w.code.as_str(),
                subject: &w.subject(),
                reason: &p.accepted_reason,
                by: &by,
            };
            cx.store
                .add_override(cx.write(actor), agency, plan.id, &o)
                .await?;
        }
        let approved_by = name_of(&p.approved_by)?;
        cx.store
            .set_plan_status(
                cx.write(actor),
                agency,
                plan.id,
                PlanStatus::Submitted,
                None,
            )
            .await?;
        cx.store
            .set_plan_status(
                cx.write(actor),
                agency,
                plan.id,
                PlanStatus::Approved,
                Some(&approved_by),
            )
            .await?;
    }
    if let Some(next) = year.next() {
        ms::create_plan_as(
            cx,
            actor,
            agency,
            agency_name,
            next,
            &Drafting::CopyPrevious,
        )
        .await
        .map_err(|e| bad("the next year's plan", &e))?;
    }
    Ok(())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoResults {
    result: Vec<DemoResult>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoResult {
    year: String,
    total: String,
    grade: String,
    indicators: Vec<String>,
}

/// The demo's published ITA results (invented numbers, marked as such).
async fn load_ita_results(cx: &Ctx, actor: &Actor, agency: AgencyId) -> Result<(), DemoError> {
    use prongsai_domain::ita::OfficialResultInput;
    let file: DemoResults = toml::from_str(ITA_RESULTS_TOML)
        .map_err(|e| DemoError::File(format!("ita-results.toml: {e}")))?;
    for r in file.result {
        let input = OfficialResultInput {
            fiscal_year: r.year.clone(),
            total: r.total,
            grade: r.grade,
            indicators: std::array::from_fn(|i| r.indicators.get(i).cloned().unwrap_or_default()),
            source: "ข้อมูลสาธิต (demo)".into(),
        };
        let result = input
            .parse(agency)
            .map_err(|e| DemoError::File(format!("ita result {}: {e}", r.year)))?;
        cx.store
            .put_official_result(cx.write(actor), &result)
            .await?;
    }
    Ok(())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoOit {
    item: Vec<DemoOitItem>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoOitItem {
    code: String,
    status: String,
    #[serde(default)]
    comment: Option<String>,
    evidence: Vec<DemoOitEvidence>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoOitEvidence {
    url: String,
    label: String,
    nav_path: String,
    #[serde(default)]
    dated_on: Option<String>,
}

/// The demo's FY2567 OIT evidence, submitted and reviewed as the file says (the reviews in the
/// demo assessor's name).
async fn load_oit(cx: &Ctx, actor: &Actor, agency: AgencyId) -> Result<(), DemoError> {
    use prongsai_domain::ids::OitEvidenceId;
    use prongsai_domain::ita::oit::{Evidence, EvidenceTarget, ItemState, ItemStatus};
    let file: DemoOit = toml::from_str(OIT_2567_TOML)
        .map_err(|e| DemoError::File(format!("oit-2567.toml: {e}")))?;
    let year = prongsai_thai::FiscalYear::new(2567)
        .map_err(|e| DemoError::File(format!("oit-2567.toml: {e}")))?;
    let framework = prongsai_domain::ita::framework::built_in(2567)
        .ok_or_else(|| DemoError::File("no framework for 2567".into()))?
        .map_err(|e| DemoError::File(e.to_string()))?;
    let bad = |what: String| DemoError::File(format!("oit-2567.toml: {what}"));
    for item in file.item {
        if !framework.oit_items.iter().any(|i| i.code == item.code) {
            return Err(bad(format!("{} is not an OIT item of 2567", item.code)));
        }
        let status = ItemStatus::parse(&item.status)
            .filter(|s| {
                matches!(
                    s,
                    ItemStatus::Draft
                        | ItemStatus::Submitted
                        | ItemStatus::Passed
                        | ItemStatus::Failed
                )
            })
            .ok_or_else(|| bad(format!("{}: status {:?}", item.code, item.status)))?;
        for e in &item.evidence {
            let url = prongsai_domain::ita::oit::evidence_url(&e.url)
                .ok()
                .flatten()
                .ok_or_else(|| bad(format!("{}: url {:?}", item.code, e.url)))?;
            let dated_on = match &e.dated_on {
                None => None,
                Some(d) => Some(
                    prongsai_thai::parse_date(d)
                        .map_err(|_| bad(format!("{}: date {d:?}", item.code)))?,
                ),
            };
            let ev = Evidence {
                id: OitEvidenceId::from_raw(cx.new_id()),
                agency_id: agency,
                fiscal_year: year,
                code: item.code.clone(),
                target: EvidenceTarget::Url(url),
                label: e.label.clone(),
                nav_path: e.nav_path.clone(),
                dated_on,
                created_at: cx.clock.unix(),
            };
            cx.store.add_oit_evidence(cx.write(actor), &ev).await?;
        }
        if status == ItemStatus::Draft {
            continue;
        }
        let draft = ItemState::new(agency, year, &item.code, cx.clock.unix());
        let submitted = ItemState {
            status: ItemStatus::Submitted,
            ..draft
        };
        cx.store
            .set_oit_items(
                cx.write(actor),
                &[(submitted.clone(), ItemStatus::Draft)],
                "submit",
            )
            .await?;
        if status == ItemStatus::Submitted {
            continue;
        }
        let passed = status == ItemStatus::Passed;
        if !passed && item.comment.is_none() {
            return Err(bad(format!("{}: a fail needs a comment", item.code)));
        }
        let reviewed = ItemState {
            status,
            verdict: Some(passed),
            review_comment: item.comment.clone(),
            reviewed_by: Some("ผู้ตรวจประเมิน (สาธิต)".into()),
            ..submitted.clone()
        };
        cx.store
            .set_oit_items(
                cx.write(actor),
                &[(reviewed, ItemStatus::Submitted)],
                "review",
            )
            .await?;
    }
    Ok(())
}

#[test]
fn the_demo_oit_file_parses() {
    let d: DemoOit = toml::from_str(OIT_2567_TOML).unwrap();
    assert!(d.item.len() >= 10);
    assert!(
        d.item
            .iter()
            .any(|i| i.status == "failed" && i.comment.is_some())
    );
}

/// The demo's surveys: FY2567's IIT and EIT, closed, with made-up answers; and this fiscal
/// year's, open from ten days ago, with printed codes and a few answers, so that a visitor can
/// print codes and answer. The answers lean towards the positive levels, as real ones do.
async fn load_ita_surveys(
    cx: &Ctx,
    actor: &Actor,
    agency: AgencyId,
    divisions: &HashMap<String, DivisionId>,
) -> Result<(), DemoError> {
    use prongsai_domain::ita::framework::{self as fw, InstrumentCode};
    use prongsai_domain::ita::survey::{self, Response, SurveyInput};
    use time::Duration;

    let mut division_ids: Vec<DivisionId> = divisions.values().copied().collect();
    division_ids.sort_unstable();
    let today = prongsai_domain::ita::survey_service::today(cx);
    let this_year = prongsai_thai::FiscalYear::of(today).be();
    let bad = |e: &dyn std::fmt::Display| DemoError::File(format!("demo surveys: {e}"));
    // (year, instrument, population, opens, closes, codes required, answers, codes to leave)
    let plan = [
        (
            2567,
            InstrumentCode::IIT,
            40,
            time::macros::date!(2024 - 04 - 01),
            time::macros::date!(2024 - 06 - 30),
            true,
            36,
            0,
        ),
        (
            2567,
            InstrumentCode::EIT,
            2_400,
            time::macros::date!(2024 - 04 - 01),
            time::macros::date!(2024 - 06 - 30),
            false,
            251,
            0,
        ),
        (
            this_year,
            InstrumentCode::IIT,
            40,
            today - Duration::days(10),
            today + Duration::days(50),
            true,
            9,
            31,
        ),
        (
            this_year,
            InstrumentCode::EIT,
            2_400,
            today - Duration::days(10),
            today + Duration::days(50),
            false,
            14,
            0,
        ),
    ];
    for (year, instrument, population, opens, closes, codes, answers, spare) in plan {
        let framework = fw::BUILT_IN
            .iter()
            .map(|(y, _)| *y)
            .filter(|y| *y <= year)
            .max()
            .and_then(fw::built_in)
            .ok_or_else(|| bad(&"no framework"))?
            .map_err(|e| bad(&e))?;
        let input = SurveyInput {
            population: population.to_string(),
            opens_on: opens.to_string(),
            closes_on: closes.to_string(),
            codes_required: codes,
        };
        let s = input
            .parse(agency, cx.new_id(), year, instrument)
            .map_err(|e| bad(&e))?;
        cx.store.put_survey(cx.write(actor), &s).await?;
        let made: Vec<String> = (0..if s.needs_code() { answers + spare } else { 0 })
            .map(|_| {
                let mut b = [0u8; 8];
                cx.entropy.fill(&mut b);
                survey::new_code(b)
            })
            .collect();
        if !made.is_empty() {
            cx.store
                .add_codes(cx.write(actor), agency, s.id, &made)
                .await?;
        }
        let shape: Vec<usize> = survey::questions(&framework, instrument)
            .iter()
            .flat_map(|q| {
                let n = framework.scales.get(&q.scale).map_or(4, |x| x.labels.len());
                std::iter::repeat_n(n, usize::from(q.fields.max(1)))
            })
            .collect();
        let days = (s.closes_on.min(today) - s.opens_on).whole_days().max(1);
        for k in 0..answers {
            let levels = shape
                .iter()
                .map(|options| {
                    let r = cx.entropy.next_u64() % 100;
                    let level = if *options == 2 {
                        // "มี" reports misconduct on the one yes/no question: rare.
                        if r < 4 { 1 } else { 2 }
                    } else {
                        match r {
                            0..3 => 1,
                            3..14 => 2,
                            14..55 => 3,
                            _ => 4,
                        }
                    };
                    u8::try_from(level).unwrap_or(1)
                })
                .collect();
            let pick = usize::try_from(cx.entropy.next_u64() % 8).unwrap_or(0);
            let response = Response {
                id: i64::try_from(cx.entropy.next_u64() >> 1).unwrap_or(0),
                agency_id: agency,
                survey_id: s.id,
                answered_on: s.opens_on + Duration::days(i64::try_from(k).unwrap_or(0) * 7 % days),
                division_id: (instrument == InstrumentCode::IIT)
                    .then(|| division_ids.get(pick).copied())
                    .flatten(),
                levels,
            };
            let code = made.get(k).map(String::as_str);
            cx.store
                .submit(code, &response)
                .await?
                .map_err(|_| bad(&"a demo code was refused"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_file_parses_and_every_reference_resolves() {
        let d = parse().unwrap();
        let div_keys: Vec<&str> = d.divisions.iter().map(|x| x.key.as_str()).collect();
        let person_keys: Vec<&str> = d
            .people
            .iter()
            .map(|x| x.key.as_str())
            .filter(|k| !k.is_empty())
            .collect();
        for p in &d.people {
            assert!(
                p.division.is_empty() || div_keys.contains(&p.division.as_str()),
                "{}",
                p.name
            );
            assert!(
                p.photo.is_empty() || PHOTOS.iter().any(|(n, _)| *n == p.photo),
                "{}",
                p.photo
            );
        }
        for a in &d.accounts {
            assert!(Role::parse(&a.role).is_some(), "{}", a.role);
            assert!(
                a.person.is_empty() || person_keys.contains(&a.person.as_str()),
                "{}",
                a.person
            );
        }
        for role in Role::ALL {
            assert!(
                d.accounts.iter().any(|a| a.role == role.as_str()),
                "no demo account for {role:?}"
            );
        }
        assert_eq!(d.fiscal_years, vec![2565, 2566, 2567]);
        let plan = parse_plan().unwrap();
        assert_eq!(plan.measure.len(), 10);
        assert_eq!(
            plan.measure.iter().map(|m| m.actions.len()).sum::<usize>(),
            20
        );
        assert_eq!((plan.review.len(), plan.step.len()), (5, 8));
    }
}
