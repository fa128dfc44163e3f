/**
 * Example 3 — an AI Agent with the Smartflo node as its transfer tool — run in the real n8n
 * app. The chat trigger is swapped for a Manual Trigger and a Set node sending the same
 * `chatInput` a chat message would, so `n8n execute` runs it; the agent, its system
 * message, the OpenAI Chat Model and the tool node are the example's own. The model is the
 * scripted model double (OpenAI chat-completions API on 127.0.0.1), the provider is the
 * provider double; the tests assert on what each of them received.
 *
 * Passes on all three apps (1.123, 2.8, 2.41): the AI Agent 3 and the OpenAI Chat Model 1.2
 * of the example exist in each, and with the agent 3 the model is called without streaming,
 * the tool runs as a node of the workflow and its error reaches the model as the tool result.
 */
import { startModelDouble } from '../../provider-double/modelDouble';
import { startProviderDouble } from '../../provider-double/server';
import { N8nApp, appRuntime, freePort, packPackage, type ExecuteResult } from '../helpers/n8nApp';
import { credential, example } from '../helpers/workflows';

type ModelDouble = Awaited<ReturnType<typeof startModelDouble>>;
type Completion = ReturnType<ModelDouble['completions']>[number];
type ToolCall = { name: string; arguments: Record<string, unknown> };

const TOKEN = 'sandbox-token';
const API_KEY = 'sk-model-double-secret';
const CALL = '1758782566.8131'; // a seeded live call of the provider double
const ENDED_CALL = '1758782590.8130'; // made to answer 404 in the refusal test
const TOOL = 'Transfer_Call'; // n8n's tool name for the node "Transfer Call"
const AGENT = 'Call Desk Agent';

const runtime = appRuntime();

let provider: Awaited<ReturnType<typeof startProviderDouble>>;
let model: ModelDouble;
let app: N8nApp;

/** Example 3 with a Manual Trigger and a fixed chat message instead of the chat trigger. */
function agentWorkflow(id: string, chatInput: string, providerUrl: string, change: (node: Record<string, unknown>) => void = () => {}) {
	const workflow = example('ai-agent-transfer-tool.json', providerUrl);
	workflow.id = id;
	workflow.nodes.forEach(change);
	workflow.name = `${workflow.name} (${id})`;
	workflow.nodes = workflow.nodes.filter((node: { type: string }) => !node.type.endsWith('.chatTrigger'));
	workflow.nodes.push(
		{ id: `${id}-start`, name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [-400, 0], parameters: {} },
		{
			id: `${id}-chat`,
			name: 'Chat Message',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [-200, 0],
			parameters: { mode: 'raw', jsonOutput: JSON.stringify({ sessionId: id, action: 'sendMessage', chatInput }), options: {} },
		},
	);
	for (const node of workflow.nodes) {
		if (node.type.endsWith('.lmChatOpenAi')) node.credentials = { openAiApi: { id: 'modelDouble', name: 'Model double' } };
	}
	delete workflow.connections['When Chat Message Received'];
	workflow.connections.Start = { main: [[{ node: 'Chat Message', type: 'main', index: 0 }]] };
	workflow.connections['Chat Message'] = { main: [[{ node: AGENT, type: 'main', index: 0 }]] };
	return workflow;
}

const transfer = (args: Record<string, unknown>): { toolCalls: ToolCall[] } => ({ toolCalls: [{ name: TOOL, arguments: args }] });

/** The tool results the model received in one request, parsed (n8n sends a JSON list of items). */
function toolResultsIn(completion: Completion): unknown[] {
	return completion.messages.filter((message) => message.role === 'tool').map((message) => JSON.parse(String(message.content)));
}

function agentOutput(result: ExecuteResult): unknown {
	return N8nApp.itemsOf(result, AGENT)[0]?.json.output;
}

function expectNoSecret(result: ExecuteResult) {
	const text = result.stdout + result.stderr + JSON.stringify(model.requests) + JSON.stringify(provider.requests);
	expect(text).not.toContain(API_KEY);
	expect(result.stdout + result.stderr).not.toContain(TOKEN);
}

