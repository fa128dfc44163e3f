import type { IBinaryData, IN8nHttpFullResponse, IPollFunctions } from 'n8n-workflow';

import { isLoopback } from '../../../credentials/smartfloApi/hosts';
import { networkCodeOf } from './transport/providerErrors';

/**
 * Call recordings as binary data. A record's `recording_url` is on another host than the
 * API and carries its own token in the query, so it is fetched without the credential's
 * token. The URL is data from the provider, not ours: only https, never a private,
 * loopback or link-local address (unless the credential itself is a loopback test double),
 * and bounded in size and time, because the poller runs on n8n's main process.
 */

export interface RecordingLimits {
	/** Larger recordings are not kept (the download stops there). */
	maxBytes: number;
	/** For the whole download, redirects included. */
	timeoutMs: number;
	/** The credential is a custom loopback test double: its loopback recording host is allowed. */
	allowLoopback: boolean;
}

/** `notReady`: the host answered 404 or 403, as it does for a recording not stored yet. */
export type RecordingDownload = { ok: true; binary: IBinaryData; bytes: number } | { ok: false; reason: string; notReady?: boolean };

/** Redirects followed, each checked like the first URL. */
export const MAX_REDIRECTS = 3;

/** Where a recording URL may not point: this machine, the local network, link-local, special use. */
const BLOCKED_IPV4: Array<[string, number]> = [
	['0.0.0.0', 8],
	['10.0.0.0', 8],
	['100.64.0.0', 10],
	['127.0.0.0', 8],
	['169.254.0.0', 16],
	['172.16.0.0', 12],
	['192.0.0.0', 24],
	['192.0.2.0', 24],
	['192.168.0.0', 16],
	['198.18.0.0', 15],
	['198.51.100.0', 24],
	['203.0.113.0', 24],
	['224.0.0.0', 4],
	['240.0.0.0', 4],
];

const ipv4Number = (ip: string) => ip.split('.').reduce((value, part) => value * 256 + Number(part), 0);

function blockedIpv4(ip: string): boolean {
	const value = ipv4Number(ip);
	return BLOCKED_IPV4.some(([base, bits]) => Math.floor(value / 2 ** (32 - bits)) === Math.floor(ipv4Number(base) / 2 ** (32 - bits)));
}

/** The eight 16-bit groups of an IPv6 address as URL writes it (compressed, lower case). */
function ipv6Groups(address: string): number[] | undefined {
	const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
	const part = (text: string) => (text === '' ? [] : text.split(':'));
	const left = part(head);
	const right = tail === undefined ? [] : part(tail);
	const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
	if (groups.length !== 8 || groups.some((group) => !/^[0-9a-f]{1,4}$/.test(group))) return undefined;
	return groups.map((group) => parseInt(group, 16));
}

const embeddedIpv4 = (groups: number[]) => [groups[6] >> 8, groups[6] & 255, groups[7] >> 8, groups[7] & 255].join('.');

function blockedIpv6(address: string): { blocked: boolean; loopback: boolean } {
	const groups = ipv6Groups(address);
	if (!groups) return { blocked: true, loopback: false };
	const zeros = (count: number) => groups.slice(0, count).every((group) => group === 0);
	if (zeros(7) && groups[7] === 1) return { blocked: true, loopback: true };
	if (zeros(8)) return { blocked: true, loopback: false };
	// ::ffff:a.b.c.d, ::a.b.c.d and the NAT64 prefix 64:ff9b::/96 reach an IPv4 address.
	const mapped = zeros(5) && groups[5] === 0xffff;
	const compatible = zeros(6);
	const nat64 = groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((group) => group === 0);
	if (mapped || compatible || nat64) {
		const ipv4 = embeddedIpv4(groups);
		return { blocked: blockedIpv4(ipv4), loopback: ipv4.startsWith('127.') };
	}
	const first = groups[0];
	// fc00::/7 unique local, fe80::/10 link-local, fec0::/10 site-local, ff00::/8 multicast.
	const blocked = (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xffc0) === 0xfec0 || (first & 0xff00) === 0xff00;
	return { blocked, loopback: false };
}

/** Names that only mean something inside a network, never a provider's public host. */
const LOCAL_NAMES = /(^|\.)(localhost|local|internal|intranet|lan|home|corp|localdomain|home\.arpa)$/;

