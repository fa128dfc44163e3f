/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/* eslint-disable @typescript-eslint/no-require-imports -- loads n8n-workflow and the built dist/ at run time, through each jest project's engine mapping */
/**
 * What `npm pack` would publish, and the package.json facts n8n's verification checks.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { Workflow, type INode, type INodeTypes } from 'n8n-workflow';

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

/** Every `.js` file of the build, for checks of what the package takes from n8n at run time. */
function builtFiles(folder = path.join(root, 'dist')): string[] {
	return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(folder, entry.name);
		if (entry.isDirectory()) return builtFiles(full);
		return entry.name.endsWith('.js') ? [full] : [];
	});
}

describe('on this engine', () => {
	// Each jest project names the engine it maps in (jest.config.js); a wrong mapping fails here.
	const { version } = require('n8n-workflow/package.json') as { version: string };

	test(`n8n-workflow is the engine's own (${version})`, () => {
		expect(version.startsWith((globalThis as unknown as { expectedN8nWorkflow: string }).expectedN8nWorkflow)).toBe(true);
	});

	test('everything the package imports by name from n8n-workflow exists at run time', () => {
		// n8n removes helpers in minor releases (sleepWithAbort in 2.34): a named import of one
		// compiles to `n8n_workflow_1.name` and is undefined, crashing only when first called.
		const n8nWorkflow = require('n8n-workflow') as Record<string, unknown>;
		const used = new Set(builtFiles().flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\bn8n_workflow_\d+\.(\w+)/g)].map((match) => match[1])));

		expect(used.size).toBeGreaterThan(0);
		expect([...used].filter((name) => n8nWorkflow[name] === undefined)).toStrictEqual([]);
	});
});

