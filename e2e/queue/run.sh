#!/usr/bin/env bash
# `npm run test:queue`: the package in n8n's queue mode (main + 2 workers, PostgreSQL,
# Redis), on today's n8n unless SMARTFLO_N8N names another app. Installs what is missing:
# Redis and PostgreSQL from the system's packages (as root), the n8n app from its lockfile.
# The tests start every server on 127.0.0.1 and stop them, also when a test fails.
set -euo pipefail
cd "$(dirname "$0")/../.."

have_postgres() {
	command -v initdb >/dev/null && command -v pg_ctl >/dev/null && return 0
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1
}
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
have_postgres || missing+=(postgresql)
command -v psql >/dev/null || missing+=(postgresql-client)
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "Queue mode needs ${missing[*]}: install them (e.g. sudo apt-get install -y ${missing[*]})." >&2
		exit 1
	fi
	echo "Installing ${missing[*]} from the system's packages…"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	# Debian starts the packaged servers; the tests run their own on free ports.
	service redis-server stop >/dev/null 2>&1 || true
	service postgresql stop >/dev/null 2>&1 || true
fi

app=${SMARTFLO_N8N:-n8n-2.41}
bash e2e/install.sh "$app"
echo "== queue-mode tests in $app"
SMARTFLO_N8N="$app" npx jest -c e2e/queue/jest.config.js --runInBand
