//! The application under test: the real router and services on a fresh database, with a manual
//! clock and a seeded random source.

use std::sync::Arc;

use axum::Router;
use prongsai_domain::ids::{
    AccountId, ActionId, AgencyId, ContentId, ContentVersionId, DivisionId, FileId, MeasureId,
    PersonId, PlanId, QuestionId, SuggestionId,
};
use prongsai_domain::measures::model::{ActionFields, MeasureFields, PlanTexts};
use prongsai_domain::platform::account::{NewAccount, hash_password};
use prongsai_domain::platform::division::DivisionFields;
use prongsai_domain::platform::file::BlobStore;
use prongsai_domain::platform::person::PersonFields;
use prongsai_domain::platform::session::hex_sha256;
use prongsai_domain::platform::{
    Actor, AgencyKind, AgencyProfile, ExecutiveSide, FileKind, Membership, NewAgency,
    PasswordParams, Role, RoleGrant, Slug, StoredFile,
};
use prongsai_domain::portal::participation::{
    Moderation, Question, QuestionStatus, Review, Suggestion, SuggestionStatus, Topic,
};
use prongsai_domain::portal::{Content, ContentFields, ContentKind, NewVersion};
use prongsai_domain::{Clock, Ctx, ManualClock, SeededEntropy};
use prongsai_store::{Db, LocalBlobs};
use prongsai_thai::FiscalYear;
use prongsai_web::i18n::{Lang, Tr};
use prongsai_web::{AppState, WebConfig};
use time::macros::datetime;

use super::client::Client;
use super::db::{TempDir, TestDb};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "nonhan-demo-2566";
pub const DEMO_ADMIN: &str = "admin@nonhan.example";
pub const DEMO_OFFICER: &str = "finance@nonhan.example";
pub const DEMO_MAYOR: &str = "mayor@nonhan.example";
pub const DEMO_ASSESSOR: &str = "assessor@itas.example";
pub const DEMO_OPERATOR: &str = "operator@prongsai.example";
/// The fiscal year (BE) whose measures plan the tests walk: the demo has a draft for it.
pub const PLAN_YEAR: i32 = 2567;
/// The password of the accounts of agencies the tests make.
pub const OTHER_PASSWORD: &str = "another-agency-pw";

/// The smallest thing that passes for a PNG: its signature and some bytes.
pub const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

/// The application with its database, clock and files.
pub struct TestApp {
    pub db: TestDb,
    pub cx: Ctx,
    pub clock: Arc<ManualClock>,
    pub blobs: Arc<LocalBlobs>,
    pub state: AppState,
    pub router: Router,
    _files: TempDir,
}

impl TestApp {
    /// An empty platform with the default web settings.
    pub async fn new() -> Self {
        Self::with_config(WebConfig::default()).await
    }

    /// An empty platform with these web settings.
    pub async fn with_config(config: WebConfig) -> Self {
        let db = TestDb::new().await;
        let clock = Arc::new(ManualClock::new(datetime!(2026-01-15 03:00 UTC)));
        let cx = Ctx {
            store: Arc::new(db.db.clone()),
            clock: clock.clone(),
            entropy: Arc::new(SeededEntropy::new(0x5EED)),
            password: PasswordParams::fast_for_tests(),
        };
        let files = TempDir::new();
        let blobs = Arc::new(LocalBlobs::new(files.path().join("files")));
        let state = prongsai_web::state(cx.clone(), blobs.clone(), config)
            .await
            .expect("build the web state");
        let router = prongsai_web::app(state.clone());
        Self {
            db,
            cx,
            clock,
            blobs,
            state,
            router,
            _files: files,
        }
    }

    /// The platform with the demo agency.
    pub async fn with_demo() -> Self {
        let app = Self::new().await;
        app.load_demo().await;
        app
    }

    /// The demo agency (loaded by [`TestApp::with_demo`]).
    pub async fn nonhan(&self) -> prongsai_domain::platform::Agency {
        self.cx
            .store
            .agency_by_slug("nonhan")
            .await
            .unwrap()
            .expect("the demo is loaded")
    }

