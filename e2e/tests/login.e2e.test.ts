/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * Email-and-password credentials in the real n8n app, where n8n itself runs the
 * credential's preAuthentication and the retry after a 401. The double counts logins.
 */
import { DEFAULT_ACCOUNTS, startProviderDouble } from '../../provider-double/server';
import { N8nApp, freePort, packPackage, stopProcess } from '../helpers/n8nApp';
import { byId, callsWorkflow, chainWorkflow, smartfloNode } from '../helpers/workflows';

type Double = Awaited<ReturnType<typeof startProviderDouble>>;

const EMAIL = 'supervisor@example.test';
const PASSWORD = DEFAULT_ACCOUNTS[EMAIL].password;

let double: Double;
let app: N8nApp;

function loginCredential(id: string, password = PASSWORD) {
	return {
		id,
		name: id,
		type: 'smartfloApi',
		data: { authentication: 'login', provider: 'custom', baseUrl: double.url, email: EMAIL, password },
	};
}

function bargeWorkflow(id: string, credentialId: string, items?: number) {
	const node = smartfloNode(
		'Barge',
		{
			operation: 'barge',
			callId: byId(items ? '={{ $json.calls }}' : '1758782590.8130'),
			agentId: byId('0502842370098'),
			options: { requestsPerSecond: 0 },
		},
		{ id: credentialId, name: credentialId },
	);
	if (!items) return chainWorkflow(id, [node]);
	return callsWorkflow(
		id,
		Array.from({ length: items }, (_, index) => `1758800000.${index + 1}`),
		node,
	);
}

const loginsSoFar = () => double.logins();
const calls = () => double.callOptionRequests();

beforeAll(async () => {
	double = await startProviderDouble();
	app = new N8nApp(await freePort());
	app.installPackage(packPackage());
	await app.importCredentials([
		loginCredential('loginSingle'),
		loginCredential('loginBulk'),
		loginCredential('loginWrong', 'not-it'),
	]);
	await app.importWorkflows([
		bargeWorkflow('wf-login-single', 'loginSingle'),
		bargeWorkflow('wf-login-bulk', 'loginBulk', 1000),
		bargeWorkflow('wf-login-wrong', 'loginWrong'),
	]);
}, 300_000);

beforeEach(() => double.reset());

afterAll(async () => {
	await double?.stop();
	app?.remove();
});

function expectNoSecrets(text: string) {
	expect(text).not.toContain(PASSWORD);
	expect(text).not.toMatch(/login-\d+-[a-z0-9]+/);
}

describe('in order, on one credential', () => {
	test('first use signs in once and the call goes through', async () => {
		const before = loginsSoFar();
		const result = await app.execute('wf-login-single');

		expect(result.code).toBe(0);
		expect(loginsSoFar() - before).toBe(1);
		expect(calls()).toHaveLength(1);
		expect(N8nApp.itemsOf(result, 'Barge')[0].json).toMatchObject({ success: true, operation: 'barge' });
		expectNoSecrets(result.stdout + result.stderr);
	});

	test('the next run reuses the stored login token: no sign-in', async () => {
		const before = loginsSoFar();
		const result = await app.execute('wf-login-single');

		expect(result.code).toBe(0);
		expect(loginsSoFar() - before).toBe(0);
		expect(calls()).toHaveLength(1);
	});

	test('after the token expires, the 401 causes exactly one new sign-in and the call succeeds', async () => {
		double.expireLogins();
		const before = loginsSoFar();
		const result = await app.execute('wf-login-single');

		expect(result.code).toBe(0);
		expect(loginsSoFar() - before).toBe(1);
		// Refused; sent again the way that makes n8n sign in, refused again; then the new token.
		const [refused, refusedAgain, retried] = calls();
		expect(calls().map((request) => request.status)).toStrictEqual([401, 401, 200]);
		expect(refusedAgain.headers.authorization).toBe(refused.headers.authorization);
		expect(retried.headers.authorization).not.toBe(refused.headers.authorization);
		expect(N8nApp.itemsOf(result, 'Barge')[0].json.success).toBe(true);
		expectNoSecrets(result.stdout + result.stderr);
	});

	test('a 401 again right after a fresh sign-in is reported, not looped', async () => {
		double.fail({ path: '/v1/call/options', respond: { status: 401, json: { success: false, message: 'Token has expired' } } });
		const before = loginsSoFar();
		const result = await app.execute('wf-login-single');

		expect(result.code).not.toBe(0);
		expect(loginsSoFar() - before).toBe(1);
		expect(calls()).toHaveLength(3);
		expect(result.json?.data.resultData.error?.httpCode).toBe('401');
		expect(result.json?.data.resultData.error?.message).toMatch(/^Smartflo did not barge call \d+\.\d+ \(item 0\): Token has expired \[HTTP 401\]$/);
		expectNoSecrets(result.stdout + result.stderr);
	});

	test('a provider error reads as the node’s own: call, item, status, the provider’s words, a hint', async () => {
		double.fail({ path: '/v1/call/options', respond: { status: 404, json: { success: false, message: 'Call not found' } } });
		const result = await app.execute('wf-login-single');

		expect(result.code).not.toBe(0);
		expect(calls()).toHaveLength(1);
		const error = result.json?.data.resultData.error;
		expect(error?.message).toMatch(/^Smartflo did not barge call \d+\.\d+ \(item 0\): Call not found \[HTTP 404\]$/);
		expect(error?.description).toMatch(/call has probably ended/);
		expectNoSecrets(result.stdout + result.stderr);
	});
});

