/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * PostgreSQL and Redis for n8n's queue mode, each started for one test run on 127.0.0.1
 * and a free port, with its data in a temporary folder, and stopped (data removed) after.
 * `e2e/queue/run.sh` makes sure the binaries are there.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { freePort } from './n8nApp';

/** The directory of PostgreSQL's server binaries (initdb, pg_ctl): on PATH or Debian's place. */
function postgresBin(): string {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		if (existsSync(path.join(dir, 'pg_ctl')) && existsSync(path.join(dir, 'initdb'))) return dir;
	}
	const debian = '/usr/lib/postgresql';
	const versions = existsSync(debian) ? readdirSync(debian).sort((a, b) => Number(b) - Number(a)) : [];
	if (versions.length > 0) return path.join(debian, versions[0], 'bin');
	throw new Error('PostgreSQL server binaries not found: run `bash e2e/queue/run.sh`, which installs them');
}

/** Runs a PostgreSQL tool as the `postgres` user (initdb refuses root). */
function asPostgres(command: string, args: string[]): string {
	const asRoot = process.getuid?.() === 0;
	const [file, fileArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
	return execFileSync(file, fileArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export class Postgres {
	private constructor(
		readonly port: number,
		private readonly dataDir: string,
		private readonly bin: string,
	) {}

	static async start(database = 'n8n'): Promise<Postgres> {
		const bin = postgresBin();
		const base = mkdtempSync(path.join(tmpdir(), 'smartflo-pg-'));
		chmodSync(base, 0o777);
		const dataDir = path.join(base, 'data');
		if (process.getuid?.() === 0) execFileSync('chown', ['postgres', base]);
		asPostgres(path.join(bin, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
		const port = await freePort();
		const options = `-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
		asPostgres(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-o', options, '-l', path.join(dataDir, 'server.log'), '-w', 'start']);
		const postgres = new Postgres(port, dataDir, bin);
		postgres.query(`CREATE DATABASE ${database}`, 'postgres');
		return postgres;
	}

	/** One SQL statement through psql; rows as arrays of strings. */
	query(sql: string, database = 'n8n'): string[][] {
		const out = execFileSync('psql', ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-d', database, '-At', '-F', '\t', '-c', sql], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		return out
			.split('\n')
			.filter((line) => line !== '')
			.map((line) => line.split('\t'));
	}

	/** What n8n needs to use this database. */
	n8nSettings(database = 'n8n'): NodeJS.ProcessEnv {
		return {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.port),
			DB_POSTGRESDB_DATABASE: database,
			DB_POSTGRESDB_USER: 'postgres',
			DB_POSTGRESDB_PASSWORD: '',
		};
	}

	stop(): void {
		try {
			asPostgres(path.join(this.bin, 'pg_ctl'), ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']);
		} finally {
			rmSync(path.dirname(this.dataDir), { recursive: true, force: true });
		}
	}
}

export class Redis {
	private constructor(
		readonly port: number,
		private readonly child: ChildProcess,
	) {}

	static async start(): Promise<Redis> {
		const port = await freePort();
		const child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		child.stdout?.on('data', (chunk) => (output += chunk));
		const deadline = Date.now() + 10_000;
		while (!output.includes('Ready to accept connections')) {
			if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start:\n${output}`);
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		return new Redis(port, child);
	}

	n8nSettings(): NodeJS.ProcessEnv {
		return { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(this.port) };
	}

	async stop(): Promise<void> {
		if (this.child.exitCode !== null) return;
		const exited = new Promise((resolve) => this.child.once('exit', resolve));
		this.child.kill('SIGKILL');
		await exited;
	}
}
