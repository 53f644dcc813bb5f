//! The demo cases' media: JPEG photos drawn here (a labelled scene each) and
//! one short H.264 MP4 fixture, stored exactly as an uploaded file is stored
//! (`<media>/ab/abcdef…`, one `media` row).

use std::path::Path;

use image::{ImageBuffer, Rgb, RgbImage};
use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult};
use crate::media::final_path;
use crate::state::AppState;
use crate::store::MediaRecord;

/// The 4-second 480×270 H.264 (Constrained Baseline) + AAC MP4 of a
/// storeroom walk-through, made once with ffmpeg (`+faststart`).
pub const INSPECTION_VIDEO: &[u8] = include_bytes!("inspection.mp4");

/// One media file ready to be referred to by a case.
#[derive(Debug, Clone)]
pub struct DemoFile {
    /// SHA-256 hex of `bytes`.
    pub sha256: String,
    /// MIME type.
    pub mime: &'static str,
    /// The file.
    pub bytes: Vec<u8>,
}

impl DemoFile {
    /// A file from its bytes.
    pub fn new(mime: &'static str, bytes: Vec<u8>) -> DemoFile {
        DemoFile {
            sha256: hex::encode(Sha256::digest(&bytes)),
            mime,
            bytes,
        }
    }

    /// Size in bytes.
    pub fn size(&self) -> u64 {
        self.bytes.len() as u64
    }
}

/// What a photo shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scene {
    /// A storeroom with shelves and a hygrometer reading too warm and damp.
    Hygrometer,
    /// A tall archive cabinet with boxes (portrait).
    Cabinet,
    /// A wall with a water stain above the shelves.
    DampWall,
    /// A transfer list on a desk (portrait).
    TransferList,
    /// A corridor with a fire extinguisher.
    Extinguisher,
}

/// The video fixture.
pub fn video() -> DemoFile {
    DemoFile::new("video/mp4", INSPECTION_VIDEO.to_vec())
}

/// A JPEG photo of `scene` labelled with `label` (digits, `-`, `:`, `.`,
/// `%`, `C`, `R`, `H`, `K`, `B` and spaces).
pub fn photo(scene: Scene, label: &str) -> AppResult<DemoFile> {
    let (w, h) = match scene {
        Scene::Cabinet | Scene::TransferList => (600, 800),
        _ => (800, 600),
    };
    let mut img: RgbImage = ImageBuffer::from_fn(w, h, |x, y| {
        // A soft vertical light gradient, warmer at the top.
        let t = (y * 40 / h) as u8;
        let s = ((x * 7 + y * 3) % 5) as u8;
        Rgb([222 - t + s, 216 - t + s, 200 - t])
    });
    let floor = h * 3 / 4;
    rect(&mut img, 0, floor, w, h - floor, [150, 140, 120]);
    match scene {
        Scene::Hygrometer => {
            shelves(&mut img, 40, 120, 420, floor - 120);
            rect(&mut img, 540, 160, 200, 130, [40, 44, 48]);
            rect(&mut img, 552, 172, 176, 106, [170, 200, 160]);
            text(&mut img, 562, 184, "29.5C", 5, [20, 30, 20]);
            text(&mut img, 562, 232, "78%RH", 5, [20, 30, 20]);
        }
        Scene::Cabinet => {
            rect(&mut img, 90, 60, 420, floor - 40, [92, 110, 128]);
            shelves(&mut img, 110, 80, 380, floor - 80);
        }
        Scene::DampWall => {
            for i in 0..90u32 {
                let r = 160 - i;
                rect(
                    &mut img,
                    300 + i,
                    40 + i / 2,
                    2 * r,
                    140 + i,
                    [120, 118, 96],
                );
            }
            shelves(&mut img, 60, 300, 680, floor - 300);
        }
        Scene::TransferList => {
            rect(&mut img, 0, 0, w, h, [120, 84, 52]);
            rect(&mut img, 80, 90, 440, 600, [246, 244, 236]);
            for row in 0..14u32 {
                rect(&mut img, 110, 150 + row * 38, 380, 3, [90, 90, 110]);
                rect(
                    &mut img,
                    110,
                    150 + row * 38 - 18,
                    40 + (row * 53) % 200,
                    8,
                    [60, 60, 80],
                );
            }
        }
        Scene::Extinguisher => {
            rect(&mut img, 0, 0, 220, floor, [180, 176, 168]);
            rect(&mut img, 560, 0, 240, floor, [180, 176, 168]);
            rect(&mut img, 620, floor - 170, 56, 150, [200, 30, 30]);
            rect(&mut img, 636, floor - 196, 24, 30, [30, 30, 30]);
        }
    }
    // The caption bar: date and place code, as a camera app stamps it.
    rect(&mut img, 0, h - 44, w, 44, [20, 20, 20]);
    text(&mut img, 12, h - 36, label, 4, [250, 210, 60]);
    let mut out = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80);
    img.write_with_encoder(enc).map_err(AppError::internal)?;
    Ok(DemoFile::new("image/jpeg", out))
}

