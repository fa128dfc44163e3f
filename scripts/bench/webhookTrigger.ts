/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * Part 6: instant events in the real app. `n8n start` serves four published workflows, and
 * portal-shaped deliveries (POST JSON, every value quoted as the node's body template for
 * call_received, `?event=call_received&secret=…` on the URL) are fired at them N at once:
 *
 *   (a) Smartflo Webhook Trigger → HTTP Request POSTing the call id to a sink, next to n8n's
 *       Webhook node (POST, answering on receipt) → the same HTTP Request node. For each
 *       delivery: the time until the webhook answered, and until the sink received its call
 *       id (the node after the trigger ran: the execution started).
 *   (b) Example 6 (caller-owner-answers.json: trigger → If → CRM lookup → If → Transfer),
 *       next to the same flow built from n8n's Webhook, If and HTTP Request nodes (the
 *       transfer as POST /v1/call/options with the Smartflo credential). For each delivery:
 *       the time until the provider double received the transfer of its call.
 *
 * As part 4: a warm-up, then interleaved rounds (alternating which side goes first) until
 * the p95 ratio of the first and second half of the rounds agree within 5 %, at least
 * MIN_SAMPLES deliveries per size and side. The sink and the CRM double run in their own
 * process, as the provider double does, so neither shares an event loop with the bench.
 *
 * Sample size: SMARTFLO_BENCH_QUICK=1 is a smoke run (at least 6 deliveries per size and
 * side, 2 rounds, no extra rounds for stability: the numbers mean nothing);
 * SMARTFLO_BENCH_SAMPLES=<n> sets the minimum per size and side (default 40).
 * `npm run bench -- 6` runs this part only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { N8nApp, appRuntime, freePort, packPackage, stopProcess } from '../../e2e/helpers/n8nApp';
import { SANDBOX_CREDENTIAL, credential, exampleWith, onReceivedWebhookNode, smartfloWebhookTriggerNode } from '../../e2e/helpers/workflows';
import type { DoubleProcess } from './doubleProcess';
import { ms, pause, percentile, statOf, table, type Stat } from './stats';

const QUICK = process.env.SMARTFLO_BENCH_QUICK === '1';
/** At least this many deliveries per size and side, so a p95 means something. */
const MIN_SAMPLES = Number(process.env.SMARTFLO_BENCH_SAMPLES) > 0 ? Number(process.env.SMARTFLO_BENCH_SAMPLES) : QUICK ? 6 : 40;
const MIN_ROUNDS = QUICK ? 2 : 6;
const roundsFor = (count: number) => Math.max(MIN_ROUNDS, Math.ceil(MIN_SAMPLES / count));
/** More rounds, up to this many times the minimum, until the p95 ratio holds still. */
const MAX_ROUNDS_FACTOR = QUICK ? 1 : 4;
/** Stable: the ratio of the first and of the second half of the rounds differ by less than this. */
const STABLE_DRIFT = 0.05;
/** Bursts of 5 per workflow before measuring. */
const WARM_UP_BURSTS = QUICK ? 2 : 8;
const SIZES_A = [1, 10, 50];
const SIZES_B = [1, 10, 50];
/** Beyond the Smartflo credential's burst allowance (20) the node spreads transfers at 10/s on purpose. */
const BURST_ALLOWANCE = 20;

/** A fresh Secret per run, as a user types one (16 characters or more). */
const SECRET = randomBytes(12).toString('hex');
const EXAMPLE_FILE = 'caller-owner-answers.json';
const EXAMPLE_CRM = 'https://crm.example.com';

