//! Pieces the screens share: the bar of main keys, the help popup, prompts and
//! confirmations, text fields, moving through and drawing lists, and the colours of verdicts.

pub mod bars;
pub mod help;
pub mod input;
pub mod list_nav;
pub mod list_view;
pub mod modal;
pub mod style;

use ratatui::layout::{Constraint, Flex, Layout, Rect};

/// A box of `width`×`height` (clipped to `area`) in the middle of `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}
