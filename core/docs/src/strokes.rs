//! Handwritten signatures from their raw strokes (the media file a
//! signature's `strokes` hash names): drawn as vector pen paths, each
//! segment as wide as the pen pressed, at whatever resolution the page is
//! printed.

use serde::Deserialize;

use crate::page::Op;

/// One sampled point: canvas pixels, milliseconds, pressure 0–1.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct StrokePoint {
    /// X in canvas pixels.
    pub x: f32,
    /// Y in canvas pixels.
    pub y: f32,
    /// Milliseconds since the signature started.
    #[serde(default)]
    pub t: u32,
    /// Pressure 0.0–1.0 (1.0 when the screen does not report it).
    #[serde(default = "full")]
    pub pressure: f32,
}

fn full() -> f32 {
    1.0
}

/// A signature as captured: the canvas and its strokes (the JSON form the
/// devices store, `zhifa_device::signature::Strokes`).
#[derive(Debug, Clone, Deserialize)]
pub struct Strokes {
    /// Canvas width in pixels.
    pub width: u32,
    /// Canvas height in pixels.
    pub height: u32,
    /// Pen-down … pen-up strokes.
    pub strokes: Vec<Vec<StrokePoint>>,
}

impl Strokes {
    /// Parses a signature file: the strokes JSON itself, or the signature
    /// PNG the devices store, whose `zTXt` chunk [`STROKES_CHUNK`] holds
    /// that JSON. `None` when it is not a usable capture (bad JSON, a PNG
    /// without strokes, empty canvas, non-finite points).
    pub fn parse(bytes: &[u8]) -> Option<Strokes> {
        let json;
        let bytes = if bytes.starts_with(PNG_SIGNATURE) {
            json = png_strokes(bytes)?;
            json.as_slice()
        } else {
            bytes
        };
        let s: Strokes = serde_json::from_slice(bytes).ok()?;
        let finite = s
            .strokes
            .iter()
            .flatten()
            .all(|p| p.x.is_finite() && p.y.is_finite() && p.pressure.is_finite());
        (s.width > 0 && s.height > 0 && finite && s.strokes.iter().any(|k| !k.is_empty()))
            .then_some(s)
    }

    /// The pen paths of this signature fitted into the box (x, y, w, h),
    /// keeping its proportions: one path per segment, its width following
    /// the pressure of its two ends (0.5 pt light … 2.2 pt firm).
    pub(crate) fn ops(&self, x: f32, y: f32, w: f32, h: f32) -> Vec<Op> {
        let scale = (w / self.width as f32).min(h / self.height as f32);
        let ox = x + (w - self.width as f32 * scale) / 2.0;
        let oy = y + (h - self.height as f32 * scale) / 2.0;
        let at = |p: &StrokePoint| (ox + p.x * scale, oy + p.y * scale);
        let width = |p: f32| 0.5 + 1.7 * p.clamp(0.0, 1.0);
        let mut ops = Vec::new();
        for stroke in &self.strokes {
            match stroke.as_slice() {
                [] => {}
                [p] => ops.push(Op::Pen {
                    points: vec![at(p)],
                    width: width(p.pressure),
                }),
                pts => {
                    for seg in pts.windows(2) {
                        ops.push(Op::Pen {
                            points: vec![at(&seg[0]), at(&seg[1])],
                            width: width((seg[0].pressure + seg[1].pressure) / 2.0),
                        });
                    }
                }
            }
        }
        ops
    }
}

/// Keyword of the PNG text chunk holding the raw strokes (the devices'
/// `zhifa_device::signature::STROKES_CHUNK`).
pub const STROKES_CHUNK: &str = "zhifa-strokes";
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
/// Largest inflated strokes JSON accepted (50,000 points fit easily).
const MAX_JSON: u64 = 8 * 1024 * 1024;

/// The inflated text of the PNG's strokes chunk, if it has one.
fn png_strokes(png: &[u8]) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut at = PNG_SIGNATURE.len();
    while at + 8 <= png.len() {
        let len = u32::from_be_bytes(png[at..at + 4].try_into().ok()?) as usize;
        let kind = &png[at + 4..at + 8];
        let data = png.get(at + 8..at + 8 + len)?;
        if kind == b"zTXt" {
            let key_end = data.iter().position(|b| *b == 0)?;
            if &data[..key_end] == STROKES_CHUNK.as_bytes() && data.get(key_end + 1) == Some(&0) {
                let mut out = Vec::new();
                flate2::read::ZlibDecoder::new(&data[key_end + 2..])
                    .take(MAX_JSON)
                    .read_to_end(&mut out)
                    .ok()?;
                return Some(out);
            }
        }
        if kind == b"IDAT" || kind == b"IEND" {
            return None;
        }
        at += 12 + len;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pressure_sets_the_width_and_the_box_holds_the_strokes() {
        let s = Strokes::parse(
            br#"{"width":200,"height":100,"strokes":[[{"x":0,"y":0,"t":0,"pressure":0.0},{"x":200,"y":100,"t":5,"pressure":0.0},{"x":100,"y":50,"t":9,"pressure":1.0}]]}"#,
        )
        .expect("valid strokes");
        let ops = s.ops(10.0, 10.0, 100.0, 50.0);
        let widths: Vec<f32> = ops
            .iter()
            .map(|o| match o {
                Op::Pen { width, points } => {
                    assert!(points
                        .iter()
                        .all(|p| p.0 >= 10.0 && p.0 <= 110.0 && p.1 >= 10.0 && p.1 <= 60.0));
                    *width
                }
                _ => panic!("only pen paths"),
            })
            .collect();
        assert_eq!(widths.len(), 2);
        assert!(
            widths[1] > widths[0],
            "firmer pressure draws wider: {widths:?}"
        );
    }

    #[test]
    fn bogus_strokes_are_refused() {
        assert!(Strokes::parse(b"not json").is_none());
        assert!(
            Strokes::parse(br#"{"width":0,"height":10,"strokes":[[{"x":1,"y":1}]]}"#).is_none()
        );
        assert!(Strokes::parse(br#"{"width":10,"height":10,"strokes":[]}"#).is_none());
    }
}
