/**
 * The "From List" modes: live calls from GET /v1/live_calls and agents from GET /v1/users,
 * following the provider's last_seen_id cursor page by page, as n8n's editor asks.
 */
import { LIVE_CALLS, USERS } from '../provider-double/server';
import { runListSearch } from './helpers/engine';
import { TOKEN, useProviderDouble } from './helpers/fixtures';

const provider = useProviderDouble();

describe('live calls', () => {
	test('lists every live call by its id, labelled with customer, agent and state', async () => {
		const { results } = await runListSearch('searchLiveCalls', provider.credentials);

		expect(results.map((result) => result.value)).toStrictEqual(LIVE_CALLS.map((call) => call.call_id));
		// The id and when the call started come first: the editor cuts long labels at the end.
		// A start time, not a running time: n8n keeps a picked item's label, which must not go stale.
		expect(results[0].name).toMatch(/^1758782566\.8131 · since \d\d:\d\d · 9876500001 ↔ Asha Rao \(inbound, answered\)$/);
		expect(results[2].name).toMatch(/^1758782601\.350603 · since \d\d:\d\d · /);
		// 00:02:41 and 00:14:05 of call_time: the longer call started 11 minutes 24 seconds earlier.
		const minuteOf = (name: string) => {
			const [hours, minutes] = /since (\d\d):(\d\d)/.exec(name)!.slice(1).map(Number);
			return hours * 60 + minutes;
		};
		expect([11, 12]).toContain((minuteOf(results[0].name) - minuteOf(results[1].name) + 24 * 60) % (24 * 60));
		expect(results[2].name).toContain('no agent yet');
		expect(provider.double.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
	});

	test('filters by what the user types', async () => {
		const { results } = await runListSearch('searchLiveCalls', provider.credentials, 'vikram');

		expect(results.map((result) => result.value)).toStrictEqual(['1758782590.8130']);
	});

	test('a refused token becomes an error with the status and the provider message', async () => {
		const searching = runListSearch('searchLiveCalls', { ...provider.credentials, token: 'users-only-token' });

		await expect(searching).rejects.toMatchObject({
			httpCode: '403',
			message: 'Smartflo did not list live calls: This token has no access to live calls [HTTP 403]',
		});
	});
});

describe('agents', () => {
	test('pages through all agents with the last_seen_id cursor', async () => {
		const seen: string[] = [];
		let token: string | undefined;
		let pages = 0;
		do {
			const page = await runListSearch('searchAgents', provider.credentials, undefined, token);
			seen.push(...page.results.map((result) => String(result.value)));
			token = page.paginationToken as string | undefined;
			pages += 1;
		} while (token && pages < 10);

		expect(pages).toBe(3);
		expect(seen).toStrictEqual(USERS.map((user) => user.agent.id));
		expect(provider.double.requests.map((request) => request.query)).toStrictEqual([
			{ limit: '50' },
			{ limit: '50', last_seen_id: '1049' },
			{ limit: '50', last_seen_id: '1099' },
		]);
	});

	test('typing finds every matching agent on any page, reading on through the cursor', async () => {
		// The editor asks for more only when the user scrolls; a short list of matches never
		// offers that, so the search itself reads every page.
		const isha = USERS.filter((user) => user.agent.name.toLowerCase().includes('isha')).map((user) => user.agent.id);
		const lastAgent = USERS[USERS.length - 1].agent;
		const { results, paginationToken } = await runListSearch('searchAgents', provider.credentials, 'Isha');
		const last = await runListSearch('searchAgents', provider.credentials, lastAgent.name);

		expect(isha.length).toBeGreaterThan(5);
		expect(results.map((result) => result.value)).toStrictEqual(isha);
		expect(paginationToken).toBeUndefined();
		expect(last.results.map((result) => result.value)).toContain(lastAgent.id);
		expect(provider.double.requests.filter((request) => request.path === '/v1/users').map((request) => request.query)).toStrictEqual([
			{ limit: '100' },
			{ limit: '100', last_seen_id: '1099' },
			{ limit: '100' },
			{ limit: '100', last_seen_id: '1099' },
		]);
	});

	test('labels agents with name, extension and status, and filters by name', async () => {
		const { results } = await runListSearch('searchAgents', provider.credentials, 'meera');

		expect(results[0]).toStrictEqual({ name: 'Meera Iyer · ext 102 (offline)', value: '0502842370099' });
		expect(results.every((result) => result.name.toLowerCase().includes('meera'))).toBe(true);
	});
});
