import { describe, expect, test } from 'vitest';
import { seededRandom } from '../../../common/index.ts';
import { orderConnectors, type CompiledRoute, type RouteConnector } from '../../../router/index.ts';

function route(strategy: CompiledRoute['strategy'], connectors: { id: string; weight?: number; prices?: Record<string, number> }[]): CompiledRoute {
  return {
    id: 'r',
    strategy,
    currency: 'JPY',
    connectors: connectors.map((c, position): RouteConnector => ({
      id: c.id,
      position,
      weight: c.weight ?? 1,
      priceFor: (carrier) => c.prices?.[carrier] ?? c.prices?.default,
    })),
  };
}

const ids = (o: { ordered: readonly RouteConnector[] }): string[] => o.ordered.map((c) => c.id);
const downIds = (o: { down: readonly RouteConnector[] }): string[] => o.down.map((c) => c.id);

describe('failover', () => {
  const r = route('failover', [{ id: 'a' }, { id: 'b' }, { id: 'c' }]);
  test.each([
    [[], ['a', 'b', 'c']],
    [['a'], ['b', 'c']],
    [['b'], ['a', 'c']],
    [['a', 'b'], ['c']],
    [['a', 'b', 'c'], []],
  ])('down %j -> tries %j in order', (down, expected) => {
    const result = orderConnectors(r, 'docomo', (id) => !down.includes(id), Math.random);
    expect(ids(result)).toEqual(expected);
    expect(downIds(result)).toEqual(down);
  });
});

describe('least cost', () => {
  const r = route('least-cost', [
    { id: 'a', prices: { default: 5, docomo: 3 } },
    { id: 'b', prices: { default: 4, au: 2 } },
    { id: 'c', prices: { default: 4.5, docomo: 3 } },
    { id: 'd' },
  ]);
  test.each([
    ['docomo', [], ['a', 'c', 'b', 'd'], 'cheapest for the carrier first; ties keep config order; unknown price last'],
    ['au', [], ['b', 'c', 'a', 'd'], 'per-carrier price beats default'],
    ['softbank', [], ['b', 'c', 'a', 'd'], 'default prices'],
    ['docomo', ['a'], ['c', 'b', 'd'], 'the cheapest is down: the cheapest healthy one'],
    ['au', ['b', 'c'], ['a', 'd'], 'two down'],
  ])('%s with %j down -> %j (%s)', (carrier, down, expected) => {
    expect(ids(orderConnectors(r, carrier, (id) => !down.includes(id), Math.random))).toEqual(expected);
  });
});

describe('weighted', () => {
  test('is deterministic for a given random source', () => {
    const r = route('weighted', [{ id: 'a', weight: 1 }, { id: 'b', weight: 2 }, { id: 'c', weight: 3 }]);
    const first = Array.from({ length: 20 }, ((random) => () => ids(orderConnectors(r, 'x', () => true, random)).join(''))(seededRandom(7)));
    const second = Array.from({ length: 20 }, ((random) => () => ids(orderConnectors(r, 'x', () => true, random)).join(''))(seededRandom(7)));
    expect(first).toEqual(second);
  });

  test('picks at the boundaries of the random range', () => {
    const r = route('weighted', [{ id: 'a', weight: 1 }, { id: 'b', weight: 3 }]);
    expect(ids(orderConnectors(r, 'x', () => true, () => 0))).toEqual(['a', 'b']);
    expect(ids(orderConnectors(r, 'x', () => true, () => 0.2499))).toEqual(['a', 'b']);
    expect(ids(orderConnectors(r, 'x', () => true, () => 0.25))).toEqual(['b', 'a']);
    expect(ids(orderConnectors(r, 'x', () => true, () => 0.999999))).toEqual(['b', 'a']);
  });

  test.each([
    [[1, 1], 1],
    [[9, 1], 2],
    [[5, 3, 2], 3],
    [[1, 2, 3, 4], 4],
  ])('first picks converge to weights %j (chi-square within the 99.9%% bound)', (weights, seed) => {
    const r = route('weighted', weights.map((weight, i) => ({ id: `c${i}`, weight })));
    const random = seededRandom(seed);
    const draws = 20_000;
    const counts = new Map<string, number>();
    for (let i = 0; i < draws; i++) {
      const first = orderConnectors(r, 'x', () => true, random).ordered[0]?.id ?? '';
      counts.set(first, (counts.get(first) ?? 0) + 1);
    }
    const total = weights.reduce((a, b) => a + b, 0);
    const chi = weights.reduce((sum, w, i) => {
      const expected = (draws * w) / total;
      return sum + ((counts.get(`c${i}`) ?? 0) - expected) ** 2 / expected;
    }, 0);
    // Critical values of chi-square at p = 0.001 for 1, 2, 3 degrees of freedom.
    const critical = [10.83, 13.82, 16.27][weights.length - 2] ?? 0;
    expect(chi).toBeLessThan(critical);
  });

  test('down connectors are left out and the weights of the rest still hold', () => {
    const r = route('weighted', [{ id: 'a', weight: 8 }, { id: 'b', weight: 1 }, { id: 'c', weight: 1 }]);
    const random = seededRandom(11);
    let b = 0;
    for (let i = 0; i < 4000; i++) {
      const result = orderConnectors(r, 'x', (id) => id !== 'a', random);
      expect(ids(result).sort()).toEqual(['b', 'c']);
      if (result.ordered[0]?.id === 'b') b++;
    }
    expect(Math.abs(b / 4000 - 0.5)).toBeLessThan(0.05);
  });

  test('weight 0 is a standby: only after every weighted connector', () => {
    const r = route('weighted', [{ id: 'standby', weight: 0 }, { id: 'a', weight: 1 }, { id: 'b', weight: 1 }]);
    const random = seededRandom(3);
    for (let i = 0; i < 200; i++) expect(ids(orderConnectors(r, 'x', () => true, random))[2]).toBe('standby');
    expect(ids(orderConnectors(r, 'x', (id) => id === 'standby', random))).toEqual(['standby']);
  });
});
