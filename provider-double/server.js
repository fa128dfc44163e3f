'use strict';
/**
 * A stand-in for the Smartflo / Acefone / Servetel API, for tests, the demo and
 * `npm start`. Zero dependencies; listens on 127.0.0.1 only. It checks the token,
 * validates bodies the way the provider documents them, records every request, and
 * can be told to fail: any status, HTML pages, bad or empty bodies, `success: false`,
 * a hang or a reset connection.
 *
 * In-process: `const double = await startProviderDouble(); … await double.stop();`
 * Out of process: `node provider-double/cli.js` and the /__double/* control routes.
 */
const { createCallRecords } = require('./callRecords');
const { readBody, send, serveOnLoopback } = require('./loopback');
const { createPortalWebhooks, splitVariables } = require('./portalWebhooks');
const { createApiDialplan } = require('./apiDialplan');
const { LIVE_CALLS, USERS, DEPARTMENTS, CALL_RECORDS } = require('./seed');

const DEFAULT_TOKENS = {
	// Allowed everything.
	'sandbox-token': ['calls', 'users'],
	// A valid token the portal did not grant the call-operations API (answers 403 there).
	'users-only-token': ['users'],
};

/**
 * @typedef {{ method: string, path: string, query: Record<string, string>,
 *   headers: Record<string, string | string[] | undefined>, rawBody: string, json: any, at: number,
 *   status?: number, rateLimited?: boolean }} RecordedRequest
 * @typedef {{ status?: number, json?: unknown, html?: string, text?: string, contentType?: string,
 *   headers?: Record<string, string>, hang?: boolean, reset?: boolean, delayMs?: number, dripMs?: number }} FaultResponse
 *   dripMs: send the body (text or json) one byte every dripMs milliseconds
 * @typedef {{ path?: string, method?: string, callIds?: string[], times?: number,
 *   when?: (request: RecordedRequest) => boolean, respond?: FaultResponse }} Fault
 */

/** Portal accounts for POST /v1/auth/login (email, or login_id as Acefone UK calls it). */
const DEFAULT_ACCOUNTS = {
	'supervisor@example.test': { password: 'correct horse battery', scopes: ['calls', 'users'] },
	'locked@example.test': { password: 'whatever', locked: true, scopes: [] },
};

const CALL_ID = /^\d+\.\d+$/;
const OPERATION_NAMES = { 1: 'monitor', 2: 'whisper', 3: 'barge', 4: 'transfer' };



function tokenOf(header) {
	if (typeof header !== 'string') return undefined;
	// Both forms are reported to work against the real platform; "Bearer Bearer x" is not.
	const match = /^(?:Bearer )?([^\s]+)$/.exec(header);
	return match ? match[1] : undefined;
}

/** "00:14:05" ↔ seconds, as the provider writes call_time. */
function secondsOf(callTime) {
	const parts = String(callTime ?? '').split(':').map(Number);
	if (parts.length === 0 || parts.some((part) => !Number.isFinite(part))) return 0;
	return parts.reduce((total, part) => total * 60 + part, 0);
}

function callTimeOf(seconds) {
	const whole = Math.max(0, Math.floor(seconds));
	return [Math.floor(whole / 3600), Math.floor(whole / 60) % 60, whole % 60].map((part) => String(part).padStart(2, '0')).join(':');
}

/** Body checks as the provider documents `POST /v1/call/options`. */
function checkCallOptions(body, knownCalls) {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return [400, 'Body must be a JSON object'];
	const type = typeof body.type === 'string' ? Number(body.type) : body.type;
	if (![1, 2, 3, 4].includes(type)) return [422, 'type must be 1 (monitor), 2 (whisper), 3 (barge) or 4 (transfer)'];
	if (typeof body.call_id !== 'string' || !CALL_ID.test(body.call_id)) return [422, 'call_id must be a string like 1758782566.8131'];
	if (type === 4) {
		const intercom = body.intercom;
		const valid =
			(typeof intercom === 'string' && /^\d+$/.test(intercom)) ||
			(Array.isArray(intercom) && intercom.length > 0 && intercom.every((entry) => typeof entry === 'string' && /^\d+$/.test(entry)));
		if (!valid) return [422, 'intercom is required for a transfer: a string (or array of strings) of digits'];
		if ('agent_id' in body) return [422, 'agent_id is not used by a transfer'];
	} else {
		if (typeof body.agent_id !== 'string' || body.agent_id === '') return [422, 'agent_id is required for monitor, whisper and barge'];
		if ('intercom' in body) return [422, 'intercom is only used by a transfer'];
	}
	if (!knownCalls.some((call) => call.call_id === body.call_id)) return [200, 'Call not found or already ended'];
	if (type !== 4 && !USERS.some((user) => user.agent.id === body.agent_id)) return [200, 'Agent not found'];
	return undefined;
}

