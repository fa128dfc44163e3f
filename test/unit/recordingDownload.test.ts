/**
 * How the download asks n8n 2.x's own egress filter (the instance's SSRF rules, with the
 * addresses a host name resolves to) where the running n8n has one: n8n 2.41 hands nodes
 * `getSecureEgressFilter`, n8n 1.123 and 2.8 do not. A stand-in context here; the engine
 * tests run the real download against the double's recording host.
 */
import type { IPollFunctions } from 'n8n-workflow';

import { downloadRecording, type RecordingLimits } from '../../nodes/Smartflo/shared/recordings';

const LIMITS: RecordingLimits = { maxBytes: 1_048_576, timeoutMs: 5_000, allowLoopback: false };

interface FakeResponse {
	statusCode: number;
	headers: Record<string, string>;
	body: AsyncIterable<Buffer> & { destroy?: () => void };
}

const audio = (): FakeResponse => ({
	statusCode: 200,
	headers: { 'content-type': 'audio/mpeg' },
	body: (async function* () {
		yield Buffer.from('ID3 recording');
	})(),
});

function context(options: { egress?: (url: string) => { ok: boolean; error?: Error }; responses?: FakeResponse[] } = {}) {
	const policies: string[] = [];
	const checked: string[] = [];
	const responses = options.responses ?? [];
	const httpRequest = jest.fn(async () => responses.shift() ?? audio());
	const prepareBinaryData = jest.fn(async (data: Buffer, fileName: string, mimeType: string) => ({ data: data.toString('base64'), fileName, mimeType }));
	const helpers: Record<string, unknown> = { httpRequest, prepareBinaryData };
	if (options.egress) {
		helpers.getSecureEgressFilter = (policy: string) => {
			policies.push(policy);
			return {
				validateUrl: async (url: string) => {
					checked.push(url);
					return options.egress!(url);
				},
			};
		};
	}
	return { context: { helpers } as unknown as IPollFunctions, httpRequest, policies, checked };
}

const URL_WITH_TOKEN = 'https://recordings.example.com/file/recording?callId=1.2&token=secret-token';

test('where n8n has an egress filter, a recording host it blocks is not fetched', async () => {
	const fake = context({ egress: () => ({ ok: false, error: new Error('IP 10.0.0.8 is blocked') }) });
	const result = await downloadRecording.call(fake.context, URL_WITH_TOKEN, '1.2', LIMITS);

	expect(result).toStrictEqual({ ok: false, reason: 'n8n refused to fetch https://recordings.example.com: IP 10.0.0.8 is blocked' });
	// Checked with the policy that applies n8n's blocked ranges even where the instance has not switched them on.
	expect(fake.policies).toStrictEqual(['enforced']);
	expect(fake.checked).toStrictEqual([URL_WITH_TOKEN]);
	expect(fake.httpRequest).not.toHaveBeenCalled();
});

test('where n8n has an egress filter that allows the host, it is fetched without any credential', async () => {
	const fake = context({ egress: () => ({ ok: true }) });
	const result = await downloadRecording.call(fake.context, URL_WITH_TOKEN, '1.2', LIMITS);

	expect(result).toMatchObject({ ok: true, bytes: 13, binary: { fileName: 'recording-1.2.mp3', mimeType: 'audio/mpeg' } });
	expect(fake.httpRequest).toHaveBeenCalledTimes(1);
	expect(fake.httpRequest.mock.calls[0]).toStrictEqual([
		expect.objectContaining({ method: 'GET', url: URL_WITH_TOKEN, encoding: 'stream', disableFollowRedirect: true, headers: { Accept: expect.any(String) } }),
	]);
});

test('where n8n has none (1.123, 2.8), the URL checks alone decide', async () => {
	const fake = context();
	expect(await downloadRecording.call(fake.context, URL_WITH_TOKEN, '1.2', LIMITS)).toMatchObject({ ok: true });
	expect(await downloadRecording.call(fake.context, 'https://192.168.0.4/r', '1.2', LIMITS)).toMatchObject({ ok: false });
	expect(fake.httpRequest).toHaveBeenCalledTimes(1);
});

test('a loopback test double is not put to the egress filter (which blocks loopback)', async () => {
	const fake = context({ egress: () => ({ ok: false, error: new Error('blocked') }) });
	const result = await downloadRecording.call(fake.context, 'http://127.0.0.1:4011/file/recording?token=x', '1.2', { ...LIMITS, allowLoopback: true });

	expect(result).toMatchObject({ ok: true });
	expect(fake.checked).toStrictEqual([]);
});

describe('redirects, each checked before it is followed', () => {
	const redirect = (location: string): FakeResponse => ({ statusCode: 302, headers: { location }, body: Object.assign((async function* () {})(), { destroy: jest.fn() }) });

	test('to another https host: followed, and that host is checked too', async () => {
		const fake = context({ egress: () => ({ ok: true }), responses: [redirect('https://storage.example.net/r.mp3?sig=1')] });
		expect(await downloadRecording.call(fake.context, URL_WITH_TOKEN, '1.2', LIMITS)).toMatchObject({ ok: true });
		expect(fake.checked).toStrictEqual([URL_WITH_TOKEN, 'https://storage.example.net/r.mp3?sig=1']);
		expect(fake.httpRequest).toHaveBeenCalledTimes(2);
	});

	test('to a private address: refused, not followed', async () => {
		const fake = context({ responses: [redirect('https://10.9.8.7/r')] });
		expect(await downloadRecording.call(fake.context, URL_WITH_TOKEN, '1.2', LIMITS)).toStrictEqual({
			ok: false,
			reason: 'the recording URL points at a private, loopback or link-local address (https://10.9.8.7)',
		});
		expect(fake.httpRequest).toHaveBeenCalledTimes(1);
	});

	test('to something that is not a URL: said so, nothing thrown', async () => {
		const fake = context({ responses: [redirect('http://[not-an-address')] });
		expect(await downloadRecording.call(fake.context, URL_WITH_TOKEN, '1.2', LIMITS)).toStrictEqual({
			ok: false,
			reason: 'https://recordings.example.com/file/recording redirected to something that is not a URL',
		});
	});

	test('more than 3 times: given up', async () => {
		const fake = context({ responses: [1, 2, 3, 4].map((hop) => redirect(`https://recordings.example.com/hop${hop}`)) });
		expect(await downloadRecording.call(fake.context, URL_WITH_TOKEN, '1.2', LIMITS)).toStrictEqual({ ok: false, reason: 'the recording URL redirected more than 3 times' });
		expect(fake.httpRequest).toHaveBeenCalledTimes(4);
	});
});
