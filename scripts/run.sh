#!/usr/bin/env bash
# Runs the product on a fresh Debian machine: installs what it needs, builds, then
#   scripts/run.sh            opens the desk screen. With a real card reader it works on the
#                             user's own data directory; without one it starts the DEMO: a
#                             scratch data directory with sample companies and requests, and an
#                             emulated CNS card (test material, PIN 12345678) in a virtual reader.
#   scripts/run.sh FILE...    verifies signed files against the Italian Trusted List instead.
#   scripts/run.sh --lang en  the desk screen in English.
# SPORTELLO_DEMO=1 forces the demo even when a reader is present.
# SPORTELLO_PREBUILT=DIR uses DIR/sportello and DIR/examples/{card_emulator,demo_seed} instead of
# building (the tests run the demo with their own build); SPORTELLO_DEMO_PORT picks the rig
# reader the demo card goes into (default 40000, "Sportello VPCD 0 00 00").
# Runs as root or with sudo (packages, and the demo's private pcscd). The demo leaves nothing
# running when the desk is closed: its card emulator ends, and the pcscd it started stops
# (a pcscd that was already running before the demo is left as it was).
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

packages=(openssl gcc libc6-dev pkg-config libpcsclite-dev pcscd vsmartcard-vpcd)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ -n "${SPORTELLO_PREBUILT:-}" ]; then
  built=$SPORTELLO_PREBUILT
else
  echo "== building (release)"
  cargo build --release --quiet --bin sportello --example card_emulator --example demo_seed
  built=target/release
fi
bin=$built/sportello
shared=${SPORTELLO_SHARED:-../shared}
lists=()
if [ -f "$shared/trust/EU-LOTL_seq332_2023-09-27.xml" ]; then
  # The EU list of lists first: it names who may sign the Italian list.
  lists=("$shared/trust/EU-LOTL_seq332_2023-09-27.xml" "$shared/trust/TSL-IT_seq194_2023-09-26.xml")
fi

# Arguments that are not options are files to verify; options (--lang en) go to the screen.
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  export SPORTELLO_DATA_DIR=${SPORTELLO_DATA_DIR:-$(mktemp -d)}
  [ ${#lists[@]} -gt 0 ] && "$bin" trust import "${lists[@]}"
  exec "$bin" verify "$@"
fi

# A real reader (not one of the test rig's virtual ones): the desk on the user's own data.
real_readers() {
  "$bin" card list --json 2>/dev/null | grep -o '"name": *"[^"]*"' | grep -vc 'Sportello VPCD' || true
}
if [ "${SPORTELLO_DEMO:-}" != 1 ] && [ "$(real_readers)" -gt 0 ]; then
  exec "$bin" "$@"
fi

demo=$(mktemp -d "${TMPDIR:-/tmp}/sportello-demo.XXXXXX")
chmod 700 "$demo"
port=${SPORTELLO_DEMO_PORT:-40000}
index=$((port - 40000))
reader="Sportello VPCD $((index / 2)) 00 0$((index % 2))"
echo "== DEMO (materiale di prova, NON VALIDO) in $demo"

# Whatever the demo starts, it stops on the way out: on a normal quit, an error, Ctrl-C or a
# closed terminal.
emulator=""
started_pcscd=0
finish() {
  if [ -n "$emulator" ]; then
    kill "$emulator" 2>/dev/null || true
    wait "$emulator" 2>/dev/null || true
  fi
  if [ "$started_pcscd" = 1 ]; then
    $SUDO ./scripts/pcscd-rig.sh stop >/dev/null || true
  fi
}
trap finish EXIT
trap 'exit 130' INT TERM HUP

if ! ./scripts/pcscd-rig.sh status >/dev/null 2>&1; then
  $SUDO ./scripts/pcscd-rig.sh start
  started_pcscd=1
fi
"$built/examples/card_emulator" --port "$port" --card cns --material "$demo/card" \
  </dev/null >"$demo/card.log" 2>&1 &
emulator=$!
for _ in $(seq 200); do
  [ -f "$demo/card/test-ca.pem" ] && grep -q inserted "$demo/card.log" && break
  kill -0 $emulator 2>/dev/null || { cat "$demo/card.log"; exit 1; }
  sleep 0.1
done
# The demo desk trusts the demo card's CA (and the real Trusted Lists when ../shared has them).
"$built/examples/demo_seed" "$demo" "${lists[@]}" "$demo/card/test-ca.pem"
cat <<EOF

  Carta dimostrativa CNS di MARIO ROSSI nel lettore "$reader": PIN 12345678.
  Accedere con la carta, aprire le richieste di nomina, approvare; q per uscire.
  (Demo card of MARIO ROSSI: PIN 12345678. Add --lang en for English.)

EOF
read -r -t 10 -p "Invio per aprire lo sportello / Enter to open the desk " _ || true
"$bin" --data-dir "$demo" "$@"
