/**
 * The API token never shows: not in an output item, an error's message, description or
 * JSON, nor in anything n8n-core logged — across every bad input, provider fault and
 * transport failure of the matrix, and the list searches and credential test.
 */
import { capturedLogs, runListSearch, runSmartflo, testCredential } from '../helpers/engine';
import { TOKEN, callParameters, useProviderDouble } from '../helpers/fixtures';
import { everythingVisible } from '../helpers/secrets';
import { BAD_INPUTS, PROVIDER_FAULTS } from './cases';

const provider = useProviderDouble();

test('no case of the matrix shows the token anywhere', async () => {
	const seen: unknown[] = [];
	const record = (label: string, value: unknown) => seen.push({ label, value });
	capturedLogs.length = 0;

	for (const testCase of BAD_INPUTS) {
		for (const onError of [undefined, 'continueErrorOutput'] as const) {
			const result = await runSmartflo({
				parameters: testCase.parameters,
				items: [{ json: { v: testCase.value as never } }],
				credentials: { ...provider.credentials, ...testCase.credentials } as typeof provider.credentials,
				onError,
			});
			record(testCase.name, [result.output, result.errorOutput, result.error, result.run.data.resultData]);
		}
	}
	for (const fault of PROVIDER_FAULTS) {
		provider.double.reset();
		provider.double.fail({ path: '/v1/call/options', respond: fault.respond });
		for (const onError of [undefined, 'continueRegularOutput'] as const) {
			const result = await runSmartflo({ parameters: callParameters('transfer'), credentials: provider.credentials, onError });
			record(fault.name, [result.output, result.error, result.run.data.resultData]);
		}
		provider.double.fail({ path: '/v1/users', respond: fault.respond });
		record(`${fault.name}: credential test`, await testCredential(provider.credentials));
		record(`${fault.name}: agent list`, await runListSearch('searchAgents', provider.credentials).catch((error: unknown) => error));
	}
	for (const respond of [{ hang: true }, { reset: true }]) {
		provider.double.reset();
		provider.double.fail({ path: '/v1/call/options', respond });
		const result = await runSmartflo({
			parameters: callParameters('barge', { requestOptions: { timeout: 200 } }),
			credentials: provider.credentials,
		});
		record(JSON.stringify(respond), [result.error, result.run.data.resultData]);
	}
	const refused = await runSmartflo({
		parameters: callParameters('barge'),
		credentials: { ...provider.credentials, baseUrl: provider.double.url.replace(/:\d+$/, ':9') },
	});
	record('refused', [refused.error, refused.run.data.resultData]);

	// The cases really ran: the token was sent to the double, just never shown back.
	expect(seen.length).toBeGreaterThan(BAD_INPUTS.length * 2 + PROVIDER_FAULTS.length * 4);
	expect(provider.double.requests.some((request) => request.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
	for (const entry of seen) expect(everythingVisible(entry)).not.toContain(TOKEN);
	expect(capturedLogs.length).toBeGreaterThan(100);
	expect(capturedLogs.join('\n')).not.toContain(TOKEN);
}, 60_000);
