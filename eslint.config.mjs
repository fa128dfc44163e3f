// Two of n8n's rule sets at once, on package.json, nodes/ and credentials/:
// 1. `n8n-node lint`'s default config (@n8n/node-cli): ESLint and typescript-eslint
//    recommended, import-x, the community-nodes plugin, eslint-plugin-n8n-nodes-base.
// 2. What n8n's community-package scanner (@n8n/scan-community-package) lints a package
//    with: the community-nodes plugin's recommended rules on every file (the built dist/
//    too, see `npm run lint:dist`) plus the community, credentials and nodes rule sets of
//    eslint-plugin-n8n-nodes-base with the scanner's own overrides.
// The default config alone would also lint the tests, the e2e harness and the scripts,
// which need timers and `process`; that is why package.json has "strict": false (see the
// README, Development).
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { config as n8nNodeCliDefaults } from '@n8n/node-cli/eslint';
import tsParser from '@typescript-eslint/parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import { defineConfig } from 'eslint/config';

export default defineConfig(
	{ ignores: ['dist/**', '**/node_modules/**', 'e2e/**', 'test/**', 'scripts/**', 'provider-double/**', '*.js', '*.mjs'] },
	n8nNodeCliDefaults,
	n8nCommunityNodesPlugin.configs.recommended,
	{ rules: { 'no-console': 'error' } },
	{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
	{ files: ['package.json'], rules: { ...n8nNodesBase.configs.community.rules } },
	{
		files: ['**/credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['**/nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
	{ files: ['**/*.json'], languageOptions: { parser: tsParser } },
	{ files: ['**/*.ts'], languageOptions: { parser: tsParser } },
);
