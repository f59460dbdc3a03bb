import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccountConfig, AccountRegistry } from '../gateway/index.ts';
import { apiError } from './errors.ts';
import { bucketCapacity, type TokenBuckets } from './token-bucket.ts';

declare module 'fastify' {
  interface FastifyRequest {
    account: AccountConfig | null;
  }
}

/** The account of an authenticated request (routes under /v1 only run after `authenticate`). */
export function accountOf(request: FastifyRequest): AccountConfig {
  if (request.account === null) throw apiError('API_UNAUTHORIZED');
  return request.account;
}

/** The token of an `Authorization: Bearer <token>` header, if the request has one. */
export function bearerToken(request: FastifyRequest): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
}

/**
 * Bearer API keys (compared as hashes), per-account IP allow-lists and request rate limits on every /v1 route,
 * all in onRequest: a refused request's body is never read.
 */
export function registerAuth(app: FastifyInstance, accounts: AccountRegistry, buckets: TokenBuckets): void {
  app.decorateRequest('account', null);
  // A removed account's buckets go with it (an account of that id added again starts full).
  accounts.onReplace((changes) => {
    for (const id of changes.removed) buckets.forget([`req:${id}`, `msg:${id}`]);
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/v1/')) return;
    // The admin API has its own credential (admin-auth.ts): an account key opens nothing there.
    if (request.routeOptions.url?.startsWith('/v1/admin/') === true) return;
    const token = bearerToken(request);
    const account = token === undefined ? undefined : accounts.authenticate(token);
    if (account === undefined) throw apiError('API_UNAUTHORIZED');
    if (!accounts.allowsAddress(account, request.ip)) throw apiError('API_IP_NOT_ALLOWED', `${request.ip} may not use account ${account.id}`);
    request.account = account;
    const rate = account.limits?.requestsPerSecond;
    if (rate !== undefined) {
      const wait = buckets.take(`req:${account.id}`, rate);
      if (wait > 0) {
        void reply.header('retry-after', String(wait));
        throw apiError('API_RATE_LIMITED', `more than ${rate} requests per second`, { retryAfter: wait });
      }
    }
  });
}

/**
 * Message rate limit: `count` messages against the account's messages-per-second budget, whose bucket holds
 * twice the rate (at least 1). A batch larger than that is refused whole (API_BATCH_EXCEEDS_BURST): it could
 * never be admitted, so a 429 would only invite retries.
 */
export function takeMessageBudget(buckets: TokenBuckets, account: AccountConfig, count: number, setRetryAfter: (seconds: number) => void): void {
  const rate = account.limits?.messagesPerSecond;
  if (rate === undefined) return;
  const capacity = bucketCapacity(rate);
  if (count > capacity) {
    throw apiError('API_BATCH_EXCEEDS_BURST', `${count} messages; at ${rate} messages per second at most ${Math.floor(capacity)} go in one request`, {
      field: 'messages',
      limit: Math.floor(capacity),
    });
  }
  const wait = buckets.take(`msg:${account.id}`, rate, count);
  if (wait > 0) {
    setRetryAfter(wait);
    throw apiError('API_RATE_LIMITED', `more than ${rate} messages per second`, { retryAfter: wait });
  }
}
