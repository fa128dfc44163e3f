/**
 * Call → By Phone Number, run by n8n's engine against the provider double: the node reads
 * the live calls once per run, finds the one call of the customer's number (or agent), and
 * acts on it — or fails the item saying what it found, and sends nothing.
 */
import type { INodeParameters } from 'n8n-workflow';

import { runAgentTools, runSmartflo } from './helpers/engine';
import { AGENT, LIVE_CALL, callParameters, useProviderDouble } from './helpers/fixtures';

const provider = useProviderDouble();
/** The double as an Indian account (the Indian providers, or a custom host with Phone Numbers → Indian). */
const indian = () => ({ ...provider.credentials, numbering: 'india' });

/** The seeded call of customer 9876500001 (Asha Rao, 2m 41s) is LIVE_CALL. */
const byNumber = (value: unknown) => ({ __rl: true, mode: 'number', value }) as unknown as INodeParameters[string];

function transferByNumber(value: unknown, options: INodeParameters = {}, transferTo = '80124'): INodeParameters {
	return callParameters('transfer', { callId: byNumber(value), transferTo, options });
}

describe('finds the live call of a customer’s number and acts on it', () => {
	test.each([['+91 98765 00001'], ['0091 98765 00001'], ['919876500001'], ['09876500001'], ['9876500001'], ['98765-00001'], [9876500001]])('%p (an Indian account)', async (number) => {
		const { output, error } = await runSmartflo({ parameters: transferByNumber(number), credentials: indian() });

		expect(error).toBeUndefined();
		expect(provider.double.liveCallRequests()).toHaveLength(1);
		expect(provider.double.callOptionRequests().map((request) => request.json)).toStrictEqual([{ type: 4, call_id: LIVE_CALL, intercom: '80124' }]);
		expect(output.map((item) => item.json)).toStrictEqual([
			{
				success: true,
				message: 'Call transfer request accepted',
				operation: 'transfer',
				callId: LIVE_CALL,
				transferTo: '80124',
				foundByCustomerNumber: String(number),
			},
		]);
	});

	test.each(['monitor', 'whisper', 'barge'] as const)('%s too', async (operation) => {
		const { output, error } = await runSmartflo({
			parameters: callParameters(operation, { callId: byNumber('9876500002') }),
			credentials: provider.credentials,
		});

		expect(error).toBeUndefined();
		expect(provider.double.callOptionRequests().map((request) => request.json)).toStrictEqual([
			{ type: { monitor: 1, whisper: 2, barge: 3 }[operation], call_id: '1758782590.8130', agent_id: AGENT },
		]);
		expect(output[0].json).toMatchObject({ callId: '1758782590.8130', foundByCustomerNumber: '9876500002' });
	});

	test('an outbound call is found by the number it dials', async () => {
		const { output } = await runSmartflo({ parameters: transferByNumber('+91 98765 00003'), credentials: indian() });

		expect(output[0].json).toMatchObject({ success: true, callId: '1758782601.350603' });
	});

	test('the provider writing the number with its trunk 0 or +91 is the same number too', async () => {
		provider.double.startCall({ call_id: '1758790300.9300', customer_number: '09123400001', source: '09123400001' });
		provider.double.startCall({ call_id: '1758790301.9301', customer_number: '+919123400002', source: '+919123400002' });
		const first = await runSmartflo({ parameters: transferByNumber('+91 91234 00001'), credentials: indian() });
		const second = await runSmartflo({ parameters: transferByNumber('09123400002'), credentials: indian() });

		expect([first.output[0]?.json.callId, second.output[0]?.json.callId]).toStrictEqual(['1758790300.9300', '1758790301.9301']);
	});
});

describe('never a near miss: a number matches exactly, never as the tail of another', () => {
	test('an 8-digit number does not find the caller whose number ends in it', async () => {
		provider.double.startCall({ call_id: '1758790400.9400', customer_number: '02223456789', source: '02223456789' });
		const { error } = await runSmartflo({ parameters: transferByNumber('2345 6789'), credentials: indian() });

		expect(error?.message).toContain('found no live call with the customer number "2345 6789"');
		expect(provider.double.callOptionRequests()).toStrictEqual([]);
	});

	test('on an Indian account, +1 987 650 0001 is not the Indian 98765 00001', async () => {
		const { error } = await runSmartflo({ parameters: transferByNumber('+1 987 650 0001'), credentials: indian() });

		expect(error?.message).toContain('found no live call');
		expect(provider.double.callOptionRequests()).toStrictEqual([]);
	});

	test('on an account that is not Indian, a prefix is not guessed: +91 98765 00001 is not 9876500001', async () => {
		const asTyped = await runSmartflo({ parameters: transferByNumber('+91 98765 00001'), credentials: provider.credentials });
		const digits = await runSmartflo({ parameters: transferByNumber('9876500001'), credentials: provider.credentials });

		expect(asTyped.error?.message).toContain('found no live call');
		expect(digits.output[0]?.json.callId).toBe(LIVE_CALL);
	});
});

