/* eslint-disable @n8n/community-nodes/no-restricted-globals -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * Routing incoming calls (API Dialplan) in a real n8n app (SMARTFLO_N8N picks which),
 * installed from the package's tarball: example 7 active on `n8n start` (trigger → CRM
 * lookup → Has an Owner? → Route Call), the provider double's API Dialplan asking its
 * production URL where each call on a number goes and ringing what the answer says. A second
 * copy of example 7 (Answer Within 1 s) asks a CRM that answers late: its Fallback routes the
 * call. One app start for the whole file. Assertions look at the double's live calls and
 * routing requests, and at n8n's executions (its REST API, logged in as the owner).
 */
import { startCrmDouble } from '../../provider-double/crmDouble';
import { startProviderDouble } from '../../provider-double/server';
import { waitUntil } from '../helpers/callRecords';
import { N8nApp, freePort, packPackage, stopProcess } from '../helpers/n8nApp';
import { N8nRest, type Execution } from '../helpers/portalWebhooks';
import { EXAMPLE_7, dialplanPath, dialplanUrl, firstItemOf, lateAnswerLines, routeToOwnerExample, runDataOf, startSlowCrm } from '../helpers/routeCalls';

type Double = Awaited<ReturnType<typeof startProviderDouble>>;
type Crm = Awaited<ReturnType<typeof startCrmDouble>>;
type SlowCrm = Awaited<ReturnType<typeof startSlowCrm>>;
type Running = Awaited<ReturnType<N8nApp['start']>>;

/** The CRM double's owner of 9876510001–9876510099 (Asha Rao): her follow-me number. */
const OWNER = { number: '9196010000', name: 'Asha Rao' };
/** The second copy of example 7: Answer Within 1 s, its CRM 1.5 s late (under the HTTP Request's 2 s timeout). */
const SLOW = { id: 'smartfloExample7Slow', webhookId: '7b2f1d66-2c8f-4d4a-9a62-00000000071a', answerWithin: 1, crmDelayMs: 1_500 };
/** The numbers set to API Dialplan on the double: example 7, its slow copy, and example 7 with a wrong secret. */
const DID = { example: '8049990071', slow: '8049990072', wrongSecret: '8049990073' };
/** The wrong-secret dialplan's failover (Support), not the example's Fallback (Sales, 80124). */
const FAILOVER = { type: 'department', data: '80125' };
/** The platform gives up on an answer after 10 s. */
const PLATFORM_TIMEOUT_MS = 10_000;

let double: Double;
let crm: Crm;
let slowCrm: SlowCrm;
let app: N8nApp;
let server: Running | undefined;
let rest: N8nRest;
const report = (line: string) => process.stdout.write(`[route call] ${line}\n`);
const fileStarted = Date.now();

beforeAll(async () => {
	double = await startProviderDouble();
	crm = await startCrmDouble({ idleTimeoutMs: 0 });
	slowCrm = await startSlowCrm(crm.url, SLOW.crmDelayMs);
	app = new N8nApp(await freePort());
	app.installPackage(packPackage());
	await app.importWorkflows([
		routeToOwnerExample(double.url, crm.url),
		routeToOwnerExample(double.url, slowCrm.url, { id: SLOW.id, webhookId: SLOW.webhookId, answerWithin: SLOW.answerWithin }),
	]);
	await app.activate(EXAMPLE_7.id);
	await app.activate(SLOW.id);
	const port = await freePort();
	server = await app.start(port, { webhooks: [dialplanPath(), dialplanPath(SLOW.webhookId)] });
	rest = await N8nRest.owner(port);
	double.apiDialplan.set({ did: DID.example, url: dialplanUrl(port) });
	double.apiDialplan.set({ did: DID.slow, url: dialplanUrl(port, SLOW.webhookId) });
	double.apiDialplan.set({ did: DID.wrongSecret, url: dialplanUrl(port, EXAMPLE_7.webhookId, 'not-the-secret'), failover: FAILOVER });
	report(`${app.runtime.name} (n8n ${app.runtime.version}) up with example 7 (and its slow copy) active in ${Math.round((Date.now() - fileStarted) / 1000)} s`);
}, 300_000);