    pub async fn load_demo(&self) -> AgencyId {
        prongsai::demo::load(&self.cx, self.blobs.as_ref())
            .await
            .expect("load the demo agency")
    }

    pub fn store_db(&self) -> &Db {
        &self.db.db
    }

    /// A new browser.
    pub fn client(&self) -> Client {
        Client::new(self.router.clone())
    }

    /// A browser signed in as `email`, which must succeed.
    pub async fn signed_in(&self, email: &str, password: &str) -> Client {
        let c = self.client();
        let r = c.sign_in(email, password).await;
        assert!(
            r.status.is_redirection(),
            "sign in as {email}: {}",
            r.describe()
        );
        assert!(c.is_signed_in().await, "{email} is not signed in");
        c
    }

    /// A browser signed in as the demo admin.
    pub async fn demo_admin(&self) -> Client {
        self.signed_in(DEMO_ADMIN, DEMO_PASSWORD).await
    }

    pub fn tr(&self, lang: Lang) -> Tr {
        self.state.tr(lang)
    }

    /// Thai text of a catalog key.
    pub fn th(&self, key: &str) -> String {
        self.tr(Lang::Th).get(key)
    }

    pub fn advance(&self, secs: i64) {
        self.clock.advance(time::Duration::seconds(secs));
    }

    pub fn now(&self) -> i64 {
        self.clock.unix()
    }

    /// The demo agency's ids.
    pub async fn demo(&self) -> Fixture {
        let a = self
            .cx
            .store
            .agency_by_slug("nonhan")
            .await
            .expect("read agency")
            .expect("the demo is loaded");
        Fixture::read(self, a.id, DEMO_ADMIN).await
    }

