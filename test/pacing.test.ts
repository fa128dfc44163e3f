/**
 * How requests reach the provider: a burst goes straight out (webhooks arriving together,
 * a live call waiting on each), bulk work beyond it is spread at the set rate, and a 429
 * holds every request of the credential for as long as the provider asks. Each test uses
 * its own credential id, because the node keeps one schedule per credential.
 */
import { holdAfterTooManyRequests, providerAccepted } from '../nodes/Smartflo/resources/call/pacing';
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
		// Five gaps of 100 ms at 10 per second.
		expect(times[5] - times[0]).toBeGreaterThanOrEqual(480);
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
		// One schedule for both runs: six requests 100 ms apart, not two runs of three.
		expect(times[5] - times[0]).toBeGreaterThanOrEqual(480);
	});
});

describe('bulk work is spread beyond the burst', () => {
	test('60 items in one run: 20 at once, the other 40 at 10 per second', async () => {
		slowProvider();
		const { output } = await runSmartflo({ parameters: bargeEach(), items: itemsFor(0, 60), credentials: provider.credentials, credentialId: freshCredential() });

		expect(output).toHaveLength(60);
		const times = arrivals().sort((a, b) => a - b);
		expect(times).toHaveLength(60);
		// The burst: the first 20 arrive together; then 40 more, 100 ms apart.
		// (At 10 per second the first 20 would span 1.9 s.)
		expect(times[19] - times[0]).toBeLessThan(1_000);
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
		if (holdMs >= 3_000) expect(requestsFor(2)[0].at - refusedAt).toBeLessThan(2_000);
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
		// The bucket restarts empty: 10 per second, not a burst of six.
		expect(times[5] - times[0]).toBeGreaterThanOrEqual(480);
	});
});

describe('how long a hold lasts', () => {
	test('Retry-After in seconds or as a date; never beyond 30 s, so no workflow hangs for minutes', () => {
		expect(holdAfterTooManyRequests(freshCredential(), '2')).toBe(2_000);
		expect(holdAfterTooManyRequests(freshCredential(), '3600')).toBe(30_000);
		const inFiveSeconds = new Date(Date.now() + 5_000).toUTCString();
		expect(holdAfterTooManyRequests(freshCredential(), inFiveSeconds)).toBeGreaterThan(3_900);
	});

	test('without Retry-After: 1 s, doubling for each 429 in a row, back to 1 s after a success', () => {
		const credentialId = freshCredential();
		const holds = [1, 2, 3, 4, 5, 6].map(() => holdAfterTooManyRequests(credentialId, undefined));
		providerAccepted(credentialId);

		expect(holds).toStrictEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000]);
		expect(holdAfterTooManyRequests(credentialId, undefined)).toBe(1_000);
	});
});
