import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { numberingOf, PROVIDERS, timeZoneOf } from '../../credentials/smartfloApi/hosts';
import { text } from './shared/callWords';
import { isKnownTimeZone } from './shared/timeZones';
import { filterProperty, filtersOf, passesFilters } from './trigger/filters';
import { readDelivery, type Received } from './webhook/delivery';
import { bodyTemplate, PORTAL_EVENTS, portalEvent } from './webhook/portalEvents';
import { isRepeat } from './webhook/repeatGuard';
import { sameSecret } from './webhook/secret';
import { webhookItem, type Account } from './webhook/webhookItem';

/**
 * GET and POST on one path: a portal webhook sends either. The portal has no API to create,
 * list or delete webhooks, so, like n8n's Slack Trigger, the node has no webhookMethods: the
 * user pastes the URL, as the setup notice says. (The community lint's lifecycle rule looks
 * for a literal list here; a node with nothing to register has no lifecycle to implement.)
 */
const PORTAL_WEBHOOKS: IWebhookDescription[] = ['POST', 'GET'].map((httpMethod) => ({
	name: 'default',
	httpMethod,
	responseMode: 'onReceived',
	path: 'smartflo',
}));

/** Where "Secret in a Header" looks, unless the user names another header. */
const SECRET_HEADER = 'x-smartflo-secret';

/** One notice per chosen event: the end of the URL to paste, and the body template. */
const eventNotices: INodeProperties[] = PORTAL_EVENTS.map((event) => ({
	displayName: `<b>${event.portalName}</b>: URL above + <code>?event=${event.code}&amp;secret=</code> your Secret. Body template (JSON, or form: the same fields): <code>${bodyTemplate(event)}</code>`,
	name: `${event.code}Notice`,
	type: 'notice',
	default: '',
	displayOptions: { show: { events: [event.code] } },
}));

/** Where the portal's time stamps and numbers are read, when no credential says. */
const PROVIDER_OPTIONS = [
	{ name: 'From the Credential', value: 'credential', description: 'The Smartflo API credential’s provider; Tata Tele Smartflo when the node has none' },
	...PROVIDERS.filter((provider) => provider.id !== 'custom').map((provider) => ({ name: provider.name, value: provider.id })),
];

/** A refusal the node answers itself: a status and what to fix, never the secret or the body. */
function refuse(context: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	context.getResponseObject().status(status).json({ ok: false, message });
	return { noWebhookResponse: true };
}