    /// A second agency with its own admin, officer, divisions, people and files.
    pub async fn other_agency(&self, slug: &str, name: &str, province: &str) -> Fixture {
        let actor = Actor::system("test");
        let cx = &self.cx;
        let store = &cx.store;
        let id = AgencyId::from_raw(cx.new_id());
        store
            .create_agency(
                cx.write(&actor),
                &NewAgency {
                    id,
                    slug: Slug::parse(slug).expect("a valid slug"),
                    profile: profile(name, province),
                    is_demo: false,
                },
            )
            .await
            .expect("create agency");
        store
            .open_fiscal_year(cx.write(&actor), id, 2567)
            .await
            .expect("open year");
        let logo = self.put_file(id, "logo.png", PNG).await;
        store
            .set_agency_logo(cx.write(&actor), id, Some(logo))
            .await
            .expect("set logo");
        let division = DivisionId::from_raw(cx.new_id());
        store
            .create_division(cx.write(&actor), id, division, &division_fields("สำนักปลัด"))
            .await
            .expect("create division");
        let empty_division = DivisionId::from_raw(cx.new_id());
        store
            .create_division(
                cx.write(&actor),
                id,
                empty_division,
                &division_fields("กองช่าง"),
            )
            .await
            .expect("create division");
        let person = PersonId::from_raw(cx.new_id());
        store
            .create_person(
                cx.write(&actor),
                id,
                person,
                &PersonFields {
                    name: format!("นางสาวบุษบา {slug}"),
                    position: "นักวิเคราะห์นโยบายและแผน".into(),
                    division_id: Some(division),
                    executive: None,
                    is_division_head: false,
                    phone: Some("042-000-000".into()),
                    email: Some(format!("staff@{slug}.example")),
                    sort_order: 10,
                },
            )
            .await
            .expect("create person");
        let photo = self
            .put_file(id, "photo.png", b"GIF89a-photo-of-staff")
            .await;
        store
            .set_person_photo(cx.write(&actor), id, person, Some(photo))
            .await
            .expect("set photo");
        let executive = PersonId::from_raw(cx.new_id());
        store
            .create_person(
                cx.write(&actor),
                id,
                executive,
                &PersonFields {
                    name: format!("นายก {slug}"),
                    position: "นายกองค์การบริหารส่วนตำบล".into(),
                    division_id: None,
                    executive: Some(ExecutiveSide::Political),
                    is_division_head: false,
                    phone: None,
                    email: None,
                    sort_order: 1,
                },
            )
            .await
            .expect("create executive");
        let private_file = self.put_file(id, "evidence.pdf", b"%PDF-1.7 private").await;
        let admin_email = format!("admin@{slug}.example");
        let hash = hash_password(cx.password, OTHER_PASSWORD, cx.entropy.as_ref());
        for (email, role, division_id, person_id) in [
            (admin_email.clone(), Role::AgencyAdmin, None, Some(person)),
            (
                format!("officer@{slug}.example"),
                Role::DivisionOfficer,
                Some(division),
                None,
            ),
        ] {
            let account = AccountId::from_raw(cx.new_id());
            store
                .create_account(
                    cx.write(&actor),
                    Some(id),
                    &NewAccount {
                        id: account,
                        email: email.clone(),
                        display_name: email.clone(),
                        password_hash: hash.clone(),
                        is_platform_operator: false,
                        must_change_password: false,
                    },
                )
                .await
                .expect("create account");
            store
                .put_membership(
                    cx.write(&actor),
                    &Membership {
                        agency_id: id,
                        account_id: account,
                        person_id,
                        grants: vec![RoleGrant { role, division_id }],
                    },
                )
                .await
                .expect("grant role");
        }
        // A plan for the fiscal year the tests walk, with one measure and one action.
        let plan = PlanId::from_raw(cx.new_id());
        let year = FiscalYear::new(PLAN_YEAR).expect("a fiscal year");
        store
            .create_plan(cx.write(&actor), id, plan, year, &PlanTexts::default())
            .await
            .expect("create plan");
        let measure = MeasureId::from_raw(cx.new_id());
        store
            .create_measure(
                cx.write(&actor),
                id,
                plan,
                measure,
                &MeasureFields {
                    title: format!("มาตรการของ {slug}"),
                    indicators: vec![1],
                    oit_items: vec![],
                    weight: 1,
                },
            )
            .await
            .expect("create measure");
        store
            .create_action(
                cx.write(&actor),
                id,
                measure,
                ActionId::from_raw(cx.new_id()),
                &ActionFields {
                    text: format!("การดำเนินการของ {slug}"),
                    divisions: vec![division],
                    weight: 1,
                    ..ActionFields::default()
                },
            )
            .await
            .expect("create action");
        // A published page and news item of the agency's own.
        for (kind, slug) in [
            (ContentKind::Page, Some(format!("about-{slug}"))),
            (ContentKind::News, None),
        ] {
            let c = Content {
                id: ContentId::from_raw(cx.new_id()),
                agency_id: id,
                fields: ContentFields {
                    kind,
                    slug,
                    title: format!("เนื้อหาของ {name}"),
                    body: format!("ข้อความของ {name}"),
                    category: None,
                    division_id: None,
                    publish_at: self.now(),
                    pinned: false,
                },
                published: false,
                first_published_at: None,
                version: 1,
                created_at: self.now(),
                updated_at: self.now(),
            };
            let v = NewVersion {
                id: ContentVersionId::from_raw(cx.new_id()),
                by: "test",
                action: "create",
            };
            store
                .create_content(cx.write(&actor), &c, v)
                .await
                .expect("create content");
            store
                .set_published(cx.write(&actor), id, c.id, true, None)
                .await
                .expect("publish content");
        }
        // A published question and a published suggestion.
        let question = Question {
            id: QuestionId::from_raw(cx.new_id()),
            agency_id: id,
            question: format!("คำถามถึง {name}"),
            asker_name: None,
            contact: Some(format!("asker@{slug}.example")),
            status: QuestionStatus::Pending,
            answer: None,
            answered_by: None,
            asked_at: self.now(),
            published_at: None,
            updated_at: self.now(),
        };
        store
            .create_question(cx.write(&actor), &question)
            .await
            .expect("ask");
        let answered = Moderation {
            status: QuestionStatus::Published,
            answer: Some(format!("คำตอบของ {name}")),
            answered_by: Some("test".into()),
        };
        store
            .moderate_question(
                cx.write(&actor),
                id,
                question.id,
                QuestionStatus::Pending,
                &answered,
                "publish",
            )
            .await
            .expect("publish the question");
        let received = Review {
            status: SuggestionStatus::Received,
            response: None,
            published: false,
            responded_by: None,
        };
        let suggestion = Suggestion {
            id: SuggestionId::from_raw(cx.new_id()),
            agency_id: id,
            fiscal_year: 2569,
            number: 0,
            topic: Topic::Service,
            text: format!("ข้อเสนอแนะถึง {name}"),
            sender_name: None,
            contact: Some(format!("sender@{slug}.example")),
            review: received.clone(),
            received_at: self.now(),
            updated_at: self.now(),
        };
        store
            .create_suggestion(cx.write(&actor), &suggestion)
            .await
            .expect("suggest");
        let published = Review {
            status: SuggestionStatus::ActedOn,
            response: Some(format!("คำตอบของ {name}")),
            published: true,
            responded_by: Some("test".into()),
        };
        store
            .review_suggestion(cx.write(&actor), id, suggestion.id, &received, &published)
            .await
            .expect("publish the suggestion");
        // A case, filed through the intake path, once the agency has its recovery key.
        prongsai_domain::cases::service::provision(cx, &actor, id, &[])
            .await
            .expect("recovery key");
        let secret = prongsai_domain::cases::CaseSecret::load(cx)
            .await
            .expect("case secret");
        prongsai_domain::cases::service::file_report(
            cx,
            &secret,
            id,
            prongsai_domain::cases::Channel::Web,
            prongsai_domain::cases::ReportInput {
                kind: "complaint".into(),
                identity: "anonymous".into(),
                subject: format!("เรื่องของ {slug}"),
                text: "รายละเอียด".into(),
                ..Default::default()
            },
            &actor,
        )
        .await
        .expect("file a case");
        let mut f = Fixture::read(self, id, &admin_email).await;
        f.private_file = Some(private_file);
        f
    }

