import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { applyCredential } from './smartfloApi/authorization';
import { CUSTOM_DEFAULT_TIME_ZONE, PROVIDERS } from './smartfloApi/hosts';
import { signIn } from './smartfloApi/signIn';

const showForLogin = (providers?: string[], exceptProviders?: string[]) => ({
	show: { authentication: ['login'], ...(providers ? { provider: providers } : {}) },
	...(exceptProviders ? { hide: { provider: exceptProviders } } : {}),
});

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
			displayName: 'Phone Numbers',
			name: 'numbering',
			type: 'options',
			options: [
				{
					name: 'As Typed',
					value: 'asTyped',
					description: 'Digits are sent as typed (spaces, dashes and brackets dropped); a leading + is refused',
				},
				{
					name: 'Indian',
					value: 'india',
					description: 'As on the Indian hosts: +91, 0091, 91 or 0 before a 10-digit number is dropped',
				},
			],
			default: 'asTyped',
			description:
				'How Transfer To reads a number with a country or trunk prefix. A white-label Smartflo account in India: Indian.',
			displayOptions: { show: { provider: ['custom'] } },
		},
		{
			displayName: 'Account Time Zone',
			name: 'timeZone',
			type: 'string',
			default: '',
			placeholder: `e.g. Europe/London (empty: ${CUSTOM_DEFAULT_TIME_ZONE})`,
			description: `The time zone your portal shows call times in, as an IANA name: ${CUSTOM_DEFAULT_TIME_ZONE} (India, the default), Europe/London (UK), Asia/Dubai… Smartflo Trigger's Finished Call reads the call records in it.`,
			displayOptions: { show: { provider: ['custom'] } },
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'API Token',
					value: 'apiToken',
					description: 'A long-lived token from the portal (API Connect → API Tokens)',
				},
				{
					name: 'Email and Password',
					value: 'login',
					description: 'Sign in like the portal does; n8n renews the hour-long login token by itself',
				},
			],
			default: 'apiToken',
		},
		{
			displayName: 'API Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['apiToken'] } },
			description:
				'Generated in the portal under API Connect → API Tokens. Tokens expire (Smartflo tokens made after 9 Aug 2026 within 90 days): when a token that worked is refused with HTTP 401, generate a new one and paste it here. A leading "Bearer " is fine.',
		},
		{
			displayName: 'Email',
			name: 'email',
			type: 'string',
			placeholder: 'name@example.com',
			default: '',
			required: true,
			displayOptions: showForLogin(undefined, ['acefoneUk']),
			description: 'The email you sign in to the provider’s portal with',
		},
		{
			// Acefone UK's login endpoint calls the same thing login_id; it is sent as such.
			displayName: 'Login ID',
			name: 'email',
			type: 'string',
			default: '',
			required: true,
			displayOptions: showForLogin(['acefoneUk']),
			description: 'The login ID you sign in to the Acefone UK portal with',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: showForLogin(),
		},
		{
			// Where n8n keeps the login token; empty until the first sign-in, renewed on a 401.
			displayName: 'Login Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	// Runs when the login token is empty or the provider answered 401 (see signIn.ts).
	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		if (credentials.authentication !== 'login') return {};
		return { accessToken: await signIn(this.helpers, credentials) };
	}

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
