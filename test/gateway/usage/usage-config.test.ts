import { expect, test } from 'vitest';
import { hashApiKey, parseGatewayConfig } from '../../../gateway/index.ts';

const base = (extra: Record<string, unknown> = {}, account: Record<string, unknown> = {}) => ({
  accounts: [{ id: 'x', apiKeyHashes: [hashApiKey('k')], ...account }],
  connectors: [{ id: 'a', type: 'smpp' }],
  ...extra,
});

test('usage.timeZone defaults to UTC; quotas are taken as given', () => {
  expect(parseGatewayConfig(base(), 'gw.yaml').usage).toEqual({ timeZone: 'UTC' });
  const config = parseGatewayConfig(base({ usage: { timeZone: 'Asia/Tokyo' } }, { quotas: { daily: { messages: 1000 }, monthly: { segments: 50000 } } }), 'gw.yaml');
  expect(config.usage.timeZone).toBe('Asia/Tokyo');
  expect(config.accounts[0]?.quotas).toEqual({ daily: { messages: 1000 }, monthly: { segments: 50000 } });
});

test.each([
  [base({ usage: { timeZone: 'Asia/Nowhere' } }), 'usage.timeZone'],
  [base({ usage: { zone: 'UTC' } }), 'usage.zone'],
  [base({}, { quotas: { daily: { messages: 0 } } }), 'accounts.0.quotas.daily.messages'],
  [base({}, { quotas: { daily: {} } }), 'accounts.0.quotas.daily'],
  [base({}, { quotas: { weekly: { messages: 5 } } }), 'accounts.0.quotas.weekly'],
])('%j is refused naming %s', (document, field) => {
  expect(() => parseGatewayConfig(document, 'gw.yaml')).toThrow(expect.objectContaining({ code: 'GW_INVALID_CONFIG', details: expect.objectContaining({ field }) as unknown }) as Error);
});
