import type { INodeParameterResourceLocator, INodeParameters } from 'n8n-workflow';

import { startProviderDouble } from '../../provider-double/server';
import type { SmartfloCredentials } from './engine';

export type ProviderDouble = Awaited<ReturnType<typeof startProviderDouble>>;

export const TOKEN = 'sandbox-token';
export const LIVE_CALL = '1758782566.8131';
export const AGENT = '0502842370097';

/**
 * A double for the whole test file, emptied before each test; or, with `perTest`, a new one
 * (on a new port) for each test, so that what a process keeps per provider host, such as a
 * shared sign-in, never carries from one test to the next.
 */
export function useProviderDouble({ perTest = false } = {}): { double: ProviderDouble; credentials: SmartfloCredentials } {
	const context = {} as { double: ProviderDouble; credentials: SmartfloCredentials };
	const start = async () => {
		context.double = await startProviderDouble();
		context.credentials = { provider: 'custom', baseUrl: context.double.url, token: TOKEN };
	};
	const stop = async () => await context.double.stop();
	if (perTest) {
		beforeEach(start);
		afterEach(stop);
	} else {
		beforeAll(start);
		beforeEach(() => context.double.reset());
		afterAll(stop);
	}
	return context;
}

export const byId = (value: string | number | null): INodeParameterResourceLocator => ({
	__rl: true,
	mode: 'id',
	value,
});

export function callParameters(
	operation: 'monitor' | 'whisper' | 'barge' | 'transfer',
	overrides: INodeParameters = {},
): INodeParameters {
	const base: INodeParameters =
		operation === 'transfer'
			? { resource: 'call', operation, callId: byId(LIVE_CALL), transferTo: '9196009832' }
			: { resource: 'call', operation, callId: byId(LIVE_CALL), agentId: byId(AGENT) };
	return { ...base, ...overrides };
}
