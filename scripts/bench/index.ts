/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * `npm run bench`: what the Smartflo node costs over one HTTP round trip. Prints seven
 * (or, with part numbers as arguments, some of the) tables of ratios (absolute times on a shared machine are noise) and writes
 * bench-results.json for tooling. Nothing here asserts: it only measures.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { shutdownEngine } from '../../test/helpers/engine';
import { measureBurst } from './burst';
import { startDoubleProcess } from './doubleProcess';
import { measureEngineOverhead } from './engineOverhead';
import { measureFootprint } from './footprint';
import { measureRealApp } from './realApp';
import { measureRouteCall } from './routeCall';
import { measureWebhookLatency } from './webhookLatency';
import { measureWebhookTrigger } from './webhookTrigger';

const log = (line = '') => process.stdout.write(`${line}\n`);

/** `npm run bench -- 4` runs part 4 only; `-- 1 4` parts 1 and 4; no argument, all seven. */
const parts = process.argv.slice(2).map(Number).filter((part) => part >= 1 && part <= 7);
if (parts.length === 0) parts.push(1, 2, 3, 4, 5, 6, 7);

async function main() {
	const started = Date.now();
	log(`Smartflo node benchmark — ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}`);
	log('Ratios are the result; absolute times depend on this machine and what else it is doing.\n');

	const double = await startDoubleProcess();
	try {
		// Accept every call id without lookups, so both sides get the same quick answer.
		await double.control('/__double/faults', 'POST', {
			path: '/v1/call/options',
			respond: { status: 200, json: { success: true, message: 'Call barge request accepted' } },
		});

		log(parts.length < 7 ? `Parts ${parts.join(', ')} only.\n` : '');
		let engine, burst, realApp, webhookLatency, footprint, webhookTrigger, routeCall;
		if (parts.includes(1)) {
			log('1. Engine overhead: node via n8n-core WorkflowExecute vs plain HTTP POSTs from Node (same body, headers, concurrency)');
			engine = await measureEngineOverhead(double.url, log);
		}
		if (parts.includes(2)) {
			log('\n2. Bursts on the engine: N runs of one item at once (N webhooks together), default pacing vs pacing off');
			burst = await measureBurst(double.url, log);
		}
		shutdownEngine();
		if (parts.includes(3)) {
			log('\n3. In the real n8n app: 1,000 items, this node vs n8n’s HTTP Request node, same request and credential (n8n’s executionTime)');
			realApp = await measureRealApp(double.url, log);
		}
		if (parts.includes(4)) {
			log('\n4. In the real n8n app: N production webhooks at once, webhook → provider, this node vs the HTTP Request node');
			webhookLatency = await measureWebhookLatency(double, log);
		}
		if (parts.includes(5)) {
			log('\n5. Footprint');
			footprint = measureFootprint(log);
		}
		if (parts.includes(6)) {
			log('\n6. Instant events in the real app: portal deliveries N at once, Smartflo Webhook Trigger vs n8n’s Webhook node');
			webhookTrigger = await measureWebhookTrigger(double, log);
		}
		if (parts.includes(7)) {
			log('\n7. Routing answer in the real app: API Dialplan requests N at once, Smartflo Webhook Trigger → Route Call vs n8n’s Webhook → Respond to Webhook');
			routeCall = await measureRouteCall(log);
		}

		const file = path.resolve(__dirname, '..', '..', 'bench-results.json');
		writeFileSync(
			file,
			JSON.stringify({ when: new Date().toISOString(), machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version }, engine, burst, realApp, webhookLatency, footprint, webhookTrigger, routeCall }, null, 2),
		);
		log(`\nDone in ${Math.round((Date.now() - started) / 1000)} s; results in ${path.basename(file)}.`);
	} finally {
		// Also when a part fails: n8n-core's SSH client manager keeps the process alive otherwise.
		shutdownEngine();
		await double.stop();
	}
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? String(error)}\n`);
	process.exitCode = 1;
});
