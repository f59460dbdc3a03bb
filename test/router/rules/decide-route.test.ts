import { describe, expect, test } from 'vitest';
import { buildRoutingTable, decideRoute, normalizeNumber, parseOriginator, type CarrierAnswer, type RouteErrorCode } from '../../../router/index.ts';

const table = buildRoutingTable(
  {
    routes: {
      premium: { strategy: 'failover', currency: 'JPY', connectors: [{ id: 'smpp-a', price: 3 }, { id: 'smpp-b', price: 4 }] },
      cheap: { strategy: 'least-cost', currency: 'JPY', connectors: [{ id: 'smpp-a', price: { default: 5, au: 2.5 } }, { id: 'modem', price: { default: 3 } }] },
      bulk: { strategy: 'failover', connectors: [{ id: 'modem' }, { id: 'smpp-b' }] },
      fallback: { strategy: 'failover', connectors: [{ id: 'smpp-b' }] },
    },
    rules: [
      { name: 'vip-account', match: { account: ['vip', 'bank'] }, route: 'premium' },
      { name: 'otp', match: { tag: 'otp' }, route: 'premium' },
      { name: 'au-carrier', match: { carrier: 'au', country: 'JP' }, route: 'cheap' },
      { name: 'prefix-080', match: { prefix: ['+8180', '8170'] }, route: 'bulk' },
      { name: 'brand-sender', match: { sender: 'BRAND' }, route: 'premium' },
      { name: 'foreign', match: { country: ['DE', 'GB'] }, route: 'bulk' },
      { name: 'default', route: 'fallback' },
    ],
    senderRules: [
      { name: 'softbank-approved', carrier: 'softbank', allow: ['longnumber'], senders: ['+81312345678', '+81312345679'], rewrite: '+81312345678' },
      { name: 'modem-numeric', connector: 'modem', allow: ['shortcode', 'longnumber'] },
      { name: 'docomo-shortcode-on-b', carrier: 'docomo', connector: 'smpp-b', allow: ['shortcode'], rewrite: '12345' },
    ],
  },
  { fileName: 'test.yaml' },
);

const AT = Date.parse('2025-06-01T03:00:00Z');
const carrierOf = (carrier: string): CarrierAnswer => ({ carrier, source: 'ranges' });

function decide(to: string, carrier: string, extra: { account?: string; tag?: string; from?: string } = {}, down: string[] = []) {
  return decideRoute(
    table,
    {
      number: normalizeNumber(to, { defaultCountry: 'JP' }),
      carrier: carrierOf(carrier),
      sender: extra.from === undefined ? undefined : parseOriginator(extra.from),
      account: extra.account,
      tag: extra.tag,
      atMs: AT,
    },
    { isUp: (id) => !down.includes(id) },
  );
}

describe('rule matching: first match wins', () => {
  test.each([
    ['account', '090-1111-2222', 'au', { account: 'bank', tag: 'otp' }, 'vip-account'],
    ['tag', '090-1111-2222', 'au', { account: 'shop', tag: 'otp' }, 'otp'],
    ['carrier and country', '090-1111-2222', 'au', { tag: 'marketing' }, 'au-carrier'],
    ['prefix (with +)', '080-1111-2222', 'docomo', {}, 'prefix-080'],
    ['prefix (without +)', '070-1111-2222', 'docomo', {}, 'prefix-080'],
    ['sender', '090-1111-2222', 'docomo', { from: 'BRAND' }, 'brand-sender'],
    ['country list', '+4915112345678', 't-mobile', {}, 'foreign'],
    ['nothing else: the default', '090-1111-2222', 'docomo', { from: 'OTHER' }, 'default'],
    ['account not in the list', '090-1111-2222', 'docomo', { account: 'shop' }, 'default'],
  ])('%s', (_label, to, carrier, extra, rule) => {
    expect(decide(to, carrier, extra).rule.name).toBe(rule);
  });

  test('the decision shows the normalized number, carrier, rule, route, connectors with price, and table version', () => {
    const decision = decide('090-1111-2222', 'au', {});
    expect(decision).toMatchObject({
      to: { input: '090-1111-2222', e164: '+819011112222', country: 'JP', type: 'MOBILE' },
      carrier: { carrier: 'au', source: 'ranges' },
      rule: { index: 2, name: 'au-carrier' },
      route: { id: 'cheap', strategy: 'least-cost' },
      tableVersion: 'inline',
    });
    expect(decision.connectors.map((c) => [c.id, c.price, c.currency])).toEqual([
      ['smpp-a', 2.5, 'JPY'],
      ['modem', 3, 'JPY'],
    ]);
  });
});

