import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { CredentialSetupError, resolveBaseUrl } from './hosts';

/**
 * Public integration code reports that Smartflo API tokens made after 9 Aug 2026 expire
 * within 90 days, so a 401 on a token that used to work most likely means just that.
 */
export const TOKEN_EXPIRY_HINT =
	'API tokens expire (Smartflo tokens made after 9 Aug 2026 within 90 days) or can be revoked: if this token used to work, generate a new one in the portal (API Connect → API Tokens) and paste it into the credential.';

/**
 * Portal tokens are often pasted with the "Bearer " the provider's docs print before
 * them; sending "Bearer Bearer …" would be refused, so the prefix is dropped here.
 */
export function normaliseToken(raw: unknown): string {
	const token = (typeof raw === 'string' ? raw : '').trim().replace(/^bearer(\s+|$)/i, '');
	if (token === '') {
		throw new CredentialSetupError(
			'The API token is empty',
			'Open the credential and paste the token from the portal (API Connect → API Tokens).',
		);
	}
	// A line break in a header value would let the token split the HTTP request.
	if (/[\p{Cc}\s]/u.test(token)) {
		throw new CredentialSetupError(
			'The API token contains spaces, line breaks or control characters',
			'Paste the token again as one line, exactly as the portal shows it.',
		);
	}
	return token;
}

function absoluteTarget(options: IHttpRequestOptions & { uri?: string }): URL | undefined {
	const target = options.url ?? options.uri;
	if (typeof target !== 'string' || !/^https?:\/\//i.test(target) || !URL.canParse(target)) return undefined;
	return new URL(target);
}

/**
 * What the credential adds to every request: the provider's base URL and the token.
 * Requests with an absolute URL (n8n's HTTP Request node) must stay on that same host,
 * so a Smartflo token is never handed to another server.
 */
export function applyCredential(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): IHttpRequestOptions {
	const baseUrl = resolveBaseUrl(credentials);
	const login = credentials.authentication === 'login';
	if (login && !credentials.accessToken) {
		throw new CredentialSetupError(
			'Not signed in: n8n did not run the sign-in for this credential',
			'Save the credential again and re-run; if it persists, switch Authentication to API Token.',
		);
	}
	const token = normaliseToken(login ? credentials.accessToken : credentials.token);

	const absolute = absoluteTarget(requestOptions);
	if (absolute && absolute.origin !== baseUrl) {
		throw new CredentialSetupError(
			`This credential only sends its token to ${baseUrl}, not to ${absolute.origin}`,
			`Use a URL on ${baseUrl} (e.g. ${baseUrl}/v1/departments), or change the credential’s provider. This lock is the credential’s own and comes on top of n8n’s “Allowed HTTP Request Domains” setting, which cannot lift it.`,
		);
	}
	if (!absolute) requestOptions.baseURL = baseUrl;

	requestOptions.headers = { ...requestOptions.headers, Authorization: `Bearer ${token}` };
	return requestOptions;
}