    /// Stores a file of an agency (its record and its content).
    pub async fn put_file(&self, agency: AgencyId, name: &str, bytes: &[u8]) -> FileId {
        let sha256 = hex_sha256(bytes);
        self.blobs.put(&sha256, bytes).await.expect("store blob");
        let id = FileId::from_raw(self.cx.new_id());
        self.cx
            .store
            .insert_file(
                self.cx.write(&Actor::system("test")),
                &StoredFile {
                    id,
                    agency_id: agency,
                    kind: FileKind::sniff(bytes).expect("a known file type"),
                    size: i64::try_from(bytes.len()).expect("small"),
                    sha256,
                    original_name: name.to_owned(),
                    created_at: self.now(),
                },
            )
            .await
            .expect("insert file");
        id
    }
}

fn division_fields(name: &str) -> DivisionFields {
    DivisionFields {
        name: name.to_owned(),
        short_name: None,
        name_en: None,
        duties: None,
        phone: None,
        email: None,
        sort_order: 10,
    }
}

/// A valid profile.
pub fn profile(name: &str, province: &str) -> AgencyProfile {
    AgencyProfile {
        name: name.to_owned(),
        name_en: None,
        kind: AgencyKind::SubdistrictAdministrativeOrganization,
        province: province.to_owned(),
        district: "เมือง".into(),
        subdistrict: None,
        address: None,
        postcode: None,
        phone: None,
        fax: None,
        email: None,
        website: None,
        facebook: None,
        line_id: None,
        office_hours: None,
        about: None,
        require_totp: false,
    }
}