describe('Find Call By → Agent', () => {
	test.each([['the name, in any case', 'vikram shah'], ['the agent’s number', '0502842370098']])('by %s', async (_what, agent) => {
		const { output, error } = await runSmartflo({ parameters: transferByNumber(agent, { findBy: 'agent' }), credentials: provider.credentials });

		expect(error).toBeUndefined();
		expect(provider.double.callOptionRequests().map((request) => request.json?.call_id)).toStrictEqual(['1758782590.8130']);
		expect(output[0].json).toMatchObject({ callId: '1758782590.8130', foundByAgent: agent });
	});

	test('a name with a digit is a name: "Agent 1" is not extension 1', async () => {
		provider.double.startCall({ call_id: '1758790500.9500', agent_name: 'Meera Iyer', extension: '1', destination: '1' });
		const { error } = await runSmartflo({ parameters: transferByNumber('Agent 1', { findBy: 'agent' }), credentials: provider.credentials });

		expect(error?.message).toContain('found no live call with the agent "Agent 1"');
	});

	test('by the extension the provider shows on the call', async () => {
		provider.double.startCall({ call_id: '1758790100.9100', agent_name: 'Meera Iyer', extension: '102', destination: '0502842370099' });
		const { output } = await runSmartflo({ parameters: transferByNumber('102', { findBy: 'agent' }), credentials: provider.credentials });

		expect(output[0].json).toMatchObject({ callId: '1758790100.9100', foundByAgent: '102' });
	});
});

describe('exactly one call, or an error and nothing sent', () => {
	test('no live call with that number: the error names the number and how many calls are live', async () => {
		const { error, output } = await runSmartflo({ parameters: transferByNumber('+91 91234 56789'), credentials: provider.credentials });

		expect(output).toStrictEqual([]);
		expect(error?.message).toBe('Call (callId) found no live call with the customer number "+91 91234 56789" (3 calls are live) [item 0]');
		expect(error?.description).toContain('The call may have ended');
		expect(provider.double.callOptionRequests()).toStrictEqual([]);
	});

	test('several live calls with that number: the error lists each (id, running time, agent)', async () => {
		provider.double.startCall({ call_id: '1758790200.9200', customer_number: '9876500001', source: '9876500001', agent_name: '', call_time: '00:20:05' });
		const { error } = await runSmartflo({ parameters: transferByNumber('9876500001'), credentials: provider.credentials });

		expect(error?.message).toBe(
			'Call (callId) found 2 live calls with the customer number "9876500001": 1758782566.8131 (2m 41s, Asha Rao); 1758790200.9200 (20m 05s, no agent yet) [item 0]',
		);
		expect(error?.description).toContain('If Several Calls Match');
		expect(provider.double.callOptionRequests()).toStrictEqual([]);
	});

	test.each([
		['newest', LIVE_CALL],
		['longest', '1758790200.9200'],
	])('If Several Calls Match → %s takes that one', async (whenSeveral, expected) => {
		provider.double.startCall({ call_id: '1758790200.9200', customer_number: '9876500001', source: '9876500001', call_time: '00:20:05' });
		const { output, error } = await runSmartflo({ parameters: transferByNumber('9876500001', { whenSeveral }), credentials: provider.credentials });

		expect(error).toBeUndefined();
		expect(provider.double.callOptionRequests().map((request) => request.json?.call_id)).toStrictEqual([expected]);
		expect(output[0].json).toMatchObject({ callId: expected, foundByCustomerNumber: '9876500001' });
	});

	test.each([
		['letters', 'Asha', '"Asha" is not a phone number'],
		['too few digits', '80124', '"80124" has fewer than 8 digits'],
		['nothing (an expression that is empty)', '={{ "" }}', 'is empty'],
	])('%s: refused before anything is read', async (_what, value, message) => {
		const { error } = await runSmartflo({ parameters: transferByNumber(value), credentials: provider.credentials });

		expect(error?.message).toBe(`Call (callId) ${message} [item 0]`);
		expect(provider.double.requests).toStrictEqual([]);
	});

	test('a bad Transfer To is refused before the live calls are read', async () => {
		const { error } = await runSmartflo({ parameters: transferByNumber('9876500001', {}, 'sales'), credentials: provider.credentials });

		expect(error?.message).toContain('Transfer To (transferTo)');
		expect(provider.double.requests).toStrictEqual([]);
	});
});

