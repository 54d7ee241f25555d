//! The screen stack and the keys that work everywhere: Ctrl-C quits, `?`/F1 shows the current
//! screen's keys, Esc closes the help or goes back.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind};
use ratatui::layout::{Constraint, Layout};
use ratatui::Frame;

use super::desk::Desk;
use super::keys::is_ctrl;
use super::msg::Msg;
use super::screens::{home::Home, Action, Screen};
use super::widgets::{bars, help};

pub struct App {
    pub desk: Desk,
    stack: Vec<Box<dyn Screen>>,
    help: bool,
    quit: bool,
}

impl App {
    /// Opens on the home screen; starts reading the trust store in the background.
    pub fn new(mut desk: Desk) -> App {
        desk.refresh_session();
        desk.jobs.trust_status(desk.data_dir.clone());
        let home = Home::new(&mut desk);
        App {
            desk,
            stack: vec![Box::new(home)],
            help: false,
            quit: false,
        }
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    pub fn help_open(&self) -> bool {
        self.help
    }

    /// Opens a screen over the current one (tests go straight to a screen this way).
    pub fn push(&mut self, screen: Box<dyn Screen>) {
        self.stack.push(screen);
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        if is_ctrl(&key, 'c') {
            self.quit = true;
            return;
        }
        if self.help {
            if matches!(key.code, KeyCode::Esc | KeyCode::Char('?') | KeyCode::F(1)) {
                self.help = false;
            }
            return;
        }
        let Some(top) = self.stack.last_mut() else {
            self.quit = true;
            return;
        };
        if key.code == KeyCode::F(1) || (key.code == KeyCode::Char('?') && !top.captures_text()) {
            self.help = true;
            return;
        }
        let action = top.handle_key(key, &mut self.desk);
        self.apply(action);
    }

    pub fn handle_msg(&mut self, msg: Msg) {
        if msg.ends_job() {
            self.desk.jobs.pending = self.desk.jobs.pending.saturating_sub(1);
        }
        match &msg {
            Msg::Readers(readers) => self.desk.readers = Some(readers.clone()),
            Msg::Trust(trust) => self.desk.trust = Some(trust.clone()),
            _ => {}
        }
        let mut actions = Vec::new();
        for screen in self.stack.iter_mut() {
            actions.push(screen.update(&msg, &mut self.desk));
        }
        for action in actions {
            self.apply(action);
        }
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::None => {}
            Action::Push(screen) => self.stack.push(screen),
            Action::Pop => {
                if self.stack.len() > 1 {
                    self.stack.pop();
                    if let Some(top) = self.stack.last_mut() {
                        top.resume(&mut self.desk);
                    }
                }
            }
            Action::Quit => self.quit = true,
        }
    }

    pub fn draw(&mut self, frame: &mut Frame) {
        let [title, body, keys] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(frame.area());
        let Some(top) = self.stack.last_mut() else {
            return;
        };
        let name = top.title(&self.desk);
        bars::title_bar(frame, title, &name, &self.desk);
        top.draw(frame, body, &self.desk);
        let declared = top.keys();
        bars::key_bar(frame, keys, &declared, self.desk.lang);
        if self.help {
            help::draw(frame, body, &name, &declared, self.desk.lang);
        }
    }
}
