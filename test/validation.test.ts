/**
 * Bad input is refused before anything is sent: a NodeOperationError that names the
 * field and the item, a hint how to fix it, and not one request at the provider.
 * Under Continue On Fail the item carries that NodeOperationError itself.
 */
import { NodeOperationError, type IDataObject, type INodeParameters } from 'n8n-workflow';

import { runSmartflo } from './helpers/engine';
import { byId, callParameters, useProviderDouble } from './helpers/fixtures';

const provider = useProviderDouble();

interface Case {
	name: string;
	parameters: INodeParameters;
	field: string;
	says: RegExp;
	hint: RegExp;
	/** Input for cases fed through an expression: the bad item, and a good one beside it. */
	bad?: IDataObject;
	good?: IDataObject;
}

const cases: Case[] = [
	{
		name: 'blank call from an expression',
		parameters: callParameters('transfer', { callId: byId('={{ $json.call_id }}') }),
		bad: { call_id: '' },
		good: { call_id: '1758782566.8131' },
		field: 'Call (callId)',
		says: /is empty/,
		hint: /live call/,
	},
	{
		name: 'call id that is not digits.digits',
		parameters: callParameters('monitor', { callId: byId('={{ $json.call_id }}') }),
		bad: { call_id: 'call-42' },
		good: { call_id: '1758782566.8131' },
		field: 'Call (callId)',
		says: /"call-42" is not a call id/,
		hint: /digits, a dot, digits/,
	},
	{
		name: 'call id that arrives as a JSON number (trailing zero lost)',
		parameters: callParameters('barge', { callId: byId('={{ $json.call_id }}') }),
		bad: { call_id: 1758782590.813 },
		good: { call_id: '1758782590.8130' },
		field: 'Call (callId)',
		says: /arrived as the number 1758782590\.813/,
		hint: /quote it/,
	},
	{
		name: 'missing agent for barge',
		parameters: callParameters('barge', { agentId: byId('={{ $json.supervisor }}') }),
		bad: {},
		good: { supervisor: '0502842370098' },
		field: 'Agent (agentId)',
		says: /is empty/,
		hint: /agent/,
	},
	{
		name: 'agent of only spaces for whisper',
		parameters: callParameters('whisper', { agentId: byId('   ') }),
		field: 'Agent (agentId)',
		says: /is empty/,
		hint: /agent/,
	},
	{
		name: 'blank destination from an expression',
		parameters: callParameters('transfer', { transferTo: '={{ $json.owner }}' }),
		bad: { owner: '  ' },
		good: { owner: '80124' },
		field: 'Transfer To (transferTo)',
		says: /is empty/,
		hint: /mobile number, extension or department intercom/,
	},
	{
		name: 'destination with letters',
		parameters: callParameters('transfer', { transferTo: 'sales desk' }),
		field: 'Transfer To (transferTo)',
		says: /"sales desk" is not a phone number, extension or intercom/,
		hint: /digits only/,
	},
	{
		name: 'destination with a + country code',
		parameters: callParameters('transfer', { transferTo: '+919196009832' }),
		field: 'Transfer To (transferTo)',
		says: /is not a phone number/,
		hint: /Drop the \+ and country code/,
	},
	{
		name: 'several destinations while sending one string',
		parameters: callParameters('transfer', { transferTo: '9196009832,80124' }),
		field: 'Transfer To (transferTo)',
		says: /names several destinations/,
		hint: /department intercom/,
	},
	{
		name: 'destination that is an object from an expression',
		parameters: callParameters('transfer', { transferTo: '={{ $json.owner }}' }),
		bad: { owner: { phone: '9196009832' } },
		good: { owner: '9196009832' },
		field: 'Transfer To (transferTo)',
		says: /got an object/,
		hint: /pick the one field/,
	},
];

describe.each(cases)('$name', ({ parameters, field, says, hint, bad, good }) => {
	test('stops the workflow with an error naming the field and item, and a hint; nothing is sent', async () => {
		const items = [{ json: bad ?? {} }];
		const { error, output } = await runSmartflo({ parameters, items, credentials: provider.credentials });

		expect(output).toHaveLength(0);
		expect(provider.double.requests).toHaveLength(0);
		expect(error?.message).toContain(field);
		expect(error?.message).toMatch(says);
		expect(error?.message).toContain('[item 0]');
		expect(error?.description).toMatch(hint);
		expect(error?.context).toMatchObject({ itemIndex: 0 });
		// The node throws a NodeOperationError; with the workflow stopping, n8n's RoutingNode
		// re-wraps every error that is not a NodeApiError into one, with no HTTP status.
		expect(error?.name).toBe('NodeApiError');
		expect(error?.httpCode).toBe('none');
	});

	test('with Continue On Fail, each bad item carries that NodeOperationError and good items go on', async () => {
		const items = [{ json: bad ?? {} }, { json: good ?? bad ?? {} }, { json: bad ?? {} }];
		const { output, errorOutput, error } = await runSmartflo({
			parameters,
			items,
			credentials: provider.credentials,
			onError: 'continueRegularOutput',
		});

		expect(error).toBeUndefined();
		expect(errorOutput).toHaveLength(0);
		expect(output).toHaveLength(3);
		const failed = good ? [0, 2] : [0, 1, 2];
		for (const index of failed) {
			expect(output[index].error).toBeInstanceOf(NodeOperationError);
			expect(output[index].error?.message).toContain(`[item ${index}]`);
			expect(output[index].pairedItem).toStrictEqual({ item: index });
		}
		if (good) expect(output[1].json.success).toBe(true);
		expect(provider.double.requests).toHaveLength(good ? 1 : 0);
	});
});

// Typed-in values are checked by n8n itself (required fields, the By ID pattern) before
// any node runs; the node's own checks cover what expressions produce at run time.
test.each([
	['a blank required field', callParameters('transfer', { transferTo: '' })],
	['a typed call id that is not digits.digits', callParameters('monitor', { callId: byId('call-42') })],
])('%s is caught by n8n before the node runs', async (_name, parameters) => {
	const run = runSmartflo({ parameters, credentials: provider.credentials });

	await expect(run).rejects.toThrow('The workflow has issues');
	expect(provider.double.requests).toHaveLength(0);
});
