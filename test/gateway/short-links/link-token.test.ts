import { createHmac } from 'node:crypto';
import { expect, test } from 'vitest';
import { signLinkToken, verifyLinkToken } from '../../../gateway/index.ts';

const SECRET = 'a-secret-of-16-chars';
const NOW = Date.UTC(2026, 0, 15);
const claims = { r: '+819012345678', c: 'spring', m: 'msg-1', exp: NOW / 1000 + 3600 };

test('a token verifies with the account secret and gives its claims back', () => {
  expect(verifyLinkToken(SECRET, signLinkToken(SECRET, claims), NOW)).toEqual({ valid: true, claims });
});

test('tampered, foreign-secret, expired and malformed tokens are refused with their reason', () => {
  const token = signLinkToken(SECRET, claims);
  const [payload, mac] = token.split('.') as [string, string];
  const forged = Buffer.from(JSON.stringify({ ...claims, r: '+819000000000' })).toString('base64url');
  expect(verifyLinkToken(SECRET, `${forged}.${mac}`, NOW)).toEqual({ valid: false, reason: 'signature' });
  expect(verifyLinkToken(SECRET, `${payload}.${mac.slice(0, -2)}AA`, NOW)).toEqual({ valid: false, reason: 'signature' });
  expect(verifyLinkToken('another-secret-16chars', token, NOW)).toEqual({ valid: false, reason: 'signature' });
  expect(verifyLinkToken(SECRET, token, claims.exp * 1000)).toEqual({ valid: false, reason: 'expired' });
  for (const bad of ['', 'abc', 'a.b.c', '.x', `${payload}.`]) expect(verifyLinkToken(SECRET, bad, NOW)).toEqual({ valid: false, reason: 'malformed' });
  const notClaims = Buffer.from('{"r":1}').toString('base64url');
  const key = createHmac('sha256', SECRET).update('smsgw link token v1').digest();
  expect(verifyLinkToken(SECRET, `${notClaims}.${createHmac('sha256', key).update(notClaims).digest('base64url')}`, NOW)).toEqual({ valid: false, reason: 'malformed' });
});

test('the README recipe (key from the secret, MAC over the payload text) verifies a token', () => {
  const token = signLinkToken(SECRET, claims);
  const [payload, mac] = token.split('.') as [string, string];
  const key = createHmac('sha256', SECRET).update('smsgw link token v1').digest();
  expect(createHmac('sha256', key).update(payload).digest('base64url')).toBe(mac);
  expect(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))).toEqual(claims);
});
