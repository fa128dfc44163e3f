/**
 * The portal signs nothing, so a delivery proves itself with what its URL carries: the node's
 * Secret (`?secret=…`), compared in constant time (no early exit on the first differing
 * character), so the time an answer takes tells nothing about the secret.
 */

export function sameSecret(given: unknown, expected: string): boolean {
	const a = typeof given === 'string' ? given : '';
	if (a === '' || expected === '') return false;
	let difference = a.length ^ expected.length;
	for (let index = 0; index < expected.length; index += 1) {
		difference |= (a.charCodeAt(index % (a.length || 1)) ^ expected.charCodeAt(index)) | 0;
	}
	return difference === 0;
}
