/* eslint-disable @n8n/community-nodes/no-restricted-globals -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * The package on n8n's distributed engine: PostgreSQL, Redis, a main process and two
 * workers (concurrency 5), each with its own user folder and the packed package. CRM
 * webhooks arrive at the main; workers run the transfers. Assertions look at the provider
 * double's log (what the provider received, answered how) and n8n's execution table.
 * Each scenario prints what it measured (`[queue] …`), for the README and the notes.
 */
import { startCrmDouble } from '../../provider-double/crmDouble';
import { startProviderDouble } from '../../provider-double/server';
import { EXAMPLE_6, EXAMPLE_6_PATH, callerOwnerExample, portalUrl, templateOf } from '../helpers/portalWebhooks';
import { EXAMPLE_7, dialplanPath, dialplanUrl, routeToOwnerExample } from '../helpers/routeCalls';
import { missedCallExample, recordingsWorkflow, startCrmSink, waitUntil, type CrmSink } from '../helpers/callRecords';
import { QueueCluster } from '../helpers/queueCluster';
import { credential, crmTransferParameters, smartfloNode, webhookWorkflow } from '../helpers/workflows';

type Double = Awaited<ReturnType<typeof startProviderDouble>>;

const TOKEN = 'sandbox-token';
const LOGIN = { email: 'supervisor@example.test', password: 'correct horse battery' };
const PATHS = { token: 'queue-crm-transfer', login: 'queue-crm-transfer-login', slowRate: 'queue-crm-transfer-half-rate' };

let double: Double;
/** The account Smartflo Trigger's workflows poll (the main polls, the workers run them), and the CRM they post to. */
let recordsDouble: Double;
let crm: CrmSink;
/** The CRM example 6 asks who owns a caller. */
let ownersCrm: Awaited<ReturnType<typeof startCrmDouble>>;
let cluster: QueueCluster;
const report = (line: string) => process.stdout.write(`[queue] ${line}\n`);

/** A CRM webhook feeding a Smartflo transfer of `call_id` to `owner_phone`, with this credential. */
function transferWorkflow(id: string, webhookPath: string, credentialRef: { id: string; name: string }, options: Record<string, number> = {}) {
	return webhookWorkflow(id, webhookPath, smartfloNode('Send', crmTransferParameters(options), credentialRef));
}

let callCount = 0;
const newCalls = (count: number) => Array.from({ length: count }, () => `${1_760_000_000 + (callCount += 1)}.${4000 + callCount}`);

interface WebhookResult {
	callId: string;
	status: number;
	body: string;
}

/** POSTs one CRM webhook per call, `concurrency` at a time; `onAnswer` sees each answer as it comes. */
async function fireWebhooks(webhookPath: string, calls: string[], concurrency: number, onAnswer?: (done: number) => void) {
	const results: WebhookResult[] = [];
	let next = 0;
	const sendNext = async (): Promise<void> => {
		while (next < calls.length) {
			const callId = calls[(next += 1) - 1];
			try {
				const response = await fetch(`http://127.0.0.1:${cluster.port}/webhook/${webhookPath}`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify({ call_id: callId, owner_phone: '9196009832' }),
					signal: AbortSignal.timeout(240_000),
				});
				results.push({ callId, status: response.status, body: await response.text() });
			} catch (error) {
				results.push({ callId, status: 0, body: String(error) });
			}
			onAnswer?.(results.length);
		}
	};
	await Promise.all(Array.from({ length: concurrency }, sendNext));
	return results;
}

/** How often the provider received each call, and how often it accepted it (HTTP 200). */
function providerView(calls: string[]) {
	const wanted = new Set(calls);
	const received = new Map<string, number>();
	const accepted = new Map<string, number>();
	for (const request of double.callOptionRequests()) {
		const callId = request.json?.call_id as string;
		if (!wanted.has(callId)) continue;
		received.set(callId, (received.get(callId) ?? 0) + 1);
		if (request.status === 200) accepted.set(callId, (accepted.get(callId) ?? 0) + 1);
	}
	return { received, accepted };
}

/** The most call operations the provider accepted within any one second, and the mean rate. */
function providerRate(calls: string[]) {
	const wanted = new Set(calls);
	const times = double
		.callOptionRequests()
		.filter((request) => wanted.has(request.json?.call_id as string) && request.status === 200)
		.map((request) => request.at)
		.sort((a, b) => a - b);
	let peak = 0;
	for (let start = 0, end = 0; end < times.length; end += 1) {
		while (times[end] - times[start] >= 1000) start += 1;
		peak = Math.max(peak, end - start + 1);
	}
	const seconds = times.length > 1 ? (times[times.length - 1] - times[0]) / 1000 : 0;
	return { peak, mean: seconds > 0 ? (times.length - 1) / seconds : NaN, seconds };
}

