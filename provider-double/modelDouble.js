'use strict';
/**
 * A stand-in for a language model behind the OpenAI chat-completions API — what n8n's
 * *OpenAI Chat Model* node calls — scripted per test. Zero dependencies; listens on
 * 127.0.0.1 only; records every request body (messages, tools) it receives.
 *
 *   const model = await startModelDouble();
 *   model.script([
 *     () => ({ toolCalls: [{ name: 'Transfer_Call', arguments: { call_id: '1.2', destination: '80124' } }] }),
 *     ({ toolResults }) => ({ text: `Done: ${toolResults.at(-1).content}` }),
 *   ]);
 *   // credential openAiApi: { apiKey: 'any', url: model.url }   (url ends in /v1)
 *
 * Each POST /v1/chat/completions consumes the next step of the script. A step is a function
 * of what the model received (the whole body, its messages, its tools, and the tool results
 * in it) returning either tool calls or a final text. A request after the last step is
 * answered 500 and recorded as unexpected. `stream: true` is answered as server-sent
 * `chat.completion.chunk`s, anything else as one `chat.completion`. GET /v1/models lists
 * one model. It stops after `idleTimeoutMs` without requests (default 10 minutes) and
 * never keeps the process alive.
 */
const { readBody, send, serveOnLoopback } = require('./loopback');

/**
 * @typedef {{ role: string, content?: unknown, tool_calls?: Array<{ id: string, type: string, function: { name: string, arguments: string } }>, tool_call_id?: string, name?: string }} ChatMessage
 * @typedef {{ type: string, function: { name: string, description?: string, parameters?: any } }} ChatTool
 * @typedef {{ model?: string, messages: ChatMessage[], tools?: ChatTool[], stream?: boolean, [key: string]: unknown }} ChatRequest
 * @typedef {{ body: ChatRequest, messages: ChatMessage[], tools: ChatTool[], toolResults: Array<{ toolCallId: string, content: string }>, step: number }} StepInput
 * @typedef {{ toolCalls: Array<{ name: string, arguments: Record<string, unknown> | string }> } | { text: string }} StepReply
 * @typedef {(input: StepInput) => StepReply} Step
 */

const MODEL_ID = 'gpt-4o-mini';



/** Text of a message whose content may be a string or a list of content parts. */
function textOf(content) {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) return content.map((part) => (typeof part === 'string' ? part : (part?.text ?? ''))).join('');
	return content === undefined || content === null ? '' : JSON.stringify(content);
}

