//! The audit log: who changed what, when. Append-only, and each agency's entries form a hash
//! chain, so that a changed or deleted entry is found by [`verify_chain`].
//!
//! Each agency has its own chain, numbered by its agency id. Platform-level events (agencies
//! created, accounts signing in, passwords changed) are on chain [`PLATFORM_CHAIN`].

use sha2::{Digest, Sha256};

use crate::ids::{AccountId, AgencyId};

/// The chain of platform-level events.
pub const PLATFORM_CHAIN: i64 = 0;

/// The hash that the first entry of every chain links to.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub account_id: Option<AccountId>,
    /// The e-mail of the account, or `system:<what>` for the system itself.
    pub label: String,
}

impl Actor {
    pub fn account(id: AccountId, email: &str) -> Self {
        Self {
            account_id: Some(id),
            label: email.to_owned(),
        }
    }

    /// The system itself, e.g. `system:demo` or `system:cli`.
    pub fn system(what: &str) -> Self {
        Self {
            account_id: None,
            label: format!("system:{what}"),
        }
    }
}

/// One changed field. Secrets are never recorded: their changes have no values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// A domain value whose fields can be audited. Secrets must not be listed.
pub trait Audited {
    /// The auditable fields, in a stable order.
    fn audit_fields(&self) -> Vec<(&'static str, Option<String>)>;
}

/// The fields that differ between `old` and `new`.
pub fn diff<T: Audited + ?Sized>(old: &T, new: &T) -> Vec<Change> {
    old.audit_fields()
        .into_iter()
        .zip(new.audit_fields())
        .filter(|((_, o), (_, n))| o != n)
        .map(|((f, o), (_, n))| Change {
            field: f.to_owned(),
            old: o,
            new: n,
        })
        .collect()
}

/// The fields of a new value.
pub fn created<T: Audited + ?Sized>(new: &T) -> Vec<Change> {
    new.audit_fields()
        .into_iter()
        .filter(|(_, v)| v.is_some())
        .map(|(f, v)| Change {
            field: f.to_owned(),
            old: None,
            new: v,
        })
        .collect()
}

/// The fields of a deleted value.
pub fn deleted<T: Audited + ?Sized>(old: &T) -> Vec<Change> {
    old.audit_fields()
        .into_iter()
        .filter(|(_, v)| v.is_some())
        .map(|(f, v)| Change {
            field: f.to_owned(),
            old: v,
            new: None,
        })
        .collect()
}

/// What happened, before it is numbered and chained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    /// `agency`, `division`, `person`, `account`, `membership`, `file`, …
    pub entity: &'static str,
    pub entity_id: String,
    /// `create`, `update`, `delete`, or a verb such as `password-reset`.
    pub action: &'static str,
    pub changes: Vec<Change>,
}

impl AuditEvent {
    pub fn new(
        entity: &'static str,
        entity_id: impl std::fmt::Display + Copy,
        action: &'static str,
        changes: Vec<Change>,
    ) -> Self {
        Self {
            entity,
            entity_id: entity_id.to_string(),
            action,
            changes,
        }
    }
}

/// A stored, chained entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub chain: i64,
    pub seq: i64,
    pub agency_id: Option<AgencyId>,
    pub at: i64,
    pub actor_account_id: Option<AccountId>,
    pub actor_label: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    /// The changes as JSON: `[{"field":…,"old":…,"new":…}]`.
    pub changes: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEntry {
    /// Numbers and chains an event after the entry `(prev_seq, prev_hash)` of its chain.
    pub fn chain_after(
        chain: i64,
        prev_seq: i64,
        prev_hash: &str,
        agency_id: Option<AgencyId>,
        at: i64,
        actor: &Actor,
        event: &AuditEvent,
    ) -> Self {
        let mut e = Self {
            chain,
            seq: prev_seq + 1,
            agency_id,
            at,
            actor_account_id: actor.account_id,
            actor_label: actor.label.clone(),
            entity: event.entity.to_owned(),
            entity_id: event.entity_id.clone(),
            action: event.action.to_owned(),
            changes: changes_json(&event.changes),
            prev_hash: prev_hash.to_owned(),
            hash: String::new(),
        };
        e.hash = e.compute_hash();
        e
    }

    /// The hash of every field but `hash` itself, each length-prefixed so that no two different
    /// entries encode the same.
    pub fn compute_hash(&self) -> String {
        let mut h = Sha256::new();
        h.update(b"prongsai-audit-v1");
        let mut put = |f: &[u8]| {
            h.update((f.len() as u64).to_le_bytes());
            h.update(f);
        };
        let opt = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
        put(self.chain.to_string().as_bytes());
        put(self.seq.to_string().as_bytes());
        put(opt(self.agency_id.map(AgencyId::get)).as_bytes());
        put(self.at.to_string().as_bytes());
        put(opt(self.actor_account_id.map(AccountId::get)).as_bytes());
        put(self.actor_label.as_bytes());
        put(self.entity.as_bytes());
        put(self.entity_id.as_bytes());
        put(self.action.as_bytes());
        put(self.changes.as_bytes());
        put(self.prev_hash.as_bytes());
        data_encoding::HEXLOWER.encode(&h.finalize())
    }

    /// The changes, parsed back.
    pub fn parsed_changes(&self) -> Vec<Change> {
        let Ok(serde_json::Value::Array(items)) = serde_json::from_str(&self.changes) else {
            return Vec::new();
        };
        items
            .iter()
            .map(|i| {
                let s = |k: &str| i.get(k).and_then(|v| v.as_str()).map(str::to_owned);
                Change {
                    field: s("field").unwrap_or_default(),
                    old: s("old"),
                    new: s("new"),
                }
            })
            .collect()
    }
}

