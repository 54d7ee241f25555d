//! A new grant as a form: the company (fixed), the collaborator's codice fiscale, a profile
//! chosen among those the company's kinds allow, the level the profile allows, and the unit
//! when the level is a unit. The registry checks everything again when saving.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use super::{Action, Screen};
use crate::i18n::{tui_text as t, Word};
use crate::registry::views::CompanyView;
use crate::registry::{grants, Level, Profile};
use crate::tui::desk::Desk;
use crate::tui::keys::{self, is_ctrl, KeyHelp};
use crate::tui::widgets::input::TextInput;
use crate::tui::widgets::modal::Notice;
use crate::tui::widgets::style;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Person,
    Profile,
    Level,
    Unit,
}

pub struct GrantForm {
    company: CompanyView,
    person: TextInput,
    profiles: Vec<Profile>,
    profile: usize,
    level: Level,
    unit: usize,
    focus: Field,
    notice: Option<Notice>,
}

impl GrantForm {
    pub fn new(company: CompanyView) -> GrantForm {
        let profiles = company.allowed_profiles();
        let mut form = GrantForm {
            company,
            person: TextInput::default(),
            profiles,
            profile: 0,
            level: Level::Company,
            unit: 0,
            focus: Field::Person,
            notice: None,
        };
        form.fit_level();
        form
    }

    fn chosen_profile(&self) -> Option<Profile> {
        self.profiles.get(self.profile).copied()
    }

    /// The levels the chosen profile allows.
    fn levels(&self) -> Vec<Level> {
        let Some(p) = self.chosen_profile() else {
            return Vec::new();
        };
        [Level::Company, Level::Unit]
            .into_iter()
            .filter(|l| p.allows(*l))
            .collect()
    }

    /// Keeps the level one the profile allows.
    fn fit_level(&mut self) {
        let levels = self.levels();
        if !levels.contains(&self.level) {
            if let Some(first) = levels.first() {
                self.level = *first;
            }
        }
    }

    fn fields(&self) -> Vec<Field> {
        let mut fields = vec![Field::Person, Field::Profile];
        if self.levels().len() > 1 {
            fields.push(Field::Level);
        }
        if self.level == Level::Unit {
            fields.push(Field::Unit);
        }
        fields
    }

    fn step(&mut self, forward: bool) {
        let fields = self.fields();
        let at = fields.iter().position(|f| *f == self.focus).unwrap_or(0);
        let next = if forward {
            (at + 1) % fields.len()
        } else {
            (at + fields.len() - 1) % fields.len()
        };
        self.focus = fields[next];
    }

    /// ← → on a choice.
    fn choose(&mut self, forward: bool) {
        let cycle = |i: usize, n: usize| {
            if n == 0 {
                0
            } else if forward {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            }
        };
        match self.focus {
            Field::Person => {}
            Field::Profile => {
                self.profile = cycle(self.profile, self.profiles.len());
                self.fit_level();
            }
            Field::Level => {
                let levels = self.levels();
                let at = levels.iter().position(|l| *l == self.level).unwrap_or(0);
                if let Some(l) = levels.get(cycle(at, levels.len())) {
                    self.level = *l;
                }
            }
            Field::Unit => self.unit = cycle(self.unit, self.company.units.len()),
        }
    }

    fn save(&mut self, desk: &mut Desk) -> Action {
        let Some(profile) = self.chosen_profile() else {
            return Action::None;
        };
        let unit = match self.level {
            Level::Company => None,
            Level::Unit => self.company.units.get(self.unit).cloned(),
        };
        let session = desk.session_ref();
        let result = grants::add(
            &mut desk.store,
            session,
            &self.company.codice_fiscale,
            self.person.value.trim(),
            profile.code(),
            unit.as_deref(),
        );
        match result {
            Ok(_) => Action::Pop,
            Err(e) => {
                self.notice = Some(Notice::error(desk.refusal(&e)));
                Action::None
            }
        }
    }

    fn label(&self, field: Field, text: &str) -> Line<'static> {
        let s = if field == self.focus {
            style::selected()
        } else {
            style::title()
        };
        Line::from(Span::styled(text.to_string(), s))
    }

    /// A choice: the value between arrows when focused.
    fn choice(&self, field: Field, value: String) -> Line<'static> {
        if field == self.focus {
            Line::from(vec![
                Span::styled("  ◀ ", style::dim()),
                Span::raw(value),
                Span::styled(" ▶", style::dim()),
            ])
        } else {
            Line::from(format!("    {value}"))
        }
    }
}

impl Screen for GrantForm {
    fn title(&self, desk: &Desk) -> String {
        format!(
            "{} · {}",
            desk.t(t::ADD_GRANT_TITLE),
            self.company.codice_fiscale
        )
    }

    fn keys(&self) -> Vec<KeyHelp> {
        vec![
            keys::main("Tab ↑↓", t::KEY_FIELD),
            keys::main("← →", t::KEY_CHOOSE),
            keys::main("Ctrl-S", t::KEY_SAVE),
            keys::more("Invio", t::KEY_SAVE_LAST),
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
            KeyCode::Left if self.focus != Field::Person => self.choose(false),
            KeyCode::Right if self.focus != Field::Person => self.choose(true),
            KeyCode::Enter => {
                if self.fields().last() == Some(&self.focus) {
                    return self.save(desk);
                }
                self.step(true);
            }
            _ => {
                if self.focus == Field::Person {
                    self.person.handle_key(&key);
                }
            }
        }
        Action::None
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, desk: &Desk) {
        let lang = desk.lang;
        let mut lines = vec![
            Line::from(Span::styled(desk.t(t::COMPANY), style::title())),
            Line::from(format!(
                "    {} ({})",
                self.company.name, self.company.codice_fiscale
            )),
            self.label(Field::Person, desk.t(t::COLLABORATOR_CF)),
            Line::from(format!(
                "    {}",
                self.person.shown(self.focus == Field::Person)
            )),
            self.label(Field::Profile, desk.t(t::PROFILE)),
        ];
        let profile = self
            .chosen_profile()
            .map(|p| format!("{} ({})", p.word(lang), p.code()))
            .unwrap_or_else(|| "-".into());
        lines.push(self.choice(Field::Profile, profile));
        lines.push(Line::from(Span::styled(
            format!(
                "    {} {}",
                self.profiles.len(),
                desk.t(t::PROFILES_ALLOWED_BY_KINDS)
            ),
            style::dim(),
        )));
        lines.push(self.label(Field::Level, desk.t(t::LEVEL)));
        let level = self.level.word(lang).to_string();
        if self.levels().len() > 1 {
            lines.push(self.choice(Field::Level, level));
        } else {
            lines.push(Line::from(Span::styled(
                format!("    {level} ({})", desk.t(t::ONLY_LEVEL)),
                style::dim(),
            )));
        }
        if self.level == Level::Unit {
            lines.push(self.label(Field::Unit, desk.t(t::UNIT)));
            let unit = self
                .company
                .units
                .get(self.unit)
                .cloned()
                .unwrap_or_else(|| "-".into());
            lines.push(self.choice(Field::Unit, unit));
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
            area,
        );
    }
}
