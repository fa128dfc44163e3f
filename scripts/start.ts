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
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { startProviderDouble } from '../provider-double/server';
import { N8nApp, REPO, appRuntime, freePort, packPackage, stopProcess } from '../e2e/helpers/n8nApp';
import { credential } from '../e2e/helpers/workflows';
import { resolveBaseUrl } from '../credentials/smartfloApi/hosts';

const say = (line: string) => process.stdout.write(`${line}\n`);
const EXAMPLES = ['crm-webhook-transfer.json', 'barge-long-calls.json', 'ai-agent-transfer-tool.json', 'missed-call-callback.json', 'missed-call-click-to-call.json'];
/** The host the examples' HTTP Request nodes name (example 5's click to call), replaced by the credential's at import. */
const EXAMPLE_HOST = 'https://api-smartflo.tatateleservices.com';

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
	const lastPort = existsSync(portFile) ? Number(readFileSync(portFile, 'utf8')) || 0 : 0;
	const wantedPort = Number(process.env.PROVIDER_DOUBLE_PORT ?? lastPort);
	const double = ownAccount
		? undefined
		: await startProviderDouble({ port: wantedPort, unref: false }).catch(async () => await startProviderDouble({ port: 0, unref: false }));
	if (double) writeFileSync(portFile, String(double.port));
	// Live calls age as they would on the provider, so Smartflo Trigger sees them run long.
	double?.useRealTime(true);
	const providerId = process.env.SMARTFLO_BASE_URL ? 'custom' : (process.env.SMARTFLO_PROVIDER ?? 'smartflo');
	const apiHost = double ? double.url : hostOf(providerId, process.env.SMARTFLO_BASE_URL ?? '');

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
	const done = before === undefined ? { files: [] as string[] } : before.startsWith('{') ? (JSON.parse(before) as { files: string[]; apiHost?: string }) : { files: EXAMPLES.slice(0, 4) };
	const missing = EXAMPLES.filter((file) => !done.files.includes(file));
	if (missing.length > 0) {
		const examples = missing.map((file) => JSON.parse(readFileSync(path.join(REPO, 'examples', file), 'utf8').replaceAll(EXAMPLE_HOST, apiHost)));
		await app.importWorkflows(examples);
		writeFileSync(imported, JSON.stringify({ at: new Date().toISOString(), apiHost, files: EXAMPLES }));
	} else if (done.apiHost !== undefined && done.apiHost !== apiHost) {
		say(`Example 5's Click to Call URL names ${done.apiHost}, the API is now at ${apiHost}: change the URL's host there.`);
	}

	say(`Starting n8n ${runtime.version}…`);
	const server = await app.start(port);
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
		await stopProcess(server);
		await double?.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
	server.once('exit', (code) => {
		if (stopping) return;
		say(`n8n exited (${code}). Its last output:\n${server.output().slice(-2000)}`);
		void double?.stop().then(() => process.exit(1));
	});
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack ?? String(error)}\n`);
	process.exit(1);
});
