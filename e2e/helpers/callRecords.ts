/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * For the Finished Call tests in the real apps and in queue mode: a stand-in CRM that
 * records what n8n sends it, example 4 pointed at it, and a workflow that uploads each
 * call's recording (binary data) to it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { example } from './workflows';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { serveOnLoopback } = require('../../provider-double/loopback') as {
	serveOnLoopback: (
		onRequest: (req: IncomingMessage, res: ServerResponse) => void,
		options: { port?: number; idleTimeoutMs?: number; unref?: boolean },
	) => Promise<{ port: number; stop: () => Promise<void> }>;
};

export interface Received {
	path: string;
	body: Buffer;
	json?: Record<string, unknown>;
}

export interface CrmSink {
	url: string;
	received: Received[];
	/** Call ids posted to the call-back list (example 4), in the order they arrived. */
	callBacks(): string[];
	stop(): Promise<void>;
}

/** A CRM on 127.0.0.1 that answers 200 to everything and keeps every request. */
export async function startCrmSink(): Promise<CrmSink> {
	const received: Received[] = [];
	const server = await serveOnLoopback(
		(req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				const body = Buffer.concat(chunks);
				let json: Record<string, unknown> | undefined;
				try {
					json = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
				} catch {
					json = undefined;
				}
				received.push({ path: req.url ?? '', body, json });
				res.writeHead(200, { 'Content-Type': 'application/json' });
				res.end('{"ok":true}');
			});
		},
		{ idleTimeoutMs: 20 * 60_000 },
	);
	return {
		url: `http://127.0.0.1:${server.port}`,
		received,
		callBacks: () => received.filter((entry) => entry.path === '/missed-call').map((entry) => entry.json?.call_id as string),
		stop: server.stop,
	};
}

const CRM_PLACEHOLDER = 'https://crm.example.com/webhooks/missed-call';

/**
 * Polls every 10 s instead of every minute, so a test waits seconds for the next poll, not
 * a minute: six poll times, each once a minute at its own second (:00, :10, … :50). n8n
 * refuses one poll time under a minute (2.41: any seconds field but a single number; 1.123
 * and 2.8: a `*` in it), not several of a minute each; the poller and its schedule are the
 * ones Every Minute uses.
 */
export const POLL_EVERY_10_SECONDS = {
	item: [0, 10, 20, 30, 40, 50].map((second) => ({ mode: 'custom', cronExpression: `${second} * * * * *` })),
};

/**
 * Example 4 as users import it, its provider host the double and its CRM URL the sink; it
 * polls every 10 s (the example itself polls every minute).
 */
export function missedCallExample(doubleUrl: string, sinkUrl: string) {
	const workflow = JSON.parse(JSON.stringify(example('missed-call-callback.json', doubleUrl)).replaceAll(CRM_PLACEHOLDER, `${sinkUrl}/missed-call`)) as {
		nodes: Array<{ type: string; parameters: Record<string, unknown> }>;
	};
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-smartflo.smartfloTrigger') node.parameters.pollTimes = POLL_EVERY_10_SECONDS;
	}
	return workflow;
}

/**
 * Every finished call of a credential's account with Attach Recording: the recording is
 * uploaded (binary body) to `<sink>/recordings/<call_id>`, a record without one posts a
 * note to `<sink>/no-recording`. Polls every 10 s.
 */
export function recordingsWorkflow(id: string, credential: { id: string; name: string }, sinkUrl: string) {
	return {
		id,
		name: `${id}: finished calls with recordings`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${id}-trigger`,
				name: 'Finished Call',
				type: 'n8n-nodes-smartflo.smartfloTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes: POLL_EVERY_10_SECONDS, event: 'finishedCall', outcome: 'all', filters: {}, recordOptions: { attachRecording: true } },
				credentials: { smartfloApi: credential },
			},
			{
				id: `${id}-if`,
				name: 'Has Recording',
				type: 'n8n-nodes-base.if',
				typeVersion: 2,
				position: [220, 0],
				parameters: {
					conditions: {
						options: { caseSensitive: true, leftValue: '', typeValidation: 'strict' },
						conditions: [{ id: 'has-recording', leftValue: '={{ $json.recording_status }}', rightValue: 'attached', operator: { type: 'string', operation: 'equals' } }],
						combinator: 'and',
					},
					options: {},
				},
			},
			{
				id: `${id}-upload`,
				name: 'Upload Recording',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [440, -100],
				parameters: { method: 'POST', url: `=${sinkUrl}/recordings/{{ $json.call_id }}`, sendBody: true, contentType: 'binaryData', inputDataFieldName: 'recording', options: {} },
			},
			{
				id: `${id}-note`,
				name: 'Note Without Recording',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [440, 100],
				parameters: {
					method: 'POST',
					url: `${sinkUrl}/no-recording`,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify({ call_id: $json.call_id, outcome: $json.outcome, recording_status: $json.recording_status, started_at: $json.started_at }) }}',
					options: {},
				},
			},
		],
		connections: {
			'Finished Call': { main: [[{ node: 'Has Recording', type: 'main', index: 0 }]] },
			'Has Recording': {
				main: [[{ node: 'Upload Recording', type: 'main', index: 0 }], [{ node: 'Note Without Recording', type: 'main', index: 0 }]],
			},
		},
	};
}

/** Waits until `check` holds, looking every 250 ms; fails with what it waited for after `ms`. */
export async function waitUntil(what: string, check: () => boolean, ms: number): Promise<void> {
	const deadline = Date.now() + ms;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`Timed out after ${ms / 1000} s waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}
