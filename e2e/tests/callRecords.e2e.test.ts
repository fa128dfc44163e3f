/* eslint-disable @n8n/community-nodes/no-restricted-globals -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * Finished Call in a real n8n app (SMARTFLO_N8N picks which), installed from the package's
 * tarball, as `n8n start` runs it (polling every 10 s, not every minute: see
 * POLL_EVERY_10_SECONDS), against two provider doubles: an Indian account (IST) and a UK
 * one (Europe/London). n8n itself runs in New York's time
 * zone, so a window on the server's clock would show. Two workflows are active:
 *
 * - example 4 as users import it (missed inbound calls → a CRM webhook, here a sink on
 *   127.0.0.1), on the Indian account;
 * - answered and missed calls of the UK account with Attach Recording: the recording is
 *   uploaded as binary data to the sink, a record without one posts a note.
 *
 * Assertions look at what the doubles and the sink received.
 */
import { freePort, N8nApp, packPackage, stopProcess } from '../helpers/n8nApp';
import { missedCallExample, recordingsWorkflow, startCrmSink, waitUntil, type CrmSink } from '../helpers/callRecords';
import { startProviderDouble } from '../../provider-double/server';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { wallClock } = require('../../provider-double/callRecords') as { wallClock: (instant: number, timeZone: string) => string };

type Double = Awaited<ReturnType<typeof startProviderDouble>>;

const TOKEN = 'sandbox-token';
const SERVER_ZONE = 'America/New_York';
const UK_CREDENTIAL = { id: 'smartfloUk', name: 'Smartflo UK (double)' };

let india: Double;
let uk: Double;
let app: N8nApp;
let sink: CrmSink;

beforeAll(async () => {
	india = await startProviderDouble();
	uk = await startProviderDouble({ timeZone: 'Europe/London' });
	sink = await startCrmSink();
	app = new N8nApp(await freePort(), undefined, undefined, { TZ: SERVER_ZONE, GENERIC_TIMEZONE: SERVER_ZONE });
	app.installPackage(packPackage());
	await app.importCredentials([
		{ id: 'smartfloSandbox', name: 'Smartflo (sandbox)', type: 'smartfloApi', data: { provider: 'custom', baseUrl: india.url, token: TOKEN } },
		{ ...UK_CREDENTIAL, type: 'smartfloApi', data: { provider: 'custom', baseUrl: uk.url, token: TOKEN, timeZone: 'Europe/London' } },
	]);
	await app.importWorkflows([missedCallExample(india.url, sink.url), recordingsWorkflow('wfUkRecordings', UK_CREDENTIAL, sink.url)]);
	await app.activate('smartfloExample4');
	await app.activate('wfUkRecordings');
}, 300_000);

afterAll(async () => {
	await india?.stop();
	await uk?.stop();
	await sink?.stop();
	app?.remove();
});

/** Polls of a double: each poll reads page 1 first (a failed one too). */
const polls = (double: Double) => double.callRecordRequests().filter((request) => request.query.page === '1');
const crmCalls = () => sink.callBacks();
const secondsOf = (wall: string) => Date.parse(`${wall.replace(' ', 'T')}Z`) / 1000;

/** The first poll's window: two hours up to the account's wall clock when it asked. */
function expectWindowOnTheAccountsClock(double: Double, zone: string) {
	const [first] = polls(double);
	const { from_date: from, to_date: to } = first.query;
	const accountNow = wallClock(first.at, zone);
	expect(Math.abs(secondsOf(to) - secondsOf(accountNow))).toBeLessThanOrEqual(10);
	expect(secondsOf(to) - secondsOf(from)).toBe(2 * 3600);
	// Not the n8n server's clock (New York) nor UTC, unless the zone is UTC at this date.
	expect(Math.abs(secondsOf(to) - secondsOf(wallClock(first.at, SERVER_ZONE)))).toBeGreaterThan(3600);
}

