/**
 * The provider double that `npm start` runs in its own process, reached over its
 * /__double/* control routes: what it was asked, and live calls started on command.
 */
export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	json: unknown;
	status?: number;
}

export interface LiveCall {
	call_id: string;
	call_time: string;
	agent_name: string;
	customer_number: string;
	direction?: string;
	state?: string;
	destination?: string;
}

/** A portal webhook registered on the double (API Connect → Webhook). */
export interface PortalWebhook {
	id?: string;
	url: string;
	trigger: string;
	method: string;
	contentType: string;
	template?: string;
}

/** One delivery attempt of a portal webhook. */
export interface WebhookDelivery {
	url: string;
	trigger: string;
	callId: string;
	status?: number;
	error?: string;
}

export class DoubleClient {
	constructor(readonly url: string) {}

	private async call<T>(method: string, route: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.url}${route}`, {
			method,
			headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		if (!response.ok) throw new Error(`${method} ${route} on the double: HTTP ${response.status} ${await response.text()}`);
		return (await response.json()) as T;
	}

	/** Every provider request since the double started or was last reset, oldest first. */
	async requests(): Promise<RecordedRequest[]> {
		return await this.call('GET', '/__double/requests');
	}

	/** The bodies of `POST /v1/call/options` it received: the call operations. */
	async callOperations(): Promise<unknown[]> {
		return (await this.requests()).filter((request) => request.method === 'POST' && request.path === '/v1/call/options').map((request) => request.json);
	}

	/** Forgets the recorded requests (the live calls stay). */
	async forgetRequests(): Promise<void> {
		await this.call('POST', '/__double/reset', {});
	}

	/** A call comes in, with provider fields; `call_time` is how long it has run already (e.g. "00:10:30"). */
	async startCall(fields: Record<string, string>): Promise<LiveCall> {
		return await this.call('POST', '/__double/calls', fields);
	}

	/** A finished call lands in the call records (provider fields; `answered: false` for a missed call, `startedAgoSeconds`). */
	async addCallRecord(fields: Record<string, unknown>): Promise<Record<string, unknown>> {
		return await this.call('POST', '/__double/call-records', fields);
	}

	/** The portal webhooks registered now (a reset forgets them). */
	async webhooks(): Promise<PortalWebhook[]> {
		return await this.call('GET', '/__double/webhooks');
	}

	async addWebhook(webhook: PortalWebhook): Promise<void> {
		const { url, trigger, method, contentType, template } = webhook;
		await this.call('POST', '/__double/webhooks', { url, trigger, method, contentType, template });
	}

	/** Every delivery attempt so far, once none is in flight. */
	async deliveries(): Promise<WebhookDelivery[]> {
		return await this.call('GET', '/__double/webhooks/deliveries?settled=1');
	}

	/** Hangs a live call up (its hangup webhooks go out). */
	async endCall(callId: string): Promise<void> {
		await this.call('DELETE', `/__double/calls/${encodeURIComponent(callId)}`);
	}

	async liveCalls(): Promise<LiveCall[]> {
		return await this.call('GET', '/__double/calls');
	}

	/** One page of the users API as the node reads it (the double's sandbox token). */
	async usersPage(limit: number, lastSeenId?: string): Promise<{ data: Array<{ id: string; name: string }>; last_seen_id: string | null }> {
		const query = new URLSearchParams({ limit: String(limit), ...(lastSeenId ? { last_seen_id: lastSeenId } : {}) });
		const response = await fetch(`${this.url}/v1/users?${query}`, { headers: { Authorization: 'Bearer sandbox-token' } });
		return (await response.json()) as { data: Array<{ id: string; name: string }>; last_seen_id: string | null };
	}
}
