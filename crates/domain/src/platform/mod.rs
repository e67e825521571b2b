//! The platform module: agencies (tenants), divisions, the staff directory, accounts and their
//! roles, sessions, two-factor sign-in, stored files, and the hash-chained audit log.

pub mod account;
pub mod agency;
pub mod audit;
pub mod division;
pub mod file;
pub mod notification;
pub mod person;
pub mod service;
pub mod session;
pub mod store;
pub mod totp;

pub use account::{
    Account, AccountSummary, MemberRow, Membership, NewAccount, PasswordParams, Permission, Role,
    RoleGrant,
};
pub use agency::{
    Agency, AgencyKind, AgencyProfile, AgencyProfileInput, AgencySummary, NewAgency, Slug,
};
pub use audit::{Actor, AuditEntry, AuditEvent, AuditFilter, AuditProblem, Change};
pub use division::{Division, DivisionInput};
pub use file::{FileKind, StoredFile};
pub use notification::{NewNotification, Notification, NotificationStore};
pub use person::{ExecutiveSide, Person, PersonInput};
pub use session::{Session, SessionPolicy, SessionToken};
pub use store::{
    AccountStore, AgencyStore, AuditStore, FileStore, InstanceStore, PeopleStore, PlatformStore,
    SessionStore,
};
