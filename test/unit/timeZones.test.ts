/**
 * The account's wall clock without dependencies: India has no daylight saving time, the UK
 * has; the call records' dates and their from_date/to_date are read and written in it.
 */
import { timeZoneOf } from '../../credentials/smartfloApi/hosts';
import {
	addSeconds,
	instantOf,
	isKnownTimeZone,
	isoWithOffset,
	offsetMinutesAt,
	wallClockAt,
	readRecordStart,
} from '../../nodes/Smartflo/shared/timeZones';

const at = (iso: string) => Date.parse(iso);

describe('the zone of each provider', () => {
	test.each([
		['smartflo', 'Asia/Kolkata'],
		['acefoneIndia', 'Asia/Kolkata'],
		['servetel', 'Asia/Kolkata'],
		['acefoneUk', 'Europe/London'],
	])('%s: %s', (provider, zone) => expect(timeZoneOf({ provider })).toBe(zone));

	test('a custom credential: its Account Time Zone, else India (white-label Smartflo)', () => {
		expect(timeZoneOf({ provider: 'custom', timeZone: ' Europe/London ' })).toBe('Europe/London');
		expect(timeZoneOf({ provider: 'custom', timeZone: '' })).toBe('Asia/Kolkata');
		expect(timeZoneOf({})).toBe('Asia/Kolkata');
	});
});

describe('wall clocks', () => {
	test.each([
		// India: +05:30 all year.
		['2025-01-15T12:00:00Z', 'Asia/Kolkata', '2025-01-15 17:30:00', 330],
		['2025-07-15T12:00:00Z', 'Asia/Kolkata', '2025-07-15 17:30:00', 330],
		// London: GMT in winter, BST (+01:00) in summer.
		['2025-01-15T12:00:00Z', 'Europe/London', '2025-01-15 12:00:00', 0],
		['2025-07-15T12:00:00Z', 'Europe/London', '2025-07-15 13:00:00', 60],
		// Just past midnight UTC is the next day in India.
		['2025-03-31T20:00:00Z', 'Asia/Kolkata', '2025-04-01 01:30:00', 330],
	])('%s in %s is %s (offset %i min)', (iso, zone, wall, offset) => {
		expect(wallClockAt(at(iso), zone)).toBe(wall);
		expect(offsetMinutesAt(at(iso), zone)).toBe(offset);
		expect(instantOf(wall, zone)).toBe(at(iso));
	});

	test('ISO with the offset that applied then', () => {
		expect(isoWithOffset('2025-07-15 13:00:00', 'Europe/London')).toBe('2025-07-15T13:00:00+01:00');
		expect(isoWithOffset('2025-01-15 12:00:00', 'Europe/London')).toBe('2025-01-15T12:00:00+00:00');
		expect(isoWithOffset('2025-07-15 17:30:00', 'Asia/Kolkata')).toBe('2025-07-15T17:30:00+05:30');
		expect(isoWithOffset('2025-07-15 17:30:00', 'America/Sao_Paulo')).toBe('2025-07-15T17:30:00-03:00');
	});

	test('the hour the clocks go back names two instants: the earlier is taken', () => {
		// 26 Oct 2025: 01:30 BST (00:30 UTC) and then 01:30 GMT (01:30 UTC).
		expect(instantOf('2025-10-26 01:30:00', 'Europe/London')).toBe(at('2025-10-26T00:30:00Z'));
		expect(wallClockAt(at('2025-10-26T00:30:00Z'), 'Europe/London')).toBe('2025-10-26 01:30:00');
		expect(wallClockAt(at('2025-10-26T01:30:00Z'), 'Europe/London')).toBe('2025-10-26 01:30:00');
	});

	test('the hour the clocks skip is read with the offset from before', () => {
		// 30 Mar 2025: 01:00 GMT becomes 02:00 BST; 01:30 never shows on a London clock.
		expect(instantOf('2025-03-30 01:30:00', 'Europe/London')).toBe(at('2025-03-30T01:30:00Z'));
		expect(isoWithOffset('2025-03-30 02:30:00', 'Europe/London')).toBe('2025-03-30T02:30:00+01:00');
	});

	test('arithmetic on the wall: a second on, across midnight and a month end', () => {
		expect(addSeconds('2025-01-31 23:59:59', 1)).toBe('2025-02-01 00:00:00');
	});

	test('known and unknown zones', () => {
		expect(isKnownTimeZone('Europe/London')).toBe(true);
		expect(isKnownTimeZone('Mars/Olympus')).toBe(false);
		expect(isKnownTimeZone('')).toBe(false);
	});
});

