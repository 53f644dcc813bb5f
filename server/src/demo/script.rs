//! How a demo case is written: every change through `CaseDoc`, by the acting
//! account's own demo device (actor and key), each stage move checked against
//! the gates first, dates counted back from the day the demo is loaded.

use std::collections::{BTreeMap, BTreeSet};

use automerge::ActorId;
use chrono::{Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Weekday};
use serde_json::Value;
use zhifa_core::case::{
    CaseHeader, CaseKind, CaseSource, EventKind, Officer, OfficerStatus, Party, Procedure, Stage,
};
use zhifa_core::doc::{Actor, CaseDoc};
use zhifa_core::media::{GeoPoint, MediaRef};
use zhifa_core::rules::{blocking, GateInput, RuleProfile};
use zhifa_core::seal::DeviceKey;
use zhifa_core::template::{SignerRole, TemplateRegistry};

use super::media::DemoFile;
use crate::auth::{new_token, random_bytes};
use crate::casedoc::columns;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store::{Account, CaseWrite, Device, DocWrite};

/// Name of the demo devices.
pub const DEMO_DEVICE_NAME: &str = "演示设备";

/// Where the demo photos are taken: 康保县城 (WGS-84).
pub const KANGBAO: GeoPoint = GeoPoint {
    lat: 41.852,
    lon: 114.600,
};

fn core<T>(r: zhifa_core::error::Result<T>) -> AppResult<T> {
    r.map_err(AppError::internal)
}

/// A demo account with its registered demo device.
#[derive(Clone)]
pub struct Hand {
    /// The account.
    pub account: Account,
    /// The registered device id.
    pub device_id: String,
    /// The device's signing key.
    pub key: DeviceKey,
    /// The device's Automerge actor.
    pub actor: Vec<u8>,
}

impl Hand {
    /// The officer as a case lists them.
    pub fn officer(&self) -> Officer {
        Officer {
            id: self.account.id.clone(),
            name: self.account.name.clone(),
            post: self.account.post.clone(),
            credential_no: self.account.credential_no.clone(),
            unit: self.account.unit_id.clone(),
            status: OfficerStatus::Active,
        }
    }
}

/// The demo hands by username.
pub type Hands = BTreeMap<String, Hand>;

/// Registers one demo device (random token hash, fresh key and actor) for
/// each of `usernames`.
pub async fn register_hands(state: &AppState, usernames: &[&str]) -> AppResult<Hands> {
    let mut hands = Hands::new();
    let mut rows = Vec::new();
    let accounts = state.db(|s| s.accounts()).await?;
    for u in usernames {
        let account = accounts
            .iter()
            .find(|a| a.username == *u)
            .cloned()
            .ok_or_else(|| AppError::internal(format!("演示账号 {u} 不存在")))?;
        let key = DeviceKey::from_secret(random_bytes()?);
        let actor = random_bytes()?[..16].to_vec();
        let device = Device {
            id: uuid::Uuid::new_v4().to_string(),
            account_id: account.id.clone(),
            name: DEMO_DEVICE_NAME.into(),
            public_key: key.public_hex(),
            actor_id: hex::encode(&actor),
            created_at: crate::accounts::now(),
            revoked_at: None,
        };
        let (_, token_hash) = new_token()?;
        rows.push((device.clone(), token_hash));
        hands.insert(
            u.to_string(),
            Hand {
                account,
                device_id: device.id,
                key,
                actor,
            },
        );
    }
    state
        .db(move |s| {
            for (d, h) in &rows {
                s.register_device(d, h)?;
            }
            Ok(())
        })
        .await?;
    Ok(hands)
}

/// The demo's calendar: today in Asia/Shanghai (UTC+8, no daylight saving).
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    /// Today.
    pub today: NaiveDate,
}

fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| chrono::Offset::fix(&chrono::Utc))
}

impl Clock {
    /// Today in Asia/Shanghai.
    pub fn now() -> Clock {
        Clock {
            today: chrono::Utc::now().with_timezone(&shanghai()).date_naive(),
        }
    }

    /// The day `ago` days before today.
    pub fn day(&self, ago: i64) -> NaiveDate {
        self.today - Duration::days(ago)
    }

