import type { IDataObject } from 'n8n-workflow';

import { callTimeToSeconds, directionInWords, text } from './callWords';
import { entriesWithCallIds } from './liveCalls';
import { addSeconds, isoWithOffset, readRecordStart, secondsBetween, type RecordStart, type WallClock } from './timeZones';
import { answerError } from './transport/providerErrors';
import { smartfloApiRead, type ReadingContext } from './transport/request';

/**
 * The one reader of `GET /v1/call/records` (call detail records: finished calls, answered
 * and missed), and the records in plain words. Pages through every page of a window; call
 * ids stay text exactly as the provider wrote them.
 */

/** One call record as the provider sends it, its call id as text ('' if it had none). */
export interface CallRecord extends IDataObject {
	call_id: string;
}

export type Outcome = 'answered' | 'missed';

export interface CallRecordQuery {
	/** The account's local time, "Y-m-d H:i:s", both ends included. */
	from: WallClock;
	to: WallClock;
	/** The provider's own filters, where their values cannot be misread. */
	outcome?: Outcome;
	direction?: 'inbound' | 'outbound';
}

/** Records asked for per page: what public sync code asks; the provider may send fewer. */
export const PAGE_SIZE = 100;
/** Pages one read may take; a window that needs more is read in pieces (see readCallRecords). */
export const MAX_PAGES = 500;

const CALL_TYPE: Record<Outcome, string> = { answered: 'c', missed: 'm' };

/** What identifies a record across polls: its call id, else the provider's record id. */
export function recordKey(record: CallRecord): string {
	if (record.call_id !== '') return record.call_id;
	for (const field of ['id', 'uuid']) {
		if (text(record[field]) !== '') return `${field}:${text(record[field])}`;
	}
	return `at:${[record.date, record.time, record.client_number, record.direction].map(text).join('|')}`;
}

function notRecords(context: ReadingContext, what: string, problem: string) {
	return answerError(context.getNode(), { ok: false, status: 200, label: 'HTTP 200, not a list', providerMessage: problem }, what);
}

/** A count the provider wrote as a number or as digits ("406"); undefined otherwise. */
function countOf(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
	if (typeof value === 'string' && /^\d+$/.test(value.trim())) return Number(value.trim());
	return undefined;
}

export interface ReadLimits {
	/** Pages the whole read may take. */
	maxPages: number;
	/** When every request must have been answered (ms since the epoch). */
	deadline: number;
}

export interface RecordsRead {
	records: CallRecord[];
	pages: number;
	/** The end of the part of the window that was read in full: `query.to`, or earlier. */
	to: WallClock;
}

type PieceRead = { fits: true; records: CallRecord[]; pages: number } | { fits: false; pages: number };

/**
 * Every record of one window, page after page, each once (a record that moves to the next
 * page while paging is kept the first time). The read ends on what was received: an empty
 * page, or as many records (or rows, where two share a call id) as the answer's `count` says. A page shorter than asked is no end
 * (providers cap their pages), and the answer's `limit` is never trusted. `fits: false` when
 * the window holds more than `pagesLeft` pages.
 */
async function readPiece(this: ReadingContext, filters: IDataObject, pagesLeft: number, deadline: number): Promise<PieceRead> {
	const what = 'list call records';
	const byKey = new Map<string, CallRecord>();
	// Rows as sent: `count` counts rows, and two rows may share a call id.
	let rows = 0;
	let previousKeys = '';
	for (let page = 1; ; page += 1) {
		const { body, text: rawText } = await smartfloApiRead.call(this, 'GET', '/v1/call/records', what, { ...filters, page, limit: PAGE_SIZE }, { deadline });
		if (!body || typeof body !== 'object' || Array.isArray(body) || !Array.isArray((body as IDataObject).results)) {
			throw notRecords(this, what, 'the provider answered without the list of call records (results)');
		}
		const answer = body as IDataObject;
		const results = entriesWithCallIds(answer.results as unknown[], rawText).map(({ fields, callId }): CallRecord => ({ ...fields, call_id: callId }));
		const keys = results.map(recordKey).join('\n');
		if (results.length > 0 && keys === previousKeys) {
			throw notRecords(this, what, `the provider answered page ${page} with the records of page ${page - 1}: it does not page`);
		}
		previousKeys = keys;
		rows += results.length;
		for (const record of results) if (!byKey.has(recordKey(record))) byKey.set(recordKey(record), record);

		const count = countOf(answer.count);
		if (results.length === 0 || (count !== undefined && (byKey.size >= count || rows >= count))) return { fits: true, records: [...byKey.values()], pages: page };
		// The provider's own page length (the first page's) tells whether the rest fits.
		if (page === 1 && count !== undefined && count > pagesLeft * results.length) return { fits: false, pages: page };
		if (page >= pagesLeft) return { fits: false, pages: page };
	}
}