/** A stable UUID for a name, as n8n gives each webhook node one. */
function uuidFor(name: string): string {
	const hex = createHash('md5').update(name).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Every side's URL has the same shape and length, `/webhook/<uuid>/smartflo`: the plain
 * Webhook node's path is set to it, so n8n's routing does the same work for both.
 */
const TRIGGER_A_ID = uuidFor('bench6-trigger');
const PLAIN_A_PATH = `${uuidFor('bench6-plain')}/smartflo`;
const PLAIN_B_PATH = `${uuidFor('bench6-plain-owner')}/smartflo`;

type SideA = 'trigger' | 'webhook';
type SideB = 'example6' | 'plain';

/** A wall clock with sub-millisecond steps, comparable between processes on one machine. */
const now = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------- the sink and CRM process

/** Runs in its own process: POST /received records a call id's arrival; /__sink/wait hands them over. */
const HELPERS_SOURCE = `
const http = require('node:http');
const { startCrmDouble } = require(process.env.BENCH_CRM_DOUBLE);
const now = () => performance.timeOrigin + performance.now();
const arrived = new Map();
const waiters = new Set();
function settle(waiter, force) {
	if (!force && !waiter.ids.every((id) => arrived.has(id))) return;
	clearTimeout(waiter.timer);
	waiters.delete(waiter);
	const arrivals = {};
	for (const id of waiter.ids) { arrivals[id] = arrived.get(id) ?? null; arrived.delete(id); }
	waiter.res.writeHead(200, { 'Content-Type': 'application/json' });
	waiter.res.end(JSON.stringify(arrivals));
}
const server = http.createServer((req, res) => {
	const chunks = [];
	req.on('data', (chunk) => chunks.push(chunk));
	req.on('end', () => {
		const at = now();
		let body = {};
		try { body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'); } catch {}
		if (req.url === '/received') {
			if (body.call_id !== undefined) arrived.set(String(body.call_id), at);
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end('{"ok":true}');
			for (const waiter of waiters) settle(waiter, false);
			return;
		}
		if (req.url === '/__sink/wait') {
			const waiter = { ids: body.ids.map(String), res, timer: undefined };
			waiter.timer = setTimeout(() => settle(waiter, true), body.timeoutMs);
			waiters.add(waiter);
			settle(waiter, false);
			return;
		}
		res.writeHead(404);
		res.end();
	});
});
server.listen(0, '127.0.0.1', async () => {
	const crm = await startCrmDouble({ idleTimeoutMs: 0 });
	process.stdout.write('sink=http://127.0.0.1:' + server.address().port + ' crm=' + crm.url + '\\n');
});
process.on('SIGTERM', () => process.exit(0));
`;

interface Helpers {
	sinkUrl: string;
	crmUrl: string;
	/** When the sink received each call id (null: not within timeoutMs). */
	waitFor(ids: string[], timeoutMs: number): Promise<Record<string, number | null>>;
	stop(): Promise<void>;
}

async function startHelpers(): Promise<Helpers> {
	const child: ChildProcess = spawn(process.execPath, ['-e', HELPERS_SOURCE], {
		env: { ...process.env, BENCH_CRM_DOUBLE: path.resolve(__dirname, '..', '..', 'provider-double', 'crmDouble.js') },
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const [sinkUrl, crmUrl] = await new Promise<[string, string]>((resolve, reject) => {
		let text = '';
		child.stdout?.on('data', (chunk) => {
			text += chunk;
			const match = /sink=(\S+) crm=(\S+)/.exec(text);
			if (match) resolve([match[1], match[2]]);
		});
		child.once('exit', (code) => reject(new Error(`the sink and CRM double exited with ${code}`)));
	});
	return {
		sinkUrl,
		crmUrl,
		async waitFor(ids, timeoutMs) {
			const response = await fetch(`${sinkUrl}/__sink/wait`, { method: 'POST', body: JSON.stringify({ ids, timeoutMs }) });
			return (await response.json()) as Record<string, number | null>;
		},
		async stop() {
			await stopProcess(child);
		},
	};
}

// ---------------------------------------------------------------- workflows

/** n8n's HTTP Request node POSTing `{ call_id }` (an expression) to the sink. */
function sinkSender(sinkUrl: string, callIdExpression: string) {
	return {
		id: `node-send-${callIdExpression.length}`,
		name: 'Send',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [260, 0],
		parameters: {
			method: 'POST',
			url: `${sinkUrl}/received`,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: `={{ JSON.stringify({ call_id: ${callIdExpression} }) }}`,
			options: {},
		},
	};
}

function twoNodes(id: string, head: { name: string }, next: Record<string, unknown>) {
	return {
		id,
		name: id,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [head, next],
		connections: { [head.name]: { main: [[{ node: 'Send', type: 'main', index: 0 }]] } },
	};
}

interface ExampleNode {
	name: string;
	type: string;
	position: number[];
	webhookId?: string;
	parameters: Record<string, unknown> & { conditions?: { conditions: unknown[] } };
	credentials?: Record<string, unknown>;
}

interface ExampleWorkflow {
	id: string;
	nodes: ExampleNode[];
	connections: Record<string, unknown>;
}

/** Example 6 with its CRM at the CRM double, its provider at the double (the credential) and its Secret set. */
function example6(doubleUrl: string, crmUrl: string): ExampleWorkflow {
	const workflow = exampleWith(EXAMPLE_FILE, doubleUrl, { [EXAMPLE_CRM]: crmUrl }) as ExampleWorkflow;
	const trigger = workflow.nodes.find((node) => node.type === 'n8n-nodes-smartflo.smartfloWebhookTrigger');
	if (!trigger?.webhookId) throw new Error(`${EXAMPLE_FILE} has no Smartflo Webhook Trigger`);
	trigger.parameters.secret = SECRET;
	return workflow;
}

/**
 * Example 6 rebuilt from n8n's own nodes: a Webhook node, an If doing what the trigger does
 * for this delivery (the event, the Secret, the direction filter), the example's CRM lookup
 * and owner check (copied, reading the Webhook node's body), and an HTTP Request node
 * sending the transfer with the Smartflo credential.
 */
function plainOwnerFlow(example: ExampleWorkflow, doubleUrl: string) {
	const copy = (name: string) => {
		const node = example.nodes.find((entry) => entry.name === name);
		if (!node) throw new Error(`${EXAMPLE_FILE} has no node "${name}"`);
		return JSON.parse(JSON.stringify(node)) as ExampleNode & { id: string };
	};
	const webhook = onReceivedWebhookNode('Webhook', PLAIN_B_PATH);
	const isCallReceived = copy('Call Received?');
	const condition = (id: string, leftValue: string, rightValue: string) => ({
		id: uuidFor(`bench6-${id}`),
		leftValue,
		rightValue,
		operator: { type: 'string', operation: 'equals' },
	});
	isCallReceived.parameters.conditions!.conditions = [
		condition('event', '={{ $json.query.event }}', 'call_received'),
		condition('secret', '={{ $json.query.secret }}', SECRET),
		condition('direction', '={{ $json.body.direction }}', 'inbound'),
	];
	const lookUp = copy('Look Up Caller in CRM');
	lookUp.parameters.queryParameters = { parameters: [{ name: 'phone', value: '={{ $json.body.customer_number }}' }] };
	const hasOwner = copy('Has an Owner?');
	const transfer = {
		id: 'bench6-plain-transfer',
		name: 'Transfer to Owner',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [960, -100],
		parameters: {
			method: 'POST',
			url: `${doubleUrl}/v1/call/options`,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: 'smartfloApi',
			sendBody: true,
			specifyBody: 'json',
			jsonBody: "={{ JSON.stringify({ type: 4, call_id: $('Webhook').item.json.body.call_id, intercom: $json.owner.agent_number }) }}",
			options: {},
		},
		credentials: { smartfloApi: SANDBOX_CREDENTIAL },
	};
	const link = (to: string) => ({ main: [[{ node: to, type: 'main', index: 0 }]] });
	return {
		id: 'bench6PlainOwner',
		name: 'bench6PlainOwner',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [webhook, { ...isCallReceived, id: 'bench6-plain-if' }, { ...lookUp, id: 'bench6-plain-crm' }, { ...hasOwner, id: 'bench6-plain-owner' }, transfer],
		connections: {
			Webhook: link('Call Received?'),
			'Call Received?': link('Look Up Caller in CRM'),
			'Look Up Caller in CRM': link('Has an Owner?'),
			'Has an Owner?': link('Transfer to Owner'),
		},
	};
}

// ---------------------------------------------------------------- deliveries

let callCount = 0;

/** A call_received delivery as the portal sends the node's body template: every value quoted. */
function delivery() {
	callCount += 1;
	const callId = `${1_760_000_000 + callCount}.${1000 + (callCount % 9000)}`;
	// 9876510001–9876510099: customers the CRM double knows, each owned by an agent.
	const customer = `98765100${String(1 + (callCount % 99)).padStart(2, '0')}`;
	return {
		callId,
		body: JSON.stringify({
			call_id: callId,
			uuid: uuidFor(`bench6-call-${callCount}`),
			direction: 'inbound',
			call_to_number: '918069000000',
			caller_id_number: `+91${customer}`,
			customer_number: customer,
			start_stamp: '2026-12-03 10:15:00',
			billing_circle: 'Karnataka',
		}),
	};
}

interface Sent {
	callId: string;
	sentAt: number;
	answeredMs: number;
}

/** Fires `count` deliveries at once at one webhook path; resolves once every one was answered. */
async function deliver(port: number, webhookPath: string, count: number, clock: () => number): Promise<Sent[]> {
	const url = `http://127.0.0.1:${port}/webhook/${webhookPath}?event=call_received&secret=${SECRET}`;
	return await Promise.all(
		Array.from({ length: count }, delivery).map(async ({ callId, body }) => {
			const sentAt = clock();
			const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
			await response.arrayBuffer();
			const answeredMs = clock() - sentAt;
			if (response.status !== 200) throw new Error(`/webhook/${webhookPath} answered HTTP ${response.status}`);
			return { callId, sentAt, answeredMs };
		}),
	);
}

// ---------------------------------------------------------------- interleaved rounds

/**
 * Interleaved rounds of `count` at once, alternating which side goes first, until the p95
 * ratios (first side / second) of every measure agree between the halves of the rounds.
 */
async function interleave<Side extends string, Sample extends Record<string, number>>(
	sides: [Side, Side],
	count: number,
	measures: Array<keyof Sample & string>,
	round: (side: Side) => Promise<Sample[]>,
	pauseMs: number,
) {
	const samples = { [sides[0]]: [], [sides[1]]: [] } as unknown as Record<Side, Sample[]>;
	const p95 = (side: Side, measure: keyof Sample, from: number, to: number) =>
		percentile(samples[side].slice(from, to).map((sample) => sample[measure]), 95);
	const ratio = (measure: keyof Sample, from: number, to: number) => p95(sides[0], measure, from, to) / p95(sides[1], measure, from, to);
	let drift = Infinity;
	let rounds = 0;
	while (rounds < roundsFor(count) * MAX_ROUNDS_FACTOR && (rounds < roundsFor(count) || drift >= STABLE_DRIFT)) {
		const order = rounds % 2 === 0 ? sides : ([sides[1], sides[0]] as [Side, Side]);
		for (const side of order) {
			samples[side].push(...(await round(side)));
			await pause(pauseMs);
		}
		rounds += 1;
		const all = samples[sides[0]].length;
		const half = Math.floor(all / 2);
		drift = Math.max(...measures.map((measure) => Math.abs(ratio(measure, half, all) - ratio(measure, 0, half)) / ratio(measure, 0, all)));
	}
	const stats = (side: Side, measure: keyof Sample) => statOf(samples[side].map((sample) => sample[measure]));
	return {
		count,
		rounds,
		samples: samples[sides[0]].length,
		ratioDrift: drift,
		...Object.fromEntries(sides.map((side) => [side, Object.fromEntries(measures.map((measure) => [measure, stats(side, measure)]))])),
	} as { count: number; rounds: number; samples: number; ratioDrift: number } & Record<Side, Record<keyof Sample & string, Stat>>;
}

const pair = (value: Stat) => `${ms(value.p50)} / ${ms(value.p95)}`;
const times = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

// ---------------------------------------------------------------- part 6

export async function measureWebhookTrigger(double: DoubleProcess, log: (line: string) => void) {
	const runtime = appRuntime();
	if (!existsSync(runtime.bin)) {
		log(`  skipped: ${runtime.name} is not installed (run \`bash e2e/install.sh ${runtime.name}\` first)`);
		return undefined;
	}
	log(
		`  in ${runtime.name} (n8n ${runtime.version}), interleaved rounds, at least ${MIN_SAMPLES} deliveries per size and side` +
			(QUICK ? ' (SMARTFLO_BENCH_QUICK: a smoke run, the numbers mean nothing)' : ''),
	);
	const helpers = await startHelpers();
	// SMARTFLO_BENCH_EXPRESSION_ENGINE=legacy: n8n 2.41's other expression engine (see docs/performance.md).
	const engine = process.env.SMARTFLO_BENCH_EXPRESSION_ENGINE;
	const app = new N8nApp(await freePort(), undefined, runtime, engine ? { N8N_EXPRESSION_ENGINE: engine } : {});
	let server: Awaited<ReturnType<N8nApp['start']>> | undefined;
	try {
		const example = example6(double.url, helpers.crmUrl);
		const example6Path = `${example.nodes.find((node) => node.webhookId)!.webhookId}/smartflo`;
		const flows = [
			twoNodes('bench6Trigger', smartfloWebhookTriggerNode('Smartflo Webhook Trigger', TRIGGER_A_ID, { secret: SECRET }), sinkSender(helpers.sinkUrl, '$json.call_id')),
			twoNodes('bench6Webhook', onReceivedWebhookNode('Webhook', PLAIN_A_PATH), sinkSender(helpers.sinkUrl, '$json.body.call_id')),
			example,
			plainOwnerFlow(example, double.url),
		];
		app.installPackage(packPackage());
		await app.importCredentials([credential(SANDBOX_CREDENTIAL.id, SANDBOX_CREDENTIAL.name, double.url, 'sandbox-token')]);
		await app.importWorkflows(flows);
		for (const flow of flows) await app.activate(flow.id);
		const port = await freePort();
		const paths = { trigger: `${TRIGGER_A_ID}/smartflo`, webhook: PLAIN_A_PATH, example6: example6Path, plain: PLAIN_B_PATH };
		server = await app.start(port, { webhooks: Object.values(paths) });

		// (a) answered, and the first node after the trigger ran.
		const roundA = async (side: SideA, count: number) => {
			const sent = await deliver(port, paths[side], count, now);
			const arrivals = await helpers.waitFor(sent.map((entry) => entry.callId), 30_000);
			return sent.map(({ callId, sentAt, answeredMs }) => {
				const at = arrivals[callId];
				if (at === null || at === undefined) throw new Error(`${side}: the sink never received call ${callId}`);
				return { answeredMs, startedMs: at - sentAt };
			});
		};
		// (b) until the provider double received the transfer (its log is cleared before each round).
		const acceptTransfers = async () => {
			await double.control('/__double/reset', 'POST', {});
			await double.control('/__double/faults', 'POST', {
				path: '/v1/call/options',
				respond: { status: 200, json: { success: true, message: 'Call barge request accepted' } },
			});
		};
		const roundB = async (side: SideB, count: number) => {
			await acceptTransfers();
			const sent = await deliver(port, paths[side], count, Date.now);
			const deadline = Date.now() + 30_000;
			let arrivedAt = new Map<string, number>();
			while (Date.now() < deadline) {
				const entries = (await double.control('/__double/requests', 'GET')) as Array<{ at: number; path: string; json?: { call_id?: string } }>;
				arrivedAt = new Map(entries.filter((entry) => entry.path === '/v1/call/options' && entry.json?.call_id).map((entry) => [entry.json!.call_id!, entry.at]));
				if (sent.every((entry) => arrivedAt.has(entry.callId))) break;
				await pause(50);
			}
			return sent.map(({ callId, sentAt }) => {
				const at = arrivedAt.get(callId);
				if (at === undefined) throw new Error(`${side}: the provider never received the transfer of call ${callId}`);
				return { toProviderMs: at - sentAt };
			});
		};

		// Warm-up: the first executions of each workflow load code and caches; the trigger's
		// workflow took tens of deliveries to settle in a trial run, so several bursts each.
		for (let burst = 0; burst < WARM_UP_BURSTS; burst += 1) {
			for (const side of ['trigger', 'webhook'] as const) await roundA(side, 5);
			for (const side of ['example6', 'plain'] as const) await roundB(side, 5);
			await pause(600);
		}
		await pause(2_000);

		const rowsA = [];
		for (const count of SIZES_A) {
			// Long enough for the last executions of a round to be saved before the other side starts.
			rowsA.push(await interleave<SideA, { answeredMs: number; startedMs: number }>(['trigger', 'webhook'], count, ['answeredMs', 'startedMs'], (side) => roundA(side, count), 300 + count * 20));
		}
		log('  (a) deliveries at once: Smartflo Webhook Trigger → HTTP Request vs n8n’s Webhook node → HTTP Request (p50 / p95)');
		log(
			table(
				['at once', 'rounds (drift)', 'answered: trigger', 'Webhook node', 'p95 ratio', 'execution started: trigger', 'Webhook node', 'p95 ratio', 'goal'],
				rowsA.map((row) => [
					String(row.count),
					`${row.rounds} (${(row.ratioDrift * 100).toFixed(1)}%)`,
					pair(row.trigger.answeredMs),
					pair(row.webhook.answeredMs),
					times(row.trigger.answeredMs.p95, row.webhook.answeredMs.p95),
					pair(row.trigger.startedMs),
					pair(row.webhook.startedMs),
					times(row.trigger.startedMs.p95, row.webhook.startedMs.p95),
					'≤ 1.05×',
				]),
			),
		);

		const rowsB = [];
		for (const count of SIZES_B) {
			// Let the credential's burst allowance refill (10 per second), as between real bursts.
			rowsB.push(await interleave<SideB, { toProviderMs: number }>(['example6', 'plain'], count, ['toProviderMs'], (side) => roundB(side, count), 300 + count * 100));
		}
		log('\n  (b) call received → transfer at the provider: example 6 vs the same flow from n8n’s Webhook, If and HTTP Request nodes (p50 / p95 / max)');
		const trio = (value: Stat) => `${pair(value)} / ${ms(value.max)}`;
		log(
			table(
				['at once', 'rounds (drift)', 'example 6', 'Webhook + If + HTTP Request', 'p95 ratio', 'goal'],
				rowsB.map((row) => [
					String(row.count),
					`${row.rounds} (${(row.ratioDrift * 100).toFixed(1)}%)`,
					trio(row.example6.toProviderMs),
					trio(row.plain.toProviderMs),
					times(row.example6.toProviderMs.p95, row.plain.toProviderMs.p95),
					row.count <= BURST_ALLOWANCE ? '≤ 1.1×' : 'none: beyond the burst, paced',
				]),
			),
		);
		return { app: runtime.name, n8n: runtime.version, quick: QUICK, minSamples: MIN_SAMPLES, deliveries: rowsA, transfers: rowsB };
	} finally {
		await stopProcess(server);
		app.remove();
		await helpers.stop();
		// Leave the provider double as index.ts set it up for any part after this one.
		await double.control('/__double/reset', 'POST', {});
		await double.control('/__double/faults', 'POST', {
			path: '/v1/call/options',
			respond: { status: 200, json: { success: true, message: 'Call barge request accepted' } },
		});
	}
}
