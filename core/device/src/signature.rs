//! Handwritten signatures: strokes (points with time and pressure) rendered
//! to a PNG with a small thick-line rasteriser.

use image::{GrayImage, Luma};
use serde::{Deserialize, Serialize};

use crate::error::{DeviceError, Result};

/// One sampled point of a stroke.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// X in canvas pixels.
    pub x: f32,
    /// Y in canvas pixels.
    pub y: f32,
    /// Milliseconds since the signature started.
    pub t: u32,
    /// Pressure 0.0–1.0 (1.0 when the screen does not report it).
    pub pressure: f32,
}

/// One pen-down … pen-up stroke.
pub type Stroke = Vec<Point>;

/// A signature as captured on the screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Strokes {
    /// Canvas width in pixels.
    pub width: u32,
    /// Canvas height in pixels.
    pub height: u32,
    /// The strokes in order.
    pub strokes: Vec<Stroke>,
}

/// Largest canvas side accepted.
const MAX_SIDE: u32 = 4096;
/// Most points accepted in one signature (a long signature has a few thousand).
pub const MAX_POINTS: usize = 50_000;
/// How far outside the canvas a point may lie, as a fraction of the canvas
/// side (a finger sliding off the pad); beyond that the data is bogus.
const OVERSHOOT: f32 = 0.5;

impl Strokes {
    /// Checks the capture: a sane canvas, at least one stroke with ink,
    /// finite coordinates.
    pub fn validate(&self) -> Result<()> {
        if self.width == 0 || self.height == 0 || self.width > MAX_SIDE || self.height > MAX_SIDE {
            return Err(DeviceError::Invalid("签名画布尺寸无效".into()));
        }
        let points: usize = self.strokes.iter().map(Vec::len).sum();
        if points < 2 {
            return Err(DeviceError::Invalid("签名为空, 请在签名区书写".into()));
        }
        if points > MAX_POINTS {
            return Err(DeviceError::Invalid(format!(
                "签名笔迹点数过多 ({points} 个, 最多 {MAX_POINTS} 个)"
            )));
        }
        let ok = self.strokes.iter().flatten().all(|p| {
            p.x.is_finite() && p.y.is_finite() && p.pressure.is_finite() && p.pressure >= 0.0
        });
        if !ok {
            return Err(DeviceError::Invalid("签名笔迹数据无效".into()));
        }
        let (w, h) = (self.width as f32, self.height as f32);
        let (mx, my) = (w * OVERSHOOT, h * OVERSHOOT);
        if let Some(p) = self
            .strokes
            .iter()
            .flatten()
            .find(|p| p.x < -mx || p.x > w + mx || p.y < -my || p.y > h + my)
        {
            return Err(DeviceError::Invalid(format!(
                "签名笔迹坐标 ({}, {}) 远超签名画布 {}×{}",
                p.x, p.y, self.width, self.height
            )));
        }
        Ok(())
    }

    /// Renders black ink on white, line width 1.5–5 px by pressure, as PNG.
    pub fn render_png(&self) -> Result<Vec<u8>> {
        self.validate()?;
        let mut img = GrayImage::from_pixel(self.width, self.height, Luma([255]));
        // Points slightly off the pad are drawn at its edge; this also bounds
        // every segment's length (and so the rasteriser's work) by the canvas.
        let (w, h) = (self.width as f32, self.height as f32);
        let clamp = |p: &Point| Point {
            x: p.x.clamp(0.0, w),
            y: p.y.clamp(0.0, h),
            ..*p
        };
        for stroke in &self.strokes {
            let stroke: Vec<Point> = stroke.iter().map(clamp).collect();
            if let [only] = stroke.as_slice() {
                disc(&mut img, only.x, only.y, radius(only.pressure));
            }
            for w in stroke.windows(2) {
                segment(&mut img, w[0], w[1]);
            }
        }
        let mut out = Vec::new();
        img.write_with_encoder(image::codecs::png::PngEncoder::new(&mut out))
            .map_err(|e| DeviceError::Io(format!("签名图片编码失败: {e}")))?;
        self.embed_in(out)
    }

    /// The PNG with these raw strokes inside, as a compressed text chunk
    /// (`zTXt`, keyword [`STROKES_CHUNK`]) after its header: the file the
    /// seal's signature names then carries the strokes themselves, so a
    /// printed document draws them as vector paths at any resolution
    /// (zhifa-docs) while screens keep showing the picture.
    fn embed_in(&self, png: Vec<u8>) -> Result<Vec<u8>> {
        use std::io::Write;
        // 8-byte signature + IHDR (4 length + 4 type + 13 data + 4 CRC).
        const AFTER_IHDR: usize = 33;
        if png.len() < AFTER_IHDR || &png[12..16] != b"IHDR" {
            return Err(DeviceError::Io("签名图片编码失败: 无 IHDR".into()));
        }
        let json = serde_json::to_vec(self)
            .map_err(|e| DeviceError::Io(format!("签名笔迹编码失败: {e}")))?;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(&json)
            .map_err(|e| DeviceError::Io(format!("签名笔迹压缩失败: {e}")))?;
        let packed = z
            .finish()
            .map_err(|e| DeviceError::Io(format!("签名笔迹压缩失败: {e}")))?;
        let mut chunk = b"zTXt".to_vec();
        chunk.extend_from_slice(STROKES_CHUNK.as_bytes());
        chunk.extend_from_slice(&[0, 0]); // keyword end, zlib method
        chunk.extend_from_slice(&packed);
        let mut crc = flate2::Crc::new();
        crc.update(&chunk);
        let mut out = Vec::with_capacity(png.len() + chunk.len() + 8);
        out.extend_from_slice(&png[..AFTER_IHDR]);
        let len = u32::try_from(chunk.len() - 4)
            .map_err(|_| DeviceError::Invalid("签名笔迹数据过大".into()))?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&chunk);
        out.extend_from_slice(&crc.sum().to_be_bytes());
        out.extend_from_slice(&png[AFTER_IHDR..]);
        Ok(out)
    }
}