/** @param {{ port?: number, idleTimeoutMs?: number, unref?: boolean }} [options] */
async function startModelDouble(options = {}) {
	const idleTimeoutMs = options.idleTimeoutMs ?? 10 * 60_000;
	/** @type {Step[]} */
	let steps = [];
	let nextStep = 0;
	let toolCallCount = 0;
	/** @type {Array<{ method: string, path: string, headers: Record<string, unknown>, body: ChatRequest | undefined }>} */
	const requests = [];
	/** Requests nobody scripted an answer for (or that failed to parse), with the reason. */
	const unexpected = [];

	function completion(reply, created) {
		const id = `chatcmpl-double-${requests.length}`;
		if ('text' in reply) {
			return { id, created, message: { role: 'assistant', content: reply.text }, finishReason: 'stop' };
		}
		const toolCalls = reply.toolCalls.map((call) => ({
			id: `call_double_${++toolCallCount}`,
			type: 'function',
			function: {
				name: call.name,
				arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
			},
		}));
		return { id, created, message: { role: 'assistant', content: null, tool_calls: toolCalls }, finishReason: 'tool_calls' };
	}

	const usage = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };

	function answerJson(res, answer, model) {
		send(res, 200, {
			id: answer.id,
			object: 'chat.completion',
			created: answer.created,
			model,
			choices: [{ index: 0, message: answer.message, logprobs: null, finish_reason: answer.finishReason }],
			usage,
		});
	}

	function answerStream(res, answer, model, includeUsage) {
		res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
		const chunk = (delta, finishReason = null) =>
			`data: ${JSON.stringify({
				id: answer.id,
				object: 'chat.completion.chunk',
				created: answer.created,
				model,
				choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
			})}\n\n`;
		let out = chunk({ role: 'assistant', content: answer.message.content === null ? null : '' });
		if (answer.message.tool_calls) {
			answer.message.tool_calls.forEach((call, index) => {
				out += chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] });
				out += chunk({ tool_calls: [{ index, function: { arguments: call.function.arguments } }] });
			});
		} else {
			out += chunk({ content: answer.message.content });
		}
		out += chunk({}, answer.finishReason);
		if (includeUsage) {
			out += `data: ${JSON.stringify({ id: answer.id, object: 'chat.completion.chunk', created: answer.created, model, choices: [], usage })}\n\n`;
		}
		out += 'data: [DONE]\n\n';
		res.end(out);
	}

	async function handle(req, res) {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const path = url.pathname.replace(/\/+$/, '');
		const raw = req.method === 'POST' ? await readBody(req) : '';
		let body;
		try {
			body = raw ? JSON.parse(raw) : undefined;
		} catch {
			body = undefined;
		}
		const headers = { ...req.headers };
		delete headers.authorization; // never keep the API key
		requests.push({ method: req.method ?? 'GET', path, headers, body });

		if (req.method === 'GET' && (path === '/v1/models' || path === '/models')) {
			send(res, 200, { object: 'list', data: [{ id: MODEL_ID, object: 'model', created: 0, owned_by: 'model-double' }] });
			return;
		}
		if (req.method !== 'POST' || !(path === '/v1/chat/completions' || path === '/chat/completions')) {
			unexpected.push({ path, reason: `no route ${req.method} ${path}` });
			send(res, 404, { error: { message: `model double: no route ${req.method} ${path}`, type: 'invalid_request_error' } });
			return;
		}
		if (!body || !Array.isArray(body.messages)) {
			unexpected.push({ path, reason: 'body without messages' });
			send(res, 400, { error: { message: 'model double: a body with messages is required', type: 'invalid_request_error' } });
			return;
		}
		const step = steps[nextStep];
		if (!step) {
			unexpected.push({ path, reason: `request ${nextStep + 1} but only ${steps.length} scripted steps` });
			send(res, 500, { error: { message: 'model double: no scripted step left', type: 'server_error' } });
			return;
		}
		const index = nextStep++;
		const messages = body.messages;
		const toolResults = messages
			.filter((message) => message.role === 'tool')
			.map((message) => ({ toolCallId: String(message.tool_call_id), content: textOf(message.content) }));
		/** @type {StepReply} */
		let reply;
		try {
			reply = step({ body, messages, tools: body.tools ?? [], toolResults, step: index });
		} catch (error) {
			unexpected.push({ path, reason: `step ${index + 1} threw: ${error instanceof Error ? error.message : String(error)}` });
			send(res, 500, { error: { message: `model double: step ${index + 1} threw`, type: 'server_error' } });
			return;
		}
		const answer = completion(reply, Math.floor(Date.now() / 1000));
		const model = typeof body.model === 'string' ? body.model : MODEL_ID;
		if (body.stream === true) {
			answerStream(res, answer, model, Boolean(body.stream_options && body.stream_options.include_usage));
		} else {
			answerJson(res, answer, model);
		}
	}

	const { port, stop } = await serveOnLoopback(
		(req, res) => {
			handle(req, res).catch((error) => send(res, 500, { error: { message: String(error), type: 'server_error' } }));
		},
		{ port: options.port, idleTimeoutMs, unref: options.unref },
	);

	return {
		/** The base URL for the openAiApi credential's `url` field (with /v1). */
		url: `http://127.0.0.1:${port}/v1`,
		port,
		/** Replaces the script and forgets every request: one script per test. @param {Step[]} script */
		script(script) {
			steps = [...script];
			nextStep = 0;
			requests.length = 0;
			unexpected.length = 0;
		},
		/** Every request since the last script(), API key removed. */
		requests,
		/** The chat-completion bodies received since the last script(), in order. */
		completions() {
			return requests.filter((entry) => entry.method === 'POST' && entry.path.endsWith('/chat/completions')).map((entry) => /** @type {ChatRequest} */ (entry.body));
		},
		unexpected,
		stop,
	};
}

module.exports = { startModelDouble, MODEL_ID };
