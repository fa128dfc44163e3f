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
import { byId, callsWorkflow, chainWorkflow, credential, example, smartfloNode } from '../helpers/workflows';

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
		credential('smartfloSandbox', 'Smartflo (sandbox)', double.url, `Bearer ${TOKEN}`),
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
	expect(double.callOptionRequests().map((request) => request.json)).toStrictEqual(
		THREE_CALLS.map((callId) => ({ type: 4, call_id: callId, intercom: '80124' })),
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
	expect(error?.description).toMatch(/expired or been revoked/);
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
});

test('example: schedule → HTTP Request with the Smartflo credential → barge into calls over 10 minutes', async () => {
	const result = await app.execute('smartfloExample2');

	expect(result.code).toBe(0);
	const [listing, ...rest] = double.requests;
	expect([listing.method, listing.path, listing.headers.authorization]).toStrictEqual(['GET', '/v1/live_calls', `Bearer ${TOKEN}`]);
	// Only the seeded call at 00:14:05 has run longer than 10 minutes.
	expect(rest.map((request) => request.json)).toStrictEqual([
		{ type: 3, call_id: '1758782590.8130', agent_id: '0502842370098' },
	]);
	expect(N8nApp.itemsOf(result, 'Barge In Supervisor').map((item) => item.json.callId)).toStrictEqual(['1758782590.8130']);
});

test('example: a CRM webhook transfers the live call, through the running n8n server', async () => {
	await app.activate('smartfloExample1');
	const port = await freePort();
	const server = await app.start(port, { webhooks: ['smartflo-crm-transfer'] });
	try {
		const response = await fetch(`http://127.0.0.1:${port}/webhook/smartflo-crm-transfer`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ call_id: '1758782566.8131', owner_phone: '9196009832' }),
		});
		const answer = await response.json();

		expect(response.status).toBe(200);
		expect(answer).toMatchObject({ success: true, operation: 'transfer', callId: '1758782566.8131', transferTo: '9196009832' });
		expect(double.callOptionRequests().map((request) => request.json)).toStrictEqual([
			{ type: 4, call_id: '1758782566.8131', intercom: '9196009832' },
		]);
	} finally {
		await stopProcess(server);
	}
	expectNoToken(server.output());
}, 300_000);
