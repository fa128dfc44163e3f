/* eslint-disable @n8n/community-nodes/require-node-api-error -- runs in Node.js, never inside n8n: see docs/development.md#lint-and-strict-mode */
/**
 * The one validator, on its own: what each field accepts, what it sends, and what it says
 * when it refuses. The engine tests (phoneNumbers, badInput) prove the node uses it.
 */
import { validateAgentId, validateCallId, validateDestination, InvalidFieldError } from '../../nodes/Smartflo/shared/validation';

const refusal = (check: () => unknown) => {
	try {
		check();
	} catch (error) {
		if (error instanceof InvalidFieldError) return error;
		throw error;
	}
	throw new Error('accepted');
};

describe('call id', () => {
	test.each([
		['1758782566.8131', '1758782566.8131'],
		['  1758782566.8130 ', '1758782566.8130'],
	])('%j is sent as %j', (value, sent) => expect(validateCallId(value)).toBe(sent));

	test('a number is refused: it may have lost trailing zeros and name another call', () => {
		expect(refusal(() => validateCallId(1758782566.813)).message).toMatch(/arrived as the number 1758782566\.813; numbers lose trailing zeros/);
	});

	test.each([[''], ['abc'], ['1758782566'], ['https://x/1758782566.8131'], [{ id: 1 }]])('%j is refused', (value) => {
		expect(refusal(() => validateCallId(value))).toBeInstanceOf(InvalidFieldError);
	});
});

describe('agent id', () => {
	test.each([
		['0502842370097', '0502842370097'],
		[502842370097, '502842370097'],
		['agent_7', 'agent_7'],
	])('%j is sent as %j', (value, sent) => expect(validateAgentId(value)).toBe(sent));

	test.each([[''], ['two words'], [1.5], [[1]]])('%j is refused', (value) => {
		expect(refusal(() => validateAgentId(value))).toBeInstanceOf(InvalidFieldError);
	});
});

describe('destination', () => {
	test.each([
		['98765 43210', 'asTyped', '9876543210', true],
		['9876543210', 'asTyped', '9876543210', false],
		['+91 98765 43210', 'india', '9876543210', true],
		['0091 98765 43210', 'india', '9876543210', true],
		['919876543210', 'india', '9876543210', true],
		['919876543210', 'asTyped', '919876543210', false],
		['09876543210', 'india', '9876543210', true],
		['09876543210', 'asTyped', '09876543210', false],
		['(080) 124-00', 'asTyped', '08012400', true],
		[80124, 'asTyped', '80124', false],
	] as const)('%j with %s numbering is sent as %j', (value, numbering, sent, rewritten) => {
		expect(validateDestination(value, 'string', numbering)).toStrictEqual({ value: sent, rewritten });
	});

	test('a list goes out as a list with Destination Format List, and is refused as text', () => {
		expect(validateDestination('80124, 80125', 'array', 'asTyped')).toStrictEqual({ value: ['80124', '80125'], rewritten: false });
		expect(refusal(() => validateDestination('80124, 80125', 'string', 'asTyped')).hint).toMatch(/Destination Format to List/);
	});

	test.each([
		['+44 20 7946 0000', 'asTyped', /starts with a \+/],
		['+44 20 7946 0000', 'india', /is not an Indian number/],
		['+91 98765', 'india', /does not have 10 digits after \+91/],
		['1758782566.8131', 'india', /is a call id, not a destination/],
		['ext. 12a', 'asTyped', /is not a phone number, extension or intercom/],
		['', 'asTyped', /is empty/],
	] as const)('%j with %s numbering is refused: %s', (value, numbering, says) => {
		expect(refusal(() => validateDestination(value, 'string', numbering)).message).toMatch(says);
	});
});
