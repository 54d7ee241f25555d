//! Every screen, in Italian and English, at 80×24 and 120×40, drawn into a `TestBackend`
//! from a real temporary database filled through the registry API (companies, people,
//! representatives, grants with one overdue, nominations whose forms are signed by the test
//! PKI), with the card part simulated. Run `cargo insta review` after a deliberate change.

mod common;
mod support;

use std::path::PathBuf;
use std::sync::mpsc::Receiver;
use std::sync::OnceLock;
use std::time::Duration;

use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use sportello::codice_fiscale::numeric_check_digit;
use sportello::i18n::Lang;
use sportello::registry::nominations::{self, IdentityDocument};
use sportello::registry::people::{add_person, add_representative};
use sportello::registry::{self, grants, CompanyRequest};
use sportello::tui::card_desk::{Simulated, SimulatedCard};
use sportello::tui::msg::Msg;
use sportello::tui::{self, App};
use sportello::verify::VerifyOptions;

struct Fixture {
    _dir: tempfile::TempDir,
    db: PathBuf,
    data: PathBuf,
    files: PathBuf,
}

fn company_cf(n: u64) -> String {
    let body = format!("{:010}", 1_234_500 + n);
    format!("{body}{}", numeric_check_digit(body.as_bytes()))
}

/// The desk the screens show, built once per test binary.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix("tui")
            .rand_bytes(6)
            .tempdir()
            .expect("tempdir");
        let data = dir.path().join("data");
        let files = dir.path().join("files");
        std::fs::create_dir_all(&files).expect("files dir");
        let (mut store, session) = common::officer_in_session(&data);
        let db = data.join("desk.db");
        sportello::store::write_session_file(&db, session.0).expect("session file");
        let s = Some(session);

        let pki = &support::fixtures().pki;
        sportello::trust::store::Store::open(&data)
            .import(std::slice::from_ref(&pki.root_cert))
            .expect("trust the test root");

        let companies = [
            ("00743110157", "ACME S.p.A.", vec![("datore-privato", None)]),
            (
                &*company_cf(1).leak(),
                "Studio Verdi Consulenti del Lavoro",
                vec![("consulente-lavoro", Some("Albo CdL Milano n. 1234"))],
            ),
            (
                &*company_cf(2).leak(),
                "Comune di Prova",
                vec![("datore-pubblico", None)],
            ),
            (
                &*company_cf(3).leak(),
                "Formazione Futura Soc. Coop.",
                vec![
                    ("datore-privato", None),
                    (
                        "promotore-tirocinio",
                        Some("Accreditamento regionale 77/2020"),
                    ),
                ],
            ),
        ];
        for (cf, name, kinds) in &companies {
            registry::register_company(
                &mut store,
                s,
                &CompanyRequest {
                    codice_fiscale: cf,
                    name,
                    registered_office: Some("Via Roma 1, Milano"),
                    pec: Some("ufficio@pec.example.it"),
                    kinds: kinds
                        .iter()
                        .map(|(k, a)| (k.to_string(), a.map(str::to_string)))
                        .collect(),
                },
            )
            .expect("company");
        }
        registry::add_unit(&mut store, s, "00743110157", "Filiale Torino").expect("unit");
        add_person(&mut store, s, "RSSMRA80A01H501U", "ROSSI", "MARIO", false).expect("person");
        add_person(&mut store, s, "VRDLCU85M41F205J", "VERDI", "LUCIA", true).expect("person");
        add_person(
            &mut store,
            s,
            "BNCGNN70C15L219B",
            "BIANCHI",
            "GIOVANNI",
            true,
        )
        .expect("person");
        add_representative(&mut store, s, "00743110157", "RSSMRA80A01H501U", None).expect("rep");
        grants::add(
            &mut store,
            s,
            "00743110157",
            "VRDLCU85M41F205J",
            "co-gestione",
            None,
        )
        .expect("grant");
        let ended = grants::add(
            &mut store,
            s,
            "00743110157",
            "BNCGNN70C15L219B",
            "offerte-lavoro",
            Some("Filiale Torino"),
        )
        .expect("grant");
        let ten_days_ago = (time::OffsetDateTime::now_utc() - time::Duration::days(10)).date();
        grants::end_relationship(&mut store, s, ended, ten_days_ago).expect("end");

        // Forms: one signed by the legal representative, one by someone who is not.
        let trust = sportello::trust::TrustStore::load(std::slice::from_ref(&pki.root_cert))
            .expect("anchor");
        let mut opts = VerifyOptions::now();
        opts.trust = Some(&trust);
        let document = &support::fixtures().document;
        let by_rep = pki.sign(
            document,
            "tui-delega-rossi.p7m",
            &[&pki.rsa],
            &["-nodetach", "-outform", "DER"],
        );
        let by_other = pki.sign(
            document,
            "tui-delega-verdi.p7m",
            &[&pki.rsa_second],
            &["-nodetach", "-outform", "DER"],
        );
        let two = pki.sign(
            document,
            "tui-due-firme.p7m",
            &[&pki.rsa, &pki.p384],
            &["-nodetach", "-outform", "DER"],
        );
        let id_doc = IdentityDocument {
            bytes: b"carta d'identita (prova)",
            name: "ci-verdi.pdf",
            expires_on: (time::OffsetDateTime::now_utc() + time::Duration::days(400)).date(),
        };
        for form in [&by_rep, &by_other] {
            let bytes = std::fs::read(form).expect("form");
            nominations::submit(
                &mut store,
                s,
                "00743110157",
                "VRDLCU85M41F205J",
                (&bytes, "delega.pdf.p7m"),
                std::slice::from_ref(&id_doc),
                &opts,
            )
            .expect("nomination");
        }
        std::fs::copy(&two, files.join("delega-due-firme.txt.p7m")).expect("copy");
        std::fs::write(files.join("leggimi.txt"), "non firmato").expect("write");
        Fixture {
            _dir: dir,
            db,
            data,
            files,
        }
    })
}

