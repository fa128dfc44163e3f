/**
 * Smartflo Trigger in n8n-core: each poll runs the node's `poll` in a PollContext on a
 * Workflow holding the static data n8n would have saved, against the provider double,
 * whose live calls start, age and end between polls.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { LIVE_CALLS } from '../provider-double/server';
import { fetchTestEvent, runPoll, type PollResult } from './helpers/engine';
import { TOKEN, useProviderDouble } from './helpers/fixtures';
import { everythingVisible } from './helpers/secrets';

const provider = useProviderDouble();

const LONG_SEEDED = '1758782590.8130'; // 00:14:05, Vikram Shah, inbound, answered
const SHORT_SEEDED = '1758782566.8131'; // 00:02:41, Asha Rao, inbound, answered
const RINGING_SEEDED = '1758782601.350603'; // 00:00:07, outbound, ringing, no agent

const longCalls = (extra: INodeParameters = {}): INodeParameters => ({ event: 'callRunningLong', minutes: 10, ...extra });

/** Polls again and again, keeping what n8n saved, as an active workflow does. */
function poller(parameters: INodeParameters, saved: IDataObject = {}) {
	let staticData = saved;
	return {
		async poll(): Promise<PollResult> {
			const result = await runPoll({ parameters, credentials: provider.credentials, staticData });
			staticData = result.staticData;
			return result;
		},
		saved: () => staticData,
	};
}

const callIds = (result: PollResult) => result.items.map((item) => item.json.call_id);

/** The trigger's own part of the workflow static data n8n saved. */
const memoryOf = (saved: IDataObject) => saved['node:Smartflo Trigger'] as IDataObject;

/** The next /v1/live_calls answer lacks these calls (a transfer in progress, a provider glitch); later ones do not. */
function nextAnswerLacks(...callIds: string[]) {
	const json = provider.double.liveCallsNow().filter((call: IDataObject) => !callIds.includes(call.call_id as string));
	provider.double.fail({ path: '/v1/live_calls', times: 1, respond: { status: 200, json } });
}

describe('Long Call', () => {
	test('activation remembers calls already running long; each later long call fires once', async () => {
		const trigger = poller(longCalls());

		const activation = await trigger.poll();
		expect(activation.emitted).toBe(false);
		expect(Object.keys(trigger.saved())).toStrictEqual(['node:Smartflo Trigger']);
		expect(memoryOf(trigger.saved())).toStrictEqual({ setup: expect.any(String), fired: { [LONG_SEEDED]: expect.any(Number) } });

		const fresh = provider.double.startCall({ call_time: '00:10:30', agent_name: 'Meera Iyer' });
		const first = await trigger.poll();
		expect(callIds(first)).toStrictEqual([fresh.call_id]);
		expect(first.items[0].json).toStrictEqual({
			event: 'callRunningLong',
			call_id: fresh.call_id,
			direction: 'inbound',
			duration_seconds: 630,
			agent: 'Meera Iyer',
			customer_number: fresh.customer_number,
			did: '8049990000',
			state: 'answered',
			live_call: { ...fresh },
		});

		expect((await trigger.poll()).emitted).toBe(false);
		provider.double.advance(600);
		// Ten minutes on, the seeded calls at 00:02:41 and 00:00:07 pass the threshold; the others fired already.
		expect(callIds(await trigger.poll())).toStrictEqual([SHORT_SEEDED, RINGING_SEEDED]);
		expect((await trigger.poll()).emitted).toBe(false);
	});

	test('a call fires when it crosses the threshold, not before, and only once', async () => {
		const trigger = poller(longCalls());
		await trigger.poll();
		const call = provider.double.startCall({ call_time: '00:09:30' });

		expect((await trigger.poll()).emitted).toBe(false);
		provider.double.advance(31);
		// The seeded call at 00:02:41 is now 00:03:12: still short.
		expect(callIds(await trigger.poll())).toStrictEqual([call.call_id]);
		provider.double.advance(60);
		expect((await trigger.poll()).emitted).toBe(false);
	});

	test('Include Calls Already Live at Activation fires for them at the first poll, once', async () => {
		const trigger = poller(longCalls({ options: { includeAlreadyLive: true } }));

		const activation = await trigger.poll();
		expect(callIds(activation)).toStrictEqual([LONG_SEEDED]);
		expect(activation.items[0].json).toMatchObject({ duration_seconds: 845, agent: 'Vikram Shah', customer_number: '9876500002' });
		expect((await trigger.poll()).emitted).toBe(false);
	});

	test('a long call missing from one answer (a transfer in progress) does not fire again when it is back', async () => {
		const trigger = poller(longCalls());
		await trigger.poll();
		const call = provider.double.startCall({ call_time: '00:10:30' });
		expect(callIds(await trigger.poll())).toStrictEqual([call.call_id]);

		nextAnswerLacks(call.call_id);
		expect((await trigger.poll()).emitted).toBe(false);
		provider.double.advance(60);
		expect((await trigger.poll()).emitted).toBe(false);
		expect((await trigger.poll()).emitted).toBe(false);
	});

	test('Only Answered Calls skips a call still ringing after the threshold', async () => {
		const trigger = poller(longCalls({ minutes: 1, answeredOnly: true }));
		await trigger.poll();
		const ringing = provider.double.startCall({ call_time: '00:02:00', state: 'ringing' });
		const answered = provider.double.startCall({ call_time: '00:02:00', state: 'answered' });

		expect(callIds(await trigger.poll())).toStrictEqual([answered.call_id]);
		provider.double.updateCall(ringing.call_id, { state: 'answered' });
		expect(callIds(await trigger.poll())).toStrictEqual([ringing.call_id]);
	});
});

