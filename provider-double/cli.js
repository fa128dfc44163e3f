#!/usr/bin/env node
'use strict';
// Runs the provider double on its own: `node provider-double/cli.js [--port 4010] [--crm]`.
// It stops on Ctrl-C, SIGTERM, or after 30 idle minutes (PROVIDER_DOUBLE_IDLE_MS).
// --crm also starts the CRM double of the examples (crmDouble.js) and prints its URL.
const { startCrmDouble } = require('./crmDouble');
const { startProviderDouble } = require('./server');

async function main() {
	const portFlag = process.argv.indexOf('--port');
	const port = portFlag > 0 ? Number(process.argv[portFlag + 1]) : Number(process.env.PROVIDER_DOUBLE_PORT ?? 0);
	const idleTimeoutMs = Number(process.env.PROVIDER_DOUBLE_IDLE_MS ?? 30 * 60 * 1000);
	const double = await startProviderDouble({ port, idleTimeoutMs, unref: false });
	process.stdout.write(`provider double listening on ${double.url} (token: sandbox-token)\n`);
	const crm = process.argv.includes('--crm') ? await startCrmDouble({ idleTimeoutMs }) : undefined;
	if (crm) process.stdout.write(`CRM double listening on ${crm.url}\n`);
	const stop = () => Promise.all([double.stop(), crm?.stop()]).then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
