import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { ProviderAnswer } from '../../../../credentials/smartfloApi/answers';
import { TOKEN_EXPIRY_HINT } from '../../../../credentials/smartfloApi/authorization';

/**
 * The one error mapper: a failed answer of the provider (see answers.ts) or a request that
 * never got one becomes a NodeApiError with the status, the provider's own message and a
 * hint that says what to fix.
 */

function hintFor(failure: Extract<ProviderAnswer, { ok: false }>): string {
	const { status } = failure;
	if (failure.label.endsWith('not JSON') || failure.label.endsWith('not a list')) {
		return 'This is not how the provider answers: check the credential’s base URL. If it is right, the provider may or may not have acted; check the call before sending again.';
	}
	if (status === 401) {
		return `The provider refused the credential. ${TOKEN_EXPIRY_HINT} With Email and Password, n8n already signed in again: check that this portal user may use the API.`;
	}
	if (status === 403) {
		return 'The token works but is not granted this API. In the portal, allow this token the Call Operations and Users APIs, or use a token that has them.';
	}
	if (status === 404) {
		return 'The provider does not know this call or agent. A call id is only valid while the call is live: the call has probably ended.';
	}
	if (status === 409 || status === 422 || status === 400) {
		return 'The provider did not accept the request as it stands: check that the call is still live and that the agent or destination exists on your account.';
	}
	if (status === 429) {
		const wait = failure.retryAfter ? ` It asked to wait ${failure.retryAfter} s before retrying.` : '';
		return `Too many requests: the provider did not carry this one out.${wait} Lower Options → Max Requests per Second, then send it again.`;
	}
	if (status >= 500) {
		return 'The provider failed while handling the request and may or may not have acted on the call. Check the call before sending it again.';
	}
	return 'The provider did not act. If the call has ended or the agent is busy or offline, this is expected; otherwise check the call id and agent or destination.';
}

const itemOf = (itemIndex?: number) => (itemIndex === undefined ? '' : ` (item ${itemIndex})`);

/**
 * What the node tells the user, e.g. "Smartflo did not transfer call 1758782566.8131 (item 3):
 * Call not found [HTTP 404]". Only the response goes in, so the token cannot.
 */
export function answerError(
	node: INode,
	failure: Extract<ProviderAnswer, { ok: false }>,
	what: string,
	itemIndex?: number,
): NodeApiError {
	const where = itemOf(itemIndex);
	const errorResponse: JsonObject = {
		status: failure.status,
		message: failure.providerMessage,
		...(failure.retryAfter ? { retryAfter: failure.retryAfter } : {}),
	};
	return new NodeApiError(node, errorResponse, {
		message: `Smartflo did not ${what}${where}: ${failure.providerMessage} [${failure.label}]`,
		description: hintFor(failure),
		httpCode: String(failure.status),
		itemIndex,
	});
}

const NETWORK_CODES: Record<string, string> = {
	ECONNREFUSED: 'refused the connection',
	ENOTFOUND: 'is not a known host name',
	EAI_AGAIN: 'could not be looked up',
	EHOSTUNREACH: 'cannot be reached',
	ENETUNREACH: 'cannot be reached',
	ECONNRESET: 'dropped the connection',
	ETIMEDOUT: 'did not answer in time',
	ECONNABORTED: 'did not answer in time',
};

/** The network code of a failed request, wherever n8n's request helper put it. */
export function networkCodeOf(error: unknown): string | undefined {
	const seen = error as { code?: unknown; httpCode?: unknown; cause?: { code?: unknown } } | undefined;
	for (const code of [seen?.httpCode, seen?.code, seen?.cause?.code]) {
		if (typeof code === 'string' && code in NETWORK_CODES) return code;
	}
	return undefined;
}

/**
 * A read that never got an answer from the provider's host, e.g. "Smartflo did not list
 * live calls: http://127.0.0.1:9 refused the connection [ECONNREFUSED]". Reads change
 * nothing, so the hint is about the host, not about checking a call.
 */
export function unreachableError(node: INode, code: string, host: string | undefined, what: string): NodeApiError {
	const where = host ?? 'the provider';
	const error = new NodeApiError(node, { message: `${where} ${NETWORK_CODES[code]}`, code } as JsonObject, {
		description:
			'Check the credential’s Provider (or Base URL) and that this n8n can reach that host. Nothing was changed on the provider; the next poll or search tries again.',
		httpCode: code,
	});
	// Set after construction: n8n swaps a message naming a network code for its generic one.
	error.message = `Smartflo did not ${what}: ${where} ${NETWORK_CODES[code]} [${code}]`;
	return error;
}

/**
 * A read's error, for one of the items that shared the read (By Phone Number): the same
 * message, status and hint, naming the item ("Smartflo did not list live calls (item 2): …").
 */
export function errorForItem(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (!(error instanceof NodeApiError)) return new NodeOperationError(node, error as Error, { itemIndex });
	const message = error.message.replace(/^(Smartflo did not [^:(]+?)(?=: )/, `$1${itemOf(itemIndex)}`);
	const copy = new NodeApiError(node, { message: error.message } as JsonObject, {
		description: error.description ?? undefined,
		httpCode: error.httpCode ?? undefined,
		itemIndex,
	});
	// Set after construction, as in unreachableError: n8n rewrites messages that name a network code.
	copy.message = message;
	return copy;
}
