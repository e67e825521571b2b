//! Accounts, roles and permissions, and password rules.
//!
//! An account is platform-wide (one e-mail, one password). What it may do is given per agency by
//! a [`Membership`] with one or more [`RoleGrant`]s. The platform operator is a separate flag on
//! the account and grants no access to any agency's back office.

use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};

use crate::entropy::Entropy;
use crate::ids::{AccountId, AgencyId, DivisionId, PersonId};
use crate::validate::ErrorCode;

/// A role within one agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// ผู้ดูแลระบบของหน่วยงาน: usually the ITA coordinator.
    AgencyAdmin,
    /// เจ้าหน้าที่ประจำกอง: publishes and updates what belongs to one division.
    DivisionOfficer,
    /// ผู้บริหาร: mayor or municipal clerk; dashboards and approvals.
    Executive,
    /// ผู้รับเรื่องร้องเรียน: the only people who can read protected complaints.
    ComplaintHandler,
    /// ผู้ตรวจประเมิน: an external evaluator; reads, and reviews OIT items (pass or fail).
    Assessor,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Self::AgencyAdmin,
        Self::DivisionOfficer,
        Self::Executive,
        Self::ComplaintHandler,
        Self::Assessor,
    ];

    /// The stored code, also the catalog key suffix (`role-<code>`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AgencyAdmin => "agency-admin",
            Self::DivisionOfficer => "division-officer",
            Self::Executive => "executive",
            Self::ComplaintHandler => "complaint-handler",
            Self::Assessor => "assessor",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// What a member may do in an agency's back office.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// See the back office at all.
    ViewBackOffice,
    /// Edit the agency profile, logo and security settings.
    EditAgency,
    /// Create, edit and delete divisions.
    ManageDivisions,
    /// Edit the staff directory (division officers: only their own division).
    ManagePeople,
    /// Create accounts, grant roles, reset passwords.
    ManageAccounts,
    /// Browse the audit log.
    ViewAudit,
    /// Draft and edit the measures plan (the ITA coordinator).
    ManageMeasures,
    /// Approve the measures plan (the executive).
    ApprovePlans,
    /// Report progress on actions (division officers: only their division's).
    ReportProgress,
    /// Attach OIT evidence, submit items, clarify failed ones (the ITA coordinator).
    ManageOit,
    /// Pass or fail submitted OIT items (the assessor; never the agency itself).
    ReviewOit,
    /// Write portal pages and news (division officers: only their division's).
    EditPortal,
    /// Read and handle cases (complaint handlers only; never admins as such).
    HandleCases,
    /// Make the agency's recovery key and set SLA and retention periods (the agency admin).
    ManageCaseSettings,
}

/// One role, with the division it is limited to where the role needs one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RoleGrant {
    pub role: Role,
    /// Required for [`Role::DivisionOfficer`]; ignored for the others.
    pub division_id: Option<DivisionId>,
}

/// An account's place in one agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub agency_id: AgencyId,
    pub account_id: AccountId,
    /// The staff-directory entry of this account in this agency, if linked.
    pub person_id: Option<PersonId>,
    pub grants: Vec<RoleGrant>,
}

impl Membership {
    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    pub fn roles(&self) -> Vec<Role> {
        let mut r: Vec<Role> = self.grants.iter().map(|g| g.role).collect();
        r.sort();
        r.dedup();
        r
    }

    /// The divisions this member is an officer of.
    pub fn officer_divisions(&self) -> Vec<DivisionId> {
        self.grants
            .iter()
            .filter(|g| g.role == Role::DivisionOfficer)
            .filter_map(|g| g.division_id)
            .collect()
    }

    /// Whether the member has a permission anywhere in the agency.
    pub fn can(&self, p: Permission) -> bool {
        self.grants.iter().any(|g| role_allows(g.role, p))
    }

    /// Whether the member may edit portal content owned by `division` (None: the agency's own
    /// content, which only an admin edits).
    pub fn can_edit_content_of(&self, division: Option<DivisionId>) -> bool {
        self.has_role(Role::AgencyAdmin)
            || division.is_some_and(|d| self.officer_divisions().contains(&d))
    }

    /// Whether the member may edit a staff-directory entry in `division` (None: no division).
    pub fn can_edit_person_in(&self, division: Option<DivisionId>) -> bool {
        self.has_role(Role::AgencyAdmin)
            || division.is_some_and(|d| self.officer_divisions().contains(&d))
    }
}

