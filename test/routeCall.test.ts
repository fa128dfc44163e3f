/**
 * Routing incoming calls (API Dialplan) in n8n-core: Smartflo Webhook Trigger set to Receive:
 * Routing Requests holds the platform's request open (n8n's responseNode mode); Smartflo Route
 * Call answers it with the actions, or — when the workflow fails, ends without routing or is
 * slower than Answer Within — the trigger answers its Fallback. The request is what the
 * provider documents: uuid, call_id, call_to_number, caller_id_number, start_stamp.
 */
import { sleep, type IExecuteFunctions, type INode, type INodeParameters, type INodeType } from 'n8n-workflow';

import { startProviderDouble } from '../provider-double/server';
import { startWebhookTrigger, type WebhookTrigger } from './helpers/engine';
import { TOKEN } from './helpers/fixtures';

const ROUTE_SECRET = ['route', 'secret', 'for', 'tests', '7'].join('-');
const TRIGGER: INodeParameters = { receive: 'dialplan', secret: ROUTE_SECRET, provider: 'smartflo', answerWithin: 1 };
let trigger: WebhookTrigger;
afterEach(async () => await trigger?.stop());

/** A step of the test's own: waits `ms`, or fails. */
const testStep = (name: string, run: (context: IExecuteFunctions) => Promise<void>): INodeType => ({
	description: { displayName: name, name, group: ['transform'], version: 1, description: '', defaults: { name }, inputs: ['main'], outputs: ['main'], properties: [] },
	async execute(this: IExecuteFunctions) {
		await run(this);
		return [this.getInputData()];
	},
});
const EXTRA = {
	'test.slow': testStep('slow', async () => await sleep(1_600)),
	'test.fail': testStep('fail', async () => {
		throw new Error('the CRM is down');
	}),
};
const step = (type: string): INode => ({ id: type, name: type, type, typeVersion: 1, position: [0, 0], parameters: {} });
const routeCall = (parameters: INodeParameters): INode => ({ id: 'route', name: 'Route Call', type: 'n8n-nodes-smartflo.smartfloRouteCall', typeVersion: 1, position: [0, 0], parameters });
const actions = (...action: INodeParameters[]) => ({ actions: { action } });

async function start(parameters: INodeParameters, after: INode[]) {
	trigger = await startWebhookTrigger({ parameters: { ...TRIGGER, ...parameters }, credentials: { provider: 'smartflo', baseUrl: '', token: TOKEN }, after, extraTypes: EXTRA });
}
const ask = (body: Record<string, unknown> = { uuid: 'u-1', call_id: '1758790010.9010', call_to_number: '918049990000', caller_id_number: '+919876500001', start_stamp: '2026-07-11 20:39:28' }, secret = ROUTE_SECRET) =>
	trigger.send({ query: { secret }, body: JSON.stringify(body) });

