#!/usr/bin/env bash
# The test command: installs what is missing (Chromium too), type-checks
# (the UI with its own browser tsconfig), lints, then runs
# every test (unit and integration, against a real local cluster) with Node's
# test runner, whose summary ends the output.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh --browser
echo "type-check" >&2
npx tsc --noEmit -p tsconfig.json
npx tsc --noEmit -p tsconfig.core.json
npx tsc --noEmit -p src/ui/tsconfig.json
npx tsc --noEmit -p src/ui/tsconfig.test.json
echo "lint" >&2
npx eslint --max-warnings=0 .
exec npx tsx scripts/run-tests.ts "$@"
