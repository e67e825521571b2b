//! The values of a case: what stays in clear (kind, channel, state, dates, division, handler,
//! SLA fields) and what is only ever stored encrypted (the report, messages, notes, referrals,
//! attachments, a later disclosure of identity).

use crate::ids::{AccountId, AgencyId, DivisionId};
pub use crate::ids::{CaseId, RecordId};

macro_rules! coded {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $v:ident = $code:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vdoc])* $v),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$(Self::$v),+];
            /// The stored code, also the catalog key suffix.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $code),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|k| k.as_str() == s.trim())
            }
        }
    };
}

coded!(
    /// What was filed.
    Kind {
        /// เรื่องร้องเรียน/ร้องทุกข์: a general complaint or suggestion.
        Complaint = "complaint",
        /// ทุจริตและประพฤติมิชอบ: corruption or misconduct.
        CorruptionReport = "corruption",
        /// Internal whistleblowing by staff.
        Whistleblowing = "whistleblowing",
    }
);

coded!(
    /// How the case reached the agency.
    Channel {
        Web = "web",
        Qr = "qr",
        WalkIn = "walk-in",
        Phone = "phone",
        Letter = "letter",
        /// A referral from the Damrongdham Centre (ศูนย์ดำรงธรรม).
        Damrongdham = "damrongdham",
        /// A Traffy Fondue ticket.
        Traffy = "traffy",
    }
);

coded!(
    /// How much of themselves the reporter gives. Stored encrypted, with the report.
    Identity {
        Anonymous = "anonymous",
        /// Name and contact visible to handlers only.
        Confidential = "confidential",
        Identified = "identified",
    }
);

coded!(
    /// Where a case is in its handling.
    State {
        Received = "received",
        Acknowledged = "acknowledged",
        Assigned = "assigned",
        Investigating = "investigating",
        Resolved = "resolved",
        Closed = "closed",
    }
);

coded!(
    /// Outside bodies a case can be referred to.
    ReferralBody {
        Damrongdham = "damrongdham",
        /// สำนักงาน ป.ป.ช.
        Nacc = "nacc",
        /// สำนักงานการตรวจเงินแผ่นดิน (สตง.).
        StateAudit = "state-audit",
        Police = "police",
    }
);

coded!(
    /// The kind of an encrypted record. The kind is in clear; the content is not.
    RecordKind {
        Attachment = "attachment",
        /// A message from the reporter.
        FromReporter = "from-reporter",
        /// A message to the reporter.
        ToReporter = "to-reporter",
        /// An internal note, never shown to the reporter.
        Note = "note",
        Referral = "referral",
        /// The reporter disclosed their identity after filing.
        Disclosure = "disclosure",
    }
);

impl State {
    /// The states a handler may move a case in this state to. Reopening is moving a resolved
    /// or closed case back to investigating.
    pub fn next(self) -> &'static [State] {
        use State as S;
        match self {
            S::Received => &[S::Acknowledged],
            S::Acknowledged => &[S::Assigned],
            S::Assigned => &[S::Assigned, S::Investigating],
            S::Investigating => &[S::Assigned, S::Resolved],
            S::Resolved => &[S::Closed, S::Investigating],
            S::Closed => &[S::Investigating],
        }
    }

    pub fn is_open(self) -> bool {
        !matches!(self, Self::Resolved | Self::Closed)
    }
}

/// Who a sealed copy of a case key is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipient {
    Handler(AccountId),
    Recovery,
    Reporter,
}

impl Recipient {
    pub fn code(self) -> &'static str {
        match self {
            Self::Handler(_) => "handler",
            Self::Recovery => "recovery",
            Self::Reporter => "reporter",
        }
    }

    pub fn account(self) -> Option<AccountId> {
        match self {
            Self::Handler(a) => Some(a),
            _ => None,
        }
    }

    pub fn from_parts(code: &str, account: Option<AccountId>) -> Option<Self> {
        match (code, account) {
            ("handler", Some(a)) => Some(Self::Handler(a)),
            ("recovery", _) => Some(Self::Recovery),
            ("reporter", _) => Some(Self::Reporter),
            _ => None,
        }
    }
}

/// One sealed copy of a case key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub generation: i64,
    pub recipient: Recipient,
    pub bytes: Vec<u8>,
}

