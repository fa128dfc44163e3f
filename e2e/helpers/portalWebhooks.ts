/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * Smartflo Webhook Trigger in a real n8n app: example 6 pointed at the provider and CRM
 * doubles, the URLs a user pastes into the portal, and the editor's REST calls (owner login,
 * "Listen for test event", the executions list) the tests use.
 */
import { bodyTemplate, portalEvent } from '../../nodes/Smartflo/webhook/portalEvents';
import { example } from './workflows';

export const EXAMPLE_6 = {
	file: 'caller-owner-answers.json',
	id: 'smartfloExample6',
	trigger: 'Smartflo Webhook Trigger',
	webhookId: '6a1e0c55-1b7e-4c39-8f51-00000000060a',
} as const;

/** The production webhook path n8n registers for the trigger: `<webhookId>/smartflo`. */
export const EXAMPLE_6_PATH = `${EXAMPLE_6.webhookId}/smartflo`;

/** A Secret the tests type into the trigger. */
export const PORTAL_SECRET = 'e2e-portal-secret-7f3c9a1e5b2d4c8f';

/**
 * Example 6 with its provider host pointed at the provider double, its CRM at the CRM
 * double, the trigger's Secret set and, if given, another Smartflo credential on the transfer.
 */
export function callerOwnerExample(providerUrl: string, crmUrl: string, secret = PORTAL_SECRET, credentialRef?: { id: string; name: string }) {
	const workflow = JSON.parse(JSON.stringify(example(EXAMPLE_6.file, providerUrl)).replaceAll('https://crm.example.com', crmUrl)) as {
		id: string;
		nodes: Array<{ type: string; parameters: Record<string, unknown>; credentials?: Record<string, unknown> }>;
	};
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-smartflo.smartfloWebhookTrigger') node.parameters.secret = secret;
		if (credentialRef && node.credentials?.smartfloApi) node.credentials.smartfloApi = credentialRef;
	}
	return workflow;
}

/** The URL a user pastes into a portal webhook: production (`webhook`) or test (`webhook-test`). */
export function portalUrl(port: number, event: string, secret = PORTAL_SECRET, kind: 'webhook' | 'webhook-test' = 'webhook'): string {
	return `http://127.0.0.1:${port}/${kind}/${EXAMPLE_6_PATH}?event=${event}&secret=${encodeURIComponent(secret)}`;
}

/** The body template the node shows for an event, as a user pastes it into the portal. */
export function templateOf(code: string): string {
	const event = portalEvent(code);
	if (!event) throw new Error(`No portal event ${code}`);
	return bodyTemplate(event);
}

export interface Execution {
	id: string;
	mode: string;
	status: string;
	finished?: boolean;
}

/** n8n's REST API as the editor uses it, logged in as the instance owner. */
export class N8nRest {
	private constructor(
		private readonly base: string,
		private readonly cookie: string,
	) {}

	/** Sets up the owner of a fresh instance (which logs them in). */
	static async owner(port: number): Promise<N8nRest> {
		const base = `http://127.0.0.1:${port}/rest`;
		const response = await fetch(`${base}/owner/setup`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ email: 'owner@example.test', firstName: 'E2E', lastName: 'Owner', password: 'E2e-owner-Passw0rd' }),
		});
		if (response.status !== 200) throw new Error(`owner setup answered ${response.status}: ${await response.text()}`);
		return new N8nRest(base, response.headers.get('set-cookie')?.split(';')[0] ?? '');
	}

	async request<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.base}${path}`, {
			method,
			headers: { 'Content-Type': 'application/json', cookie: this.cookie },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} /rest${path} answered ${response.status}: ${text.slice(0, 500)}`);
		return (JSON.parse(text) as { data: T }).data;
	}

	/** The workflow's executions, newest first (1.x and 2.x shapes). */
	async executions(workflowId: string): Promise<Execution[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const data = await this.request<{ results?: Execution[] } | Execution[]>('GET', `/executions?filter=${filter}&limit=100`);
		const results = Array.isArray(data) ? data : (data.results ?? []);
		return results.map((execution) => ({ ...execution, id: String(execution.id) }));
	}

	/**
	 * What the editor's "Execute workflow" / "Listen for test event" on a trigger sends:
	 * POST /rest/workflows/:id/run from that trigger. 1.x and 2.8 read the workflow from the
	 * body; 2.41 reads it from the database and drops the body's copy. n8n then waits for one
	 * delivery to the test URL: `{ waitingForWebhook: true }`.
	 */
	async listenForTestEvent(workflowId: string, triggerName: string): Promise<unknown> {
		const workflowData = await this.request<Record<string, unknown>>('GET', `/workflows/${workflowId}`);
		return await this.request('POST', `/workflows/${workflowId}/run`, { workflowData, triggerToStartFrom: { name: triggerName } });
	}
}
