//! One company: data, kinds, units, legal representatives, administrators and grants.
//! Edit it, add a unit or a legal representative, open its grants.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use super::{Action, Screen};
use crate::i18n::{tui_text as t, Word};
use crate::registry::views::{self, CompanyView, GrantRow};
use crate::registry::{self, people};
use crate::tui::desk::Desk;
use crate::tui::keys::{self, KeyHelp};
use crate::tui::widgets::modal::{self, Modal, Notice, Outcome};
use crate::tui::widgets::style;

#[derive(Clone)]
enum Purpose {
    Unit,
    Representative,
}

pub struct CompanyDetail {
    cf: String,
    company: Option<CompanyView>,
    grants: Vec<GrantRow>,
    modal: Option<Modal<Purpose>>,
    notice: Option<Notice>,
}

impl CompanyDetail {
    pub fn new(desk: &mut Desk, cf: &str) -> CompanyDetail {
        let mut screen = CompanyDetail {
            cf: cf.to_string(),
            company: None,
            grants: Vec::new(),
            modal: None,
            notice: None,
        };
        screen.resume(desk);
        screen
    }

    fn run(&mut self, purpose: Purpose, text: &str, desk: &mut Desk) {
        let session = desk.session_ref();
        let result = match purpose {
            Purpose::Unit => {
                registry::add_unit(&mut desk.store, session, &self.cf, text).map(|_| ())
            }
            Purpose::Representative => {
                people::add_representative(&mut desk.store, session, &self.cf, text.trim(), None)
            }
        };
        self.notice = Some(desk.change_notice(result, t::DONE));
        self.resume(desk);
    }
}

fn section(title: &str) -> Line<'static> {
    Line::from(Span::styled(title.to_string(), style::title()))
}

impl Screen for CompanyDetail {
    fn title(&self, desk: &Desk) -> String {
        format!("{} {}", desk.t(t::COMPANY), self.cf)
    }

    fn keys(&self) -> Vec<KeyHelp> {
        vec![
            keys::main("e", t::KEY_EDIT),
            keys::main("u", t::KEY_ADD_UNIT),
            keys::main("r", t::KEY_ADD_REP),
            keys::main("p", t::KEY_ADD_PROCURATORE),
            keys::main("a", t::KEY_GRANTS),
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
        match key.code {
            KeyCode::Esc => Action::Pop,
            KeyCode::Char('e') => match &self.company {
                Some(c) => Action::Push(Box::new(super::company_form::CompanyForm::edit(c))),
                None => Action::None,
            },
            KeyCode::Char('u') => {
                self.modal = Some(Modal::prompt(
                    Purpose::Unit,
                    desk.t(t::ADD_UNIT_TITLE),
                    desk.t(t::ADD_UNIT_HINT),
                    "",
                ));
                Action::None
            }
            KeyCode::Char('r') => {
                self.modal = Some(Modal::prompt(
                    Purpose::Representative,
                    desk.t(t::ADD_REP_TITLE),
                    desk.t(t::ADD_REP_HINT),
                    "",
                ));
                Action::None
            }
            KeyCode::Char('p') => match &self.company {
                Some(c) => Action::Push(Box::new(super::procuratore_form::ProcuratoreForm::new(
                    &c.codice_fiscale,
                    &c.name,
                    &desk.start_dir,
                ))),
                None => Action::None,
            },
            KeyCode::Char('a') => {
                Action::Push(Box::new(super::grants::Grants::new(desk, &self.cf)))
            }
            _ => Action::None,
        }
    }

    fn resume(&mut self, desk: &mut Desk) {
        match views::company(&desk.store, &self.cf) {
            Ok(c) => self.company = c,
            Err(e) => self.notice = Some(Notice::error(desk.refusal(&e))),
        }
        self.grants = views::grants_of(&desk.store, &self.cf).unwrap_or_default();
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, desk: &Desk) {
        let Some(c) = &self.company else {
            frame.render_widget(
                Paragraph::new(desk.t(t::NOT_FOUND)).block(Block::default().borders(Borders::ALL)),
                area,
            );
            return;
        };
        let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
        let mut left = vec![
            Line::from(Span::styled(c.name.clone(), style::title())),
            Line::from(format!("{}: {}", desk.t(t::CF), c.codice_fiscale)),
            Line::from(format!(
                "{}: {}",
                desk.t(t::OFFICE),
                dash(&c.registered_office)
            )),
            Line::from(format!("PEC: {}", dash(&c.pec))),
            Line::from(""),
            section(desk.t(t::KINDS)),
        ];
        for (kind, albo) in &c.kinds {
            let name = kind.word(desk.lang);
            let albo = albo
                .as_deref()
                .map(|a| format!(" — {a}"))
                .unwrap_or_default();
            left.push(Line::from(format!("  {name}{albo}")));
        }
        left.push(Line::from(""));
        left.push(section(desk.t(t::UNITS)));
        for u in &c.units {
            left.push(Line::from(format!("  {u}")));
        }
        let mut right = vec![section(desk.t(t::REPRESENTATIVES))];
        if c.representatives.is_empty() {
            right.push(Line::from(Span::styled("  -", style::dim())));
        }
        for r in &c.representatives {
            right.push(Line::from(format!(
                "  {} ({}) · {}",
                r.name,
                r.codice_fiscale,
                r.role.word(desk.lang)
            )));
        }
        right.push(Line::from(""));
        right.push(section(desk.t(t::ADMINISTRATORS)));
        if c.administrators.is_empty() {
            right.push(Line::from(Span::styled("  -", style::dim())));
        }
        for cf in &c.administrators {
            right.push(Line::from(format!("  {cf}")));
        }
        right.push(Line::from(""));
        right.push(section(&format!(
            "{} ({})",
            desk.t(t::GRANTS),
            self.grants.len()
        )));
        for g in &self.grants {
            let unit = g
                .unit
                .clone()
                .unwrap_or_else(|| desk.t(t::WHOLE_COMPANY).into());
            right.push(Line::from(format!(
                "  {} · {} · {unit} · {}",
                g.person_name,
                g.profile.word(desk.lang),
                g.state.word(desk.lang)
            )));
        }
        if let Some(n) = &self.notice {
            right.push(Line::from(""));
            right.push(n.line());
        }
        let [l, r] = Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
            .areas(area);
        frame.render_widget(
            Paragraph::new(left)
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::ALL)),
            l,
        );
        frame.render_widget(
            Paragraph::new(right)
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::ALL)),
            r,
        );
        if let Some(modal) = &self.modal {
            modal.draw(frame, area, desk.lang);
        }
    }
}
