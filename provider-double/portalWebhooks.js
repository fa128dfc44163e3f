'use strict';
/**
 * The portal's real-time webhooks (API Connect → Webhook), as the platform delivers them:
 * one registration per URL and trigger, a body template the customer typed with `$name`
 * placeholders, JSON, form or GET, a 10 s timeout, two retries (none after a 4xx) and,
 * when asked, duplicate deliveries. Only to 127.0.0.1 / localhost: tests never reach out.
 *
 * The server tells it what happens to calls (started, updated, ended); it keeps what each
 * call's variables need (when it was answered, digits pressed, its flow) and delivers the
 * triggers that event fires, in the background: the API's answer never waits for them.
 */
const http = require('node:http');
const { randomUUID } = require('node:crypto');
const { wallClock } = require('./callRecords');
const { USERS } = require('./seed');

const TRIGGERS = [
	'call_received',
	'answered_on_ivr',
	'dialled_on_agent',
	'answered_by_agent',
	'missed_by_agent',
	'hangup_missed',
	'hangup_answered',
	'hangup',
	'dtmf',
	'c2c_answered',
	'c2c_missed',
	'disposition_updated',
];

/** Every variable the double fills, in the order of the default template. */
const VARIABLES = [
	'uuid',
	'call_id',
	'call_to_number',
	'caller_id_number',
	'customer_number',
	'customer_number_with_prefix',
	'direction',
	'start_stamp',
	'answer_stamp',
	'end_stamp',
	'duration',
	'billsec',
	'hangup_cause',
	'call_status',
	'answered_agent',
	'answered_agent_name',
	'answered_agent_number',
	'missed_agent',
	'call_flow',
	'recording_url',
	'digits_dialed',
	'digit_pressed',
	'agent_ring_time',
	'customer_ring_time',
	'campaign_name',
	'reason_key',
	'ref_id',
	'custom_identifier',
	'billing_circle',
];

/** Fields of a live call (see seed.js); a call field named like a variable but not one of these sets that variable. */
const LIVE_CALL_FIELDS = new Set(['id', 'call_id', 'direction', 'source', 'did', 'destination', 'state', 'agent_name', 'customer_number', 'call_time', 'service']);
const DEFAULTS = { retryDelayMs: 1000, timeoutMs: 10_000 };
const RETRIES = 2;

/** Splits call fields into the live call's own and webhook variables (`digit_pressed`, `campaign_name`, …). */
function splitVariables(fields = {}) {
	const call = {};
	const variables = {};
	for (const [key, value] of Object.entries(fields)) {
		if (VARIABLES.includes(key) && !LIVE_CALL_FIELDS.has(key)) variables[key] = value;
		else call[key] = value;
	}
	return { call, variables };
}

// ---------------------------------------------------------------------------------------
// Templates: `$name` replaced as the portal does.

const isNested = (value) => value !== null && typeof value === 'object';
/** A value as raw text: nested values as JSON, nothing for an empty one. */
const rawText = (value) => (isNested(value) ? JSON.stringify(value) : value === undefined || value === null ? '' : String(value));
/** A value escaped for the inside of a JSON string. */
const escapedText = (value) => JSON.stringify(rawText(value)).slice(1, -1);

/**
 * Replaces every `$name` the variables hold (longest name first), except those in
 * `unreplaced`: inside quotes JSON-escaped, unquoted as raw text (or, with `quoteAll`, as
 * a JSON string). Unknown names stay as written.
 * @param {string} template
 * @param {Record<string, unknown>} variables
 * @param {{ unreplaced?: string[], quoteAll?: boolean }} [options]
 */
function render(template, variables, options = {}) {
	const names = Object.keys(variables).sort((a, b) => b.length - a.length);
	const keep = new Set(options.unreplaced ?? []);
	let out = '';
	let inString = false;
	for (let index = 0; index < template.length; index += 1) {
		const char = template[index];
		if (char === '\\' && inString && ['"', '\\'].includes(template[index + 1])) {
			out += char + template[index + 1];
			index += 1;
			continue;
		}
		if (char === '"') inString = !inString;
		const name = char === '$' ? names.find((candidate) => template.startsWith(candidate, index + 1)) : undefined;
		if (name === undefined || keep.has(name)) {
			out += name === undefined ? char : `$${name}`;
			index += name === undefined ? 0 : name.length;
			continue;
		}
		const value = variables[name];
		out += inString ? escapedText(value) : options.quoteAll ? `"${escapedText(value)}"` : rawText(value);
		index += name.length;
	}
	return out;
}

