import { createHash } from 'crypto';
import type { ICredentialDataDecryptedObject, IExecuteSingleFunctions } from 'n8n-workflow';

import { pause } from './sleep';

/**
 * n8n reads a credential afresh for every request and sends all items of a run at once.
 * With an email-and-password credential that has not signed in yet, every read made before
 * the first login token is stored finds none and signs in again (in the real app: about
 * 170 sign-ins for 1,000 items). So while such a credential signs in for the first time,
 * one request goes ahead and the others wait until n8n applies the stored token to it
 * (the credential's authenticate) or the sign-in fails. No token is kept here: only who
 * waits, keyed by a hash of the credential's sign-in fields, and gone once released.
 */
interface FirstSignIn {
	release: () => void;
	released: Promise<void>;
}

const firstSignIns = new Map<string, FirstSignIn>();

/** Identifies one credential's sign-in data; with the token, also the state it was read in. */
export function credentialKey(credentials: ICredentialDataDecryptedObject, withToken = false): string {
	const parts = [credentials.provider, credentials.baseUrl, credentials.email, credentials.password];
	if (withToken) parts.push(credentials.accessToken);
	return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** Lets the requests waiting on this credential's first sign-in go on. */
export function releaseFirstSignIn(credentials: ICredentialDataDecryptedObject): void {
	firstSignIns.get(credentialKey(credentials))?.release();
}

/**
 * Per node run: the key of a credential that must sign in first, or undefined. Read once
 * per run, not per item, and holding a hash rather than anything secret.
 */
const mustSignInByRun = new WeakMap<object, Promise<string | undefined>>();

/**
 * Stored credentials (by id) seen to use an API token. Reading a credential costs n8n a
 * database read and a decryption, about as much as the rest of the node on a one-item
 * webhook run, so a token credential is read for this check only once per process. Were
 * one switched to email and password later, its first sign-in would go unguarded: a few
 * more sign-ins, nothing worse.
 */
const tokenCredentialIds = new Set<string>();
const MAX_REMEMBERED = 1_000;

async function mustSignInFirst(context: IExecuteSingleFunctions): Promise<string | undefined> {
	const credentialId = context.getNode().credentials?.smartfloApi?.id;
	if (credentialId && tokenCredentialIds.has(credentialId)) return undefined;
	const credentials = await context.getCredentials('smartfloApi');
	if (credentials.authentication !== 'login') {
		if (credentialId && tokenCredentialIds.size < MAX_REMEMBERED) tokenCredentialIds.add(credentialId);
		return undefined;
	}
	return credentials.accessToken ? undefined : credentialKey(credentials);
}

/** Waits while another request makes this credential's first sign-in. */
export async function waitForFirstSignIn(context: IExecuteSingleFunctions, giveUpAfterMs: number): Promise<void> {
	const run = context.getExecuteData();
	let decided = mustSignInByRun.get(run);
	if (!decided) {
		decided = mustSignInFirst(context);
		mustSignInByRun.set(run, decided);
	}
	const key = await decided;
	if (key === undefined) return;
	const ahead = firstSignIns.get(key);
	if (ahead) {
		await ahead.released;
		return;
	}
	// This request goes first. Should its sign-in never report back, the others go anyway.
	const giveUp = new AbortController();
	let release = () => {};
	const released = new Promise<void>((resolve) => {
		release = () => {
			// Only this sign-in's entry: a later first sign-in may use the same key.
			if (firstSignIns.get(key)?.released === released) firstSignIns.delete(key);
			giveUp.abort();
			resolve();
		};
	});
	firstSignIns.set(key, { release, released });
	pause(giveUpAfterMs, giveUp.signal).then(release, () => {
		// Released in time.
	});
}
