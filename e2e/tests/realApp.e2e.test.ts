/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * The package inside a real n8n app (e2e/apps, picked by SMARTFLO_N8N), installed from its `npm pack` tarball
 * the way n8n installs community packages, run with `n8n execute` and `n8n start`
 * against the provider double. Assertions look at what the double received.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { startProviderDouble } from '../../provider-double/server';
import { N8nApp, freePort, packPackage, stopProcess } from '../helpers/n8nApp';
import { byId, callsWorkflow, chainWorkflow, credential, example, httpRequestWorkflow, smartfloNode } from '../helpers/workflows';

type Double = Awaited<ReturnType<typeof startProviderDouble>>;

const TOKEN = 'sandbox-token';
const PRESET_TOKENS = {
	smartflo: 'e2e-token-smartflo',
	acefoneIndia: 'e2e-token-acefone-in',
	acefoneUk: 'e2e-token-acefone-uk',
	servetel: 'e2e-token-servetel',
};
const everyToken = [TOKEN, ...Object.values(PRESET_TOKENS)];
const FAILING_CALL = '1758782601.350603';
const THREE_CALLS = ['1758782566.8131', '1758782590.8130', FAILING_CALL]; // the double's seeded live calls
/** The supervisor example 2 barges in: not an agent on any seeded call (Priya Nair). */
const SUPERVISOR = '0502842370101';

let double: Double;
let app: N8nApp;

function expectNoToken(text: string) {
	for (const token of everyToken) expect(text).not.toContain(token);
}

beforeAll(async () => {
	double = await startProviderDouble({
		tokens: Object.fromEntries(Object.values(PRESET_TOKENS).map((token) => [token, ['calls', 'users']])),
	});
	app = new N8nApp(await freePort());
	app.installPackage(packPackage());
	await app.importCredentials([
		// An Indian account, as npm start's sandbox credential is: +91 98765 43210 is 9876543210.
		credential('smartfloSandbox', 'Smartflo (sandbox)', double.url, `Bearer ${TOKEN}`, { numbering: 'india' }),
		...Object.entries(PRESET_TOKENS).map(([preset, token]) => credential(`cred-${preset}`, `${preset} via double`, double.url, token)),
	]);
	await app.importWorkflows([
		...(['monitor', 'whisper', 'barge'] as const).map((operation) =>
			chainWorkflow(`wf-${operation}`, [
				smartfloNode(operation, { operation, callId: byId('1758782590.8130'), agentId: byId('0502842370098') }),
			]),
		),
		chainWorkflow('wf-transfer', [smartfloNode('transfer', { operation: 'transfer', callId: byId('1758782566.8131'), transferTo: '80124' })]),
		chainWorkflow(
			'wf-webhook-payload',
			[
				smartfloNode(
					'Transfer from payload',
					{ operation: 'transfer', callId: byId('={{ $json.body.call_id }}'), transferTo: '={{ $json.body.owner_phone }}' },
					undefined,
					360,
				),
			],
			{ body: { call_id: '1758782590.8130', owner_phone: 9196009832 } },
		),
		callsWorkflow(
			'wf-three-transfers',
			THREE_CALLS,
			smartfloNode('Transfer each', { operation: 'transfer', callId: byId('={{ $json.calls }}'), transferTo: '80124' }),
		),
		chainWorkflow('wf-provider-error', [
			smartfloNode('Failing transfer', { operation: 'transfer', callId: byId(FAILING_CALL), transferTo: '9196009832' }),
		]),
		chainWorkflow(
			'wf-presets',
			Object.keys(PRESET_TOKENS).map((preset, index) =>
				smartfloNode(
					`Monitor via ${preset}`,
					{ operation: 'monitor', callId: byId('1758782566.8131'), agentId: byId('0502842370097') },
					{ id: `cred-${preset}`, name: `${preset} via double` },
					240 * (index + 1),
				),
			),
		),
		httpRequestWorkflow('wf-http-request', `${double.url}/v1/departments`),
		example('crm-webhook-transfer.json', double.url),
		example('barge-long-calls.json', double.url),
		example('ai-agent-transfer-tool.json', double.url),
	]);
}, 300_000);

beforeEach(() => double.reset());

test(`runs in the n8n app it names (${process.env.SMARTFLO_N8N || 'default'}) on that app's Node.js`, async () => {
	const { stdout } = await app.run(['--version']);
	const manifest = JSON.parse(readFileSync(path.join(app.runtime.dir, 'package.json'), 'utf8'));
	const nodeVersion = execFileSync('node', ['--version'], { env: { ...process.env, ...app.runtime.env }, encoding: 'utf8' });

	expect(stdout.trim().split('\n').pop()).toBe(manifest.dependencies.n8n);
	expect(nodeVersion.startsWith(`v${manifest.smartflo.node}.`)).toBe(true);
});

