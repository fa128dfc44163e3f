import type { IDataObject } from 'n8n-workflow';

import { callTimeToSeconds, directionInWords, isAgent, text } from './callWords';
import { answerError } from './transport/providerErrors';
import { smartfloApiRead, type ReadingContext } from './transport/request';

/**
 * The one reader of `GET /v1/live_calls`, for the Call list search and for Smartflo Trigger:
 * the provider's entries, their call ids exactly as the provider wrote them, and the
 * provider's fields in plain words (call_time "00:14:05" → 845 seconds, direction, agent).
 */

/** One entry of `GET /v1/live_calls`, as the provider sends it. */
export interface LiveCall extends IDataObject {
	call_id: string;
}

/** What both nodes show of a live call; `live_call` keeps the provider's own fields. */
export interface LiveCallSummary extends IDataObject {
	call_id: string;
	direction: string;
	duration_seconds: number | null;
	agent: string;
	customer_number: string;
	did: string;
	state: string;
	live_call: LiveCall;
}

/** States in which an agent and the customer are talking (not ringing, dialling or queued). */
const ANSWERED_STATES = new Set(['answered', 'connected', 'bridged', 'ongoing', 'in progress', 'in-progress', 'on hold', 'hold']);

export function isAnswered(call: LiveCall): boolean {
	return ANSWERED_STATES.has(text(call.state).toLowerCase());
}

/**
 * JSON numbers lose trailing zeros (1758782590.8130 → 1758782590.813, another call's id), so
 * a call id the provider sent as a number is read from the answer's text as written. Returns
 * them in the order they appear; the caller checks each against the parsed value.
 */
function numericCallIdsIn(rawText: string): string[] {
	return [...rawText.matchAll(/"call_id"\s*:\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*[,}\]]/g)].map((match) => match[1]);
}

/**
 * The object entries of a provider's list, each with its call id as text exactly as the
 * provider wrote it ('' when it has none that can be read), from the parsed list and the
 * answer's raw text. Shared by every reader of a list that carries call ids.
 */
export function entriesWithCallIds(entries: unknown[], rawText = ''): Array<{ fields: IDataObject; callId: string }> {
	const written = numericCallIdsIn(rawText);
	let nextWritten = 0;
	const read: Array<{ fields: IDataObject; callId: string }> = [];
	for (const entry of entries) {
		if (!entry || typeof entry !== 'object' || Array.isArray(entry)) continue;
		const fields = entry as IDataObject;
		let callId = typeof fields.call_id === 'string' ? fields.call_id.trim() : '';
		if (typeof fields.call_id === 'number') {
			const asWritten = written[nextWritten];
			nextWritten += 1;
			callId = asWritten !== undefined && Number(asWritten) === fields.call_id ? asWritten : '';
		}
		read.push({ fields, callId });
	}
	return read;
}

/**
 * The live calls of an answer, each with its call id as text. Entries without a usable
 * call id are left out: nothing could act on them.
 */
function parseLiveCalls(body: unknown, rawText = ''): LiveCall[] {
	if (!Array.isArray(body)) return [];
	return entriesWithCallIds(body as unknown[], rawText)
		.filter(({ callId }) => callId !== '')
		.map(({ fields, callId }) => ({ ...fields, call_id: callId }));
}

/**
 * The calls live right now, from `GET /v1/live_calls`. An answer that is not a list is an
 * error: read as "no calls", it would look as if every call had ended.
 */
export async function readLiveCalls(this: ReadingContext): Promise<LiveCall[]> {
	const what = 'list live calls';
	const { body, text: rawText } = await smartfloApiRead.call(this, 'GET', '/v1/live_calls', what);
	if (!Array.isArray(body)) {
		throw answerError(
			this.getNode(),
			{
				ok: false,
				status: 200,
				label: 'HTTP 200, not a list',
				providerMessage: 'the provider answered with something other than the list of live calls',
			},
			what,
		);
	}
	return parseLiveCalls(body, rawText);
}

/** Who the call's agent is, as the filters and By Phone Number compare it (see isAgent). */
export function agentOf(call: LiveCall): { name: unknown; ids: unknown[] } {
	const agentSide = directionInWords(call.direction) === 'outbound' ? call.source : call.destination;
	return { name: call.agent_name, ids: [call.agent_number, call.agent_id, call.extension, agentSide] };
}

/** Whether `wanted` names the call's agent: name, number, extension or id. */
export const hasAgent = (call: LiveCall, wanted: string): boolean => isAgent(agentOf(call), wanted);

export function customerNumberOf(call: LiveCall): string {
	if (text(call.customer_number) !== '') return text(call.customer_number);
	return text(directionInWords(call.direction) === 'outbound' ? call.destination : call.source);
}

/** A live call in plain words, with the provider's own fields under `live_call`. */
export function summarise(call: LiveCall): LiveCallSummary {
	return {
		call_id: call.call_id,
		direction: directionInWords(call.direction),
		duration_seconds: callTimeToSeconds(call.call_time),
		agent: text(call.agent_name),
		customer_number: customerNumberOf(call),
		did: text(call.did),
		state: text(call.state),
		live_call: call,
	};
}

/** How the Call list shows a live call: "9876500001 ↔ Asha Rao (inbound, answered)". */
export function liveCallLabel(call: LiveCall): string {
	const agent = text(call.agent_name) || 'no agent yet';
	const customer = customerNumberOf(call) || 'unknown number';
	const details = [text(call.direction), text(call.state)].filter(Boolean).join(', ');
	return `${customer} ↔ ${agent}${details ? ` (${details})` : ''}`;
}
