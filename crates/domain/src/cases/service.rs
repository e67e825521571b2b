//! The services of cases: intake, the reporter's side with the receipt, the handler's keys and
//! back office, SLA clocks and retention. All cryptography is `prongsai_vault`'s; this module
//! decides what is sealed to whom and where each ciphertext belongs.

use std::collections::BTreeMap;

use prongsai_vault::{
    CaseKey, InstanceKey, KdfParams, PowChallenge, PublicKey, Receipt, ReceiptError, ReceiptRecord,
    RecoveryKey, SealedKey, SecretKey, WrappedSecretKey, context,
};
use zeroize::Zeroizing;

use super::media::{self, Attachment, AttachmentProblem, MAX_ATTACHMENTS};
use super::model::{
    Case, CaseId, CaseSettings, CaseUpdate, Channel, Identity, Kind, NewCase, Recipient, Record,
    RecordId, RecordKind, ReferralBody, Sealed, State, StoredCase,
};
use crate::ctx::Ctx;
use crate::error::StoreError;
use crate::ids::{AccountId, AgencyId, DivisionId};
use crate::platform::audit::{Actor, AuditEvent};
use crate::platform::file::FileKind;
use crate::platform::service::Member;
use crate::platform::{Permission, Role, SessionToken};

/// What a cases service can fail with. None carries case content.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    /// Not a handler of this agency, recused, or no such case: every case route answers 404.
    #[error("not found")]
    NotFound,
    /// Allowed in, but not this (an agency admin's settings).
    #[error("not allowed")]
    Forbidden,
    /// The agency has not set up its complaints channel (no recovery key yet).
    #[error("the complaints channel is not open")]
    NotOpen,
    /// The handler has no key pair yet.
    #[error("no key yet")]
    NoKey,
    /// The handler's key is not unlocked in this session.
    #[error("locked")]
    Locked,
    /// The key is unlocked but no sealed copy of this case is the handler's.
    #[error("no access to this case")]
    NoAccess,
    #[error("wrong password")]
    WrongPassword,
    /// The recovery key exists already: it is shown once.
    #[error("already made")]
    AlreadyMade,
    /// The input was refused; nothing was written. Catalog keys, with arguments.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<Problem>),
    /// A typed receipt that is not a receipt (no lookup was made).
    #[error("malformed receipt")]
    Receipt(ReceiptError),
    /// A receipt that opens no case (counted as a guess).
    #[error("no case for this receipt")]
    UnknownReceipt,
    #[error(transparent)]
    Store(StoreError),
    #[error("a stored ciphertext does not open")]
    Crypto(#[from] prongsai_vault::Error),
}

impl From<StoreError> for CaseError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            other => Self::Store(other),
        }
    }
}

type Result<T, E = CaseError> = std::result::Result<T, E>;

/// One refused field: the form field, a catalog key and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: &'static str,
    pub key: &'static str,
    pub arg: Option<String>,
}

impl Problem {
    fn new(field: &'static str, key: &'static str) -> Self {
        Self {
            field,
            key,
            arg: None,
        }
    }
    fn with(field: &'static str, key: &'static str, arg: impl Into<String>) -> Self {
        Self {
            field,
            key,
            arg: Some(arg.into()),
        }
    }
}

/// The longest subject and text accepted.
pub const MAX_SUBJECT: usize = 200;
pub const MAX_TEXT: usize = 20_000;
pub const MAX_MESSAGE: usize = 10_000;
/// Proof-of-work asked of an anonymous web submission, in zero bits.
pub const POW_BITS: u8 = 16;
/// How long a challenge stays valid.
pub const POW_SECONDS: i64 = 3600;

// ---------------------------------------------------------------------------------------------
// The installation's secret, the parameters

/// The installation's key for receipt lookup ids and proof-of-work challenges.
#[derive(Clone)]
pub struct CaseSecret(std::sync::Arc<InstanceKey>);

impl CaseSecret {
    /// Loads (or makes, the first time) the installation's key.
    pub async fn load(cx: &Ctx) -> Result<Self, StoreError> {
        let init = crate::entropy::random_bytes::<32>(cx.entropy.as_ref());
        let bytes = cx.store.instance_key("cases-instance", &init).await?;
        let arr: [u8; 32] = bytes.try_into().unwrap_or(init);
        Ok(Self(std::sync::Arc::new(InstanceKey::from_bytes(arr))))
    }

    /// A new proof-of-work challenge, as the token for the form.
    pub fn challenge(&self, cx: &Ctx) -> String {
        let rng = rng(cx);
        PowChallenge::issue(&self.0, cx.clock.unix() + POW_SECONDS, POW_BITS, &rng).to_token()
    }

    /// Checks a solved challenge; gives its id and expiry for the seen set.
    pub fn check_pow(&self, cx: &Ctx, token: &str, nonce: &str) -> Option<([u8; 16], i64)> {
        let nonce: u64 = nonce.trim().parse().ok()?;
        PowChallenge::verify(&self.0, token, nonce, cx.clock.unix(), POW_BITS)
            .ok()
            .map(|s| (s.id, s.expires_at))
    }
}

impl std::fmt::Debug for CaseSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CaseSecret(..)")
    }
}

/// Solves a challenge token (tests, the demo and the benchmark).
pub fn solve_pow(token: &str) -> Option<u64> {
    PowChallenge::parse(token).ok().map(|c| c.solve())
}

fn rng(cx: &Ctx) -> impl Fn(&mut [u8]) + '_ {
    move |b: &mut [u8]| cx.entropy.fill(b)
}

/// Handler keys are wrapped with the sign-in password's Argon2 cost.
fn handler_params(cx: &Ctx) -> KdfParams {
    let p = cx.password;
    KdfParams::new(p.memory_kib, p.iterations, p.parallelism).unwrap_or(KdfParams::HANDLER)
}

/// Receipts use vault's receipt cost, or the sign-in cost when that is lower (test suites).
fn receipt_params(cx: &Ctx) -> KdfParams {
    let p = cx.password;
    if p.memory_kib < KdfParams::RECEIPT.memory_kib() {
        KdfParams::new(p.memory_kib, 1, 1).unwrap_or(KdfParams::RECEIPT)
    } else {
        KdfParams::RECEIPT
    }
}

fn key_ctx(agency: AgencyId, case: CaseId, generation: i64) -> Vec<u8> {
    context(&[
        b"case-key",
        &agency.get().to_be_bytes(),
        &case.get().to_be_bytes(),
        &generation.to_be_bytes(),
    ])
}

fn body_ctx(agency: AgencyId, case: CaseId) -> Vec<u8> {
    context(&[
        b"case-body",
        &agency.get().to_be_bytes(),
        &case.get().to_be_bytes(),
    ])
}

