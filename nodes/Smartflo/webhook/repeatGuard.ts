/**
 * The platform retries a delivery it thinks failed (a slow or lost answer), so one event of
 * one call can arrive two or three times. The guard remembers what started an execution, in
 * this n8n process's memory, for REMEMBER_MS, at most MAX_REMEMBERED deliveries (the oldest
 * is forgotten first). Several n8n processes that receive webhooks (queue mode's webhook
 * processes) each remember their own: a retry that lands on another process is not caught.
 */

export const REMEMBER_MS = 15 * 60_000;
export const MAX_REMEMBERED = 10_000;

const seen = new Map<string, number>();

/** Whether `key` started an execution within REMEMBER_MS; if not, remembers it from `now`. */
export function isRepeat(key: string, now = Date.now()): boolean {
	const at = seen.get(key);
	if (at !== undefined && now - at < REMEMBER_MS) return true;
	seen.delete(key);
	seen.set(key, now);
	// A Map keeps insertion order: the first keys are the oldest.
	for (const [oldKey, oldAt] of seen) {
		if (seen.size <= MAX_REMEMBERED && now - oldAt < REMEMBER_MS) break;
		seen.delete(oldKey);
	}
	return false;
}

/** How many deliveries are remembered now (for tests of the bound). */
export const remembered = (): number => seen.size;
