/**
 * GET /v1/connectors: every connector of the deployment with its links (up, connecting, down, since when),
 * throughput against its TPS ceiling, route queue backlog and window in flight, its bind slots held here and
 * elsewhere, and each modem's IMEI, SIM, network, signal and daily cap. GET /v1/failures: the calling account's recent failed, undelivered and expired
 * parts with their codes and the carrier's raw values. The console's operations page shows the same reads.
 *
 * Why an account key reads connector data: it is the deployment's, aggregated per connector (no account's traffic
 * apart, no host, credential, device path or error text), it is what the console shows every signed-in user, and
 * /readyz already tells anyone which connectors are up. Failures are the account's own.
 */
import type { FastifyInstance } from 'fastify';
import type { ConnectorsSnapshot, OperationsService, RecentFailure } from '../../gateway/index.ts';
import { MAX_FAILURES } from '../../gateway/index.ts';
import { accountOf } from '../auth.ts';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function connectorRoutes(app: FastifyInstance, operations: OperationsService): void {
  app.get(
    '/v1/connectors',
    {
      schema: {
        tags: ['operations'],
        summary: 'Connectors: links, throughput against the TPS ceiling, queue backlog, window, modems, bind slots',
        description:
          "Deployment-wide, read-only. Links and throughput are the answering process's (each process holds its own binds and modems); the queue is shared; " +
          'the bind slots say which the answering process holds and which other processes hold. ' +
          'No host, credential, device path, process name or error text is included: errors by code only, slots by number.',
        response: { 200: { $ref: 'Connectors#' } },
      },
    },
    async () => connectorsView(await operations.connectors()),
  );

  app.get<{ Querystring: { limit?: number } }>(
    '/v1/failures',
    {
      schema: {
        tags: ['operations'],
        summary: "The account's recent failed, undelivered and expired parts, newest first",
        description: 'Among the messages of the last 24 hours, at most the newest 1,000; with the error code and the carrier\'s raw values of each part.',
        querystring: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: MAX_FAILURES, default: 20 } } },
        response: { 200: { $ref: 'Failures#' }, 400: { $ref: 'Error#' } },
      },
    },
    async (request) => ({ items: (await operations.recentFailures(accountOf(request).id, { limit: request.query.limit ?? 20 })).map(failureView) }),
  );
}

/** The snapshot with ISO times, as the API and the console's JSON show it. */
export function connectorsView(snapshot: ConnectorsSnapshot): Record<string, unknown> {
  return {
    at: new Date(snapshot.at).toISOString(),
    connectors: snapshot.connectors.map((connector) => ({ ...connector, links: connector.links.map((link) => ({ ...link, since: iso(link.since) })) })),
  };
}

export function failureView(failure: RecentFailure): Record<string, unknown> {
  return {
    at: new Date(failure.at).toISOString(),
    messageId: failure.messageId,
    to: failure.to,
    carrier: failure.carrier,
    connector: failure.connectorId,
    seq: failure.seq,
    status: failure.status,
    error: failure.error,
    raw: failure.raw,
  };
}
