import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { readLiveCalls } from './shared/liveCalls';
import { decide, eventItem, sampleCall, type TriggerEvent, type TriggerMemory, type TriggerSetup } from './trigger/liveCallEvents';

const LIST_SEPARATOR = /[,\n]/;

function listOf(value: unknown): string[] {
	return String(value ?? '')
		.split(LIST_SEPARATOR)
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}

function setupOf(context: IPollFunctions): TriggerSetup {
	const event = context.getNodeParameter('event') as TriggerEvent;
	const filters = context.getNodeParameter('filters', {}) as IDataObject;
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const long = event === 'callRunningLong';
	const minutes = long ? Number(context.getNodeParameter('minutes', 10)) : 0;
	if (long && !(minutes > 0)) {
		throw new NodeOperationError(context.getNode(), `Minutes must be more than 0, not "${String(minutes)}"`, {
			description: 'Enter how long a call must run before the workflow starts, e.g. 10.',
		});
	}
	return {
		event,
		minutes,
		answeredOnly: long && context.getNodeParameter('answeredOnly', false) === true,
		direction: typeof filters.direction === 'string' && filters.direction !== 'any' ? filters.direction : '',
		agents: listOf(filters.agent),
		dids: listOf(filters.did),
		includeAlreadyLive: event !== 'callEnded' && options.includeAlreadyLive === true,
	};
}

function nothingLive(context: IPollFunctions, setup: TriggerSetup, live: number): NodeOperationError {
	const what =
		setup.event === 'callRunningLong'
			? `No live call has run longer than ${setup.minutes} minute${setup.minutes === 1 ? '' : 's'}${setup.answeredOnly ? ' in an answered state' : ''}`
			: 'No live call';
	const filtered = setup.direction !== '' || setup.agents.length > 0 || setup.dids.length > 0;
	return new NodeOperationError(context.getNode(), `${what}${filtered ? ' matching the filters' : ''} right now`, {
		description: `${live} call${live === 1 ? ' is' : 's are'} live on the account. Fetch Test Event shows a real call that is live now: try again while one is, or widen the filters. The active workflow is not affected.`,
	});
}

export class SmartfloTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Smartflo Trigger',
		name: 'smartfloTrigger',
		icon: { light: 'file:smartflo.svg', dark: 'file:smartflo.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ { callRunningLong: "Call running longer than " + $parameter["minutes"] + " min", newLiveCall: "New live call", callEnded: "Call ended" }[$parameter["event"]] }}',
		// The node panel's Docs link. Given only in the codex, n8n appends ?utm_… to the URL,
		// after the #anchor, and the page no longer jumps to the section.
		documentationUrl: 'https://github.com/n8n-nodes-smartflo/n8n-nodes-smartflo#smartflo-trigger',
		description: 'Starts the workflow when a live call on Tata Tele Smartflo, Acefone or Servetel runs long, comes in or ends',
		defaults: { name: 'Smartflo Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'smartfloApi', required: true }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						// n8n lists trigger events as "On <name>": "On long call".
						name: 'Long Call',
						value: 'callRunningLong',
						description: 'A live call has run longer than a number of minutes; once per call',
					},
					{
						name: 'New Live Call',
						value: 'newLiveCall',
						description: 'A call appears in the live calls; once per call',
					},
					{
						name: 'Call Ended',
						value: 'callEnded',
						description: 'A call that was live at the previous poll is gone; once per call',
					},
				],
				default: 'callRunningLong',
			},
			{
				displayName: 'Minutes',
				name: 'minutes',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 10,
				description: 'Start the workflow once a call has run longer than this (the provider’s call_time)',
				displayOptions: { show: { event: ['callRunningLong'] } },
			},
			{
				displayName: 'Only Answered Calls',
				name: 'answeredOnly',
				type: 'boolean',
				default: false,
				description: 'Whether to skip calls still ringing or queued: only calls in the state answered, connected, bridged, ongoing, in progress or on hold count',
				displayOptions: { show: { event: ['callRunningLong'] } },
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [
					{
						displayName: 'Agent',
						name: 'agent',
						type: 'string',
						default: '',
						placeholder: 'e.g. Asha Rao, 0502842370097',
						description: 'Only calls of these agents: full names or agent numbers, separated by commas',
					},
					{
						displayName: 'DID',
						name: 'did',
						type: 'string',
						default: '',
						placeholder: 'e.g. 8049990000',
						description: 'Only calls on these numbers of yours (DIDs), separated by commas',
					},
					{
						displayName: 'Direction',
						name: 'direction',
						type: 'options',
						options: [
							{ name: 'Any', value: 'any' },
							{ name: 'Inbound', value: 'inbound' },
							{ name: 'Outbound', value: 'outbound' },
						],
						default: 'any',
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: { show: { event: ['callRunningLong', 'newLiveCall'] } },
				options: [
					{
						displayName: 'Include Calls Already Live at Activation',
						name: 'includeAlreadyLive',
						type: 'boolean',
						default: false,
						description: 'Whether the first poll after activation (or after changing the event or filters) also fires for calls that are already live. Off: those calls are remembered without starting the workflow.',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const setup = setupOf(this);
		// Read first: a failed read changes nothing the trigger remembers.
		const calls = await readLiveCalls.call(this);

		if (this.getMode() === 'manual') {
			const call = sampleCall(setup, calls);
			if (!call) throw nothingLive(this, setup, calls.length);
			const now = new Date().toISOString();
			const extra = setup.event === 'callEnded' ? { last_seen_at: now, ended_noticed_at: now } : {};
			return [this.helpers.returnJsonArray([eventItem(setup.event, call, extra)])];
		}

		const memory = this.getWorkflowStaticData('node') as TriggerMemory;
		const { items, memory: next } = decide(setup, memory, calls, Date.now());
		for (const key of Object.keys(memory)) if (!(key in next)) delete memory[key];
		Object.assign(memory, next);
		return items.length > 0 ? [this.helpers.returnJsonArray(items)] : null;
	}
}
