//! Home: the menu, and at a glance the readers and cards, the officer, pending nominations,
//! overdue revocations and the freshness of the trusted lists.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, ListItem, ListState, Paragraph, Wrap};
use ratatui::Frame;

use super::{Action, Screen};
use crate::i18n::{tui_text as t, Text};
use crate::registry::views;
use crate::registry::NominationState;
use crate::tui::card_desk::CardFault;
use crate::tui::desk::Desk;
use crate::tui::keys::{self, KeyHelp};
use crate::tui::widgets::modal::Notice;
use crate::tui::widgets::{list_nav, list_view, style};

const MENU: [Text; 8] = [
    t::MENU_LOGIN,
    t::MENU_VERIFY,
    t::MENU_COMPANIES,
    t::MENU_NOMINATIONS,
    t::MENU_GRANTS,
    t::MENU_AUDIT,
    t::MENU_TRUST,
    t::MENU_LOGOUT,
];

/// Up to this many readers every one is listed; beyond, only those with a card.
const LIST_EVERY_READER_UP_TO: usize = 3;

pub struct Home {
    menu: ListState,
    pending: Option<i64>,
    overdue: Option<usize>,
    companies: Option<i64>,
    notice: Option<Notice>,
}

impl Home {
    pub fn new(desk: &mut Desk) -> Home {
        let mut home = Home {
            menu: ListState::default().with_selected(Some(0)),
            pending: None,
            overdue: None,
            companies: None,
            notice: None,
        };
        home.resume(desk);
        home
    }

    fn open(&mut self, index: usize, desk: &mut Desk) -> Action {
        use super::*;
        match index {
            0 => Action::Push(Box::new(login::Login::new(desk))),
            1 => Action::Push(Box::new(verify::Verify::new(desk))),
            2 => Action::Push(Box::new(companies::Companies::new(
                desk,
                companies::Mode::Detail,
            ))),
            3 => Action::Push(Box::new(nominations::Nominations::new(desk))),
            4 => Action::Push(Box::new(companies::Companies::new(
                desk,
                companies::Mode::Grants,
            ))),
            5 => Action::Push(Box::new(audit::Audit::new(desk))),
            6 => Action::Push(Box::new(trust::Trust::new(desk))),
            7 => {
                // Logging out forgets the session here; it expires in the store on its own.
                if desk.session.take().is_some() {
                    let _ = std::fs::remove_file(crate::store::session_file(&desk.db_path));
                    self.notice = Some(Notice::ok(desk.t(t::LOGGED_OUT)));
                }
                Action::None
            }
            _ => Action::None,
        }
    }

    fn readers_lines(desk: &Desk) -> Vec<Line<'static>> {
        match &desk.readers {
            None => vec![Line::from(Span::styled(
                desk.t(t::READERS_LOOKING),
                style::dim(),
            ))],
            Some(Err(fault)) => vec![Line::from(Span::styled(
                crate::tui::screens::login::fault_text(fault, desk.lang),
                if matches!(fault, CardFault::Unavailable(_)) {
                    style::warn()
                } else {
                    style::bad()
                },
            ))],
            Some(Ok(readers)) if readers.is_empty() => vec![Line::from(Span::styled(
                desk.t(t::NO_READERS),
                style::warn(),
            ))],
            Some(Ok(readers)) => {
                // With many readers (a desk with a hub, the test rig) the empty ones are
                // counted, not listed, so the card the officer just inserted shows at once.
                let list_all = readers.len() <= LIST_EVERY_READER_UP_TO;
                let mut lines: Vec<Line<'static>> = readers
                    .iter()
                    .filter(|r| list_all || r.card.is_some())
                    .map(|r| {
                        let (text, s) = match &r.card {
                            None => (desk.t(t::NO_CARD).to_string(), style::dim()),
                            Some(card) => match &card.profile {
                                Some(p) => {
                                    (format!("{} ({p})", desk.t(t::CARD_PRESENT)), style::good())
                                }
                                None => (desk.t(t::CARD_UNKNOWN).to_string(), style::warn()),
                            },
                        };
                        Line::from(vec![
                            Span::raw(format!("{}: ", r.name)),
                            Span::styled(text, s),
                        ])
                    })
                    .collect();
                let empty = readers.iter().filter(|r| r.card.is_none()).count();
                if !list_all && empty > 0 {
                    lines.push(Line::from(Span::styled(
                        format!("{} {empty}", desk.t(t::READERS_WITHOUT_CARD)),
                        style::dim(),
                    )));
                }
                lines
            }
        }
    }

    fn trust_lines(desk: &Desk) -> Vec<Line<'static>> {
        match &desk.trust {
            None => vec![Line::from(Span::styled(desk.t(t::LOADING), style::dim()))],
            Some(Err(e)) => vec![Line::from(Span::styled(e.clone(), style::bad()))],
            Some(Ok(summary)) if summary.lists.is_empty() => vec![Line::from(Span::styled(
                format!(
                    "{} ({} {})",
                    desk.t(t::TRUST_NO_LISTS),
                    summary.anchors,
                    desk.t(t::ANCHORS_WORD)
                ),
                style::warn(),
            ))],
            Some(Ok(summary)) => summary
                .lists
                .iter()
                .map(|l| {
                    let next = l
                        .next_update
                        .as_deref()
                        .and_then(|d| d.get(..10))
                        .unwrap_or("-")
                        .to_string();
                    let (word, s) = if l.stale {
                        (desk.t(t::STALE), style::bad())
                    } else {
                        (desk.t(t::FRESH), style::good())
                    };
                    Line::from(vec![
                        Span::raw(format!("{} n. {} ", l.territory, l.sequence_number)),
                        Span::styled(word, s),
                        Span::raw(format!(" ({} {next})", desk.t(t::NEXT_UPDATE))),
                    ])
                })
                .collect(),
        }
    }
}

