#!/usr/bin/env bash
# The real-app tests on each n8n app named (1.123, 2.8, 2.41; default: all three, oldest
# first), installing an app on first use: `npm run test:e2e -- 2.41` runs one.
set -euo pipefail
cd "$(dirname "$0")/.."
apps=("$@")
[ ${#apps[@]} -gt 0 ] || apps=(n8n-1.123 n8n-2.8 n8n-2.41)
for app in "${apps[@]}"; do
	app=${app#n8n-}
	bash e2e/install.sh "n8n-$app"
	echo "== end-to-end tests in n8n-$app"
	SMARTFLO_N8N="n8n-$app" npx jest -c jest.e2e.config.js --runInBand
done
