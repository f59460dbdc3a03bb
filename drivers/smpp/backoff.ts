import type { ReconnectConfig } from './config.ts';

/** Delay before reconnect attempt `attempt` (0-based): exponential, capped, with symmetric jitter. */
export function reconnectDelay(config: ReconnectConfig, attempt: number, random: () => number = Math.random): number {
  const base = Math.min(config.maxMs, config.initialMs * config.multiplier ** Math.min(attempt, 64));
  const spread = base * config.jitter;
  return Math.max(0, Math.round(base - spread + random() * 2 * spread));
}
