#!/usr/bin/env bash
# Makes (once) a Python virtual environment with pinned pyHanko, the independent CAdES checker
# the signing tests use. Usage: scripts/pyhanko-venv.sh DIR   (prints DIR/bin/python)
set -euo pipefail
dir="${1:?usage: pyhanko-venv.sh DIR}"
stamp="$dir/.pyhanko-0.38"
if [ ! -f "$stamp" ]; then
  rm -rf "$dir"
  python3 -m venv "$dir" >&2
  "$dir/bin/pip" install --quiet --disable-pip-version-check \
    'pyhanko==0.38.*' 'pyhanko-certvalidator==0.33.*' >&2
  touch "$stamp"
fi
echo "$dir/bin/python"
