//! Writing an archive package: a ZIP of the parts (the 案卷 PDF, the case
//! document, every media file) and `manifest.json`, each part hashed while
//! it is written, so the manifest says what the ZIP holds. Media are copied
//! from the media store without being held in memory, and a file whose bytes
//! no longer match its content address is refused.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use zhifa_core::archive::{FileKind, Manifest, ManifestFile, MANIFEST_NAME};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// Where a part's bytes come from.
pub enum Source {
    /// Bytes made for the package (PDF, document).
    Bytes(Vec<u8>),
    /// A media file, with the SHA-256 it is stored under.
    File {
        /// Its path in the media store.
        path: PathBuf,
        /// Its content address.
        sha256: String,
    },
}

/// One file of the package.
pub struct Part {
    /// Path inside the ZIP.
    pub name: String,
    /// What it is.
    pub kind: FileKind,
    /// Its bytes.
    pub source: Source,
}

/// The written package: its SHA-256 and size.
pub struct Written {
    /// SHA-256 of the ZIP.
    pub sha256: String,
    /// Size of the ZIP in bytes.
    pub size: u64,
}

/// Copies `from` into `to`, returning the SHA-256 and byte count.
fn copy_hashed(from: &mut dyn Read, to: &mut dyn Write) -> io::Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut n = 0u64;
    loop {
        let k = from.read(&mut buf)?;
        if k == 0 {
            break;
        }
        hasher.update(&buf[..k]);
        to.write_all(&buf[..k])?;
        n += k as u64;
    }
    Ok((hex::encode(hasher.finalize()), n))
}

fn zip_err(e: zip::result::ZipError) -> io::Error {
    io::Error::other(e.to_string())
}

/// Writes the package to `path` (through a temporary file and a rename):
/// every part, then the manifest `sign` makes from the parts' entries.
pub fn write(
    path: &Path,
    parts: Vec<Part>,
    sign: impl FnOnce(Vec<ManifestFile>) -> Manifest,
) -> io::Result<Written> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("zip.tmp");
    let result = write_to(&tmp, parts, sign);
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result?;
    std::fs::rename(&tmp, path)?;
    let mut f = File::open(path)?;
    let (sha256, size) = copy_hashed(&mut f, &mut io::sink())?;
    Ok(Written { sha256, size })
}

fn write_to(
    tmp: &Path,
    parts: Vec<Part>,
    sign: impl FnOnce(Vec<ManifestFile>) -> Manifest,
) -> io::Result<()> {
    let file = File::create(tmp)?;
    let mut zip = ZipWriter::new(BufWriter::new(file));
    let mut entries = Vec::new();
    for part in parts {
        let (mut reader, expected, len): (Box<dyn Read>, Option<String>, u64) = match part.source {
            Source::Bytes(b) => {
                let len = b.len() as u64;
                (Box::new(io::Cursor::new(b)), None, len)
            }
            Source::File { path, sha256 } => {
                let f = File::open(&path)?;
                let len = f.metadata()?.len();
                (Box::new(f), Some(sha256), len)
            }
        };
        // Media are compressed already; the document and PDF deflate well.
        let method = match part.kind {
            FileKind::Media => CompressionMethod::Stored,
            _ => CompressionMethod::Deflated,
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .large_file(len > u64::from(u32::MAX));
        zip.start_file(part.name.as_str(), options)
            .map_err(zip_err)?;
        let (sha256, size) = copy_hashed(&mut reader, &mut zip)?;
        if let Some(expected) = expected {
            if expected != sha256 {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("media file {expected} does not match its content address"),
                ));
            }
        }
        entries.push(ManifestFile {
            name: part.name,
            kind: part.kind,
            sha256,
            size,
        });
    }
    let manifest = sign(entries);
    zip.start_file(
        MANIFEST_NAME,
        SimpleFileOptions::default().compression_method(CompressionMethod::Deflated),
    )
    .map_err(zip_err)?;
    zip.write_all(&manifest.to_json())?;
    let out = zip.finish().map_err(zip_err)?;
    let file = out.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()
}

/// The extension of a media file in the package, by its MIME type.
pub fn extension(mime: &str) -> &'static str {
    match mime {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "video/mp4" => "mp4",
        "video/quicktime" => "mov",
        "audio/mp4" | "audio/m4a" | "audio/x-m4a" => "m4a",
        "audio/mpeg" => "mp3",
        "audio/aac" => "aac",
        "application/json" => "json",
        _ => "bin",
    }
}
