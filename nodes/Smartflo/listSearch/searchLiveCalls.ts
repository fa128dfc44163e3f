import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { smartfloApiRequest } from '../transport/apiRequest';

interface LiveCall {
	call_id?: string;
	direction?: string;
	source?: string;
	destination?: string;
	customer_number?: string;
	agent_name?: string;
	state?: string;
	did?: string;
}

function label(call: LiveCall): string {
	const agent = call.agent_name || 'no agent yet';
	const customer = call.customer_number || call.source || 'unknown number';
	const details = [call.direction, call.state].filter(Boolean).join(', ');
	return `${customer} ↔ ${agent}${details ? ` (${details})` : ''}`;
}

/** Calls live right now (`GET /v1/live_calls`), searchable by number, agent or id. */
export async function searchLiveCalls(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const body = await smartfloApiRequest.call(this, 'GET', '/v1/live_calls', 'list live calls');
	const calls = (Array.isArray(body) ? body : []) as LiveCall[];
	const needle = filter?.trim().toLowerCase() ?? '';
	const results: INodeListSearchItems[] = calls
		.filter((call) => typeof call.call_id === 'string' && call.call_id !== '')
		.map((call) => ({ name: `${label(call)} · ${call.call_id}`, value: call.call_id as string }))
		.filter((item) => needle === '' || item.name.toLowerCase().includes(needle));
	return { results };
}
