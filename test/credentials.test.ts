/**
 * The credential: the n8n credential test against the double, the host each provider
 * preset resolves to, and custom base URLs or tokens that must be refused before a
 * request leaves.
 */
import { SmartfloApi } from '../credentials/SmartfloApi.credentials';
import { runSmartflo, testCredential } from './helpers/engine';
import { TOKEN, callParameters, useProviderDouble } from './helpers/fixtures';

const provider = useProviderDouble();

describe('credential test', () => {
	test('succeeds with a working token and host, reading one user', async () => {
		const result = await testCredential(provider.credentials);

		expect(result).toStrictEqual({ status: 'OK', message: 'Connection successful!' });
		expect(provider.double.requests.map((request) => [request.method, request.path, request.query])).toStrictEqual([
			['GET', '/v1/users', { limit: '1' }],
		]);
		expect(provider.double.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
	});

	test('fails at once with a token the provider refuses', async () => {
		const result = await testCredential({ ...provider.credentials, token: 'revoked-token' });

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Authorization failed|401/);
		expect(result.message).not.toContain('revoked-token');
	});

	test('fails when the provider answers HTTP 200 with success: false', async () => {
		provider.double.fail({ path: '/v1/users', respond: { status: 200, json: { success: false, message: 'Token disabled' } } });

		const result = await testCredential(provider.credentials);

		expect(result).toStrictEqual({
			status: 'Error',
			message: 'The provider refused the token. Check that it is current and allowed to read users.',
		});
	});

	test('explains a custom base URL it cannot use, without sending anything', async () => {
		const result = await testCredential({ ...provider.credentials, baseUrl: 'http://calls.example.com' });

		expect(result.status).toBe('Error');
		expect(result.message).toContain('uses plain http://');
		expect(provider.double.requests).toHaveLength(0);
	});
});

describe('provider presets', () => {
	const credential = new SmartfloApi();

	test.each([
		['smartflo', 'https://api-smartflo.tatateleservices.com'],
		['acefoneIndia', 'https://api.acefone.in'],
		['acefoneUk', 'https://api.acefone.co.uk'],
		['servetel', 'https://api.servetel.in'],
	])('%s sends requests to %s', async (preset, host) => {
		const options = await credential.authenticate(
			{ provider: preset, baseUrl: 'http://127.0.0.1:1', token: TOKEN },
			{ url: '/v1/call/options', method: 'POST' },
		);

		expect(options.baseURL).toBe(host);
		expect(options.headers).toStrictEqual({ Authorization: `Bearer ${TOKEN}` });
	});

	test('the provider options offered in the credential are exactly the presets and Custom', () => {
		const providerField = credential.properties.find((property) => property.name === 'provider');
		expect(providerField?.options?.map((option) => ('value' in option ? option.value : undefined))).toStrictEqual([
			'smartflo',
			'acefoneIndia',
			'acefoneUk',
			'servetel',
			'custom',
		]);
	});

	test('a request with an absolute URL on another host is refused, so the token stays with the provider', async () => {
		const sending = credential.authenticate(
			{ provider: 'smartflo', baseUrl: '', token: TOKEN },
			{ url: 'https://collector.example.net/v1/live_calls' },
		);

		await expect(sending).rejects.toThrow(
			'This credential only sends its token to https://api-smartflo.tatateleservices.com, not to https://collector.example.net',
		);
		// The fix names a URL that works, and that n8n's own domain setting cannot lift the lock.
		await expect(sending.catch((error: { description: string }) => Promise.reject(new Error(error.description)))).rejects.toThrow(
			/Use a URL on https:\/\/api-smartflo\.tatateleservices\.com \(e\.g\. .*\/v1\/departments\).*Allowed HTTP Request Domains/,
		);
	});
});

// Refused credential data (plain http, paths, bad tokens, …) is in hardening/cases.ts.
describe('custom base URLs', () => {
	test('plain http is accepted on loopback, for a local test double', async () => {
		const { error } = await runSmartflo({
			parameters: callParameters('transfer'),
			credentials: { ...provider.credentials, baseUrl: provider.double.url.replace('127.0.0.1', 'localhost') },
		});

		expect(error).toBeUndefined();
		expect(provider.double.requests).toHaveLength(1);
	});
});
