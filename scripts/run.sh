#!/usr/bin/env bash
# Runs the product on a fresh Debian machine: installs what it needs, builds, then verifies
# sample signed files against the Italian Trusted List (from ../shared when present) in a
# scratch data directory, so nothing of the user's own store is touched.
# Usage: scripts/run.sh [FILE...]   (default: sample files from ../shared/corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
if ! command -v openssl >/dev/null || ! command -v cc >/dev/null; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends openssl gcc libc6-dev >/dev/null
fi
cargo build --release --quiet
bin=target/release/sportello
shared=${SPORTELLO_SHARED:-../shared}
export SPORTELLO_DATA_DIR=${SPORTELLO_DATA_DIR:-$(mktemp -d)}
if [ -f "$shared/trust/EU-LOTL_seq332_2023-09-27.xml" ]; then
  "$bin" trust import "$shared/trust/EU-LOTL_seq332_2023-09-27.xml" "$shared/trust/TSL-IT_seq194_2023-09-26.xml"
  "$bin" trust status
fi
if [ $# -gt 0 ]; then
  exec "$bin" verify "$@"
fi
echo
echo "== Firma ArubaPEC del 2023, verificata alla data 2024-01-10"
"$bin" verify --at 2024-01-10 "$shared/corpus/slamdunk_OK.txt.p7m" || true
echo "== Tre firme parallele (2015), verificate oggi"
"$bin" verify "$shared/corpus/dss_FD1_FD2_FEA.pdf.p7m" || true
echo "== Documento modificato dopo la firma"
"$bin" verify "$shared/corpus/dss_cades-enveloping-broken.pkcs7" || true
