#!/usr/bin/env bash
# The whole test suite: type check, unit and API tests (SQLite, PostgreSQL, MariaDB; both
# message transports), the official CLI against `tstack up`, and Tempest's identity tests.
# Tests that need something this machine lacks skip with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
[ -d node_modules ] || npm ci
npm run --silent build
npx tsc -p tsconfig.test.json
# Boundaries (.dependency-cruiser.cjs): no service imports another, common imports no service,
# managers import no api/, folders are entered through their index.ts.
npx depcruise src --config .dependency-cruiser.cjs --output-type err
mapfile -t files < <(find src test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
exec node --import tsx --test --test-concurrency=1 --test-timeout=1200000 "${files[@]}"
