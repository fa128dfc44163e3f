import type { IDataObject } from 'n8n-workflow';

import { outcomeOf, recordKey, startOf, summariseRecord, type CallRecord, type Outcome } from '../shared/callRecords';
import { directionInWords, text } from '../shared/liveCalls';
import { sameNumber } from '../shared/numbers';
import { addSeconds, wallClockAt, type WallClock } from '../shared/timeZones';

/**
 * What Smartflo Trigger's Finished Call decides at each poll, apart from n8n: which window
 * of the call records to read, which records fire, and what to remember (the node's
 * workflow static data, saved by n8n as JSON). Every time is the account's wall clock
 * ("Y-m-d H:i:s"), as the provider writes and filters it, so what is remembered compares
 * with what the provider sends without converting anything.
 *
 * - A record can land minutes after its call ended, and it is dated when the call started:
 *   each poll reads back Look-Back minutes (and from where the last poll left off), so a
 *   record fires if it lands within Look-Back of its call's start.
 * - What fired is remembered by call id until the window has passed its start, so it never
 *   fires twice; the window's start never moves back (not even when the clocks do).
 * - After a failed poll, or while n8n was down, the next poll reads from where the last one
 *   left off, at most MAX_CATCH_UP_HOURS back.
 */

export interface RecordSetup {
	outcome: Outcome | 'all';
	/** '' = any direction. */
	direction: string;
	/** Agent names or numbers; empty = any agent. */
	agents: string[];
	/** DIDs; empty = any. */
	dids: string[];
	lookBackMinutes: number;
	/** Fire at activation for the records already in the look-back window. */
	includeRecent: boolean;
}

/** What the node keeps in workflow static data for this event. */
export interface RecordMemory extends IDataObject {
	/** The settings the memory belongs to; other settings start afresh. */
	setup?: string;
	/** Where the next poll starts reading. */
	from?: WallClock;
	/** The latest end asked for; the next window never ends before it. */
	to?: WallClock;
	/** Record key (call id) → when its call started, for every record that fired in the window. */
	fired?: Record<string, WallClock>;
}

export interface RecordWindow {
	from: WallClock;
	to: WallClock;
	/** No memory of these settings: the first poll after activation or a change. */
	first: boolean;
}

/** How far back a poll reads after an outage or downtime, at most. */
export const MAX_CATCH_UP_HOURS = 24;
/** Bound on remembered records: far above a look-back window of a busy account. */
export const MAX_FIRED = 10_000;
/** Records one poll emits at most; the rest fire at the next poll. */
export const MAX_ITEMS_PER_POLL = 1_000;

export function setupKey(setup: RecordSetup): string {
	const { outcome, direction, agents, dids } = setup;
	return JSON.stringify({ event: 'finishedCall', outcome, direction, agents, dids });
}

const later = (a: WallClock, b: WallClock | undefined) => (b !== undefined && b > a ? b : a);

/** The window this poll reads, in the account's wall clock. */
export function pollWindow(setup: RecordSetup, previous: RecordMemory, now: number, timeZone: string): RecordWindow {
	const first = previous.setup !== setupKey(setup) || typeof previous.from !== 'string';
	const end = wallClockAt(now, timeZone);
	if (first) return { from: wallClockAt(now - setup.lookBackMinutes * 60_000, timeZone), to: end, first };
	const catchUpLimit = wallClockAt(now - MAX_CATCH_UP_HOURS * 3_600_000, timeZone);
	return { from: later(catchUpLimit, previous.from), to: later(end, previous.to), first };
}

function agentMatches(record: CallRecord, wanted: string): boolean {
	const name = text(record.agent_name).toLowerCase();
	if (name !== '' && name === wanted.trim().toLowerCase()) return true;
	return [record.agent_number, record.agent_id].some((value) => sameNumber(value, wanted) || text(value) === wanted.trim());
}

