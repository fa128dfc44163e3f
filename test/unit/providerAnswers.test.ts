/**
 * How every answer of the provider is read (credentials/smartfloApi/answers.ts) and how a
 * failure becomes the node's error (shared/transport/providerErrors.ts), without HTTP. The
 * engine tests (test/hardening/providerFaults.test.ts) prove the node routes answers here.
 */
import type { IN8nHttpFullResponse, INode } from 'n8n-workflow';

import { interpretAnswer } from '../../credentials/smartfloApi/answers';
import { answerError, networkCodeOf, unreachableError } from '../../nodes/Smartflo/shared/transport/providerErrors';

const node: INode = { id: 'n', name: 'Smartflo', type: 'n8n-nodes-smartflo.smartflo', typeVersion: 1, position: [0, 0], parameters: {} };
const answer = (statusCode: number, body: unknown, headers: Record<string, string> = {}): IN8nHttpFullResponse => ({
	statusCode,
	headers,
	body: body as IN8nHttpFullResponse['body'],
});
const failure = (response: IN8nHttpFullResponse) => {
	const read = interpretAnswer(response);
	if (read.ok) throw new Error('read as a success');
	return read;
};

describe('reading an answer', () => {
	test.each([
		['a JSON object', answer(200, { success: true, message: 'ok' }), { success: true, message: 'ok' }],
		['JSON text', answer(200, '{"success":true}'), { success: true }],
		['a list (live calls)', answer(200, '[{"call_id":"1.2"}]'), [{ call_id: '1.2' }]],
	])('%s is a success', (_name, response, body) => {
		expect(interpretAnswer(response)).toStrictEqual({ ok: true, body });
	});

	test.each([
		['HTTP 404 with the provider’s message', answer(404, { success: false, message: 'Call not found' }), 'HTTP 404', 'Call not found'],
		['HTTP 200 with success: false', answer(200, { success: false, message: 'Agent is busy' }), 'refused', 'Agent is busy'],
		['an error field instead of message', answer(400, { error: 'bad type' }), 'HTTP 400', 'bad type'],
		['an HTML error page', answer(502, '<html><title>Bad Gateway</title><body>…</body></html>'), 'HTTP 502', 'Bad Gateway'],
		['an HTML page with HTTP 200', answer(200, '<html><title>Login</title></html>'), 'HTTP 200, not JSON', 'the provider answered with "Login" instead of JSON'],
		['an empty body', answer(200, ''), 'HTTP 200, not JSON', 'the provider answered with an empty body instead of JSON'],
	])('%s is a failure', (_name, response, label, providerMessage) => {
		expect(failure(response)).toMatchObject({ label, providerMessage });
	});

	test('a 429 keeps Retry-After for the pacing', () => {
		expect(failure(answer(429, { message: 'Slow down' }, { 'retry-after': '7' }))).toMatchObject({ status: 429, retryAfter: '7' });
	});
});

describe('the node’s error', () => {
	test('names what was asked, the item, the provider’s words and the status', () => {
		const error = answerError(node, failure(answer(404, { message: 'Call not found' })), 'transfer call 1758782566.8131', 3);
		expect(error.message).toBe('Smartflo did not transfer call 1758782566.8131 (item 3): Call not found [HTTP 404]');
		expect(error.httpCode).toBe('404');
		expect(error.description).toMatch(/call has probably ended/);
	});

	test.each([
		[401, /tokens expire \(Smartflo tokens made after 9 Aug 2026 within 90 days\).*generate a new one in the portal \(API Connect → API Tokens\)/],
		[403, /not granted this API/],
		[422, /did not accept the request as it stands/],
		[429, /Max Requests per Second/],
		[503, /may or may not have acted on the call/],
	])('HTTP %i comes with a hint that says what to do', (status, hint) => {
		expect(answerError(node, failure(answer(status, { message: 'x' })), 'barge call 1.2').description).toMatch(hint);
	});

	test('an unreachable host: which host, in words, and that nothing changed', () => {
		const error = unreachableError(node, 'ENOTFOUND', 'https://api.example.invalid', 'list live calls');
		expect(error.message).toBe('Smartflo did not list live calls: https://api.example.invalid is not a known host name [ENOTFOUND]');
		expect(error.description).toMatch(/Nothing was changed on the provider/);
	});

	test.each([
		[{ code: 'ECONNREFUSED' }, 'ECONNREFUSED'],
		[{ cause: { code: 'ETIMEDOUT' } }, 'ETIMEDOUT'],
		[{ httpCode: 'ENOTFOUND' }, 'ENOTFOUND'],
		[{ code: 'EWHATEVER' }, undefined],
		[undefined, undefined],
	])('the network code of %j is %j', (error, code) => {
		expect(networkCodeOf(error)).toBe(code);
	});
});
