/* eslint-disable @n8n/community-nodes/no-restricted-imports -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * Part 1: the node run by n8n-core's WorkflowExecute against the double, next to the floor:
 * the same number of plain HTTP POSTs (same body, headers, all at once) sent by Node itself,
 * and next to a bare declarative node; and the node finding its call By Phone Number (one
 * read of the live calls per run) next to the same run By ID.
 */
import http from 'node:http';

import { DirectoryLoader } from 'n8n-core';
import type { INodeParameters, INodeType } from 'n8n-workflow';

import { runSmartflo } from '../../test/helpers/engine';
import { median, ms, percentile, table } from './stats';

const CALL_ID = '1758782566.8131';
const AGENT_ID = '0502842370097';
const TOKEN = 'sandbox-token';
const BODY = JSON.stringify({ type: 3, call_id: CALL_ID, agent_id: AGENT_ID });

function post(url: URL): Promise<unknown> {
	return new Promise((resolve, reject) => {
		const request = http.request(
			url,
			{
				method: 'POST',
				headers: {
					Accept: 'application/json',
					'Content-Type': 'application/json',
					Authorization: `Bearer ${TOKEN}`,
					'Content-Length': Buffer.byteLength(BODY),
				},
			},
			(response) => {
				let text = '';
				response.setEncoding('utf8');
				response.on('data', (chunk) => (text += chunk));
				response.on('end', () => resolve(JSON.parse(text)));
			},
		);
		request.on('error', reject);
		request.end(BODY);
	});
}

async function floorRun(baseUrl: string, count: number): Promise<number> {
	const url = new URL('/v1/call/options', baseUrl);
	const started = performance.now();
	await Promise.all(Array.from({ length: count }, () => post(url)));
	return performance.now() - started;
}

/**
 * The least a declarative node can do for the same request: fields routed straight into
 * the body, no checks, no hooks. What the engine costs anyway, without our code. Loaded as
 * n8n loads every declarative node (ours too): with the Request Options n8n adds to it,
 * which its engine reads on every run and item.
 */
const bareDeclarativeNode: INodeType = {
	description: {
		displayName: 'Bare',
		name: 'bare',
		group: ['transform'],
		version: 1,
		description: '',
		defaults: { name: 'Bare' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'smartfloApi', required: true }],
		requestDefaults: { method: 'POST', url: '/v1/call/options', headers: { Accept: 'application/json' } },
		properties: [
			{ displayName: 'Type', name: 'type', type: 'number', default: 3, routing: { send: { type: 'body', property: 'type' } } },
			{ displayName: 'Call', name: 'callId', type: 'string', default: '', routing: { send: { type: 'body', property: 'call_id' } } },
			{ displayName: 'Agent', name: 'agentId', type: 'string', default: '', routing: { send: { type: 'body', property: 'agent_id' } } },
		],
	},
};
DirectoryLoader.applyDeclarativeNodeOptionParameters(bareDeclarativeNode);

type Side = 'node' | 'byNumber' | 'bare' | 'floor';

/** What the node may cost over a bare declarative node doing the same request, at most. */
const GOAL_TO_BARE = 1.1;
/** The seeded live call LIVE_CALL is this customer's. */
const CUSTOMER = '+91 98765 00001';

async function engineRun(baseUrl: string, count: number, side: 'node' | 'byNumber' | 'bare'): Promise<number> {
	const parameters =
		side !== 'bare'
			? {
					resource: 'call',
					operation: 'barge',
					callId: side === 'byNumber' ? { __rl: true, mode: 'number', value: CUSTOMER } : { __rl: true, mode: 'id', value: CALL_ID },
					agentId: { __rl: true, mode: 'id', value: AGENT_ID },
					// Pacing is a deliberate throttle; the benchmark measures the node's own cost.
					options: { requestsPerSecond: 0 },
				}
			: { type: 3, callId: CALL_ID, agentId: AGENT_ID };
	const started = performance.now();
	const { output, error } = await runSmartflo({
		parameters: parameters as INodeParameters,
		nodeType: side === 'bare' ? bareDeclarativeNode : undefined,
		items: Array.from({ length: count }, () => ({ json: {} })),
		// A custom host dials as typed unless the credential says India; the seeded call is an Indian number.
		credentials: { provider: 'custom', baseUrl, token: TOKEN, numbering: 'india' },
		// One stored credential for every run, as a workflow has.
		credentialId: 'bench',
	});
	const elapsed = performance.now() - started;
	if (error || output.length !== count || output.some((item) => item.json.success !== true)) {
		throw new Error(`${side} run failed: ${error?.message ?? `${output.length} items`}`);
	}
	return elapsed;
}

const runSide = (side: Side, baseUrl: string, count: number) =>
	side === 'floor' ? floorRun(baseUrl, count) : engineRun(baseUrl, count, side);

export interface OverheadResult {
	items: number;
	repetitions: number;
	node: { medianPerItemMs: number; p95PerItemMs: number };
	byNumber: { medianPerItemMs: number; p95PerItemMs: number };
	bare: { medianPerItemMs: number; p95PerItemMs: number };
	floor: { medianPerItemMs: number; p95PerItemMs: number };
	/** Smartflo node / plain HTTP: everything the user pays over one round trip. */
	ratio: number;
	/** Smartflo node / bare declarative node, the median of the rounds' ratios: what this package's code adds to n8n's engine. */
	ratioToBare: number;
	/** By Phone Number / By ID, the median of the rounds' ratios: what finding the call adds (one read per run). */
	ratioByNumber: number;
	ratioDrift: number;
}

