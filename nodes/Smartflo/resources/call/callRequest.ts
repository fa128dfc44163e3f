import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	destinationNeedsNumbering,
	InvalidFieldError,
	validateAgentId,
	validateCallId,
	validateDestination,
	type DestinationFormat,
} from '../../shared/validation';
import {
	DEFAULT_BURST,
	DEFAULT_REQUESTS_PER_SECOND,
	holdAfterTooManyRequests,
	providerAccepted,
	waitForSendSlot,
} from './pacing';
import { interpretAnswer } from '../../../../credentials/smartfloApi/answers';
import { numberingOf } from '../../../../credentials/smartfloApi/hosts';
import { resendRenewingLogin } from '../../shared/transport/loginRenewal';
import { answerError } from '../../shared/transport/providerErrors';
import { DEFAULT_TIMEOUT_MS } from '../../shared/transport/requestDefaults';
import { chooseCall, liveCallsOfRun, wantedOf, type FindBy, type WhenSeveral } from './findCall';
import { CALL_OPERATIONS, isCallOperation, type CallOperation } from './operations';
import { pacingKeyOf, readParameter } from './runParameters';

interface CallRequest {
	operation: CallOperation;
	callId: string;
	/** Call → By Phone Number: what the call was found by, e.g. foundByCustomerNumber. */
	foundBy?: Record<string, string>;
	agentId?: string;
	/** Exactly what goes out as `intercom`. */
	transferTo?: string | string[];
	/** What Transfer To held, where the node rewrote it (spaces, +91 …), so the output shows both. */
	transferToEntered?: string;
}

const FIELD_NAMES = { callId: 'Call', agentId: 'Agent', transferTo: 'Transfer To' } as const;

/**
 * Whether an AI agent runs this node as a tool (n8n names that variant `<type>Tool`). An
 * agent hands the model only an error's message, not its description, so in a tool the
 * fix goes into the message: the model reads what was wrong and how to call it right.
 */
function runsAsTool(context: IExecuteSingleFunctions): boolean {
	return context.getNode().type.endsWith('Tool');
}

/** Checks one field's value; a problem becomes the node's error naming the field and the item. */
async function checkField<T>(
	context: IExecuteSingleFunctions,
	field: keyof typeof FIELD_NAMES,
	value: unknown,
	check: (value: unknown) => T | Promise<T>,
): Promise<T> {
	const itemIndex = context.getItemIndex();
	try {
		return await check(value);
	} catch (error) {
		const invalid = error instanceof InvalidFieldError ? error : undefined;
		if (!invalid) throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
		const message = `${FIELD_NAMES[field]} (${field}) ${invalid.message} [item ${itemIndex}]`;
		throw new NodeOperationError(
			context.getNode(),
			runsAsTool(context) ? `${message}. ${invalid.hintForModel} Nothing was sent.` : message,
			{ itemIndex, description: invalid.hint },
		);
	}
}

/** A field's value; a missing parameter reads as '', which the checks report as empty. */
const valueOf = (context: IExecuteSingleFunctions, field: 'agentId' | 'transferTo') => readParameter(context, field, '', { extractValue: true });

/** Options → …, as saved (runParameters.ts): every read through n8n costs a copy of it. */
interface CallOptions {
	destinationFormat?: DestinationFormat;
	findBy?: string;
	whenSeveral?: string;
	requestsPerSecond?: number;
	burst?: number;
}

/**
 * The destination as the account dials it. Only a number with a prefix (+, 00, a trunk 0)
 * needs to know the provider, so only then is the credential read.
 */
async function readDestination(context: IExecuteSingleFunctions, value: unknown, format: DestinationFormat) {
	const numbering = destinationNeedsNumbering(value) ? numberingOf(await context.getCredentials('smartfloApi')) : 'asTyped';
	const destination = validateDestination(value, format, numbering);
	return {
		transferTo: destination.value,
		...(destination.rewritten ? { transferToEntered: Array.isArray(value) ? value.join(', ') : String(value).trim() } : {}),
	};
}

/** Reads and checks everything one item asks for; throws before anything is sent. */
async function readCallRequest(context: IExecuteSingleFunctions, options: CallOptions, key: string): Promise<CallRequest> {
	const operation = readParameter(context, 'operation');
	if (!isCallOperation(operation)) {
		throw new NodeOperationError(context.getNode(), `Unknown operation "${String(operation)}"`, {
			itemIndex: context.getItemIndex(),
			description: `Choose one of: ${Object.keys(CALL_OPERATIONS).join(', ')}.`,
		});
	}
	// The Call field in one read: its mode says how to take its value.
	const call = readParameter(context, 'callId', '', { extractValue: false }) as { mode?: string; value?: unknown } | string;
	const [mode, callValue] = typeof call === 'object' && call !== null ? [call.mode, call.value] : ['id', call];
	const byNumber = mode === 'number';
	// Everything typed is checked before the live calls are read for By Phone Number.
	const callId = byNumber ? '' : await checkField(context, 'callId', callValue, validateCallId);
	const party =
		CALL_OPERATIONS[operation].party === 'agent'
			? { agentId: await checkField(context, 'agentId', valueOf(context, 'agentId'), validateAgentId) }
			: await checkField(context, 'transferTo', valueOf(context, 'transferTo'), async (value) =>
					await readDestination(context, value, options.destinationFormat ?? 'string'),
				);
	if (!byNumber) return { operation, callId, ...party };
	const by: FindBy = options.findBy === 'agent' ? 'agent' : 'customer';
	const whenSeveral: WhenSeveral = options.whenSeveral === 'newest' || options.whenSeveral === 'longest' ? options.whenSeveral : 'error';
	await checkField(context, 'callId', callValue, (value) => wantedOf(value, by));
	const calls = await liveCallsOfRun(context, async () => await takeSendSlot(context, options, key));
	const found = await checkField(context, 'callId', callValue, (value) => chooseCall(calls, value, by, whenSeveral));
	return { operation, callId: found.callId, foundBy: found.foundBy, ...party };
}

