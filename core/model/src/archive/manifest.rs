//! `manifest.json` of an archive package: every file with its SHA-256 and
//! size, the case, when and by whom it was filed, the retention period, and
//! the server's Ed25519 signature over the canonical JSON of all of that.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::canonical::to_canonical;
use crate::seal::{verify_hex, DeviceKey};

/// Format tag of this manifest version.
pub const FORMAT: &str = "zhifa-archive/1";
/// Domain-separation prefix of the signed message.
const SIG_DOMAIN: &str = "zhifa-archive-manifest-v1\n";

/// What a file in the package is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// The rendered 案卷 (PDF).
    CaseFile,
    /// The case's Automerge document.
    Document,
    /// A photo, recording or signature image of the case.
    Media,
}

/// One file of the package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    /// Path inside the ZIP.
    pub name: String,
    /// What the file is.
    pub kind: FileKind,
    /// SHA-256, 64 lowercase hex characters.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
}

impl ManifestFile {
    /// The entry for `bytes` stored under `name`.
    pub fn of(name: &str, kind: FileKind, bytes: &[u8]) -> Self {
        ManifestFile {
            name: name.to_string(),
            kind,
            sha256: hex::encode(Sha256::digest(bytes)),
            size: bytes.len() as u64,
        }
    }
}

/// The archivist who filed the case ((二) 第二十三条: a named person).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Archivist {
    /// Account id.
    pub account_id: String,
    /// Name.
    pub name: String,
}

/// The retention period recorded with the package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionNote {
    /// Years to keep; `None` is 永久.
    pub years: Option<u32>,
    /// `永久`, `30年`, `10年`.
    pub label: String,
    /// The rule it follows.
    pub basis: String,
    /// First day the package may be appraised for disposal (`YYYY-MM-DD`), if not 永久.
    pub dispose_from: Option<String>,
}

/// The manifest of one archive package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: String,
    /// Case id.
    pub case_id: String,
    /// Case number: the decision's 文号 when there is one, else the case id.
    pub case_number: String,
    /// Case title.
    pub case_title: String,
    /// Case kind (wire name: `inspection`, `penalty`).
    pub case_kind: String,
    /// When it was filed (RFC 3339, +08:00).
    pub archived_at: String,
    /// Who filed it.
    pub archivist: Archivist,
    /// How long it is kept.
    pub retention: RetentionNote,
    /// Every file of the package except the manifest itself.
    pub files: Vec<ManifestFile>,
    /// The signing key: the server's Ed25519 public key, 64 hex characters.
    pub key_id: String,
    /// Ed25519 signature over [`Manifest::signing_message`], 128 hex characters.
    pub signature: String,
}

impl Manifest {
    /// The bytes the signature covers: a domain prefix and the RFC 8785
    /// canonical JSON of the manifest without its `signature`.
    pub fn signing_message(&self) -> Vec<u8> {
        let mut value = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
        if let Some(obj) = value.as_object_mut() {
            obj.remove("signature");
        }
        let mut out = SIG_DOMAIN.as_bytes().to_vec();
        out.extend_from_slice(to_canonical(&value).as_bytes());
        out
    }

    /// Sets `key_id` to `key`'s public half and signs.
    pub fn sign(&mut self, key: &DeviceKey) {
        self.key_id = key.public_hex();
        self.signature = key.sign_hex(&self.signing_message());
    }

    /// Whether the signature is `key_id`'s over this content.
    pub fn signature_valid(&self) -> bool {
        verify_hex(&self.key_id, &self.signing_message(), &self.signature).is_ok()
    }

    /// The manifest as stored in the package (pretty JSON).
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> Manifest {
        Manifest {
            format: FORMAT.into(),
            case_id: "c1".into(),
            case_number: "康档罚决〔2026〕1号".into(),
            case_title: "某档案馆档案安全检查".into(),
            case_kind: "penalty".into(),
            archived_at: "2026-12-04T10:00:00+08:00".into(),
            archivist: Archivist {
                account_id: "a1".into(),
                name: "吴芳".into(),
            },
            retention: RetentionNote {
                years: Some(30),
                label: "30年".into(),
                basis: "b".into(),
                dispose_from: Some("2056-12-04".into()),
            },
            files: vec![ManifestFile::of("case.automerge", FileKind::Document, b"x")],
            key_id: String::new(),
            signature: String::new(),
        }
    }

    #[test]
    fn a_signed_manifest_verifies_and_any_change_breaks_it() {
        let key = DeviceKey::from_secret([7; 32]);
        let mut m = sample();
        m.sign(&key);
        assert_eq!(m.key_id, key.public_hex());
        assert!(m.signature_valid());
        let parsed: Manifest = serde_json::from_slice(&m.to_json()).unwrap();
        assert!(parsed.signature_valid());
        let mut changed = m.clone();
        changed.files[0].size = 2;
        assert!(!changed.signature_valid());
        let mut other = m.clone();
        other.archivist.name = "别人".into();
        assert!(!other.signature_valid());
    }

    #[test]
    fn file_entries_hash_their_bytes() {
        let f = ManifestFile::of("a", FileKind::Media, b"abc");
        assert_eq!(
            f.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(f.size, 3);
    }
}
