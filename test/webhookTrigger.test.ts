/**
 * Smartflo Webhook Trigger in n8n-core: each request goes through n8n's body parsing to the
 * node's `webhook` in a WebhookContext, is answered as `onReceived` answers, and the
 * execution the node asks for runs through WorkflowExecute. The deliveries are shaped as the
 * portal really sends them (provider-api.md, Webhooks): quoted and unquoted variables, form
 * bodies with nested JSON text, GET, `$` keys, placeholders left unreplaced, two stamp formats.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { startProviderDouble } from '../provider-double/server';
import { bodyTemplate, PORTAL_EVENTS } from '../nodes/Smartflo/webhook/portalEvents';
import { startWebhookTrigger, type WebhookTrigger } from './helpers/engine';
import { TOKEN } from './helpers/fixtures';

/** The node's Secret in these tests: a made-up value, as a user would type. */
const NODE_SECRET = ['correct', 'horse', 'battery', 'staple', '42'].join('-');
const base = (extra: INodeParameters = {}): INodeParameters => ({
	events: ['call_received', 'answered_by_agent', 'hangup', 'hangup_missed', 'dtmf'],
	secret: NODE_SECRET,
	provider: 'smartflo',
	...extra,
});

let trigger: WebhookTrigger;
let callNumber = 0;
/** A call id no other test used: the repeat guard remembers across tests of one process. */
const nextCallId = () => `17587${String(90000 + (callNumber += 1))}.9010`;

async function start(parameters: INodeParameters = base(), options: { test?: boolean; withoutCredential?: boolean } = {}) {
	trigger = await startWebhookTrigger({ parameters, credentials: { provider: 'smartflo', baseUrl: '', token: TOKEN }, ...options });
	return trigger;
}
afterEach(async () => await trigger?.stop());

const post = (event: string, body: string, contentType = 'application/json', secret = NODE_SECRET) =>
	trigger.send({ query: { event, secret }, body, contentType });

async function itemsOf(answer: Promise<unknown>): Promise<IDataObject[]> {
	await answer;
	await trigger.settled();
	return trigger.executions.map((execution) => execution.items[0]?.json as IDataObject);
}

