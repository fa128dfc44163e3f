/**
 * Finished Call's per-poll decision on its own, with an injected clock: the window each
 * poll reads, what fires, and what is remembered, poll after poll, with the memory passed
 * through JSON as n8n saves it. The engine tests (test/callRecords.test.ts) prove the node
 * wires it to the provider.
 */
import { recordKey, type CallRecord } from '../../nodes/Smartflo/shared/callRecords';
import { wallClockAt } from '../../nodes/Smartflo/shared/timeZones';
import {
	decide,
	MAX_CATCH_UP_HOURS,
	MAX_FIRED,
	MAX_ITEMS_PER_POLL,
	newestRecord,
	pollWindow,
	recordItem,
	type RecordMemory,
	type RecordSetup,
} from '../../nodes/Smartflo/trigger/callRecordEvents';

const IST = 'Asia/Kolkata';
const MINUTE = 60_000;
const T0 = Date.parse('2025-07-15T06:30:00Z'); // 12:00 IST

const setupOf = (changes: Partial<RecordSetup> = {}): RecordSetup => ({
	outcome: 'all',
	direction: '',
	agents: [],
	dids: [],
	lookBackMinutes: 120,
	includeRecent: false,
	...changes,
});

/** The keys of records emitted, as memoryAfter takes them. */
const keysOf = (records: CallRecord[]) => new Set(records.map(recordKey));
const NONE: ReadonlySet<string> = new Set();

let made = 0;
/** A record of a call that started at `startedAt` (ms), in the account's local time. */
function record(startedAt: number, fields: Partial<CallRecord> = {}, zone = IST): CallRecord {
	made += 1;
	const [date, time] = wallClockAt(startedAt, zone).split(' ');
	return {
		call_id: `${Math.floor(startedAt / 1000)}.${String(made).padStart(4, '0')}`,
		direction: 'inbound',
		status: 'answered',
		answered_seconds: 60,
		call_duration: 75,
		agent_name: 'Asha Rao',
		agent_number: '0502842370097',
		client_number: '9876500001',
		did_number: '918049990000',
		date,
		time,
		recording_url: '',
		...fields,
	};
}

/** The account as the provider sees it: records it holds; each poll reads its window. */
function account(zone = IST) {
	const records: CallRecord[] = [];
	let memory: RecordMemory = {};
	const inWindow = (window: { from: string; to: string }) =>
		records.filter((entry) => {
			const local = `${String(entry.date)} ${String(entry.time)}`;
			return local >= window.from && local <= window.to;
		});
	return {
		records,
		add: (...added: CallRecord[]) => records.push(...added),
		memory: () => memory,
		/** One successful poll at `now`: the call ids that fire. */
		poll(now: number, setup = setupOf()) {
			const window = pollWindow(setup, memory, now, zone);
			const decision = decide(setup, memory, window, inWindow(window), now, zone);
			// n8n saves the static data as JSON and loads it so after a restart.
			memory = JSON.parse(JSON.stringify(decision.memoryAfter(keysOf(decision.due))));
			return decision.due.map((entry) => entry.call_id);
		},
		window: (now: number, setup = setupOf()) => pollWindow(setup, memory, now, zone),
	};
}

describe('the window each poll reads', () => {
	test('the first poll: the look-back window up to now, in the account’s local time', () => {
		expect(pollWindow(setupOf(), {}, T0, IST)).toStrictEqual({ from: '2025-07-15 10:00:00', to: '2025-07-15 12:00:00', first: true });
	});

	test('later polls read from where the last one left off: look-back before it', () => {
		const calls = account();
		calls.poll(T0);
		expect(calls.window(T0 + MINUTE)).toStrictEqual({ from: '2025-07-15 10:00:00', to: '2025-07-15 12:01:00', first: false });
	});

	test.each([
		['5 hours', 5 * 60, '2025-07-15 10:00:00'],
		[`more than ${MAX_CATCH_UP_HOURS} hours: at most ${MAX_CATCH_UP_HOURS} back`, 30 * 60, '2025-07-15 12:00:00'],
	])('after n8n was down %s, the next poll catches up', (_name, minutesDown, from) => {
		const calls = account();
		calls.poll(T0);
		const back = T0 + minutesDown * MINUTE;
		expect(calls.window(back).from).toBe(minutesDown > MAX_CATCH_UP_HOURS * 60 ? wallClockAt(back - MAX_CATCH_UP_HOURS * 3_600_000, IST) : from);
	});

	test('the UK in summer and in winter: the wall clock of London, not UTC', () => {
		expect(pollWindow(setupOf(), {}, Date.parse('2025-07-15T12:00:00Z'), 'Europe/London')).toMatchObject({ from: '2025-07-15 11:00:00', to: '2025-07-15 13:00:00' });
		expect(pollWindow(setupOf(), {}, Date.parse('2025-01-15T12:00:00Z'), 'Europe/London')).toMatchObject({ from: '2025-01-15 10:00:00', to: '2025-01-15 12:00:00' });
	});
});

