//! The PC/SC transport: one connection to one reader, one transaction per multi-command
//! sequence. A card that was removed or reset ends the sequence with `CardRemoved`; the
//! stale handle is dropped so the next use reconnects.

use std::ffi::CString;

use pcsc::{Card, Context, Disposition, Protocols, Scope, ShareMode, Transaction};

use super::error::CardError;
use super::transport::Transport;

/// pcsc errors as the desk reports them.
pub fn map_error(e: pcsc::Error, reader: &str) -> CardError {
    use pcsc::Error as E;
    match e {
        E::RemovedCard | E::ResetCard | E::UnpoweredCard => CardError::CardRemoved,
        E::NoSmartcard => CardError::NoCard(reader.to_string()),
        E::UnknownReader | E::ReaderUnavailable => CardError::NoReader(reader.to_string()),
        E::NoReadersAvailable => CardError::NoReader(String::new()),
        E::NoService | E::ServiceStopped | E::Shutdown => CardError::PcscUnavailable(e.to_string()),
        E::Cancelled => CardError::Cancelled,
        other => CardError::Transport(other.to_string()),
    }
}

pub fn establish() -> Result<Context, CardError> {
    Context::establish(Scope::User).map_err(|e| map_error(e, ""))
}

/// A reader the desk talks to, reconnecting after a removal.
pub struct PcscReader {
    ctx: Context,
    name: String,
    cname: CString,
    card: Option<Card>,
}

/// The transport handed to drivers while a transaction is open.
struct InTransaction<'a, 'tx> {
    tx: &'a Transaction<'tx>,
    atr: &'a [u8],
    reader: &'a str,
}

impl Transport for InTransaction<'_, '_> {
    fn atr(&self) -> &[u8] {
        self.atr
    }
    fn transmit(&mut self, apdu: &[u8]) -> Result<Vec<u8>, CardError> {
        let mut buf = vec![0u8; pcsc::MAX_BUFFER_SIZE_EXTENDED];
        let answer = self
            .tx
            .transmit(apdu, &mut buf)
            .map_err(|e| map_error(e, self.reader))?;
        // vpcd turns a card that vanished mid-command into an empty answer that pcscd
        // reports as success; the next call on the handle gives RemovedCard.
        if answer.is_empty() {
            return Err(CardError::CardRemoved);
        }
        Ok(answer.to_vec())
    }
}

impl PcscReader {
    pub fn open(name: &str) -> Result<PcscReader, CardError> {
        let cname = CString::new(name).map_err(|_| CardError::NoReader(name.to_string()))?;
        Ok(PcscReader {
            ctx: establish()?,
            name: name.to_string(),
            cname,
            card: None,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    fn connected(&mut self) -> Result<&mut Card, CardError> {
        if self.card.is_none() {
            let card = self
                .ctx
                .connect(&self.cname, ShareMode::Shared, Protocols::ANY)
                .map_err(|e| match map_error(e, &self.name) {
                    // Nothing to remove at connect time: there is no card.
                    CardError::CardRemoved => CardError::NoCard(self.name.clone()),
                    other => other,
                })?;
            self.card = Some(card);
        }
        self.card
            .as_mut()
            .ok_or_else(|| CardError::NoCard(self.name.clone()))
    }

    /// Runs `f` inside one transaction. `reset_after` resets the card when it ends, so a
    /// verified PIN does not outlive the sequence (another program could use it).
    pub fn session<R>(
        &mut self,
        reset_after: bool,
        f: impl FnOnce(&mut dyn Transport) -> Result<R, CardError>,
    ) -> Result<R, CardError> {
        let name = self.name.clone();
        let result = (|| {
            let card = self.connected()?;
            let atr = card
                .status2_owned()
                .map_err(|e| map_error(e, &name))?
                .atr()
                .to_vec();
            let tx = card.transaction().map_err(|e| map_error(e, &name))?;
            let mut transport = InTransaction {
                tx: &tx,
                atr: &atr,
                reader: &name,
            };
            let outcome = f(&mut transport);
            let disposition = if reset_after {
                Disposition::ResetCard
            } else {
                Disposition::LeaveCard
            };
            if let Err((_, e)) = tx.end(disposition) {
                log::info!("ending the transaction on {name}: {e}");
            }
            outcome
        })();
        if matches!(result, Err(CardError::CardRemoved)) {
            // The handle is stale forever after a removal: reconnect on next use.
            self.card = None;
        }
        result
    }
}
