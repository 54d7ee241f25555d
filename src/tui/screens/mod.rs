//! One file per screen. Each declares its keys, handles keys and background results, and
//! draws itself into the body area; the app draws the bars and the help popup around it.

pub mod audit;
pub mod companies;
pub mod company_detail;
pub mod company_form;
pub mod grant_form;
pub mod grants;
pub mod home;
pub mod login;
pub mod nomination_detail;
pub mod nominations;
pub mod procuratore_form;
pub mod trust;
pub mod verify;
mod verify_tree;

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::Frame;

use super::desk::Desk;
use super::keys::KeyHelp;
use super::msg::Msg;

pub enum Action {
    None,
    Push(Box<dyn Screen>),
    /// Back to the screen below (Esc).
    Pop,
    Quit,
}

pub trait Screen {
    fn title(&self, desk: &Desk) -> String;
    /// The keys this screen answers now (they may depend on its state).
    fn keys(&self) -> Vec<KeyHelp>;
    fn handle_key(&mut self, key: KeyEvent, desk: &mut Desk) -> Action;
    /// A background result arrived (every screen on the stack sees it).
    fn update(&mut self, _msg: &Msg, _desk: &mut Desk) -> Action {
        Action::None
    }
    fn draw(&mut self, frame: &mut Frame, area: Rect, desk: &Desk);
    /// While true, letters are text: `?` and `q` are not commands (F1 still opens help).
    fn captures_text(&self) -> bool {
        false
    }
    /// The screen is shown again after the one above it closed: reload what may have changed.
    fn resume(&mut self, _desk: &mut Desk) {}
}
