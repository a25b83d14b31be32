#!/usr/bin/env bash
# Runs the whole test suite: installs what the tests need on Debian/Ubuntu where it is missing, then dotnet test.
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Topology]
# The fast lane alone (no stack, no Postgres): dotnet test SfpPlatform.UnitTests, or ./test.sh --filter "Category!=Stack".
set -euo pipefail
cd "$(dirname "$0")"

started=$(date +%s)
# Each step says what it does and how long the run has taken so far.
log() { printf '==> [%3ds] %s\n' "$(( $(date +%s) - started ))" "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2; exit 1; fi
}

apt_updated=0
apt_install() {
  command -v apt-get >/dev/null || { echo "missing $*; install it with your package manager" >&2; exit 1; }
  if [ "$apt_updated" -eq 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  log "installing $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

has_postgres_server() {
  for dir in "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/*/bin; do
    [ -x "$dir/postgres" ] && [ -x "$dir/initdb" ] && return 0
  done
  return 1
}

# PostgreSQL server binaries (with pgcrypto, in contrib), run by the AppHost as local processes.
has_postgres_server || apt_install postgresql postgresql-contrib
# Caddy: the edge tests run the generated Caddyfiles through the real thing.
command -v caddy >/dev/null || apt_install caddy
# Chromium (Debian's) drives the web app's browser tests through Playwright.
command -v chromium >/dev/null || apt_install chromium
# Node 20+ and npm run Verdaccio and the sfp CLI.
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
# git: the workflows give sfp the commit's source as a git repository.
command -v git >/dev/null || apt_install git

log "installing the pinned Verdaccio (tools/verdaccio)"
npm ci --prefix tools/verdaccio --no-audit --no-fund --loglevel=error >/dev/null

# The pinned sfp CLI (tools/sfp; ~240 MB, minutes to fetch): installed while the solution builds, and only when its
# lock file changed since the last install here.
mkdir -p artifacts
sfp_stamp=tools/sfp/node_modules/.installed-package-lock.json
sfp_install=""
if [ -x tools/sfp/node_modules/.bin/sfp ] && cmp -s tools/sfp/package-lock.json "$sfp_stamp"; then
  log "the pinned sfp CLI (tools/sfp) is installed"
else
  log "installing the pinned sfp CLI (tools/sfp) while building"
  ( npm ci --prefix tools/sfp --no-audit --no-fund --loglevel=error && cp tools/sfp/package-lock.json "$sfp_stamp" ) \
    >artifacts/sfp-install.log 2>&1 &
  sfp_install=$!
  trap '[ -n "$sfp_install" ] && kill "$sfp_install" 2>/dev/null || true' EXIT
fi

log "building (warnings are errors; a line per project as it is built)"
dotnet build SfpPlatform.sln -c Release -nologo -v minimal

if [ -n "$sfp_install" ]; then
  if ! wait "$sfp_install"; then
    sfp_install=""
    cat artifacts/sfp-install.log >&2
    echo "installing tools/sfp failed" >&2
    exit 1
  fi
  sfp_install=""
  log "installed $(tools/sfp/node_modules/.bin/sfp --version 2>/dev/null | head -1)"
fi

# Each test project writes its TRX under artifacts/test-results/<project>/ (VSTestResultsDirectory in its csproj).
results="$(pwd)/artifacts/test-results"
rm -rf "$results"
log "testing (a line per test as it finishes)"
status=0
dotnet test SfpPlatform.sln -c Release --no-build -nologo \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" "$@" 2>&1 \
  | tee artifacts/test-output.log || status=$?

# The failures again at the end, a few lines each, so that the tail of a long run says what failed and why.
if grep -qE '^ +Failed [A-Za-z]' artifacts/test-output.log; then
  echo "==> failed tests (whole output: artifacts/test-output.log):"
  awk '/^ +Failed [A-Za-z]/ { shown = 0; print; keep = 1; next }
       keep && /^ +(Stack Trace:|Standard Output Messages:|Passed |Failed |Skipped )/ { keep = 0 }
       keep && shown < 6 { print; shown++ }' artifacts/test-output.log | cut -c1-400
fi

# One plain closing line with the counts, summed over the test projects' TRX reports.
passed=0; failed=0; total=0; executed=0
for trx in "$results"/*/results.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  count() { local n; n=$(printf '%s' "$counters" | sed -nE "s/.* $1=\"([0-9]+)\".*/\1/p"); printf '%s' "${n:-0}"; }
  passed=$(( passed + $(count passed) )); failed=$(( failed + $(count failed) ))
  total=$(( total + $(count total) )); executed=$(( executed + $(count executed) ))
done
echo "tests: ${passed} passed, ${failed} failed, $(( total - executed )) skipped"
exit "$status"
