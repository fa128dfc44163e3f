import type { IDataObject } from 'n8n-workflow';

import { outcomeOf, recordKey, startOf, summariseRecord, type CallRecord, type Outcome } from '../shared/callRecords';
import { addSeconds, instantOf, isKnownTimeZone, wallClockAt, type WallClock } from '../shared/timeZones';
import { passesFilters } from './filters';

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
	/** The time zone `from` and `to` are wall clocks of (a change of zone moves them to the same instants). */
	zone?: string;
	/** Where the next poll starts reading. */
	from?: WallClock;
	/** The latest end read; the next window never ends before it. */
	to?: WallClock;
	/** Record key (call id) → when its call started, for every record that fired in the window. */
	fired?: Record<string, WallClock>;
	/**
	 * Every record forgotten (or dropped) started before this wall clock, so no window may start
	 * earlier: this is what keeps "never twice" when the window has to move back.
	 */
	floor?: WallClock;
	/**
	 * Records were left waiting, or the window was only read in part, at the last poll: the
	 * next one reads on from `from`, however old (see MAX_CATCH_UP_HOURS).
	 */
	backlog?: boolean;
	/** Record key → when its recording was first found not ready (ms since the epoch). */
	recordingRetries?: Record<string, number>;
}

export interface RecordWindow {
	from: WallClock;
	/** The end of the window; for decide, the end of what was read of it. */
	to: WallClock;
	/** No memory of these settings: the first poll after activation or a change. */
	first: boolean;
}

/** How far back a poll reads after an outage or downtime, at most; and how long a record may wait. */
export const MAX_CATCH_UP_HOURS = 24;
/** Bound on remembered records: far above a look-back window of a busy account (more only while older records wait). */
export const MAX_FIRED = 10_000;
/** Records one poll emits at most; the rest fire at the next poll. */
export const MAX_ITEMS_PER_POLL = 1_000;

export function setupKey(setup: RecordSetup): string {
	const { outcome, direction, agents, dids } = setup;
	return JSON.stringify({ event: 'finishedCall', outcome, direction, agents, dids });
}

const later = (a: WallClock, b: WallClock | undefined) => (b !== undefined && b > a ? b : a);
const earlier = (a: WallClock, b: WallClock) => (b < a ? b : a);

/** A wall clock this node computed in `zone`, as the same instant in `timeZone`. */
function movedTo(wallClock: WallClock, zone: unknown, timeZone: string): WallClock {
	if (typeof zone !== 'string' || zone === timeZone || !isKnownTimeZone(zone)) return wallClock;
	const instant = instantOf(wallClock, zone);
	return instant === undefined ? wallClock : wallClockAt(instant, timeZone);
}

/** Whether a wall clock of the zone names an instant after `now`. */
const inFuture = (wallClock: WallClock, now: number, timeZone: string) => (instantOf(wallClock, timeZone) ?? -Infinity) > now;

/**
 * The window this poll reads, in the account's wall clock. The remembered window follows a
 * change of zone (the same instants in the new zone) and never stands in the future (a clock
 * that jumped forward, a zone that was wrong): a start after now moves back to the look-back,
 * never before `floor`, so nothing that fired and was forgotten is read again.
 */
export function pollWindow(setup: RecordSetup, previous: RecordMemory, now: number, timeZone: string): RecordWindow {
	const first = previous.setup !== setupKey(setup) || typeof previous.from !== 'string';
	const end = wallClockAt(now, timeZone);
	const lookBackStart = wallClockAt(now - setup.lookBackMinutes * 60_000, timeZone);
	if (first) return { from: lookBackStart, to: end, first };
	let from = movedTo(previous.from!, previous.zone, timeZone);
	let to = typeof previous.to === 'string' ? movedTo(previous.to, previous.zone, timeZone) : end;
	if (inFuture(from, now, timeZone)) from = lookBackStart;
	if (inFuture(to, now, timeZone)) to = end;
	from = later(from, previous.floor);
	// A backlog is read from its oldest record, however old (decide drops and reports what
	// waited too long); after an outage, at most MAX_CATCH_UP_HOURS back.
	if (previous.backlog !== true) from = later(wallClockAt(now - MAX_CATCH_UP_HOURS * 3_600_000, timeZone), from);
	return { from, to: later(end, to), first };
}

export function matchesRecordFilters(record: CallRecord, setup: RecordSetup): boolean {
	if (setup.outcome !== 'all' && outcomeOf(record) !== setup.outcome) return false;
	return passesFilters({ direction: record.direction, did: record.did_number ?? record.did, agent: { name: record.agent_name, ids: [record.agent_number, record.agent_id] } }, setup);
}

