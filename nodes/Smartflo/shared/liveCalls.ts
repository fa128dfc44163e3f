import type { IDataObject } from 'n8n-workflow';

import { sameNumber } from './numbers';
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

export type Direction = 'inbound' | 'outbound' | 'internal' | 'unknown';

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

/** A provider's field as trimmed text; a finite number as its digits; anything else ''. */
export const text = (value: unknown): string =>
	typeof value === 'string' ? value.trim() : typeof value === 'number' && Number.isFinite(value) ? String(value) : '';

/** "00:14:05", "14:05" or "845" → 845; anything else → null (unknown). */
export function callTimeToSeconds(value: unknown): number | null {
	if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.floor(value) : null;
	if (typeof value !== 'string' || !/^\d+(:\d{1,2}){0,2}$/.test(value.trim())) return null;
	return value
		.trim()
		.split(':')
		.reduce((seconds, part) => seconds * 60 + Number(part), 0);
}

/** How long a call has run, in words: "14m 05s" for a call_time of 00:14:05; '' when unknown. */
export function runningTimeInWords(callTime: unknown): string {
	const seconds = callTimeToSeconds(callTime);
	if (seconds === null) return '';
	const minutes = Math.floor(seconds / 60);
	return `${minutes > 0 ? `${minutes}m ` : ''}${String(seconds % 60).padStart(2, '0')}s`;
}

const DIRECTIONS: Record<string, Direction> = {
	inbound: 'inbound',
	incoming: 'inbound',
	in: 'inbound',
	'1': 'inbound',
	outbound: 'outbound',
	outgoing: 'outbound',
	out: 'outbound',
	'2': 'outbound',
	internal: 'internal',
	intercom: 'internal',
};

/** The provider's direction in words: inbound, outbound, internal; other words as they are. */
export function directionInWords(value: unknown): string {
	const raw = text(value).toLowerCase();
	if (raw === '') return 'unknown';
	return DIRECTIONS[raw] ?? raw;
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

/**
 * Whether `wanted` names the call's agent: its name (any case) as the live-call list shows
 * it, or the agent's number, extension or id (numbers compared as the filters compare them).
 */
export function hasAgent(call: LiveCall, wanted: string): boolean {
	const name = text(call.agent_name).toLowerCase();
	if (name !== '' && name === wanted.trim().toLowerCase()) return true;
	const agentSide = directionInWords(call.direction) === 'outbound' ? call.source : call.destination;
	const values = [call.agent_number, call.agent_id, call.extension, agentSide];
	if (values.some((value) => text(value) !== '' && text(value) === wanted.trim())) return true;
	// Digits are compared only when a number was asked for: "Agent 1" is not extension 1.
	return /^[+\d\s\-.()]+$/.test(wanted.trim()) && values.some((value) => sameNumber(value, wanted));
}

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
