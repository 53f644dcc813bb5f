//! Basic structural checks of non-JPEG media before ingest, so a recording
//! cut short (app killed while the camera was writing, a partial copy) is
//! refused instead of being sealed into evidence.
//!
//! - ISO-BMFF (MP4, M4A, MOV, 3GP, HEIC/HEIF): the top-level boxes must chain
//!   exactly to the end of the file, and a movie or recording must have a
//!   `moov` (or fragmented `moof`) box, a HEIC/HEIF photo its `meta` box
//!   (which locates the image items).
//! - WAV: the RIFF size must not claim more bytes than the file holds.
//!
//! Only headers are read (a few bytes per top-level box), never the payload.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use crate::error::{DeviceError, Result};

/// Top-level boxes walked at most; real files have fewer than ten.
const MAX_BOXES: usize = 100_000;

/// True when the file is an ISO base media file by its `ftyp` magic or by
/// an extension that is always one.
pub fn is_isobmff(path: &Path, head: &[u8]) -> bool {
    if head.len() >= 8 && &head[4..8] == b"ftyp" {
        return true;
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        ext.as_str(),
        "mp4" | "m4v" | "m4a" | "mov" | "qt" | "3gp" | "heic" | "heif"
    )
}

/// Checks the container structure of `path` (sniffed as `mime`); files of
/// other types pass unchecked.
pub fn check(path: &Path, mime: &str, head: &[u8]) -> Result<()> {
    if is_isobmff(path, head) && zhifa_core::media::is_heif_type(mime) {
        check_boxes(path, &[b"meta"], "缺少 meta 图像信息数据块, 照片可能不完整")
    } else if is_isobmff(path, head) {
        check_isobmff(path)
    } else if mime == "audio/wav" {
        check_wav(path)
    } else {
        Ok(())
    }
}

fn open(path: &Path) -> Result<(File, u64)> {
    let f = File::open(path)
        .map_err(|e| DeviceError::Io(format!("无法读取文件 {}: {e}", path.display())))?;
    let len = f.metadata()?.len();
    Ok((f, len))
}

fn read_at(f: &mut File, at: u64, buf: &mut [u8]) -> Result<()> {
    f.seek(SeekFrom::Start(at))?;
    f.read_exact(buf)?;
    Ok(())
}

/// Walks the top-level boxes of an MP4/M4A/MOV file.
pub fn check_isobmff(path: &Path) -> Result<()> {
    check_boxes(
        path,
        &[b"moov", b"moof"],
        "缺少 moov 索引数据块, 录制可能未正常结束",
    )
}

/// Walks the top-level boxes of an ISO base media file: they must chain
/// exactly to the end of the file and one of `required` must be present
/// (else `missing`, in Chinese, is the error).
fn check_boxes(path: &Path, required: &[&[u8; 4]], missing: &str) -> Result<()> {
    let (mut f, len) = open(path)?;
    let corrupt = |what: String| DeviceError::MediaCorrupt(format!("{}: {what}", path.display()));
    let mut at = 0u64;
    let mut has_required = false;
    let mut boxes = 0usize;
    while at < len {
        boxes += 1;
        if boxes > MAX_BOXES {
            return Err(corrupt("文件结构异常 (顶层数据块过多)".into()));
        }
        if len - at < 8 {
            return Err(corrupt(format!(
                "文件在第 {at} 字节处被截断 (数据块头不完整), 录制可能未正常结束"
            )));
        }
        let mut h = [0u8; 8];
        read_at(&mut f, at, &mut h)?;
        let size32 = u32::from_be_bytes([h[0], h[1], h[2], h[3]]);
        let kind = [h[4], h[5], h[6], h[7]];
        let name = String::from_utf8_lossy(&kind).into_owned();
        if !kind.iter().all(|b| b.is_ascii_graphic() || *b == b' ') {
            return Err(corrupt(format!("第 {at} 字节处的数据块类型无效")));
        }
        let size = match size32 {
            // The box runs to the end of the file.
            0 => len - at,
            // A 64-bit size follows the type.
            1 => {
                if len - at < 16 {
                    return Err(corrupt(format!(
                        "文件在数据块 {name} 的头部被截断, 录制可能未正常结束"
                    )));
                }
                let mut big = [0u8; 8];
                read_at(&mut f, at + 8, &mut big)?;
                let s = u64::from_be_bytes(big);
                if s < 16 {
                    return Err(corrupt(format!("数据块 {name} 的长度 {s} 无效")));
                }
                s
            }
            s if s < 8 => return Err(corrupt(format!("数据块 {name} 的长度 {s} 无效"))),
            s => u64::from(s),
        };
        if size > len - at {
            return Err(corrupt(format!(
                "文件不完整: 数据块 {name} 应有 {size} 字节, 文件只剩 {} 字节, 录制可能未正常结束或复制中断",
                len - at
            )));
        }
        if required.contains(&&kind) {
            has_required = true;
        }
        at += size;
    }
    if !has_required {
        return Err(corrupt(format!("文件不完整: {missing}")));
    }
    Ok(())
}