/** Waits for this credential's next send slot (Options → Max Requests per Second and Burst Size). */
async function takeSendSlot(context: IExecuteSingleFunctions, options: CallOptions, key: string): Promise<void> {
	const pacing = { perSecond: options.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND, burst: options.burst ?? DEFAULT_BURST };
	// Optional call: older n8n versions hand nodes no cancel signal.
	await waitForSendSlot(key, pacing, context.getExecutionCancelSignal?.());
}

const optionsOf = (context: IExecuteSingleFunctions) => readParameter(context, 'options', {}) as CallOptions;

/**
 * What each item asked for and the request n8n sent for it, from its preSend to its
 * postReceive: n8n hands both hooks the same per-item context, so the answer hook need not
 * read and check the parameters again, and a re-send after a 401 is the very request that
 * went out (with the node's Proxy, Ignore SSL Issues and Timeout), not one rebuilt.
 */
const askedByItem = new WeakMap<IExecuteSingleFunctions, { request: CallRequest; sent: IHttpRequestOptions }>();

/** preSend: the body exactly as the provider documents it, or an error and no request. */
export async function buildCallOptionsRequest(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const options = optionsOf(this);
	const key = pacingKeyOf(this);
	const request = await readCallRequest(this, options, key);
	askedByItem.set(this, { request, sent: requestOptions });
	requestOptions.body = bodyOf(request);
	requestOptions.timeout = timeoutOf(this);

	// Only valid requests take a turn, so bad items never slow the good ones down.
	await takeSendSlot(this, options, key);
	return requestOptions;
}

/** The body exactly as the provider documents it: `type` an integer, everything else text. */
function bodyOf(request: CallRequest): IDataObject {
	const body: IDataObject = { type: CALL_OPERATIONS[request.operation].type, call_id: request.callId };
	if (request.agentId !== undefined) body.agent_id = request.agentId;
	if (request.transferTo !== undefined) body.intercom = request.transferTo;
	return body;
}

function timeoutOf(context: IExecuteSingleFunctions): number {
	const { timeout } = readParameter(context, 'requestOptions', {}) as { timeout?: number };
	return timeout || DEFAULT_TIMEOUT_MS;
}

/**
 * The provider's answer, then what was asked and what the call was found by. Written into
 * the answer itself, which was parsed for this item alone: a copy of an object fresh from
 * JSON.parse costs V8 more than the rest of this hook.
 */
function outputOf(json: IDataObject, request: CallRequest): IDataObject {
	json.operation = request.operation;
	json.callId = request.callId;
	if (request.agentId !== undefined) json.agentId = request.agentId;
	if (request.transferTo !== undefined) json.transferTo = request.transferTo;
	if (request.transferToEntered !== undefined) json.transferToEntered = request.transferToEntered;
	if (request.foundBy) Object.assign(json, request.foundBy);
	return json;
}

function describeRequest(request: CallRequest): string {
	return `${request.operation} call ${request.callId}`;
}

/**
 * postReceive: the provider's answer plus what was asked, so a CRM step can record it.
 * With Continue On Fail the failure becomes this item's error item, paired to its input
 * (the engine's own error items carry no pairing, which breaks the error output).
 */
export async function handleCallOptionsAnswer(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const itemIndex = this.getItemIndex();
	const asked = askedByItem.get(this);
	const request = asked?.request ?? (await readCallRequest(this, optionsOf(this), pacingKeyOf(this)));
	if (response.statusCode === 401 && asked) {
		response = (await resendRenewingLogin(this, { ...asked.sent })) ?? response;
	}
	const answer = interpretAnswer(response);
	const key = pacingKeyOf(this);
	if (answer.ok) {
		providerAccepted(key);
		const body = (Array.isArray(answer.body) ? { data: answer.body } : answer.body) as IDataObject;
		return [{ json: outputOf(body, request), pairedItem: { item: itemIndex } }];
	}
	// This item still fails (nobody knows what a re-send would do to a live call), but the
	// credential's other requests wait as the provider asked instead of running into it too.
	if (answer.status === 429) holdAfterTooManyRequests(key, answer.retryAfter);
	const error = answerError(this.getNode(), answer, describeRequest(request), itemIndex);
	if (runsAsTool(this) && error.description) error.message = `${error.message}. ${error.description}`;
	if (!this.continueOnFail()) throw error;
	// n8n rewrites the json of every item that has an error to { error: message }.
	return [{ json: { error: error.message }, error, pairedItem: { item: itemIndex } }];
}
