#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60) with cargo-fuzz on the stable
# toolchain (RUSTC_BOOTSTRAP=1), and prints the runs libFuzzer made per target. A crash
# stops the script with libFuzzer's report (the input is kept in fuzz/artifacts/).
# Installs cargo-fuzz when it is missing. Record long campaigns in README.md ("Measured").
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
SECONDS_EACH=${1:-60}
case "$SECONDS_EACH" in
  ''|*[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 64 ;;
esac
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi
export RUSTC_BOOTSTRAP=1
targets=$(cargo fuzz list)
RUSTC_BOOTSTRAP=1 cargo fuzz build -s none
summary=""
for target in $targets; do
  log=$(mktemp)
  echo "== $target: ${SECONDS_EACH} s"
  if ! cargo fuzz run -s none "$target" -- -max_total_time="$SECONDS_EACH" -print_final_stats=1 >"$log" 2>&1; then
    tail -40 "$log" >&2
    rm -f "$log"
    echo "fuzz target $target FAILED" >&2
    exit 1
  fi
  runs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
  rm -f "$log"
  summary="$summary$target: ${runs:-?} runs in ${SECONDS_EACH} s, no crash\n"
done
printf "%b" "$summary"