fn demo_card(tries_left: u8, profile: Option<&str>) -> SimulatedCard {
    SimulatedCard {
        atr_hex: "3BFF1800FF8131FE55006B02090403010101434E5310318062".into(),
        profile: profile.map(str::to_string),
        codice_fiscale: "BNCGNN70C15L219B".into(),
        name: "GIOVANNI BIANCHI".into(),
        pin: "12345678".into(),
        tries_left,
        trusted: true,
    }
}

#[derive(Clone, Copy)]
enum Step {
    Key(KeyCode),
    Ctrl(char),
    Type(&'static str),
}

fn open(lang: Lang, card: Simulated) -> (App, Receiver<Msg>) {
    let f = fixture();
    let (mut app, rx) = tui::build(
        &tui::Options {
            db: sportello::store::Location::Sqlite(f.db.clone()),
            data_dir: f.data.clone(),
            lang,
        },
        Box::new(card),
    )
    .expect("app");
    app.desk.start_dir = f.files.clone();
    // A zone without summer time, so the screens are the same all year and on any machine.
    app.desk.zone = jiff::tz::TimeZone::posix("CET-1").expect("zone");
    (app, rx)
}

fn render(app: &mut App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal.draw(|f| app.draw(f)).expect("draw");
    terminal.backend().to_string()
}

/// Runs `steps` from the home screen in both languages and both sizes and snapshots the end.
fn scenario(name: &str, card: impl Fn() -> Simulated, steps: &[Step]) {
    for lang in [Lang::It, Lang::En] {
        for (w, h) in [(80, 24), (120, 40)] {
            let (mut app, rx) = open(lang, card());
            tui::settle(&mut app, &rx, Duration::from_secs(30));
            for step in steps {
                let key = match step {
                    Step::Key(code) => vec![KeyEvent::new(*code, KeyModifiers::NONE)],
                    Step::Ctrl(c) => vec![KeyEvent::new(KeyCode::Char(*c), KeyModifiers::CONTROL)],
                    Step::Type(text) => text
                        .chars()
                        .map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
                        .collect(),
                };
                for k in key {
                    app.handle_key(k);
                }
                tui::settle(&mut app, &rx, Duration::from_secs(30));
            }
            let screen = render(&mut app, w, h);
            let lang_name = if lang == Lang::It { "it" } else { "en" };
            insta::with_settings!({
                filters => vec![
                    (r"/tmp/tui[A-Za-z0-9]{6}", "/tmp/tuiXXXXXX"),
                    (r"\d{4}-\d{2}-\d{2}", "YYYY-MM-DD"),
                    (r"\d{2}:\d{2}:\d{2}", "hh:mm:ss"),
                    (r"\b\d{2}:\d{2}\b", "hh:mm"),
                    (r"\b[0-9a-f]{12,64}\b", "<hash>"),
                ],
                snapshot_suffix => format!("{lang_name}_{w}x{h}"),
            }, {
                insta::assert_snapshot!(name, screen);
            });
        }
    }
}

fn one_reader_with(card: SimulatedCard) -> Simulated {
    let sim = Simulated::new(&["Lettore sportello 00 00", "Lettore sportello 00 01"]);
    sim.insert("Lettore sportello 00 00", card);
    sim
}

fn no_card() -> Simulated {
    Simulated::new(&["Lettore sportello 00 00"])
}

use KeyCode::{Down, Enter, Tab};
use Step::{Ctrl, Key, Type};

#[test]
fn home() {
    scenario(
        "home",
        || one_reader_with(demo_card(3, Some("cns-infocamere"))),
        &[],
    );
}

/// A desk with many readers lists the one with a card and counts the empty ones.
#[test]
fn home_many_readers() {
    scenario(
        "home_many_readers",
        || {
            let names: Vec<String> = (0..16)
                .map(|i| format!("Lettore sportello {} {:02}", i / 2, i % 2))
                .collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let sim = Simulated::new(&names);
            sim.insert(
                "Lettore sportello 6 01",
                demo_card(3, Some("cns-infocamere")),
            );
            sim
        },
        &[],
    );
}

#[test]
fn home_help() {
    scenario("home_help", no_card, &[Type("?")]);
}

#[test]
fn login_pin_masked() {
    scenario(
        "login_pin_masked",
        || one_reader_with(demo_card(3, Some("cns-infocamere"))),
        &[Type("1"), Type("1234")],
    );
}

#[test]
fn login_last_try() {
    scenario(
        "login_last_try",
        || one_reader_with(demo_card(1, Some("cie-3"))),
        &[Type("1"), Type("99999"), Key(Enter)],
    );
}

#[test]
fn login_wrong_pin() {
    scenario(
        "login_wrong_pin",
        || one_reader_with(demo_card(3, Some("cns-infocamere"))),
        &[Type("1"), Type("99999"), Key(Enter)],
    );
}

#[test]
fn login_blocked() {
    scenario(
        "login_blocked",
        || one_reader_with(demo_card(0, Some("cns-infocamere"))),
        &[Type("1")],
    );
}

#[test]
fn login_unknown_card() {
    scenario(
        "login_unknown_card",
        || one_reader_with(demo_card(3, None)),
        &[Type("1")],
    );
}

#[test]
fn verify_picker() {
    scenario("verify_picker", no_card, &[Type("2")]);
}

#[test]
fn verify_result() {
    scenario(
        "verify_result",
        no_card,
        &[Type("2"), Key(Down), Key(Enter)],
    );
}

#[test]
fn verify_at_date_prompt() {
    scenario(
        "verify_at_date_prompt",
        no_card,
        &[
            Type("2"),
            Key(Down),
            Key(Enter),
            Type("d"),
            Type("2024-01-31"),
        ],
    );
}

#[test]
fn companies_search() {
    scenario("companies_search", no_card, &[Type("3"), Type("studio")]);
}

#[test]
fn companies_all() {
    scenario("companies_all", no_card, &[Type("3")]);
}

#[test]
fn company_detail() {
    scenario(
        "company_detail",
        no_card,
        &[Type("3"), Type("acme"), Key(Enter)],
    );
}

#[test]
fn company_form_new() {
    scenario(
        "company_form_new",
        no_card,
        &[
            Type("3"),
            Ctrl('n'),
            Type("12345678903"),
            Key(Enter),
            Type("Nuova Srl"),
        ],
    );
}

#[test]
fn nominations_queue() {
    scenario("nominations_queue", no_card, &[Type("4")]);
}

#[test]
fn nomination_detail() {
    scenario("nomination_detail", no_card, &[Type("4"), Key(Enter)]);
}

#[test]
fn nomination_signer_not_representative() {
    scenario(
        "nomination_signer_not_representative",
        no_card,
        &[Type("4"), Key(Down), Key(Enter)],
    );
}

#[test]
fn nomination_reject_prompt() {
    scenario(
        "nomination_reject_prompt",
        no_card,
        &[Type("4"), Key(Enter), Type("r"), Type("firma non conforme")],
    );
}

#[test]
fn grants_overdue() {
    scenario(
        "grants_overdue",
        no_card,
        &[Type("5"), Type("acme"), Key(Enter)],
    );
}

/// The grant form: a profile among those the company's kinds allow (a traineeship promoter
/// may grant the promoter's profiles), then the unit level and a unit.
#[test]
fn grant_form_new() {
    scenario(
        "grant_form_new",
        no_card,
        &[
            Type("5"),
            Type("formazione"),
            Key(Enter),
            Type("n"),
            Type("VRDLCU85M41F205J"),
            Key(Tab),
            Key(KeyCode::Right),
            Key(KeyCode::Right),
            Key(KeyCode::Right),
            Key(KeyCode::Right),
            Key(KeyCode::Right),
            Key(KeyCode::Right),
            Key(Tab),
        ],
    );
}

#[test]
fn procuratore_form() {
    scenario(
        "procuratore_form",
        no_card,
        &[
            Type("3"),
            Type("acme"),
            Key(Enter),
            Type("p"),
            Type("BNCGNN70C15L219B"),
        ],
    );
}

/// Editing a company: every field but the codice fiscale, the kinds included.
#[test]
fn company_form_edit() {
    scenario(
        "company_form_edit",
        no_card,
        &[
            Type("3"),
            Type("studio"),
            Key(Enter),
            Type("e"),
            Key(Down),
            Key(Down),
            Key(Down),
        ],
    );
}

#[test]
fn audit_log() {
    scenario("audit_log", no_card, &[Type("6")]);
}

#[test]
fn trust_status() {
    scenario("trust_status", no_card, &[Type("7")]);
}

/// Insertion and removal reach the home screen through the card thread.
#[test]
fn card_insertion_and_removal_show_on_home() {
    let sim = no_card();
    let (mut app, rx) = open(Lang::It, sim.clone());
    tui::settle(&mut app, &rx, Duration::from_secs(10));
    assert!(render(&mut app, 80, 24).contains("nessuna carta"));
    sim.insert(
        "Lettore sportello 00 00",
        demo_card(3, Some("cns-infocamere")),
    );
    let started = std::time::Instant::now();
    let mut seen = false;
    while started.elapsed() < Duration::from_secs(1) && !seen {
        tui::settle(&mut app, &rx, Duration::from_millis(100));
        seen = render(&mut app, 80, 24).contains("carta inserita");
    }
    assert!(seen, "insertion not shown within a second");
    sim.remove("Lettore sportello 00 00");
    let started = std::time::Instant::now();
    let mut gone = false;
    while started.elapsed() < Duration::from_secs(1) && !gone {
        tui::settle(&mut app, &rx, Duration::from_millis(100));
        gone = render(&mut app, 80, 24).contains("nessuna carta");
    }
    assert!(gone, "removal not shown within a second");
}

/// The officer's card logs in: a session opens in the store and the home screen names them.
#[test]
fn login_opens_a_session() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, _) = common::officer_in_session(dir.path());
    drop(store);
    let (mut app, rx) = tui::build(
        &tui::Options {
            db: sportello::store::Location::Sqlite(dir.path().join("desk.db")),
            data_dir: dir.path().to_path_buf(),
            lang: Lang::It,
        },
        Box::new(one_reader_with(demo_card(3, Some("cns-infocamere")))),
    )
    .expect("app");
    tui::settle(&mut app, &rx, Duration::from_secs(10));
    for c in "112345678".chars() {
        app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    tui::settle(&mut app, &rx, Duration::from_secs(10));
    app.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    tui::settle(&mut app, &rx, Duration::from_secs(10));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("Operatore: Giovanni Bianchi"), "{screen}");
    assert!(!screen.contains("12345678"), "the PIN must never be drawn");
    let check = app.desk.store.audit_verify().expect("audit");
    assert!(check.first_broken.is_none());
}

