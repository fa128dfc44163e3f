/**
 * The token bucket on an injected clock: what each request waits, with no real waiting.
 * The engine tests (test/pacing.test.ts) prove the node waits these turns for real.
 */
import { MAX_HOLD_MS, SendSchedule, retryAfterMs } from '../../nodes/Smartflo/resources/call/pacing';

const DEFAULTS = { perSecond: 10, burst: 20 };
const T0 = 1_000_000;

/** What `count` requests arriving together at `now` each wait. */
const waits = (schedule: SendSchedule, count: number, now = T0, pacing = DEFAULTS) =>
	Array.from({ length: count }, () => schedule.reserve(pacing, now));

describe('the burst goes out at once, the rest at the set rate', () => {
	test('20 at once wait nothing; the 21st to 25th wait 100 ms more each', () => {
		const schedule = new SendSchedule();
		expect(waits(schedule, 25)).toStrictEqual([...Array(20).fill(0), 100, 200, 300, 400, 500]);
	});

	test('Burst Size 1: every request after the first waits its turn', () => {
		expect(waits(new SendSchedule(), 4, T0, { perSecond: 10, burst: 1 })).toStrictEqual([0, 100, 200, 300]);
	});

	test('the bucket refills at the rate: 2 s later, 20 more go at once', () => {
		const schedule = new SendSchedule();
		waits(schedule, 20);
		expect(waits(schedule, 20, T0 + 2_000)).toStrictEqual(Array(20).fill(0));
		expect(schedule.reserve(DEFAULTS, T0 + 2_000)).toBe(100);
	});

	test('0 requests per second turns pacing off', () => {
		expect(waits(new SendSchedule(), 500, T0, { perSecond: 0, burst: 1 }).every((wait) => wait === 0)).toBe(true);
	});
});

describe('after a 429', () => {
	test('every request waits the hold, then the bucket starts empty', () => {
		const schedule = new SendSchedule();
		waits(schedule, 5);
		expect(schedule.holdAfterTooManyRequests('3', T0)).toBe(3_000);

		expect(schedule.heldFor(T0 + 1_000)).toBe(2_000);
		expect(schedule.heldFor(T0 + 3_000)).toBe(0);
		// Not a burst of 20 when the hold ends: 10 per second from its end.
		expect(waits(schedule, 3, T0 + 3_000)).toStrictEqual([0, 100, 200]);
	});

	test('without Retry-After: 1 s, doubling each time in a row, at most 30 s, back to 1 s after a success', () => {
		const schedule = new SendSchedule();
		const holds = [1, 2, 3, 4, 5, 6].map(() => schedule.holdAfterTooManyRequests(undefined, T0));
		schedule.accepted();

		expect(holds).toStrictEqual([1_000, 2_000, 4_000, 8_000, 16_000, MAX_HOLD_MS]);
		expect(schedule.holdAfterTooManyRequests(undefined, T0)).toBe(1_000);
	});

	test('a later, shorter hold does not cut an earlier, longer one short', () => {
		const schedule = new SendSchedule();
		schedule.holdAfterTooManyRequests('10', T0);
		schedule.holdAfterTooManyRequests('1', T0 + 1_000);
		expect(schedule.heldFor(T0 + 5_000)).toBe(5_000);
	});

	test.each([
		['2', 2_000],
		['0', 0],
		['3600', 3_600_000],
		[new Date(T0 + 5_000).toUTCString(), 5_000],
		['', undefined],
		['soon', undefined],
		[undefined, undefined],
	])('Retry-After %j means %j ms', (header, ms) => {
		expect(retryAfterMs(header, T0)).toBe(ms);
	});

	test('Retry-After beyond 30 s holds 30 s, so no workflow hangs for minutes', () => {
		expect(new SendSchedule().holdAfterTooManyRequests('3600', T0)).toBe(MAX_HOLD_MS);
	});
});