test('the Docs links open the README at their section (no query n8n could append after the #)', () => {
	// n8n uses a node's documentationUrl as it is; a codex-only URL gets ?utm_… after the #anchor.
	const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
	const anchors = new Set([...readme.matchAll(/^##+ (.+)$/gm)].map((match) => match[1].toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));
	const instanceOf = (file: string) => new (Object.values(require(path.join(root, file)))[0] as new () => { description: { documentationUrl: string }; documentationUrl: string })();
	const urls: string[] = [
		...manifest.n8n.nodes.map((file: string) => instanceOf(file).description.documentationUrl),
		...manifest.n8n.credentials.map((file: string) => instanceOf(file).documentationUrl),
	];

	expect(urls).toHaveLength(manifest.n8n.nodes.length + manifest.n8n.credentials.length);
	for (const url of urls) {
		expect(url).toMatch(/^https:\/\/github\.com\/n8n-nodes-smartflo\/n8n-nodes-smartflo#[a-z-]+$/);
		expect(anchors).toContain(url.split('#')[1]);
	}
});

test('the canvas subtitle of each operation is its action, e.g. "Transfer a live call", as n8n resolves it', () => {
	const { Smartflo } = require(path.join(root, 'dist/nodes/Smartflo/Smartflo.node.js')) as typeof import('../nodes/Smartflo/Smartflo.node');
	const { CALL_OPERATIONS } = require(path.join(root, 'dist/nodes/Smartflo/resources/call/operations.js')) as typeof import('../nodes/Smartflo/resources/call/operations');
	const subtitle = new Smartflo().description.subtitle ?? '';

	for (const [operation, { action }] of Object.entries(CALL_OPERATIONS)) {
		const node: INode = { id: 'n', name: 'Smartflo', type: 'n8n-nodes-smartflo.smartflo', typeVersion: 1, position: [0, 0], parameters: { resource: 'call', operation } };
		const nodeTypes = { getByName: () => new Smartflo(), getByNameAndVersion: () => new Smartflo(), getKnownTypes: () => ({}) } as unknown as INodeTypes;
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
		expect(workflow.expression.getSimpleParameterValue(node, subtitle, 'internal', {})).toBe(action);
	}
});

describe('the nodes panel finds the package by every word of its events and operations', () => {
	// n8n's editor (1.123 to 2.41, generateMergedNodesAndActions) lists an action node and its
	// trigger (same name + "Trigger") as ONE entry: the action node's, with the trigger's
	// events appended as actions. Its search (sublimeSearch) reads only that entry's
	// displayName and codex alias: the trigger's own codex is never searched.
	type Described = { description: { name: string; displayName: string; group: string[]; properties: Array<{ name: string; options?: Array<{ name: string }> }> } };
	const nodes = (manifest.n8n.nodes as string[]).map((file) => {
		const node = new (Object.values(require(path.join(root, file)))[0] as new () => Described)();
		const codex = JSON.parse(readFileSync(path.join(root, file.replace(/\.js$/, '.json')), 'utf8')) as { alias: string[] };
		return { ...node.description, alias: codex.alias };
	});
	const trigger = nodes.find((node) => node.group.includes('trigger'))!;
	const entry = nodes.find((node) => node.name === trigger.name.replace('Trigger', ''))!;
	const optionNames = (node: Described['description'], parameter: string) => node.properties.find((property) => property.name === parameter)?.options?.map((option) => option.name) ?? [];
	const words = [
		...optionNames(trigger, 'event'),
		...optionNames(trigger, 'outcome').filter((name) => !name.includes(' and ')),
		...optionNames(entry, 'operation'),
		// What a newcomer typed (issue 24) and what the README promises.
		...['missed call', 'missed', 'call recording', 'recording', 'call log', 'CDR', 'call records', 'call back', 'barge', 'whisper', 'call transfer', 'transfer', 'monitor'],
		...['Smartflo', 'Acefone', 'Servetel', 'Tata Tele'],
	];

	test('the trigger merges into the Smartflo node’s entry', () => {
		expect(entry).toBeDefined();
		expect(optionNames(entry, 'operation').length).toBeGreaterThan(0);
	});

	test.each(words)('"%s" is in what n8n searches (the Smartflo node’s name or codex alias)', (word) => {
		// A substring: stricter than n8n's fuzzy match, and it ranks the package first.
		const searched = [entry.displayName, ...entry.alias].map((text) => text.toLowerCase());
		expect(searched.some((text) => text.includes(word.toLowerCase()))).toBe(true);
	});

	test('the trigger’s codex lists the same words, should n8n ever list it on its own', () => {
		expect([...trigger.alias].sort()).toStrictEqual([...entry.alias].sort());
	});
});

test('a yes/no option is on when added (adding Attach Recording asks for it); absent, the code reads it as off', () => {
	type Property = { name: string; type: string; default: unknown; options?: Property[] };
	const collections = (manifest.n8n.nodes as string[]).flatMap((file) => {
		const node = new (Object.values(require(path.join(root, file)))[0] as new () => { description: { properties: Property[] } })();
		return node.description.properties.filter((property) => property.type === 'collection');
	});
	const switches = collections.flatMap((collection) => (collection.options ?? []).filter((option) => option.type === 'boolean'));

	expect(switches.map((option) => option.name).sort()).toStrictEqual(['attachRecording', 'includeAlreadyLive', 'includeRecent']);
	for (const option of switches) expect(option).toMatchObject({ default: true });
	// Workflows saved without the option keep it off: each is read as `=== true`.
	const code = builtFiles().map((file) => readFileSync(file, 'utf8')).join('\n');
	for (const option of switches) expect(code).toMatch(new RegExp(`\\.${option.name} === true`));
});

test('the Event dropdown shows each event’s description whole; the advice is in a notice under it', () => {
	type Property = { name: string; type: string; displayName: string; options?: Array<{ name: string; description?: string }>; displayOptions?: { show?: Record<string, unknown[]> } };
	const { SmartfloTrigger } = require(path.join(root, 'dist/nodes/Smartflo/SmartfloTrigger.node.js')) as { SmartfloTrigger: new () => { description: { properties: Property[] } } };
	const properties = new SmartfloTrigger().description.properties;
	const events = properties.find((property) => property.name === 'event')?.options ?? [];

	expect(events.length).toBe(4);
	// The dropdown shows about one line under each name: 60 characters fit.
	for (const event of events) expect((event.description ?? '').length).toBeLessThanOrEqual(60);
	const notices = properties.filter((property) => property.type === 'notice');
	expect(notices.find((notice) => notice.displayOptions?.show?.event?.includes('callEnded'))?.displayName).toMatch(/choose Finished Call/);
});
