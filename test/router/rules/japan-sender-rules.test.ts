/**
 * Japanese carriers' sender rules as configuration (README "Routing and carrier data", Japan example): docomo
 * and au take only registered domestic numbers (docomo refuses others, au rewrites them to the registered
 * number); SoftBank takes only its 5-digit code or the shared 0005, and anything else becomes 0005.
 */
import { describe, expect, test } from 'vitest';
import { buildRoutingTable, decideRoute, normalizeNumber, parseOriginator } from '../../../router/index.ts';

const table = buildRoutingTable(
  {
    routes: { jp: { strategy: 'failover', connectors: [{ id: 'smpp-jp' }] } },
    rules: [{ name: 'default', route: 'jp' }],
    senderRules: [
      { name: 'docomo-registered', carrier: 'docomo', allow: ['longnumber'], senders: ['+81312345678', '+81312345679'] },
      { name: 'au-registered', carrier: 'au', allow: ['longnumber'], senders: ['+81312345678', '+81312345679'], rewrite: '+81312345678' },
      { name: 'softbank-codes', carrier: 'softbank', allow: ['shortcode'], senders: ['12345', '0005'], rewrite: '0005' },
    ],
  },
  { fileName: 'japan.yaml' },
);

function decide(carrier: string, from?: string) {
  return decideRoute(table, {
    number: normalizeNumber('090-1111-2222', { defaultCountry: 'JP' }),
    carrier: { carrier, source: 'ranges' },
    sender: from === undefined ? undefined : parseOriginator(from, 'JP'),
    account: 'demo',
    tag: undefined,
    atMs: 0,
  });
}

describe('originators Japanese carriers take', () => {
  test.each([
    ['0005', 'shortcode', '0005'],
    ['12345', 'shortcode', '12345'],
    ['03-1234-5678', 'longnumber', '+81312345678'],
    ['+81312345678', 'longnumber', '+81312345678'],
    ['SHOP', 'alphanumeric', 'SHOP'],
  ])('%s is a %s (%s)', (input, kind, value) => {
    expect(parseOriginator(input, 'JP')).toEqual({ kind, value });
  });

  test.each([['00'], ['送信者'], ['ABCDEFGHIJKL']])('%s is refused with ROUTE_SENDER_INVALID', (input) => {
    expect(() => parseOriginator(input, 'JP')).toThrow(expect.objectContaining({ code: 'ROUTE_SENDER_INVALID' }) as Error);
  });
});

describe('docomo: registered domestic numbers only', () => {
  test('a registered number, national or international form, is kept', () => {
    expect(decide('docomo', '03-1234-5679').sender).toEqual({ requested: '+81312345679', used: '+81312345679', kind: 'longnumber', rewritten: false, rule: 'docomo-registered' });
  });

  test('an unregistered number or an alphanumeric sender is refused, naming the sender rule and the carrier', () => {
    for (const from of ['+81399999999', 'SHOP', '0005']) {
      expect(() => decide('docomo', from)).toThrow(
        expect.objectContaining({ code: 'ROUTE_SENDER_NOT_ALLOWED', details: expect.objectContaining({ senderRule: 'docomo-registered', carrier: 'docomo', field: 'from' }) as object }) as Error,
      );
    }
  });
});

describe('au: registered domestic numbers, others rewritten', () => {
  test('a registered number is kept', () => {
    expect(decide('au', '+81312345678').sender).toMatchObject({ used: '+81312345678', rewritten: false });
  });

  test('an unregistered number, an alphanumeric sender or none becomes the registered number', () => {
    for (const from of ['+81399999999', 'SHOP', undefined]) {
      expect(decide('au', from).sender).toEqual({ requested: from === undefined ? null : parseOriginator(from, 'JP').value, used: '+81312345678', kind: 'longnumber', rewritten: true, rule: 'au-registered' });
    }
  });
});

describe('SoftBank: its 5-digit code or the shared 0005', () => {
  test.each([['12345'], ['0005']])('%s is kept', (from) => {
    expect(decide('softbank', from).sender).toEqual({ requested: from, used: from, kind: 'shortcode', rewritten: false, rule: 'softbank-codes' });
  });

  test.each([['SHOP'], ['+81312345678'], ['54321']])('%s becomes 0005', (from) => {
    expect(decide('softbank', from).sender).toMatchObject({ used: '0005', kind: 'shortcode', rewritten: true, rule: 'softbank-codes' });
  });
});

test('a carrier without a sender rule passes the originator unchanged', () => {
  expect(decide('rakuten', 'SHOP').sender).toEqual({ requested: 'SHOP', used: 'SHOP', kind: 'alphanumeric', rewritten: false, rule: null });
});