const newExecutions = (before: number, workflowId: string) => cluster.executions(workflowId).slice(before);

beforeAll(async () => {
	double = await startProviderDouble();
	double.acceptAnyCall(true);
	recordsDouble = await startProviderDouble();
	crm = await startCrmSink();
	ownersCrm = await startCrmDouble({ idleTimeoutMs: 0 });
	const started = Date.now();
	cluster = await QueueCluster.start({
		workers: 2,
		concurrency: 5,
		credentials: [
			credential('queueToken', 'Smartflo (queue, token)', double.url, TOKEN),
			{
				id: 'queueLogin',
				name: 'Smartflo (queue, login)',
				type: 'smartfloApi',
				data: { provider: 'custom', baseUrl: double.url, authentication: 'login', ...LOGIN },
			},
			credential('smartfloSandbox', 'Smartflo (sandbox)', recordsDouble.url, TOKEN),
		],
		workflows: [
			transferWorkflow('queueToken', PATHS.token, { id: 'queueToken', name: 'Smartflo (queue, token)' }),
			transferWorkflow('queueLogin', PATHS.login, { id: 'queueLogin', name: 'Smartflo (queue, login)' }),
			transferWorkflow('queueHalfRate', PATHS.slowRate, { id: 'queueToken', name: 'Smartflo (queue, token)' }, { requestsPerSecond: 5, burst: 5 }),
			missedCallExample(recordsDouble.url, crm.url),
			recordingsWorkflow('queueRecordings', { id: 'smartfloSandbox', name: 'Smartflo (sandbox)' }, crm.url),
			// Example 6 transferring on the double the CRM webhooks use.
			callerOwnerExample(double.url, ownersCrm.url, undefined, { id: 'queueToken', name: 'Smartflo (queue, token)' }),
			// Example 7 routing the calls of an API Dialplan number on the double.
			routeToOwnerExample(double.url, ownersCrm.url),
		],
		activate: ['queueToken', 'queueLogin', 'queueHalfRate', 'smartfloExample4', 'queueRecordings', EXAMPLE_6.id, EXAMPLE_7.id],
		webhooks: [...Object.values(PATHS), EXAMPLE_6_PATH, dialplanPath()],
	});
	report(`cluster up in ${Math.round((Date.now() - started) / 1000)} s: ${cluster.main.runtime.name} (n8n ${cluster.main.runtime.version}), main + 2 workers, PostgreSQL ${cluster.postgres.port}, Redis ${cluster.redis.port}`);
}, 300_000);

// Each test sends its own calls; the double starts clean and every worker runs.
beforeEach(() => {
	double.reset();
	double.acceptAnyCall(true);
});
afterEach(async () => {
	for (const [index, running] of cluster.running().entries()) if (!running) await cluster.startWorker(index);
}, 120_000);

afterAll(async () => {
	await cluster?.stop();
	await double?.stop();
	await recordsDouble?.stop();
	await crm?.stop();
	await ownersCrm?.stop();
}, 120_000);

test('a burst of 200 CRM webhooks: every call transferred exactly once, every execution successful, both workers used', async () => {
	const calls = newCalls(200);
	const before = cluster.executions('queueToken').length;
	const workedBefore = cluster.executionsByWorker().map((ids) => ids.length);
	const started = Date.now();
	const results = await fireWebhooks(PATHS.token, calls, 20);
	const seconds = (Date.now() - started) / 1000;

	expect(results.filter((result) => result.status !== 200)).toStrictEqual([]);
	const { received, accepted } = providerView(calls);
	expect(received.size).toBe(200);
	expect([...received.values()].every((count) => count === 1)).toBe(true);
	expect([...accepted.values()].every((count) => count === 1)).toBe(true);
	const executions = newExecutions(before, 'queueToken');
	expect(executions).toHaveLength(200);
	expect(executions.filter((execution) => execution.status !== 'success')).toStrictEqual([]);
	const perWorker = cluster.executionsByWorker().map((ids, index) => ids.length - workedBefore[index]);
	expect(perWorker.every((count) => count > 0)).toBe(true);
	expect(perWorker.reduce((sum, count) => sum + count, 0)).toBe(200);
	const rate = providerRate(calls);
	report(`burst of 200 (20 at a time): ${seconds.toFixed(1)} s, split ${perWorker.join('/')} over the workers, provider saw at most ${rate.peak} per second (mean ${rate.mean.toFixed(1)}/s)`);
}, 240_000);

