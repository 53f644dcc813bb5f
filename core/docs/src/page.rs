//! Pages as a display list: what to draw where (A4, points, origin top
//! left), laid out before any PDF is written so page totals ("共 Y 页") and a
//! table of contents know the page count.

use crate::font::Metrics;

/// A4 width in points.
pub const PAGE_W: f32 = 595.0;
/// A4 height in points.
pub const PAGE_H: f32 = 842.0;
/// Left and right margin.
pub const MARGIN_X: f32 = 56.0;
/// Top margin.
pub const MARGIN_TOP: f32 = 56.0;
/// Space kept free at the bottom for the footer (page number, QR code).
pub const FOOTER_H: f32 = 96.0;

/// Colours used on documents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Ink {
    Black,
    Grey,
    Red,
    /// Handwriting (blue-black, like a pen).
    Pen,
}

/// One thing drawn on a page.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    /// Text with its baseline starting at (x, y).
    Text {
        x: f32,
        y: f32,
        size: f32,
        text: String,
        ink: Ink,
    },
    /// A straight rule.
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        ink: Ink,
    },
    /// A stroked rectangle outline.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        width: f32,
    },
    /// A filled black square (a QR module run).
    Fill { x: f32, y: f32, w: f32, h: f32 },
    /// A pen segment polyline of one width (handwriting).
    Pen { points: Vec<(f32, f32)>, width: f32 },
}

/// One laid-out page.
#[derive(Debug, Clone, Default)]
pub(crate) struct Page {
    pub ops: Vec<Op>,
}

/// Lays out flowing content over as many pages as it needs.
pub(crate) struct Flow<'m> {
    pub m: &'m Metrics<'m>,
    pub pages: Vec<Page>,
    /// Current baseline cursor (top of the next line).
    pub y: f32,
}

impl<'m> Flow<'m> {
    /// A flow starting on a fresh page.
    pub fn new(m: &'m Metrics<'m>) -> Self {
        Flow {
            m,
            pages: vec![Page::default()],
            y: MARGIN_TOP,
        }
    }

    /// The bottom limit of the content area.
    pub fn bottom() -> f32 {
        PAGE_H - FOOTER_H
    }

    /// Usable content width.
    pub fn width() -> f32 {
        PAGE_W - 2.0 * MARGIN_X
    }

    /// Draw on the current page.
    pub fn push(&mut self, op: Op) {
        if let Some(p) = self.pages.last_mut() {
            p.ops.push(op);
        }
    }

    /// Starts a new page.
    pub fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = MARGIN_TOP;
    }

    /// Makes room for `h` points, breaking the page when needed.
    pub fn need(&mut self, h: f32) {
        if self.y + h > Self::bottom() {
            self.new_page();
        }
    }

    /// Text drawn at (x, baseline y).
    pub fn text_at(&mut self, x: f32, y: f32, size: f32, text: &str, ink: Ink) {
        self.push(Op::Text {
            x,
            y,
            size,
            text: text.to_string(),
            ink,
        });
    }

    /// A centred line of text, advancing the cursor.
    pub fn centred(&mut self, size: f32, text: &str, ink: Ink) {
        let lh = size * 1.6;
        self.need(lh);
        let w = self.m.width(text, size);
        let x = (PAGE_W - w) / 2.0;
        self.text_at(x, self.y + size, size, text, ink);
        self.y += lh;
    }

    /// Wrapped text in a column from `x` of width `w`, advancing the cursor;
    /// page breaks fall between lines.
    pub fn paragraph(&mut self, x: f32, w: f32, size: f32, text: &str, ink: Ink) {
        let lh = size * 1.6;
        for line in wrap(self.m, text, size, w) {
            self.need(lh);
            self.text_at(x, self.y + size, size, &line, ink);
            self.y += lh;
        }
    }

    /// A horizontal rule across the content width at the cursor.
    pub fn rule(&mut self, width: f32) {
        self.push(Op::Line {
            x1: MARGIN_X,
            y1: self.y,
            x2: PAGE_W - MARGIN_X,
            y2: self.y,
            width,
            ink: Ink::Black,
        });
    }
}

/// Breaks `text` into lines no wider than `w` at `size`: at any character
/// (Chinese has no spaces), at newlines, and never inside a run of Latin
/// letters or digits shorter than a line.
pub(crate) fn wrap(m: &Metrics<'_>, text: &str, size: f32, w: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut lw = 0.0;
        for c in para.chars() {
            let cw = m.glyph(c).1 * size;
            if lw + cw > w && !line.is_empty() {
                // Keep a Latin word together when it fits on the next line.
                let cut = if c.is_ascii_alphanumeric() {
                    line.rfind(|ch: char| !ch.is_ascii_alphanumeric())
                        .map(|i| i + line[i..].chars().next().map_or(1, char::len_utf8))
                        .filter(|&i| i > 0 && i < line.len())
                } else {
                    None
                };
                match cut {
                    Some(i) => {
                        let rest = line.split_off(i);
                        lines.push(std::mem::take(&mut line));
                        line = rest;
                        lw = m.width(&line, size);
                    }
                    None => {
                        lines.push(std::mem::take(&mut line));
                        lw = 0.0;
                    }
                }
            }
            line.push(c);
            lw += cw;
        }
        lines.push(line);
    }
    lines
}
