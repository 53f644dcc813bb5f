//! 亮证 (showing the enforcement credential): the card the officer's screen
//! shows to the party, with a QR code any phone can read offline.
//! 行政处罚法 第五十五条: 执法人员应当主动出示执法证件; (一) 第六条 of the seed:
//! 亮证; (二) 第十条: at least two officers, credentials shown on the spot.
//!
//! The QR code holds the check URL `<server>/gs/credential?t=<token>` of the
//! electronic credential (电子执法证) the server signed
//! ([`zhifa_core::credential`]): a phone camera opens the bureau's check page,
//! and `zhifa credential verify` checks it offline with the bureau's key. The
//! token is fetched at login and refreshed at sync when older than a day, and
//! kept in the meta table (it is not a secret), so the card works offline.

use std::io::Cursor;

use chrono::{DateTime, Duration, Utc};
use image::{GrayImage, ImageFormat, Luma};
use qrcode::{Color, EcLevel, QrCode};
use serde::{Deserialize, Serialize};
use zhifa_core::credential::{check_url, verify_signature, CredentialClaims, IssuedCredential};

use super::App;
use crate::error::{DeviceError, Result};
use crate::sync::Transport;

/// The meta key of the cached credential.
const META_KEY: &str = "credential";
/// A cached credential older than this is fetched again at sync.
const REFRESH_AFTER_HOURS: i64 = 24;

/// The electronic credential kept on the device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedCredential {
    /// The compact token (`ZF1.<claims>.<signature>`).
    pub token: String,
    /// What it says (checked against the server key before it was kept).
    pub claims: CredentialClaims,
    /// When the device fetched it (RFC 3339).
    pub fetched_at: String,
}

/// Pixels per QR module in the rendered PNG.
const MODULE_PX: u32 = 8;
/// Quiet-zone width in modules (ISO/IEC 18004 asks for 4).
const QUIET_MODULES: u32 = 4;

/// The credential card of the logged-in officer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CredentialCard {
    /// Officer's name.
    pub name: String,
    /// Enforcement unit.
    pub unit_name: String,
    /// 执法证号.
    pub credential_no: String,
    /// The roles, in Chinese.
    pub roles: Vec<String>,
    /// When the card was produced (RFC 3339, local offset).
    pub shown_at: String,
    /// The text in the QR code: the check URL of the electronic credential
    /// when the device holds one, else the plain Chinese text (readable by
    /// any scanner offline).
    pub qr_text: String,
    /// The electronic credential's token, when the device holds one.
    pub token: Option<String>,
    /// Its validity as people read it (`2026-12-05 04:00 至 2027-12-05 04:00`).
    pub validity: Option<String>,
    /// Its end (RFC 3339, as signed).
    pub valid_until: Option<String>,
    /// Whether the kept token is past its validity (refreshed at next sync).
    pub expired: bool,
    /// The QR code as a PNG (black on white, with a quiet zone).
    pub qr_png: Vec<u8>,
}

impl App {
    /// The credential card to show the party (亮证).
    /// Works offline: the token comes from the device's cache.
    pub fn credential_card(&self) -> Result<CredentialCard> {
        let me = self.whoami()?;
        let server = self
            .lock()
            .login
            .as_ref()
            .map(|l| l.server.clone())
            .unwrap_or_default();
        let cached = self.cached_credential()?;
        let shown_at = super::now().to_rfc3339();
        let qr_text = match &cached {
            Some(c) => check_url(&server, &c.token),
            None => format!(
                "行政执法证件\n姓名: {}\n执法证号: {}\n执法单位: {}\n出示时间: {}",
                me.name,
                me.credential_no,
                me.unit_name,
                &shown_at[..16.min(shown_at.len())].replace('T', " ")
            ),
        };
        let qr_png = qr_png(&qr_text)?;
        let expired = cached
            .as_ref()
            .is_some_and(|c| c.claims.check_validity(Utc::now()).is_err());
        Ok(CredentialCard {
            name: me.name,
            unit_name: me.unit_name,
            credential_no: me.credential_no,
            roles: me.roles,
            shown_at,
            qr_text,
            qr_png,
            validity: cached.as_ref().map(|c| c.claims.validity_text()),
            valid_until: cached.as_ref().map(|c| c.claims.valid_until.clone()),
            token: cached.map(|c| c.token),
            expired,
        })
    }

    /// The bureau's public key (hex) the server named at login: what
    /// electronic credentials are checked against offline.
    pub fn server_public_key(&self) -> Result<String> {
        self.lock()
            .login
            .as_ref()
            .map(|l| l.response.server_public_key.clone())
            .ok_or(DeviceError::NotLoggedIn)
    }

