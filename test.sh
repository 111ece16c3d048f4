#!/usr/bin/env bash
# Builds the solution and runs every test project. Installs what the tests need when it is missing.
# Ends with one line: "N passed, N failed, N skipped", summed over all test assemblies.
set -uo pipefail
cd "$(dirname "$0")"

configuration="${CONFIGURATION:-Release}"
results="$(pwd)/artifacts/test-results"
mkdir -p "$results"

install_apt() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} ..."
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
      || { echo "apt-get install ${missing[*]} failed" >&2; exit 1; }
  fi
}

command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (dotnet not on PATH)." >&2; exit 1; }
# The SMTP sink the notification tests send real mail to; Debian's Chromium for the browser tests
# (Playwright drives it; it never downloads a browser); axe-core from npm for the accessibility checks.
install_apt python3-aiosmtpd chromium
if [ ! -f Rebooking.Tests/browser/node_modules/axe-core/axe.min.js ]; then
  command -v npm >/dev/null || install_apt npm
  (cd Rebooking.Tests/browser && npm ci --no-audit --no-fund --silent) || { echo "npm ci for axe-core failed" >&2; exit 1; }
fi

echo "== build ($configuration)"
if ! dotnet build Rebooking.sln -c "$configuration" -nologo -clp:ErrorsOnly; then
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

echo "== test"
log="$results/dotnet-test.log"
dotnet test Rebooking.sln -c "$configuration" --no-build -nologo --results-directory "$results" --logger "trx" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

passed=0; failed=0; skipped=0; assemblies=0
while IFS= read -r line; do
  f=$(sed -E 's/.*Failed: *([0-9]+).*/\1/' <<<"$line")
  p=$(sed -E 's/.*Passed: *([0-9]+).*/\1/' <<<"$line")
  s=$(sed -E 's/.*Skipped: *([0-9]+).*/\1/' <<<"$line")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s)); assemblies=$((assemblies + 1))
done < <(grep -E '^(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log")

if [ "$assemblies" -eq 0 ]; then
  echo "No test results were found in the runner's output." >&2
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
