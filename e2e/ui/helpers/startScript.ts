/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * `npm start` as a user runs it (scripts/start.ts through tsx: the packed package installed
 * into n8n, the provider double, the sandbox credential, the examples), but in a folder and
 * on a port of the test's choosing, so each run begins with n8n's first-visit owner setup.
 * It runs in its own process group: stopping it ends n8n and its task runner too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { REPO } from '../../helpers/n8nApp';

const TSX = path.join(REPO, 'node_modules', '.bin', 'tsx');
/** A first start packs and installs the package, imports, migrates a new database: minutes on 2 busy cores. */
const READY_WITHIN_MS = 300_000;
/** start.ts waits for n8n's graceful shutdown; past this the group is killed. */
const STOP_WITHIN_MS = 45_000;

/** Settings that would point the credential at a real account instead of the double. */
const OWN_ACCOUNT_SETTINGS = ['SMARTFLO_TOKEN', 'SMARTFLO_EMAIL', 'SMARTFLO_PASSWORD', 'SMARTFLO_PROVIDER', 'SMARTFLO_BASE_URL', 'PROVIDER_DOUBLE_PORT'];

export class StartScript {
	private constructor(
		private readonly child: ChildProcess,
		private readonly read: () => string,
		/** The editor, e.g. http://127.0.0.1:5711 */
		readonly url: string,
		/** The provider double this start began (a new port on every start). */
		readonly doubleUrl: string,
	) {}

	/** Everything the script printed so far. */
	output(): string {
		return this.read();
	}

	/**
	 * Runs `tsx scripts/start.ts` with SMARTFLO_SANDBOX_DIR=`userFolder` and N8N_PORT=`port`,
	 * and resolves once it has said "n8n is running" and all that follows. Its output also
	 * goes to `logFile`. The sandbox rings every `ringSeconds` (default 0, never: the tests
	 * count live calls and call records, and start the calls they need themselves).
	 */
	static async start(userFolder: string, port: number, logFile: string, ringSeconds = 0): Promise<StartScript> {
		const env: NodeJS.ProcessEnv = { ...process.env, SMARTFLO_SANDBOX_DIR: userFolder, N8N_PORT: String(port), SMARTFLO_SANDBOX_RING_SECONDS: String(ringSeconds) };
		for (const name of OWN_ACCOUNT_SETTINGS) delete env[name];
		writeFileSync(logFile, `$ SMARTFLO_SANDBOX_DIR=${userFolder} N8N_PORT=${port} SMARTFLO_SANDBOX_RING_SECONDS=${ringSeconds} tsx scripts/start.ts\n`);
		const child = spawn(TSX, ['scripts/start.ts'], { cwd: REPO, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		// Should jest itself be killed, the group must not outlive it.
		const killGroup = () => signalGroup(child, 'SIGKILL');
		process.once('exit', killGroup);
		child.once('exit', () => process.removeListener('exit', killGroup));

		let output = '';
		const collect = (chunk: Buffer) => {
			output += chunk;
			appendFileSync(logFile, chunk);
		};
		child.stdout?.on('data', collect);
		child.stderr?.on('data', collect);

		const deadline = Date.now() + READY_WITHIN_MS;
		while (Date.now() < deadline) {
			const running = /n8n is running: (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
			const double = /Provider double: (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
			// Its last line: by then it has also said whether n8n has its owner account yet.
			const done = output.includes('Press Ctrl-C to stop');
			if (running && double && done) return new StartScript(child, () => output, running[1], double[1]);
			if (child.exitCode !== null) throw new Error(`npm start's script exited (${child.exitCode}):\n${output}`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		signalGroup(child, 'SIGKILL');
		throw new Error(`npm start's script was not ready within ${READY_WITHIN_MS / 1000} s:\n${output}`);
	}

	/** Ctrl-C as a user would (SIGTERM to the script: it stops n8n and the double), then whatever is left of the group. */
	async stop(): Promise<void> {
		if (this.child.exitCode === null && this.child.signalCode === null) {
			let timer: NodeJS.Timeout | undefined;
			const exited = new Promise((resolve) => this.child.once('exit', resolve));
			this.child.kill('SIGTERM');
			await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, STOP_WITHIN_MS)))]);
			clearTimeout(timer);
		}
		signalGroup(this.child, 'SIGKILL');
	}
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// The group is gone already.
	}
}
