#!/usr/bin/env bash
# The README's main-job command: set up what is missing, build, show the seed network and the lint of the examples,
# then open the examples in a real VS Code (code-server from npm) with the extension installed, on 127.0.0.1,
# and print its URL. Runs until Ctrl+C.
#
#   bash scripts/start.sh            # http://127.0.0.1:8080
#   PORT=9000 bash scripts/start.sh
#
# VS Code's profile (settings, installed extension, state) persists in .vscode-server-data/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PORT="${PORT:-8080}"
HOST=127.0.0.1

bash scripts/setup.sh
npm run build --silent

if [ -f dist/cli.js ]; then
  echo
  echo "== mvg info examples/configs/mixvargenet_imagenet.py"
  node bin/mvg.js info examples/configs/mixvargenet_imagenet.py || true
  echo
  echo "== mvg lint examples/configs (mistakes.py is wrong on purpose)"
  node bin/mvg.js lint examples/configs || true
fi

DATA="$ROOT/.vscode-server-data"
CODE_SERVER="$ROOT/test/vscode/server/node_modules/.bin/code-server"
mkdir -p "$DATA/home" "$DATA/user-data/User" "$DATA/extensions" "$DATA/tmp"
export HOME="$DATA/home" XDG_CONFIG_HOME="$DATA/home/.config" XDG_DATA_HOME="$DATA/home/.local/share" \
  XDG_CACHE_HOME="$DATA/home/.cache" TMPDIR="$DATA/tmp" EXTENSIONS_GALLERY='{}'

if [ ! -f "$DATA/user-data/User/settings.json" ]; then
  cat >"$DATA/user-data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "security.workspace.trust.enabled": false,
  "git.openRepositoryInParentFolders": "never"
}
JSON
fi

# ---- the extension, as a user gets it: the .vsix (npm run package) when the project packages one, else a copy
ID="$(node -p "const p=require('./package.json'); p.publisher + '.' + p.name")"
VERSION="$(node -p "require('./package.json').version")"
rm -rf "$DATA/extensions/$ID"-* "$DATA/extensions/extensions.json" "$DATA/extensions/.obsolete"
VSIX=""
if node -e "process.exit(require('./package.json').scripts.package ? 0 : 1)"; then
  before=$(date +%s)
  if npm run package --silent >"$DATA/package.log" 2>&1; then
    VSIX="$(ls -t ./*.vsix 2>/dev/null | head -n1 || true)"
    [ -n "$VSIX" ] && [ "$(stat -c %Y "$VSIX")" -ge "$before" ] || VSIX=""
  else
    echo "start: npm run package failed (see $DATA/package.log); installing a copy of the built folder instead" >&2
  fi
fi
if [ -n "$VSIX" ]; then
  "$CODE_SERVER" --extensions-dir "$DATA/extensions" --install-extension "$VSIX" --force >/dev/null
  echo "installed $(basename "$VSIX")"
else
  dest="$DATA/extensions/$ID-$VERSION"
  mkdir -p "$dest"
  for f in package.json README.md LICENSE CHANGELOG.md dist schemas syntaxes docs images webview; do
    [ -e "$f" ] && cp -r "$f" "$dest/"
  done
  echo "installed a copy of the built extension"
fi

if (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; then
  echo "start: port $PORT on $HOST is in use; set PORT=... to use another" >&2
  exit 1
fi

"$CODE_SERVER" --bind-addr "$HOST:$PORT" --auth none --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override \
  --user-data-dir "$DATA/user-data" --extensions-dir "$DATA/extensions" "$ROOT/examples" >"$DATA/code-server.log" 2>&1 &
PID=$!
stop() {
  trap - INT TERM EXIT
  kill "$PID" 2>/dev/null || true
  wait "$PID" 2>/dev/null || true
  echo
  echo "code-server stopped"
}
trap stop INT TERM EXIT

for _ in $(seq 1 600); do
  if node -e "require('http').get('http://$HOST:$PORT/healthz', r => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1))"; then
    break
  fi
  kill -0 "$PID" 2>/dev/null || { echo "start: code-server exited:"; cat "$DATA/code-server.log"; exit 1; }
  sleep 0.2
done

URL="http://$HOST:$PORT/?folder=$ROOT/examples"
echo
echo "VS Code (code-server $("$CODE_SERVER" --version 2>/dev/null | grep -Eo '^[0-9.]+' | head -n1)) with MixVarGENet Studio, examples/ open:"
echo
echo "    $URL"
echo
echo "Open configs/mixvargenet_imagenet.py or configs/mistakes.py. Log: .vscode-server-data/code-server.log. Ctrl+C stops it."
wait "$PID"
