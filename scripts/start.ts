/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * `npm start`: the n8n editor (today's n8n, or SMARTFLO_N8N=1.123|2.8|2.41) on
 * http://127.0.0.1:5678 with this package installed from
 * its tarball (as users install it), a ready "Smartflo (sandbox)" credential pointing at
 * the provider double, and the example workflows imported. Ctrl-C stops everything.
 *
 * SMARTFLO_SANDBOX_DIR: another user folder than .n8n-sandbox/<app> (the browser tests give
 * each run a fresh one, so n8n asks for its owner account as on a first visit).
 *
 * With SMARTFLO_TOKEN, or SMARTFLO_EMAIL and SMARTFLO_PASSWORD (and SMARTFLO_PROVIDER, or
 * SMARTFLO_BASE_URL for a custom host) the credential points at your provider instead and
 * no double is started.
 *
 * The sandbox also rings on its own (scripts/sandboxCaller.ts): an inbound call every
 * SMARTFLO_SANDBOX_RING_SECONDS (default 30; 0: never), whose portal webhooks reach example 6
 * (Smartflo Webhook Trigger), its CRM a CRM double on 127.0.0.1.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { startCrmDouble } from '../provider-double/crmDouble';
import { startProviderDouble } from '../provider-double/server';
import { N8nApp, REPO, appRuntime, freePort, packPackage, stopProcess } from '../e2e/helpers/n8nApp';
import { credential } from '../e2e/helpers/workflows';
import { resolveBaseUrl } from '../credentials/smartfloApi/hosts';
import { portalWebhooksFor, startSandboxCaller } from './sandboxCaller';

const say = (line: string) => process.stdout.write(`${line}\n`);
const EXAMPLES = ['crm-webhook-transfer.json', 'barge-long-calls.json', 'ai-agent-transfer-tool.json', 'missed-call-callback.json', 'missed-call-click-to-call.json', 'caller-owner-answers.json', 'route-to-account-owner.json'];
/** The sandbox's number whose destination is API Dialplan: example 7 routes its calls. */
const DIALPLAN_DID = '8049990005';
/** The host the examples' HTTP Request nodes name (example 5's click to call), replaced by the credential's at import. */
const EXAMPLE_HOST = 'https://api-smartflo.tatateleservices.com';
/** Example 6's CRM, replaced by the CRM double's address at import (sandbox only). */
const EXAMPLE_CRM = 'https://crm.example.com';
const WEBHOOK_TRIGGER = 'n8n-nodes-smartflo.smartfloWebhookTrigger';

interface ExampleWorkflow {
	id: string;
	nodes: Array<{ type: string; webhookId?: string; parameters: { events?: string[]; secret?: string } }>;
}

/** A port kept in the user folder: the service comes back on it (the examples name it), else on a free one. */
function keptPort(file: string): number {
	return existsSync(file) ? Number(readFileSync(file, 'utf8')) || 0 : 0;
}

/** The sandbox's webhook Secret, made once per user folder (example 6 keeps it in its trigger). */
function sandboxSecret(folder: string): string {
	const file = path.join(folder, '.webhook-secret');
	if (!existsSync(file)) writeFileSync(file, randomBytes(16).toString('hex'), { mode: 0o600 });
	return readFileSync(file, 'utf8').trim();
}

/** Your provider's API host, as the credential resolves it (the examples' placeholder if it cannot). */
function hostOf(provider: string, baseUrl: string): string {
	try {
		return resolveBaseUrl({ provider, baseUrl });
	} catch {
		return EXAMPLE_HOST;
	}
}

/** Whether this n8n already has its owner account (n8n's public settings say so). */
async function ownerIsSetUp(port: number): Promise<boolean> {
	try {
		const response = await fetch(`http://127.0.0.1:${port}/rest/settings`);
		const { data } = (await response.json()) as { data?: { userManagement?: { showSetupOnFirstLoad?: boolean } } };
		return data?.userManagement?.showSetupOnFirstLoad === false;
	} catch {
		return false;
	}
}

async function main() {
	const port = Number(process.env.N8N_PORT ?? 5678);
	const token = process.env.SMARTFLO_TOKEN;
	const email = process.env.SMARTFLO_EMAIL;
	const ownAccount = Boolean(token || email);

	// One folder per n8n version: an n8n cannot open a database a newer one has migrated.
	const runtime = appRuntime();
	const USER_FOLDER = process.env.SMARTFLO_SANDBOX_DIR
		? path.resolve(process.env.SMARTFLO_SANDBOX_DIR)
		: path.join(REPO, '.n8n-sandbox', runtime.name);
	const shownFolder = path.relative(REPO, USER_FOLDER).startsWith('..') ? USER_FOLDER : `${path.relative(REPO, USER_FOLDER)}/`;
	mkdirSync(USER_FOLDER, { recursive: true });

	// The double comes back on the port it had (example 5's URL names it), else on a free one.
	const portFile = path.join(USER_FOLDER, '.double-port');
	const wantedPort = Number(process.env.PROVIDER_DOUBLE_PORT ?? keptPort(portFile));
	const double = ownAccount
		? undefined
		: await startProviderDouble({ port: wantedPort, unref: false }).catch(async () => await startProviderDouble({ port: 0, unref: false }));
	if (double) writeFileSync(portFile, String(double.port));
	// Live calls age as they would on the provider, so Smartflo Trigger sees them run long.
	double?.useRealTime(true);
	const providerId = process.env.SMARTFLO_BASE_URL ? 'custom' : (process.env.SMARTFLO_PROVIDER ?? 'smartflo');
	const apiHost = double ? double.url : hostOf(providerId, process.env.SMARTFLO_BASE_URL ?? '');
	// Example 6's CRM, with the sandbox only (the same port again, as example 6's URLs name it).
	const crmPortFile = path.join(USER_FOLDER, '.crm-port');
	const crm = double
		? await startCrmDouble({ port: keptPort(crmPortFile), idleTimeoutMs: 0 }).catch(async () => await startCrmDouble({ port: 0, idleTimeoutMs: 0 }))
		: undefined;
	if (crm) writeFileSync(crmPortFile, crm.url.split(':').pop() ?? '');
	const secret = double ? sandboxSecret(USER_FOLDER) : undefined;

	const app = new N8nApp(await freePort(), USER_FOLDER, runtime);
	say('Installing this package into n8n from its npm pack tarball…');
	const tarball = packPackage();
	app.installPackage(tarball);
	// The tarball's temporary folder, once installed: every start packs anew.
	rmSync(path.dirname(tarball), { recursive: true, force: true });

	// The credential is written anew on every start: the double's port changes (and a
	// credential broken by hand is reset). The double stands in for Smartflo India, so the
	// sandbox reads phone numbers as the Indian hosts do (+91 98765 43210 is 9876543210).
	await app.importCredentials([
		double
			? credential('smartfloSandbox', 'Smartflo (sandbox)', double.url, 'sandbox-token', { numbering: 'india' })
			: {
					id: 'smartfloSandbox',
					name: 'Smartflo (your account)',
					type: 'smartfloApi',
					data: {
						provider: providerId,
						baseUrl: process.env.SMARTFLO_BASE_URL ?? '',
						...(token
							? { authentication: 'apiToken', token }
							: { authentication: 'login', email, password: process.env.SMARTFLO_PASSWORD ?? '' }),
					},
				},
	]);
	// Each example only once, so your edits to them survive a restart. They name the
	// credential, rewritten above on every start; example 5's HTTP Request node also names the
	// API host: the credential's at import (the double keeps its port across restarts).
	const imported = path.join(USER_FOLDER, '.examples-imported');
	const before = existsSync(imported) ? readFileSync(imported, 'utf8') : undefined;
	// Folders from before example 5 hold only a date: the first four examples.
	const done = before === undefined ? { files: [] as string[] } : before.startsWith('{') ? (JSON.parse(before) as { files: string[]; apiHost?: string; crmUrl?: string }) : { files: EXAMPLES.slice(0, 4) };
	const missing = EXAMPLES.filter((file) => !done.files.includes(file));
	// Example 6 with the sandbox: its CRM is the CRM double, its trigger has the sandbox's Secret.
	const readExample = (file: string): ExampleWorkflow => {
		let text = readFileSync(path.join(REPO, 'examples', file), 'utf8').replaceAll(EXAMPLE_HOST, apiHost);
		if (crm) text = text.replaceAll(EXAMPLE_CRM, crm.url);
		const workflow = JSON.parse(text) as ExampleWorkflow;
		for (const node of workflow.nodes) if (node.type === WEBHOOK_TRIGGER && secret) node.parameters.secret = secret;
		return workflow;
	};
	if (missing.length > 0) {
		await app.importWorkflows(missing.map(readExample));
		writeFileSync(imported, JSON.stringify({ at: new Date().toISOString(), apiHost, crmUrl: crm?.url ?? done.crmUrl, files: EXAMPLES }));
	} else if (done.apiHost !== undefined && done.apiHost !== apiHost) {
		say(`Example 5's Click to Call URL names ${done.apiHost}, the API is now at ${apiHost}: change the URL's host there.`);
	}
	if (crm && done.crmUrl !== undefined && done.crmUrl !== crm.url && !missing.includes('caller-owner-answers.json')) {
		say(`Example 6's HTTP Request nodes name the CRM at ${done.crmUrl}, the CRM double is now at ${crm.url}: change their host there.`);
	}

	say(`Starting n8n ${runtime.version}…`);
	const server = await app.start(port);
	// Example 6's portal webhooks on the double (its test and production URLs), and the calls that fire them.
	const trigger = readExample('caller-owner-answers.json').nodes.find((node) => node.type === WEBHOOK_TRIGGER);
	const ringSeconds = Number(process.env.SMARTFLO_SANDBOX_RING_SECONDS ?? 30);
	const caller =
		double && secret && trigger?.webhookId
			? startSandboxCaller(double, portalWebhooksFor(`http://127.0.0.1:${port}`, trigger.webhookId, trigger.parameters.events ?? [], secret), ringSeconds * 1000)
			: undefined;
	// Example 7: calls to the sandbox's API Dialplan number ask its production URL (once published) where they go.
	const router = readExample('route-to-account-owner.json').nodes.find((node) => node.type === WEBHOOK_TRIGGER);
	if (double && secret && router?.webhookId) {
		double.apiDialplan.set({ did: DIALPLAN_DID, url: `http://127.0.0.1:${port}/webhook/${router.webhookId}/smartflo?secret=${secret}`, failover: { type: 'department', data: '80125' } });
	}
	say('');
	say(`n8n is running: http://127.0.0.1:${port}`);
	say(
		double
			? `Provider double: ${double.url} (credential "Smartflo (sandbox)", token sandbox-token; restarting npm start resets it if you changed it)`
			: 'Credential "Smartflo (your account)" points at your provider (restarting npm start writes it anew).',
	);
	if (double) {
		say(`Start a call on the double: curl -X POST ${double.url}/__double/calls -d '{"call_time":"00:10:30"}'  (end it: curl -X DELETE ${double.url}/__double/calls/<call_id>)`);
		say(`Add a missed call to the call records: curl -X POST ${double.url}/__double/call-records -d '{"answered":false,"startedAgoSeconds":40}'`);
		say(
			ringSeconds > 0
				? `The sandbox rings every ${ringSeconds} s: an inbound call (a CRM customer, or a number the CRM does not know), answered or missed, hangs up after ~20 s; the portal's webhooks reach example 6 (Listen for test event, or publish it: it transfers callers to their owner and posts missed calls to the CRM double at ${crm?.url}).`
				: `The sandbox does not ring by itself (SMARTFLO_SANDBOX_RING_SECONDS=0); its portal webhooks reach example 6 (CRM at ${crm?.url}).`,
		);
		say(`Ring it now: curl -X POST ${double.url}/__double/calls -d '{"source":"9876510007","state":"ringing"}'  (hang it up with DELETE as above)`);
		say(`Example 7 (publish it) routes calls to ${DIALPLAN_DID}, the sandbox's API Dialplan number: curl -X POST ${double.url}/__double/calls -d '{"did":"${DIALPLAN_DID}","source":"9876510007"}', then GET ${double.url}/__double/calls shows where it rang`);
	}
	say(
		(await ownerIsSetUp(port))
			? `Sign in with the owner account you created (kept in ${shownFolder}), then open Workflows for the examples.`
			: `First visit: n8n asks you to create its owner account (any email and password; kept in ${shownFolder}, asked once). Then open Workflows for the examples.`,
	);
	say('Press Ctrl-C to stop n8n and the double.');

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		say('\nStopping…');
		caller?.stop();
		await stopProcess(server);
		await double?.stop();
		await crm?.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
	server.once('exit', (code) => {
		if (stopping) return;
		say(`n8n exited (${code}). Its last output:\n${server.output().slice(-2000)}`);
		caller?.stop();
		void Promise.all([double?.stop(), crm?.stop()]).then(() => process.exit(1));
	});
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? String(error)}\n`);
	process.exit(1);
});
