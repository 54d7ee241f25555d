//! Startup to first frame of the desk's screens on a database with 100,000 companies: open
//! the store, read the session and the home counts, draw the home screen into a 120×40
//! buffer. The screens query pages and counts, never the whole register.
//! Run: `cargo bench --bench tui_startup` (the database is built once, under target/).

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use sportello::codice_fiscale::numeric_check_digit;
use sportello::i18n::Lang;
use sportello::registry::{self, CompanyRequest, SessionRef};
use sportello::store::{officers, Store};
use sportello::tui;
use sportello::tui::screens::Screen;

const COMPANIES: i64 = 100_000;

/// The benchmark database, filled through the registry API (reused when already full).
fn database() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/tui-startup-bench");
    let db = dir.join("desk.db");
    if Store::open(&db)
        .and_then(|s| s.companies_count(""))
        .is_ok_and(|n| n == COMPANIES)
    {
        return db;
    }
    let _ = std::fs::remove_dir_all(&dir);
    fill(&db);
    db
}

fn fill(db: &Path) {
    let mut store = Store::open(db).expect("open");
    let officer = registry::add_officer(&mut store, None, "RSSMRA80A01H501U", "MARIO ROSSI")
        .expect("officer");
    let session = SessionRef(
        store
            .change(|tx| officers::open_session(tx, officer, &"ab".repeat(32), 24 * 60))
            .expect("session"),
    );
    for i in 0..COMPANIES {
        let body = format!("{:010}", 10_000_000 + i);
        let cf = format!("{body}{}", numeric_check_digit(body.as_bytes()));
        registry::register_company(
            &mut store,
            Some(session),
            &CompanyRequest {
                codice_fiscale: &cf,
                name: &format!("Azienda di prova {i:06}"),
                registered_office: None,
                pec: None,
                kinds: vec![("datore-privato".into(), None)],
            },
        )
        .expect("company");
    }
}

fn startup(c: &mut Criterion) {
    let db = database();
    let data_dir = db.parent().map(Path::to_path_buf).unwrap_or_default();
    let options = tui::Options {
        db: sportello::store::Location::Sqlite(db),
        data_dir,
        lang: Lang::It,
    };
    let mut group = c.benchmark_group("tui_startup");
    group.sample_size(20);
    group.bench_function("first_frame_100k_companies", |b| {
        b.iter(|| {
            let (mut app, _rx) =
                tui::build(&options, Box::new(tui::card_desk::Unwired)).expect("build");
            let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
            terminal.draw(|f| app.draw(f)).expect("draw");
        })
    });
    group.bench_function("companies_screen_100k", |b| {
        let (mut app, _rx) =
            tui::build(&options, Box::new(tui::card_desk::Unwired)).expect("build");
        b.iter(|| {
            let mut screen = tui::screens::companies::Companies::new(
                &mut app.desk,
                tui::screens::companies::Mode::Detail,
            );
            let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
            terminal
                .draw(|f| screen.draw(f, f.area(), &app.desk))
                .expect("draw");
        })
    });
    group.finish();
}

criterion_group!(benches, startup);
criterion_main!(benches);
