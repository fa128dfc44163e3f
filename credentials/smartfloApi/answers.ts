import type { IN8nHttpFullResponse } from 'n8n-workflow';

/**
 * How the provider answers, read one way for every request of the package (the node's
 * calls and reads, and the credential's sign-in): either its JSON body or a failure with
 * the HTTP status and the provider's own message. The platform can answer HTTP 200 with
 * `success: false`; that is a failure too. Turning a failure into an n8n error is the
 * node's job (nodes/Smartflo/shared/transport/providerErrors.ts).
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