beforeAll(async () => {
	provider = await startProviderDouble();
	model = await startModelDouble();
	app = new N8nApp(await freePort(), undefined, runtime);
	app.installPackage(packPackage());
	await app.importCredentials([
		credential('smartfloSandbox', 'Smartflo (sandbox)', provider.url, `Bearer ${TOKEN}`),
		{ id: 'modelDouble', name: 'Model double', type: 'openAiApi', data: { apiKey: API_KEY, url: model.url } },
	]);
	await app.importWorkflows([
		agentWorkflow('wf-agent-transfer', `Please move call ${CALL} to the sales desk, intercom 80124.`, provider.url),
		agentWorkflow('wf-agent-ended', `Move call ${ENDED_CALL} to 9196009832.`, provider.url),
		agentWorkflow('wf-agent-stop-on-error', `Move call ${CALL} to 80124.`, provider.url, (node) => {
			if (node.name === 'Transfer Call') delete node.onError;
		}),
		agentWorkflow('wf-agent-v1', `Move call ${CALL} to 80124.`, provider.url, (node) => {
			if (node.name === AGENT) node.typeVersion = 1.7;
		}),
	]);
}, 180_000);

beforeEach(() => provider.reset());

afterAll(async () => {
	await provider?.stop();
	await model?.stop();
	app?.remove();
});

test(`the model asks to transfer call X to Y: the provider sees exactly that transfer, the answer quotes its reply (${runtime.name})`, async () => {
	model.script([
		() => transfer({ call_id: CALL, destination: '80124' }),
		({ toolResults }) => ({ text: `Done. Smartflo said: ${toolResults[0].content}` }),
	]);

	const result = await app.execute('wf-agent-transfer');

	expect(result.code).toBe(0);
	expect(provider.callOptionRequests().map((request) => request.json)).toStrictEqual([{ type: 4, call_id: CALL, intercom: '80124' }]);
	expect(model.unexpected).toStrictEqual([]);
	const [first, second] = model.completions();
	expect(model.completions()).toHaveLength(2);
	// What the model is told: the example's system message, the chat message, one tool.
	expect(first.messages.map((message) => message.role)).toStrictEqual(['system', 'user']);
	expect(first.messages[1].content).toBe(`Please move call ${CALL} to the sales desk, intercom 80124.`);
	expect(first.tools?.map((tool) => tool.function.name)).toStrictEqual([TOOL]);
	// The provider's reply reaches the model as the tool result, and the agent's answer.
	const reply = { success: true, message: 'Call transfer request accepted', operation: 'transfer', callId: CALL, transferTo: '80124' };
	expect(toolResultsIn(second)).toStrictEqual([[reply]]);
	expect(agentOutput(result)).toBe(`Done. Smartflo said: ${JSON.stringify([reply])}`);
	expectNoSecret(result);
});

test('the tool schema the model receives says what to pass, in plain words', async () => {
	model.script([() => ({ text: 'Which call, and where to?' })]);

	const result = await app.execute('wf-agent-transfer');

	expect(result.code).toBe(0);
	expect(provider.callOptionRequests()).toStrictEqual([]);
	const [{ tools }] = model.completions();
	expect(tools).toHaveLength(1);
	const { name, description = '', parameters } = tools![0].function;
	expect(name).toBe(TOOL);
	expect(description).toMatch(/live phone call/);
	expect(description).toMatch(/cannot be undone/);
	expect(description).toMatch(/how to correct the input/);
	expect(parameters).toMatchObject({
		type: 'object',
		required: ['call_id', 'destination'],
		properties: {
			call_id: { type: 'string', description: expect.stringContaining('e.g. 1758782566.8131') },
			destination: { type: 'string', description: expect.stringContaining('digits only') },
		},
	});
	expect(Object.keys(parameters.properties)).toStrictEqual(['call_id', 'destination']);
	const words = [description, parameters.properties.call_id.description, parameters.properties.destination.description].join('\n');
	expect(words).toMatch(/10-digit mobile/);
	expect(words).toMatch(/department/);
	// No API jargon: nothing about endpoints, payload fields or the provider's codes.
	for (const jargon of [/\bAPI\b/i, /\/v1/, /call\/options/, /\bJSON\b/i, /payload/i, /\bintercom field\b/i, /\btype[: ]+4\b/, /\$call_id/, /webhook/i, /\bresource\b/i]) {
		expect(words).not.toMatch(jargon);
	}
});

