import type { IDataObject, IHttpRequestMethods, ILoadOptionsFunctions, IN8nHttpFullResponse } from 'n8n-workflow';

import { answerError, interpretAnswer } from './providerAnswer';
import { DEFAULT_TIMEOUT_MS } from './requestDefaults';

/**
 * Reads from the provider for the node's list searches. The credential adds the host
 * and token; answers go through the same mapper as the call operations.
 */
export async function smartfloApiRequest(
	this: ILoadOptionsFunctions,
	method: IHttpRequestMethods,
	path: string,
	what: string,
	qs: IDataObject = {},
): Promise<unknown> {
	const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'smartfloApi', {
		method,
		url: path,
		qs,
		headers: { Accept: 'application/json' },
		timeout: DEFAULT_TIMEOUT_MS,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	})) as IN8nHttpFullResponse;
	const answer = interpretAnswer(response);
	if (!answer.ok) throw answerError(this.getNode(), answer, what);
	return answer.body;
}
