#!/usr/bin/env bash
# The test commands of package.json: `npm test` (all), `npm run test:unit` (no site build, no
# browser) and `npm run test:browser` (the built site, snapshots and Chromium).
#
# One build of the site per run, shared by every test file that needs it (test/site and
# test/browser; the snapshot they check is made once from it, test/helpers/shared-site.ts).
# Test files run TEST_CONCURRENCY at a time (default 2, the cores of these machines; Node's own
# default is one fewer than the cores), the longest first so that the short ones fill the end.
# Each run records every file's time in .scratch/test-timings.json (written when the run ends,
# then renamed into place); `npm run test:timings` prints it and compares it with another.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"

unit=(test/*.test.ts)
# Longest first (see `npm run test:timings`): the browser files, then the snapshot checks.
browser=(test/browser/site.test.ts test/browser/snapshot.test.ts test/site/snapshot.test.ts)
for f in test/browser/*.test.ts test/site/*.test.ts; do
  case " ${browser[*]} " in *" $f "*) ;; *) browser+=("$f") ;; esac
done

case "$what" in
  all) files=("${browser[@]}" "${unit[@]}") ;;
  unit) files=("${unit[@]}") ;;
  browser) files=("${browser[@]}") ;;
  *) echo "usage: bash scripts/test.sh [all|unit|browser]" >&2; exit 2 ;;
esac

started=$(date +%s)
if [ "$what" = unit ]; then
  npm run -s build:kernel
  npm run -s typecheck
else
  bash scripts/ensure-chromium.sh
  # The type check needs no build: it runs on the other core while the site builds.
  npm run -s typecheck &
  typecheck=$!
  npm run -s build
  wait "$typecheck"
fi
echo "prepared in $(( $(date +%s) - started )) s (build and type check); running ${#files[@]} test files, ${TEST_CONCURRENCY:-2} at a time"

mkdir -p .scratch
timings_tmp=".scratch/test-timings.json.tmp-$$"
trap 'rm -f "$timings_tmp"' EXIT
status=0
TEST_CONCURRENCY="${TEST_CONCURRENCY:-2}" node --import tsx --test --test-concurrency="${TEST_CONCURRENCY:-2}" \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=./test/helpers/timings-reporter.mjs --test-reporter-destination="$timings_tmp" \
  "${files[@]}" || status=$?
# The runner's own summary stays the last lines printed.
if [ -s "$timings_tmp" ]; then mv "$timings_tmp" .scratch/test-timings.json; fi
exit "$status"
