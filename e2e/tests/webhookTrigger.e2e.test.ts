/* eslint-disable @n8n/community-nodes/no-restricted-globals -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * Smartflo Webhook Trigger in a real n8n app (SMARTFLO_N8N picks which), installed from the
 * package's tarball: example 6 active on `n8n start`, the provider double's portal
 * delivering its webhooks to the production URL (call_received as JSON, hangup_missed
 * form-encoded, with the node's own body templates), a CRM double answering the lookups.
 * One app start for the whole file. Assertions look at what the doubles received and at
 * n8n's executions (its REST API, logged in as the owner).
 */
import { startCrmDouble } from '../../provider-double/crmDouble';
import { startProviderDouble } from '../../provider-double/server';
import { waitUntil } from '../helpers/callRecords';
import { N8nApp, freePort, packPackage, stopProcess } from '../helpers/n8nApp';
import { EXAMPLE_6, EXAMPLE_6_PATH, N8nRest, PORTAL_SECRET, callerOwnerExample, portalUrl, templateOf, type Execution } from '../helpers/portalWebhooks';
import { credential } from '../helpers/workflows';

type Double = Awaited<ReturnType<typeof startProviderDouble>>;
type Crm = Awaited<ReturnType<typeof startCrmDouble>>;
type Running = Awaited<ReturnType<N8nApp['start']>>;

const TOKEN = 'sandbox-token';
/** The CRM double's owner of 9876510001–9876510099 (Asha Rao): her follow-me number. */
const OWNER_NUMBER = '9196010000';

let double: Double;
let crm: Crm;
let app: N8nApp;
let server: Running | undefined;
let rest: N8nRest;
let port: number;
/** The call_received registration in the double (swapped for a repeating one in one test). */
let callReceived: string;
const report = (line: string) => process.stdout.write(`[webhook trigger] ${line}\n`);
const fileStarted = Date.now();

beforeAll(async () => {
	double = await startProviderDouble();
	crm = await startCrmDouble({ idleTimeoutMs: 0 });
	app = new N8nApp(await freePort());
	app.installPackage(packPackage());
	await app.importCredentials([credential('smartfloSandbox', 'Smartflo (sandbox)', double.url, TOKEN, { numbering: 'india' })]);
	await app.importWorkflows([callerOwnerExample(double.url, crm.url)]);
	await app.activate(EXAMPLE_6.id);
	port = await freePort();
	server = await app.start(port, { webhooks: [EXAMPLE_6_PATH] });
	rest = await N8nRest.owner(port);
	callReceived = double.portalWebhooks.add({ url: portalUrl(port, 'call_received'), trigger: 'call_received', template: templateOf('call_received') });
	double.portalWebhooks.add({ url: portalUrl(port, 'hangup_missed'), trigger: 'hangup_missed', contentType: 'form', template: templateOf('hangup_missed') });
	report(`${app.runtime.name} (n8n ${app.runtime.version}) up with example 6 active in ${Math.round((Date.now() - fileStarted) / 1000)} s`);
}, 300_000);

afterAll(async () => {
	await stopProcess(server);
	if (server) expect(server.output()).not.toContain(TOKEN);
	await double?.stop();
	await crm?.stop();
	app?.remove();
	report(`the file took ${Math.round((Date.now() - fileStarted) / 1000)} s`);
}, 60_000);

const transfersOf = (callId: string) => double.callOptionRequests().filter((request) => request.json?.call_id === callId);
const lookupsOf = (phone: string) => crm.requests().filter((request) => request.method === 'GET' && request.path === '/contacts' && request.query.phone === phone);
const missedPostsOf = (phone: string) => crm.requests().filter((request) => request.method === 'POST' && request.path === '/missed-calls' && request.body?.phone === phone);
const deliveriesOf = (callId: string) => double.portalWebhooks.deliveries().filter((delivery) => delivery.callId === callId);
const settle = (ms = 1_500) => new Promise((resolve) => setTimeout(resolve, ms));

