/**
 * The one validator for what a workflow asks the provider to do. Each check returns the
 * exact string to send or throws an InvalidFieldError saying what is wrong and how to
 * fix it; the caller adds the field name and item index. Nothing here sends anything.
 */

import type { Numbering } from '../../../credentials/smartfloApi/hosts';
import { indianNational } from './numbers';

export type DestinationFormat = 'string' | 'array';


export class InvalidFieldError extends Error {
	/**
	 * @param hint how a workflow author fixes it
	 * @param hintForModel how an AI agent calling the node as a tool fixes it, where that differs
	 */
	constructor(
		message: string,
		readonly hint: string,
		readonly hintForModel = hint,
	) {
		super(message);
		this.name = 'InvalidFieldError';
	}
}

/** seconds.sequence, as the live-calls API and webhooks give it, e.g. 1758782566.8131 */
const CALL_ID = /^\d{1,20}\.\d{1,20}$/;
/** Agent ids are digit strings such as 0502842370097; some tenants use letters too. */
const AGENT_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** A 10-digit mobile, an extension such as 060212370085, or a department intercom such as 80124. */
const DESTINATION = /^\d{2,15}$/;
/** Spaces (also non-breaking), dashes, dots and brackets: how people group digits, nothing more. */
const SEPARATORS = /[\s\-.()[\]]/g;
/** A call id mapped into the destination by mistake: with its dot dropped it would pass as digits. */
const CALL_ID_SHAPE = /^\d{10}\.\d{1,6}$/;

const MAX_SHOWN = 40;

