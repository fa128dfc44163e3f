import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import type { Numbering } from '../../credentials/smartfloApi/hosts';
import { routeAnswer, routeFormatProperty, routeShapeOf, stepFields, type RouteStepInput } from './dialplan/routeActions';

const WEBHOOK_TRIGGER = 'n8n-nodes-smartflo.smartfloWebhookTrigger';
/** Closer than this to Answer Within, the trigger's Fallback may already be on its way: not sent. */
const SAFETY_MARGIN_MS = 250;

/**
 * Answers the platform's API Dialplan request that Smartflo Webhook Trigger (Receive: Routing
 * Requests) holds open, as n8n's Respond to Webhook answers a Webhook node: a list of actions
 * the platform runs in order. A node of its own keeps the Smartflo node one resource with
 * four operations on live calls; this one acts on a call that is not live yet.
 */
export class SmartfloRouteCall implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Smartflo Route Call',
		name: 'smartfloRouteCall',
		icon: { light: 'file:smartflo.svg', dark: 'file:smartflo.dark.svg' },
		group: ['transform'],
		version: 1,
		// The Cloud scanner asks every node for it. As an AI Agent's tool it routes the call the
		// workflow's trigger holds, like any Route Call after that trigger.
		usableAsTool: true,
		subtitle:
			'={{ ($parameter["actions"]?.action ?? []).map(a => ({ transferNumber: "number", transferAgent: "agent", transferDepartment: "department", transferIvr: "IVR", transferExtension: "extension", transferAutoAttendant: "auto attendant", playRecording: "recording", playRecordingUrl: "recording URL" })[a.step] + (a.to ? " " + a.to : "")).join(" → ") }}',
		documentationUrl: 'https://github.com/n8n-nodes-smartflo/n8n-nodes-smartflo#route-incoming-calls',
		description: 'Tell Smartflo, Acefone or Servetel where an incoming call goes: answers Smartflo Webhook Trigger’s API Dialplan request with transfers and recordings',
		defaults: { name: 'Route Call' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName:
					'Answers the call that Smartflo Webhook Trigger (Receive: Routing Requests) is holding. The platform runs the actions in order; a Route Call reached after the trigger’s Answer Within is not sent (the trigger’s Fallback has routed the call).',
				name: 'routeNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Actions',
				name: 'actions',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true, sortable: true },
				placeholder: 'Add Action',
				default: { action: [{ step: 'transferNumber', to: '' }] },
				options: [{ displayName: 'Action', name: 'action', values: stepFields() }],
			},
			routeFormatProperty(),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const trigger = this.getParentNodes(this.getNode().name).find((parent) => parent.type === WEBHOOK_TRIGGER);
		if (!trigger) {
			throw new NodeOperationError(this.getNode(), 'Route Call answers a Smartflo Webhook Trigger set to Receive: Routing Requests (API Dialplan)', {
				description: 'Start this workflow with Smartflo Webhook Trigger, Receive → Routing Requests, and connect Route Call after it.',
			});
		}
		const routing = (this.evaluateExpression(`{{ $('${trigger.name.replace(/'/g, "\\'")}').first().json.routing }}`, 0) ?? {}) as IDataObject;
		const numbering: Numbering = routing.numbering === 'asTyped' ? 'asTyped' : 'india';
		const shape = routeShapeOf(this.getNodeParameter('routeFormat', 0, {}) as IDataObject, numbering);
		const steps = ((this.getNodeParameter('actions', 0, {}) as IDataObject).action ?? []) as RouteStepInput[];
		const route = routeAnswer(steps, shape);
		if (!route.ok) throw new NodeOperationError(this.getNode(), `Actions: ${route.message}`, { description: route.hint, itemIndex: 0 });
		const answer = route.answer;

		const answerBy = Date.parse(String(routing.answer_by ?? ''));
		const late = Number.isFinite(answerBy) && Date.now() > answerBy - SAFETY_MARGIN_MS;
		if (!late) {
			// A Buffer body: n8n writes it to the held request as it is (also from a queue-mode worker).
			await Promise.resolve(this.sendResponse({ body: Buffer.from(JSON.stringify(answer)), headers: { 'content-type': 'application/json' }, statusCode: 200 }) as unknown);
		}
		const result = late
			? { sent: false, actions: answer, reason: `too late: Answer Within passed at ${String(routing.answer_by)}, the trigger’s Fallback answered (${String(routing.fallback)})` }
			: { sent: true, actions: answer };
		return [items.map((item, index) => ({ json: { ...item.json, route: result }, pairedItem: { item: index } }))];
	}
}
