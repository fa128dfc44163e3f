/**
 * Runs the built package the way the n8n app does: n8n-core's PackageDirectoryLoader
 * loads dist/ from package.json's "n8n" section (adding the declarative Request Options),
 * WorkflowExecute runs the workflow, RoutingNode executes the declarative node, and
 * credentials go through the credential type's own `authenticate`.
 */
import './engine/userFolder';
import './engine/logs';

export { capturedLogs } from './engine/logs';
export { CREDENTIAL_TYPE, NODE_TYPE, PACKAGE_DIR, loadPackage, shutdownEngine } from './engine/package';
export { PackageCredentialsHelper, credentialStore, type SmartfloCredentials } from './engine/credentialsHelper';
export {
	SMARTFLO_NODE_NAME,
	requestHelpers,
	runListSearch,
	runSmartflo,
	testCredential,
	type OnError,
	type RunOptions,
	type RunResult,
} from './engine/actionNode';
export { runAgentTools, type AgentTool, type ToolCall } from './engine/agentTools';
export { TRIGGER_NODE_NAME, TRIGGER_TYPE, fetchTestEvent, runPoll, type PollResult } from './engine/trigger';
export { WEBHOOK_TRIGGER_NAME, startWebhookTrigger, type Answer, type Execution, type WebhookTrigger } from './engine/webhookTrigger';
