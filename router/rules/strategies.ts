import type { RouteConfig, RouteStrategy } from '../config/routing-config.ts';

export interface RouteConnector {
  readonly id: string;
  /** Position in the route's list: the priority for failover and the tie-break for the others. */
  readonly position: number;
  readonly weight: number;
  /** Price per segment for a carrier, else the connector's default price, else undefined. */
  priceFor(carrier: string): number | undefined;
}

export interface CompiledRoute {
  readonly id: string;
  readonly strategy: RouteStrategy;
  readonly currency: string | undefined;
  readonly connectors: readonly RouteConnector[];
}

/** Health is an input: the gateway passes what its drivers report; absent means up. */
export type IsUp = (connectorId: string) => boolean;

/** A uniform random number in [0, 1); injected so weighted picks are reproducible in tests. */
export type RandomSource = () => number;

export interface Ordering {
  /** Healthy connectors in the order to try them: the first one, then the failover order. */
  readonly ordered: readonly RouteConnector[];
  readonly down: readonly RouteConnector[];
}

export function compileRoute(id: string, config: RouteConfig): CompiledRoute {
  const connectors = config.connectors.map((c, position): RouteConnector => {
    const price = c.price;
    const table = typeof price === 'object' ? new Map(Object.entries(price)) : undefined;
    const fallback = typeof price === 'number' ? price : table?.get('default');
    return {
      id: c.id,
      position,
      weight: c.weight ?? 1,
      priceFor: (carrier) => table?.get(carrier) ?? fallback,
    };
  });
  return { id, strategy: config.strategy, currency: config.currency, connectors };
}

/**
 * Orders a route's healthy connectors by its strategy:
 * - failover: configuration order;
 * - weighted: drawn one after another with probability proportional to weight (so the first pick honours the
 *   weights and the rest are a fair failover order); weight 0 connectors are standbys, last;
 * - least-cost: cheapest per-segment price for the destination carrier first; unknown prices last; ties keep
 *   configuration order.
 */
export function orderConnectors(route: CompiledRoute, carrier: string, isUp: IsUp, random: RandomSource): Ordering {
  const healthy: RouteConnector[] = [];
  const down: RouteConnector[] = [];
  for (const c of route.connectors) (isUp(c.id) ? healthy : down).push(c);
  switch (route.strategy) {
    case 'failover':
      return { ordered: healthy, down };
    case 'least-cost':
      return { ordered: healthy.sort((a, b) => comparePrice(a.priceFor(carrier), b.priceFor(carrier)) || a.position - b.position), down };
    case 'weighted':
      return { ordered: weightedOrder(healthy, random), down };
  }
}

function comparePrice(a: number | undefined, b: number | undefined): number {
  if (a === undefined) return b === undefined ? 0 : 1;
  if (b === undefined) return -1;
  return a - b;
}

function weightedOrder(connectors: readonly RouteConnector[], random: RandomSource): RouteConnector[] {
  const pool = connectors.filter((c) => c.weight > 0);
  const standby = connectors.filter((c) => c.weight <= 0);
  const order: RouteConnector[] = [];
  let total = pool.reduce((sum, c) => sum + c.weight, 0);
  while (pool.length > 0) {
    let point = random() * total;
    let pick = pool.length - 1;
    for (let i = 0; i < pool.length; i++) {
      point -= (pool[i] as RouteConnector).weight;
      if (point < 0) {
        pick = i;
        break;
      }
    }
    const [chosen] = pool.splice(pick, 1) as [RouteConnector];
    total -= chosen.weight;
    order.push(chosen);
  }
  return order.concat(standby);
}