fn record_ctx(
    agency: AgencyId,
    case: CaseId,
    r: RecordId,
    kind: RecordKind,
    part: &str,
) -> Vec<u8> {
    context(&[
        b"case-record",
        &agency.get().to_be_bytes(),
        &case.get().to_be_bytes(),
        &r.get().to_be_bytes(),
        kind.as_str().as_bytes(),
        part.as_bytes(),
    ])
}

// ---------------------------------------------------------------------------------------------
// What the reporter files

/// The report as decrypted: everything the reporter typed.
#[derive(Clone, PartialEq, Eq)]
pub struct Report {
    pub identity: Identity,
    pub subject: String,
    pub text: String,
    pub name: String,
    pub contact: String,
}

impl std::fmt::Debug for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Report(..)")
    }
}

impl Report {
    fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(
            serde_json::json!({
                "identity": self.identity.as_str(),
                "subject": self.subject,
                "text": self.text,
                "name": self.name,
                "contact": self.contact,
            })
            .to_string()
            .into_bytes(),
        )
    }

    fn from_bytes(b: &[u8]) -> Option<Self> {
        let v: serde_json::Value = serde_json::from_slice(b).ok()?;
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_owned();
        Some(Self {
            identity: Identity::parse(&s("identity"))?,
            subject: s("subject"),
            text: s("text"),
            name: s("name"),
            contact: s("contact"),
        })
    }
}

/// A report as typed into the form, with its files.
#[derive(Default, Clone)]
pub struct ReportInput {
    pub kind: String,
    pub identity: String,
    pub subject: String,
    pub text: String,
    pub name: String,
    pub contact: String,
    /// Remove the metadata of images.
    pub strip: bool,
    pub files: Vec<(String, Vec<u8>)>,
}

fn text_field(
    problems: &mut Vec<Problem>,
    field: &'static str,
    raw: &str,
    max: usize,
    required: bool,
) -> String {
    let t = raw.trim().replace('\0', "");
    if required && t.is_empty() {
        problems.push(Problem::new(field, "case-err-required"));
    } else if t.chars().count() > max {
        problems.push(Problem::with(field, "case-err-too-long", max.to_string()));
    }
    t
}

impl ReportInput {
    /// Checks every field and file at once.
    pub fn parse(self) -> Result<(Kind, Report, Vec<Attachment>), Vec<Problem>> {
        let mut p = Vec::new();
        let kind = Kind::parse(&self.kind);
        if kind.is_none() {
            p.push(Problem::new("kind", "case-err-choose"));
        }
        let identity = Identity::parse(&self.identity);
        if identity.is_none() {
            p.push(Problem::new("identity", "case-err-choose"));
        }
        let subject = text_field(&mut p, "subject", &self.subject, MAX_SUBJECT, true);
        let text = text_field(&mut p, "text", &self.text, MAX_TEXT, true);
        let named = identity.is_some_and(|i| i != Identity::Anonymous);
        let (name, contact) = if named {
            (
                text_field(&mut p, "name", &self.name, 200, true),
                text_field(&mut p, "contact", &self.contact, 200, false),
            )
        } else {
            (String::new(), String::new())
        };
        let mut files = Vec::new();
        if self.files.len() > MAX_ATTACHMENTS {
            p.push(Problem::with(
                "files",
                "case-err-too-many-files",
                MAX_ATTACHMENTS.to_string(),
            ));
        } else {
            for (name, bytes) in self.files {
                match media::accept(&name, bytes, self.strip) {
                    Ok(a) => files.push(a),
                    Err(AttachmentProblem::TooLarge { name }) => {
                        p.push(Problem::with("files", "case-err-file-too-large", name));
                    }
                    Err(AttachmentProblem::NotAllowed { name }) => {
                        p.push(Problem::with("files", "case-err-file-type", name));
                    }
                    Err(AttachmentProblem::Disguised { name }) => {
                        p.push(Problem::with("files", "case-err-file-disguised", name));
                    }
                    Err(AttachmentProblem::TooMany) => {
                        p.push(Problem::new("files", "case-err-too-many-files"));
                    }
                }
            }
        }
        match (kind, identity, p.is_empty()) {
            (Some(kind), Some(identity), true) => Ok((
                kind,
                Report {
                    identity,
                    subject,
                    text,
                    name,
                    contact,
                },
                files,
            )),
            _ => Err(p),
        }
    }
}

/// What the reporter keeps: the receipt, shown once.
pub struct Filed {
    pub id: CaseId,
    pub receipt: Zeroizing<String>,
}

/// The handlers of an agency who hold a key: account, public key and the names that would
/// show they are named in a report.
async fn handlers(cx: &Ctx, agency: AgencyId) -> Result<Vec<(AccountId, PublicKey, Vec<String>)>> {
    let keys: BTreeMap<AccountId, Vec<u8>> =
        cx.store.handler_keys(agency).await?.into_iter().collect();
    let mut out = Vec::new();
    for m in cx.store.list_members(agency).await? {
        if !m.membership.has_role(Role::ComplaintHandler) {
            continue;
        }
        let Some(w) = keys.get(&m.account.id) else {
            continue;
        };
        let Ok(w) = WrappedSecretKey::from_bytes(w) else {
            continue;
        };
        let mut names = vec![m.account.display_name.clone()];
        names.extend(m.person_name.clone());
        out.push((m.account.id, w.public_key(), names));
    }
    Ok(out)
}

/// Whether `name` appears in the report: a handler named in it is kept off the case.
fn names_in(report: &Report, names: &[String]) -> bool {
    let hay = format!("{}\n{}", report.subject, report.text).to_lowercase();
    names.iter().any(|n| {
        let n = n.trim().to_lowercase();
        n.chars().count() >= 4 && hay.contains(&n)
    })
}