/** Click to call: the agent's phone rings this long, then the customer's this long, then they talk. */
const CLICK_TO_CALL = { agentRingsSeconds: 5, customerRingsSeconds: 10 };
const PHONE = /^\+?\d{2,15}$/;

/** Body checks for `POST /v1/click_to_call {agent_number, destination_number, caller_id, async}`. */
function checkClickToCall(body) {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return [400, 'Body must be a JSON object'];
	const digits = (value) => (typeof value === 'number' ? String(value) : value);
	if (typeof digits(body.agent_number) !== 'string' || !PHONE.test(digits(body.agent_number))) return [422, 'agent_number is required: the agent’s number or extension, digits'];
	if (typeof digits(body.destination_number) !== 'string' || !PHONE.test(digits(body.destination_number))) return [422, 'destination_number is required: the customer’s number, digits'];
	if (body.caller_id !== undefined && body.caller_id !== '' && !PHONE.test(String(body.caller_id))) return [422, 'caller_id must be one of your numbers (DID), digits'];
	return undefined;
}

/** The agent a click to call rings: by agent id, follow-me number or extension. */
function agentOf(agentNumber) {
	return USERS.find((user) => [user.agent.id, user.agent.follow_me_number, user.extension].includes(agentNumber));
}

/**
 * @param {{ port?: number, idleTimeoutMs?: number, unref?: boolean, tokens?: Record<string, string[]>,
 *   accounts?: Record<string, { password: string, scopes: string[], locked?: boolean }>, timeZone?: string,
 *   webhookRetryDelayMs?: number, webhookTimeoutMs?: number }} [options]
 *   timeZone: the account's time zone of the call records and webhook stamps (default Asia/Kolkata)
 *   webhookRetryDelayMs, webhookTimeoutMs: between a portal webhook's retries (default 1000) and its timeout (default 10000)
 */
