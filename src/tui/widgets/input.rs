//! A one-line text field (typing, Backspace, Ctrl-U to clear).

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::tui::keys::{is_ctrl, plain_char};

#[derive(Debug, Clone, Default)]
pub struct TextInput {
    pub value: String,
}

impl TextInput {
    pub fn with(value: &str) -> Self {
        TextInput {
            value: value.to_string(),
        }
    }

    /// Whether the key changed the text.
    pub fn handle_key(&mut self, key: &KeyEvent) -> bool {
        if is_ctrl(key, 'u') {
            self.value.clear();
            return true;
        }
        if let Some(c) = plain_char(key) {
            self.value.push(c);
            return true;
        }
        if key.code == KeyCode::Backspace {
            return self.value.pop().is_some();
        }
        false
    }

    /// The text with a cursor mark, for drawing.
    pub fn shown(&self, focused: bool) -> String {
        if focused {
            format!("{}▏", self.value)
        } else {
            self.value.clone()
        }
    }
}