/** Rounds at least and at most, and for how long at most (a round runs each side once). */
const PLAN = [
	{ items: 1, min: 200, max: 800, seconds: 50 },
	{ items: 100, min: 30, max: 150, seconds: 50 },
	{ items: 1000, min: 20, max: 60, seconds: 90 },
];

const ratioOf = (a: number[], b: number[]) => median(a) / median(b);
/**
 * The median of the rounds' own ratios. The sides of a round run one after another, so a
 * slow moment of a shared machine (another process, the provider double, a collection)
 * mostly hits both; across rounds it does not.
 */
const pairedRatio = (a: number[], b: number[]) => median(a.map((time, round) => time / b[round]));
/** How far the paired ratio of the later half of the rounds is from the earlier half's, relative to the whole. */
function halvesDrift(a: number[], b: number[]): number {
	const half = Math.floor(a.length / 2);
	const earlier = pairedRatio(a.slice(0, half), b.slice(0, half));
	const later = pairedRatio(a.slice(half), b.slice(half));
	return Math.abs(later - earlier) / pairedRatio(a, b);
}

function shuffled<T>(values: readonly T[]): T[] {
	const copy = [...values];
	for (let index = copy.length - 1; index > 0; index -= 1) {
		const other = Math.floor(Math.random() * (index + 1));
		[copy[index], copy[other]] = [copy[other], copy[index]];
	}
	return copy;
}

export async function measureEngineOverhead(baseUrl: string, log: (line: string) => void): Promise<OverheadResult[]> {
	const results: OverheadResult[] = [];
	for (const { items, min, max, seconds } of PLAN) {
		const times: Record<Side, number[]> = { node: [], byNumber: [], bare: [], floor: [] };
		const sides: Side[] = ['node', 'byNumber', 'bare', 'floor'];
		// Warm all paths (module loading, JIT, keep-alive sockets) before measuring.
		for (let warm = 0; warm < 3; warm += 1) for (const side of sides) await runSide(side, baseUrl, items);
		let drift = Infinity;
		const deadline = Date.now() + seconds * 1000;
		for (let round = 0; round < max && Date.now() < deadline; round += 1) {
			// Interleaved, so drift on the machine hits all alike, in a new order each round: a
			// run pays for what the one before it left behind (1,000 sockets closing, garbage),
			// and a fixed cycle would have every side follow the same one every time.
			for (const side of shuffled(sides)) times[side].push(await runSide(side, baseUrl, items));
			if (round + 1 >= min) {
				// Until the ratio the goal is about is as steady as the one to plain HTTP.
				drift = Math.max(halvesDrift(times.node, times.floor), halvesDrift(times.node, times.bare));
				if (drift < 0.03) break;
			}
		}
		const stats = (side: Side) => {
			const perItem = times[side].map((time) => time / items);
			return { medianPerItemMs: median(perItem), p95PerItemMs: percentile(perItem, 95) };
		};
		const result: OverheadResult = {
			items,
			repetitions: times.node.length,
			node: stats('node'),
			byNumber: stats('byNumber'),
			bare: stats('bare'),
			floor: stats('floor'),
			ratio: ratioOf(times.node, times.floor),
			ratioToBare: pairedRatio(times.node, times.bare),
			ratioByNumber: pairedRatio(times.byNumber, times.node),
			ratioDrift: drift,
		};
		results.push(result);
		log(`  ${items} item(s): ${result.repetitions} interleaved rounds, the halves' ratios (to plain HTTP, to bare) differ ${(drift * 100).toFixed(1)} % at most`);
	}
	log('');
	log(
		table(
			['items', 'Smartflo median/item', 'p95', 'bare declarative', 'p95', 'plain HTTP', 'p95', 'Smartflo/plain HTTP', `Smartflo/bare (goal ≤ ${GOAL_TO_BARE.toFixed(2)}×)`, 'By Phone Number median/item', 'p95', 'By Phone Number/By ID'],
			results.map((result) => [
				String(result.items),
				ms(result.node.medianPerItemMs),
				ms(result.node.p95PerItemMs),
				ms(result.bare.medianPerItemMs),
				ms(result.bare.p95PerItemMs),
				ms(result.floor.medianPerItemMs),
				ms(result.floor.p95PerItemMs),
				`${result.ratio.toFixed(2)}×`,
				`${result.ratioToBare.toFixed(2)}× ${result.ratioToBare <= GOAL_TO_BARE ? 'met' : 'MISSED'}`,
				ms(result.byNumber.medianPerItemMs),
				ms(result.byNumber.p95PerItemMs),
				`${result.ratioByNumber.toFixed(2)}×`,
			]),
		),
	);
	log('  Smartflo/plain HTTP: all the node costs over one round trip (n8n engine included).');
	log('  Smartflo/bare: what this package adds to the cheapest declarative node doing the same request (median of the rounds’ own ratios).');
	log('  By Phone Number/By ID: the same run finding its call in one read of the live calls (GET /v1/live_calls) first.');
	return results;
}
