//! The nominations queue: pending requests by default, or every state; Enter opens one.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Constraint;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Row, TableState};
use ratatui::Frame;

use super::{Action, Screen};
use crate::i18n::{tui_text as t, Word};
use crate::registry::views::{self, NominationRow};
use crate::registry::NominationState;
use crate::tui::desk::Desk;
use crate::tui::keys::{self, KeyHelp};
use crate::tui::widgets::{list_nav, list_view, style};

const PAGE: i64 = 200;
const FILTERS: [Option<NominationState>; 4] = [
    Some(NominationState::Pending),
    None,
    Some(NominationState::Approved),
    Some(NominationState::Rejected),
];

pub struct Nominations {
    filter: usize,
    rows: Vec<NominationRow>,
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

pub fn state_style(state: NominationState) -> ratatui::style::Style {
    match state {
        NominationState::Approved => style::good(),
        NominationState::Rejected => style::bad(),
        NominationState::Pending => style::warn(),
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
            views::nominations_page(&desk.store, filter, 0, PAGE),
            views::nominations_count(&desk.store, filter),
        ) {
            (Ok(rows), Ok(total)) => {
                self.rows = rows;
                self.total = total;
                self.error = None;
            }
            (Err(e), _) | (_, Err(e)) => self.error = Some(desk.refusal(&e)),
        }
        list_nav::keep_within(&mut self.state, self.rows.len());
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, desk: &Desk) {
        let filter_name = match FILTERS[self.filter] {
            Some(NominationState::Pending) => desk.t(t::FILTER_PENDING),
            Some(NominationState::Approved) => desk.t(t::FILTER_APPROVED),
            Some(NominationState::Rejected) => desk.t(t::FILTER_REJECTED),
            None => desk.t(t::FILTER_ALL),
        };
        let header = vec![
            "N.".to_string(),
            desk.t(t::STATE).into(),
            desk.t(t::COMPANY).into(),
            desk.t(t::ADMINISTRATOR).into(),
            desk.t(t::SUBMITTED).into(),
        ];
        let narrow = area.width < 100;
        let rows: Vec<Row> = self
            .rows
            .iter()
            .map(|n| {
                // Names beside the codes (dimmed). On a narrow screen each row takes two
                // lines so that neither is cut.
                let state = n.state.word(desk.lang);
                let state_style = state_style(n.state);
                let date = Line::from(desk.local_date(&n.submitted_at));
                if narrow {
                    let named = |name: &str, cf: &str| {
                        Text::from(vec![
                            Line::from(name.to_string()),
                            Line::from(Span::styled(cf.to_string(), style::dim())),
                        ])
                    };
                    let state_lines: Vec<Line> = list_view::wrap_words(state, STATE_WIDTH)
                        .into_iter()
                        .map(|l| Line::from(Span::styled(l, state_style)))
                        .collect();
                    Row::new(vec![
                        Text::from(n.id.to_string()),
                        Text::from(state_lines),
                        named(&n.company_name, &n.company_cf),
                        named(&n.admin_name, &n.admin_cf),
                        Text::from(date),
                    ])
                    .height(2)
                } else {
                    // The code first: it has a fixed width, a long name is cut instead.
                    let named = |name: &str, cf: &str| {
                        Text::from(Line::from(vec![
                            Span::styled(format!("{cf} "), style::dim()),
                            Span::raw(name.to_string()),
                        ]))
                    };
                    Row::new(vec![
                        Text::from(n.id.to_string()),
                        Text::from(Span::styled(state, state_style)),
                        named(&n.company_name, &n.company_cf),
                        named(&n.admin_name, &n.admin_cf),
                        Text::from(date),
                    ])
                }
            })
            .collect();
        let title = match &self.error {
            Some(e) => format!(" {e} "),
            None => format!(" {filter_name}: {} ", self.total),
        };
        frame.render_stateful_widget(
            list_view::table(header, rows, nomination_columns(area.width), title),
            area,
            &mut self.state,
        );
    }
}

/// The state column on a narrow screen: the state's words wrap onto the row's two lines.
const STATE_WIDTH: u16 = 13;

/// Column widths of the queue; they fit the width (see `grants::grant_columns` for why).
fn nomination_columns(width: u16) -> [Constraint; 5] {
    if width >= 100 {
        [
            Constraint::Length(4),
            Constraint::Length(25),
            Constraint::Min(30),
            Constraint::Length(34),
            Constraint::Length(10),
        ]
    } else {
        // 4 + 13 + 22 + 20 + 10 and four gaps: 73, inside an 80-column frame.
        [
            Constraint::Length(4),
            Constraint::Length(STATE_WIDTH),
            Constraint::Min(22),
            Constraint::Length(20),
            Constraint::Length(10),
        ]
    }
}