/// Ctrl-C quits from any screen, even while typing in a search field.
#[test]
fn ctrl_c_quits_everywhere() {
    let (mut app, rx) = open(Lang::It, no_card());
    tui::settle(&mut app, &rx, Duration::from_secs(10));
    app.handle_key(KeyEvent::new(KeyCode::Char('3'), KeyModifiers::NONE));
    app.handle_key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE));
    assert!(!app.should_quit(), "q is a letter in the search field");
    app.handle_key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert!(app.should_quit());
}

/// The forms save through the registry: a grant chosen in the grant form (profile allowed
/// by the company's kinds, at a unit), a procuratore with the procura's file, and the
/// company's kinds edited.
#[test]
fn the_desk_forms_save_through_the_registry() {
    use sportello::registry::views;
    use sportello::registry::{CompanyKind, GrantState, Profile, RepresentativeRole};

    let dir = tempfile::tempdir().expect("tempdir");
    let (mut store, session) = common::officer_in_session(dir.path());
    let db = dir.path().join("desk.db");
    sportello::store::write_session_file(&db, session.0).expect("session file");
    let cf = company_cf(9);
    registry::register_company(
        &mut store,
        Some(session),
        &CompanyRequest {
            codice_fiscale: &cf,
            name: "Scuola Tirocini Srl",
            registered_office: None,
            pec: None,
            kinds: vec![
                ("datore-privato".into(), None),
                (
                    "promotore-tirocinio".into(),
                    Some("Accreditamento 1/2024".into()),
                ),
            ],
        },
    )
    .expect("company");
    registry::add_unit(&mut store, Some(session), &cf, "Filiale Trento").expect("unit");
    add_person(
        &mut store,
        Some(session),
        "VRDLCU85M41F205J",
        "VERDI",
        "LUCIA",
        true,
    )
    .expect("person");
    add_person(
        &mut store,
        Some(session),
        "RSSMRA80A01H501U",
        "ROSSI",
        "MARIO",
        false,
    )
    .expect("person");
    let procura = dir.path().join("procura-rossi.pdf");
    std::fs::write(&procura, b"procura notarile (prova)").expect("procura");
    drop(store);

    let (mut app, rx) = tui::build(
        &tui::Options {
            db: sportello::store::Location::Sqlite(db),
            data_dir: dir.path().to_path_buf(),
            lang: Lang::It,
        },
        Box::new(no_card()),
    )
    .expect("app");
    tui::settle(&mut app, &rx, Duration::from_secs(10));
    let mut keys = |steps: &[Step]| {
        for step in steps {
            let events = match step {
                Step::Key(code) => vec![KeyEvent::new(*code, KeyModifiers::NONE)],
                Step::Ctrl(c) => vec![KeyEvent::new(KeyCode::Char(*c), KeyModifiers::CONTROL)],
                Step::Type(text) => text
                    .chars()
                    .map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
                    .collect(),
            };
            for e in events {
                app.handle_key(e);
            }
        }
    };
    let right = Key(KeyCode::Right);
    // Grants → the company → new: VERDI, the 7th allowed profile (tirocini-compilatore, a
    // unit-only profile), the second unit.
    keys(&[
        Type("5"),
        Type("scuola"),
        Key(Enter),
        Type("n"),
        Type("VRDLCU85M41F205J"),
        Key(Tab),
    ]);
    keys(&[
        right,
        right,
        right,
        right,
        right,
        right,
        Key(Tab),
        right,
        Ctrl('s'),
    ]);
    // Back home, then the company → procuratore with the procura's file.
    keys(&[Key(KeyCode::Esc), Key(KeyCode::Esc), Key(KeyCode::Esc)]);
    keys(&[
        Type("3"),
        Type("scuola"),
        Key(Enter),
        Type("p"),
        Type("RSSMRA80A01H501U"),
    ]);
    let path = procura.display().to_string();
    keys(&[Key(Tab), Ctrl('u'), Type(path.leak()), Key(Enter)]);
    // Edit → the kinds field: add accreditato-servizi-lavoro.
    keys(&[Type("e"), Key(Down), Key(Down), Key(Down)]);
    keys(&[Type(", accreditato-servizi-lavoro"), Ctrl('s')]);

    let store = &app.desk.store;
    let grants = views::grants_of(store, &cf).expect("grants");
    assert_eq!(grants.len(), 1, "{grants:?}");
    assert_eq!(grants[0].profile, Profile::TirociniCompilatore);
    assert_eq!(grants[0].unit.as_deref(), Some("Filiale Trento"));
    assert_eq!(grants[0].state, GrantState::Active);
    assert_eq!(grants[0].person_cf, "VRDLCU85M41F205J");
    let company = views::company(store, &cf).expect("read").expect("company");
    assert!(
        company
            .representatives
            .iter()
            .any(|r| r.codice_fiscale == "RSSMRA80A01H501U"
                && r.role == RepresentativeRole::Procuratore),
        "{:?}",
        company.representatives
    );
    assert!(
        company
            .kind_values()
            .contains(&CompanyKind::AccreditatoServiziLavoro),
        "{:?}",
        company.kinds
    );
    assert!(company.allowed_profiles().contains(&Profile::ReteAttiva));
    let check = store.audit_verify().expect("audit");
    assert!(check.first_broken.is_none());
}
