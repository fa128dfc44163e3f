/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * Smartflo Trigger's Finished Call in n8n-core: each poll runs the node's `poll` in a
 * PollContext on a Workflow holding the static data n8n would have saved (through JSON),
 * against the provider double's call records and its second host for recordings. The
 * clock is pinned (only Date is faked; timers and sockets stay real), so the windows the
 * node asks for are exact, in summer and in winter.
 */
import path from 'node:path';

// n8n 2.41's SSRF rules, as an admin would widen them: read when n8n-core first builds them.
process.env.N8N_SSRF_BLOCKED_IP_RANGES = 'default,192.88.99.0/24';

import { Workflow, type IDataObject, type INode, type INodeExecutionData, type INodeParameters, type INodeType, type INodeTypes } from 'n8n-workflow';

import { PackageCredentialsHelper, capturedLogs, fetchTestEvent, runPoll, type PollResult, type SmartfloCredentials } from './helpers/engine';
import { TOKEN, useProviderDouble } from './helpers/fixtures';
import { everythingVisible } from './helpers/secrets';

const T0 = Date.parse('2025-07-15T06:30:00Z'); // 12:00 in India, 07:30 in a British summer
const MINUTE = 60_000;

/** Only Date is faked: the double, n8n-core and the node read the same pinned clock. */
const clock = {
	set(instant: number) {
		jest.setSystemTime(instant);
	},
	advance(ms: number) {
		jest.setSystemTime(Date.now() + ms);
	},
};
beforeAll(() => {
	jest.useFakeTimers({
		now: T0,
		doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'],
	});
});
afterAll(() => jest.useRealTimers());
// Declared before the double's own beforeEach, so its seeded records are dated on this clock.
beforeEach(() => clock.set(T0));

const provider = useProviderDouble();

const finished = (extra: INodeParameters = {}): INodeParameters => ({ event: 'finishedCall', ...extra });

/** Polls again and again, keeping what n8n saved, as an active workflow does. */
function poller(parameters: INodeParameters, credentials?: () => SmartfloCredentials) {
	let staticData: IDataObject = {};
	return {
		async poll(): Promise<PollResult> {
			const result = await runPoll({ parameters, credentials: credentials?.() ?? provider.credentials, staticData });
			staticData = result.staticData;
			return result;
		},
		/** A poll that fails: n8n keeps what it had. */
		async failingPoll(): Promise<unknown> {
			return await runPoll({ parameters, credentials: credentials?.() ?? provider.credentials, staticData }).then(
				() => {
					throw new Error('the poll did not fail');
				},
				(error: unknown) => error,
			);
		},
		/** A poll whose error is n8n's error execution (its items, if any, emitted first). */
		async pollReporting(): Promise<PollResult> {
			const result = await runPoll({ parameters, credentials: credentials?.() ?? provider.credentials, staticData, reportErrors: true });
			staticData = result.staticData;
			return result;
		},
		/** n8n restarts with what it saved: the first poll runs in activation mode init. */
		async restart(): Promise<PollResult> {
			const result = await runPoll({ parameters, credentials: credentials?.() ?? provider.credentials, staticData, activation: 'init' });
			staticData = result.staticData;
			return result;
		},
		saved: () => staticData,
	};
}

const callIds = (result: PollResult | { items: INodeExecutionData[] }) => result.items.map((item) => item.json.call_id);
const windows = () => provider.double.callRecordRequests().map((request) => [request.query.from_date, request.query.to_date]);
const memoryOf = (saved: IDataObject) => saved['node:Smartflo Trigger'] as IDataObject;

