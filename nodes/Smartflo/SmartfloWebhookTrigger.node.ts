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

import { PROVIDERS } from '../../credentials/smartfloApi/hosts';
import { DEFAULT_ANSWER_SECONDS, DIALPLAN_REQUEST, MAX_ANSWER_SECONDS, receiveRoutingRequest } from './dialplan/receiveRoutingRequest';
import { routeFormatProperty, stepFields } from './dialplan/routeActions';
import { accountTimeZoneOption } from './shared/timeZones';
import { filterProperty } from './trigger/filters';
import { bodyTemplate, PORTAL_EVENTS } from './webhook/portalEvents';
import { receiveEvent } from './webhook/receiveEvent';
import { SECRET_HEADER, secretRefusal } from './webhook/request';

/**
 * GET and POST on one path: a portal webhook sends either. The portal has no API to create,
 * list or delete webhooks, so, like n8n's Slack Trigger, the node has no webhookMethods: the
 * user pastes the URL, as the setup notice says. (The community lint's lifecycle rule looks
 * for a literal list here; a node with nothing to register has no lifecycle to implement.)
 */
const PORTAL_WEBHOOKS: IWebhookDescription[] = ['POST', 'GET'].map((httpMethod) => ({
	name: 'default',
	httpMethod,
	// Call events are answered at once; a routing request waits for Route Call (or the Fallback).
	responseMode: '={{ $parameter["receive"] === "dialplan" ? "responseNode" : "onReceived" }}',
	// Without it n8n answers a delivery that starts an execution with the literal text
	// "firstEntryJson" (its default for responseData). Empty: n8n's own small JSON,
	// {"message":"Workflow was started"}; the node's own answers (403, repeats) are unchanged.
	responseData: '',
	path: 'smartflo',
}));


/** One notice per chosen event: the end of the URL to paste, and the body template. */
const eventNotices: INodeProperties[] = PORTAL_EVENTS.map((event) => ({
	displayName: `${event.portalName}. Portal webhook URL: this node’s Webhook URL (POST) followed by ?event=${event.code}&secret= and your Secret. Body template: ${bodyTemplate(event)}`,
	name: `${event.code}Notice`,
	type: 'notice',
	default: '',
	displayOptions: { show: { receive: ['events'], events: [event.code] } },
}));

const EVENTS_ONLY = { show: { receive: ['events'] } };
const DIALPLAN_ONLY = { show: { receive: ['dialplan'] } };

/** Where the portal's time stamps and numbers are read, when no credential says. */
const PROVIDER_OPTIONS = [
	{ name: 'From the Credential', value: 'credential', description: 'The Smartflo API credential’s provider; Tata Tele Smartflo when the node has none' },
	...PROVIDERS.filter((provider) => provider.id !== 'custom').map((provider) => ({ name: provider.name, value: provider.id })),
];

export class SmartfloWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Smartflo Webhook Trigger',
		name: 'smartfloWebhookTrigger',
		icon: { light: 'file:smartflo.svg', dark: 'file:smartflo.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["receive"] === "dialplan" ? "Routing requests" : ($parameter["events"] || []).length === 1 ? $parameter["events"][0].replace(/_/g, " ") : ($parameter["events"] || []).length + " events" }}',
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
				displayName: 'Receive',
				name: 'receive',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Call Events (Portal Webhooks)', value: 'events', description: 'A call is received, rings, is answered, missed, hangs up…: the workflow starts at once' },
					{ name: 'Routing Requests (API Dialplan)', value: 'dialplan', description: 'The platform asks where an incoming call goes; a Smartflo Route Call node answers' },
				],
				default: 'events',
			},
			{
				displayName: 'Secret',
				name: 'secret',
				type: 'string',
				typeOptions: { password: true },
				required: true,
				default: '',
				placeholder: 'e.g. 7f3c9a1e5b2d4c8f9e0a',
				description:
					'Any long random text (16 characters or more; keep a copy: the field hides it). Every URL you paste in the portal ends with secret= and this text (&secret= for events, ?secret= for routing); a delivery without it is answered 403 and starts nothing.',
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
				displayName:
					'In the portal (the provider’s support switches API Dialplan on): API Connect → API Dialplan → add one with method POST, this node’s Webhook URL followed by ?secret= and your Secret, and the body template ' +
					bodyTemplate(DIALPLAN_REQUEST) +
					' — then My Numbers → the number → destination API Dialplan, and set a failover. Answer with a Smartflo Route Call node.',
				name: 'dialplanNotice',
				type: 'notice',
				default: '',
				displayOptions: DIALPLAN_ONLY,
			},
			{
				displayName:
					'In the portal (API Connect → Webhook, switched on by the provider’s support), add one webhook per event below: its trigger, method POST (or GET), the URL shown for the event and its body template. Test URL: while the node waits for a test event (Execute step); Production URL: once the workflow is active. Type the Secret first: the node does not run without one. Keep every $variable of a template in quotes: an unquoted empty one makes invalid JSON, which n8n refuses (HTTP 422) before this node sees it.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
				displayOptions: EVENTS_ONLY,
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: PORTAL_EVENTS.map((event) => ({ name: event.portalName, value: event.code, description: event.description })),
				default: ['call_received'],
				description: 'The portal triggers that start the workflow. Each portal webhook sends one; its URL says which.',
				displayOptions: EVENTS_ONLY,
			},
			...eventNotices,
			{
				displayName: 'Provider',
				name: 'provider',
				type: 'options',
				options: PROVIDER_OPTIONS,
				default: 'credential',
				description:
					'Whose time zone the portal’s time stamps are in and how its phone numbers are written. No API token is needed to receive webhooks: without a credential, pick your provider here.',
			},
			{ ...filterProperty, displayOptions: EVENTS_ONLY },
			{
				displayName: 'Answer Within (Seconds)',
				name: 'answerWithin',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_ANSWER_SECONDS },
				default: DEFAULT_ANSWER_SECONDS,
				description:
					'The caller hears silence until the platform gets its answer (it gives up after 10 s). If Route Call has not answered by then — the workflow failed, ended without routing, or is slow — the Fallback is answered.',
				displayOptions: DIALPLAN_ONLY,
			},
			{
				displayName: 'Fallback',
				name: 'fallback',
				type: 'options',
				options: [
					{ name: 'The Portal’s Failover Destination', value: 'failover', description: 'Answer 503: the platform sends the call to the dialplan’s failover destination' },
					{ name: 'A Route Set Here', value: 'route', description: 'Answer with the Fallback Route below' },
				],
				default: 'failover',
				displayOptions: DIALPLAN_ONLY,
			},
			{
				displayName: 'Fallback Route',
				name: 'fallbackRoute',
				type: 'fixedCollection',
				placeholder: 'Set Fallback Route',
				default: { route: { step: 'transferDepartment', to: '' } },
				options: [{ displayName: 'Route', name: 'route', values: stepFields() }],
				displayOptions: { show: { receive: ['dialplan'], fallback: ['route'] } },
			},
			routeFormatProperty(DIALPLAN_ONLY),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					accountTimeZoneOption('the portal’s time stamps'),
				],
			},
		],
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const query = this.getQueryData() as IDataObject;
		const refused = secretRefusal(this, query);
		if (refused) return refused;
		if (this.getNodeParameter('receive', 'events') === 'dialplan') return await receiveRoutingRequest(this, query);
		return await receiveEvent(this, query);
	}
}
