/**
 * What `npm pack` would publish, and the package.json facts n8n's verification checks.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

test('the tarball holds only dist, package.json, README and licence, with every file n8n loads', () => {
	const [pack] = JSON.parse(
		execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
	);
	const files: string[] = pack.files.map((file: { path: string }) => file.path);

	expect(files.filter((file) => !file.startsWith('dist/')).sort()).toStrictEqual(['LICENSE.md', 'README.md', 'package.json']);
	expect(files.filter((file) => /test|\.test\.|provider-double|scripts\//.test(file))).toStrictEqual([]);
	for (const loaded of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) expect(files).toContain(loaded);
	// Only what the build emits on purpose: code, types, source maps, the codex and icons.
	expect(files.filter((file) => file.startsWith('dist/') && !/\.(js|d\.ts|js\.map|node\.json|svg)$/.test(file))).toStrictEqual([]);
	expect(files).toEqual(
		expect.arrayContaining([
			'dist/nodes/Smartflo/Smartflo.node.json',
			'dist/nodes/Smartflo/smartflo.svg',
			'dist/nodes/Smartflo/smartflo.dark.svg',
		]),
	);
});

test('no runtime dependencies, n8n-workflow as the only peer, MIT, community keyword', () => {
	expect(manifest.dependencies ?? {}).toStrictEqual({});
	expect(manifest.peerDependencies).toStrictEqual({ 'n8n-workflow': '*' });
	expect(manifest.license).toBe('MIT');
	expect(manifest.keywords).toContain('n8n-community-node-package');
	expect(manifest.files).toStrictEqual(['dist']);
	expect(manifest.overrides).toBeUndefined();
});
