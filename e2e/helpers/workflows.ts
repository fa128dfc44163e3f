/** Small workflows for the e2e suite: a Manual Trigger feeding Smartflo nodes. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { NODE_TYPE, REPO } from './n8nApp';

type Parameters = Record<string, unknown>;

export const SANDBOX_CREDENTIAL = { id: 'smartfloSandbox', name: 'Smartflo (sandbox)' };

export function credential(id: string, name: string, baseUrl: string, token: string) {
	return { id, name, type: 'smartfloApi', data: { provider: 'custom', baseUrl, token } };
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
