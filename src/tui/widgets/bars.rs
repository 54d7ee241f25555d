//! The title bar (screen, officer) and the bottom bar (the screen's main keys).

use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::i18n::{tui_text as t, Lang};
use crate::tui::desk::Desk;
use crate::tui::keys::KeyHelp;

pub fn title_bar(frame: &mut Frame, area: Rect, screen: &str, desk: &Desk) {
    let who = match &desk.session {
        Some(s) => format!("{}: {} ", desk.t(t::OFFICER), s.officer.name),
        None => format!("{} ", desk.t(t::NOT_LOGGED_IN)),
    };
    let left = format!(" Sportello CPI · {screen}");
    let pad = (area.width as usize).saturating_sub(left.chars().count() + who.chars().count());
    let bar = Style::default()
        .bg(Color::Blue)
        .fg(Color::White)
        .add_modifier(Modifier::BOLD);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::raw(left),
            Span::raw(" ".repeat(pad)),
            Span::raw(who),
        ]))
        .style(bar),
        area,
    );
}

/// The screen's main keys, then help and quit, as many as fit.
pub fn key_bar(frame: &mut Frame, area: Rect, keys: &[KeyHelp], lang: Lang) {
    let key_style = Style::default().bg(Color::DarkGray).fg(Color::White);
    let mut spans = Vec::new();
    let mut used = 0usize;
    let always = [
        crate::tui::keys::main("?", t::KEY_HELP),
        crate::tui::keys::main("Ctrl-C", t::KEY_QUIT),
    ];
    for k in keys.iter().filter(|k| k.main).chain(always.iter()) {
        let name = crate::tui::keys::key_name(k.keys, lang);
        let piece = format!(" {name} {} ", k.what.get(lang));
        let len = piece.chars().count() + 1;
        if used + len > area.width as usize {
            break;
        }
        used += len;
        spans.push(Span::styled(format!(" {name} "), key_style));
        spans.push(Span::raw(format!("{} ", k.what.get(lang))));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
