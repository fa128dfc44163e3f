/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * n8n's queue mode as teams run it: PostgreSQL, Redis, one main process (editor, webhooks)
 * and workers that take executions from the queue. Each process has its own user folder
 * with this package installed in it, as separate containers would: workers sharing one
 * folder corrupt n8n's crash recovery (successful executions relabelled "crashed").
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';

import { N8nApp, appRuntime, freePort, packPackage, stopProcess, type AppRuntime } from './n8nApp';
import { Postgres, Redis } from './services';

type Running = ChildProcess & { output: () => string };

export interface ClusterOptions {
	workers: number;
	concurrency: number;
	credentials: unknown[];
	workflows: unknown[];
	/** Workflows to activate before the main starts, and the webhook paths to wait for. */
	activate: string[];
	webhooks: string[];
	runtime?: AppRuntime;
}

export class QueueCluster {
	readonly port: number;
	private mainProcess?: Running;
	private readonly workerProcesses: Array<Running | undefined> = [];
	/** Everything each worker printed, across restarts. */
	private readonly workerLogs: string[] = [];

	private constructor(
		readonly postgres: Postgres,
		readonly redis: Redis,
		readonly main: N8nApp,
		readonly workers: N8nApp[],
		private readonly concurrency: number,
		port: number,
	) {
		this.port = port;
	}

	static async start(options: ClusterOptions): Promise<QueueCluster> {
		const runtime = options.runtime ?? appRuntime();
		const postgres = await Postgres.start();
		const redis = await Redis.start();
		const shared = {
			...postgres.n8nSettings(),
			...redis.n8nSettings(),
			EXECUTIONS_MODE: 'queue',
			N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
			N8N_LOG_LEVEL: 'info',
		};
		const tarball = packPackage();
		const apps = [];
		for (let index = 0; index <= options.workers; index += 1) {
			const app = new N8nApp(await freePort(), undefined, runtime, shared);
			app.installPackage(tarball);
			apps.push(app);
		}
		const [main, ...workers] = apps;
		const cluster = new QueueCluster(postgres, redis, main, workers, options.concurrency, await freePort());
		try {
			// The first command migrates the database; the others then share it.
			await main.importCredentials(options.credentials);
			await main.importWorkflows(options.workflows);
			for (const id of options.activate) await main.activate(id);
			cluster.mainProcess = await main.start(cluster.port, { webhooks: options.webhooks });
			for (let index = 0; index < workers.length; index += 1) await cluster.startWorker(index);
		} catch (error) {
			await cluster.stop();
			throw error;
		}
		return cluster;
	}

	async startWorker(index: number): Promise<void> {
		const worker = await this.workers[index].worker(this.concurrency, await freePort());
		this.workerProcesses[index] = worker;
		const previous = this.workerLogs[index] ?? '';
		this.workerLogs[index] = previous;
		worker.on('exit', () => (this.workerLogs[index] = previous + worker.output()));
	}

	/** Stops one worker: SIGTERM lets it finish its jobs, SIGKILL is a crash. Resolves when it has exited. */
	async stopWorker(index: number, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
		const worker = this.workerProcesses[index];
		if (!worker || worker.exitCode !== null) return;
		const exited = new Promise((resolve) => worker.once('exit', resolve));
		worker.kill(signal);
		await exited;
		this.workerProcesses[index] = undefined;
	}

	/** Whether each worker is running now. */
	running(): boolean[] {
		return this.workers.map((_, index) => Boolean(this.workerProcesses[index] && this.workerProcesses[index]!.exitCode === null));
	}

	/** Ids of the executions each worker started (from its log), across its restarts. */
	executionsByWorker(): string[][] {
		return this.workers.map((_, index) => {
			const running = this.workerProcesses[index];
			const log = running ? (this.workerLogs[index] ?? '') + running.output() : (this.workerLogs[index] ?? '');
			return [...log.matchAll(/Worker started execution (\d+)/g)].map((match) => match[1]);
		});
	}

	/** n8n's execution table for one workflow: id and status. */
	executions(workflowId: string): Array<{ id: string; status: string }> {
		return this.postgres
			.query(`SELECT id, status FROM execution_entity WHERE "workflowId" = '${workflowId.replace(/'/g, "''")}' ORDER BY id`)
			.map(([id, status]) => ({ id, status }));
	}

	async stop(): Promise<void> {
		for (let index = 0; index < this.workerProcesses.length; index += 1) await stopProcess(this.workerProcesses[index]);
		await stopProcess(this.mainProcess);
		await this.redis.stop();
		this.postgres.stop();
		for (const app of [this.main, ...this.workers]) app.remove();
	}
}
