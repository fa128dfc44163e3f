/** Engine-level tests: they run the built package (dist/) through n8n-core. */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	testTimeout: 30_000,
	setupFilesAfterEnv: ['<rootDir>/test/helpers/setupEngine.ts'],
};
