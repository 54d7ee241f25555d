//! The audit log, newest first, one page at a time, with the result of `audit verify`
//! (recomputed in the background when the screen opens).

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, TableState, Wrap};
use ratatui::Frame;

use super::{Action, Screen};
use crate::i18n::{tui_text as t, Lang, Word};
use crate::registry::views::{self, AuditRow, ChainCheck};
use crate::registry::AuditAction;
use crate::tui::desk::Desk;
use crate::tui::keys::{self, KeyHelp};
use crate::tui::msg::Msg;
use crate::tui::widgets::{list_nav, list_view, style};

const PAGE: i64 = 100;

pub struct Audit {
    rows: Vec<AuditRow>,
    total: i64,
    state: TableState,
    check: Option<Result<ChainCheck, String>>,
}

impl Audit {
    pub fn new(desk: &mut Desk) -> Audit {
        let mut screen = Audit {
            rows: Vec::new(),
            total: 0,
            state: TableState::default(),
            check: None,
        };
        screen.load(desk);
        desk.jobs.audit_verify(desk.db.clone());
        screen
    }

    fn load(&mut self, desk: &Desk) {
        self.rows = views::audit_page(&desk.store, 0, PAGE).unwrap_or_default();
        self.total = views::audit_count(&desk.store).unwrap_or(0);
        self.state.select((!self.rows.is_empty()).then_some(0));
    }
}

fn check_line(check: &Option<Result<ChainCheck, String>>, lang: Lang) -> Line<'static> {
    match check {
        None => Line::from(Span::styled(t::AUDIT_CHECKING.get(lang), style::dim())),
        Some(Err(e)) => Line::from(Span::styled(e.clone(), style::bad())),
        Some(Ok(ChainCheck {
            rows,
            first_broken: None,
        })) => Line::from(Span::styled(
            match lang {
                Lang::It => format!("Registro integro: {rows} righe verificate."),
                Lang::En => format!("Audit log intact: {rows} rows verified."),
            },
            style::good(),
        )),
        Some(Ok(ChainCheck {
            first_broken: Some((seq, why)),
            ..
        })) => Line::from(Span::styled(
            match lang {
                Lang::It => format!("REGISTRO ALTERATO: la riga {seq} non torna ({why})."),
                Lang::En => format!("AUDIT LOG TAMPERED: row {seq} does not fit ({why})."),
            },
            style::bad(),
        )),
    }
}

impl Screen for Audit {
    fn title(&self, desk: &Desk) -> String {
        desk.t(t::AUDIT_TITLE).to_string()
    }

    fn keys(&self) -> Vec<KeyHelp> {
        vec![
            keys::main("↑↓", t::KEY_MOVE),
            keys::main("PgDn", t::KEY_MORE),
            keys::main("v", t::KEY_VERIFY_AGAIN),
            keys::main("Esc", t::KEY_BACK),
        ]
    }

    fn handle_key(&mut self, key: KeyEvent, desk: &mut Desk) -> Action {
        match key.code {
            KeyCode::Esc => return Action::Pop,
            KeyCode::Up => list_nav::up(&mut self.state),
            KeyCode::Down => list_nav::down(&mut self.state, self.rows.len()),
            KeyCode::PageDown => {
                if let Ok(more) = views::audit_page(&desk.store, self.rows.len() as i64, PAGE) {
                    self.rows.extend(more);
                }
            }
            KeyCode::Char('v') => {
                self.check = None;
                self.load(desk);
                desk.jobs.audit_verify(desk.db.clone());
            }
            _ => {}
        }
        Action::None
    }

    fn update(&mut self, msg: &Msg, _desk: &mut Desk) -> Action {
        if let Msg::AuditChecked(result) = msg {
            self.check = Some(result.clone());
        }
        Action::None
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, desk: &Desk) {
        let [head, table, detail] = Layout::vertical([
            Constraint::Length(3),
            Constraint::Min(3),
            Constraint::Length(4),
        ])
        .areas(area);
        frame.render_widget(
            Paragraph::new(check_line(&self.check, desk.lang))
                .block(Block::default().borders(Borders::ALL)),
            head,
        );
        let header = vec![
            "N.".to_string(),
            desk.t(t::WHEN).into(),
            desk.t(t::ACTION).into(),
            desk.t(t::ENTITY).into(),
        ];
        let rows: Vec<Row> = self
            .rows
            .iter()
            .map(|r| {
                Row::new(vec![
                    r.seq.to_string(),
                    desk.local_time(&r.at),
                    // In words when this version knows the action, else its code.
                    AuditAction::from_code(&r.action)
                        .map(|a| a.word(desk.lang).to_string())
                        .unwrap_or_else(|| r.action.clone()),
                    r.entity.clone(),
                ])
            })
            .collect();
        frame.render_stateful_widget(
            list_view::table(
                header,
                rows,
                [
                    Constraint::Length(5),
                    Constraint::Length(24),
                    Constraint::Length(24),
                    Constraint::Min(10),
                ],
                format!(
                    " {} {} / {} ",
                    desk.t(t::SHOWN),
                    self.rows.len(),
                    self.total
                ),
            ),
            table,
            &mut self.state,
        );
        let text = self
            .state
            .selected()
            .and_then(|i| self.rows.get(i))
            .map(|r| {
                format!(
                    "{} · {} {}",
                    r.summary,
                    desk.t(t::HASH),
                    r.hash.get(..16).unwrap_or("")
                )
            })
            .unwrap_or_default();
        frame.render_widget(
            Paragraph::new(text)
                .wrap(Wrap { trim: true })
                .block(Block::default().borders(Borders::ALL)),
            detail,
        );
    }
}
