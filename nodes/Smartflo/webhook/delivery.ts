import type { IDataObject } from 'n8n-workflow';

/**
 * One portal delivery as the node reads it: the fields of a GET's query, or of a POST's
 * JSON, form or plain-text body, with the keys a customer typed cleaned up, placeholders the
 * portal left unreplaced read as empty, nested values sent as JSON text parsed, and a call id
 * sent as a JSON number read back from the raw body with the digits the provider wrote.
 */

export interface Received {
	method: string;
	contentType: string;
	/** The URL's query, without the node's own `event` and `secret`. */
	query: IDataObject;
	/** What n8n parsed the body into (an object for JSON and form bodies). */
	body: unknown;
	/** The body's bytes as they arrived, where n8n keeps them. */
	rawBody?: string;
}

export type Delivery =
	| { ok: true; fields: IDataObject; callId: string; notes: string[] }
	| { ok: false; problem: string };

/** A placeholder the portal did not replace: "$answered_agent_number". */
const UNREPLACED = /^\$[A-Za-z_][A-Za-z0-9_]*$/;
/** What is left of "$answered_agent_number" when the portal replaced "$answered_agent" with nothing. */
const LEFTOVER = /^_(?:number|name|id)$/;

export const QUOTE_EVERY_VARIABLE = 'Paste the body template the node shows for this event: every $variable in quotes, e.g. "call_id": "$call_id".';

const isObject = (value: unknown): value is IDataObject => !!value && typeof value === 'object' && !Array.isArray(value);

/** "$call_id", " call_id " → "call_id". */
export const cleanKey = (key: string): string => key.trim().replace(/^\$+/, '').trim();

function cleanValue(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	const trimmed = value.trim();
	if (UNREPLACED.test(trimmed) || LEFTOVER.test(trimmed)) return '';
	if (/^[[{]/.test(trimmed)) {
		try {
			return JSON.parse(trimmed) as unknown;
		} catch {
			return trimmed;
		}
	}
	return trimmed;
}

function cleanFields(source: IDataObject): IDataObject {
	const fields: IDataObject = {};
	for (const [key, value] of Object.entries(source)) {
		const name = cleanKey(key);
		if (name !== '' && !(name in fields && fields[name] !== '')) fields[name] = cleanValue(value) as IDataObject[string];
	}
	return fields;
}

/** A JSON text with unquoted empty variables (`"a": , "b": }`) made valid: they become "". */
const withEmptiesQuoted = (raw: string) => raw.replace(/:\s*(?=[,}])/g, ': ""');

function parseText(raw: string): { fields?: IDataObject; notes: string[]; problem?: string } {
	const trimmed = raw.trim();
	if (trimmed === '') return { fields: {}, notes: [] };
	if (/^[{[]/.test(trimmed)) {
		try {
			const parsed = JSON.parse(trimmed) as unknown;
			return isObject(parsed) ? { fields: parsed, notes: [] } : { problem: 'the body is JSON but not an object of fields', notes: [] };
		} catch {
			try {
				const repaired = JSON.parse(withEmptiesQuoted(trimmed)) as unknown;
				if (isObject(repaired)) {
					return { fields: repaired, notes: [`The body was not valid JSON: an unquoted $variable was empty and was read as "". ${QUOTE_EVERY_VARIABLE}`] };
				}
			} catch {
				// Not repairable: said below.
			}
			return { problem: `the body is not valid JSON (often an unquoted $variable that was empty). ${QUOTE_EVERY_VARIABLE}`, notes: [] };
		}
	}
	if (trimmed.includes('=')) return { fields: Object.fromEntries(new URLSearchParams(trimmed)), notes: [] };
	return { fields: { text: trimmed }, notes: [] };
}

/** The digits a JSON number call id was written with: 1758790010.9010 keeps its zero. */
function callIdAsWritten(raw: string, parsed: number): string | undefined {
	for (const match of raw.matchAll(/"\s*\$?\s*call_id\s*"\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*[,}]/g)) {
		if (Number(match[1]) === parsed) return match[1];
	}
	return undefined;
}

export function readDelivery(received: Received): Delivery {
	const notes: string[] = [];
	let source: IDataObject = {};
	if (received.method !== 'GET') {
		const raw = received.rawBody ?? '';
		if (isObject(received.body) && Object.keys(received.body).length > 0) {
			source = received.body;
		} else if (typeof received.body === 'string' || raw.trim() !== '') {
			const read = parseText(typeof received.body === 'string' && received.body.trim() !== '' ? received.body : raw);
			if (!read.fields) return { ok: false, problem: read.problem ?? 'the body cannot be read' };
			source = read.fields;
			notes.push(...read.notes);
		}
	}
	// The query's fields (all of a GET's), under the body's where both have one.
	const fields = cleanFields({ ...received.query, ...source });

	let callId = typeof fields.call_id === 'string' ? fields.call_id : '';
	if (typeof fields.call_id === 'number') {
		const written = callIdAsWritten(received.rawBody ?? '', fields.call_id);
		callId = written ?? String(fields.call_id);
		if (written === undefined) {
			notes.push(`call_id arrived as a JSON number (${callId}) and its digits as written could not be read back: it may have lost trailing zeros. ${QUOTE_EVERY_VARIABLE}`);
		}
		fields.call_id = callId;
	}
	return { ok: true, fields, callId, notes };
}
