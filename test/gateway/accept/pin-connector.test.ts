import { describe, expect, test } from 'vitest';
import { pinConnector } from '../../../gateway/accept/pin-connector.ts';
import type { ConnectorChoice, RouteDecision } from '../../../router/index.ts';

const choice = (id: string, sender: string | null): ConnectorChoice => ({ id, price: 3, currency: 'JPY', weight: 1, sender, senderKind: sender === null ? null : 'shortcode', senderRewritten: false, senderRule: null });

const decision = {
  to: { input: '09012345678', e164: '+819012345678', country: 'JP', type: 'MOBILE' },
  rule: { index: 0, name: 'default' },
  route: { id: 'jp', strategy: 'failover' },
  connectors: [choice('smpp-a', '12345'), choice('smpp-b', 'REWRITTEN')],
  skipped: [{ id: 'modem-x', reason: 'sender-refused' }],
  sender: { requested: '12345', used: '12345', kind: 'shortcode', rewritten: false },
  tableVersion: 'v1',
} as unknown as RouteDecision;

const up = (id: string): boolean => id !== 'down-one';

describe('pinning a connector', () => {
  test('nothing pinned, or the first already: the decision as it was', () => {
    expect(pinConnector(decision, undefined, up)).toBe(decision);
    expect(pinConnector(decision, 'smpp-a', up)).toBe(decision);
  });

  test("a connector of the route goes first with the route's sender; the others stay behind it", () => {
    const pinned = pinConnector(decision, 'smpp-b', up);
    expect(pinned.connectors.map((c) => [c.id, c.sender])).toEqual([['smpp-b', 'REWRITTEN'], ['smpp-a', '12345']]);
    expect(pinned.sender.used).toBe('REWRITTEN');
  });

  test("a known connector off the route goes first with the request's originator", () => {
    const pinned = pinConnector(decision, 'modem-1', up);
    expect(pinned.connectors.map((c) => [c.id, c.sender, c.price])).toEqual([['modem-1', '12345', undefined], ['smpp-a', '12345', 3], ['smpp-b', 'REWRITTEN', 3]]);
  });

  test('an unknown or down connector, or one whose sender rules refused the originator, pins nothing', () => {
    expect(pinConnector(decision, 'down-one', up)).toBe(decision);
    expect(pinConnector(decision, 'modem-x', up)).toBe(decision);
    expect(pinConnector(decision, 'anything', undefined)).toBe(decision);
    expect(pinConnector(decision, 'smpp-b', () => false)).toBe(decision);
  });
});
