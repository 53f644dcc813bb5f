//! The app API the shells call: one facade, [`App`], with commands and view
//! models. Every command that returns `Ok` has made its change durable
//! (one SQLite transaction, fsynced); views are computed here, the shells
//! only render them. Listeners ([`App::watch_case_list`], [`App::watch_case`])
//! are called after each commit, with a [`Subscription`] to cancel.

mod calendar;
mod cases;
mod colleagues;
mod compactor;
mod conflicts;
mod credential;
mod gates;
pub mod listen;
mod media;
#[cfg(feature = "pdf")]
pub mod pdf;
mod records;
mod refusals;
mod signers;
pub(crate) mod summary;
pub mod views;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, FixedOffset, Utc};
use zhifa_core::deadlines::DeadlineEngine;
use zhifa_core::doc::{Actor, CaseDoc};
use zhifa_core::seal::DeviceKey;
use zhifa_core::sync::{DeviceRegistration, LoginRequest, OfficerInfo};

pub use cases::{officer, Created, NewCase, PartyInput};
pub use conflicts::{ConflictView, Resolve, ResolvedView};
pub use credential::CredentialCard;
pub use listen::{Change, Subscription, UploadProgress};
pub use refusals::Dropped;
pub(crate) use refusals::{clear as refusals_clear, record as refusals_record};
pub use zhifa_core::rules::RIGHTS;

use crate::blobs::BlobStore;
use crate::error::{DeviceError, Result};
use crate::store::calendar::CALENDAR_JSON;
use crate::store::media::MediaRow;
use crate::store::meta::Login;
use crate::store::{Durability, Store};
use crate::sync::http::HttpTransport;
use crate::sync::Transport;
use crate::vault::{SecretVault, Secrets};
use listen::Listeners;
use views::OfficerView;

/// Chunks a case may accumulate before it is compacted into a new snapshot.
pub const COMPACT_AFTER: i64 = 128;
/// Documents kept open in memory.
const OPEN_DOCS: usize = 8;

/// The engine of one device: its store, blobs, open documents and listeners.
/// Cheap to clone (a handle); safe to use from several threads.
#[derive(Clone)]
pub struct App {
    pub(crate) shared: Arc<Shared>,
}

/// A transport and the server URL it was made for (`None`: any server).
type BoundTransport = (Option<String>, Arc<dyn Transport>);

pub(crate) struct Shared {
    inner: Mutex<Inner>,
    listeners: Arc<Listeners>,
    /// The transport and the server it talks to (`None`: a transport set
    /// by [`App::set_transport`], used for every server).
    transport: Mutex<Option<BoundTransport>>,
    /// Extra trusted CA certificates (PEM) for HTTPS, beside the web roots.
    ca_bundle: Mutex<Option<Vec<u8>>>,
    /// Where the device key and login token are kept.
    secrets: Secrets,
    compactor: compactor::Compactor,
    /// One sync session at a time.
    pub(crate) sync_lock: Mutex<()>,
    home: PathBuf,
}

pub(crate) struct Inner {
    pub(crate) store: Store,
    pub(crate) blobs: BlobStore,
    pub(crate) key: DeviceKey,
    pub(crate) actor: Vec<u8>,
    pub(crate) login: Option<Login>,
    pub(crate) docs: HashMap<String, CaseDoc>,
    /// Deadline engine over the device's calendar (embedded + server's).
    pub(crate) engine: Arc<DeadlineEngine>,
}

/// Who acts in a command: the logged-in officer on this device, now.
pub(crate) struct Ctx {
    pub user: String,
    pub device: String,
    pub at: String,
    pub officer: OfficerInfo,
    pub key: DeviceKey,
}

impl Ctx {
    pub fn who(&self) -> Actor<'_> {
        Actor {
            user: &self.user,
            device: &self.device,
            at: &self.at,
        }
    }
}

/// The current time in China Standard Time, RFC 3339.
pub fn now() -> DateTime<FixedOffset> {
    let cst = FixedOffset::east_opt(8 * 3600).unwrap_or(FixedOffset::east_opt(0).expect("utc"));
    Utc::now().with_timezone(&cst)
}

fn now_string() -> String {
    now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
}

impl App {
    /// Opens the device's home folder (`zhifa.db` and `blobs/`), creating it.
    /// A damaged database gives [`DeviceError::Corrupt`] and is left as it is.
    pub fn open(home: &Path) -> Result<App> {
        Self::open_with(home, Durability::Full)
    }