export interface RecordDecision {
	window: RecordWindow;
	/** Records to emit, oldest call first (none at a first poll that does not replay). */
	due: CallRecord[];
	/** Records that waited longer than MAX_CATCH_UP_HOURS: never emitted, to be reported. */
	dropped: CallRecord[];
	/**
	 * The memory to keep once the records of `due` whose keys are in `emitted` have been
	 * emitted; the others (left for a later poll: too many, the recordings budget, a
	 * recording not ready yet, with `recordingRetries`) fire then.
	 */
	memoryAfter(emitted: ReadonlySet<string>, recordingRetries?: Record<string, number>): RecordMemory;
}

/**
 * One poll: what fires from the records read for `window` (its `to` is where the read
 * ended, which may be before now when the window was too long for one poll), and what to
 * remember.
 */
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
	const startAt = (record: CallRecord) => startOf(record, timeZone) ?? window.to;
	const matching = records
		// A record dated before the window (a provider lenient with from_date) belongs to an
		// earlier window, which already had its chance to fire it.
		.filter((record) => startAt(record) >= window.from && startAt(record) <= window.to && matchesRecordFilters(record, setup))
		.filter((record) => before[recordKey(record)] === undefined)
		.sort((a, b) => (startAt(a) < startAt(b) ? -1 : startAt(a) > startAt(b) ? 1 : 0));
	const replay = !window.first || setup.includeRecent;
	const oldestKept = wallClockAt(now - MAX_CATCH_UP_HOURS * 3_600_000, timeZone);
	const dropped = replay ? matching.filter((record) => startAt(record) < oldestKept) : [];
	const live = replay ? matching.filter((record) => startAt(record) >= oldestKept) : [];
	const due = live.slice(0, MAX_ITEMS_PER_POLL);

	function memoryAfter(emitted: ReadonlySet<string>, recordingRetries: Record<string, number> = {}): RecordMemory {
		// At a first poll that does not replay, everything matching is remembered unannounced.
		const remembered = replay ? due.filter((record) => emitted.has(recordKey(record))) : matching;
		const waiting = live.filter((record) => !emitted.has(recordKey(record)));
		let from = wallClockAt(now - setup.lookBackMinutes * 60_000, timeZone);
		if (waiting.length > 0) from = earlier(from, startAt(waiting[0]));
		from = later(from, window.from);
		// Read only up to window.to (a long window, in pieces): the next poll goes on from there.
		const partial = window.to < wallClockAt(now, timeZone);
		if (partial) from = earlier(from, addSeconds(window.to, 1));
		let floor = window.first ? undefined : (previous.floor as WallClock | undefined);
		if (dropped.length > 0) floor = later(addSeconds(startAt(dropped[dropped.length - 1]), 1), floor);

		const fired: Record<string, WallClock> = { ...before };
		for (const record of remembered) fired[recordKey(record)] = startAt(record);
		let kept = Object.entries(fired);
		for (const [, start] of kept) if (start < from) floor = later(addSeconds(start, 1), floor);
		kept = kept.filter(([, start]) => start >= from);
		if (kept.length > MAX_FIRED) {
			// Keep the newest; the window starts after the others, so none of them is read
			// again. Never past a record still waiting: the memory then holds more for a while.
			kept.sort((a, b) => (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0));
			let cutoff = kept[MAX_FIRED][1];
			if (waiting.length > 0) cutoff = earlier(cutoff, addSeconds(startAt(waiting[0]), -1));
			kept = kept.filter(([, start]) => start > cutoff);
			from = later(from, addSeconds(cutoff, 1));
			floor = later(addSeconds(cutoff, 1), floor);
		}
		const waitingKeys = new Set(waiting.map(recordKey));
		const retries = Object.entries(recordingRetries).filter(([key]) => waitingKeys.has(key));
		return {
			setup: setupKey(setup),
			zone: timeZone,
			from,
			to: window.to,
			fired: Object.fromEntries(kept),
			...(floor !== undefined ? { floor } : {}),
			...(waiting.length > 0 || partial ? { backlog: true } : {}),
			...(retries.length > 0 ? { recordingRetries: Object.fromEntries(retries) } : {}),
		};
	}

	return { window, due, dropped, memoryAfter };
}

/** One output item: the event, the record in plain words, and the provider's own fields. */
export function recordItem(record: CallRecord, timeZone: string, extra: IDataObject = {}): IDataObject {
	const { call_record: callRecord, ...summary } = summariseRecord(record, timeZone);
	return { event: 'finishedCall', ...summary, ...extra, call_record: callRecord };
}

/** Fetch Test Event: the newest record matching the filters, or undefined. */
export function newestRecord(setup: RecordSetup, records: CallRecord[], timeZone: string): CallRecord | undefined {
	const matching = records.filter((record) => matchesRecordFilters(record, setup));
	const startAt = (record: CallRecord) => startOf(record, timeZone) ?? '';
	return matching.reduce<CallRecord | undefined>((newest, record) => (newest === undefined || startAt(record) > startAt(newest) ? record : newest), undefined);
}
