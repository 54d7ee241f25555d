//! Laying text out on A4 pages: a cursor that moves down the page, greedy line wrapping
//! measured with the real glyph advances, and a new page whenever the next line would not
//! fit. The result is plain data (positioned text, rules and boxes) handed to the renderer.

use super::fonts::{Fonts, Weight};
use super::PdfError;

/// A4 in PostScript points.
pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
const MARGIN_X: f32 = 56.0;
const MARGIN_TOP: f32 = 56.0;
/// Room kept at the bottom for the footer line.
const MARGIN_BOTTOM: f32 = 64.0;
const LINE_FACTOR: f32 = 1.32;
/// Width of the label column in label/value rows.
const LABEL_WIDTH: f32 = 150.0;
const INDENT_STEP: f32 = 14.0;

const TITLE_SIZE: f32 = 17.0;
const HEADING_SIZE: f32 = 13.0;
const SUBHEADING_SIZE: f32 = 11.0;
const BODY_SIZE: f32 = 9.5;
const BANNER_SIZE: f32 = 14.0;
pub(super) const FOOTER_SIZE: f32 = 8.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Color {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

impl Color {
    pub const BLACK: Color = Color { r: 0, g: 0, b: 0 };
    pub const GREY: Color = Color {
        r: 90,
        g: 90,
        b: 90,
    };
    pub const WHITE: Color = Color {
        r: 255,
        g: 255,
        b: 255,
    };
    pub const GREEN: Color = Color {
        r: 22,
        g: 110,
        b: 50,
    };
    pub const RED: Color = Color {
        r: 170,
        g: 25,
        b: 25,
    };
    pub const AMBER: Color = Color {
        r: 160,
        g: 100,
        b: 0,
    };
}

/// One thing drawn on a page, in points from the top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// `y` is the baseline.
    Text {
        x: f32,
        y: f32,
        size: f32,
        weight: Weight,
        color: Color,
        text: String,
    },
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
        color: Color,
    },
    Fill {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        color: Color,
    },
}

/// A document being laid out. Build it top to bottom, then [`Flow::finish`].
pub struct Flow {
    fonts: Fonts,
    pages: Vec<Vec<Op>>,
    /// Top of the next line on the current page.
    y: f32,
    indent: usize,
    title: String,
    language: String,
    footer: String,
}

impl Flow {
    /// `title` and `language` ("it", "en") go into the PDF's metadata; `footer` is printed
    /// at the bottom of every page, followed by the page number.
    pub fn new(fonts: Fonts, title: &str, language: &str, footer: &str) -> Self {
        Flow {
            fonts,
            pages: vec![Vec::new()],
            y: MARGIN_TOP,
            indent: 0,
            title: title.to_string(),
            language: language.to_string(),
            footer: footer.to_string(),
        }
    }

    /// Nesting level for what follows (e.g. countersignatures under their signature).
    pub fn set_indent(&mut self, level: usize) {
        self.indent = level.min(8);
    }

    fn left(&self) -> f32 {
        MARGIN_X + self.indent as f32 * INDENT_STEP
    }

    fn right(&self) -> f32 {
        PAGE_WIDTH - MARGIN_X
    }