test.each([
	[
		'a destination with letters',
		{ call_id: CALL, destination: '80AB124' },
		'Transfer To (transferTo) "80AB124" is not a phone number, extension or intercom [item 0]. Use digits: a 10-digit mobile (9876543210), an agent extension (0602842370085) or a department intercom (80124). Spaces, dashes, dots and brackets between them are fine. Nothing was sent.',
	],
	[
		'a call id as a number',
		{ call_id: Number(CALL), destination: '80124' },
		`Call (callId) arrived as the number ${Number(CALL)}; numbers lose trailing zeros (.8130 becomes .813), so it may name another call [item 0]. Pass the call id as text (a string), exactly as given, e.g. "1758782566.8131". Nothing was sent.`,
	],
])('the model passes %s: nothing is sent, it reads the field and the fix, and its corrected call succeeds', async (_case, wrong, errorText) => {
	model.script([
		() => transfer(wrong),
		({ toolResults }) => {
			// The model corrects itself from the error text alone.
			expect(toolResults[0].content).toContain('Nothing was sent');
			return transfer({ call_id: CALL, destination: '80124' });
		},
		() => ({ text: 'Transferred after correcting the input.' }),
	]);

	const result = await app.execute('wf-agent-transfer');

	expect(result.code).toBe(0);
	expect(model.unexpected).toStrictEqual([]);
	// Only the corrected call reached the provider.
	expect(provider.callOptionRequests().map((request) => request.json)).toStrictEqual([{ type: 4, call_id: CALL, intercom: '80124' }]);
	const completions = model.completions();
	expect(completions).toHaveLength(3);
	expect(toolResultsIn(completions[1])).toStrictEqual([[{ error: errorText }]]);
	expect(toolResultsIn(completions[2])).toStrictEqual([
		[{ error: errorText }],
		[{ success: true, message: 'Call transfer request accepted', operation: 'transfer', callId: CALL, transferTo: '80124' }],
	]);
	expect(agentOutput(result)).toBe('Transferred after correcting the input.');
	expectNoSecret(result);
});

test('the provider refuses (404, the call has ended): the model reads the status and the message', async () => {
	provider.fail({ path: '/v1/call/options', callIds: [ENDED_CALL], respond: { status: 404, json: { success: false, message: 'Call not found' } } });
	model.script([
		() => transfer({ call_id: ENDED_CALL, destination: '9196009832' }),
		({ toolResults }) => ({ text: `Could not transfer: ${toolResults[0].content}` }),
	]);

	const result = await app.execute('wf-agent-ended');

	expect(result.code).toBe(0);
	expect(model.unexpected).toStrictEqual([]);
	expect(provider.callOptionRequests().map((request) => request.json)).toStrictEqual([{ type: 4, call_id: ENDED_CALL, intercom: '9196009832' }]);
	const error = `Smartflo did not transfer call ${ENDED_CALL} (item 0): Call not found [HTTP 404]. The provider does not know this call or agent. A call id is only valid while the call is live: the call has probably ended.`;
	expect(toolResultsIn(model.completions()[1])).toStrictEqual([[{ error }]]);
	expect(agentOutput(result)).toBe(`Could not transfer: ${JSON.stringify([{ error }])}`);
	expectNoSecret(result);
});

/**
 * Without *On Error: Continue* on the tool node, what happens to a tool error depends on
 * the app: n8n 2.41 still hands the model the error as the tool result; 1.123 and 2.8 end
 * the whole run with the node's error (the model gets no chance to correct itself). Nothing
 * is sent to the provider either way. That is why example 3 sets On Error: Continue.
 */
