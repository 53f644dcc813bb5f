//! The enforcement officers this device knows (`GET /colleagues`, kept in
//! the store for offline use): partners are named by user name or name
//! (`lina`, 李娜) instead of an account id, and officer fields resolve user
//! names through them.

use std::collections::BTreeMap;

use zhifa_core::case::Officer;
use zhifa_core::sync::OfficerInfo;

use super::App;
use crate::error::{DeviceError, Result};

/// The store key of the cached list.
pub(super) const META_KEY: &str = "colleagues";

impl App {
    /// The enforcement officers known to this device: the cached list, and
    /// the logged-in officer. With `refresh`, asked from the server first
    /// (offline, the cached list is kept and returned).
    pub fn colleagues(&self, refresh: bool) -> Result<Vec<OfficerInfo>> {
        if refresh {
            let login = self.lock().login.clone().ok_or(DeviceError::NotLoggedIn)?;
            let t = self.transport_for(&login.server)?;
            match t.colleagues(&login.response.token) {
                Ok(list) => {
                    let bytes = serde_json::to_vec(&list)
                        .map_err(|e| DeviceError::Invalid(format!("执法人员名单无法保存: {e}")))?;
                    self.lock().store.set_meta(META_KEY, &bytes)?;
                }
                Err(DeviceError::Network(_)) => {}
                Err(e) => return Err(e),
            }
        }
        let g = self.lock();
        let mut list: Vec<OfficerInfo> = g
            .store
            .meta(META_KEY)?
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        if let Some(me) = g.login.as_ref().map(|l| &l.response.officer) {
            if !list.iter().any(|o| o.id == me.id) {
                list.insert(0, me.clone());
            }
        }
        Ok(list)
    }

    /// User names by account id, of every officer this device knows.
    pub(crate) fn known_usernames(&self) -> Result<BTreeMap<String, String>> {
        Ok(self
            .colleagues(false)?
            .into_iter()
            .map(|o| (o.id, o.username))
            .collect())
    }

    /// The officer named by user name, name or account id, as a case's
    /// officer record (credential number, unit, status from the account).
    /// Asks the server for the list when the name is not known yet; a name
    /// that is not an officer is refused with the known officers listed.
    pub fn find_colleague(&self, who: &str) -> Result<Officer> {
        let who = who.trim();
        let find = |list: &[OfficerInfo]| -> Option<OfficerInfo> {
            list.iter()
                .find(|o| o.id == who || o.username.eq_ignore_ascii_case(who))
                .or_else(|| list.iter().find(|o| o.name == who))
                .cloned()
        };
        let known = self.colleagues(false)?;
        let found = match find(&known) {
            Some(o) => Some(o),
            None => find(&self.colleagues(true)?),
        };
        let Some(o) = found else {
            let list = self
                .colleagues(false)?
                .iter()
                .map(|o| format!("{} ({})", o.name, o.username))
                .collect::<Vec<_>>()
                .join("、");
            return Err(DeviceError::Invalid(format!(
                "没有用户名、姓名或账号为“{who}”的执法人员; 可选: {}",
                if list.is_empty() {
                    "(尚无名单, 请联网后重试)".into()
                } else {
                    list
                }
            )));
        };
        Ok(Officer {
            id: o.id,
            name: o.name,
            post: o.post,
            credential_no: o.credential_no,
            unit: o.unit_id,
            status: o.status,
        })
    }
}
