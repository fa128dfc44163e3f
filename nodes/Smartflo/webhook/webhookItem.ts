import type { IDataObject } from 'n8n-workflow';

import type { Numbering } from '../../../credentials/smartfloApi/hosts';
import { callTimeToSeconds, directionInWords, text } from '../shared/callWords';
import { nationalNumber } from '../shared/numbers';
import { isoWithOffset, readRecordStart } from '../shared/timeZones';
import type { PortalEvent } from './portalEvents';

/**
 * A portal delivery in the event item's plain words — the same names the live-call and
 * call-record events use — with the fields as delivered under `delivery`.
 */

export interface Account {
	numbering: Numbering;
	/** The IANA zone the portal's time stamps are wall clocks of. */
	timeZone: string;
}

const first = (fields: IDataObject, names: string[]): unknown => names.map((name) => fields[name]).find((value) => text(value) !== '');

/** The first agent of a nested value: `answered_agent` {name, number} or `missed_agent` [{…}]. */
function nestedAgent(value: unknown): IDataObject {
	const agent = Array.isArray(value) ? (value[0] as unknown) : value;
	return agent && typeof agent === 'object' && !Array.isArray(agent) ? (agent as IDataObject) : {};
}

/** A phone number in one form: digits, and on an Indian account the 10 national digits. */
const phone = (value: unknown, account: Account) => (text(value) === '' ? '' : nationalNumber(value, account.numbering) || text(value));

/** "2026-07-11 20:39:28" or "7/11/2026, 9:12:56 PM" → ISO with the account's offset; null if empty. */
function stamp(value: unknown, account: Account): { iso: string | null; problem?: string } {
	const written = text(value);
	if (written === '') return { iso: null };
	const read = readRecordStart(written, '', account.timeZone);
	if (!read.ok) return { iso: null, problem: `"${written}" is not a time the node reads` };
	return { iso: isoWithOffset(read.wallClock, account.timeZone) ?? null };
}

export function webhookItem(event: PortalEvent, fields: IDataObject, callId: string, account: Account, delivery: IDataObject): IDataObject {
	const answered = nestedAgent(fields.answered_agent);
	const missed = nestedAgent(fields.missed_agent);
	const direction = directionInWords(fields.direction);
	const customer = first(fields, ['customer_number', direction === 'outbound' ? 'call_to_number' : 'caller_id_number', 'customer_number_with_prefix']);
	const started = stamp(fields.start_stamp, account);
	const answeredAt = stamp(fields.answer_stamp, account);
	const ended = stamp(fields.end_stamp, account);
	const status = text(fields.call_status).toLowerCase();
	const duration = callTimeToSeconds(fields.duration);
	let talk = callTimeToSeconds(fields.billsec);
	// billsec can be empty on an answered call: the stamps tell.
	if (talk === null && answeredAt.iso && ended.iso) talk = Math.max(0, Math.round((Date.parse(ended.iso) - Date.parse(answeredAt.iso)) / 1000));
	if (talk === null && (status === 'missed' || event.code === 'hangup_missed')) talk = 0;
	const problems = [started, answeredAt, ended].map((read) => read.problem).filter(Boolean);
	return {
		event: event.code,
		event_name: event.portalName,
		call_id: callId,
		uuid: text(fields.uuid),
		direction,
		customer_number: phone(customer, account),
		agent: text(first(fields, ['answered_agent_name', 'agent_name'])) || text(answered.name) || text(missed.name),
		agent_number: text(first(fields, ['answered_agent_number', 'agent_number'])) || text(answered.number) || text(missed.number),
		did: phone(first(fields, [direction === 'outbound' ? 'caller_id_number' : 'call_to_number', 'did']), account),
		started_at: started.iso,
		answered_at: answeredAt.iso,
		ended_at: ended.iso,
		duration_seconds: duration,
		talk_seconds: talk,
		call_status: status,
		hangup_cause: text(fields.hangup_cause),
		digits: text(first(fields, ['digit_pressed', 'digits_dialed'])),
		recording_url: text(fields.recording_url),
		...(problems.length > 0 ? { time_error: `${problems.join('; ')} (read as the account’s time in ${account.timeZone})` } : {}),
		delivery,
	};
}
