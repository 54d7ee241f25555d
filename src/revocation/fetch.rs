//! A plain blocking HTTP client for revocation data: short timeouts, no redirects (a fetch goes
//! to the certificate's own URL and nowhere else), no proxy from the environment, bounded
//! bodies. Every fetch is logged.

use std::time::Duration;

/// Short enough that a desk never waits long for an absent network.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
/// Italian CAs publish CRLs of several megabytes; nothing legitimate is larger than this.
const MAX_BODY: u64 = 64 * 1024 * 1024;

#[derive(Debug, Clone, thiserror::Error)]
pub enum FetchError {
    #[error("{url}: no answer within {seconds} s")]
    Timeout { url: String, seconds: u64 },
    #[error("{url}: {message}")]
    Failed { url: String, message: String },
    #[error("{url}: only http and https URLs are fetched")]
    Scheme { url: String },
}

pub struct Fetcher {
    agent: ureq::Agent,
    timeout: Duration,
}

impl Fetcher {
    pub fn new(timeout: Duration) -> Fetcher {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .timeout_connect(Some(timeout))
            .max_redirects(0)
            .proxy(None)
            .http_status_as_error(true)
            .user_agent(concat!("sportello/", env!("CARGO_PKG_VERSION")))
            .build();
        Fetcher {
            agent: ureq::Agent::new_with_config(config),
            timeout,
        }
    }

    fn error(&self, url: &str, e: ureq::Error) -> FetchError {
        match e {
            ureq::Error::Timeout(_) => FetchError::Timeout {
                url: url.to_string(),
                seconds: self.timeout.as_secs().max(1),
            },
            other => FetchError::Failed {
                url: url.to_string(),
                message: other.to_string(),
            },
        }
    }

    fn check_scheme(url: &str) -> Result<(), FetchError> {
        let lower = url.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            Ok(())
        } else {
            Err(FetchError::Scheme {
                url: url.to_string(),
            })
        }
    }

    /// GET `url` (a CRL, a Trusted List).
    pub fn get(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        Self::check_scheme(url)?;
        log::info!("fetching {url}");
        let result = self
            .agent
            .get(url)
            .call()
            .and_then(|mut r| r.body_mut().with_config().limit(MAX_BODY).read_to_vec());
        log_outcome(url, &result);
        result.map_err(|e| self.error(url, e))
    }

    /// POST an OCSP request to `url`.
    pub fn post_ocsp(&self, url: &str, request: &[u8]) -> Result<Vec<u8>, FetchError> {
        Self::check_scheme(url)?;
        log::info!("asking OCSP responder {url}");
        let result = self
            .agent
            .post(url)
            .header("Content-Type", "application/ocsp-request")
            .header("Accept", "application/ocsp-response")
            .send(request)
            .and_then(|mut r| r.body_mut().with_config().limit(1024 * 1024).read_to_vec());
        log_outcome(url, &result);
        result.map_err(|e| self.error(url, e))
    }
}

fn log_outcome(url: &str, result: &Result<Vec<u8>, ureq::Error>) {
    match result {
        Ok(body) => log::info!("{url}: {} bytes", body.len()),
        Err(e) => log::warn!("{url}: {e}"),
    }
}
