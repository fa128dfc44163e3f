import { RoutingNode, WorkflowExecute, type ExecuteContext } from 'n8n-core';
import {
	NodeConnectionTypes,
	Workflow,
	type IConnections,
	type IExecuteFunctions,
	type INode,
	type INodeParameters,
	type INodeType,
	type IRun,
} from 'n8n-workflow';

import { PackageCredentialsHelper, type SmartfloCredentials } from './credentialsHelper';
import { NODE_TYPE, additionalDataFor, executionStartingAt, loadPackage, nodeTypesOf, oneNodeWorkflow, storedNode } from './package';

/**
 * Smartflo nodes as the tools of an AI Agent before version 3 (Tools Agent 1 and 2, which
 * many workflows still use): the agent asks n8n-core's getInputConnectionData for its tools,
 * n8n wraps each tool node with createNodeAsTool, and a tool call runs the node's
 * declarative routing inside the agent's run, with the agent's execute data. Agent 3 runs
 * its tools as nodes of their own instead (e2e/tests/aiAgent.e2e.test.ts).
 */

const AGENT_TYPE = 'test.toolsAgent';
const AGENT_NAME = 'Agent';

export interface AgentTool {
	/** The node's name; the model calls it by n8n's tool name (spaces become underscores). */
	name: string;
	parameters: INodeParameters;
	credentialId?: string;
}

export interface ToolCall {
	tool: string;
	args: Record<string, unknown>;
}

/** What the n8n app makes of a node with usableAsTool for an agent: its tool variant, run by RoutingNode. */
function toolVariantOf(nodeType: INodeType): INodeType {
	return {
		...nodeType,
		description: { ...nodeType.description, name: `${nodeType.description.name}Tool`, inputs: [], outputs: [NodeConnectionTypes.AiTool] },
		// The app gives every declarative node this execute (shouldAssignExecuteMethod).
		async execute(this: IExecuteFunctions) {
			return (await new RoutingNode(this as unknown as ExecuteContext, nodeType).runNode()) ?? [];
		},
	};
}

/** An agent that makes the given tool calls one after another and outputs what each tool answered. */
function scriptedAgent(calls: ToolCall[]): INodeType {
	return {
		description: {
			displayName: 'Tools agent',
			name: 'toolsAgent',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: { name: AGENT_NAME },
			inputs: [NodeConnectionTypes.Main, NodeConnectionTypes.AiTool],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		async execute(this: IExecuteFunctions) {
			const tools = (await this.getInputConnectionData(NodeConnectionTypes.AiTool, 0)) as Array<{
				name: string;
				invoke(args: Record<string, unknown>): Promise<string>;
			}>;
			const answers: string[] = [];
			for (const call of calls) {
				const tool = tools.find((candidate) => candidate.name === call.tool);
				if (!tool) throw new Error(`no tool ${call.tool} among ${tools.map((candidate) => candidate.name).join(', ')}`);
				answers.push(await tool.invoke(call.args));
			}
			return [[{ json: { answers } }]];
		},
	};
}

/** Runs an agent with these Smartflo nodes as its tools, making these calls; returns the tools' answers. */
export async function runAgentTools(options: {
	tools: AgentTool[];
	calls: ToolCall[];
	credentials: SmartfloCredentials;
}): Promise<{ answers: string[]; run: IRun }> {
	const loader = await loadPackage();
	const toolType = `${NODE_TYPE}Tool`;
	const agent: INode = { id: 'agent', name: AGENT_NAME, type: AGENT_TYPE, typeVersion: 1, position: [0, 0], parameters: {} };
	const toolNodes = options.tools.map((tool, index) =>
		storedNode(`tool-${index}`, tool.name, toolType, tool.parameters, tool.credentialId ?? 'cred-1'),
	);
	const connections: IConnections = Object.fromEntries(
		toolNodes.map((node) => [node.name, { [NodeConnectionTypes.AiTool]: [[{ node: AGENT_NAME, type: NodeConnectionTypes.AiTool, index: 0 }]] }]),
	);
	const nodeTypes = nodeTypesOf(loader, {
		[toolType]: toolVariantOf(loader.nodeTypes[NODE_TYPE.split('.')[1]].type as INodeType),
		[AGENT_TYPE]: scriptedAgent(options.calls),
	});
	const { hooks } = oneNodeWorkflow('wf-agent', agent, 'manual', nodeTypes);
	const workflow = new Workflow({ id: 'wf-agent', nodes: [agent, ...toolNodes], connections, active: false, nodeTypes, settings: {} });
	const additionalData = additionalDataFor(new PackageCredentialsHelper(loader, options.credentials), hooks);
	const runExecutionData = executionStartingAt(workflow.getNode(AGENT_NAME)!, [{ json: {} }]);
	const run = await new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
	const error = run.data.resultData.error;
	if (error) throw error;
	const answers = run.data.resultData.runData[AGENT_NAME]?.[0]?.data?.main?.[0]?.[0]?.json.answers as string[];
	return { answers, run };
}