describe('what the portal really sends', () => {
	test('an unquoted $call_id arrives as a JSON number: the item keeps the digits written, trailing zero included', async () => {
		await start();
		const callId = nextCallId();
		const [item] = await itemsOf(post('call_received', `{"call_id": ${callId}, "uuid": "u-1", "caller_id_number": "+919876500001", "call_to_number": "918049990000", "direction": "inbound", "start_stamp": "2026-07-11 20:39:28"}`));
		expect(item.call_id).toBe(callId);
		expect(callId.endsWith('0')).toBe(true);
		expect(item).toMatchObject({ event: 'call_received', customer_number: '9876500001', did: '8049990000', direction: 'inbound', started_at: '2026-07-11T20:39:28+05:30' });
		expect(item).not.toHaveProperty('delivery_notes');
	});

	test('a form body: nested values sent as JSON text are read, the agent comes from answered_agent', async () => {
		await start();
		const callId = nextCallId();
		const form = new URLSearchParams({
			call_id: callId,
			uuid: 'u-2',
			direction: 'inbound',
			caller_id_number: '09876500002',
			answered_agent: JSON.stringify({ name: 'Asha Rao', number: '0502842370097' }),
			answer_stamp: '2026-07-11 20:40:01',
		}).toString();
		const [item] = await itemsOf(post('answered_by_agent', form, 'application/x-www-form-urlencoded'));
		expect(item).toMatchObject({ call_id: callId, agent: 'Asha Rao', agent_number: '0502842370097', customer_number: '9876500002', answered_at: '2026-07-11T20:40:01+05:30' });
		expect((item.fields as IDataObject).answered_agent).toEqual({ name: 'Asha Rao', number: '0502842370097' });
	});

	test('a GET: the fields come from the query; the secret and the event are not among them', async () => {
		await start();
		const callId = nextCallId();
		const answer = await trigger.send({ method: 'GET', query: { event: 'hangup', secret: NODE_SECRET, call_id: callId, call_status: 'answered', duration: '95', billsec: '80', recording_url: 'https://recordings.example/r.mp3' } });
		expect(answer.status).toBe(200);
		const [item] = await itemsOf(Promise.resolve());
		expect(item).toMatchObject({ event: 'hangup', call_id: callId, call_status: 'answered', duration_seconds: 95, talk_seconds: 80, recording_url: 'https://recordings.example/r.mp3' });
		expect(JSON.stringify(item)).not.toContain(NODE_SECRET);
		expect((item.delivery as IDataObject).query).toEqual({ call_id: callId, call_status: 'answered', duration: '95', billsec: '80', recording_url: 'https://recordings.example/r.mp3' });
	});

	test('keys typed with a $ or stray spaces, and placeholders left unreplaced, read as the variable and as empty', async () => {
		await start();
		const callId = nextCallId();
		const [item] = await itemsOf(
			post('hangup_missed', JSON.stringify({ $call_id: callId, 'customer_number ': '9876500003', answered_agent_number: '$answered_agent_number', answered_agent_name: '_name', call_status: 'missed', billsec: '' })),
		);
		expect(item).toMatchObject({ call_id: callId, customer_number: '9876500003', agent_number: '', agent: '', call_status: 'missed', talk_seconds: 0 });
		expect(item.fields).toMatchObject({ call_id: callId, customer_number: '9876500003', answered_agent_number: '' });
	});

	test('both time-stamp formats, read as the account’s time (India, or Acefone UK with summer time)', async () => {
		await start();
		const [india] = await itemsOf(post('hangup', JSON.stringify({ call_id: nextCallId(), start_stamp: '2026-07-11 20:39:28', end_stamp: '7/11/2026, 9:12:56 PM' })));
		expect(india).toMatchObject({ started_at: '2026-07-11T20:39:28+05:30', ended_at: '2026-07-11T21:12:56+05:30' });
		await trigger.stop();
		await start(base({ provider: 'acefoneUk' }), { withoutCredential: true });
		const [uk] = await itemsOf(post('hangup', JSON.stringify({ call_id: nextCallId(), start_stamp: '7/11/2026, 9:12:56 PM', customer_number: '+447700900123' })));
		expect(uk).toMatchObject({ started_at: '2026-07-11T21:12:56+01:00', customer_number: '447700900123' });
	});

	test('an unreadable stamp is said on the item, never guessed', async () => {
		await start();
		const [item] = await itemsOf(post('hangup', JSON.stringify({ call_id: nextCallId(), start_stamp: '11/7/2026 21:12' })));
		expect(item.started_at).toBeNull();
		expect(item.time_error).toContain('"11/7/2026 21:12" is not a time the node reads');
	});

	test('a plain-text body with an unquoted empty variable is read, and the item says what to fix in the template', async () => {
		await start();
		const callId = nextCallId();
		const [item] = await itemsOf(post('call_received', `{"call_id": "${callId}", "billing_circle": , "direction": "inbound"}`, 'text/plain'));
		expect(item).toMatchObject({ call_id: callId, direction: 'inbound' });
		expect(String((item.delivery_notes as string[])[0])).toContain('every $variable in quotes');
	});

	test('a body the node cannot read is answered 400 with what to fix, and starts nothing', async () => {
		await start();
		const answer = await post('call_received', '{"call_id": "1.2", "direction": inbound}', 'text/plain');
		expect(answer.status).toBe(400);
		expect(answer.json?.message).toContain('every $variable in quotes');
		expect(answer.body).not.toContain('inbound');
		await trigger.settled();
		expect(trigger.executions).toHaveLength(0);
	});

	test('invalid JSON sent as application/json is refused by n8n itself (422) before the node runs', async () => {
		await start();
		const answer = await post('call_received', '{"call_id": 1.2, "billing_circle": }');
		expect(answer.status).toBe(422);
		await trigger.settled();
		expect(trigger.executions).toHaveLength(0);
	});
});

