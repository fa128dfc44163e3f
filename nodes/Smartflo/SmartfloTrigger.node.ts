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
import { accountTimeZoneOption } from './shared/timeZones';
import { filterProperty, filtersOf } from './trigger/filters';
import { pollFinishedCalls } from './trigger/finishedCallPoll';
import { decide, eventItem, sampleCall, type TriggerEvent, type TriggerMemory, type TriggerSetup } from './trigger/liveCallEvents';

function setupOf(context: IPollFunctions): TriggerSetup {
	const event = context.getNodeParameter('event') as TriggerEvent;
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
		...filtersOf(context),
		includeAlreadyLive: event !== 'callEnded' && options.includeAlreadyLive === true,
	};
}

/** What Call Ended's test item says, since it is a call that is still live. */
const CALL_ENDED_PREVIEW =
	'A preview: this call is still live. Fetch Test Event shows a live call shaped as Call Ended will report it once it ends; real items have no "preview".';

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
		subtitle:
			'={{ { callRunningLong: "Call running longer than " + $parameter["minutes"] + " min", newLiveCall: "New live call", callEnded: "Call ended", finishedCall: { answered: "Answered call", missed: "Missed call" }[$parameter["outcome"]] || "Finished call" }[$parameter["event"]] }}',
		// The node panel's Docs link. Given only in the codex, n8n appends ?utm_… to the URL,
		// after the #anchor, and the page no longer jumps to the section.
		documentationUrl: 'https://github.com/n8n-nodes-smartflo/n8n-nodes-smartflo#smartflo-trigger',
		// n8n's nodes panel shows one entry for both nodes of the package and, on an empty
		// canvas, this description: so it names what the package does, not only this node.
		description:
			'Calls on Tata Tele Smartflo, Acefone and Servetel, polled: start a workflow when a call runs long, comes in, ends, is missed or lands in the call records. For instant events from the portal’s webhooks, use Smartflo Webhook Trigger',
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
						description: 'A live call runs longer than Minutes; once per call',
					},
					{
						name: 'New Live Call',
						value: 'newLiveCall',
						description: 'A call appears in the live calls; once per call',
					},
					{
						name: 'Call Ended',
						value: 'callEnded',
						description: 'A live call is gone from the live calls; once per call',
					},
					{
						name: 'Finished Call',
						value: 'finishedCall',
						description: 'A call, answered or missed, lands in the call records',
					},
				],
				default: 'callRunningLong',
			},
			{
				// The Event dropdown cuts long descriptions: the advice goes here, in full.
				displayName:
					'Call Ended is quick, but blind to calls shorter than a poll and to how a call ended; a call counts as ended once two polls in a row miss it. For a call log, missed calls or recordings, choose Finished Call.',
				name: 'callEndedNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { event: ['callEnded'] } },
			},
			{
				displayName:
					'Finished Call reads the call records: every call, also a short missed one, with agent, durations and recording. A record lands a few minutes after its call ends.',
				name: 'finishedCallNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { event: ['finishedCall'] } },
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
				displayName: 'Calls',
				name: 'outcome',
				type: 'options',
				options: [
					{ name: 'Answered and Missed', value: 'all' },
					{ name: 'Answered', value: 'answered', description: 'Calls an agent or the customer answered' },
					{ name: 'Missed', value: 'missed', description: 'Calls nobody answered: callers to call back' },
				],
				default: 'all',
				description: 'Which finished calls start the workflow',
				displayOptions: { show: { event: ['finishedCall'] } },
			},
			filterProperty,
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
						// On when added: adding the option is asking for it. Absent, it is off (read as === true).
						default: true,
						description: 'Whether the first poll after activation (or after changing the event or filters) also fires for calls that are already live. Off: those calls are remembered without starting the workflow.',
					},
				],
			},
			{
				displayName: 'Options',
				name: 'recordOptions',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: { show: { event: ['finishedCall'] } },
				options: [
					accountTimeZoneOption('the call records’ dates'),
					{
						displayName: 'Attach Recording',
						name: 'attachRecording',
						type: 'boolean',
						// On when added: adding the option is asking for it. Absent, it is off (read as === true).
						default: true,
						description:
							'Whether to download each record’s recording and attach it as binary data (field "recording"), e.g. for a transcription node or a CRM upload. The item says when there is none or the download failed.',
					},
					{
						displayName: 'Include Records Already There at Activation',
						name: 'includeRecent',
						type: 'boolean',
						// On when added: adding the option is asking for it. Absent, it is off (read as === true).
						default: true,
						description:
							'Whether the first poll after activation (or after changing the event, Calls or the filters) also fires for the records of the look-back window. Off: those are remembered without starting the workflow.',
					},
					{
						displayName: 'Look-Back (Minutes)',
						name: 'lookBackMinutes',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 1440 },
						default: 120,
						description:
							'How far back each poll reads the call records. A record is dated when its call started and can land after the call ends: a record fires if it lands within this time of its call’s start.',
					},
					{
						displayName: 'Max Recording Size (MB)',
						name: 'maxRecordingMb',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 100 },
						default: 25,
						description: 'With Attach Recording: larger recordings are not attached (the item says so and keeps the recording URL)',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		if (this.getNodeParameter('event') === 'finishedCall') return await pollFinishedCalls.call(this);
		const setup = setupOf(this);
		// Read first: a failed read changes nothing the trigger remembers.
		const calls = await readLiveCalls.call(this);

		if (this.getMode() === 'manual') {
			const call = sampleCall(setup, calls);
			if (!call) throw nothingLive(this, setup, calls.length);
			const now = new Date().toISOString();
			// No poll can wait for a call to end: the test item is a call live now, and says so.
			const extra = setup.event === 'callEnded' ? { last_seen_at: now, ended_noticed_at: now, preview: CALL_ENDED_PREVIEW } : {};
			return [this.helpers.returnJsonArray([eventItem(setup.event, call, extra)])];
		}

		const memory = this.getWorkflowStaticData('node') as TriggerMemory;
		const { items, memory: next } = decide(setup, memory, calls, Date.now());
		for (const key of Object.keys(memory)) if (!(key in next)) delete memory[key];
		Object.assign(memory, next);
		return items.length > 0 ? [this.helpers.returnJsonArray(items)] : null;
	}
}
