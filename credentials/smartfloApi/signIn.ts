import { createHash } from 'crypto';
import type { ICredentialDataDecryptedObject, IHttpRequestHelper, IN8nHttpFullResponse } from 'n8n-workflow';

import { interpretAnswer } from './answers';
import { CredentialSetupError, loginFieldOf, resolveBaseUrl } from './hosts';

/**
 * Email-and-password sign-in for the credential's `login` authentication. n8n calls the
 * credential's preAuthentication when the hidden login token is empty or the provider
 * answered 401, and stores the token it returns.
 *
 * n8n reads the credential afresh for every request and sends all items of a run at once,
 * so each of 1,000 items that read the credential before the first token was stored would
 * sign in on its own (about 170 sign-ins in the real app). They all hold the same old token
 * (or none): one sign-in per credential and old token serves every request that asks in the
 * 15 s from its start, which covers the requests that read the credential before n8n
 * stored the new token. The next expiry holds another old token and gets a sign-in of its
 * own; a failed sign-in is dropped at once, so a corrected password is never answered here.
 */
const SHARED_FOR_MS = 15_000;
/** Far above the credentials one n8n signs in with within a minute. */
const MAX_SHARED = 200;
const SIGN_IN_TIMEOUT_MS = 10_000;

const sharedSignIns = new Map<string, { token: Promise<string>; startedAt: number }>();

/** Every field that makes a sign-in, and the token it replaces; hashed, so no secret is a key. */
function signInKey(credentials: ICredentialDataDecryptedObject): string {
	const { provider, baseUrl, email, password, accessToken } = credentials;
	return createHash('sha256').update(JSON.stringify([provider, baseUrl, email, password, accessToken])).digest('hex');
}

function forgetOldSignIns(now: number): void {
	for (const [key, shared] of sharedSignIns) {
		if (now - shared.startedAt >= SHARED_FOR_MS || sharedSignIns.size > MAX_SHARED) sharedSignIns.delete(key);
	}
}

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
		timeout: SIGN_IN_TIMEOUT_MS,
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

/** A fresh login token for these credentials, shared as described above. */
export async function signIn(helpers: IHttpRequestHelper['helpers'], credentials: ICredentialDataDecryptedObject): Promise<string> {
	const now = Date.now();
	const key = signInKey(credentials);
	const shared = sharedSignIns.get(key);
	if (shared && now - shared.startedAt < SHARED_FOR_MS) return await shared.token;

	forgetOldSignIns(now);
	const token = requestToken(helpers, credentials, resolveBaseUrl(credentials));
	sharedSignIns.set(key, { token, startedAt: now });
	token.catch(() => {
		if (sharedSignIns.get(key)?.token === token) sharedSignIns.delete(key);
	});
	return await token;
}
