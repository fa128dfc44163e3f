import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { liveCallLabel, parseLiveCalls } from '../shared/liveCalls';
import { smartfloApiRead } from '../transport/apiRequest';

/** Calls live right now (`GET /v1/live_calls`), searchable by number, agent or id. */
export async function searchLiveCalls(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const { body, text } = await smartfloApiRead.call(this, 'GET', '/v1/live_calls', 'list live calls');
	const needle = filter?.trim().toLowerCase() ?? '';
	const results: INodeListSearchItems[] = parseLiveCalls(body, text)
		.map((call) => ({ name: `${liveCallLabel(call)} · ${call.call_id}`, value: call.call_id }))
		.filter((item) => needle === '' || item.name.toLowerCase().includes(needle));
	return { results };
}
