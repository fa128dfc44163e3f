import type { IDataObject, IPollFunctions } from 'n8n-workflow';

/** The trigger's Filters, shared by every event: direction, agents and DIDs. */
export interface TriggerFilters {
	/** '' = any direction. */
	direction: string;
	/** Agent names or numbers; empty = any agent. */
	agents: string[];
	/** DIDs; empty = any. */
	dids: string[];
}

const LIST_SEPARATOR = /[,\n]/;

function listOf(value: unknown): string[] {
	return String(value ?? '')
		.split(LIST_SEPARATOR)
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}

export function filtersOf(context: IPollFunctions): TriggerFilters {
	const filters = context.getNodeParameter('filters', {}) as IDataObject;
	return {
		direction: typeof filters.direction === 'string' && filters.direction !== 'any' ? filters.direction : '',
		agents: listOf(filters.agent),
		dids: listOf(filters.did),
	};
}
