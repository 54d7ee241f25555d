//! Revocation data: CRLs and OCSP responses read and judged, the CRL store in the data
//! directory, fetching from a certificate's own URLs, and the combined source the engine asks
//! (`verify::revocation::RevocationSource`). Knows nothing of cards, workflow or screens.

pub mod cert;
pub mod crl;
pub mod crl_store;
pub mod der_write;
pub mod fetch;
pub mod ocsp;
pub mod refresh;
pub mod signed;
pub mod source;

pub use crl_store::CrlStore;
pub use source::RevocationSources;