export function matchesRecordFilters(record: CallRecord, setup: RecordSetup): boolean {
	if (setup.outcome !== 'all' && outcomeOf(record) !== setup.outcome) return false;
	if (setup.direction !== '' && directionInWords(record.direction) !== setup.direction) return false;
	if (setup.agents.length > 0 && !setup.agents.some((agent) => agentMatches(record, agent))) return false;
	const did = record.did_number ?? record.did;
	if (setup.dids.length > 0 && !setup.dids.some((wanted) => sameNumber(did, wanted))) return false;
	return true;
}

export interface RecordDecision {
	window: RecordWindow;
	/** Records to emit, oldest call first (none at a first poll that does not replay). */
	due: CallRecord[];
	/**
	 * The memory to keep once the first `emitted` of `due` have been emitted; the others
	 * (left for a later poll: too many, or the recordings budget was used up) fire then.
	 */
	memoryAfter(emitted: number): RecordMemory;
}

/** One poll: what fires from the records read for `window`, and what to remember. */
export function decide(
	setup: RecordSetup,
	previous: RecordMemory,
	window: RecordWindow,
	records: CallRecord[],
	now: number,
	timeZone: string,
): RecordDecision {
	const before = window.first ? {} : (previous.fired ?? {});
	// A record without a readable start is placed at the window's end: its call started before.
	const startAt = (record: CallRecord) => startOf(record) ?? window.to;
	const matching = records
		// A record dated before the window (a provider lenient with from_date) belongs to an
		// earlier window, which already had its chance to fire it.
		.filter((record) => startAt(record) >= window.from && matchesRecordFilters(record, setup))
		.filter((record) => before[recordKey(record)] === undefined)
		.sort((a, b) => (startAt(a) < startAt(b) ? -1 : startAt(a) > startAt(b) ? 1 : 0));
	const replay = !window.first || setup.includeRecent;
	const due = replay ? matching.slice(0, MAX_ITEMS_PER_POLL) : [];

	function memoryAfter(emitted: number): RecordMemory {
		// At a first poll that does not replay, everything matching is remembered unannounced.
		const remembered = replay ? due.slice(0, emitted) : matching;
		const waiting = replay ? matching.slice(emitted) : [];
		let from = wallClockAt(now - setup.lookBackMinutes * 60_000, timeZone);
		if (waiting.length > 0 && startAt(waiting[0]) < from) from = startAt(waiting[0]);
		from = later(from, window.from);

		const fired: Record<string, WallClock> = { ...before };
		for (const record of remembered) fired[recordKey(record)] = startAt(record);
		let kept = Object.entries(fired).filter(([, start]) => start >= from);
		if (kept.length > MAX_FIRED) {
			// Keep the newest; the window starts after the others, so none of them is read again.
			kept.sort((a, b) => (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0));
			const cutoff = kept[MAX_FIRED][1];
			kept = kept.filter(([, start]) => start > cutoff);
			from = later(from, addSeconds(cutoff, 1));
		}
		return { setup: setupKey(setup), from, to: window.to, fired: Object.fromEntries(kept) };
	}

	return { window, due, memoryAfter };
}

/** One output item: the event, the record in plain words, and the provider's own fields. */
export function recordItem(record: CallRecord, timeZone: string, extra: IDataObject = {}): IDataObject {
	const { call_record: callRecord, ...summary } = summariseRecord(record, timeZone);
	return { event: 'finishedCall', ...summary, ...extra, call_record: callRecord };
}

/** Fetch Test Event: the newest record matching the filters, or undefined. */
export function newestRecord(setup: RecordSetup, records: CallRecord[]): CallRecord | undefined {
	const matching = records.filter((record) => matchesRecordFilters(record, setup));
	const startAt = (record: CallRecord) => startOf(record) ?? '';
	return matching.reduce<CallRecord | undefined>((newest, record) => (newest === undefined || startAt(record) > startAt(newest) ? record : newest), undefined);
}
