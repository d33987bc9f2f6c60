#!/usr/bin/env bash
# Runs the browser tests (tests/browser/*.test.mjs) one file at a time with
# node's test runner, against the bp-server and bp-index in $BP_BUILD; each
# file starts its own server on a free loopback port with a fresh index and
# a temporary data folder. Screenshots go to $BP_BUILD/screenshots/.
# Prints "browser tests: N passed, N failed"; non-zero on any failure.
# Called by scripts/test after ctest; can be run alone after a build.
source "$(dirname "$0")/../../scripts/lib.sh"

# Installs the Debian packages only for commands that are missing: a Node.js
# from elsewhere (nodesource bundles npm) must not be replaced.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
for pkg in "${BP_BROWSER_PACKAGES[@]}"; do
  case "$pkg" in chromium|nodejs|npm) ;; *) missing+=("$pkg") ;; esac
done
if [ ${#missing[@]} -gt 0 ]; then bp_install_packages "${missing[@]}"; fi

cd "$BP_ROOT"
echo "==> npm ci (playwright-core, axe-core, @svg-maps/italy from package-lock.json)"
npm ci --no-audit --no-fund --prefer-offline --loglevel=error

export BP_BUILD
export BP_SCREENSHOTS="${BP_SCREENSHOTS:-$BP_BUILD/screenshots}"
export CHROMIUM="${CHROMIUM:-$(command -v chromium)}"
rm -rf "$BP_SCREENSHOTS"
mkdir -p "$BP_SCREENSHOTS"

tap_dir="$(mktemp -d)"
trap 'rm -rf "$tap_dir"' EXIT
status=0
for file in tests/browser/*.test.mjs; do
  name="$(basename "$file" .test.mjs)"
  echo "==> Browser tests: $file"
  node --test \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap_dir/$name.tap" \
    "$file" || status=1
done

passed=0
failed=0
for tap in "$tap_dir"/*.tap; do
  p="$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" | tail -1)"
  f="$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap" | tail -1)"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
# A file that crashed before reporting counts as a failure.
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "==> Screenshots in $BP_SCREENSHOTS: $(ls "$BP_SCREENSHOTS" | wc -l) files"
echo "browser tests: $passed passed, $failed failed"
exit "$status"