impl Screen for Home {
    fn title(&self, desk: &Desk) -> String {
        desk.t(t::HOME_TITLE).to_string()
    }

    fn keys(&self) -> Vec<KeyHelp> {
        vec![
            keys::main("↑↓ Invio", t::KEY_OPEN),
            keys::main("1-8", t::KEY_SHORTCUT),
            keys::more("l", t::MENU_LOGIN),
            keys::more("v", t::MENU_VERIFY),
            keys::main("q", t::KEY_QUIT),
        ]
    }

    fn handle_key(&mut self, key: KeyEvent, desk: &mut Desk) -> Action {
        self.notice = None;
        let selected = self.menu.selected().unwrap_or(0);
        match key.code {
            KeyCode::Char('q') | KeyCode::Esc => Action::Quit,
            KeyCode::Up => {
                list_nav::up(&mut self.menu);
                Action::None
            }
            KeyCode::Down => {
                list_nav::down(&mut self.menu, MENU.len());
                Action::None
            }
            KeyCode::Enter => self.open(selected, desk),
            KeyCode::Char('l') => self.open(0, desk),
            KeyCode::Char('v') => self.open(1, desk),
            KeyCode::Char(c @ '1'..='8') => {
                let index = c as usize - '1' as usize;
                self.menu.select(Some(index));
                self.open(index, desk)
            }
            _ => Action::None,
        }
    }

    fn resume(&mut self, desk: &mut Desk) {
        desk.refresh_session();
        self.pending = views::nominations_count(&desk.store, Some(NominationState::Pending)).ok();
        self.overdue = views::overdue_grants(&desk.store, desk.today())
            .ok()
            .map(|g| g.len());
        self.companies = views::companies_count(&desk.store, "").ok();
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, desk: &Desk) {
        let [left, right] =
            Layout::horizontal([Constraint::Length(34), Constraint::Min(20)]).areas(area);
        let items: Vec<ListItem> = MENU
            .iter()
            .enumerate()
            .map(|(i, text)| ListItem::new(format!("{} {}", i + 1, desk.t(*text))))
            .collect();
        frame.render_stateful_widget(
            list_view::pick_list(items, format!(" {} ", desk.t(t::MENU_TITLE))),
            left,
            &mut self.menu,
        );

        let mut lines = vec![Line::from(Span::styled(desk.t(t::READERS), style::title()))];
        lines.extend(Self::readers_lines(desk));
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(desk.t(t::OFFICER), style::title())));
        lines.push(match &desk.session {
            Some(s) => Line::from(vec![
                Span::styled(s.officer.name.clone(), style::good()),
                Span::raw(format!(
                    " ({}) · {} {}",
                    s.officer.codice_fiscale,
                    desk.t(t::SESSION_UNTIL),
                    desk.local_clock(&s.expires_at)
                )),
            ]),
            None => Line::from(Span::styled(desk.t(t::NOT_LOGGED_IN), style::warn())),
        });
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            desk.t(t::DESK_WORK),
            style::title(),
        )));
        let count = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_else(|| "?".into());
        lines.push(Line::from(format!(
            "{}: {}",
            desk.t(t::PENDING_NOMINATIONS),
            count(self.pending)
        )));
        let overdue = self.overdue.unwrap_or(0);
        lines.push(Line::from(vec![
            Span::raw(format!("{}: ", desk.t(t::OVERDUE_REVOCATIONS))),
            Span::styled(
                count(self.overdue.map(|n| n as i64)),
                if overdue > 0 {
                    style::bad()
                } else {
                    style::good()
                },
            ),
        ]));
        lines.push(Line::from(format!(
            "{}: {}",
            desk.t(t::COMPANIES_REGISTERED),
            count(self.companies)
        )));
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            desk.t(t::TRUST_LISTS),
            style::title(),
        )));
        lines.extend(Self::trust_lines(desk));
        if let Some(n) = &self.notice {
            lines.push(Line::from(""));
            lines.push(n.line());
        }
        frame.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: true }).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(format!(" {} ", desk.t(t::STATUS_TITLE))),
            ),
            right,
        );
    }
}
