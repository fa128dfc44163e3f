import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { searchAgents } from './listSearch/searchAgents';
import { searchLiveCalls } from './listSearch/searchLiveCalls';
import { callDescription } from './resources/call/properties';
import { REQUEST_DEFAULTS } from './shared/transport/requestDefaults';

export class Smartflo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Smartflo',
		name: 'smartflo',
		icon: { light: 'file:smartflo.svg', dark: 'file:smartflo.dark.svg' },
		group: ['transform'],
		version: 1,
		// Under the node on the canvas: "Transfer a live call", not the raw "transfer: call".
		// Written out because n8n's lint reads the subtitle as a literal; a test resolves it
		// with n8n's expression engine against each operation's action in operations.ts.
		subtitle:
			'={{ { monitor: "Monitor a live call", whisper: "Whisper to the agent on a live call", barge: "Barge into a live call", transfer: "Transfer a live call" }[$parameter["operation"]] }}',
		// The node panel's Docs link. Given only in the codex, n8n appends ?utm_… to the URL,
		// after the #anchor, and the page no longer jumps to the section.
		documentationUrl: 'https://github.com/n8n-nodes-smartflo/n8n-nodes-smartflo#operations',
		description:
			'Monitor, whisper to, barge into or transfer live calls on Tata Tele Smartflo, Acefone and Servetel',
		defaults: { name: 'Smartflo' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'smartfloApi', required: true }],
		requestDefaults: REQUEST_DEFAULTS,
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Call', value: 'call' }],
				default: 'call',
			},
			...callDescription,
		],
	};

	methods = {
		listSearch: { searchLiveCalls, searchAgents },
	};
}