const STOPS_ON_TOOL_ERROR: Record<string, boolean> = { 'n8n-1.123': true, 'n8n-2.8': true, 'n8n-2.41': false };

test(`without On Error: Continue on the tool, a bad value ${STOPS_ON_TOOL_ERROR[runtime.name] ? 'ends the run with the node’s error' : 'still reaches the model'} (${runtime.name})`, async () => {
	const errorText =
		'Transfer To (transferTo) "80AB124" is not a phone number, extension or intercom [item 0]. Use digits: a 10-digit mobile (9876543210), an agent extension (0602842370085) or a department intercom (80124). Spaces, dashes, dots and brackets between them are fine. Nothing was sent.';
	model.script([
		() => transfer({ call_id: CALL, destination: '80AB124' }),
		() => transfer({ call_id: CALL, destination: '80124' }),
		() => ({ text: 'Transferred after correcting the input.' }),
	]);

	const result = await app.execute('wf-agent-stop-on-error');

	expect(model.unexpected).toStrictEqual([]);
	if (STOPS_ON_TOOL_ERROR[runtime.name]) {
		expect(result.code).not.toBe(0);
		expect(result.stdout + result.stderr).toContain(errorText);
		expect(model.completions()).toHaveLength(1);
		expect(provider.callOptionRequests()).toStrictEqual([]);
	} else {
		expect(result.code).toBe(0);
		expect(toolResultsIn(model.completions()[1])).toStrictEqual([[{ error: errorText }]]);
		expect(provider.callOptionRequests().map((request) => request.json)).toStrictEqual([{ type: 4, call_id: CALL, intercom: '80124' }]);
	}
	expectNoSecret(result);
});

/**
 * The AI Agent 1.x (example 3 used 1.7 until it was first run): the model is called with
 * `stream: true` (answered as server-sent chunks) and the tool goes through LangChain's
 * executor. A transfer works; but n8n checks $fromAI types itself and ends the run on a
 * number where text was declared, and a node error reaches the model as an empty item.
 */
describe('with the older AI Agent 1.7', () => {
	test('a transfer works over a streamed model answer', async () => {
		model.script([() => transfer({ call_id: CALL, destination: '80124' }), () => ({ text: 'Transferred.' })]);

		const result = await app.execute('wf-agent-v1');

		expect(result.code).toBe(0);
		expect(model.unexpected).toStrictEqual([]);
		expect(model.completions().map((completion) => completion.stream)).toStrictEqual([true, true]);
		expect(provider.callOptionRequests().map((request) => request.json)).toStrictEqual([{ type: 4, call_id: CALL, intercom: '80124' }]);
		expect(toolResultsIn(model.completions()[1])).toStrictEqual([
			[{ success: true, message: 'Call transfer request accepted', operation: 'transfer', callId: CALL, transferTo: '80124' }],
		]);
		expect(agentOutput(result)).toBe('Transferred.');
	});

	test('a call id as a number: n8n’s own schema check ends the run before the node', async () => {
		model.script([() => transfer({ call_id: Number(CALL), destination: '80124' }), () => ({ text: 'unreachable' })]);

		const result = await app.execute('wf-agent-v1');

		expect(result.code).not.toBe(0);
		expect(result.stdout + result.stderr).toContain('Received tool input did not match expected schema');
		expect(model.completions()).toHaveLength(1);
		expect(provider.callOptionRequests()).toStrictEqual([]);
	});

	test('a destination with letters: nothing is sent, but the model only sees an empty item', async () => {
		model.script([
			() => transfer({ call_id: CALL, destination: '80AB124' }),
			() => transfer({ call_id: CALL, destination: '80124' }),
			() => ({ text: 'Transferred on the second try.' }),
		]);

		const result = await app.execute('wf-agent-v1');

		expect(result.code).toBe(0);
		expect(toolResultsIn(model.completions()[1])).toStrictEqual([[{}]]);
		expect(provider.callOptionRequests().map((request) => request.json)).toStrictEqual([{ type: 4, call_id: CALL, intercom: '80124' }]);
	});
});
