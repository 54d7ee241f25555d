//! One nomination with its evidence: the delegation form's verdict, its signers against the
//! company's legal representatives, the documents. Approve (the registry asks for a
//! confirmation when the verdict is indeterminate) or reject with a reason.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

use super::{Action, Screen};
use crate::i18n::{sub_indication_text, tui_text as t, Lang};
use crate::registry::nominations::{self, FormFacts};
use crate::registry::RegistryError;
use crate::store::companies::Company;
use crate::store::nominations::{AttachedDocument, Nomination};
use crate::tui::desk::Desk;
use crate::tui::keys::{self, KeyHelp};
use crate::tui::widgets::modal::{self, Modal, Notice, Outcome};
use crate::tui::widgets::style;

#[derive(Clone)]
enum Purpose {
    ConfirmApproval,
    RejectReason,
}

pub struct NominationDetail {
    id: i64,
    nomination: Option<Nomination>,
    company: Option<Company>,
    documents: Vec<AttachedDocument>,
    verdict: Option<FormFacts>,
    modal: Option<Modal<Purpose>>,
    notice: Option<Notice>,
}

impl NominationDetail {
    pub fn new(desk: &mut Desk, id: i64) -> NominationDetail {
        let mut screen = NominationDetail {
            id,
            nomination: None,
            company: None,
            documents: Vec::new(),
            verdict: None,
            modal: None,
            notice: None,
        };
        screen.resume(desk);
        screen
    }

    fn approve(&mut self, desk: &mut Desk, confirm: bool) {
        let session = desk.session_ref();
        match nominations::approve(&mut desk.store, session, self.id, confirm) {
            Err(RegistryError::NeedsConfirmation(sub)) => {
                // The form's own verdict, already read, names the sub-indication in words.
                let sentence = self
                    .verdict
                    .as_ref()
                    .and_then(FormFacts::open_question)
                    .map(|q| q.texts().0.get(desk.lang).to_string())
                    .unwrap_or(sub);
                self.modal = Some(Modal::confirm(
                    Purpose::ConfirmApproval,
                    format!("{} ({sentence})", desk.t(t::CONFIRM_INDETERMINATE)),
                ));
            }
            result => self.notice = Some(desk.change_notice(result, t::APPROVED)),
        }
        self.resume(desk);
    }
}

fn verdict_line(v: &FormFacts, lang: Lang) -> Line<'static> {
    let mut spans = vec![Span::styled(
        format!("{}: ", t::FORM_VERDICT.get(lang)),
        style::title(),
    )];
    match v.indication {
        Some(i) => spans.push(Span::styled(
            crate::i18n::outcome_word(i, lang).to_string(),
            style::indication(i),
        )),
        None => spans.push(Span::raw("?")),
    }
    if let Some(s) = v.sub_indication {
        spans.push(Span::raw(format!(" — {}", sub_indication_text(s, lang))));
    }
    Line::from(spans)
}

impl Screen for NominationDetail {
    fn title(&self, desk: &Desk) -> String {
        format!("{} {}", desk.t(t::NOMINATION), self.id)
    }

    fn keys(&self) -> Vec<KeyHelp> {
        vec![
            keys::main("a", t::KEY_APPROVE),
            keys::main("r", t::KEY_REJECT),
            keys::main("Esc", t::KEY_BACK),
        ]
    }

    fn captures_text(&self) -> bool {
        self.modal.is_some()
    }

    fn handle_key(&mut self, key: KeyEvent, desk: &mut Desk) -> Action {
        if let Some(outcome) = modal::answer(&mut self.modal, &key) {
            match outcome {
                Outcome::Open | Outcome::Cancelled => {}
                Outcome::Confirmed(_) => self.approve(desk, true),
                Outcome::Text(_, reason) => {
                    let session = desk.session_ref();
                    let result = nominations::reject(&mut desk.store, session, self.id, &reason);
                    self.notice = Some(desk.change_notice(result, t::REJECTED));
                    self.resume(desk);
                }
            }
            return Action::None;
        }
        match key.code {
            KeyCode::Esc => return Action::Pop,
            KeyCode::Char('a') => self.approve(desk, false),
            KeyCode::Char('r') => {
                self.modal = Some(Modal::prompt(
                    Purpose::RejectReason,
                    desk.t(t::REJECT_TITLE),
                    desk.t(t::REJECT_HINT),
                    "",
                ))
            }
            _ => {}
        }
        Action::None
    }