    fn bottom() -> f32 {
        PAGE_HEIGHT - MARGIN_BOTTOM
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    pub fn page_break(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN_TOP;
    }

    /// Starts a new page unless `height` points still fit on this one.
    pub fn keep(&mut self, height: f32) {
        if self.y + height > Self::bottom() && self.y > MARGIN_TOP {
            self.page_break();
        }
    }

    pub fn space(&mut self, points: f32) {
        self.y += points;
        if self.y > Self::bottom() {
            self.page_break();
        }
    }

    pub fn title(&mut self, text: &str) {
        self.block(text, TITLE_SIZE, Weight::Bold, Color::BLACK);
        self.space(4.0);
    }

    /// A heading is kept with at least a few lines of what follows it.
    pub fn heading(&mut self, text: &str) {
        self.keep(HEADING_SIZE * LINE_FACTOR + 4.0 * BODY_SIZE * LINE_FACTOR);
        self.space(6.0);
        self.block(text, HEADING_SIZE, Weight::Bold, Color::BLACK);
        self.rule();
    }

    pub fn subheading(&mut self, text: &str) {
        self.keep(SUBHEADING_SIZE * LINE_FACTOR + 3.0 * BODY_SIZE * LINE_FACTOR);
        self.space(3.0);
        self.block(text, SUBHEADING_SIZE, Weight::Bold, Color::BLACK);
    }

    pub fn paragraph(&mut self, text: &str) {
        self.block(text, BODY_SIZE, Weight::Regular, Color::BLACK);
    }

    pub fn paragraph_colored(&mut self, text: &str, color: Color) {
        self.block(text, BODY_SIZE, Weight::Regular, color);
    }

    /// A line across the text column.
    pub fn rule(&mut self) {
        let (x1, x2, y) = (self.left(), self.right(), self.y + 1.0);
        self.ops().push(Op::Rule {
            x1,
            x2,
            y,
            color: Color::GREY,
        });
        self.space(4.0);
    }

    /// White bold text on a coloured band: what the reader must see first (a verdict).
    pub fn banner(&mut self, text: &str, color: Color) {
        let pad = 6.0;
        let width = self.right() - self.left() - 2.0 * pad;
        let lines = wrap(&self.fonts, Weight::Bold, text, BANNER_SIZE, width);
        let line_height = BANNER_SIZE * LINE_FACTOR;
        let height = lines.len() as f32 * line_height + 2.0 * pad;
        self.keep(height);
        let (x, y) = (self.left(), self.y);
        self.ops().push(Op::Fill {
            x,
            y,
            width: width + 2.0 * pad,
            height,
            color,
        });
        for (i, line) in lines.into_iter().enumerate() {
            let baseline = y + pad + i as f32 * line_height + BANNER_SIZE;
            self.ops().push(Op::Text {
                x: x + pad,
                y: baseline,
                size: BANNER_SIZE,
                weight: Weight::Bold,
                color: Color::WHITE,
                text: line,
            });
        }
        self.y += height;
        self.space(6.0);
    }

    /// A label in bold on the left, its value wrapped beside it.
    pub fn row(&mut self, label: &str, value: &str) {
        self.row_colored(label, value, Color::BLACK);
    }

    pub fn row_colored(&mut self, label: &str, value: &str, color: Color) {
        let left = self.left();
        let value_x = left + LABEL_WIDTH;
        let labels = wrap(
            &self.fonts,
            Weight::Bold,
            label,
            BODY_SIZE,
            LABEL_WIDTH - 6.0,
        );
        let values = wrap(
            &self.fonts,
            Weight::Regular,
            value,
            BODY_SIZE,
            self.right() - value_x,
        );
        let line_height = BODY_SIZE * LINE_FACTOR;
        let rows = labels.len().max(values.len()).max(1);
        // A short row stays whole; a long value may run over to the next page.
        if rows <= 4 {
            self.keep(rows as f32 * line_height);
        }
        for i in 0..rows {
            self.keep(line_height);
            let baseline = self.y + BODY_SIZE;
            if let Some(text) = labels.get(i) {
                let text = text.clone();
                self.ops().push(Op::Text {
                    x: left,
                    y: baseline,
                    size: BODY_SIZE,
                    weight: Weight::Bold,
                    color: Color::BLACK,
                    text,
                });
            }
            if let Some(text) = values.get(i) {
                let text = text.clone();
                self.ops().push(Op::Text {
                    x: value_x,
                    y: baseline,
                    size: BODY_SIZE,
                    weight: Weight::Regular,
                    color,
                    text,
                });
            }
            self.y += line_height;
        }
        self.y += 1.5;
    }

    fn block(&mut self, text: &str, size: f32, weight: Weight, color: Color) {
        let left = self.left();
        let lines = wrap(&self.fonts, weight, text, size, self.right() - left);
        let line_height = size * LINE_FACTOR;
        for line in lines {
            self.keep(line_height);
            let baseline = self.y + size;
            self.ops().push(Op::Text {
                x: left,
                y: baseline,
                size,
                weight,
                color,
                text: line,
            });
            self.y += line_height;
        }
    }

    /// The pages laid out so far (for tests of the layout itself).
    pub fn pages(&self) -> &[Vec<Op>] {
        &self.pages
    }

    /// Writes the PDF.
    pub fn finish(self) -> Result<Vec<u8>, PdfError> {
        super::render::render(
            &self.fonts,
            &self.pages,
            &self.title,
            &self.language,
            &self.footer,
        )
    }
}

/// Greedy wrapping at spaces; a word wider than the line (a hash, a long path) is cut where
/// it must. Explicit newlines start new lines. Never returns an empty list.
pub fn wrap(fonts: &Fonts, weight: Weight, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if fonts.width(weight, &candidate, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // The word alone: cut it if even that is too wide.
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if fonts.width(weight, &piece, size) > width && piece.chars().count() > 1 {
                    piece.pop();
                    lines.push(std::mem::take(&mut piece));
                    piece.push(c);
                }
            }
            line = piece;
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Fonts {
        Fonts::embedded().expect("the embedded fonts load")
    }

    #[test]
    fn wrapped_lines_fit_and_keep_every_word() {
        let f = fonts();
        let text = "Il documento è stato firmato digitalmente e la firma è integra; \
                    SHA-256 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        let lines = wrap(&f, Weight::Regular, text, 10.0, 120.0);
        assert!(lines.len() > 3);
        for line in &lines {
            assert!(f.width(Weight::Regular, line, 10.0) <= 120.0, "{line}");
        }
        let joined: String = lines.concat();
        assert!(joined.contains("integra;"));
        assert_eq!(
            joined.replace(' ', ""),
            text.replace(' ', ""),
            "no character lost or added"
        );
    }

    #[test]
    fn long_documents_break_onto_new_pages_within_the_margins() {
        let mut flow = Flow::new(fonts(), "t", "it", "piede");
        flow.title("Titolo");
        for i in 0..200 {
            flow.row(
                &format!("Voce {i}"),
                "un valore abbastanza lungo da occupare spazio",
            );
        }
        assert!(flow.pages().len() > 2);
        for page in flow.pages() {
            for op in page {
                if let Op::Text { y, x, .. } = op {
                    assert!(*y <= PAGE_HEIGHT - MARGIN_BOTTOM + BODY_SIZE, "{y}");
                    assert!(*x >= MARGIN_X);
                }
            }
        }
        let pdf = flow.finish().expect("pdf written");
        assert!(pdf.starts_with(b"%PDF-"));
    }
}
