/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * Debian's Chromium driven through playwright-core: no browser download (none is possible
 * here), a fresh empty profile per run, headless, and nothing that phones home.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { chromium, selectors, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.SMARTFLO_CHROMIUM ?? '/usr/bin/chromium';

/** Where every screenshot of a run goes: CI keeps this folder as its artifacts. */
export const SCREENSHOTS = path.resolve(__dirname, '..', 'screenshots');

/** Chromium's own background traffic (updates, sync, QUIC probes) off: only 127.0.0.1 is reached. */
const ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

export interface Browser {
	context: BrowserContext;
	page: Page;
	/** Saves a screenshot of the page as NN-name.png in SCREENSHOTS and returns its path. */
	shot: (name: string) => Promise<string>;
	close: () => Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
	// n8n's stable test hooks are data-test-id, not Playwright's default data-testid.
	selectors.setTestIdAttribute('data-test-id');
	const profile = mkdtempSync(path.join(tmpdir(), 'smartflo-ui-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		args: ARGS,
		viewport: { width: 1280, height: 800 },
		deviceScaleFactor: 1,
		locale: 'en-US',
		timezoneId: 'UTC',
	});
	// Waits are locator waits; 30 s covers a busy 2-core machine without hiding a hang.
	context.setDefaultTimeout(30_000);
	const page = context.pages()[0] ?? (await context.newPage());

	let count = 0;
	const shot = async (name: string) => {
		count += 1;
		const file = path.join(SCREENSHOTS, `${String(count).padStart(2, '0')}-${name}.png`);
		// Vue marks elements fading in or out (dropdowns, toasts, button labels) with
		// *-enter-active / *-leave-active; a screenshot waits for those to finish, briefly.
		await page
			.waitForFunction(`document.querySelectorAll('[class*="-enter-active"], [class*="-leave-active"]').length === 0`, undefined, { timeout: 3_000 })
			.catch(() => undefined);
		await page.screenshot({ path: file });
		return file;
	};
	const close = async () => {
		await context.close().catch(() => undefined);
		rmSync(profile, { recursive: true, force: true });
	};
	return { context, page, shot, close };
}

/** An empty screenshots folder for this run: what is there afterwards is this run's. */
export function freshScreenshotFolder(): void {
	mkdirSync(SCREENSHOTS, { recursive: true });
	for (const file of readdirSync(SCREENSHOTS)) rmSync(path.join(SCREENSHOTS, file), { force: true });
}
