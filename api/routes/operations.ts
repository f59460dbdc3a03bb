import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { hashApiKey, type GatewayServices } from '../../gateway/index.ts';
import { bearerToken } from '../auth.ts';
import { apiError } from '../errors.ts';

/**
 * /healthz (the process answers), /readyz (store reachable, a connector up), /metrics (Prometheus; with
 * `metricsToken`, only for `Authorization: Bearer <token>`, compared in constant time).
 */
export function operationsRoutes(app: FastifyInstance, gateway: Pick<GatewayServices, 'links' | 'metrics'>, metricsToken?: string): void {
  const expected = metricsToken === undefined ? undefined : Buffer.from(hashApiKey(metricsToken), 'hex');
  app.get('/healthz', { schema: { tags: ['operations'], summary: 'The process is alive' } }, () => Promise.resolve({ ok: true }));
  app.get('/readyz', { schema: { tags: ['operations'], summary: 'Store reachable and at least one connector up' } }, async (_request, reply) => {
    const ready = await gateway.links.ready();
    return reply.code(ready.ready ? 200 : 503).send(ready);
  });
  app.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics (bearer token when server.metricsToken is set)', hide: false, response: { 401: { $ref: 'Error#' } } } }, async (request, reply) => {
    if (expected !== undefined) {
      const given = bearerToken(request);
      if (given === undefined || !timingSafeEqual(Buffer.from(hashApiKey(given), 'hex'), expected)) throw apiError('API_UNAUTHORIZED', 'GET /metrics needs the metrics token');
    }
    const body = await gateway.metrics.registry.metrics();
    return reply.header('content-type', gateway.metrics.registry.contentType).send(body);
  });
}
