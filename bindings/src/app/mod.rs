//! `ZhifaApp`: the device engine (zhifa-device's `App`) for the shells.
//! Local calls are blocking and fast (call them off the main thread); calls
//! that reach the network (`login`, `logout`, `sync_now`, `fetch_media`) are
//! async on one tokio runtime. Listeners are callback interfaces returning a
//! [`WatchHandle`] to cancel.

pub mod choices;
pub mod conflicts;
pub mod inputs;
pub mod listeners;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod vault;
pub mod views;

use std::path::Path;
use std::sync::Arc;

use zhifa_device::App;

use crate::error::CoreError;
use choices::*;
use inputs::*;
use listeners::*;
use vault::{ForeignVault, SecretVault};
use views::*;

/// The on-device engine of one user profile (one home folder).
#[derive(uniffi::Object)]
pub struct ZhifaApp {
    app: App,
}

type Res<T> = Result<T, CoreError>;

impl ZhifaApp {
    fn path_of(&self) -> impl Fn(&str) -> Option<String> + '_ {
        move |sha| {
            self.app
                .blob_path(sha)
                .map(|p| p.to_string_lossy().into_owned())
        }
    }

    /// Runs a blocking engine call on tokio's blocking pool.
    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(App) -> zhifa_device::Result<T> + Send + 'static,
    ) -> Res<T> {
        let app = self.app.clone();
        tokio::task::spawn_blocking(move || f(app))
            .await
            .map_err(|e| CoreError::Storage {
                reason: format!("后台任务失败: {e}"),
            })?
            .map_err(Into::into)
    }
}

#[uniffi::export]
impl ZhifaApp {
    /// Opens (or creates) the engine in `home`, a folder private to the app.
    #[uniffi::constructor]
    pub fn open(home: String) -> Res<Arc<ZhifaApp>> {
        Ok(Arc::new(ZhifaApp {
            app: App::open(Path::new(&home))?,
        }))
    }

    /// Opens the engine in `home` with the device key and login token kept
    /// in the platform's secret store (`vault`) rather than in the app's
    /// database; secrets of an older store are moved there.
    #[uniffi::constructor]
    pub fn open_with_vault(home: String, vault: Box<dyn SecretVault>) -> Res<Arc<ZhifaApp>> {
        Ok(Arc::new(ZhifaApp {
            app: App::open_with_vault(Path::new(&home), Arc::new(ForeignVault(vault)))?,
        }))
    }

    /// Also trusts the CA certificates in `pem` (PEM text, e.g. the
    /// bureau's own CA) for HTTPS, beside the bundled web roots; call it
    /// before `login` and after each `open`. Refused without a certificate.
    pub fn set_ca_bundle(&self, pem: Vec<u8>) -> Res<()> {
        Ok(self.app.set_ca_bundle(&pem)?)
    }

    /// The logged-in officer.
    pub fn whoami(&self) -> Res<OfficerInfo> {
        Ok(self.app.whoami()?)
    }

    /// 亮证: the officer's credential card with its QR code.
    pub fn credential_card(&self) -> Res<CredentialInfo> {
        Ok(self.app.credential_card()?)
    }

    /// Creates a case (and its first record); returns their ids.
    pub fn new_case(&self, input: NewCaseInput) -> Res<CreatedCase> {
        let c = self.app.new_case(&zhifa_device::NewCase::from(input))?;
        Ok(CreatedCase {
            case_id: c.case_id,
            record_id: c.record_id,
        })
    }

    /// The case list (no document is opened).
    pub fn list_cases(&self, filter: CaseFilter) -> Res<Vec<CaseRow>> {
        Ok(self.app.list_cases(&filter.into())?)
    }

    /// The case list with its deadline badges as of `day` (`YYYY-MM-DD`):
    /// a shell planning another day. A malformed day is `InvalidInput`.
    pub fn list_cases_on(&self, filter: CaseFilter, day: String) -> Res<Vec<CaseRow>> {
        let day = zhifa_core::deadlines::parse_date(&day)?;
        Ok(self.app.list_cases_on(&filter.into(), day)?)
    }

    /// One case as the case screen shows it.
    pub fn case_view(&self, case_id: String) -> Res<CaseDetail> {
        Ok(CaseDetail::from_view(
            self.app.case_view(&case_id)?,
            self.path_of(),
        ))
    }

    /// Moves the case to its next stage, or fails listing what blocks it.
    /// Returns the new stage's label.
    pub fn advance_stage(&self, case_id: String) -> Res<String> {
        Ok(self.app.advance_stage(&case_id)?)
    }

    /// The holiday calendar deadlines are counted with (embedded years plus
    /// any the server sent at sync).
    pub fn calendar_info(&self) -> Res<CalendarInfoView> {
        Ok(self.app.calendar_info()?)
    }

