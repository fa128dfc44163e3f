/* eslint-disable @n8n/community-nodes/no-restricted-globals -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * `npm run demo`: runs the Smartflo node through n8n's engine and prints what the
 * provider received and what the node returned.
 *
 * Without an account it starts the provider double on 127.0.0.1 and runs every
 * operation. With SMARTFLO_TOKEN (and SMARTFLO_PROVIDER, or SMARTFLO_BASE_URL) it only
 * reads: the credential test and the live-call and agent lists. It acts on a call only
 * if you also set SMARTFLO_CALL_ID and SMARTFLO_AGENT_ID, and then only monitors it.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { startProviderDouble } from '../provider-double/server';
import {
	runListSearch,
	runSmartflo,
	shutdownEngine,
	testCredential,
	type SmartfloCredentials,
} from '../test/helpers/engine';

const out = (line = '') => process.stdout.write(`${line}\n`);
const byId = (value: string) => ({ __rl: true as const, mode: 'id', value });

function printItems(label: string, items: INodeExecutionData[]) {
	out(`  ${label}:`);
	for (const item of items) out(`    ${JSON.stringify(item.json)}  (paired to input ${JSON.stringify(item.pairedItem)})`);
}

async function runAndShow(
	title: string,
	parameters: INodeParameters,
	credentials: SmartfloCredentials,
	items?: INodeExecutionData[],
	double?: Awaited<ReturnType<typeof startProviderDouble>>,
) {
	out(`\n▶ ${title}`);
	const before = double?.requests.length ?? 0;
	const result = await runSmartflo({ parameters, items, credentials, onError: 'continueErrorOutput' });
	for (const request of double?.requests.slice(before) ?? []) {
		out(`  provider received: ${request.method} ${request.path}  Authorization: ${String(request.headers.authorization).replace(/\S{6}$/, '******')}`);
		out(`                     ${request.rawBody}`);
	}
	if (result.output.length) printItems('node output', result.output);
	if (result.errorOutput.length) printItems('node error output', result.errorOutput);
	if (result.error) out(`  workflow stopped: ${result.error.message}\n  hint: ${String(result.error.description ?? '')}`);
}

async function main() {
	const token = process.env.SMARTFLO_TOKEN;
	const double = token ? undefined : await startProviderDouble({ idleTimeoutMs: 60_000 });
	const credentials: SmartfloCredentials = double
		? { provider: 'custom', baseUrl: double.url, token: 'sandbox-token' }
		: {
				provider: process.env.SMARTFLO_BASE_URL ? 'custom' : (process.env.SMARTFLO_PROVIDER ?? 'smartflo'),
				baseUrl: process.env.SMARTFLO_BASE_URL ?? '',
				token: token!,
			};
	out(double ? `Provider double on ${double.url} (no SMARTFLO_TOKEN given)` : `Real account: provider ${credentials.provider}`);

	try {
		out(`\n▶ Credential test: ${JSON.stringify(await testCredential(credentials))}`);
		const calls = await runListSearch('searchLiveCalls', credentials);
		out(`\n▶ Call → From List (GET /v1/live_calls): ${calls.results.length} live calls`);
		for (const call of calls.results.slice(0, 5)) out(`    ${call.name}`);
		const agents = await runListSearch('searchAgents', credentials);
		out(`\n▶ Agent → From List (GET /v1/users): ${agents.results.length} agents on the first page, more: ${agents.paginationToken ? 'yes' : 'no'}`);
		for (const agent of agents.results.slice(0, 3)) out(`    ${agent.name}`);

		if (!double) {
			const callId = process.env.SMARTFLO_CALL_ID;
			const agentId = process.env.SMARTFLO_AGENT_ID;
			if (callId && agentId) {
				await runAndShow('Monitor your call', { resource: 'call', operation: 'monitor', callId: byId(callId), agentId: byId(agentId) }, credentials);
			} else {
				out('\nSet SMARTFLO_CALL_ID and SMARTFLO_AGENT_ID to monitor one of your live calls.');
			}
			return;
		}

		await runAndShow(
			'Transfer: a CRM webhook says who owns the caller; the call goes to them',
			{ resource: 'call', operation: 'transfer', callId: byId('={{ $json.body.call_id }}'), transferTo: '={{ $json.body.owner_phone }}' },
			credentials,
			[{ json: { body: { call_id: '1758782566.8131', owner_phone: '9196009832' } } }],
			double,
		);
		for (const operation of ['monitor', 'whisper', 'barge'] as const) {
			await runAndShow(
				`${operation[0].toUpperCase()}${operation.slice(1)}: supervisor 0502842370098 on call 1758782590.8130`,
				{ resource: 'call', operation, callId: byId('1758782590.8130'), agentId: byId('0502842370098') },
				credentials,
				undefined,
				double,
			);
		}
		await runAndShow(
			'Barge into a call that has already ended (error output keeps the item)',
			{ resource: 'call', operation: 'barge', callId: byId('={{ $json.call_id }}'), agentId: byId('0502842370098') },
			credentials,
			[{ json: { call_id: '1758782590.8130' } }, { json: { call_id: '1758700000.1' } }],
			double,
		);
		await runAndShow(
			'A call id that arrived as a JSON number is refused before anything is sent',
			{ resource: 'call', operation: 'transfer', callId: byId('={{ $json.call_id }}'), transferTo: '80124' },
			credentials,
			[{ json: { call_id: 1758782590.813 } }],
			double,
		);
	} finally {
		await double?.stop();
		shutdownEngine();
	}
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? String(error)}\n`);
	process.exitCode = 1;
});
