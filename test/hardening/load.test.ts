/**
 * 1,000 items against a double that fails a known 10 % of them at random positions: every
 * item comes out exactly once, paired to its input, and the double sees exactly 1,000
 * requests. How fast requests reach the provider: test/pacing.test.ts.
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
