//! zhifa-docs: enforcement documents (执法文书) as PDF, without I/O.
//!
//! A sealed record prints as its official form ([`render_record`]): the
//! bureau's header, the title of its layout (`data/layouts.json`, see
//! [`layout`]), the case's parties and officers with their 执法证号, the
//! fields in the layout's order, the handwritten signatures drawn from their
//! raw strokes as vector paths, witnessed refusals, amendment notes,
//! "第 X 页 共 Y 页" and a QR code on every page naming the case, the record
//! and the seal digest ([`DocRef`]), which the public portal or
//! `zhifa case verify` checks ([`check`]). A whole case prints as its 案卷
//! ([`render_case_file`]). Font bytes and stroke files are passed in; the
//! crate reads no file.
#![warn(missing_docs)]

pub mod casefile;
pub mod check;
mod emit;
pub mod font;
pub mod layout;
mod page;
pub mod qr;
pub mod record;
pub mod strokes;

pub use casefile::render_case_file;
pub use check::{check, Verdict};
pub use font::DocFont;
pub use qr::DocRef;
pub use record::render_record;

use zhifa_core::doc::Case;

/// Why a document could not be made (messages in Chinese, for users).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DocsError {
    /// The font cannot set Chinese or cannot be read.
    #[error("{0}")]
    Font(String),
    /// The layout data is invalid.
    #[error("{0}")]
    Layout(String),
    /// The case has no record of that id.
    #[error("{0}")]
    NoRecord(String),
    /// The record is not sealed or its seal is broken.
    #[error("{0}")]
    Record(String),
    /// Writing the PDF failed.
    #[error("{0}")]
    Pdf(String),
}

/// Whether personal data prints in full or masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Privacy {
    /// As recorded: the paper served on the party, the officer's own print.
    Full,
    /// Identity numbers, phones and natural persons' addresses masked
    /// (`zhifa_core::mask`), for readers who see masked data only.
    Masked,
}

/// Everything a document is printed from, besides the font.
pub struct DocContext<'a> {
    /// The case as read from its document.
    pub case: &'a Case,
    /// The bureau's name printed as the header (e.g. 某某县档案局).
    pub bureau: &'a str,
    /// The bytes of a media file by its SHA-256 (hex), when at hand: used
    /// for the signature strokes files; a file whose bytes do not hash to
    /// the name is not drawn.
    pub media: &'a dyn Fn(&str) -> Option<Vec<u8>>,
    /// The portal's check page (e.g. `https://bureau.example/gs/doc`) the
    /// QR code points to; `None` prints the offline `zhifa-doc:` form.
    pub check_url: Option<&'a str>,
    /// Full or masked personal data.
    pub privacy: Privacy,
    /// Names of accounts that are not officers of the case (office staff),
    /// for the history in words.
    pub account_name: &'a dyn Fn(&str) -> Option<String>,
}

/// The bureau name to print when the caller has none: the unit of the
/// case's first officer, else the case's handling unit.
pub fn default_bureau(case: &Case) -> String {
    case.officers
        .iter()
        .map(|o| o.unit.trim())
        .find(|u| !u.is_empty())
        .unwrap_or(case.header.unit.as_str())
        .to_string()
}
