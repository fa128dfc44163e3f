/* eslint-disable @n8n/community-nodes/no-restricted-globals -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * Example 5 in a real n8n app (SMARTFLO_N8N picks which), installed from the package's
 * tarball, as `n8n start` runs it (polling every 10 s, not every minute: see
 * POLL_EVERY_10_SECONDS): each missed inbound call in the
 * call records is called back once with n8n's own HTTP Request node and the Smartflo
 * credential (`POST /v1/click_to_call`), which rings the agent, then the customer.
 * Assertions look at what the provider double received and the live calls it then shows.
 */
import { freePort, N8nApp, packPackage, stopProcess } from '../helpers/n8nApp';
import { POLL_EVERY_10_SECONDS, waitUntil } from '../helpers/callRecords';
import { example } from '../helpers/workflows';
import { startProviderDouble } from '../../provider-double/server';

type Double = Awaited<ReturnType<typeof startProviderDouble>>;

const TOKEN = 'sandbox-token';
const AGENT = '0502842370097';

let double: Double;
let app: N8nApp;

beforeAll(async () => {
	double = await startProviderDouble();
	app = new N8nApp(await freePort());
	app.installPackage(packPackage());
	await app.importCredentials([{ id: 'smartfloSandbox', name: 'Smartflo (sandbox)', type: 'smartfloApi', data: { provider: 'custom', baseUrl: double.url, token: TOKEN } }]);
	const workflow = example('missed-call-click-to-call.json', double.url) as { nodes: Array<{ type: string; parameters: Record<string, unknown> }> };
	for (const node of workflow.nodes) if (node.type === 'n8n-nodes-smartflo.smartfloTrigger') node.parameters.pollTimes = POLL_EVERY_10_SECONDS;
	await app.importWorkflows([workflow]);
	await app.activate('smartfloExample5');
}, 300_000);

afterAll(async () => {
	await double?.stop();
	app?.remove();
});

const polls = () => double.callRecordRequests().filter((request) => request.query.page === '1');
const callBacks = () => double.clickToCallRequests();

test('example 5: each missed inbound call is called back once (agent first, then the customer), with the credential’s token, through HTTP Request', async () => {
	const port = await freePort();
	const server = await app.start(port);
	try {
		// Activation remembers the records already there (a seeded missed call): nobody is called.
		await waitUntil('the activation poll', () => polls().length >= 1, 90_000);
		expect(polls()[0].query).toMatchObject({ call_type: 'm', direction: 'inbound' });

		const missed = double.addCallRecord({ startedAgoSeconds: 40, answered: false, client_number: '9876543001' });
		double.addCallRecord({ startedAgoSeconds: 35, client_number: '9876543002' });
		double.addCallRecord({ startedAgoSeconds: 30, answered: false, direction: 'outbound', client_number: '9876543003' });
		const pollsBefore = polls().length;
		await waitUntil('the next poll', () => polls().length > pollsBefore, 75_000);
		await waitUntil('the call-back', () => callBacks().length >= 1, 30_000);
		const pollsAfter = polls().length;
		await waitUntil('one more poll', () => polls().length > pollsAfter, 75_000);
		await new Promise((resolve) => setTimeout(resolve, 2_000));

		expect(callBacks().map((request) => [request.method, request.headers.authorization, request.status, request.json])).toStrictEqual([
			['POST', `Bearer ${TOKEN}`, 200, { agent_number: AGENT, destination_number: '9876543001', caller_id: '8049990000', async: 1 }],
		]);
		expect(missed.client_number).toBe('9876543001');
		// The provider rings the agent first; once the agent answers, the customer.
		const callBack = () => double.liveCallsNow().find((call: { customer_number?: string }) => call.customer_number === '9876543001');
		expect(callBack()).toMatchObject({ direction: 'outbound', destination: expect.stringMatching(/^(0502842370097|9876543001)$/) });
		double.advance(double.clickToCallTiming.agentRingsSeconds + double.clickToCallTiming.customerRingsSeconds);
		expect(callBack()).toMatchObject({ state: 'answered', destination: '9876543001', agent_name: 'Asha Rao' });
	} finally {
		await stopProcess(server);
		await app.deactivate('smartfloExample5');
	}
	expect(server.output()).not.toContain(TOKEN);
}, 400_000);