    fn resume(&mut self, desk: &mut Desk) {
        match desk.store.nomination(self.id) {
            Ok(n) => self.nomination = n,
            Err(e) => self.notice = Some(Notice::error(e.to_string())),
        }
        if let Some(n) = &self.nomination {
            self.company = desk.store.company(&n.company_cf).ok().flatten();
            self.verdict = desk
                .store
                .document(&n.form_sha256)
                .ok()
                .flatten()
                .and_then(|d| d.verification)
                .and_then(|json| nominations::form_facts(&json));
        }
        self.documents = desk.store.nomination_documents(self.id).unwrap_or_default();
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, desk: &Desk) {
        let lang = desk.lang;
        let Some(n) = &self.nomination else {
            frame.render_widget(
                Paragraph::new(desk.t(t::NOT_FOUND)).block(Block::default().borders(Borders::ALL)),
                area,
            );
            return;
        };
        let company_name = self
            .company
            .as_ref()
            .map(|c| c.name.clone())
            .unwrap_or_default();
        let mut lines = vec![
            Line::from(vec![
                Span::styled(format!("{}: ", desk.t(t::STATE)), style::title()),
                Span::styled(n.state.clone(), super::nominations::state_style(&n.state)),
                Span::raw(
                    n.reason
                        .as_deref()
                        .map(|r| format!(" — {r}"))
                        .unwrap_or_default(),
                ),
            ]),
            Line::from(format!(
                "{}: {} {}",
                desk.t(t::COMPANY),
                n.company_cf,
                company_name
            )),
            Line::from(format!("{}: {}", desk.t(t::ADMINISTRATOR), n.admin_cf)),
            Line::from(format!(
                "{}: {}",
                desk.t(t::SUBMITTED),
                crate::cli::human::time_display(&n.submitted_at)
            )),
            Line::from(""),
        ];
        match &self.verdict {
            Some(v) => {
                lines.push(verdict_line(v, lang));
                // The verdict line already says why; this one says what the officer can do.
                if let Some(question) = v.open_question() {
                    let what = question.texts().1.get(lang);
                    lines.push(Line::from(format!("{}: {what}.", desk.t(t::TO_CHECK_WHAT))));
                }
                let reps: Vec<&(String, String, String)> = self
                    .company
                    .as_ref()
                    .map(|c| c.representatives.iter().collect())
                    .unwrap_or_default();
                for signer in &v.signers {
                    let (cf, name) = (&signer.codice_fiscale, &signer.name);
                    let rep = reps.iter().find(|(rcf, _, _)| rcf == cf);
                    let (mark, s) = match rep {
                        Some((_, _, role)) => (format!("✓ {role}"), style::good()),
                        None => (desk.t(t::NOT_A_REPRESENTATIVE).to_string(), style::bad()),
                    };
                    lines.push(Line::from(vec![
                        Span::raw(format!("  {}: {name} ({cf}) ", desk.t(t::SIGNED_BY))),
                        Span::styled(mark, s),
                    ]));
                }
            }
            None => lines.push(Line::from(Span::styled(
                desk.t(t::UNSIGNED_FORM),
                style::warn(),
            ))),
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            format!("{}:", desk.t(t::REPRESENTATIVES)),
            style::title(),
        )));
        if let Some(c) = &self.company {
            for (cf, who, role) in &c.representatives {
                lines.push(Line::from(format!("  {who} ({cf}) · {role}")));
            }
        }
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(
            format!("{}:", desk.t(t::DOCUMENTS)),
            style::title(),
        )));
        for d in &self.documents {
            let expiry = d
                .expires_on
                .as_deref()
                .map(|e| format!(" · {} {e}", desk.t(t::EXPIRES)))
                .unwrap_or_default();
            lines.push(Line::from(format!(
                "  {} ({}, {} {}){expiry} · {}…",
                d.original_name,
                d.kind,
                d.size,
                desk.t(crate::i18n::verify_text::BYTES),
                d.sha256.get(..12).unwrap_or("")
            )));
        }
        if let Some(notice) = &self.notice {
            lines.push(Line::from(""));
            lines.push(notice.line());
        }
        frame.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::ALL)),
            area,
        );
        if let Some(modal) = &self.modal {
            modal.draw(frame, area, lang);
        }
    }
}
