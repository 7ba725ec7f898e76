#!/usr/bin/env bash
# Sets a machine up for scripts/test.sh and scripts/start.sh (fresh Debian + Node 20 + npm): the Debian packages
# that are missing, the root npm packages (npm ci, skipped when node_modules already matches the lockfile) and
# code-server (test/vscode/server/install.sh, skipped when installed). Safe to run again: fast when nothing is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
t0=$(date +%s)

# ---- Debian packages: Chromium (UI tests and the extension host's client), ripgrep (VS Code's file search, seeded
# into code-server's install), libkrb5-dev (code-server's kerberos module compiles against it).
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
# git: `mvg diff --rev` and the editor's Compare with HEAD are tested against temporary repositories.
command -v git >/dev/null 2>&1 || need+=(git)
[ -e /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
# python3-onnx: the unit test that runs onnx.checker (full_check) on the models we build.
/usr/bin/python3 -c 'import onnx.checker' >/dev/null 2>&1 || need+=(python3-onnx)
# python3-torch: the live PyTorch checks (random configs built by torch vs our model; ORT outputs vs torch's).
# Tests that need it or python3-onnx skip without them locally, and fail under CI=true (test/requires.ts).
/usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || need+=(python3-torch)
# (node-gyp builds code-server's native modules with these; Debian's package names are the tools' names)
for tool in make g++ python3; do command -v "$tool" >/dev/null 2>&1 || need+=("$tool"); done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: apt-get install ${need[*]}"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# ---- root npm packages
lock_matches() {
  [ -f node_modules/.package-lock.json ] || return 1
  node -e '
    const want = require("./package-lock.json").packages, have = require("./node_modules/.package-lock.json").packages;
    for (const [p, w] of Object.entries(want)) {
      if (!p || w.optional || w.peer && !have[p]) continue;
      if (!have[p] || have[p].version !== w.version) process.exit(1);
    }' 2>/dev/null
}
if lock_matches; then
  echo "setup: node_modules matches package-lock.json"
else
  echo "setup: npm ci"
  # .npmrc already says onnxruntime-node-install=skip; the variable says it too (install.js reads both), in case a
  # future npm stops exporting unknown project config to install scripts.
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error
fi

# ---- code-server (a real VS Code, from npm)
bash test/vscode/server/install.sh
echo "setup: done in $(( $(date +%s) - t0 ))s"
