import type { INodeProperties, INodePropertyMode, INodePropertyModeValidation, INodePropertyOptions } from 'n8n-workflow';

import { DEFAULT_BURST, DEFAULT_REQUESTS_PER_SECOND } from './pacing';
import { buildCallOptionsRequest, handleCallOptionsAnswer } from './callRequest';
import { AGENT_OPERATIONS, CALL_OPERATIONS, type CallOperation } from './operations';

/**
 * Shows the Operation field for the Call resource. Call is the only resource, so the other
 * fields name only the operations they are for: n8n checks every condition of every field
 * for every run and item, and one that is always true only costs time.
 */
const forCall: INodeProperties['displayOptions'] = { show: { resource: ['call'] } };

/** Shows a field only for these operations; a field without displayOptions shows for all. */
function showFor(operations: readonly CallOperation[]): INodeProperties['displayOptions'] {
	return { show: { operation: [...operations] } };
}

// Every operation is the same endpoint; the hooks read the operation to build the body.
const callOptionsRouting: INodePropertyOptions['routing'] = {
	send: { preSend: [buildCallOptionsRequest] },
	output: { postReceive: [handleCallOptionsAnswer] },
};

const operationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: forCall,
	options: (Object.keys(CALL_OPERATIONS) as CallOperation[]).map((value) => {
		const { name, action, description } = CALL_OPERATIONS[value];
		return { name, value, action, description, routing: callOptionsRouting };
	}),
	default: 'transfer',
};

/** A field picked From List (a searchable list search) or typed By ID, and any more modes. */
function pickOrTypeField(
	field: Pick<INodeProperties, 'displayName' | 'name' | 'description' | 'displayOptions'>,
	list: { method: string; placeholder: string },
	id: { placeholder: string; hint?: string; validation?: INodePropertyModeValidation[] },
	/** More modes in which a value is typed: name, label, placeholder and hint of each. */
	typedModes: Array<Pick<INodePropertyMode, 'displayName' | 'name' | 'placeholder' | 'hint'>> = [],
): INodeProperties {
	return {
		...field,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: list.placeholder,
				typeOptions: { searchListMethod: list.method, searchable: true },
			},
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: id.placeholder, hint: id.hint, validation: id.validation },
			...typedModes.map((mode): INodePropertyMode => ({ ...mode, type: 'string' })),
		],
	};
}

const callIdField = pickOrTypeField(
	{
		displayName: 'Call',
		name: 'callId',
		description:
			'The live call to act on: picked from the live calls, its call ID (digits, a dot, digits, e.g. 1758782566.8131) as the provider’s webhook sends it in $call_id, or the customer’s phone number as your CRM holds it',
	},
	{ method: 'searchLiveCalls', placeholder: 'Select a live call…' },
	{
		placeholder: 'e.g. 1758782566.8131',
		// Only where a value is typed or mapped: a call picked from the list is always text.
		hint: 'Map it as text. A call ID that arrives as a number has lost its trailing zeros and is refused.',
		validation: [
			{
				type: 'regex',
				properties: {
					regex: '^\\s*\\d+\\.\\d+\\s*$',
					errorMessage: 'A call ID is digits, a dot, digits, e.g. 1758782566.8131',
				},
			},
		],
	},
	[
		{
			displayName: 'By Phone Number',
			name: 'number',
			placeholder: 'e.g. +91 98765 43210',
			hint: 'The customer’s number, as your CRM holds it: the node finds their live call. Options → Find Call By → Agent finds the call of an agent instead.',
		},
	],
);

const agentIdField = pickOrTypeField(
	{
		displayName: 'Agent',
		name: 'agentId',
		description:
			'The agent or supervisor who listens, whispers or joins. Pick one from the list, or enter the agent ID the provider’s portal shows for them, e.g. 0502842370097.',
		displayOptions: showFor(AGENT_OPERATIONS),
	},
	{ method: 'searchAgents', placeholder: 'Select an agent…' },
	{ placeholder: 'e.g. 0502842370097' },
);

const transferNotice: INodeProperties = {
	displayName:
		'The call leaves its current agent as soon as the provider accepts the transfer. Retry On Fail re-sends every item, so leave it off here.',
	name: 'transferNotice',
	type: 'notice',
	default: '',
	displayOptions: showFor(['transfer']),
};

const transferToField: INodeProperties = {
	displayName: 'Transfer To',
	name: 'transferTo',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 98765 43210',
	description:
		'Where the call goes: an agent’s 10-digit mobile number, an agent extension or softphone ID such as 0602842370085, or a department intercom such as 80124 to ring the next free agent. Spaces, dashes, dots and brackets are dropped; on the Indian providers +91, 0091, 91 or 0 before a 10-digit number too. The output shows what was sent.',
	hint: 'One destination per call. To ring several agents, use a department intercom.',
	displayOptions: showFor(['transfer']),
};

const optionsField: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Burst Size',
			name: 'burst',
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: DEFAULT_BURST,
			description:
				'How many requests of this credential go out at once, without waiting, before Max Requests per Second applies: webhooks arriving together are not held back. Refills at that rate.',
		},
		{
			displayName: 'Destination Format',
			name: 'destinationFormat',
			type: 'options',
			displayOptions: { show: { '/operation': ['transfer'] } },
			options: [
				{
					name: 'Text',
					value: 'string',
					description: 'Send one destination as text, as every provider example does',
				},
				{
					name: 'List',
					value: 'array',
					description:
						'Send a list of destinations, as the provider’s field table describes; Transfer To may then hold several, separated by commas',
				},
			],
			default: 'string',
			description: 'How the destination is sent in the intercom field',
		},
		{
			displayName: 'Find Call By',
			name: 'findBy',
			type: 'options',
			options: [
				{
					name: 'Agent',
					value: 'agent',
					description: 'The agent’s number, extension or name, as the live-call list shows it (e.g. Asha Rao)',
				},
				{
					name: 'Customer Number',
					value: 'customer',
					description: 'The customer’s phone number: on an Indian account +91 98765 43210, 09876543210 and 9876543210 are the same number; elsewhere the digits must match',
				},
			],
			default: 'customer',
			description: 'Only for Call → By Phone Number: what the number names',
		},
		{
			displayName: 'If Several Calls Match',
			name: 'whenSeveral',
			type: 'options',
			options: [
				{ name: 'Fail the Item', value: 'error', description: 'List the calls that match, act on none' },
				{ name: 'Take the Longest Running', value: 'longest' },
				{ name: 'Take the Newest', value: 'newest', description: 'The call that started last' },
			],
			default: 'error',
			description: 'Only for Call → By Phone Number: what happens when the number has several live calls',
		},
		{
			displayName: 'Max Requests per Second',
			name: 'requestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: DEFAULT_REQUESTS_PER_SECOND,
			description:
				'Paces the requests of this credential beyond the burst, so that many items do not hit the provider at once. 0 sends every item at once. After an HTTP 429 every request of the credential waits as the provider asks, either way.',
		},
	],
};

export const callDescription: INodeProperties[] = [
	operationField,
	callIdField,
	agentIdField,
	transferNotice,
	transferToField,
	optionsField,
];
