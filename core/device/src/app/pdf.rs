//! Printing a sealed record as its PDF form (执法文书) on the device: the
//! paper the officer hands the party on the spot. Rendering is zhifa-docs;
//! this reads the case, the signature strokes files and the font.

use zhifa_docs::{default_bureau, render_record, DocContext, DocFont, Privacy};

use super::App;
use crate::error::{DeviceError, Result};

/// The portal's check page of printed documents, under the server URL.
pub const DOC_CHECK_PATH: &str = "/gs/doc";

impl App {
    /// The PDF of sealed record `record_id` of case `case_id`, set in the
    /// font `font` (the bytes of a TTF/OTF/TTC with Chinese glyphs; in a
    /// collection the Simplified Chinese face is used). Personal data prints
    /// in full: this is the party's copy. The QR code points to the server's
    /// check page when the device has logged in. Errors (Chinese) when the
    /// record is not sealed, its seal is broken, or the font cannot set
    /// Chinese.
    pub fn record_pdf(&self, case_id: &str, record_id: &str, font: Vec<u8>) -> Result<Vec<u8>> {
        let font = DocFont::from_bytes(font).map_err(|e| DeviceError::Invalid(e.to_string()))?;
        let check_url = self
            .lock()
            .login
            .as_ref()
            .map(|l| format!("{}{DOC_CHECK_PATH}", l.server.trim_end_matches('/')));
        let case = self.read(case_id, |doc, _| Ok(doc.case()?))?;
        let media = |sha: &str| self.blob_path(sha).and_then(|p| std::fs::read(p).ok());
        // The bureau as the server named it on this officer's credential.
        let bureau = self
            .cached_credential()
            .ok()
            .flatten()
            .map(|c| c.claims.unit_name)
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| default_bureau(&case));
        let ctx = DocContext {
            case: &case,
            bureau: &bureau,
            media: &media,
            check_url: check_url.as_deref(),
            privacy: Privacy::Full,
            account_name: &|_| None,
        };
        render_record(&ctx, &font, record_id).map_err(|e| DeviceError::Invalid(e.to_string()))
    }
}

/// The first CJK font of [`zhifa_docs::font::SYSTEM_FONT_CANDIDATES`] present
/// on this machine, as bytes; a Chinese error naming the paths tried when none is.
pub fn system_font() -> Result<Vec<u8>> {
    zhifa_docs::font::SYSTEM_FONT_CANDIDATES
        .iter()
        .find_map(|p| std::fs::read(p).ok())
        .ok_or_else(|| {
            DeviceError::Invalid(format!(
                "未找到中文字体, 请用 --font 指定字体文件 (如安装 fonts-noto-cjk); 已查找: {}",
                zhifa_docs::font::SYSTEM_FONT_CANDIDATES.join(", ")
            ))
        })
}

impl App {
    /// Checks a printed document's QR text (`…?c=<case>&r=<record>&d=<digest>`)
    /// against this device's copy of the case: 一致 only when the digest is
    /// the seal of the current, intact record.
    pub fn check_printed(&self, qr_text: &str) -> Result<zhifa_docs::Verdict> {
        let r = zhifa_docs::DocRef::parse(qr_text).ok_or_else(|| {
            DeviceError::Invalid("不是执法文书的核验码 (应含 c=案件、r=文书、d=摘要)".into())
        })?;
        let case = self.read(&r.case_id, |doc, _| Ok(doc.case()?))?;
        Ok(zhifa_docs::check(&case, &r))
    }
}
