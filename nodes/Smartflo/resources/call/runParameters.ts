import type { IExecuteSingleFunctions, IGetNodeParameterOptions } from 'n8n-workflow';

/**
 * The node's parameters as the items of one run read them. n8n resolves a parameter anew
 * for every item that asks (the expression engine walks it, then it is cleaned, looked up
 * in the description and checked against it), yet most of this node's fields hold no
 * expression: the operation, Options, Request Options, often the agent. Such a field's
 * value is what the node holds as saved (n8n fills in the defaults when it loads the
 * workflow), the same for every item, so it is taken from there once per run; a field that
 * holds an expression anywhere in it, or is missing, is read through getNodeParameter per
 * item, as n8n would.
 *
 * A run is n8n's execute data for the node's run (runOf). A context without it reads the
 * node anew for every field it asks for.
 */
interface RunParameters {
	/** The node's parameters as saved: what tells a fixed value from an expression. */
	saved: Record<string, unknown>;
	/** The stored credential's id: what the node paces by. */
	credentialId: string;
	/** The fields without an expression read so far, by name and how they were read. */
	fixed: Map<string, unknown>;
}

const parametersOfRuns = new WeakMap<object, RunParameters>();

/**
 * What the items of one run share, the key of what the node keeps per run (here and in
 * findCall.ts): n8n's execute data for the node's run, the same object for every item of it
 * and a new one for its next run (another execution, or the same node again in a loop).
 * Optional call: every n8n this package supports has it; a context without it shares nothing.
 */
export function runOf(context: IExecuteSingleFunctions): object | undefined {
	return context.getExecuteData?.() as object | undefined;
}

/** Whether a saved value holds an n8n expression ("={{ … }}") anywhere in it. */
function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (typeof value === 'object' && value !== null) return Object.values(value).some(holdsExpression);
	return false;
}

function runParametersOf(context: IExecuteSingleFunctions): RunParameters {
	const run = runOf(context);
	const known = run ? parametersOfRuns.get(run) : undefined;
	if (known) return known;
	// n8n's getNode() hands out a fresh copy of the node: once per run, not per item.
	const node = context.getNode();
	const parameters: RunParameters = {
		saved: node.parameters,
		credentialId: node.credentials?.smartfloApi?.id ?? 'smartfloApi',
		fixed: new Map(),
	};
	if (run) parametersOfRuns.set(run, parameters);
	return parameters;
}

/**
 * A parameter's value for this item: `context.getNodeParameter(name, fallback, options)`,
 * read once per run when the field holds no expression. Callers treat the value as read-only.
 */
export function readParameter(
	context: IExecuteSingleFunctions,
	name: string,
	fallback?: unknown,
	options?: IGetNodeParameterOptions,
): unknown {
	const run = runParametersOf(context);
	const key = options?.extractValue ? `${name} (value)` : name;
	if (run.fixed.has(key)) return run.fixed.get(key);
	const saved = run.saved[name];
	if (saved === undefined || holdsExpression(saved)) return context.getNodeParameter(name, fallback, options);
	const value = options?.extractValue ? valueOfLocator(saved) : saved;
	run.fixed.set(key, value);
	return value;
}

/**
 * A Call or Agent field's value, as getNodeParameter's extractValue gives it: a field picked
 * from a list or typed in a mode is { mode, value }; none of this node's modes rewrites it.
 */
function valueOfLocator(saved: unknown): unknown {
	return typeof saved === 'object' && saved !== null && 'mode' in saved && 'value' in saved ? saved.value : saved;
}

/**
 * What the node paces by: the stored credential's id, so every node and run that uses it
 * shares one schedule.
 */
export function pacingKeyOf(context: IExecuteSingleFunctions): string {
	return runParametersOf(context).credentialId;
}