describe('Route Call answers the held request', () => {
	test('transfer to a number: the documented shape, numbers as the account dials them, answered before Answer Within', async () => {
		await start({}, [routeCall(actions({ step: 'transferNumber', to: '+91 98765 43210' }))]);
		const answer = await ask();
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual([{ transfer: { type: 'number', data: 9876543210 } }]);
		expect(answer.ms).toBeLessThan(1_000);
		await trigger.settled();
		const [execution] = trigger.executions;
		expect(execution.items[0].json).toMatchObject({ event: 'api_dialplan', call_id: '1758790010.9010', customer_number: '9876500001', did: '8049990000', direction: 'inbound', started_at: '2026-07-11T20:39:28+05:30' });
		expect(execution.outputs['Route Call'][0].json.route).toMatchObject({ sent: true });
	});

	test('every action, in order, in the list shape with 91 (as public integrations send)', async () => {
		await start({}, [
			routeCall({
				...actions(
					{ step: 'playRecording', recording: '7611' },
					{ step: 'transferNumber', to: '98765 43210, 09876543211' },
					{ step: 'transferAgent', to: '50746745' },
					{ step: 'transferDepartment', to: '80124' },
					{ step: 'transferIvr', to: '301' },
					{ step: 'transferExtension', to: '0602842370085' },
					{ step: 'transferAutoAttendant', to: '12' },
					{ step: 'playRecordingUrl', recording: 'https://files.example/closed.mp3' },
				),
				routeFormat: { dataAs: 'list', numbers: 'with91', ringType: 'simultaneous' },
			}),
		]);
		expect((await ask()).json).toEqual([
			{ recording: { type: 'system', data: ['7611'] } },
			{ transfer: { type: 'number', data: ['919876543210', '919876543211'], ring_type: 'simultaneous' } },
			{ transfer: { type: 'agent', data: ['50746745'] } },
			{ transfer: { type: 'department', data: ['80124'] } },
			{ transfer: { type: 'ivr', data: ['301'] } },
			{ transfer: { type: 'extension', data: ['0602842370085'] } },
			{ transfer: { type: 'auto_attendant', data: ['12'] } },
			{ recording: { type: 'url', data: ['https://files.example/closed.mp3'] } },
		]);
	});

	test('the documented shape: an agent as text, a recording id as a number', async () => {
		await start({}, [routeCall(actions({ step: 'playRecording', recording: '7611' }, { step: 'transferAgent', to: '50746745' }))]);
		expect((await ask()).json).toEqual([{ recording: { type: 'system', data: 7611 } }, { transfer: { type: 'agent', data: '50746745' } }]);
	});

	test.each([
		['a number that is not one', { step: 'transferNumber', to: 'sales' }, 'action 1'],
		['several numbers as one value', { step: 'transferNumber', to: '9876543210, 9876543211' }, 'Data As to List'],
		['a recording URL over http', { step: 'playRecordingUrl', recording: 'http://files.example/a.mp3' }, 'https'],
		['a call id as the destination', { step: 'transferNumber', to: '1758790010.9010' }, 'call id'],
		['nothing to transfer to', { step: 'transferAgent', to: '' }, 'is empty'],
	])('%s: Route Call fails with what to fix, and the caller gets the Fallback at Answer Within', async (_what, action, expected) => {
		await start({ fallback: 'route', fallbackRoute: { route: { step: 'transferDepartment', to: '80124' } } }, [routeCall(actions(action))]);
		const answer = await ask();
		expect(answer.json).toEqual([{ transfer: { type: 'department', data: '80124' } }]);
		expect(answer.ms).toBeGreaterThanOrEqual(950);
		await trigger.settled();
		const error = trigger.executions[0].error as Error & { description?: string };
		expect(`${error.message} ${error.description}`).toContain(expected);
	});
});

describe('a caller never waits in silence', () => {
	test('a workflow slower than Answer Within: the Fallback is answered at 1 s; the late Route Call sends nothing and says so', async () => {
		await start({ fallback: 'route', fallbackRoute: { route: { step: 'transferDepartment', to: '80124' } } }, [step('test.slow'), routeCall(actions({ step: 'transferNumber', to: '9876543210' }))]);
		const answer = await ask();
		expect(answer.json).toEqual([{ transfer: { type: 'department', data: '80124' } }]);
		expect(answer.ms).toBeGreaterThanOrEqual(950);
		expect(answer.ms).toBeLessThan(1_500);
		await trigger.settled();
		expect(trigger.executions[0].outputs['Route Call'][0].json.route).toMatchObject({ sent: false });
		expect(String(trigger.executions[0].outputs['Route Call'][0].json.route && (trigger.executions[0].outputs['Route Call'][0].json.route as { reason: string }).reason)).toContain('too late');
		expect(trigger.lateResponses).toBe(0);
	});

	test('a failing workflow, with Fallback: the portal’s failover — answered 503 at Answer Within', async () => {
		await start({}, [step('test.fail'), routeCall(actions({ step: 'transferNumber', to: '9876543210' }))]);
		const answer = await ask();
		expect(answer.status).toBe(503);
		expect(answer.ms).toBeGreaterThanOrEqual(950);
		expect(answer.body).toContain('failover');
	});

	test('a workflow that ends without Route Call: the Fallback', async () => {
		await start({ fallback: 'route', fallbackRoute: { route: { step: 'playRecordingUrl', recording: 'https://files.example/closed.mp3' } } }, []);
		const answer = await ask();
		expect(answer.json).toEqual([{ recording: { type: 'url', data: 'https://files.example/closed.mp3' } }]);
	});

	test('a Fallback Route that is not valid: the failover at once, with what to fix; nothing starts', async () => {
		await start({ fallback: 'route', fallbackRoute: { route: { step: 'transferNumber', to: 'sales' } } }, [routeCall(actions({ step: 'transferNumber', to: '9876543210' }))]);
		const answer = await ask();
		expect(answer.status).toBe(503);
		expect(answer.ms).toBeLessThan(500);
		expect(answer.json?.message).toContain('Fallback Route action 1');
		await trigger.settled();
		expect(trigger.executions).toHaveLength(0);
	});
});

