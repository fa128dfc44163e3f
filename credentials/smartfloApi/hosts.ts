/**
 * The one place that knows where each provider's API lives and which base URLs a
 * credential may point at. Smartflo, Acefone and Servetel run the same API on
 * different hosts, so the credential only has to name the provider.
 */

/**
 * How the account dials a destination. On the Indian hosts a +91, 0091, 91 or 0 before ten
 * digits is the country or trunk prefix of a national number, which is what the provider
 * takes; elsewhere nothing tells what a prefix would mean, so digits go as typed.
 */
export type Numbering = 'india' | 'asTyped';

export type ProviderId = 'smartflo' | 'acefoneIndia' | 'acefoneUk' | 'servetel' | 'custom';

interface Provider {
	id: ProviderId;
	name: string;
	/** What `POST /v1/auth/login` calls the user name; Acefone UK says login_id. */
	loginField: 'email' | 'login_id';
	/** Base URL without a trailing slash; empty for `custom`, where the user types it. */
	baseUrl: string;
	/** How its accounts dial; for `custom` the credential's Phone Numbers field says. */
	numbering: Numbering;
	/**
	 * The IANA time zone of the account's local time: the call records' `date`/`time` and
	 * their `from_date`/`to_date` filter are in it. For `custom` the credential's Account
	 * Time Zone field says.
	 */
	timeZone: string;
	description: string;
}

export const PROVIDERS: readonly Provider[] = [
	{
		id: 'smartflo',
		timeZone: 'Asia/Kolkata',
		numbering: 'india',
		name: 'Tata Tele Smartflo (India)',
		baseUrl: 'https://api-smartflo.tatateleservices.com',
		loginField: 'email',
		description: 'api-smartflo.tatateleservices.com',
	},
	{
		id: 'acefoneIndia',
		timeZone: 'Asia/Kolkata',
		numbering: 'india',
		name: 'Acefone India',
		baseUrl: 'https://api.acefone.in',
		loginField: 'email',
		description: 'api.acefone.in',
	},
	{
		id: 'acefoneUk',
		timeZone: 'Europe/London',
		numbering: 'asTyped',
		name: 'Acefone UK',
		baseUrl: 'https://api.acefone.co.uk',
		loginField: 'login_id',
		description: 'api.acefone.co.uk',
	},
	{
		id: 'servetel',
		timeZone: 'Asia/Kolkata',
		numbering: 'india',
		name: 'Servetel (India)',
		baseUrl: 'https://api.servetel.in',
		loginField: 'email',
		description: 'api.servetel.in',
	},
	{
		id: 'custom',
		timeZone: '',
		numbering: 'asTyped',
		name: 'Custom Base URL',
		baseUrl: '',
		loginField: 'email',
		description: 'A white-label tenant, a newer regional host or a local test double',
	},
];

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A credential that cannot be used as it is. `description` is where n8n's NodeApiError
 * looks for the hint it shows under the message, so the fix reaches the user.
 */
export class CredentialSetupError extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
		this.name = 'CredentialSetupError';
	}
}

/** Whether a host name is this machine: where plain http (a test double) is allowed. */
export function isLoopback(hostname: string): boolean {
	return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Checks a user-typed base URL. Plain http is refused except on this machine: the token
 * would otherwise cross the network in clear text.
 */
export function parseCustomBaseUrl(raw: unknown): string {
	const text = typeof raw === 'string' ? raw.trim() : '';
	const fix = 'Enter the API host only, e.g. https://api.example.com';
	if (text === '') {
		throw new CredentialSetupError('Base URL is empty', `${fix}, or pick your provider instead of Custom.`);
	}
	if (!URL.canParse(text)) throw new CredentialSetupError(`Base URL "${text}" is not a URL`, fix);
	const url = new URL(text);
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new CredentialSetupError(`Base URL "${text}" must start with https://`, fix);
	}
	if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
		throw new CredentialSetupError(
			`Base URL "${text}" uses plain http://`,
			`The API token would travel unencrypted. Change Base URL to https://${url.host} (or pick your provider instead of Custom). Plain http is only accepted for localhost (a local test double).`,
		);
	}
	if (url.username || url.password) {
		throw new CredentialSetupError(`Base URL "${url.host}" contains a user name or password`, fix);
	}
	if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
		throw new CredentialSetupError(
			`Base URL "${text}" has a path, query or fragment`,
			`${fix} — without /v1 or anything after the host; the node adds the API paths itself.`,
		);
	}
	return url.origin;
}

/** The base URL a credential points at: a provider's host, or its checked custom URL. */
export function resolveBaseUrl(credentials: { provider?: unknown; baseUrl?: unknown }): string {
	const providerId = credentials.provider ?? 'smartflo';
	if (providerId === 'custom') return parseCustomBaseUrl(credentials.baseUrl);
	const provider = PROVIDERS.find((candidate) => candidate.id === providerId);
	if (!provider) {
		throw new CredentialSetupError(
			`Unknown provider "${String(providerId)}"`,
			'Open the credential and pick a provider from the list.',
		);
	}
	return provider.baseUrl;
}

/** The field name the provider's login endpoint expects for the user name. */
export function loginFieldOf(providerId: unknown): Provider['loginField'] {
	return PROVIDERS.find((candidate) => candidate.id === providerId)?.loginField ?? 'email';
}

/** How the credential's account dials a destination (see validateDestination). */
export function numberingOf(credentials: { provider?: unknown; numbering?: unknown }): Numbering {
	const providerId = credentials.provider ?? 'smartflo';
	if (providerId === 'custom') return credentials.numbering === 'india' ? 'india' : 'asTyped';
	return PROVIDERS.find((candidate) => candidate.id === providerId)?.numbering ?? 'asTyped';
}

/**
 * Where a custom credential's account keeps its local time, when its Account Time Zone
 * field is empty: most custom hosts are white-label Smartflo tenants in India.
 */
export const CUSTOM_DEFAULT_TIME_ZONE = 'Asia/Kolkata';

/** The IANA time zone the credential's account reports call times in. */
export function timeZoneOf(credentials: { provider?: unknown; timeZone?: unknown }): string {
	const providerId = credentials.provider ?? 'smartflo';
	if (providerId === 'custom') {
		const typed = typeof credentials.timeZone === 'string' ? credentials.timeZone.trim() : '';
		return typed === '' ? CUSTOM_DEFAULT_TIME_ZONE : typed;
	}
	return PROVIDERS.find((candidate) => candidate.id === providerId)?.timeZone ?? CUSTOM_DEFAULT_TIME_ZONE;
}

/**
 * Whether the credential points at this machine (a custom http://127.0.0.1 test double):
 * the one case where the node may also fetch from loopback addresses, such as the
 * double's recording host. An unusable credential is not loopback.
 */
export function isLoopbackCredential(credentials: { provider?: unknown; baseUrl?: unknown }): boolean {
	if ((credentials.provider ?? 'smartflo') !== 'custom') return false;
	try {
		return isLoopback(new URL(parseCustomBaseUrl(credentials.baseUrl)).hostname);
	} catch {
		return false;
	}
}
