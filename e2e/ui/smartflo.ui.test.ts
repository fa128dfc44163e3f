/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * `npm run test:ui`: the package in the real n8n editor (2.41) as `npm start` serves it,
 * driven in Debian's Chromium the way a person uses it, with a screenshot at each key point
 * (e2e/ui/screenshots/). The tests are one journey and run in order: a fresh owner account,
 * a workflow built from the nodes panel, its credential, its lists, a transfer and an error,
 * then a restart of `npm start` in the same folder and every example run from the editor.
 * Each test asserts on what the page shows and, where something reaches the provider, on
 * what the provider double received.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { Locator, Page } from 'playwright-core';

import { DIALPLAN_REQUEST } from '../../nodes/Smartflo/dialplan/receiveRoutingRequest';
import { bodyTemplate, portalEvent } from '../../nodes/Smartflo/webhook/portalEvents';
import { startModelDouble } from '../../provider-double/modelDouble';
import { freePort } from '../helpers/n8nApp';
import { SCREENSHOTS, freshScreenshotFolder, launchBrowser, type Browser } from './helpers/browser';
import {
	buttonAtRest,
	canvasNode,
	chooseOption,
	dismissToasts,
	eventually,
	ndv,
	nodesPanelNames,
	openResourceList,
	searchNodesPanel,
	setUpOwner,
	signIn,
	visibleText,
	type Owner,
} from './helpers/editor';
import { DoubleClient, type LiveCall, type PortalWebhook } from './helpers/providerDouble';
import { StartScript } from './helpers/startScript';

const OWNER: Owner = { email: 'owner@example.test', firstName: 'Sandbox', lastName: 'Owner', password: 'Sandbox-Pass1' };
/** What a credential says when a request goes to another host than the one it was written for. */
const HOST_LOCK_ERROR = /only sends its token to/;
/** A seeded agent of the double who is only on the third page of 50 of the users API. */
const PAGE_THREE_AGENT = 'Meera Agent 113';
/** The seeded call of the double that has run longer than 10 minutes (14:05 at start). */
const LONG_SEEDED_CALL = '1758782590.8130';
const SHORT_SEEDED_CALL = '1758782566.8131';
/** Example 6 (examples/caller-owner-answers.json): its name, its trigger's webhook id and events. */
const EXAMPLE_6 = "Smartflo: the caller's account owner answers";
const EXAMPLE_6_WEBHOOK_ID = '6a1e0c55-1b7e-4c39-8f51-00000000060a';
const EXAMPLE_6_EVENTS = ['call_received', 'hangup_missed'];
const templateOf = (code: string) => bodyTemplate(portalEvent(code)!);

let folder: string;
let port: number;
let app: StartScript | undefined;
let double: DoubleClient;
let browser: Browser;
/** The call started on the double for the list and the transfer (tests 4 to 6). */
let incoming: LiveCall;
/** The portal webhooks npm start registered on the double for example 6 (a reset of the double forgets them). */
let sandboxWebhooks: PortalWebhook[] = [];

