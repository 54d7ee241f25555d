//! Trust store status: each imported Trusted List with its dates (stale in red), and how
//! many anchors signatures can chain to.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, Wrap};
use ratatui::Frame;

use super::{Action, Screen};
use crate::i18n::{trust_text, tui_text as t};
use crate::tui::desk::Desk;
use crate::tui::keys::{self, KeyHelp};
use crate::tui::widgets::style;

pub struct Trust;

impl Trust {
    pub fn new(desk: &mut Desk) -> Trust {
        desk.jobs.trust_status(desk.data_dir.clone());
        Trust
    }
}

impl Screen for Trust {
    fn title(&self, desk: &Desk) -> String {
        desk.t(t::TRUST_TITLE).to_string()
    }

    fn keys(&self) -> Vec<KeyHelp> {
        vec![
            keys::main("r", t::KEY_RELOAD),
            keys::main("Esc", t::KEY_BACK),
        ]
    }

    fn handle_key(&mut self, key: KeyEvent, desk: &mut Desk) -> Action {
        match key.code {
            KeyCode::Esc => Action::Pop,
            KeyCode::Char('r') => {
                desk.trust = None;
                desk.jobs.trust_status(desk.data_dir.clone());
                Action::None
            }
            _ => Action::None,
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, desk: &Desk) {
        let [head, table] =
            Layout::vertical([Constraint::Length(5), Constraint::Min(3)]).areas(area);
        let summary = match &desk.trust {
            None => vec![Line::from(Span::styled(desk.t(t::LOADING), style::dim()))],
            Some(Err(e)) => vec![Line::from(Span::styled(e.clone(), style::bad()))],
            Some(Ok(s)) => {
                let mut lines = vec![Line::from(format!(
                    "{}: {}",
                    desk.t(trust_text::ANCHORS),
                    s.anchors
                ))];
                if s.lists.is_empty() {
                    lines.push(Line::from(Span::styled(
                        desk.t(trust_text::NO_LISTS),
                        style::warn(),
                    )));
                } else if s.any_stale() {
                    lines.push(Line::from(Span::styled(
                        desk.t(t::TRUST_STALE_HINT),
                        style::bad(),
                    )));
                }
                lines.push(Line::from(Span::styled(
                    format!("{} {}", desk.t(t::DATA_DIR), desk.data_dir.display()),
                    style::dim(),
                )));
                lines
            }
        };
        frame.render_widget(
            Paragraph::new(summary)
                .wrap(Wrap { trim: true })
                .block(Block::default().borders(Borders::ALL)),
            head,
        );
        let lists = match &desk.trust {
            Some(Ok(s)) => s.lists.clone(),
            _ => Vec::new(),
        };
        let header = Row::new(vec![
            desk.t(t::TERRITORY).to_string(),
            "N.".into(),
            desk.t(trust_text::ISSUED).into(),
            desk.t(trust_text::NEXT_UPDATE).into(),
            desk.t(t::STATE).into(),
            desk.t(trust_text::SERVICES).into(),
            desk.t(t::ANCHORS_WORD).into(),
        ])
        .style(style::title());
        let day = |d: &str| d.get(..10).unwrap_or(d).to_string();
        let rows: Vec<Row> = lists
            .iter()
            .map(|l| {
                let (word, s) = if l.stale {
                    (desk.t(trust_text::STALE), style::bad())
                } else {
                    (desk.t(trust_text::FRESH), style::good())
                };
                Row::new(vec![
                    Line::from(l.territory.clone()),
                    Line::from(l.sequence_number.to_string()),
                    Line::from(day(&l.issue_date)),
                    Line::from(
                        l.next_update
                            .as_deref()
                            .map(day)
                            .unwrap_or_else(|| "-".into()),
                    ),
                    Line::from(Span::styled(word, s)),
                    Line::from(l.services.to_string()),
                    Line::from(l.signature_anchors.to_string()),
                ])
            })
            .collect();
        frame.render_widget(
            Table::new(
                rows,
                [
                    Constraint::Length(10),
                    Constraint::Length(5),
                    Constraint::Length(11),
                    Constraint::Length(12),
                    Constraint::Min(12),
                    Constraint::Length(8),
                    Constraint::Length(8),
                ],
            )
            .header(header)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(format!(" {} ", desk.t(t::TRUST_LISTS))),
            ),
            table,
        );
    }
}
