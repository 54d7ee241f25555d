//! The process-wide registry of PKCS#11 modules: each module is loaded directly (never
//! through p11-kit's proxy, which would drag every registered module into the process) and
//! initialised once. A second `C_Initialize` on a module fails, and finalising one handle
//! would break every other user of the module, so one shared [`Module`] per path lives as
//! long as the process.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error, RvError};

use crate::card::error::CardError;

/// A loaded and initialised module.
pub struct Module {
    path: String,
    context: Pkcs11,
    /// The same library opened a second time (the loader shares one copy), for the one call
    /// cryptoki cannot make: a single-part `C_Sign` after a context-specific login.
    raw: cryptoki_sys::Pkcs11,
}

impl std::fmt::Debug for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Module").field("path", &self.path).finish()
    }
}

impl Module {
    /// The path it was loaded from, as the office wrote it: errors name it.
    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn context(&self) -> &Pkcs11 {
        &self.context
    }

    pub(crate) fn raw(&self) -> &cryptoki_sys::Pkcs11 {
        &self.raw
    }

    /// A failed call of this module as a [`CardError`] (removal, or what was being done).
    pub fn error(&self, operation: &str, e: Error) -> CardError {
        match e {
            Error::Pkcs11(
                RvError::DeviceRemoved
                | RvError::TokenNotPresent
                | RvError::SessionHandleInvalid
                | RvError::SessionClosed
                | RvError::DeviceError,
                _,
            ) => CardError::CardRemoved,
            other => CardError::Pkcs11Failure {
                module: self.path.clone(),
                operation: operation.to_string(),
                reason: other.to_string(),
            },
        }
    }
}

fn modules() -> &'static Mutex<HashMap<PathBuf, Arc<Module>>> {
    static MODULES: OnceLock<Mutex<HashMap<PathBuf, Arc<Module>>>> = OnceLock::new();
    MODULES.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The module at `path`, loaded and initialised on first use. Symbolic links to one file are
/// one module (one `C_Initialize`).
pub fn load(path: &Path) -> Result<Arc<Module>, CardError> {
    let shown = path.display().to_string();
    let fail = |reason: String| CardError::Pkcs11Module {
        module: shown.clone(),
        reason,
    };
    let key = std::fs::canonicalize(path).map_err(|e| fail(e.to_string()))?;
    // A poisoned lock only means another thread panicked while loading: the map is intact.
    let mut loaded = modules().lock().unwrap_or_else(|e| e.into_inner());
    if let Some(module) = loaded.get(&key) {
        return Ok(module.clone());
    }
    let context = Pkcs11::new(&key).map_err(|e| fail(e.to_string()))?;
    match context.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
        // Initialised by another library of this process: usable all the same.
        Ok(()) | Err(Error::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
        Err(e) => return Err(fail(format!("C_Initialize: {e}"))),
    }
    // SAFETY: the same file cryptoki just loaded and initialised; loading it again only
    // takes another reference to the one copy in memory, so its functions act on the
    // module state cryptoki set up.
    let raw = unsafe { cryptoki_sys::Pkcs11::new(&key) }.map_err(|e| fail(e.to_string()))?;
    let module = Arc::new(Module {
        path: shown,
        context,
        raw,
    });
    loaded.insert(key, module.clone());
    log::info!("PKCS#11 module {} loaded", module.path);
    Ok(module)
}