/// Files a report: everything typed is encrypted before the one transaction that stores the
/// case. `actor` is `system:intake` for the public form, the staff member for another channel.
pub async fn file_report(
    cx: &Ctx,
    secret: &CaseSecret,
    agency: AgencyId,
    channel: Channel,
    input: ReportInput,
    actor: &Actor,
) -> Result<Filed> {
    let (kind, report, files) = input.parse().map_err(CaseError::Invalid)?;
    let settings = cx.store.case_settings(agency).await?;
    let recovery = settings
        .recovery_public
        .map(PublicKey::from_bytes)
        .ok_or(CaseError::NotOpen)?;
    let handlers = handlers(cx, agency).await?;
    let rng = rng(cx);
    for _attempt in 0..3 {
        let id = CaseId::from_raw(cx.new_id());
        let receipt = Receipt::generate(&rng);
        let lookup = receipt.lookup_id(&secret.0).to_bytes();
        let (record, reporter) = receipt.enroll(receipt_params(cx), &rng)?;
        let key = CaseKey::generate(&rng);
        let kctx = key_ctx(agency, id, 1);
        let mut sealed = Vec::new();
        let mut recused = Vec::new();
        for (account, public, names) in &handlers {
            if names_in(&report, names) {
                recused.push(*account);
                continue;
            }
            sealed.push(Sealed {
                generation: 1,
                recipient: Recipient::Handler(*account),
                bytes: key.seal_to(public, &kctx, &rng)?.as_bytes().to_vec(),
            });
        }
        for (recipient, public) in [
            (Recipient::Recovery, recovery),
            (Recipient::Reporter, reporter.public_key()),
        ] {
            sealed.push(Sealed {
                generation: 1,
                recipient,
                bytes: key.seal_to(&public, &kctx, &rng)?.as_bytes().to_vec(),
            });
        }
        let body = key.encrypt(&body_ctx(agency, id), &report.to_bytes(), &rng)?;
        let now = cx.clock.unix();
        let mut records = Vec::new();
        for a in &files {
            let rid = RecordId::from_raw(cx.new_id());
            records.push(attachment_record(
                &key, agency, id, rid, a, now, None, &rng,
            )?);
        }
        let case = Case {
            agency_id: agency,
            id,
            kind,
            channel,
            state: State::Received,
            division_id: None,
            assignee: None,
            received_at: now,
            acknowledged_at: None,
            resolved_at: None,
            closed_at: None,
            ack_due_at: now + settings.ack_days * 86_400,
            result_due_at: now + settings.result_days * 86_400,
            merged_into: None,
            generation: 1,
            updated_at: now,
        };
        let new = NewCase {
            stored: StoredCase {
                case,
                body,
                receipt_record: record.as_bytes().to_vec(),
            },
            lookup_id: lookup,
            sealed,
            records,
            recused,
        };
        match cx
            .store
            .insert_case(crate::ctx::Write { actor, at: now }, &new)
            .await
        {
            Ok(()) => {
                return Ok(Filed {
                    id,
                    receipt: receipt.to_text(),
                });
            }
            // Two receipts with one lookup id: about one in 10¹² per pair. Make another.
            Err(StoreError::Conflict) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(CaseError::Store(StoreError::Conflict))
}

#[expect(clippy::too_many_arguments, reason = "one record's place and content")]
fn attachment_record(
    key: &CaseKey,
    agency: AgencyId,
    case: CaseId,
    rid: RecordId,
    a: &Attachment,
    now: i64,
    generation: Option<i64>,
    rng: &dyn Fn(&mut [u8]),
) -> Result<Record> {
    let kind = RecordKind::Attachment;
    let meta = serde_json::json!({
        "name": a.name, "type": a.kind.as_str(), "size": a.bytes.len(), "stripped": a.stripped,
    })
    .to_string();
    Ok(Record {
        id: rid,
        case_id: case,
        kind,
        generation: generation.unwrap_or(1),
        author: None,
        created_at: now,
        meta: Some(key.encrypt(
            &record_ctx(agency, case, rid, kind, "meta"),
            meta.as_bytes(),
            rng,
        )?),
        body: key.encrypt(&record_ctx(agency, case, rid, kind, "body"), &a.bytes, rng)?,
    })
}

// ---------------------------------------------------------------------------------------------
// The reporter comes back

/// Why a typed receipt is not a receipt at all (no lookup is made, no guess is counted).
pub use prongsai_vault::ReceiptError as ReceiptProblem;

/// Checks the shape of a typed receipt: digits (Thai or ASCII), separators, length and the
/// check digit.
pub fn check_receipt_shape(typed: &str) -> Result<(), ReceiptProblem> {
    Receipt::parse(typed).map(|_| ())
}

/// A decrypted record, as a page shows it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: RecordId,
    pub kind: RecordKind,
    pub at: i64,
    pub author: Option<AccountId>,
    pub text: String,
    /// Attachments: name, type, size, stripped.
    pub file: Option<FileInfo>,
    /// Referrals: the body and its reference.
    pub referral: Option<(ReferralBody, String)>,
}

#[derive(Debug, Clone)]
pub struct FileInfo {
    pub name: String,
    pub kind: FileKind,
    pub size: u64,
    pub stripped: bool,
}

/// What the reporter sees with their receipt.
#[derive(Debug, Clone)]
pub struct ReporterView {
    pub case: Case,
    pub report: Report,
    /// Messages both ways, oldest first; no notes, no referrals.
    pub messages: Vec<Entry>,
    pub attachments: Vec<FileInfo>,
    pub disclosed: bool,
}

struct Opened {
    stored: StoredCase,
    keys: BTreeMap<i64, CaseKey>,
}

/// Opens the case of a typed receipt. A malformed receipt is refused before any lookup; an
/// unknown one costs the same Argon2 run as a wrong one.
async fn open_receipt(
    cx: &Ctx,
    secret: &CaseSecret,
    agency: AgencyId,
    typed: &str,
) -> Result<Opened> {
    let receipt = Receipt::parse(typed).map_err(CaseError::Receipt)?;
    let lookup = receipt.lookup_id(&secret.0).to_bytes();
    let found = cx.store.case_by_lookup(agency, lookup).await?;
    let Some(stored) = found else {
        let _ = receipt.unlock(&ReceiptRecord::decoy(receipt_params(cx)));
        return Err(CaseError::UnknownReceipt);
    };
    let record =
        ReceiptRecord::from_bytes(&stored.receipt_record).map_err(|_| CaseError::UnknownReceipt)?;
    let mine = receipt
        .unlock(&record)
        .map_err(|_| CaseError::UnknownReceipt)?;
    let sealed = cx.store.sealed_keys(agency, stored.case.id).await?;
    let keys = open_all(&sealed, Recipient::Reporter, &mine, agency, stored.case.id);
    if !keys.contains_key(&1) {
        return Err(CaseError::UnknownReceipt);
    }
    Ok(Opened { stored, keys })
}

fn open_all(
    sealed: &[Sealed],
    who: Recipient,
    key: &SecretKey,
    agency: AgencyId,
    case: CaseId,
) -> BTreeMap<i64, CaseKey> {
    sealed
        .iter()
        .filter(|s| s.recipient == who)
        .filter_map(|s| {
            let k = SealedKey::from_bytes(&s.bytes)
                .ok()?
                .open(key, &key_ctx(agency, case, s.generation))
                .ok()?;
            Some((s.generation, k))
        })
        .collect()
}

fn decrypt_entry(o: &Opened, r: &Record) -> Option<Entry> {
    let agency = o.stored.case.agency_id;
    let case = o.stored.case.id;
    let key = o.keys.get(&r.generation)?;
    let mut e = Entry {
        id: r.id,
        kind: r.kind,
        at: r.created_at,
        author: r.author,
        text: String::new(),
        file: None,
        referral: None,
    };
    match r.kind {
        RecordKind::Attachment => {
            let meta = key
                .decrypt(
                    &record_ctx(agency, case, r.id, r.kind, "meta"),
                    r.meta.as_deref()?,
                )
                .ok()?;
            let v: serde_json::Value = serde_json::from_slice(&meta).ok()?;
            e.file = Some(FileInfo {
                name: v.get("name")?.as_str()?.to_owned(),
                kind: FileKind::parse(v.get("type")?.as_str()?)?,
                size: v.get("size")?.as_u64()?,
                stripped: v.get("stripped")?.as_bool()?,
            });
        }
        _ => {
            let plain = key
                .decrypt(&record_ctx(agency, case, r.id, r.kind, "body"), &r.body)
                .ok()?;
            let text = String::from_utf8(plain).ok()?;
            if r.kind == RecordKind::Referral {
                let v: serde_json::Value = serde_json::from_str(&text).ok()?;
                e.referral = Some((
                    ReferralBody::parse(v.get("body")?.as_str()?)?,
                    v.get("reference")?.as_str()?.to_owned(),
                ));
            } else {
                e.text = text;
            }
        }
    }
    Some(e)
}

fn report_of(o: &Opened) -> Result<Report> {
    let key = o.keys.get(&1).ok_or(CaseError::NoAccess)?;
    let plain = Zeroizing::new(key.decrypt(
        &body_ctx(o.stored.case.agency_id, o.stored.case.id),
        &o.stored.body,
    )?);
    Report::from_bytes(&plain).ok_or(CaseError::Crypto(prongsai_vault::Error::Malformed(
        "report",
    )))
}

/// The reporter's view of their case.
pub async fn reporter_view(
    cx: &Ctx,
    secret: &CaseSecret,
    agency: AgencyId,
    typed: &str,
) -> Result<ReporterView> {
    let o = open_receipt(cx, secret, agency, typed).await?;
    let report = report_of(&o)?;
    let records = cx.store.case_records(agency, o.stored.case.id).await?;
    let mut messages = Vec::new();
    let mut attachments = Vec::new();
    let mut disclosed = false;
    for r in &records {
        match r.kind {
            RecordKind::FromReporter | RecordKind::ToReporter => {
                messages.extend(decrypt_entry(&o, r));
            }
            RecordKind::Attachment if r.author.is_none() => {
                attachments.extend(decrypt_entry(&o, r).and_then(|e| e.file));
            }
            RecordKind::Disclosure => disclosed = true,
            _ => {}
        }
    }
    Ok(ReporterView {
        case: o.stored.case,
        report,
        messages,
        attachments,
        disclosed,
    })
}

async fn add_encrypted(
    cx: &Ctx,
    actor: &Actor,
    keys: &BTreeMap<i64, CaseKey>,
    case: &Case,
    kind: RecordKind,
    author: Option<AccountId>,
    plain: &[u8],
) -> Result<RecordId> {
    let key = keys.get(&case.generation).ok_or(CaseError::NoAccess)?;
    let rid = RecordId::from_raw(cx.new_id());
    let rng = rng(cx);
    let body = key.encrypt(
        &record_ctx(case.agency_id, case.id, rid, kind, "body"),
        plain,
        &rng,
    )?;
    let r = Record {
        id: rid,
        case_id: case.id,
        kind,
        generation: case.generation,
        author,
        created_at: cx.clock.unix(),
        meta: None,
        body,
    };
    cx.store
        .add_case_record(cx.write(actor), case.agency_id, &r)
        .await?;
    Ok(rid)
}

/// The reporter writes to the handlers.
pub async fn reporter_message(
    cx: &Ctx,
    secret: &CaseSecret,
    agency: AgencyId,
    typed: &str,
    text: &str,
) -> Result<()> {
    let mut p = Vec::new();
    let text = text_field(&mut p, "message", text, MAX_MESSAGE, true);
    if !p.is_empty() {
        return Err(CaseError::Invalid(p));
    }
    let o = open_receipt(cx, secret, agency, typed).await?;
    let actor = Actor::system("reporter");
    add_encrypted(
        cx,
        &actor,
        &o.keys,
        &o.stored.case,
        RecordKind::FromReporter,
        None,
        text.as_bytes(),
    )
    .await?;
    Ok(())
}

/// The reporter gives their name and contact after filing. One-way: there is no undoing it,
/// and it is offered only once.
pub async fn reporter_disclose(
    cx: &Ctx,
    secret: &CaseSecret,
    agency: AgencyId,
    typed: &str,
    name: &str,
    contact: &str,
) -> Result<()> {
    let mut p = Vec::new();
    let name = text_field(&mut p, "name", name, 200, true);
    let contact = text_field(&mut p, "contact", contact, 200, false);
    if !p.is_empty() {
        return Err(CaseError::Invalid(p));
    }
    let o = open_receipt(cx, secret, agency, typed).await?;
    let records = cx.store.case_records(agency, o.stored.case.id).await?;
    if records.iter().any(|r| r.kind == RecordKind::Disclosure) {
        return Ok(());
    }
    let plain = serde_json::json!({"name": name, "contact": contact}).to_string();
    add_encrypted(
        cx,
        &Actor::system("reporter"),
        &o.keys,
        &o.stored.case,
        RecordKind::Disclosure,
        None,
        plain.as_bytes(),
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Handlers' keys

/// A handler's unlocked key, for one request.
pub struct Keyring {
    account: AccountId,
    secret: SecretKey,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("account", &self.account)
            .finish_non_exhaustive()
    }
}

/// Where a handler stands with their key in this session.
#[derive(Debug)]
pub enum KeyState {
    NoKey,
    Locked,
    Unlocked(Keyring),
}

/// Anyone who is not a handler of the agency gets `NotFound` on every case route.
pub fn require_handler(m: &Member) -> Result<()> {
    if m.membership.can(Permission::HandleCases) {
        Ok(())
    } else {
        Err(CaseError::NotFound)
    }
}

/// The handler's key state in the session of `token`.
pub async fn key_state(cx: &Ctx, m: &Member, token: &SessionToken) -> Result<KeyState> {
    require_handler(m)?;
    let agency = m.agency_id();
    if cx.store.handler_key(agency, m.account.id).await?.is_none() {
        return Ok(KeyState::NoKey);
    }
    let Some(blob) = cx.store.session_case_key(&token.hash(), agency).await? else {
        return Ok(KeyState::Locked);
    };
    match SecretKey::unwrap_from_session(&blob, token.as_str().as_bytes()) {
        Ok(secret) => Ok(KeyState::Unlocked(Keyring {
            account: m.account.id,
            secret,
        })),
        Err(_) => Ok(KeyState::Locked),
    }
}

/// The unlocked key, or why there is none.
pub async fn keyring(cx: &Ctx, m: &Member, token: &SessionToken) -> Result<Keyring> {
    match key_state(cx, m, token).await? {
        KeyState::Unlocked(k) => Ok(k),
        KeyState::Locked => Err(CaseError::Locked),
        KeyState::NoKey => Err(CaseError::NoKey),
    }
}

fn check_password(cx: &Ctx, m: &Member, password: &str) -> Result<()> {
    let _ = cx;
    if crate::platform::account::verify_password(&m.account.password_hash, password) {
        Ok(())
    } else {
        Err(CaseError::WrongPassword)
    }
}

async fn keep_for_session(
    cx: &Ctx,
    m: &Member,
    token: &SessionToken,
    secret: &SecretKey,
) -> Result<()> {
    let rng = rng(cx);
    let blob = secret.wrap_for_session(token.as_str().as_bytes(), &rng)?;
    cx.store
        .put_session_case_key(cx.write(&m.actor), &token.hash(), m.agency_id(), &blob)
        .await?;
    Ok(())
}

/// Makes the handler's key pair, locked by their sign-in password, and unlocks it for this
/// session. Cases filed before have no copy for them until a colleague grants access.
pub async fn create_key(cx: &Ctx, m: &Member, token: &SessionToken, password: &str) -> Result<()> {
    require_handler(m)?;
    if cx
        .store
        .handler_key(m.agency_id(), m.account.id)
        .await?
        .is_some()
    {
        // Replacing a key would orphan every copy sealed to it.
        return Err(CaseError::AlreadyMade);
    }
    check_password(cx, m, password)?;
    let rng = rng(cx);
    let secret = SecretKey::generate(&rng);
    let wrapped = secret.wrap(password.as_bytes(), handler_params(cx), &rng)?;
    cx.store
        .put_handler_key(
            cx.write(&m.actor),
            m.agency_id(),
            m.account.id,
            wrapped.as_bytes(),
        )
        .await?;
    keep_for_session(cx, m, token, &secret).await
}

/// Unlocks the handler's key for this session with their password (one Argon2 run).
pub async fn unlock(cx: &Ctx, m: &Member, token: &SessionToken, password: &str) -> Result<()> {
    require_handler(m)?;
    let stored = cx
        .store
        .handler_key(m.agency_id(), m.account.id)
        .await?
        .ok_or(CaseError::NoKey)?;
    let wrapped = WrappedSecretKey::from_bytes(&stored)?;
    let secret = wrapped
        .unlock(password.as_bytes())
        .map_err(|_| CaseError::WrongPassword)?;
    keep_for_session(cx, m, token, &secret).await
}

/// Makes the agency's recovery key (an agency admin, once). The text is shown once and never
/// stored; only its public half is.
pub async fn make_recovery_key(cx: &Ctx, m: &Member) -> Result<Zeroizing<String>> {
    if !m.membership.can(Permission::ManageCaseSettings) {
        return Err(CaseError::Forbidden);
    }
    let rng = rng(cx);
    let key = RecoveryKey::generate(&rng);
    if cx
        .store
        .set_recovery_key(
            cx.write(&m.actor),
            m.agency_id(),
            key.public_key().to_bytes(),
        )
        .await?
    {
        Ok(key.to_text())
    } else {
        Err(CaseError::AlreadyMade)
    }
}

/// Saves the SLA and retention periods (an agency admin).
pub async fn save_settings(
    cx: &Ctx,
    m: &Member,
    ack_days: &str,
    result_days: &str,
    retention_days: &str,
) -> Result<CaseSettings> {
    if !m.membership.can(Permission::ManageCaseSettings) {
        return Err(CaseError::Forbidden);
    }
    let mut p = Vec::new();
    let mut num = |field: &'static str, raw: &str, range: std::ops::RangeInclusive<i64>| match raw
        .trim()
        .parse::<i64>()
    {
        Ok(n) if range.contains(&n) => n,
        _ => {
            p.push(Problem::with(
                field,
                "case-err-days",
                format!("{}–{}", range.start(), range.end()),
            ));
            0
        }
    };
    let ack = num("ack_days", ack_days, 1..=60);
    let result = num("result_days", result_days, 1..=365);
    let retention = num("retention_days", retention_days, 30..=36_500);
    if !p.is_empty() {
        return Err(CaseError::Invalid(p));
    }
    let mut s = cx.store.case_settings(m.agency_id()).await?;
    s.ack_days = ack;
    s.result_days = result;
    s.retention_days = retention;
    cx.store
        .put_case_settings(cx.write(&m.actor), m.agency_id(), &s)
        .await?;
    Ok(s)
}

/// The settings, for the settings page (an agency admin or a handler).
pub async fn settings(cx: &Ctx, m: &Member) -> Result<CaseSettings> {
    if !m.membership.can(Permission::ManageCaseSettings)
        && !m.membership.can(Permission::HandleCases)
    {
        return Err(CaseError::NotFound);
    }
    Ok(cx.store.case_settings(m.agency_id()).await?)
}

/// Seals every case key the handler can open to each other handler of the agency who holds a
/// key pair, is not recused and lacks a copy (a handler added later). Returns how many cases
/// were shared.
pub async fn grant_access(cx: &Ctx, m: &Member, kr: &Keyring) -> Result<u64> {
    require_handler(m)?;
    let agency = m.agency_id();
    let handlers = handlers(cx, agency).await?;
    let rng = rng(cx);
    let mut shared = 0;
    for (stored, _) in cx.store.list_cases(agency, kr.account).await? {
        let case = stored.case.id;
        let sealed = cx.store.sealed_keys(agency, case).await?;
        let keys = open_all(
            &sealed,
            Recipient::Handler(kr.account),
            &kr.secret,
            agency,
            case,
        );
        if keys.is_empty() {
            continue;
        }
        let recused = cx.store.recusals(agency, case).await?;
        let mut add = Vec::new();
        for (account, public, _) in &handlers {
            if recused.contains(account) {
                continue;
            }
            for (generation, key) in &keys {
                let has = sealed.iter().any(|s| {
                    s.generation == *generation && s.recipient == Recipient::Handler(*account)
                });
                if !has {
                    add.push(Sealed {
                        generation: *generation,
                        recipient: Recipient::Handler(*account),
                        bytes: key
                            .seal_to(public, &key_ctx(agency, case, *generation), &rng)?
                            .as_bytes()
                            .to_vec(),
                    });
                }
            }
        }
        if !add.is_empty() {
            cx.store
                .add_sealed_keys(cx.write(&m.actor), agency, case, &add)
                .await?;
            shared += 1;
        }
    }
    Ok(shared)
}

// ---------------------------------------------------------------------------------------------
// The back office

/// One line of the handler's list.
#[derive(Debug, Clone)]
pub struct ListRow {
    pub case: Case,
    /// The decrypted subject; `None` when no copy of the key is the handler's yet.
    pub subject: Option<String>,
}

/// The handler's list of cases, decrypted (one X25519 open and one decryption per case).
/// Cases they are recused from are not listed. Listing is not a read of any case's content
/// beyond its subject, and is audited once as a list.
pub async fn list(cx: &Ctx, m: &Member, kr: &Keyring) -> Result<Vec<ListRow>> {
    require_handler(m)?;
    let agency = m.agency_id();
    let rows = cx.store.list_cases(agency, kr.account).await?;
    let subject = |stored: &StoredCase, sealed: &[Sealed]| -> Option<String> {
        let id = stored.case.id;
        let key = sealed.iter().find(|s| s.generation == 1).and_then(|s| {
            SealedKey::from_bytes(&s.bytes)
                .ok()?
                .open(&kr.secret, &key_ctx(agency, id, 1))
                .ok()
        })?;
        let plain = Zeroizing::new(key.decrypt(&body_ctx(agency, id), &stored.body).ok()?);
        Report::from_bytes(&plain).map(|r| r.subject)
    };
    // One X25519 exchange per case dominates: spread the cases over the cores.
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let chunk = rows.len().div_ceil(threads.clamp(1, 8)).max(1);
    let subjects: Vec<Option<String>> = std::thread::scope(|scope| {
        let parts: Vec<_> = rows
            .chunks(chunk)
            .map(|part| {
                let handle = scope.spawn(move || {
                    part.iter()
                        .map(|(stored, sealed)| subject(stored, sealed))
                        .collect::<Vec<_>>()
                });
                (part.len(), handle)
            })
            .collect();
        parts
            .into_iter()
            .flat_map(|(len, h)| h.join().unwrap_or_else(|_| vec![None; len]))
            .collect()
    });
    let out: Vec<ListRow> = rows
        .into_iter()
        .zip(subjects)
        .map(|((stored, _), subject)| ListRow {
            case: stored.case,
            subject,
        })
        .collect();
    cx.store
        .record(
            cx.write(&m.actor),
            Some(agency),
            &AuditEvent::new("case", "list", "list", vec![]),
        )
        .await?;
    Ok(out)
}

/// The case as a handler sees it.
#[derive(Debug, Clone)]
pub struct CaseView {
    pub case: Case,
    pub report: Report,
    pub entries: Vec<Entry>,
    /// The reporter's later disclosure: name and contact.
    pub disclosure: Option<(String, String)>,
    pub recused: Vec<AccountId>,
    /// Handlers holding a copy of the newest key.
    pub holders: Vec<AccountId>,
}

async fn open_for(cx: &Ctx, m: &Member, kr: &Keyring, id: CaseId) -> Result<Opened> {
    require_handler(m)?;
    let agency = m.agency_id();
    let stored = cx.store.case(agency, id).await?;
    if cx.store.recusals(agency, id).await?.contains(&kr.account) {
        return Err(CaseError::NotFound);
    }
    let sealed = cx.store.sealed_keys(agency, id).await?;
    let keys = open_all(
        &sealed,
        Recipient::Handler(kr.account),
        &kr.secret,
        agency,
        id,
    );
    if keys.is_empty() {
        return Err(CaseError::NoAccess);
    }
    Ok(Opened { stored, keys })
}

/// Whether the member may see the case at all (a handler, not recused): for pages that must
/// answer 404 before asking for the key.
pub async fn may_see(cx: &Ctx, m: &Member, id: CaseId) -> Result<Case> {
    require_handler(m)?;
    let stored = cx.store.case(m.agency_id(), id).await?;
    if cx
        .store
        .recusals(m.agency_id(), id)
        .await?
        .contains(&m.account.id)
    {
        return Err(CaseError::NotFound);
    }
    Ok(stored.case)
}

async fn audit_read(cx: &Ctx, m: &Member, id: CaseId, what: &'static str) -> Result<()> {
    cx.store
        .record(
            cx.write(&m.actor),
            Some(m.agency_id()),
            &AuditEvent::new("case", id, what, vec![]),
        )
        .await?;
    Ok(())
}

/// Opens a case for a handler. Every call writes an audit entry (`case` `read`).
pub async fn open(cx: &Ctx, m: &Member, kr: &Keyring, id: CaseId) -> Result<CaseView> {
    let o = open_for(cx, m, kr, id).await?;
    let report = report_of(&o)?;
    let agency = m.agency_id();
    let mut entries = Vec::new();
    let mut disclosure = None;
    for r in cx.store.case_records(agency, id).await? {
        let Some(e) = decrypt_entry(&o, &r) else {
            continue;
        };
        if e.kind == RecordKind::Disclosure {
            let v: serde_json::Value = serde_json::from_str(&e.text).unwrap_or_default();
            let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_owned();
            disclosure = Some((s("name"), s("contact")));
            continue;
        }
        entries.push(e);
    }
    let sealed = cx.store.sealed_keys(agency, id).await?;
    let holders = sealed
        .iter()
        .filter(|s| s.generation == o.stored.case.generation)
        .filter_map(|s| s.recipient.account())
        .collect();
    let recused = cx.store.recusals(agency, id).await?;
    audit_read(cx, m, id, "read").await?;
    Ok(CaseView {
        case: o.stored.case,
        report,
        entries,
        disclosure,
        recused,
        holders,
    })
}

/// One attachment, decrypted. Audited as a read.
pub async fn attachment(
    cx: &Ctx,
    m: &Member,
    kr: &Keyring,
    id: CaseId,
    record: RecordId,
) -> Result<(FileInfo, Vec<u8>)> {
    let o = open_for(cx, m, kr, id).await?;
    let agency = m.agency_id();
    let r = cx.store.case_record(agency, id, record).await?;
    if r.kind != RecordKind::Attachment {
        return Err(CaseError::NotFound);
    }
    let info = decrypt_entry(&o, &r)
        .and_then(|e| e.file)
        .ok_or(CaseError::NotFound)?;
    let key = o.keys.get(&r.generation).ok_or(CaseError::NoAccess)?;
    let bytes = key.decrypt(&record_ctx(agency, id, r.id, r.kind, "body"), &r.body)?;
    audit_read(cx, m, id, "read-attachment").await?;
    Ok((info, bytes))
}

/// A handler's written entry: a message to the reporter or an internal note.
pub async fn write_entry(
    cx: &Ctx,
    m: &Member,
    kr: &Keyring,
    id: CaseId,
    kind: RecordKind,
    text: &str,
) -> Result<()> {
    if !matches!(kind, RecordKind::ToReporter | RecordKind::Note) {
        return Err(CaseError::NotFound);
    }
    let mut p = Vec::new();
    let text = text_field(&mut p, "text", text, MAX_MESSAGE, true);
    if !p.is_empty() {
        return Err(CaseError::Invalid(p));
    }
    let o = open_for(cx, m, kr, id).await?;
    add_encrypted(
        cx,
        &m.actor,
        &o.keys,
        &o.stored.case,
        kind,
        Some(m.account.id),
        text.as_bytes(),
    )
    .await?;
    Ok(())
}

/// Records a referral to an outside body with its reference.
pub async fn refer(
    cx: &Ctx,
    m: &Member,
    kr: &Keyring,
    id: CaseId,
    body: &str,
    reference: &str,
) -> Result<()> {
    let mut p = Vec::new();
    let body = ReferralBody::parse(body);
    if body.is_none() {
        p.push(Problem::new("body", "case-err-choose"));
    }
    let reference = text_field(&mut p, "reference", reference, 100, true);
    let Some(body) = body.filter(|_| p.is_empty()) else {
        return Err(CaseError::Invalid(p));
    };
    let o = open_for(cx, m, kr, id).await?;
    let plain = serde_json::json!({"body": body.as_str(), "reference": reference}).to_string();
    add_encrypted(
        cx,
        &m.actor,
        &o.keys,
        &o.stored.case,
        RecordKind::Referral,
        Some(m.account.id),
        plain.as_bytes(),
    )
    .await?;
    Ok(())
}

/// Moves a case to another state (with its division and handler when assigning). Reopening is
/// moving a resolved or closed case back to investigating.
pub async fn change_state(
    cx: &Ctx,
    m: &Member,
    kr: &Keyring,
    id: CaseId,
    to: &str,
    division: &str,
    assignee: &str,
) -> Result<Case> {
    let o = open_for(cx, m, kr, id).await?;
    let c = &o.stored.case;
    let agency = m.agency_id();
    let mut p = Vec::new();
    let to = State::parse(to).filter(|s| c.state.next().contains(s));
    if to.is_none() {
        p.push(Problem::new("state", "case-err-state"));
    }
    let mut division_id = c.division_id;
    let mut assignee_id = c.assignee;
    if to == Some(State::Assigned) {
        division_id = match division.trim() {
            "" => None,
            d => match d.parse::<i64>().ok().map(DivisionId::from_raw) {
                Some(d)
                    if cx
                        .store
                        .list_divisions(agency)
                        .await?
                        .iter()
                        .any(|x| x.id == d) =>
                {
                    Some(d)
                }
                _ => {
                    p.push(Problem::new("division_id", "case-err-choose"));
                    None
                }
            },
        };
        assignee_id = match assignee.trim() {
            "" => None,
            a => {
                let handlers = handlers(cx, agency).await?;
                let recused = cx.store.recusals(agency, id).await?;
                match a.parse::<i64>().ok().map(AccountId::from_raw) {
                    Some(a) if handlers.iter().any(|h| h.0 == a) && !recused.contains(&a) => {
                        Some(a)
                    }
                    _ => {
                        p.push(Problem::new("assignee", "case-err-choose"));
                        None
                    }
                }
            }
        };
        if p.is_empty() && division_id.is_none() && assignee_id.is_none() {
            p.push(Problem::new("division_id", "case-err-assign"));
        }
    }
    let Some(to) = to.filter(|_| p.is_empty()) else {
        return Err(CaseError::Invalid(p));
    };
    let now = cx.clock.unix();
    let reopen = !c.state.is_open() && to.is_open();
    let u = CaseUpdate {
        state: to,
        division_id,
        assignee: assignee_id,
        acknowledged_at: c
            .acknowledged_at
            .or((to == State::Acknowledged).then_some(now)),
        resolved_at: if reopen {
            None
        } else {
            c.resolved_at.or((to == State::Resolved).then_some(now))
        },
        closed_at: if reopen {
            None
        } else {
            c.closed_at.or((to == State::Closed).then_some(now))
        },
        merged_into: if reopen { None } else { c.merged_into },
    };
    Ok(cx
        .store
        .update_case(cx.write(&m.actor), agency, id, &u)
        .await?)
}

/// Merges a duplicate into another case of the agency: the duplicate is closed and points at
/// the case that carries on.
pub async fn merge(cx: &Ctx, m: &Member, kr: &Keyring, id: CaseId, into: &str) -> Result<Case> {
    let o = open_for(cx, m, kr, id).await?;
    let agency = m.agency_id();
    let target = into
        .trim()
        .trim_start_matches('#')
        .parse::<i64>()
        .ok()
        .map(CaseId::from_raw)
        .filter(|t| *t != id);
    let Some(target) = target else {
        return Err(CaseError::Invalid(vec![Problem::new(
            "into",
            "case-err-merge",
        )]));
    };
    // The handler must be able to open the other case too.
    match open_for(cx, m, kr, target).await {
        Ok(_) => {}
        Err(CaseError::NotFound | CaseError::NoAccess) => {
            return Err(CaseError::Invalid(vec![Problem::new(
                "into",
                "case-err-merge",
            )]));
        }
        Err(e) => return Err(e),
    }
    let now = cx.clock.unix();
    let c = &o.stored.case;
    let u = CaseUpdate {
        state: State::Closed,
        division_id: c.division_id,
        assignee: c.assignee,
        acknowledged_at: c.acknowledged_at.or(Some(now)),
        resolved_at: c.resolved_at.or(Some(now)),
        closed_at: Some(now),
        merged_into: Some(target),
    };
    Ok(cx
        .store
        .update_case(cx.write(&m.actor), agency, id, &u)
        .await?)
}

/// Recuses a handler from a case (named in it, or conflicted): their sealed copies are deleted
/// and the case is re-keyed, so records written from now on are closed to them. Any handler of
/// the case may recuse anyone, themselves included.
pub async fn recuse(cx: &Ctx, m: &Member, kr: &Keyring, id: CaseId, who: &str) -> Result<()> {
    let o = open_for(cx, m, kr, id).await?;
    let agency = m.agency_id();
    let handlers = handlers(cx, agency).await?;
    let who = who
        .trim()
        .parse::<i64>()
        .ok()
        .map(AccountId::from_raw)
        .filter(|a| handlers.iter().any(|h| h.0 == *a));
    let Some(who) = who else {
        return Err(CaseError::Invalid(vec![Problem::new(
            "account",
            "case-err-choose",
        )]));
    };
    let sealed = cx.store.sealed_keys(agency, id).await?;
    let case = &o.stored.case;
    let generation = case.generation + 1;
    let mut recipients: Vec<(Recipient, PublicKey)> = Vec::new();
    for (account, public, _) in &handlers {
        let holds = sealed.iter().any(|s| {
            s.generation == case.generation && s.recipient == Recipient::Handler(*account)
        });
        if *account != who && holds {
            recipients.push((Recipient::Handler(*account), *public));
        }
    }
    if let Some(r) = cx.store.case_settings(agency).await?.recovery_public {
        recipients.push((Recipient::Recovery, PublicKey::from_bytes(r)));
    }
    if let Ok(rec) = ReceiptRecord::from_bytes(&o.stored.receipt_record) {
        recipients.push((Recipient::Reporter, rec.public_key()));
    }
    let publics: Vec<PublicKey> = recipients.iter().map(|r| r.1).collect();
    let rng = rng(cx);
    let (_, copies) = CaseKey::rekey(&publics, &key_ctx(agency, id, generation), &rng)?;
    let new: Vec<Sealed> = recipients
        .iter()
        .zip(copies)
        .map(|((r, _), s)| Sealed {
            generation,
            recipient: *r,
            bytes: s.as_bytes().to_vec(),
        })
        .collect();
    cx.store
        .recuse(cx.write(&m.actor), agency, id, who, &new)
        .await?;
    Ok(())
}

/// The handlers of the agency with a key pair: for assignment and recusal forms.
pub async fn handler_list(cx: &Ctx, m: &Member) -> Result<Vec<(AccountId, String)>> {
    require_handler(m)?;
    Ok(handlers(cx, m.agency_id())
        .await?
        .into_iter()
        .map(|(a, _, names)| (a, names.into_iter().next().unwrap_or_default()))
        .collect())
}

/// A case filed by staff from another channel (walk-in, phone, letter, a referral): the same
/// encrypted path as the public form; the receipt is given to the reporter on paper.
pub async fn record_offline(
    cx: &Ctx,
    secret: &CaseSecret,
    m: &Member,
    channel: &str,
    input: ReportInput,
) -> Result<Filed> {
    require_handler(m)?;
    let channel = Channel::parse(channel).filter(|c| *c != Channel::Web);
    let Some(channel) = channel else {
        let mut p = vec![Problem::new("channel", "case-err-choose")];
        if let Err(more) = input.parse() {
            p.extend(more);
        }
        return Err(CaseError::Invalid(p));
    };
    file_report(cx, secret, m.agency_id(), channel, input, &m.actor).await
}

// ---------------------------------------------------------------------------------------------
// SLA clocks and retention

/// The agency's open cases past a deadline, oldest deadline first (clear fields only).
pub async fn overdue(cx: &Ctx, agency: AgencyId) -> Result<Vec<Case>, StoreError> {
    let now = cx.clock.unix();
    let mut v: Vec<Case> = cx
        .store
        .case_heads(agency)
        .await?
        .into_iter()
        .filter(|c| c.overdue(now))
        .collect();
    v.sort_by_key(|c| {
        if c.ack_overdue(now) {
            c.ack_due_at
        } else {
            c.result_due_at
        }
    });
    Ok(v)
}

/// Deletes the agency's closed cases older than its retention period: their sealed copies and
/// ciphertexts (crypto-shredding). Returns how many.
pub async fn purge(cx: &Ctx, agency: AgencyId) -> Result<u64, StoreError> {
    let s = cx.store.case_settings(agency).await?;
    let before = cx.clock.unix() - s.retention_days * 86_400;
    let actor = Actor::system("retention");
    cx.store
        .delete_closed_cases(cx.write(&actor), agency, before)
        .await
}

/// What one sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sweep {
    /// Closed cases deleted after their retention period.
    pub deleted: u64,
    /// Reminders of overdue cases sent to handlers (in the app).
    pub reminded: usize,
}

/// The hourly sweep of every agency: deletes closed cases past retention, and reminds the
/// agency's handlers once of each case that passed its acknowledgement or result deadline.
/// Reminders carry the case number only, never content.
pub async fn sweep(cx: &Ctx) -> Result<Sweep, StoreError> {
    use crate::platform::notification::NewNotification;
    let mut out = Sweep::default();
    let now = cx.clock.unix();
    for a in cx.store.list_agencies().await? {
        out.deleted += purge(cx, a.id).await?;
        let late = overdue(cx, a.id).await?;
        if late.is_empty() {
            continue;
        }
        let members = cx.store.list_members(a.id).await?;
        let mut rows = Vec::new();
        for c in late {
            let what = if c.ack_overdue(now) { "ack" } else { "result" };
            if !cx.store.case_reminder_once(a.id, c.id, what, now).await? {
                continue;
            }
            let recused = cx.store.recusals(a.id, c.id).await?;
            for m in &members {
                if m.membership.has_role(Role::ComplaintHandler)
                    && !m.account.disabled
                    && !recused.contains(&m.account.id)
                {
                    rows.push(NewNotification {
                        account_id: m.account.id,
                        kind: "case-overdue".into(),
                        message_key: format!("case-reminder-{what}"),
                        args: vec![("case".into(), c.id.to_string())],
                        link: format!("cases/{}", c.id),
                    });
                }
            }
        }
        if !rows.is_empty() {
            let ids: Vec<_> = rows
                .iter()
                .map(|_| crate::ids::NotificationId::from_raw(cx.new_id()))
                .collect();
            cx.store.notify(a.id, &rows, &ids, now).await?;
            out.reminded += rows.len();
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Seeding: the demo agency and the benchmark

/// Makes the agency's recovery key (its text is returned and not kept) and the key pairs of
/// `handlers`, each locked by its password. For the demo and the benchmark; agencies make
/// theirs in the back office.
pub async fn provision(
    cx: &Ctx,
    actor: &Actor,
    agency: AgencyId,
    handlers: &[(AccountId, &str)],
) -> Result<Zeroizing<String>> {
    let rng = rng(cx);
    let recovery = RecoveryKey::generate(&rng);
    cx.store
        .set_recovery_key(cx.write(actor), agency, recovery.public_key().to_bytes())
        .await?;
    for (account, password) in handlers {
        let secret = SecretKey::generate(&rng);
        let wrapped = secret.wrap(password.as_bytes(), handler_params(cx), &rng)?;
        cx.store
            .put_handler_key(cx.write(actor), agency, *account, wrapped.as_bytes())
            .await?;
    }
    Ok(recovery.to_text())
}

/// A handler's key unlocked with their password, outside a session (the demo, the benchmark).
pub async fn keyring_with_password(
    cx: &Ctx,
    agency: AgencyId,
    account: AccountId,
    password: &str,
) -> Result<Keyring> {
    let stored = cx
        .store
        .handler_key(agency, account)
        .await?
        .ok_or(CaseError::NoKey)?;
    let secret = WrappedSecretKey::from_bytes(&stored)?
        .unlock(password.as_bytes())
        .map_err(|_| CaseError::WrongPassword)?;
    Ok(Keyring { account, secret })
}