describe('New Live Call', () => {
	test('activation does not replay live calls; each new call fires once', async () => {
		const trigger = poller({ event: 'newLiveCall' });

		expect((await trigger.poll()).emitted).toBe(false);
		const first = provider.double.startCall({ direction: 'outbound', source: '0502842370099', destination: '9876512345', customer_number: '' });
		const result = await trigger.poll();
		expect(callIds(result)).toStrictEqual([first.call_id]);
		expect(result.items[0].json).toMatchObject({ event: 'newLiveCall', direction: 'outbound', customer_number: '9876512345', duration_seconds: 0 });

		const second = provider.double.startCall();
		const third = provider.double.startCall();
		expect(callIds(await trigger.poll())).toStrictEqual([second.call_id, third.call_id]);
		provider.double.advance(120);
		expect((await trigger.poll()).emitted).toBe(false);
	});

	test('a call missing from one answer and back at the next does not fire again, also after a restart in the gap', async () => {
		const trigger = poller({ event: 'newLiveCall' });
		await trigger.poll();
		const call = provider.double.startCall();
		expect(callIds(await trigger.poll())).toStrictEqual([call.call_id]);

		nextAnswerLacks(call.call_id, SHORT_SEEDED);
		expect((await trigger.poll()).emitted).toBe(false);
		expect(memoryOf(trigger.saved()).missing).toStrictEqual({ [call.call_id]: 1, [SHORT_SEEDED]: 1 });
		const restart = await runPoll({ parameters: { event: 'newLiveCall' }, credentials: provider.credentials, staticData: trigger.saved(), activation: 'init' });
		expect(restart.emitted).toBe(false);
		expect(memoryOf(restart.staticData).missing).toBeUndefined();
		expect((await trigger.poll()).emitted).toBe(false);
	});

	test('with Include Calls Already Live at Activation, the first poll fires every live call', async () => {
		const trigger = poller({ event: 'newLiveCall', options: { includeAlreadyLive: true } });

		expect(callIds(await trigger.poll())).toStrictEqual(LIVE_CALLS.map((call) => call.call_id));
		expect((await trigger.poll()).emitted).toBe(false);
	});
});

