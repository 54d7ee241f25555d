//! Verify a file: pick it, verify it in the background, see the tree and the details,
//! extract the signed document, verify again at an asserted date ("verifica alla data").

use std::path::{Path, PathBuf};

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, ListItem, ListState, Paragraph, Wrap};
use ratatui::Frame;

use super::verify_tree::{self, Node};
use super::{Action, Screen};
use crate::extract::{extract_document, ExtractError};
use crate::i18n::{cli_text, outcome_word, report_text as rt, tui_text as t, verify_text as vt};
use crate::tui::desk::Desk;
use crate::tui::keys::{self, KeyHelp};
use crate::tui::msg::{Msg, Verified};
use crate::tui::widgets::modal::{self, Modal, Notice, Outcome};
use crate::tui::widgets::{list_nav, list_view, style};

/// Names the picker marks as signed envelopes.
const SIGNED: [&str; 6] = [".p7m", ".p7s", ".m7m", ".tsd", ".tsr", ".pdf"];

struct Picker {
    dir: PathBuf,
    /// (name, is a folder), folders first; ".." on top when there is a parent.
    entries: Vec<(String, bool)>,
    state: ListState,
    error: Option<String>,
}

impl Picker {
    fn open(dir: PathBuf) -> Picker {
        let mut picker = Picker {
            dir,
            entries: Vec::new(),
            state: ListState::default().with_selected(Some(0)),
            error: None,
        };
        picker.load();
        picker
    }

    fn load(&mut self) {
        self.entries.clear();
        self.error = None;
        if self.dir.parent().is_some() {
            self.entries.push(("..".into(), true));
        }
        match std::fs::read_dir(&self.dir) {
            Ok(read) => {
                let mut found: Vec<(String, bool)> = read
                    .filter_map(|e| e.ok())
                    .filter_map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        (!name.starts_with('.')).then(|| (name, e.path().is_dir()))
                    })
                    .collect();
                found.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                self.entries.extend(found);
            }
            Err(e) => self.error = Some(e.to_string()),
        }
        self.state.select(Some(0));
    }

    /// Enter: a folder opens, a file is chosen.
    fn enter(&mut self) -> Option<PathBuf> {
        let (name, is_dir) = self.entries.get(self.state.selected()?)?.clone();
        if name == ".." {
            self.up();
            None
        } else if is_dir {
            self.dir = self.dir.join(name);
            self.load();
            None
        } else {
            Some(self.dir.join(name))
        }
    }

    fn up(&mut self) {
        if let Some(parent) = self.dir.parent() {
            self.dir = parent.to_path_buf();
            self.load();
        }
    }
}

#[derive(Clone)]
enum Purpose {
    Extract,
    AtDate,
    Print,
}

enum Stage {
    Picking,
    Running(PathBuf),
    Done(Box<Result<Verified, String>>),
}

pub struct Verify {
    picker: Picker,
    stage: Stage,
    tree: ListState,
    modal: Option<Modal<Purpose>>,
    notice: Option<Notice>,
    spinner: usize,
}

impl Verify {
    pub fn new(desk: &Desk) -> Verify {
        Verify {
            picker: Picker::open(desk.start_dir.clone()),
            stage: Stage::Picking,
            tree: ListState::default().with_selected(Some(0)),
            modal: None,
            notice: None,
            spinner: 0,
        }
    }

    fn start(&mut self, path: PathBuf, at: Option<time::OffsetDateTime>, desk: &mut Desk) {
        self.notice = None;
        self.stage = Stage::Running(path.clone());
        let online = crate::registry::online_revocation(&mut desk.store);
        desk.jobs
            .verify(path, at, desk.data_dir.clone(), online, desk.lang);
    }

    fn verified(&self) -> Option<&Verified> {
        match &self.stage {
            Stage::Done(done) => done.as_ref().as_ref().ok(),
            _ => None,
        }
    }

