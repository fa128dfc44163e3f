/**
 * Wall-clock times of an account's time zone, without dependencies: the call records'
 * `date`/`time` and their `from_date`/`to_date` filter are the account's local time
 * ("Y-m-d H:i:s"), not UTC and not the n8n server's. Offsets come from Intl, so daylight
 * saving time (Europe/London) follows the zone's own rules.
 */

import type { INodeProperties } from 'n8n-workflow';

/**
 * The triggers' Account Time Zone option: the zone `whatIsRead` is in, when the provider's
 * (or the credential's) is not the account's.
 */
export const accountTimeZoneOption = (whatIsRead: string): INodeProperties => ({
	displayName: 'Account Time Zone',
	name: 'timeZone',
	type: 'string',
	default: '',
	placeholder: 'e.g. Europe/London',
	description: `The time zone of ${whatIsRead}, as an IANA name. Empty: the provider’s (Asia/Kolkata on the Indian hosts, Europe/London on Acefone UK) or the credential’s Account Time Zone.`,
});

/** "2025-07-15 13:00:00": how the provider writes a local date and time. */
export type WallClock = string;

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
	let formatter = formatters.get(timeZone);
	if (!formatter) {
		formatter = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		});
		formatters.set(timeZone, formatter);
	}
	return formatter;
}