describe('secure as the other webhooks', () => {
	test.each([['wrong', 'not-the-secret'], ['missing', '']])('a %s secret: 403, no routing answer, nothing starts', async (_what, secret) => {
		await start({}, [routeCall(actions({ step: 'transferNumber', to: '9876543210' }))]);
		const answer = await ask(undefined, secret);
		expect(answer.status).toBe(403);
		expect(answer.body).not.toContain('transfer');
		expect(answer.body).not.toContain(ROUTE_SECRET);
		await trigger.settled();
		expect(trigger.executions).toHaveLength(0);
	});
});

describe('the request as the platform sends it', () => {
	test('GET with the variables in the query, an unquoted call id kept exact in a POST, Servetel’s last_dtmf', async () => {
		await start({}, [routeCall(actions({ step: 'transferNumber', to: '9876543210' }))]);
		const get = await trigger.send({ method: 'GET', query: { secret: ROUTE_SECRET, call_id: '1758790011.1200', caller_id_number: '09876500002' } });
		expect(get.status).toBe(200);
		const post = await trigger.send({ query: { secret: ROUTE_SECRET }, body: '{"call_id": 1758790012.1230, "caller_id_number": "9876500003", "last_dtmf": "[\\"1\\",\\"3\\"]"}' });
		expect(post.status).toBe(200);
		await trigger.settled();
		const items = trigger.executions.map((execution) => execution.items[0].json);
		expect(items.map((item) => item.call_id).sort()).toEqual(['1758790011.1200', '1758790012.1230']);
		expect(items.find((item) => item.call_id === '1758790012.1230')?.fields).toMatchObject({ last_dtmf: ['1', '3'] });
	});
});

describe('the provider double routes its calls by the answer', () => {
	test('an inbound call on an API Dialplan number rings where Route Call said; a slow workflow’s call goes to the Fallback', async () => {
		const double = await startProviderDouble();
		try {
			await start({ fallback: 'route', fallbackRoute: { route: { step: 'transferDepartment', to: '80124' } } }, [routeCall(actions({ step: 'transferNumber', to: '919196010001' }))]);
			double.apiDialplan.set({ did: '8049990005', url: `${trigger.url}?secret=${ROUTE_SECRET}` });
			const call = double.startCall({ did: '8049990005', customer_number: '9876500044' });
			expect(double.liveCallsNow().find((live) => live.call_id === call.call_id)).toMatchObject({ state: 'in_dialplan', agent_name: '' });
			await double.apiDialplan.settled();
			expect(double.liveCallsNow().find((live) => live.call_id === call.call_id)).toMatchObject({ state: 'ringing', destination: '9196010001', agent_name: 'Vikram Shah', routed_by: 'api_dialplan' });
			await trigger.settled();
			expect(trigger.executions[0].items[0].json).toMatchObject({ call_id: call.call_id, customer_number: '9876500044', did: '8049990005' });
			await trigger.stop();

			await start({ fallback: 'route', fallbackRoute: { route: { step: 'transferDepartment', to: '80124' } } }, [step('test.slow'), routeCall(actions({ step: 'transferNumber', to: '9196010001' }))]);
			double.apiDialplan.set({ did: '8049990005', url: `${trigger.url}?secret=${ROUTE_SECRET}` });
			const slow = double.startCall({ did: '8049990005' });
			await double.apiDialplan.settled();
			expect(double.liveCallsNow().find((live) => live.call_id === slow.call_id)).toMatchObject({ destination: '80124', department: 'Sales', routed_by: 'api_dialplan' });
			expect(double.apiDialplan.requests().at(-1)?.ms).toBeLessThan(1_500);
		} finally {
			await double.stop();
		}
	});
});
