import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { Numbering } from '../../../credentials/smartfloApi/hosts';
import { InvalidFieldError, validateDestination } from '../shared/validation';

/**
 * The answer to an API Dialplan request: a JSON list of actions the platform runs in order
 * (provider-api.md, API Dialplan). Servetel documents `{"transfer": {"type": "number",
 * "data": 9876543210}}`, `{"transfer": {"type": "agent", "data": "50746745"}}` and
 * `{"recording": {"type": "system" | "url", "data": …}}`; public integrations also send
 * `data` as a list of strings, numbers with 91 before the 10 digits, `ring_type` and the
 * transfer types ivr, department, extension and auto_attendant. The documented shape is the
 * default; Data As and Numbers switch to the other reading. Numbers go through the same
 * validator as the Smartflo node's Transfer To.
 */

export type RouteStep =
	| 'transferNumber'
	| 'transferAgent'
	| 'transferDepartment'
	| 'transferIvr'
	| 'transferExtension'
	| 'transferAutoAttendant'
	| 'playRecording'
	| 'playRecordingUrl';

const TRANSFER_TYPE: Record<string, string> = {
	transferNumber: 'number',
	transferAgent: 'agent',
	transferDepartment: 'department',
	transferIvr: 'ivr',
	transferExtension: 'extension',
	transferAutoAttendant: 'auto_attendant',
};

export interface RouteShape {
	/** 'value': one value, numbers as JSON numbers (Servetel's page); 'list': a list of strings (public integrations). */
	dataAs: 'value' | 'list';
	/** 'national': 9876543210 (documented); 'with91': 919876543210 (seen in public code, Indian accounts). */
	numbers: 'national' | 'with91';
	/** With several numbers or agents: ring them in order or all at once. */
	ringType?: 'order_by' | 'simultaneous';
	numbering: Numbering;
}

export interface RouteStepInput {
	step: string;
	/** Transfers: the number(s), agent id(s), department, IVR, extension or auto attendant. */
	to?: unknown;
	/** Play System Recording: the recording's id; Play Recording From URL: its https URL. */
	recording?: unknown;
}

export const STEP_OPTIONS = [
	{ name: 'Transfer to Number', value: 'transferNumber', description: 'A phone number: an agent’s mobile, the account owner’s' },
	{ name: 'Transfer to Agent', value: 'transferAgent', description: 'An agent of the account, by agent ID' },
	{ name: 'Transfer to Department', value: 'transferDepartment', description: 'A department (queue) of the account, by its ID' },
	{ name: 'Transfer to IVR', value: 'transferIvr', description: 'An IVR of the account, by its ID' },
	{ name: 'Transfer to Extension', value: 'transferExtension' },
	{ name: 'Transfer to Auto Attendant', value: 'transferAutoAttendant' },
	{ name: 'Play Recording (Account)', value: 'playRecording', description: 'A recording uploaded to the account, by its ID' },
	{ name: 'Play Recording From URL', value: 'playRecordingUrl', description: 'An MP3 or WAV file at an https URL' },
];

/** The fields of one step, the same on the Route Call node and the trigger's fallback. */
export function stepFields(displayOptions?: INodeProperties['displayOptions']): INodeProperties[] {
	const when = (steps: string[]): INodeProperties['displayOptions'] => ({ show: { ...(displayOptions?.show ?? {}), step: steps } });
	return [
		{ displayName: 'Action', name: 'step', type: 'options', options: STEP_OPTIONS, default: 'transferNumber', ...(displayOptions ? { displayOptions } : {}) },
		{
			displayName: 'To',
			name: 'to',
			type: 'string',
			default: '',
			placeholder: 'e.g. 9876543210',
			description: 'Where the call goes. Several numbers or agents: separate them with commas (they ring as Options → Ring says).',
			displayOptions: when(Object.keys(TRANSFER_TYPE)),
		},
		{
			displayName: 'Recording',
			name: 'recording',
			type: 'string',
			default: '',
			placeholder: 'e.g. 7611',
			description: 'The recording’s ID in the portal (Play Recording) or its https URL (Play Recording From URL)',
			displayOptions: when(['playRecording', 'playRecordingUrl']),
		},
	];
}

function fail(message: string, hint: string): never {
	throw new InvalidFieldError(message, hint);
}

const list = (value: unknown): string[] =>
	(Array.isArray(value) ? value : String(value ?? '').split(','))
		.map((entry) => (typeof entry === 'number' ? String(entry) : typeof entry === 'string' ? entry.trim() : ''))
		.filter((entry) => entry !== '');

