//! The binary: the command line for a command, the desk's screens without one. The two
//! never call each other; both are thin layers over the library.

use sportello::cli;
use sportello::i18n::Lang;
use sportello::tui;

fn main() {
    let code = match cli::parse() {
        Err(code) => code,
        Ok(args) if args.command.is_none() => screens(&args),
        Ok(args) => {
            sportello::logging::init();
            cli::run(args)
        }
    };
    std::process::exit(code);
}

/// The desk's screens, logging to a file (the terminal belongs to the screens).
fn screens(args: &cli::Cli) -> i32 {
    let data_dir = args.data_dir();
    let db = match args.db() {
        Ok(db) => db,
        Err(code) => return code,
    };
    if std::fs::create_dir_all(&data_dir).is_ok() {
        sportello::logging::init_to_file(&data_dir.join("sportello.log"));
    }
    let options = tui::Options {
        db,
        data_dir: data_dir.clone(),
        lang: args.lang.unwrap_or_else(Lang::from_locale),
    };
    tui::run(&options, Box::new(tui::card_desk::LiveCards::new(data_dir)))
}