/**
 * The records of a window, from its start: all of it when it fits in `limits.maxPages`,
 * else its oldest part that does (the window is halved until a piece fits), so a long
 * window is read over several polls and every poll makes progress. Any failed page fails
 * the whole read: the caller changes nothing on a partial window.
 */
export async function readCallRecords(
	this: ReadingContext,
	query: CallRecordQuery,
	limits: ReadLimits = { maxPages: MAX_PAGES, deadline: Date.now() + 5 * 60_000 },
): Promise<RecordsRead> {
	const filters: IDataObject = {
		from_date: query.from,
		...(query.outcome ? { call_type: CALL_TYPE[query.outcome] } : {}),
		...(query.direction ? { direction: query.direction } : {}),
	};
	let to = query.to;
	let pages = 0;
	for (;;) {
		const piece = await readPiece.call(this, { ...filters, to_date: to }, limits.maxPages - pages, limits.deadline);
		pages += piece.pages;
		if (piece.fits) return { records: piece.records, pages, to };
		const span = secondsBetween(query.from, to);
		if (span < 1 || pages >= limits.maxPages) {
			throw notRecords(
				this,
				'list call records',
				`more than ${limits.maxPages} pages of call records from ${query.from} to ${to}, and no shorter piece could be read: narrow the filters`,
			);
		}
		to = addSeconds(query.from, Math.floor(span / 2));
	}
}

const MISSED_WORDS = /missed|unanswered|not answered|no ?answer|noanswer|abandon/i;

/**
 * Answered or missed, as the provider's `status` says ("answered", "missed"); for other
 * words, answered when it counted answered seconds.
 */
export function outcomeOf(record: CallRecord): Outcome {
	const status = text(record.status).toLowerCase();
	if (MISSED_WORDS.test(status)) return 'missed';
	if (status.startsWith('answered')) return 'answered';
	return (callTimeToSeconds(record.answered_seconds) ?? 0) > 0 ? 'answered' : 'missed';
}

/** When the call started, as a wall clock of the account's zone, or why it cannot be read. */
export function readStart(record: CallRecord, timeZone: string): RecordStart {
	return readRecordStart(record.date, record.time, timeZone);
}

/** When the call started, as a wall clock of the account's zone; undefined if unreadable. */
export function startOf(record: CallRecord, timeZone: string): WallClock | undefined {
	const start = readStart(record, timeZone);
	return start.ok ? start.wallClock : undefined;
}

/** A record in plain words; `call_record` keeps the provider's own fields. */
export function summariseRecord(record: CallRecord, timeZone: string): IDataObject {
	const read = readStart(record, timeZone);
	const start = read.ok ? read.wallClock : undefined;
	const duration = callTimeToSeconds(record.call_duration);
	const talk = callTimeToSeconds(record.answered_seconds) ?? (outcomeOf(record) === 'missed' ? 0 : null);
	return {
		call_id: record.call_id,
		outcome: outcomeOf(record),
		direction: directionInWords(record.direction),
		started_at: start === undefined ? null : (isoWithOffset(start, timeZone) ?? null),
		duration_seconds: duration,
		// Until answered, or the whole call if it never was: ringing, IVR and queue.
		ring_seconds: duration === null || talk === null ? null : Math.max(0, duration - talk),
		talk_seconds: talk,
		agent: text(record.agent_name),
		agent_number: text(record.agent_number),
		customer_number: text(record.client_number) || text(record.customer_number),
		did: text(record.did_number) || text(record.did),
		description: text(record.description),
		status: text(record.status),
		recording_url: text(record.recording_url),
		...(read.ok ? {} : { started_at_error: read.problem }),
		call_record: record,
	};
}