afterAll(async () => {
	await double?.stop();
	app?.remove();
});

describe.each([
	['monitor', 1],
	['whisper', 2],
	['barge', 3],
] as const)('%s in the real app', (operation, type) => {
	test('sends the documented body with the credential’s token and outputs the answer', async () => {
		const result = await app.execute(`wf-${operation}`);

		expect(result.code).toBe(0);
		expect(double.callOptionRequests().map((request) => [request.headers.authorization, request.json])).toStrictEqual([
			[`Bearer ${TOKEN}`, { type, call_id: '1758782590.8130', agent_id: '0502842370098' }],
		]);
		expect(N8nApp.itemsOf(result, operation).map((item) => item.json)).toStrictEqual([
			{ success: true, message: `Call ${operation} request accepted`, operation, callId: '1758782590.8130', agentId: '0502842370098' },
		]);
		expectNoToken(result.stdout + result.stderr);
	});
});

test('transfer in the real app', async () => {
	const result = await app.execute('wf-transfer');

	expect(result.code).toBe(0);
	expect(double.callOptionRequests().map((request) => request.json)).toStrictEqual([
		{ type: 4, call_id: '1758782566.8131', intercom: '80124' },
	]);
	expect(N8nApp.itemsOf(result, 'transfer')[0].json).toMatchObject({ success: true, transferTo: '80124' });
});

test('three transfers in one run with default options: every call once, each item its answer', async () => {
	const result = await app.execute('wf-three-transfers');

	expect(result.code).toBe(0);
	// n8n sends the items at once, so they may reach the provider in any order.
	const byCallId = (a: { call_id?: unknown }, b: { call_id?: unknown }) => String(a.call_id).localeCompare(String(b.call_id));
	expect(double.callOptionRequests().map((request) => request.json).sort(byCallId)).toStrictEqual(
		THREE_CALLS.map((callId) => ({ type: 4, call_id: callId, intercom: '80124' })).sort(byCallId),
	);
	expect(N8nApp.itemsOf(result, 'Transfer each').map((item) => [item.json.success, item.json.callId, item.pairedItem])).toStrictEqual(
		THREE_CALLS.map((callId, index) => [true, callId, { item: index }]),
	);
});

test('a transfer fed by a webhook-shaped payload through expressions', async () => {
	const result = await app.execute('wf-webhook-payload');

	expect(result.code).toBe(0);
	expect(double.callOptionRequests().map((request) => request.json)).toStrictEqual([
		{ type: 4, call_id: '1758782590.8130', intercom: '9196009832' },
	]);
	expect(N8nApp.itemsOf(result, 'Transfer from payload')[0]).toMatchObject({
		json: { success: true, callId: '1758782590.8130', transferTo: '9196009832' },
		pairedItem: { item: 0 },
	});
});

test('a provider error fails the execution with the status and message, and no token anywhere', async () => {
	double.fail({ path: '/v1/call/options', callIds: [FAILING_CALL], respond: { status: 401, json: { success: false, message: 'Token expired' } } });

	const result = await app.execute('wf-provider-error');

	expect(result.code).not.toBe(0);
	expect(double.callOptionRequests()).toHaveLength(1);
	const error = result.json?.data.resultData.error;
	expect(error?.message).toBe(`Smartflo did not transfer call ${FAILING_CALL} (item 0): Token expired [HTTP 401]`);
	expect(error?.description).toMatch(/tokens expire .* or can be revoked: if this token used to work, generate a new one/);
	expect(error?.httpCode).toBe('401');
	expectNoToken(result.stdout + result.stderr);
	expectNoToken(readFileSync(path.join(app.userFolder, '.n8n', 'database.sqlite')).toString('latin1'));
});

test('one credential per provider, each pointing at the double, each sends its own token', async () => {
	const result = await app.execute('wf-presets');

	expect(result.code).toBe(0);
	expect(double.callOptionRequests().map((request) => request.headers.authorization)).toStrictEqual(
		Object.values(PRESET_TOKENS).map((token) => `Bearer ${token}`),
	);
	expectNoToken(result.stdout + result.stderr);
});

test('the node and its AI-tool variant are registered', async () => {
	const file = path.join(app.userFolder, 'nodes.json');
	const exported = await app.run(['export:nodes', `--output=${file}`]);
	expect(exported.code).toBe(0);
	const types = JSON.parse(readFileSync(file, 'utf8')) as Array<{ name: string }>;
	const names = types.map((type) => type.name);

	expect(names).toContain('n8n-nodes-smartflo.smartflo');
	expect(names).toContain('n8n-nodes-smartflo.smartfloTool');
	expect(names).toContain('n8n-nodes-smartflo.smartfloTrigger');
});

