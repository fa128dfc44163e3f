/**
 * Email-and-password authentication. The sign-in itself (request shape, errors, sharing)
 * is tested directly; the flows (first use, 401, 1,000 items) run through the engine with
 * a stand-in for the n8n app's expiring-token rule — e2e/ runs them in the real app.
 */
import { SmartfloApi } from '../credentials/SmartfloApi.credentials';
import { loginFieldOf } from '../credentials/smartfloApi/hosts';
import { DEFAULT_ACCOUNTS } from '../provider-double/server';
import { credentialStore, requestHelpers, runListSearch, runSmartflo, testCredential, type SmartfloCredentials } from './helpers/engine';
import { byId, callParameters, useProviderDouble } from './helpers/fixtures';
import { startForwardProxy, VIA } from './helpers/forwardProxy';
import { everythingVisible } from './helpers/secrets';

// A new double per test: a sign-in is shared per provider host for a few seconds.
const provider = useProviderDouble({ perTest: true });
const credential = new SmartfloApi();
const EMAIL = 'supervisor@example.test';
const PASSWORD = DEFAULT_ACCOUNTS[EMAIL].password;

const login = (change: Partial<SmartfloCredentials> = {}): SmartfloCredentials =>
	({ ...provider.credentials, token: '', authentication: 'login', email: EMAIL, password: PASSWORD, accessToken: '', ...change }) as SmartfloCredentials;

const logins = () => provider.double.requests.filter((request) => request.path === '/v1/auth/login');

describe('sign-in (the credential’s preAuthentication)', () => {
	test('posts email and password to /v1/auth/login and returns the access token', async () => {
		const result = await credential.preAuthentication.call(await requestHelpers(), login());

		expect(result.accessToken).toMatch(/^login-\d+-/);
		expect(logins().map((request) => request.json)).toStrictEqual([{ email: EMAIL, password: PASSWORD }]);
	});

	test('Acefone UK’s preset sends the user name as login_id, every other provider as email', () => {
		// The presets' hosts are real providers, never contacted by tests: the field choice is
		// what differs, and the body is built from it (see the request above).
		expect(['smartflo', 'acefoneIndia', 'acefoneUk', 'servetel', 'custom'].map(loginFieldOf)).toStrictEqual([
			'email',
			'email',
			'login_id',
			'email',
			'email',
		]);
	});

	test('does nothing for API-token credentials', async () => {
		expect(await credential.preAuthentication.call(await requestHelpers(), provider.credentials)).toStrictEqual({});
		expect(provider.double.requests).toHaveLength(0);
	});

	test.each([
		['a wrong password', { password: 'Tr0ub4dor&3' }, 'Sign-in as supervisor@example.test was refused: Invalid email or password'],
		['a locked account', { email: 'locked@example.test', password: 'whatever' }, 'Sign-in as locked@example.test was refused: Account locked after too many failed attempts'],
		['an empty password', { password: '' }, 'Sign-in needs both Email and Password'],
	])('%s is refused with the provider’s words and never the password', async (_name, change, message) => {
		const signingIn = credential.preAuthentication.call(await requestHelpers(), login(change));

		const error = await signingIn.catch((caught: unknown) => caught);
		expect(error).toMatchObject({ message });
		expect((error as { description: string }).description).toMatch(/portal|API Token/i);
		const password = (change as { password?: string }).password ?? PASSWORD;
		if (password) expect(everythingVisible(error)).not.toContain(password);
	});

	test('concurrent requests of one credential share one sign-in; the next expiry signs in anew', async () => {
		const helpers = await requestHelpers();
		const tokens = await Promise.all(Array.from({ length: 100 }, () => credential.preAuthentication.call(helpers, login())));

		expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
		expect(logins()).toHaveLength(1);

		// A request that read the credential before the token was stored gets the same one.
		expect(await credential.preAuthentication.call(helpers, login())).toStrictEqual(tokens[0]);
		expect(logins()).toHaveLength(1);
		// The shared sign-in does not outlive its token: once that is refused, a new one.
		const renewed = await credential.preAuthentication.call(helpers, login({ accessToken: tokens[0].accessToken as string }));
		expect(renewed.accessToken).not.toBe(tokens[0].accessToken);
		expect(logins()).toHaveLength(2);
	});

	test('different credentials never share a sign-in', async () => {
		const helpers = await requestHelpers();
		await Promise.all([
			credential.preAuthentication.call(helpers, login()),
			credential.preAuthentication.call(helpers, login({ provider: 'custom', baseUrl: provider.double.url.replace('127.0.0.1', 'localhost') })),
		]);

		expect(logins()).toHaveLength(2);
	});
});

