/* eslint-disable @n8n/community-nodes/no-restricted-imports -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * Part 2: inside the real n8n app, 1,000 items through this node and through n8n's HTTP
 * Request node sending the same request with the same credential, timed by n8n itself
 * (each node's executionTime in the run data).
 */
import { existsSync } from 'node:fs';

import { N8nApp, appRuntime, freePort, packPackage } from '../../e2e/helpers/n8nApp';
import { callsWorkflow, credential, httpRequestSender, smartfloNode } from '../../e2e/helpers/workflows';
import { median, ms, table } from './stats';

const ITEMS = 1000;
const AGENT_ID = '0502842370097';
const RUNS = 5;

export interface RealAppResult {
	items: number;
	runs: number;
	smartfloMs: number;
	httpRequestMs: number;
	ratio: number;
}

const CALLS = Array.from({ length: ITEMS }, (_, index) => `${1_758_800_000 + index}.${1000 + index}`);

export async function measureRealApp(doubleUrl: string, log: (line: string) => void): Promise<RealAppResult | undefined> {
	const runtime = appRuntime();
	if (!existsSync(runtime.bin)) {
		log(`  skipped: ${runtime.name} is not installed (run \`bash e2e/install.sh ${runtime.name}\` first)`);
		return undefined;
	}
	log(`  in ${runtime.name} (n8n ${runtime.version})`);
	const app = new N8nApp(await freePort(), undefined, runtime);
	try {
		app.installPackage(packPackage());
		await app.importCredentials([credential('benchCredential', 'Smartflo (bench)', doubleUrl, 'sandbox-token')]);
		const credentialRef = { id: 'benchCredential', name: 'Smartflo (bench)' };
		await app.importWorkflows([
			callsWorkflow(
				'benchSmartflo',
				CALLS,
				smartfloNode(
					'Send',
					{
						operation: 'barge',
						callId: { __rl: true, mode: 'id', value: '={{ $json.calls }}' },
						agentId: { __rl: true, mode: 'id', value: AGENT_ID },
						options: { requestsPerSecond: 0 },
					},
					credentialRef,
				),
			),
			callsWorkflow(
				'benchHttpRequest',
				CALLS,
				httpRequestSender(
					'benchHttpRequest-4',
					doubleUrl,
					`={{ JSON.stringify({ type: 3, call_id: $json.calls, agent_id: '${AGENT_ID}' }) }}`,
					credentialRef,
				),
			),
		]);
		const times: Record<string, number[]> = { benchSmartflo: [], benchHttpRequest: [] };
		for (let run = 0; run < RUNS; run += 1) {
			const order = run % 2 === 0 ? ['benchSmartflo', 'benchHttpRequest'] : ['benchHttpRequest', 'benchSmartflo'];
			for (const id of order) {
				const result = await app.execute(id);
				const task = result.json?.data.resultData.runData.Send?.[0] as { executionTime?: number; data?: { main: unknown[][] } } | undefined;
				if (result.code !== 0 || task?.data?.main?.[0]?.length !== ITEMS) {
					throw new Error(`${id} failed (exit ${result.code}):\n${result.stdout.slice(-1500)}\n${result.stderr.slice(-1500)}`);
				}
				times[id].push(task.executionTime ?? NaN);
			}
		}
		const result: RealAppResult = {
			items: ITEMS,
			runs: RUNS,
			smartfloMs: median(times.benchSmartflo),
			httpRequestMs: median(times.benchHttpRequest),
			ratio: median(times.benchSmartflo) / median(times.benchHttpRequest),
		};
		log(
			table(
				['items', 'Smartflo node', 'HTTP Request node', 'ratio Smartflo/HTTP Request', 'runs each'],
				[[String(ITEMS), ms(result.smartfloMs), ms(result.httpRequestMs), `${result.ratio.toFixed(2)}×`, String(RUNS)]],
			),
		);
		return result;
	} finally {
		app.remove();
	}
}