afterAll(async () => {
	await stopProcess(server);
	await double?.stop();
	await slowCrm?.stop();
	await crm?.stop();
	app?.remove();
	report(`the file took ${Math.round((Date.now() - fileStarted) / 1000)} s`);
}, 60_000);

const settle = (ms = 1_000) => new Promise((resolve) => setTimeout(resolve, ms));
const liveCall = (callId: string) => double.liveCallsNow().find((call) => call.call_id === callId);
const routingRequestOf = (callId: string) => {
	const requests = double.apiDialplan.requests().filter((request) => request.callId === callId);
	expect(requests).toHaveLength(1);
	return requests[0];
};

/** The executions n8n lists for a workflow once `count` are there and none is still running. */
async function executionsWhen(workflowId: string, count: (executions: Execution[]) => boolean, ms = 20_000): Promise<Execution[]> {
	const deadline = Date.now() + ms;
	for (;;) {
		const executions = await rest.executions(workflowId);
		if (count(executions) && executions.every((execution) => !['running', 'new', 'waiting'].includes(execution.status))) return executions;
		if (Date.now() > deadline) throw new Error(`n8n's executions of ${workflowId} after ${ms / 1000} s: ${JSON.stringify(executions)}`);
		await settle(250);
	}
}

/** Starts a call on an API Dialplan number; resolves with the call once the double has its answer, and the execution it started. */
async function routeOneCall(did: string, workflowId: string, fields: Record<string, unknown> = {}) {
	const before = await rest.executions(workflowId);
	const call = double.startCall({ did, ...fields });
	expect(liveCall(call.call_id)).toMatchObject({ state: 'in_dialplan', agent_name: '' });
	await double.apiDialplan.settled();
	const executions = await executionsWhen(workflowId, (all) => all.length >= before.length + 1);
	const added = executions.filter((execution) => !before.some((old) => old.id === execution.id));
	return { call, added, request: routingRequestOf(call.call_id) };
}

test('a caller the CRM knows rings their account owner’s number, answered well under Answer Within', async () => {
	const { call, added, request } = await routeOneCall(DID.example, EXAMPLE_7.id);
	report(`known caller ${call.customer_number}: HTTP ${request.status} ${request.answer} in ${request.ms} ms (Answer Within ${EXAMPLE_7.answerWithin} s)`);

	expect(request).toMatchObject({ status: 200, outcome: 'routed' });
	expect(JSON.parse(request.answer)).toEqual([{ transfer: { type: 'number', data: Number(OWNER.number) } }]);
	expect(request.ms).toBeLessThan(EXAMPLE_7.answerWithin * 1000 - 1_500);
	expect(liveCall(call.call_id)).toMatchObject({ state: 'ringing', destination: OWNER.number, agent_name: OWNER.name, routed_by: 'api_dialplan' });
	expect(added.map((execution) => [execution.mode, execution.status])).toStrictEqual([['webhook', 'success']]);
	const runData = await runDataOf(rest, added[0].id);
	expect(firstItemOf(runData, EXAMPLE_7.trigger)).toMatchObject({ event: 'api_dialplan', call_id: call.call_id, customer_number: call.customer_number, did: DID.example });
	expect(firstItemOf(runData, 'Ring the Account Owner')?.route).toMatchObject({ sent: true });
	expect(runData['Ring Sales']).toBeUndefined();
});

