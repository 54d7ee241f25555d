#!/usr/bin/env bash
# Peak memory of `sportello verify` on a 1 GB envelope, BER with chunked content (what
# InfoCert/Aruba tools write) and DER. The claim to check: the content is hashed where it
# lies in the memory map, so the resident set stays far below the file size.
# Usage: benches/peak_memory.sh [SIZE_MB]   (needs openssl and GNU time: apt-get install time)
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-1024}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
bin=target/release/sportello

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" \
  -subj "/CN=SPORTELLO TEST - NON VALIDO/serialNumber=TINIT-RSSMRA80A01H501U" -days 30 2>/dev/null
head -c "$((size_mb * 1024 * 1024))" /dev/urandom > "$work/doc.bin"
openssl cms -sign -binary -nodetach -stream -md sha256 -outform DER \
  -signer "$work/cert.pem" -inkey "$work/key.pem" -in "$work/doc.bin" -out "$work/doc.bin.ber.p7m"
rm "$work/doc.bin"
echo "envelope: $(stat -c %s "$work/doc.bin.ber.p7m") bytes (BER, chunked)"
# Peak resident memory split in two: RssAnon (heap, copies: what the claim is about) and
# RssFile (pages of the mapped file, page cache the kernel can drop at any time).
measure() {
  local label=$1; shift
  "$@" >/dev/null 2>&1 &
  local pid=$! anon=0 file=0 a f
  while kill -0 "$pid" 2>/dev/null; do
    if read -r a f < <(awk '/^RssAnon/{a=$2} /^RssFile/{f=$2} END{print a+0, f+0}' "/proc/$pid/status" 2>/dev/null); then
      [ "${a:-0}" -gt "$anon" ] && anon=$a
      [ "${f:-0}" -gt "$file" ] && file=$f
    fi
    sleep 0.01
  done
  wait "$pid" || true
  echo "$label: peak RssAnon ${anon} KiB (heap), peak RssFile ${file} KiB (mapped file pages)"
}
for f in "$work"/*.p7m; do
  /usr/bin/time -f "verify: %e s elapsed" "$bin" verify --lang en "$f" >/dev/null || true
  measure "verify" "$bin" verify --lang en "$f"
  mkdir -p "$work/out"
  measure "extract" "$bin" verify --extract "$work/out" "$f"
done
