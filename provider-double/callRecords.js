'use strict';
/**
 * The double's call detail records (`GET /v1/call/records`) and the recordings they point
 * at, as the provider serves them: local `date`/`time` in the account's time zone (IST by
 * default), `from_date`/`to_date` compared as local wall clocks, `call_type` c/m,
 * `direction`, pages of `limit` (20 by default, at most 100) newest first, answered calls
 * with a `recording_url` on a second host carrying its own token, missed calls without.
 * A record is there from the moment it is added: a late record is one added after the
 * polls that covered its start.
 */
const { randomBytes } = require('node:crypto');

const WALL_CLOCK = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const MAX_LIMIT = 100;

/** The wall clock of `timeZone` at an instant: "2025-07-15 13:00:00". */
const formats = new Map();

function wallClock(instant, timeZone) {
	if (!formats.has(timeZone)) {
		formats.set(
			timeZone,
			new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }),
		);
	}
	const parts = Object.fromEntries(
		formats
			.get(timeZone)
			.formatToParts(new Date(instant))
			.map((part) => [part.type, part.value]),
	);
	return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** A recording's default size: a WAV header, then 1.5 s of 8 kHz 8-bit mono PCM. */
const DEFAULT_RECORDING_SIZE = 44 + 12_000;

/**
 * A recording's bytes: a real, playable WAV file (PCM, 8 kHz, 8-bit, mono, as telephony
 * records) of a tone, `size` bytes in all. The tone's pitch and the first samples depend on
 * the call id, so each call's file is its own.
 */
function recordingBytes(callId, size = DEFAULT_RECORDING_SIZE) {
	const id = String(callId);
	const rate = 8000;
	const dataSize = Math.max(0, size - 44);
	const header = Buffer.alloc(44);
	header.write('RIFF', 0, 'ascii');
	header.writeUInt32LE(36 + dataSize, 4);
	header.write('WAVE', 8, 'ascii');
	header.write('fmt ', 12, 'ascii');
	header.writeUInt32LE(16, 16); // PCM format chunk
	header.writeUInt16LE(1, 20); // PCM
	header.writeUInt16LE(1, 22); // mono
	header.writeUInt32LE(rate, 24);
	header.writeUInt32LE(rate, 28); // bytes per second: 1 byte a sample
	header.writeUInt16LE(1, 32); // block align
	header.writeUInt16LE(8, 34); // bits per sample
	header.write('data', 36, 'ascii');
	header.writeUInt32LE(dataSize, 40);
	let hash = 0;
	for (const char of id) hash = (hash * 31 + char.charCodeAt(0)) % 1_000_003;
	const frequency = 330 + (hash % 330);
	const samples = Buffer.alloc(dataSize);
	for (let index = 0; index < dataSize; index += 1) {
		// A soft start and end, so it does not click.
		const edge = Math.min(1, index / 400, (dataSize - index) / 400);
		samples[index] = Math.round(128 + 60 * edge * Math.sin((2 * Math.PI * frequency * index) / rate));
	}
	// The call id in the first samples (inaudible at the fade-in), so no two files are alike.
	Buffer.from(id, 'latin1').copy(samples, 0, 0, Math.min(id.length, dataSize));
	return Buffer.concat([header, samples]).subarray(0, Math.max(size, 0));
}

/**
 * How other providers (or other versions) answer, all off by default:
 * - `limitInAnswer`: 'actual' (the page size used), 'omit' (no `limit`), 'echo' (the `limit` asked);
 * - `numbersAsText`: `count`, `limit`, `size`, `page` as text ("406");
 * - `timeFormat`: '24h' ("13:05:09"), '12h' ("01:05:09 PM"), 'utc' (date and time of the
 *   instant in UTC, time with "Z"), 'offset' (both in `date` as ISO 8601 in UTC with "+00:00",
 *   `time` empty);
 * - `recordingsHost`: the origin recording URLs point at instead of the recordings server
 *   (e.g. "https://recordings.invalid", a name that does not resolve).
 */
const DEFAULT_QUIRKS = { limitInAnswer: 'actual', numbersAsText: false, timeFormat: '24h', recordingsHost: undefined };

