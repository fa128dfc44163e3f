import { pause } from './sleep';

/**
 * n8n's declarative engine sends every item of a run at once: 1,000 items would be 1,000
 * simultaneous requests to the provider, whose rate limits are not documented. Each
 * request here waits for its turn on a per-credential schedule instead. A schedule needs
 * no release step, so a request that fails or hangs cannot hold up the ones behind it.
 */
export const DEFAULT_REQUESTS_PER_SECOND = 10;

const nextSlotAt = new Map<string, number>();

/** Resolves when this request may be sent; immediately when the schedule is free. */
export async function waitForSendSlot(key: string, perSecond: number, signal?: AbortSignal): Promise<void> {
	if (!(perSecond > 0)) return;
	const now = Date.now();
	const at = Math.max(now, nextSlotAt.get(key) ?? 0);
	nextSlotAt.set(key, at + 1000 / perSecond);
	if (at > now) await pause(at - now, signal);
}
