/**
 * How requests reach the provider: a burst goes straight out (webhooks arriving together,
 * a live call waiting on each), bulk work beyond it is spread at the set rate, and a 429
 * holds every request of the credential for as long as the provider asks. Each test uses
 * its own credential id, because the node keeps one schedule per credential. These prove the
 * node waits its turns for real; the arithmetic of the turns is in test/unit/pacing.test.ts.
 * Only lower bounds on time here: a busy machine can make anything slower, never faster.
 */
import { runSmartflo } from './helpers/engine';
import { callParameters, useProviderDouble } from './helpers/fixtures';

const provider = useProviderDouble();

const callIdOf = (index: number) => `${1_758_900_000 + index}.${1000 + index}`;
const itemsFor = (from: number, count: number) =>
	Array.from({ length: count }, (_, index) => ({ json: { call_id: callIdOf(from + index) } }));
const bargeEach = (options: Record<string, number> = {}) =>
	callParameters('barge', { callId: { __rl: true, mode: 'id', value: '={{ $json.call_id }}' }, options });
/**
 * A provider that takes `delayMs` per request, so what is in flight together shows at the
 * double. A long delay keeps a burst overlapping even when a busy machine starts its runs late.
 */
const slowProvider = (delayMs = 200) =>
	provider.double.fail({ path: '/v1/call/options', respond: { delayMs, json: { success: true, message: 'ok' } } });
const arrivals = () => provider.double.callOptionRequests().map((request) => request.at);

let credentialCount = 0;
const freshCredential = () => `pacing-${(credentialCount += 1)}`;

async function runsAtOnce(count: number, options: Record<string, number>, credentialId: string) {
	return await Promise.all(
		Array.from({ length: count }, async (_, index) =>
			await runSmartflo({ parameters: bargeEach(options), items: itemsFor(index, 1), credentials: provider.credentials, credentialId }),
		),
	);
}

describe('a burst goes out at once', () => {
	test.each([10, 20])('%i runs of one item at once all reach the provider together, as with pacing off', async (runs) => {
		slowProvider(1_500);
		const paced = await runsAtOnce(runs, {}, freshCredential());
		const pacedInFlight = provider.double.maxInFlight();
		provider.double.reset();
		slowProvider(1_500);
		await runsAtOnce(runs, { requestsPerSecond: 0 }, freshCredential());

		expect(paced.every((run) => run.output[0]?.json.success === true)).toBe(true);
		expect(pacedInFlight).toBe(runs);
		expect(provider.double.maxInFlight()).toBe(runs);
	});

	test('Burst Size 1 spaces every request after the first at the set rate', async () => {
		slowProvider();
		await runSmartflo({ parameters: bargeEach({ burst: 1 }), items: itemsFor(0, 6), credentials: provider.credentials, credentialId: freshCredential() });

		const times = arrivals();
		expect(times).toHaveLength(6);
		// Five gaps of 100 ms at 10 per second (500 ms; 100 ms left for a first request that a
		// busy machine delays on its way; 20 per second would be 250 ms).
		expect(times[5] - times[0]).toBeGreaterThanOrEqual(400);
	});
});

describe('runs of one credential share its schedule', () => {
	test('two runs that start together each send every item, waiting their turns', async () => {
		// On n8n 2.34+ the wait once crashed (sleepWithAbort was gone): the second run failed.
		provider.double.acceptAnyCall(true);
		const credentialId = freshCredential();
		const runs = await Promise.all(
			[itemsFor(0, 3), itemsFor(3, 3)].map(
				async (items) => await runSmartflo({ parameters: bargeEach({ burst: 1 }), items, credentials: provider.credentials, credentialId }),
			),
		);
		provider.double.acceptAnyCall(false);

		for (const run of runs) {
			expect(run.error).toBeUndefined();
			expect(run.output.map((item) => item.json.success)).toStrictEqual([true, true, true]);
		}
		const times = arrivals().sort((a, b) => a - b);
		expect(times).toHaveLength(6);
		// One schedule for both runs: six requests 100 ms apart (500 ms), not two runs of three
		// (200 ms). Measured where they arrive, so a first request that a busy machine delays
		// shortens the span: the bound leaves 100 ms for that and still tells the two apart.
		expect(times[5] - times[0]).toBeGreaterThanOrEqual(400);
	});
});

