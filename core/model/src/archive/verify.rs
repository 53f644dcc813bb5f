//! Offline verification of an archive package given its files by name:
//! the manifest's signature by a trusted key, every file's SHA-256 and size,
//! no file missing or added, the Automerge document loads, is the manifest's
//! case, and every seal in it verifies.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use super::manifest::{FileKind, Manifest, FORMAT};
use super::{DOCUMENT_NAME, MANIFEST_NAME};
use crate::doc::CaseDoc;

/// Why a package is not whole; the message names the bad file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageError {
    /// No `manifest.json`.
    ManifestMissing,
    /// `manifest.json` is not a manifest of this format.
    ManifestInvalid(String),
    /// Signed by a key that is not the trusted one.
    UntrustedKey {
        /// The key that signed.
        key_id: String,
    },
    /// The signature does not match the manifest's content.
    SignatureInvalid {
        /// The key it claims.
        key_id: String,
    },
    /// A listed file is not in the package.
    Missing(String),
    /// A file in the package is not listed.
    Extra(String),
    /// A file's size differs from the manifest.
    SizeMismatch {
        /// File name.
        name: String,
        /// Listed size.
        expected: u64,
        /// Actual size.
        actual: u64,
    },
    /// A file's SHA-256 differs from the manifest.
    DigestMismatch(String),
    /// The case document does not load or is another case.
    DocumentInvalid(String),
    /// Seals in the case document fail: `(record id, problems)`.
    SealsBroken(Vec<(String, Vec<String>)>),
}

impl PackageError {
    /// Machine code for `--json`.
    pub fn code(&self) -> &'static str {
        match self {
            PackageError::ManifestMissing => "manifest_missing",
            PackageError::ManifestInvalid(_) => "manifest_invalid",
            PackageError::UntrustedKey { .. } => "untrusted_key",
            PackageError::SignatureInvalid { .. } => "signature_invalid",
            PackageError::Missing(_) => "file_missing",
            PackageError::Extra(_) => "file_extra",
            PackageError::SizeMismatch { .. } => "size_mismatch",
            PackageError::DigestMismatch(_) => "digest_mismatch",
            PackageError::DocumentInvalid(_) => "document_invalid",
            PackageError::SealsBroken(_) => "seal_broken",
        }
    }

    /// The file at fault, if one is.
    pub fn file(&self) -> Option<&str> {
        match self {
            PackageError::ManifestMissing
            | PackageError::ManifestInvalid(_)
            | PackageError::UntrustedKey { .. }
            | PackageError::SignatureInvalid { .. } => Some(MANIFEST_NAME),
            PackageError::Missing(n)
            | PackageError::Extra(n)
            | PackageError::DigestMismatch(n)
            | PackageError::SizeMismatch { name: n, .. } => Some(n),
            PackageError::DocumentInvalid(_) | PackageError::SealsBroken(_) => Some(DOCUMENT_NAME),
        }
    }
}

impl std::fmt::Display for PackageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PackageError::ManifestMissing => write!(f, "归档包中没有 {MANIFEST_NAME}"),
            PackageError::ManifestInvalid(why) => {
                write!(f, "{MANIFEST_NAME} 格式错误: {why}")
            }
            PackageError::UntrustedKey { key_id } => write!(
                f,
                "{MANIFEST_NAME} 由公钥 {key_id} 签名, 不是所信任的服务器公钥 (可用 --key 指定)"
            ),
            PackageError::SignatureInvalid { key_id } => write!(
                f,
                "{MANIFEST_NAME} 签名无效: 内容与公钥 {key_id} 的签名不符, 清单已被改动"
            ),
            PackageError::Missing(n) => write!(f, "清单列出的文件 {n} 不在归档包中"),
            PackageError::Extra(n) => write!(f, "文件 {n} 不在清单中 (归档包被加入了文件)"),
            PackageError::SizeMismatch {
                name,
                expected,
                actual,
            } => write!(
                f,
                "文件 {name} 大小为 {actual} 字节, 清单记载为 {expected} 字节"
            ),
            PackageError::DigestMismatch(n) => {
                write!(f, "文件 {n} 的 SHA-256 与清单不符, 文件已被改动")
            }
            PackageError::DocumentInvalid(why) => {
                write!(f, "案件文档 {DOCUMENT_NAME} 无效: {why}")
            }
            PackageError::SealsBroken(list) => {
                let parts: Vec<String> = list
                    .iter()
                    .map(|(id, p)| format!("文书 {id}: {}", p.join("; ")))
                    .collect();
                write!(
                    f,
                    "案件文档 {DOCUMENT_NAME} 中的封存校验未通过: {}",
                    parts.join("; ")
                )
            }
        }
    }
}

