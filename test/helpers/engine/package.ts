/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
import path from 'node:path';

import { Container } from '@n8n/di';
import { ExecutionLifecycleHooks, PackageDirectoryLoader } from 'n8n-core';
import {
	Workflow,
	type ICredentialsHelper,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRunExecutionData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';

/** How the n8n app hosts this package: loading dist/, its node types, a stored workflow. */

/**
 * n8n-core starts a 60 s housekeeping interval for SSH tunnels the first time a node
 * runs; the app stops it on shutdown, and so must anything that runs the engine here.
 */
export function shutdownEngine(): void {
	Container.get(SSHClientsManager).onShutdown();
}

export const PACKAGE_DIR = path.resolve(__dirname, '..', '..', '..');
export const NODE_TYPE = 'n8n-nodes-smartflo.smartflo';
export const CREDENTIAL_TYPE = 'smartfloApi';

let loaderPromise: Promise<PackageDirectoryLoader> | undefined;

/** Loads dist/ once per test file, exactly as n8n loads an installed community package. */
export async function loadPackage(): Promise<PackageDirectoryLoader> {
	loaderPromise ??= (async () => {
		const loader = new PackageDirectoryLoader(PACKAGE_DIR);
		await loader.loadAll();
		return loader;
	})();
	return await loaderPromise;
}

export function nodeTypesOf(loader: PackageDirectoryLoader, extra: Record<string, INodeType> = {}): INodeTypes {
	const byName = (name: string): INodeType => {
		if (extra[name]) return extra[name];
		const loaded = loader.nodeTypes[name.replace(/^n8n-nodes-smartflo\./, '')];
		if (!loaded) throw new Error(`Unknown node type ${name}`);
		return loaded.type as INodeType;
	};
	return {
		getByName: byName,
		getByNameAndVersion: (name) => byName(name),
		getKnownTypes: () => ({}),
	};
}

export function additionalDataFor(
	credentialsHelper: ICredentialsHelper,
	hooks: ExecutionLifecycleHooks,
	parameters: INodeParameters = {},
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper,
		hooks,
		executionId: hooks.executionId,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		currentNodeParameters: parameters,
		variables: {},
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('not used');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** A node of this package as a workflow stores it, with the test credential selected. */
export function storedNode(id: string, name: string, type: string, parameters: INodeParameters, credentialId = 'cred-1'): INode {
	return {
		id,
		name,
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { [CREDENTIAL_TYPE]: { id: credentialId, name: 'Smartflo (test)' } },
	};
}

/** What WorkflowExecute starts from: this node to run first, on these items. */
export function executionStartingAt(node: INode, items: INodeExecutionData[]): IRunExecutionData {
	return {
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [{ node, data: { main: [items] }, source: null }],
		},
	} as unknown as IRunExecutionData;
}

/** A workflow of one node and the lifecycle hooks WorkflowExecute reports to. */
export function oneNodeWorkflow(id: string, node: INode, mode: WorkflowExecuteMode, nodeTypes: INodeTypes) {
	const workflow = new Workflow({ id, nodes: [node], connections: {}, active: false, nodeTypes, settings: {} });
	const hooks = new ExecutionLifecycleHooks(mode, `exec-${id}`, {
		id,
		name: 'test',
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: [node],
		connections: {},
	});
	return { workflow, hooks };
}
