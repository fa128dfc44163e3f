/** The CRM double of the examples (provider-double/crmDouble.js): contacts by phone, missed calls logged. */
import { startCrmDouble } from '../../provider-double/crmDouble';

let crm: Awaited<ReturnType<typeof startCrmDouble>>;

beforeAll(async () => {
	crm = await startCrmDouble();
});

afterAll(async () => {
	await crm.stop();
});

const contact = async (phone: string) => (await fetch(`${crm.url}/contacts?phone=${encodeURIComponent(phone)}`)).json();

test("a seeded customer is found by the last 10 digits of any form of the number, with its owner", async () => {
	const asha = { name: 'Asha Rao', agent_number: '9196010000', extension: '100' };
	expect(await contact('9876510001')).toMatchObject({ found: true, phone: '9876510001', owner: asha });
	expect(await contact('+91 98765 10099')).toMatchObject({ found: true, phone: '9876510099' });
	expect(await contact('09876500002')).toMatchObject({ found: true, phone: '9876500002', owner: { name: 'Vikram Shah', extension: '101' } });
	expect(await contact('9876599999')).toEqual({ found: false });
});

test('a missed call is recorded and answered 201; every request is listed', async () => {
	const answer = await fetch(`${crm.url}/missed-calls`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ call_id: '1758790001.9001' }) });
	expect(answer.status).toBe(201);
	const listed = (await (await fetch(`${crm.url}/__crm/requests`)).json()) as unknown[];
	expect(listed.at(-1)).toMatchObject({ method: 'POST', path: '/missed-calls', body: { call_id: '1758790001.9001' } });
	expect(crm.requests()).toEqual(listed);
});
