'use strict';
/**
 * API Dialplan as the platform runs it (provider-api.md, "API Dialplan"): for an inbound call
 * on a number whose destination is API Dialplan, ask the configured URL where the call goes
 * (method, URL and body template as set in the portal), and act on the answer — a JSON list of
 * actions run in order: recordings are played, the first transfer routes the call. An answer
 * that fails (not 2xx, not a list of known actions, no answer within 10 s) sends the call to
 * the dialplan's failover destination. Both shapes seen in the wild are read: `data` as one
 * value or a list, numbers with or without 91. Only to 127.0.0.1 / localhost.
 */
const http = require('node:http');
const { randomUUID } = require('node:crypto');
const { wallClock } = require('./callRecords');
const { render } = require('./portalWebhooks');
const { USERS, DEPARTMENTS } = require('./seed');

const VARIABLES = ['uuid', 'call_id', 'call_to_number', 'caller_id_number', 'start_stamp'];
const DEFAULT_TEMPLATE = `{${VARIABLES.map((name) => `"${name}": "$${name}"`).join(', ')}}`;
const TRANSFER_TYPES = new Set(['number', 'agent', 'department', 'ivr', 'extension', 'auto_attendant']);

/** "919876543210" and 9876543210 alike: the 10 national digits of an Indian number. */
const national = (value) => String(value).replace(/^(?:\+?91|0)(\d{10})$/, '$1');
const firstOf = (data) => (Array.isArray(data) ? data[0] : data);

/** Where a transfer lands: the live call's destination and agent, as /v1/live_calls would show them. */
function landing(type, data) {
	const values = (Array.isArray(data) ? data : [data]).map(String);
	if (type === 'number') {
		const number = national(values[0]);
		const user = USERS.find((entry) => national(entry.agent.follow_me_number) === number);
		return { destination: number, agent_name: user ? user.name : '' };
	}
	if (type === 'agent') {
		const user = USERS.find((entry) => [entry.agent.id, entry.id].includes(values[0]));
		return { destination: values[0], agent_name: user ? user.name : '' };
	}
	if (type === 'department') {
		const department = DEPARTMENTS.find((entry) => [entry.intercom, entry.id, entry.name].includes(values[0]));
		return { destination: values[0], agent_name: '', department: department ? department.name : '' };
	}
	return { destination: values[0], agent_name: '' };
}

/** The actions of an answer, or why the platform cannot use it. */
function readActions(text) {
	let actions;
	try {
		actions = JSON.parse(text);
	} catch {
		return { problem: 'the answer is not JSON' };
	}
	if (!Array.isArray(actions) || actions.length === 0) return { problem: 'the answer is not a list of actions' };
	for (const action of actions) {
		const transfer = action && action.transfer;
		const recording = action && action.recording;
		if (transfer && TRANSFER_TYPES.has(transfer.type) && firstOf(transfer.data) !== undefined && String(firstOf(transfer.data)) !== '') continue;
		if (recording && ['system', 'url'].includes(recording.type) && firstOf(recording.data) !== undefined) continue;
		return { problem: `an action the platform does not know: ${JSON.stringify(action).slice(0, 80)}` };
	}
	return { actions };
}

/**
 * @param {{ timeZone: () => string, route: (callId: string, fields: Record<string, unknown>) => void }} options
 *   route: changes the live call as the answer (or the failover) says
 */