/** The executions n8n lists for example 6 once `count` are there and none is still running. */
async function executionsWhen(count: (executions: Execution[]) => boolean, ms = 20_000): Promise<Execution[]> {
	const deadline = Date.now() + ms;
	for (;;) {
		const executions = await rest.executions(EXAMPLE_6.id);
		if (count(executions) && executions.every((execution) => !['running', 'new', 'waiting'].includes(execution.status))) return executions;
		if (Date.now() > deadline) throw new Error(`n8n's executions of example 6 after ${ms / 1000} s: ${JSON.stringify(executions)}`);
		await settle(250);
	}
}

/** A portal body for a call the doubles have not seen (as the node's call_received template fills it). */
function portalBody(callId: string, customer: string) {
	return {
		call_id: callId,
		uuid: `uuid-${callId}`,
		direction: 'inbound',
		call_to_number: '8049990000',
		caller_id_number: customer,
		customer_number: customer,
		start_stamp: '2026-07-11 20:39:28',
		billing_circle: '',
	};
}

test('a call received from a customer the CRM knows: one lookup, one transfer to the owner’s number', async () => {
	const before = (await rest.executions(EXAMPLE_6.id)).length;
	const call = double.startCall({ state: 'ringing', agent_name: '' });
	await double.portalWebhooks.settled();
	await waitUntil('the transfer', () => transfersOf(call.call_id).length >= 1, 20_000);
	const executions = await executionsWhen((all) => all.length >= before + 1);
	await settle();

	expect(deliveriesOf(call.call_id).map((delivery) => [delivery.trigger, delivery.contentType, delivery.status])).toStrictEqual([['call_received', 'json', 200]]);
	expect(lookupsOf(call.customer_number)).toHaveLength(1);
	expect(transfersOf(call.call_id).map((request) => [request.method, request.headers.authorization, request.status, request.json])).toStrictEqual([
		['POST', `Bearer ${TOKEN}`, 200, { type: 4, call_id: call.call_id, intercom: OWNER_NUMBER }],
	]);
	expect(executions.slice(0, executions.length - before).map((execution) => [execution.mode, execution.status])).toStrictEqual([['webhook', 'success']]);
});

test('a missed call (rang an agent, nobody answered): exactly one POST /missed-calls with the caller’s number, form-encoded delivery', async () => {
	// A caller the CRM does not know: the call_received lookup finds no owner, nothing is transferred.
	const customer = '9123400001';
	const call = double.startCall({ state: 'ringing', agent_name: 'Asha Rao', source: customer, customer_number: customer });
	await double.portalWebhooks.settled();
	double.endCall(call.call_id);
	await double.portalWebhooks.settled();
	await waitUntil('the missed call in the CRM', () => missedPostsOf(customer).length >= 1, 20_000);
	await settle();

	expect(deliveriesOf(call.call_id).map((delivery) => [delivery.trigger, delivery.contentType, delivery.status])).toStrictEqual([
		['call_received', 'json', 200],
		['hangup_missed', 'form', 200],
	]);
	expect(missedPostsOf(customer)).toHaveLength(1);
	expect(missedPostsOf(customer)[0].body).toMatchObject({ phone: customer, called_number: '8049990000', call_id: call.call_id, hangup_cause: 'NO_ANSWER' });
	expect(lookupsOf(customer)).toHaveLength(1);
	expect(transfersOf(call.call_id)).toHaveLength(0);
});

test('a delivery the platform repeats (repeat: 2): three deliveries, one execution, one transfer', async () => {
	double.portalWebhooks.remove(callReceived);
	const repeating = double.portalWebhooks.add({ url: portalUrl(port, 'call_received'), trigger: 'call_received', template: templateOf('call_received'), repeat: 2 });
	try {
		const before = (await rest.executions(EXAMPLE_6.id)).length;
		const call = double.startCall({ state: 'ringing', agent_name: '' });
		await double.portalWebhooks.settled();
		await waitUntil('the transfer', () => transfersOf(call.call_id).length >= 1, 20_000);
		await settle();
		const executions = await executionsWhen((all) => all.length >= before + 1);

		expect(deliveriesOf(call.call_id).map((delivery) => delivery.status)).toStrictEqual([200, 200, 200]);
		expect(executions).toHaveLength(before + 1);
		expect(lookupsOf(call.customer_number)).toHaveLength(1);
		expect(transfersOf(call.call_id)).toHaveLength(1);
	} finally {
		double.portalWebhooks.remove(repeating);
		callReceived = double.portalWebhooks.add({ url: portalUrl(port, 'call_received'), trigger: 'call_received', template: templateOf('call_received') });
	}
});