/// The clear part of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub agency_id: AgencyId,
    pub id: CaseId,
    pub kind: Kind,
    pub channel: Channel,
    pub state: State,
    pub division_id: Option<DivisionId>,
    pub assignee: Option<AccountId>,
    pub received_at: i64,
    pub acknowledged_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub ack_due_at: i64,
    pub result_due_at: i64,
    pub merged_into: Option<CaseId>,
    /// The newest key generation: new records are encrypted under it.
    pub generation: i64,
    pub updated_at: i64,
}

impl Case {
    /// Not acknowledged by its deadline.
    pub fn ack_overdue(&self, now: i64) -> bool {
        self.acknowledged_at.is_none() && now >= self.ack_due_at
    }

    /// No result by its deadline.
    pub fn result_overdue(&self, now: i64) -> bool {
        self.resolved_at.is_none() && self.state.is_open() && now >= self.result_due_at
    }

    pub fn overdue(&self, now: i64) -> bool {
        self.ack_overdue(now) || self.result_overdue(now)
    }
}

impl crate::platform::audit::Audited for Case {
    fn audit_fields(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("kind", Some(self.kind.as_str().to_owned())),
            ("channel", Some(self.channel.as_str().to_owned())),
            ("state", Some(self.state.as_str().to_owned())),
            ("division_id", self.division_id.map(|d| d.to_string())),
            ("assignee", self.assignee.map(|a| a.to_string())),
            ("merged_into", self.merged_into.map(|c| c.to_string())),
            ("generation", Some(self.generation.to_string())),
        ]
    }
}

/// A case as stored: the clear part and the encrypted report.
#[derive(Debug, Clone)]
pub struct StoredCase {
    pub case: Case,
    /// The report, encrypted under generation 1.
    pub body: Vec<u8>,
    /// The reporter's receipt record (`vault::ReceiptRecord`), if the case has a reporter
    /// receipt.
    pub receipt_record: Vec<u8>,
}

/// A new case with everything it is stored with, in one transaction.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub stored: StoredCase,
    pub lookup_id: [u8; 16],
    pub sealed: Vec<Sealed>,
    pub records: Vec<NewRecord>,
    /// Handlers kept off the case at intake (named in the report).
    pub recused: Vec<AccountId>,
}

/// An encrypted record as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub id: RecordId,
    pub case_id: CaseId,
    pub kind: RecordKind,
    pub generation: i64,
    pub author: Option<AccountId>,
    pub created_at: i64,
    /// Encrypted description (attachments: name, type, size).
    pub meta: Option<Vec<u8>>,
    pub body: Vec<u8>,
}

pub type NewRecord = Record;

/// A change of a case's clear fields by a handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseUpdate {
    pub state: State,
    pub division_id: Option<DivisionId>,
    pub assignee: Option<AccountId>,
    pub acknowledged_at: Option<i64>,
    pub resolved_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub merged_into: Option<CaseId>,
}

/// Per-agency settings of the cases module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSettings {
    /// The recovery key's public half, once made.
    pub recovery_public: Option<[u8; 32]>,
    /// Days to acknowledge a case.
    pub ack_days: i64,
    /// Days to give the reporter a result (15 in Thai practice).
    pub result_days: i64,
    /// Days a closed case is kept before it is deleted.
    pub retention_days: i64,
}

impl Default for CaseSettings {
    fn default() -> Self {
        Self {
            recovery_public: None,
            ack_days: 3,
            result_days: 15,
            retention_days: 5 * 365,
        }
    }
}

impl crate::platform::audit::Audited for CaseSettings {
    fn audit_fields(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            (
                "recovery_key",
                self.recovery_public
                    .map(|k| prongsai_vault::PublicKey::from_bytes(k).fingerprint()),
            ),
            ("ack_days", Some(self.ack_days.to_string())),
            ("result_days", Some(self.result_days.to_string())),
            ("retention_days", Some(self.retention_days.to_string())),
        ]
    }
}

/// The clear fields statistics are made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatRow {
    pub kind: Kind,
    pub channel: Channel,
    pub state: State,
    pub received_at: i64,
    pub resolved_at: Option<i64>,
}