describe('login flows through the engine (stand-in for the app’s expiring-token rule)', () => {
	test('first use signs in once, and the token is kept for the next run', async () => {
		const store = await credentialStore(login());

		for (let run = 0; run < 2; run += 1) {
			const { error } = await runSmartflo({ parameters: callParameters('transfer'), credentials: store.stored() as SmartfloCredentials, credentialsHelper: store });
			expect(error).toBeUndefined();
		}

		expect(logins()).toHaveLength(1);
		const calls = provider.double.callOptionRequests();
		expect(calls).toHaveLength(2);
		expect(calls[0].headers.authorization).toBe(`Bearer ${String(store.stored().accessToken)}`);
	});

	test('a 401 from an expired token signs in exactly once more and the request succeeds', async () => {
		const store = await credentialStore(login());
		await runSmartflo({ parameters: callParameters('barge'), credentials: store.stored() as SmartfloCredentials, credentialsHelper: store });
		provider.double.expireLogins();

		const { output, error } = await runSmartflo({ parameters: callParameters('barge'), credentials: store.stored() as SmartfloCredentials, credentialsHelper: store });

		expect(error).toBeUndefined();
		expect(output[0].json.success).toBe(true);
		expect(logins()).toHaveLength(2);
		// The first run's token; in the second run that token refused, refused again (which
		// is what makes n8n sign in), then the new one.
		const sentWith = provider.double.callOptionRequests().map((request) => request.headers.authorization);
		expect(sentWith).toHaveLength(4);
		expect(new Set(sentWith.slice(0, 3)).size).toBe(1);
		expect(sentWith[3]).not.toBe(sentWith[2]);
		expect(sentWith[3]).toBe(`Bearer ${String(store.stored().accessToken)}`);
	});

	test('behind a proxy, the request sent again after a 401 goes through the proxy too', async () => {
		const proxy = await startForwardProxy();
		try {
			const store = await credentialStore(login());
			const parameters = callParameters('barge', { requestOptions: { proxy: proxy.url } });
			expect((await runSmartflo({ parameters, credentials: store.stored() as SmartfloCredentials, credentialsHelper: store })).error).toBeUndefined();
			provider.double.expireLogins();

			const { output, error } = await runSmartflo({ parameters, credentials: store.stored() as SmartfloCredentials, credentialsHelper: store });

			expect(error).toBeUndefined();
			expect(output[0].json.success).toBe(true);
			// First run 200; second run: refused, refused again (n8n signs in), accepted.
			const calls = provider.double.callOptionRequests();
			expect(calls.map((request) => request.status)).toStrictEqual([200, 401, 401, 200]);
			expect(calls.map((request) => request.headers.via)).toStrictEqual([VIA, VIA, VIA, VIA]);
			expect(proxy.log.length).toBeGreaterThanOrEqual(4);
		} finally {
			await proxy.stop();
		}
	});

	test('a second 401 right after a fresh sign-in is the node’s error, not a loop', async () => {
		const store = await credentialStore(login());
		provider.double.fail({ path: '/v1/call/options', respond: { status: 401, json: { success: false, message: 'Token has expired' } } });

		const { error } = await runSmartflo({ parameters: callParameters('monitor'), credentials: store.stored() as SmartfloCredentials, credentialsHelper: store });

		expect(error?.httpCode).toBe('401');
		expect(error?.message).toBe('Smartflo did not monitor call 1758782566.8131 (item 0): Token has expired [HTTP 401]');
		expect(error?.description).toMatch(/With Email and Password, n8n already signed in again/);
		expect(logins()).toHaveLength(2);
		// Refused, refused again (which lets n8n sign in), refused with the fresh token: stop.
		const sentWith = provider.double.callOptionRequests().map((request) => request.headers.authorization);
		expect(sentWith).toHaveLength(3);
		expect(sentWith[2]).not.toBe(sentWith[0]);
	});
});