    /// The electronic credential kept on the device, if any.
    pub fn cached_credential(&self) -> Result<Option<CachedCredential>> {
        let g = self.lock();
        let Some(bytes) = g.store.meta(META_KEY)? else {
            return Ok(None);
        };
        // A kept credential that no longer reads is dropped, not an error:
        // the next sync fetches a new one.
        Ok(serde_json::from_slice(&bytes).ok())
    }

    /// Fetches the officer's electronic credential from the server now,
    /// checks its signature against the server key of the login, and keeps
    /// it. `Ok(None)` when the server issues none (no 执法证号, suspended):
    /// the kept one is dropped.
    pub fn refresh_credential(&self) -> Result<Option<CachedCredential>> {
        let login = self.lock().login.clone().ok_or(DeviceError::NotLoggedIn)?;
        let t = self.transport_for(&login.server)?;
        self.fetch_credential(
            &*t,
            &login.response.token,
            &login.response.server_public_key,
        )
    }

    /// At sync: fetches the credential when none is kept or the kept one is
    /// older than a day.
    pub(crate) fn refresh_credential_if_stale(
        &self,
        t: &dyn Transport,
        token: &str,
        server_key: &str,
    ) -> Result<()> {
        let fresh = self.cached_credential()?.is_some_and(|c| {
            DateTime::parse_from_rfc3339(&c.fetched_at).is_ok_and(|at| {
                Utc::now().signed_duration_since(at) < Duration::hours(REFRESH_AFTER_HOURS)
            })
        });
        if !fresh {
            self.fetch_credential(t, token, server_key)?;
        }
        Ok(())
    }

    /// Forgets the kept credential (logout, another officer).
    pub(crate) fn forget_credential(&self) -> Result<()> {
        self.lock().store.delete_meta(META_KEY)
    }

    fn fetch_credential(
        &self,
        t: &dyn Transport,
        token: &str,
        server_key: &str,
    ) -> Result<Option<CachedCredential>> {
        let issued: IssuedCredential = match t.credential(token) {
            Ok(i) => i,
            Err(DeviceError::Forbidden(_)) => {
                self.forget_credential()?;
                return Ok(None);
            }
            Err(e) => return Err(e),
        };
        let claims = verify_signature(&issued.token, server_key)
            .map_err(|e| DeviceError::Invalid(format!("服务器签发的电子执法证无效: {e}")))?;
        let cached = CachedCredential {
            token: issued.token,
            claims,
            fetched_at: Utc::now().to_rfc3339(),
        };
        let json = serde_json::to_vec(&cached).map_err(|e| DeviceError::Db {
            user: "电子执法证无法保存".into(),
            detail: e.to_string(),
        })?;
        self.lock().store.set_meta(META_KEY, &json)?;
        Ok(Some(cached))
    }
}

/// Renders `text` as a QR code PNG (error correction level M).
fn qr_png(text: &str) -> Result<Vec<u8>> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| DeviceError::Invalid(format!("证件二维码无法生成: {e}")))?;
    let modules = code.width() as u32;
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET_MODULES) * MODULE_PX;
    let img = GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = (x / MODULE_PX, y / MODULE_PX);
        let dark = mx >= QUIET_MODULES
            && my >= QUIET_MODULES
            && mx < QUIET_MODULES + modules
            && my < QUIET_MODULES + modules
            && colors[((my - QUIET_MODULES) * modules + (mx - QUIET_MODULES)) as usize]
                == Color::Dark;
        Luma([if dark { 0 } else { 255 }])
    });
    let mut png = Vec::new();
    img.write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|e| DeviceError::Io(format!("证件二维码无法编码: {e}")))?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_png_holds_the_modules_of_the_text() {
        let text = "行政执法证件\n执法证号: 13010020260001";
        let png = qr_png(text).expect("png");
        let img = image::load_from_memory(&png).expect("decodes").to_luma8();
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).expect("qr");
        let w = code.width() as u32;
        assert_eq!(img.width(), (w + 8) * MODULE_PX);
        // Quiet zone white, and every module's centre pixel matches the code.
        assert_eq!(img.get_pixel(1, 1)[0], 255);
        let colors = code.to_colors();
        for my in 0..w {
            for mx in 0..w {
                let px = img.get_pixel(
                    (mx + QUIET_MODULES) * MODULE_PX + MODULE_PX / 2,
                    (my + QUIET_MODULES) * MODULE_PX + MODULE_PX / 2,
                )[0];
                let dark = colors[(my * w + mx) as usize] == Color::Dark;
                assert_eq!(px == 0, dark, "module ({mx},{my})");
            }
        }
    }
}
