#!/usr/bin/env bash
# `npm run test:ui`: the package in n8n's editor (2.41, as `npm start` serves it) in a real
# browser. Installs what is missing: Debian's Chromium (as root; no browser is downloaded
# from anywhere else), playwright-core from e2e/ui's lockfile, the n8n app from its lockfile.
# Screenshots (and npm start's output) end up in e2e/ui/screenshots/, printed at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."

chromium=${SMARTFLO_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "The browser tests need Chromium at $chromium: install it (sudo apt-get install -y chromium)." >&2
		exit 1
	fi
	echo "Installing chromium from the system's packages…"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
echo "== $("$chromium" --version 2>/dev/null | tail -1)"

bash scripts/install-pinned.sh e2e/ui
bash e2e/install.sh n8n-2.41

status=0
SMARTFLO_N8N=n8n-2.41 npx jest -c e2e/ui/jest.config.js --runInBand "$@" || status=$?
echo "== screenshots and npm start's output: $PWD/e2e/ui/screenshots/"
ls e2e/ui/screenshots/ 2>/dev/null | sed 's/^/   /'
exit $status
