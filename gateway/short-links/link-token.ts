/**
 * The click token a redirect may carry (`?t=`), so the customer's landing page knows who clicked without asking
 * the gateway: `<payload>.<mac>`, both base64url (no padding). The payload is the JSON
 * `{"r": recipient E.164, "c"?: campaign id, "m"?: message id, "exp": expiry in epoch seconds}`, the MAC is
 * HMAC-SHA256 over the payload's base64url text with the token key. The token key is per account, derived from
 * the secret the account already holds for its webhooks (`callbackSecret`): key = HMAC-SHA256(callbackSecret,
 * "smsgw link token v1"). So each customer verifies its own tokens and none can forge another's. Verify:
 * recompute the MAC, compare in constant time, then check `exp` (README "Links and click tracking").
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface LinkTokenClaims {
  /** E.164 of the recipient. */
  readonly r: string;
  readonly c?: string;
  readonly m?: string;
  /** Epoch seconds after which the token is no longer good. */
  readonly exp: number;
}

export type LinkTokenCheck =
  | { readonly valid: true; readonly claims: LinkTokenClaims }
  | { readonly valid: false; readonly reason: 'malformed' | 'signature' | 'expired' };

const KEY_LABEL = 'smsgw link token v1';

/** The token key of an account: apart from the webhook signatures made with the same secret. */
function tokenKey(callbackSecret: string): Buffer {
  return createHmac('sha256', callbackSecret).update(KEY_LABEL).digest();
}

export function signLinkToken(callbackSecret: string, claims: LinkTokenClaims): string {
  const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
  return `${payload}.${createHmac('sha256', tokenKey(callbackSecret)).update(payload).digest('base64url')}`;
}

/** Checks a click token with the account's `callbackSecret`; `now` is epoch ms. */
export function verifyLinkToken(callbackSecret: string, token: string, now: number = Date.now()): LinkTokenCheck {
  const [payload, mac, extra] = token.split('.');
  if (payload === undefined || mac === undefined || extra !== undefined || payload === '' || mac === '') return { valid: false, reason: 'malformed' };
  const expected = createHmac('sha256', tokenKey(callbackSecret)).update(payload).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { valid: false, reason: 'signature' };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { valid: false, reason: 'malformed' };
  }
  if (!isClaims(claims)) return { valid: false, reason: 'malformed' };
  if (now >= claims.exp * 1000) return { valid: false, reason: 'expired' };
  return { valid: true, claims };
}

function isClaims(value: unknown): value is LinkTokenClaims {
  if (typeof value !== 'object' || value === null) return false;
  const claims = value as Record<string, unknown>;
  return (
    typeof claims.r === 'string' &&
    typeof claims.exp === 'number' &&
    (claims.c === undefined || typeof claims.c === 'string') &&
    (claims.m === undefined || typeof claims.m === 'string')
  );
}
