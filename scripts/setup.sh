#!/usr/bin/env bash
# The first command on a fresh machine: install, build and package the extension, then lint the sample todo app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prepare.sh
npm run package
echo
echo "Packaged $(ls -1 dockwise.vsix) ($(du -k dockwise.vsix | cut -f1) KB). Linting samples/todo-app:"
echo
# Findings are the point here, so their exit code (1 when the sample has errors) does not fail the setup.
node dist/cli.js lint samples/todo-app || [ $? -eq 1 ]
