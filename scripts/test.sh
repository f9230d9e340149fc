#!/usr/bin/env bash
# Every test: unit tests of the engine and CLI, daemon tests against a private dockerd, and the integration suite
# inside a real VS Code (code-server driven by Chromium) against that daemon. Installs what is missing first.
# Ends with one line "N passed, N failed" that counts all of them.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/prepare.sh --test || exit 1

out=.test-output/counts
rm -rf .test-output && mkdir -p "$out"
status=0
stage() { echo; echo "=== $1"; }

stage "Type check"
npx tsc --noEmit -p . || status=1

stage "Build"
node esbuild.mjs && node esbuild.mjs --tests || { echo "build failed"; exit 1; }

stage "Unit tests"
npx mocha --reporter ./test/support/specWithCounts.cjs --reporter-option output=$out/unit.json || status=1

if ls test/daemon/*.test.ts >/dev/null 2>&1; then
  stage "Daemon tests (a private dockerd)"
  npx mocha --config test/daemon/.mocharc.json --reporter ./test/support/specWithCounts.cjs --reporter-option output=$out/daemon.json || status=1
fi

stage "Integration tests (code-server + Chromium + a private dockerd)"
node dist-test/runIntegration.js || status=1
[ -f .test-output/integration-results.json ] && cp .test-output/integration-results.json $out/integration.json

stage "Summary"
node -e '
  const fs = require("fs"), path = require("path");
  const dir = process.argv[1];
  let passed = 0, failed = 0;
  for (const stage of ["unit", "daemon", "integration"]) {
    const f = path.join(dir, stage + ".json");
    if (!fs.existsSync(f)) { if (stage !== "daemon") { console.log(stage + ": did not run to the end"); failed++; } continue; }
    const c = JSON.parse(fs.readFileSync(f, "utf8"));
    console.log(`${stage}: ${c.passed} passed, ${c.failed} failed`);
    passed += c.passed; failed += c.failed;
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
' "$out" || status=1
exit $status