test('a worker stopped with SIGTERM mid-burst: nothing lost, nothing twice', async () => {
	double.fail({ path: '/v1/call/options', respond: { delayMs: 300, json: { success: true, message: 'Call transferred' } } });
	const calls = newCalls(100);
	const before = cluster.executions('queueToken').length;
	let stopping: Promise<void> | undefined;
	const results = await fireWebhooks(PATHS.token, calls, 20, (done) => {
		if (done === 30) stopping = cluster.stopWorker(0, 'SIGTERM');
	});
	await stopping;

	expect(results.filter((result) => result.status !== 200)).toStrictEqual([]);
	const { received } = providerView(calls);
	expect(received.size).toBe(100);
	expect([...received.values()].every((count) => count === 1)).toBe(true);
	const executions = newExecutions(before, 'queueToken');
	expect(executions.filter((execution) => execution.status !== 'success')).toStrictEqual([]);
	report('SIGTERM to a worker after 30 of 100 webhooks: 100 transferred once each, 100 executions successful');
}, 240_000);

test('a worker killed mid-burst: nothing sent twice; the failed executions are listed with what the provider did', async () => {
	// A slow provider, so that the killed worker has transfers in flight.
	double.fail({ path: '/v1/call/options', respond: { delayMs: 3_000, json: { success: true, message: 'Call transferred' } } });
	const calls = newCalls(40);
	const before = cluster.executions('queueToken').length;
	const workedBefore = cluster.executionsByWorker().map((ids) => ids.length);
	const started = Date.now();
	let killed: Promise<void> | undefined;
	// Killed 1 s after worker 0 has started 5 executions of this burst: its transfers have
	// reached the provider, which takes 3 s to answer them.
	let armed = false;
	const watcher = setInterval(() => {
		if (armed || cluster.executionsByWorker()[0].length - workedBefore[0] < 5) return;
		armed = true;
		setTimeout(() => (killed = cluster.stopWorker(0, 'SIGKILL')), 1_000);
	}, 50);
	const results = await fireWebhooks(PATHS.token, calls, 20);
	clearInterval(watcher);
	await killed;
	const seconds = (Date.now() - started) / 1000;

	expect(killed).toBeDefined();
	const { received } = providerView(calls);
	// The node never re-sends, and n8n does not re-run a stalled job: no call twice.
	expect([...received.values()].every((count) => count === 1)).toBe(true);
	const failedAnswers = results.filter((result) => result.status !== 200);
	const executions = newExecutions(before, 'queueToken');
	const notSuccessful = executions.filter((execution) => execution.status !== 'success');
	const perWorker = cluster.executionsByWorker().map((ids, index) => ids.length - workedBefore[index]);
	const statuses = executions.reduce<Record<string, number>>((all, execution) => ({ ...all, [execution.status]: (all[execution.status] ?? 0) + 1 }), {});
	// What a caller that retries on the error would need to know: did the provider act?
	const listed = failedAnswers.map((answer) => ({ callId: answer.callId, status: answer.status, providerActed: received.has(answer.callId) }));
	report(`SIGKILL of a worker with transfers in flight (40 webhooks, provider 3 s; worker 0 had started ${perWorker[0]}, worker 1 ${perWorker[1]}): executions ${JSON.stringify(statuses)}; ${failedAnswers.length} webhook callers got HTTP ${[...new Set(failedAnswers.map((answer) => answer.status))].join(', ')} after up to ${seconds.toFixed(0)} s`);
	report(`  failed executions: ${notSuccessful.map((execution) => `${execution.id} ${execution.status}`).join(', ')}`);
	report(`  of those callers' calls, the provider DID transfer ${listed.filter((entry) => entry.providerActed).length} and never received ${listed.filter((entry) => !entry.providerActed).length}:`);
	for (const entry of listed) {
		report(`    call ${entry.callId}: webhook HTTP ${entry.status}, ${entry.providerActed ? 'TRANSFERRED by the provider' : 'never reached the provider'}`);
	}

	// The killed worker's executions fail, their callers get an error, and each is accounted for.
	expect(notSuccessful.length).toBeGreaterThan(0);
	expect(failedAnswers.length).toBe(notSuccessful.length);
}, 300_000);