fn role_allows(role: Role, p: Permission) -> bool {
    use Permission as P;
    match role {
        Role::AgencyAdmin => !matches!(p, P::ApprovePlans | P::ReviewOit | P::HandleCases),
        Role::DivisionOfficer => {
            matches!(
                p,
                P::ViewBackOffice | P::ManagePeople | P::ReportProgress | P::EditPortal
            )
        }
        Role::Executive => matches!(p, P::ViewBackOffice | P::ApprovePlans),
        Role::ComplaintHandler => matches!(p, P::ViewBackOffice | P::HandleCases),
        Role::Assessor => matches!(p, P::ViewBackOffice | P::ReviewOit),
    }
}

/// A stored account. The password hash and TOTP secret never leave the domain and storage layers.
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    pub id: AccountId,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub is_platform_operator: bool,
    /// Base32 TOTP secret, present once enrolment has started.
    pub totp_secret: Option<String>,
    pub totp_enabled: bool,
    /// The last TOTP time step accepted, so a code cannot be replayed.
    pub totp_last_step: i64,
    pub must_change_password: bool,
    pub disabled: bool,
    pub created_at: i64,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("email", &self.email)
            .field("is_platform_operator", &self.is_platform_operator)
            .field("totp_enabled", &self.totp_enabled)
            .field("disabled", &self.disabled)
            .finish_non_exhaustive()
    }
}

/// A new account.
#[derive(Clone)]
pub struct NewAccount {
    pub id: AccountId,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub is_platform_operator: bool,
    pub must_change_password: bool,
}

/// What lists of accounts show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSummary {
    pub id: AccountId,
    pub email: String,
    pub display_name: String,
    pub totp_enabled: bool,
    pub disabled: bool,
}

/// One member of an agency, for the accounts page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    pub account: AccountSummary,
    pub membership: Membership,
    pub person_name: Option<String>,
}

/// Argon2id cost parameters. Production uses [`PasswordParams::default`] (the OWASP minimum:
/// 19 MiB, 2 passes); tests may use [`PasswordParams::fast_for_tests`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for PasswordParams {
    fn default() -> Self {
        Self {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
        }
    }
}

impl PasswordParams {
    /// Cheap parameters so that test suites do not spend minutes hashing.
    pub fn fast_for_tests() -> Self {
        Self {
            memory_kib: 64,
            iterations: 1,
            parallelism: 1,
        }
    }
}

/// The shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 10;
const MAX_PASSWORD_LEN: usize = 256;

/// A few passwords too common to allow, whatever their length.
const COMMON: [&str; 12] = [
    "1234567890",
    "12345678910",
    "0123456789",
    "qwertyuiop",
    "password123",
    "password1234",
    "passw0rd123",
    "aaaaaaaaaa",
    "1111111111",
    "abcdefghij",
    "iloveyou123",
    "admin12345",
];

/// Checks a new password against the policy: length and a short deny list.
pub fn check_password_policy(password: &str, email: &str) -> Result<(), ErrorCode> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_LEN {
        return Err(ErrorCode::PasswordTooShort {
            min: MIN_PASSWORD_LEN,
        });
    }
    if len > MAX_PASSWORD_LEN {
        return Err(ErrorCode::TooLong {
            max: MAX_PASSWORD_LEN,
        });
    }
    let lower = password.to_lowercase();
    if COMMON.contains(&lower.as_str()) || lower.chars().all(|c| lower.starts_with(c)) {
        return Err(ErrorCode::PasswordTooCommon);
    }
    if !email.is_empty() && lower == email.to_lowercase() {
        return Err(ErrorCode::PasswordSameAsEmail);
    }
    Ok(())
}

/// Hashes a password with Argon2id and a random 16-byte salt. Returns a PHC string.
pub fn hash_password(params: PasswordParams, password: &str, entropy: &dyn Entropy) -> String {
    let mut salt = [0u8; 16];
    entropy.fill(&mut salt);
    let argon = argon(params);
    match argon.hash_password_with_salt(password.as_bytes(), &salt) {
        Ok(h) => h.to_string(),
        // Only reachable with invalid parameters, which are fixed in code and tested.
        Err(e) => panic!("argon2 parameters are invalid: {e}"),
    }
}

