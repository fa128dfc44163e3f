import { readDelivery, type Received } from '../../nodes/Smartflo/webhook/delivery';
import { bodyTemplate, PORTAL_EVENTS, variablesOf } from '../../nodes/Smartflo/webhook/portalEvents';
import { isRepeat, MAX_REMEMBERED, remembered, REMEMBER_MS } from '../../nodes/Smartflo/webhook/repeatGuard';
import { sameSecret } from '../../nodes/Smartflo/webhook/secret';

const post = (body: unknown, rawBody?: string, extra: Partial<Received> = {}): Received => ({ method: 'POST', contentType: 'application/json', query: {}, body, rawBody, ...extra });

describe('readDelivery', () => {
	test('a JSON number call id is read back from the raw body as written', () => {
		const raw = '{"uuid": "a", "call_id": 1758790010.9010}';
		expect(readDelivery(post(JSON.parse(raw), raw))).toMatchObject({ ok: true, callId: '1758790010.9010', notes: [] });
	});

	test('a "$call_id " key in the raw body is found too', () => {
		const raw = '{"$call_id ": 1758790010.9010}';
		expect(readDelivery(post(JSON.parse(raw), raw))).toMatchObject({ ok: true, callId: '1758790010.9010' });
	});

	test('without the raw body the number is kept, and the item says it may have lost digits', () => {
		const read = readDelivery(post({ call_id: 1758790010.901 }));
		expect(read).toMatchObject({ ok: true, callId: '1758790010.901' });
		expect(read.ok && read.notes[0]).toContain('may have lost trailing zeros');
	});

	test('a raw body whose number is another call id is not taken', () => {
		const read = readDelivery(post({ call_id: 1758790010.901 }, '{"call_id": 1758790099.9}'));
		expect(read).toMatchObject({ ok: true, callId: '1758790010.901' });
	});

	test('placeholders left unreplaced and their leftovers read as empty; nested JSON text is parsed', () => {
		const read = readDelivery(post({ a: '$answered_agent_number', b: '_number', c: '[{"name":"Asha"}]', d: '{not json', e: ' x ' }));
		expect(read.ok && read.fields).toEqual({ a: '', b: '', c: [{ name: 'Asha' }], d: '{not json', e: 'x' });
	});

	test('a key kept with its value when a cleaned duplicate is empty', () => {
		const read = readDelivery(post({ call_id: '1.2', '$call_id': '' }));
		expect(read.ok && read.fields.call_id).toBe('1.2');
	});

	test('plain text: JSON, form-encoded, or kept as text', () => {
		expect(readDelivery(post('{"call_id":"1.2"}', undefined, { contentType: 'text/plain' }))).toMatchObject({ ok: true, callId: '1.2' });
		expect(readDelivery(post('call_id=1.2&x=%24y', undefined, { contentType: 'text/plain' }))).toMatchObject({ ok: true, fields: { call_id: '1.2', x: '' } });
		expect(readDelivery(post('hello', undefined, { contentType: 'text/plain' }))).toMatchObject({ ok: true, fields: { text: 'hello' } });
	});

	test('a body that arrives unparsed (another content type) is read from its raw bytes', () => {
		expect(readDelivery(post(undefined, '{"call_id":"1.2"}', { contentType: 'application/vnd.portal+json' }))).toMatchObject({ ok: true, callId: '1.2' });
	});

	test('GET: only the query; a POST’s query fields sit under its body’s', () => {
		expect(readDelivery({ method: 'GET', contentType: '', query: { call_id: '1.2' }, body: { call_id: '9.9' } })).toMatchObject({ callId: '1.2' });
		expect(readDelivery(post({ call_id: '9.9' }, undefined, { query: { call_id: '1.2', extra: 'q' } }))).toMatchObject({ callId: '9.9', fields: { extra: 'q' } });
	});
});

describe('the templates the node shows', () => {
	test.each(PORTAL_EVENTS.map((event) => [event.code, event]))('%s: valid JSON even with every variable empty, every variable quoted', (_code, event) => {
		const template = bodyTemplate(event);
		const emptied = template.replace(/\$[a-z_]+/g, '');
		expect(Object.keys(JSON.parse(emptied) as object)).toEqual(variablesOf(event));
		expect(template).not.toMatch(/:\s*\$/);
		expect(variablesOf(event)).toContain('call_id');
	});
});

describe('the repeat guard', () => {
	test('remembers for REMEMBER_MS, then lets the key start again', () => {
		expect(isRepeat('k1', 1_000)).toBe(false);
		expect(isRepeat('k1', 1_000 + REMEMBER_MS - 1)).toBe(true);
		expect(isRepeat('k1', 1_000 + REMEMBER_MS)).toBe(false);
	});

	test(`holds at most MAX_REMEMBERED (${MAX_REMEMBERED}) keys, forgetting the oldest`, () => {
		const now = 10_000_000;
		for (let index = 0; index < MAX_REMEMBERED + 500; index += 1) isRepeat(`bound-${index}`, now);
		expect(remembered()).toBeLessThanOrEqual(MAX_REMEMBERED);
		expect(isRepeat(`bound-${MAX_REMEMBERED + 499}`, now)).toBe(true);
		expect(isRepeat('bound-0', now)).toBe(false);
	});
});

describe('sameSecret', () => {
	test('equal only when the same, never for empty', () => {
		expect(sameSecret('abc', 'abc')).toBe(true);
		expect(sameSecret('abd', 'abc')).toBe(false);
		expect(sameSecret('abcd', 'abc')).toBe(false);
		expect(sameSecret('ab', 'abc')).toBe(false);
		expect(sameSecret('', '')).toBe(false);
		expect(sameSecret(undefined, 'abc')).toBe(false);
		expect(sameSecret(['abc'], 'abc')).toBe(false);
	});
});
