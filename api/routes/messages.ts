/** /v1/messages: submit, quote (a dry run), read with its timeline, list with filters and a cursor, cancel. */
import type { FastifyInstance } from 'fastify';
import type { MessagesService, MessageStatus } from '../../gateway/index.ts';
import { accountOf, takeMessageBudget } from '../auth.ts';
import { messageView } from '../message-view.ts';
import { messageQuoteSchema, quoteView } from '../quote-schema.ts';
import { listQuerySchema } from '../schemas.ts';
import type { TokenBuckets } from '../token-bucket.ts';
import { toSubmitRequest, type SubmitBody } from './submit-request.ts';

const errorResponses = { 400: { $ref: 'Error#' }, 401: { $ref: 'Error#' }, 403: { $ref: 'Error#' }, 404: { $ref: 'Error#' }, 429: { $ref: 'Error#' } };

interface ListQuery {
  readonly clientRef?: string;
  readonly to?: string;
  readonly status?: MessageStatus;
  readonly since?: string;
  readonly until?: string;
  readonly limit: number;
  readonly cursor?: string;
}

export function messageRoutes(app: FastifyInstance, messages: MessagesService, buckets: TokenBuckets): void {
  app.post<{ Body: SubmitBody; Headers: { 'idempotency-key'?: string } }>(
    '/v1/messages',
    {
      schema: {
        tags: ['messages'],
        summary: 'Send a message',
        description:
          'Accepted (202) even while every connector of the route is down: the message waits until a bind is up or its validity ends. ' +
          '503 GW_BACKLOG_FULL (with Retry-After) only when the connector it would wait on has dispatch.maxBacklogPerConnector messages waiting, ' +
          'or (memory mode) the store holds memory.maxPendingMessages messages on their way.',
        body: { $ref: 'SubmitMessage#' },
        headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 200 } } },
        response: { 202: { $ref: 'Accepted#' }, ...errorResponses, 409: { $ref: 'Error#' }, 422: { $ref: 'Error#' }, 503: { $ref: 'Error#' } },
      },
    },
    async (request, reply) => {
      const account = accountOf(request);
      takeMessageBudget(buckets, account, 1, (s) => void reply.header('retry-after', String(s)));
      const accepted = await messages.submit(account, toSubmitRequest(request.body), request.headers['idempotency-key']);
      request.log.info({ messageId: accepted.id, to: maskNumber(accepted.to), parts: accepted.parts }, 'accepted');
      return reply.code(202).send(accepted);
    },
  );

  app.post<{ Body: SubmitBody }>(
    '/v1/messages/quote',
    {
      schema: {
        tags: ['messages'],
        summary: 'What sending this message would meet now, without sending it',
        description:
          'The body of POST /v1/messages; nothing is stored, sent or counted. Answers 200 with the route (carrier, rule, connectors, sender, price, send window), ' +
          "the encoding and parts under the destination carrier's profile, and every refusal a submit would meet (`acceptable: false`), with the codes a submit answers. " +
          'Quotas and the connector backlog are taken only by a submit.',
        body: { $ref: 'SubmitMessage#' },
        response: { 200: messageQuoteSchema, ...errorResponses },
      },
    },
    async (request) => quoteView(await messages.quote(accountOf(request), toSubmitRequest(request.body))),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/messages/:id',
    { schema: { tags: ['messages'], summary: 'A message with its parts and timeline', response: { 200: { $ref: 'Message#' }, ...errorResponses } } },
    async (request) => messageView(await messages.get(accountOf(request).id, request.params.id)),
  );

  app.get<{ Querystring: ListQuery }>(
    '/v1/messages',
    { schema: { tags: ['messages'], summary: 'Messages, newest first, paged with a cursor', querystring: listQuerySchema, response: { 200: { $ref: 'MessageList#' }, ...errorResponses } } },
    async (request) => {
      const q = request.query;
      const page = await messages.list({
        accountId: accountOf(request).id,
        limit: q.limit,
        ...(q.clientRef === undefined ? {} : { clientRef: q.clientRef }),
        // An unencoded `+` in a query string reads as a space: `?to=+8190...` arrives as ` 8190...`.
        ...(q.to === undefined ? {} : { to: q.to.replace(/^ (?=[0-9])/, '+') }),
        ...(q.status === undefined ? {} : { status: q.status }),
        ...(q.since === undefined ? {} : { since: Date.parse(q.since) }),
        ...(q.until === undefined ? {} : { until: Date.parse(q.until) }),
        ...(q.cursor === undefined ? {} : { cursor: q.cursor }),
      });
      return { items: page.items.map(messageView), ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }) };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/messages/:id',
    { schema: { tags: ['messages'], summary: 'Cancel a scheduled or still queued message', response: { 200: { $ref: 'Message#' }, ...errorResponses, 409: { $ref: 'Error#' } } } },
    async (request) => messageView(await messages.cancel(accountOf(request).id, request.params.id)),
  );
}

/** Numbers in logs keep the country and the first digits only: `+8190123*****`. */
export function maskNumber(e164: string): string {
  return e164.length <= 7 ? '*'.repeat(e164.length) : e164.slice(0, 7) + '*'.repeat(e164.length - 7);
}
