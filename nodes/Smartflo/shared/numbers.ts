import type { Numbering } from '../../../credentials/smartfloApi/hosts';

/**
 * Phone numbers as the nodes compare them: the provider writes a DID, an agent's or a
 * customer's number with or without its country code, and users type it with spaces.
 */

const digits = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value).replace(/\D/g, '') : '');

/** Whether two numbers are the same: "+91 80499 90000" and "8049990000" are. */
export function sameNumber(a: unknown, b: string): boolean {
	const left = digits(a);
	const right = digits(b);
	if (left === '' || right === '') return false;
	if (left === right) return true;
	// The same number with and without a country code: the shorter is the longer's tail.
	const [shorter, longer] = left.length < right.length ? [left, right] : [right, left];
	return shorter.length >= 8 && longer.endsWith(shorter);
}

/** An Indian number behind +91, 0091, 91 or a trunk 0: its 10 national digits. */
const INDIAN_NATIONAL = /^(?:\+?91|0091|0)?(\d{10})$/;

/**
 * The 10 national digits of an Indian number written with or without +91, 0091, 91 or a
 * trunk 0 ("+919876543210", "09876543210"), after separators are taken out; else undefined.
 * The one rule for Indian numbers: Transfer To and Route Call send these digits, and a
 * customer's number is found and shown by them.
 */
export const indianNational = (compact: string): string | undefined => INDIAN_NATIONAL.exec(compact)?.[1];

/**
 * A customer's number as the account dials it at home: its digits, and on an Indian account
 * (the Indian providers, or Phone Numbers → Indian) without +91, 0091, 91 or a trunk 0
 * before the 10 digits — as Transfer To reads a number.
 */
export function nationalNumber(value: unknown, numbering: Numbering): string {
	const all = digits(value);
	return numbering === 'india' ? (indianNational(all) ?? all) : all;
}

/**
 * Whether two customer numbers are one: exactly the same national number, never a tail of
 * another (an 8-digit landline is not every number that ends in it). On other accounts than
 * the Indian ones a prefix's meaning is unknown, so the digits must be the same.
 */
export function sameCustomerNumber(a: unknown, b: unknown, numbering: Numbering): boolean {
	const left = nationalNumber(a, numbering);
	return left !== '' && left === nationalNumber(b, numbering);
}
