#!/usr/bin/env bash
# Installs the pinned n8n app used by the end-to-end tests and `npm start`, from this
# folder's lockfile. Skipped when node_modules already matches the lockfile.
set -euo pipefail
cd "$(dirname "$0")"

stamp=node_modules/.smartflo-installed
want=$(cat package.json package-lock.json .npmrc | sha256sum | cut -d' ' -f1)
if [ -x node_modules/.bin/n8n ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
	echo "n8n $(node -p "require('./node_modules/n8n/package.json').version") already installed in e2e/n8n"
	exit 0
fi

echo "Installing n8n $(node -p "require('./package.json').dependencies.n8n") into e2e/n8n (about 3-4 minutes, 1.7 GB)…"
started=$(date +%s)
# npm shows no progress when not on a terminal: say every 20 s that it is still going.
( while sleep 20; do echo "  … still installing ($(( $(date +%s) - started )) s)"; done ) &
ticker=$!
trap 'kill $ticker 2>/dev/null || true' EXIT
# `npm install`, not `npm ci`: ci trips over optional packages built for other platforms.
# --ignore-scripts=false: run from `npm run …`, npm would pass the package's own
# ignore-scripts=true down through npm_config_ignore_scripts and skip sqlite3's build.
npm install --no-audit --no-fund --loglevel=error --ignore-scripts=false
# n8n keeps its data in SQLite. npm 11 runs only the install scripts package.json's
# allowScripts approves; sqlite3's compiles its binding (about a minute) when the prebuilt
# download is out of reach. Build it explicitly if the install left it out.
if [ ! -f node_modules/sqlite3/build/Release/node_sqlite3.node ]; then
	echo "Building the SQLite binding for n8n (about a minute)…"
	npm rebuild sqlite3 --loglevel=error --ignore-scripts=false
fi
if [ ! -f node_modules/sqlite3/build/Release/node_sqlite3.node ]; then
	echo "The SQLite binding for n8n could not be built; see the output above." >&2
	exit 1
fi
echo "$want" > "$stamp"
echo "n8n installed in $(( $(date +%s) - started )) s"
