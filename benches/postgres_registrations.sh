#!/usr/bin/env bash
# Registrations per second: 1, 2 and 4 desk processes on one PostgreSQL registry (a throwaway
# server, socket only, fsync on) against one desk on a SQLite file. Each registration is one
# transaction: company + default unit + audit row (desk_worker also adds a person every third).
# Usage: benches/postgres_registrations.sh [PER_DESK]   (after cargo build --examples)
set -euo pipefail
cd "$(dirname "$0")/.."
PER_DESK=${1:-200}
WORKER=target/debug/examples/desk_worker
[ -x "$WORKER" ] || { echo "build the examples first: cargo build --examples" >&2; exit 1; }
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
BASE=$(mktemp -d /tmp/sportello-bench-XXXX)
AS=()
if [ "$(id -u)" = 0 ]; then chown postgres: "$BASE"; AS=(runuser -u postgres --); fi
chmod 711 "$BASE"
PORT=5432
"${AS[@]}" "$BIN/initdb" -N -D "$BASE/data" -U owner -A trust -E UTF8 --locale=C.UTF-8 --no-instructions >/dev/null
"${AS[@]}" "$BIN/pg_ctl" -D "$BASE/data" -l "$BASE/server.log" -w -t 30 \
  -o "-c listen_addresses= -c port=$PORT -c unix_socket_directories=$BASE" start >/dev/null
trap '"${AS[@]}" "$BIN/pg_ctl" -D "$BASE/data" -m fast -w stop >/dev/null; rm -rf "$BASE"' EXIT
HOST=$(printf %s "$BASE" | sed 's|/|%2F|g')
DATA=$(mktemp -d)
n=0
bootstrap() { # $1 = --db value
  target/debug/sportello --data-dir "$DATA" --db "$1" officer add --cf BNCGNN70C15L219B --name Bench >/dev/null
}
run() { # $1 = --db value, $2 = desks
  local start end pids=()
  start=$(date +%s.%N)
  for d in $(seq 1 "$2"); do "$WORKER" "$1" "$d" "$PER_DESK" "$DATA" >/dev/null & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p"; done
  end=$(date +%s.%N)
  echo "$1 $2" | awk -v s="$start" -v e="$end" -v n="$(( $2 * PER_DESK ))" -v desks="$2" \
    '{ printf "%-10s %d desk(s): %5d registrations in %6.2f s = %7.1f /s\n", ($1 ~ /^postgres/ ? "PostgreSQL" : "SQLite"), desks, n, e - s, n / (e - s) }'
}
for desks in 1 2 4; do
  n=$((n + 1))
  "${AS[@]}" "$BIN/createdb" -h "$BASE" -p $PORT -U owner "bench$n"
  URL="postgresql://owner@$HOST:$PORT/bench$n"
  bootstrap "$URL"
  run "$URL" "$desks"
done
bootstrap "$DATA/bench.db"
run "$DATA/bench.db" 1
rm -rf "$DATA"
