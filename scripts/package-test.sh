#!/usr/bin/env bash
# Builds the Debian package (cargo deb), installs it with dpkg -i and runs the installed
# program from an empty folder, away from the source tree: --version, verify of a corpus file
# with the shared Trusted Lists given on the command line, card profiles and card list.
# Prints the package size and how long the package took to build. Needs root (dpkg -i), the
# Debian packages of .ci/run and the card rig (scripts/pcscd-rig.sh start).
# The package is removed again at the end (pass --keep to leave it installed).
# SPORTELLO_DEB=FILE tests an already built package instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SHARED=${SPORTELLO_SHARED:-$ROOT/../shared}
KEEP=${1:-}
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

fail() { echo "package test FAILED: $*" >&2; exit 1; }

# cargo-deb: cached in ~/.cargo/bin when present (CI caches it), installed otherwise.
if ! cargo deb --version >/dev/null 2>&1; then
  echo "== installing cargo-deb"
  cargo install cargo-deb --locked
fi

if [ -n "${SPORTELLO_DEB:-}" ]; then
  # A package built before (to check this script quickly).
  deb=$SPORTELLO_DEB
  echo "== testing the given package $deb"
else
  echo "== building the package"
  started=$(date +%s)
  cargo run --quiet --locked --example package_assets -- target/assets
  # Stripped: the release profile keeps line tables for backtraces (debug = 1), 4x the size.
  # SPORTELLO_DEB_PROFILE=dev packages the test build (dependencies optimised as in every
  # build): CI checks the packaging without a second full compilation; offices get release.
  cargo deb --locked --strip --profile "${SPORTELLO_DEB_PROFILE:-release}"
  built=$(date +%s)
  deb=$(ls -t target/debian/sportello_*.deb | head -1)
  echo "built in $(( built - started )) s"
fi
size=$(stat -c %s "$deb")
echo "package: $deb, $size bytes ($(( size / 1024 )) KiB)"

echo "== installing it"
away=$(mktemp -d)
cleanup() {
  rm -rf "$away"
  if [ "$KEEP" != "--keep" ]; then $SUDO dpkg -r sportello >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
$SUDO dpkg -i "$deb" >/dev/null
dpkg -s sportello | grep -E '^(Version|Depends|Recommends):'
dpkg -s sportello | grep -q '^Depends:.*pcscd' || fail "Depends lacks pcscd"
dpkg -s sportello | grep -q '^Depends:.*libpcsclite1' || fail "Depends lacks libpcsclite1"
dpkg -s sportello | grep -q '^Recommends:.*opensc' || fail "Recommends lacks opensc"
for f in /usr/bin/sportello /usr/share/bash-completion/completions/sportello \
  /usr/share/zsh/vendor-completions/_sportello /usr/share/fish/vendor_completions.d/sportello.fish \
  /usr/share/sportello/card-profiles/cns-infocamere.toml; do
  dpkg -L sportello | grep -qx "$f" || fail "$f is not in the package"
done
dpkg -L sportello | grep -q '^/usr/share/man/man1/sportello\.1' || fail "no man page"
dpkg -L sportello | grep -q '^/usr/share/man/man1/sportello-verify\.1' || fail "no man page for verify"

commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
expected_version="sportello $(cargo pkgid | sed 's/.*[#@]//') (commit $commit)"

echo "== running the installed program away from the source tree"
cd "$away"
export HOME="$away/home" XDG_CONFIG_HOME="$away/home/.config" SPORTELLO_DATA_DIR="$away/data"
unset SPORTELLO_CARD_PROFILES
mkdir -p "$HOME"

version=$(/usr/bin/sportello --version)
echo "$version"
[ "$version" = "$expected_version" ] || fail "--version says «$version», expected «$expected_version»"

set +e
/usr/bin/sportello verify --json --at 2013-09-10 \
  --trust "$SHARED/trust/EU-LOTL_seq332_2023-09-27.xml" \
  --trust "$SHARED/trust/TSL-IT_seq194_2023-09-26.xml" \
  "$SHARED/corpus/parer_cades_bes.pdf.p7m" >verify.json
code=$?
set -e
# 2: da verificare (revocation cannot be checked offline); the chain to the list must pass.
[ "$code" = 2 ] || fail "verify exited $code"
grep -q '"sub_indication": "TRY_LATER"' verify.json || fail "verify: $(cat verify.json)"
grep -A1 '"chain": {' verify.json | grep -q '"status": "passed"' \
  || fail "verify: the chain to the Italian list did not pass: $(cat verify.json)"
echo "verify: TRY_LATER, chain to the Italian Trusted List passed"

/usr/bin/sportello card profiles >profiles.txt || fail "card profiles exited $?"
grep -q 'integrato nel programma (card-profiles/cns-infocamere.toml)' profiles.txt \
  || fail "card profiles: the built-in profiles are missing"
/usr/bin/sportello --lang en card list >cards.txt || fail "card list exited $?"
head -5 cards.txt
grep -q 'Sportello VPCD' cards.txt || fail "card list: no rig reader seen"
echo "package test passed"
