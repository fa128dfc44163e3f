import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { liveCallLabel, readLiveCalls, runningTimeInWords } from '../shared/liveCalls';

/** "14m 05s · " for a call_time of 00:14:05; nothing when the provider gave none. */
function runningFor(callTime: unknown): string {
	const words = runningTimeInWords(callTime);
	return words === '' ? '' : `${words} · `;
}

/** Calls live right now (`GET /v1/live_calls`), searchable by number, agent or id. */
export async function searchLiveCalls(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const calls = await readLiveCalls.call(this);
	const needle = filter?.trim().toLowerCase() ?? '';
	const results: INodeListSearchItems[] = calls
		// The id and how long the call has run first: the editor cuts long labels at the end.
		.map((call) => ({ name: `${call.call_id} · ${runningFor(call.call_time)}${liveCallLabel(call)}`, value: call.call_id }))
		.filter((item) => needle === '' || item.name.toLowerCase().includes(needle));
	return { results };
}
