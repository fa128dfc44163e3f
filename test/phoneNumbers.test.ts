/**
 * Transfer To as people type it, run through n8n's engine: what the provider double
 * received, what the node returned, and which numbers are refused before anything is sent.
 */
import { numberingOf } from '../credentials/smartfloApi/hosts';
import { credentialStore, runSmartflo, type SmartfloCredentials } from './helpers/engine';
import { LIVE_CALL, callParameters, useProviderDouble } from './helpers/fixtures';

const provider = useProviderDouble();
/** The double stands in for an Indian account: a Custom Base URL with Phone Numbers set to Indian. */
const indian = (): SmartfloCredentials => ({ ...provider.credentials, numbering: 'india' });

async function transfer(transferTo: string, credentials: SmartfloCredentials, options = {}) {
	return await runSmartflo({
		parameters: callParameters('transfer', { transferTo: '={{ $json.to }}', options }),
		items: [{ json: { to: transferTo } }],
		credentials,
	});
}

const sentDestinations = () => provider.double.callOptionRequests().map((request) => request.json.intercom);

describe('on an Indian account', () => {
	test.each([
		['+91 91960 01234', '9196001234'],
		['+91-91960-01234', '9196001234'],
		['0091 9196001234', '9196001234'],
		['091960 01234', '9196001234'],
		['(91960) 01234', '9196001234'],
		['91960.01234', '9196001234'],
		['+91\u00a091960\u00a001234', '9196001234'],
	])('"%s" is sent as %s, and the output shows both', async (typed, sent) => {
		const { output, error } = await transfer(typed, indian());

		expect(error).toBeUndefined();
		expect(sentDestinations()).toStrictEqual([sent]);
		expect(output[0].json).toMatchObject({ success: true, callId: LIVE_CALL, transferTo: sent, transferToEntered: typed.trim() });
	});

	test.each([
		['an extension keeps its leading 0', '0602842370085'],
		['a department intercom', '80124'],
		['a 10-digit mobile', '9196001234'],
	])('%s goes as typed, with no second field in the output', async (_what, typed) => {
		const { output } = await transfer(typed, indian());

		expect(sentDestinations()).toStrictEqual([typed]);
		expect(output[0].json.transferTo).toBe(typed);
		expect(output[0].json).not.toHaveProperty('transferToEntered');
	});

	test.each([
		['+44 20 7946 0958', /^Transfer To \(transferTo\) "\+44 20 7946 0958" is not an Indian number \[item 0\]$/],
		['+91 91960 0123', /^Transfer To \(transferTo\) "\+91 91960 0123" does not have 10 digits after \+91 \[item 0\]$/],
	])('"%s" is refused with the fix, and nothing is sent', async (typed, message) => {
		const { error } = await transfer(typed, indian());

		expect(error?.message).toMatch(message);
		expect(error?.description).toBe(
			'This account dials Indian numbers: enter a mobile as its 10 digits (98765 43210) or with the country code (+91 98765 43210).',
		);
		expect(provider.double.requests).toHaveLength(0);
	});

	test('a list destination: every entry is read the same way', async () => {
		const { output } = await transfer('+91 91960 01234, 80124', indian(), { destinationFormat: 'array' });

		expect(sentDestinations()).toStrictEqual([['9196001234', '80124']]);
		expect(output[0].json).toMatchObject({ transferTo: ['9196001234', '80124'], transferToEntered: '+91 91960 01234, 80124' });
	});

	test('Continue On Fail: one output per item, only the good numbers sent', async () => {
		const { output } = await runSmartflo({
			parameters: callParameters('transfer', { transferTo: '={{ $json.to }}' }),
			items: ['+91 91960 01234', '+1 415 555 0100', '98765 43210'].map((to) => ({ json: { to } })),
			credentials: indian(),
			onError: 'continueRegularOutput',
		});

		// Items go out concurrently; the prefixed one waits for the credential, so order varies.
		expect(sentDestinations().sort()).toStrictEqual(['9196001234', '9876543210']);
		expect(output.map((item) => item.json.transferTo ?? item.json.error)).toStrictEqual([
			'9196001234',
			'Transfer To (transferTo) "+1 415 555 0100" is not an Indian number [item 1]',
			'9876543210',
		]);
	});
});

describe('on an account whose country the node does not know (Custom Base URL, As Typed)', () => {
	test('separators are dropped; a trunk 0 stays', async () => {
		const { output } = await transfer('091960-01234', provider.credentials);

		expect(sentDestinations()).toStrictEqual(['09196001234']);
		expect(output[0].json).toMatchObject({ transferTo: '09196001234', transferToEntered: '091960-01234' });
	});

	test('a + is refused with what to type instead', async () => {
		const { error } = await transfer('+91 91960 01234', provider.credentials);

		expect(error?.message).toBe('Transfer To (transferTo) "+91 91960 01234" starts with a + [item 0]');
		expect(error?.description).toMatch(/^Enter the number as your account dials it, digits only/);
		expect(provider.double.requests).toHaveLength(0);
	});
});

test('the credential is read for a prefixed number only: plain digits cost nothing extra', async () => {
	const plain = await credentialStore(indian());
	await runSmartflo({ parameters: callParameters('transfer', { transferTo: '9196001234' }), credentials: indian(), credentialsHelper: plain, credentialId: 'numbering-plain' });
	const prefixed = await credentialStore(indian());
	await runSmartflo({ parameters: callParameters('transfer', { transferTo: '+91 91960 01234' }), credentials: indian(), credentialsHelper: prefixed, credentialId: 'numbering-prefixed' });

	expect(sentDestinations()).toStrictEqual(['9196001234', '9196001234']);
	expect(prefixed.decryptions).toBe(plain.decryptions + 1);
});

test('which accounts are Indian: the Indian providers, and a custom host only when its credential says so', () => {
	expect(['smartflo', 'acefoneIndia', 'servetel', 'acefoneUk'].map((provider) => numberingOf({ provider }))).toStrictEqual([
		'india',
		'india',
		'india',
		'asTyped',
	]);
	expect(numberingOf({})).toBe('india');
	expect(numberingOf({ provider: 'custom' })).toBe('asTyped');
	expect(numberingOf({ provider: 'custom', numbering: 'india' })).toBe('india');
});
