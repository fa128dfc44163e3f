/**
 * The hardening matrix: bad input that must never leave, and provider faults that must
 * come back as clear errors. Shared by the bad-input, fault and secrets suites.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { Fault } from '../../provider-double/server';
import type { SmartfloCredentials } from '../helpers/engine';
import { byId, callParameters } from '../helpers/fixtures';

export interface BadInput {
	name: string;
	/** Field label the error must name, e.g. "Call (callId)" or "Base URL". */
	field: string;
	says: RegExp;
	hint: RegExp;
	parameters: INodeParameters;
	/** The bad value, fed to the node through `{{ $json.v }}` on every item. */
	value?: unknown;
	/** Credential fields to change instead. */
	credentials?: Partial<SmartfloCredentials>;
}

const fromItem = '={{ $json.v }}';
const call = (value: unknown, operation: 'monitor' | 'transfer' = 'monitor') => ({
	parameters: callParameters(operation, { callId: byId(fromItem) }),
	value,
	field: 'Call (callId)',
});
const agent = (value: unknown, operation: 'monitor' | 'whisper' | 'barge' = 'barge') => ({
	parameters: callParameters(operation, { agentId: byId(fromItem) }),
	value,
	field: 'Agent (agentId)',
});
const destination = (value: unknown, destinationFormat: 'string' | 'array' = 'string') => ({
	parameters: callParameters('transfer', { transferTo: fromItem, options: { destinationFormat } }),
	value,
	field: 'Transfer To (transferTo)',
});
const credential = (credentials: Partial<SmartfloCredentials>, field: string) => ({
	parameters: callParameters('transfer'),
	credentials,
	field,
});

const CALL_FORMAT = /digits, a dot, digits/;
const AGENT_FORMAT = /agent id is up to 64/;
const DIGITS_ONLY = /Use digits: .*Spaces, dashes, dots and brackets between them are fine/;
const ONE_VALUE = /single text value/;