    fn extract(&mut self, dir: &str, desk: &Desk) {
        let Some(done) = self.verified() else {
            return;
        };
        let name = done
            .report
            .content
            .as_ref()
            .map(|c| c.suggested_name.clone())
            .unwrap_or_default();
        let result = std::fs::read(&done.path)
            .map_err(|e| ExtractError::Io {
                path: done.path.clone(),
                source: e,
            })
            .and_then(|data| extract_document(&data, Path::new(dir.trim()), &name));
        self.notice = Some(match result {
            Ok(written) => Notice::ok(format!("{}: {}", desk.t(vt::EXTRACTED), written.display())),
            Err(e) => {
                let text = match &e {
                    ExtractError::Exists(_) => cli_text::EXTRACT_EXISTS,
                    ExtractError::NothingToExtract => cli_text::EXTRACT_NOTHING,
                    ExtractError::Io { .. } => cli_text::EXTRACT_FAILED,
                };
                Notice::error(format!("{} ({e})", desk.t(text)))
            }
        });
    }

    /// The PDF is written on a worker thread: the screen stays responsive meanwhile.
    fn print(&mut self, out: &str, desk: &mut Desk) {
        let Some(report) = self.verified().map(|v| v.report.clone()) else {
            return;
        };
        if out.is_empty() {
            return;
        }
        self.notice = Some(Notice::ok(desk.t(rt::PRINTING).to_string()));
        desk.jobs
            .print_report(report, PathBuf::from(out), desk.data_dir.clone(), desk.lang);
    }

    fn draw_picker(&mut self, frame: &mut Frame, area: Rect, desk: &Desk) {
        let items: Vec<ListItem> = self
            .picker
            .entries
            .iter()
            .map(|(name, is_dir)| {
                let lower = name.to_ascii_lowercase();
                if *is_dir {
                    ListItem::new(format!("{name}/")).style(style::title())
                } else if SIGNED.iter().any(|s| lower.ends_with(s)) {
                    ListItem::new(name.clone()).style(style::good())
                } else {
                    ListItem::new(name.clone())
                }
            })
            .collect();
        let [list_area, hint] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(2)]).areas(area);
        frame.render_stateful_widget(
            list_view::pick_list(
                items,
                format!(" {}: {} ", desk.t(t::PICK_FILE), self.picker.dir.display()),
            ),
            list_area,
            &mut self.picker.state,
        );
        let mut lines = Vec::new();
        if let Some(e) = &self.picker.error {
            lines.push(Line::from(Span::styled(e.clone(), style::bad())));
        }
        lines.push(Line::from(Span::styled(desk.t(t::PICK_HINT), style::dim())));
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), hint);
    }

    fn draw_result(&mut self, frame: &mut Frame, area: Rect, desk: &Desk, done: &Verified) {
        let report = &done.report;
        let lang = desk.lang;
        let mut head = Vec::new();
        for w in &done.stale_warnings {
            head.push(Line::from(Span::styled(w.clone(), style::bad())));
        }
        head.push(Line::from(vec![
            Span::styled(format!("{}: ", desk.t(vt::OVERALL)), style::title()),
            Span::styled(
                outcome_word(report.indication, lang),
                style::indication(report.indication),
            ),
            Span::raw(format!("  {}", report.file)),
        ]));
        let asserted = if report.validation_time_asserted {
            format!(" {}", desk.t(vt::ASSERTED))
        } else {
            String::new()
        };
        head.push(Line::from(format!(
            "{}: {}{asserted}",
            desk.t(vt::VALIDATION_TIME),
            desk.local_time(&report.validation_time)
        )));
        head.push(Line::from(match &report.content {
            Some(c) => format!(
                "{}: {} ({}, {} {})",
                desk.t(vt::CONTENT),
                c.suggested_name,
                c.media_type,
                c.size,
                desk.t(vt::BYTES)
            ),
            None => desk.t(t::NO_CONTENT).to_string(),
        }));
        if let Some(n) = &self.notice {
            head.push(n.line());
        }
        let head_height = head.len() as u16 + 2;
        let [head_area, body] =
            Layout::vertical([Constraint::Length(head_height), Constraint::Min(3)]).areas(area);
        frame.render_widget(
            Paragraph::new(head)
                .wrap(Wrap { trim: true })
                .block(Block::default().borders(Borders::ALL)),
            head_area,
        );
        let nodes = verify_tree::nodes(report);
        let tree_width = if area.width >= 100 { 44 } else { 30 };
        let [tree_area, details_area] =
            Layout::horizontal([Constraint::Length(tree_width), Constraint::Min(20)]).areas(body);
        let items: Vec<ListItem> = nodes
            .iter()
            .map(|n| ListItem::new(verify_tree::node_line(report, *n, lang)))
            .collect();
        frame.render_stateful_widget(
            list_view::list(items, format!(" {} ", desk.t(t::TREE))),
            tree_area,
            &mut self.tree,
        );
        let selected = self.tree.selected().and_then(|i| nodes.get(i).copied());
        frame.render_widget(
            Paragraph::new(verify_tree::details(report, selected, lang, &desk.zone))
                .wrap(Wrap { trim: false })
                .block(
                    Block::default()
                        .borders(Borders::ALL)
                        .title(format!(" {} ", desk.t(t::DETAILS))),
                ),
            details_area,
        );
    }
}