test('the credential in n8n’s HTTP Request node, for an endpoint the node does not cover', async () => {
	const result = await app.execute('wf-http-request');

	expect({ code: result.code, stderr: result.stderr.slice(-2000) }).toMatchObject({ code: 0 });
	expect(double.requests.map((request) => [request.method, request.path, request.headers.authorization])).toStrictEqual([
		['GET', '/v1/departments', `Bearer ${TOKEN}`],
	]);
	expect(N8nApp.itemsOf(result, 'List Departments').map((item) => item.json.name)).toStrictEqual(['Sales', 'Support']);
	expectNoToken(result.stdout + result.stderr);
});

/** Waits until `check` holds, polling the double; fails with what it saw after `ms`. */
async function waitFor(what: string, check: () => boolean, ms: number): Promise<void> {
	const deadline = Date.now() + ms;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`Timed out after ${ms / 1000} s waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

test('example: Smartflo Trigger (running > 10 min, polling every minute) → Barge, once per long call, also across a restart', async () => {
	const bargedCalls = () => double.callOptionRequests().map((request) => request.json.call_id as string);
	const polls = () => double.liveCallRequests().length;
	await app.activate('smartfloExample2');
	const port = await freePort();
	let server = await app.start(port);
	try {
		// Activation polls at once: the seeded call at 00:14:05 is already long and is remembered, not barged.
		await waitFor('the activation poll', () => polls() >= 1, 60_000);
		const longNow = double.startCall({ call_time: '00:10:30', agent_name: 'Meera Iyer' });
		const longSoon = double.startCall({ call_time: '00:09:00', agent_name: 'Rohan Das' });
		// Counted after the calls exist: activation can fall just before a minute's poll, and a
		// poll that ran before startCall cannot have seen them.
		const pollsBeforeCalls = polls();

		await waitFor('the first poll that sees the calls', () => polls() > pollsBeforeCalls, 75_000);
		await waitFor('the barge', () => bargedCalls().length >= 1, 20_000);
		// The second call passes 10 minutes before the next poll; the first must not fire again then.
		double.advance(90);
		const pollsBeforeAdvance = polls();
		await waitFor('the next poll after 90 s more', () => polls() > pollsBeforeAdvance, 75_000);
		await waitFor('the second barge', () => bargedCalls().length >= 2, 20_000);
		await new Promise((resolve) => setTimeout(resolve, 2_000));

		expect(bargedCalls()).toStrictEqual([longNow.call_id, longSoon.call_id]);
		expect(double.callOptionRequests().map((request) => [request.headers.authorization, request.json])).toStrictEqual([
			[`Bearer ${TOKEN}`, { type: 3, call_id: longNow.call_id, agent_id: SUPERVISOR }],
			[`Bearer ${TOKEN}`, { type: 3, call_id: longSoon.call_id, agent_id: SUPERVISOR }],
		]);

		// n8n restarts with the static data it saved: its first poll barges nobody again.
		await stopProcess(server);
		const pollsBefore = polls();
		server = await app.start(port);
		await waitFor('the poll at restart', () => polls() > pollsBefore, 60_000);
		await new Promise((resolve) => setTimeout(resolve, 3_000));

		expect(bargedCalls()).toStrictEqual([longNow.call_id, longSoon.call_id]);
	} finally {
		await stopProcess(server);
		await app.deactivate('smartfloExample2');
	}
	expectNoToken(server.output());
}, 330_000);

test('example: a CRM webhook with the customer’s number transfers their live call, through the running n8n server', async () => {
	await app.activate('smartfloExample1');
	const port = await freePort();
	const server = await app.start(port, { webhooks: ['smartflo-crm-transfer'] });
	try {
		// The CRM knows the customer's number as it stores it, not the platform's call id.
		const response = await fetch(`http://127.0.0.1:${port}/webhook/smartflo-crm-transfer`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ customer_phone: '+91 98765 00001', owner_phone: '9196009832' }),
		});
		const answer = await response.json();

		expect(response.status).toBe(200);
		expect(answer).toMatchObject({
			success: true,
			operation: 'transfer',
			callId: '1758782566.8131',
			transferTo: '9196009832',
			foundByCustomerNumber: '+91 98765 00001',
		});
		expect(double.liveCallRequests()).toHaveLength(1);
		expect(double.callOptionRequests().map((request) => request.json)).toStrictEqual([
			{ type: 4, call_id: '1758782566.8131', intercom: '9196009832' },
		]);

		// A number with no live call: the webhook answers n8n's error, nothing is transferred.
		const none = await fetch(`http://127.0.0.1:${port}/webhook/smartflo-crm-transfer`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ customer_phone: '09123456789', owner_phone: '9196009832' }),
		});
		expect(none.status).toBe(500);
		expect(double.callOptionRequests()).toHaveLength(1);
	} finally {
		await stopProcess(server);
	}
	expectNoToken(server.output());
}, 300_000);