    /// The due date (`YYYY-MM-DD`) of a period of `n` units of `rule` from
    /// `start`, counted with this device's calendar (PERIODS.md R1–R8). A
    /// year not loaded yet is `CalendarOutOfRange` (R10).
    pub fn deadline_add(&self, rule: String, start: String, n: i64) -> Res<String> {
        Ok(self.app.deadline_add(&rule, &start, n)?.to_string())
    }

    /// Statutory obligations with due days, of one case or of all.
    pub fn obligations(&self, case_id: Option<String>) -> Res<Vec<ObligationInfo>> {
        Ok(self.app.obligations(case_id.as_deref())?)
    }

    /// Creates a record from a template; returns its id.
    pub fn new_record(&self, case_id: String, template_id: String) -> Res<String> {
        Ok(self.app.new_record(&case_id, &template_id)?)
    }

    /// The record editor.
    pub fn record_editor(&self, case_id: String, record_id: String) -> Res<RecordForm> {
        Ok(self.app.record_editor(&case_id, &record_id)?.into())
    }

    /// Sets a field; a wrong type or a value out of range is `InvalidInput`
    /// with the field's Chinese message.
    pub fn set_field(
        &self,
        case_id: String,
        record_id: String,
        key: String,
        value: FieldValue,
    ) -> Res<()> {
        let value = value
            .into_json(&key)
            .map_err(|reason| CoreError::InvalidInput { reason })?;
        Ok(self.app.set_field(&case_id, &record_id, &key, &value)?)
    }

    /// Clears a field.
    pub fn clear_field(&self, case_id: String, record_id: String, key: String) -> Res<()> {
        Ok(self.app.clear_field(&case_id, &record_id, &key)?)
    }

    /// Seals a record (signed with the device key); returns the digest.
    pub fn seal_record(&self, case_id: String, record_id: String) -> Res<String> {
        Ok(self.app.seal_record(&case_id, &record_id)?)
    }

    /// Starts an amendment of a sealed record; returns the new record's id.
    pub fn amend_record(&self, case_id: String, record_id: String, reason: String) -> Res<String> {
        Ok(self.app.amend_record(&case_id, &record_id, &reason)?)
    }

    /// Records that the officers showed their credentials (亮证) at `place`.
    pub fn show_credentials(
        &self,
        case_id: String,
        place: String,
        gps: Option<GeoPoint>,
    ) -> Res<String> {
        Ok(self
            .app
            .show_credentials(&case_id, &place, gps.map(Into::into))?)
    }

    /// Records the rights notification ((二) 第十一条).
    pub fn notify_rights(
        &self,
        case_id: String,
        rights: Vec<String>,
        method: String,
        record_id: Option<String>,
    ) -> Res<String> {
        Ok(self
            .app
            .notify_rights(&case_id, &rights, &method, record_id.as_deref())?)
    }

    /// Attaches a photo, audio or video file (copied into the blob store).
    pub fn attach(
        &self,
        case_id: String,
        record_id: String,
        path: String,
        gps: Option<GeoPoint>,
    ) -> Res<MediaInfo> {
        let m = self
            .app
            .attach(&case_id, &record_id, Path::new(&path), gps.map(Into::into))?;
        Ok(MediaInfo::from_item(m, self.path_of()))
    }

    /// The signer's stored id and name from what was typed: an officer by
    /// user name, name or id; a party by name (empty: the only party).
    pub fn resolve_signer(
        &self,
        case_id: String,
        role: SignerRole,
        signer: String,
        name: String,
    ) -> Res<SignerEntry> {
        let (id, name) = self.app.resolve_signer(&case_id, role, &signer, &name)?;
        Ok(SignerEntry { id, name })
    }

    /// Signs a sealed record with a handwritten signature.
    pub fn sign(
        &self,
        case_id: String,
        record_id: String,
        role: SignerRole,
        signer_id: String,
        signer_name: String,
        pad: SignaturePad,
    ) -> Res<SignatureInfo> {
        let s = self
            .app
            .sign(&case_id, &record_id, role, &signer_id, &signer_name, &pad)?;
        Ok(SignatureInfo {
            role: s.role.label().to_string(),
            role_code: s.role,
            name: s.signer_name,
            at: s.at,
            image: s.strokes,
        })
    }

    /// Records a refusal to sign, with a witness ((二) 第十二条).
    pub fn refuse(
        &self,
        case_id: String,
        record_id: String,
        role: SignerRole,
        person: String,
        reason: String,
        witness: String,
    ) -> Res<String> {
        Ok(self
            .app
            .refuse(&case_id, &record_id, role, &person, &reason, &witness)?
            .at)
    }

