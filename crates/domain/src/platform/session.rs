//! Server-side sessions. The cookie carries a random token; the database keeps only its hash.

use sha2::{Digest, Sha256};

use crate::entropy::Entropy;
use crate::ids::AccountId;

/// The secret token in the session cookie. Never stored, never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    /// A new token: 256 random bits, base64url.
    pub fn generate(entropy: &dyn Entropy) -> Self {
        let mut b = [0u8; 32];
        entropy.fill(&mut b);
        Self(data_encoding::BASE64URL_NOPAD.encode(&b))
    }

    /// Wraps a token read from a cookie. Anything malformed is refused before it reaches storage.
    pub fn from_cookie(raw: &str) -> Option<Self> {
        (raw.len() == 43
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The stored form: hex SHA-256 of the token.
    pub fn hash(&self) -> String {
        hex_sha256(self.0.as_bytes())
    }
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(..)")
    }
}

/// Lower-case hex SHA-256.
pub fn hex_sha256(data: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(data))
}

/// A stored session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id_hash: String,
    pub account_id: AccountId,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// Waiting for the second factor: only the TOTP page is allowed.
    pub mfa_pending: bool,
}

/// How long sessions live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// A session unused for this long expires.
    pub idle_secs: i64,
    /// A session expires this long after sign-in, however busy.
    pub absolute_secs: i64,
    /// A session waiting for its second factor expires after this long.
    pub mfa_secs: i64,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle_secs: 2 * 3600,
            absolute_secs: 12 * 3600,
            mfa_secs: 5 * 60,
        }
    }
}

impl Session {
    /// Whether the session is still valid at `now`.
    pub fn is_live(&self, now: i64, policy: &SessionPolicy) -> bool {
        let absolute = if self.mfa_pending {
            policy.mfa_secs
        } else {
            policy.absolute_secs
        };
        now - self.last_seen_at < policy.idle_secs && now - self.created_at < absolute
    }

    /// Whether `last_seen_at` is stale enough to be worth a write.
    pub fn needs_touch(&self, now: i64) -> bool {
        now - self.last_seen_at >= 60
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SeededEntropy;

    #[test]
    fn tokens_round_trip_through_the_cookie_and_hash_stably() {
        let t = SessionToken::generate(&SeededEntropy::new(3));
        let back = SessionToken::from_cookie(t.as_str()).unwrap();
        assert_eq!(back.hash(), t.hash());
        assert_eq!(t.hash().len(), 64);
        assert!(SessionToken::from_cookie("short").is_none());
        assert!(SessionToken::from_cookie(&"é".repeat(22)).is_none());
        assert_eq!(format!("{t:?}"), "SessionToken(..)");
    }

    #[test]
    fn sessions_expire_when_idle_or_old() {
        let p = SessionPolicy::default();
        let s = Session {
            id_hash: String::new(),
            account_id: AccountId::from_raw(1),
            created_at: 0,
            last_seen_at: 0,
            mfa_pending: false,
        };
        assert!(s.is_live(p.idle_secs - 1, &p));
        assert!(!s.is_live(p.idle_secs, &p));
        let busy = Session {
            last_seen_at: p.absolute_secs - 10,
            ..s.clone()
        };
        assert!(!busy.is_live(p.absolute_secs, &p));
        let pending = Session {
            mfa_pending: true,
            ..s
        };
        assert!(!pending.is_live(p.mfa_secs, &p));
    }
}
