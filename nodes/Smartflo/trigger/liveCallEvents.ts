import type { IDataObject } from 'n8n-workflow';

import { agentOf, isAnswered, summarise, type LiveCall } from '../shared/liveCalls';
import { passesFilters } from './filters';

/**
 * What Smartflo Trigger decides at each poll, apart from n8n: given what it remembers
 * (the node's workflow static data) and the calls live now, which calls fire and what to
 * remember next. Each call fires at most once per event; what is remembered is pruned as
 * calls end and bounded.
 *
 * A call counts as gone only once it is missing from GONE_AFTER_MISSES successful answers in
 * a row: an answer that lacks a live call once (a transfer in progress, a provider glitch)
 * neither ends it nor makes the trigger forget that it fired. Counted in answers, not time,
 * because the polling interval is the user's (a minute, an hour, a cron rule): a grace
 * period in minutes would be shorter than one interval at some settings and needlessly long
 * at others, while one more answer costs exactly one interval whatever it is.
 */

export type TriggerEvent = 'callRunningLong' | 'newLiveCall' | 'callEnded';

export interface TriggerSetup {
	event: TriggerEvent;
	/** Long Call: minutes. */
	minutes: number;
	/** Long Call: only calls in an answered state. */
	answeredOnly: boolean;
	/** '' = any direction. */
	direction: string;
	/** Agent names or numbers; empty = any agent. */
	agents: string[];
	/** DIDs; empty = any. */
	dids: string[];
	/** Fire at activation for calls already live (Long Call, New Live Call). */
	includeAlreadyLive: boolean;
}

/** What the node keeps in workflow static data. */
export interface TriggerMemory extends IDataObject {
	/** The settings the memory belongs to; other settings start afresh. */
	setup?: string;
	/** Long Call, New Live Call: call id → when it fired (ms). */
	fired?: Record<string, number>;
	/** Long Call, New Live Call: fired call id → successive answers that lacked it (below GONE_AFTER_MISSES). */
	missing?: Record<string, number>;
	/** Call Ended: call id → the call as last seen live, and successive answers that lacked it since. */
	tracked?: Record<string, TrackedCall>;
}

export interface TrackedCall extends IDataObject {
	firstSeenAt: number;
	lastSeenAt: number;
	call: LiveCall;
	/** Successive answers without the call (absent: it was in the last one). */
	missed?: number;
}

/** Bounds on memory: far above the calls one account has live at once. */
export const MAX_FIRED = 5000;
export const MAX_TRACKED = 2000;
/** A call is gone once this many successful answers in a row lack it. */
export const GONE_AFTER_MISSES = 2;

export function setupKey(setup: TriggerSetup): string {
	const { event, direction, agents, dids } = setup;
	const long = event === 'callRunningLong' ? { minutes: setup.minutes, answeredOnly: setup.answeredOnly } : {};
	return JSON.stringify({ event, ...long, direction, agents, dids });
}

export function matchesFilters(call: LiveCall, setup: TriggerSetup): boolean {
	return passesFilters({ direction: call.direction, did: call.did, agent: agentOf(call) }, setup);
}

/** Whether a call (that passes the filters) is what the event is about right now. */
export function meetsEvent(call: LiveCall, setup: TriggerSetup): boolean {
	if (setup.event !== 'callRunningLong') return true;
	const seconds = summarise(call).duration_seconds;
	if (seconds === null || seconds <= setup.minutes * 60) return false;
	return !setup.answeredOnly || isAnswered(call);
}

/** One output item: the event, the call in plain words, and the provider's own fields. */
export function eventItem(event: TriggerEvent, call: LiveCall, extra: IDataObject = {}): IDataObject {
	const { live_call: liveCall, ...summary } = summarise(call);
	return { event, ...summary, ...extra, live_call: liveCall };
}

