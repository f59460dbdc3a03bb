import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../../gateway/index.ts';

/** /healthz (the process answers), /readyz (store reachable, a connector up), /metrics (Prometheus). */
export function operationsRoutes(app: FastifyInstance, gateway: Gateway): void {
  app.get('/healthz', { schema: { tags: ['operations'], summary: 'The process is alive' } }, () => Promise.resolve({ ok: true }));
  app.get('/readyz', { schema: { tags: ['operations'], summary: 'Store reachable and at least one connector up' } }, async (_request, reply) => {
    const ready = await gateway.ready();
    return reply.code(ready.ready ? 200 : 503).send(ready);
  });
  app.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics', hide: false } }, async (_request, reply) => {
    const body = await gateway.metrics.registry.metrics();
    return reply.header('content-type', gateway.metrics.registry.contentType).send(body);
  });
}