    /// Opens with a chosen commit [`Durability`] (default: `Full`).
    pub fn open_with(home: &Path, durability: Durability) -> Result<App> {
        Self::open_secured(home, durability, None)
    }

    /// Opens with the device key and login token kept in `vault` (Android
    /// Keystore, iOS Keychain) instead of the SQLite file; secrets of an
    /// older store are moved there ([`crate::vault`]).
    pub fn open_with_vault(home: &Path, vault: Arc<dyn SecretVault>) -> Result<App> {
        Self::open_secured(home, Durability::Full, Some(vault))
    }

    fn open_secured(
        home: &Path,
        durability: Durability,
        vault: Option<Arc<dyn SecretVault>>,
    ) -> Result<App> {
        crate::fsperm::private_dir(home)?;
        let db = home.join("zhifa.db");
        let store = Store::open_with(&db, durability)?;
        // Checkpoints run on the background thread (see `compactor`).
        store.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        let secrets = Secrets::new(vault);
        let (key, actor) = secrets.identity(&store)?;
        let login = secrets.login(&store)?;
        let blobs = BlobStore::open(&home.join("blobs"))?;
        blobs.clean_tmp();
        let engine = summary::engine_for(
            summary::stored_calendar(store.meta(CALENDAR_JSON)?.as_deref()).as_ref(),
        )?;
        let compactor = compactor::Compactor::start(&db, durability)?;
        Ok(App {
            shared: Arc::new(Shared {
                inner: Mutex::new(Inner {
                    store,
                    blobs,
                    key,
                    actor,
                    login,
                    docs: HashMap::new(),
                    engine,
                }),
                listeners: Arc::new(Listeners::default()),
                transport: Mutex::new(None),
                ca_bundle: Mutex::new(None),
                compactor,
                secrets,
                sync_lock: Mutex::new(()),
                home: home.to_path_buf(),
            }),
        })
    }

    /// Uses this transport instead of HTTP (tests, or a shell's own stack).
    pub fn set_transport(&self, t: Arc<dyn Transport>) {
        *self
            .shared
            .transport
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some((None, t));
    }

    /// Trusts the CA certificates in `pem` (one or more PEM certificates,
    /// e.g. the bureau's own CA) for HTTPS, beside the bundled web roots.
    /// Refused when `pem` holds no valid certificate. The HTTP transport
    /// made before is dropped, so the next request uses the bundle.
    pub fn set_ca_bundle(&self, pem: &[u8]) -> Result<()> {
        crate::sync::http::ca_certificates(pem)?;
        *self
            .shared
            .ca_bundle
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some(pem.to_vec());
        let mut t = self
            .shared
            .transport
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if t.as_ref().is_some_and(|(url, _)| url.is_some()) {
            *t = None;
        }
        Ok(())
    }

