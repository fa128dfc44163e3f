import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { callTimeToSeconds } from '../shared/callWords';
import { liveCallLabel, readLiveCalls } from '../shared/liveCalls';

/**
 * "since 14:02 · " for a call that has run 14 minutes at 14:16 in the workflow's time zone;
 * nothing when the provider gave no call_time. A start time rather than a running time: n8n
 * keeps the picked item's label (cachedResultName) as it was, and a running time there
 * would go stale at once.
 */
function since(callTime: unknown, timeZone: string, now: number): string {
	const seconds = callTimeToSeconds(callTime);
	if (seconds === null) return '';
	const format = (zone: string) =>
		new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(now - seconds * 1000));
	try {
		return `since ${format(timeZone)} · `;
	} catch {
		return `since ${format('UTC')} UTC · `;
	}
}

/** Calls live right now (`GET /v1/live_calls`), searchable by number, agent or id. */
export async function searchLiveCalls(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const calls = await readLiveCalls.call(this);
	const timeZone = this.getTimezone();
	const now = Date.now();
	const needle = filter?.trim().toLowerCase() ?? '';
	const results: INodeListSearchItems[] = calls
		// The id and when the call started first: the editor cuts long labels at the end.
		.map((call) => ({ name: `${call.call_id} · ${since(call.call_time, timeZone, now)}${liveCallLabel(call)}`, value: call.call_id }))
		.filter((item) => needle === '' || item.name.toLowerCase().includes(needle));
	return { results };
}