describe('once per record', () => {
	test('activation remembers the records already there; each record that lands later fires once, with the call in plain words', async () => {
		const trigger = poller(finished());
		const activation = await trigger.poll();
		expect(activation.emitted).toBe(false);
		// The double's three seeded records (50, 25 and 12 minutes old) are remembered, not replayed.
		expect(Object.keys(memoryOf(trigger.saved()).fired as object)).toHaveLength(3);
		expect(windows()).toStrictEqual([['2025-07-15 10:00:00', '2025-07-15 12:00:00']]);

		clock.advance(MINUTE);
		const record = provider.double.addCallRecord({ startedAgoSeconds: 200, answered_seconds: 150, agent_name: 'Meera Iyer', agent_number: '0502842370099', client_number: '9876512345' });
		const result = await trigger.poll();
		expect(callIds(result)).toStrictEqual([record.call_id]);
		expect(result.items[0].json).toStrictEqual({
			event: 'finishedCall',
			call_id: record.call_id,
			outcome: 'answered',
			direction: 'inbound',
			started_at: '2025-07-15T11:57:40+05:30',
			duration_seconds: 162,
			ring_seconds: 12,
			talk_seconds: 150,
			agent: 'Meera Iyer',
			agent_number: '0502842370099',
			customer_number: '9876512345',
			did: '8049990000',
			description: 'Call answered',
			status: 'answered',
			recording_url: record.recording_url,
			call_record: record,
		});
		expect(result.items[0].binary).toBeUndefined();

		clock.advance(MINUTE);
		expect((await trigger.poll()).emitted).toBe(false);
		// Each poll reads from where the last left off, look-back before it.
		expect(windows().slice(1)).toStrictEqual([
			['2025-07-15 10:00:00', '2025-07-15 12:01:00'],
			['2025-07-15 10:01:00', '2025-07-15 12:02:00'],
		]);
	});

	test('across a restart with the saved static data: nothing fires twice; what landed while n8n was down fires', async () => {
		const trigger = poller(finished());
		await trigger.poll();
		clock.advance(MINUTE);
		const fired = provider.double.addCallRecord({ startedAgoSeconds: 30 });
		expect(callIds(await trigger.poll())).toStrictEqual([fired.call_id]);

		// n8n is down for three hours; calls finish meanwhile, one of them in the first minutes.
		clock.advance(3 * 60 * MINUTE);
		const meanwhile = [provider.double.addCallRecord({ startedAgoSeconds: 175 * 60 }), provider.double.addCallRecord({ startedAgoSeconds: 60, answered: false })];
		const restart = await trigger.restart();
		expect(callIds(restart)).toStrictEqual(meanwhile.map((record) => record.call_id));
		// It read from where the last poll left off, not only the look-back.
		expect(windows().at(-1)).toStrictEqual(['2025-07-15 10:01:00', '2025-07-15 15:01:00']);

		clock.advance(MINUTE);
		expect((await trigger.poll()).emitted).toBe(false);
	});

	test('a late record (its call started 100 minutes ago) fires when it lands, once', async () => {
		const trigger = poller(finished());
		await trigger.poll();
		clock.advance(MINUTE);
		await trigger.poll();
		clock.advance(MINUTE);
		const late = provider.double.addCallRecord({ startedAgoSeconds: 100 * 60, answered: false });

		expect(callIds(await trigger.poll())).toStrictEqual([late.call_id]);
		clock.advance(MINUTE);
		expect((await trigger.poll()).emitted).toBe(false);
	});

	test('a shorter Look-Back reads less: a record that lands later than it is not read', async () => {
		const trigger = poller(finished({ recordOptions: { lookBackMinutes: 30 } }));
		await trigger.poll();
		expect(windows()).toStrictEqual([['2025-07-15 11:30:00', '2025-07-15 12:00:00']]);
		clock.advance(MINUTE);
		provider.double.addCallRecord({ startedAgoSeconds: 40 * 60 });
		expect((await trigger.poll()).emitted).toBe(false);
	});

	test.each([
		['HTTP 500', { status: 500, json: { message: 'Internal error' } }, 'Smartflo did not list call records: Internal error [HTTP 500]'],
		['an HTML page', { status: 200, html: '<html><title>Maintenance</title></html>' }, 'Smartflo did not list call records: the provider answered with "Maintenance" instead of JSON [HTTP 200, not JSON]'],
		['no results list', { status: 200, json: { data: [] } }, 'Smartflo did not list call records: the provider answered without the list of call records (results) [HTTP 200, not a list]'],
	])('a poll that fails (%s) changes nothing; the next good poll fires what landed meanwhile, once', async (_name, respond, message) => {
		const trigger = poller(finished());
		await trigger.poll();
		const saved = trigger.saved();
		clock.advance(MINUTE);
		const record = provider.double.addCallRecord({ startedAgoSeconds: 20 });
		provider.double.fail({ path: '/v1/call/records', times: 2, respond });

		expect(await trigger.failingPoll()).toMatchObject({ message });
		clock.advance(MINUTE);
		expect(await trigger.failingPoll()).toMatchObject({ message });
		expect(trigger.saved()).toStrictEqual(saved);
		clock.advance(MINUTE);
		expect(callIds(await trigger.poll())).toStrictEqual([record.call_id]);
		clock.advance(MINUTE);
		expect((await trigger.poll()).emitted).toBe(false);
	});

	test('a failure on page 2 of 3 fails the whole poll: nothing of page 1 is remembered, everything fires once at the next', async () => {
		const trigger = poller(finished());
		await trigger.poll();
		clock.advance(MINUTE);
		const busy = Array.from({ length: 250 }, (_, index) => provider.double.addCallRecord({ startedAgoSeconds: 30 + index }));
		provider.double.fail({ path: '/v1/call/records', times: 1, when: (request) => request.query.page === '2', respond: { status: 502, text: 'Bad Gateway' } });

		expect(await trigger.failingPoll()).toMatchObject({ message: expect.stringContaining('[HTTP 502]') });
		const result = await trigger.poll();
		expect(new Set(callIds(result)).size).toBe(250);
		expect(new Set(callIds(result))).toStrictEqual(new Set(busy.map((record) => record.call_id)));
	});

	test('300 records in one poll: every page is read and every record fires once', async () => {
		const trigger = poller(finished());
		await trigger.poll();
		clock.advance(MINUTE);
		const busy = Array.from({ length: 300 }, (_, index) => provider.double.addCallRecord({ startedAgoSeconds: 60 * 60 - index * 10, answered: index % 3 !== 0 }));
		const before = provider.double.callRecordRequests().length;

		const result = await trigger.poll();
		// Oldest call first.
		expect(callIds(result)).toStrictEqual(busy.map((record) => record.call_id));
		expect(provider.double.callRecordRequests().slice(before).map((request) => [request.query.page, request.query.limit])).toStrictEqual([
			['1', '100'],
			['2', '100'],
			['3', '100'],
			['4', '100'],
		]);
		clock.advance(MINUTE);
		expect((await trigger.poll()).emitted).toBe(false);
	});

	test('a provider that sends 20 a page whatever is asked: the pages follow its limit', async () => {
		provider.double.setMaxPageSize(20);
		const trigger = poller(finished());
		await trigger.poll();
		clock.advance(MINUTE);
		const busy = Array.from({ length: 300 }, (_, index) => provider.double.addCallRecord({ startedAgoSeconds: 3000 - index }));

		expect(callIds(await trigger.poll())).toStrictEqual(busy.map((record) => record.call_id));
		// 303 records (3 seeded) at 20 a page.
		expect(provider.double.callRecordRequests().filter((request) => request.query.page === '16')).toHaveLength(1);
		expect(provider.double.callRecordRequests().filter((request) => request.query.page === '17')).toHaveLength(0);
	});

	test('a poll that starts while the previous one is still running does nothing (no record twice)', async () => {
		const trigger = poller(finished());
		await trigger.poll();
		clock.advance(MINUTE);
		const record = provider.double.addCallRecord({ startedAgoSeconds: 30 });
		provider.double.fail({ path: '/v1/call/records', times: 1, respond: { delayMs: 500, json: { count: 0, limit: 100, size: 0, page: 1, results: [] } } });
		const slow = runPoll({ parameters: finished(), credentials: provider.credentials, staticData: trigger.saved() });
		await new Promise((resolve) => setTimeout(resolve, 100));
		const overlapping = await runPoll({ parameters: finished(), credentials: provider.credentials, staticData: trigger.saved() });

		expect(overlapping.emitted).toBe(false);
		expect(overlapping.staticData).toStrictEqual(trigger.saved());
		expect((await slow).emitted).toBe(false);
		expect(callIds(await trigger.poll())).toStrictEqual([record.call_id]);
	});
});

