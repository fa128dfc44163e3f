// What n8n's community-package scanner (`npx @n8n/scan-community-package`) lints a
// published package with, for `npm run lint:scan` and `npm run lint:dist` (both with
// --no-inline-config, as the scanner turns inline config off):
// - the community-nodes plugin's recommended rules (n8n Cloud's restricted globals and
//   imports among them) and no-console, on every file it is given;
// - eslint-plugin-n8n-nodes-base's community rules on package.json, its credentials and
//   nodes rules on .ts sources, with the same rules switched off as `n8n-node lint`.
// The scanner lints two things: the source its npm provenance points at (package.json and
// {nodes,credentials}/**: `lint:scan`) and the tarball's .js and package.json (`lint:dist`).
// It needs the network and a published version; this is its lint, offline, before we publish.
// `npm run lint` (eslint.config.mjs, n8n-node's template) is the other, stricter half.
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tsParser from '@typescript-eslint/parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import { defineConfig } from 'eslint/config';

export default defineConfig(
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
