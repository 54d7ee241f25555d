#!/usr/bin/env bash
# The card test rig: one pcscd with a private vpcd configuration giving 16 virtual readers
# ("Sportello VPCD <n> 00 00" / "... 00 01") on TCP 40000..40015, where the test card emulator
# connects as the card. Debian's pcscd ignores PCSCLITE_CSOCK_NAME, so there is one pcscd per
# machine: the rig must own it, and tests share it by locking readers (tests/rig/mod.rs).
# Test machines only: vpcd listens on all interfaces.
# Usage: scripts/pcscd-rig.sh start|stop|status
set -euo pipefail

RIG_DIR=${SPORTELLO_RIG_DIR:-/tmp/sportello-rig}
CONF_DIR=$RIG_DIR/reader.conf.d
DRIVER_DIR=$RIG_DIR/drivers
PID_FILE=$RIG_DIR/pcscd.pid
LOG_FILE=$RIG_DIR/pcscd.log
VPCD_LIB=/usr/lib/pcsc/drivers/serial/libifdvpcd.so
ENTRIES=8
FIRST_PORT=40000
PORTS=$((ENTRIES * 2))

die() {
  echo "pcscd-rig: ERROR: $*" >&2
  exit 1
}
say() { echo "pcscd-rig: $*"; }

our_pid() {
  # A pid file alone is not proof: the pid may have been reused by another program.
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid=$(cat "$PID_FILE")
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "pcscd .*-c $CONF_DIR" || return 1
  echo "$pid"
}

# pids of every pcscd on the machine (the system one included), without matching our own shell.
all_pcscd_pids() {
  local p
  for p in /proc/[0-9]*; do
    [ "$(cat "$p/comm" 2>/dev/null)" = pcscd ] && echo "${p#/proc/}"
  done
  return 0
}

port_listens() {
  # /proc/net/tcp lists listening sockets with state 0A and the port in hex.
  local hex
  hex=$(printf '%04X' "$1")
  grep -q ":$hex 00000000:0000 0A" /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

all_ports_listen() {
  local port
  for ((port = FIRST_PORT; port < FIRST_PORT + PORTS; port++)); do
    port_listens "$port" || return 1
  done
}

write_config() {
  mkdir -p "$CONF_DIR" "$DRIVER_DIR"
  rm -f "$CONF_DIR"/* "$DRIVER_DIR"/*
  local i channel
  for ((i = 0; i < ENTRIES; i++)); do
    channel=$((FIRST_PORT + 2 * i))
    # vpcd keeps its card sockets in globals indexed by slot only, so two entries sharing
    # one loaded library overwrite each other: their ports listen but no card is ever
    # seen. A copy per entry is a separate dlopen with its own globals.
    cp "$VPCD_LIB" "$DRIVER_DIR/libifdvpcd-$i.so"
    # Each vpcd entry gives two readers, on CHANNELID and CHANNELID+1.
    cat >"$CONF_DIR/sportello-vpcd-$i" <<EOF
FRIENDLYNAME "Sportello VPCD $i"
DEVICENAME /dev/null:$channel
LIBPATH $DRIVER_DIR/libifdvpcd-$i.so
CHANNELID $channel
EOF
  done
}

start() {
  command -v pcscd >/dev/null || die "pcscd is missing (apt-get install pcscd vsmartcard-vpcd)"
  [ -f "$VPCD_LIB" ] || die "$VPCD_LIB is missing (apt-get install vsmartcard-vpcd)"
  mkdir -p "$RIG_DIR"
  if pid=$(our_pid); then
    if all_ports_listen; then
      say "already running (pid $pid)"
      return 0
    fi
    die "our pcscd (pid $pid) runs but the vpcd ports do not listen; see $LOG_FILE, or run stop"
  fi
  local foreign
  foreign=$(all_pcscd_pids | tr '\n' ' ')
  if [ -n "${foreign// /}" ]; then
    if [ "${CI:-}" = true ]; then
      say "stopping a foreign pcscd (pids $foreign): the rig needs the machine's only pcscd socket"
      # shellcheck disable=SC2086 # a list of pids
      kill $foreign
      for _ in $(seq 50); do
        [ -z "$(all_pcscd_pids)" ] && break
        sleep 0.1
      done
      [ -z "$(all_pcscd_pids)" ] || die "the foreign pcscd did not stop"
    else
      die "a pcscd that is not the rig's runs (pids $foreign); stop it yourself (it may be the desk's own) and retry"
    fi
  fi
  write_config
  # Readers the tests set aside as deaf (tests/rig/probe.rs) are fresh with a new pcscd.
  rm -f "$RIG_DIR"/reader-*.deaf
  rm -f /run/pcscd/pcscd.comm
  # setsid: the daemon must outlive the shell or test process that started it.
  # SPORTELLO_RIG_APDU_LOG=1 adds pcscd's APDU log (-a) to $LOG_FILE, to see what a middleware sends.
  local apdu_log=()
  [ "${SPORTELLO_RIG_APDU_LOG:-}" = 1 ] && apdu_log=(-a)
  setsid pcscd -f "${apdu_log[@]}" -c "$CONF_DIR" >"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  for _ in $(seq 100); do
    if all_ports_listen && [ -S /run/pcscd/pcscd.comm ]; then
      say "started (pid $(cat "$PID_FILE")), readers on ports $FIRST_PORT..$((FIRST_PORT + PORTS - 1))"
      return 0
    fi
    our_pid >/dev/null || die "pcscd exited at start; log: $(tail -5 "$LOG_FILE")"
    sleep 0.1
  done
  die "pcscd started but the vpcd ports do not listen after 10 s; see $LOG_FILE"
}

stop() {
  local pid
  if ! pid=$(our_pid); then
    rm -f "$PID_FILE"
    say "not running"
    return 0
  fi
  kill "$pid"
  for _ in $(seq 50); do
    [ -d "/proc/$pid" ] || break
    sleep 0.1
  done
  [ -d "/proc/$pid" ] && die "pcscd (pid $pid) did not stop"
  rm -f "$PID_FILE"
  say "stopped"
}

status() {
  local pid
  if pid=$(our_pid) && all_ports_listen; then
    say "running (pid $pid), rig dir $RIG_DIR, ports $FIRST_PORT..$((FIRST_PORT + PORTS - 1))"
    return 0
  fi
  local foreign
  foreign=$(all_pcscd_pids | tr '\n' ' ')
  [ -n "${foreign// /}" ] && say "not running; a foreign pcscd runs (pids $foreign)" || say "not running"
  return 1
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
*)
  echo "usage: $0 start|stop|status" >&2
  exit 2
  ;;
esac
