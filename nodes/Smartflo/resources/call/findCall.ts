import type { IExecuteSingleFunctions } from 'n8n-workflow';

import { callTimeToSeconds, runningTimeInWords, text } from '../../shared/callWords';
import { customerNumberOf, hasAgent, readLiveCalls, type LiveCall } from '../../shared/liveCalls';
import { numberingOf, type Numbering } from '../../../../credentials/smartfloApi/hosts';
import { sameCustomerNumber } from '../../shared/numbers';
import { errorForItem } from '../../shared/transport/providerErrors';
import { InvalidFieldError } from '../../shared/validation';
import { runOf } from './runParameters';

/**
 * Call → By Phone Number: the live call of a customer's number (or of an agent), found in
 * `GET /v1/live_calls`. Exactly one call, or an error that says what was found; never a
 * guess, unless the user chose which of several to take.
 *
 * The items of one run share one read of the live calls: the provider's list is read once,
 * unfiltered (its query filters take one agent or DID, which would cost one read per item),
 * and each item compares its number with the same normaliser as the trigger's filters.
 */

export type FindBy = 'customer' | 'agent';
export type WhenSeveral = 'error' | 'newest' | 'longest';

export interface FoundCall {
	callId: string;
	/** What the output says the call was found by, e.g. { foundByCustomerNumber: '98765 43210' }. */
	foundBy: Record<string, string>;
}

/** The live calls an item's number is looked for in, and how the account writes numbers. */
export interface LiveCallsRead {
	calls: LiveCall[];
	numbering: Numbering;
}

/**
 * One read per run of the node (runOf in runParameters.ts). A read is also dropped once no
 * item has used it for READ_IDLE_MS, should a run ever last that long between items: an AI
 * agent's "try again" reads again, while the items of one run (paced or not) keep sharing
 * it. A failed read is never kept.
 */
const readsOfRuns = new WeakMap<object, { read: Promise<LiveCallsRead>; usedAt: number }>();
export const READ_IDLE_MS = 2_000;

/**
 * The live calls for an item By Phone Number: the run's one read (`beforeRead` takes its
 * turn in the node's pacing). A failed read fails every item waiting for it, each with its
 * own copy of the provider's error.
 */
export async function liveCallsOfRun(context: IExecuteSingleFunctions, beforeRead: () => Promise<void>): Promise<LiveCallsRead> {
	const read = async (): Promise<LiveCallsRead> => {
		await beforeRead();
		const calls = await readLiveCalls.call(context);
		return { calls, numbering: numberingOf(await context.getCredentials('smartfloApi')) };
	};
	// A context without a run of its own (a tool of an AI Agent before version 3) reads for its item alone.
	const run = runOf(context);
	const now = Date.now();
	let shared = run ? readsOfRuns.get(run) : undefined;
	if (!shared || now - shared.usedAt > READ_IDLE_MS) {
		shared = { read: read(), usedAt: now };
		const entry = shared;
		if (run) {
			readsOfRuns.set(run, entry);
			entry.read.catch(() => readsOfRuns.get(run) === entry && readsOfRuns.delete(run));
		}
	}
	shared.usedAt = now;
	try {
		return await shared.read;
	} catch (error) {
		throw errorForItem(context.getNode(), error, context.getItemIndex());
	}
}

/** "1758782566.8131 (14m 05s, Asha Rao)": what an error lists of a call that matched. */
function describe(call: LiveCall): string {
	return `${call.call_id} (${runningTimeInWords(call.call_time) || 'running time unknown'}, ${text(call.agent_name) || 'no agent yet'})`;
}

/** The typed number or agent as text; a number from a CRM may arrive as a JSON number. */
export function wantedOf(value: unknown, by: FindBy): string {
	const typed = typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? String(value) : typeof value === 'string' ? value.trim() : undefined;
	if (typed === undefined) {
		throw new InvalidFieldError(
			`got ${value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`} instead of a phone number`,
			'Map one phone number as text, e.g. {{ $json.phone }}.',
		);
	}
	if (typed === '') {
		throw new InvalidFieldError(
			'is empty',
			by === 'customer'
				? 'Enter the customer’s phone number, e.g. +91 98765 43210, or map it from your CRM.'
				: 'Enter the agent’s number, extension or name as the live-call list shows it.',
		);
	}
	if (by === 'customer' && !/^\+?[\d\s\-.()[\]]+$/.test(typed)) {
		throw new InvalidFieldError(
			`"${typed.slice(0, 40)}" is not a phone number`,
			'A customer’s number is digits, with spaces, dashes or a leading + if you like, e.g. +91 98765 43210. To find a call by its agent, set Options → Find Call By to Agent.',
			'Pass the customer’s phone number, e.g. "+91 98765 43210", or the call id with Call mode By ID.',
		);
	}
	if (by === 'customer' && typed.replace(/\D/g, '').length < 8) {
		throw new InvalidFieldError(
			`"${typed}" has fewer than 8 digits`,
			'Give the customer’s whole number (at least 8 digits, e.g. 98765 43210): a shorter one could match someone else’s.',
		);
	}
	return typed;
}

function matches(call: LiveCall, wanted: string, by: FindBy, numbering: Numbering): boolean {
	return by === 'customer' ? sameCustomerNumber(customerNumberOf(call), wanted, numbering) : hasAgent(call, wanted);
}

/** The one live call `value` names, or an InvalidFieldError saying what was found instead. */
export function chooseCall({ calls, numbering }: LiveCallsRead, value: unknown, by: FindBy, whenSeveral: WhenSeveral): FoundCall {
	const wanted = wantedOf(value, by);
	const what = by === 'customer' ? `the customer number "${wanted}"` : `the agent "${wanted}"`;
	const found = calls.filter((call) => matches(call, wanted, by, numbering));
	const foundBy: Record<string, string> = by === 'customer' ? { foundByCustomerNumber: wanted } : { foundByAgent: wanted };
	if (found.length === 1) return { callId: found[0].call_id, foundBy };
	if (found.length === 0) {
		const live = `${calls.length} call${calls.length === 1 ? ' is' : 's are'} live`;
		throw new InvalidFieldError(
			`found no live call with ${what} (${live})`,
			by === 'customer'
				? 'The call may have ended, or the number is another one than the provider shows (check it in the live calls, e.g. Call → From List). Numbers compare without spaces and dashes, and on an Indian account without +91, 0091, 91 or a leading 0; otherwise digit for digit. To find a call by its agent, set Options → Find Call By to Agent.'
				: 'The call may have ended or not reached an agent yet. The agent is matched by the number, extension or name the live-call list shows (e.g. Call → From List).',
			'No call was acted on. Ask for or check the number; the call may have ended.',
		);
	}
	if (whenSeveral === 'error') {
		throw new InvalidFieldError(
			`found ${found.length} live calls with ${what}: ${found.slice(0, 10).map(describe).join('; ')}${found.length > 10 ? '; …' : ''}`,
			'Pick the call By ID, or set Options → If Several Calls Match to Take the Newest or Take the Longest Running.',
			'Several calls match: pass the call id of the one meant, with Call mode By ID.',
		);
	}
	// Newest: the shortest running time; longest: the longest. A call whose running time is unknown is taken only when no other matches.
	const seconds = (call: LiveCall) => callTimeToSeconds(call.call_time) ?? (whenSeveral === 'newest' ? Number.POSITIVE_INFINITY : -1);
	const chosen = found.reduce((best, call) =>
		whenSeveral === 'newest' ? (seconds(call) < seconds(best) ? call : best) : seconds(call) > seconds(best) ? call : best,
	);
	return { callId: chosen.call_id, foundBy };
}