/// The ids of one agency's data, for building URLs and forms.
#[derive(Debug, Clone)]
pub struct Fixture {
    pub id: AgencyId,
    pub slug: String,
    pub admin_email: String,
    pub admin: AccountId,
    /// A member who is not an admin (removable, resettable).
    pub other_member: AccountId,
    /// A division that people belong to.
    pub division: DivisionId,
    /// A person with a photo.
    pub person: PersonId,
    pub logo: FileId,
    /// A public file (the photo of `person`).
    pub photo: FileId,
    /// A file that is neither a logo nor a photo.
    pub private_file: Option<FileId>,
    /// The fiscal year of `measure` and `action`.
    pub year: i32,
    /// A measure of the year's plan.
    pub measure: MeasureId,
    /// An action of `measure`.
    pub action: ActionId,
    /// A published page of the agency's own (no division), and its address.
    pub page: ContentId,
    pub page_slug: String,
    /// A published news item of the agency's own.
    pub news: ContentId,
    /// A published question of the Q&A board, and a published suggestion.
    pub question: QuestionId,
    pub suggestion: SuggestionId,
    /// A case of the agency (0 when it has none).
    pub case: i64,
}

impl Fixture {
    async fn read(app: &TestApp, id: AgencyId, admin_email: &str) -> Self {
        let store = &app.cx.store;
        let agency = store.agency(id).await.expect("agency");
        let admin = store
            .account_by_email(admin_email)
            .await
            .expect("read account")
            .expect("admin exists")
            .id;
        let members = store.list_members(id).await.expect("members");
        let other_member = members
            .iter()
            .find(|m| m.account.id != admin && !m.membership.has_role(Role::AgencyAdmin))
            .expect("a member who is not admin")
            .account
            .id;
        let people = store.list_people(id).await.expect("people");
        let divisions = store.list_divisions(id).await.expect("divisions");
        let division = divisions
            .iter()
            .find(|d| people.iter().any(|p| p.fields.division_id == Some(d.id)))
            .expect("a division with people")
            .id;
        let person = people
            .iter()
            .find(|p| p.photo.is_some() && p.fields.division_id.is_some())
            .expect("a person with a photo in a division");
        let year = FiscalYear::new(PLAN_YEAR).expect("a fiscal year");
        let plan = store
            .plan(id, year)
            .await
            .expect("read plan")
            .expect("a plan for the year");
        let measure = store.measures(id, plan.id).await.expect("measures")[0].id;
        let action = store
            .actions(id, plan.id)
            .await
            .expect("actions")
            .into_iter()
            .find(|a| a.measure_id == measure)
            .expect("an action of the first measure")
            .id;
        let own = |kinds: &[ContentKind], all: &[Content]| {
            all.iter()
                .find(|c| c.fields.division_id.is_none() && kinds.contains(&c.fields.kind))
                .expect("published content of the agency's own")
                .clone()
        };
        let all = store
            .list_content(
                id,
                &[
                    ContentKind::Page,
                    ContentKind::News,
                    ContentKind::Announcement,
                ],
            )
            .await
            .expect("content");
        let page = own(&[ContentKind::Page], &all);
        let news = own(&ContentKind::NEWS_KINDS, &all);
        let question = store
            .list_questions(id, Some(QuestionStatus::Published))
            .await
            .expect("questions")
            .first()
            .expect("a published question")
            .id;
        let suggestion = store
            .public_suggestions(id, 0, 1)
            .await
            .expect("suggestions")
            .0
            .first()
            .expect("a published suggestion")
            .id;
        let case = store
            .case_heads(id)
            .await
            .expect("cases")
            .first()
            .map_or(0, |c| c.id.get());
        Self {
            question,
            suggestion,
            case,
            page: page.id,
            page_slug: page.fields.slug.expect("a page address"),
            news: news.id,
            id,
            slug: agency.slug.to_string(),
            admin_email: admin_email.to_owned(),
            admin,
            other_member,
            division,
            person: person.id,
            logo: agency.logo.expect("a logo"),
            photo: person.photo.expect("a photo"),
            private_file: None,
            year: PLAN_YEAR,
            measure,
            action,
        }
    }
}
