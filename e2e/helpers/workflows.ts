/* eslint-disable @n8n/community-nodes/no-restricted-imports -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/** Small workflows for the e2e suite: a Manual Trigger feeding Smartflo nodes. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { NODE_TYPE, REPO } from './n8nApp';

type Parameters = Record<string, unknown>;

export const SANDBOX_CREDENTIAL = { id: 'smartfloSandbox', name: 'Smartflo (sandbox)' };

export function credential(id: string, name: string, baseUrl: string, token: string, extra: Record<string, string> = {}) {
	return { id, name, type: 'smartfloApi', data: { provider: 'custom', baseUrl, token, ...extra } };
}

export const byId = (value: string) => ({ __rl: true, mode: 'id', value });

export function smartfloNode(name: string, parameters: Parameters, credentialRef = SANDBOX_CREDENTIAL, x = 240) {
	return {
		id: `node-${name.replace(/\W+/g, '-')}`,
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [x, 0],
		parameters: { resource: 'call', ...parameters },
		credentials: { smartfloApi: credentialRef },
	};
}

/** Manual Trigger → (optional Edit Fields with `input`) → the given nodes in a chain. */
export function chainWorkflow(id: string, nodes: Array<ReturnType<typeof smartfloNode>>, input?: Record<string, unknown>) {
	const head: Array<Record<string, unknown>> = [
		{ id: `${id}-start`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
	];
	if (input) {
		head.push({
			id: `${id}-input`,
			name: 'Webhook Payload',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [120, 0],
			parameters: { mode: 'raw', jsonOutput: JSON.stringify(input), options: {} },
		});
	}
	const all = [...head, ...nodes];
	const connections: Record<string, unknown> = {};
	for (let index = 0; index < all.length - 1; index += 1) {
		connections[all[index].name as string] = { main: [[{ node: all[index + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name: id, active: false, nodes: all, connections, settings: { executionOrder: 'v1' } };
}

/**
 * Manual Trigger → a list of call ids → Split Out → `sender`, one item per call: how the
 * e2e tests and the benchmark feed many items to one node in the real app.
 */
export function callsWorkflow(id: string, calls: string[], sender: Record<string, unknown>) {
	const nodes: Array<Record<string, unknown>> = [
		{ id: `${id}-start`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: `${id}-calls`,
			name: 'Calls',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [200, 0],
			parameters: { mode: 'raw', jsonOutput: JSON.stringify({ calls }), options: {} },
		},
		{
			id: `${id}-split`,
			name: 'One Item per Call',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [400, 0],
			parameters: { fieldToSplitOut: 'calls', options: {} },
		},
		{ ...sender, position: [600, 0] },
	];
	const connections: Record<string, unknown> = {};
	for (let index = 0; index < nodes.length - 1; index += 1) {
		connections[nodes[index].name as string] = { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name: id, active: false, nodes, connections, settings: { executionOrder: 'v1' } };
}

/** A Smartflo Transfer of the CRM webhook's `call_id` to its `owner_phone` (example 1's mapping). */
export function crmTransferParameters(options: Record<string, number> = {}) {
	return { operation: 'transfer', callId: byId('={{ $json.body.call_id }}'), transferTo: '={{ $json.body.owner_phone }}', options };
}

/** A stable UUID for a name, as n8n gives each webhook node one. */
function uuidFor(name: string): string {
	const hex = createHash('md5').update(name).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * A production webhook (POST `webhookPath`, answering with the sender's output) feeding one
 * `sender` node named "Send": the CRM-webhook shape of the e2e, queue-mode and latency runs.
 */
export function webhookWorkflow(id: string, webhookPath: string, sender: Record<string, unknown>) {
	return {
		id,
		name: id,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${id}-hook`,
				name: 'CRM Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [0, 0],
				webhookId: uuidFor(id),
				parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', options: {} },
			},
			{ ...sender, name: 'Send', position: [260, 0] },
		],
		connections: { 'CRM Webhook': { main: [[{ node: 'Send', type: 'main', index: 0 }]] } },
	};
}

/**
 * n8n's HTTP Request node sending `jsonBody` (an expression) to the provider's call
 * options with the Smartflo credential as a predefined credential type: the baseline the
 * benchmarks compare this node with.
 */
export function httpRequestSender(id: string, baseUrl: string, jsonBody: string, credentialRef: { id: string; name: string }) {
	return {
		id,
		name: 'Send',
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url: `${baseUrl}/v1/call/options`,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: 'smartfloApi',
			sendBody: true,
			specifyBody: 'json',
			jsonBody,
			options: {},
		},
		credentials: { smartfloApi: credentialRef },
	};
}

/** Manual Trigger → n8n's HTTP Request node reading `url` with the Smartflo credential. */
export function httpRequestWorkflow(id: string, url: string) {
	return chainWorkflow(id, [
		{
			id: `${id}-http`,
			name: 'List Departments',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [240, 0],
			parameters: { url, authentication: 'predefinedCredentialType', nodeCredentialType: 'smartfloApi', options: {} },
			credentials: { smartfloApi: SANDBOX_CREDENTIAL },
		} as unknown as ReturnType<typeof smartfloNode>,
	]);
}

/** An example workflow from examples/, with its provider host pointed at the double. */
export function example(file: string, doubleUrl: string) {
	const text = readFileSync(path.join(REPO, 'examples', file), 'utf8').replaceAll(
		'https://api-smartflo.tatateleservices.com',
		doubleUrl,
	);
	return JSON.parse(text);
}

/** An example from examples/ with each `from` text (e.g. its CRM's address) replaced by `to`. */
export function exampleWith(file: string, doubleUrl: string, replacements: Record<string, string>) {
	let text = JSON.stringify(example(file, doubleUrl));
	for (const [from, to] of Object.entries(replacements)) text = text.replaceAll(from, to);
	return JSON.parse(text);
}

/** The Smartflo Webhook Trigger; its production URL is /webhook/<webhookId>/smartflo?event=…&secret=…. */
export function smartfloWebhookTriggerNode(name: string, webhookId: string, parameters: Parameters) {
	return {
		id: `node-${name.replace(/\W+/g, '-')}`,
		name,
		type: 'n8n-nodes-smartflo.smartfloWebhookTrigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId,
		parameters: { events: ['call_received'], provider: 'smartflo', ...parameters },
	};
}

/** n8n's Webhook node on POST `webhookPath`, answering as soon as the workflow starts (responseMode onReceived). */
export function onReceivedWebhookNode(name: string, webhookPath: string) {
	return {
		id: `node-${name.replace(/\W+/g, '-')}`,
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		position: [0, 0],
		webhookId: uuidFor(`${name}|${webhookPath}`),
		parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
	};
}

/** n8n's Webhook node on POST `webhookPath`, holding the request until a Respond to Webhook node answers (responseMode responseNode). */
export function responseNodeWebhookNode(name: string, webhookPath: string) {
	const node = onReceivedWebhookNode(name, webhookPath);
	return { ...node, parameters: { ...node.parameters, responseMode: 'responseNode' } };
}

/** n8n's Respond to Webhook node answering `responseBody` (JSON, may hold expressions) with HTTP 200; typeVersion 1.1 exists in n8n 1.123 to 2.41. */
export function respondToWebhookNode(name: string, responseBody: string) {
	return {
		id: `node-${name.replace(/\W+/g, '-')}`,
		name,
		type: 'n8n-nodes-base.respondToWebhook',
		typeVersion: 1.1,
		position: [480, 0],
		parameters: { respondWith: 'json', responseBody, options: {} },
	};
}
