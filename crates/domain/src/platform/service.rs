//! Platform services: sign-in, accounts, the agency profile, divisions, people, files and the
//! audit log. Handlers call one of these per request.

use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::ids::{AccountId, AgencyId, DivisionId, FileId, PersonId};
use crate::validate::{ErrorCode, FieldErrors, field};

use super::account::{
    self, Account, Membership, NewAccount, Permission, Role, RoleGrant, check_password_policy,
};
use super::agency::{AgencyProfileInput, NewAgency, Slug};
use super::audit::{self, Actor, AuditEvent, AuditProblem};
use super::division::DivisionInput;
use super::file::{BlobStore, FileKind, StoredFile, clean_file_name};
use super::person::PersonInput;
use super::session::{Session, SessionPolicy, SessionToken, hex_sha256};
use super::totp;

/// What a platform service can fail with.
#[derive(Debug, thiserror::Error)]
pub enum PlatformError {
    /// The member's roles do not allow this.
    #[error("not allowed")]
    Forbidden,
    /// The thing does not exist in this agency.
    #[error("not found")]
    NotFound,
    /// The input was refused; nothing was written.
    #[error("invalid input: {0}")]
    Invalid(FieldErrors),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for PlatformError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            other => Self::Store(other),
        }
    }
}

impl From<FieldErrors> for PlatformError {
    fn from(e: FieldErrors) -> Self {
        Self::Invalid(e)
    }
}

type Result<T, E = PlatformError> = std::result::Result<T, E>;

/// A signed-in account acting inside one agency.
#[derive(Debug, Clone)]
pub struct Member {
    pub actor: Actor,
    pub account: Account,
    pub membership: Membership,
}

impl Member {
    pub fn new(account: Account, membership: Membership) -> Self {
        Self {
            actor: Actor::account(account.id, &account.email),
            account,
            membership,
        }
    }

    pub fn agency_id(&self) -> AgencyId {
        self.membership.agency_id
    }

    /// The name shown for what the member did (approved by, accepted by): the account's name,
    /// or its e-mail when it has none.
    pub fn display_name(&self) -> &str {
        if self.account.display_name.trim().is_empty() {
            &self.account.email
        } else {
            &self.account.display_name
        }
    }

