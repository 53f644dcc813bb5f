//! The type of a media file by its content (the `infer` crate's magic
//! numbers), named in the MIME vocabulary of `zhifa_core::media`; the file
//! name's extension is only a fallback for content no signature knows.
//!
//! ISO base media files (MP4, M4A, MOV, HEIC/HEIF) all start with an `ftyp`
//! box; what they hold is told by its brands. `infer` tells a QuickTime
//! movie (`qt  `, iPhone `.mov`) from MP4 and names HEIF still images
//! `image/heif`; the brands then tell HEIC (`heic`, `heix`, `hevc`, ...:
//! the iPhone camera's photos) from other HEIF.

use std::path::Path;

/// Bytes from the start of a file enough to tell its type: an `ftyp` box
/// with its compatible brands (an iPhone HEIC's is 44 bytes).
pub const HEAD_LEN: usize = 256;

/// Brands of HEVC-coded HEIF (HEIC) images and image sequences.
const HEIC_BRANDS: &[&[u8; 4]] = &[b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"];

/// Brands of HEIF images of other codings (and the generic structural ones).
const HEIF_BRANDS: &[&[u8; 4]] = &[b"mif1", b"msf1", b"mif2", b"heif"];

/// The MIME type of a file by its first bytes (`head`, up to [`HEAD_LEN`]),
/// else by its extension, else `application/octet-stream`.
pub fn sniff_mime(path: &Path, head: &[u8]) -> String {
    by_content(head)
        .or_else(|| by_extension(path))
        .unwrap_or("application/octet-stream")
        .to_string()
}

/// The type by content, in zhifa's vocabulary: `infer`'s answer, refined
/// by the `ftyp` brands for HEIF; an ISO base media file `infer` does not
/// name is told by its brands.
fn by_content(head: &[u8]) -> Option<&'static str> {
    let brands = ftyp_brands(head).unwrap_or_default();
    let has = |set: &[&[u8; 4]]| brands.iter().any(|b| set.contains(&b));
    if let Some(found) = infer::get(head) {
        return Some(match found.mime_type() {
            // infer names every HEIF still image `image/heif`.
            "image/heif" if has(HEIC_BRANDS) => "image/heic",
            "audio/x-wav" => "audio/wav",
            "audio/m4a" => "audio/mp4",
            "video/x-m4v" => "video/mp4",
            other => other,
        });
    }
    if brands.is_empty() {
        return None;
    }
    // An ISO base media file infer does not name: HEIF by its brands (with
    // no movie brand), else a movie or recording as before (MP4, 3GP, ...).
    let movie = brands.iter().any(|b| MOVIE_BRANDS.contains(&b));
    Some(if !movie && has(HEIC_BRANDS) {
        "image/heic"
    } else if !movie && has(HEIF_BRANDS) {
        "image/heif"
    } else if &brands[0] == b"qt  " {
        "video/quicktime"
    } else if brands[0].starts_with(b"M4A") {
        "audio/mp4"
    } else {
        "video/mp4"
    })
}

/// Brands of movies and recordings (never of a still image).
const MOVIE_BRANDS: &[&[u8; 4]] = &[
    b"qt  ", b"isom", b"iso2", b"mp41", b"mp42", b"avc1", b"M4V ", b"M4A ", b"3gp4", b"3gp5",
    b"3gp6",
];

/// The major and compatible brands of a leading `ftyp` box.
fn ftyp_brands(head: &[u8]) -> Option<Vec<[u8; 4]>> {
    if head.len() < 16 || &head[4..8] != b"ftyp" {
        return None;
    }
    let size = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
    let end = size.clamp(16, head.len());
    let mut brands: Vec<[u8; 4]> = vec![[head[8], head[9], head[10], head[11]]];
    // Skip the minor version (12..16); compatible brands follow.
    brands.extend(
        head[16..end]
            .chunks_exact(4)
            .map(|c| [c[0], c[1], c[2], c[3]]),
    );
    Some(brands)
}

/// The type by the file name's extension (content no signature knows).
fn by_extension(path: &Path) -> Option<&'static str> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    Some(match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "heic" => "image/heic",
        "heif" => "image/heif",
        "mp4" | "m4v" => "video/mp4",
        "mov" | "qt" => "video/quicktime",
        "m4a" => "audio/mp4",
        "aac" => "audio/aac",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "amr" => "audio/amr",
        "pdf" => "application/pdf",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ftyp(major: &[u8; 4], compatible: &[&[u8; 4]]) -> Vec<u8> {
        let mut b = ((16 + 4 * compatible.len()) as u32).to_be_bytes().to_vec();
        b.extend_from_slice(b"ftyp");
        b.extend_from_slice(major);
        b.extend_from_slice(&[0, 0, 0, 0]);
        for c in compatible {
            b.extend_from_slice(*c);
        }
        b.extend_from_slice(&[0, 0, 0, 8, b'f', b'r', b'e', b'e']);
        b
    }

    fn sniff(name: &str, head: &[u8]) -> String {
        sniff_mime(Path::new(name), head)
    }

    #[test]
    fn iso_media_is_told_by_its_brands() {
        // iPhone HEIC (major heic), HEIC declared through mif1, other HEIF.
        let iphone = ftyp(b"heic", &[b"mif1", b"MiHE", b"miaf", b"heic"]);
        assert_eq!(sniff("x.jpg", &iphone), "image/heic");
        assert_eq!(
            sniff("x", &ftyp(b"mif1", &[b"mif1", b"heic"])),
            "image/heic"
        );
        assert_eq!(
            sniff("x", &ftyp(b"mif1", &[b"mif1", b"miaf"])),
            "image/heif"
        );
        assert_eq!(
            sniff("x", &ftyp(b"msf1", &[b"msf1", b"hevc"])),
            "image/heic"
        );
        // QuickTime and MP4 movies, M4A recordings, 3GP.
        assert_eq!(
            sniff("x.mp4", &ftyp(b"qt  ", &[b"qt  "])),
            "video/quicktime"
        );
        assert_eq!(
            sniff("x.mov", &ftyp(b"isom", &[b"isom", b"iso2"])),
            "video/mp4"
        );
        assert_eq!(sniff("x.mov", &ftyp(b"mp42", &[b"isom"])), "video/mp4");
        assert_eq!(sniff("x", &ftyp(b"M4A ", &[b"M4A ", b"isom"])), "audio/mp4");
        assert_eq!(sniff("x", &ftyp(b"3gp4", &[b"3gp4"])), "video/mp4");
        // A movie that lists an image brand too stays a movie.
        assert_eq!(
            sniff("x", &ftyp(b"qt  ", &[b"qt  ", b"mif1"])),
            "video/quicktime"
        );
    }

    #[test]
    fn other_content_and_the_extension_fallback() {
        assert_eq!(
            sniff("a.png", &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]),
            "image/jpeg"
        );
        assert_eq!(sniff("a.jpg", b"\x89PNG\r\n\x1a\n\0\0"), "image/png");
        let wav = b"RIFF\x24\0\0\0WAVEfmt ";
        assert_eq!(sniff("a", wav), "audio/wav");
        assert_eq!(sniff("a", b"ID3\x03\0\0\0\0\0\0"), "audio/mpeg");
        assert_eq!(sniff("a", b"%PDF-1.7\n"), "application/pdf");
        // Unknown bytes: the name decides, else octet-stream.
        assert_eq!(sniff("IMG_1.HEIC", b"????"), "image/heic");
        assert_eq!(sniff("clip.MOV", b"\0\0\0\x08wide"), "video/quicktime");
        assert_eq!(sniff("x.dat", b"????"), "application/octet-stream");
    }
}
