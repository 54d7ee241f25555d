//! Grants of one company: collaborators × profiles × units, with state and end of the working
//! relationship; overdue revocations highlighted. Add, revoke, suspend, record the end date.

use std::collections::HashSet;

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Paragraph, Row, TableState};
use ratatui::Frame;

use super::{Action, Screen};
use crate::i18n::{tui_text as t, Word};
use crate::registry::views::{self, CompanyView, GrantRow};
use crate::registry::{grants, GrantState};
use crate::tui::desk::Desk;
use crate::tui::keys::{self, KeyHelp};
use crate::tui::widgets::modal::{self, Modal, Notice, Outcome};
use crate::tui::widgets::{list_nav, list_view, style};

#[derive(Clone)]
enum Purpose {
    Revoke(i64),
    Suspend(i64),
    End(i64),
}

pub struct Grants {
    company_cf: String,
    company: Option<CompanyView>,
    rows: Vec<GrantRow>,
    overdue: HashSet<i64>,
    state: TableState,
    modal: Option<Modal<Purpose>>,
    notice: Option<Notice>,
}

impl Grants {
    pub fn new(desk: &mut Desk, company_cf: &str) -> Grants {
        let mut screen = Grants {
            company_cf: company_cf.to_string(),
            company: None,
            rows: Vec::new(),
            overdue: HashSet::new(),
            state: TableState::default(),
            modal: None,
            notice: None,
        };
        screen.resume(desk);
        screen
    }

    fn selected(&self) -> Option<i64> {
        self.state
            .selected()
            .and_then(|i| self.rows.get(i))
            .map(|g| g.id)
    }

    fn run(&mut self, purpose: Purpose, text: &str, desk: &mut Desk) {
        let session = desk.session_ref();
        let store = &mut desk.store;
        let result = match purpose {
            Purpose::Revoke(id) => {
                grants::change_state(store, session, id, GrantState::Revoked, text)
            }
            Purpose::Suspend(id) => {
                grants::change_state(store, session, id, GrantState::Suspended, text)
            }
            Purpose::End(id) => {
                let format = time::macros::format_description!("[year]-[month]-[day]");
                match time::Date::parse(text.trim(), &format) {
                    Ok(date) => grants::end_relationship(store, session, id, date),
                    Err(_) => {
                        self.notice = Some(Notice::error(desk.t(t::BAD_DATE)));
                        return;
                    }
                }
            }
        };
        self.notice = Some(desk.change_notice(result, t::DONE));
        self.resume(desk);
    }
}

impl Screen for Grants {
    fn title(&self, desk: &Desk) -> String {
        format!("{} · {}", desk.t(t::GRANTS), self.company_cf)
    }

    fn keys(&self) -> Vec<KeyHelp> {
        vec![
            keys::main("↑↓", t::KEY_MOVE),
            keys::main("n", t::KEY_ADD_GRANT),
            keys::main("r", t::KEY_REVOKE),
            keys::main("s", t::KEY_SUSPEND),
            keys::main("f", t::KEY_END_DATE),
            keys::main("Esc", t::KEY_BACK),
        ]
    }

    fn captures_text(&self) -> bool {
        self.modal.is_some()
    }

    fn handle_key(&mut self, key: KeyEvent, desk: &mut Desk) -> Action {
        if let Some(outcome) = modal::answer(&mut self.modal, &key) {
            if let Outcome::Text(purpose, text) = outcome {
                self.run(purpose, &text, desk);
            }
            return Action::None;
        }
        let prompt =
            |p: Purpose, title, hint| Some(Modal::prompt(p, desk.t(title), desk.t(hint), ""));
        match key.code {
            KeyCode::Esc => return Action::Pop,
            KeyCode::Up => list_nav::up(&mut self.state),
            KeyCode::Down => list_nav::down(&mut self.state, self.rows.len()),
            KeyCode::Char('n') => {
                if let Some(company) = &self.company {
                    return Action::Push(Box::new(super::grant_form::GrantForm::new(
                        company.clone(),
                    )));
                }
            }
            KeyCode::Char('r') => {
                if let Some(id) = self.selected() {
                    self.modal = prompt(Purpose::Revoke(id), t::REVOKE_TITLE, t::REASON_HINT);
                }
            }
            KeyCode::Char('s') => {
                if let Some(id) = self.selected() {
                    self.modal = prompt(Purpose::Suspend(id), t::SUSPEND_TITLE, t::REASON_HINT);
                }
            }
            KeyCode::Char('f') => {
                if let Some(id) = self.selected() {
                    self.modal = prompt(Purpose::End(id), t::END_TITLE, t::DATE_HINT);
                }
            }
            _ => {}
        }
        Action::None
    }

