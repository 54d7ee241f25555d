//! Colours with a meaning: verdicts, freshness, overdue.

use ratatui::style::{Color, Modifier, Style};

use crate::verify::{CheckStatus, Indication};

pub fn indication(i: Indication) -> Style {
    let colour = match i {
        Indication::TotalPassed => Color::Green,
        Indication::Indeterminate => Color::Yellow,
        Indication::TotalFailed => Color::Red,
    };
    Style::default().fg(colour).add_modifier(Modifier::BOLD)
}

pub fn check(status: CheckStatus) -> Style {
    Style::default().fg(match status {
        CheckStatus::Passed => Color::Green,
        CheckStatus::Failed => Color::Red,
        CheckStatus::Warning | CheckStatus::Indeterminate => Color::Yellow,
        CheckStatus::NotChecked => Color::Gray,
    })
}

pub fn good() -> Style {
    Style::default().fg(Color::Green)
}

pub fn bad() -> Style {
    Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
}

pub fn warn() -> Style {
    Style::default().fg(Color::Yellow)
}

pub fn dim() -> Style {
    Style::default().fg(Color::DarkGray)
}

pub fn title() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

pub fn selected() -> Style {
    Style::default().add_modifier(Modifier::REVERSED)
}