test('email and password across workers: sign-ins counted on first use and after expiry, every call accepted once', async () => {
	const firstCalls = newCalls(50);
	const loginsBefore = double.logins();
	const first = await fireWebhooks(PATHS.login, firstCalls, 20);
	const firstSignIns = double.logins() - loginsBefore;
	double.expireLogins();
	const laterCalls = newCalls(50);
	const loginsBeforeExpiry = double.logins();
	const later = await fireWebhooks(PATHS.login, laterCalls, 20);
	const renewals = double.logins() - loginsBeforeExpiry;

	expect([...first, ...later].filter((result) => result.status !== 200)).toStrictEqual([]);
	for (const calls of [firstCalls, laterCalls]) {
		const { accepted } = providerView(calls);
		expect(accepted.size).toBe(50);
		expect([...accepted.values()].every((count) => count === 1)).toBe(true);
	}
	// At most one sign-in per process that runs executions, plus overlaps within each.
	expect(firstSignIns).toBeGreaterThanOrEqual(1);
	expect(renewals).toBeGreaterThanOrEqual(1);
	const refused = providerView(laterCalls).received;
	const retried = [...refused.values()].filter((count) => count > 1).length;
	report(`login credential: first burst of 50 → ${firstSignIns} sign-in(s); after expiry, 50 more → ${renewals} sign-in(s), ${retried} calls refused with the old token and sent again by n8n after renewal; every call accepted once`);
}, 240_000);

test('the provider’s rate across workers, with and without a provider limit', async () => {
	// No provider limit: each worker paces the credential on its own (burst 20, then 10/s).
	const free = newCalls(150);
	let started = Date.now();
	await fireWebhooks(PATHS.token, free, 50);
	const freeSeconds = (Date.now() - started) / 1000;
	const freeRate = providerRate(free);

	// A provider that allows 10 per second: defaults on two workers, then 5/s per worker.
	double.limitRate(10, 1);
	const limitedDefault = newCalls(100);
	started = Date.now();
	const defaultResults = await fireWebhooks(PATHS.token, limitedDefault, 50);
	const defaultSeconds = (Date.now() - started) / 1000;
	await new Promise((resolve) => setTimeout(resolve, 2_000));
	const limitedHalf = newCalls(100);
	started = Date.now();
	const halfResults = await fireWebhooks(PATHS.slowRate, limitedHalf, 50);
	const halfSeconds = (Date.now() - started) / 1000;
	double.limitRate(0);

	const refusedOf = (calls: string[]) =>
		double.callOptionRequests().filter((request) => calls.includes(request.json?.call_id as string) && request.status === 429).length;
	const defaultRefused = refusedOf(limitedDefault);
	const halfRefused = refusedOf(limitedHalf);
	// Nothing is sent twice, refused or not.
	for (const calls of [free, limitedDefault, limitedHalf]) {
		expect([...providerView(calls).received.values()].every((count) => count === 1)).toBe(true);
	}
	expect(defaultResults.filter((result) => result.status === 200).length + defaultRefused).toBe(100);
	expect(halfResults.filter((result) => result.status === 200).length + halfRefused).toBe(100);
	report(`no provider limit, 150 webhooks (50 at a time), default options: at most ${freeRate.peak} accepted per second, mean ${freeRate.mean.toFixed(1)}/s over ${freeRate.seconds.toFixed(1)} s (${freeSeconds.toFixed(1)} s in all)`);
	report(`provider limit 10/s, 100 webhooks: defaults on 2 workers → ${defaultRefused} refused with 429 (${defaultSeconds.toFixed(1)} s); Max Requests per Second 5 and Burst Size 5 per worker → ${halfRefused} refused (${halfSeconds.toFixed(1)} s)`);
}, 300_000);

