//! The check code printed on every page: a QR code whose text names the
//! case, the record and its seal digest, as a URL of the public portal's
//! check page when the bureau has one.

use qrcode::{Color, EcLevel, QrCode};

use crate::page::Op;
use crate::DocsError;

/// What a document's QR code says: which sealed record it is a print of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocRef {
    /// Case id.
    pub case_id: String,
    /// Record id.
    pub record_id: String,
    /// The seal's SHA-256 digest (hex) the paper was printed from.
    pub digest: String,
}

/// Scheme of the QR text when no portal URL is configured.
pub const OFFLINE_PREFIX: &str = "zhifa-doc:";

impl DocRef {
    /// The QR text: `<check_url>?c=<case>&r=<record>&d=<digest>` (the
    /// portal's check page, e.g. `https://bureau.example/gs/doc`), or
    /// `zhifa-doc:?c=…&r=…&d=…` without a portal.
    pub fn to_text(&self, check_url: Option<&str>) -> String {
        let base = check_url.unwrap_or(OFFLINE_PREFIX);
        format!(
            "{base}?c={}&r={}&d={}",
            self.case_id, self.record_id, self.digest
        )
    }

    /// Reads a QR text (either form, any host): `None` unless it carries
    /// `c`, `r` and a 64-hex-digit `d`.
    pub fn parse(text: &str) -> Option<DocRef> {
        let (_, query) = text.trim().split_once('?')?;
        let mut c = None;
        let mut r = None;
        let mut d = None;
        for pair in query.split('&') {
            match pair.split_once('=') {
                Some(("c", v)) => c = Some(v.to_string()),
                Some(("r", v)) => r = Some(v.to_string()),
                Some(("d", v)) => d = Some(v.to_ascii_lowercase()),
                _ => {}
            }
        }
        let d = d.filter(|d| zhifa_core::media::is_sha256_hex(d))?;
        let ok = |s: &String| {
            !s.is_empty()
                && s.len() <= 100
                && s.chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_')
        };
        Some(DocRef {
            case_id: c.filter(ok)?,
            record_id: r.filter(ok)?,
            digest: d,
        })
    }
}

/// The QR code of `text` as filled squares in the box at (x, y) of side
/// `side` points (with its quiet zone inside the box); dark modules of a
/// row are merged into runs.
pub(crate) fn qr_ops(text: &str, x: f32, y: f32, side: f32) -> Result<Vec<Op>, DocsError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| DocsError::Pdf(format!("二维码生成失败: {e}")))?;
    let n = code.width();
    let quiet = 2;
    let unit = side / (n + 2 * quiet) as f32;
    let colors = code.to_colors();
    let mut ops = Vec::new();
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if colors[row * n + col] == Color::Dark {
                let start = col;
                while col < n && colors[row * n + col] == Color::Dark {
                    col += 1;
                }
                ops.push(Op::Fill {
                    x: x + (start + quiet) as f32 * unit,
                    y: y + (row + quiet) as f32 * unit,
                    w: (col - start) as f32 * unit,
                    h: unit,
                });
            } else {
                col += 1;
            }
        }
    }
    Ok(ops)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_text_round_trips_in_both_forms() {
        let r = DocRef {
            case_id: "c-1".into(),
            record_id: "r_2".into(),
            digest: "ab".repeat(32),
        };
        let url = r.to_text(Some("https://x.example/gs/doc"));
        assert_eq!(
            url,
            format!("https://x.example/gs/doc?c=c-1&r=r_2&d={}", "ab".repeat(32))
        );
        assert_eq!(DocRef::parse(&url), Some(r.clone()));
        assert_eq!(DocRef::parse(&r.to_text(None)), Some(r));
    }

    #[test]
    fn malformed_qr_text_is_refused() {
        assert_eq!(DocRef::parse("https://x/gs/doc?c=a&r=b&d=12"), None);
        assert_eq!(DocRef::parse("no query"), None);
        let d = "0".repeat(64);
        assert_eq!(DocRef::parse(&format!("x?c=a<b&r=b&d={d}")), None);
        assert_eq!(DocRef::parse(&format!("x?r=b&d={d}")), None);
    }
}
