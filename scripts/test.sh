#!/usr/bin/env bash
# The project's test command (README.md): builds and runs every test.
# Needs the Debian packages that .ci/run installs (openssl for the test PKI, softhsm2 and
# opensc for the PKCS#11 tokens).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in openssl softhsm2-util pkcs11-tool; do
  command -v "$tool" >/dev/null || { echo "ERROR: $tool is missing: run .ci/run or install it" >&2; exit 1; }
done
# The crash-safety tests drive a worker process built from examples/.
cargo build --locked --examples
exec cargo test --locked --all-targets