test('Smartflo Trigger in queue mode: the main polls, the workers run example 4 and the recordings workflow; each record once', async () => {
	const polls = () => recordsDouble.callRecordRequests().filter((request) => request.query.page === '1').length;
	// Both workflows polled at activation, when the main started.
	await waitUntil('the activation polls', () => polls() >= 2, 90_000);
	const examples = cluster.executions('smartfloExample4').length;
	const recordings = cluster.executions('queueRecordings').length;
	const workedBefore = cluster.executionsByWorker().map((ids) => ids.length);

	const missed = Array.from({ length: 40 }, (_, index) => recordsDouble.addCallRecord({ startedAgoSeconds: 60 + index, answered: false }));
	const answered = Array.from({ length: 3 }, (_, index) => recordsDouble.addCallRecord({ startedAgoSeconds: 30 + index, recordingSize: 60_000 }));
	const pollsBefore = polls();
	await waitUntil('the next polls', () => polls() >= pollsBefore + 2, 90_000);
	await waitUntil('40 call-backs and 3 recordings', () => crm.callBacks().length >= 40 && crm.received.filter((entry) => entry.path.startsWith('/recordings/')).length >= 3, 120_000);
	// One more round of polls: nothing again.
	const pollsAfter = polls();
	await waitUntil('one more round of polls', () => polls() >= pollsAfter + 2, 90_000);
	await new Promise((resolve) => setTimeout(resolve, 5_000));

	const callBacks = crm.callBacks();
	expect([...callBacks].sort()).toStrictEqual(missed.map((record) => record.call_id as string).sort());
	for (const record of answered) {
		const uploads = crm.received.filter((entry) => entry.path === `/recordings/${record.call_id}`);
		expect(uploads).toHaveLength(1);
		expect(uploads[0].body.equals(recordsDouble.recordingBytes(record.call_id))).toBe(true);
	}
	// The executions ran on the workers, each successful: the binary data the main prepared reached them.
	const newExamples = cluster.executions('smartfloExample4').slice(examples);
	const newRecordings = cluster.executions('queueRecordings').slice(recordings);
	expect(newExamples.length).toBeGreaterThan(0);
	expect(newRecordings.length).toBeGreaterThan(0);
	expect([...newExamples, ...newRecordings].filter((execution) => execution.status !== 'success')).toStrictEqual([]);
	const byWorker = cluster.executionsByWorker().flatMap((ids, index) => ids.slice(workedBefore[index]));
	for (const execution of [...newExamples, ...newRecordings]) expect(byWorker).toContain(execution.id);
	report(`Smartflo Trigger: 40 missed calls → ${callBacks.length} call-backs (each once) in ${newExamples.length} execution(s); 3 answered calls → 3 recordings uploaded once each, ${newRecordings.length} execution(s); all on the workers, all successful`);
}, 420_000);

test('Smartflo Webhook Trigger (example 6) on the main: 20 portal deliveries, 5 of them repeated, each call transferred once by the workers, every delivery answered 200 within 10 s', async () => {
	const url = portalUrl(cluster.port, 'call_received');
	const template = templateOf('call_received');
	const before = cluster.executions(EXAMPLE_6.id).length;
	const workedBefore = cluster.executionsByWorker().map((ids) => ids.length);
	const started = Date.now();
	// The double's portal delivers each call's call_received at once (in the background); the
	// first 5 calls' registration delivers every event twice, as the platform sometimes does.
	const repeating = double.portalWebhooks.add({ url, trigger: 'call_received', template, repeat: 1 });
	const repeated = Array.from({ length: 5 }, () => double.startCall({ state: 'ringing', agent_name: '' }));
	double.portalWebhooks.remove(repeating);
	const once = double.portalWebhooks.add({ url, trigger: 'call_received', template });
	const single = Array.from({ length: 15 }, () => double.startCall({ state: 'ringing', agent_name: '' }));
	double.portalWebhooks.remove(once);
	const calls = [...repeated, ...single].map((call) => call.call_id);
	await double.portalWebhooks.settled();
	const delivered = (Date.now() - started) / 1000;
	await waitUntil('20 transfers', () => providerView(calls).received.size >= 20, 60_000);
	await waitUntil('20 finished executions', () => {
		const executions = newExecutions(before, EXAMPLE_6.id);
		return executions.length >= 20 && executions.every((execution) => !['new', 'running'].includes(execution.status));
	}, 60_000);
	const seconds = (Date.now() - started) / 1000;
	await new Promise((resolve) => setTimeout(resolve, 2_000));

	const deliveries = double.portalWebhooks.deliveries();
	expect(deliveries).toHaveLength(5 * 2 + 15);
	expect(deliveries.filter((delivery) => delivery.status !== 200 || delivery.ms >= 10_000)).toStrictEqual([]);
	for (const [index, callId] of calls.entries()) expect(deliveries.filter((delivery) => delivery.callId === callId)).toHaveLength(index < 5 ? 2 : 1);
	const { received, accepted } = providerView(calls);
	expect(received.size).toBe(20);
	expect([...received.values()].every((count) => count === 1)).toBe(true);
	expect([...accepted.values()].every((count) => count === 1)).toBe(true);
	expect(double.callOptionRequests().map((request) => request.json)).toStrictEqual(
		expect.arrayContaining(calls.map((callId) => ({ type: 4, call_id: callId, intercom: '9196010000' }))),
	);
	const lookups = ownersCrm.requests().filter((request) => request.path === '/contacts');
	expect(lookups).toHaveLength(20);
	const executions = newExecutions(before, EXAMPLE_6.id);
	expect(executions).toHaveLength(20);
	expect(executions.filter((execution) => execution.status !== 'success')).toStrictEqual([]);
	const byWorker = cluster.executionsByWorker().flatMap((ids, index) => ids.slice(workedBefore[index]));
	for (const execution of executions) expect(byWorker).toContain(execution.id);
	const slowest = Math.max(...deliveries.map((delivery) => delivery.ms));
	report(`Smartflo Webhook Trigger: 20 calls, 25 portal deliveries (5 repeated) → 20 executions on the workers, 20 transfers (each once); every delivery answered 200, slowest in ${slowest} ms; delivered in ${delivered.toFixed(1)} s, all transferred in ${seconds.toFixed(1)} s`);
}, 120_000);

