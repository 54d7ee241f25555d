//! What every screen works with: the store, where things live, the language, the officer's
//! session, the readers, and the way to start background work.

use std::path::PathBuf;

use crate::i18n::{Lang, Text};
use crate::registry::{RegistryError, SessionRef};
use crate::store::officers::Officer;
use crate::store::Store;

use super::card_desk::{CardFault, ReaderView};
use super::msg::TrustSummary;
use super::widgets::modal::Notice;
use super::worker::Jobs;

/// The officer logged in at this desk.
#[derive(Debug, Clone)]
pub struct OfficerSession {
    pub officer: Officer,
    pub session: SessionRef,
    pub expires_at: String,
}

pub struct Desk {
    pub store: Store,
    /// Where the registry is (a file or a server), for the background jobs' own connections.
    pub db: crate::store::Location,
    /// What this desk's own files (the session token) are named after.
    pub db_path: PathBuf,
    pub data_dir: PathBuf,
    /// Where the file picker starts.
    pub start_dir: PathBuf,
    pub lang: Lang,
    pub session: Option<OfficerSession>,
    /// `None` until the card thread first reports.
    pub readers: Option<Result<Vec<ReaderView>, CardFault>>,
    pub trust: Option<Result<TrustSummary, String>>,
    pub jobs: Jobs,
    /// Times on screen are shown in this zone (the system's; tests fix one).
    pub zone: jiff::tz::TimeZone,
}

impl Desk {
    pub fn t(&self, text: Text) -> &'static str {
        text.get(self.lang)
    }

    pub fn session_ref(&self) -> Option<SessionRef> {
        self.session.as_ref().map(|s| s.session)
    }

    /// Re-reads the session recorded beside the database (by this desk or `sportello login`)
    /// and keeps it only while the store says it is live.
    pub fn refresh_session(&mut self) {
        let id = self
            .session
            .as_ref()
            .map(|s| s.session.0)
            .or_else(|| crate::store::read_session_file(&self.db_path));
        self.session = id.and_then(|id| match self.store.session_officer(id) {
            Ok(Some((officer, session))) => Some(OfficerSession {
                officer,
                session: SessionRef(session.id),
                expires_at: session.expires_at,
            }),
            Ok(None) => None,
            Err(e) => {
                log::error!("session lookup: {e}");
                None
            }
        });
    }

    /// A refusal as the desk reads it.
    pub fn refusal(&self, e: &RegistryError) -> String {
        log::info!("refused: {e}");
        match self.lang {
            Lang::It => e.italian(),
            Lang::En => format!("Refused: {e}."),
        }
    }

    /// The line under a screen after a registry change: `done` when it went through, the
    /// refusal otherwise.
    pub fn change_notice(&self, result: Result<(), RegistryError>, done: Text) -> Notice {
        match result {
            Ok(()) => Notice::ok(self.t(done)),
            Err(e) => Notice::error(self.refusal(&e)),
        }
    }

    /// A stored time as the officer reads it: local, with the zone.
    pub fn local_time(&self, rfc3339: &str) -> String {
        crate::i18n::when::date_time(rfc3339, &self.zone)
    }

    /// The local day of a stored time.
    pub fn local_date(&self, rfc3339: &str) -> String {
        crate::i18n::when::date(rfc3339, &self.zone)
    }

    /// The local hour and minute of a stored time, with the zone.
    pub fn local_clock(&self, rfc3339: &str) -> String {
        crate::i18n::when::clock(rfc3339, &self.zone)
    }

    /// Today (UTC), for the overdue rule.
    pub fn today(&self) -> time::Date {
        time::OffsetDateTime::now_utc().date()
    }
}