describe('once per record', () => {
	test('activation remembers the records already there without firing; each later record fires once', () => {
		const calls = account();
		const before = record(T0 - 30 * MINUTE);
		calls.add(before);
		expect(calls.poll(T0)).toStrictEqual([]);
		expect(calls.memory().fired).toStrictEqual({ [before.call_id]: '2025-07-15 11:30:00' });

		const next = record(T0 + 30_000);
		calls.add(next);
		expect(calls.poll(T0 + MINUTE)).toStrictEqual([next.call_id]);
		expect(calls.poll(T0 + 2 * MINUTE)).toStrictEqual([]);
		expect(calls.poll(T0 + 30 * MINUTE)).toStrictEqual([]);
	});

	test('with Include Records Already There at Activation, the first poll fires them, once', () => {
		const calls = account();
		const before = [record(T0 - 90 * MINUTE), record(T0 - 5 * MINUTE)];
		calls.add(...before);
		const setup = setupOf({ includeRecent: true });
		expect(calls.poll(T0, setup)).toStrictEqual(before.map((entry) => entry.call_id));
		expect(calls.poll(T0 + MINUTE, setup)).toStrictEqual([]);
	});

	test('a record that lands late (its call started 100 minutes ago) still fires, once', () => {
		const calls = account();
		calls.poll(T0);
		calls.poll(T0 + MINUTE);
		const late = record(T0 - 99 * MINUTE);
		calls.add(late);
		expect(calls.poll(T0 + 2 * MINUTE)).toStrictEqual([late.call_id]);
		expect(calls.poll(T0 + 3 * MINUTE)).toStrictEqual([]);
	});

	test('a record that lands later than the look-back after its call started is not read (the documented limit)', () => {
		const calls = account();
		calls.poll(T0);
		calls.add(record(T0 - 125 * MINUTE));
		expect(calls.poll(T0 + MINUTE)).toStrictEqual([]);
	});

	test('failed polls change nothing; the next good poll fires what landed meanwhile, once', () => {
		const calls = account();
		calls.poll(T0);
		const saved = calls.memory();
		const meanwhile = [record(T0 + 2 * MINUTE), record(T0 + 10 * MINUTE)];
		calls.add(...meanwhile);
		// Polls at +1 … +14 min fail: the node throws before deciding, the memory stays.
		expect(calls.memory()).toStrictEqual(saved);
		expect(calls.poll(T0 + 15 * MINUTE)).toStrictEqual(meanwhile.map((entry) => entry.call_id));
	});

	test('n8n down for 3 hours: the records of that time fire at the first poll after it, and nothing twice', () => {
		const calls = account();
		const fired = record(T0 + 30_000);
		calls.add(fired);
		calls.poll(T0);
		calls.poll(T0 + MINUTE);
		const whileDown = [record(T0 + 10 * MINUTE), record(T0 + 170 * MINUTE)];
		calls.add(...whileDown);
		expect(calls.poll(T0 + 180 * MINUTE)).toStrictEqual(whileDown.map((entry) => entry.call_id));
	});

	test('300 records in one poll: all fire, in order of their calls, each once', () => {
		const calls = account();
		calls.poll(T0);
		const busy = Array.from({ length: 300 }, (_, index) => record(T0 - 50 * MINUTE + index * 10_000));
		calls.add(...[...busy].reverse());
		expect(calls.poll(T0 + MINUTE)).toStrictEqual(busy.map((entry) => entry.call_id));
		expect(calls.poll(T0 + 2 * MINUTE)).toStrictEqual([]);
	});

	test(`more than ${MAX_ITEMS_PER_POLL} at once: the rest fire at the next poll`, () => {
		const calls = account();
		calls.poll(T0);
		const flood = Array.from({ length: MAX_ITEMS_PER_POLL + 200 }, (_, index) => record(T0 - 100 * MINUTE + index * 1000));
		calls.add(...flood);
		expect(calls.poll(T0 + MINUTE)).toHaveLength(MAX_ITEMS_PER_POLL);
		expect(calls.poll(T0 + 2 * MINUTE)).toStrictEqual(flood.slice(MAX_ITEMS_PER_POLL).map((entry) => entry.call_id));
		expect(calls.poll(T0 + 3 * MINUTE)).toStrictEqual([]);
	});

	test('records left for a later poll keep the window open for them, even past the look-back', () => {
		const setup = setupOf();
		const early = record(T0 - 110 * MINUTE); // 10:10
		let memory = decide(setup, {}, pollWindow(setup, {}, T0, IST), [], T0, IST).memoryAfter(NONE);
		// Two polls whose recordings budget lets nothing through: the record waits.
		for (const now of [T0 + MINUTE, T0 + 30 * MINUTE]) {
			const window = pollWindow(setup, memory, now, IST);
			memory = decide(setup, memory, window, [early], now, IST).memoryAfter(NONE);
		}
		// At 12:30 the look-back alone would start at 10:30; the waiting record holds it at 10:10.
		expect(memory.from).toBe('2025-07-15 10:10:00');
		const later = T0 + 60 * MINUTE;
		const decision = decide(setup, memory, pollWindow(setup, memory, later, IST), [early], later, IST);
		expect(decision.due.map((entry) => entry.call_id)).toStrictEqual([early.call_id]);
		expect(decision.memoryAfter(keysOf(decision.due)).from).toBe(wallClockAt(later - 120 * MINUTE, IST));
	});
});