function show(value: unknown): string {
	let text: string;
	try {
		text = typeof value === 'string' ? value : JSON.stringify(value);
	} catch {
		text = String(value);
	}
	// Control characters are made visible so the message itself stays one readable line.
	text = text.replace(/\p{Cc}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
	return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

function describeType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Strings pass trimmed; whole numbers become their digits; anything else is refused. */
function asText(value: unknown, wholeNumbersAllowed: boolean, example: string): string {
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' && wholeNumbersAllowed && Number.isSafeInteger(value) && value >= 0) {
		return String(value);
	}
	if (value === undefined || value === null || value === '') return '';
	throw new InvalidFieldError(
		`got ${describeType(value)} (${show(value)}) instead of text`,
		`Map a single text value, e.g. ${example}. If an expression returns a list or object, pick the one field you need.`,
	);
}

function requireValue(text: string, what: string, whereFrom: string): void {
	if (text === '') {
		throw new InvalidFieldError('is empty', `Enter ${what} or pick one from the list. ${whereFrom}`);
	}
}

export function validateCallId(value: unknown): string {
	if (typeof value === 'number') {
		// 1758782566.8130 parsed as JSON becomes 1758782566.813: a different call id, possibly
		// another live call. Guessing the lost zeros could act on the wrong customer's call.
		throw new InvalidFieldError(
			`arrived as the number ${show(value)}; numbers lose trailing zeros (.8130 becomes .813), so it may name another call`,
			'Send the call id as text: in the provider’s webhook template quote it ("call_id": "$call_id"), or take it from the live-calls list.',
			'Pass the call id as text (a string), exactly as given, e.g. "1758782566.8131".',
		);
	}
	const text = asText(value, false, '{{ $json.call_id }}');
	requireValue(text, 'the id of a live call', 'Webhooks carry it as $call_id.');
	if (text.length > 41 || !CALL_ID.test(text)) {
		throw new InvalidFieldError(
			`"${show(text)}" is not a call id`,
			'A call id is digits, a dot, digits, e.g. 1758782566.8131 — without spaces, quotes or a URL around it.',
		);
	}
	return text;
}

export function validateAgentId(value: unknown): string {
	const text = asText(value, true, '{{ $json.agent_id }}');
	requireValue(text, 'the agent who joins the call', 'It is data[i].agent.id of the users API.');
	if (!AGENT_ID.test(text)) {
		throw new InvalidFieldError(
			`"${show(text)}" is not an agent id`,
			'An agent id is up to 64 letters or digits, e.g. 0502842370097 — pick the agent from the list to be sure.',
		);
	}
	return text;
}

/** What Transfer To sends, and whether that differs from what was typed (beyond trimming). */
export interface Destination {
	value: string | string[];
	rewritten: boolean;
}

/**
 * Whether reading this destination depends on the account's numbering, so the caller
 * looks the credential up only then: most destinations are plain digits.
 */
export function destinationNeedsNumbering(value: unknown): boolean {
	const entries: unknown[] = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
	return entries.some((entry) => (typeof entry === 'string' || typeof entry === 'number') && readByCountry(String(entry).replace(SEPARATORS, '')));
}

/** Whether the account's country changes how a destination reads: a +, or a prefix the Indian rule drops. */
function readByCountry(compact: string): boolean {
	const national = indianNational(compact);
	return compact.startsWith('+') || (national !== undefined && national !== compact);
}

/**
 * One destination is sent as the string every documented example shows. The field table
 * also calls `intercom` an "array of strings"; tenants that need that form pick the
 * Array format and may then list several destinations separated by commas.
 */
export function validateDestination(value: unknown, format: DestinationFormat, numbering: Numbering): Destination {
	if (Array.isArray(value) && format === 'array') {
		const list = value.map((entry) => validateOneDestination(entry, numbering));
		if (list.length === 0) throw new InvalidFieldError('is an empty list', 'Give at least one destination.');
		return { value: list.map((entry) => entry.digits), rewritten: list.some((entry) => entry.rewritten) };
	}
	const text = asText(value, true, '{{ $json.owner_phone }}');
	requireValue(text, 'a mobile number, extension or department intercom', '');
	const parts = text.split(',').map((part) => part.trim());
	if (parts.length > 1 && format === 'string') {
		throw new InvalidFieldError(
			`"${show(text)}" names several destinations`,
			'A transfer goes to one destination. To ring several agents, transfer to a department intercom; or set Options → Destination Format to List if your account accepts a list.',
		);
	}
	const list = parts.map((part) => validateOneDestination(part, numbering));
	const rewritten = list.some((entry) => entry.rewritten);
	return { value: format === 'array' ? list.map((entry) => entry.digits) : list[0].digits, rewritten };
}

const DESTINATION_FORMS =
	'a 10-digit mobile (9876543210), an agent extension (0602842370085) or a department intercom (80124)';

function validateOneDestination(value: unknown, numbering: Numbering): { digits: string; rewritten: boolean } {
	const typed = asText(value, true, '9876543210');
	if (CALL_ID_SHAPE.test(typed)) {
		throw new InvalidFieldError(
			`"${show(typed)}" is a call id, not a destination`,
			`Map the number the call goes to, e.g. the agent’s mobile: ${DESTINATION_FORMS}. The call id belongs in Call.`,
		);
	}
	const cleaned = typed.replace(SEPARATORS, '');
	const national = numbering === 'india' ? indianNational(cleaned) : undefined;
	const digits = national ?? cleaned;
	if (DESTINATION.test(digits)) return { digits, rewritten: digits !== typed };

	if (cleaned.startsWith('+') && numbering === 'india') {
		const indian = cleaned.startsWith('+91');
		throw new InvalidFieldError(
			indian ? `"${show(typed)}" does not have 10 digits after +91` : `"${show(typed)}" is not an Indian number`,
			'This account dials Indian numbers: enter a mobile as its 10 digits (98765 43210) or with the country code (+91 98765 43210).',
		);
	}
	if (cleaned.startsWith('+')) {
		throw new InvalidFieldError(
			`"${show(typed)}" starts with a +`,
			`Enter the number as your account dials it, digits only, e.g. ${DESTINATION_FORMS}. Only the Indian providers (or a Custom Base URL credential with Phone Numbers set to Indian) read +91 themselves.`,
		);
	}
	throw new InvalidFieldError(
		`"${show(typed)}" is not a phone number, extension or intercom`,
		`Use digits: ${DESTINATION_FORMS}. Spaces, dashes, dots and brackets between them are fine.`,
	);
}
