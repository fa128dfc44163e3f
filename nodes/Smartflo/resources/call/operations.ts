/**
 * The four things `POST /v1/call/options` can do to a live call, keyed by the
 * `operation` value saved in workflows. `type` is the provider's documented code.
 */
export const CALL_OPERATIONS = {
	monitor: {
		type: 1,
		name: 'Monitor',
		action: 'Monitor a live call',
		description: 'Let an agent or supervisor listen to a live call without being heard',
		party: 'agent',
	},
	whisper: {
		type: 2,
		name: 'Whisper',
		action: 'Whisper to the agent on a live call',
		description: 'Let a supervisor coach the agent on a live call; the customer does not hear it',
		party: 'agent',
	},
	barge: {
		type: 3,
		name: 'Barge',
		action: 'Barge into a live call',
		description: 'Let a supervisor join a live call so both the agent and the customer hear them',
		party: 'agent',
	},
	transfer: {
		type: 4,
		name: 'Transfer',
		action: 'Transfer a live call',
		description: 'Move a live call to a mobile number, an agent extension or a department',
		party: 'destination',
	},
} as const;

export type CallOperation = keyof typeof CALL_OPERATIONS;

export const AGENT_OPERATIONS = (Object.keys(CALL_OPERATIONS) as CallOperation[]).filter(
	(operation) => CALL_OPERATIONS[operation].party === 'agent',
);

export function isCallOperation(value: unknown): value is CallOperation {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CALL_OPERATIONS, value);
}
