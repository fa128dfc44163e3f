/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * Part 4: webhook to provider in the real app. `n8n start` serves two published workflows,
 * each a production webhook (the CRM example) feeding one sender: this node's Transfer, or
 * n8n's HTTP Request node sending the same request with the same credential. N webhooks
 * are fired at once; for each, the time from sending the webhook until the provider double
 * received the transfer, and until the webhook answered.
 */
import { existsSync } from 'node:fs';

import { N8nApp, appRuntime, freePort, packPackage, stopProcess } from '../../e2e/helpers/n8nApp';
import { credential, crmTransferParameters, httpRequestSender, smartfloNode, webhookWorkflow } from '../../e2e/helpers/workflows';
import type { DoubleProcess } from './doubleProcess';
import { percentile, ms, table } from './stats';

const BURSTS = [1, 10, 20, 50];
/** At least this many webhooks per burst size and sender, so a p95 means something. */
const MIN_SAMPLES = 40;
const roundsFor = (count: number) => Math.max(6, Math.ceil(MIN_SAMPLES / count));
/** More rounds, up to this many times the minimum, until the p95 ratio holds still. */
const MAX_ROUNDS_FACTOR = 4;
/** Stable: the ratio of the first and of the second half of the rounds differ by less than this. */
const STABLE_DRIFT = 0.05;
const CREDENTIAL = { id: 'benchLatency', name: 'Smartflo (latency bench)' };
const SENDERS = { smartflo: 'bench-smartflo-transfer', httpRequest: 'bench-http-request-transfer' } as const;
type Sender = keyof typeof SENDERS;

function workflows(doubleUrl: string) {
	return [
		webhookWorkflow('benchLatencySmartflo', SENDERS.smartflo, smartfloNode('Send', crmTransferParameters(), CREDENTIAL)),
		webhookWorkflow(
			'benchLatencyHttp',
			SENDERS.httpRequest,
			httpRequestSender(
				'benchLatencyHttp-send',
				doubleUrl,
				'={{ JSON.stringify({ type: 4, call_id: $json.body.call_id, intercom: $json.body.owner_phone }) }}',
				CREDENTIAL,
			),
		),
	];
}

interface Sample {
	toProviderMs: number;
	roundTripMs: number;
}

let callCount = 0;

async function burst(port: number, double: DoubleProcess, sender: Sender, count: number): Promise<Sample[]> {
	const calls = Array.from({ length: count }, () => `${1_759_000_000 + (callCount += 1)}.${1000 + (callCount % 9000)}`);
	const sent = await Promise.all(
		calls.map(async (callId) => {
			const sentAt = Date.now();
			const response = await fetch(`http://127.0.0.1:${port}/webhook/${SENDERS[sender]}`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ call_id: callId, owner_phone: '9196009832' }),
			});
			await response.arrayBuffer();
			if (response.status !== 200) throw new Error(`${sender} webhook answered HTTP ${response.status}`);
			return { callId, sentAt, answeredAt: Date.now() };
		}),
	);
	const log = (await double.control('/__double/requests', 'GET')) as Array<{ at: number; json?: { call_id?: string } }>;
	const arrivedAt = new Map(log.filter((entry) => entry.json?.call_id).map((entry) => [entry.json!.call_id!, entry.at]));
	return sent.map(({ callId, sentAt, answeredAt }) => {
		const at = arrivedAt.get(callId);
		if (at === undefined) throw new Error(`${sender}: the provider never received call ${callId}`);
		return { toProviderMs: at - sentAt, roundTripMs: answeredAt - sentAt };
	});
}