/**
 * Whether a recording URL may be fetched, judged from the URL alone: https (http only for a
 * loopback test double), no user name or password, and a host that is not an IP address of
 * this machine, a private or link-local network, nor a local or single-label name. What the
 * host name resolves to is not seen here (node code cannot look up names on n8n Cloud);
 * see downloadRecording for what n8n itself checks.
 */
export function checkRecordingUrl(raw: string, allowLoopback: boolean): { ok: true; url: URL } | { ok: false; reason: string } {
	if (!URL.canParse(raw)) return { ok: false, reason: 'the recording URL is not a URL' };
	const url = new URL(raw);
	const host = url.hostname.toLowerCase().replace(/\.$/, '');
	const shown = `${url.protocol}//${url.host}`;
	const loopbackAllowed = allowLoopback && isLoopback(url.hostname);
	if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopbackAllowed)) {
		return { ok: false, reason: `the recording URL must be https, not ${url.protocol.replace(':', '')} (${shown})` };
	}
	if (url.username || url.password) return { ok: false, reason: `the recording URL carries a user name or password (${shown})` };
	if (host.startsWith('[')) {
		const { blocked, loopback } = blockedIpv6(host.slice(1, -1));
		if (blocked && !(loopback && loopbackAllowed)) return { ok: false, reason: `the recording URL points at a private, loopback or link-local address (${shown})` };
		return { ok: true, url };
	}
	if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) {
		if (blockedIpv4(host) && !(host.startsWith('127.') && loopbackAllowed)) {
			return { ok: false, reason: `the recording URL points at a private, loopback or link-local address (${shown})` };
		}
		return { ok: true, url };
	}
	if ((LOCAL_NAMES.test(host) || !host.includes('.')) && !loopbackAllowed) {
		return { ok: false, reason: `the recording URL names a local host, not a public one (${shown})` };
	}
	return { ok: true, url };
}

/** n8n 2.x's egress filter (the instance's SSRF rules), where the running n8n has one. */
interface EgressFilter {
	validateUrl(url: string): Promise<{ ok: boolean; error?: { message?: string } }>;
}

function egressFilterOf(context: IPollFunctions): EgressFilter | undefined {
	const helpers = context.helpers as unknown as { getSecureEgressFilter?: (policy: string) => EgressFilter };
	// 'enforced': checked against n8n's blocked address ranges even where the instance has not
	// switched SSRF protection on for every request.
	return typeof helpers.getSecureEgressFilter === 'function' ? helpers.getSecureEgressFilter('enforced') : undefined;
}

interface BodyStream extends AsyncIterable<Buffer | string> {
	destroy?(): void;
}

const header = (response: IN8nHttpFullResponse, name: string) => {
	const value = response.headers?.[name];
	return Array.isArray(value) ? String(value[0]) : value === undefined ? '' : String(value);
};

const EXTENSIONS: Record<string, string> = {
	'audio/mpeg': 'mp3',
	'audio/mp3': 'mp3',
	'audio/wav': 'wav',
	'audio/x-wav': 'wav',
	'audio/wave': 'wav',
	'audio/ogg': 'ogg',
	'audio/webm': 'webm',
	'audio/mp4': 'm4a',
	'audio/aac': 'aac',
	'audio/gsm': 'gsm',
};

function fileNameOf(callId: string, mimeType: string, url: URL): string {
	const fromPath = /\.([a-z0-9]{2,4})$/i.exec(url.pathname)?.[1]?.toLowerCase();
	const extension = EXTENSIONS[mimeType] ?? fromPath ?? 'mp3';
	return `recording-${callId.replace(/[^\w.-]/g, '_') || 'call'}.${extension}`;
}

const megabytes = (bytes: number) => `${Math.round((bytes / 1_048_576) * 10) / 10} MB`;

/** What went wrong, without the URL (its query holds the recording's token). */
function failureOf(error: unknown, shown: string, timeoutMs: number): string {
	const code = networkCodeOf(error);
	const name = (error as { name?: unknown; code?: unknown } | undefined)?.name;
	if (name === 'AbortError' || name === 'TimeoutError' || (error as { code?: unknown })?.code === 'ERR_CANCELED' || code === 'ETIMEDOUT' || code === 'ECONNABORTED') {
		return `${shown} did not send the recording within ${Math.round(timeoutMs / 1000)} s`;
	}
	if (code) return `${shown} could not be reached [${code}]`;
	return `${shown} could not be read`;
}

