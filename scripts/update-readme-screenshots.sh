#!/usr/bin/env bash
# Copies the screenshots the integration tests took (.test-output/screenshots/) that the README shows into
# docs/images/, so the README pictures what the extension really shows. Run after scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p docs/images
for name in dockerfile-diagnostics compose-diagnostics quick-fix-menu layer-size-lenses explorer-image-layers explorer-layer-files explorer-welcome-no-daemon step-vmKiller-architecture; do
  src=.test-output/screenshots/$name.png
  if [ -f "$src" ]; then cp "$src" "docs/images/$name.png"; echo "docs/images/$name.png"; else echo "missing: $src" >&2; fi
done
# The course picture: the compose step ticked by what the daemon shows, from the story test.
src=.test-output/screenshots/story-compose-after.png
if [ -f "$src" ]; then cp "$src" docs/images/step-todoApp-compose-done.png; echo docs/images/step-todoApp-compose-done.png; else echo "missing: $src" >&2; fi
