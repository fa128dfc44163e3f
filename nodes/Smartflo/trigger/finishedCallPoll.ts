import { NodeOperationError, type IDataObject, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';

import { isLoopbackCredential, timeZoneOf } from '../../../credentials/smartfloApi/hosts';
import { MAX_PAGES, readCallRecords, recordKey, startOf, type CallRecord, type CallRecordQuery } from '../shared/callRecords';
import { text } from '../shared/callWords';
import { downloadRecording, type RecordingLimits } from '../shared/recordings';
import { isKnownTimeZone, wallClockAt } from '../shared/timeZones';
import { decide, MAX_CATCH_UP_HOURS, MAX_ITEMS_PER_POLL, newestRecord, pollWindow, recordItem, type RecordMemory, type RecordSetup } from './callRecordEvents';
import { filtersOf } from './filters';

/**
 * Smartflo Trigger's Finished Call inside n8n: reads the call records of the window the
 * pure decision (callRecordEvents.ts) asks for, fetches recordings within the poll's
 * budget, and keeps the memory in the workflow static data. A failed read throws before
 * anything is remembered, so the next poll reads the same window again.
 */

export const DEFAULT_LOOK_BACK_MINUTES = 120;
export const DEFAULT_MAX_RECORDING_MB = 25;
/** Max Recording Size may be 1 to this (the download is buffered on n8n's main process). */
export const MAX_RECORDING_MB = 100;
/** One recording's download, redirects included. */
export const RECORDING_TIMEOUT_MS = 30_000;
/**
 * What one poll spends on recordings, at most (the poller runs on n8n's main process):
 * once any bound is reached, the remaining records wait for the next poll.
 */
export const RECORDINGS_PER_POLL = 25;
export const RECORDING_BYTES_PER_POLL = 100 * 1_048_576;
export const RECORDING_TIME_PER_POLL_MS = 60_000;
/**
 * A recording the host does not have yet (404, 403) is asked for again at every poll, its
 * record waiting, for this long after the first try; then the record fires without it.
 */
export const RECORDING_RETRY_MS = 30 * 60_000;
/** Everything one poll does (pages, recordings) ends by then; n8n 2.x may ask for less. */
export const POLL_DEADLINE_MS = 4 * 60_000;

interface FinishedCallOptions {
	attachRecording: boolean;
	maxRecordingBytes: number;
	timeZone: string;
	allowLoopback: boolean;
}

function setupOf(context: IPollFunctions): { setup: RecordSetup; options: IDataObject } {
	const options = context.getNodeParameter('recordOptions', {}) as IDataObject;
	const outcome = context.getNodeParameter('outcome', 'all') as RecordSetup['outcome'];
	const lookBackMinutes = Number(options.lookBackMinutes ?? DEFAULT_LOOK_BACK_MINUTES);
	if (!(lookBackMinutes >= 1) || lookBackMinutes > MAX_CATCH_UP_HOURS * 60) {
		throw new NodeOperationError(context.getNode(), `Look-Back must be 1 to ${MAX_CATCH_UP_HOURS * 60} minutes, not "${String(options.lookBackMinutes)}"`, {
			description: `How far back each poll reads the call records, e.g. ${DEFAULT_LOOK_BACK_MINUTES}.`,
		});
	}
	return {
		setup: { outcome, ...filtersOf(context), lookBackMinutes, includeRecent: options.includeRecent === true },
		options,
	};
}

async function optionsOf(context: IPollFunctions, options: IDataObject): Promise<FinishedCallOptions> {
	const credentials = await context.getCredentials('smartfloApi');
	const typed = text(options.timeZone);
	const timeZone = typed !== '' ? typed : timeZoneOf(credentials);
	if (!isKnownTimeZone(timeZone)) {
		throw new NodeOperationError(context.getNode(), `"${timeZone}" is not a time zone`, {
			description:
				typed !== ''
					? 'Set Options → Account Time Zone to an IANA name such as Asia/Kolkata or Europe/London, or leave it empty for the credential’s.'
					: 'Set the credential’s Account Time Zone to an IANA name such as Asia/Kolkata or Europe/London.',
		});
	}
	const attachRecording = options.attachRecording === true;
	const megabytes = Number(options.maxRecordingMb ?? DEFAULT_MAX_RECORDING_MB);
	if (attachRecording && !(megabytes >= 1 && megabytes <= MAX_RECORDING_MB)) {
		throw new NodeOperationError(context.getNode(), `Max Recording Size must be 1 to ${MAX_RECORDING_MB} MB, not "${String(options.maxRecordingMb)}"`, {
			description: `Recordings are held in memory on n8n's main process while they download, e.g. ${DEFAULT_MAX_RECORDING_MB}.`,
		});
	}
	return {
		attachRecording,
		maxRecordingBytes: (Number.isFinite(megabytes) ? megabytes : DEFAULT_MAX_RECORDING_MB) * 1_048_576,
		timeZone,
		allowLoopback: isLoopbackCredential(credentials),
	};
}

function queryOf(setup: RecordSetup, from: string, to: string): CallRecordQuery {
	return {
		from,
		to,
		...(setup.outcome !== 'all' ? { outcome: setup.outcome } : {}),
		...(setup.direction === 'inbound' || setup.direction === 'outbound' ? { direction: setup.direction } : {}),
	};
}

/** When this poll must be done: POLL_DEADLINE_MS, or less where n8n gives polls a budget. */
function deadlineOf(context: IPollFunctions, now: number): number {
	const budget = (context as { getPollBudgetMs?: () => number }).getPollBudgetMs;
	const engineBudget = typeof budget === 'function' ? Number(budget.call(context)) : Infinity;
	return now + Math.min(POLL_DEADLINE_MS, Number.isFinite(engineBudget) && engineBudget > 0 ? engineBudget : Infinity);
}

/** Spends the poll's recordings budget; says when it is used up. */
class RecordingBudget {
	private count = 0;
	private bytes = 0;
	private readonly until: number;

	constructor(now: number, deadline: number) {
		this.until = Math.min(now + RECORDING_TIME_PER_POLL_MS, deadline);
	}

	usedUp(): boolean {
		return this.count >= RECORDINGS_PER_POLL || this.bytes >= RECORDING_BYTES_PER_POLL || Date.now() >= this.until;
	}

	spend(bytes: number): void {
		this.count += 1;
		this.bytes += bytes;
	}
}

const minutes = (ms: number) => Math.round(ms / 60_000);

/**
 * One output item, with its recording attached (or why not) when asked for; or, for a
 * recording the host does not have yet (within RECORDING_RETRY_MS of `firstTry`), the
 * instant of the first try: the record then waits for the next poll.
 */
async function itemOf(
	context: IPollFunctions,
	record: CallRecord,
	options: FinishedCallOptions,
	retry?: { budget: RecordingBudget; now: number; deadline: number; firstTry?: number },
): Promise<{ item: INodeExecutionData } | { retryFrom: number }> {
	if (!options.attachRecording) return { item: { json: recordItem(record, options.timeZone) } };
	const url = text(record.recording_url);
	if (url === '') return { item: { json: recordItem(record, options.timeZone, { recording_status: 'none' }) } };
	const timeoutMs = Math.max(1, Math.min(RECORDING_TIMEOUT_MS, (retry?.deadline ?? Infinity) - Date.now()));
	const limits: RecordingLimits = { maxBytes: options.maxRecordingBytes, timeoutMs, allowLoopback: options.allowLoopback };
	const download = await downloadRecording.call(context, url, record.call_id, limits);
	// A recording not there yet costs one quick answer: it does not use up the poll's count,
	// or 25 waiting recordings would hold back every record behind them (time still counts).
	if (download.ok || !(download.notReady && retry)) retry?.budget.spend(download.ok ? download.bytes : 0);
	if (download.ok) return { item: { json: recordItem(record, options.timeZone, { recording_status: 'attached' }), binary: { recording: download.binary } } };
	let reason = download.reason;
	if (download.notReady && retry) {
		const firstTry = retry.firstTry ?? retry.now;
		if (retry.now - firstTry < RECORDING_RETRY_MS) return { retryFrom: firstTry };
		reason = `${reason} (asked at every poll for ${minutes(retry.now - firstTry)} minutes)`;
	}
	return { item: { json: recordItem(record, options.timeZone, { recording_status: 'failed', recording_error: reason }) } };
}

/** Records that waited too long (a backlog larger than the polls can emit): said in an error execution. */
function droppedError(context: IPollFunctions, dropped: CallRecord[], timeZone: string): NodeOperationError {
	const starts = dropped.map((record) => startOf(record, timeZone) ?? '?');
	const ids = dropped.slice(0, 20).map((record) => record.call_id || recordKey(record));
	const count = dropped.length;
	return new NodeOperationError(
		context.getNode(),
		`${count} call record${count === 1 ? '' : 's'} waited more than ${MAX_CATCH_UP_HOURS} hours to fire and ${count === 1 ? 'was' : 'were'} dropped (calls from ${starts[0]} to ${starts[count - 1]})`,
		{
			description: `More records arrived than the polls could emit (at most ${MAX_ITEMS_PER_POLL} records and ${RECORDINGS_PER_POLL} recordings a poll), and these waited longer than a record may. The records after them fire as usual. Call ids: ${ids.join(', ')}${count > ids.length ? ', …' : ''}. To keep up: poll more often, narrow Calls or the filters, or turn off Attach Recording.`,
		},
	);
}

/** Polls of one trigger node under way in this n8n process (the poller runs on the main). */
const pollsUnderWay = new Set<string>();

export async function pollFinishedCalls(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const { setup, options: rawOptions } = setupOf(this);
	const options = await optionsOf(this, rawOptions);
	if (this.getMode() === 'manual') return [[await testEvent(this, setup, options)]];

	// A poll that outlasts the interval (a slow provider, recordings) must not meet the next
	// one: both would read the same memory and fire the same records. Every poll ends by its
	// deadline, so this never holds for longer.
	const guard = `${this.getWorkflow().id ?? ''}\u0000${this.getNode().id}`;
	if (pollsUnderWay.has(guard)) return null;
	pollsUnderWay.add(guard);
	try {
		const now = Date.now();
		const deadline = deadlineOf(this, now);
		const memory = this.getWorkflowStaticData('node') as RecordMemory;
		const window = pollWindow(setup, memory, now, options.timeZone);
		// Read first: a failed read changes nothing the trigger remembers.
		const read = await readCallRecords.call(this, queryOf(setup, window.from, window.to), { maxPages: MAX_PAGES, deadline });
		const decision = decide(setup, memory, { ...window, to: read.to }, read.records, now, options.timeZone);

		const items: INodeExecutionData[] = [];
		const emitted = new Set<string>();
		const retries: Record<string, number> = {};
		const budget = new RecordingBudget(Date.now(), deadline);
		for (const record of decision.due) {
			// Past the budget, records with a recording wait for the next poll; the others fire.
			const downloads = options.attachRecording && text(record.recording_url) !== '';
			if (downloads && budget.usedUp()) continue;
			const key = recordKey(record);
			const outcome = await itemOf(this, record, options, { budget, now, deadline, firstTry: memory.recordingRetries?.[key] });
			if ('retryFrom' in outcome) {
				retries[key] = outcome.retryFrom;
				continue;
			}
			items.push(outcome.item);
			emitted.add(key);
		}
		const next = decision.memoryAfter(emitted, retries);
		for (const key of Object.keys(memory)) if (!(key in next)) delete memory[key];
		Object.assign(memory, next);
		// What was dropped is said in an error execution, as n8n reports a failed poll, but the
		// poll itself succeeds: its items start the workflow, n8n keeps the memory, and the
		// poll at activation does not fail the activation.
		if (decision.dropped.length > 0) this.__emitError(droppedError(this, decision.dropped, options.timeZone));
		return items.length > 0 ? [items] : null;
	} finally {
		pollsUnderWay.delete(guard);
	}
}

/**
 * Fetch Test Event: the newest record matching the settings, from the look-back window or,
 * if it has none, the last MAX_CATCH_UP_HOURS; with its recording when asked. Remembers nothing.
 */
async function testEvent(context: IPollFunctions, setup: RecordSetup, options: FinishedCallOptions): Promise<INodeExecutionData> {
	const now = Date.now();
	const limits = { maxPages: MAX_PAGES, deadline: deadlineOf(context, now) };
	const to = wallClockAt(now, options.timeZone);
	let read = await readCallRecords.call(context, queryOf(setup, wallClockAt(now - setup.lookBackMinutes * 60_000, options.timeZone), to), limits);
	let newest = newestRecord(setup, read.records, options.timeZone);
	if (!newest && setup.lookBackMinutes < MAX_CATCH_UP_HOURS * 60) {
		read = await readCallRecords.call(context, queryOf(setup, wallClockAt(now - MAX_CATCH_UP_HOURS * 3_600_000, options.timeZone), to), limits);
		newest = newestRecord(setup, read.records, options.timeZone);
	}
	if (newest) {
		const outcome = await itemOf(context, newest, options);
		if ('item' in outcome) return outcome.item;
	}
	const filtered = setup.outcome !== 'all' || setup.direction !== '' || setup.agents.length > 0 || setup.dids.length > 0;
	const count = read.records.length;
	const asked = setup.outcome !== 'all' || setup.direction !== '' ? ' of these Calls and Direction' : '';
	throw new NodeOperationError(context.getNode(), `No call record${filtered ? ' matching the settings' : ''} in the last ${MAX_CATCH_UP_HOURS} hours`, {
		description: `The call records of that time hold ${count} record${count === 1 ? '' : 's'}${asked}. Fetch Test Event shows the newest real record: make or miss a test call and try again once its record is there (it can take a few minutes), or widen Calls and the filters. The active workflow is not affected.`,
	});
}