describe('what is remembered', () => {
	test('pruned to the window, and JSON as n8n saves it', () => {
		const calls = account();
		calls.poll(T0);
		const old = record(T0 + 10_000);
		calls.add(old);
		calls.poll(T0 + MINUTE);
		expect(Object.keys(calls.memory().fired ?? {})).toStrictEqual([old.call_id]);
		// Two hours on, its call is out of the window: forgotten, and never read again.
		calls.poll(T0 + 125 * MINUTE);
		expect(calls.memory().fired).toStrictEqual({});
		expect(calls.memory().from! > `${String(old.date)} ${String(old.time)}`).toBe(true);
	});

	test(`bounded at ${MAX_FIRED} records: the window then starts after the ones forgotten`, () => {
		const setup = setupOf();
		const many = Array.from({ length: MAX_FIRED + 5 }, (_, index) => record(T0 - 60 * MINUTE + index * 100));
		const window = pollWindow(setup, {}, T0, IST);
		const memory = decide(setup, {}, window, many, T0, IST).memoryAfter(NONE);
		const kept = Object.values(memory.fired ?? {});
		expect(kept.length).toBeLessThanOrEqual(MAX_FIRED);
		expect(kept.length).toBeGreaterThan(MAX_FIRED - 20);
		// Nothing forgotten can be read again: the window starts after each of them.
		const forgotten = many.filter((entry) => memory.fired?.[entry.call_id] === undefined);
		expect(forgotten.length).toBeGreaterThan(0);
		for (const entry of forgotten) expect(`${String(entry.date)} ${String(entry.time)}` < memory.from!).toBe(true);
	});

	test('changing the filters starts afresh without replaying', () => {
		const calls = account();
		calls.add(record(T0 - 5 * MINUTE, { status: 'missed', answered_seconds: 0 }));
		calls.poll(T0);
		expect(calls.poll(T0 + MINUTE, setupOf({ outcome: 'missed' }))).toStrictEqual([]);
		const missed = record(T0 + MINUTE, { status: 'missed', answered_seconds: 0 });
		calls.add(missed);
		expect(calls.poll(T0 + 2 * MINUTE, setupOf({ outcome: 'missed' }))).toStrictEqual([missed.call_id]);
	});

	test('the hour the UK clocks go back: the window never moves back, so nothing fires twice', () => {
		const zone = 'Europe/London';
		const calls = account(zone);
		const start = Date.parse('2025-10-26T00:00:00Z'); // 01:00 BST
		calls.poll(start - 2 * MINUTE);
		const firstOccurrence = record(Date.parse('2025-10-26T00:20:00Z'), {}, zone); // 01:20 BST
		calls.add(firstOccurrence);
		const fired: string[] = [];
		// Every minute for five hours, across 02:00 BST → 01:00 GMT.
		for (let now = start; now <= start + 5 * 60 * MINUTE; now += MINUTE) {
			if (now === Date.parse('2025-10-26T01:20:00Z')) calls.add(record(now - 10_000, {}, zone)); // 01:19:50 GMT
			fired.push(...calls.poll(now));
		}
		expect(fired).toHaveLength(2);
		expect(new Set(fired).size).toBe(2);
		expect(fired[0]).toBe(firstOccurrence.call_id);
	});

	test('the repeated UK hour: a record that lands half an hour after its call started still fires', () => {
		const zone = 'Europe/London';
		const calls = account(zone);
		const start = Date.parse('2025-10-26T00:00:00Z');
		const secondOccurrence = record(Date.parse('2025-10-26T01:30:00Z'), {}, zone); // 01:30 GMT, after 01:30 BST
		const fired: string[] = [];
		for (let now = start; now <= start + 4 * 60 * MINUTE; now += MINUTE) {
			if (now === Date.parse('2025-10-26T02:00:00Z')) calls.add(secondOccurrence);
			fired.push(...calls.poll(now));
		}
		expect(fired).toStrictEqual([secondOccurrence.call_id]);
	});
});

