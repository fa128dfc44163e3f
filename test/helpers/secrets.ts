/**
 * Everything an error or item could show a user or a log, as text: own properties
 * (enumerable or not), causes and nested objects, plus what JSON.stringify makes of it.
 */
export function everythingVisible(value: unknown): string {
	const seen = new Set<unknown>();
	const parts: string[] = [];
	const walk = (current: unknown, depth: number): void => {
		if (current === null || current === undefined || depth > 12) return;
		if (typeof current === 'string') {
			parts.push(current);
			return;
		}
		if (typeof current !== 'object' && typeof current !== 'function') {
			parts.push(String(current));
			return;
		}
		if (seen.has(current)) return;
		seen.add(current);
		if (Buffer.isBuffer(current)) {
			parts.push(current.toString('utf8'));
			return;
		}
		for (const key of Object.getOwnPropertyNames(current)) {
			let child: unknown;
			try {
				child = (current as Record<string, unknown>)[key];
			} catch {
				continue;
			}
			parts.push(key);
			walk(child, depth + 1);
		}
	};
	walk(value, 0);
	try {
		parts.push(JSON.stringify(value) ?? '');
	} catch {
		// Circular structures are covered by the walk above.
	}
	return parts.join('\n');
}