async function startProviderDouble(options = {}) {
	const tokens = { ...DEFAULT_TOKENS, ...(options.tokens ?? {}) };
	const accounts = { ...DEFAULT_ACCOUNTS, ...(options.accounts ?? {}) };
	/** Login tokens issued by /v1/auth/login or /v1/auth/refresh: token → { scopes, expired } */
	const loginTokens = new Map();
	let loginCount = 0;
	const idleTimeoutMs = options.idleTimeoutMs ?? 0;
	const state = {
		/** @type {RecordedRequest[]} */ requests: [],
		/** @type {Fault[]} */ faults: [],
		liveCalls: LIVE_CALLS.map((call) => ({ ...call })),
		/** Accept any well-formed call id as live (load tests and benchmarks). */
		acceptAnyCall: false,
		/**
		 * A provider's rate limit on call operations, off unless set: beyond `perSecond`
		 * accepted in the trailing second, answer 429 with Retry-After.
		 * @type {{ perSecond: number, retryAfter: number } | undefined}
		 */
		rateLimit: undefined,
		/** Requests being handled right now, and the most there were at once since reset. */
		inFlight: 0,
		maxInFlight: 0,
		/** The double's clock in seconds: frozen unless advanced or switched to real time. */
		advancedSeconds: 0,
		realTimeSince: undefined,
		startedCalls: 0,
	};
	/** When each live call started on the double's clock; calls pushed from outside keep their call_time. */
	const startedAt = new WeakMap();
	/** Calls placed by click to call: call → { agent, customer }, the two legs it rings in turn. */
	const clickToCalls = new WeakMap();
	/** Requests to the recordings host, which the API's log does not show. @type {RecordedRequest[]} */
	const recordingRequests = [];
	let recordingsUrl = '';
	const callRecords = createCallRecords({ timeZone: options.timeZone, recordingsUrl: () => recordingsUrl });
	const seedRecords = () => CALL_RECORDS.forEach((record) => callRecords.add(record));
	const portalWebhooks = createPortalWebhooks({
		timeZone: callRecords.timeZone,
		liveCall: (callId) => {
			const call = state.liveCalls.find((entry) => entry.call_id === callId);
			return call ? callNow(call) : undefined;
		},
		retryDelayMs: options.webhookRetryDelayMs,
		timeoutMs: options.webhookTimeoutMs,
	});
	// A number set to API Dialplan: its calls wait (no agent, no destination) until the URL's answer routes them.
	const apiDialplan = createApiDialplan({
		timeZone: callRecords.timeZone,
		route: (callId, fields) => updateCall(callId, fields),
	});
	seedRecords();

	function clock() {
		const real = state.realTimeSince === undefined ? 0 : (Date.now() - state.realTimeSince) / 1000;
		return state.advancedSeconds + real;
	}

	function ageFrom(call) {
		startedAt.set(call, clock() - secondsOf(call.call_time));
		return call;
	}
	state.liveCalls.forEach(ageFrom);

	/** The live calls as the provider answers them now: call_time grows with the clock. */
	function liveCallsNow() {
		return state.liveCalls.map(callNow);
	}

	function callNow(call) {
		if (!startedAt.has(call)) return { ...call };
		const seconds = clock() - startedAt.get(call);
		return { ...call, call_time: callTimeOf(seconds), ...clickToCallStage(call, seconds) };
	}

	/** A click to call rings the agent first; once the agent answers, the customer; then they talk. */
	function clickToCallStage(call, seconds) {
		const legs = clickToCalls.get(call);
		if (!legs) return {};
		if (seconds < CLICK_TO_CALL.agentRingsSeconds) return { state: 'ringing', destination: legs.agent };
		if (seconds < CLICK_TO_CALL.agentRingsSeconds + CLICK_TO_CALL.customerRingsSeconds) return { state: 'ringing', destination: legs.customer };
		return { state: 'answered', destination: legs.customer };
	}

	/** `POST /v1/click_to_call`: a new outbound call that rings the agent, then the customer. */
	function clickToCall(body) {
		const agentNumber = String(body.agent_number);
		const customer = String(body.destination_number).replace(/^\+/, '');
		const agent = agentOf(agentNumber);
		const call = startCall({
			direction: 'outbound',
			source: agentNumber,
			destination: agentNumber,
			did: body.caller_id ? String(body.caller_id) : '8049990000',
			state: 'ringing',
			agent_name: agent ? agent.name : '',
			customer_number: customer,
			service: 'Click to Call',
		});
		const live = state.liveCalls.find((entry) => entry.call_id === call.call_id);
		clickToCalls.set(live, { agent: agentNumber, customer });
		return liveCallsNow().find((entry) => entry.call_id === call.call_id);
	}

	/**
	 * A call comes in (or goes out): provider fields, call_time how long it has run already.
	 * Fields named like a portal webhook variable (campaign_name, ref_id, …) go to its webhooks only.
	 */
	function startCall(allFields = {}) {
		const { call: fields, variables } = splitVariables(allFields);
		state.startedCalls += 1;
		const n = state.startedCalls;
		const call = ageFrom({
			id: `n${n}`,
			call_id: `${1758790000 + n}.${9000 + n}`,
			direction: 'inbound',
			source: `98765${String(10000 + n).slice(-5)}`,
			did: '8049990000',
			destination: '0502842370097',
			state: 'answered',
			agent_name: 'Asha Rao',
			customer_number: `98765${String(10000 + n).slice(-5)}`,
			call_time: '00:00:00',
			...fields,
		});
		if (!('customer_number' in fields) && fields.source) call.customer_number = fields.source;
		const routed = apiDialplan.list().some((plan) => plan.did === String(call.did)) && call.direction === 'inbound';
		if (routed) Object.assign(call, { state: 'in_dialplan', destination: '', agent_name: '' });
		state.liveCalls.push(call);
		portalWebhooks.started(callNow(call), variables);
		if (routed) apiDialplan.arrived(callNow(call));
		return { ...call };
	}

	/**
	 * A call hangs up: it is gone from /v1/live_calls, and its record is in the call records
	 * (answered with a recording if it was answered, else missed). Whether it was live.
	 */
	function endCall(callId) {
		const index = state.liveCalls.findIndex((call) => call.call_id === callId);
		if (index < 0) return false;
		const call = callNow(state.liveCalls[index]);
		const legs = clickToCalls.get(state.liveCalls[index]);
		state.liveCalls.splice(index, 1);
		const seconds = secondsOf(call.call_time);
		const answered = call.state === 'answered';
		const record = callRecords.add({
			startedAgoSeconds: seconds,
			answered,
			call_id: call.call_id,
			direction: call.direction,
			agent_name: answered ? call.agent_name : '',
			agent_number: answered ? (call.direction === 'outbound' ? call.source : call.destination) : '',
			client_number: call.customer_number,
			did_number: call.did,
			call_duration: seconds,
			answered_seconds: answered ? Math.max(0, seconds - 10) : 0,
		});
		// A click to call's stages: the agent's phone rang, then the customer's, then they talked.
		const { agentRingsSeconds: agentRings, customerRingsSeconds: customerRings } = CLICK_TO_CALL;
		const stages = legs
			? {
					answeredAt: agentRings + customerRings,
					variables: { agent_ring_time: String(Math.min(seconds, agentRings)), customer_ring_time: String(Math.max(0, Math.min(seconds - agentRings, customerRings))) },
				}
			: {};
		portalWebhooks.ended(call, { recordingUrl: record.recording_url, ...stages });
		return true;
	}

	/**
	 * Changes a live call (state, agent, …) as the provider would while it runs. Fields named
	 * like a portal webhook variable (digit_pressed, …) go to its webhooks only.
	 */
	function updateCall(callId, allFields) {
		const call = state.liveCalls.find((entry) => entry.call_id === callId);
		if (!call) return false;
		const { call: fields, variables } = splitVariables(allFields);
		const { call_time: callTime, ...rest } = fields;
		Object.assign(call, rest);
		if (callTime !== undefined) ageFrom(Object.assign(call, { call_time: callTime }));
		portalWebhooks.updated(callNow(call), fields, variables);
		return true;
	}

	function advance(seconds) {
		state.advancedSeconds += Number(seconds) || 0;
	}

	function useRealTime(on) {
		if (on && state.realTimeSince === undefined) state.realTimeSince = Date.now();
		if (!on && state.realTimeSince !== undefined) {
			state.advancedSeconds = clock();
			state.realTimeSince = undefined;
		}
	}

	function resetCalls() {
		state.liveCalls.splice(0, state.liveCalls.length, ...LIVE_CALLS.map((call) => ({ ...call })));
		state.advancedSeconds = 0;
		state.realTimeSince = undefined;
		state.startedCalls = 0;
		state.liveCalls.forEach(ageFrom);
		callRecords.clear();
		seedRecords();
	}

	function matchFault(entry) {
		for (const fault of state.faults) {
			if (fault.times !== undefined && fault.times <= 0) continue;
			if (fault.path && fault.path !== entry.path) continue;
			if (fault.method && fault.method !== entry.method) continue;
			if (fault.callIds && !fault.callIds.includes(entry.json?.call_id)) continue;
			if (fault.when && !fault.when(entry)) continue;
			if (fault.times !== undefined) fault.times -= 1;
			return fault;
		}
		return undefined;
	}

	/** Whether `entry` goes over the rate limit: counts the call operations accepted in the last second. */
	function overRateLimit(entry) {
		let accepted = 0;
		for (let index = state.requests.length - 1; index >= 0; index -= 1) {
			const earlier = state.requests[index];
			if (earlier.at <= entry.at - 1000) break;
			if (earlier !== entry && earlier.path === '/v1/call/options' && !earlier.rateLimited) accepted += 1;
		}
		return accepted >= state.rateLimit.perSecond;
	}

	async function applyFault(fault, req, res) {
		const respond = fault.respond ?? {};
		if (respond.hang) return; // Keep the socket open and never answer.
		if (respond.delayMs) await new Promise((resolve) => setTimeout(resolve, respond.delayMs));
		if (respond.reset) {
			req.socket.destroy();
			return;
		}
		if (respond.dripMs) {
			// Headers at once, then the body a byte at a time: a connection that never goes quiet.
			const text = respond.text ?? JSON.stringify(respond.json ?? {});
			res.writeHead(respond.status ?? 200, { 'Content-Type': respond.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(text) });
			for (const byte of Buffer.from(text)) {
				if (res.destroyed) return;
				res.write(Buffer.from([byte]));
				await new Promise((resolve) => setTimeout(resolve, respond.dripMs));
			}
			res.end();
			return;
		}
		const status = respond.status ?? 200;
		const headers = respond.headers ?? {};
		if (respond.text !== undefined || respond.html !== undefined) {
			const text = respond.html ?? respond.text;
			const type = respond.contentType ?? (respond.html !== undefined ? 'text/html' : 'text/plain');
			res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text), ...headers });
			res.end(text);
			return;
		}
		send(res, status, respond.json ?? { success: false, message: `Injected failure ${status}` }, headers);
	}

	async function control(req, res, path, raw) {
		if (path === '/__double/requests' && req.method === 'GET') return send(res, 200, state.requests);
		if (path === '/__double/reset' && req.method === 'POST') {
			state.requests.length = 0;
			state.faults.length = 0;
			state.rateLimit = undefined;
			const calls = Boolean(JSON.parse(raw || '{}').calls);
			if (calls) resetCalls();
			portalWebhooks.reset(calls);
			apiDialplan.clear();
			return send(res, 200, { ok: true });
		}
		if (path.startsWith('/__double/webhooks')) return webhookRoutes(req, res, path, raw);
		if (path === '/__double/api-dialplan' && req.method === 'POST') {
			try {
				apiDialplan.set(JSON.parse(raw || '{}'));
				return send(res, 200, { ok: true });
			} catch (error) {
				return send(res, 400, { ok: false, message: error.message });
			}
		}
		if (path === '/__double/api-dialplan' && req.method === 'GET') return send(res, 200, apiDialplan.list());
		if (path === '/__double/api-dialplan/requests' && req.method === 'GET') return send(res, 200, apiDialplan.requests());
		if (path === '/__double/calls' && req.method === 'GET') return send(res, 200, liveCallsNow());
		if (path === '/__double/call-records' && req.method === 'GET') return send(res, 200, callRecords.all());
		if (path === '/__double/call-records' && req.method === 'POST') return send(res, 200, callRecords.add(JSON.parse(raw || '{}')));
		if (path === '/__double/calls' && req.method === 'POST') return send(res, 200, startCall(JSON.parse(raw || '{}')));
		const callPath = /^\/__double\/calls\/([^/]+)$/.exec(path);
		if (callPath && req.method === 'DELETE') {
			const ended = endCall(decodeURIComponent(callPath[1]));
			return send(res, ended ? 200 : 404, { ok: ended });
		}
		if (callPath && req.method === 'PATCH') {
			const updated = updateCall(decodeURIComponent(callPath[1]), JSON.parse(raw || '{}'));
			return send(res, updated ? 200 : 404, { ok: updated });
		}
		if (path === '/__double/clock' && req.method === 'POST') {
			const { advanceSeconds, realTime } = JSON.parse(raw || '{}');
			if (advanceSeconds !== undefined) advance(advanceSeconds);
			if (realTime !== undefined) useRealTime(Boolean(realTime));
			return send(res, 200, { ok: true, seconds: clock() });
		}
		if (path === '/__double/faults' && req.method === 'POST') {
			state.faults.push(JSON.parse(raw || '{}'));
			return send(res, 200, { ok: true });
		}
		if (path === '/__double/logins' && req.method === 'GET') return send(res, 200, { logins: loginCount });
		if (path === '/__double/expire-logins' && req.method === 'POST') {
			for (const entry of loginTokens.values()) entry.expired = true;
			return send(res, 200, { ok: true });
		}
		if (path === '/__double/settings' && req.method === 'POST') {
			Object.assign(state, { acceptAnyCall: Boolean(JSON.parse(raw || '{}').acceptAnyCall) });
			return send(res, 200, { ok: true });
		}
		if (path === '/__double/rate-limit' && req.method === 'POST') {
			const { perSecond, retryAfter = 1 } = JSON.parse(raw || '{}');
			state.rateLimit = perSecond > 0 ? { perSecond, retryAfter } : undefined;
			return send(res, 200, { ok: true });
		}
		if (path === '/__double/faults' && req.method === 'DELETE') {
			state.faults.length = 0;
			return send(res, 200, { ok: true });
		}
		return send(res, 404, { success: false, message: 'Unknown control route' });
	}

	/** The portal's webhooks: register, list, clear, the attempts, and a delivery on demand. */
	async function webhookRoutes(req, res, path, raw) {
		const body = JSON.parse(raw || '{}');
		if (path === '/__double/webhooks' && req.method === 'POST') {
			try {
				return send(res, 200, { ok: true, id: portalWebhooks.add(body) });
			} catch (error) {
				return send(res, 400, { ok: false, message: error.message });
			}
		}
		if (path === '/__double/webhooks' && req.method === 'GET') return send(res, 200, portalWebhooks.list());
		if (path === '/__double/webhooks' && req.method === 'DELETE') {
			portalWebhooks.clear();
			return send(res, 200, { ok: true });
		}
		const one = /^\/__double\/webhooks\/(wh\d+)$/.exec(path);
		if (one && req.method === 'DELETE') {
			const removed = portalWebhooks.remove(one[1]);
			return send(res, removed ? 200 : 404, { ok: removed });
		}
		if (path === '/__double/webhooks/deliveries' && req.method === 'GET') {
			// ?settled=1 answers once no delivery is in flight.
			if (new URL(req.url, 'http://127.0.0.1').searchParams.get('settled')) await portalWebhooks.settled();
			return send(res, 200, portalWebhooks.deliveries());
		}
		if (path === '/__double/webhooks/deliver' && req.method === 'POST') {
			// Answers at once; the attempts show in /__double/webhooks/deliveries.
			const delivering = portalWebhooks.deliver(body.trigger, String(body.callId ?? ''), body.variables ?? {});
			const refused = await Promise.race([delivering.then(() => undefined, (error) => error), new Promise((resolve) => setImmediate(resolve))]);
			if (refused) return send(res, 400, { ok: false, message: refused.message });
			return send(res, 202, { ok: true });
		}
		return send(res, 404, { success: false, message: 'Unknown control route' });
	}

	async function handle(req, res) {
		const url = new URL(req.url, 'http://127.0.0.1');
		const raw = await readBody(req);
		if (url.pathname.startsWith('/__double/')) return control(req, res, url.pathname, raw);

		let json;
		try {
			json = raw ? JSON.parse(raw) : undefined;
		} catch {
			json = undefined;
		}
		const entry = {
			method: req.method,
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers: { ...req.headers },
			rawBody: raw,
			json,
			at: Date.now(),
		};
		state.requests.push(entry);
		// The status it was answered with, once answered (a hang or reset leaves none).
		res.once('finish', () => (entry.status = res.statusCode));

		const fault = matchFault(entry);
		if (fault) return applyFault(fault, req, res);
		if (state.rateLimit && entry.path === '/v1/call/options' && overRateLimit(entry)) {
			entry.rateLimited = true;
			const retryAfter = String(state.rateLimit.retryAfter);
			return send(res, 429, { success: false, message: 'Rate limit exceeded' }, { 'Retry-After': retryAfter });
		}

		if (url.pathname === '/v1/auth/login' && req.method === 'POST') {
			const login = json?.email ?? json?.login_id;
			const account = typeof login === 'string' ? accounts[login] : undefined;
			if (!account || json?.password !== account.password) {
				return send(res, 200, { success: false, message: 'Invalid email or password' });
			}
			if (account.locked) return send(res, 403, { success: false, message: 'Account locked after too many failed attempts' });
			loginCount += 1;
			const issued = `login-${loginCount}-${Math.random().toString(36).slice(2, 10)}`;
			loginTokens.set(issued, { scopes: account.scopes, expired: false });
			return send(res, 200, { success: true, access_token: issued, token_type: 'bearer', expires_in: 3600 });
		}

		const token = tokenOf(req.headers.authorization);
		const login = token ? loginTokens.get(token) : undefined;
		if (url.pathname === '/v1/auth/refresh' && req.method === 'POST') {
			if (!login) return send(res, 401, { success: false, message: 'Unauthenticated: invalid token' });
			loginCount += 1;
			const issued = `login-${loginCount}-${Math.random().toString(36).slice(2, 10)}`;
			loginTokens.set(issued, { scopes: login.scopes, expired: false });
			return send(res, 200, { success: true, access_token: issued, token_type: 'bearer', expires_in: 3600 });
		}
		const scopes = token ? (tokens[token] ?? (login && !login.expired ? login.scopes : undefined)) : undefined;
		if (!scopes) {
			const why = login?.expired ? 'Token has expired' : 'Unauthenticated: invalid or expired token';
			return send(res, 401, { success: false, message: why });
		}

		if (url.pathname === '/v1/users' && req.method === 'GET') {
			if (!scopes.includes('users')) return send(res, 403, { success: false, message: 'This token has no access to users' });
			const limit = Math.min(Math.max(Number(url.searchParams.get('limit') ?? 20) || 20, 1), 100);
			const after = url.searchParams.get('last_seen_id');
			const start = after ? USERS.findIndex((user) => user.id === after) + 1 : 0;
			const data = USERS.slice(start, start + limit);
			const last = data[data.length - 1];
			return send(res, 200, {
				has_more: start + limit < USERS.length,
				count: USERS.length,
				last_seen_id: last ? last.id : null,
				data,
			});
		}
		if (url.pathname === '/v1/live_calls' && req.method === 'GET') {
			if (!scopes.includes('calls')) return send(res, 403, { success: false, message: 'This token has no access to live calls' });
			const callId = url.searchParams.get('call_id');
			return send(res, 200, liveCallsNow().filter((call) => !callId || call.call_id === callId));
		}
		if (url.pathname === '/v1/departments' && req.method === 'GET') return send(res, 200, DEPARTMENTS);
		if (url.pathname === '/v1/click_to_call' && req.method === 'POST') {
			if (!scopes.includes('calls')) return send(res, 403, { success: false, message: 'This token has no access to click to call' });
			if (!/application\/json/.test(req.headers['content-type'] ?? '')) return send(res, 415, { success: false, message: 'Send JSON' });
			const problem = checkClickToCall(json);
			if (problem) return send(res, problem[0], { success: false, message: problem[1] });
			clickToCall(json);
			return send(res, 200, { success: true, message: 'Originate successfully queued' });
		}
		if (url.pathname === '/v1/call/records' && req.method === 'GET') {
			if (!scopes.includes('calls')) return send(res, 403, { success: false, message: 'This token has no access to call records' });
			const [status, body] = callRecords.answer(entry.query);
			return send(res, status, body);
		}
		if (url.pathname === '/v1/call/options' && req.method === 'POST') {
			if (!scopes.includes('calls')) return send(res, 403, { success: false, message: 'This token has no access to call operations' });
			if (!/application\/json/.test(req.headers['content-type'] ?? '')) return send(res, 415, { success: false, message: 'Send JSON' });
			const known = state.acceptAnyCall && typeof json?.call_id === 'string' ? [{ call_id: json.call_id }] : state.liveCalls;
			const problem = checkCallOptions(json, known);
			if (problem) return send(res, problem[0], { success: false, message: problem[1] });
			const operation = OPERATION_NAMES[Number(json.type)];
			return send(res, 200, { success: true, message: `Call ${operation} request accepted` });
		}
		return send(res, 404, { success: false, message: `No route ${req.method} ${url.pathname}` });
	}

	const { port, stop } = await serveOnLoopback(
		(req, res) => {
			state.inFlight += 1;
			state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
			res.on('close', () => (state.inFlight -= 1));
			handle(req, res).catch((error) => send(res, 500, { success: false, message: String(error) }));
		},
		{ port: options.port, idleTimeoutMs, unref: options.unref },
	);

	// The recordings live on another host, as cloudphone.tatateleservices.com is not the API's.
	const recordings = await serveOnLoopback(
		(req, res) => {
			handleRecording(req, res).catch((error) => send(res, 500, { success: false, message: String(error) }));
		},
		{ idleTimeoutMs, unref: options.unref },
	);
	recordingsUrl = `http://127.0.0.1:${recordings.port}`;

	async function handleRecording(req, res) {
		const url = new URL(req.url, 'http://127.0.0.1');
		await readBody(req);
		const entry = { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: { ...req.headers }, rawBody: '', json: undefined, at: Date.now() };
		recordingRequests.push(entry);
		res.once('finish', () => (entry.status = res.statusCode));
		const fault = matchFault(entry);
		if (fault) return applyFault(fault, req, res);
		if (url.pathname !== '/file/recording' || req.method !== 'GET') return send(res, 404, { success: false, message: 'No such file' });
		const [status, body] = callRecords.recording(entry.query);
		if (status !== 200) return send(res, status, { success: false, message: body });
		res.writeHead(200, { 'Content-Type': 'audio/wav', 'Content-Length': body.length });
		res.end(body);
	}

	async function stopAll() {
		portalWebhooks.abort();
		apiDialplan.stop();
		await stop();
		await recordings.stop();
	}

	return {
		url: `http://127.0.0.1:${port}`,
		port,
		/** The second host, where recording URLs point. */
		recordingsUrl,
		requests: state.requests,
		liveCalls: state.liveCalls,
		/** Makes matching requests fail as told, `times` times (default: until reset). @param {Fault} fault */
		fail(fault) {
			state.faults.push({ ...fault });
		},
		reset() {
			state.requests.length = 0;
			recordingRequests.length = 0;
			state.faults.length = 0;
			resetCalls();
			state.maxInFlight = state.inFlight;
			state.rateLimit = undefined;
			portalWebhooks.reset();
			apiDialplan.clear();
		},
		/**
		 * API Dialplan: `apiDialplan.set({ did, url, method?, template?, failover?, timeoutMs? })` makes
		 * that number's inbound calls ask `url` where they go and follow the answer (or the failover);
		 * `requests()` says what was asked, answered and done; `settled()` waits for routing in flight.
		 */
		apiDialplan,
		/** Starts a live call; `call_time` is how long it has run already (default 00:00:00). */
		startCall,
		/** Ends a live call: gone from /v1/live_calls from now on. */
		endCall,
		/** Changes fields of a live call (state, agent_name, …). */
		updateCall,
		/** Moves the double's clock on: every live call's call_time grows by that much. */
		advance,
		/** Lets call_time grow with real time too (off by default, and after reset). */
		useRealTime,
		/** The live calls as /v1/live_calls would answer now. */
		liveCallsNow,
		liveCallRequests() {
			return state.requests.filter((entry) => entry.path === '/v1/live_calls');
		},
		/** How many logins (and refreshes) it has granted since it started. */
		logins() {
			return loginCount;
		},
		/** Expires every login token issued so far: the next use answers 401. */
		expireLogins() {
			for (const entry of loginTokens.values()) entry.expired = true;
		},
		/** Answers 429 (Retry-After: `retryAfter` s) beyond `perSecond` call operations a second; 0 turns it off. */
		limitRate(perSecond, retryAfter = 1) {
			state.rateLimit = perSecond > 0 ? { perSecond, retryAfter } : undefined;
		},
		/** @param {boolean} accept */
		acceptAnyCall(accept) {
			state.acceptAnyCall = accept;
		},
		/** The most requests the double was handling at the same moment since the last reset. */
		maxInFlight() {
			return state.maxInFlight;
		},
		callOptionRequests() {
			return state.requests.filter((entry) => entry.path === '/v1/call/options');
		},
		/** The `POST /v1/click_to_call` requests it received. */
		clickToCallRequests() {
			return state.requests.filter((entry) => entry.path === '/v1/click_to_call');
		},
		/** How long a click to call rings the agent, then the customer (seconds of the double's clock). */
		clickToCallTiming: CLICK_TO_CALL,
		/**
		 * Adds a finished call to the call records, dated `startedAgoSeconds` ago (default 120):
		 * answered with a recording unless `answered: false` (missed) or `recording: false`.
		 * Provider fields (direction, agent_name, client_number, did_number, call_id, …) as given.
		 */
		addCallRecord: callRecords.add,
		/** Every call record as the provider would send it now. */
		callRecords: callRecords.all,
		/** The account's time zone of the call records' dates (default Asia/Kolkata). */
		setTimeZone: callRecords.setTimeZone,
		/** The most call records a page holds whatever `limit` asks (default 100; reset restores it). */
		setMaxPageSize: callRecords.setMaxPageSize,
		/** The bytes a call's recording holds. */
		recordingBytes: callRecords.bytesOf,
		/** Answers as another provider would: pages, numbers as text, time formats, recording host (reset restores). */
		setCallRecordQuirks: callRecords.setQuirks,
		/** A recording the host answers 404 (or 403) until made ready (reset makes every one ready). */
		setRecordingReady: callRecords.setRecordingReady,
		callRecordRequests() {
			return state.requests.filter((entry) => entry.path === '/v1/call/records');
		},
		/** Requests to the recordings host (faults with path '/file/recording' apply there). */
		recordingRequests,
		/**
		 * The portal's real-time webhooks (see portalWebhooks.js): add(registration) → id,
		 * remove(id), clear(), list(), deliveries(), deliver(trigger, callId, variables?),
		 * settled(). startCall, updateCall and endCall deliver the triggers they fire.
		 */
		portalWebhooks: {
			add: portalWebhooks.add,
			remove: portalWebhooks.remove,
			clear: portalWebhooks.clear,
			list: portalWebhooks.list,
			deliveries: portalWebhooks.deliveries,
			deliver: portalWebhooks.deliver,
			settled: portalWebhooks.settled,
		},
		stop: stopAll,
	};
}

module.exports = { startProviderDouble, LIVE_CALLS, USERS, DEPARTMENTS, DEFAULT_TOKENS, DEFAULT_ACCOUNTS };