function createApiDialplan(options) {
	/** did → { url, method, template, failover: { type, data }, timeoutMs } */
	const dialplans = new Map();
	const log = [];
	const inFlight = new Set();
	const aborts = new Set();

	function set({ did, url, method = 'POST', template = DEFAULT_TEMPLATE, failover = { type: 'department', data: '80124' }, timeoutMs = 10_000 }) {
		const target = new URL(url);
		if (target.protocol !== 'http:' || !['127.0.0.1', 'localhost'].includes(target.hostname)) throw new Error(`API Dialplan URL must be http://127.0.0.1 or localhost, not ${url}`);
		dialplans.set(String(did), { url, method, template, failover, timeoutMs });
	}

	function ask(plan, body, callId) {
		return new Promise((resolve) => {
			const target = new URL(plan.url);
			const started = Date.now();
			let path = target.pathname + target.search;
			if (plan.method === 'GET') {
				const query = new URLSearchParams(target.search);
				for (const [key, value] of Object.entries(JSON.parse(body))) query.set(key, String(value));
				path = `${target.pathname}?${query}`;
			}
			const controller = new AbortController();
			aborts.add(controller);
			const headers = plan.method === 'GET' ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
			const req = http.request({ host: '127.0.0.1', port: target.port || 80, path, method: plan.method, headers, signal: controller.signal, timeout: plan.timeoutMs }, (res) => {
				const chunks = [];
				res.on('data', (chunk) => chunks.push(chunk));
				res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8'), ms: Date.now() - started, callId }));
				res.on('error', (error) => resolve({ error: error.message, ms: Date.now() - started, callId }));
			});
			req.on('timeout', () => req.destroy(new Error(`no answer within ${plan.timeoutMs / 1000} s`)));
			req.on('error', (error) => resolve({ error: error.message, ms: Date.now() - started, callId }));
			req.on('close', () => aborts.delete(controller));
			if (plan.method !== 'GET') req.write(body);
			req.end();
		});
	}

	/** An inbound call arrived: whether its number is set to API Dialplan (then the call is routed, in the background). */
	function arrived(call) {
		const plan = dialplans.get(String(call.did));
		if (!plan || call.direction !== 'inbound') return false;
		const variables = {
			uuid: randomUUID(),
			call_id: call.call_id,
			call_to_number: call.did,
			caller_id_number: call.customer_number || call.source,
			start_stamp: wallClock(Date.now(), options.timeZone()),
		};
		const body = render(plan.template, variables);
		const job = ask(plan, body, call.call_id).then((answer) => {
			const read = answer.error ? { problem: answer.error } : answer.status < 200 || answer.status >= 300 ? { problem: `HTTP ${answer.status}` } : readActions(answer.text);
			const entry = { at: Date.now(), callId: call.call_id, url: plan.url, method: plan.method, body, status: answer.status, error: answer.error, answer: answer.text, ms: answer.ms };
			if (read.problem) {
				options.route(call.call_id, { state: 'ringing', routed_by: 'failover', ...landing(plan.failover.type, plan.failover.data) });
				log.push({ ...entry, outcome: 'failover', reason: read.problem });
				return;
			}
			const played = read.actions.filter((action) => action.recording).map((action) => String(firstOf(action.recording.data)));
			const transfer = read.actions.find((action) => action.transfer);
			const fields = transfer ? { state: 'ringing', ...landing(transfer.transfer.type, transfer.transfer.data) } : { state: 'playing' };
			options.route(call.call_id, { routed_by: 'api_dialplan', ...(played.length > 0 ? { played } : {}), ...fields });
			log.push({ ...entry, outcome: 'routed', actions: read.actions });
		});
		inFlight.add(job);
		void job.finally(() => inFlight.delete(job));
		return true;
	}

	return {
		/** Sets a number's destination to API Dialplan: `{ did, url, method?, template?, failover?, timeoutMs? }`. */
		set,
		/** Every request the platform made, with what it got and did (outcome 'routed' or 'failover'). */
		requests: () => log.slice(),
		/** Resolves once no routing request is in flight. */
		async settled() {
			while (inFlight.size > 0) await Promise.all([...inFlight]);
		},
		arrived,
		clear() {
			dialplans.clear();
			log.length = 0;
		},
		stop() {
			for (const controller of aborts) controller.abort();
		},
		list: () => [...dialplans.entries()].map(([did, plan]) => ({ did, ...plan })),
	};
}

module.exports = { createApiDialplan, DIALPLAN_VARIABLES: VARIABLES };
