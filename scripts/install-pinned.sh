#!/usr/bin/env bash
# Installs a pinned helper folder (its own package.json and lockfile, no install scripts),
# e.g. e2e/node24 (Node.js 24) or test/engines/latest (the newest n8n engine). Skipped
# when node_modules already matches the lockfile.
set -euo pipefail
folder=${1:?usage: install-pinned.sh FOLDER}
cd "$folder"
stamp=node_modules/.smartflo-installed
want=$(cat package.json package-lock.json $(ls .npmrc 2>/dev/null) | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
	exit 0
fi
echo "Installing $folder from its lockfile…"
npm ci --no-audit --no-fund --loglevel=error --ignore-scripts
echo "$want" > "$stamp"