    /// Refuses unless the member has `p`.
    pub fn require(&self, p: Permission) -> Result<()> {
        if self.membership.can(p) {
            Ok(())
        } else {
            Err(PlatformError::Forbidden)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Sign-in and sessions

/// Why a sign-in failed.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    #[error("wrong e-mail or password")]
    BadCredentials,
    #[error("the account is disabled")]
    Disabled,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A new session.
#[derive(Debug)]
pub struct SignedIn {
    pub token: SessionToken,
    pub account: Account,
    /// The account must still give its TOTP code.
    pub mfa_pending: bool,
}

/// Checks an e-mail and password and opens a session. Unknown e-mails take as long as known ones.
pub async fn sign_in(cx: &Ctx, email: &str, password: &str) -> Result<SignedIn, SignInError> {
    let email = email.trim().to_lowercase();
    let Some(account) = cx.store.account_by_email(&email).await? else {
        account::verify_dummy(cx.password, password);
        return Err(SignInError::BadCredentials);
    };
    if !account::verify_password(&account.password_hash, password) {
        return Err(SignInError::BadCredentials);
    }
    if account.disabled {
        return Err(SignInError::Disabled);
    }
    let token = SessionToken::generate(cx.entropy.as_ref());
    let now = cx.clock.unix();
    let mfa_pending = account.totp_enabled;
    cx.store
        .create_session(&Session {
            id_hash: token.hash(),
            account_id: account.id,
            created_at: now,
            last_seen_at: now,
            mfa_pending,
        })
        .await?;
    let actor = Actor::account(account.id, &account.email);
    let event = AuditEvent::new(
        "account",
        account.id,
        if mfa_pending {
            "sign-in-password"
        } else {
            "sign-in"
        },
        vec![],
    );
    cx.store.record(cx.write(&actor), None, &event).await?;
    Ok(SignedIn {
        token,
        account,
        mfa_pending,
    })
}

/// Finds the live session of a cookie token and its account. Expired sessions are deleted.
pub async fn load_session(
    cx: &Ctx,
    token: &SessionToken,
    policy: &SessionPolicy,
) -> Result<Option<(Session, Account)>, StoreError> {
    let hash = token.hash();
    let Some(session) = cx.store.session(&hash).await? else {
        return Ok(None);
    };
    let now = cx.clock.unix();
    if !session.is_live(now, policy) {
        cx.store.delete_session(&hash).await?;
        return Ok(None);
    }
    let account = match cx.store.account(session.account_id).await {
        Ok(a) if !a.disabled => a,
        Ok(_) | Err(StoreError::NotFound) => {
            cx.store.delete_session(&hash).await?;
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    if session.needs_touch(now) {
        cx.store.touch_session(&hash, now).await?;
    }
    Ok(Some((session, account)))
}

/// Completes a sign-in that waits for its TOTP code.
pub async fn complete_totp(
    cx: &Ctx,
    session: &Session,
    account: &Account,
    code: &str,
) -> Result<(), PlatformError> {
    let bad = || PlatformError::Invalid(FieldErrors::single("code", ErrorCode::InvalidTotpCode));
    let secret = account.totp_secret.as_deref().ok_or_else(bad)?;
    let step =
        totp::verify(secret, code, cx.clock.unix(), account.totp_last_step).ok_or_else(bad)?;
    if !cx.store.advance_totp_step(account.id, step).await? {
        return Err(bad());
    }
    cx.store
        .complete_mfa(&session.id_hash, cx.clock.unix())
        .await?;
    let actor = Actor::account(account.id, &account.email);
    cx.store
        .record(
            cx.write(&actor),
            None,
            &AuditEvent::new("account", account.id, "sign-in", vec![]),
        )
        .await?;
    Ok(())
}

/// Ends a session, and records the sign-out.
pub async fn sign_out(cx: &Ctx, token: &SessionToken) -> Result<(), StoreError> {
    let hash = token.hash();
    let Some(session) = cx.store.session(&hash).await? else {
        return Ok(());
    };
    cx.store.delete_session(&hash).await?;
    let account = match cx.store.account(session.account_id).await {
        Ok(a) => a,
        Err(StoreError::NotFound) => return Ok(()),
        Err(e) => return Err(e),
    };
    let actor = Actor::account(account.id, &account.email);
    let event = AuditEvent::new("account", account.id, "sign-out", vec![]);
    cx.store.record(cx.write(&actor), None, &event).await
}

/// Changes one's own password. Other sessions of the account end.
pub async fn change_password(
    cx: &Ctx,
    session: &Session,
    account: &Account,
    current: &str,
    new: &str,
    confirm: &str,
) -> Result<()> {
    let mut e = FieldErrors::new();
    if !account::verify_password(&account.password_hash, current) {
        e.add("current", ErrorCode::WrongPassword);
    }
    if let Err(code) = check_password_policy(new, &account.email) {
        e.add("new", code);
    } else if new != confirm {
        e.add("confirm", ErrorCode::PasswordMismatch);
    }
    if !e.is_empty() {
        return Err(e.into());
    }
    let hash = account::hash_password(cx.password, new, cx.entropy.as_ref());
    let actor = Actor::account(account.id, &account.email);
    cx.store
        .set_password(cx.write(&actor), None, account.id, &hash, false)
        .await?;
    cx.store
        .delete_sessions_of(account.id, Some(&session.id_hash))
        .await?;
    Ok(())
}

/// Starts TOTP enrolment: stores a new secret (not yet enforced) and returns it.
pub async fn begin_totp(cx: &Ctx, account: &Account) -> Result<String> {
    let secret = totp::new_secret(cx.entropy.as_ref());
    let actor = Actor::account(account.id, &account.email);
    cx.store
        .set_totp(cx.write(&actor), account.id, Some(&secret), false)
        .await?;
    Ok(secret)
}

/// Confirms TOTP enrolment with a first code; from then on sign-in asks for one.
pub async fn confirm_totp(cx: &Ctx, account: &Account, code: &str) -> Result<()> {
    let bad = || PlatformError::Invalid(FieldErrors::single("code", ErrorCode::InvalidTotpCode));
    let secret = account.totp_secret.as_deref().ok_or_else(bad)?;
    let step =
        totp::verify(secret, code, cx.clock.unix(), account.totp_last_step).ok_or_else(bad)?;
    if !cx.store.advance_totp_step(account.id, step).await? {
        return Err(bad());
    }
    let actor = Actor::account(account.id, &account.email);
    cx.store
        .set_totp(cx.write(&actor), account.id, Some(secret), true)
        .await?;
    Ok(())
}

/// Turns TOTP off, after checking the password. Refused while an agency of the account requires it.
pub async fn disable_totp(cx: &Ctx, account: &Account, password: &str) -> Result<()> {
    if !account::verify_password(&account.password_hash, password) {
        return Err(FieldErrors::single("password", ErrorCode::WrongPassword).into());
    }
    if totp_required_for(cx, account.id).await? {
        return Err(PlatformError::Forbidden);
    }
    let actor = Actor::account(account.id, &account.email);
    cx.store
        .set_totp(cx.write(&actor), account.id, None, false)
        .await?;
    Ok(())
}

/// Whether any agency the account belongs to requires two-factor sign-in.
pub async fn totp_required_for(cx: &Ctx, account: AccountId) -> Result<bool, StoreError> {
    for (summary, _) in cx.store.memberships_of(account).await? {
        if cx.store.agency(summary.id).await?.profile.require_totp {
            return Ok(true);
        }
    }
    Ok(false)
}

// ---------------------------------------------------------------------------------------------
// Agencies

/// Creates an agency with its first admin (platform operator only). Returns the admin's
/// temporary password when a new account was made for them.
pub async fn create_agency(
    cx: &Ctx,
    actor: &Actor,
    operator: &Account,
    slug: &str,
    profile: &AgencyProfileInput,
    admin_email: &str,
) -> Result<(AgencyId, Option<String>)> {
    if !operator.is_platform_operator {
        return Err(PlatformError::Forbidden);
    }
    let mut e = FieldErrors::new();
    let slug = e.take("slug", Slug::parse(slug));
    let profile = match profile.parse() {
        Ok(p) => Some(p),
        Err(pe) => {
            e.0.extend(pe.0);
            None
        }
    };
    let admin_email = e.take("admin_email", field::email(admin_email));
    let (Some(slug), Some(profile), Some(admin_email)) = (slug, profile, admin_email) else {
        return Err(e.into());
    };
    let id = AgencyId::from_raw(cx.new_id());
    let new = NewAgency {
        id,
        slug: slug.clone(),
        profile,
        is_demo: false,
    };
    match cx.store.create_agency(cx.write(actor), &new).await {
        Ok(()) => {}
        Err(StoreError::Conflict) => {
            return Err(FieldErrors::single("slug", ErrorCode::SlugTaken).into());
        }
        Err(other) => return Err(other.into()),
    }
    let temp = provision_member(
        cx,
        actor,
        slug.as_str(),
        Role::AgencyAdmin,
        &admin_email,
        None,
    )
    .await?;
    crate::search::feed::refresh_after_write(cx, id, crate::search::Source::Agency).await;
    Ok((id, temp))
}

/// Saves the agency profile.
pub async fn update_agency_profile(cx: &Ctx, m: &Member, input: &AgencyProfileInput) -> Result<()> {
    m.require(Permission::EditAgency)?;
    let profile = input.parse()?;
    cx.store
        .update_agency_profile(cx.write(&m.actor), m.agency_id(), &profile)
        .await?;
    crate::search::feed::refresh_after_write(cx, m.agency_id(), crate::search::Source::Agency)
        .await;
    Ok(())
}

/// Replaces the agency logo with an uploaded image.
pub async fn set_agency_logo(
    cx: &Ctx,
    blobs: &dyn BlobStore,
    m: &Member,
    upload: &Upload<'_>,
) -> Result<()> {
    m.require(Permission::EditAgency)?;
    let file = store_upload(cx, blobs, m, upload, FileKind::IMAGES, "logo").await?;
    cx.store
        .set_agency_logo(cx.write(&m.actor), m.agency_id(), Some(file.id))
        .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Divisions

pub async fn create_division(cx: &Ctx, m: &Member, input: &DivisionInput) -> Result<DivisionId> {
    m.require(Permission::ManageDivisions)?;
    let f = input.parse()?;
    let id = DivisionId::from_raw(cx.new_id());
    cx.store
        .create_division(cx.write(&m.actor), m.agency_id(), id, &f)
        .await?;
    crate::search::feed::refresh_after_write(cx, m.agency_id(), crate::search::Source::Agency)
        .await;
    Ok(id)
}

pub async fn update_division(
    cx: &Ctx,
    m: &Member,
    id: DivisionId,
    input: &DivisionInput,
) -> Result<()> {
    m.require(Permission::ManageDivisions)?;
    let f = input.parse()?;
    cx.store
        .update_division(cx.write(&m.actor), m.agency_id(), id, &f)
        .await?;
    crate::search::feed::refresh_after_write(cx, m.agency_id(), crate::search::Source::Agency)
        .await;
    Ok(())
}

pub async fn delete_division(cx: &Ctx, m: &Member, id: DivisionId) -> Result<()> {
    m.require(Permission::ManageDivisions)?;
    match cx
        .store
        .delete_division(cx.write(&m.actor), m.agency_id(), id)
        .await
    {
        Err(StoreError::Conflict) => Err(FieldErrors::single("division", ErrorCode::InUse).into()),
        other => {
            other?;
            crate::search::feed::refresh_after_write(
                cx,
                m.agency_id(),
                crate::search::Source::Agency,
            )
            .await;
            Ok(())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// People

async fn parse_person(
    cx: &Ctx,
    m: &Member,
    input: &PersonInput,
) -> Result<super::person::PersonFields> {
    let divisions = cx.store.list_divisions(m.agency_id()).await?;
    let f = input.parse(|d| divisions.iter().any(|x| x.id == d))?;
    if !m.membership.can_edit_person_in(f.division_id) {
        return Err(FieldErrors::single("division_id", ErrorCode::InvalidChoice).into());
    }
    Ok(f)
}

pub async fn create_person(cx: &Ctx, m: &Member, input: &PersonInput) -> Result<PersonId> {
    m.require(Permission::ManagePeople)?;
    let f = parse_person(cx, m, input).await?;
    let id = PersonId::from_raw(cx.new_id());
    cx.store
        .create_person(cx.write(&m.actor), m.agency_id(), id, &f)
        .await?;
    crate::search::feed::refresh_after_write(cx, m.agency_id(), crate::search::Source::Agency)
        .await;
    Ok(id)
}

/// Loads a person the member may edit.
pub async fn editable_person(cx: &Ctx, m: &Member, id: PersonId) -> Result<super::person::Person> {
    m.require(Permission::ManagePeople)?;
    let p = cx.store.person(m.agency_id(), id).await?;
    if !m.membership.can_edit_person_in(p.fields.division_id) {
        return Err(PlatformError::Forbidden);
    }
    Ok(p)
}

pub async fn update_person(cx: &Ctx, m: &Member, id: PersonId, input: &PersonInput) -> Result<()> {
    editable_person(cx, m, id).await?;
    let f = parse_person(cx, m, input).await?;
    cx.store
        .update_person(cx.write(&m.actor), m.agency_id(), id, &f)
        .await?;
    crate::search::feed::refresh_after_write(cx, m.agency_id(), crate::search::Source::Agency)
        .await;
    Ok(())
}

pub async fn set_person_photo(
    cx: &Ctx,
    blobs: &dyn BlobStore,
    m: &Member,
    id: PersonId,
    upload: &Upload<'_>,
) -> Result<()> {
    editable_person(cx, m, id).await?;
    let file = store_upload(cx, blobs, m, upload, FileKind::IMAGES, "photo").await?;
    cx.store
        .set_person_photo(cx.write(&m.actor), m.agency_id(), id, Some(file.id))
        .await?;
    Ok(())
}

pub async fn delete_person(cx: &Ctx, m: &Member, id: PersonId) -> Result<()> {
    editable_person(cx, m, id).await?;
    cx.store
        .delete_person(cx.write(&m.actor), m.agency_id(), id)
        .await?;
    crate::search::feed::refresh_after_write(cx, m.agency_id(), crate::search::Source::Agency)
        .await;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Files

/// An uploaded file as received.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
    /// The largest accepted size.
    pub max_bytes: u64,
}

/// Checks an upload's size and type (from its content) and stores it.
pub async fn store_upload(
    cx: &Ctx,
    blobs: &dyn BlobStore,
    m: &Member,
    upload: &Upload<'_>,
    allowed: &[FileKind],
    field_name: &'static str,
) -> Result<StoredFile> {
    if upload.bytes.is_empty() {
        return Err(FieldErrors::single(field_name, ErrorCode::Required).into());
    }
    if upload.bytes.len() as u64 > upload.max_bytes {
        return Err(FieldErrors::single(
            field_name,
            ErrorCode::FileTooLarge {
                max_bytes: upload.max_bytes,
            },
        )
        .into());
    }
    let kind = FileKind::sniff(upload.bytes)
        .filter(|k| allowed.contains(k))
        .ok_or_else(|| FieldErrors::single(field_name, ErrorCode::FileTypeNotAllowed))?;
    let sha256 = hex_sha256(upload.bytes);
    blobs
        .put(&sha256, upload.bytes)
        .await
        .map_err(|e| PlatformError::Store(StoreError::other(e)))?;
    let file = StoredFile {
        id: FileId::from_raw(cx.new_id()),
        agency_id: m.agency_id(),
        kind,
        size: i64::try_from(upload.bytes.len()).unwrap_or(i64::MAX),
        sha256,
        original_name: clean_file_name(upload.file_name),
        created_at: cx.clock.unix(),
    };
    cx.store.insert_file(cx.write(&m.actor), &file).await?;
    Ok(file)
}

// ---------------------------------------------------------------------------------------------
// Accounts and roles

/// The form for adding a member or changing their roles.
#[derive(Debug, Clone, Default)]
pub struct MemberInput {
    pub email: String,
    pub display_name: String,
    pub person_id: String,
    /// Role codes that were ticked.
    pub roles: Vec<String>,
    /// The division of a division officer.
    pub division_id: String,
}

struct ParsedMember {
    person_id: Option<PersonId>,
    grants: Vec<RoleGrant>,
}

async fn parse_member(
    cx: &Ctx,
    agency: AgencyId,
    input: &MemberInput,
    e: &mut FieldErrors,
) -> Result<Option<ParsedMember>> {
    let people = cx.store.list_people(agency).await?;
    let divisions = cx.store.list_divisions(agency).await?;
    let person_id = e.take(
        "person_id",
        match input.person_id.trim() {
            "" => Ok(None),
            raw => raw
                .parse::<PersonId>()
                .ok()
                .filter(|p| people.iter().any(|x| x.id == *p))
                .map(Some)
                .ok_or(ErrorCode::InvalidChoice),
        },
    );
    let mut roles = Vec::new();
    for r in &input.roles {
        match Role::parse(r) {
            Some(role) => roles.push(role),
            None => e.add("roles", ErrorCode::InvalidChoice),
        }
    }
    if roles.is_empty() && e.get("roles").is_none() {
        e.add("roles", ErrorCode::Required);
    }
    let division = match input.division_id.trim() {
        "" => None,
        raw => match raw
            .parse::<DivisionId>()
            .ok()
            .filter(|d| divisions.iter().any(|x| x.id == *d))
        {
            Some(d) => Some(d),
            None => {
                e.add("division_id", ErrorCode::InvalidChoice);
                None
            }
        },
    };
    if roles.contains(&Role::DivisionOfficer)
        && division.is_none()
        && e.get("division_id").is_none()
    {
        e.add("division_id", ErrorCode::RoleNeedsDivision);
    }
    roles.sort();
    roles.dedup();
    let grants = roles
        .into_iter()
        .map(|role| RoleGrant {
            role,
            division_id: (role == Role::DivisionOfficer)
                .then_some(division)
                .flatten(),
        })
        .collect();
    Ok(person_id.map(|person_id| ParsedMember { person_id, grants }))
}

/// Adds a member. A new e-mail gets a new account with a temporary password, returned once to be
/// handed over; an existing account just gains the membership.
pub async fn add_member(
    cx: &Ctx,
    m: &Member,
    input: &MemberInput,
) -> Result<(AccountId, Option<String>)> {
    m.require(Permission::ManageAccounts)?;
    let agency = m.agency_id();
    let mut e = FieldErrors::new();
    let email = e.take("email", field::email(&input.email));
    let display_name = e.take("display_name", field::required(&input.display_name, 150));
    let parsed = parse_member(cx, agency, input, &mut e).await?;
    let (Some(email), Some(display_name), Some(parsed)) = (email, display_name, parsed) else {
        return Err(e.into());
    };
    if !e.is_empty() {
        return Err(e.into());
    }
    let (account_id, temp) = match cx.store.account_by_email(&email).await? {
        Some(existing) => {
            if cx.store.membership(agency, existing.id).await?.is_some() {
                return Err(FieldErrors::single("email", ErrorCode::EmailTaken).into());
            }
            (existing.id, None)
        }
        None => {
            let temp = account::temporary_password(cx.entropy.as_ref());
            let id = AccountId::from_raw(cx.new_id());
            let new = NewAccount {
                id,
                email,
                display_name,
                password_hash: account::hash_password(cx.password, &temp, cx.entropy.as_ref()),
                is_platform_operator: false,
                must_change_password: true,
            };
            cx.store
                .create_account(cx.write(&m.actor), Some(agency), &new)
                .await?;
            (id, Some(temp))
        }
    };
    let membership = Membership {
        agency_id: agency,
        account_id,
        person_id: parsed.person_id,
        grants: parsed.grants,
    };
    cx.store
        .put_membership(cx.write(&m.actor), &membership)
        .await?;
    Ok((account_id, temp))
}

/// Changes a member's roles and person link. The last agency admin cannot lose the role.
pub async fn update_member(
    cx: &Ctx,
    m: &Member,
    account_id: AccountId,
    input: &MemberInput,
) -> Result<()> {
    m.require(Permission::ManageAccounts)?;
    let agency = m.agency_id();
    let current = cx
        .store
        .membership(agency, account_id)
        .await?
        .ok_or(PlatformError::NotFound)?;
    let mut e = FieldErrors::new();
    let parsed = parse_member(cx, agency, input, &mut e).await?;
    let Some(parsed) = parsed.filter(|_| e.is_empty()) else {
        return Err(e.into());
    };
    let loses_admin = current.has_role(Role::AgencyAdmin)
        && !parsed.grants.iter().any(|g| g.role == Role::AgencyAdmin);
    if loses_admin && admin_count(cx, agency).await? <= 1 {
        return Err(FieldErrors::single("roles", ErrorCode::LastAdmin).into());
    }
    let membership = Membership {
        person_id: parsed.person_id,
        grants: parsed.grants,
        ..current
    };
    cx.store
        .put_membership(cx.write(&m.actor), &membership)
        .await?;
    Ok(())
}

/// Removes a member from the agency. The account itself remains.
pub async fn remove_member(cx: &Ctx, m: &Member, account_id: AccountId) -> Result<()> {
    m.require(Permission::ManageAccounts)?;
    let agency = m.agency_id();
    let current = cx
        .store
        .membership(agency, account_id)
        .await?
        .ok_or(PlatformError::NotFound)?;
    if current.has_role(Role::AgencyAdmin) && admin_count(cx, agency).await? <= 1 {
        return Err(FieldErrors::single("roles", ErrorCode::LastAdmin).into());
    }
    cx.store
        .remove_membership(cx.write(&m.actor), agency, account_id)
        .await?;
    Ok(())
}

async fn admin_count(cx: &Ctx, agency: AgencyId) -> Result<usize, StoreError> {
    Ok(cx
        .store
        .list_members(agency)
        .await?
        .iter()
        .filter(|r| r.membership.has_role(Role::AgencyAdmin) && !r.account.disabled)
        .count())
}

/// Resets a member's password to a temporary one, returned once. Only accounts that belong to
/// this agency alone can be reset here: otherwise one agency's admin could take over an account
/// that another agency relies on.
pub async fn reset_member_password(cx: &Ctx, m: &Member, account_id: AccountId) -> Result<String> {
    m.require(Permission::ManageAccounts)?;
    let agency = m.agency_id();
    cx.store
        .membership(agency, account_id)
        .await?
        .ok_or(PlatformError::NotFound)?;
    let target = cx.store.account(account_id).await?;
    let elsewhere = cx
        .store
        .memberships_of(account_id)
        .await?
        .iter()
        .any(|(a, _)| a.id != agency);
    if elsewhere || target.is_platform_operator {
        return Err(FieldErrors::single("account", ErrorCode::AccountShared).into());
    }
    let temp = account::temporary_password(cx.entropy.as_ref());
    let hash = account::hash_password(cx.password, &temp, cx.entropy.as_ref());
    cx.store
        .set_password(cx.write(&m.actor), Some(agency), account_id, &hash, true)
        .await?;
    cx.store.delete_sessions_of(account_id, None).await?;
    Ok(temp)
}

/// Gives an e-mail a role in an agency, creating the account if needed (the command line, and
/// the operator creating an agency). Returns the temporary password when a new account was made.
pub async fn provision_member(
    cx: &Ctx,
    actor: &Actor,
    slug: &str,
    role: Role,
    email: &str,
    division: Option<DivisionId>,
) -> Result<Option<String>> {
    let agency = cx.store.agency_by_slug(slug).await?.ok_or_else(|| {
        PlatformError::Invalid(FieldErrors::single("agency", ErrorCode::InvalidChoice))
    })?;
    let email =
        field::email(email).map_err(|c| PlatformError::Invalid(FieldErrors::single("email", c)))?;
    if role == Role::DivisionOfficer {
        let Some(d) = division else {
            return Err(FieldErrors::single("division", ErrorCode::RoleNeedsDivision).into());
        };
        if cx.store.division(agency.id, d).await.is_err() {
            return Err(FieldErrors::single("division", ErrorCode::InvalidChoice).into());
        }
    }
    let (account_id, temp) = match cx.store.account_by_email(&email).await? {
        Some(a) => (a.id, None),
        None => {
            let temp = account::temporary_password(cx.entropy.as_ref());
            let id = AccountId::from_raw(cx.new_id());
            let new = NewAccount {
                id,
                display_name: email.clone(),
                email: email.clone(),
                password_hash: account::hash_password(cx.password, &temp, cx.entropy.as_ref()),
                is_platform_operator: false,
                must_change_password: true,
            };
            cx.store
                .create_account(cx.write(actor), Some(agency.id), &new)
                .await?;
            (id, Some(temp))
        }
    };
    let mut membership = cx
        .store
        .membership(agency.id, account_id)
        .await?
        .unwrap_or(Membership {
            agency_id: agency.id,
            account_id,
            person_id: None,
            grants: vec![],
        });
    let grant = RoleGrant {
        role,
        division_id: division,
    };
    if !membership.grants.contains(&grant) {
        membership.grants.push(grant);
    }
    cx.store
        .put_membership(cx.write(actor), &membership)
        .await?;
    Ok(temp)
}

// ---------------------------------------------------------------------------------------------
// Audit

/// Checks every chain of the audit log. Returns the problems found (none means intact) and the
/// number of entries checked.
pub async fn verify_audit(cx: &Ctx) -> Result<(Vec<AuditProblem>, u64), StoreError> {
    const PAGE: i64 = 5000;
    let mut problems = Vec::new();
    let mut checked = 0u64;
    for head in cx.store.audit_heads().await? {
        let mut verifier = audit::ChainVerifier::new(head.chain);
        let mut after = 0;
        loop {
            let page = cx.store.audit_chain(head.chain, after, PAGE).await?;
            for e in &page {
                verifier.push(e);
            }
            checked += page.len() as u64;
            match page.last() {
                Some(last) if page.len() as i64 == PAGE => after = last.seq,
                _ => break,
            }
        }
        problems.extend(verifier.finish(&head));
    }
    Ok((problems, checked))
}
