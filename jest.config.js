/**
 * Engine-level tests: they run the built package (dist/) through n8n-core, twice: on the
 * n8n engine of devDependencies (2.8) and on the newest one (test/engines/latest), so an
 * API that n8n changes shows here in seconds. For the newest, n8n-core, n8n-workflow and
 * the two @n8n packages the harness shares with n8n-core all come from that folder, for
 * the tests and for the package they load, one copy each.
 * One engine only: npx jest --selectProjects "n8n 2.8 engine"
 */
const engine = {
	rootDir: __dirname,
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	setupFilesAfterEnv: ['<rootDir>/test/helpers/setupEngine.ts'],
};

const LATEST = '<rootDir>/test/engines/latest/node_modules';
const SHARED = 'n8n-core|n8n-workflow|@n8n/di|@n8n/backend-common';

module.exports = {
	testTimeout: 30_000,
	projects: [
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