    /// `YYYY-MM-DD`, `ago` days before today.
    pub fn date(&self, ago: i64) -> String {
        self.day(ago).format("%Y-%m-%d").to_string()
    }

    /// RFC 3339 in UTC+8, `ago` days before today at `hh:mm`.
    pub fn at(&self, ago: i64, hh: u32, mm: u32) -> String {
        let t = self
            .day(ago)
            .and_hms_opt(hh, mm, 0)
            .and_then(|t| shanghai().from_local_datetime(&t).single());
        match t {
            Some(t) => t.to_rfc3339(),
            None => format!("{}T09:00:00+08:00", self.date(ago)),
        }
    }

    /// How many calendar days back lie `n` working days (Monday–Friday;
    /// public holidays are not counted out).
    pub fn working_days_ago(&self, n: u32) -> i64 {
        let mut d = self.today;
        let mut left = n;
        let mut ago = 0;
        while left > 0 {
            d -= Duration::days(1);
            ago += 1;
            if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                left -= 1;
            }
        }
        ago
    }

    /// The year, for document numbers.
    pub fn year(&self) -> i32 {
        self.today.year()
    }
}

/// RFC 3339 UTC with milliseconds, as the server's own times are written.
fn utc(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
        })
        .unwrap_or_else(|_| at.to_string())
}

/// What a case starts as.
pub struct Start<'s> {
    /// Case title.
    pub title: &'s str,
    /// Inspection or penalty.
    pub kind: CaseKind,
    /// Procedure of a penalty.
    pub procedure: Option<Procedure>,
    /// Source.
    pub source: CaseSource,
    /// Task, complaint or transfer reference.
    pub source_ref: Option<String>,
    /// First stage.
    pub stage: Stage,
    /// Unit id.
    pub unit: &'s str,
}

/// One case being written, and the media it refers to.
pub struct Script<'h> {
    doc: CaseDoc,
    hands: &'h Hands,
    title: String,
    created_at: String,
    updated_at: String,
    files: Vec<(DemoFile, String)>,
    present: BTreeSet<String>,
}

/// A written case: what a sync round would store, and its media with the
/// uploading account.
pub struct Written {
    /// The case write.
    pub write: CaseWrite,
    /// Media files with the account that attached them.
    pub files: Vec<(DemoFile, String)>,
}

impl<'h> Script<'h> {
    fn hand(hands: &'h Hands, u: &str) -> AppResult<&'h Hand> {
        hands
            .get(u)
            .ok_or_else(|| AppError::internal(format!("演示账号 {u} 没有演示设备")))
    }

    fn who<'a>(h: &'a Hand, at: &'a str) -> Actor<'a> {
        Actor {
            user: &h.account.id,
            device: &h.device_id,
            at,
        }
    }

    /// Switches the document to `u`'s actor and returns the hand.
    fn act(&mut self, u: &str, at: &str) -> AppResult<&'h Hand> {
        let h = Self::hand(self.hands, u)?;
        self.doc
            .automerge()
            .set_actor(ActorId::from(h.actor.as_slice()));
        if at > self.updated_at.as_str() {
            self.updated_at = at.to_string();
        }
        Ok(h)
    }

