//! How the screens draw what one moves through with [`super::list_nav`]: a bordered, titled
//! list or table whose selected row stands out.

use ratatui::layout::Constraint;
use ratatui::widgets::{Block, Borders, List, ListItem, Row, Table};

use super::style;

/// A bordered list titled `title`, its selected row highlighted.
pub fn list<'a>(items: Vec<ListItem<'a>>, title: String) -> List<'a> {
    List::new(items)
        .block(Block::default().borders(Borders::ALL).title(title))
        .highlight_style(style::selected())
}

/// A [`list`] one picks from: a ▶ before the selected row as well.
pub fn pick_list<'a>(items: Vec<ListItem<'a>>, title: String) -> List<'a> {
    list(items, title).highlight_symbol("▶ ")
}

/// A bordered table titled `title` under a row of column names, its selected row highlighted.
pub fn table<'a>(
    header: Vec<String>,
    rows: Vec<Row<'a>>,
    widths: impl IntoIterator<Item = Constraint>,
    title: String,
) -> Table<'a> {
    Table::new(rows, widths)
        .header(Row::new(header).style(style::title()))
        .row_highlight_style(style::selected())
        .block(Block::default().borders(Borders::ALL).title(title))
}

/// `text` in lines of at most `width` characters, broken between words.
pub fn wrap_words(text: &str, width: u16) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width as usize => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}
