'use strict';
/**
 * A tiny CRM for the examples: look a caller up by phone number, log a missed call.
 * Zero dependencies, 127.0.0.1 only, stops by itself after `idleTimeoutMs` without requests.
 *
 *   GET  /contacts?phone=<number>  200 { found: true, name, phone, owner: { name, agent_number, extension } }
 *                                  or 200 { found: false } (matched on the last 10 digits)
 *   POST /missed-calls             records the JSON body, 201 { ok: true, id }
 *   GET  /__crm/requests           every request it received, oldest first
 *
 * In-process: `const crm = await startCrmDouble(); … crm.requests(); await crm.stop();`
 */
const { readBody, send, serveOnLoopback } = require('./loopback');
const { LIVE_CALLS, USERS } = require('./seed');

const NAMES = ['Anil Mehta', 'Sunita Reddy', 'Farhan Ali', 'Lakshmi Menon', 'Gaurav Joshi', 'Pooja Kapoor', 'Harish Pillai', 'Nisha Verma', 'Sameer Kulkarni', 'Divya Menon'];

const ownerOf = (user) => ({ name: user.name, agent_number: user.agent.follow_me_number, extension: user.extension });
const lastTen = (phone) => String(phone ?? '').replace(/\D/g, '').slice(-10);

/** The seeded contacts: the live calls' customers (owned by their agent), and 9876510001–9876510099, the numbers startCall gives (owned by Asha Rao). */
function seedContacts() {
	const contacts = new Map();
	LIVE_CALLS.forEach((call, index) => {
		const user = USERS.find((entry) => entry.name === call.agent_name) ?? USERS[2];
		contacts.set(lastTen(call.customer_number), { name: NAMES[index % NAMES.length], phone: call.customer_number, owner: ownerOf(user) });
	});
	for (let n = 1; n <= 99; n += 1) {
		const phone = `98765${String(10000 + n).slice(-5)}`;
		contacts.set(phone, { name: `${NAMES[n % NAMES.length]} ${n}`, phone, owner: ownerOf(USERS[0]) });
	}
	return contacts;
}

/**
 * @param {{ port?: number, idleTimeoutMs?: number }} [options] idleTimeoutMs: default 10 minutes (0: never)
 * @returns {Promise<{ url: string, requests: () => any[], stop: () => Promise<void> }>}
 */
async function startCrmDouble(options = {}) {
	const contacts = seedContacts();
	const requests = [];
	const missedCalls = [];

	async function handle(req, res) {
		const url = new URL(req.url, 'http://127.0.0.1');
		const rawBody = await readBody(req);
		if (url.pathname === '/__crm/requests' && req.method === 'GET') return send(res, 200, requests);
		let body;
		try {
			body = rawBody ? JSON.parse(rawBody) : undefined;
		} catch {
			body = undefined;
		}
		requests.push({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: { ...req.headers }, rawBody, body, at: Date.now() });

		if (url.pathname === '/contacts' && req.method === 'GET') {
			const contact = contacts.get(lastTen(url.searchParams.get('phone')));
			return send(res, 200, contact ? { found: true, ...contact } : { found: false });
		}
		if (url.pathname === '/missed-calls' && req.method === 'POST') {
			if (!body || typeof body !== 'object') return send(res, 400, { ok: false, message: 'Send a JSON object' });
			missedCalls.push(body);
			return send(res, 201, { ok: true, id: `mc${missedCalls.length}` });
		}
		return send(res, 404, { ok: false, message: `No route ${req.method} ${url.pathname}` });
	}

	const { port, stop } = await serveOnLoopback(
		(req, res) => {
			handle(req, res).catch((error) => send(res, 500, { ok: false, message: String(error) }));
		},
		{ port: options.port, idleTimeoutMs: options.idleTimeoutMs ?? 10 * 60 * 1000 },
	);
	return { url: `http://127.0.0.1:${port}`, requests: () => requests.slice(), stop };
}

module.exports = { startCrmDouble };