describe('Call Ended', () => {
	test('fires once for a call live at the previous poll and gone now, with what was last seen', async () => {
		const trigger = poller({ event: 'callEnded' });
		expect((await trigger.poll()).emitted).toBe(false);
		provider.double.advance(19);
		expect((await trigger.poll()).emitted).toBe(false);

		provider.double.endCall(SHORT_SEEDED);
		// Gone from one answer is not yet ended (see the gap test below); from two, it is.
		expect((await trigger.poll()).emitted).toBe(false);
		const ended = await trigger.poll();
		expect(callIds(ended)).toStrictEqual([SHORT_SEEDED]);
		expect(ended.items[0].json).toMatchObject({
			event: 'callEnded',
			call_id: SHORT_SEEDED,
			duration_seconds: 180, // 00:02:41 + 19 s, as last seen live
			agent: 'Asha Rao',
			last_seen_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			ended_noticed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
		});
		expect(ended.items[0].json).not.toHaveProperty('preview');
		expect((await trigger.poll()).emitted).toBe(false);
		// Ended calls are forgotten: the memory holds only what is live.
		expect(Object.keys(memoryOf(trigger.saved()))).toStrictEqual(['setup', 'tracked']);
		const tracked = memoryOf(trigger.saved()).tracked as object;
		expect(Object.keys(tracked)).toStrictEqual([LONG_SEEDED, RINGING_SEEDED]);
	});

	test('a call missing from one answer and back at the next has not ended; when it ends, one end is reported', async () => {
		const trigger = poller({ event: 'callEnded' });
		await trigger.poll();
		nextAnswerLacks(SHORT_SEEDED);
		expect((await trigger.poll()).emitted).toBe(false);
		expect((await trigger.poll()).emitted).toBe(false);

		provider.double.endCall(SHORT_SEEDED);
		expect((await trigger.poll()).emitted).toBe(false);
		expect(callIds(await trigger.poll())).toStrictEqual([SHORT_SEEDED]);
		expect((await trigger.poll()).emitted).toBe(false);
		expect(provider.double.liveCallRequests()).toHaveLength(6);
	});

	test('a call that starts and ends between two polls is never seen', async () => {
		const trigger = poller({ event: 'callEnded' });
		await trigger.poll();
		const brief = provider.double.startCall();
		provider.double.endCall(brief.call_id);

		expect((await trigger.poll()).emitted).toBe(false);
	});

	test('a tracked call transferred away from the filtered agent still fires when it ends', async () => {
		const trigger = poller({ event: 'callEnded', filters: { agent: 'Vikram Shah' } });
		await trigger.poll();
		provider.double.updateCall(LONG_SEEDED, { agent_name: 'Meera Iyer', destination: '0502842370099' });
		expect((await trigger.poll()).emitted).toBe(false);
		provider.double.endCall(SHORT_SEEDED);
		provider.double.endCall(LONG_SEEDED);

		expect((await trigger.poll()).emitted).toBe(false);
		const ended = await trigger.poll();
		expect(callIds(ended)).toStrictEqual([LONG_SEEDED]);
		expect(ended.items[0].json.agent).toBe('Meera Iyer');
	});
});

describe('filters', () => {
	test.each([
		['direction outbound', { direction: 'outbound' }, [RINGING_SEEDED]],
		['direction inbound', { direction: 'inbound' }, [SHORT_SEEDED, LONG_SEEDED]],
		['agent by name, any case', { agent: 'vikram shah' }, [LONG_SEEDED]],
		['agent by number', { agent: '0502842370097' }, [SHORT_SEEDED]],
		['several agents', { agent: 'Asha Rao, Vikram Shah' }, [SHORT_SEEDED, LONG_SEEDED]],
		['DID with country code', { did: '+91 80499 90001' }, [RINGING_SEEDED]],
		['DID and agent together', { did: '8049990000', agent: 'Asha Rao' }, [SHORT_SEEDED]],
		['nobody', { agent: 'Nobody Here' }, []],
	])('%s', async (_name, filters, expected) => {
		const result = await runPoll({
			parameters: { event: 'newLiveCall', filters, options: { includeAlreadyLive: true } },
			credentials: provider.credentials,
		});

		expect(callIds(result)).toStrictEqual(expected);
	});

	test('a call that matches the filters later fires then (agent answers a ringing call)', async () => {
		const trigger = poller({ event: 'newLiveCall', filters: { agent: 'Kabir Khan' } });
		await trigger.poll();
		const call = provider.double.startCall({ state: 'ringing', agent_name: '' });
		expect((await trigger.poll()).emitted).toBe(false);
		provider.double.updateCall(call.call_id, { state: 'answered', agent_name: 'Kabir Khan' });

		expect(callIds(await trigger.poll())).toStrictEqual([call.call_id]);
	});
});

