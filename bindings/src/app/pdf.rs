//! Printing a sealed record (执法文书) as PDF: a thin call into
//! `zhifa_device::App::record_pdf`.

use super::{Res, ZhifaApp};

#[uniffi::export]
impl ZhifaApp {
    /// The PDF of sealed record `record_id` of case `case_id`, set in `font`
    /// (the bytes of a TTF/OTF/TTC with Chinese glyphs: the system's or one
    /// bundled with the app), signatures drawn from their strokes, a QR code
    /// for checking it on the bureau's portal. Refused (`Invalid`, Chinese)
    /// when the record is not sealed, its seal is broken or the font cannot
    /// set Chinese.
    pub fn record_pdf(&self, case_id: String, record_id: String, font: Vec<u8>) -> Res<Vec<u8>> {
        Ok(self.app.record_pdf(&case_id, &record_id, font)?)
    }
}
