#!/usr/bin/env bash
# Installs code-server 4.100.3 (= VS Code 1.100.3) into test/vscode/server/node_modules, offline but for the npm
# registry. Idempotent: returns at once when the pinned version is already installed and runs.
#
# Why each piece is here (see ../../../../shared/VSCODE-E2E.md for the facts):
# - its postinstall rebuilds native modules (kerberos needs apt libkrb5-dev; node-pty runs `npx node-gyp`, hence
#   npm_config_yes) and refuses to run as root without npm_config_unsafe_perm;
# - @vscode/ripgrep would download ripgrep from GitHub: it first looks for a cached tarball under $TMPDIR, which we seed
#   with Debian's /usr/bin/rg (apt ripgrep, 13.0.0).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"
WANT="$(node -p "require('./package.json').dependencies['code-server']")"

installed_version() {
  # code-server writes a default config under $XDG_CONFIG_HOME on any start: keep that out of the user's home.
  local tmp
  tmp="$(mktemp -d)"
  HOME="$tmp" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" \
    timeout 60 ./node_modules/.bin/code-server --version 2>/dev/null | grep -Eo '^[0-9]+\.[0-9]+\.[0-9]+' | head -n1 || true
  rm -rf "$tmp"
}

if [ -x node_modules/.bin/code-server ] && [ -e node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg ] \
  && [ "$(installed_version)" = "$WANT" ]; then
  echo "code-server $WANT already installed"
  exit 0
fi

for tool in rg; do
  command -v "$tool" >/dev/null || { echo "install.sh: $tool is missing (apt-get install -y ripgrep)" >&2; exit 1; }
done
[ -e /usr/include/gssapi/gssapi.h ] || { echo "install.sh: libkrb5-dev is missing (apt-get install -y libkrb5-dev)" >&2; exit 1; }

SEED="$(mktemp -d)"
trap 'rm -rf "$SEED"' EXIT
mkdir -p "$SEED/vscode-ripgrep-cache-1.15.11" "$SEED/rg"
cp "$(command -v rg)" "$SEED/rg/rg"
tar -C "$SEED/rg" -czf "$SEED/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" rg

echo "installing code-server $WANT (about a minute)..."
start=$(date +%s)
TMPDIR="$SEED" npm_config_unsafe_perm=true npm_config_yes=true \
  npm ci --no-audit --no-fund --loglevel=error
echo "code-server $(installed_version) installed in $(( $(date +%s) - start ))s"
[ "$(installed_version)" = "$WANT" ] || { echo "install.sh: code-server does not run after install" >&2; exit 1; }
