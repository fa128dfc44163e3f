import { pause } from './pause';

/**
 * How the requests of one credential reach the provider, whose rate limits are not
 * documented. n8n sends every item of a run at once, and separate runs (webhooks arriving
 * together) at once too. A burst as large as a busy contact centre makes goes straight
 * out: a customer waits on each transfer. Beyond it, requests are spread at the set rate,
 * so 1,000 items never hit the provider as 1,000 simultaneous requests.
 *
 * A token bucket per credential, kept as one timestamp (the "theoretical arrival time" of
 * the generic cell rate algorithm): no timer and no release step, so a request that fails
 * or hangs cannot hold up the ones behind it.
 */
export const DEFAULT_REQUESTS_PER_SECOND = 10;
export const DEFAULT_BURST = 20;

/** The longest the node holds a credential's requests after a 429, whatever Retry-After says. */
export const MAX_HOLD_MS = 30_000;
/** The hold after a 429 without Retry-After; doubled for each one in a row, up to MAX_HOLD_MS. */
export const FIRST_BACKOFF_MS = 1_000;

export interface Pacing {
	/** Sustained rate; 0 turns pacing off (a provider's 429 still holds). */
	perSecond: number;
	/** How many requests may go out at once before the rate applies. */
	burst: number;
}

interface Schedule {
	/** When the bucket will be full again, in the algorithm's terms. */
	theoreticalArrival: number;
	/** No request of this credential leaves before this moment (the provider said 429). */
	holdUntil: number;
	nextBackoffMs: number;
	/** The burst allowance last used, in ms, so a hold can end with an empty bucket. */
	tolerance: number;
}

const schedules = new Map<string, Schedule>();

function scheduleOf(key: string): Schedule {
	let schedule = schedules.get(key);
	if (!schedule) {
		schedule = { theoreticalArrival: 0, holdUntil: 0, nextBackoffMs: FIRST_BACKOFF_MS, tolerance: 0 };
		schedules.set(key, schedule);
	}
	return schedule;
}

/** Resolves when this request may be sent: at once while the burst allowance lasts. */
export async function waitForSendSlot(key: string, pacing: Pacing, signal?: AbortSignal): Promise<void> {
	const schedule = scheduleOf(key);
	for (;;) {
		const now = Date.now();
		if (schedule.holdUntil > now) {
			await pause(schedule.holdUntil - now, signal);
			continue;
		}
		if (!(pacing.perSecond > 0)) return;
		const interval = 1000 / pacing.perSecond;
		schedule.tolerance = (Math.max(1, Math.floor(pacing.burst)) - 1) * interval;
		const arrival = Math.max(schedule.theoreticalArrival, now);
		const sendAt = arrival - schedule.tolerance;
		schedule.theoreticalArrival = arrival + interval;
		if (sendAt <= now) return;
		await pause(sendAt - now, signal);
		// The provider said 429 while this request waited: it queues again behind the hold.
		if (schedule.holdUntil <= Date.now()) return;
	}
}

/** Retry-After as milliseconds: delay-seconds or an HTTP date. */
function retryAfterMs(retryAfter: string | undefined, now: number): number | undefined {
	if (retryAfter === undefined || retryAfter.trim() === '') return undefined;
	const seconds = Number(retryAfter);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(retryAfter);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * The provider answered 429: every request of this credential, in this run and in others,
 * waits for Retry-After (or a growing backoff), and then the burst allowance starts empty,
 * so the requests held back do not all arrive at once. Returns the hold in ms.
 */
export function holdAfterTooManyRequests(key: string, retryAfter: string | undefined): number {
	const schedule = scheduleOf(key);
	const now = Date.now();
	const asked = retryAfterMs(retryAfter, now);
	const holdMs = Math.min(asked ?? schedule.nextBackoffMs, MAX_HOLD_MS);
	if (asked === undefined) schedule.nextBackoffMs = Math.min(schedule.nextBackoffMs * 2, MAX_HOLD_MS);
	schedule.holdUntil = Math.max(schedule.holdUntil, now + holdMs);
	schedule.theoreticalArrival = Math.max(schedule.theoreticalArrival, schedule.holdUntil + schedule.tolerance);
	return holdMs;
}

/** The provider accepted a request: the next 429 without Retry-After starts a fresh backoff. */
export function providerAccepted(key: string): void {
	const schedule = schedules.get(key);
	if (schedule) schedule.nextBackoffMs = FIRST_BACKOFF_MS;
}
