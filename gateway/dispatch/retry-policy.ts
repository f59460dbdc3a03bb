/**
 * The one place that decides what happens after a retriable failure, for SMPP and modems alike:
 * - fail over at once to the route's next connector that is up and not yet tried in this round;
 * - when no connector of the route is up, hold the message (it waits, uncounted, until one comes back or its
 *   validity ends: an outage is not the message's fault);
 * - otherwise wait (exponential backoff with full jitter, capped) and go round again, over minutes by default,
 *   until the attempts run out (failed) or the next try would come after the validity ends (expired).
 * - a retry or failover whose time falls outside the message's send window waits until the window opens (and
 *   gives up with the validity when that comes first): retries never go out at night either.
 * Non-retriable failures never come here.
 */

export interface RetryPolicyConfig {
  /** Attempts in all, the first included (default 12). */
  readonly maxAttempts: number;
  /** First backoff ceiling; it doubles each round up to `maxDelayMs` (defaults 2 s and 5 min). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** With full jitter the 11 backoffs of the default policy add up to about 14 minutes on average, 28 at most. */
export const DEFAULT_RETRY_POLICY: RetryPolicyConfig = { maxAttempts: 12, baseDelayMs: 2_000, maxDelayMs: 300_000 };

export type RetryDecision =
  | {
      readonly kind: 'retry';
      readonly connectorId: string;
      readonly attempt: number;
      readonly delayMs: number;
      readonly failover: boolean;
      /** Set when the send window moved the retry: the instant it opens. */
      readonly deferredUntil?: number;
    }
  | { readonly kind: 'hold'; readonly connectorId: string; readonly attempt: number }
  | { readonly kind: 'give-up'; readonly reason: 'attempts' | 'validity' };

export interface RetryContext {
  /** `attempt` is the attempt that just failed (0 for the first). */
  readonly attempt: number;
  /** The route's connectors in failover order. */
  readonly connectors: readonly string[];
  /** The connector that failed. */
  readonly current: string;
  /** Which connectors can take traffic now. */
  readonly isUp: (connectorId: string) => boolean;
  readonly now: number;
  /** End of the message's validity (epoch ms). */
  readonly expiresAt?: number;
  /** The message's send window: undefined when it may go at the instant given, else when the window opens. */
  readonly opening?: (at: number) => number | undefined;
}

export function decideRetry(config: RetryPolicyConfig, context: RetryContext, random: () => number = Math.random): RetryDecision {
  const decision = decideAttempt(config, context, random);
  if (decision.kind !== 'retry' || context.opening === undefined) return decision;
  const opening = context.opening(context.now + decision.delayMs);
  if (opening === undefined) return decision;
  if (context.expiresAt !== undefined && opening >= context.expiresAt) return { kind: 'give-up', reason: 'validity' };
  return { ...decision, delayMs: opening - context.now, deferredUntil: opening };
}

function decideAttempt(config: RetryPolicyConfig, context: RetryContext, random: () => number): RetryDecision {
  const { attempt, connectors, current, isUp, now, expiresAt } = context;
  if (expiresAt !== undefined && now >= expiresAt) return { kind: 'give-up', reason: 'validity' };
  const index = Math.max(0, connectors.indexOf(current));
  const anyUp = connectors.some(isUp);
  if (!anyUp) return { kind: 'hold', connectorId: connectors[index] ?? current, attempt };
  const next = attempt + 1;
  if (next >= config.maxAttempts) return { kind: 'give-up', reason: 'attempts' };
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
  if (expiresAt !== undefined && now + delayMs >= expiresAt) return { kind: 'give-up', reason: 'validity' };
  return { kind: 'retry', connectorId: first, attempt: next, delayMs, failover: first !== current };
}
