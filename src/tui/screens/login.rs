//! Login with the officer's card: choose the reader, type the PIN (masked), see the tries
//! left; the last try asks for confirmation. A passed authentication opens the session
//! through the registry, which knows who is an officer.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use super::{Action, Screen};
use crate::i18n::{tui_text as t, Lang};
use crate::registry::sessions::{self, LoginRequest};
use crate::registry::SessionRef;
use crate::tui::card_desk::{CardFault, PinBuffer, PinState, ReaderView};
use crate::tui::desk::{Desk, OfficerSession};
use crate::tui::keys::{self, KeyHelp};
use crate::tui::msg::Msg;
use crate::tui::widgets::modal::{self, Modal, Notice, Outcome};
use crate::tui::widgets::style;

/// The desk sentence for a card refusal.
pub fn fault_text(fault: &CardFault, lang: Lang) -> String {
    let it = lang == Lang::It;
    match fault {
        CardFault::NoReader(r) if r.is_empty() => t::NO_READERS.get(lang).into(),
        CardFault::NoReader(r) => format!("{}: {r}", t::NO_READER.get(lang)),
        CardFault::NoCard(r) => format!("{} ({r})", t::INSERT_CARD.get(lang)),
        CardFault::UnknownCard { atr_hex } => {
            format!("{} (ATR {atr_hex})", t::CARD_UNKNOWN_LONG.get(lang))
        }
        CardFault::WrongPin {
            tries_left: Some(n),
        } => {
            format!("{} {n}", t::WRONG_PIN.get(lang))
        }
        CardFault::WrongPin { tries_left: None } => t::WRONG_PIN_NO_COUNT.get(lang).into(),
        CardFault::PinBlocked => t::PIN_BLOCKED.get(lang).into(),
        CardFault::LastTryNeedsConfirmation => t::LAST_TRY.get(lang).into(),
        CardFault::PinFormat => t::PIN_FORMAT.get(lang).into(),
        CardFault::CardRemoved => t::CARD_REMOVED.get(lang).into(),
        CardFault::Untrusted(why) => format!("{} ({why})", t::CARD_UNTRUSTED.get(lang)),
        CardFault::CfMismatch {
            certificate,
            personal_data,
        } => {
            if it {
                format!("Carta incoerente: codice fiscale {certificate} nel certificato, {personal_data} nei dati personali.")
            } else {
                format!("Inconsistent card: codice fiscale {certificate} in the certificate, {personal_data} in the personal data.")
            }
        }
        CardFault::Unavailable(_) => t::CARD_UNAVAILABLE.get(lang).into(),
        CardFault::Other(why) => format!("{}: {why}", t::CARD_ERROR.get(lang)),
    }
}

#[derive(Clone)]
enum Purpose {
    LastTry,
}

pub struct Login {
    reader: Option<String>,
    pin: PinBuffer,
    pin_state: Option<Result<PinState, CardFault>>,
    busy: bool,
    modal: Option<Modal<Purpose>>,
    notice: Option<Notice>,
}

fn with_card(readers: &[ReaderView]) -> Option<String> {
    readers
        .iter()
        .find(|r| r.card.is_some())
        .map(|r| r.name.clone())
}

impl Login {
    pub fn new(desk: &mut Desk) -> Login {
        let mut login = Login {
            reader: None,
            pin: PinBuffer::new(),
            pin_state: None,
            busy: false,
            modal: None,
            notice: None,
        };
        login.follow_readers(desk);
        login
    }

    /// Picks the reader with a card (keeping the current one while its card stays in) and
    /// asks for its PIN counter.
    fn follow_readers(&mut self, desk: &mut Desk) {
        let readers = match &desk.readers {
            Some(Ok(r)) => r.clone(),
            _ => Vec::new(),
        };
        let still_in = self
            .reader
            .as_ref()
            .is_some_and(|name| readers.iter().any(|r| &r.name == name && r.card.is_some()));
        if still_in {
            return;
        }
        if self.reader.is_some() {
            self.pin.clear();
            self.modal = None;
            self.notice = Some(Notice::error(desk.t(t::CARD_REMOVED)));
        }
        self.pin_state = None;
        self.reader = with_card(&readers);
        if let Some(reader) = &self.reader {
            desk.jobs.pin_status(reader);
        }
    }

