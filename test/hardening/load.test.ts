/**
 * 1,000 items against a double that fails a known 10 % of them at random positions: every
 * item comes out exactly once, paired to its input, and the double sees exactly 1,000
 * requests. Also how fast the node lets those requests reach the provider.
 */
import { runSmartflo } from '../helpers/engine';
import { callParameters, useProviderDouble } from '../helpers/fixtures';

const provider = useProviderDouble();

const ITEMS = 1_000;
const callIdOf = (index: number) => `${1_758_800_000 + index}.${1000 + index}`;

/** A small seeded generator, so a failure names positions that can be replayed. */
function pickFailing(seed: number, count: number): Set<number> {
	let state = seed;
	const failing = new Set<number>();
	while (failing.size < count) {
		state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
		failing.add(state % ITEMS);
	}
	return failing;
}

function prepare(seed: number) {
	const failing = pickFailing(seed, ITEMS / 10);
	for (let index = 0; index < ITEMS; index += 1) {
		provider.double.liveCalls.push({ ...provider.double.liveCalls[0], call_id: callIdOf(index) });
	}
	provider.double.fail({
		path: '/v1/call/options',
		callIds: [...failing].map(callIdOf),
		respond: { status: 503, json: { success: false, message: 'Try later' } },
	});
	const items = Array.from({ length: ITEMS }, (_, index) => ({ json: { call_id: callIdOf(index), position: index } }));
	return { failing, items };
}

const parameters = callParameters('barge', {
	callId: { __rl: true, mode: 'id', value: '={{ $json.call_id }}' },
	options: { requestsPerSecond: 0 },
});

describe.each(['continueRegularOutput', 'continueErrorOutput'] as const)('with %s', (onError) => {
	test('900 successes and 100 errors, each paired to its own input item, none lost or doubled', async () => {
		const seed = onError === 'continueErrorOutput' ? 7 : 42;
		const { failing, items } = prepare(seed);

		const { output, errorOutput, error } = await runSmartflo({ parameters, items, credentials: provider.credentials, onError });

		expect(error).toBeUndefined();
		const all = [...output, ...errorOutput];
		expect(all).toHaveLength(ITEMS);
		const errors = all.filter((item) => item.error);
		expect(errors).toHaveLength(100);
		expect(all.length - errors.length).toBe(900);
		if (onError === 'continueErrorOutput') {
			expect(errorOutput).toHaveLength(100);
			expect(output.every((item) => !item.error)).toBe(true);
		}
		// Every input position appears exactly once, and fails exactly when the double failed it.
		const positions = all.map((item) => (item.pairedItem as { item: number }).item);
		expect(new Set(positions).size).toBe(ITEMS);
		for (const item of all) {
			const position = (item.pairedItem as { item: number }).item;
			expect(Boolean(item.error)).toBe(failing.has(position));
			if (!item.error) expect(item.json.callId).toBe(callIdOf(position));
			else expect(String(item.json.error)).toContain(`call ${callIdOf(position)} (item ${position})`);
		}
		const sent = provider.double.callOptionRequests().map((request) => request.json.call_id);
		expect(sent).toHaveLength(ITEMS);
		expect(new Set(sent).size).toBe(ITEMS);
	}, 60_000);
});

describe('what reaches the provider when many items arrive at once', () => {
	// A provider that takes 200 ms per request, so concurrency shows at the double.
	const slowSuccess = { delayMs: 200, json: { success: true, message: 'ok' } };

	test('with the pacing off, the engine sends them all at once', async () => {
		const { items } = prepare(1);
		provider.double.reset();
		provider.double.fail({ path: '/v1/call/options', respond: slowSuccess });

		await runSmartflo({ parameters, items: items.slice(0, 200), credentials: provider.credentials, onError: 'continueRegularOutput' });

		// Observed by the double: far more than a provider should see from one workflow.
		expect(provider.double.maxInFlight()).toBeGreaterThan(100);
	});

	test('by default, requests of one credential are paced at 10 per second', async () => {
		const { items } = prepare(2);
		provider.double.reset();
		provider.double.fail({ path: '/v1/call/options', respond: slowSuccess });

		await runSmartflo({
			parameters: callParameters('barge', { callId: { __rl: true, mode: 'id', value: '={{ $json.call_id }}' } }),
			items: items.slice(0, 21),
			credentials: provider.credentials,
			onError: 'continueRegularOutput',
		});

		const times = provider.double.callOptionRequests().map((request) => request.at);
		expect(times).toHaveLength(21);
		// 20 gaps of 100 ms: at least ~2 s between the first and the last arrival, and at
		// most a couple of requests in flight at any moment.
		expect(times[times.length - 1] - times[0]).toBeGreaterThanOrEqual(1_900);
		expect(provider.double.maxInFlight()).toBeLessThanOrEqual(3);
	});

	test('runs of one credential that start together each send every item (default pacing)', async () => {
		// n8n 2.34+ removed the helper pacing waited with: the second run crashed at its first wait.
		const { items } = prepare(3);
		provider.double.reset();
		provider.double.fail({ path: '/v1/call/options', respond: { json: { success: true, message: 'ok' } } });
		const pacedByDefault = callParameters('barge', { callId: { __rl: true, mode: 'id', value: '={{ $json.call_id }}' } });
		const runs = await Promise.all(
			[items.slice(0, 3), items.slice(3, 6)].map(
				async (runItems) => await runSmartflo({ parameters: pacedByDefault, items: runItems, credentials: provider.credentials }),
			),
		);

		for (const run of runs) {
			expect(run.error).toBeUndefined();
			expect(run.output.map((item) => item.json.success)).toStrictEqual([true, true, true]);
		}
		expect(provider.double.callOptionRequests().map((request) => request.json?.call_id).sort()).toStrictEqual(
			items.slice(0, 6).map((item) => item.json.call_id).sort(),
		);
	});
});
