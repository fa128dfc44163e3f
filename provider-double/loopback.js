'use strict';
/**
 * What the two doubles (provider API, OpenAI chat model) share: JSON answers, request
 * bodies, and a server on 127.0.0.1 that stops by itself when left running.
 */
const http = require('node:http');

function send(res, status, json, headers = {}) {
	const body = JSON.stringify(json);
	res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers });
	res.end(body);
}

function readBody(req) {
	return new Promise((resolve) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', () => resolve(''));
	});
}

/**
 * Serves `onRequest` on 127.0.0.1 (`port` 0: any free one). A double left running by a
 * crashed test or a forgotten terminal stops after `idleTimeoutMs` without requests (0:
 * never); `unref` (default) lets the process exit while it listens.
 * @param {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void} onRequest
 * @param {{ port?: number, idleTimeoutMs?: number, unref?: boolean }} options
 * @returns {Promise<{ port: number, stop: () => Promise<void> }>}
 */
async function serveOnLoopback(onRequest, options) {
	const idleTimeoutMs = options.idleTimeoutMs ?? 0;
	const sockets = new Set();
	let idleTimer;
	const server = http.createServer((req, res) => {
		armIdleTimer();
		onRequest(req, res);
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});

	async function stop() {
		clearTimeout(idleTimer);
		for (const socket of sockets) socket.destroy();
		await new Promise((resolve) => server.close(() => resolve(undefined)));
	}

	function armIdleTimer() {
		if (!idleTimeoutMs) return;
		clearTimeout(idleTimer);
		idleTimer = setTimeout(() => void stop(), idleTimeoutMs);
		idleTimer.unref();
	}

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve(undefined));
	});
	if (options.unref !== false) server.unref();
	armIdleTimer();
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return { port, stop };
}

module.exports = { send, readBody, serveOnLoopback };