/** The portal's default here: every variable, quoted. */
function defaultTemplate(names) {
	return `{${names.map((name) => `"${name}": "$${name}"`).join(', ')}}`;
}

/** Form and GET templates: each key of the JSON object, its value as text (nested values as JSON text). */
function fieldsOf(template, variables, unreplaced) {
	const parsed = JSON.parse(render(template, variables, { unreplaced, quoteAll: true }));
	if (!isNested(parsed) || Array.isArray(parsed)) throw new Error('not a JSON object');
	return Object.entries(parsed).map(([key, value]) => [key, typeof value === 'string' ? value : value === null ? '' : rawText(value)]);
}

/** How a registration's body goes: 'json', 'form', or 'query' for GET. */
const sentAs = (registration) => (registration.method === 'GET' ? 'query' : registration.contentType);

/** What one registration sends for these variables: the URL as sent, headers and body text. */
function requestOf(registration, variables) {
	const template = registration.template ?? defaultTemplate(Object.keys(variables));
	if (registration.method === 'POST' && registration.contentType === 'json') {
		return { url: registration.url, headers: { 'Content-Type': 'application/json' }, body: render(template, variables, registration) };
	}
	const encoded = new URLSearchParams(fieldsOf(template, variables, registration.unreplaced)).toString();
	if (registration.method === 'GET') {
		const joiner = !registration.url.includes('?') ? '?' : /[?&]$/.test(registration.url) ? '' : '&';
		return { url: `${registration.url}${encoded ? joiner + encoded : ''}`, headers: {}, body: '' };
	}
	return { url: registration.url, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: encoded };
}

// ---------------------------------------------------------------------------------------
// Registrations.

/** Checks a registration and fills its defaults; throws with what is wrong. */
function checkRegistration(spec) {
	if (!spec || typeof spec !== 'object') throw new Error('A webhook registration must be an object');
	const { url, trigger, method = 'POST', contentType = 'json', template, stampFormat = 'ivr', unreplaced = [], repeat = 0, retryDelayMs, timeoutMs } = spec;
	let parsed;
	try {
		parsed = new URL(url);
	} catch {
		throw new Error(`Webhook url must be a URL, not ${JSON.stringify(url)}`);
	}
	if (parsed.protocol !== 'http:' || !['127.0.0.1', 'localhost'].includes(parsed.hostname)) {
		throw new Error(`Webhook url must be http://127.0.0.1:… or http://localhost:… (the double never calls out), not ${url}`);
	}
	if (!TRIGGERS.includes(trigger)) throw new Error(`Webhook trigger must be one of ${TRIGGERS.join(', ')}; not ${JSON.stringify(trigger)}`);
	if (!['POST', 'GET'].includes(method)) throw new Error(`Webhook method must be POST or GET, not ${JSON.stringify(method)}`);
	if (!['json', 'form'].includes(contentType)) throw new Error(`Webhook contentType must be json or form, not ${JSON.stringify(contentType)}`);
	if (template !== undefined && typeof template !== 'string') throw new Error('Webhook template must be text');
	if (!['ivr', 'dialer'].includes(stampFormat)) throw new Error(`Webhook stampFormat must be ivr or dialer, not ${JSON.stringify(stampFormat)}`);
	if (!Array.isArray(unreplaced) || unreplaced.some((name) => typeof name !== 'string')) throw new Error('Webhook unreplaced must be a list of variable names');
	if (!Number.isInteger(repeat) || repeat < 0) throw new Error('Webhook repeat must be a whole number, 0 or more');
	const registration = { url: String(url), trigger, method, contentType, template, stampFormat, unreplaced, repeat, retryDelayMs, timeoutMs };
	if ((method === 'GET' || contentType === 'form') && template !== undefined) {
		const blank = Object.fromEntries(VARIABLES.map((name) => [name, '']));
		try {
			fieldsOf(template, blank, unreplaced);
		} catch (error) {
			throw new Error(`A form or GET webhook's template must be a JSON object once its placeholders are quoted (${error.message}): ${template}`);
		}
	}
	return registration;
}

// ---------------------------------------------------------------------------------------
// Calls: what the variables need, kept per call id until reset.

function secondsOf(callTime) {
	const parts = String(callTime ?? '').split(':').map(Number);
	return parts.some((part) => !Number.isFinite(part)) ? 0 : parts.reduce((total, part) => total * 60 + part, 0);
}

