// n8n loads the files listed under "n8n" in package.json; this entry point lets other
// code (and `require('n8n-nodes-smartflo')`) reach the same classes.
module.exports = {
	nodes: { Smartflo: require('./dist/nodes/Smartflo/Smartflo.node.js').Smartflo },
	credentials: { SmartfloApi: require('./dist/credentials/SmartfloApi.credentials.js').SmartfloApi },
};