    fn submit(&mut self, desk: &mut Desk, confirm_last_try: bool) {
        let Some(reader) = self.reader.clone() else {
            self.notice = Some(Notice::error(desk.t(t::INSERT_CARD)));
            return;
        };
        if self.pin.is_empty() {
            self.notice = Some(Notice::error(desk.t(t::PIN_FORMAT)));
            return;
        }
        let last = matches!(
            self.pin_state,
            Some(Ok(PinState {
                tries_left: Some(1),
                ..
            }))
        );
        if last && !confirm_last_try {
            self.modal = Some(Modal::confirm(
                Purpose::LastTry,
                desk.t(t::LAST_TRY).to_string(),
            ));
            return;
        }
        self.busy = true;
        self.notice = None;
        desk.jobs
            .authenticate(&reader, self.pin.duplicate(), confirm_last_try);
    }

    fn cycle_reader(&mut self, desk: &mut Desk) {
        let Some(Ok(readers)) = &desk.readers else {
            return;
        };
        let with: Vec<&ReaderView> = readers.iter().filter(|r| r.card.is_some()).collect();
        if with.is_empty() {
            return;
        }
        let at = with
            .iter()
            .position(|r| Some(&r.name) == self.reader.as_ref())
            .map(|i| (i + 1) % with.len())
            .unwrap_or(0);
        self.reader = Some(with[at].name.clone());
        self.pin.clear();
        self.pin_state = None;
        desk.jobs.pin_status(&with[at].name);
    }
}

impl Screen for Login {
    fn title(&self, desk: &Desk) -> String {
        desk.t(t::LOGIN_TITLE).to_string()
    }

    fn keys(&self) -> Vec<KeyHelp> {
        vec![
            keys::main("0-9", t::KEY_PIN),
            keys::main("Invio", t::KEY_LOGIN),
            keys::more("Backspace", t::KEY_DELETE),
            keys::main("Tab", t::KEY_NEXT_READER),
            keys::main("Esc", t::KEY_BACK),
        ]
    }

    fn handle_key(&mut self, key: KeyEvent, desk: &mut Desk) -> Action {
        if let Some(outcome) = modal::answer(&mut self.modal, &key) {
            match outcome {
                Outcome::Open | Outcome::Text(..) => {}
                Outcome::Cancelled => self.pin.clear(),
                Outcome::Confirmed(Purpose::LastTry) => self.submit(desk, true),
            }
            return Action::None;
        }
        if self.busy {
            return Action::None;
        }
        match key.code {
            KeyCode::Esc => {
                self.pin.clear();
                Action::Pop
            }
            KeyCode::Char(c) if c.is_ascii_digit() => {
                self.pin.push(c);
                Action::None
            }
            KeyCode::Backspace => {
                self.pin.pop();
                Action::None
            }
            KeyCode::Tab => {
                self.cycle_reader(desk);
                Action::None
            }
            KeyCode::Enter => {
                self.submit(desk, false);
                Action::None
            }
            _ => Action::None,
        }
    }

