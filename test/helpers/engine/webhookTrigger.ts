/* eslint-disable @n8n/community-nodes/no-restricted-imports -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { WebhookContext, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type IDataObject,
	type IExecuteResponsePromiseData,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type IWebhookData,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { parse as parseQueryString } from 'node:querystring';

import { PackageCredentialsHelper, type SmartfloCredentials } from './credentialsHelper';
import { additionalDataFor, loadPackage, nodeTypesOf, oneNodeWorkflow, storedNode } from './package';

/**
 * Smartflo Webhook Trigger as the n8n app runs it: an HTTP server on 127.0.0.1 reads each
 * request as n8n's webhook server does (the raw body kept as `rawBody`, JSON, form and
 * plain-text bodies parsed; a JSON body n8n cannot parse refused before the node runs), calls
 * the node's `webhook` with n8n-core's WebhookContext in the mode of a production or test
 * URL, answers as `responseMode: 'onReceived'` does — before the execution — and runs the
 * execution the node asked for through WorkflowExecute, as n8n starts it.
 */

export const WEBHOOK_TRIGGER_TYPE = 'n8n-nodes-smartflo.smartfloWebhookTrigger';
export const WEBHOOK_TRIGGER_NAME = 'Smartflo Webhook Trigger';

export interface Execution {
	/** The trigger node's output items, as the execution saw them. */
	items: INodeExecutionData[];
	mode: 'webhook' | 'manual';
	/** Each node's first output items, by node name. */
	outputs: Record<string, INodeExecutionData[]>;
	/** The execution's error, if it failed. */
	error?: unknown;
}

export interface Answer {
	status: number;
	body: string;
	json?: IDataObject;
	/** How long the answer took, from the request's first byte being read to the answer's end. */
	ms: number;
}

export interface WebhookTrigger {
	/** The production URL (…/webhook/<id>/smartflo) or, with `test: true`, the test URL. */
	url: string;
	executions: Execution[];
	/** Resolves once every execution started so far has finished. */
	settled(): Promise<void>;
	/** Sends one request and returns n8n's answer. */
	send(options: { method?: string; query?: Record<string, string>; body?: string; contentType?: string; headers?: Record<string, string> }): Promise<Answer>;
	stop(): Promise<void>;
	/** Answers a node sent (n8n's sendResponse) after the request had already been answered. */
	lateResponses: number;
}

/** n8n's body parsing of a webhook request (its body-parser.ts): JSON, form and plain text; the raw bytes kept. */
function parseBody(contentType: string, raw: Buffer): { body: unknown } | { refused: string } {
	if (raw.length === 0) return { body: {} };
	const type = contentType.split(';')[0].trim().toLowerCase();
	const text = raw.toString('utf8');
	if (type === 'application/json') {
		try {
			return { body: JSON.parse(text) as unknown };
		} catch (error) {
			return { refused: (error as Error).message };
		}
	}
	// node:querystring, as n8n: flat keys ("a[b]" stays one key), at most 1000.
	if (type === 'application/x-www-form-urlencoded') return { body: { ...parseQueryString(text, undefined, undefined, { maxKeys: 1000 }) } };
	if (type === 'text/plain') return { body: text };
	return { body: undefined };
}

const readAll = async (request: IncomingMessage) => {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
};

/** The little of Express's Response a node's webhook uses: status(), json(), send(), end(). */
function expressResponse(response: ServerResponse) {
	const res = Object.assign(response, {
		status(code: number) {
			response.statusCode = code;
			return res;
		},
		json(body: unknown) {
			response.setHeader('content-type', 'application/json');
			response.end(JSON.stringify(body));
			return res;
		},
		send(body: unknown) {
			response.end(typeof body === 'string' ? body : JSON.stringify(body));
			return res;
		},
	});
	return res;
}

