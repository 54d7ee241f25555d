//! Logs go to standard error in English; `SPORTELLO_LOG=debug` turns up the detail.
//! Nothing secret (PINs) is ever passed to the logger.

pub fn init() {
    let env = env_logger::Env::new().filter_or("SPORTELLO_LOG", "warn");
    let _ = env_logger::Builder::from_env(env)
        .format_timestamp_secs()
        .try_init();
}
