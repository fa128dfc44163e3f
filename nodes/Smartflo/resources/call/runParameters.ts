import type { IExecuteData, IExecuteSingleFunctions, IGetNodeParameterOptions } from 'n8n-workflow';

/**
 * The node's parameters as an item reads them, and what the items of one run share.
 *
 * n8n resolves a parameter anew for every item that asks (the expression engine walks it,
 * then it is cleaned, looked up in the description and checked against it), yet most of
 * this node's fields hold no expression: the operation, Options, Request Options, often
 * the agent. Such a field's value is the value the node holds as saved (n8n fills in the
 * defaults when it loads the workflow), so it is taken as saved: getNodeParameter's
 * rawExpressions gives it without a copy. A field that holds an expression anywhere in it,
 * or is missing, is read through getNodeParameter, as n8n would.
 */

/** What a raw read gives for a field the node does not hold. */
const MISSING = Symbol('missing');

/** Whether a saved value holds an n8n expression ("={{ … }}") anywhere in it. */
function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (typeof value === 'object' && value !== null) return Object.values(value).some(holdsExpression);
	return false;
}

/**
 * A parameter's value for this item: `context.getNodeParameter(name, fallback, options)`,
 * taken as saved when the field holds no expression. Callers treat the value as read-only.
 */
export function readParameter(
	context: IExecuteSingleFunctions,
	name: string,
	fallback?: unknown,
	options?: IGetNodeParameterOptions,
): unknown {
	const saved: unknown = context.getNodeParameter(name, MISSING, { rawExpressions: true });
	if (saved === MISSING || holdsExpression(saved)) return context.getNodeParameter(name, fallback, options);
	return options?.extractValue ? valueOfLocator(saved) : saved;
}

/**
 * A Call or Agent field's value, as getNodeParameter's extractValue gives it: a field picked
 * from a list or typed in a mode is { mode, value }; none of this node's modes rewrites it.
 */
function valueOfLocator(saved: unknown): unknown {
	return typeof saved === 'object' && saved !== null && 'mode' in saved && 'value' in saved ? saved.value : saved;
}

/** The node types whose execute data is this node's own: the node, and the node as a tool run by AI Agent 3. */
const OWN_TYPE = /\.smartflo(?:Tool)?$/;

/**
 * What the items of one run share, the key of what the node keeps per run (the live-call
 * read of findCall.ts): n8n's execute data for the node's run, the same object for every item of it
 * and a new one for its next run (another execution, or the same node again in a loop);
 * its node is this node as saved (no Smartflo node runs another node inside its run).
 *
 * An AI Agent before version 3 runs its tools inside its own run, with its own execute data:
 * every tool of the agent, and each of its calls, would share one. There the execute data is
 * the agent's (its node is not this node's type) and an item shares nothing.
 * Optional call: every n8n this package supports has it.
 */
export function runOf(context: IExecuteSingleFunctions): IExecuteData | undefined {
	const data = context.getExecuteData?.();
	return data && OWN_TYPE.test(data.node.type) ? data : undefined;
}

/**
 * What the node paces by: the stored credential's id, so every node and run that uses it
 * shares one schedule. In the node's own run it is read from the run's node (n8n's
 * getNode() hands out a copy of the whole node, for every item that asks).
 */
export function pacingKeyOf(context: IExecuteSingleFunctions): string {
	const node = runOf(context)?.node ?? context.getNode();
	return node.credentials?.smartfloApi?.id ?? 'smartfloApi';
}
