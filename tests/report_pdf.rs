//! The printable report: `sportello report FILE... --pdf OUT.pdf` renders real corpus files;
//! `pdftotext` (poppler-utils) must find every verdict, name and codice fiscale, the verdict
//! before the file's details, and the trusted list; the first page is kept as a coarse
//! grey-level snapshot to catch layout regressions.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FILES: [&str; 5] = [
    "parer_cades_bes.pdf.p7m",
    "slamdunk_TAMPERED.txt.p7m",
    "parer_cades_bes_controfirma.doc.p7m",
    "slamdunk_OK.txt.p7m",
    "dss_malformed-cades.p7m",
];
/// A fixed "verifica alla data", so the report is the same on every run.
const AT: &str = "2017-06-30";

fn sportello(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sportello"))
        .args(args)
        .env("SPORTELLO_DATA_DIR", data)
        .env_remove("SPORTELLO_LOG")
        .output()
        .expect("run sportello")
}

fn tool(name: &str) -> Command {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "{name} (poppler-utils) is needed: run .ci/run or apt-get install poppler-utils"
    );
    Command::new(name)
}

/// A data directory with the Italian list imported, and the corpus files copied under
/// fixed names (the report prints their paths).
fn setup(tmp: &Path) -> (PathBuf, Vec<String>) {
    let data = tmp.join("data");
    let shared = common::shared_dir();
    let imported = sportello(
        &data,
        &[
            "trust",
            "import",
            &shared
                .join("trust/EU-LOTL_seq332_2023-09-27.xml")
                .display()
                .to_string(),
            &shared
                .join("trust/TSL-IT_seq194_2023-09-26.xml")
                .display()
                .to_string(),
        ],
    );
    assert_eq!(imported.status.code(), Some(0), "{imported:?}");
    let files = tmp.join("files");
    std::fs::create_dir(&files).expect("mkdir");
    let paths = FILES
        .iter()
        .map(|name| {
            let to = files.join(name);
            std::fs::copy(common::corpus_file(name), &to).expect("copy");
            to.display().to_string()
        })
        .collect();
    (data, paths)
}

fn pdf_text(pdf: &Path) -> String {
    let out = tool("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    assert!(out.status.success(), "pdftotext: {out:?}");
    String::from_utf8(out.stdout).expect("UTF-8 text")
}

fn render(data: &Path, paths: &[String], out: &Path, extra: &[&str]) -> Output {
    let out_arg = out.display().to_string();
    let mut args = vec!["report", "--at", AT, "--pdf", &out_arg];
    args.extend_from_slice(extra);
    args.extend(paths.iter().map(String::as_str));
    sportello(data, &args)
}

#[test]
fn every_verdict_and_name_is_in_the_printed_text() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (data, paths) = setup(tmp.path());
    let pdf = tmp.path().join("rapporto.pdf");
    let out = render(&data, &paths, &pdf, &[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the tampered file fails: {out:?}"
    );
    let bytes = std::fs::read(&pdf).expect("the PDF is written");
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(
        bytes.windows(9).any(|w| w == b"/FontFile"),
        "fonts embedded"
    );
    let text = pdf_text(&pdf);
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");

    // The same files through `verify --json`: the PDF must say what the reports say.
    let mut args = vec!["verify", "--json", "--at", AT];
    args.extend(paths.iter().map(String::as_str));
    let json = sportello(&data, &args);
    let reports: Vec<serde_json::Value> = serde_json::from_slice(&json.stdout).expect("array");
    let word = |indication: &serde_json::Value| match indication.as_str() {
        Some("TOTAL_PASSED") => "VALIDA",
        Some("TOTAL_FAILED") => "NON VALIDA",
        _ => "DA VERIFICARE",
    };
    let mut names = 0;
    for (i, report) in reports.iter().enumerate() {
        let section = flat
            .split(&format!("File {}: ", i + 1))
            .nth(1)
            .unwrap_or_else(|| panic!("section {} missing", i + 1));
        let section = section
            .split(&format!("File {}: ", i + 2))
            .next()
            .unwrap_or(section);
        let verdict = format!("Esito complessivo: {}", word(&report["indication"]));
        let verdict_at = section
            .find(&verdict)
            .unwrap_or_else(|| panic!("{verdict} missing for {}: {section}", report["file"]));
        let sha_at = section.find("Impronta SHA-256").expect("sha256 row");
        assert!(verdict_at < sha_at, "the verdict comes first");
        for sig in report["signatures"].as_array().into_iter().flatten() {
            assert!(section.contains(&format!("Esito {}", word(&sig["indication"]))));
            if let Some(cf) = sig["signer"]["codice_fiscale"]["value"].as_str() {
                assert!(section.contains(cf), "{cf}");
            }
            if let (Some(given), Some(surname)) = (
                sig["signer"]["given_name"].as_str(),
                sig["signer"]["surname"].as_str(),
            ) {
                assert!(
                    section.contains(&format!("{given} {surname}")),
                    "{given} {surname}"
                );
                names += 1;
            }
            for label in [
                "Firma integra",
                "Certificato attendibile",
                "Certificato qualificato",
            ] {
                assert!(section.contains(label), "{label}");
            }
        }
    }
    assert!(names >= 4, "signer names checked: {names}");
    assert!(
        flat.contains("Controfirma"),
        "the countersignature is shown"
    );
    assert!(flat.contains("Numero di sequenza 194"));
    assert!(
        flat.contains("SCADUTO"),
        "the stale list is said to be stale"
    );
    assert!(
        flat.contains("indicata dall'operatore"),
        "the asserted time is said"
    );

    let again = render(&data, &paths, &pdf, &[]);
    assert_eq!(
        again.status.code(),
        Some(73),
        "never overwritten without --force"
    );
    let forced = render(&data, &paths, &pdf, &["--force"]);
    assert_eq!(forced.status.code(), Some(1));
}

#[test]
fn the_report_is_in_english_with_lang_en() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (data, paths) = setup(tmp.path());
    let pdf = tmp.path().join("report.pdf");
    render(&data, &paths[..2], &pdf, &["--lang", "en"]);
    let text = pdf_text(&pdf);
    assert!(text.contains("Digital signature verification report"));
    assert!(text.contains("Overall result: TO BE CHECKED"));
    assert!(text.contains("Overall result: NOT VALID"));
    assert!(text.contains("Signature intact"));
    assert!(!text.contains("Esito complessivo"));
}

