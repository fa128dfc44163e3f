/* eslint-disable @n8n/community-nodes/no-restricted-imports -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** Added to every request the proxy forwards, so the provider double can tell them apart. */
export const VIA = '1.1 smartflo-test-proxy';

/** One request that passed the proxy: absolute-form (plain http) or a CONNECT tunnel. */
export interface ProxiedRequest {
	method: string;
	/** The absolute URL asked for, or host:port of a tunnel. */
	target: string;
}

/**
 * A forward HTTP proxy on 127.0.0.1, as a company proxy would sit between n8n and the
 * provider: it forwards absolute-form requests (adding a Via header) and tunnels CONNECT,
 * and logs both.
 */
export async function startForwardProxy() {
	const log: ProxiedRequest[] = [];
	// Lenient parsing: n8n 2.8 writes more after a proxied request's `Connection: close`,
	// which Node's strict parser refuses (proxies in the field accept it).
	const server = http.createServer({ insecureHTTPParser: true }, (req, res) => {
		log.push({ method: req.method ?? '', target: req.url ?? '' });
		const target = new URL(req.url ?? '');
		const upstream = http.request(
			{ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers: { ...req.headers, via: VIA } },
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		upstream.on('error', () => res.writeHead(502).end());
		req.pipe(upstream);
	});
	server.on('connect', (req, client, head) => {
		log.push({ method: 'CONNECT', target: req.url ?? '' });
		const [host, port] = (req.url ?? '').split(':');
		const upstream = net.connect(Number(port), host, () => {
			client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
			upstream.write(head);
			upstream.pipe(client);
			client.pipe(upstream);
		});
		upstream.on('error', () => client.destroy());
		client.on('error', () => upstream.destroy());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	server.unref();
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		log,
		stop: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
