//! The help popup: every key of the current screen, then the keys that work everywhere.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::{centered, style};
use crate::i18n::{tui_text as t, Lang};
use crate::tui::keys::KeyHelp;

pub const GLOBAL: [KeyHelp; 4] = [
    crate::tui::keys::more("? / F1", t::KEY_HELP),
    crate::tui::keys::more("Esc", t::KEY_BACK),
    crate::tui::keys::more("Ctrl-C", t::KEY_QUIT),
    crate::tui::keys::more("q", t::KEY_QUIT_HOME),
];

pub fn draw(frame: &mut Frame, area: Rect, screen: &str, keys: &[KeyHelp], lang: Lang) {
    let mut lines = vec![Line::from(Span::styled(screen.to_string(), style::title()))];
    let row = |k: &KeyHelp| {
        let name = crate::tui::keys::key_name(k.keys, lang);
        Line::from(format!("  {name:<12} {}", k.what.get(lang)))
    };
    lines.extend(keys.iter().map(row));
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        t::HELP_EVERYWHERE.get(lang),
        style::title(),
    )));
    lines.extend(GLOBAL.iter().map(row));
    let height = (lines.len() as u16).saturating_add(2);
    let box_area = centered(area, 60, height);
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(format!(" {} ", t::HELP_TITLE.get(lang))),
        ),
        box_area,
    );
}