test('a caller the CRM does not know rings department 80124 (Ring Sales, not the Fallback)', async () => {
	const customer = '9123400071';
	const { call, added, request } = await routeOneCall(DID.example, EXAMPLE_7.id, { source: customer, customer_number: customer });
	report(`unknown caller ${customer}: HTTP ${request.status} ${request.answer} in ${request.ms} ms`);

	expect(request).toMatchObject({ status: 200, outcome: 'routed' });
	expect(JSON.parse(request.answer)).toEqual([{ transfer: { type: 'department', data: EXAMPLE_7.fallbackDepartment } }]);
	expect(request.ms).toBeLessThan(EXAMPLE_7.answerWithin * 1000 - 1_500);
	expect(liveCall(call.call_id)).toMatchObject({ state: 'ringing', destination: EXAMPLE_7.fallbackDepartment, department: 'Sales', routed_by: 'api_dialplan' });
	expect(added.map((execution) => execution.status)).toStrictEqual(['success']);
	const runData = await runDataOf(rest, added[0].id);
	expect(firstItemOf(runData, 'Ring Sales')?.route).toMatchObject({ sent: true });
	expect(runData['Ring the Account Owner']).toBeUndefined();
});

test('a workflow slower than Answer Within: the Fallback routes the call after ~Answer Within; the late Route Call sends nothing', async () => {
	const { call, added, request } = await routeOneCall(DID.slow, SLOW.id);
	report(`slow CRM (${SLOW.crmDelayMs} ms), Answer Within ${SLOW.answerWithin} s: HTTP ${request.status} ${request.answer} in ${request.ms} ms`);

	// The Fallback (department 80124), not the owner the late Route Call would have rung.
	expect(request).toMatchObject({ status: 200, outcome: 'routed' });
	expect(JSON.parse(request.answer)).toEqual([{ transfer: { type: 'department', data: EXAMPLE_7.fallbackDepartment } }]);
	expect(request.ms).toBeGreaterThanOrEqual(SLOW.answerWithin * 1000 - 50);
	expect(request.ms).toBeLessThan(SLOW.answerWithin * 1000 + 1_000);
	expect(request.ms).toBeLessThan(PLATFORM_TIMEOUT_MS);
	expect(liveCall(call.call_id)).toMatchObject({ state: 'ringing', destination: EXAMPLE_7.fallbackDepartment, department: 'Sales', routed_by: 'api_dialplan' });
	expect(slowCrm.requests()).toBeGreaterThanOrEqual(1);
	expect(added.map((execution) => execution.status)).toStrictEqual(['success']);
	const runData = await runDataOf(rest, added[0].id);
	const route = firstItemOf(runData, 'Ring the Account Owner')?.route as { sent: boolean; reason?: string } | undefined;
	report(`the late Route Call's output: ${JSON.stringify(route)}`);
	expect(route).toMatchObject({ sent: false });
	expect(route?.reason).toContain('too late');
	// Still ringing the Fallback: nothing the late node did changed the call.
	await settle();
	expect(liveCall(call.call_id)).toMatchObject({ destination: EXAMPLE_7.fallbackDepartment, routed_by: 'api_dialplan' });
});

test('a wrong secret: 403, the call goes to the dialplan’s failover, no execution', async () => {
	const before = (await rest.executions(EXAMPLE_7.id)).length;
	const call = double.startCall({ did: DID.wrongSecret });
	await double.apiDialplan.settled();
	await settle(1_500);
	const request = routingRequestOf(call.call_id);
	report(`wrong secret: HTTP ${request.status} ${request.answer} in ${request.ms} ms → ${request.outcome}`);

	expect(request).toMatchObject({ status: 403, outcome: 'failover' });
	expect(request.answer).not.toContain(EXAMPLE_7.webhookId);
	expect(liveCall(call.call_id)).toMatchObject({ state: 'ringing', destination: FAILOVER.data, department: 'Support', routed_by: 'failover' });
	expect(await rest.executions(EXAMPLE_7.id)).toHaveLength(before);
});

test('n8n’s log: no crash or unhandled error around the late answer', async () => {
	// The slow copy's late Route Call has run (previous test); give n8n's hooks a moment.
	await waitUntil('n8n still serving', () => server?.exitCode === null, 1_000);
	await settle(500);
	const lines = lateAnswerLines(server?.output() ?? '');
	report(`n8n's log lines about a webhook response: ${lines.webhookResponse.length === 0 ? 'none' : ''}`);
	for (const line of lines.webhookResponse) report(`  ${line}`);
	expect(lines.crashes).toStrictEqual([]);
	expect(server?.exitCode).toBeNull();
});
