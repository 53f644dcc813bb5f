//! The shared application state handed to every handler.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{Mutex, OwnedMutexGuard};
use zhifa_core::seal::DeviceKey;

use crate::config::Config;
use crate::error::{AppError, AppResult};
use crate::served_calendar::ServedCalendar;
use crate::store::{Principal, Store, StoreResult};

/// How long a token lookup is reused before the database is asked again.
/// Revocations clear the cache at once, so this bounds only account changes.
const AUTH_CACHE_TTL: Duration = Duration::from_secs(30);
/// Most cached token lookups.
const AUTH_CACHE_MAX: usize = 10_000;

/// Number of lock stripes serializing writes to cases.
const CASE_LOCK_STRIPES: usize = 256;

/// Shared state: store, configuration, server key, case locks.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<dyn Store>,
    config: Config,
    key: DeviceKey,
    case_locks: Vec<Arc<Mutex<()>>>,
    upload_locks: Vec<Arc<Mutex<()>>>,
    auth_cache: std::sync::Mutex<HashMap<[u8; 32], (Principal, Instant)>>,
    calendar: std::sync::RwLock<Arc<ServedCalendar>>,
    login_throttle: crate::throttle::LoginThrottle,
    metrics: crate::metrics::Metrics,
}

impl AppState {
    /// Builds the state from a store, a configuration and the server key.
    pub fn new(store: Arc<dyn Store>, config: Config, key: DeviceKey) -> AppState {
        let stripes = || {
            (0..CASE_LOCK_STRIPES)
                .map(|_| Arc::new(Mutex::new(())))
                .collect()
        };
        AppState {
            inner: Arc::new(Inner {
                store,
                config,
                key,
                case_locks: stripes(),
                upload_locks: stripes(),
                auth_cache: std::sync::Mutex::new(HashMap::new()),
                calendar: std::sync::RwLock::new(Arc::new(ServedCalendar::embedded())),
                login_throttle: crate::throttle::LoginThrottle::default(),
                metrics: crate::metrics::Metrics::new(),
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The server's receipt key.
    pub fn key(&self) -> &DeviceKey {
        &self.inner.key
    }

    /// The holiday calendar served to devices (embedded years plus any the
    /// office loaded).
    pub fn calendar(&self) -> Arc<ServedCalendar> {
        self.inner
            .calendar
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Replaces the served calendar (after it was stored).
    pub fn set_calendar(&self, calendar: ServedCalendar) {
        *self
            .inner
            .calendar
            .write()
            .unwrap_or_else(|p| p.into_inner()) = Arc::new(calendar);
    }

    /// Failed-login counts (console and API logins).
    pub fn login_throttle(&self) -> &crate::throttle::LoginThrottle {
        &self.inner.login_throttle
    }

    /// The Prometheus metrics of this server.
    pub fn metrics(&self) -> &crate::metrics::Metrics {
        &self.inner.metrics
    }

    /// The store, for blocking callers.
    pub fn store(&self) -> Arc<dyn Store> {
        self.inner.store.clone()
    }

    /// Runs a store call on the blocking pool.
    pub async fn db<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store) -> StoreResult<T> + Send + 'static,
    {
        let store = self.inner.store.clone();
        tokio::task::spawn_blocking(move || f(store.as_ref()))
            .await?
            .map_err(AppError::from)
    }

    /// Locks the given cases for writing (sorted stripes: no deadlock).
    pub async fn lock_cases(&self, ids: &[String]) -> Vec<OwnedMutexGuard<()>> {
        let mut stripes: Vec<usize> = ids.iter().map(|id| stripe(id)).collect();
        stripes.sort_unstable();
        stripes.dedup();
        let mut guards = Vec::with_capacity(stripes.len());
        for s in stripes {
            guards.push(self.inner.case_locks[s].clone().lock_owned().await);
        }
        guards
    }

    /// A recent token lookup, if cached.
    pub fn cached_principal(&self, token_hash: &[u8; 32]) -> Option<Principal> {
        let cache = self
            .inner
            .auth_cache
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        cache
            .get(token_hash)
            .filter(|(_, at)| at.elapsed() < AUTH_CACHE_TTL)
            .map(|(p, _)| p.clone())
    }

    /// Remembers a token lookup.
    pub fn cache_principal(&self, token_hash: [u8; 32], p: Principal) {
        let mut cache = self
            .inner
            .auth_cache
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if cache.len() >= AUTH_CACHE_MAX {
            cache.clear();
        }
        cache.insert(token_hash, (p, Instant::now()));
    }

    /// Forgets every cached token lookup (after a revocation or registration).
    pub fn clear_auth_cache(&self) {
        self.inner
            .auth_cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    /// Locks one upload (`key`: the owner and the hash), waiting up to
    /// `upload_busy_wait_secs` for a request that still holds it (typically
    /// the handler of a connection that just broke); `None` when it stays
    /// busy. The guard is released when dropped, also when the handler's
    /// future is dropped with its connection.
    pub async fn lock_upload(&self, key: &str) -> Option<OwnedMutexGuard<()>> {
        let lock = self.inner.upload_locks[stripe(key)].clone();
        let wait = Duration::from_secs(self.inner.config.upload_busy_wait_secs);
        tokio::time::timeout(wait, lock.lock_owned()).await.ok()
    }

    /// Locks one upload if nobody holds it (the expiry sweeper).
    pub fn try_lock_upload(&self, key: &str) -> Option<OwnedMutexGuard<()>> {
        self.inner.upload_locks[stripe(key)]
            .clone()
            .try_lock_owned()
            .ok()
    }
}

fn stripe(id: &str) -> usize {
    // FNV-1a: stable and cheap; only spreads ids over stripes.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    (h % CASE_LOCK_STRIPES as u64) as usize
}