impl std::error::Error for PackageError {}

/// What a whole package holds.
#[derive(Debug, Clone)]
pub struct PackageReport {
    /// The verified manifest.
    pub manifest: Manifest,
    /// Sealed records whose seals verified.
    pub sealed_records: usize,
}

/// Verifies a package given as `files` (name → bytes, the manifest among
/// them) against the `trusted` server public keys (hex).
pub fn verify_package(
    files: &BTreeMap<String, Vec<u8>>,
    trusted: &[String],
) -> Result<PackageReport, PackageError> {
    let raw = files
        .get(MANIFEST_NAME)
        .ok_or(PackageError::ManifestMissing)?;
    let manifest: Manifest =
        serde_json::from_slice(raw).map_err(|e| PackageError::ManifestInvalid(format!("{e}")))?;
    if manifest.format != FORMAT {
        return Err(PackageError::ManifestInvalid(format!(
            "不支持的格式 {}",
            manifest.format
        )));
    }
    if !manifest.signature_valid() {
        return Err(PackageError::SignatureInvalid {
            key_id: manifest.key_id.clone(),
        });
    }
    if !trusted
        .iter()
        .any(|k| k.trim().eq_ignore_ascii_case(&manifest.key_id))
    {
        return Err(PackageError::UntrustedKey {
            key_id: manifest.key_id.clone(),
        });
    }
    for f in &manifest.files {
        let bytes = files
            .get(&f.name)
            .ok_or_else(|| PackageError::Missing(f.name.clone()))?;
        if bytes.len() as u64 != f.size {
            return Err(PackageError::SizeMismatch {
                name: f.name.clone(),
                expected: f.size,
                actual: bytes.len() as u64,
            });
        }
        if hex::encode(Sha256::digest(bytes)) != f.sha256.to_ascii_lowercase() {
            return Err(PackageError::DigestMismatch(f.name.clone()));
        }
    }
    if let Some(extra) = files
        .keys()
        .find(|n| *n != MANIFEST_NAME && !manifest.files.iter().any(|f| &f.name == *n))
    {
        return Err(PackageError::Extra(extra.clone()));
    }
    let document = manifest
        .files
        .iter()
        .find(|f| f.kind == FileKind::Document)
        .and_then(|f| files.get(&f.name))
        .ok_or_else(|| PackageError::Missing(DOCUMENT_NAME.into()))?;
    let doc = CaseDoc::load(document, b"zhifa-archive-verify")
        .map_err(|e| PackageError::DocumentInvalid(e.to_string()))?;
    let case = doc
        .case()
        .map_err(|e| PackageError::DocumentInvalid(e.to_string()))?;
    if case.header.id != manifest.case_id {
        return Err(PackageError::DocumentInvalid(format!(
            "文档是案件 {}, 清单记载为 {}",
            case.header.id, manifest.case_id
        )));
    }
    let broken = doc
        .verify_seals()
        .map_err(|e| PackageError::DocumentInvalid(e.to_string()))?;
    if !broken.is_empty() {
        return Err(PackageError::SealsBroken(broken));
    }
    let sealed_records = case.records.iter().filter(|r| r.seal.is_some()).count();
    Ok(PackageReport {
        manifest,
        sealed_records,
    })
}
