/**
 * Wall-clock times of an account's time zone, without dependencies: the call records'
 * `date`/`time` and their `from_date`/`to_date` filter are the account's local time
 * ("Y-m-d H:i:s"), not UTC and not the n8n server's. Offsets come from Intl, so daylight
 * saving time (Europe/London) follows the zone's own rules.
 */

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

/**
 * A record's date and time as one wall clock. The provider sends `date` ("2025-07-15") and
 * `time` ("13:00:00"); some answers put both in `date`, or write d-m-Y or leave out the
 * seconds. Undefined when no date can be read.
 */
export function wallClockOfRecord(date: unknown, time: unknown): WallClock | undefined {
	const dateText = typeof date === 'string' ? date.trim() : '';
	const timeText = typeof time === 'string' ? time.trim() : '';
	const joined = /[ T]\d{1,2}:\d{2}/.test(dateText) ? dateText : `${dateText} ${timeText}`.trim();
	const match = /^(\d{4})-(\d{1,2})-(\d{1,2})|^(\d{1,2})[-/](\d{1,2})[-/](\d{4})/.exec(joined);
	if (!match) return undefined;
	const [year, month, day] = match[1] ? [match[1], match[2], match[3]] : [match[6], match[5], match[4]];
	const clock = /[ T](\d{1,2}):(\d{2})(?::(\d{2}))?/.exec(joined.slice(match[0].length));
	if (!clock) return undefined;
	const wallClock = wallClockOfFields(Number(year), Number(month), Number(day), Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0));
	return isWallClock(wallClock) ? wallClock : undefined;
}