test('1,000 items at once on a credential that has not signed in yet share one sign-in', async () => {
	double.acceptAnyCall(true);
	const before = loginsSoFar();
	const result = await app.execute('wf-login-bulk');
	const signIns = loginsSoFar() - before;
	
	expect(result.code).toBe(0);
	expect(calls()).toHaveLength(1000);
	expect(N8nApp.itemsOf(result, 'Barge').filter((item) => item.json.success === true)).toHaveLength(1000);
	// Without the first request going alone this was about 170: each request reads the
	// credential afresh, and reads made before the first token was stored found none.
	expect(signIns).toBe(1);
}, 300_000);

test('a wrong password fails with the provider’s words, never the password', async () => {
	const result = await app.execute('wf-login-wrong');

	expect(result.code).not.toBe(0);
	expect(calls()).toHaveLength(0);
	expect(result.json?.data.resultData.error?.message).toBe(`Sign-in as ${EMAIL} was refused: Invalid email or password`);
	expect(result.stdout + result.stderr).not.toContain('not-it');
});

test('the credential test in the editor works for both modes (n8n’s REST API)', async () => {
	const port = await freePort();
	const server = await app.start(port);
	try {
		const base = `http://127.0.0.1:${port}/rest`;
		const owner = await fetch(`${base}/owner/setup`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ email: 'owner@example.test', firstName: 'E2E', lastName: 'Owner', password: 'E2e-owner-Passw0rd' }),
		});
		expect(owner.status).toBe(200);
		const headers = { 'Content-Type': 'application/json', cookie: owner.headers.get('set-cookie')?.split(';')[0] ?? '' };
		const testCredential = async (data: Record<string, unknown>) => {
			const created = await fetch(`${base}/credentials`, {
				method: 'POST',
				headers,
				body: JSON.stringify({ name: `test ${Math.random()}`, type: 'smartfloApi', data }),
			});
			const { data: stored } = (await created.json()) as { data: { id: string; name: string } };
			const tested = await fetch(`${base}/credentials/test`, {
				method: 'POST',
				headers,
				body: JSON.stringify({ credentials: { id: stored.id, name: stored.name, type: 'smartfloApi', data } }),
			});
			return ((await tested.json()) as { data: unknown }).data;
		};
		const loginData = { authentication: 'login', provider: 'custom', baseUrl: double.url, email: EMAIL };

		// toEqual: fetch's JSON comes from another realm than jest's Object.
		expect(await testCredential({ ...loginData, password: PASSWORD })).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(await testCredential({ ...loginData, password: 'not-it' })).toEqual({
			status: 'Error',
			message: `Sign-in as ${EMAIL} was refused: Invalid email or password`,
		});
		expect(await testCredential({ provider: 'custom', baseUrl: double.url, token: 'sandbox-token' })).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(double.requests.map((request) => request.path)).toStrictEqual(['/v1/auth/login', '/v1/users', '/v1/auth/login', '/v1/users']);
	} finally {
		await stopProcess(server);
	}
	expect(server.output()).not.toContain(PASSWORD);
}, 300_000);
