import { randomBytes } from 'node:crypto';
import { expect, test } from 'vitest';
import { encodeText } from '../../../drivers/codec/index.ts';
import { PartSeal } from '../../../gateway/messages/part-seal.ts';
import { toStoredEncoding } from '../../../gateway/messages/stored-encoding.ts';

const real = toStoredEncoding(encodeText('認証コード: 123456 (5分間有効)'.repeat(3), { concatRef: 7 }));
const masked = toStoredEncoding(encodeText('認証コード: ****** (5分間有効)'.repeat(3), { concatRef: 7 }));

test('a sealed message stores the mask, and opening gives back the real parts exactly', () => {
  const seal = new PartSeal(randomBytes(32));
  const stored = seal.seal(masked, real);
  expect(stored.parts).toEqual(masked.parts);
  expect(JSON.stringify(stored)).not.toContain('123456');
  expect(seal.open(stored)).toEqual(real);
  // Each seal has its own IV: the same parts never seal alike.
  expect(seal.seal(masked, real).sealed).not.toBe(stored.sealed);
});

test('another deployment secret, or a changed seal, cannot open it: GW_CORRUPT_RECORD', () => {
  const stored = new PartSeal(randomBytes(32)).seal(masked, real);
  expect(() => new PartSeal(randomBytes(32)).open(stored)).toThrow(expect.objectContaining({ code: 'GW_CORRUPT_RECORD' }));
  const seal = new PartSeal(Buffer.alloc(32, 1));
  const own = seal.seal(masked, real);
  const tampered = Buffer.from(own.sealed ?? '', 'base64');
  tampered[40] = (tampered[40] ?? 0) ^ 1;
  expect(() => seal.open({ ...own, sealed: tampered.toString('base64') })).toThrow(expect.objectContaining({ code: 'GW_CORRUPT_RECORD' }));
});

test('an unsealed message opens as itself', () => {
  expect(new PartSeal(randomBytes(32)).open(real)).toBe(real);
});
