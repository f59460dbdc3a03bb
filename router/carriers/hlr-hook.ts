import { RecentMap } from '../../common/index.ts';
import { routeError } from '../errors.ts';

/**
 * Asks an external HLR/MNP service for the current carrier of a number. Resolves to a carrier id, or
 * undefined when the service does not know the number; rejects when the service fails.
 * The HTTP client is an adapter (gateway/adapters/http); tests inject their own.
 */
export type HlrFetcher = (e164: string, signal: AbortSignal) => Promise<string | undefined>;

export interface HlrHookOptions {
  readonly fetcher: HlrFetcher;
  /** Give up after this long and fall back to the other sources. */
  readonly timeoutMs: number;
  /** How long an answer (carrier or "unknown") is reused. */
  readonly ttlMs: number;
  /** Bound on cached numbers; the oldest entries go first (by generations, see RecentMap). */
  readonly maxEntries?: number;
  /** Clock, injected so tests control expiry. */
  readonly now?: () => number;
}

export interface HlrStats {
  hits: number;
  misses: number;
  failures: number;
}

interface CacheEntry {
  readonly carrier: string | undefined;
  readonly expires: number;
}

/**
 * Cache, timeout and fallback around an HlrFetcher. `lookup` never rejects: a failure or a timeout resolves
 * to undefined (the caller falls back to MNP, ranges and defaults) and is counted. Failures are not cached,
 * so the next message asks again.
 */
export class HlrHook {
  readonly stats: HlrStats = { hits: 0, misses: 0, failures: 0 };
  private readonly cache: RecentMap<string, CacheEntry>;
  private readonly inFlight = new Map<string, Promise<string | undefined>>();
  private readonly options: HlrHookOptions;
  private readonly now: () => number;
  private readonly maxEntries: number;

  constructor(options: HlrHookOptions) {
    if (!(options.timeoutMs > 0) || !(options.ttlMs >= 0)) {
      throw routeError('ROUTE_INVALID_OPTION', 'HLR timeoutMs must be > 0 and ttlMs >= 0', { field: 'mnp.hlr', value: { timeoutMs: options.timeoutMs, ttlMs: options.ttlMs } });
    }
    this.options = options;
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? 100_000;
    this.cache = new RecentMap(this.maxEntries);
  }

  async lookup(e164: string): Promise<string | undefined> {
    const cached = this.cache.get(e164);
    if (cached !== undefined && cached.expires > this.now()) {
      this.stats.hits++;
      return cached.carrier;
    }
    this.stats.misses++;
    const pending = this.inFlight.get(e164);
    if (pending !== undefined) return pending;
    const request = this.fetchWithTimeout(e164).finally(() => this.inFlight.delete(e164));
    this.inFlight.set(e164, request);
    return request;
  }

  private async fetchWithTimeout(e164: string): Promise<string | undefined> {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(routeError('ROUTE_HLR_FAILED', `no answer within ${this.options.timeoutMs} ms`, { value: e164 }));
      }, this.options.timeoutMs);
    });
    try {
      const carrier = await Promise.race([this.options.fetcher(e164, controller.signal), timeout]);
      this.remember(e164, carrier);
      return carrier;
    } catch {
      this.stats.failures++;
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  private remember(e164: string, carrier: string | undefined): void {
    if (this.options.ttlMs === 0) return;
    this.cache.set(e164, { carrier, expires: this.now() + this.options.ttlMs });
  }
}
