/**
 * The one module that names Redis keys. Every key starts with the deployment's prefix (default `smsgw:`), so
 * several gateways, or test runs, share one Redis without meeting.
 *
 * Number portability: one hash per bucket of 100 numbers, `<prefix>mnp:<E.164 digits but the last two>`, with
 * the last two digits as the field. Small hashes stay in Redis's compact listpack encoding (far less memory than
 * a key per number), and a sorted portability file turns into multi-field HSETs.
 */
export const DEFAULT_KEY_PREFIX = 'smsgw:';

export interface RedisKeys {
  readonly prefix: string;
  /** Hash key and field of a number (E.164 with `+`). */
  mnpSlot(e164: string): { readonly key: string; readonly field: string };
  /** SCAN pattern of every portability key. */
  readonly mnpPattern: string;
  /** SCAN pattern of every key under the prefix (cleanup in tests and tools). */
  readonly allPattern: string;
}

const BUCKET_DIGITS = 2;

export function redisKeys(prefix: string = DEFAULT_KEY_PREFIX): RedisKeys {
  if (/[*?[\]\s]/.test(prefix)) throw new RangeError(`Redis key prefix "${prefix}" has glob or space characters`);
  const mnp = `${prefix}mnp:`;
  return {
    prefix,
    mnpSlot(e164) {
      const digits = e164.charCodeAt(0) === 43 ? e164.slice(1) : e164;
      return { key: mnp + digits.slice(0, -BUCKET_DIGITS), field: digits.slice(-BUCKET_DIGITS) };
    },
    mnpPattern: `${mnp}*`,
    allPattern: `${prefix}*`,
  };
}
