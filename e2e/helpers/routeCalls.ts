/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-hardcoded-secrets -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * Routing incoming calls (API Dialplan) in a real n8n app: example 7 pointed at the CRM
 * double, the URL a user pastes into the portal's API Dialplan, a CRM that answers slowly,
 * and an execution's run data read back through the editor's REST API.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { N8nRest } from './portalWebhooks';
import { example } from './workflows';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { serveOnLoopback } = require('../../provider-double/loopback') as {
	serveOnLoopback: (
		onRequest: (req: IncomingMessage, res: ServerResponse) => void,
		options: { port?: number; idleTimeoutMs?: number; unref?: boolean },
	) => Promise<{ port: number; stop: () => Promise<void> }>;
};

export const EXAMPLE_7 = {
	file: 'route-to-account-owner.json',
	id: 'smartfloExample7',
	trigger: 'Smartflo Webhook Trigger',
	webhookId: '7b2f1d66-2c8f-4d4a-9a62-00000000070a',
	/** The example's Answer Within (seconds) and Fallback Route (department). */
	answerWithin: 4,
	fallbackDepartment: '80124',
} as const;

/** A Secret the tests type into the trigger. */
export const ROUTE_SECRET = 'e2e-route-secret-4b8e1f6a2c9d7e30';

/** The production webhook path n8n registers for a trigger: `<webhookId>/smartflo`. */
export const dialplanPath = (webhookId: string = EXAMPLE_7.webhookId) => `${webhookId}/smartflo`;

/** The URL a user pastes into the portal's API Dialplan: the production URL and `?secret=`. */
export function dialplanUrl(port: number, webhookId: string = EXAMPLE_7.webhookId, secret = ROUTE_SECRET): string {
	return `http://127.0.0.1:${port}/webhook/${dialplanPath(webhookId)}?secret=${encodeURIComponent(secret)}`;
}

interface WorkflowJson {
	id: string;
	name: string;
	nodes: Array<{ type: string; webhookId?: string; parameters: Record<string, unknown> }>;
}

/**
 * Example 7 with its provider host pointed at the double, its CRM at `crmUrl`, the trigger's
 * Secret set; optionally as another workflow (id, webhook id) with another Answer Within.
 */
export function routeToOwnerExample(
	providerUrl: string,
	crmUrl: string,
	options: { secret?: string; id?: string; webhookId?: string; answerWithin?: number } = {},
): WorkflowJson {
	const workflow = JSON.parse(JSON.stringify(example(EXAMPLE_7.file, providerUrl)).replaceAll('https://crm.example.com', crmUrl)) as WorkflowJson;
	if (options.id) {
		workflow.id = options.id;
		workflow.name = `${workflow.name} (${options.id})`;
	}
	for (const node of workflow.nodes) {
		if (node.type !== 'n8n-nodes-smartflo.smartfloWebhookTrigger') continue;
		node.parameters.secret = options.secret ?? ROUTE_SECRET;
		if (options.webhookId) node.webhookId = options.webhookId;
		if (options.answerWithin !== undefined) node.parameters.answerWithin = options.answerWithin;
	}
	return workflow;
}

/**
 * A CRM that answers late: waits `delayMs`, then forwards the request to `target` (the CRM
 * double) and passes its answer on. `delayMs` can be changed while it runs.
 */
export async function startSlowCrm(target: string, delayMs: number) {
	const state = { delayMs, requests: 0 };
	const { port, stop } = await serveOnLoopback(
		(req, res) => {
			state.requests += 1;
			setTimeout(() => {
				fetch(`${target}${req.url ?? '/'}`, { method: req.method })
					.then(async (response) => {
						const body = await response.text();
						res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json' });
						res.end(body);
					})
					.catch((error: Error) => {
						res.writeHead(502, { 'content-type': 'application/json' });
						res.end(JSON.stringify({ ok: false, message: error.message }));
					});
			}, state.delayMs);
		},
		{ idleTimeoutMs: 0 },
	);
	return {
		url: `http://127.0.0.1:${port}`,
		setDelay: (ms: number) => (state.delayMs = ms),
		requests: () => state.requests,
		stop,
	};
}

/** n8n stores run data with `flatted` (strings and objects as references into one list): read it back. */
export function unflatten(text: string): unknown {
	const input = JSON.parse(text) as unknown[];
	const seen = new Set<object>();
	const revive = (value: unknown): unknown => {
		if (typeof value !== 'object' || value === null || seen.has(value)) return value;
		seen.add(value);
		const record = value as Record<string, unknown>;
		for (const key of Object.keys(record)) {
			if (typeof record[key] === 'string') record[key] = revive(input[Number(record[key])]);
		}
		return value;
	};
	return revive(input[0]);
}

export type RunData = Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> }; error?: { message?: string } }>>;

/** One execution's run data (each node's tasks), as the editor reads it: GET /rest/executions/:id. */
export async function runDataOf(rest: N8nRest, executionId: string): Promise<RunData> {
	const execution = await rest.request<{ data: string | { resultData: { runData: RunData } } }>('GET', `/executions/${executionId}`);
	const data = (typeof execution.data === 'string' ? unflatten(execution.data) : execution.data) as { resultData: { runData: RunData } };
	return data.resultData.runData;
}

/** The first output item of a node in run data, if the node ran. */
export const firstItemOf = (runData: RunData, node: string) => runData[node]?.[0]?.data?.main?.[0]?.[0]?.json;

/** Lines of n8n's log that speak of a webhook answer that could not be written, or of a crash. */
export function lateAnswerLines(log: string): { webhookResponse: string[]; crashes: string[] } {
	const lines = log.split('\n');
	return {
		webhookResponse: lines.filter((line) => /Webhook-Response|ERR_HTTP_HEADERS_SENT|headers after they are sent/i.test(line)),
		crashes: lines.filter((line) => /unhandled|uncaught|crashed|fatal|exited with/i.test(line)),
	};
}
