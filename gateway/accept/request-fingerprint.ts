/**
 * The fingerprint stored with an Idempotency-Key: SHA-256 over the request's canonical JSON (object keys sorted,
 * absent fields left out), prefixed by the kind of request, so a key reused with another body (or for a batch
 * after a single message) is told apart from a retry of the same request.
 */
import { createHash } from 'node:crypto';

export type FingerprintKind = 'message' | 'batch';

export function requestFingerprint(kind: FingerprintKind, request: unknown): string {
  return createHash('sha256').update(`${kind}\n`).update(canonicalJson(request)).digest('hex');
}

/** JSON with object keys in sorted order at every depth; `undefined` members are left out as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item: unknown) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