export async function measureWebhookLatency(double: DoubleProcess, log: (line: string) => void) {
	const runtime = appRuntime();
	if (!existsSync(runtime.bin)) {
		log(`  skipped: ${runtime.name} is not installed (run \`bash e2e/install.sh ${runtime.name}\` first)`);
		return undefined;
	}
	log(`  in ${runtime.name} (n8n ${runtime.version}), interleaved rounds, at least ${MIN_SAMPLES} webhooks per size and sender`);
	const app = new N8nApp(await freePort(), undefined, runtime);
	let server: Awaited<ReturnType<N8nApp['start']>> | undefined;
	try {
		app.installPackage(packPackage());
		await app.importCredentials([credential(CREDENTIAL.id, CREDENTIAL.name, double.url, 'sandbox-token')]);
		await app.importWorkflows(workflows(double.url));
		await app.activate('benchLatencySmartflo');
		await app.activate('benchLatencyHttp');
		const port = await freePort();
		server = await app.start(port, { webhooks: Object.values(SENDERS) });
		// Warm-up: the first executions of each workflow load code and caches.
		for (const sender of ['smartflo', 'httpRequest'] as const) await burst(port, double, sender, 5);

		const rows = [];
		for (const count of BURSTS) {
			const samples: Record<Sender, Sample[]> = { smartflo: [], httpRequest: [] };
			const p95Ratio = (from: number, to: number) =>
				percentile(samples.smartflo.slice(from, to).map((sample) => sample.toProviderMs), 95) /
				percentile(samples.httpRequest.slice(from, to).map((sample) => sample.toProviderMs), 95);
			let drift = Infinity;
			let rounds = 0;
			// Interleaved rounds, alternating which sender goes first, until the ratio is stable
			// (as part 1 does): one busy moment of the machine then cannot decide the result.
			while (rounds < roundsFor(count) * MAX_ROUNDS_FACTOR && (rounds < roundsFor(count) || drift >= STABLE_DRIFT)) {
				const order: Sender[] = rounds % 2 === 0 ? ['smartflo', 'httpRequest'] : ['httpRequest', 'smartflo'];
				for (const sender of order) {
					samples[sender].push(...(await burst(port, double, sender, count)));
					// Let the credential's burst allowance refill (10 per second), as between real bursts.
					await new Promise((resolve) => setTimeout(resolve, 300 + count * 100));
				}
				rounds += 1;
				const half = Math.floor(samples.smartflo.length / 2);
				drift = Math.abs(p95Ratio(half, samples.smartflo.length) - p95Ratio(0, half)) / p95Ratio(0, samples.smartflo.length);
			}
			const stats = (sender: Sender, key: keyof Sample) => {
				const values = samples[sender].map((sample) => sample[key]);
				return { p50: percentile(values, 50), p95: percentile(values, 95), max: Math.max(...values) };
			};
			rows.push({
				count,
				rounds,
				ratioDrift: drift,
				smartflo: stats('smartflo', 'toProviderMs'),
				httpRequest: stats('httpRequest', 'toProviderMs'),
				smartfloRoundTrip: stats('smartflo', 'roundTripMs'),
				httpRequestRoundTrip: stats('httpRequest', 'roundTripMs'),
			});
		}
		const trio = (value: { p50: number; p95: number; max: number }) => `${ms(value.p50)} / ${ms(value.p95)} / ${ms(value.max)}`;
		log(
			table(
				['webhooks at once', 'rounds (drift)', 'Smartflo: to provider p50/p95/max', 'HTTP Request node: p50/p95/max', 'p95 ratio', 'goal'],
				rows.map((row) => [
					String(row.count),
					`${row.rounds} (${(row.ratioDrift * 100).toFixed(1)}%)`,
					trio(row.smartflo),
					trio(row.httpRequest),
					`${(row.smartflo.p95 / row.httpRequest.p95).toFixed(2)}×`,
					row.count <= 20 ? '≤ 1.1×' : '',
				]),
			),
		);
		log('  webhook answered (round trip through n8n and the provider), p50/p95/max:');
		log(
			table(
				['webhooks at once', 'Smartflo', 'HTTP Request node', 'p95 ratio'],
				rows.map((row) => [
					String(row.count),
					trio(row.smartfloRoundTrip),
					trio(row.httpRequestRoundTrip),
					`${(row.smartfloRoundTrip.p95 / row.httpRequestRoundTrip.p95).toFixed(2)}×`,
				]),
			),
		);
		return { app: runtime.name, n8n: runtime.version, minSamples: MIN_SAMPLES, rows };
	} finally {
		await stopProcess(server);
		app.remove();
	}
}
