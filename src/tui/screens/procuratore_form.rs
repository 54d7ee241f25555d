//! A procuratore con potere di firma, entered with the procura: the person's codice fiscale
//! and the procura's file, which the registry stores as evidence beside the role.

use std::path::Path;

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use super::{Action, Screen};
use crate::i18n::{tui_text as t, Text};
use crate::registry::people;
use crate::tui::desk::Desk;
use crate::tui::keys::{self, is_ctrl, KeyHelp};
use crate::tui::widgets::input::TextInput;
use crate::tui::widgets::modal::Notice;
use crate::tui::widgets::style;

const LABELS: [Text; 2] = [t::PROCURATORE_CF, t::PROCURA_FILE];

pub struct ProcuratoreForm {
    company_cf: String,
    company_name: String,
    fields: [TextInput; 2],
    focus: usize,
    notice: Option<Notice>,
}

impl ProcuratoreForm {
    pub fn new(company_cf: &str, company_name: &str, start_dir: &Path) -> ProcuratoreForm {
        // The file field starts in the desk's folder, as the file picker does.
        let folder = format!("{}/", start_dir.display());
        ProcuratoreForm {
            company_cf: company_cf.to_string(),
            company_name: company_name.to_string(),
            fields: [TextInput::default(), TextInput::with(&folder)],
            focus: 0,
            notice: None,
        }
    }

    fn save(&mut self, desk: &mut Desk) -> Action {
        let path = Path::new(self.fields[1].value.trim());
        let bytes = match std::fs::read(path) {
            Ok(bytes) if path.is_file() => bytes,
            Ok(_) | Err(_) => {
                log::info!("procura file {} not readable", path.display());
                self.notice = Some(Notice::error(format!(
                    "{}: {}",
                    desk.t(t::PROCURA_UNREADABLE),
                    path.display()
                )));
                return Action::None;
            }
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let session = desk.session_ref();
        let result = people::add_representative(
            &mut desk.store,
            session,
            &self.company_cf,
            self.fields[0].value.trim(),
            Some((&bytes, &name)),
        );
        match result {
            Ok(()) => Action::Pop,
            Err(e) => {
                self.notice = Some(Notice::error(desk.refusal(&e)));
                Action::None
            }
        }
    }
}

impl Screen for ProcuratoreForm {
    fn title(&self, desk: &Desk) -> String {
        format!("{} · {}", desk.t(t::ADD_PROCURATORE_TITLE), self.company_cf)
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
            KeyCode::Tab | KeyCode::Down | KeyCode::BackTab | KeyCode::Up => {
                self.focus = 1 - self.focus
            }
            KeyCode::Enter if self.focus == LABELS.len() - 1 => return self.save(desk),
            KeyCode::Enter => self.focus += 1,
            _ => {
                self.fields[self.focus].handle_key(&key);
            }
        }
        Action::None
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, desk: &Desk) {
        let mut lines = vec![
            Line::from(Span::styled(desk.t(t::COMPANY), style::title())),
            Line::from(format!("  {} ({})", self.company_name, self.company_cf)),
        ];
        for (i, label) in LABELS.iter().enumerate() {
            let focused = i == self.focus;
            let s = if focused {
                style::selected()
            } else {
                style::title()
            };
            lines.push(Line::from(Span::styled(desk.t(*label), s)));
            lines.push(Line::from(format!("  {}", self.fields[i].shown(focused))));
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
