//! In-app notifications: a message for one account in one agency, with a link to act on it.
//! Messages are catalog keys with arguments, so each person reads them in their own language.

use async_trait::async_trait;

use crate::error::StoreResult;
use crate::ids::{AccountId, AgencyId, NotificationId};

/// A stored notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: NotificationId,
    pub agency_id: AgencyId,
    pub account_id: AccountId,
    /// What caused it, e.g. `measure-due`, `measure-overdue`, `plan-submitted`.
    pub kind: String,
    /// The catalog key of the message.
    pub message_key: String,
    /// The message's arguments.
    pub args: Vec<(String, String)>,
    /// A local path to act on it.
    pub link: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// A notification to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    pub account_id: AccountId,
    pub kind: String,
    pub message_key: String,
    pub args: Vec<(String, String)>,
    pub link: String,
}

/// Arguments as stored: a JSON object of strings.
pub fn args_json(args: &[(String, String)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = args
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// Arguments read back; anything malformed gives none.
pub fn parse_args(json: &str) -> Vec<(String, String)> {
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_owned())))
            .collect(),
        _ => Vec::new(),
    }
}

#[async_trait]
pub trait NotificationStore: Send + Sync {
    /// Stores notifications (system messages: not audited).
    async fn notify(
        &self,
        agency: AgencyId,
        rows: &[NewNotification],
        ids: &[NotificationId],
        at: i64,
    ) -> StoreResult<()>;
    /// An account's notifications in an agency, newest first.
    async fn notifications(
        &self,
        agency: AgencyId,
        account: AccountId,
        limit: i64,
    ) -> StoreResult<Vec<Notification>>;
    async fn unread_count(&self, agency: AgencyId, account: AccountId) -> StoreResult<i64>;
    async fn mark_read(&self, agency: AgencyId, account: AccountId, at: i64) -> StoreResult<()>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_round_trip() {
        let args = vec![
            ("action".to_owned(), "๑.๑".to_owned()),
            ("date".to_owned(), "\"x\"".to_owned()),
        ];
        let mut back = parse_args(&args_json(&args));
        back.sort();
        assert_eq!(back, args);
        assert!(parse_args("not json").is_empty());
    }
}
