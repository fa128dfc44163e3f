/**
 * Smartflo Trigger's live-call events as a pure decision: given what the trigger remembers
 * and the calls live now, which calls fire and what it remembers next. The engine tests
 * (test/trigger.test.ts) prove the poller saves that memory and emits the items.
 */
import { decide, GONE_AFTER_MISSES, MAX_FIRED, sampleCall, type TriggerMemory, type TriggerSetup } from '../../nodes/Smartflo/trigger/liveCallEvents';
import type { LiveCall } from '../../nodes/Smartflo/shared/liveCalls';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 30, 10, 0, 0);

const setup = (change: Partial<TriggerSetup> = {}): TriggerSetup => ({
	event: 'callRunningLong',
	minutes: 10,
	answeredOnly: false,
	direction: '',
	agents: [],
	dids: [],
	includeAlreadyLive: false,
	...change,
});

const call = (id: string, minutes: number, change: Partial<LiveCall> = {}): LiveCall => ({
	call_id: id,
	direction: 'inbound',
	state: 'Answered',
	agent_name: 'Asha Rao',
	agent_number: '9876500001',
	source: '9123400001',
	did: '8049990000',
	call_time: `00:${String(minutes).padStart(2, '0')}:30`,
	...change,
});

/** Polls in a row, carrying the memory as the poller does (through JSON, as n8n saves it). */
function polls(how: TriggerSetup, rounds: LiveCall[][]) {
	let memory: TriggerMemory = {};
	return rounds.map((calls, index) => {
		const { items, memory: next } = decide(how, memory, calls, T0 + index * MINUTE);
		memory = JSON.parse(JSON.stringify(next)) as TriggerMemory;
		return items.map((item) => item.call_id);
	});
}

describe('Long Call', () => {
	test('fires once per call when it passes the minutes; not for calls already long at activation', () => {
		expect(
			polls(setup(), [
				[call('1.1', 12), call('1.2', 3)],
				[call('1.1', 13), call('1.2', 4)],
				[call('1.1', 14), call('1.2', 11)],
				[call('1.1', 15), call('1.2', 12)],
			]),
		).toStrictEqual([[], [], ['1.2'], []]);
	});

	test('Include Calls Already Live fires for them at activation too', () => {
		expect(polls(setup({ includeAlreadyLive: true }), [[call('1.1', 12)], [call('1.1', 13)]])).toStrictEqual([['1.1'], []]);
	});

	test('Only Answered Calls skips a ringing call until it is answered', () => {
		const ringing = { state: 'Ringing' };
		expect(polls(setup({ answeredOnly: true }), [[], [call('2.1', 11, ringing)], [call('2.1', 12, { state: 'in progress' })]])).toStrictEqual([[], [], ['2.1']]);
	});

	test('filters: direction, agent by name or number, DID with or without country code', () => {
		const calls = [
			call('3.1', 11),
			call('3.2', 11, { direction: 'outbound' }),
			call('3.3', 11, { agent_name: 'Vikram', agent_number: '9876500002' }),
			call('3.4', 11, { did: '+91 80499 90001' }),
		];
		const fired = (change: Partial<TriggerSetup>) => polls(setup({ includeAlreadyLive: true, ...change }), [calls])[0];
		expect(fired({ direction: 'outbound' })).toStrictEqual(['3.2']);
		expect(fired({ agents: ['vikram'] })).toStrictEqual(['3.3']);
		expect(fired({ agents: ['+91 98765 00002'] })).toStrictEqual(['3.3']);
		expect(fired({ dids: ['8049990001'] })).toStrictEqual(['3.4']);
	});

	test('changing the settings starts afresh: calls already long are not replayed', () => {
		let memory: TriggerMemory = {};
		memory = decide(setup(), memory, [call('4.1', 5)], T0).memory;
		memory = decide(setup(), memory, [call('4.1', 11)], T0 + MINUTE).memory;
		const changed = decide(setup({ minutes: 5 }), memory, [call('4.1', 12), call('4.2', 6)], T0 + 2 * MINUTE);
		expect(changed.items).toStrictEqual([]);
	});

	test('memory holds only calls still live (or missing from one answer), and never more than its bound', () => {
		const many = Array.from({ length: MAX_FIRED + 10 }, (_, index) => call(`5.${index}`, 11));
		const { memory } = decide(setup({ includeAlreadyLive: true }), {}, many, T0);
		expect(Object.keys(memory.fired ?? {})).toHaveLength(MAX_FIRED);
		const once = decide(setup(), memory, [many[0]], T0 + MINUTE).memory;
		expect(Object.keys(once.fired ?? {})).toHaveLength(MAX_FIRED);
		const twice = decide(setup(), once, [many[0]], T0 + 2 * MINUTE).memory;
		expect(twice).toStrictEqual({ setup: memory.setup, fired: { '5.0': T0 } });
	});

	test('a call missing from one answer and back at the next does not fire again', () => {
		// 1.1 fired at the second poll; the third answer lacks it (a transfer in progress).
		expect(polls(setup(), [[call('1.1', 9)], [call('1.1', 11)], [], [call('1.1', 13)], [call('1.1', 14)]])).toStrictEqual([[], ['1.1'], [], [], []]);
	});

	test(`a call is forgotten once missing from ${GONE_AFTER_MISSES} answers in a row; one back in between resets the count`, () => {
		expect(polls(setup(), [[call('1.1', 11)], [], [call('1.1', 12)], [], [call('1.1', 13)], [], [], [call('1.1', 14)]])).toStrictEqual([[], [], [], [], [], [], [], ['1.1']]);
	});
});

