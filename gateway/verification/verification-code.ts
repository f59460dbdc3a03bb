/**
 * One-time codes: drawn from the operating system's CSPRNG one digit at a time with `randomInt`, which rejects
 * out-of-range draws instead of taking a remainder (no modulo bias). Only an HMAC of the code is ever stored,
 * keyed by the server's secret and bound to the verification id, so a leaked store gives neither the codes nor a
 * table to look them up in; candidate codes are compared as HMACs in constant time.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

export const CODE_LENGTH = { min: 4, max: 10, default: 6 } as const;

export function generateCode(length: number = CODE_LENGTH.default): string {
  if (!Number.isInteger(length) || length < CODE_LENGTH.min || length > CODE_LENGTH.max) {
    throw new RangeError(`code length ${length} is outside ${CODE_LENGTH.min}..${CODE_LENGTH.max}`);
  }
  let code = '';
  for (let i = 0; i < length; i += 1) code += String(randomInt(10));
  return code;
}

/** The stored form of a code: HMAC-SHA256(secret, `<verification id>:<code>`), hex. */
export function codeDigest(secret: Buffer, verificationId: string, code: string): string {
  return createHmac('sha256', secret).update(`${verificationId}:${code}`, 'utf8').digest('hex');
}

/** Whether a candidate code is the one whose digest is stored; the time taken does not depend on where they differ. */
export function codeMatches(secret: Buffer, verificationId: string, candidate: string, storedDigest: string): boolean {
  const expected = Buffer.from(storedDigest, 'hex');
  const actual = Buffer.from(codeDigest(secret, verificationId, candidate), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