/// The first page at 36 dpi in grey, averaged over 6×6-pixel blocks: a 50×70 grid of
/// grey levels. A block counts as changed when it differs by more than 40 levels; up to 2%
/// of blocks may change (the date the report was made, the temporary folder's name).
/// A line moved by one text line, a missing band or a new row changes far more.
const SNAPSHOT: &str = "tests/snapshots/report_page1.pgm";
const BLOCK: usize = 6;

fn grey_grid(pdf: &Path, dir: &Path) -> (usize, usize, Vec<u8>) {
    let prefix = dir.join("page");
    let status = tool("pdftoppm")
        .args(["-f", "1", "-l", "1", "-r", "36", "-gray", "-singlefile"])
        .arg(pdf)
        .arg(&prefix)
        .status()
        .expect("pdftoppm");
    assert!(status.success());
    let pgm = std::fs::read(prefix.with_extension("pgm")).expect("pdftoppm wrote a PGM");
    // P5 header: magic, width, height, maxval, each followed by whitespace.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&pgm[start..at]).into_owned());
    }
    let pixels = &pgm[at + 1..];
    assert_eq!(fields[0], "P5");
    let (w, h): (usize, usize) = (fields[1].parse().expect("w"), fields[2].parse().expect("h"));
    let (gw, gh) = (w / BLOCK, h / BLOCK);
    let mut grid = Vec::with_capacity(gw * gh);
    for gy in 0..gh {
        for gx in 0..gw {
            let mut sum = 0usize;
            for y in gy * BLOCK..(gy + 1) * BLOCK {
                for x in gx * BLOCK..(gx + 1) * BLOCK {
                    sum += pixels[y * w + x] as usize;
                }
            }
            grid.push((sum / (BLOCK * BLOCK)) as u8);
        }
    }
    (gw, gh, grid)
}

fn read_snapshot(text: &str) -> (usize, usize, Vec<u8>) {
    let mut numbers = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(|l| l.split_whitespace())
        .skip(1)
        .map(|n| n.parse::<usize>().expect("number"));
    let w = numbers.next().expect("w");
    let h = numbers.next().expect("h");
    let _max = numbers.next();
    (w, h, numbers.map(|n| n as u8).collect())
}

#[test]
fn the_first_page_keeps_its_layout() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (data, paths) = setup(tmp.path());
    let pdf = tmp.path().join("rapporto.pdf");
    render(&data, &paths[..2], &pdf, &[]);
    let (w, h, grid) = grey_grid(&pdf, tmp.path());
    let snapshot = Path::new(env!("CARGO_MANIFEST_DIR")).join(SNAPSHOT);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        let mut text = format!(
            "P2\n# first page of the report, 36 dpi, {BLOCK}x{BLOCK} blocks\n{w} {h}\n255\n"
        );
        for row in grid.chunks(w) {
            let line: Vec<String> = row.iter().map(|v| v.to_string()).collect();
            text.push_str(&line.join(" "));
            text.push('\n');
        }
        std::fs::write(&snapshot, text).expect("write snapshot");
    }
    let stored = std::fs::read_to_string(&snapshot)
        .expect("the snapshot exists (UPDATE_SNAPSHOTS=1 writes it)");
    let (sw, sh, expected) = read_snapshot(&stored);
    assert_eq!((sw, sh), (w, h), "page size");
    let changed = grid
        .iter()
        .zip(&expected)
        .filter(|(a, b)| a.abs_diff(**b) > 40)
        .count();
    let allowed = grid.len() / 50;
    assert!(
        changed <= allowed,
        "{changed} of {} blocks changed (at most {allowed}): the layout moved; look at {} and rerun with UPDATE_SNAPSHOTS=1 if intended",
        grid.len(),
        pdf.display()
    );
}