/** A test that leaves a FAILED-… screenshot of the page behind when it fails. */
function uiTest(name: string, body: () => Promise<void>, timeoutMs = 240_000) {
	test(
		name,
		async () => {
			try {
				await body();
			} catch (error) {
				await browser?.shot(`FAILED-${name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
				throw error;
			}
		},
		timeoutMs,
	);
}

async function startApp(run: number): Promise<StartScript> {
	const started = await StartScript.start(path.join(folder, 'n8n'), port, path.join(SCREENSHOTS, `npm-start-${run}.log`));
	double = new DoubleClient(started.doubleUrl);
	return started;
}

beforeAll(async () => {
	freshScreenshotFolder();
	folder = mkdtempSync(path.join(tmpdir(), 'smartflo-ui-'));
	port = await freePort();
	app = await startApp(1);
	browser = await launchBrowser();
}, 360_000);

afterAll(async () => {
	await browser?.close();
	await app?.stop();
	if (folder) rmSync(folder, { recursive: true, force: true });
}, 120_000);

uiTest('1. first visit: n8n asks for its owner account, and the account is created', async () => {
	// start.ts reads n8n's settings to say what the first visit looks like.
	expect(app!.output()).toContain('First visit: n8n asks you to create its owner account');

	await setUpOwner(browser.page, app!.url, OWNER, () => browser.shot('owner-setup-form'));

	await browser.page.getByTestId('project-home-menu-item').waitFor();
	const settings = (await (await fetch(`${app!.url}/rest/settings`)).json()) as { data: { userManagement: { showSetupOnFirstLoad: boolean } } };
	expect(settings.data.userManagement.showSetupOnFirstLoad).toBe(false);
	await browser.page.goto(`${app!.url}/home/workflows`);
	// The examples npm start imported are there for the new owner.
	for (const name of ['Smartflo: CRM webhook', 'Smartflo: barge a supervisor', 'Smartflo: an AI agent', 'Smartflo: missed inbound calls', 'Smartflo: call back a missed caller now', EXAMPLE_6]) {
		await browser.page.getByTestId('workflow-card-name').filter({ hasText: name }).waitFor();
	}
	await browser.shot('owner-signed-in-examples');

	// Example 6's portal webhooks: each event to the trigger's test and production URL, with
	// the sandbox's Secret and the body template the node shows for it.
	expect(app!.output()).toMatch(/Ring it now: curl -X POST http:\/\/127\.0\.0\.1:\d+\/__double\/calls/);
	sandboxWebhooks = await double.webhooks();
	const secret = /[?&]secret=([0-9a-f]{32})$/.exec(sandboxWebhooks[0]?.url ?? '')?.[1];
	expect(secret).toBeDefined();
	expect(sandboxWebhooks.map(({ url, trigger, method, contentType, template }) => ({ url, trigger, method, contentType, template })).sort((a, b) => a.url.localeCompare(b.url))).toEqual(
		EXAMPLE_6_EVENTS.flatMap((code) =>
			['webhook', 'webhook-test'].map((kind) => ({
				url: `${app!.url}/${kind}/${EXAMPLE_6_WEBHOOK_ID}/smartflo?event=${code}&secret=${secret}`,
				trigger: code,
				method: 'POST',
				contentType: 'json',
				template: templateOf(code),
			})),
		).sort((a, b) => a.url.localeCompare(b.url)),
	);
});

uiTest('2. the nodes panel finds the node by its brand names and by what it does; Transfer opens with the sandbox credential', async () => {
	const { page } = browser;
	await page.goto(`${app!.url}/workflow/new`);
	await page.getByTestId('canvas-plus-button').click();
	for (const term of ['Smartflo', 'Acefone', 'Servetel', 'Tata Tele', 'barge', 'transfer']) {
		await searchNodesPanel(page, term);
		await eventually(async () => expect(await nodesPanelNames(page)).toContain('Smartflo'));
		if (['Acefone', 'Servetel', 'Tata Tele'].includes(term)) await browser.shot(`nodes-panel-${term.replace(' ', '-')}`);
		// Back to the panel's categories, which do not list Smartflo: each term finds it on its own.
		await searchNodesPanel(page, '');
		await eventually(async () => expect(await nodesPanelNames(page)).toContain('Trigger manually'));
	}

	await searchNodesPanel(page, 'Servetel');
	await page.getByTestId('node-creator').getByTestId('item-iterator-item').filter({ hasText: 'Smartflo' }).first().click();
	await page.getByTestId('node-creator-category-item').filter({ hasText: 'Actions' }).click();
	const actions = page.getByTestId('node-creator').getByTestId('item-iterator-item');
	await eventually(async () =>
		expect(await actions.allInnerTexts()).toEqual(
			expect.arrayContaining(['Monitor a live call', 'Whisper to the agent on a live call', 'Barge into a live call', 'Transfer a live call']),
		),
	);
	await browser.shot('nodes-panel-smartflo-actions');
	await actions.filter({ hasText: 'Transfer a live call' }).click();

	const panel = ndv(page);
	await panel.waitFor();
	// The only Smartflo credential is picked for the new node; the operation is Transfer.
	await expect(panel.getByTestId('node-credentials-select').locator('input').inputValue()).resolves.toBe('Smartflo (sandbox)');
	await expect(panel.getByTestId('parameter-input-operation').locator('input').inputValue()).resolves.toBe('Transfer');
	await panel.getByTestId('parameter-input-transferTo').waitFor();
	await browser.shot('transfer-node-new');
});

uiTest('3. the credential dialog: the connection test passes; Email and Password, and Acefone UK’s Login ID, show their own fields', async () => {
	const { page } = browser;
	await double.forgetRequests();
	await ndv(page).getByTestId('credential-edit-button').click();
	const dialog = page.getByTestId('editCredential-modal');
	// n8n tests a saved credential when its dialog opens: GET /v1/users?limit=1 on the double.
	await dialog.getByTestId('credentials-config-container-test-success').waitFor();
	await eventually(async () =>
		expect((await double.requests()).filter((request) => request.path === '/v1/users' && request.query.limit === '1' && request.status === 200)).toHaveLength(1),
	);
	await browser.shot('credential-connection-ok');

	const labels = async () => (await dialog.getByTestId('credential-connection-parameter').allInnerTexts()).map((text) => text.split('\n')[0].replace(/\s*\*$/, ''));
	/** The dialog settles on showing these fields and none of those. */
	const showsFields = async (shown: string[], hidden: string[]) =>
		await eventually(async () => {
			const labelsNow = await labels();
			expect(labelsNow).toEqual(expect.arrayContaining(shown));
			for (const label of hidden) expect(labelsNow).not.toContain(label);
		});
	// The sandbox is a Custom Base URL: its host and how it reads phone numbers are asked for.
	await showsFields(['Provider', 'Base URL', 'Phone Numbers', 'Authentication', 'API Token'], ['Email', 'Password']);

	await chooseOption(page, dialog, 'authentication', 'Email and Password');
	await showsFields(['Email', 'Password'], ['API Token', 'Login ID']);
	await browser.shot('credential-email-and-password');

	// Acefone UK has its own host: no Base URL or Phone Numbers; its login is a Login ID, not an email.
	await chooseOption(page, dialog, 'provider', 'Acefone UK');
	await showsFields(['Login ID', 'Password'], ['Email', 'Base URL', 'Phone Numbers']);
	await browser.shot('credential-acefone-uk-login-id');

	// Leave the sandbox credential as it was: close and throw the changes away.
	await dialog.locator('.el-dialog__close').first().click();
	await page.locator('.el-message-box').getByRole('button', { name: 'Close', exact: true }).click();
	await dialog.waitFor({ state: 'hidden' });
});

uiTest('4. Call → From List shows the live calls with how long each has run, and typing filters them', async () => {
	const { page } = browser;
	incoming = await double.startCall({ call_time: '00:10:30', agent_name: 'Kabir Gill', source: '9876512345' });
	const live = await double.liveCalls();

	const { search, items } = await openResourceList(page, 'callId');
	const labels = await eventually(async () => {
		const shown = await items.allInnerTexts();
		expect(shown).toHaveLength(live.length);
		return shown;
	});
	// Each label starts with the call id, then when the call started: "1758782590.8130 · since 14:02 · …"
	// (a start time: n8n keeps a picked item's label, and a running time there would go stale).
	expect(labels.map((label) => label.split(' · ')[0]).sort()).toEqual(live.map((call) => call.call_id).sort());
	for (const label of labels) expect(label).toMatch(/^\d+\.\d+ · since \d\d:\d\d · /);
	const mine = labels.find((label) => label.startsWith(`${incoming.call_id} · `));
	expect(mine).toMatch(new RegExp(`^${incoming.call_id.replace('.', '\\.')} · since \\d\\d:\\d\\d · 9876512345 ↔ Kabir Gill \\(inbound, answered\\)$`));
	await browser.shot('call-list-open');

	await search.fill('kabir');
	await eventually(async () => {
		const shown = await items.allInnerTexts();
		expect(shown).toHaveLength(1);
		expect(shown[0].startsWith(`${incoming.call_id} · `)).toBe(true);
	});
	await browser.shot('call-list-filtered');
	await items.first().click();
	await expect(ndv(page).getByTestId('resource-locator-callId').getByTestId('rlc-input').inputValue()).resolves.toMatch(new RegExp(`^${incoming.call_id.replace('.', '\\.')} · `));
});

uiTest('5. Agent → From List finds an agent who is only on the third page of the users API by part of the name', async () => {
	const { page } = browser;
	// The premise, from the double itself: the agent is on page 3 of 50, not on pages 1 or 2.
	const page1 = await double.usersPage(50);
	const page2 = await double.usersPage(50, page1.last_seen_id ?? undefined);
	const page3 = await double.usersPage(50, page2.last_seen_id ?? undefined);
	expect([...page1.data, ...page2.data].map((user) => user.name)).not.toContain(PAGE_THREE_AGENT);
	expect(page3.data.map((user) => user.name)).toContain(PAGE_THREE_AGENT);
	await double.forgetRequests();

	// Agent is a field of Monitor, Whisper and Barge.
	await chooseOption(page, ndv(page), 'operation', 'Barge');
	const { search, items } = await openResourceList(page, 'agentId');
	await items.first().waitFor();
	await search.fill('Agent 113');
	await eventually(async () => expect(await items.allInnerTexts()).toEqual([`${PAGE_THREE_AGENT} · ext 212 (busy)`]));
	// The search read on with the provider's cursor rather than stopping at the first page.
	const userReads = (await double.requests()).filter((request) => request.path === '/v1/users');
	expect(userReads.some((request) => request.query.last_seen_id !== undefined)).toBe(true);
	await browser.shot('agent-search-page-three');
	await items.first().click();
	await expect(ndv(page).getByTestId('resource-locator-agentId').getByTestId('rlc-input').inputValue()).resolves.toContain(PAGE_THREE_AGENT);

	// Back to Transfer: the call picked in test 4 stays.
	await chooseOption(page, ndv(page), 'operation', 'Transfer');
	await ndv(page).getByTestId('parameter-input-transferTo').waitFor();
	await expect(ndv(page).getByTestId('resource-locator-callId').getByTestId('rlc-input').inputValue()).resolves.toMatch(new RegExp(`^${incoming.call_id.replace('.', '\\.')} · `));
});

/** The canvas's run button is back at rest: the run is over. */
async function executionFinished(page: Page): Promise<void> {
	await buttonAtRest(page.getByTestId('execute-workflow-button'));
}

/** The items in the output panel of the open node, read from its JSON view. */
async function outputItems(output: Locator): Promise<unknown> {
	await output.getByTestId('radio-button-json').click();
	// The viewer lays the JSON out with non-breaking spaces and line breaks of its own, and
	// draws it a moment after the tab opens: read until it parses.
	return await eventually(async () => JSON.parse((await output.getByTestId('ndv-data-container').innerText()).replace(/\s+/g, ' ')) as unknown, 10_000);
}

/** Types a destination into Transfer To and runs the node with Execute step; the double's log starts afresh. */
async function executeTransferTo(destination: string) {
	const panel = ndv(browser.page);
	await double.forgetRequests();
	await panel.getByTestId('parameter-input-transferTo').locator('input').fill(destination);
	await dismissToasts(browser.page);
	await panel.getByTestId('node-execute-button').click();
	return panel;
}

uiTest('6. Execute step transfers the call: the output panel shows the provider’s answer, and the provider got type 4', async () => {
	const panel = await executeTransferTo('80124');

	const output = panel.getByTestId('output-panel');
	await output.getByText('Call transfer request accepted').first().waitFor();
	await buttonAtRest(panel.getByTestId('node-execute-button'));
	await browser.shot('transfer-executed');
	expect(await outputItems(output)).toEqual([
		{ success: true, message: 'Call transfer request accepted', operation: 'transfer', callId: incoming.call_id, transferTo: '80124' },
	]);
	await browser.shot('transfer-output-json');
	expect(await double.callOperations()).toEqual([{ type: 4, call_id: incoming.call_id, intercom: '80124' }]);
	await output.getByTestId('radio-button-table').click();
});

uiTest('7. a destination with letters: the output panel names the field and the item, and nothing is sent', async () => {
	const panel = await executeTransferTo('12ab');

	const message = panel.getByTestId('output-panel').getByTestId('node-error-message');
	await message.waitFor();
	await buttonAtRest(panel.getByTestId('node-execute-button'));
	expect(await message.innerText()).toBe('Transfer To (transferTo) "12ab" is not a phone number, extension or intercom [item 0]');
	expect(await panel.getByTestId('output-panel').getByTestId('node-error-description').innerText()).toContain('Use digits:');
	await browser.shot('transfer-error-bad-destination');
	expect(await double.callOperations()).toEqual([]);
	await panel.getByTestId('ndv-close-button').click();
});

uiTest(
	'8. after a restart of npm start in the same folder the owner signs in and every example runs from the editor',
	async () => {
		const { page, context } = browser;
		const before = app!.doubleUrl;
		await app!.stop();
		app = undefined;
		app = await startApp(2);
		// The same user folder: n8n has its owner, and start.ts says so.
		expect(app.output()).toContain('Sign in with the owner account you created');
		// For the record: the double comes back on its port if free (example 5's URL names it); the credential follows it.
		process.stdout.write(`provider double before the restart: ${before}, after: ${app.doubleUrl}\n`);

		await context.clearCookies();
		await signIn(page, app.url, OWNER);
		await page.goto(`${app.url}/home/workflows`);
		await page.getByTestId('workflow-card-name').first().waitFor();
		await browser.shot('restart-signed-in');

		// Example 1: the CRM webhook, called on its test URL while the editor listens.
		await double.forgetRequests();
		await page.goto(`${app.url}/workflow/smartfloExample1`);
		await canvasNode(page, 'Transfer to Lead Owner').waitFor();
		await page.getByTestId('execute-workflow-button').click();
		const answer = await eventually(async () => {
			const response = await fetch(`${app!.url}/webhook-test/smartflo-crm-transfer`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json' },
				// The CRM sends the customer's number; the node finds their live call (SHORT_SEEDED_CALL).
				body: JSON.stringify({ customer_phone: '+91 98765 00001', owner_phone: '9876543210' }),
			});
			// 404 until the editor's test webhook is registered.
			expect(response.status).toBe(200);
			return await response.json();
		});
		expect(answer).toEqual({
			success: true,
			message: 'Call transfer request accepted',
			operation: 'transfer',
			callId: SHORT_SEEDED_CALL,
			transferTo: '9876543210',
			foundByCustomerNumber: '+91 98765 00001',
		});
		await canvasNode(page, 'Transfer to Lead Owner').getByTestId('canvas-node-status-success').waitFor();
		await executionFinished(page);
		expect(await visibleText(page)).not.toMatch(HOST_LOCK_ERROR);
		expect(await double.callOperations()).toEqual([{ type: 4, call_id: SHORT_SEEDED_CALL, intercom: '9876543210' }]);
		await browser.shot('example-1-crm-webhook-run');
		// The node's panel: Call By Phone Number, its output the call it found.
		await canvasNode(page, 'Transfer to Lead Owner').dblclick();
		await ndv(page).getByTestId('output-panel').getByText('foundByCustomerNumber').first().waitFor();
		await browser.shot('example-1-call-by-phone-number');
		await ndv(page).getByTestId('ndv-close-button').click();

		// Example 2: Smartflo Trigger's test poll finds the call over 10 minutes; the supervisor barges in.
		await double.forgetRequests();
		await page.goto(`${app.url}/workflow/smartfloExample2`);
		await canvasNode(page, 'Barge In Supervisor').waitFor();
		await page.getByTestId('execute-workflow-button').click();
		await canvasNode(page, 'Barge In Supervisor').getByTestId('canvas-node-status-success').waitFor();
		await executionFinished(page);
		expect(await visibleText(page)).not.toMatch(HOST_LOCK_ERROR);
		expect(await double.callOperations()).toEqual([{ type: 3, call_id: LONG_SEEDED_CALL, agent_id: '0502842370101' }]);
		await browser.shot('example-2-barge-long-calls-run');

		// Example 3: the AI agent, with an OpenAI credential on the scripted model double, asked in the chat.
		const model = await startModelDouble();
		try {
			model.script([
				() => ({ toolCalls: [{ name: 'Transfer_Call', arguments: { call_id: SHORT_SEEDED_CALL, destination: '80124' } }] }),
				({ toolResults }) => ({ text: `Transferred. Smartflo answered: ${toolResults.at(-1)?.content}` }),
			]);
			await double.forgetRequests();
			await page.goto(`${app.url}/workflow/smartfloExample3`);
			await canvasNode(page, 'OpenAI Chat Model').dblclick();
			await ndv(page).getByTestId('node-credentials-empty-state').click();
			const dialog = page.getByTestId('editCredential-modal');
			await dialog.getByTestId('parameter-input-apiKey').locator('input').fill('sk-model-double');
			await dialog.getByTestId('parameter-input-url').locator('input').fill(model.url);
			await dialog.getByTestId('credential-save-button').click();
			await dialog.waitFor({ state: 'hidden' });
			await ndv(page).getByTestId('ndv-close-button').click();

			await page.getByTestId('workflow-chat-button').click();
			await page.getByTestId('chat-input').fill(`Please move call ${SHORT_SEEDED_CALL} to the sales desk, intercom 80124.`);
			await page.getByTestId('chat-input').press('Enter');
			const chat = page.getByTestId('canvas-chat');
			await chat.getByText('Transferred. Smartflo answered:').waitFor({ timeout: 60_000 });
			expect(await chat.innerText()).toContain('Call transfer request accepted');
			expect(await visibleText(page)).not.toMatch(HOST_LOCK_ERROR);
			expect(model.unexpected).toEqual([]);
			expect(await double.callOperations()).toEqual([{ type: 4, call_id: SHORT_SEEDED_CALL, intercom: '80124' }]);
			await browser.shot('example-3-ai-agent-chat-run');
		} finally {
			await model.stop();
		}
	},
	420_000,
);

uiTest('9. the first path on the trigger examples: Fetch Test Event, then Execute step on the next node', async () => {
	const { page } = browser;
	// Example 2: the trigger's test event, then only the barge (the path that once failed on
	// examples imported without pinned data).
	await double.forgetRequests();
	await page.goto(`${app!.url}/workflow/smartfloExample2`);
	await canvasNode(page, 'Call Running Over 10 Minutes').dblclick();
	await ndv(page).getByTestId('node-execute-button').click();
	await ndv(page).getByTestId('output-panel').getByText(LONG_SEEDED_CALL).first().waitFor();
	await browser.shot('example-2-fetch-test-event');
	await ndv(page).getByTestId('ndv-close-button').click();
	await canvasNode(page, 'Barge In Supervisor').dblclick();
	await dismissToasts(page);
	await ndv(page).getByTestId('node-execute-button').click();
	await ndv(page).getByTestId('output-panel').getByText('Call barge request accepted').first().waitFor();
	await buttonAtRest(ndv(page).getByTestId('node-execute-button'));
	expect(await visibleText(page)).not.toMatch(/Cannot read properties/);
	expect(await double.callOperations()).toEqual([{ type: 3, call_id: LONG_SEEDED_CALL, agent_id: '0502842370101' }]);
	await browser.shot('example-2-execute-step-barge');
	await ndv(page).getByTestId('ndv-close-button').click();

	// Example 4: Finished Call's test event is the newest missed call in the call records.
	await page.goto(`${app!.url}/workflow/smartfloExample4`);
	await canvasNode(page, 'Missed Inbound Call').dblclick();
	await ndv(page).getByTestId('node-execute-button').click();
	const output = ndv(page).getByTestId('output-panel');
	await output.getByText('missed').first().waitFor();
	expect(await visibleText(page)).not.toMatch(/Cannot read properties/);
	await browser.shot('example-4-fetch-test-event');
	await ndv(page).getByTestId('ndv-close-button').click();
});

/** What a newcomer types to find the package, for each event and operation (issue 24). */
const SEARCH_WORDS = ['missed call', 'missed', 'call recording', 'recording', 'call log', 'CDR', 'call records', 'finished call', 'long call', 'new live call', 'call ended', 'barge', 'whisper', 'call transfer', 'monitor'];

/** Types each word into the open nodes panel: each finds Smartflo on its own. */
async function everyWordFindsSmartflo(page: Page, panel: string) {
	for (const word of SEARCH_WORDS) {
		await searchNodesPanel(page, word);
		await eventually(async () => expect({ word, names: await nodesPanelNames(page) }).toEqual({ word, names: expect.arrayContaining(['Smartflo']) }));
		if (['missed call', 'CDR'].includes(word)) await browser.shot(`nodes-panel-${panel}-${word.replace(' ', '-')}`);
	}
}

uiTest('10. the nodes panel finds the package by every event’s words, in the trigger panel and in the next-step panel', async () => {
	const { page } = browser;
	// The trigger panel: a new workflow's first node.
	await page.goto(`${app!.url}/workflow/new`);
	await page.getByTestId('canvas-plus-button').click();
	await everyWordFindsSmartflo(page, 'trigger');
	await page.keyboard.press('Escape');

	// The next-step panel: the + after example 4's last node.
	await page.goto(`${app!.url}/workflow/smartfloExample4`);
	await canvasNode(page, 'Add to Call-Back List').waitFor();
	const plus = page.locator('[data-test-id="canvas-node-output-handle"][data-node-name="Add to Call-Back List"] [data-test-id="canvas-handle-plus"]');
	if ((await plus.count()) > 0) await plus.first().click();
	else {
		await canvasNode(page, 'Add to Call-Back List').click();
		await page.keyboard.press('Tab');
	}
	await page.getByTestId('node-creator-search-bar').waitFor();
	await everyWordFindsSmartflo(page, 'next-step');
	await page.keyboard.press('Escape');
});

uiTest('11. example 5 run from the editor: the newest missed inbound call is called back (agent first, then the customer) through HTTP Request', async () => {
	const { page } = browser;
	await double.addCallRecord({ answered: false, startedAgoSeconds: 30, client_number: '9876543210' });
	await double.forgetRequests();
	await page.goto(`${app!.url}/workflow/smartfloExample5`);
	await canvasNode(page, 'Click to Call').waitFor();
	await page.getByTestId('execute-workflow-button').click();
	await canvasNode(page, 'Click to Call').getByTestId('canvas-node-status-success').waitFor();
	await executionFinished(page);
	expect(await visibleText(page)).not.toMatch(HOST_LOCK_ERROR);
	const callBacks = (await double.requests()).filter((request) => request.method === 'POST' && request.path === '/v1/click_to_call');
	expect(callBacks.map((request) => [request.status, request.json])).toEqual([
		[200, { agent_number: '0502842370097', destination_number: '9876543210', caller_id: '8049990000', async: 1 }],
	]);
	// The provider rings the agent (Asha Rao) first, then the customer: a live call either way.
	const callBack = (await double.liveCalls()).find((call) => call.customer_number === '9876543210');
	expect(callBack).toMatchObject({ direction: 'outbound', agent_name: 'Asha Rao', destination: expect.stringMatching(/^(0502842370097|9876543210)$/) });
	await canvasNode(page, 'Click to Call').dblclick();
	await ndv(page).getByTestId('output-panel').getByText('Originate successfully queued').first().waitFor();
	await browser.shot('example-5-click-to-call-run');
	await ndv(page).getByTestId('ndv-close-button').click();
});

uiTest('12. Attach Recording is on when added; the test event’s recording plays in the Binary tab', async () => {
	const { page } = browser;
	await page.goto(`${app!.url}/workflow/smartfloExample4`);
	await canvasNode(page, 'Missed Inbound Call').dblclick();
	const panel = ndv(page);
	// Answered calls have a recording (the seeded one 25 minutes ago).
	await panel.getByTestId('parameter-input-outcome').click();
	await page.getByRole('option', { name: /^Answered(?! and)/ }).first().click();

	// Options → Add Option → Attach Recording: switched on by adding it.
	// n8n 2.41 shows a collection's Add Option as a select whose placeholder (not text) says so.
	const adders = panel.locator('[data-test-id^="collection-parameter-add"]');
	await adders.filter({ has: page.locator('input[placeholder="Add Option"]') }).or(adders.filter({ hasText: 'Add Option' })).first().click();
	const attach = /^Attach Recording/;
	await page.getByRole('option', { name: attach }).or(page.getByRole('menuitem', { name: attach })).first().click();
	const toggle = panel.getByTestId('parameter-input-attachRecording');
	await toggle.waitFor();
	await eventually(async () => expect(await toggle.locator('.is-checked, [aria-checked="true"], input:checked').count()).toBeGreaterThan(0));
	await browser.shot('attach-recording-on-when-added');

	// Fetch Test Event: the newest answered call, its recording attached as binary data.
	await dismissToasts(page);
	await panel.getByTestId('node-execute-button').click();
	const output = panel.getByTestId('output-panel');
	await output.getByTestId('radio-button-binary').click();
	await output.getByTestId('ndv-view-binary-data').first().click();
	const audio = page.locator('.binary-data-window audio');
	await audio.waitFor({ state: 'attached' });
	// The browser reads the file as audio it can play: no media error, about 1.5 s long.
	const media = await eventually(async () => {
		const state = await audio.evaluate((element) => {
			const player = element as unknown as { duration: number; readyState: number; error: { code: number } | null; currentSrc: string };
			return { duration: player.duration, readyState: player.readyState, error: player.error?.code ?? null, source: player.currentSrc };
		});
		expect(state.error).toBeNull();
		expect(state.readyState).toBeGreaterThanOrEqual(1);
		return state;
	});
	expect(media.duration).toBeCloseTo(1.5, 1);
	expect(media.source).not.toBe('');
	await browser.shot('recording-plays-in-binary-tab');
});

/** The notice the trigger's panel shows for a portal event: the end of its URL and its body template. */
function eventNotice(panel: Locator, code: string): Locator {
	// The innermost element with a notice class holding the event's URL ending (ancestors come first).
	return panel.locator('[class*="notice"]').filter({ hasText: `?event=${code}&secret=` }).last();
}

uiTest('13. example 6: the Smartflo Webhook Trigger shows its Test URL and what to paste per event; Listen for test event receives a call from the portal', async () => {
	const { page } = browser;
	await page.goto(`${app!.url}/home/workflows`);
	await page.getByTestId('workflow-card-name').filter({ hasText: EXAMPLE_6 }).click();
	await canvasNode(page, 'Smartflo Webhook Trigger').dblclick();
	const panel = ndv(page);
	await panel.waitFor();

	// Webhook URLs (folded away at first): the Test URL, for POST and for GET.
	await panel.getByText('Webhook URLs').first().click();
	const testUrl = `${app!.url}/webhook-test/${EXAMPLE_6_WEBHOOK_ID}/smartflo`;
	await eventually(async () => expect((await panel.locator('.webhook-url').allInnerTexts()).map((text) => text.trim())).toEqual([testUrl, testUrl]));
	expect(await panel.innerText()).toContain('Test URL');
	for (const code of EXAMPLE_6_EVENTS) {
		const notice = eventNotice(panel, code);
		await notice.waitFor();
		expect((await notice.innerText()).replace(/\s+/g, ' ')).toContain(templateOf(code));
		// For the record: what of the notice's <b> and <code> reaches the page.
		process.stdout.write(`${code} notice: ${await notice.locator('b').count()} <b>, ${await notice.locator('code').count()} <code>\n`);
	}
	await browser.shot('example-6-webhook-trigger-panel');
	await eventNotice(panel, 'hangup_missed').scrollIntoViewIfNeeded();
	await browser.shot('example-6-webhook-trigger-notices');

	// Listen for test event, then a call comes in: the portal (the double) posts call_received
	// to the Test URL. Earlier tests reset the double, which forgets its webhooks: set them up
	// again as npm start did.
	const registered = await double.webhooks();
	for (const webhook of sandboxWebhooks) if (!registered.some((entry) => entry.url === webhook.url)) await double.addWebhook(webhook);
	await dismissToasts(page);
	// n8n 2.41 labels the button Execute step until it listens.
	const listen = panel.getByTestId('node-execute-button');
	process.stdout.write(`the trigger's run button says: ${await listen.innerText()}\n`);
	await listen.click();
	await panel.getByText('Listening for test event').first().waitFor();
	// n8n registers the test webhook just after it shows it listens: ring until a delivery is taken.
	const call = await eventually(async () => {
		const started = await double.startCall({ source: '9876510007', state: 'ringing', agent_name: '' });
		const toTestUrl = (await double.deliveries()).filter((entry) => entry.callId === started.call_id && entry.url.includes('/webhook-test/'));
		if (!toTestUrl.some((entry) => entry.status === 200)) {
			await double.endCall(started.call_id);
			throw new Error(`the test URL answered ${JSON.stringify(toTestUrl)}`);
		}
		return started;
	}, 20_000);
	const output = panel.getByTestId('output-panel');
	await output.getByText(call.call_id).first().waitFor();
	await browser.shot('example-6-test-event-received');
	// The JSON view draws only the lines in sight (the item is long: fields, delivery): read its start.
	await output.getByTestId('radio-button-json').click();
	await eventually(async () => {
		const shown = (await output.getByTestId('ndv-data-container').innerText()).replace(/\s+/g, ' ');
		for (const field of [`"event": "call_received"`, `"call_id": "${call.call_id}"`, `"direction": "inbound"`, `"customer_number": "9876510007"`]) expect(shown).toContain(field);
	});
	await browser.shot('example-6-test-event-json');
	await output.getByTestId('radio-button-table').click();
	await panel.getByTestId('ndv-close-button').click();
	await double.endCall(call.call_id);
});

uiTest('14. a Smartflo Webhook Trigger from scratch: the nodes panel finds it, and it opens with its setup notice', async () => {
	const { page } = browser;
	await page.goto(`${app!.url}/workflow/new`);
	await page.getByTestId('canvas-plus-button').click();
	const found: Record<string, string[]> = {};
	for (const term of ['Smartflo', 'webhook', 'Acefone', 'Servetel', 'portal webhook', 'call received']) {
		await searchNodesPanel(page, term);
		// Let the panel settle on this term's results.
		await eventually(async () => expect(await page.getByTestId('node-creator-search-bar').inputValue()).toBe(term));
		await new Promise((resolve) => setTimeout(resolve, 500));
		found[term] = await nodesPanelNames(page);
		if (['Smartflo', 'webhook'].includes(term)) await browser.shot(`nodes-panel-webhook-trigger-${term.replace(' ', '-')}`);
	}
	process.stdout.write(`nodes panel, by search term: ${JSON.stringify(found, null, 1)}\n`);
	// n8n drops "Trigger" from a trigger's name in the panel.
	expect(found.Smartflo).toContain('Smartflo Webhook');
	expect(found.webhook).toContain('Smartflo Webhook');

	await searchNodesPanel(page, 'Smartflo');
	await page.getByTestId('node-creator').getByTestId('node-creator-item-name').filter({ hasText: 'Smartflo Webhook' }).first().click();
	// Its page in the panel lists one trigger per portal event ("On call received on server", …).
	const firstEvent = page.getByTestId('node-creator').getByText('On call received on server').first();
	await firstEvent.waitFor();
	await browser.shot('nodes-panel-webhook-trigger-events');
	await firstEvent.click();
	const panel = ndv(page);
	await panel.waitFor();
	await panel.getByText('add one webhook per event below').first().waitFor();
	// The default event, Call received on server, with its notice.
	await eventNotice(panel, 'call_received').waitFor();
	await browser.shot('webhook-trigger-new');
	await panel.getByTestId('ndv-close-button').click();
});

/** The first locator of `candidates` that shows up (n8n's nodes panel may or may not show a node's actions page). */
async function firstShown(candidates: Locator[], timeoutMs = 10_000): Promise<number> {
	return await eventually(async () => {
		for (const [index, candidate] of candidates.entries()) if (await candidate.first().isVisible()) return index;
		throw new Error('none of the candidates is shown');
	}, timeoutMs);
}

uiTest('15. routing a call: build the route in the editor', async () => {
	const { page } = browser;
	await page.goto(`${app!.url}/workflow/new`);
	await page.getByTestId('canvas-plus-button').click();
	const creator = page.getByTestId('node-creator');
	await searchNodesPanel(page, 'Smartflo');
	await creator.getByTestId('node-creator-item-name').filter({ hasText: 'Smartflo Webhook' }).first().click();
	// Its page lists one trigger per portal event: which one hardly matters, Receive comes next.
	const actionNames = await creator.getByTestId('node-creator-item-name').allInnerTexts().catch(() => []);
	process.stdout.write(`Smartflo Webhook's page in the nodes panel: ${JSON.stringify(actionNames)}\n`);
	await browser.shot('route-nodes-panel-webhook-trigger-page');
	const routingItem = creator.getByTestId('node-creator-item-name').filter({ hasText: /rout/i });
	await ((await routingItem.count()) > 0 ? routingItem.first() : creator.getByText('On call received on server').first()).click();
	const panel = ndv(page);
	await panel.waitFor();

	// Receive: Routing Requests, a Secret: the notice says what to paste in the portal.
	await chooseOption(page, panel, 'receive', 'Routing Requests');
	/** What the person types as the trigger's Secret. */
	const typed = 'route-test-passphrase-0123456789';
	await panel.getByTestId('parameter-input-secret').locator('input').fill(typed);
	const notice = panel.locator('[class*="notice"]').filter({ hasText: '?secret=' }).last();
	await notice.waitFor();
	expect((await notice.innerText()).replace(/\s+/g, ' ')).toContain(bodyTemplate(DIALPLAN_REQUEST));
	expect(await panel.innerText()).not.toContain('On call received on server');
	// The Test URL, with the node's webhook id.
	await panel.getByText('Webhook URLs').first().click();
	const urls = await eventually(async () => {
		const shown = (await panel.locator('.webhook-url').allInnerTexts()).map((text) => text.trim());
		expect(shown[0]).toMatch(/\/webhook-test\/[0-9a-f-]{36}\/smartflo$/);
		return shown;
	});
	process.stdout.write(`the trigger's Webhook URLs: ${JSON.stringify(urls)}\nthe dialplan notice: ${(await notice.innerText()).replace(/\s+/g, ' ')}\n`);
	await browser.shot('route-trigger-routing-requests');
	// Below the notice: Provider, Answer Within, Fallback, Route Format.
	await panel.getByTestId('parameter-input-fallback').scrollIntoViewIfNeeded();
	await browser.shot('route-trigger-routing-requests-fallback');
	await panel.getByTestId('ndv-close-button').click();

	// Route Call after it, from the + on the trigger's output.
	const trigger = page.locator('[data-test-id="canvas-node"]').first();
	const triggerName = (await trigger.getAttribute('data-node-name'))!;
	const plus = page.locator(`[data-test-id="canvas-node-output-handle"][data-node-name="${triggerName}"] [data-test-id="canvas-handle-plus"]`);
	await plus.first().click();
	const found: Record<string, string[]> = {};
	for (const term of ['Smartflo', 'Route Call']) {
		await searchNodesPanel(page, term);
		await eventually(async () => expect(await page.getByTestId('node-creator-search-bar').inputValue()).toBe(term));
		await new Promise((resolve) => setTimeout(resolve, 500));
		found[term] = await nodesPanelNames(page);
	}
	process.stdout.write(`next-step panel, by search term: ${JSON.stringify(found)}\n`);
	expect(found['Route Call']).toContain('Smartflo Route Call');
	await browser.shot('route-nodes-panel-route-call');
	await creator.getByTestId('node-creator-item-name').filter({ hasText: 'Smartflo Route Call' }).first().click();
	// n8n 2.41 shows an installed community node without operations on a Node details page
	// of the panel first, with an Add to workflow button.
	const addToWorkflow = creator.getByRole('button', { name: 'Add to workflow' });
	if ((await firstShown([panel, addToWorkflow])) === 1) {
		await browser.shot('route-nodes-panel-route-call-details');
		await addToWorkflow.first().click();
	}
	await panel.waitFor();

	// Action 1: Transfer to Number 9876543210 (the default action, To empty).
	const steps = panel.getByTestId('parameter-input-step');
	const tos = panel.getByTestId('parameter-input-to');
	await tos.first().waitFor();
	await tos.first().locator('input, textarea').first().fill('9876543210');
	// Action 2: Add Action → Transfer to Department 80124.
	await panel.getByText('Add Action', { exact: true }).or(panel.getByRole('button', { name: 'Add Action' })).first().click();
	await eventually(async () => expect(await steps.count()).toBe(2));
	await steps.nth(1).click();
	const department = page.getByRole('option', { name: /^Transfer to Department/ }).first();
	await department.click();
	await department.waitFor({ state: 'hidden' });
	await eventually(async () => expect(await tos.count()).toBe(2));
	await tos.nth(1).locator('input, textarea').first().fill('80124');
	await tos.nth(1).locator('input, textarea').first().press('Tab');
	await browser.shot('route-call-two-actions');
	await panel.getByTestId('ndv-close-button').click();

	// Execute workflow: n8n waits on the trigger's Test URL; the platform asks where the call goes.
	await dismissToasts(page);
	await page.getByTestId('execute-workflow-button').click();
	await page.getByText(/Waiting for (you to|trigger)|Listening/i).first().waitFor().catch(() => undefined);
	await browser.shot('route-waiting-for-routing-request');
	const answer = await eventually(async () => {
		const asked = Date.now();
		const response = await fetch(`${urls[0]}?secret=${typed}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ call_id: '1758790000.9001', caller_id_number: '9876510007', call_to_number: '8049990005' }),
		});
		const text = await response.text();
		// Until n8n has registered the test webhook it answers 404.
		if (response.status === 404) throw new Error(`the Test URL answered 404: ${text}`);
		return { status: response.status, text, ms: Date.now() - asked };
	}, 20_000);
	process.stdout.write(`the routing answer after ${answer.ms} ms: HTTP ${answer.status} ${answer.text}\n`);
	await executionFinished(page);
	await canvasNode(page, 'Route Call').dblclick();
	const routeOutput = panel.getByTestId('output-panel');
	await routeOutput.getByTestId('radio-button-json').click();
	await routeOutput.getByTestId('ndv-data-container').waitFor();
	await new Promise((resolve) => setTimeout(resolve, 1_000));
	// The JSON view draws only the lines in sight: scroll its end (route, last) into view.
	await routeOutput.getByTestId('ndv-data-container').evaluate((element) => {
		for (const scroller of [element, ...Array.from(element.querySelectorAll('*'))]) scroller.scrollTop = scroller.scrollHeight;
	});
	await new Promise((resolve) => setTimeout(resolve, 1_000));
	const shown = (await routeOutput.getByTestId('ndv-data-container').innerText()).replace(/\s+/g, ' ');
	process.stdout.write(`Route Call's output (JSON view, as drawn): ${shown.slice(shown.indexOf('"route"'), shown.indexOf('"route"') + 600)}\n`);
	await browser.shot('route-call-output-json');
	await panel.getByTestId('ndv-close-button').click();
	expect(answer.status).toBe(200);
	expect(JSON.parse(answer.text)).toEqual([
		{ transfer: { type: 'number', data: 9876543210 } },
		{ transfer: { type: 'department', data: '80124' } },
	]);
});
