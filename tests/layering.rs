//! The parts keep the direction of their dependencies (docs/architecture): the command line
//! and the screens are two thin layers over the library and never call each other; the
//! screens read the desk through the registry, never the store's rows or SQL.

use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("source file");
            out.push((path.display().to_string(), text));
        }
    }
}

fn offenders(part: &str, forbidden: &[&str]) -> Vec<String> {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(part),
        &mut files,
    );
    assert!(!files.is_empty(), "no sources under src/{part}");
    files
        .into_iter()
        .flat_map(|(path, text)| {
            forbidden
                .iter()
                .filter(|f| text.contains(*f))
                .map(|f| format!("{path} uses {f}"))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn the_screens_do_not_call_the_command_line() {
    let found = offenders(
        "tui",
        &["crate::cli", "sportello::cli", "super::super::cli"],
    );
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_command_line_does_not_call_the_screens() {
    let found = offenders("cli", &["crate::tui", "sportello::tui"]);
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_screens_read_the_desk_through_the_registry() {
    let found = offenders(
        "tui/screens",
        &[
            "store::companies",
            "store::grants",
            "store::nominations",
            "store::audit",
            ".companies_page(",
            ".nominations_page(",
            ".grants(",
            ".company(",
            ".audit_page(",
            "rusqlite",
        ],
    );
    assert!(found.is_empty(), "{found:#?}");
}
