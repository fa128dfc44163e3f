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

/**
 * One credential's schedule, on its own clock: every method takes `now` (ms), so the
 * algorithm is tested without waiting (test/unit/pacing.test.ts).
 */
export class SendSchedule {
	/** When the bucket will be full again, in the algorithm's terms. */
	private theoreticalArrival = 0;
	/** No request of this credential leaves before this moment (the provider said 429). */
	private holdUntil = 0;
	private nextBackoffMs = FIRST_BACKOFF_MS;
	/** The burst allowance last used, in ms, so a hold can end with an empty bucket. */
	private tolerance = 0;

	/** Whether the provider's 429 still holds every request back at `now`: how long, in ms. */
	heldFor(now: number): number {
		return Math.max(0, this.holdUntil - now);
	}

	/**
	 * Takes this request's turn: how long it waits before going out (0: at once). Call it
	 * only when not held; a request that waited checks `heldFor` again before sending.
	 */
	reserve(pacing: Pacing, now: number): number {
		if (!(pacing.perSecond > 0)) return 0;
		const interval = 1000 / pacing.perSecond;
		this.tolerance = (Math.max(1, Math.floor(pacing.burst)) - 1) * interval;
		const arrival = Math.max(this.theoreticalArrival, now);
		this.theoreticalArrival = arrival + interval;
		return Math.max(0, arrival - this.tolerance - now);
	}

	/**
	 * The provider answered 429: every request of the credential waits for Retry-After (or a
	 * growing backoff), and then the burst allowance starts empty, so the requests held back
	 * do not all arrive at once. Returns the hold in ms.
	 */
	holdAfterTooManyRequests(retryAfter: string | undefined, now: number): number {
		const asked = retryAfterMs(retryAfter, now);
		const holdMs = Math.min(asked ?? this.nextBackoffMs, MAX_HOLD_MS);
		if (asked === undefined) this.nextBackoffMs = Math.min(this.nextBackoffMs * 2, MAX_HOLD_MS);
		this.holdUntil = Math.max(this.holdUntil, now + holdMs);
		this.theoreticalArrival = Math.max(this.theoreticalArrival, this.holdUntil + this.tolerance);
		return holdMs;
	}

	/** The provider accepted a request: the next 429 without Retry-After starts a fresh backoff. */
	accepted(): void {
		this.nextBackoffMs = FIRST_BACKOFF_MS;
	}
}

/** Retry-After as milliseconds: delay-seconds or an HTTP date. */
export function retryAfterMs(retryAfter: string | undefined, now: number): number | undefined {
	if (retryAfter === undefined || retryAfter.trim() === '') return undefined;
	const seconds = Number(retryAfter);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(retryAfter);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Every credential's schedule in this n8n process, by credential id. */
const schedules = new Map<string, SendSchedule>();

function scheduleOf(key: string): SendSchedule {
	let schedule = schedules.get(key);
	if (!schedule) {
		schedule = new SendSchedule();
		schedules.set(key, schedule);
	}
	return schedule;
}

/** Resolves when this request may be sent: at once while the burst allowance lasts. */
export async function waitForSendSlot(key: string, pacing: Pacing, signal?: AbortSignal): Promise<void> {
	const schedule = scheduleOf(key);
	for (;;) {
		const held = schedule.heldFor(Date.now());
		if (held > 0) {
			await pause(held, signal);
			continue;
		}
		const wait = schedule.reserve(pacing, Date.now());
		if (wait === 0) return;
		await pause(wait, signal);
		// The provider said 429 while this request waited: it queues again behind the hold.
		if (schedule.heldFor(Date.now()) === 0) return;
	}
}

/** See SendSchedule.holdAfterTooManyRequests. */
export function holdAfterTooManyRequests(key: string, retryAfter: string | undefined): number {
	return scheduleOf(key).holdAfterTooManyRequests(retryAfter, Date.now());
}

/** See SendSchedule.accepted. */
export function providerAccepted(key: string): void {
	schedules.get(key)?.accepted();
}
