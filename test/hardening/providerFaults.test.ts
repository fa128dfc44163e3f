/**
 * Every provider fault becomes an n8n error with the HTTP status (where there is one), the
 * provider's own message and a hint; Continue On Fail keeps one item per input item,
 * paired to it, on either output. The node never sends an item twice.
 */
import { NodeApiError } from 'n8n-workflow';

import { runSmartflo } from '../helpers/engine';
import { callParameters, useProviderDouble } from '../helpers/fixtures';
import { PROVIDER_FAULTS } from './cases';

const provider = useProviderDouble();

const threeCalls = [
	{ json: { call_id: '1758782566.8131' } },
	{ json: { call_id: '1758782590.8130' } },
	{ json: { call_id: '1758782601.350603' } },
];
const transferFromItem = callParameters('transfer', { callId: { __rl: true, mode: 'id', value: '={{ $json.call_id }}' } });

describe.each(PROVIDER_FAULTS)('$name', ({ respond, status, says, hint }) => {
	test('stops the workflow with a NodeApiError: status, provider message, hint; sent once', async () => {
		provider.double.fail({ path: '/v1/call/options', respond });

		const { error, output } = await runSmartflo({ parameters: callParameters('transfer'), credentials: provider.credentials });

		expect(output).toHaveLength(0);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.httpCode).toBe(status);
		expect(error?.message).toMatch(/^Smartflo did not transfer call 1758782566\.8131 \(item 0\): /);
		expect(error?.message).toMatch(says);
		expect(error?.description).toMatch(hint);
		// No retry: whether the provider acted is not known for every status (see README).
		expect(provider.double.callOptionRequests()).toHaveLength(1);
	});

	test.each(['continueErrorOutput', 'continueRegularOutput'] as const)(
		'with %s, the failed item is an error item paired to its input; the others succeed',
		async (onError) => {
			provider.double.fail({ path: '/v1/call/options', callIds: ['1758782590.8130'], respond });

			const { output, errorOutput, error } = await runSmartflo({
				parameters: transferFromItem,
				items: threeCalls,
				credentials: provider.credentials,
				onError,
			});

			expect(error).toBeUndefined();
			const all = onError === 'continueErrorOutput' ? [...output, ...errorOutput] : output;
			expect(all.map((item) => item.pairedItem)).toEqual(
				expect.arrayContaining([{ item: 0 }, { item: 1 }, { item: 2 }]),
			);
			expect(all).toHaveLength(3);
			const failed = all.filter((item) => item.error);
			expect(failed).toHaveLength(1);
			expect(failed[0].pairedItem).toStrictEqual({ item: 1 });
			expect(failed[0].error).toBeInstanceOf(NodeApiError);
			expect((failed[0].error as NodeApiError).httpCode).toBe(status);
			expect(String(failed[0].json.error)).toMatch(/call 1758782590\.8130 \(item 1\)/);
			if (onError === 'continueErrorOutput') expect(errorOutput).toStrictEqual(failed);
			expect(provider.double.callOptionRequests()).toHaveLength(3);
		},
	);
});

describe('transport failures (no answer to map: n8n’s own wording, with its error code)', () => {
	test('a hang past Request Options → Timeout fails the item instead of the workflow hanging', async () => {
		provider.double.fail({ path: '/v1/call/options', respond: { hang: true } });

		const { error } = await runSmartflo({
			parameters: callParameters('barge', { requestOptions: { timeout: 300 } }),
			credentials: provider.credentials,
		});

		expect(error?.name).toBe('NodeApiError');
		expect(error?.httpCode).toBe('ECONNABORTED');
		expect(error?.messages).toContain('timeout of 300ms exceeded');
		expect(provider.double.callOptionRequests()).toHaveLength(1);
	});

	test('by default a hang fails after 10 seconds, not the engine’s 300', async () => {
		provider.double.fail({ path: '/v1/call/options', respond: { hang: true } });
		const { error } = await runSmartflo({ parameters: callParameters('barge'), credentials: provider.credentials });

		// The request's own timeout, as axios names it: 10 s applied, not the engine's 300 s.
		expect(error?.messages).toContain('timeout of 10000ms exceeded');
	}, 45_000);

	test('a reset connection fails that item only, under Continue On Fail', async () => {
		provider.double.fail({ path: '/v1/call/options', callIds: ['1758782590.8130'], respond: { reset: true } });

		const { output } = await runSmartflo({
			parameters: transferFromItem,
			items: threeCalls,
			credentials: provider.credentials,
			onError: 'continueRegularOutput',
		});

		expect(output.map((item) => Boolean(item.error))).toStrictEqual([false, true, false]);
		expect(output[1].error?.message).toMatch(/socket hang up|ECONNRESET|closed/i);
		expect(output[1].pairedItem).toStrictEqual({ item: 1 });
		expect(provider.double.callOptionRequests()).toHaveLength(3);
	});

	test('a refused connection names the failure and the workflow stops', async () => {
		const closedPort = provider.double.url.replace(/:\d+$/, ':9');

		const { error } = await runSmartflo({
			parameters: callParameters('transfer'),
			credentials: { ...provider.credentials, baseUrl: closedPort },
		});

		expect(error?.httpCode).toBe('ECONNREFUSED');
		expect(error?.message).toMatch(/refused the connection/);
	});
});
