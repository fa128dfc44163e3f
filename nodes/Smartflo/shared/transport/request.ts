import {
	NodeApiError,
	type IDataObject,
	type IExecuteSingleFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IN8nHttpFullResponse,
	type IPollFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { interpretAnswer } from '../../../../credentials/smartfloApi/answers';
import { resolveBaseUrl } from '../../../../credentials/smartfloApi/hosts';
import { resendRenewingLogin } from './loginRenewal';
import { answerError, networkCodeOf, unreachableError } from './providerErrors';
import { DEFAULT_TIMEOUT_MS } from './requestDefaults';

/**
 * Where the node reads from the provider itself: list searches, the trigger's polls, and a
 * call operation finding its call By Phone Number.
 */
export type ReadingContext = IExecuteSingleFunctions | ILoadOptionsFunctions | IPollFunctions;

/** The credential's API host, for an error that says which host did not answer. */
async function hostOf(context: ReadingContext): Promise<string | undefined> {
	try {
		return resolveBaseUrl(await context.getCredentials('smartfloApi'));
	} catch {
		return undefined;
	}
}

/**
 * Reads from the provider. The credential adds the host and token; answers go through the
 * same mapper as the call operations. The body arrives as text, so callers that must keep
 * a value exactly as the provider wrote it (a numeric call id) can read it there.
 */
export async function smartfloApiRead(
	this: ReadingContext,
	method: IHttpRequestMethods,
	path: string,
	what: string,
	qs: IDataObject = {},
	{ deadline }: { deadline?: number } = {},
): Promise<{ body: unknown; text: string }> {
	// With a deadline, the answer must be complete by then, and within the usual timeout:
	// n8n's `timeout` only ends a connection that goes quiet, not one that drips bytes.
	const totalMs = deadline === undefined ? undefined : Math.min(DEFAULT_TIMEOUT_MS, deadline - Date.now());
	if (totalMs !== undefined && totalMs <= 0) throw unreachableError(this.getNode(), 'ETIMEDOUT', await hostOf(this), what);
	const signal = totalMs === undefined ? undefined : AbortSignal.timeout(totalMs);
	const request: IHttpRequestOptions = {
		method,
		url: path,
		qs,
		headers: { Accept: 'application/json' },
		timeout: DEFAULT_TIMEOUT_MS,
		encoding: 'text',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		...(signal ? { abortSignal: signal } : {}),
	};
	let response: IN8nHttpFullResponse;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(this, 'smartfloApi', request)) as IN8nHttpFullResponse;
		if (response.statusCode === 401) response = (await resendRenewingLogin(this, request)) ?? response;
	} catch (error) {
		// However n8n words an aborted request (2.8: "canceled"), the signal says it was ours.
		const code = signal?.aborted ? 'ETIMEDOUT' : networkCodeOf(error);
		if (code !== undefined) throw unreachableError(this.getNode(), code, await hostOf(this), what);
		// n8n's own errors (a credential that cannot be used, a refused sign-in) as n8n made them.
		throw error instanceof NodeApiError ? error : new NodeApiError(this.getNode(), error as JsonObject);
	}
	const answer = interpretAnswer(response);
	if (!answer.ok) throw answerError(this.getNode(), answer, what);
	return { body: answer.body, text: typeof response.body === 'string' ? response.body : '' };
}

/** Reads from the provider and returns the answer's JSON body. */
export async function smartfloApiRequest(
	this: ReadingContext,
	method: IHttpRequestMethods,
	path: string,
	what: string,
	qs: IDataObject = {},
): Promise<unknown> {
	return (await smartfloApiRead.call(this, method, path, what, qs)).body;
}
