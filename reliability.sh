#!/usr/bin/env bash
# Runs the whole test suite against the real stack (./test.sh) and writes the reliability and security figures the
# tests record to docs/reliability.md (or the path given as the first argument).
# Usage: ./reliability.sh [report path] [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")"
report="$(realpath -m "${1:-docs/reliability.md}")"
shift || true
SFP_RELIABILITY_REPORT="$report" ./test.sh "$@"
echo "==> reliability report: $report"