test('Finished Call in the real app: once per record across polls, a failed poll and a restart; a late record; 300 at once; missed inbound only; recordings as binary; windows on each account’s clock', async () => {
	const port = await freePort();
	let server = await app.start(port);
	const outputs: string[] = [];
	try {
		// Activation: both workflows poll at once and remember the records already there.
		await waitUntil('the activation polls', () => polls(india).length >= 1 && polls(uk).length >= 1, 90_000);
		expectWindowOnTheAccountsClock(india, 'Asia/Kolkata');
		expectWindowOnTheAccountsClock(uk, 'Europe/London');
		expect(polls(india)[0].query).toMatchObject({ call_type: 'm', direction: 'inbound', limit: '100' });
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		expect(sink.received).toStrictEqual([]);

		// Calls finish: on the Indian account one missed inbound, one answered, one missed outbound,
		// a late record of a call that started 50 minutes ago, and a busy burst of 300 missed calls.
		const missedIn = india.addCallRecord({ startedAgoSeconds: 40, answered: false, client_number: '9876543001' });
		india.addCallRecord({ startedAgoSeconds: 35 });
		india.addCallRecord({ startedAgoSeconds: 30, answered: false, direction: 'outbound' });
		const late = india.addCallRecord({ startedAgoSeconds: 50 * 60, answered: false });
		const burst = Array.from({ length: 300 }, (_, index) => india.addCallRecord({ startedAgoSeconds: 20 * 60 - index, answered: false }));
		// On the UK account: one answered call with its recording, one missed without.
		const ukAnswered = uk.addCallRecord({ startedAgoSeconds: 60, recordingSize: 120_000 });
		const ukMissed = uk.addCallRecord({ startedAgoSeconds: 50, answered: false });
		const firstBatch = [late, ...burst, missedIn].map((record) => record.call_id as string);
		const indiaPolls = polls(india).length;

		await waitUntil('the next poll', () => polls(india).length > indiaPolls, 75_000);
		await waitUntil('the call-back list to receive 302 missed calls', () => crmCalls().length >= 302, 120_000);
		await waitUntil('the UK recording and note', () => sink.received.filter((entry) => entry.path !== '/missed-call').length >= 2, 60_000);
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		expect([...crmCalls()].sort()).toStrictEqual([...firstBatch].sort());
		expect(sink.received.find((entry) => entry.json?.call_id === missedIn.call_id)?.json).toStrictEqual({
			phone: '9876543001',
			called_number: '8049990000',
			missed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+05:30$/),
			rang_seconds: 28,
			reason: 'No agent answered the call',
			hangup_cause: 'NO_ANSWER',
			call_id: missedIn.call_id,
		});
		const upload = sink.received.find((entry) => entry.path === `/recordings/${ukAnswered.call_id}`);
		expect(upload?.body.equals(uk.recordingBytes(ukAnswered.call_id))).toBe(true);
		expect(sink.received.filter((entry) => entry.path === '/no-recording').map((entry) => entry.json)).toStrictEqual([
			{ call_id: ukMissed.call_id, outcome: 'missed', recording_status: 'none', started_at: expect.stringMatching(/\+0[01]:00$/) },
		]);
		// The recording host never saw the API token.
		expect(uk.recordingRequests.map((request) => request.headers.authorization)).toStrictEqual([undefined]);

		// A poll fails (HTTP 503); a missed call that lands meanwhile fires at the next good one.
		india.fail({ path: '/v1/call/records', times: 1, respond: { status: 503, json: { message: 'Maintenance' } } });
		const afterFailure = india.addCallRecord({ startedAgoSeconds: 20, answered: false });
		await waitUntil('a failed poll', () => india.callRecordRequests().some((request) => request.status === 503), 75_000);
		await waitUntil('the missed call after the failed poll', () => crmCalls().includes(afterFailure.call_id as string), 75_000);

		// n8n restarts; a missed call lands while it is down and fires at the poll at start.
		await stopProcess(server);
		outputs.push(server.output());
		const whileDown = india.addCallRecord({ startedAgoSeconds: 10, answered: false });
		const pollsBeforeRestart = polls(india).length;
		server = await app.start(port);
		await waitUntil('the poll at restart', () => polls(india).length > pollsBeforeRestart, 90_000);
		await waitUntil('the missed call from while n8n was down', () => crmCalls().includes(whileDown.call_id as string), 60_000);
		const pollsAfterRestart = polls(india).length;
		await waitUntil('one more poll', () => polls(india).length > pollsAfterRestart, 75_000);
		await new Promise((resolve) => setTimeout(resolve, 3_000));

		// Each missed inbound call once, nothing else, nothing twice.
		const everything = [...firstBatch, afterFailure.call_id as string, whileDown.call_id as string];
		expect(crmCalls()).toHaveLength(everything.length);
		expect([...crmCalls()].sort()).toStrictEqual([...everything].sort());
		expect(sink.received.filter((entry) => entry.path.startsWith('/recordings/'))).toHaveLength(1);
	} finally {
		await stopProcess(server);
		outputs.push(server.output());
		await app.deactivate('smartfloExample4');
		await app.deactivate('wfUkRecordings');
	}
	for (const output of outputs) expect(output).not.toContain(TOKEN);
}, 600_000);