    /// Creates the case as `u` at `at`, with `u` assigned.
    pub fn create(hands: &'h Hands, start: Start<'_>, u: &str, at: &str) -> AppResult<Script<'h>> {
        let h = Self::hand(hands, u)?;
        let header = CaseHeader {
            id: uuid::Uuid::new_v4().to_string(),
            kind: start.kind,
            procedure: start.procedure,
            title: start.title.into(),
            source: start.source,
            stage: start.stage,
            unit: start.unit.into(),
            created_at: at.into(),
            created_by: h.account.id.clone(),
            source_ref: start.source_ref,
            fine_fen: None,
            measures: Vec::new(),
        };
        let doc = core(CaseDoc::create(&header, &h.actor, &Self::who(h, at)))?;
        let mut s = Script {
            doc,
            hands,
            title: start.title.into(),
            created_at: at.into(),
            updated_at: at.into(),
            files: Vec::new(),
            present: BTreeSet::new(),
        };
        s.assign(u, u, at)?;
        Ok(s)
    }

    /// `u` assigns officer `officer` to the case.
    pub fn assign(&mut self, officer: &str, u: &str, at: &str) -> AppResult<()> {
        let o = Self::hand(self.hands, officer)?.officer();
        let h = self.act(u, at)?;
        core(self.doc.add_officer(&o, &Self::who(h, at)))
    }

    /// `u` registers a party.
    pub fn party(&mut self, p: Party, u: &str, at: &str) -> AppResult<()> {
        let h = self.act(u, at)?;
        core(self.doc.add_party(&p, &Self::who(h, at)))
    }

    /// `u` writes an event in the history.
    pub fn event(
        &mut self,
        kind: EventKind,
        target: Option<&str>,
        detail: &str,
        u: &str,
        at: &str,
    ) -> AppResult<()> {
        let h = self.act(u, at)?;
        core(self.doc.log_event(kind, &Self::who(h, at), target, detail))
    }

    /// `u` shows the credentials of the case's officers `of` at `place` (亮证).
    pub fn credentials(&mut self, of: &[&str], place: &str, u: &str, at: &str) -> AppResult<()> {
        let mut shown = Vec::new();
        for o in of {
            let a = &Self::hand(self.hands, o)?.account;
            shown.push(format!("{} {}", a.name, a.credential_no));
        }
        let detail = format!("出示执法证件: {}; 地点: {place}", shown.join("、"));
        self.event(EventKind::CredentialShown, None, &detail, u, at)
    }

    /// `u` sets the proposed or decided fine.
    pub fn fine(&mut self, fen: i64, u: &str, at: &str) -> AppResult<()> {
        let h = self.act(u, at)?;
        core(self.doc.set_fine(Some(fen), &Self::who(h, at)))
    }

    /// `u` creates a record from the latest version of `template`; its id.
    pub fn record(&mut self, template: &str, u: &str, at: &str) -> AppResult<String> {
        let tpl = core(TemplateRegistry::builtin().latest(template))?;
        let id = uuid::Uuid::new_v4().to_string();
        let h = self.act(u, at)?;
        core(self.doc.create_record(&id, tpl, &Self::who(h, at)))?;
        Ok(id)
    }

    /// `u` fills fields of a record.
    pub fn fill(
        &mut self,
        rec: &str,
        fields: &[(&str, Value)],
        u: &str,
        at: &str,
    ) -> AppResult<()> {
        let h = self.act(u, at)?;
        for (k, v) in fields {
            core(self.doc.set_field_json(rec, k, v, &Self::who(h, at)))?;
        }
        Ok(())
    }

    /// `u` attaches a media file to a record (captured at `at` in 康保).
    pub fn attach(&mut self, rec: &str, file: &DemoFile, u: &str, at: &str) -> AppResult<()> {
        let h = self.act(u, at)?;
        let m = MediaRef {
            sha256: file.sha256.clone(),
            mime: file.mime.into(),
            size: file.size(),
            captured_at: at.into(),
            gps: Some(KANGBAO),
            device: h.device_id.clone(),
            officer: h.account.id.clone(),
            record_id: rec.into(),
        };
        core(self.doc.attach_media(&m, &Self::who(h, at)))?;
        if self.present.insert(file.sha256.clone()) {
            self.files.push((file.clone(), h.account.id.clone()));
        }
        Ok(())
    }

    /// The office liaison `u` publishes the case's decided result on `on`:
    /// the drafted 公示信息 (personal data masked), sealed.
    pub fn publish(&mut self, u: &str, at: &str, on: NaiveDate) -> AppResult<()> {
        let case = core(self.doc.case())?;
        let values = zhifa_core::publicity::draft(&case, on)
            .ok_or_else(|| crate::error::AppError::internal("demo: nothing decided to publish"))?;
        let rec = self.record(zhifa_core::publicity::ENTRY_TEMPLATE, u, at)?;
        let fields: Vec<(&str, Value)> = values
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        self.fill(&rec, &fields, u, at)?;
        self.seal(&rec, u, at)
    }

    /// `u` seals a record on their device.
    pub fn seal(&mut self, rec: &str, u: &str, at: &str) -> AppResult<()> {
        let h = self.act(u, at)?;
        core(self.doc.seal_record(rec, &Self::who(h, at), &h.key)).map(|_| ())
    }

    /// Officer, reviewer or leader `signer` signs a sealed record on their own device.
    pub fn sign(&mut self, rec: &str, role: SignerRole, signer: &str, at: &str) -> AppResult<()> {
        let h = self.act(signer, at)?;
        let (id, name) = (h.account.id.clone(), h.account.name.clone());
        core(
            self.doc
                .sign_record(rec, role, &id, &name, None, &Self::who(h, at), &h.key),
        )
        .map(|_| ())
    }

    /// The officers `signers` sign a sealed record, each on their device.
    pub fn officers_sign(&mut self, rec: &str, signers: &[&str], at: &str) -> AppResult<()> {
        for s in signers {
            self.sign(rec, SignerRole::Officer, s, at)?;
        }
        Ok(())
    }

    /// A party signs on `u`'s device.
    pub fn party_signs(
        &mut self,
        rec: &str,
        party: (&str, &str),
        u: &str,
        at: &str,
    ) -> AppResult<()> {
        let h = self.act(u, at)?;
        core(self.doc.sign_record(
            rec,
            SignerRole::Party,
            party.0,
            party.1,
            None,
            &Self::who(h, at),
            &h.key,
        ))
        .map(|_| ())
    }

    /// The party refuses to sign, before a witness, recorded on `u`'s device.
    pub fn party_refuses(
        &mut self,
        rec: &str,
        person: &str,
        reason: &str,
        witness: &str,
        u: &str,
        at: &str,
    ) -> AppResult<()> {
        let h = self.act(u, at)?;
        core(self.doc.refuse_signature(
            rec,
            SignerRole::Party,
            person,
            reason,
            witness,
            &Self::who(h, at),
            &h.key,
        ))
        .map(|_| ())
    }

    /// `u` moves the case to `to`, after checking every gate in the way
    /// (the default profile; media present: the files this case stores).
    pub fn advance(&mut self, to: Stage, u: &str, at: &str) -> AppResult<()> {
        let case = core(self.doc.case())?;
        let profile = RuleProfile::default();
        let unmet = blocking(
            &GateInput {
                case: &case,
                profile: &profile,
                present_media: Some(&self.present),
            },
            to,
        );
        if !unmet.is_empty() {
            let why: Vec<String> = unmet.iter().map(|u| u.to_string()).collect();
            return Err(AppError::internal(format!(
                "演示案件「{}」不能进入{}: {}",
                self.title,
                to.label(),
                why.join("; ")
            )));
        }
        let h = self.act(u, at)?;
        core(self.doc.set_stage(to, &Self::who(h, at)))
    }

    /// Another officer's copy of the document (their device's replica).
    pub fn fork(&mut self, u: &str) -> AppResult<CaseDoc> {
        let h = Self::hand(self.hands, u)?;
        let bytes = self.doc.save();
        core(CaseDoc::load(&bytes, &h.actor))
    }

    /// `u` edits a field on their own replica `other`.
    pub fn fill_on(
        &self,
        other: &mut CaseDoc,
        rec: &str,
        key: &str,
        v: &Value,
        u: &str,
        at: &str,
    ) -> AppResult<()> {
        let h = Self::hand(self.hands, u)?;
        core(other.set_field_json(rec, key, v, &Self::who(h, at)))
    }

    /// Merges another replica in (a sync round); the seal conflicts it made.
    pub fn merge(&mut self, other: &mut CaseDoc, at: &str) -> AppResult<usize> {
        if at > self.updated_at.as_str() {
            self.updated_at = at.to_string();
        }
        Ok(core(self.doc.merge(other))?.len())
    }

    /// The case as a sync round would store it.
    pub fn finish(mut self) -> AppResult<Written> {
        let (meta, media) = columns(
            &mut self.doc,
            &utc(&self.created_at),
            &utc(&self.updated_at),
        )?;
        let case = core(self.doc.case())?;
        let engine = zhifa_core::deadlines::DeadlineEngine::embedded().ok();
        let index = crate::casedoc::index_of(&case, engine.as_ref(), crate::casedoc::today_cn());
        Ok(Written {
            write: CaseWrite {
                meta,
                doc: DocWrite::Replace(self.doc.save()),
                media,
                index,
            },
            files: self.files,
        })
    }
}
