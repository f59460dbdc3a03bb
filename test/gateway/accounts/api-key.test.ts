import { describe, expect, test } from 'vitest';
import { API_KEY_MIN_LENGTH, AccountRegistry, checkApiKey, hashApiKey, newApiKey } from '../../../gateway/index.ts';

describe('API keys given in plain text', () => {
  test.each([['change-me'], ['demo-key-change-me'], ['a'.repeat(API_KEY_MIN_LENGTH - 1)], [`${'a'.repeat(40)} b`], [`${'a'.repeat(40)}+/=`]])('%j is refused', (key) => {
    expect(() => checkApiKey(key, 'accounts[0].apiKey')).toThrowError(expect.objectContaining({ code: 'GW_INVALID_CONFIG', details: { field: 'accounts[0].apiKey' } }) as Error);
  });

  test('a new key (the embedded demo account uses one) is long, random and authenticates by its hash', () => {
    const key = newApiKey('demo_');
    expect(key).toMatch(/^demo_[A-Za-z0-9_-]{32}$/);
    expect(() => checkApiKey(key)).not.toThrow();
    expect(newApiKey('demo_')).not.toBe(key);
    const registry = new AccountRegistry([{ id: 'demo', apiKeyHashes: [hashApiKey(key)] }]);
    expect(registry.authenticate(key)?.id).toBe('demo');
  });
});
