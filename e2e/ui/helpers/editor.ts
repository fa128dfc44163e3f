/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * What a person does in n8n's editor (2.41), as small steps on n8n's own data-test-id
 * hooks (the ones n8n's Playwright suite uses), so a test reads like the clicks it makes.
 */
import type { Locator, Page } from 'playwright-core';

export interface Owner {
	email: string;
	firstName: string;
	lastName: string;
	password: string;
}

/**
 * Retries `check` (jest expectations on what the page shows now) until it passes: for what
 * the editor fills in after a request, without a fixed sleep.
 */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			return await check();
		} catch (error) {
			if (Date.now() > deadline) throw error;
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}
}

/** n8n's first-visit form at /setup: the owner account. */
export async function setUpOwner(page: Page, baseUrl: string, owner: Owner, beforeSubmit?: () => Promise<unknown>): Promise<void> {
	await page.goto(`${baseUrl}/`);
	await page.waitForURL(/\/setup/);
	const form = page.getByTestId('setup-form');
	await form.getByTestId('email').locator('input').fill(owner.email);
	await form.getByTestId('firstName').locator('input').fill(owner.firstName);
	await form.getByTestId('lastName').locator('input').fill(owner.lastName);
	await form.getByTestId('password').locator('input').fill(owner.password);
	await beforeSubmit?.();
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/setup'));
}

export async function signIn(page: Page, baseUrl: string, owner: Owner): Promise<void> {
	await page.goto(`${baseUrl}/signin`);
	const form = page.getByTestId('signin-form');
	await form.getByTestId('emailOrLdapLoginId').locator('input').fill(owner.email);
	await form.getByTestId('password').locator('input').fill(owner.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

/**
 * Types `term` into the nodes panel's search, replacing what was there, key by key as a
 * person does (a filled-in value is not always taken up by the panel's search).
 */
export async function searchNodesPanel(page: Page, term: string): Promise<void> {
	const search = page.getByTestId('node-creator-search-bar');
	await search.press('ControlOrMeta+a');
	await search.press('Backspace');
	if (term !== '') await search.pressSequentially(term);
}

/** The names the nodes panel lists now. */
export async function nodesPanelNames(page: Page): Promise<string[]> {
	return await page.getByTestId('node-creator').getByTestId('node-creator-item-name').allInnerTexts();
}

/** The node details view (the panel a node opens in). */
export function ndv(page: Page): Locator {
	return page.getByTestId('ndv');
}

/** Picks `option` in the dropdown parameter `name` (e.g. operation → "Barge") inside `root`. */
export async function chooseOption(page: Page, root: Locator, name: string, option: string): Promise<void> {
	await root.getByTestId(`parameter-input-${name}`).click();
	// An option's accessible name may carry its description after the name.
	const escaped = option.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const choice = page.getByRole('option', { name: new RegExp(`^${escaped}`) }).first();
	await choice.click();
	// Until the list has faded out it covers the fields below it (and screenshots of them).
	await choice.waitFor({ state: 'hidden' });
}

/**
 * Opens the "From List" dropdown of resource-locator parameter `name` and returns its search
 * box and its items (the live calls, the agents).
 */
export async function openResourceList(page: Page, name: string): Promise<{ search: Locator; items: Locator }> {
	await ndv(page).getByTestId(`resource-locator-${name}`).getByTestId('rlc-input').click();
	const search = page.getByTestId('rlc-search').filter({ visible: true });
	await search.waitFor();
	return { search, items: page.getByTestId('rlc-item').filter({ visible: true }) };
}

/** Closes the notifications in the corner, so the next screenshot shows only what comes next. */
export async function dismissToasts(page: Page): Promise<void> {
	const toasts = page.locator('.el-notification');
	for (const close of await toasts.locator('.el-notification__closeBtn').all()) {
		// One may close by itself meanwhile.
		await close.click({ timeout: 2_000 }).catch(() => undefined);
	}
	await eventually(async () => {
		if ((await toasts.count()) > 0) throw new Error('notifications still shown');
	});
}

/**
 * A run button (Execute step, Execute workflow) back at rest: not busy, and done fading its
 * label back in, so a screenshot shows the button rather than a half-drawn one.
 */
export async function buttonAtRest(button: Locator): Promise<void> {
	await eventually(async () => {
		if ((await button.getAttribute('aria-busy')) === 'true') throw new Error('still running');
		if ((await button.locator('[class*="fade-"]').count()) > 0) throw new Error('still fading');
	});
}

/** A canvas node by its name. */
export function canvasNode(page: Page, name: string): Locator {
	return page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
}

/** Everything a person can read on the page now (body text). */
export async function visibleText(page: Page): Promise<string> {
	return await page.locator('body').innerText();
}
