/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * Runs the built package the way the n8n app does: n8n-core's PackageDirectoryLoader
 * loads dist/ from package.json's "n8n" section (adding the declarative Request Options),
 * WorkflowExecute runs the workflow, RoutingNode executes the declarative node, and
 * credentials go through the credential type's own `authenticate`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// n8n-core reads its settings folder when first used; keep it away from the user's ~/.n8n.
process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(tmpdir(), 'smartflo-engine-'));

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import {
	ExecuteContext,
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	PackageDirectoryLoader,
	PollContext,
	RoutingNode,
	WorkflowExecute,
} from 'n8n-core';
import {
	createEmptyRunExecutionData,
	ICredentialsHelper,
	LoggerProxy,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IExecuteData,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';

/**
 * n8n-core starts a 60 s housekeeping interval for SSH tunnels the first time a node
 * runs; the app stops it on shutdown, and so must anything that runs the engine here.
 */
export function shutdownEngine(): void {
	Container.get(SSHClientsManager).onShutdown();
}

/**
 * Every line n8n-core logs while tests run, with its metadata as JSON, so tests can check
 * that no secret is ever logged. Replaces both of n8n's loggers (the proxy and the service).
 */
export const capturedLogs: string[] = [];
const capture = (level: string) => (message: string, meta?: object) => {
	let metaText = '';
	try {
		metaText = meta ? JSON.stringify(meta) : '';
	} catch {
		metaText = String(meta);
	}
	capturedLogs.push(`${level} ${message} ${metaText}`);
};
const captureLogger = {
	error: capture('error'),
	warn: capture('warn'),
	info: capture('info'),
	debug: capture('debug'),
	verbose: capture('verbose'),
	scoped: () => captureLogger,
};
LoggerProxy.init(captureLogger);
Container.set(Logger, captureLogger as unknown as Logger);

export const PACKAGE_DIR = path.resolve(__dirname, '..', '..');
export const NODE_TYPE = 'n8n-nodes-smartflo.smartflo';
export const CREDENTIAL_TYPE = 'smartfloApi';

export interface SmartfloCredentials extends ICredentialDataDecryptedObject {
	provider: string;
	baseUrl: string;
	token: string;
}

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

function nodeTypesOf(loader: PackageDirectoryLoader, extra: Record<string, INodeType> = {}): INodeTypes {
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

/**
 * What the n8n app's CredentialsHelper does for this package: hand stored credential data
 * to the node and apply the credential type's `authenticate` to each request.
 */
export class PackageCredentialsHelper extends ICredentialsHelper {
	/** How often preAuthentication ran (sign-ins asked for, before any sharing). */
	preAuthentications = 0;
	/** How often the stored credential was read (in the app: a database read and a decryption). */
	decryptions = 0;

	constructor(
		private readonly loader: PackageDirectoryLoader,
		private data: ICredentialDataDecryptedObject,
	) {
		super();
	}

	private type(name: string): ICredentialType {
		return this.loader.credentialTypes[name].type;
	}

	getParentTypes(): string[] {
		return [];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.type(typeName);
		if (typeof authenticate !== 'function') throw new Error(`${typeName} has no authenticate function`);
		return await authenticate(credentials, requestOptions);
	}

	/**
	 * The app's rule for expiring tokens, as n8n 2.8's CredentialsHelper applies it: call the
	 * credential's preAuthentication when its expirable field is empty or the provider said
	 * 401, and store what it returns. A stand-in only: e2e/ runs the app's own code.
	 */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.type(typeName);
		const expirable = type.properties.find((property) => property.type === 'hidden' && property.typeOptions?.expirable);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		const testing = node.type === 'credentialTest';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !testing) return undefined;
		this.preAuthentications += 1;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		this.data = { ...this.data, ...(output as ICredentialDataDecryptedObject) };
		return Object.assign(credentials, output);
	}

	/**
	 * Newer engines (n8n-core 2.41) ask this before handing a node its credential; this
	 * package's credential is for its own nodes and n8n's HTTP Request node.
	 */
	isCredentialUsableByNode(): boolean {
		return true;
	}

	/** Newer engines sign in through this (OAuth helpers); the credential type's own hook. */
	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.type(typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		this.preAuthentications += 1;
		return (await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
	}

	/** The stored credential data, as n8n's database would hold it now. */
	stored(): ICredentialDataDecryptedObject {
		return this.data;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used by these tests');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		this.decryptions += 1;
		// A copy each time, as the app decrypts afresh for every request.
		return { ...this.data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string) {
		return this.type(type).properties;
	}
}

function additionalDataFor(
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

/** A node of this package as a workflow stores it, with the test credential selected. */
function storedNode(id: string, name: string, type: string, parameters: INodeParameters, credentialId = 'cred-1'): INode {
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

function smartfloNode(parameters: INodeParameters, onError?: OnError, credentialId = 'cred-1'): INode {
	return { ...storedNode('smartflo-node', SMARTFLO_NODE_NAME, NODE_TYPE, parameters, credentialId), ...(onError ? { onError } : {}) };
}

/** A workflow of one node and the lifecycle hooks WorkflowExecute reports to. */
function oneNodeWorkflow(id: string, node: INode, mode: WorkflowExecuteMode, nodeTypes: INodeTypes) {
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

let runCount = 0;

/** Runs one Smartflo node on the given items, as the first node of a workflow. */
export async function runSmartflo(options: RunOptions): Promise<RunResult> {
	const loader = await loadPackage();
	const node = smartfloNode(options.parameters, options.onError, options.credentialId ?? `cred-run-${(runCount += 1)}`);
	const { workflow, hooks } = oneNodeWorkflow('wf-test', node, options.mode ?? 'manual', nodeTypesOf(loader, options.nodeType ? { [NODE_TYPE]: options.nodeType } : {}));
	let finished: IRun | undefined;
	hooks.addHandler('workflowExecuteAfter', (run) => {
		finished = run;
	});
	const credentialsHelper = options.credentialsHelper ?? new PackageCredentialsHelper(loader, options.credentials);
	const additionalData = additionalDataFor(credentialsHelper, hooks);

	const runExecutionData = {
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [
				{
					node: workflow.getNode(SMARTFLO_NODE_NAME)!,
					data: { main: [options.items ?? [{ json: {} }]] },
					source: null,
				},
			],
		},
	} as unknown as IRunExecutionData;
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
	/** The workflow's static data after the poll, as n8n saves it to the database. */
	staticData: IDataObject;
}

/**
 * An active workflow's poll, as n8n-core's ActiveWorkflows runs it each interval: the node's
 * `poll` with a PollContext in trigger mode, on a Workflow holding the static data n8n
 * loaded from its database. Pass the previous result's `staticData` to go on polling, or
 * to restart n8n with what it saved.
 */
export async function runPoll(options: {
	parameters: INodeParameters;
	credentials: SmartfloCredentials;
	staticData?: IDataObject;
	activation?: 'init' | 'activate' | 'update' | 'manual';
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
	const context = new PollContext(workflow, node, additionalData, 'trigger', options.activation ?? 'activate');
	const nodeType = loader.nodeTypes.smartfloTrigger.type as INodeType;
	const response = await nodeType.poll!.call(context);
	// n8n saves static data as JSON; the change marker is its own, not the node's.
	const saved = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
	delete saved.__dataChanged;
	return { items: response?.[0] ?? [], emitted: response !== null, staticData: saved };
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

/** A credential store for several runs in a row, like the app's database. */
export async function credentialStore(credentials: SmartfloCredentials): Promise<PackageCredentialsHelper> {
	return new PackageCredentialsHelper(await loadPackage(), credentials);
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