    /// The home folder.
    pub fn home(&self) -> &Path {
        &self.shared.home
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the store half-written
        // (transactions), so a poisoned lock is still usable.
        self.shared.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn transport_for(&self, server: &str) -> Result<Arc<dyn Transport>> {
        let mut t = self
            .shared
            .transport
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        // A transport set by hand serves every server; an HTTP transport
        // only the server it was made for (a corrected URL gets a new one).
        if let Some((url, t)) = t.as_ref() {
            if url.as_deref().is_none_or(|u| u == server) {
                return Ok(t.clone());
            }
        }
        let bundle = self
            .shared
            .ca_bundle
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let http: Arc<dyn Transport> =
            Arc::new(HttpTransport::with_ca_bundle(server, bundle.as_deref())?);
        *t = Some((Some(server.to_string()), http.clone()));
        Ok(http)
    }

    pub(crate) fn notify(&self, change: Change) {
        self.shared.listeners.notify(&change);
    }

    /// Logs in at `server` and registers this device (its Ed25519 key and
    /// Automerge actor). The token is stored on the device.
    pub fn login(
        &self,
        server: &str,
        username: &str,
        password: &str,
        device_name: &str,
    ) -> Result<OfficerView> {
        if username.trim().is_empty() || password.is_empty() {
            return Err(DeviceError::Invalid("请输入用户名和密码".into()));
        }
        let (public_key, actor_id) = {
            let g = self.lock();
            (g.key.public_hex(), hex::encode(&g.actor))
        };
        let transport = self.transport_for(server)?;
        let response = transport.login(&LoginRequest {
            username: username.trim().into(),
            password: password.into(),
            device: DeviceRegistration {
                name: device_name.into(),
                public_key,
                actor_id,
            },
        })?;
        let login = Login {
            server: server.to_string(),
            response,
        };
        {
            let mut g = self.lock();
            self.shared.secrets.set_login(&g.store, &login)?;
            g.login = Some(login.clone());
        }
        // The electronic credential (电子执法证): a failure here never fails
        // the login; the next sync fetches it.
        self.forget_credential()?;
        let _ = self.refresh_credential();
        self.notify(Change::Sync);
        Ok(officer_view(&login))
    }

    /// Logs out: the server revokes this device's token and the device
    /// forgets it. Refused while cases or files are not yet on the server
    /// (they would be stranded), unless `force`.
    pub fn logout(&self, force: bool) -> Result<()> {
        let status = self.sync_status()?;
        let login = self.lock().login.clone().ok_or(DeviceError::NotLoggedIn)?;
        if !force && (status.pending_cases > 0 || status.pending_uploads > 0) {
            return Err(DeviceError::Invalid(format!(
                "尚有 {} 件案件、{} 个文件未同步, 请先同步后再退出登录",
                status.pending_cases, status.pending_uploads
            )));
        }
        let t = self.transport_for(&login.server)?;
        match t.logout(&login.response.token) {
            Ok(()) | Err(DeviceError::Unauthorized) => {}
            Err(e) => return Err(e),
        }
        {
            let mut g = self.lock();
            self.shared.secrets.clear_login(&g.store)?;
            g.login = None;
        }
        self.forget_credential()?;
        self.notify(Change::Sync);
        Ok(())
    }

    /// The logged-in officer.
    pub fn whoami(&self) -> Result<OfficerView> {
        let g = self.lock();
        g.login
            .as_ref()
            .map(officer_view)
            .ok_or(DeviceError::NotLoggedIn)
    }

    /// Calls `cb` after every change (the case id, or a sync change).
    pub fn subscribe(&self, cb: impl Fn(&Change) + Send + Sync + 'static) -> Subscription {
        self.shared.listeners.add(Arc::new(cb))
    }

    /// Calls `cb` with the progress of each media upload of a sync session
    /// (bytes sent, never decreasing within one upload, ending at the total).
    pub fn watch_uploads(
        &self,
        cb: impl Fn(&UploadProgress) + Send + Sync + 'static,
    ) -> Subscription {
        self.subscribe(move |c| {
            if let Change::Upload(p) = c {
                cb(p);
            }
        })
    }

    /// Runs `f` on an open case document as the logged-in officer, then
    /// appends the change chunk and the new summary (and `media` rows) in one
    /// transaction. On any error the in-memory document is dropped, so memory
    /// never runs ahead of the disk.
    pub(crate) fn edit<T>(
        &self,
        case_id: &str,
        full_summary: bool,
        f: impl FnOnce(&mut CaseDoc, &Ctx, &mut Vec<(MediaRow, String)>) -> Result<T>,
    ) -> Result<T> {
        let out = {
            let mut g = self.lock();
            let ctx = g.ctx()?;
            g.open_doc(case_id)?;
            let g = &mut *g;
            let mut media = Vec::new();
            let result = (|| {
                let doc = g
                    .docs
                    .get_mut(case_id)
                    .ok_or_else(|| DeviceError::CaseNotFound(case_id.into()))?;
                let v = f(doc, &ctx, &mut media)?;
                let chunk = doc.save_incremental();
                let prev = g.store.summary(case_id)?;
                let summary = summary::summarize(&g.engine, doc, &prev, full_summary, &ctx.at)?;
                let n = g.store.append_change(&chunk, &summary, &media)?;
                Ok::<_, DeviceError>((v, n))
            })();
            match result {
                Ok((v, n)) => {
                    self.shared.compactor.committed();
                    if n >= COMPACT_AFTER {
                        self.shared.compactor.request(case_id, g.actor.clone());
                    }
                    v
                }
                Err(e) => {
                    g.docs.remove(case_id);
                    return Err(e);
                }
            }
        };
        self.notify(Change::Case(case_id.to_string()));
        Ok(out)
    }

    /// Applies changes that arrived by sync and persists them like an edit,
    /// keeping the case's sync state (they are not local edits).
    pub(crate) fn edit_sync(
        &self,
        case_id: &str,
        f: impl FnOnce(&mut CaseDoc) -> Result<()>,
    ) -> Result<()> {
        let mut g = self.lock();
        g.open_doc(case_id)?;
        let g = &mut *g;
        let at = now_string();
        let result = (|| {
            let doc = g
                .docs
                .get_mut(case_id)
                .ok_or_else(|| DeviceError::CaseNotFound(case_id.into()))?;
            f(doc)?;
            let chunk = doc.save_incremental();
            if chunk.is_empty() {
                return Ok(0);
            }
            let prev = g.store.summary(case_id)?;
            let mut s = summary::summarize(&g.engine, doc, &prev, true, &at)?;
            s.sync_state = prev.sync_state;
            g.store.append_change(&chunk, &s, &[])
        })();
        match result {
            Ok(n) => {
                self.shared.compactor.committed();
                if n >= COMPACT_AFTER {
                    self.shared.compactor.request(case_id, g.actor.clone());
                }
                Ok(())
            }
            Err(e) => {
                g.docs.remove(case_id);
                Err(e)
            }
        }
    }

    /// Reads an open case document.
    pub(crate) fn read<T>(
        &self,
        case_id: &str,
        f: impl FnOnce(&mut CaseDoc, &mut Inner) -> Result<T>,
    ) -> Result<T> {
        let mut g = self.lock();
        g.open_doc(case_id)?;
        let mut doc = g
            .docs
            .remove(case_id)
            .ok_or_else(|| DeviceError::CaseNotFound(case_id.into()))?;
        let r = f(&mut doc, &mut g);
        g.docs.insert(case_id.to_string(), doc);
        r
    }

    /// Runs SQLite's integrity check: `Ok` when the database is sound, else
    /// [`DeviceError::Corrupt`] naming the problems.
    pub fn check_integrity(&self) -> Result<()> {
        let problems = self.lock().store.quick_check()?;
        if problems.is_empty() {
            Ok(())
        } else {
            Err(DeviceError::Corrupt(problems.join("; ")))
        }
    }

    /// Test hook: caps the database at its current size plus `extra_pages`,
    /// so the next writes fail as on a full disk. Returns the cap.
    #[doc(hidden)]
    pub fn limit_db_growth(&self, extra_pages: i64) -> Result<i64> {
        let g = self.lock();
        let cap = g.store.page_count()? + extra_pages;
        g.store.set_max_pages(cap)?;
        Ok(cap)
    }

    /// Test hook: media writes fail with ENOSPC, as on a full disk, once
    /// `bytes` more have been written to the blob store (`None`: no limit).
    #[doc(hidden)]
    pub fn limit_blob_space(&self, bytes: Option<u64>) {
        self.lock().blobs.simulate_space_left(bytes);
    }

    /// Number of case documents open in memory (lists open none).
    pub fn open_documents(&self) -> usize {
        self.lock().docs.len()
    }

    /// Drops every open document from memory (they reload from the store).
    pub fn close_documents(&self) {
        self.lock().docs.clear();
    }
}

impl Inner {
    pub(crate) fn ctx(&self) -> Result<Ctx> {
        let login = self.login.as_ref().ok_or(DeviceError::NotLoggedIn)?;
        Ok(Ctx {
            user: login.response.officer.id.clone(),
            device: login.response.device_id.clone(),
            at: now_string(),
            officer: login.response.officer.clone(),
            key: self.key.clone(),
        })
    }

