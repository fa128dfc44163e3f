import { NodeOperationError, type IDataObject, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';

import { isLoopbackCredential, timeZoneOf } from '../../../credentials/smartfloApi/hosts';
import { readCallRecords, type CallRecord, type CallRecordQuery } from '../shared/callRecords';
import { text } from '../shared/liveCalls';
import { downloadRecording, type RecordingLimits } from '../shared/recordings';
import { isKnownTimeZone, wallClockAt } from '../shared/timeZones';
import { decide, MAX_CATCH_UP_HOURS, newestRecord, pollWindow, recordItem, type RecordMemory, type RecordSetup } from './callRecordEvents';
import { filtersOf } from './filters';

/**
 * Smartflo Trigger's Finished Call inside n8n: reads the call records of the window the
 * pure decision (callRecordEvents.ts) asks for, fetches recordings within the poll's
 * budget, and keeps the memory in the workflow static data. A failed read throws before
 * anything is remembered, so the next poll reads the same window again.
 */

export const DEFAULT_LOOK_BACK_MINUTES = 120;
export const DEFAULT_MAX_RECORDING_MB = 25;
/** One recording's download, redirects included. */
export const RECORDING_TIMEOUT_MS = 30_000;
/**
 * What one poll spends on recordings, at most (the poller runs on n8n's main process):
 * once any bound is reached, the remaining records wait for the next poll.
 */
export const RECORDINGS_PER_POLL = 25;
export const RECORDING_BYTES_PER_POLL = 100 * 1_048_576;
export const RECORDING_TIME_PER_POLL_MS = 60_000;

interface FinishedCallOptions {
	attachRecording: boolean;
	maxRecordingBytes: number;
	timeZone: string;
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

async function optionsOf(context: IPollFunctions, options: IDataObject): Promise<FinishedCallOptions & { allowLoopback: boolean }> {
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
	const megabytes = Number(options.maxRecordingMb ?? DEFAULT_MAX_RECORDING_MB);
	return {
		attachRecording: options.attachRecording === true,
		maxRecordingBytes: Math.max(1, Number.isFinite(megabytes) ? megabytes : DEFAULT_MAX_RECORDING_MB) * 1_048_576,
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

/** Spends the poll's recordings budget; says when it is used up. */
class RecordingBudget {
	private count = 0;
	private bytes = 0;
	private readonly until: number;

	constructor(now: number) {
		this.until = now + RECORDING_TIME_PER_POLL_MS;
	}

	usedUp(): boolean {
		return this.count >= RECORDINGS_PER_POLL || this.bytes >= RECORDING_BYTES_PER_POLL || Date.now() >= this.until;
	}

	spend(bytes: number): void {
		this.count += 1;
		this.bytes += bytes;
	}
}

/** One output item, with its recording attached (or why not) when asked for. */
async function itemOf(
	context: IPollFunctions,
	record: CallRecord,
	options: FinishedCallOptions & { allowLoopback: boolean },
	budget?: RecordingBudget,
): Promise<INodeExecutionData> {
	if (!options.attachRecording) return { json: recordItem(record, options.timeZone) };
	const url = text(record.recording_url);
	if (url === '') return { json: recordItem(record, options.timeZone, { recording_status: 'none' }) };
	const limits: RecordingLimits = { maxBytes: options.maxRecordingBytes, timeoutMs: RECORDING_TIMEOUT_MS, allowLoopback: options.allowLoopback };
	const download = await downloadRecording.call(context, url, record.call_id, limits);
	budget?.spend(download.ok ? download.bytes : 0);
	if (!download.ok) return { json: recordItem(record, options.timeZone, { recording_status: 'failed', recording_error: download.reason }) };
	return { json: recordItem(record, options.timeZone, { recording_status: 'attached' }), binary: { recording: download.binary } };
}

/** Polls of one trigger node under way in this n8n process (the poller runs on the main). */
const pollsUnderWay = new Set<string>();

export async function pollFinishedCalls(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const { setup, options: rawOptions } = setupOf(this);
	const options = await optionsOf(this, rawOptions);
	if (this.getMode() === 'manual') return [[await testEvent(this, setup, options)]];

	// A poll that outlasts the interval (a slow provider, recordings) must not meet the next
	// one: both would read the same memory and fire the same records.
	const guard = `${this.getWorkflow().id ?? ''}\u0000${this.getNode().id}`;
	if (pollsUnderWay.has(guard)) return null;
	pollsUnderWay.add(guard);
	try {
		const now = Date.now();
		const memory = this.getWorkflowStaticData('node') as RecordMemory;
		const window = pollWindow(setup, memory, now, options.timeZone);
		// Read first: a failed read changes nothing the trigger remembers.
		const { records } = await readCallRecords.call(this, queryOf(setup, window.from, window.to));
		const decision = decide(setup, memory, window, records, now, options.timeZone);

		const items: INodeExecutionData[] = [];
		const budget = new RecordingBudget(Date.now());
		for (const record of decision.due) {
			const downloads = options.attachRecording && text(record.recording_url) !== '';
			if (downloads && budget.usedUp()) break;
			items.push(await itemOf(this, record, options, budget));
		}
		const next = decision.memoryAfter(items.length);
		for (const key of Object.keys(memory)) if (!(key in next)) delete memory[key];
		Object.assign(memory, next);
		return items.length > 0 ? [items] : null;
	} finally {
		pollsUnderWay.delete(guard);
	}
}

/**
 * Fetch Test Event: the newest record matching the settings, from the look-back window or,
 * if it has none, the last MAX_CATCH_UP_HOURS; with its recording when asked. Remembers nothing.
 */
async function testEvent(context: IPollFunctions, setup: RecordSetup, options: FinishedCallOptions & { allowLoopback: boolean }): Promise<INodeExecutionData> {
	const now = Date.now();
	const to = wallClockAt(now, options.timeZone);
	let read = await readCallRecords.call(context, queryOf(setup, wallClockAt(now - setup.lookBackMinutes * 60_000, options.timeZone), to));
	let newest = newestRecord(setup, read.records);
	if (!newest && setup.lookBackMinutes < MAX_CATCH_UP_HOURS * 60) {
		read = await readCallRecords.call(context, queryOf(setup, wallClockAt(now - MAX_CATCH_UP_HOURS * 3_600_000, options.timeZone), to));
		newest = newestRecord(setup, read.records);
	}
	if (newest) return await itemOf(context, newest, options);
	const filtered = setup.outcome !== 'all' || setup.direction !== '' || setup.agents.length > 0 || setup.dids.length > 0;
	const count = read.records.length;
	const asked = setup.outcome !== 'all' || setup.direction !== '' ? ' of these Calls and Direction' : '';
	throw new NodeOperationError(context.getNode(), `No call record${filtered ? ' matching the settings' : ''} in the last ${MAX_CATCH_UP_HOURS} hours`, {
		description: `The call records of that time hold ${count} record${count === 1 ? '' : 's'}${asked}. Fetch Test Event shows the newest real record: make or miss a test call and try again once its record is there (it can take a few minutes), or widen Calls and the filters. The active workflow is not affected.`,
	});
}
