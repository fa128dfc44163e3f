/* eslint-disable @n8n/community-nodes/no-restricted-globals -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * `npm start`'s sandbox rings on its own, so a newcomer sees Smartflo Webhook Trigger at
 * work: every ~30 s an inbound call comes in on the provider double (a customer the CRM
 * double knows, now and then a number it does not), rings an agent, is answered after a few
 * seconds or missed, and hangs up after ~20 s. The double delivers the portal webhooks
 * registered here (example 6's events, to its test and production URLs) as the portal would.
 *
 * The calls end long before anything counts as a long call (example 2: 10 minutes), and use
 * none of the seeded customers' numbers (example 1 finds a call by one of them).
 */
import type { startProviderDouble } from '../provider-double/server';
import { USERS } from '../provider-double/seed';
import { bodyTemplate, portalEvent } from '../nodes/Smartflo/webhook/portalEvents';

type ProviderDouble = Awaited<ReturnType<typeof startProviderDouble>>;

export interface PortalWebhook {
	url: string;
	trigger: string;
	method: 'POST';
	contentType: 'json';
	template: string;
}

/**
 * One portal webhook per event and URL, as a user sets them up in the portal: the trigger's
 * Test URL (while the editor listens) and Production URL (once the workflow is active),
 * each followed by `?event=<event>&secret=<Secret>`, with the body template the node shows.
 */
export function portalWebhooksFor(n8nUrl: string, webhookId: string, events: string[], secret: string): PortalWebhook[] {
	return events.flatMap((code) => {
		const event = portalEvent(code);
		if (!event) throw new Error(`Smartflo Webhook Trigger has no event ${code}`);
		return ['webhook-test', 'webhook'].map((kind) => ({
			url: `${n8nUrl}/${kind}/${webhookId}/smartflo?event=${code}&secret=${encodeURIComponent(secret)}`,
			trigger: code,
			method: 'POST' as const,
			contentType: 'json' as const,
			template: bodyTemplate(event),
		}));
	});
}

/** How a generated call goes, in seconds from its start. */
const ANSWERED_WITHIN = [3, 8];
const HANGS_UP_AFTER = [18, 24];
const ANSWERED_SHARE = 0.65;
/** The CRM double's contacts 9876510001–9876510099 (owned by Asha Rao); 1 call in 4 is someone it does not know. */
const UNKNOWN_SHARE = 0.25;
/** The agents the calls ring: the first ten seeded users (Asha Rao, Vikram Shah, …). */
const AGENTS = USERS.slice(0, 10);

const between = ([low, high]: number[]) => low + Math.random() * (high - low);
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)];

function customerNumber(): string {
	if (Math.random() < UNKNOWN_SHARE) return `98220${String(Math.floor(Math.random() * 100_000)).padStart(5, '0')}`;
	return `98765${String(10_000 + 1 + Math.floor(Math.random() * 99)).slice(-5)}`;
}

export interface SandboxCaller {
	/** Starts one call now (what the timer does); its call id. */
	ring: () => string;
	stop: () => void;
}

/**
 * Rings the double every `everyMs` (0: never) and keeps `webhooks` registered on it (a
 * `POST /__double/reset` forgets them: they come back with the next call).
 */
export function startSandboxCaller(double: ProviderDouble, webhooks: PortalWebhook[], everyMs: number): SandboxCaller {
	const timers = new Set<NodeJS.Timeout>();
	const later = (seconds: number, action: () => void) => {
		const timer = setTimeout(() => {
			timers.delete(timer);
			action();
		}, seconds * 1000);
		timers.add(timer);
	};

	function register() {
		const registered = double.portalWebhooks.list();
		for (const webhook of webhooks) {
			if (!registered.some((entry) => entry.url === webhook.url && entry.trigger === webhook.trigger)) double.portalWebhooks.add(webhook);
		}
	}
	register();

	function ring(): string {
		register();
		const agent = pick(AGENTS);
		const customer = customerNumber();
		const call = double.startCall({ direction: 'inbound', source: customer, customer_number: customer, state: 'ringing', agent_name: agent.name, destination: agent.agent.id });
		if (Math.random() < ANSWERED_SHARE) later(between(ANSWERED_WITHIN), () => double.updateCall(call.call_id, { state: 'answered' }));
		// Gone already if someone hung it up (DELETE /__double/calls/<id>) or reset the calls.
		later(between(HANGS_UP_AFTER), () => double.endCall(call.call_id));
		return call.call_id;
	}

	const interval =
		everyMs > 0
			? setInterval(() => {
					try {
						ring();
					} catch (error) {
						process.stderr.write(`The sandbox caller could not ring: ${String(error)}\n`);
					}
				}, everyMs)
			: undefined;
	return {
		ring,
		stop() {
			clearInterval(interval);
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
		},
	};
}
