/**
 * The live calls By Phone Number reads: one read shared by the items of a run, read again
 * once nobody used it for READ_IDLE_MS, and never a failed read kept. A fake context stands
 * in for n8n's; a run is n8n's execute data for the node's own run.
 */
import type { IExecuteSingleFunctions } from 'n8n-workflow';

import { READ_IDLE_MS, liveCallsOfRun } from '../../nodes/Smartflo/resources/call/findCall';

const LIVE = JSON.stringify([{ call_id: '1758782566.8131', customer_number: '9876500001' }]);

const NODE = { id: 'n', name: 'Smartflo', type: 'n8n-nodes-smartflo.smartflo', typeVersion: 1, position: [0, 0], parameters: {} };
/** n8n's execute data for a run of the node. */
const newRun = () => ({ node: NODE, data: { main: [] }, source: null });

function fakeContext(answers: Array<{ statusCode: number; body: string }>, executeData: object) {
	let reads = 0;
	const context = {
		getExecuteData: () => executeData,
		getNode: () => structuredClone(NODE),
		getItemIndex: () => 0,
		getCredentials: async () => ({ provider: 'custom', baseUrl: 'http://127.0.0.1:9', token: 't', numbering: 'india' }),
		helpers: {
			httpRequestWithAuthentication: async () => {
				reads += 1;
				return { headers: {}, ...answers[Math.min(reads, answers.length) - 1] };
			},
		},
	} as unknown as IExecuteSingleFunctions;
	return { context, reads: () => reads };
}

let now = 1_000_000;
beforeEach(() => jest.spyOn(Date, 'now').mockImplementation(() => now));
afterEach(() => jest.restoreAllMocks());
const noWait = async () => {};

test('items of one run share one read; a run that pauses longer than READ_IDLE_MS (a tool called again) reads again', async () => {
	const run = newRun();
	const { context, reads } = fakeContext([{ statusCode: 200, body: LIVE }], run);
	await Promise.all([liveCallsOfRun(context, noWait), liveCallsOfRun(context, noWait)]);
	now += READ_IDLE_MS - 1;
	await liveCallsOfRun(context, noWait);
	expect(reads()).toBe(1);

	now += READ_IDLE_MS + 1;
	const again = await liveCallsOfRun(context, noWait);
	expect(reads()).toBe(2);
	expect(again).toStrictEqual({ calls: [{ call_id: '1758782566.8131', customer_number: '9876500001' }], numbering: 'india' });
});

test('a failed read fails the items waiting for it, and the next item reads again', async () => {
	const run = newRun();
	const { context, reads } = fakeContext([{ statusCode: 503, body: '{"message":"Maintenance"}' }, { statusCode: 200, body: LIVE }], run);
	const failed = await Promise.allSettled([liveCallsOfRun(context, noWait), liveCallsOfRun(context, noWait)]);
	expect(failed.map((result) => result.status)).toStrictEqual(['rejected', 'rejected']);
	expect(reads()).toBe(1);

	const next = await liveCallsOfRun(context, noWait);
	expect(reads()).toBe(2);
	expect(next.calls).toHaveLength(1);
});

test('a tool of an AI Agent before version 3 (the agent’s execute data) reads for its own call alone', async () => {
	const agentRun = { node: { ...NODE, name: 'Agent', type: '@n8n/n8n-nodes-langchain.agent' }, data: { main: [] }, source: null };
	const { context, reads } = fakeContext([{ statusCode: 200, body: LIVE }], agentRun);
	await liveCallsOfRun(context, noWait);
	await liveCallsOfRun(context, noWait);
	expect(reads()).toBe(2);
});