describe('filters', () => {
	const missed = record(T0 + 10_000, { status: 'missed', answered_seconds: 0, agent_name: '', agent_number: '', direction: 'inbound' });
	const answeredOut = record(T0 + 20_000, { direction: 'outbound', agent_name: 'Vikram Shah', agent_number: '0502842370098', did_number: '8049990001' });
	const answeredIn = record(T0 + 30_000);
	const noStatusButTalked = record(T0 + 40_000, { status: 'completed', answered_seconds: 12 });

	test.each([
		['missed only', { outcome: 'missed' as const }, [missed]],
		['answered only', { outcome: 'answered' as const }, [answeredOut, answeredIn, noStatusButTalked]],
		['outbound', { direction: 'outbound' }, [answeredOut]],
		['agent by name, any case', { agents: ['vikram shah'] }, [answeredOut]],
		['agent by number', { agents: ['0502842370097'] }, [answeredIn, noStatusButTalked]],
		['DID with and without country code', { dids: ['+91 80499 90001'] }, [answeredOut]],
		['missed inbound on 8049990000', { outcome: 'missed' as const, direction: 'inbound', dids: ['8049990000'] }, [missed]],
	])('%s', (_name, changes, expected) => {
		const calls = account();
		calls.poll(T0);
		calls.add(missed, answeredOut, answeredIn, noStatusButTalked);
		expect(calls.poll(T0 + MINUTE, setupOf(changes))).toStrictEqual([]);
		// (The first poll with other settings only learns; the next fires those that land after it.)
		const later = expected.map((entry) => ({ ...entry, call_id: `${entry.call_id}-later`, time: wallClockAt(T0 + 2 * MINUTE, IST).split(' ')[1] }));
		calls.add(...later);
		expect(calls.poll(T0 + 3 * MINUTE, setupOf(changes))).toStrictEqual(later.map((entry) => entry.call_id));
	});

	test('Fetch Test Event’s choice: the newest matching record', () => {
		expect(newestRecord(setupOf({ outcome: 'answered' }), [answeredIn, missed, answeredOut], IST)?.call_id).toBe(answeredIn.call_id);
		expect(newestRecord(setupOf({ agents: ['Nobody'] }), [answeredIn], IST)).toBeUndefined();
	});
});

describe('the item', () => {
	test('plain words beside the provider’s own record; times with their offset', () => {
		const entry = record(Date.parse('2025-07-15T07:00:00Z'), { call_duration: 130, answered_seconds: 100, description: 'Call answered', recording_url: 'https://cloudphone.example.com/file/recording?callId=1&token=x' });
		expect(recordItem(entry, IST)).toStrictEqual({
			event: 'finishedCall',
			call_id: entry.call_id,
			outcome: 'answered',
			direction: 'inbound',
			started_at: '2025-07-15T12:30:00+05:30',
			duration_seconds: 130,
			ring_seconds: 30,
			talk_seconds: 100,
			agent: 'Asha Rao',
			agent_number: '0502842370097',
			customer_number: '9876500001',
			did: '918049990000',
			description: 'Call answered',
			status: 'answered',
			recording_url: 'https://cloudphone.example.com/file/recording?callId=1&token=x',
			call_record: entry,
		});
	});

	test('a missed call rang for all of it; durations written as "00:01:05" are read too', () => {
		const entry = record(T0, { status: 'missed', answered_seconds: null, call_duration: '00:00:28', date: '2025-07-15', time: '12:00:00' });
		expect(recordItem(entry, IST)).toMatchObject({ outcome: 'missed', duration_seconds: 28, ring_seconds: 28, talk_seconds: 0 });
	});
});

