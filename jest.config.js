/**
 * Engine-level tests: they run the built package (dist/) through n8n-core, twice: on the
 * n8n engine of devDependencies (2.8) and on the newest one (test/engines/latest), so an
 * API that n8n changes shows here in seconds. For the newest, n8n-core, n8n-workflow and
 * the two @n8n packages the harness shares with n8n-core all come from that folder, for
 * the tests and for the package they load, one copy each.
 * One engine only: npx jest --selectProjects "n8n 2.8 engine"; the unit tests alone:
 * npx jest --selectProjects unit (test/unit: pure logic, no engine, no build needed).
 */
const engine = {
	rootDir: __dirname,
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/unit/'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	setupFilesAfterEnv: ['<rootDir>/test/helpers/setupEngine.ts'],
};

const LATEST = '<rootDir>/test/engines/latest/node_modules';
const SHARED = 'n8n-core|n8n-workflow|@n8n/di|@n8n/backend-common';

/** Pure logic (no engine, no HTTP, an injected clock): milliseconds per file, run once. */
const unit = {
	displayName: 'unit',
	rootDir: __dirname,
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/unit'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', isolatedModules: true }] },
};

module.exports = {
	testTimeout: 30_000,
	projects: [
		unit,
		{ ...engine, displayName: 'n8n 2.8 engine', globals: { expectedN8nWorkflow: '2.8.' } },
		{
			...engine,
			displayName: 'n8n 2.41 engine',
			globals: { expectedN8nWorkflow: '2.41.' },
			moduleNameMapper: {
				[`^(${SHARED})$`]: `${LATEST}/$1`,
				[`^(${SHARED})/(.*)$`]: `${LATEST}/$1/$2`,
			},
		},
	],
};
