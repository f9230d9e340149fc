#!/usr/bin/env bash
# Installs what building and testing Dockwise needs on a fresh Debian machine, then the npm dependencies.
#   scripts/prepare.sh          build needs (code-server's native modules need libkrb5-dev; its ripgrep step needs rg)
#   scripts/prepare.sh --test   also what the tests need: a Docker engine, Chromium, busybox for seeding, ShellCheck,
#                               pre-commit (runs the hook definition), and what the course's stand-in images are made of
#                               (MariaDB, the registry, compose)
set -euo pipefail
cd "$(dirname "$0")/.."

want=(libkrb5-dev ripgrep)
if [ "${1:-}" = "--test" ]; then
  want+=(docker.io iproute2 chromium busybox-static shellcheck pre-commit)
  want+=(mariadb-server docker-registry docker-compose)
fi

missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# code-server's @vscode/ripgrep downloads a binary when installed; offline it takes one from this cache instead.
rg_cache=/tmp/vscode-ripgrep-cache-1.15.11
rg_tar="$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$rg_tar" ]; then
  mkdir -p "$rg_cache"
  tar czf "$rg_tar" -C "$(dirname "$(command -v rg)")" rg
fi

# Reinstall only when the lock file changed since the last install.
stamp=node_modules/.dockwise-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund
  cp package-lock.json "$stamp"
fi
