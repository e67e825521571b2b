//! The store conformance suite: every method of the platform's store traits, on the backend of
//! the run (SQLite by default, PostgreSQL with `PRONGSAI_TEST_DATABASE_URL`).

use prongsai_domain::StoreError;
use prongsai_domain::ctx::Write;
use prongsai_domain::ids::{AccountId, AgencyId, DivisionId, FileId, PersonId};
use prongsai_domain::platform::account::NewAccount;
use prongsai_domain::platform::audit::{
    AuditEntry, AuditEvent, AuditFilter, Change, PLATFORM_CHAIN,
};
use prongsai_domain::platform::division::DivisionFields;
use prongsai_domain::platform::person::PersonFields;
use prongsai_domain::platform::{
    AccountStore, AgencyStore, AuditStore, FileStore, InstanceStore, PeopleStore, SessionStore,
};
use prongsai_domain::platform::{
    Actor, AgencyKind, ExecutiveSide, FileKind, Membership, NewAgency, Role, RoleGrant, Session,
    Slug, StoredFile,
};
use prongsai_store::Db;

use crate::support::app::profile;
use crate::support::*;

const T0: i64 = 1_768_446_000;

fn w(actor: &Actor, at: i64) -> Write<'_> {
    Write { actor, at }
}

fn sys() -> Actor {
    Actor::system("test")
}

/// Every entry of a chain, oldest first.
async fn chain(db: &Db, chain: i64) -> Vec<AuditEntry> {
    db.audit_chain(chain, 0, 100_000).await.unwrap()
}

async fn total_entries(db: &Db) -> usize {
    let mut n = 0;
    for h in db.audit_heads().await.unwrap() {
        n += chain(db, h.chain).await.len();
    }
    n
}

/// Runs a write and checks that it appended exactly one entry, on `on_chain`, and returns it.
async fn one_entry(db: &Db, on_chain: i64, before_total: usize) -> AuditEntry {
    assert_eq!(
        total_entries(db).await,
        before_total + 1,
        "a write appends exactly one audit entry"
    );
    chain(db, on_chain)
        .await
        .pop()
        .expect("the entry is on the expected chain")
}

fn change(e: &AuditEntry, field: &str) -> Option<Change> {
    e.parsed_changes().into_iter().find(|c| c.field == field)
}

fn division(name: &str, order: i64) -> DivisionFields {
    DivisionFields {
        name: name.into(),
        short_name: None,
        name_en: Some("Division".into()),
        duties: Some("งาน".into()),
        phone: Some("043-000-000".into()),
        email: Some("d@x.example".into()),
        sort_order: order,
    }
}

fn person(name: &str, division: Option<DivisionId>, order: i64) -> PersonFields {
    PersonFields {
        name: name.into(),
        position: "ตำแหน่ง".into(),
        division_id: division,
        executive: None,
        is_division_head: false,
        phone: None,
        email: None,
        sort_order: order,
    }
}

fn new_account(id: i64, email: &str) -> NewAccount {
    NewAccount {
        id: AccountId::from_raw(id),
        email: email.into(),
        display_name: format!("ชื่อ {email}"),
        password_hash: "$argon2id$v=19$m=64,t=1,p=1$c2VjcmV0LXNhbHQ$SECRET-HASH-VALUE".into(),
        is_platform_operator: false,
        must_change_password: false,
    }
}

async fn agency(db: &Db, id: i64, slug: &str) -> AgencyId {
    let a = AgencyId::from_raw(id);
    db.create_agency(
        w(&sys(), T0),
        &NewAgency {
            id: a,
            slug: Slug::parse(slug).unwrap(),
            profile: profile(&format!("อบต.{slug}"), "ขอนแก่น"),
            is_demo: false,
        },
    )
    .await
    .unwrap();
    a
}

async fn file(db: &Db, agency: AgencyId, id: i64) -> FileId {
    let f = FileId::from_raw(id);
    db.insert_file(
        w(&sys(), T0),
        &StoredFile {
            id: f,
            agency_id: agency,
            kind: FileKind::Png,
            size: 10,
            sha256: format!("{id:064x}"),
            original_name: "ภาพ.png".into(),
            created_at: T0,
        },
    )
    .await
    .unwrap();
    f
}

#[tokio::test]
async fn an_instance_key_is_made_once_and_then_kept() {
    let t = TestDb::new().await;
    let first = t.db.instance_key("k", b"first").await.unwrap();
    let again = t.db.instance_key("k", b"second").await.unwrap();
    assert_eq!(first, b"first");
    assert_eq!(again, b"first");
    assert_eq!(
        t.db.instance_key("other", b"\0\xff").await.unwrap(),
        b"\0\xff"
    );
    t.db.ping().await.unwrap();
}