describe('the secret', () => {
	test.each([
		['wrong', 'correct-horse-battery-staple-43'],
		['missing', ''],
	])('a %s secret is answered 403 and starts nothing; the answer echoes neither secret nor body', async (_what, given) => {
		await start();
		const body = JSON.stringify({ call_id: nextCallId(), customer_number: '9876512345' });
		const answer = await post('call_received', body, 'application/json', given);
		expect(answer.status).toBe(403);
		expect(answer.body).not.toContain(NODE_SECRET);
		if (given !== '') expect(answer.body).not.toContain(given);
		expect(answer.body).not.toContain('9876512345');
		await trigger.settled();
		expect(trigger.executions).toHaveLength(0);
	});

	test('a node with no Secret refuses every delivery', async () => {
		await start(base({ secret: '' }));
		expect((await post('call_received', '{}', 'application/json', '')).status).toBe(403);
	});

	test('Secret Comes In: A Header — the header must carry it; the URL’s is not enough', async () => {
		await start(base({ secretIn: 'header', headerName: 'X-Portal-Key' }));
		const body = JSON.stringify({ call_id: nextCallId() });
		expect((await post('call_received', body)).status).toBe(403);
		const answer = await trigger.send({ query: { event: 'call_received' }, body, headers: { 'x-portal-key': NODE_SECRET } });
		expect(answer.status).toBe(200);
		await trigger.settled();
		expect(trigger.executions).toHaveLength(1);
	});

	test('neither the secret nor the API token appears in any item', async () => {
		await start();
		const items = await itemsOf(post('call_received', JSON.stringify({ call_id: nextCallId() })));
		expect(JSON.stringify(items)).not.toContain(NODE_SECRET);
		expect(JSON.stringify(items)).not.toContain(TOKEN);
	});
});

describe('once per event of a call', () => {
	test('a delivery the platform retries starts one execution; the repeat is answered 200 so the platform stops', async () => {
		await start();
		const body = JSON.stringify({ call_id: nextCallId(), uuid: 'leg-1' });
		const answers = [await post('call_received', body), await post('call_received', body), await post('call_received', body)];
		expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
		expect(answers[1].json).toMatchObject({ started: false });
		await trigger.settled();
		expect(trigger.executions).toHaveLength(1);
	});

	test('retries arriving at the same moment start one execution', async () => {
		await start();
		const body = JSON.stringify({ call_id: nextCallId(), uuid: 'leg-1' });
		await Promise.all([post('call_received', body), post('call_received', body), post('call_received', body)]);
		await trigger.settled();
		expect(trigger.executions).toHaveLength(1);
	});

	test('other events of the same call, and a second key pressed, each start their own', async () => {
		await start();
		const callId = nextCallId();
		await post('call_received', JSON.stringify({ call_id: callId }));
		await post('answered_by_agent', JSON.stringify({ call_id: callId }));
		await post('dtmf', JSON.stringify({ call_id: callId, digit_pressed: '1' }));
		await post('dtmf', JSON.stringify({ call_id: callId, digit_pressed: '3' }));
		await trigger.settled();
		expect(trigger.executions.map((execution) => execution.items[0].json.event)).toEqual(['call_received', 'answered_by_agent', 'dtmf', 'dtmf']);
	});

	test('a test URL (Listen for test event) runs every delivery: the user replays one while building', async () => {
		await start(base(), { test: true });
		const body = JSON.stringify({ call_id: nextCallId() });
		await post('call_received', body);
		await post('call_received', body);
		await trigger.settled();
		expect(trigger.executions.map((execution) => execution.mode)).toEqual(['manual', 'manual']);
	});
});

describe('events and filters', () => {
	test('an event the node was not set to is answered 200 and starts nothing; an unknown one 400 with the known ones', async () => {
		await start(base({ events: ['hangup'] }));
		const skipped = await post('call_received', JSON.stringify({ call_id: nextCallId() }));
		expect(skipped.status).toBe(200);
		expect(skipped.json).toMatchObject({ started: false });
		const unknown = await post('ringing', JSON.stringify({ call_id: nextCallId() }));
		expect(unknown.status).toBe(400);
		expect(unknown.json?.message).toContain('hangup_missed');
		await trigger.settled();
		expect(trigger.executions).toHaveLength(0);
	});

	test('a URL without ?event= is the node’s one event when it has one', async () => {
		await start(base({ events: ['hangup_missed'] }));
		await trigger.send({ query: { secret: NODE_SECRET }, body: JSON.stringify({ call_id: nextCallId() }) });
		await trigger.settled();
		expect(trigger.executions[0].items[0].json.event).toBe('hangup_missed');
	});

	test('direction, agent and DID filters, compared as the other events compare them', async () => {
		await start(base({ filters: { direction: 'inbound', agent: 'asha rao, 0502842370098', did: '+91 80499 90000' } }));
		const deliver = (fields: IDataObject) => post('answered_by_agent', JSON.stringify({ call_id: nextCallId(), ...fields }));
		await deliver({ direction: 'inbound', answered_agent_name: 'Asha Rao', call_to_number: '8049990000' });
		await deliver({ direction: 'Dialer (inbound)', answered_agent_number: '0502842370098', call_to_number: '918049990000' });
		await deliver({ direction: 'outbound', answered_agent_name: 'Asha Rao', call_to_number: '8049990000' });
		await deliver({ direction: 'inbound', answered_agent_name: 'Vikram Shah', call_to_number: '8049990000' });
		await deliver({ direction: 'inbound', answered_agent_name: 'Asha Rao', call_to_number: '8049990001' });
		await trigger.settled();
		expect(trigger.executions).toHaveLength(2);
	});

	test('without a credential, the node’s Provider says how numbers and times are read', async () => {
		await start(base({ provider: 'servetel', options: { timeZone: 'Asia/Dubai' } }), { withoutCredential: true });
		const [item] = await itemsOf(post('call_received', JSON.stringify({ call_id: nextCallId(), caller_id_number: '00919876500009', start_stamp: '2026-07-11 20:39:28' })));
		expect(item).toMatchObject({ customer_number: '9876500009', started_at: '2026-07-11T20:39:28+04:00' });
	});
});

