import { ExecuteContext, ExecutionLifecycleHooks, LoadOptionsContext, RoutingNode, WorkflowExecute } from 'n8n-core';
import {
	createEmptyRunExecutionData,
	Workflow,
	type IDataObject,
	type IExecuteData,
	type IHttpRequestHelper,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type IRun,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { PackageCredentialsHelper, type SmartfloCredentials } from './credentialsHelper';
import { CREDENTIAL_TYPE, NODE_TYPE, additionalDataFor, executionStartingAt, loadPackage, nodeTypesOf, oneNodeWorkflow, storedNode } from './package';

/** The Smartflo node as n8n runs it: in a workflow, in the credential test, in a list search. */

export type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

export interface RunOptions {
	parameters: INodeParameters;
	/** Run this node type in the Smartflo node's place (the benchmark's bare baseline). */
	nodeType?: INodeType;
	/** Keep stored credential data (e.g. a login token) across runs, as the app's database does. */
	credentialsHelper?: PackageCredentialsHelper;
	items?: INodeExecutionData[];
	credentials: SmartfloCredentials;
	onError?: OnError;
	mode?: WorkflowExecuteMode;
	/**
	 * The stored credential's id. The node paces (and holds after a 429) per credential id,
	 * so runs share a schedule only when they name the same id; by default each run gets
	 * its own, and one test's 429 cannot slow the next.
	 */
	credentialId?: string;
	/**
	 * Run the node as an AI agent's tool: n8n's app gives the tool variant the type
	 * `<type>Tool`, and that is all the node sees of it.
	 */
	asTool?: boolean;
}

export interface RunResult {
	/** Items of the main output. */
	output: INodeExecutionData[];
	/** Items of the error output (onError: continueErrorOutput). */
	errorOutput: INodeExecutionData[];
	/** The error that stopped the workflow, if any. */
	error?: Error & IDataObject;
	run: IRun;
}

export const SMARTFLO_NODE_NAME = 'Smartflo';

function smartfloNode(parameters: INodeParameters, onError?: OnError, credentialId = 'cred-1', type = NODE_TYPE): INode {
	return { ...storedNode('smartflo-node', SMARTFLO_NODE_NAME, type, parameters, credentialId), ...(onError ? { onError } : {}) };
}

let runCount = 0;

/** Runs one Smartflo node on the given items, as the first node of a workflow. */
export async function runSmartflo(options: RunOptions): Promise<RunResult> {
	const loader = await loadPackage();
	const type = options.asTool ? `${NODE_TYPE}Tool` : NODE_TYPE;
	const node = smartfloNode(options.parameters, options.onError, options.credentialId ?? `cred-run-${(runCount += 1)}`, type);
	const replaced = options.nodeType ?? (options.asTool ? loader.nodeTypes[NODE_TYPE.split('.')[1]]?.type : undefined);
	const { workflow, hooks } = oneNodeWorkflow('wf-test', node, options.mode ?? 'manual', nodeTypesOf(loader, replaced ? { [type]: replaced as INodeType } : {}));
	let finished: IRun | undefined;
	hooks.addHandler('workflowExecuteAfter', (run) => {
		finished = run;
	});
	const credentialsHelper = options.credentialsHelper ?? new PackageCredentialsHelper(loader, options.credentials);
	const additionalData = additionalDataFor(credentialsHelper, hooks);

	const runExecutionData = executionStartingAt(workflow.getNode(SMARTFLO_NODE_NAME)!, options.items ?? [{ json: {} }]);
	const execute = new WorkflowExecute(additionalData, options.mode ?? 'manual', runExecutionData);
	const run = await execute.processRunExecutionData(workflow);
	const taskData = run.data.resultData.runData[SMARTFLO_NODE_NAME]?.[0];
	return {
		output: taskData?.data?.main?.[0] ?? [],
		errorOutput: taskData?.data?.main?.[1] ?? [],
		error: (run.data.resultData.error ?? (finished?.data.resultData.error as unknown)) as RunResult['error'],
		run,
	};
}

/**
 * The credential test as the n8n app's CredentialsTester runs it: a throwaway node whose
 * only property routes the credential's `test.request`, executed by RoutingNode.
 */
export async function testCredential(
	credentials: SmartfloCredentials,
): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const loader = await loadPackage();
	const credentialType = loader.credentialTypes[CREDENTIAL_TYPE].type;
	const testRequest = credentialType.test!;
	const nodeType: INodeType = {
		description: {
			displayName: 'Credential test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: CREDENTIAL_TYPE, required: true }],
			properties: [
				{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request: testRequest.request } },
			],
		},
	};
	const node: INode = {
		id: 'test',
		name: 'Temp-Node',
		type: 'credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: { temp: '' },
		credentials: { [CREDENTIAL_TYPE]: { id: 'cred-1', name: 'test' } },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: nodeTypesOf(loader, { credentialTest: nodeType }),
	});
	const hooks = new ExecutionLifecycleHooks('internal', 'cred-test', {} as never);
	const additionalData = additionalDataFor(new PackageCredentialsHelper(loader, credentials), hooks, node.parameters);
	const executeData: IExecuteData = { node, data: {}, source: null };
	const context = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		createEmptyRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		executeData,
		[],
	);
	const routingNode = new RoutingNode(context, nodeType, {
		id: 'cred-1',
		name: 'test',
		type: CREDENTIAL_TYPE,
		data: credentials,
	});
	let response;
	try {
		response = await routingNode.runNode();
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
	for (const rule of testRequest.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const body = (response?.[0]?.[0]?.json ?? {}) as IDataObject;
			if (body[rule.properties.key] === rule.properties.value) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/** A list search as the app's resource-locator endpoint runs it: a LoadOptionsContext. */
export async function runListSearch(
	method: 'searchLiveCalls' | 'searchAgents',
	credentials: SmartfloCredentials,
	filter?: string,
	paginationToken?: string,
	credentialsHelper?: PackageCredentialsHelper,
) {
	const loader = await loadPackage();
	const nodeType = loader.nodeTypes.smartflo.type as INodeType;
	const node = smartfloNode({ resource: 'call', operation: 'barge' });
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: nodeTypesOf(loader) });
	const hooks = new ExecutionLifecycleHooks('internal', 'list-search', {} as never);
	const helper = credentialsHelper ?? new PackageCredentialsHelper(loader, credentials);
	const additionalData = additionalDataFor(helper, hooks, node.parameters);
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters.callId');
	return await nodeType.methods!.listSearch![method].call(context, filter, paginationToken);
}

/** n8n-core's request helpers, as n8n hands them to a credential's preAuthentication. */
export async function requestHelpers(): Promise<IHttpRequestHelper> {
	const loader = await loadPackage();
	const node = smartfloNode({});
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: nodeTypesOf(loader) });
	const hooks = new ExecutionLifecycleHooks('internal', 'helpers', {} as never);
	const context = new LoadOptionsContext(workflow, node, additionalDataFor(new PackageCredentialsHelper(loader, {}), hooks), 'parameters.x');
	return { helpers: context.helpers } as unknown as IHttpRequestHelper;
}

