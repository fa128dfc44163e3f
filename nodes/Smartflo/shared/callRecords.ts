import type { IDataObject } from 'n8n-workflow';

import { callTimeToSeconds, directionInWords, entriesWithCallIds, text } from './liveCalls';
import { isoWithOffset, wallClockOfRecord, type WallClock } from './timeZones';
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
/** Far above a day of a busy account at 100 a page; beyond it the poll fails and says why. */
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

const numberOr = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback);

/**
 * Every record of a window, page after page, each once (a record that moves to the next
 * page while paging is kept the first time). Any failed page fails the whole read: the
 * caller changes nothing on a partial window.
 */
export async function readCallRecords(this: ReadingContext, query: CallRecordQuery): Promise<{ records: CallRecord[]; pages: number }> {
	const what = 'list call records';
	const filters: IDataObject = {
		from_date: query.from,
		to_date: query.to,
		...(query.outcome ? { call_type: CALL_TYPE[query.outcome] } : {}),
		...(query.direction ? { direction: query.direction } : {}),
	};
	const byKey = new Map<string, CallRecord>();
	let previousKeys = '';
	for (let page = 1; ; page += 1) {
		const { body, text: rawText } = await smartfloApiRead.call(this, 'GET', '/v1/call/records', what, { ...filters, page, limit: PAGE_SIZE });
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
		for (const record of results) if (!byKey.has(recordKey(record))) byKey.set(recordKey(record), record);

		const perPage = numberOr(answer.limit, PAGE_SIZE);
		const count = typeof answer.count === 'number' ? answer.count : undefined;
		const last = results.length === 0 || (count !== undefined ? page * perPage >= count : results.length < PAGE_SIZE);
		if (last) return { records: [...byKey.values()], pages: page };
		if (page >= MAX_PAGES) {
			throw notRecords(
				this,
				what,
				`more than ${MAX_PAGES} pages of call records from ${query.from} to ${query.to}: shorten Look-Back or narrow the filters`,
			);
		}
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

/** When the call started, in the account's local time as the provider wrote it. */
export function startOf(record: CallRecord): WallClock | undefined {
	return wallClockOfRecord(record.date, record.time);
}

/** A record in plain words; `call_record` keeps the provider's own fields. */
export function summariseRecord(record: CallRecord, timeZone: string): IDataObject {
	const start = startOf(record);
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
		call_record: record,
	};
}