describe('across restarts and changes', () => {
	test('after a restart with the saved static data, nothing fires twice; calls begun meanwhile fire', async () => {
		const before = poller(longCalls());
		await before.poll();
		const fired = provider.double.startCall({ call_time: '00:11:00' });
		expect(callIds(await before.poll())).toStrictEqual([fired.call_id]);

		// n8n stops; a call runs long while it is down; n8n starts with what it saved.
		const meanwhile = provider.double.startCall({ call_time: '00:12:00' });
		const restart = await runPoll({ parameters: longCalls(), credentials: provider.credentials, staticData: before.saved(), activation: 'init' });

		expect(callIds(restart)).toStrictEqual([meanwhile.call_id]);
		const after = poller(longCalls(), restart.staticData);
		expect((await after.poll()).emitted).toBe(false);
	});

	test('changing the event or the filters starts afresh without replaying live calls', async () => {
		const long = poller(longCalls());
		await long.poll();

		const shorter = await runPoll({ parameters: longCalls({ minutes: 2 }), credentials: provider.credentials, staticData: long.saved() });
		expect(shorter.emitted).toBe(false);
		provider.double.advance(60);
		const crossed = provider.double.startCall({ call_time: '00:02:30' });
		expect(callIds(await runPoll({ parameters: longCalls({ minutes: 2 }), credentials: provider.credentials, staticData: shorter.staticData }))).toStrictEqual([
			crossed.call_id,
		]);
	});

	test('the memory is pruned as calls end and never holds more than the calls live', async () => {
		const trigger = poller({ event: 'newLiveCall' });
		await trigger.poll();
		const started = Array.from({ length: 20 }, () => provider.double.startCall());
		expect((await trigger.poll()).items).toHaveLength(20);
		for (const call of [...started, ...LIVE_CALLS]) provider.double.endCall(call.call_id);
		const last = provider.double.startCall();

		expect(callIds(await trigger.poll())).toStrictEqual([last.call_id]);
		// Calls missing from one answer are still remembered; from two, forgotten.
		expect(Object.keys(memoryOf(trigger.saved()).fired as object)).toHaveLength(24);
		expect((await trigger.poll()).emitted).toBe(false);
		expect(memoryOf(trigger.saved())).toStrictEqual({ setup: expect.any(String), fired: { [last.call_id]: expect.any(Number) } });
	});

	test('no calls live: no execution starts', async () => {
		for (const call of LIVE_CALLS) provider.double.endCall(call.call_id);

		for (const event of ['callRunningLong', 'newLiveCall', 'callEnded']) {
			const result = await runPoll({ parameters: { event, minutes: 1 }, credentials: provider.credentials });
			expect(result.emitted).toBe(false);
		}
	});
});

describe('call ids', () => {
	test('a call id the provider sends as a JSON number keeps its digits as written', async () => {
		provider.double.fail({
			path: '/v1/live_calls',
			respond: {
				contentType: 'application/json',
				text: '[{"call_id": 1758782590.8130, "call_time": "00:14:05", "direction": "inbound"}, {"call_id": "1758782566.8131", "call_time": "00:00:05"}]',
			},
		});
		const result = await runPoll({ parameters: longCalls({ options: { includeAlreadyLive: true } }), credentials: provider.credentials });

		expect(callIds(result)).toStrictEqual(['1758782590.8130']);
	});
});

