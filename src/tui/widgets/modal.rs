//! Prompts (one line of text) and confirmations drawn over a screen. The screen keeps the
//! modal with a purpose value of its own and learns the outcome from `handle_key`.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::input::TextInput;
use super::{centered, style};
use crate::i18n::{tui_text as t, Lang};

pub enum Modal<P> {
    Prompt {
        purpose: P,
        title: String,
        hint: String,
        input: TextInput,
    },
    Confirm {
        purpose: P,
        message: String,
    },
}

pub enum Outcome<P> {
    /// Still open.
    Open,
    Cancelled,
    Text(P, String),
    Confirmed(P),
}

impl<P: Clone> Modal<P> {
    pub fn prompt(purpose: P, title: &str, hint: &str, initial: &str) -> Self {
        Modal::Prompt {
            purpose,
            title: title.to_string(),
            hint: hint.to_string(),
            input: TextInput::with(initial),
        }
    }

    pub fn confirm(purpose: P, message: String) -> Self {
        Modal::Confirm { purpose, message }
    }

    pub fn handle_key(&mut self, key: &KeyEvent) -> Outcome<P> {
        if key.code == KeyCode::Esc {
            return Outcome::Cancelled;
        }
        match self {
            Modal::Prompt { purpose, input, .. } => {
                if key.code == KeyCode::Enter {
                    return Outcome::Text(purpose.clone(), input.value.clone());
                }
                input.handle_key(key);
                Outcome::Open
            }
            Modal::Confirm { purpose, .. } => match key.code {
                KeyCode::Char('s' | 'S' | 'y' | 'Y') | KeyCode::Enter => {
                    Outcome::Confirmed(purpose.clone())
                }
                KeyCode::Char('n' | 'N') => Outcome::Cancelled,
                _ => Outcome::Open,
            },
        }
    }

    pub fn draw(&self, frame: &mut Frame, area: Rect, lang: Lang) {
        let width = area.width.saturating_sub(8).clamp(20, 72);
        match self {
            Modal::Prompt {
                title, hint, input, ..
            } => {
                let lines = vec![
                    Line::from(input.shown(true)),
                    Line::from(""),
                    Line::from(Span::styled(hint.clone(), style::dim())),
                    Line::from(Span::styled(t::PROMPT_KEYS.get(lang), style::dim())),
                ];
                let box_area = centered(area, width, 8);
                frame.render_widget(Clear, box_area);
                frame.render_widget(
                    Paragraph::new(lines).wrap(Wrap { trim: false }).block(
                        Block::default()
                            .borders(Borders::ALL)
                            .title(format!(" {title} ")),
                    ),
                    box_area,
                );
            }
            Modal::Confirm { message, .. } => {
                let lines = vec![
                    Line::from(message.clone()),
                    Line::from(""),
                    Line::from(Span::styled(t::CONFIRM_KEYS.get(lang), style::title())),
                ];
                let box_area = centered(area, width, 9);
                frame.render_widget(Clear, box_area);
                frame.render_widget(
                    Paragraph::new(lines).wrap(Wrap { trim: false }).block(
                        Block::default()
                            .borders(Borders::ALL)
                            .border_style(style::warn())
                            .title(format!(" {} ", t::CONFIRM_TITLE.get(lang))),
                    ),
                    box_area,
                );
            }
        }
    }
}

/// Hands `key` to the open modal, if there is one, and closes the modal once it is answered
/// (cancelled, text given, confirmed). `None` when no modal is open: the key is the screen's.
pub fn answer<P: Clone>(modal: &mut Option<Modal<P>>, key: &KeyEvent) -> Option<Outcome<P>> {
    let outcome = modal.as_mut()?.handle_key(key);
    if !matches!(outcome, Outcome::Open) {
        *modal = None;
    }
    Some(outcome)
}

/// A one-line outcome under a screen: what was done, or why not.
#[derive(Debug, Clone)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

impl Notice {
    pub fn ok(text: impl Into<String>) -> Self {
        Notice {
            text: text.into(),
            error: false,
        }
    }
    pub fn error(text: impl Into<String>) -> Self {
        Notice {
            text: text.into(),
            error: true,
        }
    }
    pub fn line(&self) -> Line<'static> {
        let s: Style = if self.error {
            style::bad()
        } else {
            style::good()
        };
        Line::from(Span::styled(self.text.clone(), s))
    }
}
