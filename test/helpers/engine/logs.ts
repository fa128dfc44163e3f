import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { LoggerProxy } from 'n8n-workflow';

/**
 * Every line n8n-core logs while tests run, with its metadata as JSON, so tests can check
 * that no secret is ever logged. Replaces both of n8n's loggers (the proxy and the service).
 */
export const capturedLogs: string[] = [];
const capture = (level: string) => (message: string, meta?: object) => {
	let metaText = '';
	try {
		metaText = meta ? JSON.stringify(meta) : '';
	} catch {
		metaText = String(meta);
	}
	capturedLogs.push(`${level} ${message} ${metaText}`);
};
const captureLogger = {
	error: capture('error'),
	warn: capture('warn'),
	info: capture('info'),
	debug: capture('debug'),
	verbose: capture('verbose'),
	scoped: () => captureLogger,
};
LoggerProxy.init(captureLogger);
Container.set(Logger, captureLogger as unknown as Logger);
