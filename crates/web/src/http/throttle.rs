//! In-memory throttling with fixed windows. Keys are hashed before they are kept, so the table
//! holds no e-mail addresses or IP addresses in clear.

use std::collections::HashMap;
use std::sync::Mutex;

use sha2::{Digest, Sha256};

/// Counts events per key within a window.
#[derive(Debug, Default)]
pub struct Throttle {
    windows: Mutex<HashMap<[u8; 16], Window>>,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    start: i64,
    count: u32,
}

/// A refusal: try again after this many seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub i64);

fn hashed(key: &str) -> [u8; 16] {
    let d = Sha256::digest(key.as_bytes());
    let mut out = [0u8; 16];
    out.copy_from_slice(&d[..16]);
    out
}

impl Throttle {
    /// Refuses if `key` already has `limit` events in the current window.
    pub fn check(&self, key: &str, limit: u32, window: i64, now: i64) -> Result<(), RetryAfter> {
        let map = self.lock();
        match map.get(&hashed(key)) {
            Some(w) if now - w.start < window && w.count >= limit => {
                Err(RetryAfter(w.start + window - now))
            }
            _ => Ok(()),
        }
    }

    /// Records one event for `key`.
    pub fn hit(&self, key: &str, window: i64, now: i64) {
        let mut map = self.lock();
        if map.len() > 100_000 {
            map.retain(|_, w| now - w.start < window);
        }
        let w = map.entry(hashed(key)).or_insert(Window {
            start: now,
            count: 0,
        });
        if now - w.start >= window {
            *w = Window {
                start: now,
                count: 0,
            };
        }
        w.count = w.count.saturating_add(1);
    }

    /// Forgets `key`, e.g. after a successful sign-in.
    pub fn clear(&self, key: &str) {
        self.lock().remove(&hashed(key));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<[u8; 16], Window>> {
        self.windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_refused_after_its_limit_until_the_window_ends() {
        let t = Throttle::default();
        for i in 0..3 {
            assert_eq!(t.check("acct:a", 3, 60, 100 + i), Ok(()));
            t.hit("acct:a", 60, 100 + i);
        }
        assert_eq!(t.check("acct:a", 3, 60, 110), Err(RetryAfter(50)));
        assert_eq!(t.check("acct:b", 3, 60, 110), Ok(()));
        assert_eq!(t.check("acct:a", 3, 60, 160), Ok(()));
        t.clear("acct:a");
        assert_eq!(t.check("acct:a", 3, 60, 110), Ok(()));
    }
}