describe('deliveries as the provider double’s portal sends them, through a call’s life', () => {
	// The node's own template for each event, as a user pastes it; one webhook form-encoded, one GET.
	const template = (code: string) => bodyTemplate(PORTAL_EVENTS.find((event) => event.code === code)!);
	let double: Awaited<ReturnType<typeof startProviderDouble>>;
	beforeAll(async () => {
		double = await startProviderDouble({ webhookRetryDelayMs: 5 });
	});
	afterAll(async () => await double.stop());

	const register = (event: string, extra: IDataObject = {}) =>
		double.portalWebhooks.add({ url: `${trigger.url}?event=${event}&secret=${NODE_SECRET}`, trigger: event, template: template(event), ...extra });

	test('a call rings, is answered and hangs up: each event fires once, with the double’s call id, agent and stamps', async () => {
		double.reset();
		await start(base({ events: ['call_received', 'answered_by_agent', 'hangup_answered'] }));
		register('call_received');
		register('answered_by_agent', { contentType: 'form' });
		register('hangup_answered', { method: 'GET', repeat: 2 });
		const call = double.startCall({ state: 'ringing', agent_name: 'Asha Rao' });
		double.updateCall(call.call_id, { state: 'answered' });
		double.endCall(call.call_id);
		await double.portalWebhooks.settled();
		await trigger.settled();
		const items = trigger.executions.map((execution) => execution.items[0].json);
		expect(items.map((item) => item.event)).toEqual(['call_received', 'answered_by_agent', 'hangup_answered']);
		for (const item of items) expect(item.call_id).toBe(call.call_id);
		expect(items[1]).toMatchObject({ agent: 'Asha Rao', direction: 'inbound' });
		expect(String(items[0].started_at)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+05:30$/);
		expect(items[2]).toMatchObject({ call_status: 'answered' });
		// The GET hangup was delivered three times (the platform's repeats): one execution.
		expect(double.portalWebhooks.deliveries().filter((delivery) => delivery.trigger === 'hangup_answered')).toHaveLength(3);
	});

	test('an unquoted $call_id with a trailing zero, and the dialer’s stamps, from the double', async () => {
		double.reset();
		await start(base({ events: ['call_received'] }));
		register('call_received', { template: '{"call_id": $call_id, "start_stamp": "$start_stamp", "caller_id_number": "$customer_number_with_prefix"}', stampFormat: 'dialer' });
		const call = double.startCall({ call_id: '1758799999.1230' });
		await double.portalWebhooks.settled();
		await trigger.settled();
		const [item] = trigger.executions.map((execution) => execution.items[0].json);
		expect(double.portalWebhooks.deliveries()[0].body).toContain('"call_id": 1758799999.1230');
		expect(item.call_id).toBe(call.call_id);
		expect(item.started_at).not.toBeNull();
		expect(item.customer_number).toBe(call.customer_number);
	});

	test('a missed call: hangup_missed with talk_seconds 0 and the missed agent', async () => {
		double.reset();
		await start(base({ events: ['hangup_missed'] }));
		register('hangup_missed');
		const call = double.startCall({ state: 'ringing', agent_name: 'Asha Rao' });
		double.endCall(call.call_id);
		await double.portalWebhooks.settled();
		await trigger.settled();
		const [item] = trigger.executions.map((execution) => execution.items[0].json);
		expect(item).toMatchObject({ event: 'hangup_missed', call_id: call.call_id, call_status: 'missed', talk_seconds: 0, agent: 'Asha Rao' });
	});
});
