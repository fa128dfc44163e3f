/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/** Part 3: what installing and loading the package costs. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { median, ms, table } from './stats';

const REPO = path.resolve(__dirname, '..', '..');

export interface FootprintResult {
	packedBytes: number;
	unpackedBytes: number;
	files: number;
	runtimeDependencies: number;
	requireMs: number;
	requireWithWorkflowMs: number;
}

/** Median time to require the built node and credential in a fresh Node process. */
function requireTime(preloadWorkflow: boolean): number {
	const script = `
		${preloadWorkflow ? "require('n8n-workflow');" : ''}
		const started = process.hrtime.bigint();
		require('./dist/nodes/Smartflo/Smartflo.node.js');
		require('./dist/credentials/SmartfloApi.credentials.js');
		process.stdout.write(String(Number(process.hrtime.bigint() - started) / 1e6));`;
	const samples = Array.from({ length: 15 }, () =>
		Number(execFileSync(process.execPath, ['-e', script], { cwd: REPO, encoding: 'utf8' })),
	);
	return median(samples);
}

export function measureFootprint(log: (line: string) => void): FootprintResult {
	const [pack] = JSON.parse(
		execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', '--loglevel=error'], { cwd: REPO, encoding: 'utf8' }),
	);
	const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
	const result: FootprintResult = {
		packedBytes: pack.size,
		unpackedBytes: pack.unpackedSize,
		files: pack.entryCount,
		runtimeDependencies: Object.keys(manifest.dependencies ?? {}).length,
		// In n8n, n8n-workflow is already loaded; without it, its load time is included.
		requireMs: requireTime(true),
		requireWithWorkflowMs: requireTime(false),
	};
	log(
		table(
			['packed', 'unpacked', 'files', 'runtime deps', 'require node+credential', '… incl. loading n8n-workflow'],
			[
				[
					`${(result.packedBytes / 1024).toFixed(1)} kB`,
					`${(result.unpackedBytes / 1024).toFixed(1)} kB`,
					String(result.files),
					String(result.runtimeDependencies),
					ms(result.requireMs),
					ms(result.requireWithWorkflowMs),
				],
			],
		),
	);
	return result;
}
