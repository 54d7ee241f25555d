//! The desk's terminal UI (ratatui + crossterm). No business rules here: screens call the
//! registry, the store, the verifier, the trust store and (through [`card_desk::CardDesk`])
//! the card part, and show what comes back. Background work keeps the screen responsive.

pub mod app;
pub mod card_desk;
pub mod desk;
pub mod keys;
pub mod msg;
pub mod screens;
pub mod terminal;
pub mod widgets;
pub mod worker;

use std::path::PathBuf;
use std::time::Duration;

use ratatui::crossterm::event::{self, Event};

use crate::i18n::Lang;
use crate::store::Store;

pub use app::App;
pub use card_desk::CardDesk;
pub use desk::Desk;

/// Where the desk works.
pub struct Options {
    pub db: crate::store::Location,
    pub data_dir: PathBuf,
    pub lang: Lang,
}

/// How often the screen redraws when nothing happens (spinners, the session clock).
const TICK: Duration = Duration::from_millis(200);

/// Opens the desk database and builds the app; the channel carries background results.
pub fn build(
    options: &Options,
    card: Box<dyn CardDesk>,
) -> Result<(App, std::sync::mpsc::Receiver<msg::Msg>), crate::store::StoreError> {
    let store = Store::open_at(&options.db)?;
    let (mut jobs, rx) = worker::Jobs::new();
    jobs.start_card(card);
    let desk = Desk {
        store,
        db: options.db.clone(),
        db_path: options.db.local_path().to_path_buf(),
        data_dir: options.data_dir.clone(),
        start_dir: std::env::current_dir().unwrap_or_else(|_| options.data_dir.clone()),
        lang: options.lang,
        session: None,
        readers: None,
        trust: None,
        jobs,
        zone: crate::i18n::when::system_zone(),
    };
    Ok((App::new(desk), rx))
}

/// Runs the TUI until the officer quits; returns the exit code.
pub fn run(options: &Options, card: Box<dyn CardDesk>) -> i32 {
    let (mut app, rx) = match build(options, card) {
        Ok(built) => built,
        Err(e) => {
            log::error!("database: {e}");
            eprintln!(
                "{}: {e}",
                crate::i18n::tui_text::CANNOT_OPEN_DB.get(options.lang)
            );
            return crate::exit::NO_INPUT;
        }
    };
    let mut screen = match terminal::enter() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("terminal: {e}");
            return crate::exit::FAILED;
        }
    };
    let outcome = event_loop(&mut screen, &mut app, &rx);
    terminal::restore();
    match outcome {
        Ok(()) => crate::exit::OK,
        Err(e) => {
            eprintln!("terminal: {e}");
            crate::exit::FAILED
        }
    }
}

fn event_loop(
    screen: &mut terminal::Screen,
    app: &mut App,
    rx: &std::sync::mpsc::Receiver<msg::Msg>,
) -> std::io::Result<()> {
    while !app.should_quit() {
        // Resizes need nothing special: every frame is laid out from the current size.
        screen.draw(|f| app.draw(f))?;
        if event::poll(TICK)? {
            match event::read()? {
                Event::Key(key) => app.handle_key(key),
                Event::Resize(..) => {}
                _ => {}
            }
        }
        while let Ok(msg) = rx.try_recv() {
            app.handle_msg(msg);
        }
    }
    Ok(())
}

/// Feeds background results to `app` until every job it started has answered and the card
/// thread has reported the readers (tests and benchmarks use it before drawing).
pub fn settle(app: &mut App, rx: &std::sync::mpsc::Receiver<msg::Msg>, timeout: Duration) {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        while let Ok(msg) = rx.try_recv() {
            app.handle_msg(msg);
        }
        if app.desk.jobs.pending == 0 && app.desk.readers.is_some() {
            return;
        }
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return;
        }
        if let Some(msg) = worker::recv_for(rx, left.min(Duration::from_millis(50))) {
            app.handle_msg(msg);
        }
    }
}
