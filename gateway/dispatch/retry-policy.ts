/**
 * The one place that decides what happens after a retriable failure: fail over to the route's next connector
 * at once while there is one not yet tried in this round, otherwise wait (exponential backoff with full jitter,
 * capped) and go round again, until the attempts run out. Non-retriable failures never come here.
 */

export interface RetryPolicyConfig {
  /** Attempts in all, the first included (default 6). */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicyConfig = { maxAttempts: 6, baseDelayMs: 1_000, maxDelayMs: 300_000 };

export type RetryDecision =
  | { readonly kind: 'retry'; readonly connectorId: string; readonly attempt: number; readonly delayMs: number; readonly failover: boolean }
  | { readonly kind: 'give-up' };

/**
 * `attempt` is the attempt that just failed (0 for the first); `connectors` the route's failover order;
 * `current` the connector that failed; `isUp` tells which connectors can take traffic now.
 */
export function decideRetry(
  config: RetryPolicyConfig,
  attempt: number,
  connectors: readonly string[],
  current: string,
  isUp: (connectorId: string) => boolean,
  random: () => number = Math.random,
): RetryDecision {
  const next = attempt + 1;
  if (next >= config.maxAttempts) return { kind: 'give-up' };
  const index = Math.max(0, connectors.indexOf(current));
  // Within a round (one pass over the route's connectors) fail over immediately to the next healthy one.
  for (let step = 1; step < connectors.length; step += 1) {
    const candidate = connectors[(index + step) % connectors.length] as string;
    const wrapped = index + step >= connectors.length;
    if (!wrapped && isUp(candidate)) return { kind: 'retry', connectorId: candidate, attempt: next, delayMs: 0, failover: true };
  }
  // Round over: start again from the first healthy connector of the route after a backoff.
  const first = connectors.find(isUp) ?? current;
  const ceiling = Math.min(config.maxDelayMs, config.baseDelayMs * 2 ** attempt);
  const delayMs = Math.max(config.baseDelayMs / 2, Math.floor(random() * ceiling));
  return { kind: 'retry', connectorId: first, attempt: next, delayMs, failover: first !== current };
}
