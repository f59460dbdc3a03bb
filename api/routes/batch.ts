/** POST /v1/messages/batch: up to 10,000 messages; each item is validated and accepted on its own. */
import type { FastifyInstance } from 'fastify';
import type { MessagesService } from '../../gateway/index.ts';
import { accountOf, takeMessageBudget } from '../auth.ts';
import { apiError, errorForClient } from '../errors.ts';
import { validateSubmitBody as validateItem } from '../request-validation.ts';
import { fieldOf } from '../validation-field.ts';
import type { TokenBuckets } from '../token-bucket.ts';
import { toSubmitRequest, type SubmitBody } from './submit-request.ts';

export const MAX_BATCH = 10_000;

export function batchRoutes(app: FastifyInstance, messages: MessagesService, buckets: TokenBuckets): void {
  app.post<{ Body: { messages: unknown[] }; Headers: { 'idempotency-key'?: string } }>(
    '/v1/messages/batch',
    {
      bodyLimit: 32 * 1024 * 1024,
      schema: {
        tags: ['messages'],
        summary: 'Send up to 10,000 messages; one result per item, in order',
        description:
          'With an Idempotency-Key (24 h), the same key and the same batch answer the first messages again (duplicate: true) and try refused items again; ' +
          'the key with another body is 409 GW_IDEMPOTENCY_CONFLICT.',
        body: { $ref: 'SubmitBatch#' },
        headers: { type: 'object', properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 200 } } },
        response: { 200: { $ref: 'BatchResult#' }, 400: { $ref: 'Error#' }, 401: { $ref: 'Error#' }, 403: { $ref: 'Error#' }, 409: { $ref: 'Error#' }, 413: { $ref: 'Error#' }, 429: { $ref: 'Error#' } },
      },
    },
    async (request, reply) => {
      const account = accountOf(request);
      const items = request.body.messages;
      if (items.length > MAX_BATCH) throw apiError('API_BATCH_TOO_LARGE', `${items.length} messages`, { field: 'messages' });
      // Every item counts, valid or not: the work of reading it was done.
      takeMessageBudget(buckets, account, items.length, (s) => void reply.header('retry-after', String(s)));
      const results = new Array<Record<string, unknown>>(items.length);
      const valid: { index: number; body: SubmitBody }[] = [];
      items.forEach((item, index) => {
        if (validateItem(item)) valid.push({ index, body: item });
        else {
          const error = validateItem.errors?.[0];
          const field = fieldOf(error);
          results[index] = { index, ok: false, error: { code: 'API_INVALID_BODY', message: `messages[${index}]${field === '' ? '' : `.${field}`} ${error?.message ?? 'is invalid'}`, field } };
        }
      });
      const key = request.headers['idempotency-key'];
      const idempotency = key === undefined ? undefined : { key, batch: request.body, positions: valid.map((v) => v.index) };
      const outcomes = await messages.submitBatch(account, valid.map((v) => toSubmitRequest(v.body)), idempotency);
      outcomes.forEach((outcome, i) => {
        const index = (valid[i] as { index: number }).index;
        results[index] = outcome.ok ? { index, ok: true, message: outcome.message } : { index, ok: false, error: errorForClient(outcome.error) };
      });
      const accepted = results.filter((r) => r.ok === true).length;
      return { accepted, refused: items.length - accepted, results };
    },
  );
}