fn rect(img: &mut RgbImage, x: u32, y: u32, w: u32, h: u32, c: [u8; 3]) {
    let (iw, ih) = img.dimensions();
    for yy in y.min(ih)..(y + h).min(ih) {
        for xx in x.min(iw)..(x + w).min(iw) {
            img.put_pixel(xx, yy, Rgb(c));
        }
    }
}

/// Shelves with rows of archive boxes in a few colours.
fn shelves(img: &mut RgbImage, x: u32, y: u32, w: u32, h: u32) {
    let rows = 4;
    let rh = h / rows;
    for r in 0..rows {
        let top = y + r * rh;
        rect(img, x, top + rh - 8, w, 8, [96, 96, 100]);
        let mut bx = x + 6;
        let mut i = r;
        while bx + 34 < x + w {
            let c = [
                [186, 150, 96],
                [170, 136, 84],
                [200, 170, 110],
                [140, 120, 90],
            ][(i % 4) as usize];
            rect(
                img,
                bx,
                top + 14 + (i % 3) * 4,
                30,
                rh - 24 - (i % 3) * 4,
                c,
            );
            rect(img, bx + 8, top + 30, 14, 10, [240, 236, 220]);
            bx += 36;
            i += 1;
        }
    }
    rect(img, x, y, 6, h, [96, 96, 100]);
    rect(img, x + w - 6, y, 6, h, [96, 96, 100]);
}

/// A 5×7 pixel glyph, one byte per row (low 5 bits, MSB left).
fn glyph(c: char) -> [u8; 7] {
    match c {
        '0' => [14, 17, 19, 21, 25, 17, 14],
        '1' => [4, 12, 4, 4, 4, 4, 14],
        '2' => [14, 17, 1, 2, 4, 8, 31],
        '3' => [31, 2, 4, 2, 1, 17, 14],
        '4' => [2, 6, 10, 18, 31, 2, 2],
        '5' => [31, 16, 30, 1, 1, 17, 14],
        '6' => [6, 8, 16, 30, 17, 17, 14],
        '7' => [31, 1, 2, 4, 8, 8, 8],
        '8' => [14, 17, 17, 14, 17, 17, 14],
        '9' => [14, 17, 17, 15, 1, 2, 12],
        '-' => [0, 0, 0, 31, 0, 0, 0],
        ':' => [0, 12, 12, 0, 12, 12, 0],
        '.' => [0, 0, 0, 0, 0, 12, 12],
        '%' => [24, 25, 2, 4, 8, 19, 3],
        'C' => [14, 17, 16, 16, 16, 17, 14],
        'R' => [30, 17, 17, 30, 20, 18, 17],
        'H' => [17, 17, 17, 31, 17, 17, 17],
        'K' => [17, 18, 20, 24, 20, 18, 17],
        'B' => [30, 17, 17, 30, 17, 17, 30],
        _ => [0; 7],
    }
}

fn text(img: &mut RgbImage, x: u32, y: u32, s: &str, scale: u32, c: [u8; 3]) {
    for (i, ch) in s.chars().enumerate() {
        let g = glyph(ch);
        let gx = x + i as u32 * 6 * scale;
        for (row, bits) in g.iter().enumerate() {
            for col in 0..5u32 {
                if bits & (1 << (4 - col)) != 0 {
                    rect(
                        img,
                        gx + col * scale,
                        y + row as u32 * scale,
                        scale,
                        scale,
                        c,
                    );
                }
            }
        }
    }
}

/// Writes `file` where an upload would end (`<media>/ab/abcdef…`, through a
/// temporary name) and records it, uploaded by `account_id`. Idempotent.
pub async fn store(state: &AppState, file: &DemoFile, account_id: &str) -> AppResult<()> {
    let media = state.config().media_path();
    write_file(&media, file).await?;
    let rec = MediaRecord {
        sha256: file.sha256.clone(),
        size: file.size(),
        uploaded_by: account_id.into(),
        uploaded_at: crate::accounts::now(),
    };
    state.db(move |s| s.insert_media(&rec)).await
}

async fn write_file(media: &Path, file: &DemoFile) -> AppResult<()> {
    let path = final_path(media, &file.sha256);
    if tokio::fs::try_exists(&path).await? {
        return Ok(());
    }
    let dir = path
        .parent()
        .ok_or_else(|| AppError::internal("media path has no folder"))?;
    tokio::fs::create_dir_all(dir).await?;
    let tmp = media.join("partial").join(format!("{}.demo", file.sha256));
    tokio::fs::create_dir_all(media.join("partial")).await?;
    tokio::fs::write(&tmp, &file.bytes).await?;
    crate::fsperm::private_file(&tmp)?;
    tokio::fs::rename(&tmp, &path).await?;
    Ok(())
}