/// Checks that a WAV file holds the bytes its RIFF header announces.
pub fn check_wav(path: &Path) -> Result<()> {
    let (mut f, len) = open(path)?;
    if len < 12 {
        return Err(DeviceError::MediaCorrupt(format!(
            "{}: WAV 文件头不完整",
            path.display()
        )));
    }
    let mut h = [0u8; 8];
    read_at(&mut f, 0, &mut h)?;
    let riff = u64::from(u32::from_le_bytes([h[4], h[5], h[6], h[7]]));
    if riff + 8 > len {
        return Err(DeviceError::MediaCorrupt(format!(
            "{}: 文件不完整: WAV 头部声明 {} 字节, 文件只有 {len} 字节, 录音可能未正常结束",
            path.display(),
            riff + 8
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxed(kind: &[u8; 4], payload: usize) -> Vec<u8> {
        let mut b = ((payload + 8) as u32).to_be_bytes().to_vec();
        b.extend_from_slice(kind);
        b.resize(payload + 8, 7);
        b
    }

    #[test]
    fn box_chains_are_checked_against_the_file_length() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("a.mp4");
        let mut whole = boxed(b"ftyp", 16);
        whole.extend(boxed(b"mdat", 1000));
        whole.extend(boxed(b"moov", 100));
        std::fs::write(&p, &whole).expect("w");
        check_isobmff(&p).expect("whole file");
        for cut in [whole.len() - 1, whole.len() - 100, 30, 5] {
            std::fs::write(&p, &whole[..cut]).expect("w");
            let e = check_isobmff(&p).expect_err("truncated");
            assert!(matches!(e, DeviceError::MediaCorrupt(_)), "{cut}: {e:?}");
            assert!(e.to_string().contains("不完整"), "{cut}: {e}");
        }
        // Without the movie box (recording stopped before it was written).
        std::fs::write(&p, &whole[..whole.len() - 108]).expect("w");
        assert!(check_isobmff(&p)
            .expect_err("no moov")
            .to_string()
            .contains("moov"));
        // A 64-bit size larger than the file.
        let mut big = boxed(b"ftyp", 16);
        big.extend_from_slice(&1u32.to_be_bytes());
        big.extend_from_slice(b"mdat");
        big.extend_from_slice(&u64::MAX.to_be_bytes());
        std::fs::write(&p, &big).expect("w");
        assert!(check_isobmff(&p).is_err());
    }

    #[test]
    fn a_wav_shorter_than_its_header_says_is_refused() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("a.wav");
        let mut w = b"RIFF".to_vec();
        w.extend_from_slice(&(36u32 + 100).to_le_bytes());
        w.extend_from_slice(b"WAVE");
        w.resize(144, 0);
        std::fs::write(&p, &w).expect("w");
        check_wav(&p).expect("whole");
        std::fs::write(&p, &w[..100]).expect("w");
        assert!(check_wav(&p)
            .expect_err("cut")
            .to_string()
            .contains("不完整"));
    }
}