describe('provider errors', () => {
	const pollWith = (credentials = provider.credentials, staticData: IDataObject = {}) =>
		runPoll({ parameters: longCalls(), credentials, staticData });

	test.each([
		[
			'a refused token',
			{ token: 'revoked-token' },
			'Smartflo did not list live calls: Unauthenticated: invalid or expired token [HTTP 401]',
			/refused the credential/,
		],
		[
			'a token without the calls API (403)',
			{ token: 'users-only-token' },
			'Smartflo did not list live calls: This token has no access to live calls [HTTP 403]',
			/not granted this API/,
		],
	])('%s becomes an error in the node’s words', async (_name, change, message, hint) => {
		const polling = pollWith({ ...provider.credentials, ...change });

		await expect(polling).rejects.toMatchObject({ message, description: expect.stringMatching(hint) });
	});

	test('a host that answers with a web page: not JSON, check the base URL', async () => {
		provider.double.fail({ path: '/v1/live_calls', respond: { status: 200, html: '<html><title>Welcome to nginx!</title></html>' } });

		await expect(pollWith()).rejects.toMatchObject({
			message: 'Smartflo did not list live calls: the provider answered with "Welcome to nginx!" instead of JSON [HTTP 200, not JSON]',
			description: expect.stringMatching(/base URL/),
		});
	});

	test('an answer that is not a list is an error, not "every call ended"', async () => {
		const trigger = poller({ event: 'callEnded' });
		await trigger.poll();
		const saved = trigger.saved();
		provider.double.fail({ path: '/v1/live_calls', times: 1, respond: { status: 200, json: { data: [] } } });

		await expect(runPoll({ parameters: { event: 'callEnded' }, credentials: provider.credentials, staticData: saved })).rejects.toMatchObject({
			message: expect.stringContaining('[HTTP 200, not a list]'),
			description: expect.stringMatching(/base URL/),
		});
		// Nothing was forgotten: the next good poll sees no call ended.
		expect((await runPoll({ parameters: { event: 'callEnded' }, credentials: provider.credentials, staticData: saved })).emitted).toBe(false);
	});

	test('a host that does not answer at all names the host', async () => {
		const polling = pollWith({ ...provider.credentials, baseUrl: 'http://127.0.0.1:9' });

		await expect(polling).rejects.toMatchObject({
			message: expect.stringMatching(/^Smartflo did not list live calls: .*127\.0\.0\.1:9/),
			description: expect.stringMatching(/Base URL|provider/),
		});
	});

	test('a 5xx answer is reported with the provider message; the token never shows', async () => {
		provider.double.fail({ path: '/v1/live_calls', respond: { status: 503, json: { message: 'Service unavailable' } } });
		let caught: unknown;
		try {
			await pollWith();
		} catch (error) {
			caught = error;
		}

		expect(caught).toMatchObject({ message: 'Smartflo did not list live calls: Service unavailable [HTTP 503]' });
		expect(everythingVisible(caught)).not.toContain(TOKEN);
	});
});

describe('Fetch Test Event (manual mode)', () => {
	test('Long Call shows the longest real call over the threshold, and remembers nothing', async () => {
		const { output, error, run } = await fetchTestEvent(longCalls(), provider.credentials);

		expect(error).toBeUndefined();
		expect(output.map((item) => item.json.call_id)).toStrictEqual([LONG_SEEDED]);
		expect(output[0].json).toMatchObject({ event: 'callRunningLong', duration_seconds: 845 });
		expect(run.data.resultData.runData['Smartflo Trigger']).toHaveLength(1);
	});

	test('New Live Call shows the newest call; Call Ended a live call shaped as it will be', async () => {
		const newest = provider.double.startCall();
		const created = await fetchTestEvent({ event: 'newLiveCall' }, provider.credentials);
		expect(created.output.map((item) => item.json.call_id)).toStrictEqual([newest.call_id]);

		const ended = await fetchTestEvent({ event: 'callEnded' }, provider.credentials);
		expect(ended.output[0].json).toMatchObject({ event: 'callEnded', call_id: LONG_SEEDED, last_seen_at: expect.any(String), preview: expect.stringMatching(/^A preview: this call is still live/) });
	});

	test.each([
		['no call is live', () => LIVE_CALLS.forEach((call) => provider.double.endCall(call.call_id)), { event: 'newLiveCall' }, 'No live call right now', '0 calls are live'],
		['no call runs that long', () => undefined, longCalls({ minutes: 30 }), 'No live call has run longer than 30 minutes right now', '3 calls are live'],
		['no call matches the filters', () => undefined, { event: 'newLiveCall', filters: { did: '1111111111' } }, 'No live call matching the filters right now', '3 calls are live'],
	])('says so clearly when %s', async (_name, arrange, parameters, message, live) => {
		arrange();
		const { error, output } = await fetchTestEvent(parameters as INodeParameters, provider.credentials);

		expect(output).toStrictEqual([]);
		expect(error).toMatchObject({ message, description: expect.stringContaining(live) });
	});
});