    /// Loads a case into memory (snapshot + chunks) if it is not open.
    pub(crate) fn open_doc(&mut self, case_id: &str) -> Result<()> {
        if self.docs.contains_key(case_id) {
            return Ok(());
        }
        let stored = self.store.load_case(case_id)?;
        let mut doc = CaseDoc::load(&stored.snapshot, &self.actor)?;
        for c in &stored.chunks {
            doc.load_incremental(c)?;
        }
        // Everything loaded is on disk already: start the next chunk here.
        let _ = doc.save_incremental();
        if self.docs.len() >= OPEN_DOCS {
            if let Some(k) = self.docs.keys().next().cloned() {
                self.docs.remove(&k);
            }
        }
        self.docs.insert(case_id.to_string(), doc);
        Ok(())
    }
}

fn officer_view(l: &Login) -> OfficerView {
    let o = &l.response.officer;
    OfficerView {
        id: o.id.clone(),
        username: o.username.clone(),
        name: o.name.clone(),
        unit_id: o.unit_id.clone(),
        unit_name: o.unit_name.clone(),
        credential_no: o.credential_no.clone(),
        device_id: l.response.device_id.clone(),
        roles: o.roles.iter().map(|r| r.label().to_string()).collect(),
        role_codes: o.roles.clone(),
    }
}
