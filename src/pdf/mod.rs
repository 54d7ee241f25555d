//! Printable documents: a small text-flow layer over `krilla` (A4 pages, title, headings,
//! wrapped paragraphs, label/value rows, automatic page breaks) with the DejaVu Sans fonts
//! embedded in the binary, so a PDF is the same on every desk and its text is selectable.
//!
//! Layout ([`flow::Flow`]) is kept apart from writing ([`render`]): the flow places words on
//! pages as plain data, and only the last step talks to the PDF library.

pub mod flow;
pub mod fonts;
mod render;

pub use flow::{Color, Flow};
pub use fonts::Fonts;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the embedded font cannot be read")]
    Font,
    #[error("the PDF cannot be written: {0}")]
    Write(String),
}
