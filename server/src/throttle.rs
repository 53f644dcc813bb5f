//! Login throttling: failed logins are counted per account and per client
//! address; past a limit within the window the key is locked with a
//! doubling backoff. Counts live in memory (a restart forgets them).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

/// Failures of one account allowed within [`WINDOW`] before it is locked.
pub const ACCOUNT_FAILURES: u32 = 5;
/// Failures from one address allowed within [`WINDOW`] before it is locked.
pub const ADDRESS_FAILURES: u32 = 20;
/// The counting window.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// First lock; each further failure doubles it up to [`MAX_LOCK`].
pub const FIRST_LOCK: Duration = Duration::from_secs(30);
/// Longest login name and password accepted before hashing.
pub const MAX_CREDENTIAL_CHARS: usize = 256;
/// Longest lock.
pub const MAX_LOCK: Duration = Duration::from_secs(15 * 60);
/// Most keys remembered (older ones are dropped first when full).
const MAX_KEYS: usize = 50_000;

#[derive(Debug, Clone, Copy)]
struct Entry {
    failures: u32,
    since: Instant,
    locked_until: Option<Instant>,
}

/// What a login attempt is counted under.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ThrottleKey {
    /// A login name (lower-cased).
    Account(String),
    /// A client address.
    Address(String),
}

impl ThrottleKey {
    fn limit(&self) -> u32 {
        match self {
            ThrottleKey::Account(_) => ACCOUNT_FAILURES,
            ThrottleKey::Address(_) => ADDRESS_FAILURES,
        }
    }
}

/// Counts failed logins.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    entries: Mutex<HashMap<ThrottleKey, Entry>>,
    failures: crate::metrics::Tally,
    lockouts: crate::metrics::Tally,
}

impl LoginThrottle {
    /// How long the caller must wait before trying again, if any key is locked.
    pub fn locked(&self, keys: &[ThrottleKey], now: Instant) -> Option<Duration> {
        let map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        keys.iter()
            .filter_map(|k| map.get(k)?.locked_until)
            .filter(|until| *until > now)
            .map(|until| until - now)
            .max()
    }

    /// Counts a failure under every key; returns the lock now in force, if any.
    pub fn failure(&self, keys: &[ThrottleKey], now: Instant) -> Option<Duration> {
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= MAX_KEYS {
            map.retain(|_, e| now.duration_since(e.since) < WINDOW);
        }
        let mut lock = None;
        self.failures.add();
        for k in keys {
            let e = map.entry(k.clone()).or_insert(Entry {
                failures: 0,
                since: now,
                locked_until: None,
            });
            if now.duration_since(e.since) >= WINDOW && e.locked_until.is_none_or(|u| u <= now) {
                *e = Entry {
                    failures: 0,
                    since: now,
                    locked_until: None,
                };
            }
            e.failures += 1;
            if e.failures >= k.limit() {
                let over = (e.failures - k.limit()).min(10);
                let d = (FIRST_LOCK * 2u32.pow(over)).min(MAX_LOCK);
                e.locked_until = Some(now + d);
                self.lockouts.add();
                // The login name is not secret; the password never gets here.
                match k {
                    ThrottleKey::Account(name) => tracing::warn!(
                        account = %name, failures = e.failures, lock_s = d.as_secs(),
                        "login lockout: account"
                    ),
                    ThrottleKey::Address(addr) => tracing::warn!(
                        %addr, failures = e.failures, lock_s = d.as_secs(),
                        "login lockout: client address"
                    ),
                }
                lock = Some(lock.map_or(d, |l: Duration| l.max(d)));
            }
        }
        lock
    }

    /// Failed logins counted since start.
    pub fn failures(&self) -> u64 {
        self.failures.get()
    }

    /// Locks imposed since start (one per key and failure past its limit).
    pub fn lockouts(&self) -> u64 {
        self.lockouts.get()
    }

    /// Forgets the failures of an account after a successful login.
    pub fn success(&self, account: &ThrottleKey) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(account);
    }
}

/// The client's address, when the server runs with connect info.
#[derive(Debug, Clone)]
pub struct PeerAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PeerAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(PeerAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(a)| a.ip().to_string())
                .unwrap_or_default(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifth_failure_locks_the_account_with_doubling_backoff() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        let keys = [
            ThrottleKey::Account("zhangwei".into()),
            ThrottleKey::Address("127.0.0.1".into()),
        ];
        for _ in 0..4 {
            assert_eq!(t.failure(&keys, now), None);
        }
        assert_eq!(t.locked(&keys, now), None);
        assert_eq!(t.failure(&keys, now), Some(FIRST_LOCK));
        assert_eq!(t.locked(&keys, now), Some(FIRST_LOCK));
        assert_eq!(t.failure(&keys, now), Some(FIRST_LOCK * 2));
        assert_eq!((t.failures(), t.lockouts()), (6, 2));
        // After the lock, the account is free again; success forgets it.
        let later = now + MAX_LOCK + Duration::from_secs(1);
        assert_eq!(t.locked(&keys, later), None);
        t.success(&keys[0]);
        assert_eq!(t.failure(&keys[..1], later), None);
        // Another account from the same address is not locked by these.
        let other = [ThrottleKey::Account("lina".into())];
        assert_eq!(t.locked(&other, now), None);
    }

    #[test]
    fn the_window_resets_the_count() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        let k = [ThrottleKey::Account("a".into())];
        for _ in 0..4 {
            t.failure(&k, now);
        }
        let later = now + WINDOW + Duration::from_secs(1);
        assert_eq!(t.failure(&k, later), None);
    }
}
