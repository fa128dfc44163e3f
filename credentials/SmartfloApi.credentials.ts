import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { applyCredential } from '../nodes/Smartflo/transport/authorization';
import { PROVIDERS } from '../nodes/Smartflo/transport/providers';

export class SmartfloApi implements ICredentialType {
	name = 'smartfloApi';

	displayName = 'Smartflo API';

	icon: Icon = {
		light: 'file:../nodes/Smartflo/smartflo.svg',
		dark: 'file:../nodes/Smartflo/smartflo.dark.svg',
	};

	documentationUrl = 'https://github.com/n8n-nodes-smartflo/n8n-nodes-smartflo#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Provider',
			name: 'provider',
			type: 'options',
			options: PROVIDERS.map(({ id, name, description }) => ({ name, value: id, description })),
			default: 'smartflo',
			description:
				'Who runs your account. Smartflo, Acefone and Servetel share one API on different hosts.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://api-account-uk.acefone.com',
			description:
				'The API host only, without /v1. Must be https://, except http://127.0.0.1 or http://localhost for a local test double.',
			displayOptions: { show: { provider: ['custom'] } },
			required: true,
		},
		{
			displayName: 'API Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Generated in the portal under API Connect → API Tokens. A token pasted with a leading "Bearer " works too.',
		},
	];

	// A function rather than the generic header template: the base URL comes from the
	// provider table and is checked, and the token is only ever sent to that host.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return applyCredential(credentials, requestOptions);
	}

	// No endpoint is documented as "check my token"; listing one user is read-only and cheap.
	test: ICredentialTestRequest = {
		request: {
			method: 'GET',
			url: '/v1/users',
			qs: { limit: 1 },
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'success',
					value: false,
					message: 'The provider refused the token. Check that it is current and allowed to read users.',
				},
			},
		],
	};
}
