/**
 * Whatever the provider answers that is not a success becomes an n8n error with the
 * HTTP status, the provider's own words and a hint; Continue On Fail keeps one item per
 * input item, paired to it, on either output; the token shows up nowhere.
 */
import { NodeApiError } from 'n8n-workflow';

import type { Fault } from '../provider-double/server';
import { runSmartflo } from './helpers/engine';
import { TOKEN, callParameters, useProviderDouble } from './helpers/fixtures';
import { everythingVisible } from './helpers/secrets';

const provider = useProviderDouble();

interface FaultCase {
	name: string;
	respond: NonNullable<Fault['respond']>;
	status: string;
	says: RegExp;
	hint: RegExp;
}

const faults: FaultCase[] = [
	{
		name: '401 expired token',
		respond: { status: 401, json: { success: false, message: 'Token expired' } },
		status: '401',
		says: /Token expired \[HTTP 401\]/,
		hint: /expired or been revoked/,
	},
	{
		name: '403 token not granted this API',
		respond: { status: 403, json: { success: false, message: 'Access denied for this API' } },
		status: '403',
		says: /Access denied for this API \[HTTP 403\]/,
		hint: /not granted this API/,
	},
	{
		name: '404 call has ended',
		respond: { status: 404, json: { message: 'Call not found' } },
		status: '404',
		says: /Call not found \[HTTP 404\]/,
		hint: /call has probably ended/,
	},
	{
		name: '502 HTML error page',
		respond: { status: 502, html: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>' },
		status: '502',
		says: /502 Bad Gateway \[HTTP 502\]/,
		hint: /may or may not have acted/,
	},
	{
		name: 'HTTP 200 with success:false',
		respond: { status: 200, json: { success: false, message: 'Agent is not logged in' } },
		status: '200',
		says: /Agent is not logged in \[success: false\]/,
		hint: /did not act/,
	},
	{
		name: 'HTTP 200 whose body is not JSON',
		respond: { status: 200, text: '{"success": tru', contentType: 'application/json' },
		status: '200',
		says: /instead of JSON/,
		hint: /did not act/,
	},
	{
		name: 'HTTP 200 with an empty body',
		respond: { status: 200, text: '' },
		status: '200',
		says: /an empty body instead of JSON/,
		hint: /did not act/,
	},
];

describe.each(faults)('$name', ({ respond, status, says, hint }) => {
	test('stops the workflow with a NodeApiError carrying the status, the provider message and a hint', async () => {
		provider.double.fail({ path: '/v1/call/options', respond });

		const { error, output } = await runSmartflo({
			parameters: callParameters('transfer'),
			credentials: provider.credentials,
		});

		expect(output).toHaveLength(0);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.httpCode).toBe(status);
		expect(error?.message).toMatch(/^Smartflo did not transfer call 1758782566\.8131 \(item 0\): /);
		expect(error?.message).toMatch(says);
		expect(error?.description).toMatch(hint);
		expect(provider.double.callOptionRequests()).toHaveLength(1);
		expect(everythingVisible(error)).not.toContain(TOKEN);
	});

	test('with the error output, each failed item goes there paired to its input; the others succeed', async () => {
		provider.double.fail({ path: '/v1/call/options', callIds: ['1758782590.8130'], respond });
		const items = [
			{ json: { call_id: '1758782566.8131' } },
			{ json: { call_id: '1758782590.8130' } },
			{ json: { call_id: '1758782601.350603' } },
		];

		const { output, errorOutput, error } = await runSmartflo({
			parameters: callParameters('transfer', {
				callId: { __rl: true, mode: 'id', value: '={{ $json.call_id }}' },
			}),
			items,
			credentials: provider.credentials,
			onError: 'continueErrorOutput',
		});

		expect(error).toBeUndefined();
		expect(output.map((item) => [item.json.callId, item.pairedItem])).toStrictEqual([
			['1758782566.8131', { item: 0 }],
			['1758782601.350603', { item: 2 }],
		]);
		expect(errorOutput).toHaveLength(1);
		expect(errorOutput[0].pairedItem).toStrictEqual({ item: 1 });
		expect(errorOutput[0].error).toBeInstanceOf(NodeApiError);
		expect((errorOutput[0].error as NodeApiError).httpCode).toBe(status);
		expect(String(errorOutput[0].json.error)).toMatch(/call 1758782590\.8130 \(item 1\)/);
		expect(String(errorOutput[0].json.error)).toMatch(says);
		expect(everythingVisible([output, errorOutput])).not.toContain(TOKEN);
	});
});

describe('a provider that does not answer', () => {
	test('fails the item after Request Options → Timeout instead of hanging the workflow', async () => {
		provider.double.fail({ path: '/v1/call/options', respond: { hang: true } });

		const { error } = await runSmartflo({
			parameters: callParameters('barge', { requestOptions: { timeout: 300 } }),
			credentials: provider.credentials,
		});

		// A transport failure never reaches the node's answer hook: this is n8n's own wording.
		expect(error?.name).toBe('NodeApiError');
		expect(error?.httpCode).toBe('ECONNABORTED');
		expect(error?.messages).toContain('timeout of 300ms exceeded');
		expect(everythingVisible(error)).not.toContain(TOKEN);
	});

	test('by default gives up after 10 seconds, not the engine’s 300', async () => {
		provider.double.fail({ path: '/v1/call/options', respond: { hang: true } });
		const started = Date.now();

		const { error } = await runSmartflo({ parameters: callParameters('barge'), credentials: provider.credentials });

		const waited = Date.now() - started;
		expect(error?.messages).toContain('timeout of 10000ms exceeded');
		// Bounds, not a speed check: well past 10 s would mean the engine's default won.
		expect(waited).toBeGreaterThanOrEqual(9_500);
		expect(waited).toBeLessThan(25_000);
	}, 40_000);

	test('a reset connection is reported, with Continue On Fail as an error item for that input', async () => {
		provider.double.fail({ path: '/v1/call/options', respond: { reset: true } });

		const { output } = await runSmartflo({
			parameters: callParameters('monitor'),
			credentials: provider.credentials,
			onError: 'continueRegularOutput',
		});

		expect(output).toHaveLength(1);
		expect(output[0].error?.message).toMatch(/socket hang up|ECONNRESET|closed/i);
		expect(everythingVisible(output)).not.toContain(TOKEN);
	});
});
