//! An emulated CNS or CIE in a vpcd reader of the card test rig, for the demo and for trying
//! middleware by hand. Everything it makes is test material ("NON VALIDA").
//!
//!   scripts/pcscd-rig.sh start
//!   cargo run --example card_emulator -- --port 40000 --card cns --material /tmp/cns
//!   pkcs11-tool --module /usr/lib/x86_64-linux-gnu/opensc-pkcs11.so -L
//!
//! Enter removes the card, Enter again puts it back; Ctrl-C ends.

#[path = "../tests/emulator/mod.rs"]
mod emulator;

use std::io::BufRead;
use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use emulator::{CardMaterial, CieMaterial, CieModel, CnsModel, CnsOptions, HolderOptions};

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    Cns,
    Cie,
}

#[derive(Parser)]
#[command(about = "Emulated Italian smart card (test material only) in a vpcd reader")]
struct Args {
    /// vpcd port of the reader (40000-40015 with scripts/pcscd-rig.sh).
    #[arg(long, default_value_t = 40000)]
    port: u16,
    #[arg(long, value_enum, default_value_t = Kind::Cns)]
    card: Kind,
    /// Directory of the card's keys and certificates; generated there when absent.
    #[arg(long)]
    material: PathBuf,
    /// CNS PIN (5-8 digits).
    #[arg(long, default_value = "12345678")]
    pin: String,
    /// CNS key size: 2048 (Infocamere ATR) or 1024 (Sardegna ATR).
    #[arg(long, default_value_t = 2048)]
    key_bits: u32,
    /// CIE NIS (12 digits).
    #[arg(long, default_value = "012345678901")]
    nis: String,
}

fn main() {
    let args = Args::parse();
    let mut handle = match args.card {
        Kind::Cns => {
            let holder = HolderOptions {
                key_bits: args.key_bits,
                ..HolderOptions::default()
            };
            let material = CardMaterial::load_or_generate(&args.material, holder);
            let mut options = CnsOptions::for_material(&material);
            options.pin = args.pin.clone();
            println!(
                "CNS {} ({} bit), certificate {}, PIN {}",
                material.id_carta,
                args.key_bits,
                material.cert_pem.display(),
                options.pin
            );
            emulator::VirtualCard::insert(args.port, CnsModel::new(material, options))
        }
        Kind::Cie => {
            let material = CieMaterial::load_or_generate(&args.material, &args.nis);
            println!(
                "CIE NIS {}, CSCA {}",
                material.nis,
                material.csca_cert.display()
            );
            emulator::VirtualCard::insert(args.port, CieModel::new(material))
        }
    };
    println!(
        "inserted in the reader on port {}; Enter removes/reinserts",
        args.port
    );
    for line in std::io::stdin().lock().lines() {
        if line.is_err() {
            break;
        }
        if handle.is_inserted() {
            handle.remove();
            println!("removed");
        } else {
            handle.reinsert();
            println!("inserted (PIN tries left: {:?})", handle.pin_tries_left());
        }
    }
    // Without a terminal (stdin closed) keep the card in until killed.
    loop {
        std::thread::park();
    }
}
