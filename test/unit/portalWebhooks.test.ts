/* eslint-disable @n8n/community-nodes/no-restricted-imports -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * The provider double's portal webhooks (provider-double/portalWebhooks.js): the bodies the
 * portal's templates make, how they are sent, retried and duplicated, and which triggers a
 * call's lifecycle delivers. A receiver on 127.0.0.1 in this file records what arrives.
 */
import http from 'node:http';
import { startProviderDouble } from '../../provider-double/server';
import { VARIABLES } from '../../provider-double/portalWebhooks';

type Received = { method: string; url: string; contentType: string | undefined; body: string };

const received: Received[] = [];
/** Per path: the statuses to answer in turn (then 200); '/hang' never answers. */
const script = new Map<string, number[]>();
const receiver = http.createServer((req, res) => {
	let body = '';
	req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
	req.on('end', () => {
		const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
		received.push({ method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'], body });
		if (path === '/hang') return;
		res.writeHead(script.get(path)?.shift() ?? 200).end('ok');
	});
});

let double: Awaited<ReturnType<typeof startProviderDouble>>;
let base = '';

beforeAll(async () => {
	await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
	double = await startProviderDouble({ webhookRetryDelayMs: 5 });
});

afterAll(async () => {
	await double.stop();
	receiver.closeAllConnections();
	await new Promise((resolve) => receiver.close(resolve));
});

beforeEach(() => {
	double.reset();
	received.length = 0;
	script.clear();
});

const webhooks = () => double.portalWebhooks;
const bodyAt = (path: string) => {
	const hit = received.find((entry) => entry.url.startsWith(path));
	if (!hit) throw new Error(`nothing arrived at ${path}: ${received.map((entry) => entry.url).join(', ')}`);
	return hit;
};

/** A call that rings, is answered after 12 s and hangs up 40 s later; its call id. */
async function answeredCall(fields: Record<string, unknown> = {}) {
	const call = double.startCall({ state: 'ringing', ...fields });
	double.advance(12);
	double.updateCall(call.call_id, { state: 'answered' });
	double.advance(40);
	double.endCall(call.call_id);
	await webhooks().settled();
	return call.call_id;
}

describe('templates', () => {
	test('the default template: a JSON object of every variable, each quoted; nested values as JSON text', async () => {
		webhooks().add({ url: `${base}/default`, trigger: 'hangup_answered' });
		const callId = await answeredCall({ campaign_name: 'Diwali' });
		const arrived = bodyAt('/default');
		expect(arrived.contentType).toBe('application/json');
		const body = JSON.parse(arrived.body);
		expect(Object.keys(body)).toEqual(VARIABLES);
		for (const name of VARIABLES) expect(typeof body[name]).toBe('string');
		expect(body).toMatchObject({
			call_id: callId,
			direction: 'inbound',
			call_status: 'answered',
			hangup_cause: 'NORMAL_CLEARING',
			duration: '52',
			billsec: '40',
			answered_agent_name: 'Asha Rao',
			campaign_name: 'Diwali',
			customer_number_with_prefix: `+91${body.customer_number}`,
		});
		expect(JSON.parse(body.answered_agent)).toEqual({ name: 'Asha Rao', number: '9196010000', id: '0502842370097' });
		expect(JSON.parse(body.call_flow).map((step: { type: string }) => step.type)).toEqual(['init', 'agent', 'hangup']);
		expect(body.recording_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/file\/recording\?callId=/);
		expect(body.start_stamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
	});

	test('an unquoted $call_id arrives as written: its trailing zero is in the text (a JSON number loses it)', async () => {
		webhooks().add({ url: `${base}/raw`, trigger: 'call_received', template: '{"call_id": $call_id, "uuid": "$uuid"}' });
		double.startCall({ call_id: '1758790010.9010' });
		await webhooks().settled();
		const text = bodyAt('/raw').body;
		expect(text).toMatch(/^\{"call_id": 1758790010\.9010, "uuid": "[0-9a-f-]{36}"\}$/);
		expect(JSON.parse(text).call_id).toBe(1758790010.901);
	});

	test('an unquoted empty variable leaves nothing: the body is not valid JSON', async () => {
		webhooks().add({ url: `${base}/empty`, trigger: 'call_received', template: '{"call_id": "$call_id", "answered": $answer_stamp}' });
		const call = double.startCall({ state: 'ringing' });
		await webhooks().settled();
		const text = bodyAt('/empty').body;
		expect(text).toBe(`{"call_id": "${call.call_id}", "answered": }`);
		expect(() => JSON.parse(text)).toThrow();
	});

	test('unreplaced names, and names the double does not know, stay as $name; longest names first', async () => {
		const template = '{"number": "$answered_agent_number", "name": "$answered_agent_name", "agent": $answered_agent, "out": "$outbound_sec"}';
		webhooks().add({ url: `${base}/unreplaced`, trigger: 'hangup', template, unreplaced: ['answered_agent_number'] });
		await answeredCall();
		const body = JSON.parse(bodyAt('/unreplaced').body);
		expect(body).toEqual({ number: '$answered_agent_number', name: 'Asha Rao', agent: { name: 'Asha Rao', number: '9196010000', id: '0502842370097' }, out: '$outbound_sec' });
	});

	test('a form body: each key as typed (a $ or a trailing space kept), nested values as JSON text', async () => {
		const template = '{"call_id": "$call_id", "agent": "$answered_agent", "missed": $missed_agent, "$customer ": "$customer_number"}';
		webhooks().add({ url: `${base}/form`, trigger: 'hangup', contentType: 'form', template });
		const call = double.startCall({ state: 'ringing', agent_name: 'Vikram Shah' });
		double.endCall(call.call_id);
		await webhooks().settled();
		const arrived = bodyAt('/form');
		expect(arrived.contentType).toBe('application/x-www-form-urlencoded');
		const fields = Object.fromEntries(new URLSearchParams(arrived.body));
		expect(Object.keys(fields)).toEqual(['call_id', 'agent', 'missed', '$customer ']);
		expect(fields).toMatchObject({ call_id: call.call_id, agent: '', '$customer ': call.customer_number });
		expect(JSON.parse(fields.missed)).toEqual([{ name: 'Vikram Shah', number: '9196010001' }]);
	});

	test("GET: the variables in the query string, after the URL's own ?event=…&secret=…", async () => {
		const url = `${base}/get?event=hangup&secret=s3cret`;
		webhooks().add({ url, trigger: 'hangup', method: 'GET', template: '{"call_id": $call_id, "agent": "$answered_agent"}' });
		const callId = await answeredCall();
		const arrived = bodyAt('/get');
		expect(arrived.method).toBe('GET');
		expect(arrived.url.startsWith('/get?event=hangup&secret=s3cret&call_id=')).toBe(true);
		const query = new URL(arrived.url, base).searchParams;
		expect(query.get('call_id')).toBe(callId);
		expect(JSON.parse(query.get('agent') ?? '').name).toBe('Asha Rao');
		expect(webhooks().deliveries()[0]).toMatchObject({ method: 'GET', contentType: 'query', url: `${base}${arrived.url}`, body: '' });
	});

	test("stamps in the account's time zone, as IVR calls write them or as the dialer does", async () => {
		double.setTimeZone('UTC');
		const template = '{"start": "$start_stamp", "answer": "$answer_stamp", "end": "$end_stamp"}';
		webhooks().add({ url: `${base}/ivr`, trigger: 'hangup', template });
		webhooks().add({ url: `${base}/dialer`, trigger: 'hangup', template, stampFormat: 'dialer' });
		const before = Date.now();
		await answeredCall();
		const ivr = JSON.parse(bodyAt('/ivr').body);
		const dialer = JSON.parse(bodyAt('/dialer').body);
		const startedAt = Date.parse(`${ivr.start.replace(' ', 'T')}Z`);
		expect(Math.abs(startedAt - before)).toBeLessThan(2000);
		expect(Date.parse(`${ivr.end.replace(' ', 'T')}Z`) - startedAt).toBe(52_000);
		for (const key of ['start', 'answer', 'end']) {
			const [date, time] = ivr[key].split(' ');
			const [year, month, day] = date.split('-').map(Number);
			const [hour, minute, second] = time.split(':');
			const twelve = Number(hour) % 12 === 0 ? 12 : Number(hour) % 12;
			expect(dialer[key]).toBe(`${month}/${day}/${year}, ${twelve}:${minute}:${second} ${Number(hour) < 12 ? 'AM' : 'PM'}`);
		}
	});

	test('refuses a URL off this machine, an unknown trigger, and a form template that is no JSON object', () => {
		expect(() => webhooks().add({ url: 'https://example.com/hook', trigger: 'hangup' })).toThrow(/127\.0\.0\.1/);
		expect(() => webhooks().add({ url: 'http://10.0.0.1/hook', trigger: 'hangup' })).toThrow(/127\.0\.0\.1/);
		expect(() => webhooks().add({ url: `${base}/x`, trigger: 'call_ended' })).toThrow(/trigger must be one of/);
		expect(() => webhooks().add({ url: `${base}/x`, trigger: 'hangup', contentType: 'form', template: 'call=$call_id' })).toThrow(/JSON object/);
		expect(webhooks().list()).toEqual([]);
	});
});

describe('delivery', () => {
	const triesOf = (path: string) => webhooks()
		.deliveries()
		.filter((entry) => entry.url.startsWith(`${base}${path}`))
		.map((entry) => [entry.attempt, entry.status ?? entry.error]);

	test('a 500 is retried; a 403 stops the retries; repeat sends the same body again after a 2xx', async () => {
		script.set('/flaky', [500, 502]);
		script.set('/forbidden', [403]);
		webhooks().add({ url: `${base}/flaky`, trigger: 'call_received' });
		webhooks().add({ url: `${base}/forbidden`, trigger: 'call_received' });
		webhooks().add({ url: `${base}/twice`, trigger: 'call_received', repeat: 2 });
		double.startCall();
		await webhooks().settled();
		expect(triesOf('/flaky')).toEqual([[1, 500], [2, 502], [3, 200]]);
		expect(triesOf('/forbidden')).toEqual([[1, 403]]);
		expect(triesOf('/twice')).toEqual([[1, 200], [2, 200], [3, 200]]);
		const copies = received.filter((entry) => entry.url === '/twice').map((entry) => entry.body);
		expect(new Set(copies).size).toBe(1);
	});

	test('a receiver that never answers times out, three times in all', async () => {
		webhooks().add({ url: `${base}/hang`, trigger: 'call_received', timeoutMs: 50 });
		double.startCall();
		await webhooks().settled();
		expect(triesOf('/hang')).toEqual([
			[1, 'timeout after 50 ms'],
			[2, 'timeout after 50 ms'],
			[3, 'timeout after 50 ms'],
		]);
	});

	test('a lifecycle delivers call_received, answered_by_agent, hangup and hangup_answered, in the background', async () => {
		for (const trigger of ['call_received', 'answered_by_agent', 'hangup', 'hangup_answered', 'hangup_missed', 'missed_by_agent']) {
			webhooks().add({ url: `${base}/hook?event=${trigger}`, trigger, template: '{"call_id": "$call_id", "uuid": "$uuid", "status": "$call_status"}' });
		}
		const call = double.startCall({ state: 'ringing' });
		expect(received).toEqual([]); // startCall answered before anything was sent
		double.updateCall(call.call_id, { state: 'answered' });
		double.endCall(call.call_id);
		await webhooks().settled();
		const events = received.map((entry) => new URL(entry.url, base).searchParams.get('event')).sort();
		expect(events).toEqual(['answered_by_agent', 'call_received', 'hangup', 'hangup_answered']);
		const bodies = received.map((entry) => JSON.parse(entry.body));
		expect(new Set(bodies.map((body) => body.call_id))).toEqual(new Set([call.call_id]));
		expect(new Set(bodies.map((body) => body.uuid)).size).toBe(4);
		expect(webhooks().deliveries().every((entry) => entry.callId === call.call_id && entry.status === 200)).toBe(true);
	});

	test('a missed call, a key press, and disposition_updated on demand with extra variables', async () => {
		const template = '{"call_id": "$call_id", "digit": "$digit_pressed", "digits": "$digits_dialed", "disposition": "$disposition"}';
		for (const trigger of ['dtmf', 'hangup_missed', 'missed_by_agent', 'disposition_updated']) {
			webhooks().add({ url: `${base}/hook?event=${trigger}`, trigger, template });
		}
		const call = double.startCall({ state: 'ringing' });
		double.updateCall(call.call_id, { digit_pressed: '2' });
		double.updateCall(call.call_id, { digit_pressed: 1 });
		double.endCall(call.call_id);
		expect(double.liveCallsNow().some((entry) => 'digit_pressed' in entry)).toBe(false);
		const attempts = await webhooks().deliver('disposition_updated', call.call_id, { disposition: 'Interested' });
		await webhooks().settled();
		expect(attempts).toHaveLength(1);
		const bodyOf = (event: string) => received.filter((entry) => entry.url.endsWith(`event=${event}`)).map((entry) => JSON.parse(entry.body));
		expect(bodyOf('dtmf').map((body) => body.digit).sort()).toEqual(['1', '2']);
		expect(bodyOf('hangup_missed')).toEqual([{ call_id: call.call_id, digit: '1', digits: '21', disposition: '$disposition' }]);
		expect(bodyOf('missed_by_agent')).toHaveLength(1);
		expect(bodyOf('disposition_updated')).toEqual([{ call_id: call.call_id, digit: '1', digits: '21', disposition: 'Interested' }]);
		await expect(webhooks().deliver('hangup', '1.2')).rejects.toThrow(/No live or ended call/);
	});

	test('the control routes: register, list, deliver on demand, read the deliveries once settled, reset', async () => {
		const post = (path: string, body: unknown) => fetch(`${double.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
		const refused = await post('/__double/webhooks', { url: 'http://example.com/', trigger: 'hangup' });
		expect(refused.status).toBe(400);
		const added = await post('/__double/webhooks', { url: `${base}/routes?event=call_received`, trigger: 'call_received', contentType: 'form' });
		expect(await added.json()).toEqual({ ok: true, id: expect.stringMatching(/^wh\d+$/) });
		expect(await (await fetch(`${double.url}/__double/webhooks`)).json()).toMatchObject([{ trigger: 'call_received', contentType: 'form' }]);
		expect((await post('/__double/webhooks/deliver', { trigger: 'call_received', callId: '1758782566.8131' })).status).toBe(202);
		const deliveries = (await (await fetch(`${double.url}/__double/webhooks/deliveries?settled=1`)).json()) as Array<{ body: string }>;
		expect(deliveries).toMatchObject([{ trigger: 'call_received', callId: '1758782566.8131', status: 200, contentType: 'form' }]);
		expect(new URLSearchParams(deliveries[0].body).get('answered_agent_name')).toBe('Asha Rao');
		await post('/__double/reset', {});
		expect(await (await fetch(`${double.url}/__double/webhooks`)).json()).toEqual([]);
		expect(webhooks().deliveries()).toEqual([]);
	});
});
