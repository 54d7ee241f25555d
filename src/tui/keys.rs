//! Key bindings as each screen declares them: the help popup lists them all, the bottom bar
//! the main ones.

use crate::i18n::Text;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Copy)]
pub struct KeyHelp {
    pub keys: &'static str,
    pub what: Text,
    /// Shown in the bottom bar too.
    pub main: bool,
}

pub const fn main(keys: &'static str, what: Text) -> KeyHelp {
    KeyHelp {
        keys,
        what,
        main: true,
    }
}

pub const fn more(keys: &'static str, what: Text) -> KeyHelp {
    KeyHelp {
        keys,
        what,
        main: false,
    }
}

pub fn is_ctrl(key: &KeyEvent, c: char) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char(c)
}

/// A plain character, without Ctrl or Alt.
pub fn plain_char(key: &KeyEvent) -> Option<char> {
    match key.code {
        KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(c)
        }
        _ => None,
    }
}

/// Key names as printed on the keyboard of the language ("Invio" is "Enter" in English).
pub fn key_name(keys: &str, lang: crate::i18n::Lang) -> String {
    match lang {
        crate::i18n::Lang::It => keys.to_string(),
        crate::i18n::Lang::En => keys.replace("Invio", "Enter"),
    }
}
