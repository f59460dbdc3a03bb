/** Seeded randomness so a scenario's latencies and receipt outcomes repeat run after run. */
import type { LatencySpec } from './behaviour.ts';

export { seededRandom } from '../../common/index.ts';

/** Draws one latency in whole milliseconds (never negative). */
export function sampleLatency(spec: LatencySpec, random: () => number): number {
  switch (spec.kind) {
    case 'fixed':
      return spec.ms;
    case 'uniform':
      return Math.round(spec.minMs + (spec.maxMs - spec.minMs) * random());
    case 'normal': {
      // Box-Muller; 1 - random() keeps the logarithm's argument in (0, 1].
      const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      return Math.max(0, Math.round(spec.meanMs + spec.stdDevMs * z));
    }
  }
}

/** Picks one item by weight. */
export function pickWeighted<T extends { readonly weight: number }>(items: readonly T[], random: () => number): T | undefined {
  let total = 0;
  for (const item of items) total += item.weight;
  let point = random() * total;
  for (const item of items) {
    point -= item.weight;
    if (point < 0) return item;
  }
  return items[items.length - 1];
}