describe('answered, missed and the filters', () => {
	async function firedFor(parameters: INodeParameters) {
		const trigger = poller(finished(parameters));
		await trigger.poll();
		clock.advance(MINUTE);
		const records = {
			missedIn: provider.double.addCallRecord({ startedAgoSeconds: 50, answered: false }),
			missedOut: provider.double.addCallRecord({ startedAgoSeconds: 40, answered: false, direction: 'outbound' }),
			answeredIn: provider.double.addCallRecord({ startedAgoSeconds: 30, agent_name: 'Asha Rao', agent_number: '0502842370097' }),
			answeredOtherDid: provider.double.addCallRecord({ startedAgoSeconds: 20, agent_name: 'Vikram Shah', agent_number: '0502842370098', did_number: '918049990001' }),
		};
		const before = provider.double.callRecordRequests().length;
		const fired = callIds(await trigger.poll());
		const names = Object.entries(records).filter(([, record]) => fired.includes(record.call_id)).map(([name]) => name);
		const query = provider.double.callRecordRequests()[before].query;
		return { names, query };
	}

	test.each([
		['Answered and Missed', {}, ['missedIn', 'missedOut', 'answeredIn', 'answeredOtherDid'], {}],
		['Missed: the provider is asked for missed calls only (call_type m)', { outcome: 'missed' }, ['missedIn', 'missedOut'], { call_type: 'm' }],
		['Answered (call_type c)', { outcome: 'answered' }, ['answeredIn', 'answeredOtherDid'], { call_type: 'c' }],
		['missed inbound calls (direction sent too)', { outcome: 'missed', filters: { direction: 'inbound' } }, ['missedIn'], { call_type: 'm', direction: 'inbound' }],
		['one agent by name (checked by the node)', { filters: { agent: 'vikram shah' } }, ['answeredOtherDid'], {}],
		['a DID with country code (checked by the node)', { filters: { did: '+91 80499 90001' } }, ['answeredOtherDid'], {}],
	])('%s', async (_name, parameters, expected, sentFilters) => {
		const { names, query } = await firedFor(parameters as INodeParameters);
		expect(names).toStrictEqual(expected);
		const { page, limit, ...filters } = query;
		delete filters.from_date;
		delete filters.to_date;
		expect({ page, limit }).toStrictEqual({ page: '1', limit: '100' });
		expect(filters).toStrictEqual(sentFilters);
	});

	test('a provider that ignores call_type: missed-only still fires missed calls only', async () => {
		provider.double.fail({
			path: '/v1/call/records',
			when: (request) => request.query.call_type === 'm',
			respond: {
				json: {
					count: 2,
					limit: 100,
					size: 2,
					page: 1,
					results: [
						{ call_id: '1752561000.1', status: 'answered', answered_seconds: 30, date: '2025-07-15', time: '11:59:00', direction: 'inbound' },
						{ call_id: '1752561000.2', status: 'missed', answered_seconds: 0, date: '2025-07-15', time: '11:59:30', direction: 'inbound' },
					],
				},
			},
		});
		const result = await runPoll({ parameters: finished({ outcome: 'missed', recordOptions: { includeRecent: true } }), credentials: provider.credentials });
		expect(callIds(result)).toStrictEqual(['1752561000.2']);
	});
});

