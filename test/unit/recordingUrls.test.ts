/**
 * Which recording URLs the node fetches, judged from the URL alone: a recording URL is data
 * from the provider, so it must be https and must not point into this machine or a private
 * network. The engine tests prove the node refuses before sending anything.
 */
import { checkRecordingUrl } from '../../nodes/Smartflo/shared/recordings';

const verdict = (url: string, allowLoopback = false) => {
	const result = checkRecordingUrl(url, allowLoopback);
	return result.ok ? 'fetched' : result.reason;
};

describe('fetched', () => {
	test.each([
		'https://cloudphone.tatateleservices.com/file/recording?callId=1715235734.129662&type=rec&token=abc',
		'https://recordings.acefone.co.uk/a/b.mp3',
		'https://8.8.8.8/recording.wav',
		'https://[2001:4860:4860::8888]/recording.wav',
		'https://172.32.0.1/r', // just outside 172.16.0.0/12
		'https://100.128.0.1/r', // just outside 100.64.0.0/10
	])('%s', (url) => expect(verdict(url)).toBe('fetched'));
});

describe('refused', () => {
	test.each([
		['plain http', 'http://cloudphone.tatateleservices.com/file/recording', /must be https, not http/],
		['another scheme', 'file:///etc/passwd', /must be https, not file/],
		['not a URL', 'cloudphone/file/recording', /not a URL/],
		['a user and password', 'https://user:pass@cloudphone.tatateleservices.com/r', /user name or password/],
		['loopback', 'https://127.0.0.1/r', /private, loopback or link-local/],
		['loopback, written as one number', 'https://2130706433/r', /private, loopback or link-local/],
		['loopback, in hex', 'https://0x7f.1/r', /private, loopback or link-local/],
		['a private network (10/8)', 'https://10.1.2.3/r', /private/],
		['a private network (172.16/12)', 'https://172.20.0.5/r', /private/],
		['a private network (192.168/16)', 'https://192.168.1.10/r', /private/],
		['carrier-grade NAT (100.64/10)', 'https://100.64.1.1/r', /private/],
		['link-local, where clouds keep their metadata', 'https://169.254.169.254/latest/meta-data/', /link-local/],
		['this host (0.0.0.0)', 'https://0.0.0.0/r', /private/],
		['IPv6 loopback', 'https://[::1]/r', /private/],
		['IPv6 unique local', 'https://[fd12:3456::1]/r', /private/],
		['IPv6 link-local', 'https://[fe80::1]/r', /private/],
		['IPv4-mapped IPv6 loopback', 'https://[::ffff:127.0.0.1]/r', /private/],
		['IPv4-mapped IPv6 private', 'https://[::ffff:10.0.0.1]/r', /private/],
		['NAT64 of a private address', 'https://[64:ff9b::a00:1]/r', /private/],
		['localhost', 'https://localhost/r', /local host/],
		['a subdomain of localhost', 'https://recordings.localhost/r', /local host/],
		['localhost with a trailing dot', 'https://localhost./r', /local host/],
		['an mDNS name', 'https://nas.local/r', /local host/],
		['an internal name', 'https://metadata.google.internal/computeMetadata/v1/', /local host/],
		['a single-label intranet name', 'https://fileserver/r', /local host/],
	])('%s: %s', (_name, url, reason) => expect(verdict(url)).toMatch(reason));

	test('the refusal names the host only, never the query with the recording’s token', () => {
		expect(verdict('http://cloudphone.example.com/file/recording?token=secret-token')).not.toContain('secret-token');
	});
});

describe('a loopback test double (a custom credential on 127.0.0.1)', () => {
	test.each(['http://127.0.0.1:4011/file/recording?token=x', 'http://localhost:4011/r', 'https://127.0.0.1/r'])('%s is fetched', (url) => {
		expect(verdict(url, true)).toBe('fetched');
	});

	test.each([
		['plain http elsewhere', 'http://recordings.example.com/r'],
		['a private network', 'https://10.0.0.1/r'],
		['link-local', 'https://169.254.169.254/r'],
	])('still refuses %s', (_name, url) => expect(verdict(url, true)).not.toBe('fetched'));
});
