//! Where the registry lives: a SQLite file (the embedded default) or a PostgreSQL server
//! shared by the office's desks. `--db` and the data directory's `database` setting take
//! either; anything else that looks like a URL is refused, never taken for a file name.

use std::path::{Path, PathBuf};

use crate::crypto::algorithms::DigestAlgorithm;
use crate::crypto::digest::digest;

/// The data directory's setting: one line, a path or a `postgresql://` URL.
pub const SETTING_FILE: &str = "database";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    Postgres {
        /// The connection string as given (it may hold a password: never logged).
        url: String,
        /// This desk's own files for that server (session token, audit head), in the data
        /// directory, named after the server and database, not the password.
        local: PathBuf,
    },
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LocationError {
    #[error("«{0}» looks like a URL but only postgres:// and postgresql:// are supported")]
    UnsupportedUrl(String),
    #[error("the PostgreSQL address is not valid: {0}")]
    BadPostgresUrl(String),
    #[error("the database setting {path} cannot be read: {reason}")]
    Setting { path: String, reason: String },
}

impl LocationError {
    pub fn italian(&self) -> String {
        match self {
            LocationError::UnsupportedUrl(u) => format!(
                "«{u}» sembra un indirizzo, ma sono ammessi solo postgres:// e postgresql:// (oppure il percorso di un file)."
            ),
            LocationError::BadPostgresUrl(why) => {
                format!("L'indirizzo del server PostgreSQL non è valido: {why}.")
            }
            LocationError::Setting { path, reason } => {
                format!("Impossibile leggere l'impostazione dell'archivio {path}: {reason}.")
            }
        }
    }
}

fn is_postgres_url(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// `scheme:` with a URL-like scheme followed by `//`, or one of the well-known schemes even
/// without slashes (`postgresql:/x`, `sqlite:desk.db`): a user meant an address, not a file.
fn looks_like_url(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let scheme_like = !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let known = matches!(
        scheme.to_ascii_lowercase().as_str(),
        "postgres" | "postgresql" | "sqlite" | "file" | "mysql" | "mariadb" | "http" | "https"
    );
    scheme_like && (rest.starts_with("//") || known)
}

impl Location {
    /// Reads `--db`'s text. `data_dir` holds the desk's own files for a server.
    pub fn parse(text: &str, data_dir: &Path) -> Result<Location, LocationError> {
        let text = text.trim();
        if is_postgres_url(text) {
            let config: postgres::Config = text
                .parse()
                .map_err(|e: postgres::Error| LocationError::BadPostgresUrl(e.to_string()))?;
            return Ok(Location::Postgres {
                url: text.to_string(),
                local: data_dir.join(format!("postgres-{}", server_key(&config))),
            });
        }
        if looks_like_url(text) {
            return Err(LocationError::UnsupportedUrl(text.to_string()));
        }
        Ok(Location::Sqlite(PathBuf::from(text)))
    }

    /// `--db` if given, else the data directory's setting, else `sportello.db` in it.
    pub fn resolve(db: Option<&str>, data_dir: &Path) -> Result<Location, LocationError> {
        if let Some(text) = db {
            return Location::parse(text, data_dir);
        }
        let setting = data_dir.join(SETTING_FILE);
        match std::fs::read_to_string(&setting) {
            Ok(text) => Location::parse(text.lines().next().unwrap_or("").trim(), data_dir),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Ok(Location::Sqlite(super::default_path(data_dir)))
            }
            Err(e) => Err(LocationError::Setting {
                path: setting.display().to_string(),
                reason: e.to_string(),
            }),
        }
    }

    /// The path this desk's own files are named after: the SQLite file itself, or the
    /// server's key in the data directory (`<key>.session`, `<key>.audit-head`).
    pub fn local_path(&self) -> &Path {
        match self {
            Location::Sqlite(path) => path,
            Location::Postgres { local, .. } => local,
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Location::Postgres { .. })
    }

    /// For messages and logs: the file, or the server without its password.
    pub fn describe(&self) -> String {
        match self {
            Location::Sqlite(path) => path.display().to_string(),
            Location::Postgres { url, .. } => url
                .parse::<postgres::Config>()
                .map(|c| describe_server(&c))
                .unwrap_or_else(|_| "postgresql://?".into()),
        }
    }
}

/// `user@host:port/dbname`, the password left out.
pub fn describe_server(config: &postgres::Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|h| match h {
            postgres::config::Host::Tcp(name) => name.clone(),
            #[cfg(unix)]
            postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    let ports: Vec<String> = config.get_ports().iter().map(u16::to_string).collect();
    format!(
        "postgresql://{}@{}:{}/{}",
        config.get_user().unwrap_or(""),
        hosts.join(","),
        ports.join(","),
        config.get_dbname().unwrap_or("")
    )
}

fn server_key(config: &postgres::Config) -> String {
    let described = describe_server(config);
    hex::encode(digest(DigestAlgorithm::Sha256, described.as_bytes()))[..16].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_urls_and_refusals() {
        let dir = Path::new("/data");
        assert_eq!(
            Location::parse("desk.db", dir),
            Ok(Location::Sqlite("desk.db".into()))
        );
        assert_eq!(
            Location::parse("/var/lib/a:b.db", dir),
            Ok(Location::Sqlite("/var/lib/a:b.db".into()))
        );
        let pg = Location::parse("postgresql://desk@%2Ftmp%2Fpg:5432/registry", dir).unwrap();
        assert!(pg.is_postgres());
        assert!(pg
            .local_path()
            .to_string_lossy()
            .starts_with("/data/postgres-"));
        assert_eq!(pg.describe(), "postgresql://desk@/tmp/pg:5432/registry");
        let with_password =
            Location::parse("postgres://desk:secret@%2Ftmp%2Fpg:5432/registry", dir).unwrap();
        assert_eq!(pg.local_path(), with_password.local_path());
        assert!(!with_password.describe().contains("secret"));
        for url in [
            "mysql://x/y",
            "sqlite:desk.db",
            "https://example.org/db",
            "postgresql:/tmp",
        ] {
            assert!(
                matches!(
                    Location::parse(url, dir),
                    Err(LocationError::UnsupportedUrl(_))
                ),
                "{url}"
            );
        }
        assert!(matches!(
            Location::parse("postgresql://desk@host:notaport/db", dir),
            Err(LocationError::BadPostgresUrl(_))
        ));
    }
}