/// Verifies a password against a stored PHC string. The parameters come from the string.
pub fn verify_password(hash: &str, password: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

/// Spends the same time as a real verification, for unknown accounts, so that response times do
/// not reveal which e-mail addresses have accounts.
pub fn verify_dummy(params: PasswordParams, password: &str) {
    let argon = argon(params);
    let mut out = [0u8; 32];
    let _ = argon.hash_password_into(password.as_bytes(), b"prongsai-dummy-salt", &mut out);
}

fn argon(p: PasswordParams) -> Argon2<'static> {
    let params =
        Params::new(p.memory_kib, p.iterations, p.parallelism, None).unwrap_or(Params::DEFAULT);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Makes a random temporary password for an admin reset: 4 groups of 4 characters from an
/// alphabet without look-alikes, about 80 bits.
pub fn temporary_password(entropy: &dyn Entropy) -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut out = String::with_capacity(19);
    let mut bytes = [0u8; 16];
    entropy.fill(&mut bytes);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        // 256 is not a multiple of 31; the bias is under 1% per character, acceptable for a
        // password the user must change at first sign-in.
        out.push(char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SeededEntropy;

    #[test]
    fn password_policy_rules() {
        let cases: &[(&str, Result<(), ErrorCode>)] = &[
            ("short", Err(ErrorCode::PasswordTooShort { min: 10 })),
            ("รหัสผ่านภาษาไทยยาว", Ok(())),
            ("1234567890", Err(ErrorCode::PasswordTooCommon)),
            ("zzzzzzzzzzzz", Err(ErrorCode::PasswordTooCommon)),
            ("me@nonhan.go.th", Err(ErrorCode::PasswordSameAsEmail)),
            ("correct horse battery", Ok(())),
        ];
        for (pw, expected) in cases {
            assert_eq!(
                &check_password_policy(pw, "me@nonhan.go.th"),
                expected,
                "{pw}"
            );
        }
    }

    #[test]
    fn a_hash_verifies_only_its_password_and_is_argon2id() {
        let e = SeededEntropy::new(1);
        let h = hash_password(PasswordParams::fast_for_tests(), "รหัสผ่านที่ยาวพอ", &e);
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(&h, "รหัสผ่านที่ยาวพอ"));
        assert!(!verify_password(&h, "รหัสผ่านที่ผิด"));
        assert!(!verify_password("not a hash", "x"));
    }

    #[test]
    fn production_parameters_are_valid() {
        let p = PasswordParams::default();
        assert!(Params::new(p.memory_kib, p.iterations, p.parallelism, None).is_ok());
        let t = PasswordParams::fast_for_tests();
        assert!(Params::new(t.memory_kib, t.iterations, t.parallelism, None).is_ok());
    }

    #[test]
    fn temporary_passwords_pass_the_policy() {
        let e = SeededEntropy::new(9);
        let p = temporary_password(&e);
        assert_eq!(p.len(), 19);
        assert_eq!(check_password_policy(&p, "x@y.th"), Ok(()));
    }

    #[test]
    fn permissions_follow_roles() {
        let d = DivisionId::from_raw(5);
        let m = Membership {
            agency_id: AgencyId::from_raw(1),
            account_id: AccountId::from_raw(2),
            person_id: None,
            grants: vec![RoleGrant {
                role: Role::DivisionOfficer,
                division_id: Some(d),
            }],
        };
        assert!(m.can(Permission::ViewBackOffice));
        assert!(!m.can(Permission::EditAgency));
        assert!(!m.can(Permission::ViewAudit));
        assert!(m.can_edit_person_in(Some(d)));
        assert!(!m.can_edit_person_in(Some(DivisionId::from_raw(6))));
        assert!(!m.can_edit_person_in(None));
        let assessor = Membership {
            grants: vec![RoleGrant {
                role: Role::Assessor,
                division_id: None,
            }],
            ..m
        };
        assert!(!assessor.can(Permission::ManagePeople));
        assert!(!assessor.can(Permission::ManageOit));
        assert!(assessor.can(Permission::ReviewOit));
        let admin = Membership {
            grants: vec![RoleGrant {
                role: Role::AgencyAdmin,
                division_id: None,
            }],
            ..assessor
        };
        assert!(admin.can(Permission::ManageOit));
        assert!(
            !admin.can(Permission::ReviewOit),
            "an agency never reviews itself"
        );
    }
}