describe('a record’s date and time as the provider writes them', () => {
	test.each([
		[['2025-07-15', '13:05:09'], '2025-07-15 13:05:09'],
		[['2025-07-15 13:05:09', undefined], '2025-07-15 13:05:09'],
		[['2025-7-5', '9:05'], '2025-07-05 09:05:00'],
		[['15-07-2025', '13:05:09'], '2025-07-15 13:05:09'],
		// Slashed dates only as the dialer writes them (en-US, month first, AM/PM); else refused.
		[['7/11/2026, 9:12:56 PM', undefined], '2026-07-11 21:12:56'],
		[['7/13/2026', '9:12:56 PM'], '2026-07-13 21:12:56'],
		[['15/07/2025', '13:05:09'], undefined],
		[['7/11/2026', '21:12:56'], undefined],
		[['13/7/2026, 9:12:56 PM', undefined], undefined],
		[['2025-02-30', '13:05:09'], undefined],
		[['', '13:05:09'], undefined],
		[[null, null], undefined],
		[['2025-07-15', ''], undefined],
	])('%j → %s', ([date, time], wall) => {
		const read = readRecordStart(date, time, 'Asia/Kolkata');
		expect(read.ok ? read.wallClock : undefined).toBe(wall);
	});
});

describe('record times: read exactly, or refused', () => {
	const read = (date: unknown, time: unknown, zone = 'Asia/Kolkata') => {
		const start = readRecordStart(date, time, zone);
		return start.ok ? start.wallClock : undefined;
	};

	test.each([
		[['2025-07-15', '01:05:09 PM'], '2025-07-15 13:05:09'],
		[['2025-07-15', '1:05 pm'], '2025-07-15 13:05:00'],
		[['2025-07-15', '12:05:09 AM'], '2025-07-15 00:05:09'],
		[['2025-07-15', '12:05:09 PM'], '2025-07-15 12:05:09'],
		[['2025-07-15 01:05:09 P.M.', undefined], '2025-07-15 13:05:09'],
		[['2025-07-15', '07:35:09Z'], '2025-07-15 13:05:09'],
		[['2025-07-15T07:35:09.250Z', ''], '2025-07-15 13:05:09'],
		[['2025-07-15T07:35:09+00:00', ''], '2025-07-15 13:05:09'],
		[['2025-07-15', '13:05:09+05:30'], '2025-07-15 13:05:09'],
		[['2025-07-15', '03:35:09-0400'], '2025-07-15 13:05:09'],
		[['2025-07-14', '20:00:00-10:00'], '2025-07-15 11:30:00'],
	])('%j → %s', ([date, time], wall) => expect(read(date, time)).toBe(wall));

	test.each([
		['2025-07-15', '13:05:09 PM'],
		['2025-07-15', '00:05 AM'],
		['2025-07-15', '11h58'],
		['2025-07-15', '13:05:09 IST'],
		['2025-07-15', '25:00:00'],
		['2025-07-15', '13:65:00'],
		['15 July 2025', '13:05:09'],
	])('%s %s is refused, saying which formats are read', (date, time) => {
		const start = readRecordStart(date, time, 'Asia/Kolkata');
		expect(start).toStrictEqual({ ok: false, problem: expect.stringContaining('m/d/Y only with h:i:s AM/PM (7/11/2026, 9:12:56 PM), or ISO 8601 with Z or an offset') });
	});

	test('an instant is written on the account’s clock, summer time included', () => {
		expect(read('2025-07-15T12:00:00Z', '', 'Europe/London')).toBe('2025-07-15 13:00:00');
		expect(read('2025-01-15T12:00:00Z', '', 'Europe/London')).toBe('2025-01-15 12:00:00');
	});
});