    fn resume(&mut self, desk: &mut Desk) {
        self.company = views::company(&desk.store, &self.company_cf).ok().flatten();
        match views::grants_of(&desk.store, &self.company_cf) {
            Ok(rows) => self.rows = rows,
            Err(e) => self.notice = Some(Notice::error(desk.refusal(&e))),
        }
        // Overdue is the store's rule (five days after the end of the relationship).
        self.overdue = views::overdue_grants(&desk.store, desk.today())
            .unwrap_or_default()
            .into_iter()
            .filter(|g| g.company_cf == self.company_cf)
            .map(|g| g.id)
            .collect();
        list_nav::keep_within(&mut self.state, self.rows.len());
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, desk: &Desk) {
        let [table_area, foot] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(2)]).areas(area);
        let header = vec![
            "N.".to_string(),
            desk.t(t::COLLABORATOR).into(),
            desk.t(t::PROFILE).into(),
            desk.t(t::UNIT).into(),
            desk.t(t::STATE).into(),
            desk.t(t::RELATIONSHIP_END).into(),
        ];
        let widths = GrantWidths::for_width(table_area.width);
        let rows: Vec<Row> = self
            .rows
            .iter()
            .map(|g| {
                let overdue = self.overdue.contains(&g.id);
                let state_style = match g.state {
                    GrantState::Active => style::good(),
                    GrantState::Suspended => style::warn(),
                    GrantState::Revoked => style::dim(),
                };
                // Two lines a row, so that names, codes and profiles are never cut.
                let end = g.relationship_end.clone().unwrap_or_else(|| "-".into());
                let end_cell = if overdue {
                    Text::from(vec![
                        Line::from(Span::styled(end, style::bad())),
                        Line::from(Span::styled(desk.t(t::OVERDUE), style::bad())),
                    ])
                } else {
                    Text::from(end)
                };
                let wrapped = |text: &str, width: u16| {
                    Text::from(
                        list_view::wrap_words(text, width)
                            .into_iter()
                            .map(Line::from)
                            .collect::<Vec<_>>(),
                    )
                };
                let unit = g
                    .unit
                    .clone()
                    .unwrap_or_else(|| desk.t(t::WHOLE_COMPANY).into());
                Row::new(vec![
                    Text::from(g.id.to_string()),
                    Text::from(vec![
                        Line::from(g.person_name.clone()),
                        Line::from(Span::styled(g.person_cf.clone(), style::dim())),
                    ]),
                    wrapped(g.profile.word(desk.lang), widths.profile),
                    wrapped(&unit, widths.unit),
                    Text::from(Span::styled(g.state.word(desk.lang), state_style)),
                    end_cell,
                ])
                .height(2)
            })
            .collect();
        frame.render_stateful_widget(
            list_view::table(
                header,
                rows,
                widths.constraints(),
                format!(
                    " {} · {} ",
                    self.company.as_ref().map(|c| c.name.as_str()).unwrap_or(""),
                    self.rows.len()
                ),
            ),
            table_area,
            &mut self.state,
        );
        let line = match &self.notice {
            Some(n) => n.line(),
            None if !self.overdue.is_empty() => Line::from(Span::styled(
                format!("{}: {}", desk.t(t::OVERDUE_REVOCATIONS), self.overdue.len()),
                style::bad(),
            )),
            None => Line::from(""),
        };
        frame.render_widget(Paragraph::new(line), foot);
        if let Some(modal) = &self.modal {
            modal.draw(frame, area, desk.lang);
        }
    }
}

/// Column widths of the grants table. They must fit the width: constraints that cannot all
/// hold leave the layout solver free to pick any compromise, and it does not always pick
/// the same one (the 80-column screen came out differently from run to run).
struct GrantWidths {
    collaborator: u16,
    profile: u16,
    unit: u16,
}

impl GrantWidths {
    fn for_width(width: u16) -> GrantWidths {
        if width >= 100 {
            GrantWidths {
                collaborator: 24,
                profile: 34,
                unit: 16,
            }
        } else {
            // 4 + 16 + 19 + 12 + 9 + 13 and five column gaps: 78, inside an 80-column frame.
            GrantWidths {
                collaborator: 16,
                profile: 19,
                unit: 12,
            }
        }
    }

    fn constraints(&self) -> [Constraint; 6] {
        [
            Constraint::Length(4),
            Constraint::Min(self.collaborator),
            Constraint::Length(self.profile),
            Constraint::Length(self.unit),
            Constraint::Length(9),
            Constraint::Length(13),
        ]
    }
}
