/**
 * Each operation, run by n8n's engine against the provider double: what reached the
 * provider (path, headers, body with the documented types) and what the node returned.
 */
import { runSmartflo } from './helpers/engine';
import { AGENT, LIVE_CALL, TOKEN, byId, callParameters, useProviderDouble } from './helpers/fixtures';

const provider = useProviderDouble();

describe.each([
	['monitor', 1],
	['whisper', 2],
	['barge', 3],
] as const)('%s', (operation, type) => {
	test(`sends type ${type} with the call and the agent, and returns the answer with what was asked`, async () => {
		const { output, error } = await runSmartflo({
			parameters: callParameters(operation),
			credentials: provider.credentials,
		});

		expect(error).toBeUndefined();
		const [request] = provider.double.callOptionRequests();
		expect(provider.double.requests).toHaveLength(1);
		expect(request.method).toBe('POST');
		expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
		expect(request.headers['content-type']).toMatch(/application\/json/);
		expect(request.json).toStrictEqual({ type, call_id: LIVE_CALL, agent_id: AGENT });

		expect(output).toHaveLength(1);
		expect(output[0].json).toStrictEqual({
			success: true,
			message: `Call ${operation} request accepted`,
			operation,
			callId: LIVE_CALL,
			agentId: AGENT,
		});
		expect(output[0].pairedItem).toStrictEqual({ item: 0 });
	});
});

describe('transfer', () => {
	test('sends type 4 with the destination as one string and no agent', async () => {
		const { output, error } = await runSmartflo({
			parameters: callParameters('transfer', { transferTo: '060212370085' }),
			credentials: provider.credentials,
		});

		expect(error).toBeUndefined();
		expect(provider.double.callOptionRequests().map((request) => request.json)).toStrictEqual([
			{ type: 4, call_id: LIVE_CALL, intercom: '060212370085' },
		]);
		expect(output.map((item) => item.json)).toStrictEqual([
			{
				success: true,
				message: 'Call transfer request accepted',
				operation: 'transfer',
				callId: LIVE_CALL,
				transferTo: '060212370085',
			},
		]);
	});

	test('with Destination Format "List", sends every comma-separated destination as an array', async () => {
		const { output } = await runSmartflo({
			parameters: callParameters('transfer', {
				transferTo: '80124, 9196009832',
				options: { destinationFormat: 'array' },
			}),
			credentials: provider.credentials,
		});

		expect(provider.double.callOptionRequests()[0].json).toStrictEqual({
			type: 4,
			call_id: LIVE_CALL,
			intercom: ['80124', '9196009832'],
		});
		expect(output[0].json.transferTo).toStrictEqual(['80124', '9196009832']);
	});

	test('a webhook-shaped item drives the transfer through expressions, one request per item', async () => {
		const items = [
			{ json: { body: { call_id: '1758782566.8131', owner_phone: '9196009832' } } },
			{ json: { body: { call_id: '1758782590.8130', owner_phone: 80124 } } },
		];
		const { output, error } = await runSmartflo({
			parameters: callParameters('transfer', {
				callId: byId('={{ $json.body.call_id }}'),
				transferTo: '={{ $json.body.owner_phone }}',
			}),
			items,
			credentials: provider.credentials,
		});

		expect(error).toBeUndefined();
		// A whole-number destination from JSON is sent as the string the provider documents.
		expect(
			provider.double
				.callOptionRequests()
				.map((request) => request.json)
				.sort((a, b) => a.call_id.localeCompare(b.call_id)),
		).toStrictEqual([
			{ type: 4, call_id: '1758782566.8131', intercom: '9196009832' },
			{ type: 4, call_id: '1758782590.8130', intercom: '80124' },
		]);
		expect(output.map((item) => [item.json.callId, item.pairedItem])).toStrictEqual([
			['1758782566.8131', { item: 0 }],
			['1758782590.8130', { item: 1 }],
		]);
	});

	test('a number as a CRM writes it goes out as its 10 digits on an Indian account, digit for digit elsewhere', async () => {
		const forms: Array<string | number> = ['+91 91960 09832', '0091 91960 09832', '919196009832', '09196009832', '91960-09832', 919196009832];
		const items = forms.map((owner) => ({ json: { owner } }));
		const transfer = callParameters('transfer', { transferTo: '={{ $json.owner }}' });

		const indian = await runSmartflo({ parameters: transfer, items, credentials: { ...provider.credentials, numbering: 'india' } });
		expect(indian.error).toBeUndefined();
		expect(provider.double.callOptionRequests().map((request) => request.json.intercom)).toStrictEqual(forms.map(() => '9196009832'));
		expect(indian.output.map((item) => [item.json.transferTo, item.json.transferToEntered])).toStrictEqual(forms.map((form) => ['9196009832', String(form)]));

		provider.double.reset();
		const asTyped = await runSmartflo({ parameters: transfer, items: items.slice(2), credentials: provider.credentials });
		expect(asTyped.error).toBeUndefined();
		expect(provider.double.callOptionRequests().map((request) => request.json.intercom).sort()).toStrictEqual(['09196009832', '919196009832', '919196009832', '9196009832']);
		expect(asTyped.output.map((item) => item.json.transferTo)).toStrictEqual(['919196009832', '09196009832', '9196009832', '919196009832']);
	});
});

describe('parameters', () => {
	test('a call and agent picked "From List" send the chosen ids', async () => {
		await runSmartflo({
			parameters: callParameters('barge', {
				callId: { __rl: true, mode: 'list', value: '1758782601.350603', cachedResultName: 'x' },
				agentId: { __rl: true, mode: 'list', value: '0502842370098' },
			}),
			credentials: provider.credentials,
		});

		expect(provider.double.callOptionRequests()[0].json).toStrictEqual({
			type: 3,
			call_id: '1758782601.350603',
			agent_id: '0502842370098',
		});
	});

	test('surrounding spaces from a copy-paste are trimmed, and a numeric agent id is sent as a string', async () => {
		await runSmartflo({
			parameters: callParameters('whisper', {
				callId: byId(`  ${LIVE_CALL} `),
				agentId: byId('={{ 12345 }}'),
			}),
			credentials: provider.credentials,
		});

		expect(provider.double.callOptionRequests()[0].json).toStrictEqual({
			type: 2,
			call_id: LIVE_CALL,
			agent_id: '12345',
		});
	});

	test('a token pasted with "Bearer " is sent once-prefixed, not as "Bearer Bearer"', async () => {
		const { error } = await runSmartflo({
			parameters: callParameters('monitor'),
			credentials: { ...provider.credentials, token: `  Bearer ${TOKEN}\n` },
		});

		expect(error).toBeUndefined();
		expect(provider.double.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
	});
});
