//! The fonts every printed document uses: DejaVu Sans (regular and bold), shipped in
//! `assets/fonts` with their licence and compiled into the binary, with the glyph advances
//! the flow needs to wrap lines.

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

use super::PdfError;

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weight {
    Regular,
    Bold,
}

/// One face: the PDF library's handle and the advances for measuring.
#[derive(Clone)]
struct Face {
    pdf: krilla::text::Font,
    bytes: &'static [u8],
}

impl Face {
    fn load(bytes: &'static [u8]) -> Result<Self, PdfError> {
        FontRef::new(bytes).map_err(|_| PdfError::Font)?;
        let data: krilla::Data = bytes.into();
        let pdf = krilla::text::Font::new(data, 0).ok_or(PdfError::Font)?;
        Ok(Face { pdf, bytes })
    }

    /// Width of `text` in points at `size`: the sum of the glyphs' advances (no kerning:
    /// a line measured this way is never narrower than it prints, within a hair).
    fn width(&self, text: &str, size: f32) -> f32 {
        let Ok(font) = FontRef::new(self.bytes) else {
            return 0.0;
        };
        let charmap = font.charmap();
        let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
        text.chars()
            .map(|c| {
                let glyph = charmap.map(c).unwrap_or_default();
                metrics.advance_width(glyph).unwrap_or(size * 0.6)
            })
            .sum()
    }
}

/// Both weights, loaded once and shared.
#[derive(Clone)]
pub struct Fonts {
    regular: Face,
    bold: Face,
}

impl Fonts {
    pub fn embedded() -> Result<Self, PdfError> {
        Ok(Fonts {
            regular: Face::load(REGULAR)?,
            bold: Face::load(BOLD)?,
        })
    }

    fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    pub fn width(&self, weight: Weight, text: &str, size: f32) -> f32 {
        self.face(weight).width(text, size)
    }

    pub(super) fn pdf_font(&self, weight: Weight) -> krilla::text::Font {
        self.face(weight).pdf.clone()
    }
}
