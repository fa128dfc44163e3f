import type { ICredentialDataDecryptedObject, IHttpRequestHelper, IN8nHttpFullResponse } from 'n8n-workflow';

import { credentialKey, releaseFirstSignIn } from './firstSignIn';
import { interpretAnswer } from './providerAnswer';
import { CredentialSetupError, loginFieldOf, resolveBaseUrl } from './providers';
import { DEFAULT_TIMEOUT_MS } from './requestDefaults';

/**
 * Email-and-password sign-in for the `login` authentication of the credential. n8n calls
 * the credential's preAuthentication on first use (the hidden token is empty) and again
 * after a 401; it stores the token it returns with the credential's data.
 *
 * n8n sends all items of a run at once and reads the credential afresh for each, so
 * 1,000 items would otherwise sign in 1,000 times. Concurrent requests of one credential
 * share the sign-in in flight; the entry is gone as soon as that sign-in settles, and
 * its key covers every field that makes the credential, so credentials never share one.
 */
const signInsInFlight = new Map<string, Promise<string>>();

async function requestToken(
	helpers: IHttpRequestHelper['helpers'],
	credentials: ICredentialDataDecryptedObject,
	baseUrl: string,
): Promise<string> {
	const login = typeof credentials.email === 'string' ? credentials.email.trim() : '';
	const password = typeof credentials.password === 'string' ? credentials.password : '';
	const loginField = loginFieldOf(credentials.provider);
	const what = loginField === 'login_id' ? 'Login ID' : 'Email';
	if (login === '' || password === '') {
		throw new CredentialSetupError(
			`Sign-in needs both ${what} and Password`,
			'Open the credential and fill in both, or switch Authentication to API Token.',
		);
	}
	const response = (await helpers.httpRequest({
		method: 'POST',
		baseURL: baseUrl,
		url: '/v1/auth/login',
		headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
		body: { [loginField]: login, password },
		timeout: DEFAULT_TIMEOUT_MS,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	})) as IN8nHttpFullResponse;

	// The same reading of the answer as everywhere else: status, `success: false`, not JSON.
	const answer = interpretAnswer(response);
	const token = answer.ok ? (answer.body as Record<string, unknown>).access_token : undefined;
	if (!answer.ok || typeof token !== 'string' || token === '') {
		// The provider's own words (wrong password, account locked); never the password.
		const said = answer.ok ? `HTTP ${response.statusCode}, no access token in the answer` : answer.providerMessage;
		throw new CredentialSetupError(
			`Sign-in as ${login} was refused: ${said}`,
			`Check the ${what} and Password in the credential by signing in to the provider's portal. If the account is locked, unlock it there; or use an API token instead.`,
		);
	}
	return token;
}

/** A fresh login token for these credentials, shared with concurrent requests asking for it. */
export async function signIn(helpers: IHttpRequestHelper['helpers'], credentials: ICredentialDataDecryptedObject): Promise<string> {
	const baseUrl = resolveBaseUrl(credentials);
	const key = credentialKey(credentials, true);
	const inFlight = signInsInFlight.get(key);
	if (inFlight) return await inFlight;
	const attempt = requestToken(helpers, credentials, baseUrl)
		.catch((error: unknown) => {
			// Requests held back for this sign-in would only fail the same way: let them.
			releaseFirstSignIn(credentials);
			throw error;
		})
		.finally(() => signInsInFlight.delete(key));
	signInsInFlight.set(key, attempt);
	return await attempt;
}