/** A record's date and time as the provider writes them, in the quirk's format. */
function dateAndTime(instant, timeZone, format) {
	const [date, time] = wallClock(instant, timeZone).split(' ');
	if (format === 'utc') {
		const [utcDate, utcTime] = wallClock(instant, 'UTC').split(' ');
		return [utcDate, `${utcTime}Z`];
	}
	if (format === 'offset') {
		const [utcDate, utcTime] = wallClock(instant, 'UTC').split(' ');
		return [`${utcDate}T${utcTime}+00:00`, ''];
	}
	if (format === '12h') {
		const [hour, minute, second] = time.split(':').map(Number);
		const twelve = hour % 12 === 0 ? 12 : hour % 12;
		return [date, `${String(twelve).padStart(2, '0')}:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')} ${hour < 12 ? 'AM' : 'PM'}`];
	}
	return [date, time];
}

const digits = (value) => String(value ?? '').replace(/\D/g, '');

/**
 * @param {{ timeZone?: string, recordingsUrl: () => string }} options
 */
function createCallRecords(options) {
	const state = {
		timeZone: options.timeZone ?? 'Asia/Kolkata',
		/** @type {Array<{ startedAt: number, fields: Record<string, unknown>, recordingToken?: string, recordingSize: number }>} */
		records: [],
		added: 0,
		/** The most records a page holds, whatever `limit` asks. */
		maxLimit: MAX_LIMIT,
		quirks: { ...DEFAULT_QUIRKS },
		/** Call ids whose recording the host answers with a 404 (or 403) until made ready. */
		notReady: new Map(),
	};

	/**
	 * Adds a finished call's record. `startedAgoSeconds` (default 120) dates it; `answered`
	 * (default true) makes it answered with a recording, else missed; `recording: false`
	 * leaves an answered call unrecorded; any provider field can be given.
	 */
	function add(spec = {}) {
		state.added += 1;
		const n = state.added;
		const {
			startedAgoSeconds = 120,
			startedAt: givenStart,
			answered = true,
			recording = answered,
			recordingSize = DEFAULT_RECORDING_SIZE,
			...fields
		} = spec;
		const startedAt = givenStart ?? Date.now() - startedAgoSeconds * 1000;
		const callId = fields.call_id ?? `${Math.floor(startedAt / 1000)}.${700000 + n}`;
		const direction = fields.direction ?? 'inbound';
		const talk = answered ? (fields.answered_seconds ?? 95) : 0;
		const record = {
			startedAt,
			recordingToken: recording ? randomBytes(8).toString('hex') : undefined,
			recordingSize,
			fields: {
				id: randomBytes(12).toString('hex'),
				call_id: callId,
				uuid: `${randomBytes(4).toString('hex')}-${n}`,
				direction,
				description: answered ? (direction === 'outbound' ? 'Call answered by customer' : 'Call answered') : direction === 'outbound' ? 'Customer did not answer' : 'Missed call',
				detailed_description: answered ? 'Agent answered the call' : 'No agent answered the call',
				status: answered ? 'answered' : 'missed',
				service: direction === 'outbound' ? 'Click to Call' : 'IVR',
				call_duration: talk + (answered ? 12 : 28),
				answered_seconds: talk,
				agent_name: answered ? 'Asha Rao' : '',
				agent_number: answered ? '0502842370097' : '',
				client_number: `98765${String(20000 + n).slice(-5)}`,
				did_number: '8049990000',
				hangup_cause: answered ? 'NORMAL_CLEARING' : 'NO_ANSWER',
				blocked_number_id: null,
				...fields,
				call_id: callId,
			},
		};
		state.records.push(record);
		return served(record);
	}

	/** A record as the provider sends it now: local date and time, the recording's URL. */
	function served(record) {
		const [date, time] = dateAndTime(record.startedAt, state.timeZone, state.quirks.timeFormat);
		const recordingUrl = record.recordingToken
			? `${state.quirks.recordingsHost ?? options.recordingsUrl()}/file/recording?callId=${encodeURIComponent(String(record.fields.call_id))}&type=rec&token=${record.recordingToken}`
			: '';
		return { ...record.fields, date, time, recording_url: recordingUrl };
	}

	/** A record's local start in the account's zone now (kept per zone: busy tests read 10,000s). */
	function localOf(record) {
		if (record.localZone !== state.timeZone) Object.assign(record, { localZone: state.timeZone, local: wallClock(record.startedAt, state.timeZone) });
		return record.local;
	}

	/** The answer to `GET /v1/call/records?…`: [status, body]. */
	function answer(query) {
		for (const field of ['from_date', 'to_date']) {
			if (query[field] !== undefined && !WALL_CLOCK.test(query[field])) {
				return [422, { success: false, message: `${field} must be Y-m-d H:i:s, not "${query[field]}"` }];
			}
		}
		const limit = Math.min(Math.max(Number(query.limit ?? 20) || 20, 1), state.maxLimit);
		const page = Math.max(Number(query.page ?? 1) || 1, 1);
		const matching = state.records
			.map((record, index) => ({ record, index, local: localOf(record) }))
			.filter(({ local }) => (query.from_date === undefined || local >= query.from_date) && (query.to_date === undefined || local <= query.to_date))
			.filter(({ record }) => {
				const fields = record.fields;
				if (query.call_type === 'c' && fields.status !== 'answered') return false;
				if (query.call_type === 'm' && fields.status !== 'missed') return false;
				if (query.direction && fields.direction !== query.direction) return false;
				if (query.did_number && !digits(fields.did_number).endsWith(digits(query.did_number))) return false;
				if (query.callerid && !digits(fields.client_number).endsWith(digits(query.callerid))) return false;
				if (query.call_id && fields.call_id !== query.call_id) return false;
				return true;
			})
			// Newest first, as the portal lists them.
			.sort((a, b) => (a.local < b.local ? 1 : a.local > b.local ? -1 : b.index - a.index));
		const results = matching.slice((page - 1) * limit, page * limit).map(({ record }) => served(record));
		const { limitInAnswer, numbersAsText } = state.quirks;
		const number = (value) => (numbersAsText ? String(value) : value);
		const shownLimit = limitInAnswer === 'echo' ? Number(query.limit ?? 20) : limit;
		return [
			200,
			{ count: number(matching.length), ...(limitInAnswer === 'omit' ? {} : { limit: number(shownLimit) }), size: number(results.length), page: number(page), results },
		];
	}

	/** The recording a URL names, if its token is right: [status, bytes or message]. */
	function recording(query) {
		const record = state.records.find((entry) => String(entry.fields.call_id) === query.callId);
		if (!record || !record.recordingToken) return [404, 'No such recording'];
		if (query.token !== record.recordingToken) return [403, 'Invalid recording token'];
		if (state.notReady.has(String(record.fields.call_id))) return [state.notReady.get(String(record.fields.call_id)), 'Recording not ready yet'];
		return [200, recordingBytes(record.fields.call_id, record.recordingSize)];
	}

	return {
		add,
		answer,
		recording,
		/** Every record as the provider would send it now. */
		all: () => state.records.map(served),
		/** The bytes the recording of a call holds. */
		bytesOf: (callId) => {
			const record = state.records.find((entry) => String(entry.fields.call_id) === String(callId));
			return recordingBytes(callId, record ? record.recordingSize : DEFAULT_RECORDING_SIZE);
		},
		setTimeZone(zone) {
			state.timeZone = zone;
		},
		setMaxPageSize(size) {
			state.maxLimit = size > 0 ? size : MAX_LIMIT;
		},
		/** Answers as another provider would (see DEFAULT_QUIRKS); `setQuirks({})` restores the defaults. */
		setQuirks(quirks) {
			state.quirks = { ...DEFAULT_QUIRKS, ...quirks };
		},
		/** The recording of a call answers `status` (404 or 403) until `ready` is true. */
		setRecordingReady(callId, ready, status = 404) {
			if (ready) state.notReady.delete(String(callId));
			else state.notReady.set(String(callId), status);
		},
		timeZone: () => state.timeZone,
		/** Forgets every record and restores the page size and the time zone it started with. */
		clear() {
			state.records.length = 0;
			state.maxLimit = MAX_LIMIT;
			state.quirks = { ...DEFAULT_QUIRKS };
			state.notReady.clear();
			state.timeZone = options.timeZone ?? 'Asia/Kolkata';
		},
	};
}

module.exports = { createCallRecords, wallClock, recordingBytes, RECORDING_TYPE: 'audio/wav' };
