/**
 * Short link codes: a fixed number of characters drawn from base62 (`0-9A-Za-z`, URL-safe and one GSM 7-bit
 * septet each), every character from a CSPRNG (`crypto.randomInt`, which draws without modulo bias). Ten
 * characters carry about 59.5 bits: not guessable and never sequential.
 */
import { randomInt } from 'node:crypto';

export const LINK_CODE_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const DEFAULT_LINK_CODE_LENGTH = 10;
export const MIN_LINK_CODE_LENGTH = 8;
export const MAX_LINK_CODE_LENGTH = 32;

const CODE_PATTERN = /^[0-9A-Za-z]+$/;

export function newLinkCode(length: number = DEFAULT_LINK_CODE_LENGTH, draw: (max: number) => number = randomInt): string {
  let code = '';
  for (let i = 0; i < length; i += 1) code += LINK_CODE_ALPHABET[draw(LINK_CODE_ALPHABET.length)];
  return code;
}

/** Whether a path segment can be a code at all (anything else is answered 404 without a store read). */
export function isLinkCode(value: string): boolean {
  return value.length >= MIN_LINK_CODE_LENGTH && value.length <= MAX_LINK_CODE_LENGTH && CODE_PATTERN.test(value);
}
