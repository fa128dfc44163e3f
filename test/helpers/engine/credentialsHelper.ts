import type { PackageDirectoryLoader } from 'n8n-core';
import {
	ICredentialsHelper,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
} from 'n8n-workflow';

import { loadPackage } from './package';

export interface SmartfloCredentials extends ICredentialDataDecryptedObject {
	provider: string;
	baseUrl: string;
	token: string;
}

/**
 * What the n8n app's CredentialsHelper does for this package: hand stored credential data
 * to the node and apply the credential type's `authenticate` to each request.
 */
export class PackageCredentialsHelper extends ICredentialsHelper {
	/** How often preAuthentication ran (sign-ins asked for, before any sharing). */
	preAuthentications = 0;
	/** How often the stored credential was read (in the app: a database read and a decryption). */
	decryptions = 0;

	constructor(
		private readonly loader: PackageDirectoryLoader,
		private data: ICredentialDataDecryptedObject,
	) {
		super();
	}

	private type(name: string): ICredentialType {
		return this.loader.credentialTypes[name].type;
	}

	getParentTypes(): string[] {
		return [];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.type(typeName);
		if (typeof authenticate !== 'function') throw new Error(`${typeName} has no authenticate function`);
		return await authenticate(credentials, requestOptions);
	}

	/**
	 * The app's rule for expiring tokens, as n8n 2.8's CredentialsHelper applies it: call the
	 * credential's preAuthentication when its expirable field is empty or the provider said
	 * 401, and store what it returns. A stand-in only: e2e/ runs the app's own code.
	 */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.type(typeName);
		const expirable = type.properties.find((property) => property.type === 'hidden' && property.typeOptions?.expirable);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		const testing = node.type === 'credentialTest';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !testing) return undefined;
		this.preAuthentications += 1;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		this.data = { ...this.data, ...(output as ICredentialDataDecryptedObject) };
		return Object.assign(credentials, output);
	}

	/**
	 * Newer engines (n8n-core 2.41) ask this before handing a node its credential; this
	 * package's credential is for its own nodes and n8n's HTTP Request node.
	 */
	isCredentialUsableByNode(): boolean {
		return true;
	}

	/** Newer engines sign in through this (OAuth helpers); the credential type's own hook. */
	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.type(typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		this.preAuthentications += 1;
		return (await type.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
	}

	/** The stored credential data, as n8n's database would hold it now. */
	stored(): ICredentialDataDecryptedObject {
		return this.data;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used by these tests');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		this.decryptions += 1;
		// A copy each time, as the app decrypts afresh for every request.
		return { ...this.data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string) {
		return this.type(type).properties;
	}
}

/** A credential store for several runs in a row, like the app's database. */
export async function credentialStore(credentials: SmartfloCredentials): Promise<PackageCredentialsHelper> {
	return new PackageCredentialsHelper(await loadPackage(), credentials);
}
