import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { pause } from '../resources/call/pause';
import { text } from '../shared/callWords';
import { readDelivery } from '../webhook/delivery';
import type { PortalEvent } from '../webhook/portalEvents';
import { accountOf, deliveryOf, receivedOf } from '../webhook/request';
import { webhookItem } from '../webhook/webhookItem';
import { routeAnswer, routeShapeOf, type RouteShape, type RouteStepInput } from './routeActions';

/**
 * Receive: Routing Requests (API Dialplan). The platform asks where an incoming call goes and
 * the caller waits in silence until it hears back, so the node keeps the request open for the
 * workflow's Smartflo Route Call node — and answers the Fallback itself once Answer Within has
 * passed without one: the workflow failed, ended without routing, or was too slow. A Route Call
 * that comes later is not sent (its output says so): the call has been routed by then.
 */

export const DIALPLAN_REQUEST: PortalEvent = {
	code: 'api_dialplan',
	portalName: 'API Dialplan request',
	description: 'An incoming call on a number whose destination is API Dialplan',
	// Smartflo and Acefone list the first five; Servetel adds last_dtmf and call_flow.
	variables: ['last_dtmf', 'call_flow'],
};

/** Answer Within: a second at least; under the platform's 10 s timeout at most. */
export const MAX_ANSWER_SECONDS = 9;
export const DEFAULT_ANSWER_SECONDS = 4;

interface Fallback {
	status: number;
	body: IDataObject | IDataObject[];
	/** What the item's routing.fallback says. */
	description: string;
}

const FAILOVER: Fallback = {
	status: 503,
	body: { ok: false, message: 'No route: the portal’s failover destination takes the call' },
	description: 'the portal’s failover destination (answered 503)',
};

function fallbackOf(context: IWebhookFunctions, shape: RouteShape): Fallback | string {
	if (context.getNodeParameter('fallback', 'failover') !== 'route') return FAILOVER;
	const step = (context.getNodeParameter('fallbackRoute', {}) as IDataObject).route as RouteStepInput | undefined;
	const route = routeAnswer(step ? [step] : [], shape);
	if (!route.ok) return `Fallback Route ${route.message}: ${route.hint}`;
	return { status: 200, body: route.answer, description: JSON.stringify(route.answer) };
}

export function answerWithinOf(context: IWebhookFunctions): number {
	const seconds = Number(context.getNodeParameter('answerWithin', DEFAULT_ANSWER_SECONDS));
	return Number.isFinite(seconds) ? Math.min(MAX_ANSWER_SECONDS, Math.max(1, seconds)) : DEFAULT_ANSWER_SECONDS;
}

export async function receiveRoutingRequest(context: IWebhookFunctions, query: IDataObject): Promise<IWebhookResponseData> {
	const res = context.getResponseObject();
	const account = await accountOf(context);
	const shape = routeShapeOf(context.getNodeParameter('routeFormat', {}) as IDataObject, typeof account === 'string' ? 'india' : account.numbering);
	const fallback = fallbackOf(context, shape);
	const answer = (chosen: Fallback, problem?: string) => {
		if (res.headersSent) return;
		res.status(chosen.status).json(problem && !Array.isArray(chosen.body) ? { ...chosen.body, message: problem } : chosen.body);
	};
	// A node that cannot route this call says so at once: the caller must not wait for nothing.
	if (typeof fallback === 'string') {
		answer(FAILOVER, fallback);
		return { noWebhookResponse: true };
	}
	const received = receivedOf(context, query);
	const delivery = readDelivery(received);
	if (!delivery.ok || typeof account === 'string') {
		answer(fallback, delivery.ok ? String(account) : `The node cannot read this request: ${delivery.problem}`);
		return { noWebhookResponse: true };
	}

	const seconds = answerWithinOf(context);
	const answerBy = Date.now() + seconds * 1000;
	// n8n's own sleep: the one timer a community node may use. Whatever answered first wins.
	void pause(seconds * 1000).then(() => answer(fallback));

	const item = webhookItem(DIALPLAN_REQUEST, { ...delivery.fields, direction: text(delivery.fields.direction) || 'inbound' }, delivery.callId, account, deliveryOf(received));
	const routing = { answer_by: new Date(answerBy).toISOString(), numbering: account.numbering, format: { data_as: shape.dataAs, numbers: shape.numbers }, fallback: fallback.description };
	const notes = delivery.notes.length > 0 ? { delivery_notes: delivery.notes } : {};
	return { noWebhookResponse: true, workflowData: [context.helpers.returnJsonArray([{ ...item, ...notes, routing, fields: delivery.fields }])] };
}