const dialerFormats = new Map();
/** A stamp as the account writes it: "2026-07-11 20:39:28" (IVR) or "7/11/2026, 9:12:56 PM" (dialer). */
function stampOf(instant, timeZone, format) {
	if (instant === undefined) return '';
	if (format === 'ivr') return wallClock(instant, timeZone);
	if (!dialerFormats.has(timeZone)) {
		const options = { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', hour12: true };
		dialerFormats.set(timeZone, new Intl.DateTimeFormat('en-US', options));
	}
	return dialerFormats.get(timeZone).format(new Date(instant)).replace(/[\u202f\u00a0]/g, ' ');
}

/** The agent of a call: a seeded user by name, else the name and the number it rang. */
function agentOf(call) {
	if (!call.agent_name) return undefined;
	const user = USERS.find((entry) => entry.name === call.agent_name);
	if (user) return { name: user.name, number: user.agent.follow_me_number, id: user.agent.id };
	return { name: call.agent_name, number: call.direction === 'inbound' ? call.destination : call.source, id: '' };
}

/**
 * @param {{ timeZone: () => string, liveCall: (callId: string) => Record<string, any> | undefined,
 *   retryDelayMs?: number, timeoutMs?: number }} options
 *   liveCall: the call as /v1/live_calls answers it now (call_time grown), if live
 */
function createPortalWebhooks(options) {
	const settings = { ...DEFAULTS, ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}), ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) };
	/** @type {Map<string, any>} */ const registrations = new Map();
	/** @type {any[]} */ const attempts = [];
	/** Per call id: the last snapshot, its start instant, answer and end (seconds into the call), flow, … */
	const calls = new Map();
	/** Deliveries in flight: each can be aborted (stop, reset). */
	const jobs = new Set();
	let settledWaiters = [];
	let added = 0;

	// --- calls -------------------------------------------------------------------------

	function memoOf(call) {
		let memo = calls.get(call.call_id);
		const seconds = secondsOf(call.call_time);
		if (!memo) {
			memo = { call, startInstant: Date.now() - seconds * 1000, flow: [], uuids: new Map(), variables: {}, digits: '' };
			memo.flow.push({ type: 'init', value: call.did, time: stampSeconds(memo, 0) });
			calls.set(call.call_id, memo);
		}
		memo.call = call;
		memo.seconds = seconds;
		if (call.state === 'ringing' && call.agent_name && memo.ringingSince === undefined) memo.ringingSince = seconds;
		if (call.state === 'answered' && memo.answeredAt === undefined) memo.answeredAt = seconds;
		return memo;
	}

	const instantOf = (memo, seconds) => (seconds === undefined ? undefined : memo.startInstant + seconds * 1000);
	const stampSeconds = (memo, seconds) => Math.floor(instantOf(memo, seconds) / 1000);

	function variablesOf(memo, trigger, stampFormat, extra = {}) {
		const { call } = memo;
		const timeZone = options.timeZone();
		const ended = memo.endedAt !== undefined;
		const answered = memo.answeredAt !== undefined;
		const agent = agentOf(call);
		const customer = String(call.customer_number ?? '');
		if (!memo.uuids.has(trigger)) memo.uuids.set(trigger, randomUUID());
		const ringEnd = answered ? memo.answeredAt : memo.seconds;
		return {
			uuid: memo.uuids.get(trigger),
			call_id: call.call_id,
			call_to_number: call.did ?? '',
			caller_id_number: call.direction === 'inbound' ? customer : (call.did ?? ''),
			customer_number: customer,
			customer_number_with_prefix: customer ? `+91${customer.replace(/\D/g, '').slice(-10)}` : '',
			direction: call.service === 'Click to Call' ? 'clicktocall' : call.direction,
			start_stamp: stampOf(memo.startInstant, timeZone, stampFormat),
			answer_stamp: stampOf(instantOf(memo, memo.answeredAt), timeZone, stampFormat),
			end_stamp: stampOf(instantOf(memo, memo.endedAt), timeZone, stampFormat),
			duration: ended ? String(memo.endedAt) : '',
			billsec: ended ? String(answered ? memo.endedAt - memo.answeredAt : 0) : '',
			hangup_cause: ended ? (answered ? 'NORMAL_CLEARING' : 'NO_ANSWER') : '',
			call_status: answered ? 'answered' : ended ? 'missed' : '',
			answered_agent: answered && agent ? agent : '',
			answered_agent_name: answered && agent ? agent.name : '',
			answered_agent_number: answered && agent ? agent.number : '',
			missed_agent: ended && !answered && agent ? [{ name: agent.name, number: agent.number }] : '',
			call_flow: memo.flow,
			recording_url: ended ? (memo.recordingUrl ?? '') : '',
			digits_dialed: memo.digits,
			digit_pressed: memo.digitPressed ?? '',
			agent_ring_time: memo.ringingSince === undefined ? '' : String(Math.max(0, ringEnd - memo.ringingSince)),
			customer_ring_time: '',
			campaign_name: '',
			reason_key: '',
			ref_id: '',
			custom_identifier: '',
			billing_circle: '',
			...memo.variables,
			...extra,
		};
	}

	/** startCall: call_received, and dialled_on_agent if an agent's phone rings. */
	function started(call, variables = {}) {
		const memo = memoOf(call);
		Object.assign(memo.variables, variables);
		fire(memo, ['call_received', ...(call.state === 'ringing' && call.agent_name ? ['dialled_on_agent'] : [])]);
	}

	/** updateCall: answered_by_agent / answered_on_ivr on state 'answered', dialled_on_agent on 'ringing' with an agent, dtmf on digit_pressed. */
	function updated(call, fields, variables = {}) {
		const memo = memoOf(call);
		const { digit_pressed: digit, ...rest } = variables;
		Object.assign(memo.variables, rest);
		const triggers = [];
		if (fields.state === 'ringing' && call.agent_name) triggers.push('dialled_on_agent');
		if (fields.state === 'answered') {
			memo.flow.push({ type: call.agent_name ? 'agent' : 'ivr', value: call.agent_name || call.did, time: stampSeconds(memo, memo.seconds) });
			triggers.push(call.agent_name ? 'answered_by_agent' : 'answered_on_ivr');
		}
		if (digit !== undefined) {
			memo.digitPressed = String(digit);
			memo.digits += String(digit);
			memo.flow.push({ type: 'dtmf', value: String(digit), time: stampSeconds(memo, memo.seconds) });
			triggers.push('dtmf');
		}
		fire(memo, triggers);
	}

	/**
	 * endCall: hangup, hangup_answered or hangup_missed, missed_by_agent, and for a click to
	 * call c2c_answered or c2c_missed. `answeredAt`: seconds into the call it was answered,
	 * when the snapshot cannot tell (a click to call's stages).
	 */
	function ended(call, { recordingUrl, answeredAt, variables = {} } = {}) {
		const memo = memoOf(call);
		Object.assign(memo.variables, variables);
		if (answeredAt !== undefined && call.state === 'answered') memo.answeredAt = Math.min(answeredAt, memo.seconds);
		memo.endedAt = memo.seconds;
		memo.recordingUrl = recordingUrl;
		memo.flow.push({ type: 'hangup', value: call.state === 'answered' ? 'NORMAL_CLEARING' : 'NO_ANSWER', time: stampSeconds(memo, memo.endedAt) });
		const answered = memo.answeredAt !== undefined;
		const triggers = ['hangup', answered ? 'hangup_answered' : 'hangup_missed'];
		if (!answered && call.agent_name) triggers.push('missed_by_agent');
		if (call.service === 'Click to Call') triggers.push(answered ? 'c2c_answered' : 'c2c_missed');
		fire(memo, triggers);
	}

	// --- delivery ----------------------------------------------------------------------

	/** Starts the deliveries of these triggers to every registration for them; never waits. */
	function fire(memo, triggers, extra) {
		const all = [];
		for (const trigger of triggers) {
			for (const [id, registration] of registrations) {
				if (registration.trigger !== trigger) continue;
				all.push(deliverTo(id, registration, trigger, variablesOf(memo, trigger, registration.stampFormat, extra)));
			}
		}
		return Promise.all(all).then((lists) => lists.flat());
	}

	function sleep(job, ms) {
		return new Promise((resolve) => {
			job.wake = resolve;
			job.timer = setTimeout(resolve, ms);
			job.timer.unref();
		});
	}

	/** One HTTP request: its status, or the error that ended it. */
	function send(job, request, method, timeoutMs) {
		return new Promise((resolve) => {
			const target = new URL(request.url);
			const headers = { ...request.headers, Host: target.host, ...(request.body ? { 'Content-Length': Buffer.byteLength(request.body) } : {}) };
			// localhost as 127.0.0.1: a receiver listens there, not on ::1.
			const req = http.request({ host: '127.0.0.1', port: target.port || 80, path: target.pathname + target.search, method, headers }, (res) => {
				res.resume();
				res.on('end', () => resolve({ status: res.statusCode }));
				res.on('error', (error) => resolve({ error: error.message }));
			});
			job.request = req;
			const timer = setTimeout(() => req.destroy(new Error(`timeout after ${timeoutMs} ms`)), timeoutMs);
			timer.unref();
			req.on('error', (error) => resolve({ error: error.message }));
			req.on('close', () => clearTimeout(timer));
			req.end(request.body || undefined);
		});
	}

	/** Delivers one event to one registration: retries, then `repeat` duplicates. The attempts made. */
	async function deliverTo(id, registration, trigger, variables) {
		const job = { aborted: false };
		jobs.add(job);
		const made = [];
		try {
			let request;
			try {
				request = requestOf(registration, variables);
			} catch (error) {
				const entry = { at: Date.now(), webhookId: id, url: registration.url, method: registration.method, contentType: sentAs(registration), body: '', trigger, callId: variables.call_id, attempt: 1, error: `template: ${error.message}`, ms: 0 };
				attempts.push(entry);
				return [entry];
			}
			const retryDelayMs = registration.retryDelayMs ?? settings.retryDelayMs;
			const timeoutMs = registration.timeoutMs ?? settings.timeoutMs;
			let attempt = 0;
			for (let copy = 0; copy <= registration.repeat; copy += 1) {
				for (let retry = 0; retry <= RETRIES; retry += 1) {
					if (retry > 0) await sleep(job, retryDelayMs);
					if (job.aborted) return made;
					attempt += 1;
					const at = Date.now();
					const result = await send(job, request, registration.method, timeoutMs);
					if (job.aborted) return made;
					const entry = { at, webhookId: id, url: request.url, method: registration.method, contentType: sentAs(registration), body: request.body, trigger, callId: variables.call_id, attempt, ...result, ms: Date.now() - at };
					attempts.push(entry);
					made.push(entry);
					// A 2xx is delivered; a 4xx stops the retries; anything else is tried again.
					if (result.status >= 200 && result.status < 300) break;
					if (result.status >= 400 && result.status < 500) break;
				}
			}
			return made;
		} finally {
			jobs.delete(job);
			if (jobs.size === 0) {
				const waiters = settledWaiters;
				settledWaiters = [];
				waiters.forEach((resolve) => resolve());
			}
		}
	}

	/** Ends every delivery in flight (stop, reset): nothing more is sent or recorded for them. */
	function abort() {
		for (const job of jobs) {
			job.aborted = true;
			job.request?.destroy();
			clearTimeout(job.timer);
			job.wake?.();
		}
	}

	return {
		/** Registers a portal webhook; its id. @param {any} spec */
		add(spec) {
			added += 1;
			const id = `wh${added}`;
			registrations.set(id, checkRegistration(spec));
			return id;
		},
		/** Whether it was there. */
		remove: (id) => registrations.delete(id),
		clear() {
			registrations.clear();
		},
		/** The registrations, with their ids and defaults filled. */
		list: () => [...registrations].map(([id, registration]) => ({ id, ...registration })),
		/** Every attempt so far (retries and duplicates included), oldest first. */
		deliveries: () => attempts.slice(),
		/**
		 * Delivers `trigger` for a live or ended call now (e.g. disposition_updated), `extra`
		 * merged into its variables; resolves with the attempts once they are done.
		 */
		deliver(trigger, callId, extra = {}) {
			if (!TRIGGERS.includes(trigger)) return Promise.reject(new Error(`Unknown trigger ${JSON.stringify(trigger)}: one of ${TRIGGERS.join(', ')}`));
			const live = options.liveCall(String(callId));
			const memo = live ? memoOf(live) : calls.get(String(callId));
			if (!memo) return Promise.reject(new Error(`No live or ended call ${callId}`));
			return fire(memo, [trigger], extra);
		},
		/** Resolves once no delivery is in flight. */
		settled() {
			return jobs.size === 0 ? Promise.resolve() : new Promise((resolve) => settledWaiters.push(resolve));
		},
		started,
		updated,
		ended,
		abort,
		/** Forgets registrations and deliveries (and what it knows of calls, unless told not to); aborts what is in flight. */
		reset(forgetCalls = true) {
			abort();
			registrations.clear();
			attempts.length = 0;
			if (forgetCalls) calls.clear();
		},
	};
}

module.exports = { createPortalWebhooks, splitVariables, render, defaultTemplate, TRIGGERS, VARIABLES };
