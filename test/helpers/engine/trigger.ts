import { ExecutionLifecycleHooks, PollContext, WorkflowExecute } from 'n8n-core';
import { Workflow, type IDataObject, type INode, type INodeExecutionData, type INodeParameters, type INodeType } from 'n8n-workflow';

import type { RunResult } from './actionNode';
import { PackageCredentialsHelper, type SmartfloCredentials } from './credentialsHelper';
import { additionalDataFor, loadPackage, nodeTypesOf, oneNodeWorkflow, storedNode } from './package';

/** Smartflo Trigger as n8n runs it: an active workflow's polls, and Fetch Test Event. */

export const TRIGGER_TYPE = 'n8n-nodes-smartflo.smartfloTrigger';
export const TRIGGER_NODE_NAME = 'Smartflo Trigger';

function triggerNode(parameters: INodeParameters): INode {
	return storedNode('smartflo-trigger', TRIGGER_NODE_NAME, TRIGGER_TYPE, parameters);
}

export interface PollResult {
	/** Items the poll emitted (empty when it returned null: no execution starts). */
	items: INodeExecutionData[];
	/** Whether n8n would start an execution. */
	emitted: boolean;
	/** The workflow's static data after the poll, as n8n keeps it in memory for the next poll. */
	staticData: IDataObject;
	/** The static data n8n saved to its database when items were emitted (undefined: nothing saved). */
	saved?: IDataObject;
	/** With `reportErrors`: the error the poll threw (n8n's error execution; at activation, a failed activation). */
	error?: unknown;
	/** An error the poll reported with `__emitError` and went on: n8n's error execution, the poll itself succeeding. */
	reported?: unknown;
}

/** n8n saves static data as JSON; the change marker is its own, not the node's. */
function asSaved(workflow: Workflow): IDataObject {
	const saved = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
	delete saved.__dataChanged;
	return saved;
}

/**
 * An active workflow's poll, as n8n-core's ActiveWorkflows runs it each interval: the node's
 * `poll` with a PollContext in trigger mode, on a Workflow holding the static data n8n
 * loaded from its database; items the poll returns go to the context's `__emit`, where n8n
 * saves the static data and starts an execution (a node may also call it itself). Pass the
 * previous result's `staticData` to go on polling, or to restart n8n with what it saved.
 * A poll that throws rejects, unless `reportErrors`: then the error is in the result, as
 * n8n's error execution.
 */
export async function runPoll(options: {
	parameters: INodeParameters;
	credentials: SmartfloCredentials;
	staticData?: IDataObject;
	activation?: 'init' | 'activate' | 'update' | 'manual';
	reportErrors?: boolean;
}): Promise<PollResult> {
	const loader = await loadPackage();
	const node = triggerNode(options.parameters);
	const workflow = new Workflow({
		id: 'wf-poll',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: nodeTypesOf(loader),
		staticData: structuredClone(options.staticData ?? {}),
		settings: {},
	});
	const hooks = new ExecutionLifecycleHooks('trigger', 'poll', {} as never);
	const additionalData = additionalDataFor(new PackageCredentialsHelper(loader, options.credentials), hooks, node.parameters);
	const items: INodeExecutionData[] = [];
	let saved: IDataObject | undefined;
	const emit = (data: INodeExecutionData[][]) => {
		saved = asSaved(workflow);
		items.push(...(data[0] ?? []));
	};
	let reported: unknown;
	const context = new PollContext(workflow, node, additionalData, 'trigger', options.activation ?? 'activate', emit, (error: Error) => {
		reported = error;
	});
	const nodeType = loader.nodeTypes.smartfloTrigger.type as INodeType;
	const outcome = await nodeType.poll!.call(context).then(
		(response) => ({ response, error: undefined }),
		(caught: unknown) => ({ response: null, error: caught ?? new Error('the poll failed') }),
	);
	if (outcome.error !== undefined && !options.reportErrors) return await Promise.reject(outcome.error as Error);
	if (outcome.response !== null) context.__emit(outcome.response);
	if (reported !== undefined && !options.reportErrors) return await Promise.reject(reported as Error);
	const { error } = outcome;
	return {
		items,
		emitted: saved !== undefined,
		staticData: asSaved(workflow),
		saved,
		...(error === undefined ? {} : { error }),
		...(reported === undefined ? {} : { reported }),
	};
}

/** Fetch Test Event: the workflow run in manual mode from the trigger, as the editor does. */
export async function fetchTestEvent(parameters: INodeParameters, credentials: SmartfloCredentials): Promise<RunResult> {
	const loader = await loadPackage();
	const node = triggerNode(parameters);
	const { workflow, hooks } = oneNodeWorkflow('wf-test-event', node, 'manual', nodeTypesOf(loader));
	const additionalData = additionalDataFor(new PackageCredentialsHelper(loader, credentials), hooks);
	const execute = new WorkflowExecute(additionalData, 'manual');
	const run = await execute.run({ workflow, startNode: node });
	const taskData = run.data.resultData.runData[TRIGGER_NODE_NAME]?.[0];
	return {
		output: taskData?.data?.main?.[0] ?? [],
		errorOutput: [],
		error: run.data.resultData.error as RunResult['error'],
		run,
	};
}
