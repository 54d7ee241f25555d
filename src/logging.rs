//! Logs are English; `SPORTELLO_LOG=debug` turns up the detail. Commands log to standard
//! error; the desk screen logs to `sportello.log` in the data directory, because a line on
//! stderr would be drawn over the screen. Nothing secret (PINs) is ever passed to the logger.

use std::path::Path;

fn builder() -> env_logger::Builder {
    let env = env_logger::Env::new().filter_or("SPORTELLO_LOG", "warn");
    let mut builder = env_logger::Builder::from_env(env);
    builder.format_timestamp_secs();
    builder
}

/// Logging for the command line: standard error.
pub fn init() {
    let _ = builder().try_init();
}

/// Logging for the screens: appended to `file` (owner-only). When the file cannot be
/// opened nothing is logged rather than drawn over the screen.
pub fn init_to_file(file: &Path) {
    let opened = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file);
    let mut builder = builder();
    match opened {
        Ok(f) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let _ = f.set_permissions(std::fs::Permissions::from_mode(0o600));
            }
            builder.target(env_logger::Target::Pipe(Box::new(f)));
        }
        Err(_) => {
            builder.filter_level(log::LevelFilter::Off);
        }
    }
    let _ = builder.try_init();
}