/// The changes as compact JSON in a fixed key order.
pub fn changes_json(changes: &[Change]) -> String {
    let items: Vec<serde_json::Value> = changes
        .iter()
        .map(|c| {
            let mut m = serde_json::Map::new();
            m.insert("field".into(), c.field.clone().into());
            m.insert(
                "old".into(),
                c.old.clone().map_or(serde_json::Value::Null, Into::into),
            );
            m.insert(
                "new".into(),
                c.new.clone().map_or(serde_json::Value::Null, Into::into),
            );
            serde_json::Value::Object(m)
        })
        .collect();
    serde_json::Value::Array(items).to_string()
}

/// The last entry of a chain, kept apart so that deleting the newest entries is also found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    pub chain: i64,
    pub seq: i64,
    pub hash: String,
}

/// Something wrong in a chain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuditProblem {
    #[error("chain {chain}: entry {seq} was changed (its hash does not match its contents)")]
    Altered { chain: i64, seq: i64 },
    #[error("chain {chain}: entry {seq} does not link to the entry before it")]
    BrokenLink { chain: i64, seq: i64 },
    #[error("chain {chain}: entries {from} to {to} are missing")]
    Missing { chain: i64, from: i64, to: i64 },
    #[error("chain {chain}: the head says {head_seq} entries but the log ends at {last_seq}")]
    HeadMismatch {
        chain: i64,
        head_seq: i64,
        last_seq: i64,
    },
}

/// Checks one chain's entries, in `seq` order, against its head.
pub fn verify_chain(
    head: &ChainHead,
    entries: impl IntoIterator<Item = AuditEntry>,
) -> Vec<AuditProblem> {
    let mut v = ChainVerifier::new(head.chain);
    for e in entries {
        v.push(&e);
    }
    v.finish(head)
}

/// Checks a chain one entry at a time, so that long chains need not fit in memory.
#[derive(Debug)]
pub struct ChainVerifier {
    chain: i64,
    expected_seq: i64,
    prev_hash: String,
    problems: Vec<AuditProblem>,
}

impl ChainVerifier {
    pub fn new(chain: i64) -> Self {
        Self {
            chain,
            expected_seq: 1,
            prev_hash: GENESIS_HASH.to_owned(),
            problems: Vec::new(),
        }
    }

    /// Checks the next entry, which must come in `seq` order.
    pub fn push(&mut self, e: &AuditEntry) {
        let chain = self.chain;
        if e.seq > self.expected_seq {
            self.problems.push(AuditProblem::Missing {
                chain,
                from: self.expected_seq,
                to: e.seq - 1,
            });
        } else if e.prev_hash != self.prev_hash {
            self.problems
                .push(AuditProblem::BrokenLink { chain, seq: e.seq });
        }
        if e.compute_hash() != e.hash {
            self.problems
                .push(AuditProblem::Altered { chain, seq: e.seq });
        }
        self.expected_seq = e.seq + 1;
        self.prev_hash.clone_from(&e.hash);
    }

    /// Compares the end of the chain with its head and returns every problem found.
    pub fn finish(mut self, head: &ChainHead) -> Vec<AuditProblem> {
        let last_seq = self.expected_seq - 1;
        if last_seq != head.seq || (last_seq > 0 && self.prev_hash != head.hash) {
            self.problems.push(AuditProblem::HeadMismatch {
                chain: self.chain,
                head_seq: head.seq,
                last_seq,
            });
        }
        self.problems
    }
}