describe('health', () => {
  test('failover skips a down connector and lists it', () => {
    const decision = decide('090-1111-2222', 'docomo', { tag: 'otp' }, ['smpp-a']);
    expect(decision.connectors.map((c) => c.id)).toEqual(['smpp-b']);
    expect(decision.skipped).toEqual([{ id: 'smpp-a', reason: 'down' }]);
  });

  test('least cost takes the cheapest healthy connector', () => {
    expect(decide('090-1111-2222', 'au', {}, ['smpp-a']).connectors.map((c) => c.id)).toEqual(['modem']);
  });

  test('every connector down is the retriable ROUTE_NO_HEALTHY_CONNECTOR', () => {
    expect(() => decide('090-1111-2222', 'docomo', { tag: 'otp' }, ['smpp-a', 'smpp-b'])).toThrow(
      expect.objectContaining({ code: 'ROUTE_NO_HEALTHY_CONNECTOR', retriable: true }),
    );
  });
});

describe('sender rules', () => {
  test.each<[string, string, string, { tag?: string; from?: string }, [string, string | null, boolean][]]>([
    ['an approved sender passes', '090-1111-2222', 'softbank', { tag: 'otp', from: '+81312345679' }, [['smpp-a', '+81312345679', false], ['smpp-b', '+81312345679', false]]],
    ['an alphanumeric sender is rewritten to the approved number', '090-1111-2222', 'softbank', { tag: 'otp', from: 'SHOP' }, [['smpp-a', '+81312345678', true], ['smpp-b', '+81312345678', true]]],
    ['no sender given: the rewrite supplies one', '090-1111-2222', 'softbank', { tag: 'otp' }, [['smpp-a', '+81312345678', true], ['smpp-b', '+81312345678', true]]],
    ['per connector: only smpp-b rewrites for docomo', '090-1111-2222', 'docomo', { tag: 'otp', from: 'SHOP' }, [['smpp-a', 'SHOP', false], ['smpp-b', '12345', true]]],
    ['no rule for the carrier: unchanged', '090-1111-2222', 'au', { tag: 'otp', from: 'SHOP' }, [['smpp-a', 'SHOP', false], ['smpp-b', 'SHOP', false]]],
    ['a refusing rule drops that connector only', '080-1111-2222', 'docomo', { from: 'SHOP' }, [['smpp-b', '12345', true]]],
    ['a refusing rule accepts what it allows', '080-1111-2222', 'rakuten', { from: '55555' }, [['modem', '55555', false], ['smpp-b', '55555', false]]],
  ])('%s', (_label, to, carrier, extra, expected) => {
    const decision = decide(to, carrier, extra);
    expect(decision.connectors.map((c) => [c.id, c.sender, c.senderRewritten])).toEqual(expected);
    expect(decision.sender).toMatchObject({ used: expected[0]?.[1], rewritten: expected[0]?.[2] });
  });

  test('a refused connector is listed with the reason', () => {
    const decision = decide('080-1111-2222', 'rakuten', { from: 'SHOP' });
    expect(decision.skipped).toEqual([{ id: 'modem', reason: 'sender-refused', detail: expect.stringContaining('modem-numeric') as unknown }]);
  });

  test('no connector accepts the sender and none rewrites: ROUTE_SENDER_NOT_ALLOWED naming the sender', () => {
    const only = buildRoutingTable(
      {
        routes: { r: { strategy: 'failover', connectors: [{ id: 'modem' }] } },
        rules: [{ name: 'default', route: 'r' }],
        senderRules: [{ connector: 'modem', allow: ['shortcode'] }],
      },
      { fileName: 'x.yaml' },
    );
    let caught: unknown;
    try {
      decideRoute(only, { number: normalizeNumber('+819011112222'), carrier: carrierOf('au'), sender: parseOriginator('SHOP'), account: undefined, tag: undefined, atMs: AT });
    } catch (error: unknown) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'ROUTE_SENDER_NOT_ALLOWED' satisfies RouteErrorCode, retriable: false, details: { field: 'from', value: 'SHOP', route: 'r' } });
  });
});
