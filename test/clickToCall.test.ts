/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * Example 5 (missed inbound call → click to call) in n8n-core against the provider double:
 * the example's own workflow run as the editor's Execute workflow runs it, Smartflo
 * Trigger's test event feeding a stand-in for n8n's HTTP Request node that does what that
 * node does with a predefined credential type (httpRequestWithAuthentication with the
 * Smartflo credential). The real HTTP Request node runs it in e2e/ and the browser suite.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import { Workflow, type IDataObject, type IExecuteFunctions, type INode, type INodeType } from 'n8n-workflow';

import { PackageCredentialsHelper, loadPackage } from './helpers/engine';
import { additionalDataFor, nodeTypesOf } from './helpers/engine/package';
import { TOKEN, useProviderDouble } from './helpers/fixtures';

const provider = useProviderDouble();

const text = { type: 'string' as const, default: '' };
/** n8n's HTTP Request node (4.2) as far as example 5 uses it: a JSON POST with a predefined credential type. */
const httpRequest: INodeType = {
	description: {
		displayName: 'HTTP Request (stand-in)',
		name: 'httpRequest',
		group: ['output'],
		version: [4.2],
		description: '',
		defaults: {},
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'smartfloApi', required: false }],
		properties: [
			{ displayName: 'Method', name: 'method', ...text },
			{ displayName: 'URL', name: 'url', ...text },
			{ displayName: 'Authentication', name: 'authentication', ...text },
			{ displayName: 'Credential Type', name: 'nodeCredentialType', ...text },
			{ displayName: 'Send Body', name: 'sendBody', type: 'boolean', default: false },
			{ displayName: 'Specify Body', name: 'specifyBody', ...text },
			{ displayName: 'JSON', name: 'jsonBody', ...text },
			{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: [] },
		],
	},
	async execute(this: IExecuteFunctions) {
		const items = this.getInputData();
		const output = [];
		for (let index = 0; index < items.length; index += 1) {
			expect(this.getNodeParameter('authentication', index)).toBe('predefinedCredentialType');
			const response = (await this.helpers.httpRequestWithAuthentication.call(this, this.getNodeParameter('nodeCredentialType', index) as string, {
				method: this.getNodeParameter('method', index) as 'POST',
				url: this.getNodeParameter('url', index) as string,
				body: JSON.parse(this.getNodeParameter('jsonBody', index) as string) as IDataObject,
				json: true,
			})) as IDataObject;
			output.push({ json: response, pairedItem: { item: index } });
		}
		return [output];
	},
};

/** Example 5 as a user imports it, its provider host the double's. */
function exampleFive() {
	const file = path.resolve(__dirname, '..', 'examples', 'missed-call-click-to-call.json');
	const example = JSON.parse(readFileSync(file, 'utf8').replaceAll('https://api-smartflo.tatateleservices.com', provider.double.url)) as {
		id: string;
		nodes: INode[];
		connections: Workflow['connectionsBySourceNode'];
	};
	// The sticky note is not run.
	return { ...example, nodes: example.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote') };
}

/** The editor's Execute workflow: the trigger's test event, then the next node. */
async function executeWorkflow() {
	const loader = await loadPackage();
	const example = exampleFive();
	const workflow = new Workflow({
		id: example.id,
		nodes: example.nodes,
		connections: example.connections,
		active: false,
		nodeTypes: nodeTypesOf(loader, { 'n8n-nodes-base.httpRequest': httpRequest }),
		settings: {},
	});
	const hooks = new ExecutionLifecycleHooks('manual', 'exec-example-5', {
		id: example.id,
		name: 'example 5',
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: example.nodes,
		connections: example.connections,
	});
	const additionalData = additionalDataFor(new PackageCredentialsHelper(loader, provider.credentials), hooks);
	const run = await new WorkflowExecute(additionalData, 'manual').run({ workflow, startNode: workflow.getNode('Missed Inbound Call')! });
	const output = (name: string) => (run.data.resultData.runData[name]?.[0]?.data?.main?.[0] ?? []).map((item) => item.json);
	return { run, output };
}

test('example 5: the newest missed inbound call is called back: the agent’s phone rings, then the customer’s', async () => {
	const missed = provider.double.addCallRecord({ startedAgoSeconds: 60, answered: false, client_number: '9876543210' });
	const { run, output } = await executeWorkflow();

	expect(run.data.resultData.error).toBeUndefined();
	expect(output('Missed Inbound Call')).toMatchObject([{ call_id: missed.call_id, outcome: 'missed', customer_number: '9876543210' }]);
	expect(output('Click to Call')).toStrictEqual([{ success: true, message: 'Originate successfully queued' }]);
	expect(provider.double.clickToCallRequests().map((request) => [request.headers.authorization, request.json])).toStrictEqual([
		[`Bearer ${TOKEN}`, { agent_number: '0502842370097', destination_number: '9876543210', caller_id: '8049990000', async: 1 }],
	]);

	// On the double's clock: the agent's phone rings first, then the customer's, then they talk.
	const callBack = () => provider.double.liveCallsNow().find((call: IDataObject) => call.customer_number === '9876543210') as IDataObject;
	expect(callBack()).toMatchObject({ direction: 'outbound', state: 'ringing', destination: '0502842370097', agent_name: 'Asha Rao', did: '8049990000' });
	provider.double.advance(provider.double.clickToCallTiming.agentRingsSeconds);
	expect(callBack()).toMatchObject({ state: 'ringing', destination: '9876543210' });
	provider.double.advance(provider.double.clickToCallTiming.customerRingsSeconds);
	expect(callBack()).toMatchObject({ state: 'answered', destination: '9876543210', call_time: '00:00:15' });
});

test('the double refuses a click to call without the customer’s number, as the provider would', async () => {
	const response = await fetch(`${provider.double.url}/v1/click_to_call`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
		body: JSON.stringify({ agent_number: '0502842370097' }),
	});

	expect(response.status).toBe(422);
	expect(await response.json()).toEqual({ success: false, message: expect.stringContaining('destination_number') });
	expect(provider.double.liveCallsNow()).toHaveLength(3);
});