/// Filters for browsing the log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub action: Option<String>,
    pub actor: Option<String>,
    /// Inclusive, Unix seconds.
    pub from: Option<i64>,
    /// Exclusive, Unix seconds.
    pub until: Option<i64>,
    /// Show entries with `seq` below this (for paging backwards); `None` starts at the newest.
    pub before_seq: Option<i64>,
    pub limit: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain_of(n: i64) -> (ChainHead, Vec<AuditEntry>) {
        let actor = Actor::system("test");
        let mut entries: Vec<AuditEntry> = Vec::new();
        for i in 0..n {
            let (seq, hash) = entries
                .last()
                .map_or((0, GENESIS_HASH.to_owned()), |e| (e.seq, e.hash.clone()));
            let ev = AuditEvent::new(
                "division",
                i,
                "update",
                vec![Change {
                    field: "name".into(),
                    old: Some("ก".into()),
                    new: Some(format!("ข{i}")),
                }],
            );
            entries.push(AuditEntry::chain_after(
                7,
                seq,
                &hash,
                Some(AgencyId::from_raw(7)),
                100 + i,
                &actor,
                &ev,
            ));
        }
        let head = entries.last().map_or(
            ChainHead {
                chain: 7,
                seq: 0,
                hash: GENESIS_HASH.into(),
            },
            |e| ChainHead {
                chain: 7,
                seq: e.seq,
                hash: e.hash.clone(),
            },
        );
        (head, entries)
    }

    #[test]
    fn an_intact_chain_verifies() {
        let (head, entries) = chain_of(5);
        assert_eq!(verify_chain(&head, entries), vec![]);
        let (head, entries) = chain_of(0);
        assert_eq!(verify_chain(&head, entries), vec![]);
    }

    #[test]
    fn a_changed_entry_is_found() {
        let (head, mut entries) = chain_of(5);
        entries[2].changes = entries[2].changes.replace("ข2", "ค2");
        assert_eq!(
            verify_chain(&head, entries),
            vec![AuditProblem::Altered { chain: 7, seq: 3 }]
        );
    }

    #[test]
    fn a_changed_entry_with_a_recomputed_hash_breaks_the_next_link() {
        let (head, mut entries) = chain_of(5);
        entries[2].actor_label = "someone-else".into();
        entries[2].hash = entries[2].compute_hash();
        assert_eq!(
            verify_chain(&head, entries),
            vec![AuditProblem::BrokenLink { chain: 7, seq: 4 }]
        );
    }

    #[test]
    fn a_deleted_entry_is_found() {
        let (head, mut entries) = chain_of(5);
        entries.remove(1);
        let problems = verify_chain(&head, entries);
        assert_eq!(
            problems,
            vec![AuditProblem::Missing {
                chain: 7,
                from: 2,
                to: 2
            }]
        );
    }

    #[test]
    fn deleting_the_newest_entries_is_found_through_the_head() {
        let (head, mut entries) = chain_of(5);
        entries.truncate(3);
        assert_eq!(
            verify_chain(&head, entries),
            vec![AuditProblem::HeadMismatch {
                chain: 7,
                head_seq: 5,
                last_seq: 3
            }]
        );
    }

    #[test]
    fn changes_round_trip_through_json() {
        let c = vec![Change {
            field: "name".into(),
            old: None,
            new: Some("\"กอง\"".into()),
        }];
        let (_, mut e) = chain_of(1);
        e[0].changes = changes_json(&c);
        assert_eq!(e[0].parsed_changes(), c);
    }

    #[test]
    fn diff_lists_only_what_changed() {
        struct T(Option<String>, Option<String>);
        impl Audited for T {
            fn audit_fields(&self) -> Vec<(&'static str, Option<String>)> {
                vec![("a", self.0.clone()), ("b", self.1.clone())]
            }
        }
        let d = diff(
            &T(Some("1".into()), None),
            &T(Some("1".into()), Some("2".into())),
        );
        assert_eq!(
            d,
            vec![Change {
                field: "b".into(),
                old: None,
                new: Some("2".into())
            }]
        );
        assert_eq!(created(&T(None, Some("x".into()))).len(), 1);
        assert_eq!(
            deleted(&T(Some("y".into()), None))[0].old.as_deref(),
            Some("y")
        );
    }
}