function transferData(step: string, to: unknown, shape: RouteShape): Array<string | number> {
	const entries = list(to);
	if (entries.length === 0) fail('is empty', 'Enter where the call goes, e.g. 9876543210 for a number or an agent ID.');
	if (step !== 'transferNumber') {
		for (const entry of entries) {
			if (!/^[A-Za-z0-9._-]{1,64}$/.test(entry)) fail(`"${entry.slice(0, 40)}" is not an ID`, 'An agent, department, IVR, extension or auto-attendant ID is letters or digits, e.g. 50746745.');
		}
		return entries;
	}
	const digits = validateDestination(entries, 'array', shape.numbering).value as string[];
	return digits.map((number) => (shape.numbers === 'with91' && shape.numbering === 'india' && /^\d{10}$/.test(number) ? `91${number}` : number));
}

/** One step as the platform reads it; throws InvalidFieldError naming what to fix. */
export function routeStep(input: RouteStepInput, shape: RouteShape): IDataObject {
	const type = TRANSFER_TYPE[input.step];
	if (type) {
		const data = transferData(input.step, input.to, shape);
		if (data.length > 1 && shape.dataAs === 'value') {
			fail(`"${list(input.to).join(', ')}" names ${data.length} destinations`, 'One value goes as one destination. To ring several, set Options → Data As to List.');
		}
		const asValue = input.step === 'transferNumber' ? Number(data[0]) : data[0];
		return {
			transfer: {
				type,
				data: shape.dataAs === 'list' ? data.map(String) : asValue,
				...(shape.dataAs === 'list' && data.length > 1 && shape.ringType ? { ring_type: shape.ringType } : {}),
			},
		};
	}
	if (input.step === 'playRecording') {
		const id = String(input.recording ?? '').trim();
		if (!/^\d{1,12}$/.test(id)) fail(`"${id.slice(0, 40)}" is not a recording ID`, 'Use the number the portal shows for the recording, e.g. 7611.');
		return { recording: { type: 'system', data: shape.dataAs === 'list' ? [id] : Number(id) } };
	}
	if (input.step === 'playRecordingUrl') {
		const url = String(input.recording ?? '').trim();
		if (!URL.canParse(url) || new URL(url).protocol !== 'https:') fail(`"${url.slice(0, 40)}" is not an https URL`, 'The platform fetches the file itself: give a public https URL of an MP3 or WAV file.');
		return { recording: { type: 'url', data: shape.dataAs === 'list' ? [url] : url } };
	}
	return fail(`"${input.step}" is not an action`, `Pick one of: ${STEP_OPTIONS.map((option) => option.name).join(', ')}.`);
}

export type RouteAnswer = { ok: true; answer: IDataObject[] } | { ok: false; message: string; hint: string };

/** The whole answer, every step in order (at least one), or what is wrong with it. */
export function routeAnswer(steps: RouteStepInput[], shape: RouteShape): RouteAnswer {
	if (steps.length === 0) return { ok: false, message: 'has no actions', hint: 'Add at least one action, e.g. Transfer to Number.' };
	const answer: IDataObject[] = [];
	for (const [index, step] of steps.entries()) {
		try {
			answer.push(routeStep(step, shape));
		} catch (error) {
			return { ok: false, message: `action ${index + 1}: ${(error as Error).message}`, hint: error instanceof InvalidFieldError ? error.hint : '' };
		}
	}
	return { ok: true, answer };
}

/** Route Format: the options both the Route Call node and the trigger's Fallback Route use. */
export const routeFormatProperty = (displayOptions?: INodeProperties['displayOptions']): INodeProperties => ({
	displayName: 'Route Format',
	name: 'routeFormat',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	...(displayOptions ? { displayOptions } : {}),
	options: [
		{
			displayName: 'Data As',
			name: 'dataAs',
			type: 'options',
			options: [
				{ name: 'One Value (Documented)', value: 'value', description: 'As Servetel documents: "data": 9876543210' },
				{ name: 'List', value: 'list', description: 'As public integrations send: "data": ["9876543210"]; lets a transfer ring several' },
			],
			default: 'value',
		},
		{
			displayName: 'Numbers',
			name: 'numbers',
			type: 'options',
			options: [
				{ name: '10 Digits (Documented)', value: 'national', description: '9876543210' },
				{ name: 'With 91', value: 'with91', description: '919876543210, as some public integrations send on Indian accounts' },
			],
			default: 'national',
		},
		{
			displayName: 'Ring',
			name: 'ringType',
			type: 'options',
			options: [
				{ name: 'In Order', value: 'order_by' },
				{ name: 'All at Once', value: 'simultaneous' },
			],
			default: 'order_by',
			description: 'With Data As List and several destinations: ring them one after another, or all at once',
		},
	],
});

export function routeShapeOf(format: IDataObject, numbering: Numbering): RouteShape {
	return {
		dataAs: format.dataAs === 'list' ? 'list' : 'value',
		numbers: format.numbers === 'with91' ? 'with91' : 'national',
		ringType: format.ringType === 'simultaneous' ? 'simultaneous' : 'order_by',
		numbering,
	};
}
