/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/require-node-api-error -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * Part 7: the routing answer in the real app. `n8n start` serves two published workflows, and
 * API Dialplan requests (POST JSON, as the platform sends them, `?secret=…` on the URL) are
 * fired at them N at once; for each request, the time until its answer arrived:
 *
 *   A. Smartflo Webhook Trigger (Receive: Routing Requests, Answer Within 9 s so its Fallback
 *      never fires) → HTTP Request GET to the CRM double → Smartflo Route Call (Transfer to
 *      Number: the caller's owner).
 *   B. n8n's Webhook node (POST, answering from a Respond to Webhook node) → the same HTTP
 *      Request → Respond to Webhook answering the same routing list by hand.
 *
 * Every answer must be HTTP 200 with the one routing list the CRM's owner gives: the bench
 * fails loudly otherwise (a fallback, an error, or two sides answering differently).
 *
 * As part 6: a warm-up, then interleaved rounds (alternating which side goes first) until the
 * p95 ratio of the first and second half of the rounds agree within 5 %, at least MIN_SAMPLES
 * requests per size and side. The CRM double runs in its own process.
 *
 * SMARTFLO_BENCH_QUICK=1: a smoke run (the numbers mean nothing); SMARTFLO_BENCH_SAMPLES=<n>:
 * the minimum per size and side (default 40); SMARTFLO_BENCH_EXPRESSION_ENGINE=legacy: n8n
 * 2.41's other expression engine. `npm run bench -- 7` runs this part only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';

import { N8nApp, appRuntime, freePort, packPackage, stopProcess } from '../../e2e/helpers/n8nApp';
import { N8nRest } from '../../e2e/helpers/portalWebhooks';
import { runDataOf } from '../../e2e/helpers/routeCalls';
import { respondToWebhookNode, responseNodeWebhookNode, smartfloWebhookTriggerNode } from '../../e2e/helpers/workflows';
import { ms, pause, percentile, statOf, table, type Stat } from './stats';

const QUICK = process.env.SMARTFLO_BENCH_QUICK === '1';
const MIN_SAMPLES = Number(process.env.SMARTFLO_BENCH_SAMPLES) > 0 ? Number(process.env.SMARTFLO_BENCH_SAMPLES) : QUICK ? 6 : 40;
const MIN_ROUNDS = QUICK ? 2 : 6;
const roundsFor = (count: number) => Math.max(MIN_ROUNDS, Math.ceil(MIN_SAMPLES / count));
const MAX_ROUNDS_FACTOR = QUICK ? 1 : 4;
const STABLE_DRIFT = 0.05;
const WARM_UP_BURSTS = QUICK ? 2 : 8;
const SIZES = [1, 10, 50];
/** The trigger's Answer Within: the longest there is, so the Fallback never answers in the bench. */
const ANSWER_WITHIN_S = 9;
/** What the platform's caller should not wait longer than for the routing answer. */
const ANSWER_GOAL_MS = 1_000;

const SECRET = randomBytes(12).toString('hex');

function uuidFor(name: string): string {
	const hex = createHash('md5').update(name).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Both sides' URLs have the same shape and length, `/webhook/<uuid>/smartflo`. */
const TRIGGER_ID = uuidFor('bench7-trigger');
const PLAIN_PATH = `${uuidFor('bench7-plain')}/smartflo`;

type Side = 'routeCall' | 'respond';

// ---------------------------------------------------------------- the CRM process

const CRM_SOURCE = `
const { startCrmDouble } = require(process.env.BENCH_CRM_DOUBLE);
startCrmDouble({ idleTimeoutMs: 0 }).then((crm) => process.stdout.write('crm=' + crm.url + '\\n'));
// The CRM double's server lets the process exit (unref): keep this one alive until SIGTERM.
setInterval(() => {}, 1 << 30);
process.on('SIGTERM', () => process.exit(0));
`;

async function startCrm(): Promise<{ url: string; stop: () => Promise<void> }> {
	const child: ChildProcess = spawn(process.execPath, ['-e', CRM_SOURCE], {
		env: { ...process.env, BENCH_CRM_DOUBLE: path.resolve(__dirname, '..', '..', 'provider-double', 'crmDouble.js') },
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const url = await new Promise<string>((resolve, reject) => {
		let text = '';
		child.stdout?.on('data', (chunk) => {
			text += chunk;
			const match = /crm=(\S+)\n/.exec(text);
			if (match) resolve(match[1]);
		});
		child.once('exit', (code) => reject(new Error(`the CRM double exited with ${code}`)));
	});
	return { url, stop: async () => await stopProcess(child) };
}

// ---------------------------------------------------------------- workflows

/** n8n's HTTP Request node asking the CRM double who owns `phoneExpression` (example 7's lookup). */
function crmLookup(crmUrl: string, phoneExpression: string) {
	return {
		id: `bench7-crm-${phoneExpression.length}`,
		name: 'Look Up Caller in CRM',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [240, 0],
		parameters: {
			url: `${crmUrl}/contacts`,
			sendQuery: true,
			queryParameters: { parameters: [{ name: 'phone', value: `={{ ${phoneExpression} }}` }] },
			options: { timeout: 2000 },
		},
	};
}

function threeNodes(id: string, nodes: [{ name: string }, { name: string }, { name: string }]) {
	const link = (to: string) => ({ main: [[{ node: to, type: 'main', index: 0 }]] });
	return {
		id,
		name: id,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes,
		connections: { [nodes[0].name]: link(nodes[1].name), [nodes[1].name]: link(nodes[2].name) },
	};
}

function workflows(crmUrl: string) {
	const trigger = smartfloWebhookTriggerNode('Smartflo Webhook Trigger', TRIGGER_ID, {
		receive: 'dialplan',
		secret: SECRET,
		answerWithin: ANSWER_WITHIN_S,
		fallback: 'route',
		fallbackRoute: { route: { step: 'transferDepartment', to: '80124' } },
	});
	delete (trigger.parameters as Record<string, unknown>).events;
	const routeCall = {
		id: 'bench7-route-call',
		name: 'Ring the Account Owner',
		type: 'n8n-nodes-smartflo.smartfloRouteCall',
		typeVersion: 1,
		position: [480, 0],
		parameters: { actions: { action: [{ step: 'transferNumber', to: '={{ $json.owner.agent_number }}' }] } },
	};
	// The documented answer by hand: the owner's number as a number (its last 10 digits, as Route Call reads an Indian number).
	const respond = respondToWebhookNode(
		'Respond to Webhook',
		'=[{"transfer":{"type":"number","data": {{ Number(String($json.owner.agent_number).replace(/\\D/g, "").slice(-10)) }} }}]',
	);
	return [
		threeNodes('bench7RouteCall', [trigger, crmLookup(crmUrl, '$json.customer_number'), routeCall]),
		threeNodes('bench7Respond', [responseNodeWebhookNode('Webhook', PLAIN_PATH), crmLookup(crmUrl, '$json.body.caller_id_number'), respond]),
	];
}

// ---------------------------------------------------------------- requests

let callCount = 0;

/** An API Dialplan request as the platform sends it (POST JSON). */
function dialplanRequest() {
	callCount += 1;
	const callId = `${1_770_000_000 + callCount}.${1000 + (callCount % 9000)}`;
	// 9876510001–9876510099: customers the CRM double knows, each owned by an agent.
	const caller = `98765100${String(1 + (callCount % 99)).padStart(2, '0')}`;
	return JSON.stringify({
		call_id: callId,
		uuid: uuidFor(`bench7-call-${callCount}`),
		call_to_number: '8049990005',
		caller_id_number: caller,
		start_stamp: '2026-12-03 10:15:00',
	});
}

/** Fires `count` requests at once; each answer must be HTTP 200 with `expected`. */
async function ask(port: number, webhookPath: string, count: number, expected: unknown, side: Side): Promise<Array<{ answeredMs: number }>> {
	const url = `http://127.0.0.1:${port}/webhook/${webhookPath}?secret=${SECRET}`;
	return await Promise.all(
		Array.from({ length: count }, dialplanRequest).map(async (body) => {
			const sentAt = performance.now();
			const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
			const text = await response.text();
			const answeredMs = performance.now() - sentAt;
			let answer: unknown;
			try {
				answer = JSON.parse(text);
			} catch {
				answer = text;
			}
			if (response.status !== 200 || !isDeepStrictEqual(answer, expected)) {
				throw new Error(`${side}: a routing request was answered after ${ms(answeredMs)} with HTTP ${response.status} ${text} — expected HTTP 200 ${JSON.stringify(expected)}`);
			}
			return { answeredMs };
		}),
	);
}

// ---------------------------------------------------------------- interleaved rounds

async function interleave(count: number, round: (side: Side) => Promise<Array<{ answeredMs: number }>>, pauseMs: number) {
	const sides: [Side, Side] = ['routeCall', 'respond'];
	const samples: Record<Side, number[]> = { routeCall: [], respond: [] };
	const ratio = (from: number, to: number) => percentile(samples.routeCall.slice(from, to), 95) / percentile(samples.respond.slice(from, to), 95);
	let drift = Infinity;
	let rounds = 0;
	while (rounds < roundsFor(count) * MAX_ROUNDS_FACTOR && (rounds < roundsFor(count) || drift >= STABLE_DRIFT)) {
		const order = rounds % 2 === 0 ? sides : ([sides[1], sides[0]] as [Side, Side]);
		for (const side of order) {
			samples[side].push(...(await round(side)).map((sample) => sample.answeredMs));
			await pause(pauseMs);
		}
		rounds += 1;
		const all = samples.routeCall.length;
		const half = Math.floor(all / 2);
		drift = Math.abs(ratio(half, all) - ratio(0, half)) / ratio(0, all);
	}
	return { count, rounds, samples: samples.routeCall.length, ratioDrift: drift, routeCall: statOf(samples.routeCall), respond: statOf(samples.respond) };
}

const pair = (value: Stat) => `${ms(value.p50)} / ${ms(value.p95)}`;

// ---------------------------------------------------------------- part 7

export async function measureRouteCall(log: (line: string) => void) {
	const runtime = appRuntime();
	if (!existsSync(runtime.bin)) {
		log(`  skipped: ${runtime.name} is not installed (run \`bash e2e/install.sh ${runtime.name}\` first)`);
		return undefined;
	}
	// SMARTFLO_BENCH_EXPRESSION_ENGINE=legacy: n8n 2.41's other expression engine (see docs/performance.md).
	const engine = process.env.SMARTFLO_BENCH_EXPRESSION_ENGINE;
	log(
		`  in ${runtime.name} (n8n ${runtime.version})${engine ? `, N8N_EXPRESSION_ENGINE=${engine}` : ''}, interleaved rounds, at least ${MIN_SAMPLES} requests per size and side` +
			(QUICK ? ' (SMARTFLO_BENCH_QUICK: a smoke run, the numbers mean nothing)' : ''),
	);
	const crm = await startCrm();
	const app = new N8nApp(await freePort(), undefined, runtime, engine ? { N8N_EXPRESSION_ENGINE: engine } : {});
	let server: Awaited<ReturnType<N8nApp['start']>> | undefined;
	let serverPort: number | undefined;
	try {
		// Every caller the requests use is owned by the same agent: one routing list is right for all.
		const contact = (await (await fetch(`${crm.url}/contacts?phone=9876510001`)).json()) as { owner?: { agent_number?: string } };
		const ownerNumber = Number(String(contact.owner?.agent_number ?? '').replace(/\D/g, '').slice(-10));
		if (!ownerNumber) throw new Error(`the CRM double has no owner for 9876510001: ${JSON.stringify(contact)}`);
		const expected = [{ transfer: { type: 'number', data: ownerNumber } }];

		const flows = workflows(crm.url);
		app.installPackage(packPackage());
		await app.importWorkflows(flows);
		for (const flow of flows) await app.activate(flow.id);
		const port = await freePort();
		serverPort = port;
		const paths: Record<Side, string> = { routeCall: `${TRIGGER_ID}/smartflo`, respond: PLAIN_PATH };
		server = await app.start(port, { webhooks: Object.values(paths) });

		const round = async (side: Side, count: number) => await ask(port, paths[side], count, expected, side);
		// One request on each side alone first: a failure here is the workflow, not the load.
		for (const side of ['respond', 'routeCall'] as const) await round(side, 1);
		for (let burst = 0; burst < WARM_UP_BURSTS; burst += 1) {
			for (const side of ['routeCall', 'respond'] as const) await round(side, 5);
			await pause(600);
		}
		await pause(2_000);

		const rows = [];
		for (const count of SIZES) rows.push(await interleave(count, (side) => round(side, count), 300 + count * 20));

		log(`  API Dialplan request → routing answer: Smartflo Webhook Trigger → HTTP Request (CRM) → Route Call vs n8n’s Webhook → HTTP Request → Respond to Webhook (p50 / p95)`);
		log(`  every answer HTTP 200 and ${JSON.stringify(expected)} on both sides`);
		log(
			table(
				['at once', 'rounds (drift)', 'Route Call', 'Respond to Webhook', 'p95 ratio', 'goal', 'p95 < 1 s (Route Call)'],
				rows.map((row) => [
					String(row.count),
					`${row.rounds} (${(row.ratioDrift * 100).toFixed(1)}%)`,
					pair(row.routeCall),
					pair(row.respond),
					`${(row.routeCall.p95 / row.respond.p95).toFixed(2)}×`,
					'≤ 1.1×',
					row.routeCall.p95 < ANSWER_GOAL_MS ? 'yes' : 'no',
				]),
			),
		);
		return { app: runtime.name, n8n: runtime.version, expressionEngine: engine ?? 'default', quick: QUICK, minSamples: MIN_SAMPLES, answers: rows };
	} catch (error) {
		// What n8n said about the failed executions (the last of its log), then the failure itself.
		if (server && serverPort) {
			try {
				const rest = await N8nRest.owner(serverPort);
				const [last] = await rest.executions('bench7RouteCall');
				if (last) log(`  the trigger workflow's last execution: ${JSON.stringify(await runDataOf(rest, String(last.id))).slice(0, 3000)}`);
			} catch (restError) {
				log(`  (its executions could not be read: ${String(restError)})`);
			}
		}
		if (server) log(`  n8n's log, last lines:\n${server.output().split('\n').filter((line) => !line.includes('is not registered') && !line.startsWith('    at ')).slice(-30).join('\n')}`);
		throw error;
	} finally {
		await stopProcess(server);
		app.remove();
		await crm.stop();
	}
}