    fn update(&mut self, msg: &Msg, desk: &mut Desk) -> Action {
        match msg {
            Msg::Readers(_) => self.follow_readers(desk),
            Msg::PinStatus { reader, result } if Some(reader) == self.reader.as_ref() => {
                self.pin_state = Some(result.clone());
            }
            Msg::Authenticated(result) => {
                self.busy = false;
                self.pin.clear();
                match result {
                    Ok(auth) => {
                        let login = LoginRequest {
                            codice_fiscale: &auth.codice_fiscale,
                            passed: auth.passed,
                            reasons: &auth.reasons,
                            evidence_json: auth.evidence_json.as_bytes(),
                            minutes: sessions::DEFAULT_SESSION_MINUTES,
                        };
                        match sessions::login(&mut desk.store, &login) {
                            Ok(opened) => {
                                let session = SessionRef(opened.session_id);
                                if let Err(e) =
                                    crate::store::write_session_file(&desk.db_path, session.0)
                                {
                                    log::error!("session file: {e}");
                                }
                                desk.session =
                                    desk.store.session_officer(session.0).ok().flatten().map(
                                        |(officer, s)| OfficerSession {
                                            officer,
                                            session,
                                            expires_at: s.expires_at,
                                        },
                                    );
                                return Action::Pop;
                            }
                            Err(e) => self.notice = Some(Notice::error(desk.refusal(&e))),
                        }
                    }
                    Err(CardFault::LastTryNeedsConfirmation) => {
                        self.modal = Some(Modal::confirm(
                            Purpose::LastTry,
                            desk.t(t::LAST_TRY).to_string(),
                        ));
                    }
                    Err(fault) => {
                        if let CardFault::WrongPin { tries_left } = fault {
                            self.pin_state = Some(Ok(PinState {
                                tries_left: *tries_left,
                                blocked: false,
                            }));
                        }
                        if *fault == CardFault::PinBlocked {
                            self.pin_state = Some(Ok(PinState {
                                tries_left: Some(0),
                                blocked: true,
                            }));
                        }
                        self.notice = Some(Notice::error(fault_text(fault, desk.lang)));
                    }
                }
            }
            _ => {}
        }
        Action::None
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, desk: &Desk) {
        let mut lines = Vec::new();
        lines.push(Line::from(Span::styled(desk.t(t::READERS), style::title())));
        match &desk.readers {
            Some(Ok(readers)) if !readers.is_empty() => {
                for r in readers {
                    let chosen = Some(&r.name) == self.reader.as_ref();
                    let state = match &r.card {
                        None => desk.t(t::NO_CARD).to_string(),
                        Some(c) => c
                            .profile
                            .clone()
                            .unwrap_or_else(|| desk.t(t::CARD_UNKNOWN).to_string()),
                    };
                    let text = format!("{} {}: {state}", if chosen { "▶" } else { " " }, r.name);
                    lines.push(Line::from(Span::styled(
                        text,
                        if chosen {
                            style::selected()
                        } else {
                            style::dim()
                        },
                    )));
                }
            }
            Some(Err(fault)) => lines.push(Line::from(Span::styled(
                fault_text(fault, desk.lang),
                style::bad(),
            ))),
            _ => lines.push(Line::from(Span::styled(
                desk.t(t::NO_READERS),
                style::warn(),
            ))),
        }
        lines.push(Line::from(""));
        if self.reader.is_none() {
            lines.push(Line::from(Span::styled(
                desk.t(t::INSERT_CARD),
                style::warn(),
            )));
        }
        let tries = match &self.pin_state {
            None => Span::styled(desk.t(t::LOADING), style::dim()),
            Some(Ok(PinState { blocked: true, .. })) => {
                Span::styled(desk.t(t::PIN_BLOCKED), style::bad())
            }
            Some(Ok(PinState {
                tries_left: Some(n),
                ..
            })) => Span::styled(
                n.to_string(),
                if *n <= 1 { style::bad() } else { style::good() },
            ),
            Some(Ok(PinState {
                tries_left: None, ..
            })) => Span::styled("?", style::dim()),
            Some(Err(fault)) => Span::styled(fault_text(fault, desk.lang), style::bad()),
        };
        lines.push(Line::from(vec![
            Span::raw(format!("{}: ", desk.t(t::TRIES_LEFT))),
            tries,
        ]));
        // Masked: one dot per digit, nothing else of the PIN ever reaches the screen.
        lines.push(Line::from(vec![
            Span::raw("PIN: "),
            Span::styled(format!("{}▏", "•".repeat(self.pin.len())), style::title()),
        ]));
        lines.push(Line::from(""));
        if self.busy {
            lines.push(Line::from(Span::styled(
                desk.t(t::AUTHENTICATING),
                style::warn(),
            )));
        }
        if let Some(n) = &self.notice {
            lines.push(n.line());
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            desk.t(t::LOGIN_HINT),
            style::dim(),
        )));
        frame.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: true }).block(
                Block::default()
                    .borders(Borders::ALL)
                    .title(format!(" {} ", desk.t(t::LOGIN_TITLE))),
            ),
            area,
        );
        if let Some(modal) = &self.modal {
            modal.draw(frame, area, desk.lang);
        }
    }
}