impl Screen for Verify {
    fn title(&self, desk: &Desk) -> String {
        desk.t(t::VERIFY_TITLE).to_string()
    }

    fn keys(&self) -> Vec<KeyHelp> {
        match self.stage {
            Stage::Picking => vec![
                keys::main("↑↓", t::KEY_MOVE),
                keys::main("Invio", t::KEY_CHOOSE),
                keys::main("Backspace", t::KEY_PARENT),
                keys::main("Esc", t::KEY_BACK),
            ],
            Stage::Running(_) => vec![keys::main("Esc", t::KEY_BACK)],
            Stage::Done(_) => vec![
                keys::main("↑↓", t::KEY_MOVE),
                keys::main("x", t::KEY_EXTRACT),
                keys::main("d", t::KEY_AT_DATE),
                keys::main("o", t::KEY_OTHER_FILE),
                keys::main("Esc", t::KEY_BACK),
                // Last, so the keys that were there keep their place on an 80-column screen.
                keys::main("p", rt::KEY_PRINT),
            ],
        }
    }

    fn captures_text(&self) -> bool {
        self.modal.is_some()
    }

    fn handle_key(&mut self, key: KeyEvent, desk: &mut Desk) -> Action {
        if let Some(outcome) = modal::answer(&mut self.modal, &key) {
            match outcome {
                Outcome::Open | Outcome::Cancelled | Outcome::Confirmed(_) => {}
                Outcome::Text(Purpose::Extract, dir) => self.extract(&dir, desk),
                Outcome::Text(Purpose::Print, out) => self.print(out.trim(), desk),
                Outcome::Text(Purpose::AtDate, text) => {
                    match crate::i18n::when::parse_when(text.trim()) {
                        Ok(at) => {
                            if let Some(path) = self.verified().map(|v| v.path.clone()) {
                                self.start(path, Some(at), desk);
                            }
                        }
                        Err(_) => self.notice = Some(Notice::error(desk.t(t::BAD_DATE))),
                    }
                }
            }
            return Action::None;
        }
        match &self.stage {
            Stage::Picking => match key.code {
                KeyCode::Esc => return Action::Pop,
                KeyCode::Up => list_nav::up(&mut self.picker.state),
                KeyCode::Down => list_nav::down(&mut self.picker.state, self.picker.entries.len()),
                KeyCode::Backspace => self.picker.up(),
                KeyCode::Enter => {
                    if let Some(path) = self.picker.enter() {
                        self.start(path, None, desk);
                    }
                }
                _ => {}
            },
            Stage::Running(_) => {
                if key.code == KeyCode::Esc {
                    // The result, when it comes, is dropped: the job cannot be interrupted.
                    self.stage = Stage::Picking;
                }
            }
            Stage::Done(_) => {
                let count = self
                    .verified()
                    .map(|v| verify_tree::nodes(&v.report).len())
                    .unwrap_or(0);
                match key.code {
                    KeyCode::Esc => return Action::Pop,
                    KeyCode::Char('o') => self.stage = Stage::Picking,
                    KeyCode::Up => list_nav::up(&mut self.tree),
                    KeyCode::Down => list_nav::down(&mut self.tree, count),
                    KeyCode::Char('x') if self.verified().is_some() => {
                        let dir = self.picker.dir.display().to_string();
                        self.modal = Some(Modal::prompt(
                            Purpose::Extract,
                            desk.t(t::EXTRACT_TITLE),
                            desk.t(t::EXTRACT_HINT),
                            &dir,
                        ));
                    }
                    KeyCode::Char('p') if self.verified().is_some() => {
                        let suggested = self
                            .verified()
                            .map(|v| {
                                let name = v
                                    .path
                                    .file_name()
                                    .map(|n| n.to_string_lossy().into_owned())
                                    .unwrap_or_default();
                                self.picker
                                    .dir
                                    .join(format!("{name}.rapporto.pdf"))
                                    .display()
                                    .to_string()
                            })
                            .unwrap_or_default();
                        self.modal = Some(Modal::prompt(
                            Purpose::Print,
                            desk.t(rt::PRINT_TITLE),
                            desk.t(rt::PRINT_HINT),
                            &suggested,
                        ));
                    }
                    KeyCode::Char('d') if self.verified().is_some() => {
                        self.modal = Some(Modal::prompt(
                            Purpose::AtDate,
                            desk.t(t::AT_DATE_TITLE),
                            desk.t(t::AT_DATE_HINT),
                            "",
                        ));
                    }
                    _ => {}
                }
            }
        }
        Action::None
    }

