/** `accounts[].sendWindow` in the configuration file: what passes, what is refused and the field each refusal names. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { hashApiKey, parseGatewayConfig } from '../../../gateway/index.ts';

const CONNECTORS = [{ id: 'a', type: 'smpp' }];
const WEEKDAYS = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '21:00' };
const account = (sendWindow: unknown): unknown => ({ accounts: [{ id: 'shop', apiKeyHashes: [hashApiKey('k')], sendWindow }], connectors: CONNECTORS });

describe('accounts[].sendWindow', () => {
  test('a window with weekend rules, a zone, tag rules and exempt tags passes as written', () => {
    const window = {
      rules: [WEEKDAYS, { days: ['sat', 'sun'], from: '09:00', to: '20:00' }],
      timeZone: 'Asia/Tokyo',
      tags: { marketing: { rules: [{ days: ['mon'], from: '10:00', to: '24:00' }] } },
      exemptTags: ['otp', 'alert'],
    };
    expect(parseGatewayConfig(account(window), 'gw.yaml').accounts[0]?.sendWindow).toEqual(window);
  });

  test.each([
    [{ rules: [{ ...WEEKDAYS, from: '8:00' }] }, 'accounts.0.sendWindow.rules.0.from'],
    [{ rules: [{ ...WEEKDAYS, to: '25:00' }] }, 'accounts.0.sendWindow.rules.0.to'],
    [{ rules: [{ ...WEEKDAYS, from: '24:00' }] }, 'accounts.0.sendWindow.rules.0.from'],
    [{ rules: [{ ...WEEKDAYS, days: ['monday'] }] }, 'accounts.0.sendWindow.rules.0.days.0'],
    [{ rules: [{ ...WEEKDAYS, days: [] }] }, 'accounts.0.sendWindow.rules.0.days'],
    [{ rules: [] }, 'accounts.0.sendWindow.rules'],
    [{ rules: [WEEKDAYS], exempt: ['otp'] }, 'accounts.0.sendWindow.exempt'],
    [{ rules: [WEEKDAYS], tags: { promo: { rules: [{ ...WEEKDAYS, days: ['someday'] }] } } }, 'accounts.0.sendWindow.tags.promo.rules.0.days.0'],
    [{ rules: [{ ...WEEKDAYS, from: '21:00', to: '08:00' }] }, 'accounts[0].sendWindow.rules[0].to'],
    [{ rules: [WEEKDAYS], timeZone: 'Tokyo' }, 'accounts[0].sendWindow.timeZone'],
  ])('%j is refused with GW_INVALID_CONFIG naming %s', (window, field) => {
    expect(() => parseGatewayConfig(account(window), 'gw.yaml')).toThrowError(
      expect.objectContaining({ code: 'GW_INVALID_CONFIG', details: expect.objectContaining({ file: 'gw.yaml', field }) as unknown }) as Error,
    );
  });

  test('the README\'s example sendWindow is a valid one', () => {
    const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
    const block = /### Send windows[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const document = parse(block ?? '') as { accounts: Record<string, unknown>[] };
    // The README shows a placeholder where the key's hash goes.
    const accounts = document.accounts.map((entry) => ({ ...entry, apiKeyHashes: [hashApiKey('k')] }));
    const config = parseGatewayConfig({ accounts, connectors: CONNECTORS }, 'README.md');
    expect(config.accounts[0]?.sendWindow?.rules.length).toBeGreaterThan(0);
  });
});
