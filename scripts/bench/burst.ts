/**
 * Part 2: N webhooks arriving together, as n8n runs them — N runs of one item each through
 * WorkflowExecute at once, with the default pacing and with pacing off. What the pacing
 * costs a burst is the ratio of the time until the slowest run has its answer. Also one
 * run of 60 items, which the pacing must still spread.
 */
import { runSmartflo } from '../../test/helpers/engine';
import { median, ms, table } from './stats';

const AGENT_ID = '0502842370097';
const BURSTS = [1, 10, 20, 50];
const ROUNDS = 7;

const parameters = (options: Record<string, number>) => ({
	resource: 'call',
	operation: 'barge',
	callId: { __rl: true, mode: 'id', value: '={{ $json.call_id }}' },
	agentId: { __rl: true, mode: 'id', value: AGENT_ID },
	options,
});

export interface BurstRow {
	runs: number;
	defaultMs: number;
	offMs: number;
	ratio: number;
}

let credentialCount = 0;

/** Time until every one of `runs` simultaneous runs has finished. */
async function slowestOf(doubleUrl: string, runs: number, options: Record<string, number>): Promise<number> {
	// A fresh credential each time: the bucket of the previous round must not carry over.
	const credentialId = `bench-burst-${(credentialCount += 1)}`;
	const credentials = { provider: 'custom', baseUrl: doubleUrl, token: 'sandbox-token' };
	const started = performance.now();
	await Promise.all(
		Array.from({ length: runs }, async (_, index) => {
			const { error } = await runSmartflo({
				parameters: parameters(options),
				items: [{ json: { call_id: `${1_758_950_000 + index}.${1000 + index}` } }],
				credentials,
				credentialId,
			});
			if (error) throw error;
		}),
	);
	return performance.now() - started;
}

export async function measureBurst(doubleUrl: string, log: (line: string) => void) {
	await slowestOf(doubleUrl, 20, { requestsPerSecond: 0 }); // warm-up
	const rows: BurstRow[] = [];
	for (const runs of BURSTS) {
		const times = { default: [] as number[], off: [] as number[] };
		for (let round = 0; round < ROUNDS; round += 1) {
			// Interleaved, alternating which goes first, so drift hits both alike.
			const order = round % 2 === 0 ? (['default', 'off'] as const) : (['off', 'default'] as const);
			for (const mode of order) times[mode].push(await slowestOf(doubleUrl, runs, mode === 'off' ? { requestsPerSecond: 0 } : {}));
		}
		const row = { runs, defaultMs: median(times.default), offMs: median(times.off), ratio: median(times.default) / median(times.off) };
		rows.push(row);
	}
	const credentials = { provider: 'custom', baseUrl: doubleUrl, token: 'sandbox-token' };
	const started = performance.now();
	await runSmartflo({
		parameters: parameters({}),
		items: Array.from({ length: 60 }, (_, index) => ({ json: { call_id: `${1_758_960_000 + index}.${1000 + index}` } })),
		credentials,
		credentialId: 'bench-burst-bulk',
	});
	const bulkMs = performance.now() - started;
	log(
		table(
			['runs at once', 'default pacing (slowest run)', 'pacing off', 'ratio default/off', 'goal'],
			rows.map((row) => [String(row.runs), ms(row.defaultMs), ms(row.offMs), `${row.ratio.toFixed(2)}×`, row.runs <= 20 ? '≤ 1.5× (+25 ms)' : '']),
		),
	);
	log(`  60 items in one run with the default pacing: ${ms(bulkMs)} (spread: 20 at once, then 10 per second; goal ≥ 2 s)`);
	log(`  medians of ${ROUNDS} interleaved rounds each`);
	return { rounds: ROUNDS, rows, bulk60Ms: bulkMs };
}
