#!/usr/bin/env bash
# Side by side, whole processes, same files: sportello, `openssl cms -verify` and pyHanko
# (installed with pip in a venv this script makes). Prints the times and the ratios.
#   1. one 170 KB Aruba-style file, the Italian Trusted List imported;
#   2. a folder of 1,000 files of 84-262 KB (corpus files copied), in files per second;
#   3. a 1 GB envelope against `openssl dgst -sha256` over the same bytes, with the heap
#      peak (RssAnon) of sportello. SKIP_1GB=1 leaves this part out.
# Each figure is the best of RUNS runs (default 5): the machine may be shared.
# Usage: [RUNS=5] [SPORTELLO_BIN=path] benches/compare.sh   (needs openssl, python3-venv; reads ../shared or $SPORTELLO_SHARED)
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${SPORTELLO_SHARED:-../shared}
runs=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# SPORTELLO_BIN: an already built binary (default: build the release binary).
if [ -n "${SPORTELLO_BIN:-}" ]; then
  bin=$SPORTELLO_BIN
else
  cargo build --release --quiet
  bin=$PWD/target/release/sportello
fi
export SPORTELLO_DATA_DIR=$work/data
"$bin" trust import "$shared/trust/EU-LOTL_seq332_2023-09-27.xml" \
  "$shared/trust/TSL-IT_seq194_2023-09-26.xml" >/dev/null

# pyHanko in its own venv; its CMS validation, the signer certificate not chained
# (like `openssl cms -noverify`).
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet pyhanko >/dev/null
cat >"$work/pyhanko_verify.py" <<'PY'
import hashlib, sys
from asn1crypto import cms
from pyhanko.sign.validation.generic_cms import validate_sig_integrity
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        sd = cms.ContentInfo.load(f.read())["content"]
    content = sd["encap_content_info"]["content"].native
    si = sd["signer_infos"][0]
    sid = si["sid"].chosen
    signer = next(c.chosen for c in sd["certificates"]
                  if c.chosen.issuer == sid["issuer"]
                  and c.chosen.serial_number == sid["serial_number"].native)
    digest = hashlib.new(si["digest_algorithm"]["algorithm"].native, content).digest()
    print(path, *validate_sig_integrity(si, signer, "data", digest))
PY
py=$work/venv/bin/python

# Microseconds of the fastest of $runs runs of a command.
best_ms() {
  local best=999999999 start end ms
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000 ))
    [ "$ms" -lt "$best" ] && best=$ms
  done
  echo "$best"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
ms() { awk -v u="$1" 'BEGIN { printf "%.1f ms", u / 1000 }'; }

echo "== 1. one 170 KB file, Italian list imported (whole process, best of $runs)"
one=$shared/corpus/parer_cades_bes.pdf.p7m
s=$(best_ms "$bin" verify --json "$one")
o=$(best_ms openssl cms -verify -noverify -binary -inform DER -in "$one" -out /dev/null)
p=$(best_ms "$py" "$work/pyhanko_verify.py" "$one")
echo "sportello $(ms "$s") | openssl cms -verify $(ms "$o") | pyHanko $(ms "$p")"
echo "openssl/sportello = $(ratio "$o" "$s")x, pyHanko/sportello = $(ratio "$p" "$s")x"

echo "== 2. a folder of 1,000 files of 84-262 KB, 2 jobs"
mkdir "$work/folder"
samples=(parer_cades_bes.pdf.p7m dss_FD1_FD2_FEA.pdf.p7m parer_cades_T_1.pdf.p7m
  parer_tsd_cades_T.pdf.p7m.tsd parer_cades_bes_controfirma.doc.p7m)
for i in $(seq 0 999); do
  name=${samples[$((i % 5))]}
  cp "$shared/corpus/$name" "$work/folder/$(printf %04d "$i")-$name"
done
s=$(best_ms "$bin" verify --jobs 2 --json "$work/folder")
# openssl and pyHanko read one envelope format each: the DER/BER .p7m files, 2 at a time.
o=$(best_ms sh -c "ls '$work'/folder/*.p7m | xargs -P 2 -I{} openssl cms -verify -noverify -binary -inform DER -in {} -out /dev/null")
n_ossl=$(ls "$work"/folder/*.p7m | wc -l)
p=$(best_ms sh -c "ls '$work'/folder/*pdf.p7m | xargs -P 2 -n 100 '$py' '$work/pyhanko_verify.py'")
n_py=$(ls "$work"/folder/*pdf.p7m | wc -l)
rate() { awk -v n="$1" -v u="$2" 'BEGIN { printf "%.0f", n / (u / 1e6) }'; }
rs=$(rate 1000 "$s"); ro=$(rate "$n_ossl" "$o"); rp=$(rate "$n_py" "$p")
echo "sportello $rs files/s | openssl cms -verify $ro files/s ($n_ossl files) | pyHanko $rp files/s ($n_py files)"
echo "sportello/openssl = $(ratio "$rs" "$ro")x, sportello/pyHanko = $(ratio "$rs" "$rp")x"

[ -n "${SKIP_1GB:-}" ] && exit 0
echo "== 3. a 1 GB envelope (BER, chunked) against openssl dgst -sha256"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" \
  -subj "/CN=SPORTELLO TEST - NON VALIDO/serialNumber=TINIT-RSSMRA80A01H501U" -days 30 2>/dev/null
head -c $((1024 * 1024 * 1024)) /dev/urandom >"$work/doc.bin"
openssl cms -sign -binary -nodetach -stream -md sha256 -outform DER \
  -signer "$work/cert.pem" -inkey "$work/key.pem" -in "$work/doc.bin" -out "$work/big.p7m"
rm "$work/doc.bin"
cat "$work/big.p7m" >/dev/null # into the page cache for both
s=$(best_ms "$bin" verify --json "$work/big.p7m")
o=$(best_ms openssl dgst -sha256 "$work/big.p7m")
echo "sportello $(ms "$s") | openssl dgst -sha256 $(ms "$o") | sportello/openssl = $(ratio "$s" "$o")x"
"$bin" verify --json "$work/big.p7m" >/dev/null &
pid=$! anon=0
while kill -0 "$pid" 2>/dev/null; do
  a=$(awk '/^RssAnon/{print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  [ "${a:-0}" -gt "$anon" ] && anon=$a
  sleep 0.005
done
wait "$pid" || true
echo "sportello peak RssAnon: $anon KiB"
