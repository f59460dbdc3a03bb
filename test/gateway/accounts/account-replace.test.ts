import { expect, test } from 'vitest';
import { AccountRegistry, hashApiKey, newApiKey, summarizeAccount, type AccountConfig, type AccountChanges } from '../../../gateway/index.ts';

const A = newApiKey();
const B = newApiKey();

const account = (id: string, keys: readonly string[], extra: Partial<AccountConfig> = {}): AccountConfig => ({ id, apiKeyHashes: keys.map(hashApiKey), ...extra });

test('replace puts the new set in force for every lookup, and tells what changed without keys or hashes', () => {
  const registry = new AccountRegistry([account('demo', [A], { numbers: ['+819000000001'] }), account('old', [B])]);
  const seen: AccountChanges[] = [];
  registry.onReplace((changes) => seen.push(changes));
  const changes = registry.replace([account('demo', [B], { numbers: ['+819000000002'] }), account('new', [A])]);
  expect(changes).toEqual({
    added: [{ id: 'new', keys: 1 }],
    removed: ['old'],
    changed: [{ id: 'demo', fields: ['numbers'], keysAdded: 1, keysRemoved: 1, keys: 1 }],
    accounts: 2,
  });
  expect(seen).toEqual([changes]);
  expect(registry.authenticate(A)?.id).toBe('new');
  expect(registry.authenticate(B)?.id).toBe('demo');
  expect(registry.get('old')).toBeUndefined();
  expect(registry.owner('+819000000001')).toBeUndefined();
  expect(registry.owner('819000000002')?.id).toBe('demo');
  const text = JSON.stringify(changes);
  for (const secret of [A, B, hashApiKey(A), hashApiKey(B)]) expect(text).not.toContain(secret);
});

test('a set that does not index (a bad allowedIps) is refused and the old one stays', () => {
  const registry = new AccountRegistry([account('demo', [A])]);
  expect(() => registry.replace([account('demo', [B], { allowedIps: ['not-an-address'] })])).toThrow(expect.objectContaining({ code: 'GW_INVALID_CONFIG' }) as Error);
  expect(registry.authenticate(A)?.id).toBe('demo');
  expect(registry.authenticate(B)).toBeUndefined();
});

test('an account object from before a reload keeps its own allowedIps; the new one follows its own', () => {
  const before = account('demo', [A], { allowedIps: ['10.0.0.0/8'] });
  const registry = new AccountRegistry([before]);
  registry.replace([account('demo', [A], { allowedIps: ['192.0.2.0/24'] })]);
  expect(registry.allowsAddress(before, '10.1.2.3')).toBe(true);
  const after = registry.authenticate(A);
  expect(after !== undefined && registry.allowsAddress(after, '10.1.2.3')).toBe(false);
  expect(after !== undefined && registry.allowsAddress(after, '192.0.2.7')).toBe(true);
});

test('the admin summary names settings, counts keys and shows callback origins only', () => {
  const summary = summarizeAccount(
    account('demo', [A, B], {
      callbackUrl: 'https://h.example/cb?token=x',
      callbackSecret: 'secret-secret-secret',
      limits: { requestsPerSecond: 2 },
      consoleUsers: [{ name: 'hanako', passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g', role: 'viewer' }],
    }),
  );
  expect(summary).toEqual({
    id: 'demo',
    keys: 2,
    numbers: [],
    limits: { requestsPerSecond: 2 },
    callbackOrigin: 'https://h.example',
    signed: true,
    consoleUsers: [{ name: 'hanako', role: 'viewer' }],
  });
  expect(JSON.stringify(summary)).not.toContain('argon2');
});