test('what n8n answers: a delivery that starts an execution, and its repeat', async () => {
	const before = (await rest.executions(EXAMPLE_6.id)).length;
	const body = JSON.stringify(portalBody('1758799900.7001', '9123400002'));
	const deliver = async () => {
		const response = await fetch(portalUrl(port, 'call_received'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
		return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
	};
	const first = await deliver();
	const repeat = await deliver();
	report(`answer to a delivery that starts an execution: HTTP ${first.status} ${first.type} ${first.text}`);
	report(`answer to its repeat: HTTP ${repeat.status} ${repeat.type} ${repeat.text}`);
	await executionsWhen((all) => all.length >= before + 1);
	await settle();

	expect(first.status).toBe(200);
	expect(JSON.parse(first.text)).toEqual({ message: 'Workflow was started' });
	expect(repeat.status).toBe(200);
	expect(JSON.parse(repeat.text)).toEqual({ ok: true, started: false, reason: 'a repeated delivery: this event of this call already started the workflow' });
	expect(await rest.executions(EXAMPLE_6.id)).toHaveLength(before + 1);
	expect(lookupsOf('9123400002')).toHaveLength(1);
});

test('a wrong secret: 403, no execution, the CRM asked nothing', async () => {
	const before = (await rest.executions(EXAMPLE_6.id)).length;
	const crmBefore = crm.requests().length;
	const response = await fetch(portalUrl(port, 'call_received', 'not-the-secret'), {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(portalBody('1758799900.7002', '9876510050')),
	});
	const answer = (await response.json()) as { ok: boolean; message: string };
	await settle();

	expect(response.status).toBe(403);
	expect(answer.ok).toBe(false);
	expect(JSON.stringify(answer)).not.toContain(PORTAL_SECRET);
	expect(await rest.executions(EXAMPLE_6.id)).toHaveLength(before);
	expect(crm.requests()).toHaveLength(crmBefore);
});

test('the test URL: "Listen for test event" in the editor, a delivery to /webhook-test/… runs one manual execution', async () => {
	const before = await rest.executions(EXAMPLE_6.id);
	// Not listening yet: n8n does not know the test URL.
	const early = await fetch(portalUrl(port, 'call_received', PORTAL_SECRET, 'webhook-test'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
	expect(early.status).toBe(404);

	expect(await rest.listenForTestEvent(EXAMPLE_6.id, EXAMPLE_6.trigger)).toEqual({ waitingForWebhook: true });
	const response = await fetch(portalUrl(port, 'call_received', PORTAL_SECRET, 'webhook-test'), {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(portalBody('1758799900.7003', '9123400003')),
	});
	const text = await response.text();
	report(`answer on the test URL: HTTP ${response.status} ${text}`);
	const executions = await executionsWhen((all) => all.length >= before.length + 1);
	await settle();

	expect(response.status).toBe(200);
	expect(JSON.parse(text)).toEqual({ message: 'Workflow was started' });
	const added = executions.filter((execution) => !before.some((old) => old.id === execution.id));
	expect(added.map((execution) => [execution.mode, execution.status])).toStrictEqual([['manual', 'success']]);
	expect(lookupsOf('9123400003')).toHaveLength(1);
	// One delivery per listen: the test URL is gone again.
	const again = await fetch(portalUrl(port, 'call_received', PORTAL_SECRET, 'webhook-test'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
	expect(again.status).toBe(404);
});