/** Whether Intl knows the zone (an IANA name such as Asia/Kolkata). */
export function isKnownTimeZone(timeZone: string): boolean {
	if (timeZone.trim() === '') return false;
	try {
		formatterFor(timeZone);
		return true;
	} catch {
		return false;
	}
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

function wallClockOfFields(year: number, month: number, day: number, hour: number, minute: number, second: number): WallClock {
	return `${pad(year, 4)}-${pad(month)}-${pad(day)} ${pad(hour)}:${pad(minute)}:${pad(second)}`;
}

/** The zone's wall clock at an instant (ms since the epoch), to the second. */
export function wallClockAt(instant: number, timeZone: string): WallClock {
	const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
	return wallClockOfFields(Number(parts.year), Number(parts.month), Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
}

/** The wall clock's fields read as if it were UTC: arithmetic on wall clocks without a zone. */
function asUtc(wallClock: WallClock): number | undefined {
	const match = WALL_CLOCK.exec(wallClock);
	if (!match) return undefined;
	const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
	const ms = Date.UTC(year, month - 1, day, hour, minute, second);
	// 2025-02-30 rolls over to March: not a date the provider writes.
	return new Date(ms).toISOString().slice(0, 19).replace('T', ' ') === wallClock ? ms : undefined;
}

/** Minutes the zone is ahead of UTC at an instant: 330 in India, 60 in a British summer. */
export function offsetMinutesAt(instant: number, timeZone: string): number {
	const whole = Math.floor(instant / 1000) * 1000;
	return Math.round((asUtc(wallClockAt(whole, timeZone))! - whole) / 60_000);
}

/**
 * The instant a wall clock of the zone names. In the hour the clocks go back, a wall clock
 * names two instants: the earlier is taken. In the hour they skip, none: it is read with
 * the offset from before the change (02:30 on the night London skips 01:00–02:00 is 01:30 UTC).
 */
export function instantOf(wallClock: WallClock, timeZone: string): number | undefined {
	const utc = asUtc(wallClock);
	if (utc === undefined) return undefined;
	const candidates = [...new Set([utc - 14 * 3_600_000, utc + 14 * 3_600_000].map((probe) => offsetMinutesAt(probe, timeZone)))]
		.concat(offsetMinutesAt(utc, timeZone))
		.map((offset) => utc - offset * 60_000)
		.filter((instant) => wallClockAt(instant, timeZone) === wallClock)
		.sort((a, b) => a - b);
	if (candidates.length > 0) return candidates[0];
	return utc - offsetMinutesAt(utc - 24 * 3_600_000, timeZone) * 60_000;
}

/** "+05:30", "+01:00", "+00:00", "-03:00" */
function offsetText(minutes: number): string {
	const sign = minutes < 0 ? '-' : '+';
	const size = Math.abs(minutes);
	return `${sign}${pad(Math.floor(size / 60))}:${pad(size % 60)}`;
}

/** A wall clock of the zone as ISO 8601 with its offset: "2025-07-15T13:00:00+01:00". */
export function isoWithOffset(wallClock: WallClock, timeZone: string): string | undefined {
	const instant = instantOf(wallClock, timeZone);
	if (instant === undefined) return undefined;
	const local = wallClockAt(instant, timeZone);
	return `${local.replace(' ', 'T')}${offsetText(offsetMinutesAt(instant, timeZone))}`;
}

/** A wall clock moved by whole seconds, as a clock on the wall (no zone involved). */
export function addSeconds(wallClock: WallClock, seconds: number): WallClock {
	const utc = asUtc(wallClock);
	if (utc === undefined) return wallClock;
	return new Date(utc + seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Whether a text is a wall clock as the provider writes it. */
export function isWallClock(value: string): boolean {
	return asUtc(value) !== undefined;
}

/** Whole seconds from one wall clock to a later one (negative if it is earlier). */
export function secondsBetween(from: WallClock, to: WallClock): number {
	const a = asUtc(from);
	const b = asUtc(to);
	return a === undefined || b === undefined ? 0 : Math.round((b - a) / 1000);
}

/** What a record's date and time may look like; anything else is refused, never guessed. */
export const ACCEPTED_TIME_FORMATS =
	'Y-m-d or d-m-Y with H:i:s or H:i (24-hour) or h:i:s AM/PM (12-hour), m/d/Y only with h:i:s AM/PM (7/11/2026, 9:12:56 PM), or ISO 8601 with Z or an offset (2025-07-15T07:35:09Z, 13:05:09+05:30)';

/**
 * Y-m-d, d-m-Y, or a slashed date. A slashed date is read only in the form the platform's
 * dialer writes (en-US: "7/11/2026, 9:12:56 PM", month first, with AM/PM): 7/11 without
 * AM/PM could be either 7 November or 11 July, so it is refused, never guessed.
 */
const DATE = /^(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})-(\d{1,2})-(\d{4})|(\d{1,2})\/(\d{1,2})\/(\d{4}))$/;
const TIME = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:\s*([AaPp])\.?[Mm]\.?)?(Z|[+-]\d{2}:?\d{2})?$/;

export type RecordStart = { ok: true; wallClock: WallClock } | { ok: false; problem: string };

/**
 * A record's date and time as one wall clock of the account's zone, read exactly or refused.
 * The provider sends `date` ("2025-07-15") and `time` ("13:00:00"); some answers put both in
 * `date`, write d-m-Y, leave out the seconds, use a 12-hour clock ("01:05:09 PM") or write
 * the instant with Z or an offset, which is then turned into the account's wall clock.
 */
export function readRecordStart(date: unknown, time: unknown, timeZone: string): RecordStart {
	const dateText = typeof date === 'string' ? date.trim() : '';
	const timeText = typeof time === 'string' ? time.trim() : '';
	const both = /^(\S+?),?[ T](\d.*)$/.exec(dateText);
	const [dayPart, clockPart] = both ? [both[1], both[2].trim()] : [dateText, timeText];
	const refused: RecordStart = {
		ok: false,
		problem: `the record's date "${dateText}" and time "${timeText}" are not in a format the node reads (${ACCEPTED_TIME_FORMATS})`,
	};
	const day = DATE.exec(dayPart);
	const clock = TIME.exec(clockPart);
	if (!day || !clock) return refused;
	// Slashed: month first, and only with AM/PM (see DATE).
	if (day[7] && !clock[4]) return refused;
	const [year, month, dayOfMonth] = (day[1] ? [day[1], day[2], day[3]] : day[4] ? [day[6], day[5], day[4]] : [day[9], day[7], day[8]]).map(Number);
	let hour = Number(clock[1]);
	const [minute, second] = [Number(clock[2]), Number(clock[3] ?? 0)];
	if (clock[4]) {
		if (hour < 1 || hour > 12) return refused;
		hour = (hour % 12) + (clock[4].toLowerCase() === 'p' ? 12 : 0);
	}
	if (hour > 23 || minute > 59 || second > 59) return refused;
	const written = wallClockOfFields(year, month, dayOfMonth, hour, minute, second);
	if (!isWallClock(written)) return refused;
	if (!clock[5]) return { ok: true, wallClock: written };
	const offset = clock[5] === 'Z' ? 0 : (clock[5][0] === '-' ? -1 : 1) * (Number(clock[5].slice(1, 3)) * 60 + Number(clock[5].slice(-2)));
	return { ok: true, wallClock: wallClockAt(asUtc(written)! - offset * 60_000, timeZone) };
}
