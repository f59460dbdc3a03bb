import type { FastifyInstance } from 'fastify';
import type { MessagesService } from '../../gateway/index.ts';
import { accountOf } from '../auth.ts';

/** GET /v1/inbound: messages received for the account's numbers, newest first. */
export function inboundRoutes(app: FastifyInstance, messages: MessagesService): void {
  app.get<{ Querystring: { limit: number; since?: string } }>(
    '/v1/inbound',
    {
      schema: {
        tags: ['inbound'],
        summary: 'Inbound messages to the account numbers',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, since: { type: 'string', format: 'date-time' } },
        },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: { $ref: 'Inbound#' } } } } },
      },
    },
    (request) => {
      const since = request.query.since === undefined ? undefined : Date.parse(request.query.since);
      return messages.inbound(accountOf(request).id, request.query.limit, since).then((items) => ({ items }));
    },
  );
}