export async function startWebhookTrigger(options: {
	parameters: INodeParameters;
	credentials?: SmartfloCredentials;
	/** A test URL (Listen for test event): the node runs in manual mode. */
	test?: boolean;
	/** The node stored without a Smartflo API credential. */
	withoutCredential?: boolean;
	workflowId?: string;
	nodeId?: string;
	/** Nodes after the trigger, one after another (e.g. a Route Call). */
	after?: INode[];
	/** Node types of the test's own, by type name (a slow or failing step). */
	extraTypes?: Record<string, INodeType>;
}): Promise<WebhookTrigger> {
	const loader = await loadPackage();
	const nodeTypes = nodeTypesOf(loader, options.extraTypes);
	const nodeType = loader.nodeTypes.smartfloWebhookTrigger.type as INodeType;
	const stored = storedNode(options.nodeId ?? 'webhook-trigger', WEBHOOK_TRIGGER_NAME, WEBHOOK_TRIGGER_TYPE, options.parameters);
	const node: INode = options.withoutCredential ? { ...stored, credentials: {} } : { ...stored, webhookId: 'f0e1d2c3-0000-4000-8000-000000000001' };
	const mode = options.test ? 'manual' : 'webhook';
	const executions: Execution[] = [];
	const running = new Set<Promise<void>>();
	const after = options.after ?? [];
	const nodes = [node, ...after];
	const connections = Object.fromEntries(
		nodes.slice(0, -1).map((from, index) => [from.name, { main: [[{ node: nodes[index + 1].name, type: 'main' as const, index: 0 }]] }]),
	);
	const state = { lateResponses: 0 };

	/**
	 * The execution n8n starts. A node's sendResponse (Respond to Webhook, Route Call) reaches
	 * the held request as n8n's responseNode mode writes it: a Buffer body as it is, with its
	 * headers — and, once the request was answered, not at all (n8n logs the failed write).
	 */
	async function execute(workflow: Workflow, data: INodeExecutionData[][], res: ServerResponse) {
		const { hooks } = oneNodeWorkflow(workflow.id, node, mode, nodeTypes);
		// As n8n: a node's sendResponse reaches the request only in the webhook's responseNode mode.
		const description = nodeType.description.webhooks?.find((webhook) => webhook.httpMethod === 'POST');
		const responseMode = workflow.expression.getSimpleParameterValue(node, description?.responseMode ?? 'onReceived', mode, {}, undefined, 'onReceived');
		hooks.addHandler('sendResponse', (sent: IExecuteResponsePromiseData) => {
			if (responseMode !== 'responseNode') return;
			const response = sent as { body?: unknown; headers?: Record<string, string>; statusCode?: number };
			if (res.headersSent) {
				state.lateResponses += 1;
				return;
			}
			const body = Buffer.isBuffer(response.body) ? response.body : Buffer.from(JSON.stringify(response.body ?? ''));
			res.writeHead(response.statusCode ?? 200, response.headers ?? {});
			res.end(body);
		});
		const additionalData = additionalDataFor(new PackageCredentialsHelper(loader, options.credentials ?? ({} as SmartfloCredentials)), hooks);
		const runData = createRunExecutionData({
			executionData: { nodeExecutionStack: [{ node, data: { main: data }, source: null }] },
		});
		const run = await new WorkflowExecute(additionalData, mode, runData).processRunExecutionData(workflow);
		const outputs = Object.fromEntries(Object.entries(run.data.resultData.runData).map(([name, tasks]) => [name, tasks[0]?.data?.main?.[0] ?? []]));
		executions.push({ items: outputs[WEBHOOK_TRIGGER_NAME] ?? [], mode, outputs, error: run.data.resultData.error });
	}

	async function handle(request: IncomingMessage, response: ServerResponse) {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		const res = expressResponse(response);
		const raw = await readAll(request);
		const parsed = parseBody(String(request.headers['content-type'] ?? ''), raw);
		if ('refused' in parsed) {
			res.status(422).json({ code: 422, message: 'Failed to parse request body', hint: parsed.refused });
			return;
		}
		const req = Object.assign(request, { body: parsed.body, rawBody: raw, query: { ...parseQueryString(url.search.slice(1)) } });
		const workflow = new Workflow({ id: options.workflowId ?? 'wf-webhook', nodes, connections, active: !options.test, nodeTypes, staticData: {}, settings: {} });
		const { hooks } = oneNodeWorkflow(workflow.id, node, mode, nodeTypes);
		const additionalData = {
			...additionalDataFor(new PackageCredentialsHelper(loader, options.credentials ?? ({} as SmartfloCredentials)), hooks, node.parameters),
			httpRequest: req,
			httpResponse: res,
		} as never;
		const webhookData = { httpMethod: request.method, node: node.name, path: 'smartflo', webhookDescription: {}, workflowId: workflow.id } as unknown as IWebhookData;
		const context = new WebhookContext(workflow, node, additionalData, mode, webhookData, [], null);
		let result: IWebhookResponseData;
		try {
			result = await nodeType.webhook!.call(context);
		} catch (error) {
			res.status(500).json({ code: 0, message: (error as Error).message });
			return;
		}
		// onReceived: n8n answers before the execution runs; a node that answered itself is left alone.
		if (!result.noWebhookResponse) res.status(200).json(result.webhookResponse ?? { message: 'Workflow was started' });
		if (result.workflowData) {
			const done = execute(workflow, result.workflowData, res).finally(() => running.delete(done));
			running.add(done);
		}
	}

	const server = createServer((request, response) => {
		handle(request, response).catch((error: Error) => {
			if (!response.headersSent) response.writeHead(500).end(error.message);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const url = `http://127.0.0.1:${port}/${options.test ? 'webhook-test' : 'webhook'}/${node.webhookId ?? 'no-id'}/smartflo`;
	// Stops by itself: a test that forgets to stop it does not keep jest alive.
	server.unref();

	return {
		url,
		executions,
		get lateResponses() {
			return state.lateResponses;
		},
		async settled() {
			while (running.size > 0) await Promise.all([...running]);
		},
		async send({ method = 'POST', query = {}, body, contentType = 'application/json', headers = {} }) {
			const target = new URL(url);
			for (const [key, value] of Object.entries(query)) target.searchParams.set(key, value);
			const started = performance.now();
			const response = await fetch(target, {
				method,
				headers: { ...(body === undefined ? {} : { 'content-type': contentType }), ...headers },
				body: method === 'GET' ? undefined : body,
			});
			const text = await response.text();
			let json: IDataObject | undefined;
			try {
				json = JSON.parse(text) as IDataObject;
			} catch {
				json = undefined;
			}
			return { status: response.status, body: text, json, ms: performance.now() - started };
		},
		async stop() {
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