describe('one read of the live calls per run', () => {
	test('1,000 items find their calls with one read', async () => {
		const customers = Array.from({ length: 1000 }, (_, index) => {
			const call = provider.double.startCall({});
			return { customer: `+91 ${call.customer_number as string}`, callId: call.call_id as string, index };
		});
		const { output, error } = await runSmartflo({
			parameters: transferByNumber('={{ $json.customer }}', { requestsPerSecond: 0 }),
			items: customers.map(({ customer }) => ({ json: { customer } })),
			credentials: indian(),
		});

		expect(error).toBeUndefined();
		expect(provider.double.liveCallRequests()).toHaveLength(1);
		expect(output).toHaveLength(1000);
		expect(output.map((item) => [item.json.callId, item.pairedItem])).toStrictEqual(customers.map(({ callId, index }) => [callId, { item: index }]));
	});

	test('two runs read twice: a run never acts on an older run’s list', async () => {
		await runSmartflo({ parameters: transferByNumber('9876500001'), credentials: provider.credentials });
		provider.double.endCall(LIVE_CALL);
		const { error } = await runSmartflo({ parameters: transferByNumber('9876500001'), credentials: provider.credentials });

		expect(provider.double.liveCallRequests()).toHaveLength(2);
		expect(error?.message).toContain('found no live call');
	});

	test('the read takes its turn in the pacing: with 1 request a second and a burst of 1, read and transfer are a second apart', async () => {
		await runSmartflo({ parameters: transferByNumber('9876500001', { requestsPerSecond: 1, burst: 1 }), credentials: provider.credentials });

		const [read, transfer] = provider.double.requests;
		expect([read.path, transfer.path]).toStrictEqual(['/v1/live_calls', '/v1/call/options']);
		expect(transfer.at - read.at).toBeGreaterThanOrEqual(900);
	});

	test('a failing read fails every item of the run with the provider’s status and message; nothing is sent', async () => {
		provider.double.fail({ path: '/v1/live_calls', respond: { status: 503, json: { message: 'Maintenance' } } });
		const { output } = await runSmartflo({
			parameters: transferByNumber('={{ $json.customer }}'),
			items: [{ json: { customer: '9876500001' } }, { json: { customer: '9876500002' } }],
			onError: 'continueRegularOutput',
			credentials: provider.credentials,
		});

		expect(output.map((item) => [item.json.error, item.pairedItem])).toStrictEqual([
			['Smartflo did not list live calls (item 0): Maintenance [HTTP 503]', { item: 0 }],
			['Smartflo did not list live calls (item 1): Maintenance [HTTP 503]', { item: 1 }],
		]);
		expect(output.map((item) => (item.error as { httpCode?: string } | undefined)?.httpCode)).toStrictEqual(['503', '503']);
		expect(provider.double.liveCallRequests()).toHaveLength(1);
		expect(provider.double.callOptionRequests()).toStrictEqual([]);
	});
});

describe('as an AI agent’s tool', () => {
	test('a number from the model finds the call; a wrong one tells the model what to pass', async () => {
		const found = await runSmartflo({ parameters: transferByNumber('98765 00002'), credentials: provider.credentials, asTool: true });
		expect(found.output[0].json).toMatchObject({ success: true, callId: '1758782590.8130', foundByCustomerNumber: '98765 00002' });

		const wrong = await runSmartflo({ parameters: transferByNumber('Vikram'), credentials: provider.credentials, asTool: true });
		expect(wrong.error?.message).toBe(
			'Call (callId) "Vikram" is not a phone number [item 0]. Pass the customer’s phone number, e.g. "+91 98765 43210", or the call id with Call mode By ID. Nothing was sent.',
		);
	});

	// Tools Agent 1 and 2 run every tool call inside the agent's own run (helpers/engine/agentTools.ts).
	const fromModel = (key: string, mode: 'id' | 'number') =>
		({ __rl: true, mode, value: `={{ $fromAI('${key}', 'the ${key}', 'string') }}` }) as unknown as INodeParameters[string];

	test('two Smartflo tools of one agent each do their own operation, and each call finds the call afresh', async () => {
		const { answers } = await runAgentTools({
			tools: [
				{ name: 'Transfer Call', parameters: callParameters('transfer', { callId: fromModel('phone', 'number'), transferTo: '80124' }) },
				{ name: 'Barge In', parameters: callParameters('barge', { callId: fromModel('call_id', 'id') }) },
			],
			calls: [
				{ tool: 'Transfer_Call', args: { phone: '98765 00002' } },
				{ tool: 'Barge_In', args: { call_id: LIVE_CALL } },
				{ tool: 'Transfer_Call', args: { phone: '98765 00001' } },
			],
			credentials: provider.credentials,
		});

		expect(provider.double.callOptionRequests().map((request) => request.json)).toStrictEqual([
			{ type: 4, call_id: '1758782590.8130', intercom: '80124' },
			{ type: 3, call_id: LIVE_CALL, agent_id: AGENT },
			{ type: 4, call_id: LIVE_CALL, intercom: '80124' },
		]);
		// The model asks again a moment later: the node looks at the live calls again, not at the first look.
		expect(provider.double.liveCallRequests()).toHaveLength(2);
		expect(answers.map((answer) => JSON.parse(answer)[0])).toMatchObject([
			{ operation: 'transfer', callId: '1758782590.8130', foundByCustomerNumber: '98765 00002' },
			{ operation: 'barge', callId: LIVE_CALL, agentId: AGENT },
			{ operation: 'transfer', callId: LIVE_CALL, foundByCustomerNumber: '98765 00001' },
		]);
	});
});