    fn update(&mut self, msg: &Msg, desk: &mut Desk) -> Action {
        if let Msg::Printed(result) = msg {
            self.notice = Some(match result {
                Ok(path) => Notice::ok(format!(
                    "{}: {}",
                    desk.t(rt::REPORT_WRITTEN),
                    path.display()
                )),
                Err(e) => Notice::error(format!("{} ({e})", desk.t(rt::REPORT_FAILED))),
            });
            return Action::None;
        }
        if let (Msg::Verified(result), Stage::Running(path)) = (msg, &self.stage) {
            let mine = match result.as_ref() {
                Ok(v) => &v.path == path,
                Err(_) => true,
            };
            if mine {
                self.stage = Stage::Done(result.clone());
                // Open on the first signature: that is what the officer came for.
                let first_sig = self
                    .verified()
                    .map(|v| verify_tree::nodes(&v.report))
                    .and_then(|n| n.iter().position(|n| matches!(n, Node::Signature(..))))
                    .unwrap_or(0);
                self.tree.select(Some(first_sig));
            }
        }
        Action::None
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, desk: &Desk) {
        match &self.stage {
            Stage::Picking => self.draw_picker(frame, area, desk),
            Stage::Running(path) => {
                self.spinner = self.spinner.wrapping_add(1);
                let frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
                let text = format!(
                    "{} {} {}",
                    frames[self.spinner % frames.len()],
                    desk.t(t::VERIFYING),
                    path.display()
                );
                frame.render_widget(
                    Paragraph::new(text)
                        .wrap(Wrap { trim: true })
                        .block(Block::default().borders(Borders::ALL)),
                    area,
                );
            }
            Stage::Done(done) => match done.as_ref() {
                Ok(v) => {
                    let v = v.clone();
                    self.draw_result(frame, area, desk, &v);
                }
                Err(e) => frame.render_widget(
                    Paragraph::new(Line::from(Span::styled(
                        format!("{}: {e}", desk.t(cli_text::CANNOT_OPEN)),
                        style::bad(),
                    )))
                    .wrap(Wrap { trim: true })
                    .block(Block::default().borders(Borders::ALL)),
                    area,
                ),
            },
        }
        if let Some(modal) = &self.modal {
            modal.draw(frame, area, desk.lang);
        }
    }
}
