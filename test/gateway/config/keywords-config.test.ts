import { describe, expect, test } from 'vitest';
import { hashApiKey, parseGatewayConfig } from '../../../gateway/index.ts';
import { resolveKeywordSettings } from '../../../gateway/keywords/keyword-settings.ts';

const CONNECTORS = [{ id: 'a', type: 'smpp' }];
const account = (keywords: unknown): unknown => [{ id: 'shop', apiKeyHashes: [hashApiKey('k')], defaultCountry: 'JP', keywords }];

describe('accounts[].keywords', () => {
  test('a full section is accepted; the auto-ack window defaults to 720 hours', () => {
    const keywords = {
      enabled: true,
      optOut: ['やめる'],
      optIn: ['もどす'],
      help: ['問い合わせ'],
      language: 'en',
      helpText: 'Shop: 0120-000-000.',
      replies: { optOut: 'bye', optIn: 'hi', help: 'help', autoAck: 'thanks {name}' },
      autoAck: { enabled: true },
    };
    const parsed = parseGatewayConfig({ accounts: account(keywords), connectors: CONNECTORS }, 'gw.yaml');
    expect(parsed.accounts[0]?.keywords?.autoAck).toEqual({ enabled: true, windowHours: 720 });
  });

  test.each([
    [{ optOut: ['x'], optIn: ['X'] }, 'accounts[0].keywords', 'optIn entry "X" is also an opt-out keyword'],
    [{ optIn: ['ＳＴＯＰ'] }, 'accounts[0].keywords', 'optIn entry "ＳＴＯＰ" is also an opt-out keyword'],
    [{ help: ['。'] }, 'accounts[0].keywords', 'help entry "。" is only spaces or punctuation'],
    [{ language: 'fr' }, 'accounts.0.keywords.language', ''],
    [{ autoAck: { windowHours: 1 } }, 'accounts.0.keywords.autoAck', 'enabled'],
    [{ replies: { stop: 'x' } }, 'accounts.0.keywords.replies.stop', 'not a known field'],
  ])('%j is refused naming %s', (keywords, field, problem) => {
    let error: unknown;
    try {
      parseGatewayConfig({ accounts: account(keywords), connectors: CONNECTORS }, 'gw.yaml');
    } catch (caught: unknown) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'GW_INVALID_CONFIG' });
    expect((error as Error).message).toContain(field);
    expect((error as Error).message).toContain(problem);
  });

  test('replies: Japanese for a JP account, English otherwise, {name} filled, the help text before how to stop', () => {
    expect(resolveKeywordSettings({ id: 'shop', defaultCountry: 'JP' }).replies['opt-out']).toBe('shop: 配信を停止しました。今後メッセージは届きません。再開するには「再開」と返信してください。');
    const en = resolveKeywordSettings({ id: 'shop', name: 'Shop', keywords: { helpText: 'Shop: call 555-0100.' } });
    expect(en.replies.help).toBe('Shop: call 555-0100. Reply STOP to unsubscribe, START to subscribe again.');
    expect(en.replies['opt-in']).toBe('Shop: You are subscribed again. Reply STOP to unsubscribe, HELP for help.');
    expect(en.autoAckWindowMs).toBeUndefined();
    expect(resolveKeywordSettings({ id: 'x', keywords: { autoAck: { enabled: true, windowHours: 2 } } }).autoAckWindowMs).toBe(7_200_000);
  });
});
