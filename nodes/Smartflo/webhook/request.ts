import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { numberingOf, timeZoneOf } from '../../../credentials/smartfloApi/hosts';
import { text } from '../shared/callWords';
import { isKnownTimeZone } from '../shared/timeZones';
import type { Received } from './delivery';
import { sameSecret } from './secret';
import type { Account } from './webhookItem';

/**
 * What both of the webhook trigger's modes (call events, routing requests) do with a request
 * first: check its secret, and read it as it arrived.
 */

/** Where Secret Comes In: A Header looks, unless the user names another header. */
export const SECRET_HEADER = 'x-smartflo-secret';

/** A refusal the node answers itself: a status and what to fix, never the secret or the body. */
export function refuse(context: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	context.getResponseObject().status(status).json({ ok: false, message });
	return { noWebhookResponse: true };
}

/** The 403 for a request without the node's Secret (in the URL, or in the header), else undefined. */
export function secretRefusal(context: IWebhookFunctions, query: IDataObject): IWebhookResponseData | undefined {
	const secret = context.getNodeParameter('secret', '') as string;
	if (context.getNodeParameter('secretIn', 'query') === 'header') {
		const header = text(context.getNodeParameter('headerName', SECRET_HEADER)).toLowerCase() || SECRET_HEADER;
		if (!sameSecret(context.getHeaderData()[header], secret)) return refuse(context, 403, `The ${header} header is missing or is not the node’s Secret.`);
		return undefined;
	}
	if (!sameSecret(query.secret, secret)) {
		return refuse(context, 403, 'The URL’s secret is missing or wrong: copy the URL with &secret= and the node’s Secret into the portal again.');
	}
	return undefined;
}

/** The request as it arrived: its query without the node's own `secret` and `event`, its body, its raw bytes. */
export function receivedOf(context: IWebhookFunctions, query: IDataObject): Received {
	const request = context.getRequestObject();
	const rawBody = (request as { rawBody?: unknown }).rawBody;
	return {
		method: request.method ?? 'POST',
		contentType: text(context.getHeaderData()['content-type']),
		query: Object.fromEntries(Object.entries(query).filter(([key]) => key !== 'secret' && key !== 'event')),
		body: context.getBodyData(),
		rawBody: Buffer.isBuffer(rawBody) ? rawBody.toString('utf8') : typeof rawBody === 'string' ? rawBody : undefined,
	};
}

/** The item's `delivery`: the request as received (never its secret). */
export const deliveryOf = (received: Received): IDataObject => ({
	method: received.method,
	content_type: received.contentType,
	query: received.query,
	body: received.method === 'GET' ? {} : ((received.body as IDataObject) ?? received.rawBody ?? ''),
});

/** Whose numbering and time zone the portal's fields are in: the node's Provider, else the credential's. */
export async function accountOf(context: IWebhookFunctions): Promise<Account | string> {
	const provider = context.getNodeParameter('provider', 'credential') as string;
	const options = context.getNodeParameter('options', {}) as IDataObject;
	let credentials: IDataObject = { provider: provider === 'credential' ? 'smartflo' : provider };
	if (provider === 'credential') {
		credentials = (await context.getCredentials('smartfloApi').catch(() => undefined)) ?? credentials;
	}
	const typed = text(options.timeZone);
	const timeZone = typed !== '' ? typed : timeZoneOf(credentials);
	if (!isKnownTimeZone(timeZone)) return `the node's Account Time Zone "${timeZone}" is not a time zone (use an IANA name such as Asia/Kolkata)`;
	return { numbering: numberingOf(credentials), timeZone };
}