#[tokio::test]
async fn an_agency_is_created_found_listed_updated_and_deleted() {
    let t = TestDb::new().await;
    let db = &t.db;
    let a = agency(db, 101, "khamyai").await;
    let created = chain(db, PLATFORM_CHAIN).await.pop().unwrap();
    assert_eq!(
        (created.entity.as_str(), created.action.as_str()),
        ("agency", "create")
    );
    assert_eq!(
        change(&created, "slug").unwrap().new.as_deref(),
        Some("khamyai")
    );

    let got = db.agency(a).await.unwrap();
    assert_eq!(got.slug.as_str(), "khamyai");
    assert_eq!(got.profile, profile("อบต.khamyai", "ขอนแก่น"));
    assert_eq!(got.created_at, T0);
    assert_eq!(db.agency_by_slug("khamyai").await.unwrap().unwrap().id, a);
    assert!(db.agency_by_slug("nowhere").await.unwrap().is_none());
    assert!(matches!(
        db.agency(AgencyId::from_raw(999)).await,
        Err(StoreError::NotFound)
    ));
    let list = db.list_agencies().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0].kind,
        AgencyKind::SubdistrictAdministrativeOrganization
    );

    let mut p = got.profile.clone();
    p.name = "อบต.คำใหญ่".into();
    p.phone = Some("043-111-222".into());
    p.require_totp = true;
    let n = total_entries(db).await;
    db.update_agency_profile(w(&sys(), T0 + 5), a, &p)
        .await
        .unwrap();
    let e = one_entry(db, a.get(), n).await;
    assert_eq!((e.entity.as_str(), e.action.as_str()), ("agency", "update"));
    assert_eq!(e.entity_id, a.to_string());
    assert_eq!(e.agency_id, Some(a));
    assert_eq!(e.at, T0 + 5);
    let fields: Vec<String> = e.parsed_changes().into_iter().map(|c| c.field).collect();
    assert_eq!(fields, ["name", "phone", "require_totp"]);
    assert_eq!(
        change(&e, "name").unwrap(),
        Change {
            field: "name".into(),
            old: Some("อบต.khamyai".into()),
            new: Some("อบต.คำใหญ่".into())
        }
    );
    let after = db.agency(a).await.unwrap();
    assert_eq!(after.profile, p);
    assert_eq!(after.updated_at, T0 + 5);

    let logo = file(db, a, 7001).await;
    let n = total_entries(db).await;
    db.set_agency_logo(w(&sys(), T0 + 6), a, Some(logo))
        .await
        .unwrap();
    let e = one_entry(db, a.get(), n).await;
    assert_eq!(
        change(&e, "logo_file_id").unwrap().new,
        Some(logo.to_string())
    );
    assert_eq!(db.agency(a).await.unwrap().logo, Some(logo));
    assert_eq!(db.list_agencies().await.unwrap()[0].logo, Some(logo));

    assert!(db.list_fiscal_years(a).await.unwrap().is_empty());
    for y in [2566, 2568, 2567] {
        let n = total_entries(db).await;
        db.open_fiscal_year(w(&sys(), T0), a, y).await.unwrap();
        let e = one_entry(db, a.get(), n).await;
        assert_eq!(
            (e.entity.as_str(), e.action.as_str(), e.entity_id.as_str()),
            ("fiscal-year", "create", y.to_string().as_str())
        );
    }
    let n = total_entries(db).await;
    db.open_fiscal_year(w(&sys(), T0), a, 2567).await.unwrap();
    assert_eq!(
        total_entries(db).await,
        n,
        "opening an open year changes nothing"
    );
    assert_eq!(db.list_fiscal_years(a).await.unwrap(), [2568, 2567, 2566]);

    // Deleting takes everything the agency owns, and keeps its history.
    let d = DivisionId::from_raw(201);
    db.create_division(w(&sys(), T0), a, d, &division("กองคลัง", 1))
        .await
        .unwrap();
    let pid = PersonId::from_raw(301);
    db.create_person(w(&sys(), T0), a, pid, &person("นายหนึ่ง", Some(d), 1))
        .await
        .unwrap();
    db.set_person_photo(w(&sys(), T0), a, pid, Some(logo))
        .await
        .unwrap();
    db.create_account(w(&sys(), T0), Some(a), &new_account(401, "one@x.example"))
        .await
        .unwrap();
    db.put_membership(
        w(&sys(), T0),
        &Membership {
            agency_id: a,
            account_id: AccountId::from_raw(401),
            person_id: Some(pid),
            grants: vec![RoleGrant {
                role: Role::DivisionOfficer,
                division_id: Some(d),
            }],
        },
    )
    .await
    .unwrap();
    let history = chain(db, a.get()).await;
    let n = total_entries(db).await;
    db.delete_agency(w(&sys(), T0 + 9), a).await.unwrap();
    let e = one_entry(db, PLATFORM_CHAIN, n).await;
    assert_eq!((e.entity.as_str(), e.action.as_str()), ("agency", "delete"));
    assert_eq!(change(&e, "slug").unwrap().old.as_deref(), Some("khamyai"));
    assert!(db.agency_by_slug("khamyai").await.unwrap().is_none());
    assert!(db.list_divisions(a).await.unwrap().is_empty());
    assert!(db.list_people(a).await.unwrap().is_empty());
    assert!(db.list_members(a).await.unwrap().is_empty());
    assert!(db.list_fiscal_years(a).await.unwrap().is_empty());
    assert!(matches!(db.file(a, logo).await, Err(StoreError::NotFound)));
    assert_eq!(
        chain(db, a.get()).await,
        history,
        "the agency's audit chain stays"
    );
    assert!(
        db.account(AccountId::from_raw(401)).await.is_ok(),
        "accounts are platform-wide and stay"
    );
    assert!(matches!(
        db.delete_agency(w(&sys(), T0), a).await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn a_taken_slug_or_email_is_a_conflict_and_writes_nothing() {
    let t = TestDb::new().await;
    let db = &t.db;
    agency(db, 101, "khamyai").await;
    let n = total_entries(db).await;
    let again = db
        .create_agency(
            w(&sys(), T0),
            &NewAgency {
                id: AgencyId::from_raw(102),
                slug: Slug::parse("khamyai").unwrap(),
                profile: profile("อื่น", "ขอนแก่น"),
                is_demo: false,
            },
        )
        .await;
    assert!(matches!(again, Err(StoreError::Conflict)), "{again:?}");
    db.create_account(w(&sys(), T0), None, &new_account(1, "a@x.example"))
        .await
        .unwrap();
    let n = n + 1;
    let again = db
        .create_account(w(&sys(), T0), None, &new_account(2, "a@x.example"))
        .await;
    assert!(matches!(again, Err(StoreError::Conflict)), "{again:?}");
    assert_eq!(
        total_entries(db).await,
        n,
        "a refused write leaves no entry"
    );
    assert_eq!(db.list_agencies().await.unwrap().len(), 1);
    assert!(matches!(
        db.account(AccountId::from_raw(2)).await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn divisions_are_created_listed_updated_and_deleted() {
    let t = TestDb::new().await;
    let db = &t.db;
    let a = agency(db, 101, "khamyai").await;
    let (d1, d2) = (DivisionId::from_raw(201), DivisionId::from_raw(202));
    let n = total_entries(db).await;
    db.create_division(w(&sys(), T0), a, d1, &division("กองช่าง", 20))
        .await
        .unwrap();
    let e = one_entry(db, a.get(), n).await;
    assert_eq!(
        (e.entity.as_str(), e.action.as_str()),
        ("division", "create")
    );
    assert_eq!(e.entity_id, d1.to_string());
    assert_eq!(change(&e, "name").unwrap().new.as_deref(), Some("กองช่าง"));
    db.create_division(w(&sys(), T0), a, d2, &division("สำนักปลัด", 10))
        .await
        .unwrap();
    let names: Vec<String> = db
        .list_divisions(a)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.fields.name)
        .collect();
    assert_eq!(names, ["สำนักปลัด", "กองช่าง"], "display order");
    let got = db.division(a, d1).await.unwrap();
    assert_eq!((got.id, got.agency_id), (d1, a));
    assert_eq!(got.fields, division("กองช่าง", 20));

    let mut f = division("กองช่างโยธา", 20);
    f.email = None;
    let n = total_entries(db).await;
    db.update_division(w(&sys(), T0), a, d1, &f).await.unwrap();
    let e = one_entry(db, a.get(), n).await;
    assert_eq!(e.action, "update");
    let fields: Vec<String> = e.parsed_changes().into_iter().map(|c| c.field).collect();
    assert_eq!(fields, ["name", "email"]);
    assert_eq!(db.division(a, d1).await.unwrap().fields, f);
    assert!(matches!(
        db.create_division(w(&sys(), T0), a, d1, &f).await,
        Err(StoreError::Conflict)
    ));

    let n = total_entries(db).await;
    db.delete_division(w(&sys(), T0), a, d1).await.unwrap();
    let e = one_entry(db, a.get(), n).await;
    assert_eq!(e.action, "delete");
    assert_eq!(
        change(&e, "name").unwrap().old.as_deref(),
        Some("กองช่างโยธา")
    );
    assert!(matches!(
        db.division(a, d1).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        db.delete_division(w(&sys(), T0), a, d1).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        db.update_division(w(&sys(), T0), a, d1, &f).await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn a_division_that_people_or_roles_refer_to_cannot_be_deleted() {
    let t = TestDb::new().await;
    let db = &t.db;
    let a = agency(db, 101, "khamyai").await;
    let (d1, d2) = (DivisionId::from_raw(201), DivisionId::from_raw(202));
    for d in [d1, d2] {
        db.create_division(w(&sys(), T0), a, d, &division("กอง", 1))
            .await
            .unwrap();
    }
    db.create_person(
        w(&sys(), T0),
        a,
        PersonId::from_raw(301),
        &person("นายหนึ่ง", Some(d1), 1),
    )
    .await
    .unwrap();
    db.create_account(w(&sys(), T0), Some(a), &new_account(401, "o@x.example"))
        .await
        .unwrap();
    db.put_membership(
        w(&sys(), T0),
        &Membership {
            agency_id: a,
            account_id: AccountId::from_raw(401),
            person_id: None,
            grants: vec![RoleGrant {
                role: Role::DivisionOfficer,
                division_id: Some(d2),
            }],
        },
    )
    .await
    .unwrap();
    let n = total_entries(db).await;
    for d in [d1, d2] {
        let r = db.delete_division(w(&sys(), T0), a, d).await;
        assert!(matches!(r, Err(StoreError::Conflict)), "{r:?}");
        assert!(db.division(a, d).await.is_ok());
    }
    assert_eq!(total_entries(db).await, n);
}

#[tokio::test]
async fn people_are_created_listed_updated_given_a_photo_and_deleted() {
    let t = TestDb::new().await;
    let db = &t.db;
    let a = agency(db, 101, "khamyai").await;
    let d = DivisionId::from_raw(201);
    db.create_division(w(&sys(), T0), a, d, &division("กองคลัง", 1))
        .await
        .unwrap();
    let (p1, p2) = (PersonId::from_raw(301), PersonId::from_raw(302));
    let n = total_entries(db).await;
    db.create_person(w(&sys(), T0), a, p1, &person("นายสอง", Some(d), 20))
        .await
        .unwrap();
    let e = one_entry(db, a.get(), n).await;
    assert_eq!((e.entity.as_str(), e.action.as_str()), ("person", "create"));
    assert_eq!(change(&e, "division_id").unwrap().new, Some(d.to_string()));
    let mut exec = person("นางหนึ่ง", None, 10);
    exec.executive = Some(ExecutiveSide::Permanent);
    exec.email = Some("one@x.example".into());
    db.create_person(w(&sys(), T0), a, p2, &exec).await.unwrap();
    let list = db.list_people(a).await.unwrap();
    assert_eq!(
        list.iter().map(|p| p.id).collect::<Vec<_>>(),
        [p2, p1],
        "display order"
    );
    assert_eq!(db.person(a, p2).await.unwrap().fields, exec);

    let mut f = person("นายสอง", Some(d), 20);
    f.is_division_head = true;
    f.phone = Some("๐๔๓-๑๑๑".into());
    let n = total_entries(db).await;
    db.update_person(w(&sys(), T0), a, p1, &f).await.unwrap();
    let e = one_entry(db, a.get(), n).await;
    let fields: Vec<String> = e.parsed_changes().into_iter().map(|c| c.field).collect();
    assert_eq!(fields, ["is_division_head", "phone"]);
    assert_eq!(db.person(a, p1).await.unwrap().fields, f);

    let photo = file(db, a, 7001).await;
    let n = total_entries(db).await;
    db.set_person_photo(w(&sys(), T0), a, p1, Some(photo))
        .await
        .unwrap();
    let e = one_entry(db, a.get(), n).await;
    assert_eq!(
        change(&e, "photo_file_id").unwrap().new,
        Some(photo.to_string())
    );
    assert_eq!(db.person(a, p1).await.unwrap().photo, Some(photo));

    // Deleting a person unlinks the accounts linked to them.
    db.create_account(w(&sys(), T0), Some(a), &new_account(401, "two@x.example"))
        .await
        .unwrap();
    let m = Membership {
        agency_id: a,
        account_id: AccountId::from_raw(401),
        person_id: Some(p1),
        grants: vec![RoleGrant {
            role: Role::Executive,
            division_id: None,
        }],
    };
    db.put_membership(w(&sys(), T0), &m).await.unwrap();
    let n = total_entries(db).await;
    db.delete_person(w(&sys(), T0), a, p1).await.unwrap();
    let e = one_entry(db, a.get(), n).await;
    assert_eq!((e.entity.as_str(), e.action.as_str()), ("person", "delete"));
    assert!(matches!(db.person(a, p1).await, Err(StoreError::NotFound)));
    let after = db
        .membership(a, AccountId::from_raw(401))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.person_id, None);
    assert_eq!(after.grants, m.grants);
    for r in [
        db.update_person(w(&sys(), T0), a, p1, &f).await,
        db.set_person_photo(w(&sys(), T0), a, p1, None).await,
        db.delete_person(w(&sys(), T0), a, p1).await,
    ] {
        assert!(matches!(r, Err(StoreError::NotFound)), "{r:?}");
    }
}

#[tokio::test]
async fn accounts_are_created_found_updated_and_deleted_without_leaking_secrets() {
    let t = TestDb::new().await;
    let db = &t.db;
    let a = agency(db, 101, "khamyai").await;
    let new = new_account(401, "Person@X.example");
    let n = total_entries(db).await;
    db.create_account(w(&sys(), T0), Some(a), &new)
        .await
        .unwrap();
    let e = one_entry(db, a.get(), n).await;
    assert_eq!(
        (e.entity.as_str(), e.action.as_str()),
        ("account", "create")
    );
    assert_eq!(
        change(&e, "password").unwrap(),
        Change {
            field: "password".into(),
            old: None,
            new: None
        },
        "the password change is named, never shown"
    );
    let acc = db.account(new.id).await.unwrap();
    assert_eq!(acc.email, "Person@X.example");
    assert_eq!(acc.password_hash, new.password_hash);
    assert!(!acc.totp_enabled && !acc.disabled && !acc.must_change_password);
    assert_eq!(
        db.account_by_email("Person@X.example")
            .await
            .unwrap()
            .unwrap()
            .id,
        new.id
    );
    assert!(
        db.account_by_email("nobody@x.example")
            .await
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        db.account(AccountId::from_raw(9)).await,
        Err(StoreError::NotFound)
    ));

    let n = total_entries(db).await;
    db.set_password(
        w(&sys(), T0),
        Some(a),
        new.id,
        "$argon2id$NEW-SECRET-HASH",
        true,
    )
    .await
    .unwrap();
    let e = one_entry(db, a.get(), n).await;
    assert_eq!(e.action, "password-reset");
    let acc = db.account(new.id).await.unwrap();
    assert_eq!(acc.password_hash, "$argon2id$NEW-SECRET-HASH");
    assert!(acc.must_change_password);
    let n = total_entries(db).await;
    db.set_password(
        w(&sys(), T0),
        None,
        new.id,
        "$argon2id$THIRD-SECRET-HASH",
        false,
    )
    .await
    .unwrap();
    let e = one_entry(db, PLATFORM_CHAIN, n).await;
    assert_eq!(e.action, "password-change");
    assert!(!db.account(new.id).await.unwrap().must_change_password);

    let n = total_entries(db).await;
    db.set_totp(w(&sys(), T0), new.id, Some("TOTPSECRETBASE32"), false)
        .await
        .unwrap();
    assert_eq!(one_entry(db, PLATFORM_CHAIN, n).await.action, "totp-enrol");
    db.set_totp(w(&sys(), T0), new.id, Some("TOTPSECRETBASE32"), true)
        .await
        .unwrap();
    let acc = db.account(new.id).await.unwrap();
    assert_eq!(acc.totp_secret.as_deref(), Some("TOTPSECRETBASE32"));
    assert!(acc.totp_enabled);
    assert!(db.advance_totp_step(new.id, 100).await.unwrap());
    assert!(!db.advance_totp_step(new.id, 100).await.unwrap(), "replay");
    assert!(
        !db.advance_totp_step(new.id, 99).await.unwrap(),
        "older step"
    );
    assert!(db.advance_totp_step(new.id, 101).await.unwrap());
    assert_eq!(db.account(new.id).await.unwrap().totp_last_step, 101);
    let n = total_entries(db).await;
    db.set_totp(w(&sys(), T0), new.id, None, false)
        .await
        .unwrap();
    assert_eq!(
        one_entry(db, PLATFORM_CHAIN, n).await.action,
        "totp-disable"
    );

    let n = total_entries(db).await;
    db.set_account_disabled(w(&sys(), T0), Some(a), new.id, true)
        .await
        .unwrap();
    let e = one_entry(db, a.get(), n).await;
    assert_eq!(e.action, "disable");
    assert!(db.account(new.id).await.unwrap().disabled);
    db.set_account_disabled(w(&sys(), T0), Some(a), new.id, false)
        .await
        .unwrap();
    assert!(!db.account(new.id).await.unwrap().disabled);
    assert!(matches!(
        db.set_account_disabled(w(&sys(), T0), None, AccountId::from_raw(9), true)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        db.set_password(w(&sys(), T0), None, AccountId::from_raw(9), "x", false)
            .await,
        Err(StoreError::NotFound)
    ));

    // Still a member: not deletable. Then deleted.
    db.put_membership(
        w(&sys(), T0),
        &Membership {
            agency_id: a,
            account_id: new.id,
            person_id: None,
            grants: vec![],
        },
    )
    .await
    .unwrap();
    assert!(matches!(
        db.delete_account(w(&sys(), T0), new.id).await,
        Err(StoreError::Conflict)
    ));
    db.remove_membership(w(&sys(), T0), a, new.id)
        .await
        .unwrap();
    let n = total_entries(db).await;
    db.delete_account(w(&sys(), T0), new.id).await.unwrap();
    assert_eq!(one_entry(db, PLATFORM_CHAIN, n).await.action, "delete");
    assert!(matches!(
        db.account(new.id).await,
        Err(StoreError::NotFound)
    ));

    // No secret ever reached the log.
    for h in db.audit_heads().await.unwrap() {
        for e in chain(db, h.chain).await {
            for secret in ["SECRET-HASH", "argon2", "TOTPSECRETBASE32"] {
                assert!(
                    !e.changes.contains(secret) && !e.entity_id.contains(secret),
                    "a secret in the audit log: {e:?}"
                );
            }
        }
    }
}

#[tokio::test]
async fn memberships_and_roles_are_put_read_listed_and_removed() {
    let t = TestDb::new().await;
    let db = &t.db;
    let a = agency(db, 101, "khamyai").await;
    let b = agency(db, 102, "khamlek").await;
    let d = DivisionId::from_raw(201);
    db.create_division(w(&sys(), T0), a, d, &division("กองคลัง", 1))
        .await
        .unwrap();
    let p = PersonId::from_raw(301);
    db.create_person(w(&sys(), T0), a, p, &person("นายหนึ่ง", Some(d), 1))
        .await
        .unwrap();
    let acc = AccountId::from_raw(401);
    db.create_account(w(&sys(), T0), Some(a), &new_account(401, "m@x.example"))
        .await
        .unwrap();
    assert!(db.membership(a, acc).await.unwrap().is_none());
    let m = Membership {
        agency_id: a,
        account_id: acc,
        person_id: Some(p),
        grants: vec![
            RoleGrant {
                role: Role::AgencyAdmin,
                division_id: None,
            },
            RoleGrant {
                role: Role::DivisionOfficer,
                division_id: Some(d),
            },
        ],
    };
    let n = total_entries(db).await;
    db.put_membership(w(&sys(), T0), &m).await.unwrap();
    let e = one_entry(db, a.get(), n).await;
    assert_eq!(
        (e.entity.as_str(), e.action.as_str()),
        ("membership", "create")
    );
    assert_eq!(
        change(&e, "roles").unwrap().new,
        Some(format!("agency-admin,division-officer@{d}"))
    );
    assert_eq!(db.membership(a, acc).await.unwrap(), Some(m.clone()));
    let rows = db.list_members(a).await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].membership, m);
    assert_eq!(rows[0].person_name.as_deref(), Some("นายหนึ่ง"));
    assert_eq!(rows[0].account.email, "m@x.example");

    db.put_membership(
        w(&sys(), T0),
        &Membership {
            agency_id: b,
            account_id: acc,
            person_id: None,
            grants: vec![RoleGrant {
                role: Role::Assessor,
                division_id: None,
            }],
        },
    )
    .await
    .unwrap();
    let of = db.memberships_of(acc).await.unwrap();
    assert_eq!(of.len(), 2);
    let in_b = of.iter().find(|(s, _)| s.id == b).unwrap();
    assert_eq!(in_b.0.slug.as_str(), "khamlek");
    assert_eq!(in_b.1.roles(), [Role::Assessor]);

    let mut changed = m.clone();
    changed.grants = vec![RoleGrant {
        role: Role::Executive,
        division_id: None,
    }];
    changed.person_id = None;
    let n = total_entries(db).await;
    db.put_membership(w(&sys(), T0), &changed).await.unwrap();
    let e = one_entry(db, a.get(), n).await;
    assert_eq!(e.action, "update");
    assert_eq!(
        change(&e, "roles").unwrap().new.as_deref(),
        Some("executive")
    );
    assert_eq!(change(&e, "person_id").unwrap().old, Some(p.to_string()));
    assert_eq!(db.membership(a, acc).await.unwrap(), Some(changed));

    let n = total_entries(db).await;
    db.remove_membership(w(&sys(), T0), a, acc).await.unwrap();
    let e = one_entry(db, a.get(), n).await;
    assert_eq!(e.action, "delete");
    assert!(db.membership(a, acc).await.unwrap().is_none());
    assert!(db.list_members(a).await.unwrap().is_empty());
    assert_eq!(db.memberships_of(acc).await.unwrap().len(), 1);
    assert!(matches!(
        db.remove_membership(w(&sys(), T0), a, acc).await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn sessions_are_created_touched_completed_and_ended() {
    let t = TestDb::new().await;
    let db = &t.db;
    for i in [1, 2] {
        db.create_account(
            w(&sys(), T0),
            None,
            &new_account(i, &format!("{i}@x.example")),
        )
        .await
        .unwrap();
    }
    let s = |hash: &str, account: i64, created: i64, pending: bool| Session {
        id_hash: hash.into(),
        account_id: AccountId::from_raw(account),
        created_at: created,
        last_seen_at: created,
        mfa_pending: pending,
    };
    let n = total_entries(db).await;
    db.create_session(&s("h1", 1, T0, true)).await.unwrap();
    db.create_session(&s("h2", 1, T0, false)).await.unwrap();
    db.create_session(&s("h3", 1, T0, false)).await.unwrap();
    db.create_session(&s("h4", 2, T0 - 100, false))
        .await
        .unwrap();
    assert_eq!(
        total_entries(db).await,
        n,
        "sessions themselves are not audited (sign-ins are, by the services)"
    );
    assert!(matches!(
        db.create_session(&s("h5", 99, T0, false)).await,
        Err(StoreError::Conflict)
    ));
    assert_eq!(db.session("h1").await.unwrap(), Some(s("h1", 1, T0, true)));
    assert!(db.session("nope").await.unwrap().is_none());
    db.touch_session("h2", T0 + 60).await.unwrap();
    assert_eq!(
        db.session("h2").await.unwrap().unwrap().last_seen_at,
        T0 + 60
    );
    db.complete_mfa("h1", T0 + 30).await.unwrap();
    let done = db.session("h1").await.unwrap().unwrap();
    assert!(!done.mfa_pending);
    assert_eq!((done.created_at, done.last_seen_at), (T0 + 30, T0 + 30));
    db.delete_session("h3").await.unwrap();
    assert!(db.session("h3").await.unwrap().is_none());
    db.delete_sessions_of(AccountId::from_raw(1), Some("h2"))
        .await
        .unwrap();
    assert!(db.session("h1").await.unwrap().is_none());
    assert!(
        db.session("h2").await.unwrap().is_some(),
        "the kept session"
    );
    db.create_session(&s("h6", 1, T0, false)).await.unwrap();
    db.delete_sessions_of(AccountId::from_raw(1), None)
        .await
        .unwrap();
    assert!(db.session("h2").await.unwrap().is_none());
    assert!(db.session("h6").await.unwrap().is_none());
    assert!(
        db.session("h4").await.unwrap().is_some(),
        "another account's"
    );

    db.create_session(&s("fresh", 2, T0, false)).await.unwrap();
    db.create_session(&s("old", 2, T0 - 10_000, false))
        .await
        .unwrap();
    db.touch_session("old", T0).await.unwrap();
    // h4 is idle since T0-100; old is busy but was created long ago.
    assert_eq!(db.purge_sessions(T0 - 50, T0 - 5_000).await.unwrap(), 2);
    assert!(db.session("fresh").await.unwrap().is_some());
    assert!(db.session("h4").await.unwrap().is_none());
    assert!(db.session("old").await.unwrap().is_none());
}

#[tokio::test]
async fn files_are_recorded_and_only_logos_and_photos_are_public() {
    let t = TestDb::new().await;
    let db = &t.db;
    let a = agency(db, 101, "khamyai").await;
    let n = total_entries(db).await;
    let f = file(db, a, 7001).await;
    let e = one_entry(db, a.get(), n).await;
    assert_eq!((e.entity.as_str(), e.action.as_str()), ("file", "create"));
    assert_eq!(change(&e, "name").unwrap().new.as_deref(), Some("ภาพ.png"));
    let got = db.file(a, f).await.unwrap();
    assert_eq!(
        (got.id, got.agency_id, got.kind, got.size),
        (f, a, FileKind::Png, 10)
    );
    assert_eq!(got.original_name, "ภาพ.png");
    assert!(!db.file_is_public(a, f).await.unwrap());
    db.set_agency_logo(w(&sys(), T0), a, Some(f)).await.unwrap();
    assert!(db.file_is_public(a, f).await.unwrap());
    let g = file(db, a, 7002).await;
    let p = PersonId::from_raw(301);
    db.create_person(w(&sys(), T0), a, p, &person("นายหนึ่ง", None, 1))
        .await
        .unwrap();
    assert!(!db.file_is_public(a, g).await.unwrap());
    db.set_person_photo(w(&sys(), T0), a, p, Some(g))
        .await
        .unwrap();
    assert!(db.file_is_public(a, g).await.unwrap());
    assert!(matches!(
        db.file(a, FileId::from_raw(1)).await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn the_audit_log_pages_newest_first_with_filters_and_chains_by_agency() {
    let t = TestDb::new().await;
    let db = &t.db;
    let a = agency(db, 101, "khamyai").await;
    let b = agency(db, 102, "khamlek").await;
    let alice = Actor::account(AccountId::from_raw(1), "alice@x.example");
    let bob = Actor::account(AccountId::from_raw(2), "bob@x.example");
    for i in 0..6 {
        let actor = if i % 2 == 0 { &alice } else { &bob };
        let entity = if i < 3 { "division" } else { "person" };
        db.record(
            w(actor, T0 + i * 100),
            Some(a),
            &AuditEvent::new(entity, i, "update", vec![]),
        )
        .await
        .unwrap();
    }
    db.record(
        w(&alice, T0),
        Some(b),
        &AuditEvent::new("division", 9, "delete", vec![]),
    )
    .await
    .unwrap();
    db.record(
        w(&alice, T0),
        None,
        &AuditEvent::new("account", 1, "sign-in", vec![]),
    )
    .await
    .unwrap();

    let page = |f: AuditFilter| async move {
        db.audit_page(a, &AuditFilter { limit: 50, ..f })
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.entity_id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        page(AuditFilter::default()).await,
        ["5", "4", "3", "2", "1", "0"]
    );
    assert_eq!(
        page(AuditFilter {
            entity: Some("division".into()),
            ..Default::default()
        })
        .await,
        ["2", "1", "0"]
    );
    assert_eq!(
        page(AuditFilter {
            actor: Some("bob@x.example".into()),
            ..Default::default()
        })
        .await,
        ["5", "3", "1"]
    );
    assert_eq!(
        page(AuditFilter {
            action: Some("delete".into()),
            ..Default::default()
        })
        .await,
        Vec::<String>::new(),
        "agency B's delete is not on A's page"
    );
    assert_eq!(
        page(AuditFilter {
            from: Some(T0 + 100),
            until: Some(T0 + 400),
            ..Default::default()
        })
        .await,
        ["3", "2", "1"]
    );
    let first = db
        .audit_page(
            a,
            &AuditFilter {
                limit: 2,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(first.len(), 2);
    assert_eq!(
        page(AuditFilter {
            before_seq: Some(first[1].seq),
            ..Default::default()
        })
        .await,
        ["3", "2", "1", "0"]
    );
    let ours = db.audit_page(a, &AuditFilter::default()).await.unwrap();
    assert!(
        ours.iter()
            .all(|e| e.agency_id == Some(a) && e.chain == a.get())
    );

    let heads = db.audit_heads().await.unwrap();
    let head = |c: i64| heads.iter().find(|h| h.chain == c).unwrap().clone();
    let a_chain = chain(db, a.get()).await;
    assert_eq!(head(a.get()).seq, a_chain.last().unwrap().seq);
    assert_eq!(head(a.get()).hash, a_chain.last().unwrap().hash);
    assert_eq!(
        a_chain.iter().map(|e| e.seq).collect::<Vec<_>>(),
        (1..=a_chain.len() as i64).collect::<Vec<_>>(),
        "numbered without gaps"
    );
    for pair in a_chain.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash, "linked");
    }
    let tail = db.audit_chain(a.get(), 2, 3).await.unwrap();
    assert_eq!(tail.iter().map(|e| e.seq).collect::<Vec<_>>(), [3, 4, 5]);
    assert_eq!(
        chain(db, b.get())
            .await
            .iter()
            .map(|e| e.entity_id.as_str())
            .collect::<Vec<_>>(),
        ["9"],
        "B's chain holds B's entries only"
    );
    assert_eq!(head(b.get()).seq, 1);
    assert_eq!(
        head(PLATFORM_CHAIN).seq,
        3,
        "two agencies created, one sign-in"
    );
}

#[tokio::test]
async fn nothing_of_one_agency_is_reachable_through_another() {
    let t = TestDb::new().await;
    let db = &t.db;
    let a = agency(db, 101, "khamyai").await;
    let b = agency(db, 102, "khamlek").await;
    let bd = DivisionId::from_raw(202);
    db.create_division(w(&sys(), T0), b, bd, &division("กองของบี", 1))
        .await
        .unwrap();
    let bp = PersonId::from_raw(302);
    db.create_person(w(&sys(), T0), b, bp, &person("คนของบี", Some(bd), 1))
        .await
        .unwrap();
    let bf = file(db, b, 7002).await;
    db.set_person_photo(w(&sys(), T0), b, bp, Some(bf))
        .await
        .unwrap();
    let ba = AccountId::from_raw(402);
    db.create_account(w(&sys(), T0), Some(b), &new_account(402, "b@x.example"))
        .await
        .unwrap();
    db.put_membership(
        w(&sys(), T0),
        &Membership {
            agency_id: b,
            account_id: ba,
            person_id: Some(bp),
            grants: vec![RoleGrant {
                role: Role::AgencyAdmin,
                division_id: None,
            }],
        },
    )
    .await
    .unwrap();
    db.open_fiscal_year(w(&sys(), T0), b, 2567).await.unwrap();
    let before = snapshot_all(db).await;

    let not_found = |r: Result<(), StoreError>, what: &str| {
        assert!(matches!(r, Err(StoreError::NotFound)), "{what}: {r:?}");
    };
    assert!(matches!(
        db.division(a, bd).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(db.person(a, bp).await, Err(StoreError::NotFound)));
    assert!(matches!(db.file(a, bf).await, Err(StoreError::NotFound)));
    assert!(!db.file_is_public(a, bf).await.unwrap());
    assert!(db.membership(a, ba).await.unwrap().is_none());
    assert!(db.list_divisions(a).await.unwrap().is_empty());
    assert!(db.list_people(a).await.unwrap().is_empty());
    assert!(db.list_members(a).await.unwrap().is_empty());
    assert!(db.list_fiscal_years(a).await.unwrap().is_empty());
    assert!(
        db.audit_page(a, &AuditFilter::default())
            .await
            .unwrap()
            .iter()
            .all(|e| e.agency_id == Some(a))
    );
    not_found(
        db.update_division(w(&sys(), T0), a, bd, &division("x", 1))
            .await,
        "update_division",
    );
    not_found(
        db.delete_division(w(&sys(), T0), a, bd).await,
        "delete_division",
    );
    not_found(
        db.update_person(w(&sys(), T0), a, bp, &person("x", None, 1))
            .await,
        "update_person",
    );
    not_found(
        db.set_person_photo(w(&sys(), T0), a, bp, None).await,
        "set_person_photo",
    );
    not_found(
        db.delete_person(w(&sys(), T0), a, bp).await,
        "delete_person",
    );
    not_found(
        db.remove_membership(w(&sys(), T0), a, ba).await,
        "remove_membership",
    );

    // References across agencies are refused by the schema itself.
    let refused = |r: Result<(), StoreError>, what: &str| {
        assert!(
            matches!(r, Err(StoreError::NotFound | StoreError::Conflict)),
            "{what}: {r:?}"
        );
    };
    refused(
        db.set_agency_logo(w(&sys(), T0), a, Some(bf)).await,
        "A's logo from B's files",
    );
    refused(
        db.create_person(
            w(&sys(), T0),
            a,
            PersonId::from_raw(301),
            &person("x", Some(bd), 1),
        )
        .await,
        "A's person in B's division",
    );
    refused(
        db.put_membership(
            w(&sys(), T0),
            &Membership {
                agency_id: a,
                account_id: ba,
                person_id: Some(bp),
                grants: vec![],
            },
        )
        .await,
        "A's member linked to B's person",
    );
    refused(
        db.put_membership(
            w(&sys(), T0),
            &Membership {
                agency_id: a,
                account_id: ba,
                person_id: None,
                grants: vec![RoleGrant {
                    role: Role::DivisionOfficer,
                    division_id: Some(bd),
                }],
            },
        )
        .await,
        "A's officer of B's division",
    );
    assert_unchanged(&before, &snapshot_all(db).await, "cross-agency store calls");
}

#[tokio::test]
async fn a_lookup_by_a_text_with_nul_finds_nothing_on_either_backend() {
    let t = TestDb::new().await;
    let db = &t.db;
    let a = agency(db, 101, "khamyai").await;
    db.create_account(w(&sys(), T0), Some(a), &new_account(1, "a@x.example"))
        .await
        .unwrap();
    assert!(db.agency_by_slug("kham\0yai").await.unwrap().is_none());
    assert!(
        db.account_by_email("a@x.example\0")
            .await
            .unwrap()
            .is_none()
    );
    for f in [
        AuditFilter {
            entity: Some("agency\0".into()),
            ..Default::default()
        },
        AuditFilter {
            actor: Some("\0".into()),
            ..Default::default()
        },
        AuditFilter {
            action: Some("create\0".into()),
            ..Default::default()
        },
    ] {
        assert!(db.audit_page(a, &f).await.unwrap().is_empty(), "{f:?}");
    }
}
