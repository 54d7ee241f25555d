//! Moving the highlighted row of a table or a list: one step up, one step down, and kept
//! within the rows after they change. Tables and lists share it through [`Selectable`].

use ratatui::widgets::{ListState, TableState};

/// A widget state with one highlighted row (or none).
pub trait Selectable {
    fn selected_row(&self) -> Option<usize>;
    fn select_row(&mut self, row: Option<usize>);
}

impl Selectable for TableState {
    fn selected_row(&self) -> Option<usize> {
        self.selected()
    }
    fn select_row(&mut self, row: Option<usize>) {
        self.select(row);
    }
}

impl Selectable for ListState {
    fn selected_row(&self) -> Option<usize> {
        self.selected()
    }
    fn select_row(&mut self, row: Option<usize>) {
        self.select(row);
    }
}

/// One row up, stopping at the first.
pub fn up(state: &mut impl Selectable) {
    let i = state.selected_row().unwrap_or(0);
    state.select_row(Some(i.saturating_sub(1)));
}

/// One row down, stopping at the last of `len`.
pub fn down(state: &mut impl Selectable, len: usize) {
    let i = state.selected_row().unwrap_or(0);
    state.select_row(Some((i + 1).min(len.saturating_sub(1))));
}

/// After the rows were reloaded: the same row if it is still there, else the last one;
/// nothing when there are no rows.
pub fn keep_within(state: &mut impl Selectable, len: usize) {
    let keep = state.selected_row().unwrap_or(0);
    state.select_row((len > 0).then_some(keep.min(len.saturating_sub(1))));
}