describe('bulk work is spread beyond the burst', () => {
	test('60 items in one run: 20 at once, the other 40 at 10 per second', async () => {
		slowProvider();
		const { output } = await runSmartflo({ parameters: bargeEach(), items: itemsFor(0, 60), credentials: provider.credentials, credentialId: freshCredential() });

		expect(output).toHaveLength(60);
		const times = arrivals().sort((a, b) => a - b);
		expect(times).toHaveLength(60);
		// The burst: the first 20 arrive together (at most 22 in flight at once, while each
		// takes 200 ms); then 40 more, 100 ms apart.
		expect(times[59] - times[0]).toBeGreaterThanOrEqual(3_900);
		expect(provider.double.maxInFlight()).toBeLessThanOrEqual(22);
	});

	test('with pacing off, 200 items reach the provider at once', async () => {
		slowProvider();
		await runSmartflo({
			parameters: bargeEach({ requestsPerSecond: 0 }),
			items: itemsFor(0, 200),
			credentials: provider.credentials,
			credentialId: freshCredential(),
			onError: 'continueRegularOutput',
		});

		expect(provider.double.maxInFlight()).toBeGreaterThan(100);
	});
});

describe('when the provider answers 429', () => {
	// Any well-formed call id is live here, so only the 429 fails.
	beforeEach(() => provider.double.acceptAnyCall(true));
	afterEach(() => provider.double.acceptAnyCall(false));

	const tooManyFor = (callId: string, headers: Record<string, string> = {}) =>
		provider.double.fail({
			path: '/v1/call/options',
			callIds: [callId],
			respond: { status: 429, headers, json: { success: false, message: 'Rate limit exceeded' } },
		});

	test.each([
		['Retry-After: 3', { 'Retry-After': '3' }, 3_000],
		['no Retry-After (a 1 s backoff)', {}, 1_000],
	])('with %s, the next requests of the credential wait, in other runs too', async (_name, headers, holdMs) => {
		const credentialId = freshCredential();
		tooManyFor(callIdOf(0), headers);
		const first = await runSmartflo({ parameters: bargeEach(), items: itemsFor(0, 1), credentials: provider.credentials, credentialId });
		const refusedAt = provider.double.callOptionRequests()[0].at;
		const [later, otherCredential] = await Promise.all([
			runSmartflo({ parameters: bargeEach(), items: itemsFor(1, 1), credentials: provider.credentials, credentialId }),
			runSmartflo({ parameters: bargeEach(), items: itemsFor(2, 1), credentials: provider.credentials, credentialId: freshCredential() }),
		]);

		// The refused item fails as before, and is never sent again by the node.
		expect(first.error?.message).toContain('Rate limit exceeded [HTTP 429]');
		const requestsFor = (index: number) => provider.double.callOptionRequests().filter((request) => request.json.call_id === callIdOf(index));
		expect(requestsFor(0)).toHaveLength(1);
		// The same credential's next request waited the hold; another credential's did not.
		expect(later.output[0]?.json.success).toBe(true);
		expect(requestsFor(1)[0].at - refusedAt).toBeGreaterThanOrEqual(holdMs - 50);
		expect(otherCredential.output[0]?.json.success).toBe(true);
		expect(requestsFor(2)[0].at).toBeLessThan(requestsFor(1)[0].at);
	});

	test('the hold applies with pacing off too', async () => {
		const credentialId = freshCredential();
		tooManyFor(callIdOf(0), { 'Retry-After': '1' });
		await runSmartflo({ parameters: bargeEach({ requestsPerSecond: 0 }), items: itemsFor(0, 1), credentials: provider.credentials, credentialId });
		const refusedAt = provider.double.callOptionRequests()[0].at;
		await runSmartflo({ parameters: bargeEach({ requestsPerSecond: 0 }), items: itemsFor(1, 1), credentials: provider.credentials, credentialId });

		expect(provider.double.callOptionRequests()[1].at - refusedAt).toBeGreaterThanOrEqual(950);
	});

	test('after the hold, the held requests do not all arrive at once', async () => {
		const credentialId = freshCredential();
		tooManyFor(callIdOf(0), { 'Retry-After': '1' });
		await runSmartflo({ parameters: bargeEach(), items: itemsFor(0, 1), credentials: provider.credentials, credentialId });
		provider.double.reset();
		await runSmartflo({ parameters: bargeEach(), items: itemsFor(1, 6), credentials: provider.credentials, credentialId });

		const times = arrivals().sort((a, b) => a - b);
		expect(times).toHaveLength(6);
		// The bucket restarts empty: 10 per second (500 ms, 100 ms left for a delayed first
		// arrival), not a burst of six.
		expect(times[5] - times[0]).toBeGreaterThanOrEqual(400);
	});
});