    /// Verifies every seal of a case; empty when all verify.
    pub fn verify_seals(&self, case_id: String) -> Res<Vec<SealProblem>> {
        Ok(self
            .app
            .verify_seals(&case_id)?
            .into_iter()
            .map(|(record_id, problems)| SealProblem {
                record_id,
                problems,
            })
            .collect())
    }

    /// The server's standing refusal of a case's changes, if any.
    pub fn sync_refusal(&self, case_id: String) -> Res<Option<RefusedView>> {
        Ok(self.app.sync_refusal(&case_id)?)
    }

    /// Drops the changes of a case the server has not acknowledged; `true`
    /// when the case was removed (the server never stored it).
    pub fn drop_unsynced(&self, case_id: String) -> Res<bool> {
        Ok(self.app.drop_unsynced(&case_id)? == zhifa_device::app::Dropped::Removed)
    }

    /// The sync status.
    pub fn sync_status(&self) -> Res<SyncStatusInfo> {
        Ok(self.app.sync_status()?)
    }

    /// Watches the case list: the whole list now, then row updates.
    pub fn watch_case_list(
        &self,
        filter: CaseFilter,
        listener: Box<dyn CaseListListener>,
    ) -> Res<Arc<WatchHandle>> {
        let sub = self
            .app
            .watch_case_list(filter.into(), move |u| listener.on_update(u.into()))?;
        Ok(WatchHandle::new(sub))
    }

    /// Watches one case: its view now and after every change.
    pub fn watch_case(
        &self,
        case_id: String,
        listener: Box<dyn CaseListener>,
    ) -> Res<Arc<WatchHandle>> {
        let app = self.app.clone();
        let sub = self.app.watch_case(&case_id, move |v| {
            let path_of = |sha: &str| app.blob_path(sha).map(|p| p.to_string_lossy().into_owned());
            listener.on_case(CaseDetail::from_view(v, path_of))
        })?;
        Ok(WatchHandle::new(sub))
    }

    /// Watches the sync status: now and after every sync change.
    pub fn watch_sync(&self, listener: Box<dyn SyncListener>) -> Res<Arc<WatchHandle>> {
        listener.on_status(self.app.sync_status()?);
        let app = self.app.clone();
        let sub = self.app.subscribe(move |c| {
            // Byte progress goes to `watch_uploads`, not to the status.
            if matches!(c, zhifa_device::app::Change::Upload(_)) {
                return;
            }
            if let Ok(s) = app.sync_status() {
                listener.on_status(s);
            }
        });
        Ok(WatchHandle::new(sub))
    }

    /// Watches media uploads: bytes sent of each file while `sync_now` runs.
    pub fn watch_uploads(&self, listener: Box<dyn UploadListener>) -> Arc<WatchHandle> {
        let sub = self
            .app
            .watch_uploads(move |p| listener.on_progress(p.into()));
        WatchHandle::new(sub)
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl ZhifaApp {
    /// Logs in at `server` and registers this device.
    pub async fn login(
        &self,
        server: String,
        username: String,
        password: String,
        device_name: String,
    ) -> Res<OfficerInfo> {
        self.blocking(move |app| app.login(&server, &username, &password, &device_name))
            .await
    }

    /// Logs out (refused while work is not yet on the server, unless `force`).
    pub async fn logout(&self, force: bool) -> Res<()> {
        self.blocking(move |app| app.logout(force)).await
    }

    /// Syncs every case and uploads pending files.
    pub async fn sync_now(&self) -> Res<SyncSummary> {
        self.blocking(|app| app.sync_now()).await
    }

    /// The enforcement officers this device knows (partners and officer
    /// fields by user name or name); `refresh` asks the server first
    /// (offline, the kept list).
    pub async fn colleagues(&self, refresh: bool) -> Res<Vec<PartnerEntry>> {
        let list = self.blocking(move |app| app.colleagues(refresh)).await?;
        Ok(list
            .into_iter()
            .map(|o| PartnerEntry {
                id: o.id,
                name: o.name,
                credential_no: o.credential_no,
                unit_id: o.unit_id,
            })
            .collect())
    }

    /// The partner named by user name, name or account id (asks the server
    /// when unknown); refused with the known officers listed.
    pub async fn find_colleague(&self, who: String) -> Res<PartnerEntry> {
        let o = self.blocking(move |app| app.find_colleague(&who)).await?;
        Ok(PartnerEntry {
            id: o.id,
            name: o.name,
            credential_no: o.credential_no,
            unit_id: o.unit,
        })
    }

    /// Downloads the files of a case this device lacks; returns how many.
    pub async fn fetch_media(&self, case_id: String) -> Res<u32> {
        self.blocking(move |app| app.fetch_media(&case_id))
            .await
            .map(|n| n as u32)
    }
}