describe('at the edges', () => {
	test('a change of zone moves the remembered window to the same instants in the new zone', () => {
		const setup = setupOf();
		const memory = decide(setup, {}, pollWindow(setup, {}, T0, IST), [], T0, IST).memoryAfter(NONE);
		expect(memory).toMatchObject({ zone: IST, from: '2025-07-15 10:00:00', to: '2025-07-15 12:00:00' });
		// 07:31 in London (BST) is 12:01 in India.
		expect(pollWindow(setup, memory, T0 + MINUTE, 'Europe/London')).toStrictEqual({ from: '2025-07-15 05:30:00', to: '2025-07-15 07:31:00', first: false });
	});

	test('a remembered window in the future moves back to the look-back, never before what was forgotten', () => {
		const fired = record(T0 + 30_000);
		const calls = account();
		calls.poll(T0);
		calls.add(fired);
		expect(calls.poll(T0 + MINUTE)).toStrictEqual([fired.call_id]);
		// The clock jumps six hours forward: the window passes the record, which is forgotten.
		expect(calls.poll(T0 + 6 * 60 * MINUTE)).toStrictEqual([]);
		expect(calls.memory().floor).toBe('2025-07-15 12:00:31');
		// Back on time: the window starts after the forgotten record, not in the future.
		expect(calls.window(T0 + 2 * MINUTE)).toStrictEqual({ from: '2025-07-15 12:00:31', to: '2025-07-15 12:02:00', first: false });
		const next = record(T0 + 90_000);
		calls.add(next);
		expect(calls.poll(T0 + 2 * MINUTE)).toStrictEqual([next.call_id]);
	});

	test('a window read only in part: the next poll goes on after what was read', () => {
		const setup = setupOf();
		let memory = decide(setup, {}, pollWindow(setup, {}, T0, IST), [], T0, IST).memoryAfter(NONE);
		const later = T0 + 10 * 60 * MINUTE;
		const window = pollWindow(setup, memory, later, IST);
		const early = record(T0 + 60 * MINUTE);
		// Only up to 15:00 of 10:00–22:00 was read.
		const decision = decide(setup, memory, { ...window, to: '2025-07-15 15:00:00' }, [early], later, IST);
		memory = decision.memoryAfter(keysOf(decision.due));
		expect(memory).toMatchObject({ from: '2025-07-15 15:00:01', to: '2025-07-15 15:00:00', backlog: true });
		expect(pollWindow(setup, memory, later + MINUTE, IST)).toMatchObject({ from: '2025-07-15 15:00:01', to: '2025-07-15 22:01:00' });
	});

	test('records left waiting are read however old; those over 24 hours are dropped, the window moves past them', () => {
		const setup = setupOf();
		const waiting = [record(T0 - 10 * MINUTE), record(T0 - 5 * MINUTE)];
		let memory = decide(setup, {}, pollWindow(setup, {}, T0 - 20 * MINUTE, IST), [], T0 - 20 * MINUTE, IST).memoryAfter(NONE);
		memory = decide(setup, memory, pollWindow(setup, memory, T0, IST), waiting, T0, IST).memoryAfter(NONE);
		expect(memory).toMatchObject({ from: '2025-07-15 10:00:00', backlog: true });
		// A day later (n8n was down): read from 10:00 the day before, not from 24 hours back.
		const dayOn = T0 + 24 * 60 * MINUTE - 7 * MINUTE;
		const window = pollWindow(setup, memory, dayOn, IST);
		expect(window.from).toBe('2025-07-15 10:00:00');
		const decision = decide(setup, memory, window, waiting, dayOn, IST);
		expect(decision.dropped).toStrictEqual([waiting[0]]);
		expect(decision.due).toStrictEqual([waiting[1]]);
		const after = decision.memoryAfter(keysOf(decision.due));
		// Both are behind the window now: the one that fired is forgotten at once, after the dropped one.
		expect(after.floor).toBe('2025-07-15 11:55:01');
		expect(after.backlog).toBeUndefined();
	});

	test(`the ${MAX_FIRED} bound never moves the window past a record still waiting`, () => {
		const setup = setupOf();
		const remembered = Array.from({ length: MAX_FIRED }, (_, index) => record(T0 - 90 * MINUTE + index * 500));
		let memory = decide(setup, {}, pollWindow(setup, {}, T0, IST), remembered, T0, IST).memoryAfter(NONE);
		const late = Array.from({ length: MAX_ITEMS_PER_POLL + 200 }, (_, index) => record(T0 - 100 * MINUTE + Math.floor(index / 3) * 1000));
		const now = T0 + MINUTE;
		const decision = decide(setup, memory, pollWindow(setup, memory, now, IST), [...remembered, ...late], now, IST);
		memory = decision.memoryAfter(keysOf(decision.due));
		const waiting = late.filter((entry) => !decision.due.includes(entry));
		for (const entry of waiting) expect(`${String(entry.date)} ${String(entry.time)}` >= memory.from!).toBe(true);
	});
});