/**
 * Downloads one recording and prepares it as n8n binary data, or says why not. Never
 * throws, whatever fails (n8n's egress filter on a name that does not resolve, the binary
 * data store): the failure stays on the record's item.
 */
export async function downloadRecording(this: IPollFunctions, rawUrl: string, callId: string, limits: RecordingLimits): Promise<RecordingDownload> {
	try {
		return await download.call(this, rawUrl, callId, limits);
	} catch (error) {
		const code = networkCodeOf(error);
		const message = error instanceof Error ? error.message.replace(/https?:\/\/\S+/g, '(the recording URL)') : String(error);
		return { ok: false, reason: `the recording could not be fetched: ${code ? `[${code}] ` : ''}${message}` };
	}
}

async function download(this: IPollFunctions, rawUrl: string, callId: string, limits: RecordingLimits): Promise<RecordingDownload> {
	const deadline = Date.now() + limits.timeoutMs;
	const egress = egressFilterOf(this);
	let target = rawUrl;
	for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
		const check = checkRecordingUrl(target, limits.allowLoopback);
		if (!check.ok) return check;
		const { url } = check;
		const shown = `${url.origin}${url.pathname}`;
		if (egress && !(limits.allowLoopback && isLoopback(url.hostname))) {
			let verdict: Awaited<ReturnType<EgressFilter['validateUrl']>>;
			try {
				verdict = await egress.validateUrl(url.href);
			} catch (error) {
				// It looks the name up: a name that does not resolve (ENOTFOUND, EAI_AGAIN) throws.
				return { ok: false, reason: `n8n could not check ${url.origin}: ${failureOf(error, url.origin, limits.timeoutMs).replace(`${url.origin} `, '')}` };
			}
			if (!verdict.ok) return { ok: false, reason: `n8n refused to fetch ${url.origin}: ${verdict.error?.message ?? 'its address is blocked'}` };
		}
		const remaining = deadline - Date.now();
		if (remaining <= 0) return { ok: false, reason: `${shown} did not send the recording within ${Math.round(limits.timeoutMs / 1000)} s` };

		let response: IN8nHttpFullResponse;
		try {
			response = (await this.helpers.httpRequest({
				method: 'GET',
				url: url.href,
				headers: { Accept: 'audio/*, application/octet-stream;q=0.9, */*;q=0.5' },
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				// Each hop is checked here before it is followed.
				disableFollowRedirect: true,
				timeout: remaining,
				// The timeout alone does not end a body that stalls after its headers.
				abortSignal: AbortSignal.timeout(remaining),
			})) as IN8nHttpFullResponse;
		} catch (error) {
			return { ok: false, reason: failureOf(error, shown, limits.timeoutMs) };
		}
		const body = response.body as unknown as BodyStream;
		const status = response.statusCode;
		const location = header(response, 'location');
		if (status >= 300 && status < 400 && location !== '') {
			body.destroy?.();
			if (!URL.canParse(location, url.href)) return { ok: false, reason: `${shown} redirected to something that is not a URL` };
			target = new URL(location, url).href;
			continue;
		}
		if (status < 200 || status >= 300) {
			body.destroy?.();
			return { ok: false, reason: `${shown} answered HTTP ${status}`, notReady: status === 404 || status === 403 };
		}
		const announced = Number(header(response, 'content-length'));
		if (announced > limits.maxBytes) {
			body.destroy?.();
			return { ok: false, reason: `the recording is ${megabytes(announced)}, more than Max Recording Size (${megabytes(limits.maxBytes)})` };
		}
		const chunks: Buffer[] = [];
		let bytes = 0;
		try {
			for await (const chunk of body) {
				const piece = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
				bytes += piece.length;
				if (bytes > limits.maxBytes) {
					body.destroy?.();
					return { ok: false, reason: `the recording is more than Max Recording Size (${megabytes(limits.maxBytes)})` };
				}
				chunks.push(piece);
			}
		} catch (error) {
			return { ok: false, reason: failureOf(error, shown, limits.timeoutMs) };
		}
		if (bytes === 0) return { ok: false, reason: `${shown} sent an empty recording` };
		const mimeType = header(response, 'content-type').split(';')[0].trim().toLowerCase() || 'application/octet-stream';
		const binary = await this.helpers.prepareBinaryData(Buffer.concat(chunks, bytes), fileNameOf(callId, mimeType, url), mimeType);
		return { ok: true, binary, bytes };
	}
	return { ok: false, reason: `the recording URL redirected more than ${MAX_REDIRECTS} times` };
}
