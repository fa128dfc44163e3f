import * as n8nWorkflow from 'n8n-workflow';

type AbortableSleep = (ms: number, abortSignal?: AbortSignal) => Promise<void>;

/**
 * n8n's sleep helpers, as each n8n version has them. Community nodes may not use timers
 * of their own, and the helper that takes an abort signal moved: n8n-workflow up to 2.33
 * has `sleepWithAbort(ms, signal)`, 2.34 removed it and gave `sleep` the signal instead.
 * Importing either by name would crash on the versions that lack it, so both are looked
 * up at run time; `sleep(ms)` itself exists in every version.
 */
const helpers = n8nWorkflow as unknown as { sleep: AbortableSleep; sleepWithAbort?: AbortableSleep };

export class AbortedError extends Error {
	constructor() {
		super('The execution was cancelled');
		this.name = 'AbortedError';
	}
}

/**
 * Waits `ms`, or rejects as soon as `signal` aborts. The abort is also watched here, so a
 * cancelled execution stops waiting even on an n8n whose sleep cannot be told to.
 */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) throw new AbortedError();
	const sleep = helpers.sleepWithAbort ?? helpers.sleep;
	if (!signal) return await sleep(ms);
	await new Promise<void>((resolve, reject) => {
		const onAbort = () => reject(new AbortedError());
		signal.addEventListener('abort', onAbort, { once: true });
		sleep(ms, signal)
			.then(resolve, () => reject(new AbortedError()))
			.finally(() => signal.removeEventListener('abort', onAbort));
	});
}
