import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { smartfloApiRequest } from '../transport/apiRequest';

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

/**
 * Agents from `GET /v1/users`, one page per call; n8n asks for the next page with the
 * provider's `last_seen_id` cursor as it scrolls. The API has no name search, so the
 * filter applies to each page as it arrives.
 */
export async function searchAgents(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const qs = paginationToken ? { limit: PAGE_SIZE, last_seen_id: paginationToken } : { limit: PAGE_SIZE };
	const page = ((await smartfloApiRequest.call(this, 'GET', '/v1/users', 'list agents', qs)) ??
		{}) as UsersPage;
	const needle = filter?.trim().toLowerCase() ?? '';
	const results = (page.data ?? [])
		.filter((user) => typeof user.agent?.id === 'string' && user.agent.id !== '')
		.map((user) => {
			const name = user.agent?.name || user.name || 'Unnamed agent';
			const extension = user.extension ? ` · ext ${user.extension}` : '';
			const status = user.agent?.status ? ` (${user.agent.status})` : '';
			return { name: `${name}${extension}${status}`, value: user.agent?.id as string };
		})
		.filter((item) => needle === '' || `${item.name} ${item.value}`.toLowerCase().includes(needle));
	const more = page.has_more === true && page.last_seen_id !== undefined && page.last_seen_id !== '';
	return { results, paginationToken: more ? String(page.last_seen_id) : undefined };
}
