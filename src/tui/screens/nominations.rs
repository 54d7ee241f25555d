//! The nominations queue: pending requests by default, or every state; Enter opens one.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Constraint;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, TableState};
use ratatui::Frame;

use super::{Action, Screen};
use crate::i18n::tui_text as t;
use crate::store::nominations::Nomination;
use crate::tui::desk::Desk;
use crate::tui::keys::{self, KeyHelp};
use crate::tui::widgets::{list_nav, list_view, style};

const PAGE: i64 = 200;
const FILTERS: [Option<&str>; 4] = [Some("in-attesa"), None, Some("approvata"), Some("respinta")];

pub struct Nominations {
    filter: usize,
    rows: Vec<Nomination>,
    total: i64,
    state: TableState,
    error: Option<String>,
}

impl Nominations {
    pub fn new(desk: &mut Desk) -> Nominations {
        let mut screen = Nominations {
            filter: 0,
            rows: Vec::new(),
            total: 0,
            state: TableState::default(),
            error: None,
        };
        screen.resume(desk);
        screen
    }
}

pub fn state_style(state: &str) -> ratatui::style::Style {
    match state {
        "approvata" => style::good(),
        "respinta" => style::bad(),
        _ => style::warn(),
    }
}

impl Screen for Nominations {
    fn title(&self, desk: &Desk) -> String {
        desk.t(t::NOMINATIONS_TITLE).to_string()
    }

    fn keys(&self) -> Vec<KeyHelp> {
        vec![
            keys::main("↑↓", t::KEY_MOVE),
            keys::main("Invio", t::KEY_OPEN),
            keys::main("f", t::KEY_FILTER),
            keys::main("Esc", t::KEY_BACK),
        ]
    }

    fn handle_key(&mut self, key: KeyEvent, desk: &mut Desk) -> Action {
        match key.code {
            KeyCode::Esc => return Action::Pop,
            KeyCode::Up => list_nav::up(&mut self.state),
            KeyCode::Down => list_nav::down(&mut self.state, self.rows.len()),
            KeyCode::Char('f') => {
                self.filter = (self.filter + 1) % FILTERS.len();
                self.resume(desk);
            }
            KeyCode::Enter => {
                if let Some(n) = self.state.selected().and_then(|i| self.rows.get(i)) {
                    return Action::Push(Box::new(
                        super::nomination_detail::NominationDetail::new(desk, n.id),
                    ));
                }
            }
            _ => {}
        }
        Action::None
    }

    fn resume(&mut self, desk: &mut Desk) {
        let filter = FILTERS[self.filter];
        match (
            desk.store.nominations_page(filter, 0, PAGE),
            desk.store.nominations_count(filter),
        ) {
            (Ok(rows), Ok(total)) => {
                self.rows = rows;
                self.total = total;
                self.error = None;
            }
            (Err(e), _) | (_, Err(e)) => self.error = Some(e.to_string()),
        }
        list_nav::keep_within(&mut self.state, self.rows.len());
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, desk: &Desk) {
        let filter_name = match FILTERS[self.filter] {
            Some("in-attesa") => desk.t(t::FILTER_PENDING),
            Some("approvata") => desk.t(t::FILTER_APPROVED),
            Some(_) => desk.t(t::FILTER_REJECTED),
            None => desk.t(t::FILTER_ALL),
        };
        let header = vec![
            "N.".to_string(),
            desk.t(t::STATE).into(),
            desk.t(t::COMPANY).into(),
            desk.t(t::ADMINISTRATOR).into(),
            desk.t(t::SUBMITTED).into(),
        ];
        let rows: Vec<Row> = self
            .rows
            .iter()
            .map(|n| {
                Row::new(vec![
                    Line::from(n.id.to_string()),
                    Line::from(Span::styled(n.state.clone(), state_style(&n.state))),
                    Line::from(n.company_cf.clone()),
                    Line::from(n.admin_cf.clone()),
                    Line::from(n.submitted_at.get(..10).unwrap_or("").to_string()),
                ])
            })
            .collect();
        let title = match &self.error {
            Some(e) => format!(" {e} "),
            None => format!(" {filter_name}: {} ", self.total),
        };
        frame.render_stateful_widget(
            list_view::table(
                header,
                rows,
                [
                    Constraint::Length(5),
                    Constraint::Length(10),
                    Constraint::Length(17),
                    Constraint::Length(17),
                    Constraint::Min(10),
                ],
                title,
            ),
            area,
            &mut self.state,
        );
    }
}