function newest<T>(entries: Array<[string, T]>, max: number, at: (value: T) => number): Record<string, T> {
	const kept = entries.length > max ? [...entries].sort((a, b) => at(b[1]) - at(a[1])).slice(0, max) : entries;
	return Object.fromEntries(kept);
}

export interface PollDecision {
	items: IDataObject[];
	memory: TriggerMemory;
}

/** One poll: the items to emit (maybe none) and the memory to keep. */
export function decide(setup: TriggerSetup, previous: TriggerMemory, calls: LiveCall[], now: number): PollDecision {
	const key = setupKey(setup);
	const first = previous.setup !== key;
	const liveIds = new Set(calls.map((call) => call.call_id));

	if (setup.event === 'callEnded') {
		const before = first ? {} : (previous.tracked ?? {});
		const items: IDataObject[] = [];
		const stillTracked: Array<[string, TrackedCall]> = [];
		for (const [callId, seen] of Object.entries(before)) {
			if (liveIds.has(callId)) continue;
			const missed = (seen.missed ?? 0) + 1;
			if (missed < GONE_AFTER_MISSES) {
				stillTracked.push([callId, { ...seen, missed }]);
				continue;
			}
			items.push(
				eventItem('callEnded', seen.call, {
					last_seen_at: new Date(seen.lastSeenAt).toISOString(),
					ended_noticed_at: new Date(now).toISOString(),
				}),
			);
		}
		// Calls stay tracked once seen, also when a transfer moves them off the filtered agent.
		const tracked = calls
			.filter((call) => before[call.call_id] !== undefined || matchesFilters(call, setup))
			.map((call): [string, TrackedCall] => [call.call_id, { firstSeenAt: before[call.call_id]?.firstSeenAt ?? now, lastSeenAt: now, call }]);
		tracked.push(...stillTracked);
		return { items, memory: { setup: key, tracked: newest(tracked, MAX_TRACKED, (seen) => seen.firstSeenAt) } };
	}

	// Forget calls that ended (missing from enough answers): the memory never outgrows what is live.
	const firedBefore = first ? {} : (previous.fired ?? {});
	const missingBefore = first ? {} : (previous.missing ?? {});
	const fired: Record<string, number> = {};
	const missing: Record<string, number> = {};
	for (const [callId, at] of Object.entries(firedBefore)) {
		if (liveIds.has(callId)) {
			fired[callId] = at;
			continue;
		}
		const missed = (missingBefore[callId] ?? 0) + 1;
		if (missed >= GONE_AFTER_MISSES) continue;
		fired[callId] = at;
		missing[callId] = missed;
	}
	const due = calls.filter((call) => fired[call.call_id] === undefined && matchesFilters(call, setup) && meetsEvent(call, setup));
	for (const call of due) fired[call.call_id] = now;
	// At activation, calls already live are remembered, not replayed, unless asked for.
	const replay = !first || setup.includeAlreadyLive;
	const items = replay ? due.map((call) => eventItem(setup.event, call)) : [];
	const kept = newest(Object.entries(fired), MAX_FIRED, (at) => at);
	const memory: TriggerMemory = { setup: key, fired: kept };
	const stillMissing = Object.entries(missing).filter(([callId]) => kept[callId] !== undefined);
	if (stillMissing.length > 0) memory.missing = Object.fromEntries(stillMissing);
	return { items, memory };
}

/** Fetch Test Event: one real call the event is about now, or undefined. */
export function sampleCall(setup: TriggerSetup, calls: LiveCall[]): LiveCall | undefined {
	const candidates = calls.filter((call) => matchesFilters(call, setup) && meetsEvent(call, setup));
	const seconds = (call: LiveCall) => summarise(call).duration_seconds ?? 0;
	// The longest-running call for long calls and ended calls, the newest for new calls.
	const order = setup.event === 'newLiveCall' ? 1 : -1;
	return [...candidates].sort((a, b) => order * (seconds(a) - seconds(b)))[0];
}
