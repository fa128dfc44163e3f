/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/** The provider double in its own process, so it does not share the measured event loop. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface DoubleProcess {
	url: string;
	stop(): Promise<void>;
	control(pathname: string, method: string, body?: unknown): Promise<unknown>;
}

export async function startDoubleProcess(): Promise<DoubleProcess> {
	const child: ChildProcess = spawn(process.execPath, [path.resolve(__dirname, '..', '..', 'provider-double', 'cli.js')], {
		env: { ...process.env, PROVIDER_DOUBLE_IDLE_MS: String(10 * 60 * 1000) },
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const url = await new Promise<string>((resolve, reject) => {
		let text = '';
		child.stdout?.on('data', (chunk) => {
			text += chunk;
			const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
			if (match) resolve(match[1]);
		});
		child.once('exit', (code) => reject(new Error(`provider double exited with ${code}`)));
	});
	return {
		url,
		async control(pathname, method, body) {
			const response = await fetch(`${url}${pathname}`, {
				method,
				headers: { 'Content-Type': 'application/json' },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			return await response.json();
		},
		async stop() {
			if (child.exitCode !== null) return;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		},
	};
}