/** Whose numbering and time zone the portal's fields are in: the node's choice, else the credential's. */
async function accountOf(context: IWebhookFunctions): Promise<Account | string> {
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

export class SmartfloWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Smartflo Webhook Trigger',
		name: 'smartfloWebhookTrigger',
		icon: { light: 'file:smartflo.svg', dark: 'file:smartflo.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).length === 1 ? $parameter["events"][0].replace(/_/g, " ") : ($parameter["events"] || []).length + " events" }}',
		documentationUrl: 'https://github.com/n8n-nodes-smartflo/n8n-nodes-smartflo#smartflo-webhook-trigger',
		description:
			'Instant call events from the Smartflo, Acefone or Servetel portal’s webhooks: a call rings, is answered, missed or hangs up, a key is pressed. For calls running long, or as a safety net for deliveries the portal drops, use Smartflo Trigger',
		defaults: { name: 'Smartflo Webhook Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'smartfloApi', required: false }],
		webhooks: PORTAL_WEBHOOKS,
		properties: [
			{
				displayName:
					'In the portal (API Connect → Webhook, switched on by the provider’s support), add one webhook per event below: its trigger, method POST (or GET), the URL shown for the event and its body template. Use the Test URL while you listen for a test event, the Production URL once the workflow is active.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: PORTAL_EVENTS.map((event) => ({ name: event.portalName, value: event.code, description: event.description })),
				default: ['call_received'],
				description: 'The portal triggers that start the workflow. Each portal webhook sends one; its URL says which.',
			},
			...eventNotices,
			{
				displayName: 'Secret',
				name: 'secret',
				type: 'string',
				typeOptions: { password: true },
				required: true,
				default: '',
				placeholder: 'e.g. 7f3c9a1e5b2d4c8f9e0a',
				description:
					'Any long random text (16 characters or more). Every URL you paste in the portal ends with &secret= and this text; a delivery without it is answered 403 and starts nothing.',
			},
			{
				displayName: 'Secret Comes In',
				name: 'secretIn',
				type: 'options',
				options: [
					{ name: 'The URL', value: 'query', description: 'The URL ends with &secret= and the Secret: what the portal can send' },
					{ name: 'A Header', value: 'header', description: 'A header carries the Secret, e.g. set by a proxy in front of n8n' },
				],
				default: 'query',
			},
			{
				displayName: 'Header Name',
				name: 'headerName',
				type: 'string',
				default: SECRET_HEADER,
				description: 'The header whose value must be the Secret',
				displayOptions: { show: { secretIn: ['header'] } },
			},
			{
				displayName: 'Provider',
				name: 'provider',
				type: 'options',
				options: PROVIDER_OPTIONS,
				default: 'credential',
				description:
					'Whose time zone the portal’s time stamps are in and how its phone numbers are written. No API token is needed to receive webhooks: without a credential, pick your provider here.',
			},
			filterProperty,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Account Time Zone',
						name: 'timeZone',
						type: 'string',
						default: '',
						placeholder: 'e.g. Europe/London',
						description:
							'The time zone of the portal’s time stamps, as an IANA name. Empty: the provider’s (Asia/Kolkata on the Indian hosts, Europe/London on Acefone UK) or the credential’s Account Time Zone.',
					},
				],
			},
		],
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const query = this.getQueryData() as IDataObject;
		const secret = this.getNodeParameter('secret', '') as string;
		if (this.getNodeParameter('secretIn', 'query') === 'header') {
			const header = text(this.getNodeParameter('headerName', SECRET_HEADER)).toLowerCase() || SECRET_HEADER;
			if (!sameSecret(this.getHeaderData()[header], secret)) {
				return refuse(this, 403, `The ${header} header is missing or is not the node’s Secret.`);
			}
		} else if (!sameSecret(query.secret, secret)) {
			return refuse(this, 403, 'The URL’s secret is missing or wrong: copy the URL with &secret= and the node’s Secret into the portal again.');
		}

		const chosen = this.getNodeParameter('events', []) as string[];
		const code = text(query.event) || (chosen.length === 1 ? chosen[0] : '');
		const event = portalEvent(code);
		if (!event) {
			return refuse(this, 400, `The URL names ${code === '' ? 'no event' : `the event "${code}", which the node does not know`}: end it with ?event= and one of ${PORTAL_EVENTS.map((known) => known.code).join(', ')}.`);
		}
		if (!chosen.includes(event.code)) return { webhookResponse: { ok: true, started: false, reason: `${event.code} is not one of the node's Events` } };

		const request = this.getRequestObject();
		const fieldsInQuery = Object.fromEntries(Object.entries(query).filter(([key]) => key !== 'secret' && key !== 'event'));
		const rawBody = (request as { rawBody?: unknown }).rawBody;
		const received: Received = {
			method: request.method ?? 'POST',
			contentType: text(this.getHeaderData()['content-type']),
			query: fieldsInQuery,
			body: this.getBodyData(),
			rawBody: Buffer.isBuffer(rawBody) ? rawBody.toString('utf8') : typeof rawBody === 'string' ? rawBody : undefined,
		};
		const delivery = readDelivery(received);
		if (!delivery.ok) return refuse(this, 400, `The node cannot read this delivery: ${delivery.problem}`);
		const account = await accountOf(this);
		if (typeof account === 'string') return refuse(this, 500, `The node cannot read this delivery: ${account}.`);

		const item = webhookItem(event, delivery.fields, delivery.callId, account, {
			method: received.method,
			content_type: received.contentType,
			query: fieldsInQuery,
			body: received.method === 'GET' ? {} : ((received.body as IDataObject) ?? received.rawBody ?? ''),
		});
		const notes = delivery.notes.length > 0 ? { delivery_notes: delivery.notes } : {};
		if (!passesFilters({ direction: item.direction, did: item.did, agent: { name: item.agent, ids: [item.agent_number] } }, filtersOf(this))) {
			return { webhookResponse: { ok: true, started: false, reason: 'the call does not pass the node’s Filters' } };
		}
		// Test URLs replay a delivery as often as the user asks; production starts once per event of a call.
		if (this.getMode() !== 'manual') {
			const key = [this.getWorkflow().id, this.getNode().id, event.code, item.call_id || JSON.stringify(delivery.fields), item.uuid, item.digits, item.agent_number].join('|');
			if (isRepeat(key)) return { webhookResponse: { ok: true, started: false, reason: 'a repeated delivery: this event of this call already started the workflow' } };
		}
		return { workflowData: [this.helpers.returnJsonArray([{ ...item, ...notes, fields: delivery.fields }])] };
	}
}