export const BAD_INPUTS: BadInput[] = [
	// Call
	{ name: 'call: blank', ...call(''), says: /is empty/, hint: /live call/ },
	{ name: 'call: only whitespace', ...call('   \t '), says: /is empty/, hint: /live call/ },
	{ name: 'call: a JSON number that lost its trailing zero', ...call(1758782590.813), says: /arrived as the number 1758782590\.813/, hint: /quote it/ },
	{ name: 'call: a whole number', ...call(1758782590), says: /arrived as the number/, hint: /as text/ },
	{ name: 'call: a boolean', ...call(true), says: /got a boolean/, hint: ONE_VALUE },
	{ name: 'call: an object', ...call({ call_id: '1758782566.8131' }), says: /got an object/, hint: ONE_VALUE },
	{ name: 'call: a list', ...call(['1758782566.8131']), says: /got a list/, hint: ONE_VALUE },
	{ name: 'call: null', ...call(null), says: /is empty/, hint: /live call/ },
	{ name: 'call: a space inside', ...call('1758782566. 8131'), says: /is not a call id/, hint: CALL_FORMAT },
	{ name: 'call: a URL around it', ...call('https://portal.example/calls/1758782566.8131'), says: /is not a call id/, hint: /URL around it/ },
	{ name: 'call: quotes around it', ...call('"1758782566.8131"'), says: /is not a call id/, hint: /quotes/ },
	{ name: 'call: overlong', ...call(`${'1'.repeat(30)}.${'2'.repeat(20)}`), says: /is not a call id/, hint: CALL_FORMAT },
	{ name: 'call: a control character inside', ...call('1758782566\u0000.8131'), says: /1758782566\\u0000\.8131" is not a call id/, hint: CALL_FORMAT },
	{ name: 'call: no dot', ...call('1758782566'), says: /is not a call id/, hint: CALL_FORMAT },
	{ name: 'call: two dots', ...call('1758782566.8131.2', 'transfer'), says: /is not a call id/, hint: CALL_FORMAT },
	{ name: 'call: letters', ...call('call-42', 'transfer'), says: /"call-42" is not a call id/, hint: CALL_FORMAT },
	// Agent
	{ name: 'agent: missing for barge', ...agent(undefined), says: /is empty/, hint: /agent who joins/ },
	{ name: 'agent: blank for monitor', ...agent('', 'monitor'), says: /is empty/, hint: /agent who joins/ },
	{ name: 'agent: only whitespace for whisper', ...agent('   ', 'whisper'), says: /is empty/, hint: /agent who joins/ },
	{ name: 'agent: a boolean', ...agent(false), says: /got a boolean/, hint: ONE_VALUE },
	{ name: 'agent: an object', ...agent({ id: '0502842370097' }), says: /got an object/, hint: ONE_VALUE },
	{ name: 'agent: a list', ...agent(['0502842370097']), says: /got a list/, hint: ONE_VALUE },
	{ name: 'agent: null', ...agent(null, 'whisper'), says: /is empty/, hint: /agent who joins/ },
	{ name: 'agent: a fractional number', ...agent(12.5), says: /got a number \(12\.5\)/, hint: ONE_VALUE },
	{ name: 'agent: a negative number', ...agent(-5), says: /got a number \(-5\)/, hint: ONE_VALUE },
	{ name: 'agent: a name with a space', ...agent('Asha Rao'), says: /"Asha Rao" is not an agent id/, hint: AGENT_FORMAT },
	{ name: 'agent: overlong', ...agent('a'.repeat(65)), says: /is not an agent id/, hint: AGENT_FORMAT },
	{ name: 'agent: a control character', ...agent('0502842370097\u0007', 'monitor'), says: /\\u0007" is not an agent id/, hint: AGENT_FORMAT },
	// Transfer destination
	{ name: 'destination: blank', ...destination(''), says: /is empty/, hint: /mobile number, extension or department intercom/ },
	{ name: 'destination: only whitespace', ...destination(' \n '), says: /is empty/, hint: /mobile number/ },
	{ name: 'destination: letters', ...destination('sales desk'), says: /"sales desk" is not a phone number/, hint: DIGITS_ONLY },
	{ name: 'destination: a + country code on a host that does not say its country', ...destination('+919196009832'), says: /"\+919196009832" starts with a \+/, hint: /as your account dials it, digits only.*Phone Numbers set to Indian/ },
	{ name: 'destination: a call id by mistake', ...destination('1758782566.8131'), says: /"1758782566\.8131" is a call id, not a destination/, hint: /belongs in Call/ },
	{ name: 'destination: a slash', ...destination('91960/09832'), says: /is not a phone number/, hint: DIGITS_ONLY },
	{ name: 'destination: several as one string', ...destination('9196009832,80124'), says: /names several destinations/, hint: /department intercom/ },
	{ name: 'destination: an object', ...destination({ phone: '9196009832' }), says: /got an object/, hint: ONE_VALUE },
	{ name: 'destination: a list while sending text', ...destination(['9196009832']), says: /got a list/, hint: ONE_VALUE },
	{ name: 'destination: a boolean', ...destination(true), says: /got a boolean/, hint: ONE_VALUE },
	{ name: 'destination: null', ...destination(null), says: /is empty/, hint: /mobile number/ },
	{ name: 'destination: overlong', ...destination('1'.repeat(16)), says: /is not a phone number/, hint: DIGITS_ONLY },
	{ name: 'destination: too short', ...destination('7'), says: /"7" is not a phone number/, hint: DIGITS_ONLY },
	{ name: 'destination: a control character', ...destination('9196\u0000009832'), says: /is not a phone number/, hint: DIGITS_ONLY },
	{ name: 'destination: a fractional number', ...destination(9196.5), says: /got a number/, hint: ONE_VALUE },
	{ name: 'destination: one bad entry in a list', ...destination('80124,abc', 'array'), says: /"abc" is not a phone number/, hint: DIGITS_ONLY },
	{ name: 'destination: an empty list', ...destination([], 'array'), says: /is an empty list/, hint: /at least one/ },
	// Credential
	{ name: 'credential: plain http to another machine', ...credential({ baseUrl: 'http://10.0.0.5:8080' }, 'Base URL'), says: /uses plain http:\/\//, hint: /Change Base URL to https:\/\/10\.0\.0\.5:8080 .*only accepted for localhost/ },
	{ name: 'credential: a base URL with a path', ...credential({ baseUrl: 'https://api.example.com/v1' }, 'Base URL'), says: /has a path, query or fragment/, hint: /without \/v1/ },
	{ name: 'credential: a base URL with a query', ...credential({ baseUrl: 'https://api.example.com/?tenant=1' }, 'Base URL'), says: /has a path, query or fragment/, hint: /API host only/ },
	{ name: 'credential: a base URL that is not a URL', ...credential({ baseUrl: 'api example com' }, 'Base URL'), says: /is not a URL/, hint: /API host only/ },
	{ name: 'credential: an empty custom base URL', ...credential({ baseUrl: ' ' }, 'Base URL'), says: /Base URL is empty/, hint: /pick your provider/ },
	{ name: 'credential: a base URL with a password', ...credential({ baseUrl: 'https://user:pw@api.example.com' }, 'Base URL'), says: /contains a user name or password/, hint: /API host only/ },
	{ name: 'credential: a base URL that is not http(s)', ...credential({ baseUrl: 'ftp://api.example.com' }, 'Base URL'), says: /must start with https:\/\//, hint: /API host only/ },
	{ name: 'credential: an unknown provider', ...credential({ provider: 'twilio' }, 'provider'), says: /Unknown provider "twilio"/, hint: /pick a provider/ },
	{ name: 'credential: a token with a line break', ...credential({ token: 'sandbox-token\nX-Injected: 1' }, 'API token'), says: /line breaks or control characters/, hint: /as one line/ },
	{ name: 'credential: a token with a space inside', ...credential({ token: 'sandbox token' }, 'API token'), says: /spaces, line breaks/, hint: /as one line/ },
	{ name: 'credential: an empty token', ...credential({ token: '   ' }, 'API token'), says: /The API token is empty/, hint: /API Tokens/ },
	{ name: 'credential: only "Bearer"', ...credential({ token: 'Bearer' }, 'API token'), says: /The API token is empty/, hint: /API Tokens/ },
];

export interface ProviderFault {
	name: string;
	respond: NonNullable<Fault['respond']>;
	/** The error's httpCode. */
	status: string;
	says: RegExp;
	hint: RegExp;
}

const json = (status: number, body: IDataObject, headers?: Record<string, string>) => ({ status, json: body, headers });

export const PROVIDER_FAULTS: ProviderFault[] = [
	{ name: '401 expired token', respond: json(401, { success: false, message: 'Token expired' }), status: '401', says: /Token expired \[HTTP 401\]/, hint: /tokens expire .* or can be revoked: if this token used to work, generate a new one/ },
	{ name: '403 token not granted this API', respond: json(403, { success: false, message: 'Access denied for this API' }), status: '403', says: /Access denied for this API \[HTTP 403\]/, hint: /not granted this API/ },
	{ name: '404 call has ended', respond: json(404, { message: 'Call not found' }), status: '404', says: /Call not found \[HTTP 404\]/, hint: /call has probably ended/ },
	{ name: '409 call state changed', respond: json(409, { success: false, message: 'Call is already being transferred' }), status: '409', says: /already being transferred \[HTTP 409\]/, hint: /still live/ },
	{ name: '422 invalid field', respond: json(422, { success: false, message: 'intercom is invalid' }), status: '422', says: /intercom is invalid \[HTTP 422\]/, hint: /did not accept the request/ },
	{ name: '429 with Retry-After', respond: json(429, { success: false, message: 'Rate limit exceeded' }, { 'Retry-After': '7' }), status: '429', says: /Rate limit exceeded \[HTTP 429\]/, hint: /did not carry this one out\. It asked to wait 7 s/ },
	{ name: '429 without Retry-After', respond: json(429, { success: false, message: 'Too Many Requests' }), status: '429', says: /Too Many Requests \[HTTP 429\]/, hint: /^Too many requests: the provider did not carry this one out\. Lower/ },
	{ name: '500 server error', respond: json(500, { success: false, message: 'Internal error' }), status: '500', says: /Internal error \[HTTP 500\]/, hint: /may or may not have acted/ },
	{ name: '502 HTML error page', respond: { status: 502, html: '<html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>' }, status: '502', says: /502 Bad Gateway \[HTTP 502\]/, hint: /may or may not have acted/ },
	{ name: '503 unavailable, plain text', respond: { status: 503, text: 'Service Unavailable' }, status: '503', says: /Service Unavailable \[HTTP 503\]/, hint: /may or may not have acted/ },
	{ name: '200 body that is not JSON', respond: { status: 200, text: '{"success": tru', contentType: 'application/json' }, status: '200', says: /instead of JSON \[HTTP 200, not JSON\]/, hint: /check the credential’s base URL/ },
	{ name: '200 empty body', respond: { status: 200, text: '' }, status: '200', says: /an empty body instead of JSON \[HTTP 200, not JSON\]/, hint: /check the credential’s base URL/ },
	{ name: '200 with success:false', respond: json(200, { success: false, message: 'Agent is not logged in' }), status: '200', says: /Agent is not logged in \[refused\]/, hint: /did not act/ },
];
