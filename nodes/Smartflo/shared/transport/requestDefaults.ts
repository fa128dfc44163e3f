import type { IHttpRequestOptions } from 'n8n-workflow';

/**
 * A live call cannot wait five minutes for an answer, which is what n8n's declarative
 * engine allows when Request Options → Timeout is not set. 10 s is also what that
 * field shows when a user adds it, so the documented default and the UI agree.
 */
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Shared by every call operation. The credential adds the provider host and token.
 * HTTP error statuses are not thrown by n8n's helper but handed to the answer mapper,
 * which knows the provider's error shapes (and `success: false` on HTTP 200).
 */
export const REQUEST_DEFAULTS: Partial<IHttpRequestOptions> = {
	method: 'POST',
	url: '/v1/call/options',
	headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
	ignoreHttpStatusErrors: true,
};
