//! Register a company, or edit one (its codice fiscale never changes). The registry checks
//! everything; the form only collects the fields.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use super::{Action, Screen};
use crate::i18n::{tui_text as t, Text, Word};
use crate::registry::views::CompanyView;
use crate::registry::{self, CompanyKind, CompanyRequest};
use crate::tui::desk::Desk;
use crate::tui::keys::{self, is_ctrl, KeyHelp};
use crate::tui::widgets::input::TextInput;
use crate::tui::widgets::modal::Notice;
use crate::tui::widgets::style;

const LABELS: [Text; 5] = [t::CF, t::COMPANY_NAME, t::OFFICE, t::PEC, t::KINDS_FIELD];

pub struct CompanyForm {
    /// `Some(cf)` when editing.
    editing: Option<String>,
    /// The kinds as they were when editing started: they are saved only when changed.
    kinds_before: String,
    fields: [TextInput; 5],
    focus: usize,
    notice: Option<Notice>,
}

impl CompanyForm {
    pub fn register() -> CompanyForm {
        CompanyForm {
            editing: None,
            kinds_before: String::new(),
            fields: Default::default(),
            focus: 0,
            notice: None,
        }
    }

    pub fn edit(c: &CompanyView) -> CompanyForm {
        let kinds: Vec<String> = c
            .kinds
            .iter()
            .map(|(k, albo)| match albo {
                Some(a) => format!("{}={a}", k.code()),
                None => k.code().to_string(),
            })
            .collect();
        let kinds = kinds.join(", ");
        CompanyForm {
            editing: Some(c.codice_fiscale.clone()),
            kinds_before: kinds.clone(),
            fields: [
                TextInput::with(&c.codice_fiscale),
                TextInput::with(&c.name),
                TextInput::with(c.registered_office.as_deref().unwrap_or("")),
                TextInput::with(c.pec.as_deref().unwrap_or("")),
                TextInput::with(&kinds),
            ],
            focus: 1,
            notice: None,
        }
    }

    /// Fields the officer may change: everything but the codice fiscale when editing.
    fn editable(&self, i: usize) -> bool {
        self.editing.is_none() || i != 0
    }

    fn step(&mut self, forward: bool) {
        for _ in 0..LABELS.len() {
            self.focus = if forward {
                (self.focus + 1) % LABELS.len()
            } else {
                (self.focus + LABELS.len() - 1) % LABELS.len()
            };
            if self.editable(self.focus) {
                break;
            }
        }
    }

    fn save(&mut self, desk: &mut Desk) -> Action {
        let value = |i: usize| self.fields[i].value.trim().to_string();
        let optional = |i: usize| Some(value(i)).filter(|v| !v.is_empty());
        let session = desk.session_ref();
        let kinds = parse_kinds(&value(4));
        let result = match &self.editing {
            Some(cf) => {
                let kinds_changed = value(4) != self.kinds_before.trim();
                registry::update_company(
                    &mut desk.store,
                    session,
                    cf,
                    &value(1),
                    optional(2).as_deref(),
                    optional(3).as_deref(),
                )
                .and_then(|()| {
                    if kinds_changed {
                        registry::set_company_kinds(&mut desk.store, session, cf, &kinds)
                    } else {
                        Ok(())
                    }
                })
            }
            None => {
                let (cf, name, office, pec) = (value(0), value(1), optional(2), optional(3));
                registry::register_company(
                    &mut desk.store,
                    session,
                    &CompanyRequest {
                        codice_fiscale: &cf,
                        name: &name,
                        registered_office: office.as_deref(),
                        pec: pec.as_deref(),
                        kinds,
                    },
                )
                .map(|_| ())
            }
        };
        match result {
            Ok(()) => Action::Pop,
            Err(e) => {
                self.notice = Some(Notice::error(desk.refusal(&e)));
                Action::None
            }
        }
    }
}

impl Screen for CompanyForm {
    fn title(&self, desk: &Desk) -> String {
        match &self.editing {
            Some(cf) => format!("{} {cf}", desk.t(t::EDIT_COMPANY)),
            None => desk.t(t::NEW_COMPANY).to_string(),
        }
    }

    fn keys(&self) -> Vec<KeyHelp> {
        vec![
            keys::main("Tab ↑↓", t::KEY_FIELD),
            keys::main("Ctrl-S", t::KEY_SAVE),
            keys::more("Invio", t::KEY_SAVE_LAST),
            keys::more("Ctrl-U", t::KEY_CLEAR),
            keys::main("Esc", t::KEY_CANCEL),
        ]
    }

    fn captures_text(&self) -> bool {
        true
    }

    fn handle_key(&mut self, key: KeyEvent, desk: &mut Desk) -> Action {
        if is_ctrl(&key, 's') {
            return self.save(desk);
        }
        match key.code {
            KeyCode::Esc => return Action::Pop,
            KeyCode::Tab | KeyCode::Down => self.step(true),
            KeyCode::BackTab | KeyCode::Up => self.step(false),
            KeyCode::Enter => {
                let last = (0..LABELS.len()).rev().find(|i| self.editable(*i));
                if Some(self.focus) == last {
                    return self.save(desk);
                }
                self.step(true);
            }
            _ => {
                if self.editable(self.focus) {
                    self.fields[self.focus].handle_key(&key);
                }
            }
        }
        Action::None
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, desk: &Desk) {
        let [form, help] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(area);
        let mut lines = Vec::new();
        for (i, label) in LABELS.iter().enumerate() {
            let focused = i == self.focus;
            let label_style = if focused {
                style::selected()
            } else {
                style::title()
            };
            lines.push(Line::from(Span::styled(desk.t(*label), label_style)));
            let value_style = if self.editable(i) {
                ratatui::style::Style::default()
            } else {
                style::dim()
            };
            lines.push(Line::from(Span::styled(
                format!("  {}", self.fields[i].shown(focused)),
                value_style,
            )));
        }
        if self.editing.is_some() {
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                desk.t(t::CF_NEVER_CHANGES),
                style::dim(),
            )));
        }
        if desk.session.is_none() {
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(
                desk.t(t::NEEDS_LOGIN),
                style::warn(),
            )));
        }
        if let Some(n) = &self.notice {
            lines.push(Line::from(""));
            lines.push(n.line());
        }
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::ALL)),
            form,
        );
        let mut codes = vec![Line::from(Span::styled(
            desk.t(t::KIND_CODES),
            style::title(),
        ))];
        for kind in CompanyKind::ALL {
            let star = if kind.is_soggetto_abilitato() {
                "*"
            } else {
                " "
            };
            codes.push(Line::from(vec![
                Span::styled(format!("{star}{} ", kind.code()), style::good()),
                Span::styled(kind.word(desk.lang), style::dim()),
            ]));
        }
        codes.push(Line::from(Span::styled(desk.t(t::KIND_STAR), style::dim())));
        frame.render_widget(
            Paragraph::new(codes)
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::ALL)),
            help,
        );
    }
}

/// KIND or KIND=register details, separated by commas, as on the command line.
fn parse_kinds(text: &str) -> Vec<(String, Option<String>)> {
    text.split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(|k| match k.split_once('=') {
            Some((code, albo)) => (code.trim().to_string(), Some(albo.trim().to_string())),
            None => (k.to_string(), None),
        })
        .collect()
}
