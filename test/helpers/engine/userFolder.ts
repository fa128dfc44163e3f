/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// n8n-core reads its settings folder when first used; keep it away from the user's ~/.n8n.
// Imported before anything that loads n8n-core.
process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(tmpdir(), 'smartflo-engine-'));
