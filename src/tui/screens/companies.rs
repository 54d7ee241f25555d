//! Companies: search as you type (name or codice fiscale), one page at a time from the store;
//! Enter opens the company (or its grants, when reached from the grants menu).

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, ListItem, ListState, Paragraph};
use ratatui::Frame;

use super::{Action, Screen};
use crate::i18n::tui_text as t;
use crate::registry::views::{self, CompanyLine};
use crate::tui::desk::Desk;
use crate::tui::keys::{self, is_ctrl, KeyHelp};
use crate::tui::widgets::input::TextInput;
use crate::tui::widgets::modal::Notice;
use crate::tui::widgets::{list_nav, list_view, style};

/// Rows fetched per query; more are fetched when the selection reaches the end.
const PAGE: i64 = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Detail,
    Grants,
}

pub struct Companies {
    mode: Mode,
    search: TextInput,
    rows: Vec<CompanyLine>,
    total: i64,
    state: ListState,
    notice: Option<Notice>,
}

impl Companies {
    pub fn new(desk: &mut Desk, mode: Mode) -> Companies {
        let mut screen = Companies {
            mode,
            search: TextInput::default(),
            rows: Vec::new(),
            total: 0,
            state: ListState::default(),
            notice: None,
        };
        screen.reload(desk);
        screen
    }

    fn reload(&mut self, desk: &Desk) {
        let filter = self.search.value.clone();
        match (
            views::companies_page(&desk.store, &filter, 0, PAGE),
            views::companies_count(&desk.store, &filter),
        ) {
            (Ok(rows), Ok(total)) => {
                self.rows = rows;
                self.total = total;
                self.notice = None;
            }
            (Err(e), _) | (_, Err(e)) => self.notice = Some(Notice::error(desk.refusal(&e))),
        }
        self.state.select((!self.rows.is_empty()).then_some(0));
    }

    fn more(&mut self, desk: &Desk) {
        if (self.rows.len() as i64) < self.total {
            if let Ok(next) = views::companies_page(
                &desk.store,
                &self.search.value,
                self.rows.len() as i64,
                PAGE,
            ) {
                self.rows.extend(next);
            }
        }
    }

    fn open(&self, desk: &mut Desk) -> Action {
        let Some(line) = self.state.selected().and_then(|i| self.rows.get(i)) else {
            return Action::None;
        };
        let cf = &line.codice_fiscale;
        match self.mode {
            Mode::Detail => Action::Push(Box::new(super::company_detail::CompanyDetail::new(
                desk, cf,
            ))),
            Mode::Grants => Action::Push(Box::new(super::grants::Grants::new(desk, cf))),
        }
    }
}

impl Screen for Companies {
    fn title(&self, desk: &Desk) -> String {
        match self.mode {
            Mode::Detail => desk.t(t::COMPANIES_TITLE).to_string(),
            Mode::Grants => desk.t(t::GRANTS_PICK_TITLE).to_string(),
        }
    }

    fn keys(&self) -> Vec<KeyHelp> {
        let mut k = vec![
            keys::main("abc", t::KEY_SEARCH),
            keys::main("↑↓", t::KEY_MOVE),
            keys::main("Invio", t::KEY_OPEN),
        ];
        if self.mode == Mode::Detail {
            k.push(keys::main("Ctrl-N", t::KEY_NEW_COMPANY));
        }
        k.push(keys::more("Ctrl-U", t::KEY_CLEAR));
        k.push(keys::main("Esc", t::KEY_BACK));
        k
    }

    fn captures_text(&self) -> bool {
        true
    }

    fn handle_key(&mut self, key: KeyEvent, desk: &mut Desk) -> Action {
        if is_ctrl(&key, 'n') && self.mode == Mode::Detail {
            return Action::Push(Box::new(super::company_form::CompanyForm::register()));
        }
        let i = self.state.selected().unwrap_or(0);
        match key.code {
            KeyCode::Esc => return Action::Pop,
            KeyCode::Enter => return self.open(desk),
            KeyCode::Up => list_nav::up(&mut self.state),
            KeyCode::Down => {
                if i + 1 >= self.rows.len() {
                    self.more(desk);
                }
                list_nav::down(&mut self.state, self.rows.len());
            }
            _ => {
                if self.search.handle_key(&key) {
                    self.reload(desk);
                }
            }
        }
        Action::None
    }

    fn resume(&mut self, desk: &mut Desk) {
        let selected = self.state.selected();
        self.reload(desk);
        if let Some(i) = selected.filter(|i| *i < self.rows.len()) {
            self.state.select(Some(i));
        }
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, desk: &Desk) {
        let [search, list, foot] = Layout::vertical([
            Constraint::Length(3),
            Constraint::Min(3),
            Constraint::Length(1),
        ])
        .areas(area);
        frame.render_widget(
            Paragraph::new(self.search.shown(true)).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(format!(" {} ", desk.t(t::SEARCH_COMPANY))),
            ),
            search,
        );
        let items: Vec<ListItem> = self
            .rows
            .iter()
            .map(
                |CompanyLine {
                     codice_fiscale: cf,
                     name,
                 }| {
                    ListItem::new(Line::from(vec![
                        Span::styled(format!("{cf:<16} "), style::dim()),
                        Span::raw(name.clone()),
                    ]))
                },
            )
            .collect();
        frame.render_stateful_widget(
            list_view::pick_list(
                items,
                format!(
                    " {} {} / {} ",
                    desk.t(t::SHOWN),
                    self.rows.len(),
                    self.total
                ),
            ),
            list,
            &mut self.state,
        );
        let line = match &self.notice {
            Some(n) => n.line(),
            None if self.rows.is_empty() => {
                Line::from(Span::styled(desk.t(t::NO_MATCH), style::warn()))
            }
            None => Line::from(""),
        };
        frame.render_widget(Paragraph::new(line), foot);
    }
}