describe('New Live Call', () => {
	test('fires once per call that appears after activation', () => {
		const how = setup({ event: 'newLiveCall' });
		expect(polls(how, [[call('6.1', 0)], [call('6.1', 1), call('6.2', 0)], [call('6.2', 1)], [call('6.2', 2)], [call('6.1', 0)]])).toStrictEqual([
			[],
			['6.2'],
			[],
			[],
			['6.1'],
		]);
	});

	test('a call missing from one answer and back at the next stays remembered: it does not fire again', () => {
		const how = setup({ event: 'newLiveCall' });
		expect(polls(how, [[], [call('6.3', 0)], [], [call('6.3', 1)], [call('6.3', 2)]])).toStrictEqual([[], ['6.3'], [], [], []]);
		// A call already live at activation is remembered across such a gap too.
		expect(polls(how, [[call('6.4', 0)], [], [call('6.4', 1)]])).toStrictEqual([[], [], []]);
	});
});

describe('Call Ended', () => {
	const how = setup({ event: 'callEnded' });

	test(`fires once for a call seen live that is missing from ${GONE_AFTER_MISSES} answers in a row, with when it was last seen`, () => {
		const first = decide(how, {}, [call('7.1', 1), call('7.2', 2)], T0);
		const second = decide(how, first.memory, [call('7.2', 3)], T0 + MINUTE);
		expect(second.items).toStrictEqual([]);
		const third = decide(how, second.memory, [call('7.2', 4)], T0 + 2 * MINUTE);
		expect(third.items).toHaveLength(1);
		expect(third.items[0]).toMatchObject({ event: 'callEnded', call_id: '7.1', last_seen_at: new Date(T0).toISOString(), ended_noticed_at: new Date(T0 + 2 * MINUTE).toISOString() });
		expect(Object.keys(third.memory.tracked ?? {})).toStrictEqual(['7.2']);
		const fourth = decide(how, third.memory, [], T0 + 3 * MINUTE);
		expect(decide(how, fourth.memory, [], T0 + 4 * MINUTE).items.map((item) => item.call_id)).toStrictEqual(['7.2']);
	});

	test('a call missing from one answer and back at the next has not ended: one end, when it really ends', () => {
		expect(polls(how, [[call('7.3', 1)], [], [call('7.3', 3)], [call('7.3', 4)], [], []])).toStrictEqual([[], [], [], [], [], ['7.3']]);
		const rounds = [[call('7.4', 1)], [], [call('7.4', 3)], [], []];
		let memory: TriggerMemory = {};
		const items = rounds.flatMap((calls, index) => {
			const next = decide(how, memory, calls, T0 + index * MINUTE);
			memory = JSON.parse(JSON.stringify(next.memory)) as TriggerMemory;
			return next.items;
		});
		// What it reports is the call as last seen live, after the gap.
		expect(items).toStrictEqual([expect.objectContaining({ call_id: '7.4', duration_seconds: 210, last_seen_at: new Date(T0 + 2 * MINUTE).toISOString() })]);
	});

	test('a call tracked under a filter still fires after a transfer moves it to another agent', () => {
		const filtered = setup({ event: 'callEnded', agents: ['Asha Rao'] });
		expect(polls(filtered, [[call('8.1', 1)], [call('8.1', 2, { agent_name: 'Vikram', agent_number: '1' })], [], []])).toStrictEqual([[], [], [], ['8.1']]);
	});
});

describe('Fetch Test Event', () => {
	test('the longest-running long call; the newest new call', () => {
		const calls = [call('9.1', 12), call('9.2', 20), call('9.3', 1)];
		expect(sampleCall(setup(), calls)?.call_id).toBe('9.2');
		expect(sampleCall(setup({ event: 'newLiveCall' }), calls)?.call_id).toBe('9.3');
		expect(sampleCall(setup({ minutes: 30 }), calls)).toBeUndefined();
	});
});
