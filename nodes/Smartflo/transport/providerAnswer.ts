import type { IN8nHttpFullResponse, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/**
 * The one error mapper: turns whatever the provider answered into either its JSON body
 * or a NodeApiError carrying the HTTP status, the provider's own message and a hint.
 * The platform can answer HTTP 200 with `success: false`; that is a failure too.
 */

export type ProviderAnswer =
	| { ok: true; body: unknown }
	| {
			ok: false;
			status: number;
			/** How the failure showed, for the message: "HTTP 404", "success: false", … */
			label: string;
			providerMessage: string;
			retryAfter?: string;
	  };

const MAX_MESSAGE = 300;

function parseBody(body: unknown): { json: unknown; isJson: boolean } {
	if (typeof body !== 'string') return { json: body, isJson: body !== undefined && body !== null };
	const text = body.trim();
	if (text === '') return { json: undefined, isJson: false };
	try {
		return { json: JSON.parse(text), isJson: true };
	} catch {
		return { json: text, isJson: false };
	}
}

function providerMessageOf(json: unknown): string | undefined {
	if (json && typeof json === 'object' && !Array.isArray(json)) {
		const body = json as Record<string, unknown>;
		for (const key of ['message', 'error', 'msg', 'detail']) {
			const value = body[key];
			if (typeof value === 'string' && value.trim() !== '') return value.trim();
		}
	}
	return undefined;
}

/** Text of an HTML page or other non-JSON body, shortened to something a person reads. */
function summariseText(text: string): string {
	const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1];
	const plain = (title ?? text.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
	return plain.length > MAX_MESSAGE ? `${plain.slice(0, MAX_MESSAGE)}…` : plain;
}

function header(response: IN8nHttpFullResponse, name: string): string | undefined {
	const value = response.headers?.[name] ?? response.headers?.[name.toLowerCase()];
	return Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value);
}

export function interpretAnswer(response: IN8nHttpFullResponse): ProviderAnswer {
	const status = response.statusCode;
	const { json, isJson } = parseBody(response.body);
	const jsonMessage = isJson ? providerMessageOf(json) : undefined;

	if (status >= 400) {
		const providerMessage =
			jsonMessage ??
			(typeof json === 'string' && json !== '' ? summariseText(json) : response.statusMessage || 'no message');
		return { ok: false, status, label: `HTTP ${status}`, providerMessage, retryAfter: header(response, 'retry-after') };
	}
	if (!isJson || typeof json !== 'object' || json === null) {
		const shown = typeof json === 'string' && json !== '' ? `"${summariseText(json)}"` : 'an empty body';
		return {
			ok: false,
			status,
			label: `HTTP ${status}, not JSON`,
			providerMessage: `the provider answered with ${shown} instead of JSON`,
		};
	}
	if (!Array.isArray(json) && (json as Record<string, unknown>).success === false) {
		return { ok: false, status, label: 'refused', providerMessage: jsonMessage ?? 'no message' };
	}
	return { ok: true, body: json };
}

interface ResponseInError {
	status?: unknown;
	statusText?: string;
	headers?: Record<string, unknown>;
	data?: unknown;
}

/**
 * The provider's answer inside an error n8n's request helper threw, as far as that n8n
 * version keeps it: the whole response where the error still holds it, else the status and
 * JSON body n8n copies onto its NodeApiError (httpCode, context.data). Undefined when the
 * error carries no HTTP answer (a refused sign-in, an unreachable host).
 */
export function answerOfThrownError(error: unknown): IN8nHttpFullResponse | undefined {
	const seen = (error ?? {}) as {
		httpCode?: unknown;
		description?: unknown;
		response?: ResponseInError;
		cause?: { response?: ResponseInError };
		context?: { data?: unknown };
	};
	const response = seen.cause?.response ?? seen.response;
	if (response && typeof response.status === 'number') {
		return {
			statusCode: response.status,
			statusMessage: response.statusText,
			headers: (response.headers ?? {}) as IN8nHttpFullResponse['headers'],
			body: response.data as IN8nHttpFullResponse['body'],
		};
	}
	const status = Number(seen.httpCode);
	if (!Number.isInteger(status) || status < 400 || status > 599) return undefined;
	const body = seen.context?.data ?? (typeof seen.description === 'string' ? { message: seen.description } : undefined);
	return { statusCode: status, headers: {}, body: body as IN8nHttpFullResponse['body'] };
}

function hintFor(failure: Extract<ProviderAnswer, { ok: false }>): string {
	const { status } = failure;
	if (failure.label.endsWith('not JSON') || failure.label.endsWith('not a list')) {
		return 'This is not how the provider answers: check the credential’s base URL. If it is right, the provider may or may not have acted; check the call before sending again.';
	}
	if (status === 401) {
		return 'The provider refused the credential. An API token may have expired or been revoked: generate a new one in the portal (API Connect → API Tokens) and update the credential. With Email and Password, n8n already signed in again: check that this portal user may use the API.';
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
	const where = itemIndex === undefined ? '' : ` (item ${itemIndex})`;
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
