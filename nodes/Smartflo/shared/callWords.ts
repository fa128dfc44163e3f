import { sameNumber } from './numbers';

/**
 * The event item's plain words: how every event source — the live calls, the call records
 * and the portal's webhooks — reads the provider's fields, so `direction`, `duration_seconds`,
 * `agent` and the rest mean the same on every event, and the filters compare them alike.
 */

export type Direction = 'inbound' | 'outbound' | 'internal' | 'unknown';

/** A provider's field as trimmed text; a finite number as its digits; anything else ''. */
export const text = (value: unknown): string =>
	typeof value === 'string' ? value.trim() : typeof value === 'number' && Number.isFinite(value) ? String(value) : '';

/** "00:14:05", "14:05" or "845" (or the number 845) → 845; anything else → null (unknown). */
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
	'dialer (inbound)': 'inbound',
	outbound: 'outbound',
	outgoing: 'outbound',
	out: 'outbound',
	'2': 'outbound',
	// A click to call dials the customer from the account: outbound.
	clicktocall: 'outbound',
	click_to_call: 'outbound',
	'click to call': 'outbound',
	'dialer (outbound)': 'outbound',
	internal: 'internal',
	intercom: 'internal',
};

/** The provider's direction in words: inbound, outbound, internal; other words as they are. */
export function directionInWords(value: unknown): string {
	const raw = text(value).toLowerCase().replace(/\s+/g, ' ');
	if (raw === '') return 'unknown';
	return DIRECTIONS[raw] ?? raw;
}

/** Whether a typed value asks for a number (digits, with +, spaces, dashes, dots or brackets). */
export const looksLikeNumber = (wanted: string): boolean => /^[+\d\s\-.()]+$/.test(wanted.trim()) && /\d/.test(wanted);

/**
 * Whether `wanted` names a call's agent: the agent's name (any case), or one of its numbers,
 * extensions or ids as written, or — only when a number was asked for — the same phone
 * number with or without its country code ("Agent 1" is not extension 1).
 */
export function isAgent(agent: { name: unknown; ids: unknown[] }, wanted: string): boolean {
	const asked = wanted.trim();
	const name = text(agent.name).toLowerCase();
	if (name !== '' && name === asked.toLowerCase()) return true;
	if (agent.ids.some((value) => text(value) !== '' && text(value) === asked)) return true;
	return looksLikeNumber(asked) && agent.ids.some((value) => sameNumber(value, asked));
}