/// Keyword of the PNG text chunk holding a signature's raw strokes (JSON).
pub const STROKES_CHUNK: &str = "zhifa-strokes";

fn radius(pressure: f32) -> f32 {
    0.75 + 1.75 * pressure.clamp(0.0, 1.0)
}

/// Stamps discs along the segment, interpolating the radius.
fn segment(img: &mut GrayImage, a: Point, b: Point) {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len = (dx * dx + dy * dy).sqrt();
    let steps = (len / 0.5).ceil().max(1.0) as u32;
    for i in 0..=steps {
        let t = i as f32 / steps as f32;
        let r = radius(a.pressure + (b.pressure - a.pressure) * t);
        disc(img, a.x + dx * t, a.y + dy * t, r);
    }
}

fn disc(img: &mut GrayImage, cx: f32, cy: f32, r: f32) {
    let (w, h) = (img.width() as i64, img.height() as i64);
    let (x0, x1) = ((cx - r).floor() as i64, (cx + r).ceil() as i64);
    let (y0, y1) = ((cy - r).floor() as i64, (cy + r).ceil() as i64);
    for y in y0.max(0)..=y1.min(h - 1) {
        for x in x0.max(0)..=x1.min(w - 1) {
            let (fx, fy) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
            if fx * fx + fy * fy <= r * r {
                img.put_pixel(x as u32, y as u32, Luma([0]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: f32, y: f32, t: u32) -> Point {
        Point {
            x,
            y,
            t,
            pressure: 0.5,
        }
    }

    #[test]
    fn renders_ink_where_the_pen_went() {
        let s = Strokes {
            width: 100,
            height: 40,
            strokes: vec![vec![p(10.0, 20.0, 0), p(90.0, 20.0, 200)]],
        };
        let png = s.render_png().expect("png");
        let img = image::load_from_memory(&png).expect("decode").to_luma8();
        assert_eq!(img.get_pixel(50, 20)[0], 0);
        assert_eq!(img.get_pixel(50, 5)[0], 255);
    }

    #[test]
    fn the_png_carries_the_raw_strokes_for_printing() {
        let s = Strokes {
            width: 100,
            height: 40,
            strokes: vec![vec![p(10.0, 20.0, 0), p(90.0, 20.0, 200)]],
        };
        let png = s.render_png().expect("png");
        let back = zhifa_docs::strokes::Strokes::parse(&png).expect("strokes inside the PNG");
        assert_eq!((back.width, back.height), (100, 40));
        assert_eq!(back.strokes[0][1].x, 90.0);
        assert_eq!(back.strokes[0][1].t, 200);
    }

    #[test]
    fn empty_or_bad_signatures_are_refused() {
        let empty = Strokes {
            width: 100,
            height: 40,
            strokes: vec![],
        };
        assert!(empty.render_png().is_err());
        let nan = Strokes {
            width: 100,
            height: 40,
            strokes: vec![vec![p(f32::NAN, 1.0, 0), p(2.0, 2.0, 1)]],
        };
        assert!(nan.render_png().is_err());
    }

    #[test]
    fn coordinates_far_off_the_canvas_are_refused_and_a_slight_overshoot_is_clamped() {
        let huge = Strokes {
            width: 100,
            height: 40,
            strokes: vec![vec![p(0.0, 0.0, 0), p(1e30, -1e30, 1)]],
        };
        let started = std::time::Instant::now();
        let e = huge.render_png().expect_err("far off");
        assert!(e.to_string().contains("远超签名画布"), "{e}");
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        let too_many = Strokes {
            width: 100,
            height: 40,
            strokes: vec![vec![p(1.0, 1.0, 0); MAX_POINTS + 1]],
        };
        assert!(too_many
            .render_png()
            .expect_err("too many")
            .to_string()
            .contains("点数过多"));
        // Off the right edge by 20 px: drawn up to the edge.
        let over = Strokes {
            width: 100,
            height: 40,
            strokes: vec![vec![p(50.0, 20.0, 0), p(120.0, 20.0, 100)]],
        };
        let img = image::load_from_memory(&over.render_png().expect("png"))
            .expect("decode")
            .to_luma8();
        assert_eq!(img.get_pixel(99, 20)[0], 0);
        assert_eq!(img.get_pixel(40, 20)[0], 255);
    }
}
