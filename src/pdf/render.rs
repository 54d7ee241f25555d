//! Writing laid-out pages with `krilla`: fonts subset and embedded, text kept as text.

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::TextDirection;
use krilla::Document;

use super::flow::{Color, Op, FOOTER_SIZE, PAGE_HEIGHT, PAGE_WIDTH};
use super::fonts::{Fonts, Weight};
use super::PdfError;

fn paint(color: Color) -> krilla::paint::Paint {
    rgb::Color::new(color.r, color.g, color.b).into()
}

fn draw(surface: &mut Surface<'_>, fonts: &Fonts, op: &Op) {
    match op {
        Op::Text {
            x,
            y,
            size,
            weight,
            color,
            text,
        } => {
            if text.is_empty() {
                return;
            }
            surface.set_stroke(None);
            surface.set_fill(Some(Fill {
                paint: paint(*color),
                ..Default::default()
            }));
            surface.draw_text(
                Point::from_xy(*x, *y),
                fonts.pdf_font(*weight),
                *size,
                text,
                false,
                TextDirection::Auto,
            );
        }
        Op::Rule { x1, x2, y, color } => {
            let mut builder = PathBuilder::new();
            builder.move_to(*x1, *y);
            builder.line_to(*x2, *y);
            if let Some(path) = builder.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: paint(*color),
                    width: 0.6,
                    ..Default::default()
                }));
                surface.draw_path(&path);
            }
        }
        Op::Fill {
            x,
            y,
            width,
            height,
            color,
        } => {
            let mut builder = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(*x, *y, *width, *height) {
                builder.push_rect(rect);
            }
            if let Some(path) = builder.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(Fill {
                    paint: paint(*color),
                    ..Default::default()
                }));
                surface.draw_path(&path);
            }
        }
    }
}

pub(super) fn render(
    fonts: &Fonts,
    pages: &[Vec<Op>],
    title: &str,
    language: &str,
    footer: &str,
) -> Result<Vec<u8>, PdfError> {
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title.to_string())
            .language(language.to_string())
            .creator("sportello".to_string()),
    );
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
        .ok_or(PdfError::Write("page size".into()))?;
    let total = pages.len();
    for (index, ops) in pages.iter().enumerate() {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            draw(&mut surface, fonts, op);
        }
        let footer_line = Op::Text {
            x: 56.0,
            y: PAGE_HEIGHT - 36.0,
            size: FOOTER_SIZE,
            weight: Weight::Regular,
            color: Color::GREY,
            text: format!("{footer}    {} / {total}", index + 1),
        };
        draw(&mut surface, fonts, &footer_line);
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| PdfError::Write(format!("{e:?}")))
}