test('Route Call (example 7) on the workers answers the request the main holds: 10 calls at once on an API Dialplan number, each routed by the workflow’s answer within Answer Within', async () => {
	const did = '8049990077';
	// A failover the workflow never answers (Support), so that a call it did not route shows.
	double.apiDialplan.set({ did, url: dialplanUrl(cluster.port), failover: { type: 'department', data: '80125' } });
	const before = cluster.executions(EXAMPLE_7.id).length;
	const workedBefore = cluster.executionsByWorker().map((ids) => ids.length);
	const started = Date.now();
	// 5 callers the CRM knows (their owner, Asha Rao) and 5 it does not (Ring Sales), all at once.
	const known = Array.from({ length: 5 }, () => double.startCall({ did }));
	const unknown = Array.from({ length: 5 }, (_, index) => {
		const customer = `91234000${80 + index}`;
		return double.startCall({ did, source: customer, customer_number: customer });
	});
	await double.apiDialplan.settled();
	const routed = (Date.now() - started) / 1000;
	await waitUntil('10 finished executions', () => {
		const executions = newExecutions(before, EXAMPLE_7.id);
		return executions.length >= 10 && executions.every((execution) => !['new', 'running'].includes(execution.status));
	}, 60_000);

	const requests = double.apiDialplan.requests().filter((request) => request.url.startsWith(`http://127.0.0.1:${cluster.port}/`));
	expect(requests).toHaveLength(10);
	// Under Answer Within: Route Call's answer, not the trigger's Fallback (sent at 4 s).
	expect(requests.filter((request) => request.status !== 200 || request.outcome !== 'routed' || request.ms >= EXAMPLE_7.answerWithin * 1000)).toStrictEqual([]);
	const live = new Map(double.liveCallsNow().map((call) => [call.call_id, call]));
	for (const call of known) expect(live.get(call.call_id)).toMatchObject({ state: 'ringing', destination: '9196010000', agent_name: 'Asha Rao', routed_by: 'api_dialplan' });
	for (const call of unknown) expect(live.get(call.call_id)).toMatchObject({ state: 'ringing', destination: '80124', department: 'Sales', routed_by: 'api_dialplan' });
	const executions = newExecutions(before, EXAMPLE_7.id);
	expect(executions).toHaveLength(10);
	expect(executions.filter((execution) => execution.status !== 'success')).toStrictEqual([]);
	const byWorker = cluster.executionsByWorker().flatMap((ids, index) => ids.slice(workedBefore[index]));
	for (const execution of executions) expect(byWorker).toContain(execution.id);
	const perWorker = cluster.executionsByWorker().map((ids, index) => ids.length - workedBefore[index]);
	const times = requests.map((request) => request.ms).sort((a, b) => a - b);
	report(`Route Call: 10 API Dialplan requests at once → 10 executions on the workers (${perWorker.join('/')}), each call routed by Route Call's answer (5 to the owner, 5 to Sales); answered in ${times[0]}–${times[times.length - 1]} ms (median ${times[5]} ms, Answer Within ${EXAMPLE_7.answerWithin} s); all routed in ${routed.toFixed(1)} s`);
}, 90_000);
