/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/require-node-api-error -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * `npm run check:verification`: what n8n's own tooling decides about this package, checked
 * offline (docs/verification.md lists every requirement and the command that proves it).
 * 1. `n8n-node cloud-support` reports the package eligible for n8n Cloud: strict mode on and
 *    eslint.config.mjs exactly n8n-node's template.
 * 2. n8n Cloud's rules still fire on node code: a snippet that reads process.env, starts a
 *    timer and imports node:fs and node:child_process fails with eslint.config.mjs as if it
 *    were a file under nodes/ or credentials/; and no file there turns a rule off inline.
 * 3. `n8n-node build` (what n8n's tooling builds with) produces byte for byte the dist/ of
 *    `npm run build`, in a copy of the source tree as a fresh clone has it.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '..');
const n8nNode = path.join(root, 'node_modules', '.bin', 'n8n-node');
const failures: string[] = [];

function check(ok: boolean, success: string, failure: string): void {
	if (ok) process.stdout.write(`  ok    ${success}\n`);
	else {
		process.stdout.write(`  FAIL  ${failure}\n`);
		failures.push(failure);
	}
}

function run(file: string, args: string[], cwd: string): string {
	try {
		return execFileSync(file, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
	} catch (error) {
		const { stdout, stderr } = error as { stdout?: string; stderr?: string };
		throw new Error(`${path.basename(file)} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}${stderr ?? ''}`);
	}
}

const ansiEscape = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g');
const plain = (text: string) => text.replace(ansiEscape, '');

function cloudSupport(): void {
	process.stdout.write('n8n-node cloud-support\n');
	const status = plain(run(n8nNode, ['cloud-support'], root));
	for (const line of status.split('\n').filter((text) => /Cloud support is|Strict mode:|ESLint config:|Status:/.test(text))) {
		process.stdout.write(`        ${line.replace(/^[│◆▲\s]+/, '')}\n`);
	}
	check(
		/Status: eligible for n8n Cloud verification/.test(status) && !/NOT eligible/.test(status),
		'eligible for n8n Cloud verification (lint is the other half: npm run lint:n8n-node)',
		'n8n-node cloud-support does not report the package eligible',
	);
}

const NODE_CODE_SNIPPET = `import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';

export const token = process.env.SMARTFLO_TOKEN;
export const hostname = readFileSync('/etc/hostname', 'utf8');
export const later = setTimeout(() => execSync('true'), 10);
`;

async function rulesOnNodeCode(): Promise<void> {
	process.stdout.write("n8n Cloud's rules on node code (eslint.config.mjs)\n");
	const eslint = new ESLint({ cwd: root });
	for (const folder of ['nodes/Smartflo', 'credentials']) {
		const [result] = await eslint.lintText(NODE_CODE_SNIPPET, { filePath: path.join(root, folder, 'cloudRulesCheck.ts') });
		const fired = (rule: string, name: string) =>
			result.messages.some((message) => message.ruleId === `@n8n/community-nodes/${rule}` && message.message.includes(`'${name}'`));
		const expected: Array<[string, string]> = [
			['no-restricted-globals', 'process'],
			['no-restricted-globals', 'setTimeout'],
			['no-restricted-imports', 'node:fs'],
			['no-restricted-imports', 'node:child_process'],
		];
		const missing = expected.filter(([rule, name]) => !fired(rule, name)).map(([rule, name]) => `${rule} (${name})`);
		check(
			missing.length === 0,
			`${folder}/: process.env, setTimeout, node:fs and node:child_process are refused (${result.errorCount} errors)`,
			`${folder}/: these rules did not fire: ${missing.join(', ')}`,
		);
	}

	const inline = sourceFiles(['nodes', 'credentials']).filter((file) => /eslint-(disable|enable)|\/\*\s*eslint\s/.test(readFileSync(path.join(root, file), 'utf8')));
	check(inline.length === 0, 'nodes/ and credentials/ turn no rule off inline', `inline ESLint comments in node code: ${inline.join(', ')}`);
}

/**
 * The repository's files as a fresh clone has them: tracked and new files, not ignored ones.
 * (safe.directory: in CI's container the checkout belongs to another user than root.)
 */
function sourceFiles(folders: string[] = []): string[] {
	const listed = run('git', ['-c', `safe.directory=${root}`, 'ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...folders], root);
	return listed
		.split('\0')
		.filter((file) => file !== '' && !file.split('/').includes('node_modules'))
		.filter((file) => existsSync(path.join(root, file)));
}

function filesUnder(folder: string, prefix = ''): string[] {
	return readdirSync(path.join(folder, prefix), { withFileTypes: true }).flatMap((entry) => {
		const relative = path.join(prefix, entry.name);
		return entry.isDirectory() ? filesUnder(folder, relative) : [relative];
	});
}

function buildEquality(): void {
	process.stdout.write('n8n-node build and npm run build\n');
	const base = mkdtempSync(path.join(tmpdir(), 'smartflo-build-'));
	try {
		const tree = path.join(base, 'tree');
		for (const file of sourceFiles()) {
			mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
			cpSync(path.join(root, file), path.join(tree, file), { verbatimSymlinks: true });
		}
		symlinkSync(path.join(root, 'node_modules'), path.join(tree, 'node_modules'), 'dir');

		run('npm', ['run', 'build'], tree);
		const ours = path.join(base, 'npm-run-build');
		renameSync(path.join(tree, 'dist'), ours);
		run(n8nNode, ['build'], tree);
		const theirs = path.join(tree, 'dist');

		const ourFiles = filesUnder(ours).sort();
		const theirFiles = filesUnder(theirs).sort();
		const onlyOurs = ourFiles.filter((file) => !theirFiles.includes(file));
		const onlyTheirs = theirFiles.filter((file) => !ourFiles.includes(file));
		const differing = ourFiles.filter((file) => theirFiles.includes(file) && !readFileSync(path.join(ours, file)).equals(readFileSync(path.join(theirs, file))));
		const problems = [
			...onlyOurs.map((file) => `only npm run build: dist/${file}`),
			...onlyTheirs.map((file) => `only n8n-node build: dist/${file}`),
			...differing.map((file) => `different: dist/${file}`),
		];
		for (const problem of problems.slice(0, 20)) process.stdout.write(`        ${problem}\n`);
		check(
			problems.length === 0 && ourFiles.length > 0,
			`the same dist/: ${ourFiles.length} files, byte for byte (a copy of the source tree as a fresh clone has it)`,
			`n8n-node build and npm run build differ in ${problems.length} files`,
		);
	} finally {
		rmSync(base, { recursive: true, force: true });
	}
}

async function main(): Promise<void> {
	cloudSupport();
	await rulesOnNodeCode();
	buildEquality();
	if (failures.length > 0) {
		process.stdout.write(`\n${failures.length} verification check(s) failed\n`);
		process.exitCode = 1;
	}
}

void main();
