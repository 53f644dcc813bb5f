//! The 案卷 PDF of an archive package: `zhifa_docs::render_case_file`
//! (cover, 卷内目录, every sealed document as its form, the media list, the
//! history in words), set in the server's CJK font (`font` /
//! `ZHIFA_FONT`, else a system font; `crate::docs::font`). A server without
//! such a font still files cases: the package then carries a one-page
//! stand-in naming the case, its records and files by id and digest (ASCII,
//! the PDF's built-in Helvetica), and the log says why.

use zhifa_core::doc::Case;
use zhifa_docs::{DocContext, DocFont, Privacy};

/// What the case file is printed from besides the case.
pub struct Inputs<'a> {
    /// The bureau's name (cover and headers).
    pub bureau: &'a str,
    /// The font, if the server has one.
    pub font: Option<&'a DocFont>,
    /// Bytes of a media file by SHA-256 (signature strokes files).
    pub media: &'a dyn Fn(&str) -> Option<Vec<u8>>,
    /// Names of office accounts by id, for the history.
    pub account_name: &'a dyn Fn(&str) -> Option<String>,
}

/// The PDF bytes of the case file of `case`; `listed` names the package's
/// media files as `(name in the package, sha256)` for the stand-in.
pub fn render(
    case: &Case,
    inputs: &Inputs<'_>,
    listed: &[(String, String)],
    archived_at: &str,
) -> Vec<u8> {
    if let Some(font) = inputs.font {
        let ctx = DocContext {
            case,
            bureau: inputs.bureau,
            media: inputs.media,
            check_url: None,
            privacy: Privacy::Full,
            account_name: inputs.account_name,
        };
        match zhifa_docs::render_case_file(&ctx, font) {
            Ok(pdf) => return pdf,
            Err(e) => {
                tracing::error!(case = %case.header.id, error = %e, "case file not rendered; stand-in used")
            }
        }
    } else {
        tracing::warn!(case = %case.header.id, "no CJK font: the case file is a stand-in");
    }
    stand_in(case, listed, archived_at)
}

/// The one-page stand-in when no case file can be set.
fn stand_in(case: &Case, media: &[(String, String)], archived_at: &str) -> Vec<u8> {
    let mut lines = vec![
        "Zhifa archived case file".to_string(),
        format!("Case id: {}", case.header.id),
        format!("Filed at: {archived_at}"),
        format!("Stage: {}", zhifa_core::wire_name(&case.header.stage)),
        format!("Records: {}", case.records.len()),
    ];
    for r in &case.records {
        lines.push(format!(
            "  record {} ({}){}",
            r.id,
            r.template,
            if r.seal.is_some() { ", sealed" } else { "" }
        ));
    }
    lines.push(format!("Files: {}", media.len()));
    for (name, sha) in media {
        lines.push(format!("  {name} sha256 {sha}"));
    }
    lines.push(format!("History entries: {}", case.events.len()));
    pdf(&lines)
}

/// Escapes a line for a PDF string literal, keeping printable ASCII only.
fn escape(line: &str) -> String {
    let mut out = String::new();
    for c in line.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            _ => out.push('?'),
        }
    }
    out
}

/// A one-page PDF 1.4 of `lines` in 9-point Helvetica.
fn pdf(lines: &[String]) -> Vec<u8> {
    let mut content = String::from("BT /F1 9 Tf 11 TL 40 800 Td\n");
    for l in lines.iter().take(70) {
        content.push_str(&format!("({}) Tj T*\n", escape(l)));
    }
    content.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
    ];
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.push_str(&format!("{} 0 obj\n{o}\nendobj\n", i + 1));
    }
    let xref = out.len();
    out.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for off in offsets {
        out.push_str(&format!("{off:010} 00000 n \n"));
    }
    out.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pdf_has_a_valid_cross_reference_table() {
        let bytes = pdf(&["a (b) \\ 中".to_string()]);
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with("%PDF-1.4"));
        assert!(text.contains("(a \\(b\\) \\\\ ?) Tj"));
        let startxref: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|t| t.lines().next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        assert!(text[startxref..].starts_with("xref"));
        // Each listed offset points at its object.
        let first = text.find("1 0 obj").unwrap();
        assert!(text.contains(&format!("{first:010} 00000 n")));
    }
}
