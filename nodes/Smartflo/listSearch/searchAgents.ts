import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { smartfloApiRequest } from '../shared/transport/request';

interface UsersPage {
	has_more?: boolean;
	last_seen_id?: string | number;
	data?: Array<{
		id?: string | number;
		name?: string;
		extension?: string | number;
		agent?: { id?: string; name?: string; status?: string };
	}>;
}

const PAGE_SIZE = 50;
/** The users API's largest page, for reading through all agents when the user types. */
const SEARCH_PAGE_SIZE = 100;
/** A filter reads at most this many pages (2,000 users) before it offers the rest as "more". */
const MAX_SEARCH_PAGES = 20;

type AgentResult = INodeListSearchResult['results'][number];

async function readPage(context: ILoadOptionsFunctions, limit: number, after?: string) {
	const qs = after ? { limit, last_seen_id: after } : { limit };
	const page = ((await smartfloApiRequest.call(context, 'GET', '/v1/users', 'list agents', qs)) ?? {}) as UsersPage;
	const agents: AgentResult[] = (page.data ?? [])
		.filter((user) => typeof user.agent?.id === 'string' && user.agent.id !== '')
		.map((user) => {
			const name = user.agent?.name || user.name || 'Unnamed agent';
			const extension = user.extension ? ` · ext ${user.extension}` : '';
			const status = user.agent?.status ? ` (${user.agent.status})` : '';
			return { name: `${name}${extension}${status}`, value: user.agent?.id as string };
		});
	const more = page.has_more === true && page.last_seen_id !== undefined && page.last_seen_id !== '';
	return { agents, next: more ? String(page.last_seen_id) : undefined };
}

/**
 * Agents from `GET /v1/users`. Browsing: one page per call, and n8n asks for the next with
 * the provider's `last_seen_id` cursor as the user scrolls. Typing: the API has no name
 * search and the editor asks for more only on a scroll, which a short list never offers, so
 * the search reads on through the pages itself and returns every match at once.
 */
export async function searchAgents(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const needle = filter?.trim().toLowerCase() ?? '';
	if (needle === '') {
		const { agents, next } = await readPage(this, PAGE_SIZE, paginationToken);
		return { results: agents, paginationToken: next };
	}
	const results: AgentResult[] = [];
	let next = paginationToken;
	for (let page = 0; page < MAX_SEARCH_PAGES; page += 1) {
		const read = await readPage(this, SEARCH_PAGE_SIZE, next);
		results.push(...read.agents.filter((item) => `${item.name} ${item.value}`.toLowerCase().includes(needle)));
		next = read.next;
		if (next === undefined) break;
	}
	return { results, paginationToken: next };
}
