import { request } from 'undici';
import { HlrHook, routeError, type HlrConfig, type HlrFetcher } from '../../../router/index.ts';

/**
 * HlrFetcher over HTTP with undici: GET the configured URL with `{number}` replaced by the E.164 digits,
 * read the carrier from a JSON field, map it through `carrierMap`. 404 means "not known" (falls back to the
 * other sources); any other non-2xx status or a malformed body is a failure.
 */
export function undiciHlrFetcher(config: HlrConfig): HlrFetcher {
  const field = config.carrierField ?? 'carrier';
  const map = new Map(Object.entries(config.carrierMap ?? {}));
  return async (e164, signal) => {
    const url = config.url.replace('{number}', encodeURIComponent(e164.replace(/^\+/, '')));
    const response = await request(url, { method: 'GET', signal, headers: { accept: 'application/json' } });
    if (response.statusCode === 404) {
      await response.body.dump();
      return undefined;
    }
    if (response.statusCode < 200 || response.statusCode > 299) {
      await response.body.dump();
      throw routeError('ROUTE_HLR_FAILED', `HTTP ${response.statusCode}`, { value: e164, status: response.statusCode });
    }
    const body = (await response.body.json()) as Record<string, unknown> | null;
    const value = body?.[field];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') throw routeError('ROUTE_HLR_FAILED', `field "${field}" is not a string`, { value: e164 });
    const raw = String(value);
    return map.get(raw) ?? raw.toLowerCase();
  };
}

/** The HLR hook for an enabled `mnp.hlr` section, or undefined when it is off; `now` is the cache's clock. */
export function createHlrHook(config: HlrConfig | undefined, deps: { readonly fetcher?: HlrFetcher; readonly now?: () => number } = {}): HlrHook | undefined {
  if (config === undefined || config.enabled !== true) return undefined;
  return new HlrHook({
    fetcher: deps.fetcher ?? undiciHlrFetcher(config),
    timeoutMs: config.timeoutMs ?? 500,
    ttlMs: (config.cacheTtlSeconds ?? 86_400) * 1000,
    ...(deps.now === undefined ? {} : { now: deps.now }),
  });
}
