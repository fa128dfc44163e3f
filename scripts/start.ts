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

const say = (line: string) => process.stdout.write(`${line}\n`);
const EXAMPLES = ['crm-webhook-transfer.json', 'barge-long-calls.json', 'ai-agent-transfer-tool.json', 'missed-call-callback.json'];

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
	const double = ownAccount
		? undefined
		: await startProviderDouble({ port: Number(process.env.PROVIDER_DOUBLE_PORT ?? 0), unref: false });
	// Live calls age as they would on the provider, so Smartflo Trigger sees them run long.
	double?.useRealTime(true);

	// One folder per n8n version: an n8n cannot open a database a newer one has migrated.
	const runtime = appRuntime();
	const USER_FOLDER = process.env.SMARTFLO_SANDBOX_DIR
		? path.resolve(process.env.SMARTFLO_SANDBOX_DIR)
		: path.join(REPO, '.n8n-sandbox', runtime.name);
	const shownFolder = path.relative(REPO, USER_FOLDER).startsWith('..') ? USER_FOLDER : `${path.relative(REPO, USER_FOLDER)}/`;
	mkdirSync(USER_FOLDER, { recursive: true });
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
						provider: process.env.SMARTFLO_BASE_URL ? 'custom' : (process.env.SMARTFLO_PROVIDER ?? 'smartflo'),
						baseUrl: process.env.SMARTFLO_BASE_URL ?? '',
						...(token
							? { authentication: 'apiToken', token }
							: { authentication: 'login', email, password: process.env.SMARTFLO_PASSWORD ?? '' }),
					},
				},
	]);
	// Examples only once, so your edits to them survive a restart.
	const imported = path.join(USER_FOLDER, '.examples-imported');
	if (!existsSync(imported)) {
		// The examples name no host, only the credential (rewritten above on every start), so
		// they keep working when the double comes back on another port.
		const examples = EXAMPLES.map((file) => JSON.parse(readFileSync(path.join(REPO, 'examples', file), 'utf8')));
		await app.importWorkflows(examples);
		writeFileSync(imported, new Date().toISOString());
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
