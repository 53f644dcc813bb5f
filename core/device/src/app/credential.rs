//! 亮证 (showing the enforcement credential): the card the officer's screen
//! shows to the party, with a QR code any phone can read offline.
//! 行政处罚法 art.55: officers show their credentials to the party;
//! (二) 第十条: at least two officers, credentials shown on the spot.

use std::io::Cursor;

use image::{GrayImage, ImageFormat, Luma};
use qrcode::{Color, EcLevel, QrCode};
use serde::Serialize;

use super::App;
use crate::error::{DeviceError, Result};

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
    /// The text in the QR code (Chinese, readable by any scanner offline).
    pub qr_text: String,
    /// The QR code as a PNG (black on white, with a quiet zone).
    pub qr_png: Vec<u8>,
}

impl App {
    /// The credential card to show the party (亮证).
    pub fn credential_card(&self) -> Result<CredentialCard> {
        let me = self.whoami()?;
        let shown_at = super::now().to_rfc3339();
        let qr_text = format!(
            "行政执法证件\n姓名: {}\n执法证号: {}\n执法单位: {}\n出示时间: {}",
            me.name,
            me.credential_no,
            me.unit_name,
            &shown_at[..16.min(shown_at.len())].replace('T', " ")
        );
        let qr_png = qr_png(&qr_text)?;
        Ok(CredentialCard {
            name: me.name,
            unit_name: me.unit_name,
            credential_no: me.credential_no,
            roles: me.roles,
            shown_at,
            qr_text,
            qr_png,
        })
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