describe('the account’s local time', () => {
	test('India (the default for a custom credential): the window in IST, started_at with +05:30', async () => {
		const result = await runPoll({ parameters: finished({ recordOptions: { includeRecent: true } }), credentials: provider.credentials });
		expect(windows()).toStrictEqual([['2025-07-15 10:00:00', '2025-07-15 12:00:00']]);
		expect(result.items.map((item) => item.json.started_at)).toStrictEqual(['2025-07-15T11:10:00+05:30', '2025-07-15T11:35:00+05:30', '2025-07-15T11:48:00+05:30']);
	});

	/** A credential for the Acefone UK preset whose requests n8n's helper sends to the double, as DNS would. */
	function acefoneUk(): SmartfloCredentials {
		return { provider: 'acefoneUk', baseUrl: '', token: TOKEN };
	}
	let reroute: jest.SpyInstance | undefined;
	beforeEach(() => {
		const original = PackageCredentialsHelper.prototype.authenticate;
		reroute = jest.spyOn(PackageCredentialsHelper.prototype, 'authenticate').mockImplementation(async function (this: PackageCredentialsHelper, ...args) {
			const options = await original.apply(this, args);
			if (options.baseURL === 'https://api.acefone.co.uk') options.baseURL = provider.double.url;
			return options;
		});
	});
	afterEach(() => reroute?.mockRestore());

	test.each([
		['summer (BST, +01:00)', '2025-07-15T12:00:00Z', ['2025-07-15 11:00:00', '2025-07-15 13:00:00'], '2025-07-15T12:55:00+01:00'],
		['winter (GMT, +00:00)', '2025-01-15T12:00:00Z', ['2025-01-15 10:00:00', '2025-01-15 12:00:00'], '2025-01-15T11:55:00+00:00'],
	])('Acefone UK in %s: the window on London’s clock', async (_name, now, window, startedAt) => {
		clock.set(Date.parse(now));
		provider.double.setTimeZone('Europe/London');
		provider.double.addCallRecord({ startedAgoSeconds: 5 * 60 });
		const result = await runPoll({ parameters: finished({ recordOptions: { includeRecent: true } }), credentials: acefoneUk() });

		expect(windows()).toStrictEqual([window]);
		expect(result.items.map((item) => item.json.started_at)).toStrictEqual([startedAt]);
		// The request went out for the preset, with its token.
		expect(provider.double.callRecordRequests()[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
	});

	test('a custom credential’s Account Time Zone, and the trigger’s own override', async () => {
		await runPoll({ parameters: finished(), credentials: { ...provider.credentials, timeZone: 'Europe/London' } });
		await runPoll({ parameters: finished({ recordOptions: { timeZone: 'Asia/Dubai' } }), credentials: { ...provider.credentials, timeZone: 'Europe/London' } });
		expect(windows()).toStrictEqual([
			['2025-07-15 05:30:00', '2025-07-15 07:30:00'],
			['2025-07-15 08:30:00', '2025-07-15 10:30:00'],
		]);
	});

	test('a zone that does not exist is an error that says where to fix it, and nothing is read', async () => {
		await expect(runPoll({ parameters: finished({ recordOptions: { timeZone: 'India/Bangalore' } }), credentials: provider.credentials })).rejects.toMatchObject({
			message: '"India/Bangalore" is not a time zone',
			description: expect.stringContaining('Options → Account Time Zone'),
		});
		expect(provider.double.callRecordRequests()).toHaveLength(0);
	});
});

describe('recordings', () => {
	test('the double serves a real recording: a WAV file (PCM, 8 kHz, mono) of 1.5 s, its own for each call', () => {
		const [one, other] = ['1758790401.7001', '1758790401.7002'].map((callId) => provider.double.recordingBytes(callId));
		expect(one.subarray(0, 4).toString('latin1')).toBe('RIFF');
		expect(one.subarray(8, 16).toString('latin1')).toBe('WAVEfmt ');
		expect([one.readUInt16LE(20), one.readUInt16LE(22), one.readUInt32LE(24), one.readUInt16LE(34)]).toStrictEqual([1, 1, 8000, 8]);
		expect(one.subarray(36, 40).toString('latin1')).toBe('data');
		expect(one.readUInt32LE(40) / 8000).toBe(1.5);
		expect(one.readUInt32LE(4)).toBe(one.length - 8);
		expect(one.equals(other)).toBe(false);
	});

	const withRecordings = (extra: IDataObject = {}) => finished({ recordOptions: { attachRecording: true, includeRecent: true, lookBackMinutes: 10, ...extra } });

	test('a recording arrives as binary data, fetched without the credential’s token; a record without one says so', async () => {
		provider.double.addCallRecord({ startedAgoSeconds: 5 * 60, answered: false });
		const answered = provider.double.addCallRecord({ startedAgoSeconds: 4 * 60, recordingSize: 150_000 });
		const result = await runPoll({ parameters: withRecordings(), credentials: provider.credentials });

		expect(result.items.map((item) => [item.json.outcome, item.json.recording_status, Object.keys(item.binary ?? {})])).toStrictEqual([
			['missed', 'none', []],
			['answered', 'attached', ['recording']],
		]);
		const binary = result.items[1].binary!.recording;
		expect(binary).toMatchObject({ mimeType: 'audio/wav', fileName: `recording-${answered.call_id}.wav`, fileExtension: 'wav' });
		expect(Buffer.from(binary.data, 'base64').equals(provider.double.recordingBytes(answered.call_id))).toBe(true);
		// The recording host got its own URL and token, and never the API token.
		expect(provider.double.recordingRequests.map((request) => [request.path, request.query.token, request.headers.authorization])).toStrictEqual([
			['/file/recording', new URL(answered.recording_url as string).searchParams.get('token'), undefined],
		]);
		expect(everythingVisible(result.items)).not.toContain(TOKEN);
	});

	test.each([
		['answers 410', { path: '/file/recording', respond: { status: 410, json: { message: 'gone' } } }, {}, /^http:\/\/127\.0\.0\.1:\d+\/file\/recording answered HTTP 410$/],
		['is larger than Max Recording Size', undefined, { maxRecordingMb: 1 }, /^the recording is 2 MB, more than Max Recording Size \(1 MB\)$/],
		['resets the connection', { path: '/file/recording', respond: { reset: true } }, {}, /^http:\/\/127\.0\.0\.1:\d+\/file\/recording could not be reached \[ECONNRESET\]$/],
	])('a recording host that %s: the item says so, and every record still fires', async (_name, fault, options, reason) => {
		if (fault) provider.double.fail(fault);
		const big = provider.double.addCallRecord({ startedAgoSeconds: 4 * 60, recordingSize: 2 * 1_048_576 });
		const after = provider.double.addCallRecord({ startedAgoSeconds: 3 * 60, answered: false });
		const result = await runPoll({ parameters: withRecordings(options), credentials: provider.credentials });

		expect(callIds(result)).toStrictEqual([big.call_id, after.call_id]);
		expect(result.items[0].json).toMatchObject({ recording_status: 'failed', recording_error: expect.stringMatching(reason), recording_url: big.recording_url });
		expect(result.items[0].binary).toBeUndefined();
		// The recording's own token stays in recording_url, never in the error.
		expect(result.items[0].json.recording_error).not.toContain(new URL(big.recording_url as string).searchParams.get('token'));
	});

	test('a recording host that never answers: the download gives up after its time, the record still fires', async () => {
		provider.double.fail({ path: '/file/recording', respond: { hang: true } });
		const record = provider.double.addCallRecord({ startedAgoSeconds: 4 * 60 });
		const result = await runPoll({ parameters: withRecordings(), credentials: provider.credentials });

		expect(callIds(result)).toStrictEqual([record.call_id]);
		expect(result.items[0].json).toMatchObject({ recording_status: 'failed', recording_error: expect.stringMatching(/did not send the recording within 30 s$/) });
	}, 90_000);

	test('a redirect to a private address is refused before it is followed', async () => {
		provider.double.fail({ path: '/file/recording', respond: { status: 302, headers: { Location: 'https://169.254.169.254/latest/meta-data/' }, text: '' } });
		provider.double.addCallRecord({ startedAgoSeconds: 4 * 60 });
		const result = await runPoll({ parameters: withRecordings(), credentials: provider.credentials });

		expect(result.items[0].json).toMatchObject({ recording_status: 'failed', recording_error: 'the recording URL points at a private, loopback or link-local address (https://169.254.169.254)' });
		expect(provider.double.recordingRequests).toHaveLength(1);
	});

	test('a recording URL into a private network is refused without a request', async () => {
		provider.double.fail({
			path: '/v1/call/records',
			respond: { json: { count: 1, limit: 100, size: 1, page: 1, results: [{ call_id: '1752561000.9', status: 'answered', answered_seconds: 20, date: '2025-07-15', time: '11:58:00', recording_url: 'https://10.0.0.7/file/recording?token=abc' }] } },
		});
		const result = await runPoll({ parameters: withRecordings(), credentials: provider.credentials });

		expect(result.items[0].json).toMatchObject({ recording_status: 'failed', recording_error: 'the recording URL points at a private, loopback or link-local address (https://10.0.0.7)' });
		expect(provider.double.recordingRequests).toHaveLength(0);
	});

	test('loopback recordings are allowed only for a loopback credential: a provider preset refuses them', async () => {
		const original = PackageCredentialsHelper.prototype.authenticate;
		const reroute = jest.spyOn(PackageCredentialsHelper.prototype, 'authenticate').mockImplementation(async function (this: PackageCredentialsHelper, ...args) {
			const options = await original.apply(this, args);
			options.baseURL = provider.double.url;
			return options;
		});
		try {
			provider.double.addCallRecord({ startedAgoSeconds: 4 * 60 });
			const result = await runPoll({ parameters: withRecordings(), credentials: { provider: 'servetel', baseUrl: '', token: TOKEN } });
			expect(result.items[0].json).toMatchObject({ recording_status: 'failed', recording_error: expect.stringMatching(/^the recording URL must be https, not http \(http:\/\/127\.0\.0\.1:\d+\)$/) });
			expect(provider.double.recordingRequests).toHaveLength(0);
		} finally {
			reroute.mockRestore();
		}
	});

	// The n8n-workflow this jest project maps (2.8 or 2.41), read at run time.
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const engineHasEgressFilter = !(require('n8n-workflow/package.json') as { version: string }).version.startsWith('2.8.');
	// Skipped on the 2.8 engine: it offers nodes no egress filter, and the URL would then be fetched.
	(engineHasEgressFilter ? test : test.skip)('n8n 2.41’s own SSRF filter refuses a recording host its rules block, before any request', async () => {
		provider.double.fail({
			path: '/v1/call/records',
			respond: { json: { count: 1, limit: 100, size: 1, page: 1, results: [{ call_id: '1752561000.7', status: 'answered', answered_seconds: 20, date: '2025-07-15', time: '11:58:00', recording_url: 'https://192.88.99.1/file/recording?token=abc' }] } },
		});
		const result = await runPoll({ parameters: withRecordings(), credentials: provider.credentials });

		expect(result.items[0].json).toMatchObject({ recording_status: 'failed', recording_error: 'n8n refused to fetch https://192.88.99.1: The request was blocked because it resolves to a restricted IP address' });
	});

	test('a poll fetches at most 25 recordings; the records after them fire at the next poll, once', async () => {
		const trigger = poller(finished({ recordOptions: { attachRecording: true } }));
		await trigger.poll();
		clock.advance(MINUTE);
		const busy = Array.from({ length: 30 }, (_, index) => provider.double.addCallRecord({ startedAgoSeconds: 50 - index }));

		const first = await trigger.poll();
		expect(callIds(first)).toStrictEqual(busy.slice(0, 25).map((record) => record.call_id));
		expect(first.items.every((item) => item.json.recording_status === 'attached')).toBe(true);
		clock.advance(MINUTE);
		expect(callIds(await trigger.poll())).toStrictEqual(busy.slice(25).map((record) => record.call_id));
		clock.advance(MINUTE);
		expect((await trigger.poll()).emitted).toBe(false);
		expect(provider.double.recordingRequests).toHaveLength(30);
	});
});

describe('at the edges: every record once, never lost without an error', () => {
	test.each([
		['leaves limit out of its answer', { limitInAnswer: 'omit' }],
		['echoes the limit it was asked for', { limitInAnswer: 'echo' }],
		['sends count and limit as text', { numbersAsText: true }],
	])('a provider that sends 20 a page whatever is asked and %s: every page is read, every record fires once', async (_name, quirks) => {
		provider.double.setMaxPageSize(20);
		provider.double.setCallRecordQuirks(quirks);
		const trigger = poller(finished());
		await trigger.poll();
		clock.advance(MINUTE);
		const busy = Array.from({ length: 300 }, (_, index) => provider.double.addCallRecord({ startedAgoSeconds: 3000 - index }));
		const before = provider.double.callRecordRequests().length;

		expect(callIds(await trigger.poll())).toStrictEqual(busy.map((record) => record.call_id));
		// 303 records (3 seeded) at 20 a page: 16 pages, the last one short; none after it.
		expect(provider.double.callRecordRequests().slice(before).map((request) => request.query.page)).toStrictEqual(Array.from({ length: 16 }, (_, index) => String(index + 1)));
		clock.advance(MINUTE);
		expect((await trigger.poll()).emitted).toBe(false);
	});

	test('a UK account polled in IST (Account Time Zone left empty), then corrected: the window moves to London’s clock at once, nothing fires twice', async () => {
		provider.double.setTimeZone('Europe/London');
		let credentials: SmartfloCredentials = { ...provider.credentials };
		const seeded = provider.double.callRecords().map((record) => record.call_id);
		const trigger = poller(finished(), () => credentials);
		await trigger.poll();
		clock.advance(MINUTE);
		const blind = provider.double.addCallRecord({ startedAgoSeconds: 30 });
		// In IST the window is hours in this account's future: nothing can fire.
		expect((await trigger.poll()).emitted).toBe(false);

		credentials = { ...provider.credentials, timeZone: 'Europe/London' };
		clock.advance(MINUTE);
		const after = provider.double.addCallRecord({ startedAgoSeconds: 20 });
		// What the trigger never saw fires now, also the records already there at activation.
		expect(callIds(await trigger.poll())).toStrictEqual([...seeded, blind.call_id, after.call_id]);
		// The remembered IST window, as the same instants in London (07:32 BST is 12:02 IST).
		expect(windows().at(-1)).toStrictEqual(['2025-07-15 05:31:00', '2025-07-15 07:32:00']);
		clock.advance(MINUTE);
		expect((await trigger.poll()).emitted).toBe(false);
	});

	test('a server clock that jumped six hours forward and back: calls after it fire at once, those before it never twice', async () => {
		const trigger = poller(finished());
		await trigger.poll();
		clock.advance(MINUTE);
		const before = provider.double.addCallRecord({ startedAgoSeconds: 30 });
		expect(callIds(await trigger.poll())).toStrictEqual([before.call_id]);
		clock.advance(6 * 60 * MINUTE);
		expect((await trigger.poll()).emitted).toBe(false);

		clock.set(T0 + 3 * MINUTE);
		const after = provider.double.addCallRecord({ startedAgoSeconds: 30 });
		expect(callIds(await trigger.poll())).toStrictEqual([after.call_id]);
		expect(windows().at(-1)![1]).toBe('2025-07-15 12:03:00');
		clock.advance(MINUTE);
		expect((await trigger.poll()).emitted).toBe(false);
	});

	test('a recording host whose name does not resolve: the item says so, the poll succeeds, the next poll goes on', async () => {
		provider.double.setCallRecordQuirks({ recordingsHost: 'https://recordings.invalid' });
		const trigger = poller(finished({ recordOptions: { attachRecording: true } }));
		await trigger.poll();
		clock.advance(MINUTE);
		const records = [provider.double.addCallRecord({ startedAgoSeconds: 40 }), provider.double.addCallRecord({ startedAgoSeconds: 30, answered: false })];

		const result = await trigger.poll();
		expect(callIds(result)).toStrictEqual(records.map((record) => record.call_id));
		expect(result.items[0].json).toMatchObject({ recording_status: 'failed', recording_error: expect.stringMatching(/recordings\.invalid.*\[(ENOTFOUND|EAI_AGAIN)\]$/) });
		expect(result.items[1].json.recording_status).toBe('none');
		clock.advance(MINUTE);
		expect((await trigger.poll()).emitted).toBe(false);
	});

	test('a backlog that waited more than 24 hours (recordings budget, then n8n down): an error execution says how many were dropped, after the poll’s items were emitted and saved', async () => {
		const trigger = poller(finished({ recordOptions: { attachRecording: true } }));
		await trigger.poll();
		clock.advance(MINUTE);
		const backlog = Array.from({ length: 30 }, (_, index) => provider.double.addCallRecord({ startedAgoSeconds: 50 - index }));
		expect(callIds(await trigger.poll())).toStrictEqual(backlog.slice(0, 25).map((record) => record.call_id));

		clock.advance(25 * 60 * MINUTE);
		const fresh = [provider.double.addCallRecord({ startedAgoSeconds: 90 }), provider.double.addCallRecord({ startedAgoSeconds: 60 })];
		const result = await trigger.pollReporting();
		expect(result.reported).toMatchObject({
			message: '5 call records waited more than 24 hours to fire and were dropped (calls from 2025-07-15 12:00:35 to 2025-07-15 12:00:39)',
			description: expect.stringContaining(backlog.slice(25).map((record) => record.call_id).join(', ')),
		});
		// The poll itself succeeds (at activation, the activation goes on): its items fire, the memory is saved.
		expect(result.error).toBeUndefined();
		expect(callIds(result)).toStrictEqual(fresh.map((record) => record.call_id));
		expect(result.saved).toStrictEqual(result.staticData);
		clock.advance(MINUTE);
		const next = await trigger.pollReporting();
		expect(next.reported).toBeUndefined();
		expect(next.error).toBeUndefined();
		expect(next.emitted).toBe(false);
	});

	test('after a long outage with more records than one poll may read, each poll reads the oldest part that fits and the next goes on: all fire once', async () => {
		provider.double.setMaxPageSize(1);
		const trigger = poller(finished());
		await trigger.poll();
		clock.advance(10 * 60 * MINUTE);
		const meanwhile = Array.from({ length: 600 }, (_, index) => provider.double.addCallRecord({ startedAgoSeconds: 9 * 3600 - index * 50 }));

		const first = await trigger.poll();
		expect(first.items.length).toBeGreaterThan(0);
		expect(first.items.length).toBeLessThan(600);
		clock.advance(MINUTE);
		const second = await trigger.poll();
		expect([...callIds(first), ...callIds(second)]).toStrictEqual(meanwhile.map((record) => record.call_id));
		clock.advance(MINUTE);
		expect((await trigger.poll()).emitted).toBe(false);
	}, 120_000);

	test('10,000 remembered records, then a late batch larger than a poll emits: the memory bound never skips a record still waiting', async () => {
		const trigger = poller(finished({ recordOptions: { lookBackMinutes: 180 } }));
		await trigger.poll();
		// As n8n would have saved it after busy polls: with the 3 seeded, 10,000 records of the
		// last 90 minutes remembered (their records are not needed again: they fired).
		const fired = memoryOf(trigger.saved()).fired as Record<string, string>;
		const ist = (instant: number) => new Date(instant + 330 * MINUTE).toISOString().slice(0, 19).replace('T', ' ');
		for (let index = 0; index < 9_997; index += 1) fired[`1752555600.${800000 + index}`] = ist(T0 - 90 * MINUTE + index * 500);
		clock.advance(MINUTE);
		// 1,200 late records, three a second, older than all of them.
		const late = Array.from({ length: 1_200 }, (_, index) => provider.double.addCallRecord({ startedAt: T0 - 100 * MINUTE + Math.floor(index / 3) * 1000, answered: false }));
		const firedNow = [...callIds(await trigger.poll())];
		clock.advance(MINUTE);
		firedNow.push(...callIds(await trigger.poll()));
		expect(firedNow).toHaveLength(1_200);
		expect(new Set(firedNow)).toStrictEqual(new Set(late.map((record) => record.call_id)));
		clock.advance(MINUTE);
		expect((await trigger.poll()).emitted).toBe(false);
	});

	test.each([
		['a 12-hour clock ("01:04:30 PM")', '12h', '2025-07-15T13:04:30+05:30'],
		['UTC with Z ("07:34:30Z")', 'utc', '2025-07-15T13:04:30+05:30'],
		['an offset in the date ("2025-07-15T07:34:30+00:00")', 'offset', '2025-07-15T13:04:30+05:30'],
	])('times written with %s are read exactly: the record fires, at its real start', async (_name, timeFormat, startedAt) => {
		clock.set(T0 + 65 * MINUTE); // 13:05 IST
		provider.double.setCallRecordQuirks({ timeFormat });
		const trigger = poller(finished());
		await trigger.poll();
		clock.advance(MINUTE);
		const record = provider.double.addCallRecord({ startedAgoSeconds: 90 });
		const result = await trigger.poll();
		expect(callIds(result)).toStrictEqual([record.call_id]);
		expect(result.items[0].json.started_at).toBe(startedAt);
		clock.advance(MINUTE);
		expect((await trigger.poll()).emitted).toBe(false);
	});

	test('a time in no accepted format is refused visibly: the record fires, saying which formats are read', async () => {
		provider.double.fail({
			path: '/v1/call/records',
			respond: { json: { count: 1, limit: 100, size: 1, page: 1, results: [{ call_id: '1752561000.5', status: 'missed', date: '2025-07-15', time: '11h58' }] } },
		});
		const result = await runPoll({ parameters: finished({ recordOptions: { includeRecent: true } }), credentials: provider.credentials });
		expect(result.items.map((item) => [item.json.call_id, item.json.started_at])).toStrictEqual([['1752561000.5', null]]);
		expect(result.items[0].json.started_at_error).toBe(
			'the record\'s date "2025-07-15" and time "11h58" are not in a format the node reads (Y-m-d or d-m-Y with H:i:s or H:i (24-hour) or h:i:s AM/PM (12-hour), m/d/Y only with h:i:s AM/PM (7/11/2026, 9:12:56 PM), or ISO 8601 with Z or an offset (2025-07-15T07:35:09Z, 13:05:09+05:30))',
		);
	});

	test('a recording that is not ready when its record lands (404): the record waits and fires with it once it is', async () => {
		const trigger = poller(finished({ recordOptions: { attachRecording: true } }));
		await trigger.poll();
		clock.advance(MINUTE);
		const record = provider.double.addCallRecord({ startedAgoSeconds: 30 });
		provider.double.setRecordingReady(record.call_id, false);
		expect((await trigger.poll()).emitted).toBe(false);
		clock.advance(MINUTE);
		expect((await trigger.poll()).emitted).toBe(false);

		provider.double.setRecordingReady(record.call_id, true);
		clock.advance(MINUTE);
		const result = await trigger.poll();
		expect(callIds(result)).toStrictEqual([record.call_id]);
		expect(result.items[0].json.recording_status).toBe('attached');
		expect(provider.double.recordingRequests.map((request) => request.status)).toStrictEqual([404, 404, 200]);
		clock.advance(MINUTE);
		expect((await trigger.poll()).emitted).toBe(false);
	});

	test('30 recordings not there yet hold back neither the records behind them nor the poll’s other recordings', async () => {
		const trigger = poller(finished({ recordOptions: { attachRecording: true } }));
		await trigger.poll();
		clock.advance(MINUTE);
		const waiting = Array.from({ length: 30 }, (_, index) => provider.double.addCallRecord({ startedAgoSeconds: 50 - index }));
		for (const record of waiting) provider.double.setRecordingReady(record.call_id, false);
		const ready = provider.double.addCallRecord({ startedAgoSeconds: 15 });
		const missed = provider.double.addCallRecord({ startedAgoSeconds: 10, answered: false });
		const result = await trigger.poll();

		expect(callIds(result)).toStrictEqual([ready.call_id, missed.call_id]);
		expect(result.items.map((item) => item.json.recording_status)).toStrictEqual(['attached', 'none']);
	});

	test('a recording still not there (403) 30 minutes after the first try: the record fires without it, saying so', async () => {
		const trigger = poller(finished({ recordOptions: { attachRecording: true } }));
		await trigger.poll();
		clock.advance(MINUTE);
		const record = provider.double.addCallRecord({ startedAgoSeconds: 30 });
		provider.double.setRecordingReady(record.call_id, false, 403);
		expect((await trigger.poll()).emitted).toBe(false);
		clock.advance(30 * MINUTE);
		const result = await trigger.poll();
		expect(callIds(result)).toStrictEqual([record.call_id]);
		expect(result.items[0].json).toMatchObject({ recording_status: 'failed', recording_error: expect.stringMatching(/answered HTTP 403 \(asked at every poll for 30 minutes\)$/) });
	});

	test('Max Recording Size is bounded in code, not only in the editor: 2,048 MB from an expression is refused', async () => {
		await expect(runPoll({ parameters: finished({ recordOptions: { attachRecording: true, maxRecordingMb: 2048 } }), credentials: provider.credentials })).rejects.toMatchObject({
			message: 'Max Recording Size must be 1 to 100 MB, not "2048"',
		});
		expect(provider.double.callRecordRequests()).toHaveLength(0);
	});

	test('a provider that drips its answer a byte at a time: the poll fails within the request’s time and the next poll runs', async () => {
		const trigger = poller(finished());
		await trigger.poll();
		clock.advance(MINUTE);
		const record = provider.double.addCallRecord({ startedAgoSeconds: 30 });
		provider.double.fail({ path: '/v1/call/records', times: 1, respond: { dripMs: 400, json: { count: 0, limit: 100, size: 0, page: 1, results: [] } } });

		expect(await trigger.failingPoll()).toMatchObject({ message: expect.stringMatching(/^Smartflo did not list call records: http:\/\/127\.0\.0\.1:\d+ did not answer in time \[ETIMEDOUT\]$/) });
		clock.advance(MINUTE);
		expect(callIds(await trigger.poll())).toStrictEqual([record.call_id]);
	}, 60_000);
});

describe('call ids', () => {
	test('a call id the provider sends as a JSON number keeps its digits as written', async () => {
		provider.double.fail({
			path: '/v1/call/records',
			respond: {
				contentType: 'application/json',
				text: '{"count": 1, "limit": 100, "size": 1, "page": 1, "results": [{"call_id": 1752561000.8130, "status": "missed", "date": "2025-07-15", "time": "11:59:00"}]}',
			},
		});
		const result = await runPoll({ parameters: finished({ recordOptions: { includeRecent: true } }), credentials: provider.credentials });
		expect(callIds(result)).toStrictEqual(['1752561000.8130']);
	});
});

describe('Fetch Test Event (manual mode)', () => {
	test('the newest matching record, with its recording, remembering nothing', async () => {
		const { output, error } = await fetchTestEvent(finished({ outcome: 'answered', recordOptions: { attachRecording: true } }), provider.credentials);

		expect(error).toBeUndefined();
		// The seeded answered records are 50 and 25 minutes old: the newer one.
		expect(output.map((item) => item.json.started_at)).toStrictEqual(['2025-07-15T11:35:00+05:30']);
		expect(output[0].json.recording_status).toBe('attached');
		expect(output[0].binary?.recording.mimeType).toBe('audio/wav');
	});

	test('none in the look-back window: the last 24 hours', async () => {
		provider.double.addCallRecord({ startedAgoSeconds: 20 * 3600, answered: false, direction: 'outbound', client_number: '9876599999' });
		const parameters = finished({ outcome: 'missed', filters: { direction: 'outbound' }, recordOptions: { lookBackMinutes: 5 } });
		const { output } = await fetchTestEvent(parameters, provider.credentials);
		expect(output.map((item) => item.json.customer_number)).toStrictEqual(['9876599999']);
		expect(windows().map(([from]) => from)).toStrictEqual(['2025-07-15 11:55:00', '2025-07-14 12:00:00']);
	});

	test('none at all: says so clearly', async () => {
		const { error, output } = await fetchTestEvent(finished({ filters: { agent: 'Nobody Here' } }), provider.credentials);
		expect(output).toStrictEqual([]);
		expect(error).toMatchObject({ message: 'No call record matching the settings in the last 24 hours', description: expect.stringContaining('3 records') });
	});
});

test('the token never appears in items, errors or logs', async () => {
	const logsBefore = capturedLogs.length;
	provider.double.fail({ path: '/v1/call/records', times: 1, respond: { status: 401, json: { message: 'Token expired' } } });
	const error = await runPoll({ parameters: finished(), credentials: provider.credentials }).catch((caught: unknown) => caught);
	const result = await runPoll({ parameters: finished({ recordOptions: { includeRecent: true, attachRecording: true } }), credentials: provider.credentials });

	expect(error).toMatchObject({ message: 'Smartflo did not list call records: Token expired [HTTP 401]' });
	expect(result.items).toHaveLength(3);
	expect(everythingVisible([error, result.items, capturedLogs.slice(logsBefore)])).not.toContain(TOKEN);
});

test('the canvas subtitle names the calls: "Missed call", "Answered call", "Finished call"', () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { SmartfloTrigger } = require(path.resolve(__dirname, '..', 'dist/nodes/Smartflo/SmartfloTrigger.node.js')) as { SmartfloTrigger: new () => INodeType };
	const trigger = new SmartfloTrigger();
	const nodeTypes = { getByName: () => trigger, getByNameAndVersion: () => trigger, getKnownTypes: () => ({}) } as unknown as INodeTypes;
	const subtitleFor = (outcome: string) => {
		const node: INode = { id: 't', name: 'Smartflo Trigger', type: 'n8n-nodes-smartflo.smartfloTrigger', typeVersion: 1, position: [0, 0], parameters: { event: 'finishedCall', outcome } };
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
		return workflow.expression.getSimpleParameterValue(node, trigger.description.subtitle ?? '', 'internal', {});
	};
	expect(['missed', 'answered', 'all'].map(subtitleFor)).toStrictEqual(['Missed call', 'Answered call', 'Finished call']);
});
