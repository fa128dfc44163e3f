import type { IDataObject, INodeProperties, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';

import { directionInWords, isAgent } from '../shared/callWords';
import { sameNumber } from '../shared/numbers';

/**
 * The triggers' Filters, shared by every event of both triggers (live calls, call records,
 * portal webhooks): direction, agents and DIDs, each compared in the event item's plain words.
 */
export interface TriggerFilters {
	/** '' = any direction. */
	direction: string;
	/** Agent names or numbers; empty = any agent. */
	agents: string[];
	/** DIDs; empty = any. */
	dids: string[];
}

/** What the filters look at in one call, whichever source it comes from. */
export interface FilterFacts {
	direction: unknown;
	did: unknown;
	agent: { name: unknown; ids: unknown[] };
}

/** The Filters field, the same on both triggers. */
export const filterProperty: INodeProperties = {
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add Filter',
	default: {},
	options: [
		{
			displayName: 'Agent',
			name: 'agent',
			type: 'string',
			default: '',
			placeholder: 'e.g. Asha Rao, 0502842370097',
			description: 'Only calls of these agents: full names or agent numbers, separated by commas',
		},
		{
			displayName: 'DID',
			name: 'did',
			type: 'string',
			default: '',
			placeholder: 'e.g. 8049990000',
			description: 'Only calls on these numbers of yours (DIDs), separated by commas',
		},
		{
			displayName: 'Direction',
			name: 'direction',
			type: 'options',
			options: [
				{ name: 'Any', value: 'any' },
				{ name: 'Inbound', value: 'inbound' },
				{ name: 'Outbound', value: 'outbound' },
			],
			default: 'any',
		},
	],
};

const LIST_SEPARATOR = /[,\n]/;

function listOf(value: unknown): string[] {
	return String(value ?? '')
		.split(LIST_SEPARATOR)
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}

export function filtersOf(context: IPollFunctions | IWebhookFunctions): TriggerFilters {
	const filters = context.getNodeParameter('filters', {}) as IDataObject;
	return {
		direction: typeof filters.direction === 'string' && filters.direction !== 'any' ? filters.direction : '',
		agents: listOf(filters.agent),
		dids: listOf(filters.did),
	};
}

export const hasFilters = (filters: TriggerFilters): boolean => filters.direction !== '' || filters.agents.length > 0 || filters.dids.length > 0;

/** Whether a call passes the filters: its direction, one of its agents, one of the DIDs. */
export function passesFilters(facts: FilterFacts, filters: TriggerFilters): boolean {
	if (filters.direction !== '' && directionInWords(facts.direction) !== filters.direction) return false;
	if (filters.agents.length > 0 && !filters.agents.some((wanted) => isAgent(facts.agent, wanted))) return false;
	if (filters.dids.length > 0 && !filters.dids.some((wanted) => sameNumber(facts.did, wanted))) return false;
	return true;
}
