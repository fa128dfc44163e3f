import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { text } from '../shared/callWords';
import { filtersOf, passesFilters } from '../trigger/filters';
import { readDelivery } from './delivery';
import { PORTAL_EVENTS, portalEvent } from './portalEvents';
import { isRepeat } from './repeatGuard';
import { accountOf, deliveryOf, receivedOf, refuse } from './request';
import { webhookItem } from './webhookItem';

/**
 * Receive: Call Events. One portal delivery → one execution with the event in plain words,
 * answered at once (the webhook's responseMode is onReceived); a delivery of an event the
 * node was not set to, of a call the Filters skip, or repeated, is answered 200 and starts nothing.
 */
export async function receiveEvent(context: IWebhookFunctions, query: IDataObject): Promise<IWebhookResponseData> {
	const chosen = context.getNodeParameter('events', []) as string[];
	const code = text(query.event) || (chosen.length === 1 ? chosen[0] : '');
	const event = portalEvent(code);
	if (!event) {
		return refuse(
			context,
			400,
			`The URL names ${code === '' ? 'no event' : `the event "${code}", which the node does not know`}: end it with ?event= and one of ${PORTAL_EVENTS.map((known) => known.code).join(', ')}.`,
		);
	}
	if (!chosen.includes(event.code)) return { webhookResponse: { ok: true, started: false, reason: `${event.code} is not one of the node's Events` } };

	const received = receivedOf(context, query);
	const delivery = readDelivery(received);
	if (!delivery.ok) return refuse(context, 400, `The node cannot read this delivery: ${delivery.problem}`);
	const account = await accountOf(context);
	if (typeof account === 'string') return refuse(context, 500, `The node cannot read this delivery: ${account}.`);

	const item = webhookItem(event, delivery.fields, delivery.callId, account, deliveryOf(received));
	if (!passesFilters({ direction: item.direction, did: item.did, agent: { name: item.agent, ids: [item.agent_number] } }, filtersOf(context))) {
		return { webhookResponse: { ok: true, started: false, reason: 'the call does not pass the node’s Filters' } };
	}
	// Test URLs replay a delivery as often as the user asks; production starts once per event of a call.
	if (context.getMode() !== 'manual') {
		const key = [context.getWorkflow().id, context.getNode().id, event.code, item.call_id || JSON.stringify(delivery.fields), item.uuid, item.digits, item.agent_number].join('|');
		if (isRepeat(key)) return { webhookResponse: { ok: true, started: false, reason: 'a repeated delivery: this event of this call already started the workflow' } };
	}
	const notes = delivery.notes.length > 0 ? { delivery_notes: delivery.notes } : {};
	return { workflowData: [context.helpers.returnJsonArray([{ ...item, ...notes, fields: delivery.fields }])] };
}
