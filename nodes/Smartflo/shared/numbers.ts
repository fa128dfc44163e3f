/**
 * Phone numbers as the trigger's filters compare them: the provider writes a DID or an
 * agent's number with or without its country code, and users type it with spaces.
 */

const digits = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value).replace(/\D/g, '') : '');

/** Whether two numbers are the same: "+91 80499 90000" and "8049990000" are. */
export function sameNumber(a: unknown, b: string): boolean {
	const left = digits(a);
	const right = digits(b);
	if (left === '' || right === '') return false;
	if (left === right) return true;
	// The same number with and without a country code: the shorter is the longer's tail.
	const [shorter, longer] = left.length < right.length ? [left, right] : [right, left];
	return shorter.length >= 8 && longer.endsWith(shorter);
}
