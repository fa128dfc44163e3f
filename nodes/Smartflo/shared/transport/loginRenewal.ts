import {
	NodeApiError,
	type IExecuteSingleFunctions,
	type IHttpRequestOptions,
	type IN8nHttpFullResponse,
	type ILoadOptionsFunctions,
	type IPollFunctions,
	type JsonObject,
} from 'n8n-workflow';


type RequestingContext = IExecuteSingleFunctions | ILoadOptionsFunctions | IPollFunctions;

/**
 * The second half of Email-and-Password sign-in (the first is signIn.ts). n8n renews a
 * credential's login token only when a request through its helper *throws* a 401, and an
 * error thrown there keeps neither the call id nor the item nor the node's hint. So the
 * node's requests return every answer to the one error mapper, and after a 401 of a login
 * credential this sends the request once more in the form that lets n8n renew: allowed to
 * throw. n8n then signs in again, stores the new token and repeats the request; whatever
 * that last answer is, it comes back as an answer, not as n8n's bare error.
 *
 * Returns undefined for an API-token credential: n8n has nothing to renew, the 401 stands.
 * Resending is safe: a 401 means the provider refused the request before acting on it.
 */
export async function resendRenewingLogin(
	context: RequestingContext,
	request: IHttpRequestOptions,
): Promise<IN8nHttpFullResponse | undefined> {
	const credentials = await context.getCredentials('smartfloApi');
	if (credentials.authentication !== 'login') return undefined;
	const send = async (ignoreHttpStatusErrors: boolean) =>
		(await context.helpers.httpRequestWithAuthentication.call(context, 'smartfloApi', {
			...request,
			returnFullResponse: true,
			ignoreHttpStatusErrors,
		})) as IN8nHttpFullResponse;
	try {
		return await send(false);
	} catch (error) {
		// A refused sign-in or an unreachable host carries no provider answer: n8n's error,
		// which already says what to fix, goes on as it is.
		const answer = answerOfThrownError(error);
		if (answer === undefined) {
			throw error instanceof NodeApiError ? error : new NodeApiError(context.getNode(), error as JsonObject);
		}
		// Older n8n versions keep only a JSON object body on the error they throw, and a read
		// arrives as text. A read changes nothing, so it is asked once more, now with the
		// fresh token, for its whole answer. A call operation is never sent a third time.
		if (request.method === 'GET') return await send(true);
		return answer;
	}
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
function answerOfThrownError(error: unknown): IN8nHttpFullResponse | undefined {
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