describe('with Email and Password the node’s own errors reach the user, as with a token', () => {
	const notFound = { status: 404, json: { success: false, message: 'Call not found' } };

	test('a 404 names the call, the item, the status and the provider’s words, with the hint', async () => {
		const store = await credentialStore(login());
		provider.double.fail({ path: '/v1/call/options', respond: notFound });

		const { error } = await runSmartflo({ parameters: callParameters('transfer'), credentials: store.stored() as SmartfloCredentials, credentialsHelper: store });

		expect(error?.message).toBe('Smartflo did not transfer call 1758782566.8131 (item 0): Call not found [HTTP 404]');
		expect(error?.description).toMatch(/call has probably ended/);
		expect(provider.double.callOptionRequests()).toHaveLength(1);
	});

	test('after an expired token: n8n signs in again, and the answer to the resent request is mapped the same way', async () => {
		const store = await credentialStore(login());
		await runSmartflo({ parameters: callParameters('barge'), credentials: store.stored() as SmartfloCredentials, credentialsHelper: store });
		const expired = `Bearer ${String(store.stored().accessToken)}`;
		provider.double.expireLogins();
		const requestsBefore = provider.double.requests.length;
		// The call has ended by the time the fresh token arrives.
		provider.double.fail({ path: '/v1/call/options', respond: notFound, when: (request) => request.headers.authorization !== expired });

		const { error } = await runSmartflo({ parameters: callParameters('barge'), credentials: store.stored() as SmartfloCredentials, credentialsHelper: store });

		expect(logins()).toHaveLength(2);
		expect(provider.double.requests.slice(requestsBefore).map((request) => [request.path, request.status])).toStrictEqual([
			['/v1/call/options', 401],
			['/v1/call/options', 401],
			['/v1/auth/login', 200],
			['/v1/call/options', 404],
		]);
		expect(error?.message).toBe('Smartflo did not barge call 1758782566.8131 (item 0): Call not found [HTTP 404]');
		expect(error?.description).toMatch(/call has probably ended/);
	});

	test('Continue On Fail: the item’s error item carries the node’s message', async () => {
		const store = await credentialStore(login());
		provider.double.fail({ path: '/v1/call/options', respond: notFound });

		const { output, error } = await runSmartflo({
			parameters: callParameters('transfer'),
			credentials: store.stored() as SmartfloCredentials,
			credentialsHelper: store,
			onError: 'continueRegularOutput',
		});

		expect(error).toBeUndefined();
		expect(output.map((item) => item.json)).toStrictEqual([
			{ error: 'Smartflo did not transfer call 1758782566.8131 (item 0): Call not found [HTTP 404]' },
		]);
	});

	test('list searches too: a refused read says what did not happen, after renewing an expired token', async () => {
		const store = await credentialStore(login());
		await runListSearch('searchLiveCalls', store.stored() as SmartfloCredentials, undefined, undefined, store);
		const expired = `Bearer ${String(store.stored().accessToken)}`;
		provider.double.expireLogins();
		provider.double.fail({
			path: '/v1/live_calls',
			respond: { status: 403, json: { success: false, message: 'Not allowed for this user' } },
			when: (request) => request.headers.authorization !== expired,
		});

		const searching = runListSearch('searchLiveCalls', store.stored() as SmartfloCredentials, undefined, undefined, store);

		await expect(searching).rejects.toMatchObject({
			message: 'Smartflo did not list live calls: Not allowed for this user [HTTP 403]',
			httpCode: '403',
		});
		expect(logins()).toHaveLength(2);
		// Refused with the old token twice, then (fresh token) the read n8n repeats, asked once more whole.
		expect(provider.double.liveCallRequests().slice(1).map((request) => request.status)).toStrictEqual([401, 401, 403, 403]);
	});

	test('1,000 items share one sign-in', async () => {
		const store = await credentialStore(login());
		provider.double.acceptAnyCall(true);
		try {
			const { output } = await runSmartflo({
				parameters: callParameters('barge', { callId: byId('={{ $json.call_id }}'), options: { requestsPerSecond: 0 } }),
				items: Array.from({ length: 1000 }, (_, index) => ({ json: { call_id: `1758800000.${index + 1}` } })),
				credentials: store.stored() as SmartfloCredentials,
				credentialsHelper: store,
			});

			expect(output.filter((item) => item.json.success === true)).toHaveLength(1000);
			// Every request that read the credential before the token was stored asked n8n for a
			// sign-in; they all shared the one sign-in at the provider.
			expect(store.preAuthentications).toBeGreaterThanOrEqual(1);
			expect(logins()).toHaveLength(1);
		} finally {
			provider.double.acceptAnyCall(false);
		}
	}, 60_000);

	test('the credential test signs in, then reads one user', async () => {
		const result = await testCredential(login());

		expect(result).toStrictEqual({ status: 'OK', message: 'Connection successful!' });
		expect(provider.double.requests.map((request) => request.path)).toStrictEqual(['/v1/auth/login', '/v1/users']);
	});

	test('the credential test reports a wrong password in the provider’s words', async () => {
		const result = await testCredential(login({ password: 'nope' }));

		expect(result).toStrictEqual({ status: 'Error', message: 'Sign-in as supervisor@example.test was refused: Invalid email or password' });
	});
});

describe('what a credential costs a run', () => {
	test('the node reads no credential of its own: only n8n’s two reads per run, token or login', async () => {
		const tokenStore = await credentialStore(provider.credentials);
		for (let run = 0; run < 3; run += 1) {
			await runSmartflo({ parameters: callParameters('monitor'), credentials: provider.credentials, credentialsHelper: tokenStore, credentialId: 'token-reads' });
		}
		const loginStore = await credentialStore(login());
		for (let run = 0; run < 3; run += 1) {
			await runSmartflo({ parameters: callParameters('monitor'), credentials: login(), credentialsHelper: loginStore, credentialId: 'login-reads' });
		}

		// n8n itself reads the credential twice per run (routing and its request helper).
		expect(tokenStore.decryptions).toBe(3 * 2);
		expect(loginStore.decryptions).toBe(3 * 2);
		expect(provider.double.callOptionRequests().filter((request) => request.status === 200)).toHaveLength(6);
	});
});
