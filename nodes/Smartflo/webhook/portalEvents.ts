/**
 * The portal's webhook triggers (API Connect → Webhook), as the portal names them, with the
 * variables each offers and the body template the node shows for it. One portal webhook has
 * one trigger, so each webhook's URL says which event it is: `?event=<code>`.
 */

export interface PortalEvent {
	/** What the URL carries (`?event=…`) and the item's `event`. */
	code: string;
	/** The portal's name of the trigger. */
	portalName: string;
	/** When it fires, in the node's event list. */
	description: string;
	/** The `$variables` the template sends, beyond those every event sends. */
	variables: string[];
}

/** What every trigger offers: who called whom, on which number, when. */
const COMMON = ['call_id', 'uuid', 'direction', 'call_to_number', 'caller_id_number', 'customer_number', 'start_stamp'];

const AGENT = ['answered_agent_name', 'answered_agent_number', 'answered_agent'];

const HANGUP = ['answer_stamp', 'end_stamp', 'duration', 'billsec', 'call_status', 'hangup_cause', ...AGENT, 'missed_agent', 'call_flow', 'digits_dialed', 'recording_url'];

export const PORTAL_EVENTS: readonly PortalEvent[] = [
	{ code: 'call_received', portalName: 'Call received on server', description: 'A call reaches the account, before the IVR or an agent', variables: ['billing_circle'] },
	{ code: 'answered_on_ivr', portalName: 'Call answered on IVR', description: 'The IVR picks the call up', variables: ['answer_stamp'] },
	{ code: 'dialled_on_agent', portalName: 'Dialled on agent', description: 'An agent’s phone starts ringing', variables: ['answered_agent_name', 'answered_agent_number', 'agent_ring_time'] },
	{ code: 'answered_by_agent', portalName: 'Call answered by agent', description: 'An agent answers: the moment for a screen pop', variables: ['answer_stamp', ...AGENT] },
	{ code: 'missed_by_agent', portalName: 'Call missed by agent (hangup)', description: 'An agent was rung and did not answer', variables: ['missed_agent', 'agent_ring_time', 'hangup_cause'] },
	{ code: 'hangup_missed', portalName: 'Call hangup (missed)', description: 'A call ends that nobody answered: a caller to call back', variables: HANGUP },
	{ code: 'hangup_answered', portalName: 'Call hangup (answered)', description: 'An answered call ends, with its recording', variables: HANGUP },
	{ code: 'hangup', portalName: 'Call hangup (missed or answered)', description: 'Any call ends, answered or missed', variables: HANGUP },
	{ code: 'dtmf', portalName: 'DTMF option', description: 'The caller presses a key in the IVR', variables: ['digit_pressed', 'digits_dialed'] },
	{
		code: 'c2c_answered',
		portalName: 'Call answered by customer (click to call)',
		description: 'The customer answers a click-to-call',
		variables: ['answer_stamp', 'end_stamp', 'duration', 'billsec', 'call_status', 'hangup_cause', 'answered_agent_number', 'customer_ring_time', 'recording_url', 'ref_id', 'custom_identifier'],
	},
	{
		code: 'c2c_missed',
		portalName: 'Call missed by customer (click to call)',
		description: 'The customer does not answer a click-to-call',
		variables: ['end_stamp', 'duration', 'call_status', 'hangup_cause', 'answered_agent_number', 'customer_ring_time', 'ref_id', 'custom_identifier'],
	},
	{
		code: 'disposition_updated',
		portalName: 'Disposition status updated (dialer)',
		description: 'An agent sets a call’s disposition in a dialer campaign',
		variables: ['campaign_name', 'campaign_id', 'reason_key', 'answered_agent_name', 'answered_agent_number', 'ref_id'],
	},
];

export const portalEvent = (code: string): PortalEvent | undefined => PORTAL_EVENTS.find((event) => event.code === code);

/** Every variable the event sends: the common ones first. */
export const variablesOf = (event: PortalEvent): string[] => [...new Set([...COMMON, ...event.variables])];

/**
 * The body template to paste for an event: every variable, each in quotes. Quoted, a call id
 * stays text (1758790010.9010 keeps its zero) and an empty variable stays valid JSON.
 */
export function bodyTemplate(event: PortalEvent): string {
	return `{${variablesOf(event)
		.map((name) => `"${name}": "$${name}"`)
		.join(', ')}}`;
}
