/**
 * Every bad input is refused before anything leaves: an error naming the field and the
 * item, a hint how to fix it, and not one request at the provider.
 */
import { NodeOperationError } from 'n8n-workflow';

import { runSmartflo } from '../helpers/engine';
import { callParameters, byId, useProviderDouble } from '../helpers/fixtures';
import { BAD_INPUTS, type BadInput } from './cases';

const provider = useProviderDouble();

function run(testCase: BadInput, onError?: 'continueRegularOutput') {
	const items = [0, 1, 2].map(() => ({ json: { v: testCase.value as never } }));
	return runSmartflo({
		parameters: testCase.parameters,
		items,
		credentials: { ...provider.credentials, ...testCase.credentials } as typeof provider.credentials,
		onError,
	});
}

test('the matrix has at least 40 distinct cases', () => {
	expect(new Set(BAD_INPUTS.map((testCase) => testCase.name)).size).toBe(BAD_INPUTS.length);
	expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40);
});

describe.each(BAD_INPUTS)('$name', (testCase) => {
	test('stops the workflow naming the field, with a hint, sending nothing', async () => {
		const { error, output } = await run(testCase);

		expect(output).toHaveLength(0);
		expect(provider.double.requests).toHaveLength(0);
		expect(error?.message).toContain(testCase.field);
		expect(error?.message).toMatch(testCase.says);
		expect(error?.description).toMatch(testCase.hint);
		expect(error?.context).toMatchObject({ itemIndex: 0 });
		if (!testCase.credentials) expect(error?.message).toContain('[item 0]');
	});

	test('with Continue On Fail: one error item per input item, paired, and still nothing sent', async () => {
		const { output, error } = await run(testCase, 'continueRegularOutput');

		expect(error).toBeUndefined();
		expect(provider.double.requests).toHaveLength(0);
		expect(output.map((item) => item.pairedItem)).toStrictEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		output.forEach((item, index) => {
			expect(item.json.error).toMatch(testCase.says);
			if (!testCase.credentials) {
				// Field checks are the node's own NodeOperationErrors, one per item.
				expect(item.error).toBeInstanceOf(NodeOperationError);
				expect(item.error?.message).toContain(`[item ${index}]`);
			}
		});
	});
});

// Typed-in values are checked by n8n itself before any node runs. n8n 2.8 says "The workflow
// has issues"; newer engines name the node and the field ("The 'Smartflo' node has issues").
test.each([
	['a blank required field', callParameters('transfer', { transferTo: '' })],
	['a typed call id that is not digits.digits', callParameters('monitor', { callId: byId('call-42') })],
])('%s is caught by n8n before the node runs', async (_name, parameters) => {
	await expect(runSmartflo({ parameters, credentials: provider.credentials })).rejects.toThrow(/has issues/);
	expect(provider.double.requests).toHaveLength(0);
});

test('an agent id saved on a transfer is dropped by n8n before the node runs, never sent', async () => {
	const { error } = await runSmartflo({
		parameters: callParameters('transfer', { agentId: byId('0502842370097') }),
		credentials: provider.credentials,
	});

	expect(error).toBeUndefined();
	expect(provider.double.callOptionRequests().map((request) => request.json)).toStrictEqual([
		{ type: 4, call_id: '1758782566.8131', intercom: '9196009832' },
	]);
});
