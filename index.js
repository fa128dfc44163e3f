// Not part of the published package (package.json publishes dist/ only, and n8n loads the
// files listed under "n8n" in package.json). This lets code in this repository, such as
// scripts, reach the built classes with require('./') after `npm run build`.
module.exports = {
	nodes: {
		Smartflo: require('./dist/nodes/Smartflo/Smartflo.node.js').Smartflo,
		SmartfloTrigger: require('./dist/nodes/Smartflo/SmartfloTrigger.node.js').SmartfloTrigger,
		SmartfloWebhookTrigger: require('./dist/nodes/Smartflo/SmartfloWebhookTrigger.node.js').SmartfloWebhookTrigger,
		SmartfloRouteCall: require('./dist/nodes/Smartflo/SmartfloRouteCall.node.js').SmartfloRouteCall,
	},
	credentials: { SmartfloApi: require('./dist/credentials/SmartfloApi.credentials.js').SmartfloApi },
};
